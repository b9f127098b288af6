//! `zan serve`: the API over real HTTP (the `ureq` client) against the release-to-be binary on
//! an ephemeral loopback port: every endpoint, every error status, every bound, and that the
//! server keeps serving after each refusal. Expected answers are the law's (Law 157-VII: 5,000
//! members and 200 per branch for a party's registration from late 2022), and the API's JSON is
//! compared with the command line's `--format json`, which is the same contract.

use serde_json::{Value as J, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

/// A `zan serve` process on 127.0.0.1:0; its standard error is kept for the log tests.
pub struct Server {
    child: Child,
    pub base: String,
    pub addr: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(flags: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zan"))
            .arg("serve")
            .args(["--addr", "127.0.0.1:0"])
            .args(flags)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start zan serve");
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let mut first = String::new();
        stderr.read_line(&mut first).expect("first line");
        let addr = first
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {first:?}"))
            .to_string();
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            let mut line = String::new();
            while stderr.read_line(&mut line).is_ok_and(|n| n > 0) {
                sink.lock().expect("log").push_str(&line);
                line.clear();
            }
        });
        Server {
            child,
            base: format!("http://{addr}"),
            addr,
            log,
        }
    }

    pub fn log(&self) -> String {
        self.log.lock().expect("log").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server most tests share, with the default bounds. A static is never dropped, so the
/// server is stopped when the test binary exits.
#[allow(unsafe_code)] // libc::kill and libc::atexit: the shared server is stopped at exit
fn shared() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let server = Server::start(&[]);
        #[cfg(unix)]
        {
            static PID: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);
            extern "C" fn stop_shared_server() {
                let pid = PID.load(std::sync::atomic::Ordering::SeqCst);
                if pid > 0 {
                    // SAFETY: sends SIGKILL to the server this test binary started.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                }
            }
            PID.store(
                server.child.id() as i32,
                std::sync::atomic::Ordering::SeqCst,
            );
            // SAFETY: registers a plain function to run at exit; it only sends a signal.
            unsafe { libc::atexit(stop_shared_server) };
        }
        server
    })
}

/// (status, body) of a request; error statuses are answers too.
pub fn call(method: &str, url: &str, body: Option<&str>) -> (u16, String) {
    let (status, text) = call_unchecked(method, url, body);
    follows_the_schema(url, status, &text);
    (status, text)
}

/// Every JSON response of the API that the shared schema describes is validated against it:
/// answers, who-tables, diffs, batch lines and error bodies.
fn follows_the_schema(url: &str, status: u16, text: &str) {
    let path = url.split("/v1/").nth(1).unwrap_or_default();
    let endpoint = path.split(['?', '/']).next().unwrap_or_default();
    if status >= 400 {
        if let Ok(body) = serde_json::from_str::<J>(text) {
            crate::schema::assert_valid("api_error", &body);
        }
        return;
    }
    if status != 200 {
        return;
    }
    let kind = match endpoint {
        "ask" => "answer",
        "who" => "who_table",
        "diff" => "diff",
        "batch" => {
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let line: J = serde_json::from_str(line).expect("a JSON line");
                crate::schema::assert_valid("batch_line", &line);
            }
            return;
        }
        _ => return,
    };
    let body: J = serde_json::from_str(text).expect("a JSON body");
    crate::schema::assert_valid(kind, &body);
}

fn call_unchecked(method: &str, url: &str, body: Option<&str>) -> (u16, String) {
    let request = ureq::request(method, url);
    let result = match body {
        Some(body) => request
            .set("content-type", "application/json")
            .send_string(body),
        None => request.call(),
    };
    match result {
        Ok(response) => (response.status(), response.into_string().expect("body")),
        Err(ureq::Error::Status(status, response)) => {
            (status, response.into_string().expect("body"))
        }
        Err(e) => panic!("{method} {url}: {e}"),
    }
}

pub fn call_json(method: &str, url: &str, body: Option<&str>) -> (u16, J) {
    let (status, text) = call(method, url, body);
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: {e}: {text}"));
    (status, json)
}

