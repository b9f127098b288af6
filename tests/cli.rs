//! The real binary, run as a user would: every command and every exit code.

use crate::common::zan;
use std::path::Path;

const RULES: &str = "fixtures/traces/threshold.zan";

#[test]
fn check_exit_codes() {
    let ok = zan(&["check", RULES]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stdout.contains("0 error(s)"));
    let broken = zan(&["check", "fixtures/parse/err/two_errors_recovered.zan"]);
    insta::assert_snapshot!(
        "check_two_errors",
        format!(
            "----- zan check fixtures/parse/err/two_errors_recovered.zan (exit {})\n{}",
            broken.code, broken.stderr
        )
    );
    for bad in [
        "fixtures/check/err/type_mismatch.zan",
        "fixtures/check/err/missing_citation.zan",
        "fixtures/check/err/overlapping_values.zan",
        "fixtures/parse/err/missing_then.zan",
    ] {
        let run = zan(&["check", bad]);
        assert_eq!(run.code, 2, "{bad}");
        assert!(
            run.stderr.contains(&format!("{bad}:")),
            "{bad}: {}",
            run.stderr
        );
    }
    let missing = zan(&["check", "no/such/file.zan"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("cannot read"));
}

#[test]
fn ask_in_three_formats() {
    let base = [
        "--rules",
        RULES,
        "ask",
        "mazhilis.passes_threshold",
        "--as-of",
        "2023-03-19",
        "--given",
        "mazhilis.party_vote_share=5.29%",
    ];
    let text = zan(&base);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout
            .starts_with("mazhilis.passes_threshold = true   as of 2023-03-19")
    );
    assert!(
        text.stdout
            .contains("5.29% >= 5% is true: met with 0.29 percentage points to spare")
    );
    let mut json_args = base.to_vec();
    json_args.extend(["--format", "json"]);
    let json = zan(&json_args);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("one JSON object");
    assert_eq!(value["status"], "answered");
    assert_eq!(value["answer"], true);
    assert_eq!(value["as_of"], "2023-03-19");
    assert!(
        value["receipt"]["rules_sha256"]
            .as_str()
            .is_some_and(|s| s.len() == 64)
    );
    let mut md_args = base.to_vec();
    md_args.extend(["--format", "markdown"]);
    let markdown = zan(&md_args);
    assert!(markdown.stdout.contains("**Answer: true**"));
}

