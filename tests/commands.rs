//! The analyst's commands, run through the real binary: who, batch, diff, fmt, completions,
//! run --filter, help. Outputs are snapshotted; each was read before it was accepted.

use crate::common::zan;
use std::path::{Path, PathBuf};

/// Replaces the rules digest, which changes with every edit of the rules, by `<digest>`.
fn stable(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        match line.find("rules sha256 ") {
            Some(idx) => {
                out.push_str(&line[..idx]);
                out.push_str("rules sha256 <digest>\n");
            }
            None => out.push_str(line),
        }
    }
    out
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zan-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

const STANDING: &str = "fixtures/cli/standing.zan";
const THRESHOLD: &str = "fixtures/traces/threshold.zan";

#[test]
fn who_may_apply() {
    // As of 2023-03-01 on a normative act in force: the Prosecutor General may (Art. 72(4));
    // the President and the Senate Chair may not (their Art. 72(1) subject is a law before
    // signature); a citizen needs the judgment of Art. 72(3).
    let run = zan(&[
        "--rules",
        STANDING,
        "who",
        "court.may_apply",
        "--over",
        "court.applicant",
        "--as-of",
        "2023-03-01",
        "--given",
        "court.subject=normative_act_in_force",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("prosecutor_general  true"));
    assert!(run.stdout.contains("citizen             needs_judgment"));
    insta::assert_snapshot!(
        "who_text",
        format!(
            "----- zan who court.may_apply --over court.applicant --as-of 2023-03-01 --given court.subject=normative_act_in_force\n{}",
            stable(&run.stdout)
        )
    );
    // The day before, the Prosecutor General's and citizens' rules were not yet in force.
    let before = zan(&[
        "--rules",
        STANDING,
        "who",
        "court.may_apply",
        "--over",
        "court.applicant",
        "--as-of",
        "2022-12-31",
        "--given",
        "court.subject=normative_act_in_force",
        "--format",
        "json",
    ]);
    let rows: serde_json::Value = serde_json::from_str(&before.stdout).expect("json array");
    let answers: Vec<(String, serde_json::Value)> = rows
        .as_array()
        .expect("array")
        .iter()
        .map(|row| {
            (
                row["over"]["court.applicant"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                row["answer"].clone(),
            )
        })
        .collect();
    assert_eq!(answers.len(), 4);
    assert!(
        answers
            .iter()
            .all(|(_, answer)| *answer == serde_json::Value::Bool(false)),
        "{answers:?}"
    );
    let not_enum = zan(&[
        "--rules",
        THRESHOLD,
        "who",
        "mazhilis.passes_threshold",
        "--over",
        "mazhilis.party_vote_share",
        "--as-of",
        "2023-03-01",
    ]);
    assert_eq!(not_enum.code, 2);
    assert!(not_enum.stderr.contains("not an enumeration"));
}

#[test]
fn batch_answers_in_order_and_survives_bad_lines() {
    let dir = temp_dir("batch");
    let input = dir.join("input.jsonl");
    std::fs::write(
        &input,
        concat!(
            "{\"as_of\": \"2020-01-01\", \"given\": {\"mazhilis.party_vote_share\": \"7%\"}}\n",
            "this is not json\n",
            "\n",
            "{\"as_of\": \"2023-03-19\", \"given\": {\"mazhilis.party_vote_share\": \"4.99%\"}}\n",
            "{\"as_of\": \"2023-03-19\", \"given\": {\"mazhilis.party_vote_shar\": \"6%\"}}\n",
            "{\"given\": {\"mazhilis.party_vote_share\": \"6%\"}}\n",
            "{\"as_of\": \"2023-03-19\", \"given\": {\"mazhilis.party_vote_share\": \"6%\", \"mazhilis.party_vote_share\": \"2%\"}}\n",
        ),
    )
    .expect("write");
    let run = zan(&[
        "--rules",
        THRESHOLD,
        "batch",
        "mazhilis.passes_threshold",
        "--input",
        input.to_str().expect("path"),
    ]);
    // Some lines were rejected: exit 1, after every other line was answered.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[0]["answer"], true);
    assert_eq!(lines[1]["line"], 2);
    assert!(
        lines[1]["error"]
            .as_str()
            .is_some_and(|e| e.contains("invalid JSON"))
    );
    assert_eq!(lines[2]["line"], 4);
    assert_eq!(lines[2]["answer"], false);
    assert!(
        lines[3]["error"]
            .as_str()
            .is_some_and(|e| e.contains("did you mean `mazhilis.party_vote_share`?"))
    );
    assert!(
        lines[4]["error"]
            .as_str()
            .is_some_and(|e| e.contains("no date"))
    );
    assert!(
        lines[5]["error"]
            .as_str()
            .is_some_and(|e| e.contains("duplicate key"))
    );
    assert!(
        run.stderr
            .contains("batch: 6 line(s): 2 answered, 0 unknown, 0 needs_judgment, 0 not_covered, 0 conflict, 4 error(s)"),
        "{}",
        run.stderr
    );
    let errors: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l.get("error").is_some()).collect();
    insta::assert_snapshot!(
        "batch_errors",
        errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // --output replaces the file whole; --as-of dates lines without one.
    let output = dir.join("answers.jsonl");
    let run = zan(&[
        "--rules",
        THRESHOLD,
        "batch",
        "mazhilis.passes_threshold",
        "--input",
        input.to_str().expect("path"),
        "--output",
        output.to_str().expect("path"),
        "--as-of",
        "2023-03-19",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    let written = std::fs::read_to_string(&output).expect("output written");
    assert_eq!(written.lines().count(), 6);
    assert!(run.stderr.contains("3 answered"), "{}", run.stderr);
}

#[test]
fn batch_is_the_same_in_parallel() {
    // A batch large enough to be split across threads gives the same lines, in input order.
    let dir = temp_dir("batch-parallel");
    let input = dir.join("input.jsonl");
    let mut text = String::new();
    for idx in 0..600 {
        let share = idx % 11;
        text.push_str(&format!("{{\"as_of\": \"2023-03-19\", \"given\": {{\"mazhilis.party_vote_share\": \"{share}%\"}}}}\n"));
    }
    std::fs::write(&input, text).expect("write");
    let run = zan(&[
        "--rules",
        THRESHOLD,
        "batch",
        "mazhilis.passes_threshold",
        "--input",
        input.to_str().expect("path"),
    ]);
    assert_eq!(run.code, 0);
    for (idx, line) in run.stdout.lines().enumerate() {
        let value: serde_json::Value = serde_json::from_str(line).expect("json");
        assert_eq!(value["line"], idx + 1);
        assert_eq!(
            value["answer"],
            serde_json::Value::Bool(idx % 11 >= 5),
            "line {}",
            idx + 1
        );
    }
}

#[test]
fn diff_shows_old_and_new_with_the_act() {
    let run = zan(&[
        "--rules",
        THRESHOLD,
        "diff",
        "--from",
        "2020-01-01",
        "--to",
        "2023-06-01",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("mazhilis.threshold: 7% -> 5%"));
    assert!(
        run.stdout
            .contains("Constitutional Law of 24.05.2021 No. 41-VII, Art. 2 (secondary)")
    );
    insta::assert_snapshot!(
        "diff_text",
        format!(
            "----- zan diff --from 2020-01-01 --to 2023-06-01\n{}",
            run.stdout
        )
    );
    let none = zan(&[
        "--rules",
        THRESHOLD,
        "diff",
        "--from",
        "2022-01-01",
        "--to",
        "2023-06-01",
    ]);
    assert!(
        none.stdout
            .starts_with("changes in the encoded law between 2022-01-01 and 2023-06-01: 0")
    );
    let json = zan(&[
        "--rules",
        STANDING,
        "diff",
        "--from",
        "2022-12-31",
        "--to",
        "2023-01-01",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let added: Vec<&str> = value["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["kind"] == "rule_added")
        .filter_map(|c| c["rule"].as_str())
        .collect();
    assert_eq!(added, vec!["prosecutor_general", "citizens"]);
    let bad = zan(&["diff", "--from", "2023-02-30", "--to", "2023-03-01"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn fmt_check_and_rewrite() {
    let dir = temp_dir("fmt");
    let file = dir.join("messy.zan");
    let messy = "area   a \"A\" covers 2000-01-01 ..   # the area\nact law \"Law\"\nquestion a.q : bool \"Q?\"\notherwise false\nrule r\nwhen true\nthen true cite law \"Art. 1\"\n\n\n";
    std::fs::write(&file, messy).expect("write");
    let check = zan(&["fmt", "--check", file.to_str().expect("path")]);
    assert_eq!(check.code, 1);
    assert!(check.stdout.contains("would reformat"));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        messy,
        "--check must not write"
    );
    let write = zan(&["fmt", file.to_str().expect("path")]);
    assert_eq!(write.code, 0);
    let formatted = std::fs::read_to_string(&file).expect("read");
    insta::assert_snapshot!("fmt_messy", formatted);
    assert_eq!(
        zan(&["fmt", "--check", file.to_str().expect("path")]).code,
        0
    );
    assert_eq!(
        zan(&["check", file.to_str().expect("path")]).code,
        0,
        "formatting keeps the meaning"
    );
}

#[test]
fn fmt_is_idempotent_on_every_shipped_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files =
        zan::load::collect_files(&[root.join("rules"), root.join("fixtures")]).expect("files");
    assert!(files.len() > 20);
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if text
            .lines()
            .next()
            .is_some_and(|l| l.contains("zan-fmt: skip"))
        {
            continue;
        }
        let once = zan::fmt::format(&text);
        assert_eq!(
            zan::fmt::format(&once),
            once,
            "{} is not formatted idempotently",
            path.display()
        );
        assert_eq!(
            once,
            text,
            "{} is not formatted: run `zan fmt`",
            path.display()
        );
    }
}

#[test]
fn run_filter_and_completions_and_help() {
    let dir = temp_dir("filter");
    let file = dir.join("two.zan");
    std::fs::write(
        &file,
        "scenario \"alpha 7% passes in 2020\" as of 2020-01-01\n  given mazhilis.party_vote_share = 7%\n  expect mazhilis.passes_threshold = true\n\nscenario \"beta fails on purpose\" as of 2020-01-01\n  given mazhilis.party_vote_share = 6%\n  expect mazhilis.passes_threshold = true by reaches_threshold\n",
    )
    .expect("write");
    let all = zan(&["--rules", THRESHOLD, "run", file.to_str().expect("path")]);
    assert_eq!(all.code, 1);
    assert!(all.stdout.contains("expected the answer to be decided by `reaches_threshold`, but it was decided by `default`"), "{}", all.stdout);
    let filtered = zan(&[
        "--rules",
        THRESHOLD,
        "run",
        file.to_str().expect("path"),
        "--filter",
        "alpha",
    ]);
    assert_eq!(filtered.code, 0);
    assert!(filtered.stdout.ends_with("1 passed, 0 failed\n"));
    for shell in ["bash", "zsh", "fish"] {
        let run = zan(&["completions", shell]);
        assert_eq!(run.code, 0);
        assert!(
            run.stdout.contains("batch") && run.stdout.contains("who"),
            "{shell}"
        );
    }
    for command in [
        "check",
        "ask",
        "who",
        "run",
        "batch",
        "diff",
        "fmt",
        "completions",
    ] {
        let help = zan(&[command, "--help"]);
        assert_eq!(help.code, 0);
        assert!(
            help.stdout.contains("Examples:"),
            "`zan {command} --help` has no examples"
        );
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = zan(&[
        "--rules",
        THRESHOLD,
        "ask",
        "mazhilis.threshold",
        "--as-of",
        "2020-01-01",
    ]);
    assert!(!plain.stdout.contains('\u{1b}'));
    let coloured = zan(&[
        "--rules",
        THRESHOLD,
        "--color",
        "always",
        "ask",
        "mazhilis.threshold",
        "--as-of",
        "2020-01-01",
    ]);
    assert!(
        coloured
            .stdout
            .starts_with("\u{1b}[1;32mmazhilis.threshold = 7%")
    );
}