/// The error object of an error answer, checked for its shape and status.
fn error_of(status: u16, body: &J, expected: u16, code: &str) -> J {
    assert_eq!(status, expected, "{body}");
    let error = &body["error"];
    assert_eq!(error["status"], json!(expected), "{body}");
    assert_eq!(error["code"], json!(code), "{body}");
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    error.clone()
}

fn assert_serving(server: &Server) {
    let (status, body) = call_json("GET", &format!("{}/v1/health", server.base), None);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "ok");
}

fn cli_json(args: &[&str]) -> J {
    let run = crate::common::zan(args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("CLI JSON")
}

const REGISTER: &str = r#"{"question": "party.may_register", "as_of": "2023-03-01", "given": {"party.members": 6000, "party.branches_in_all_regions": true, "party.smallest_branch_members": 600}}"#;

#[test]
fn health_names_the_rules() {
    let (status, body) = call_json("GET", &format!("{}/v1/health", shared().base), None);
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert!(body["questions"].as_u64().is_some_and(|n| n > 10), "{body}");
    let cli = cli_json(&["list", "--format", "json"]);
    assert_eq!(body["receipt"], cli["receipt"]);
}

#[test]
fn items_is_the_catalogue_of_zan_list() {
    let server = shared();
    let (status, body) = call_json("GET", &format!("{}/v1/items", server.base), None);
    assert_eq!(status, 200);
    assert_eq!(body, cli_json(&["list", "--format", "json"]));
    let (status, inputs) = call_json(
        "GET",
        &format!("{}/v1/items?kind=input&area=parties", server.base),
        None,
    );
    assert_eq!(status, 200);
    let items = inputs["items"].as_array().expect("items");
    assert!(items.iter().any(|i| i["name"] == "party.members"));
    assert!(
        items
            .iter()
            .all(|i| i["kind"] == "input" && i["area"] == "parties")
    );
    let (status, body) = call_json(
        "GET",
        &format!("{}/v1/items?area=partys", server.base),
        None,
    );
    let error = error_of(status, &body, 404, "unknown_area");
    assert_eq!(error["location"], "query.area");
    let (status, body) = call_json("GET", &format!("{}/v1/items?kind=law", server.base), None);
    let error = error_of(status, &body, 400, "invalid_kind");
    assert_eq!(error["location"], "query.kind");
}

#[test]
fn one_item_is_zan_show() {
    let server = shared();
    let (status, body) = call_json(
        "GET",
        &format!("{}/v1/items/party.members", server.base),
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(
        body,
        cli_json(&["show", "party.members", "--format", "json"])
    );
    assert_eq!(body["type"], "count");
    let (status, body) = call_json(
        "GET",
        &format!("{}/v1/items/party.member", server.base),
        None,
    );
    let error = error_of(status, &body, 404, "unknown_name");
    assert_eq!(error["location"], "path.name");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("party.members")),
        "a suggestion: {error}"
    );
}

