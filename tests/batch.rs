//! `zan batch` as a streaming engine: carried keys, standard input, CSV, answer-only lines,
//! raw-byte line splitting, exit codes, and the same bytes whatever the number of workers.
//! See: issue 13, issue 14 item 3, issue 10 item 6.

use crate::common::zan;
use std::io::Write;
use std::path::PathBuf;
use zan::batch::{Content, Format, Job};
use zan::render::text::Explain;

const THRESHOLD: &str = "fixtures/traces/threshold.zan";

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zan-batch-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("input.jsonl");
    std::fs::write(&path, bytes).expect("write input");
    path
}

fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

fn share_line(share: &str) -> String {
    format!(
        "{{\"as_of\": \"2023-03-19\", \"given\": {{\"mazhilis.party_vote_share\": \"{share}\"}}}}"
    )
}

#[test]
fn other_keys_are_carried_to_the_answer_line() {
    let input = temp_file(
        "carried",
        concat!(
            "{\"id\": 17, \"as_of\": \"2023-03-19\", \"given\": {\"mazhilis.party_vote_share\": \"6%\"}, \"case\": {\"court\": \"A-1\"}}\n",
            "{\"id\": 18, \"given\": {\"mazhilis.party_vote_share\": \"6%\"}}\n",
            "{\"status\": \"x\", \"as_of\": \"2023-03-19\", \"given\": {}}\n",
        )
        .as_bytes(),
    );
    let run = zan(&[
        "--rules",
        THRESHOLD,
        "batch",
        "mazhilis.passes_threshold",
        "--input",
        input.to_str().expect("path"),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    // 6% passes the 5% threshold in force on 2023-03-19 (Art. 97-1(1) as amended in 2021).
    assert!(
        lines[0].starts_with(
            "{\"line\":1,\"id\":17,\"case\":{\"court\":\"A-1\"},\"question\":\"mazhilis.passes_threshold\""
        ),
        "{}",
        lines[0]
    );
    assert_eq!(json_lines(&run.stdout)[0]["answer"], true);
    // A rejected line still names its case.
    assert_eq!(
        lines[1],
        "{\"line\":2,\"id\":18,\"error\":{\"code\":\"E0705\",\"message\":\"no date: give \\\"as_of\\\" on the line or --as-of for the batch\"}}"
    );
    // A key that the answer line already has cannot be carried.
    let third = &json_lines(&run.stdout)[2];
    assert!(
        third["error"]["message"]
            .as_str()
            .is_some_and(|e| e.contains("`status` is a key of the answer line")),
        "{third}"
    );
}

#[test]
fn standard_input_with_a_dash() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zan"))
        .args([
            "--rules",
            THRESHOLD,
            "batch",
            "mazhilis.passes_threshold",
            "--input",
            "-",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run zan");
    let mut stdin = child.stdin.take().expect("stdin");
    let text = format!("{}\n{}\n", share_line("4.99%"), share_line("5%"));
    stdin.write_all(text.as_bytes()).expect("write stdin");
    drop(stdin);
    let output = child.wait_with_output().expect("wait");
    assert_eq!(output.status.code(), Some(0));
    let lines = json_lines(&String::from_utf8_lossy(&output.stdout));
    // 4.99% is short of 5%; 5% meets it exactly.
    assert_eq!(lines[0]["answer"], false);
    assert_eq!(lines[1]["answer"], true);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(
            "batch: 2 line(s): 2 answered, 0 unknown, 0 needs_judgment, 0 not_covered, 0 conflict, 0 contested, 0 error(s)"
        )
    );
}

#[test]
fn csv_rows_carry_the_keys_of_the_first_line() {
    let input = temp_file(
        "csv",
        concat!(
            "{\"id\": \"a,1\", \"as_of\": \"2023-03-19\", \"given\": {\"mazhilis.party_vote_share\": \"6%\"}}\n",
            "{\"id\": \"b\", \"as_of\": \"2023-03-19\", \"given\": {}}\n",
            "{\"id\": \"c\", \"as_of\": \"2020-01-01\", \"given\": {\"mazhilis.party_vote_share\": \"6%\"}}\n",
            "{\"id\": \"d\", \"extra\": 1, \"as_of\": \"2023-03-19\", \"given\": {}}\n",
        )
        .as_bytes(),
    );
    let run = zan(&[
        "--rules",
        THRESHOLD,
        "--format",
        "csv",
        "batch",
        "mazhilis.passes_threshold",
        "--input",
        input.to_str().expect("path"),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let rows: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(rows[0], "line,id,status,answer,decided_by,error");
    // 6% passes 5% (2023); with no share given the answer is unknown; 6% is short of the 7%
    // in force on 2020-01-01, so the default (false) decides.
    assert_eq!(rows[1], "1,\"a,1\",answered,true,reaches_threshold,");
    assert_eq!(rows[2], "2,b,unknown,,,");
    assert_eq!(rows[3], "3,c,answered,false,(default),");
    assert!(
        rows[4].starts_with("4,d,error,,,") && rows[4].contains("`extra` is not one of them"),
        "{}",
        rows[4]
    );
    assert!(
        run.stderr.contains("2 answered, 1 unknown"),
        "{}",
        run.stderr
    );
    // Only `batch` writes CSV.
    let ask = zan(&[
        "--rules",
        THRESHOLD,
        "--format",
        "csv",
        "ask",
        "mazhilis.threshold",
        "--as-of",
        "2023-03-19",
    ]);
    assert_eq!(ask.code, 2);
    assert!(ask.stderr.contains("`--format csv` is for `zan batch`"));
}

#[test]
fn explain_none_leaves_out_the_trace_and_keeps_the_answer() {
    let text = format!(
        "{}\n{}\n",
        share_line("4.99%"),
        "{\"as_of\": \"2023-03-19\", \"given\": {}}"
    );
    let input = temp_file("none", text.as_bytes());
    let path = input.to_str().expect("path");
    let args = |explain: &'static str| {
        zan(&[
            "--rules",
            THRESHOLD,
            "--explain",
            explain,
            "batch",
            "mazhilis.passes_threshold",
            "--input",
            path,
        ])
    };
    let none = args("none");
    let full = args("full");
    assert_eq!(none.code, 0, "{}", none.stderr);
    for (short, long) in json_lines(&none.stdout)
        .iter()
        .zip(json_lines(&full.stdout))
    {
        let mut expected = long.clone();
        let object = expected.as_object_mut().expect("object");
        assert!(object.remove("trace").is_some());
        assert!(object.remove("citations").is_some());
        assert!(object.remove("deciding_citations").is_some());
        assert_eq!(*short, expected);
    }
    // Only `batch` takes it.
    let ask = zan(&[
        "--rules",
        THRESHOLD,
        "--explain",
        "none",
        "ask",
        "mazhilis.threshold",
        "--as-of",
        "2023-03-19",
    ]);
    assert_eq!(ask.code, 2);
    assert!(ask.stderr.contains("`--explain none` is for `zan batch`"));
}

#[test]
fn lines_are_split_on_bytes_and_checked_as_utf8() {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(share_line("6%").as_bytes());
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(b"{\"id\": \"caf\xff\", \"as_of\": \"2023-03-19\", \"given\": {}}\n");
    bytes.extend_from_slice(b"   \n");
    bytes.extend_from_slice(share_line("4%").as_bytes());
    let input = temp_file("utf8", &bytes);
    let run = zan(&[
        "--rules",
        THRESHOLD,
        "batch",
        "mazhilis.passes_threshold",
        "--input",
        input.to_str().expect("path"),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stdout.contains('\u{fffd}'), "no replacement character");
    let lines = json_lines(&run.stdout);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["answer"], true);
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(
        lines[1]["error"]["message"],
        "invalid UTF-8 at byte 12 of the line (0xff): each line must be UTF-8 text"
    );
    // The blank third line is skipped; the last line has no newline and is still read.
    assert_eq!(lines[2]["line"], 4);
    assert_eq!(lines[2]["answer"], false);
}

#[test]
fn a_line_past_the_limit_is_rejected_and_skipped() {
    let mut bytes = format!("{}\n{{\"id\": \"", share_line("6%")).into_bytes();
    bytes.resize(bytes.len() + zan::batch::MAX_LINE_BYTES, b'x');
    bytes.extend_from_slice(b"\"}\n");
    bytes.extend_from_slice(share_line("6%").as_bytes());
    let input = temp_file("long", &bytes);
    let run = zan(&[
        "--rules",
        THRESHOLD,
        "batch",
        "mazhilis.passes_threshold",
        "--input",
        input.to_str().expect("path"),
    ]);
    assert_eq!(run.code, 1);
    let lines = json_lines(&run.stdout);
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1]["error"]["message"]
            .as_str()
            .is_some_and(|e| e.contains("longer than 8388608 bytes"))
    );
    assert_eq!(lines[2]["line"], 3);
    assert_eq!(lines[2]["answer"], true);
}

/// The lines of the old, non-streaming batch: `{"line": N}` followed by the JSON answer.
fn one_by_one(loaded: &zan::load::Loaded, question: &str, input: &str) -> String {
    one_by_one_with(loaded, question, input, Explain::Full)
}

fn one_by_one_with(
    loaded: &zan::load::Loaded,
    question: &str,
    input: &str,
    explain: Explain,
) -> String {
    let rb = &loaded.rulebase;
    let id = rb.lookup(question).expect("question");
    let mut out = String::new();
    for (idx, line) in input.lines().enumerate() {
        let facts = zan::facts::from_json(rb, line).expect("facts");
        let mut given = zan::eval::Facts::new(rb);
        for (item, value) in facts.given {
            given.set(item, value);
        }
        let answer = zan::eval::answer(rb, id, facts.as_of.expect("date"), &given).expect("eval");
        let mut object = serde_json::Map::new();
        object.insert("line".into(), (idx + 1).into());
        if let serde_json::Value::Object(rest) =
            zan::render::json::answer_with(rb, &answer, explain)
        {
            object.extend(rest);
        }
        out.push_str(&serde_json::Value::Object(object).to_string());
        out.push('\n');
    }
    out
}

#[test]
fn the_same_bytes_on_any_number_of_workers_and_as_one_answer_at_a_time() {
    let loaded = zan::load::load_embedded();
    let rb = &loaded.rulebase;
    let mut input = String::new();
    for idx in 0..600u32 {
        // Dates across the court's windows and periods, every applicant and subject.
        let applicants = [
            "citizen",
            "president",
            "deputies",
            "court",
            "prosecutor_general",
        ];
        let subjects = [
            "interpretation",
            "normative_act_in_force",
            "law_before_signature",
        ];
        input.push_str(&format!(
            "{{\"as_of\":\"{}-0{}-1{}\",\"given\":{{\"court.applicant\":\"{}\",\"court.subject\":\"{}\",\"court.deputies_signing\":{},\"court.deputies_total\":150,\"court.act_affects_own_rights\":{},\"court.act_affects_rights\":true,\"court.act_infringes_rights\":false}}}}\n",
            2015 + idx % 11,
            1 + idx % 9,
            idx % 10,
            applicants[idx as usize % 5],
            subjects[idx as usize % 3],
            idx % 60,
            idx % 2 == 0
        ));
    }
    let question = rb.lookup("court.may_apply").expect("question");
    let run = |workers: usize, content: Content| {
        let job = Job {
            rulebase: rb,
            question,
            default_date: None,
            content,
            format: Format::Json,
            assumptions: &[],
            readings: &[],
        };
        let mut out = Vec::new();
        let summary = zan::batch::run(
            &job,
            std::io::Cursor::new(input.as_bytes()),
            &mut out,
            workers,
            None,
        )
        .expect("in memory");
        assert_eq!(summary.lines, 600);
        assert_eq!(summary.rejected, 0);
        String::from_utf8(out).expect("UTF-8 output")
    };
    let one = run(1, Content::Trace(Explain::Full));
    assert_eq!(one, one_by_one(&loaded, "court.may_apply", &input));
    for workers in [2, 3, 8] {
        assert_eq!(run(workers, Content::Trace(Explain::Full)), one);
    }
    let answers = run(1, Content::AnswerOnly);
    assert_eq!(run(3, Content::AnswerOnly), answers);
    assert_eq!(answers.lines().count(), 600);
}

#[test]
fn seat_tables_and_brief_traces_are_written_as_before() {
    let loaded = zan::load::load_embedded();
    let rb = &loaded.rulebase;
    let names = [
        "Amanat",
        "Ak \\\"Zhol\\\"",
        "Auyl/é",
        "Back\\\\slash",
        "Қазақ",
        "P6",
        "P7",
    ];
    let mut input = String::new();
    for idx in 0..120usize {
        let votes: Vec<usize> = (0..(3 + idx % 5))
            .map(|p| 1_000 + (idx * 7_919 + p * 104_729) % 90_000)
            .collect();
        let lists: Vec<String> = votes
            .iter()
            .enumerate()
            .map(|(p, votes)| {
                format!(
                    "{{\"name\":\"{}\",\"votes\":{votes},\"registered\":\"1999-01-0{}\"}}",
                    names[p],
                    1 + p
                )
            })
            .collect();
        input.push_str(&format!(
            "{{\"as_of\":\"{}-03-19\",\"given\":{{\"mazhilis.parties\":[{}],\"mazhilis.votes_cast\":{}}}}}\n",
            2012 + idx % 12,
            lists.join(","),
            votes.iter().sum::<usize>() + idx * 100
        ));
    }
    let question = rb.lookup("mazhilis.seat_allocation").expect("question");
    for explain in [Explain::Full, Explain::Brief] {
        let job = Job {
            rulebase: rb,
            question,
            default_date: None,
            content: Content::Trace(explain),
            format: Format::Json,
            assumptions: &[],
            readings: &[],
        };
        let mut out = Vec::new();
        zan::batch::run(
            &job,
            std::io::Cursor::new(input.as_bytes()),
            &mut out,
            2,
            None,
        )
        .expect("in memory");
        let out = String::from_utf8(out).expect("UTF-8");
        assert!(
            out.contains("\"kind\":\"allocation\""),
            "seat tables are written"
        );
        assert_eq!(
            out,
            one_by_one_with(&loaded, "mazhilis.seat_allocation", &input, explain)
        );
    }
}

#[test]
fn strings_are_escaped_as_serde_json_escapes_them() {
    let mut text: String = (0u8..0x80).map(char::from).collect();
    text.push_str("é Қ \u{2028} \u{1F600}");
    let mut out = Vec::new();
    zan::render::json::escaped(&mut out, &text);
    assert_eq!(
        String::from_utf8(out).expect("UTF-8"),
        serde_json::to_string(&text).expect("serialize")
    );
}

#[test]
fn the_rulebase_checked_at_build_time_is_the_one_checked_at_run_time() {
    // Cold start: build.rs parses and checks the shipped rules and serializes the rulebase;
    // `load_embedded` reads it back. It must be exactly what parsing and checking the same
    // sources gives now, compared through the same serialization (every field, in order).
    assert!(
        zan::load::embedded_rulebase_built(),
        "the shipped rules check clean, so build.rs serialized their rulebase"
    );
    let built = zan::load::load_embedded();
    let now = zan::load::load_embedded_now();
    assert!(now.diagnostics.is_empty());
    assert!(built.diagnostics.is_empty());
    assert!(!built.rulebase.items.is_empty());
    assert_eq!(built.rulebase.digest, now.rulebase.digest);
    let bytes = |rulebase: &zan::rulebase::Rulebase| {
        postcard::to_allocvec(rulebase).expect("a rulebase serializes")
    };
    assert!(bytes(&built.rulebase) == bytes(&now.rulebase));
    // Spans read back point into the same sources: every item's span shows the same text.
    assert_eq!(built.sources.files().count(), now.sources.files().count());
    for (built_item, now_item) in built.rulebase.items.iter().zip(&now.rulebase.items) {
        assert_eq!(
            built.sources.snippet(built_item.span),
            now.sources.snippet(now_item.span)
        );
        assert_eq!(
            built.sources.location(built_item.span),
            now.sources.location(now_item.span)
        );
    }
    let threshold = built
        .rulebase
        .lookup("mazhilis.threshold")
        .expect("the shipped rules declare mazhilis.threshold");
    assert!(
        built
            .sources
            .snippet(built.rulebase.item(threshold).span)
            .contains("threshold")
    );
}

#[test]
fn the_digest_computed_at_build_time_is_the_digest_of_the_embedded_rules() {
    // Cold start: the embedded rules' digest is computed by build.rs, not at every start.
    let (now, built) = zan::load::embedded_digest_now();
    assert_eq!(now, built);
    assert_eq!(zan::load::load_embedded().rulebase.digest, built);
    // Rules read from disk are hashed the same way, so the shipped files give the same digest.
    let from_disk = zan::load::load_paths(&[std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/rules"
    ))])
    .expect("shipped rules");
    assert_eq!(from_disk.rulebase.digest, built);
}