#[test]
fn ask_with_json_facts_file() {
    let dir = std::env::temp_dir().join(format!("zan-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let facts = dir.join("facts.json");
    std::fs::write(
        &facts,
        r#"{"as_of": "2023-03-19", "given": {"mazhilis.party_vote_share": "4.99%"}}"#,
    )
    .expect("write");
    let run = zan(&[
        "--rules",
        RULES,
        "ask",
        "mazhilis.passes_threshold",
        "--facts",
        facts.to_str().expect("path"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("mazhilis.passes_threshold = false"));
    std::fs::write(
        &facts,
        r#"{"as_of": "2023-03-19", "given": {"mazhilis.party_vote_share": 5}}"#,
    )
    .expect("write");
    let bad = zan(&[
        "--rules",
        RULES,
        "ask",
        "mazhilis.passes_threshold",
        "--facts",
        facts.to_str().expect("path"),
    ]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("expected an exact percentage string"),
        "{}",
        bad.stderr
    );
}

#[test]
fn ask_usage_errors_exit_2() {
    let unknown = zan(&[
        "--rules",
        RULES,
        "ask",
        "mazhilis.passes_treshold",
        "--as-of",
        "2023-01-01",
    ]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("did you mean `mazhilis.passes_threshold`?"),
        "{}",
        unknown.stderr
    );
    let no_date = zan(&["--rules", RULES, "ask", "mazhilis.passes_threshold"]);
    assert_eq!(no_date.code, 2);
    assert!(no_date.stderr.contains("--as-of"));
    let bad_date = zan(&[
        "--rules",
        RULES,
        "ask",
        "mazhilis.passes_threshold",
        "--as-of",
        "2023-02-30",
    ]);
    assert_eq!(bad_date.code, 2);
    let over = zan(&[
        "--rules",
        RULES,
        "ask",
        "mazhilis.passes_threshold",
        "--as-of",
        "2023-01-01",
        "--given",
        "mazhilis.party_vote_share=120%",
    ]);
    assert_eq!(over.code, 2);
    assert!(
        over.stderr.contains("between 0% and 100%"),
        "{}",
        over.stderr
    );
    let bad_flag = zan(&["ask", "--no-such-flag"]);
    assert_eq!(bad_flag.code, 2);
}

#[test]
fn run_passes_and_fails() {
    let dir = std::env::temp_dir().join(format!("zan-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let passing = dir.join("passing.zan");
    std::fs::write(
        &passing,
        "scenario \"7% passes in 2020\" as of 2020-01-01\n  given mazhilis.party_vote_share = 7%\n  expect mazhilis.passes_threshold = true by reaches_threshold citing \"Art. 97-1(1)\"\n",
    )
    .expect("write");
    let run = zan(&["--rules", RULES, "run", passing.to_str().expect("path")]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.ends_with("1 passed, 0 failed\n"));
    let failing = dir.join("failing.zan");
    std::fs::write(
        &failing,
        "scenario \"wrong on purpose\" as of 2020-01-01\n  given mazhilis.party_vote_share = 6%\n  expect mazhilis.passes_threshold = true\n",
    )
    .expect("write");
    let run = zan(&[
        "--rules",
        RULES,
        "run",
        passing.to_str().expect("path"),
        failing.to_str().expect("path"),
    ]);
    assert_eq!(run.code, 1);
    let shown = run.stdout.replace(&dir.display().to_string(), "<dir>");
    insta::assert_snapshot!("run_with_a_failure", shown);
    assert!(
        run.stdout.contains("expected true, found false"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with("1 passed, 1 failed\n"));
    let broken = dir.join("broken.zan");
    std::fs::write(&broken, "scenario \"broken\" as of 2020-13-01\n").expect("write");
    let run = zan(&["--rules", RULES, "run", broken.to_str().expect("path")]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("invalid date `2020-13-01`"),
        "{}",
        run.stderr
    );
}

#[test]
fn shipped_rules_are_embedded() {
    assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules").is_dir());
    let run = zan(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn facts_files_are_bounded_and_checked() {
    // See: issue "Hostile input" — a facts file is read with the same limit as rules files.
    let dir = std::env::temp_dir().join(format!("zan-facts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let not_utf8 = dir.join("latin1.json");
    std::fs::write(
        &not_utf8,
        b"{\"as_of\": \"2023-01-01\", \"given\": {}}\n\xe9",
    )
    .expect("write");
    let run = zan(&[
        "--rules",
        RULES,
        "ask",
        "mazhilis.threshold",
        "--facts",
        not_utf8.to_str().expect("path"),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("latin1.json:2:1"), "{}", run.stderr);
    if Path::new("/dev/zero").exists() {
        let endless = zan(&[
            "--rules",
            RULES,
            "ask",
            "mazhilis.threshold",
            "--facts",
            "/dev/zero",
        ]);
        assert_eq!(endless.code, 2);
        assert!(endless.stderr.contains("too large"), "{}", endless.stderr);
    }
}

#[cfg(unix)]
#[test]
fn a_directory_link_loop_loads_each_file_once() {
    let dir = std::env::temp_dir().join(format!("zan-loop-{}", std::process::id()));
    let inner = dir.join("rules");
    std::fs::create_dir_all(&inner).expect("temp dir");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(RULES),
        inner.join("threshold.zan"),
    )
    .expect("copy");
    let link = inner.join("back");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&dir, &link).expect("symlink");
    let run = zan(&["check", dir.to_str().expect("path")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("checked 1 file(s)"),
        "{}",
        run.stdout
    );
}

#[test]
fn evaluation_errors_show_the_rule() {
    let run = zan(&[
        "--rules",
        RULES,
        "ask",
        "mazhilis.seat_allocation",
        "--as-of",
        "2023-03-19",
        "--given",
        "mazhilis.parties=[{name: \"A\", votes: 0, registered: 2000-01-01}]",
        "--given",
        "mazhilis.votes_cast=0",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("fixtures/traces/threshold.zan:23:10"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("^^^"), "{}", run.stderr);
}

// See: issue 10, item 7 (--format everywhere it is accepted).
#[test]
fn run_reports_as_json_and_junit_and_quietly() {
    let dir = std::env::temp_dir().join(format!("zan-run-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let scenarios = dir.join("threshold & co.zan");
    // 7% passes the 7% threshold of 2020 (Art. 97-1(1)); 6% does not, so the second fails.
    std::fs::write(
        &scenarios,
        "scenario \"7% passes in 2020\" as of 2020-01-01\n  given mazhilis.party_vote_share = 7%\n  expect mazhilis.passes_threshold = true by reaches_threshold\n\nscenario \"6% <on purpose>\" as of 2020-01-01\n  given mazhilis.party_vote_share = 6%\n  expect mazhilis.passes_threshold = true\n",
    )
    .expect("write");
    let path = scenarios.to_str().expect("path");

    let json = zan(&["--rules", RULES, "run", path, "--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("json report");
    assert_eq!(report["passed"], 1);
    assert_eq!(report["failed"], 1);
    let scenarios_run = report["scenarios"].as_array().expect("scenarios");
    assert_eq!(scenarios_run.len(), 2);
    assert_eq!(scenarios_run[0]["passed"], true);
    assert_eq!(
        scenarios_run[0]["expectations"][0]["decided_by"],
        serde_json::json!(["reaches_threshold"])
    );
    let failed = &scenarios_run[1]["expectations"][0];
    assert_eq!(failed["question"], "mazhilis.passes_threshold");
    assert_eq!(failed["expected"]["answer"], true);
    assert_eq!(failed["answer"], false);
    assert_eq!(failed["failures"][0], "expected true, found false");
    assert!(
        scenarios_run[1]["location"]
            .as_str()
            .expect("location")
            .ends_with(":5:1")
    );

    let junit = zan(&["--rules", RULES, "run", path, "--format", "junit"]);
    assert_eq!(junit.code, 1);
    let xml = junit.stdout.replace(&dir.display().to_string(), "<dir>");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"zan\" tests=\"2\" failures=\"1\" errors=\"0\">\n"));
    // Names are escaped: `&` and `<...>` in the file name and the title.
    assert!(xml.contains("<testsuite name=\"<dir>/threshold &amp; co.zan\" tests=\"2\" failures=\"1\" errors=\"0\">"), "{xml}");
    assert!(xml.contains("name=\"6% &lt;on purpose&gt; (as of 2020-01-01)\""));
    assert!(
        xml.contains("<failure message=\"mazhilis.passes_threshold: expected true, found false\">")
    );
    assert!(xml.ends_with("</testsuites>\n"));
    insta::assert_snapshot!("run_junit", xml);

    let quiet = zan(&["--rules", RULES, "run", "-q", path]);
    assert_eq!(quiet.code, 1);
    assert!(!quiet.stdout.contains("ok  "), "{}", quiet.stdout);
    assert!(quiet.stdout.starts_with("FAIL "));
    assert!(quiet.stdout.ends_with("1 passed, 1 failed\n"));
    let all_pass = zan(&["run", "-q", "fixtures/scenarios/parties"]);
    assert_eq!(all_pass.code, 0, "{}", all_pass.stderr);
    assert_eq!(all_pass.stdout.lines().count(), 1, "{}", all_pass.stdout);

    let markdown = zan(&["--rules", RULES, "run", path, "--format", "markdown"]);
    assert_eq!(markdown.code, 2);
    assert!(
        markdown
            .stderr
            .contains("`zan run` does not print --format markdown")
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn check_reports_diagnostics_as_json() {
    let clean = zan(&["check", "--format", "json"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    let report: serde_json::Value = serde_json::from_str(&clean.stdout).expect("json");
    assert_eq!(report["ok"], true);
    assert_eq!(report["errors"], 0);
    assert_eq!(report["files"], 9);

    let markdown = zan(&["check", "--format", "markdown"]);
    assert_eq!(markdown.code, 2);
    assert!(
        markdown
            .stderr
            .contains("`zan check` does not print --format markdown: expected one of text, json")
    );

    let dir = std::env::temp_dir().join(format!("zan-check-json-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join("bad.zan");
    std::fs::write(
        &bad,
        "area a \"A\" covers 2020-01-01 ..\nact law \"Law\"\nparam a.x : int \"X\"\n  value 5 from 2020-02-30 cite law \"Art. 1\"\n",
    )
    .expect("write");
    let run = zan(&["check", bad.to_str().expect("path"), "--format", "json"]);
    assert_eq!(run.code, 2);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(report["ok"], false);
    let first = &report["diagnostics"][0];
    assert_eq!(first["severity"], "error");
    // No such day: the invalid-date code of docs/errors.md.
    assert_eq!(first["code"], "E0105");
    assert!(
        first["message"]
            .as_str()
            .expect("message")
            .contains("2020-02-30"),
        "{first}"
    );
    assert_eq!(first["at"]["line"], 4);
    assert!(
        first["at"]["file"]
            .as_str()
            .expect("file")
            .ends_with("bad.zan")
    );
    let _ = std::fs::remove_dir_all(dir);
}