#[test]
fn ask_answers_as_the_command_line_does() {
    let server = shared();
    let (status, body) = call_json("POST", &format!("{}/v1/ask", server.base), Some(REGISTER));
    assert_eq!(status, 200, "{body}");
    // Law 157-VII: 5,000 members and 200 in the smallest branch suffice from late 2022.
    assert_eq!(body["status"], "answered");
    assert_eq!(body["answer"], true);
    assert_eq!(body["decided_by"], serde_json::json!(["meets_minima"]));
    let text = body["trace"].to_string();
    assert!(text.contains("met with 1,000 to spare"), "{text}");
    assert!(text.contains("met with 400 to spare"), "{text}");
    let cli = cli_json(&[
        "ask",
        "party.may_register",
        "--as-of",
        "2023-03-01",
        "--given",
        "party.members=6000",
        "--given",
        "party.branches_in_all_regions=true",
        "--given",
        "party.smallest_branch_members=600",
        "--format",
        "json",
    ]);
    assert_eq!(body, cli);
    // Missing facts come back as such, not as an error.
    let (status, body) = call_json(
        "POST",
        &format!("{}/v1/ask", server.base),
        Some(r#"{"question": "party.may_register", "as_of": "2023-03-01", "explain": "brief"}"#),
    );
    assert_eq!(status, 200);
    assert_eq!(body["status"], "unknown");
    assert!(
        body["missing"]
            .as_array()
            .is_some_and(|m| m.iter().any(|x| x.to_string().contains("party.members")))
    );
}

#[test]
fn ask_refuses_bad_requests_with_a_located_error() {
    let server = shared();
    let url = format!("{}/v1/ask", server.base);
    let cases: &[(&str, u16, &str, &str)] = &[
        (
            r#"{"question": "party.may_register", "#,
            400,
            "malformed_json",
            "$",
        ),
        ("[1, 2]", 400, "malformed_json", "$"),
        (
            r#"{"as_of": "2023-03-01"}"#,
            400,
            "missing_field",
            "$.question",
        ),
        (
            r#"{"question": 7, "as_of": "2023-03-01"}"#,
            400,
            "wrong_type",
            "$.question",
        ),
        (
            r#"{"question": "party.may_register"}"#,
            400,
            "no_date",
            "$.as_of",
        ),
        (
            r#"{"question": "party.may_register", "as_of": "2023-02-30"}"#,
            400,
            "E0522",
            "$.as_of",
        ),
        (
            r#"{"question": "party.may_registr", "as_of": "2023-03-01"}"#,
            404,
            "unknown_name",
            "$.question",
        ),
        (
            r#"{"question": "party.members", "as_of": "2023-03-01"}"#,
            400,
            "not_a_question",
            "$.question",
        ),
        (
            r#"{"question": "party.may_register", "as_of": "2023-03-01", "given": {"party.members": "many"}}"#,
            422,
            "E0525",
            r#"$.given["party.members"]"#,
        ),
        (
            r#"{"question": "party.may_register", "as_of": "2023-03-01", "given": {"party.members": -5}}"#,
            422,
            "E0501",
            r#"$.given["party.members"]"#,
        ),
        (
            r#"{"question": "party.may_register", "as_of": "2023-03-01", "given": {"party.membres": 5}}"#,
            422,
            "E0509",
            r#"$.given["party.membres"]"#,
        ),
        // 1,000 votes for the lists out of 10 voters: facts the law makes impossible, an
        // evaluation error with its code (docs/errors.md).
        (
            r#"{"question": "mazhilis.passes_threshold", "as_of": "2023-03-19", "given": {"mazhilis.votes_cast": 10, "mazhilis.parties": [{"name": "A", "votes": 600, "registered": "1999-03-01"}, {"name": "B", "votes": 400, "registered": "2002-01-01"}]}}"#,
            422,
            "E0601",
            "$.given",
        ),
        // Requests cannot name files on the server: no key names rules or facts files.
        (
            r#"{"question": "party.may_register", "as_of": "2023-03-01", "rules": "/etc/passwd"}"#,
            400,
            "E0524",
            "$.rules",
        ),
        (
            r#"{"question": "party.may_register", "as_of": "2023-03-01", "explain": "all"}"#,
            400,
            "invalid_explain",
            "$.explain",
        ),
    ];
    for (body, expected, code, location) in cases {
        let (status, answer) = call_json("POST", &url, Some(body));
        let error = error_of(status, &answer, *expected, code);
        assert_eq!(error["location"], json!(location), "{body}: {answer}");
    }
    assert_serving(server);
}

#[test]
fn who_is_the_table_of_zan_who() {
    let server = shared();
    let (status, body) = call_json(
        "POST",
        &format!("{}/v1/who", server.base),
        Some(
            r#"{"question": "court.may_apply", "over": "court.applicant", "as_of": "2023-03-01", "given": {"court.subject": "normative_act_in_force"}}"#,
        ),
    );
    assert_eq!(status, 200, "{body}");
    let cli = cli_json(&[
        "who",
        "court.may_apply",
        "--over",
        "court.applicant",
        "--as-of",
        "2023-03-01",
        "--given",
        "court.subject=normative_act_in_force",
        "--format",
        "json",
    ]);
    assert_eq!(body, cli);
    assert!(body["rows"].as_array().is_some_and(|rows| rows.len() > 2));
    let url = format!("{}/v1/who", server.base);
    let (status, body) = call_json(
        "POST",
        &url,
        Some(
            r#"{"question": "court.may_apply", "over": "court.deputies_total", "as_of": "2023-03-01"}"#,
        ),
    );
    assert_eq!(
        error_of(status, &body, 400, "not_an_enum")["location"],
        "$.over"
    );
    let (status, body) = call_json(
        "POST",
        &url,
        Some(r#"{"question": "court.may_apply", "over": "court.applicnt", "as_of": "2023-03-01"}"#),
    );
    assert_eq!(
        error_of(status, &body, 404, "unknown_name")["location"],
        "$.over"
    );
    let (status, body) = call_json(
        "POST",
        &url,
        Some(r#"{"question": "court.may_apply", "as_of": "2023-03-01"}"#),
    );
    assert_eq!(
        error_of(status, &body, 400, "missing_field")["location"],
        "$.over"
    );
}

#[test]
fn batch_streams_one_line_per_input_line_in_order() {
    let server = shared();
    let body = "{\"as_of\": \"2023-03-01\", \"given\": {\"party.members\": 6000, \"party.branches_in_all_regions\": true, \"party.smallest_branch_members\": 600}}\n\n{\"given\": {\"party.members\": \"x\"}}\n{\"as_of\": \"2020-01-01\", \"given\": {\"party.members\": 6000}}\n";
    let (status, text) = call(
        "POST",
        &format!(
            "{}/v1/batch?question=party.may_register&explain=brief",
            server.base
        ),
        Some(body),
    );
    assert_eq!(status, 200, "{text}");
    let lines: Vec<J> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[0]["answer"], true);
    assert_eq!(lines[1]["line"], 3);
    // "x" for a count: a JSON value of the wrong kind (docs/errors.md).
    assert_eq!(lines[1]["error"]["code"], "E0525");
    assert_eq!(lines[1]["error"]["location"], r#"$.given["party.members"]"#);
    // In 2020 (before Law 336-VI took effect) 40,000 members were required: 6,000 is too few.
    assert_eq!(lines[2]["line"], 4);
    assert_eq!(lines[2]["answer"], false);
    let url = format!("{}/v1/batch", server.base);
    let (status, answer) = call_json("POST", &url, Some("{}\n"));
    assert_eq!(
        error_of(status, &answer, 400, "missing_field")["location"],
        "query.question"
    );
    let (status, answer) = call_json("POST", &format!("{url}?question=party.nope"), Some("{}\n"));
    assert_eq!(
        error_of(status, &answer, 404, "unknown_name")["location"],
        "query.question"
    );
    let (status, answer) = call_json(
        "POST",
        &format!("{url}?question=party.may_register&as_of=2023-13-01"),
        Some("{}\n"),
    );
    assert_eq!(
        error_of(status, &answer, 400, "invalid_date")["location"],
        "query.as_of"
    );
}

#[test]
fn diff_is_the_history_of_zan_diff() {
    let server = shared();
    let (status, body) = call_json(
        "GET",
        &format!(
            "{}/v1/diff?from=2009-01-01&to=2023-06-01&area=parties",
            server.base
        ),
        None,
    );
    assert_eq!(status, 200, "{body}");
    let cli = cli_json(&[
        "diff",
        "--from",
        "2009-01-01",
        "--to",
        "2023-06-01",
        "--area",
        "parties",
        "--format",
        "json",
    ]);
    assert_eq!(body, cli);
    // 40,000 -> 20,000 -> 5,000 members: the history between the endpoints is there.
    let text = body.to_string();
    assert!(text.contains("20000") || text.contains("20,000"), "{text}");
    let base = format!("{}/v1/diff", server.base);
    for (query, expected, code, location) in [
        ("?from=2009-01-01", 400, "missing_field", "query.to"),
        (
            "?from=2009-02-30&to=2010-01-01",
            400,
            "invalid_date",
            "query.from",
        ),
        (
            "?from=2010-01-01&to=2009-01-01",
            400,
            "invalid_period",
            "query.from",
        ),
        (
            "?from=2009-01-01&to=2010-01-01&area=nope",
            404,
            "unknown_area",
            "query.area",
        ),
        (
            "?from=2009-01-01&to=2010-01-01&name=zzz",
            404,
            "unknown_name",
            "query.name",
        ),
    ] {
        let (status, body) = call_json("GET", &format!("{base}{query}"), None);
        assert_eq!(
            error_of(status, &body, expected, code)["location"],
            location
        );
    }
}

#[test]
fn openapi_lists_every_route_and_each_answers() {
    let server = shared();
    let (status, doc) = call_json("GET", &format!("{}/v1/openapi.json", server.base), None);
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    for path in [
        "/v1/items",
        "/v1/items/{name}",
        "/v1/ask",
        "/v1/who",
        "/v1/batch",
        "/v1/diff",
        "/v1/health",
        "/v1/openapi.json",
    ] {
        assert!(paths.contains_key(path), "{path}");
    }
    for (path, methods) in paths {
        for (method, operation) in methods.as_object().expect("methods") {
            assert!(operation["responses"]["200"].is_object(), "{path}");
            for status in operation["responses"]
                .as_object()
                .expect("responses")
                .keys()
            {
                assert!(["200", "400", "404", "413", "422", "503"].contains(&status.as_str()));
            }
            // Each route the document names is served (an error of its own, not "no route").
            let url = format!("{}{}", server.base, path.replace("{name}", "party.members"));
            let (status, body) = call(&method.to_uppercase(), &url, Some("{}"));
            assert!(
                status != 405 && !body.contains("\"no_route\""),
                "{method} {path}: {status} {body}"
            );
        }
        // Every `$ref` resolves.
        let text = methods.to_string();
        for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = reference.split('"').next().expect("name");
            assert!(doc["components"]["schemas"][name].is_object(), "{name}");
        }
    }
}

#[test]
fn unknown_routes_and_methods_get_json_errors() {
    let server = shared();
    let (status, body) = call_json("GET", &format!("{}/v2/ask", server.base), None);
    error_of(status, &body, 404, "no_route");
    let (status, body) = call_json(
        "GET",
        &format!("{}/v1/items/..%2F..%2Fetc%2Fpasswd", server.base),
        None,
    );
    error_of(status, &body, 404, "unknown_name");
    let (status, body) = call_json("DELETE", &format!("{}/v1/ask", server.base), None);
    assert_eq!(status, 405, "{body}");
    assert_eq!(body["error"]["code"], "method_not_allowed");
    assert_serving(server);
}

#[test]
fn the_page_is_served_from_the_binary_and_fetches_nothing_else() {
    let server = shared();
    let response = ureq::get(&format!("{}/", server.base))
        .call()
        .expect("page");
    let policy = response
        .header("content-security-policy")
        .expect("a policy")
        .to_string();
    assert!(policy.contains("default-src 'none'") && policy.contains("script-src 'self'"));
    let page = response.into_string().expect("page");
    assert!(page.contains("/assets/app.js") && page.contains("/assets/style.css"));
    for asset in ["app.js", "style.css"] {
        let (status, text) = call("GET", &format!("{}/assets/{asset}", server.base), None);
        assert_eq!(status, 200);
        assert!(
            !text.contains("http://") && !text.contains("https://"),
            "{asset}"
        );
        assert!(
            !text.contains("@import") && !text.contains("url("),
            "{asset}"
        );
    }
    assert!(!page.contains("https://"));
    let (status, _) = call(
        "GET",
        &format!("{}/assets/../../Cargo.toml", server.base),
        None,
    );
    assert_eq!(status, 404);
}

#[test]
fn every_request_is_logged_as_one_json_line() {
    let server = Server::start(&[]);
    assert_serving(&server);
    let (status, _) = call(
        "GET",
        &format!("{}/v1/items/nope?secret=1", server.base),
        None,
    );
    assert_eq!(status, 404);
    // The log lines are written before the answers are sent; the reader of standard error may
    // still be on its way to them (bounded wait).
    let mut log = server.log();
    for _ in 0..500 {
        if log.lines().count() >= 2 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        log = server.log();
    }
    let lines: Vec<J> = log
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert_eq!(lines[0]["method"], "GET");
    assert_eq!(lines[0]["path"], "/v1/health");
    assert_eq!(lines[0]["status"], 200);
    assert_eq!(lines[1]["path"], "/v1/items/nope");
    assert_eq!(lines[1]["status"], 404);
    assert!(lines[1]["micros"].is_u64());
    assert!(!log.contains("secret"), "the query is not logged");
}

#[test]
fn the_size_bounds_refuse_with_413_and_the_server_goes_on() {
    let server = Server::start(&[
        "--max-body-bytes",
        "2000",
        "--max-json-depth",
        "4",
        "--max-list-len",
        "3",
        "--max-batch-lines",
        "2",
    ]);
    let ask = format!("{}/v1/ask", server.base);
    let big = format!(
        r#"{{"question": "party.may_register", "as_of": "2023-03-01", "pad": "{}"}}"#,
        "x".repeat(3000)
    );
    let (status, body) = call_json("POST", &ask, Some(&big));
    error_of(status, &body, 413, "body_too_large");
    assert_serving(&server);
    let deep =
        r#"{"question": "party.may_register", "as_of": "2023-03-01", "given": {"a": [[[1]]]}}"#;
    let (status, body) = call_json("POST", &ask, Some(deep));
    let error = error_of(status, &body, 413, "json_too_deep");
    assert_eq!(error["location"], "$.given.a[0][0]");
    assert_serving(&server);
    let wide = r#"{"question": "party.may_register", "as_of": "2023-03-01", "given": {"a": [1, 2, 3, 4]}}"#;
    let (status, body) = call_json("POST", &ask, Some(wide));
    let error = error_of(status, &body, 413, "list_too_long");
    assert_eq!(error["location"], "$.given.a");
    let many_keys = r#"{"question": "party.may_register", "as_of": "2023-03-01", "given": {"a": 1, "b": 2, "c": 3, "d": 4}}"#;
    let (status, body) = call_json("POST", &ask, Some(many_keys));
    assert_eq!(
        error_of(status, &body, 413, "list_too_long")["location"],
        "$.given"
    );
    // Within the bounds the same server answers.
    let (status, body) = call_json(
        "POST",
        &ask,
        Some(r#"{"question": "party.members_required", "as_of": "2023-03-01"}"#),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["answer"], 5000);
    let batch = format!("{}/v1/batch?question=party.members_required", server.base);
    let three =
        "{\"as_of\": \"2023-03-01\"}\n{\"as_of\": \"2023-03-01\"}\n{\"as_of\": \"2023-03-01\"}\n";
    let (status, body) = call_json("POST", &batch, Some(three));
    error_of(status, &body, 413, "too_many_lines");
    let (status, text) = call(
        "POST",
        &batch,
        Some("{\"as_of\": \"2023-03-01\"}\n{\"as_of\": \"2010-01-01\"}\n"),
    );
    assert_eq!(status, 200, "{text}");
    let answers: Vec<J> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("line"))
        .collect();
    // 2010: the 2009 text (Law 122-IV) asked 40,000 members.
    assert_eq!(answers[0]["answer"], 5000);
    assert_eq!(answers[1]["answer"], 40000);
    assert_serving(&server);
}

#[test]
fn a_batch_past_its_time_says_so_on_the_next_line() {
    let server = Server::start(&["--request-timeout-ms", "0"]);
    let (status, text) = call(
        "POST",
        &format!("{}/v1/batch?question=party.members_required", server.base),
        Some("{\"as_of\": \"2023-03-01\"}\n"),
    );
    if status == 200 {
        let line: J = serde_json::from_str(text.trim()).expect("line");
        assert_eq!(line["error"]["code"], "timeout", "{text}");
        assert_eq!(line["line"], 1);
    } else {
        let body: J = serde_json::from_str(&text).expect("JSON");
        error_of(status, &body, 503, "timeout");
    }
    let server = Server::start(&["--request-timeout-ms", "60000"]);
    assert_serving(&server);
}

/// Sends the head and part of the body of an `/v1/ask` request, and holds the rest back: the
/// request is in flight until [`finish`] is called.
fn hold_request(server: &Server) -> (TcpStream, &'static str) {
    let body = r#"{"question": "party.members_required", "as_of": "2023-03-01"}"#;
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    write!(
        stream,
        "POST /v1/ask HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        server.addr,
        body.len(),
        &body[..10]
    )
    .expect("write");
    stream.flush().expect("flush");
    (stream, &body[10..])
}

fn finish(mut stream: TcpStream, rest: &str) -> String {
    stream.write_all(rest.as_bytes()).expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
}

/// Holds a request in flight (with `--max-in-flight 1`) and asks for health until the server
/// says it is overloaded: proof that the held request is the one in flight. A health request
/// can take the one place first, if the server reads it before the held request's head; then
/// the held request is refused at once with 503, which is read here, and it is held again.
/// Bounded: it gives up after many tries.
fn hold_until_overloaded(server: &Server) -> (TcpStream, &'static str, J) {
    for _ in 0..20 {
        let (stream, rest) = hold_request(server);
        for _ in 0..150 {
            let (status, body) = call_json("GET", &format!("{}/v1/health", server.base), None);
            if status == 503 {
                return (stream, rest, body);
            }
            if refused_already(&stream) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    panic!(
        "the held request never counted as in flight; log:\n{}",
        server.log()
    );
}

/// Asks for health until the server says it is overloaded (a request already known to hold
/// the one place). Bounded: it gives up after many tries.
fn wait_for_overload(server: &Server) -> J {
    for _ in 0..3000 {
        let (status, body) = call_json("GET", &format!("{}/v1/health", server.base), None);
        if status == 503 {
            return body;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!(
        "the request never counted as in flight; log:\n{}",
        server.log()
    );
}

/// Whether the server has already answered the held request (it was refused with 503).
fn refused_already(stream: &TcpStream) -> bool {
    let _ = stream.set_nonblocking(true);
    let mut byte = [0u8; 1];
    let answered = matches!(stream.peek(&mut byte), Ok(n) if n > 0);
    let _ = stream.set_nonblocking(false);
    answered
}

#[test]
fn past_the_in_flight_bound_requests_get_503_and_the_held_one_finishes() {
    let server = Server::start(&["--max-in-flight", "1", "--request-timeout-ms", "600000"]);
    let (stream, rest, body) = hold_until_overloaded(&server);
    error_of(503, &body, 503, "overloaded");
    let answer = finish(stream, rest);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"answer\":5000"), "{answer}");
    assert_serving(&server);
}

#[cfg(unix)]
#[test]
#[allow(unsafe_code)] // libc::kill: the test signals its own child
fn sigterm_lets_the_request_in_flight_finish() {
    let mut server = Server::start(&["--max-in-flight", "1", "--request-timeout-ms", "600000"]);
    let (stream, rest, _) = hold_until_overloaded(&server);
    let pid = server.child.id() as libc::pid_t;
    // SAFETY: sends SIGTERM to the child this test started.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let answer = finish(stream, rest);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let status = server.child.wait().expect("wait");
    assert!(status.success(), "{status:?}");
}

#[test]
fn rules_with_errors_stop_the_server_before_it_listens() {
    let output = Command::new(env!("CARGO_BIN_EXE_zan"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--rules",
            "fixtures/check/err/cycle.zan",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cycle.zan:"), "{stderr}");
    assert!(stderr.contains("nothing was evaluated"), "{stderr}");
    assert!(!stderr.contains("listening"), "{stderr}");
}

/// Splits a shell command line into words: single quotes group, nothing else is special.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut any) = (false, false);
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    words
}

#[test]
fn the_readme_curl_examples_answer_as_shown() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .expect("README.md");
    let server = shared();
    let mut examples = 0;
    let mut in_block = false;
    let mut lines = readme.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("```shell") {
            in_block = true;
            continue;
        }
        if line.starts_with("```") {
            in_block = false;
            continue;
        }
        let Some(command) = line.strip_prefix("$ curl ").filter(|_| in_block) else {
            continue;
        };
        let shown = lines.next().expect("the line the README shows");
        let words = shell_words(command);
        let mut body = None;
        let mut url = None;
        let mut words = words.iter();
        while let Some(word) = words.next() {
            match word.as_str() {
                "-s" => {}
                "-d" => body = words.next().cloned(),
                other if other.starts_with("localhost:8080") => {
                    url = Some(other.replacen("localhost:8080", &server.base, 1));
                }
                other => {
                    panic!("README curl example with `{other}`: the test reads -s, -d and the URL")
                }
            }
        }
        let url = url.expect("a URL");
        let method = if body.is_some() { "POST" } else { "GET" };
        let (_, printed) = call(method, &url, body.as_deref());
        let first = printed.lines().next().unwrap_or_default();
        match shown.strip_suffix("...") {
            Some(start) => assert!(
                first.starts_with(start),
                "`curl {command}` prints {first}\nthe README shows {shown}"
            ),
            None => assert_eq!(first, shown, "`curl {command}`"),
        }
        examples += 1;
    }
    assert!(examples >= 8, "the README's curl examples: {examples}");
}

#[test]
fn a_request_past_its_time_gets_503_and_the_server_goes_on() {
    // The body is held back, so the request cannot finish before --request-timeout-ms.
    let server = Server::start(&["--request-timeout-ms", "50"]);
    let (mut stream, _rest) = hold_request(&server);
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    let body = answer.split("\r\n\r\n").nth(1).expect("a body");
    let body: J = serde_json::from_str(body).expect("JSON");
    error_of(503, &body, 503, "timeout");
    assert_serving(&server);
}

#[test]
fn a_streaming_batch_counts_as_in_flight_until_its_last_line() {
    let server = Server::start(&["--max-in-flight", "1", "--request-timeout-ms", "600000"]);
    let line = "{\"as_of\":\"2023-03-01\",\"given\":{\"party.members\":6000,\"party.branches_in_all_regions\":true,\"party.smallest_branch_members\":600}}\n";
    // About 8.5 KB of answer per line: 7,500 lines (under the 1 MiB body bound) make some 60 MB,
    // more than the channel and both sockets' largest buffers (32 MiB + 4 MiB here) can hold.
    let lines = 7500;
    let body = line.repeat(lines);
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    write!(
        stream,
        "POST /v1/batch?question=party.may_register HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        server.addr,
        body.len(),
    )
    .expect("write");
    // The head of the answer has come, so the handler has returned; the lines are not read yet
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("the head");
        head.push(byte[0]);
    }
    assert!(head.starts_with(b"HTTP/1.1 200"));
    // The answers are not read yet, so the batch cannot
    // have sent its last line: it is still in flight.
    let overloaded = wait_for_overload(&server);
    error_of(503, &overloaded, 503, "overloaded");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    let answered = answer
        .lines()
        .filter(|l| l.starts_with("{\"line\"") && l.contains("\"answer\":true"))
        .count();
    assert_eq!(answered, lines);
    // Once the stream has ended the place is free again (the thread may still be dropping it:
    // bounded retries).
    let mut free = false;
    for _ in 0..3000 {
        let (status, _) = call("GET", &format!("{}/v1/health", server.base), None);
        if status == 200 {
            free = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(free, "the place in flight was never freed");
}