#[test]
fn dates_read_fast_are_the_dates_chrono_reads() {
    // Fast JSON Lines reading reads plain-digit dates directly; it must agree with chrono's
    // `%Y-%m-%d` on every day, valid or not.
    let mut texts: Vec<String> = Vec::new();
    for year in [0, 1, 1900, 1999, 2000, 2023, 2024, 9999] {
        for month in 0..=13 {
            for day in [0, 1, 28, 29, 30, 31, 32] {
                texts.push(format!("{year:04}-{month:02}-{day:02}"));
            }
        }
    }
    // Shapes that only chrono reads (a sign, a space for a zero).
    texts.extend(["+123-01-01", "2023-01- 1", "2023- 1-01", "-123-01-01"].map(String::from));
    for text in &texts {
        assert_eq!(
            zan::facts::parse_date(text),
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
            "{text}"
        );
    }
}

#[test]
fn error_paths_inside_lists_of_records_are_unchanged() {
    // Paths are now written only when there is an error; they must read as before.
    let input = temp_file(
        "paths",
        concat!(
            "{\"as_of\":\"2023-03-19\",\"given\":{\"mazhilis.parties\":[{\"name\":\"A\",\"votes\":1,\"registered\":\"2000-01-01\"},{\"name\":\"B\",\"votes\":\"x\",\"registered\":\"2000-01-01\"}]}}\n",
            "{\"as_of\":\"2023-03-19\",\"given\":{\"mazhilis.parties\":[{\"name\":\"A\",\"votes\":1}]}}\n",
            "{\"as_of\":\"2023-03-19\",\"given\":{\"mazhilis.parties\":[{\"name\":\"A\",\"votes\":1,\"registered\":\"2000-01-01\",\"x\":1}]}}\n",
            "{\"as_of\":\"2023-03-19\",\"given\":{\"mazhilis.votes_cast\":-5}}\n",
        )
        .as_bytes(),
    );
    let run = zan(&[
        "--rules",
        THRESHOLD,
        "batch",
        "mazhilis.seat_allocation",
        "--input",
        input.to_str().expect("path"),
    ]);
    let errors: Vec<String> = json_lines(&run.stdout)
        .iter()
        .map(|line| {
            line["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(
        errors,
        [
            "at `$.given[\"mazhilis.parties\"][1].votes`: expected a whole number for type `count`, found the string \"x\"; write the number without quotes, e.g. 7000",
            "at `$.given[\"mazhilis.parties\"][0].registered`: missing field `registered`",
            "at `$.given[\"mazhilis.parties\"][0].x`: record `party_list` has no field `x`",
            "at `$.given[\"mazhilis.votes_cast\"]`: a count cannot be negative, found -5",
        ]
    );
}

#[test]
fn party_registrations_with_parameters_are_written_as_before() {
    // Parameter steps (the members required, in force on each date) come from the writer's
    // cache of dated values; they must read as one answer at a time renders them.
    let loaded = zan::load::load_embedded();
    let rb = &loaded.rulebase;
    let mut input = String::new();
    for idx in 0..300u32 {
        input.push_str(&format!(
            "{{\"as_of\":\"{}-{:02}-{:02}\",\"given\":{{\"party.members\":{},\"party.founders\":{},\"party.smallest_branch_members\":{},\"party.branches_in_all_regions\":{}}}}}\n",
            2012 + idx % 14,
            1 + idx % 12,
            1 + idx % 28,
            (idx * 7_919) % 45_000,
            500 + (idx * 31) % 1_500,
            100 + (idx * 17) % 700,
            idx % 7 != 0
        ));
    }
    let question = rb.lookup("party.may_register").expect("question");
    let job = Job {
        rulebase: rb,
        question,
        default_date: None,
        content: Content::Trace(Explain::Full),
        format: Format::Json,
        assumptions: &[],
        readings: &[],
    };
    let mut out = Vec::new();
    zan::batch::run(
        &job,
        std::io::Cursor::new(input.as_bytes()),
        &mut out,
        2,
        None,
    )
    .expect("in memory");
    let out = String::from_utf8(out).expect("UTF-8");
    assert!(out.contains("(parameter, "), "parameter steps are written");
    assert_eq!(out, one_by_one(&loaded, "party.may_register", &input));
}

/// The batch engine reads the common line in one pass (`src/batch/fastline.rs`) and every other
/// line with the full reader: either way, each line's answer is the one the full reader's facts
/// give, and each refused line's error is the full reader's.
#[test]
fn lines_read_in_one_pass_answer_and_fail_as_the_full_reader_does() {
    let loaded = zan::load::load_embedded();
    let rb = &loaded.rulebase;
    let parties = "mazhilis.seat_allocation";
    let court = "court.may_apply";
    let party = "party.may_register";
    for (question, line) in [
        // Read in one pass.
        (
            court,
            r#"{"as_of":"2019-02-01","given":{"court.applicant":"citizen","court.subject":"interpretation","court.deputies_signing":0,"court.act_affects_rights":false}}"#,
        ),
        (
            party,
            r#" { "given" : { "party.members" : 40002 , "party.branches_in_all_regions" : true } , "as_of" : "2016-08-18" } "#,
        ),
        (
            parties,
            r#"{"as_of":"2023-01-01","given":{"mazhilis.parties":[{"name":"Adal","votes":714667,"registered":"1999-01-02"},{"registered":"1999-01-03","votes":20,"name":"Ақ жол"}],"mazhilis.votes_cast":714687}}"#,
        ),
        (
            parties,
            r#"{"as_of":"2023-01-01","given":{"mazhilis.parties":[]}}"#,
        ),
        (party, r#"{"as_of":"2023-01-01"}"#),
        // Left to the full reader: answered.
        (party, r#"{"as_of":"2019\u002d02-01","given":{}}"#),
        (
            parties,
            r#"{"as_of":"2023-01-01","given":{"mazhilis.parties":[{"name":"A\u0042","votes":1,"registered":"1999-01-01"}]}}"#,
        ),
        // Left to the full reader: refused.
        (
            party,
            r#"{"given":{"party.members":-5},"as_of":"2023-01-01"}"#,
        ),
        (party, r#"{"as_of":"2019-02-01","as_of":"2019-02-02"}"#),
        (party, r#"{"as_of":"2019-02-31"}"#),
        (
            party,
            r#"{"as_of":"2019-02-01","given":{"party.members":40002,"party.members":40003}}"#,
        ),
        (
            party,
            r#"{"as_of":"2019-02-01","given":{"party.members":4e4}}"#,
        ),
        (
            party,
            r#"{"as_of":"2019-02-01","given":{"party.members":40000.0}}"#,
        ),
        (
            party,
            r#"{"as_of":"2019-02-01","given":{"party.members":040000}}"#,
        ),
        (
            party,
            r#"{"as_of":"2019-02-01","given":{"party.members":99999999999999999999}}"#,
        ),
        (
            party,
            r#"{"as_of":"2019-02-01","given":{"party.members":"40000"}}"#,
        ),
        (
            party,
            r#"{"as_of":"2019-02-01","given":{"party.member":40000}}"#,
        ),
        (
            party,
            r#"{"as_of":"2019-02-01","given":{"party.may_register":true}}"#,
        ),
        (
            court,
            r#"{"as_of":"2019-02-01","given":{"court.applicant":"nobody"}}"#,
        ),
        (
            court,
            r#"{"as_of":"2019-02-01","given":{"court.act_affects_rights":1}}"#,
        ),
        (
            parties,
            r#"{"as_of":"2019-02-01","given":{"mazhilis.parties":[{"name":"A","votes":1}]}}"#,
        ),
        (
            parties,
            r#"{"as_of":"2019-02-01","given":{"mazhilis.parties":[{"name":"A","votes":1,"registered":"1999-01-01","seats":2}]}}"#,
        ),
        (
            parties,
            r#"{"as_of":"2019-02-01","given":{"mazhilis.parties":[{"name":"A","name":"B","votes":1,"registered":"1999-01-01"}]}}"#,
        ),
        (
            parties,
            r#"{"as_of":"2019-02-01","given":{"mazhilis.parties":[{"name":"A\tB","votes":1,"registered":"1999-01-01"}]}}"#,
        ),
        (
            parties,
            "{\"as_of\":\"2019-02-01\",\"given\":{\"mazhilis.parties\":[{\"name\":\"A\u{85}B\",\"votes\":1,\"registered\":\"1999-01-01\"}]}}",
        ),
        (party, r#"{"as_of":"2019-02-01","given":{}} x"#),
        (party, r#"{"as_of":"2019-02-01","given":{},}"#),
        (
            party,
            r#"{"as_of":"2019-02-01","given":{"party.members":1,}}"#,
        ),
        (
            party,
            r#"{"as_of":"2019-02-01","given":{"party.members":1}"#,
        ),
        (party, r#"[]"#),
    ] {
        let job = Job {
            rulebase: rb,
            question: rb.lookup(question).expect("question"),
            default_date: None,
            content: Content::Trace(Explain::Full),
            format: Format::Json,
            assumptions: &[],
            readings: &[],
        };
        let mut out = Vec::new();
        zan::batch::run(
            &job,
            std::io::Cursor::new(line.as_bytes()),
            &mut out,
            1,
            None,
        )
        .expect("in memory");
        let out = String::from_utf8(out).expect("UTF-8 output");
        match zan::facts::from_json_line(rb, line) {
            Ok((facts, others)) => {
                assert!(others.is_empty() && facts.as_of.is_some(), "{line}");
                assert_eq!(out, one_by_one(&loaded, question, line), "{line}");
            }
            Err(error) => {
                let written: serde_json::Value = serde_json::from_str(&out).expect("JSON line");
                assert_eq!(written["error"]["message"], error.to_string(), "{line}");
            }
        }
    }
}
