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
    let table: serde_json::Value = serde_json::from_str(&before.stdout).expect("json object");
    // An object like `ask`'s: the question, the input gone through, the date, one row per value.
    assert_eq!(table["question"], "court.may_apply");
    assert_eq!(table["over"], "court.applicant");
    assert_eq!(table["as_of"], "2022-12-31");
    assert!(table["receipt"]["rules_sha256"].is_string());
    let answers: Vec<(String, serde_json::Value)> = table["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            (
                row["value"].as_str().unwrap_or_default().to_string(),
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
        lines[1]["error"]["message"]
            .as_str()
            .is_some_and(|e| e.contains("invalid JSON"))
    );
    assert_eq!(lines[2]["line"], 4);
    assert_eq!(lines[2]["answer"], false);
    assert!(
        lines[3]["error"]["message"]
            .as_str()
            .is_some_and(|e| e.contains("did you mean `mazhilis.party_vote_share`?"))
    );
    assert!(
        lines[4]["error"]["message"]
            .as_str()
            .is_some_and(|e| e.contains("no date"))
    );
    assert!(
        lines[5]["error"]["message"]
            .as_str()
            .is_some_and(|e| e.contains("duplicate key"))
    );
    assert!(
        run.stderr
            .contains("batch: 6 line(s): 2 answered, 0 unknown, 0 needs_judgment, 0 not_covered, 0 conflict, 0 contested, 4 error(s)"),
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
    // 7% -> 5% by Constitutional Law No. 41-VII, on a day of 2021-06-05 .. 2021-06-20.
    assert!(run.stdout.contains(
        "a day between 2021-06-05 and 2021-06-20 (not established): law_41_vii, Constitutional Law of 24.05.2021 No. 41-VII\n  mazhilis.threshold: 7% -> 5%  [elections_law Art. 97-1(1); law_41_vii Art. 2 (secondary)]\n"
    ), "{}", run.stdout);
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
    assert_eq!(
        none.stdout,
        "changes in the encoded law after 2022-01-01 up to 2023-06-01: 0 change(s), 0 act(s)\n"
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
    assert!(bad.stderr.contains("invalid date `2023-02-30` for --from"));
    let backwards = zan(&["diff", "--from", "2023-03-01", "--to", "2023-01-01"]);
    assert_eq!(backwards.code, 2);
    assert!(
        backwards
            .stderr
            .contains("--from 2023-03-01 is after --to 2023-01-01")
    );
}

// See: issue 10, item 5 (diff as legislative history).
#[test]
fn diff_is_the_legislative_history_between_the_dates() {
    // party.members_required: 40,000 (122-IV, 2009), 20,000 (336-VI, signed 25.05.2020: a day
    // between 2020-06-04 and 2020-07-05, the Law on Legal Acts' 30-day publication limit), 5,000
    // (157-VII, signed 05.11.2022: a day between 2022-11-15 and 2022-11-28, the Baytaq
    // registration under the new minima): every step,
    // in date order, each under its act and with its window.
    let run = zan(&[
        "diff",
        "--from",
        "2009-01-01",
        "--to",
        "2023-06-01",
        "--area",
        "parties",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let members: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("party.members_required:"))
        .collect();
    assert_eq!(members.len(), 2, "{}", run.stdout);
    assert!(
        members[0]
            .trim_start()
            .starts_with("party.members_required: 40,000 -> 20,000")
    );
    assert!(
        members[1]
            .trim_start()
            .starts_with("party.members_required: 20,000 -> 5,000")
    );
    let at_336 = run
        .stdout
        .find("a day between 2020-06-04 and 2020-07-05 (not established): law_336_vi")
        .expect("336-VI heading");
    let at_157 = run
        .stdout
        .find("a day between 2022-11-15 and 2022-11-28 (not established): law_157_vii")
        .expect("157-VII heading");
    assert!(at_336 < at_157);
    // The area's start is one line, not one per rule and value.
    assert!(run.stdout.contains("2009-02-06\n  area `parties` (Founding and registration of political parties) begins: its questions are answered from this day\n\n"));
    // The branch minimum was restated by 336-VI (600 both sides) and cut by 157-VII.
    assert!(
        run.stdout
            .contains("party.branch_members_required: 600, restated (the value is unchanged)")
    );
    assert!(
        run.stdout
            .contains("party.branch_members_required: 600 -> 200")
    );
    insta::assert_snapshot!(
        "diff_parties_history",
        format!(
            "----- zan diff --from 2009-01-01 --to 2023-06-01 --area parties\n{}",
            run.stdout
        )
    );

    // --name: one item, or every item whose name begins with it.
    let one = zan(&[
        "diff",
        "--from",
        "2009-01-01",
        "--to",
        "2023-06-01",
        "--name",
        "party.members_required",
    ]);
    assert!(
        one.stdout.starts_with(
            "changes in the encoded law after 2009-01-01 up to 2023-06-01: 2 change(s), 2 act(s)\n"
        ),
        "{}",
        one.stdout
    );
    let unknown = zan(&[
        "diff",
        "--from",
        "2009-01-01",
        "--to",
        "2023-06-01",
        "--name",
        "party.membres",
    ]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean"),
        "{}",
        unknown.stderr
    );

    // A constitution replaced: the 1995 rules that end and the 2026 rules that begin on
    // 2026-07-01 are one group, under the act that begins.
    let court = zan(&[
        "diff",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--area",
        "court",
        "--format",
        "json",
    ]);
    let document: serde_json::Value = serde_json::from_str(&court.stdout).expect("json");
    let changes = document["changes"].as_array().expect("changes");
    assert!(!changes.is_empty());
    // Every court change of 2026 is on 2026-07-01: the 2026 Constitution, and the 305-VIII
    // wording of CL 153-VII that took effect with it.
    assert!(changes.iter().all(|c| c["date"] == "2026-07-01"));
    assert!(changes.iter().any(|c| c["kind"] == "rule_removed"
        && c["rule"] == "citizen_appeal"
        && c["act"] == "constitution_2026"));
    assert!(
        changes
            .iter()
            .any(|c| c["kind"] == "rule_added" && c["rule"] == "citizen_appeal_2026")
    );

    let markdown = zan(&[
        "diff",
        "--from",
        "2022-01-01",
        "--to",
        "2023-06-01",
        "--name",
        "party.",
        "--format",
        "markdown",
    ]);
    assert!(
        markdown.stdout.contains(
            "- party.members_required: 20,000 -> 5,000 (party_law Art. 10(6) (same wording in the editions of 01.01.2023 to 11.06.2026); law_157_vii footnote to Art. 10; journal_a3 p. 38 (secondary); law_157_vii entry into force:"
        ),
        "{}",
        markdown.stdout
    );

    let help = zan(&["diff", "--help"]);
    assert!(
        help.stdout
            .contains("--from <DATE>\n          The day before the period")
    );
    assert!(
        help.stdout
            .contains("--to <DATE>\n          The last day of the period")
    );
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
    // --check shows what would change as a unified diff: the one-line rule broken up.
    assert!(
        check
            .stdout
            .contains(&format!("--- {}\n+++ {}\n", file.display(), file.display())),
        "{}",
        check.stdout
    );
    assert!(
        check.stdout.contains("-then true cite law \"Art. 1\"\n"),
        "{}",
        check.stdout
    );
    assert!(
        check
            .stdout
            .contains("+    then true\n+    cite law \"Art. 1\"\n"),
        "{}",
        check.stdout
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

    // See: issue 10, item 9. A file that does not parse is refused, untouched, exit 2; the
    // other files are still formatted.
    let broken = dir.join("broken.zan");
    let broken_text = "question a.q : bool \"Q?\"\n   rule r   when true   cite law \"Art. 1\"\n";
    std::fs::write(&broken, broken_text).expect("write");
    let other = dir.join("other.zan");
    std::fs::write(&other, "area  b \"B\" covers 2000-01-01 ..\n").expect("write");
    let refused = zan(&[
        "fmt",
        broken.to_str().expect("path"),
        other.to_str().expect("path"),
    ]);
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("expected an operator or `then VALUE`"),
        "{}",
        refused.stderr
    );
    assert!(
        refused
            .stderr
            .contains("it does not parse; the file is untouched")
    );
    assert_eq!(std::fs::read_to_string(&broken).expect("read"), broken_text);
    assert_eq!(
        std::fs::read_to_string(&other).expect("read"),
        "area b \"B\" covers 2000-01-01 ..\n"
    );
    assert!(
        refused
            .stdout
            .ends_with("2 file(s) checked, 1 changed, 0 skipped, 1 refused\n")
    );
    let refused_check = zan(&["fmt", "--check", broken.to_str().expect("path")]);
    assert_eq!(refused_check.code, 2);
    let _ = std::fs::remove_dir_all(dir);
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
        // A file that does not parse is refused by `zan fmt`, so it need not be laid out.
        let mut sources = zan::source::SourceMap::new();
        let file = sources.add("f.zan", text.clone());
        if !zan::parse::parse_file(&sources, file).1.is_empty() {
            continue;
        }
        let once = zan::fmt::format(&text);
        assert!(zan::fmt::same_tokens(&text, &once), "{}", path.display());
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
    assert!(all.stdout.contains("expected the answer to be decided by rule `reaches_threshold`, but it was decided by the default (no rule applies)"), "{}", all.stdout);
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

// See: issue 10, item 1 (a catalogue).
#[test]
fn list_shows_every_question_input_and_parameter_with_its_period() {
    let all = zan(&["list"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    for name in [
        "court.may_apply",
        "court.applicant",
        "court.act_affects_own_rights",
        "party.members_required",
        "mazhilis.seat_allocation",
        "akim.fee_refunded",
    ] {
        assert!(
            all.stdout
                .lines()
                .any(|line| line.contains(&format!(" {name} "))),
            "`zan list` lacks {name}"
        );
    }
    // The shipped areas and the period each covers (rules/*.zan `area ... covers`).
    assert!(all.stdout.contains(
        "area parties: Founding and registration of political parties (2009-02-06 onward)"
    ));
    assert!(all.stdout.contains(
        "area akims: Akims: direct elections, appointment, termination (2021-06-03 onward)"
    ));
    assert!(
        all.stdout
            .contains("area mazhilis: Mazhilis party-list elections (2009-02-09 .. 2026-06-30)")
    );

    let parties = zan(&["list", "--area", "parties"]);
    assert_eq!(parties.code, 0, "{}", parties.stderr);
    assert!(!parties.stdout.contains("court."));
    insta::assert_snapshot!(
        "list_parties",
        format!("----- zan list --area parties\n{}", parties.stdout)
    );

    let judgments = zan(&["list", "--kind", "judgment", "--area", "court"]);
    assert_eq!(judgments.code, 0, "{}", judgments.stderr);
    let rows: Vec<&str> = judgments
        .stdout
        .lines()
        .filter(|l| l.starts_with("  "))
        .collect();
    // court.zan declares six judgments: three for the citizen's appeal and the court's referral
    // (1995 onward), one for the prior-application exception, and two for the 2026 wording of
    // the citizen's appeal (CL 153-VII Art 45 as amended by 305-VIII).
    assert_eq!(rows.len(), 6, "{}", judgments.stdout);
    assert!(
        rows.iter()
            .all(|row| row.trim_start().starts_with("judgment"))
    );

    let json = zan(&["list", "--kind", "parameter", "--format", "json"]);
    let document: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let items = document["items"].as_array().expect("items");
    assert!(items.iter().all(|i| i["kind"] == "parameter"));
    let members = items
        .iter()
        .find(|i| i["name"] == "party.members_required")
        .expect("party.members_required");
    assert_eq!(members["area"], "parties");
    assert_eq!(members["from"], "2009-02-06");
    assert_eq!(members["until"], serde_json::Value::Null);

    let markdown = zan(&["list", "--area", "court", "--format", "markdown"]);
    assert!(
        markdown
            .stdout
            .contains("| `court.may_apply` | question | bool | 1995-09-05 onward |")
    );

    let unknown = zan(&["list", "--area", "partys"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("unknown area `partys`"),
        "{}",
        unknown.stderr
    );
    assert!(unknown.stderr.contains("`parties`"));
}

#[test]
fn show_a_question_an_input_and_a_parameter() {
    let question = zan(&["show", "party.may_register"]);
    assert_eq!(question.code, 0, "{}", question.stderr);
    // Each rule with its condition as written, its validity and its citation (Art. 10(6)).
    assert!(question.stdout.contains(
        "  rule `too_few_members`  in force throughout the area's period\n    when party.members < party.members_required\n    then false\n    cite party_law Art. 10(6)\n"
    ));
    insta::assert_snapshot!(
        "show_may_register",
        format!("----- zan show party.may_register\n{}", question.stdout)
    );

    let court = zan(&["show", "court.may_apply"]);
    assert_eq!(court.code, 0, "{}", court.stderr);
    // Citizens from 2023-01-01: Constitution Art. 72(3), Constitutional Law Art. 23(4)(3).
    assert!(court.stdout.contains("  rule `citizen_appeal`  in force from 2023-01-01 until 2026-06-30\n    when court.applicant = citizen and court.subject = normative_act_in_force and court.act_affects_own_rights\n    then true\n    cite constitution_1995 Art. 72(3); cc_law_2022 Art. 23(4)(3); journal_a7 p. 88 ff. (secondary)\n"));
    assert!(court.stdout.contains("otherwise (no rule applies): false"));

    let input = zan(&["show", "court.applicant"]);
    assert_eq!(input.code, 0, "{}", input.stderr);
    insta::assert_snapshot!(
        "show_applicant",
        format!("----- zan show court.applicant\n{}", input.stdout)
    );

    // Every dated value with its act: 40,000 (122-IV), 20,000 (336-VI, a window), 5,000 (157-VII).
    let parameter = zan(&["show", "party.members_required"]);
    assert_eq!(parameter.code, 0, "{}", parameter.stderr);
    insta::assert_snapshot!(
        "show_members_required",
        format!(
            "----- zan show party.members_required\n{}",
            parameter.stdout
        )
    );
    let json = zan(&["show", "party.members_required", "--format", "json"]);
    let document: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let values = document["values"].as_array().expect("values");
    assert_eq!(values.len(), 3);
    assert_eq!(values[1]["value"], 20000);
    // Law No. 336-VI, signed 25.05.2020, in force 10 days after first official publication,
    // published within 30 days of signing (Law on Legal Acts Art 37(3)).
    assert_eq!(values[1]["validity"]["from"], "2020-06-04");
    assert_eq!(values[1]["validity"]["from_known"], "2020-07-05");
    assert_eq!(values[2]["citations"][1]["act"], "law_157_vii");

    let markdown = zan(&["show", "court.may_apply", "--format", "markdown"]);
    assert!(
        markdown
            .stdout
            .starts_with("### question `court.may_apply` : bool\n")
    );
    assert!(
        markdown.stdout.contains(
            "- **Rule `prosecutor_general`**, in force from 2023-01-01 until 2026-06-30:"
        )
    );
}

#[test]
fn did_you_mean_matches_by_prefix_and_word() {
    let show = zan(&["show", "akim.fee"]);
    assert_eq!(show.code, 2);
    assert!(
        show.stderr
            .contains("did you mean `akim.fee_minimum_wages` or `akim.fee_refunded`?"),
        "{}",
        show.stderr
    );
    let ask = zan(&["ask", "akim.fee", "--as-of", "2023-01-01"]);
    assert_eq!(ask.code, 2);
    assert!(
        ask.stderr
            .contains("`akim.fee_minimum_wages` or `akim.fee_refunded`")
    );
    // A word of the name: `members` is a word of party.members and party.members_required.
    let word = zan(&["show", "members"]);
    assert!(word.stderr.contains("`party.members`"), "{}", word.stderr);
    assert!(word.stderr.contains("`party.members_required`"));
    // A misspelling still gets the closest name.
    let typo = zan(&["ask", "court.may_aply", "--as-of", "2023-01-01"]);
    assert!(
        typo.stderr.contains("did you mean `court.may_apply`?"),
        "{}",
        typo.stderr
    );
}

#[test]
fn a_missing_fact_lists_its_allowed_values() {
    let run = zan(&["ask", "court.may_apply", "--as-of", "2023-03-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let applicant = run
        .stdout
        .lines()
        .find(|l| l.contains("fact court.applicant"))
        .expect("court.applicant is missing");
    assert!(applicant.ends_with("; allowed: one of president, senate_chair, mazhilis_chair, kurultai_chair, deputies, prime_minister, prosecutor_general, human_rights_commissioner, citizen, court"), "{applicant}");
    let judgment = run
        .stdout
        .lines()
        .find(|l| l.contains("judgment court.act_affects_own_rights"))
        .expect("the citizens' judgment is missing");
    assert!(judgment.ends_with("; allowed: true or false"));
}

#[test]
fn completions_offer_names_and_enum_values() {
    let run = zan(&["completions", "bash"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for word in [
        "court.may_apply",
        "court.applicant=citizen",
        "court.applicant=prosecutor_general",
        "party.branches_in_all_regions=true",
        "party.members=",
        "parties",
    ] {
        assert!(run.stdout.contains(word), "bash completion lacks {word}");
    }
    let fish = zan(&["completions", "fish"]);
    assert!(fish.stdout.contains("court.act_affects_own_rights"));
    // The lists only serve completion: an unknown name still gets zan's own message.
    let unknown = zan(&[
        "who",
        "court.may_apply",
        "--over",
        "court.aplicant",
        "--as-of",
        "2023-03-01",
    ]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean `court.applicant`"),
        "{}",
        unknown.stderr
    );
}

// See: issue 10, item 3 (numbers as a memo prints them).
#[test]
fn shares_and_quotients_print_as_decimals_in_aligned_tables() {
    let dir = temp_dir("memo-numbers");
    let facts = dir.join("election.json");
    // 700 + 300 + 40 of 1,040 voters: shares 875/13 %, 375/13 %, 50/13 %; 98 seats (2021 law),
    // quota (700 + 300) / 98 = 500/49.
    std::fs::write(
        &facts,
        r#"{"as_of": "2021-03-01", "given": {"mazhilis.votes_cast": 1040, "mazhilis.parties": [
            {"name": "A", "votes": 700, "registered": "1999-03-01"},
            {"name": "B", "votes": 300, "registered": "2002-01-01"},
            {"name": "C", "votes": 40, "registered": "2003-01-01"}]}}"#,
    )
    .expect("write facts");
    let facts = facts.to_str().expect("utf-8 path");
    let text = zan(&["ask", "mazhilis.seat_allocation", "--facts", facts]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    // 875/13 = 67.307692...; 500/49 = 10.204081...: four places, half away from zero.
    assert!(text.stdout.contains("quota 10.2041\n"), "{}", text.stdout);
    let table: Vec<&str> = text
        .stdout
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("list "))
        .take(4)
        .collect();
    assert_eq!(
        table,
        [
            "        list                       votes     share  passes  quotient  whole  remainder  extra  seats",
            "        A (registered 1999-03-01)    700  67.3077%  yes         68.6     68        0.6      1     69",
            "        B (registered 2002-01-01)    300  28.8462%  yes         29.4     29        0.4      0     29",
            "        C (registered 2003-01-01)     40   3.8462%  no             -      -          -      -      0",
        ]
    );
    let markdown = zan(&[
        "ask",
        "mazhilis.seat_allocation",
        "--facts",
        facts,
        "--format",
        "markdown",
    ]);
    assert!(markdown.stdout.contains(
        "| list | votes | share | passes | quotient | whole | remainder | extra | seats |\n"
    ));
    assert!(markdown.stdout.contains(
        "| A (registered 1999-03-01) | 700 | 67.3077% | yes | 68.6 | 68 | 0.6 | 1 | 69 |\n"
    ));
    // JSON keeps the exact values, untouched.
    let json = zan(&[
        "ask",
        "mazhilis.seat_allocation",
        "--facts",
        facts,
        "--format",
        "json",
    ]);
    assert!(
        json.stdout.contains(
            r#""share":{"decimal":"67.3077","exact":"875/13","rounded":true,"unit":"%"}"#
        ),
        "{}",
        json.stdout
    );
    let _ = std::fs::remove_dir_all(dir);
}

// See: issue 10, item 4 (status and trace agree; a window shows each branch).
#[test]
fn inside_a_window_the_answer_shows_each_branch() {
    // 6,000 members on 2022-11-20: Law No. 157-VII (minimum 5,000 instead of 20,000; 200 per
    // branch instead of 600) took effect on a day between 2022-11-16 and 2023-01-01.
    let args = [
        "ask",
        "party.may_register",
        "--as-of",
        "2022-11-20",
        "--given",
        "party.members=6000",
        "--given",
        "party.branches_in_all_regions=true",
        "--given",
        "party.smallest_branch_members=650",
    ];
    let text = zan(&args);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains(
        "depends on an unsettled date: before Law No. 157-VII: false (rule `too_few_members`: 6,000 < 20,000); after it: true (rule `meets_minima`: 6,000 >= 5,000)\n"
    ), "{}", text.stdout);
    // Each branch has its own trace, and its root carries that branch's answer.
    assert!(
        text.stdout
            .contains("trace before Law No. 157-VII:\n  party.may_register = false\n")
    );
    assert!(
        text.stdout
            .contains("trace after Law No. 157-VII:\n  party.may_register = true\n")
    );
    // The same act changed the branch minimum: after it, 200 applies too.
    assert!(
        text.stdout
            .contains("650 >= 200 is true: met with 450 to spare")
    );
    assert!(!text.stdout.contains("\ntrace:\n"));

    let mut markdown_args = args.to_vec();
    markdown_args.extend(["--format", "markdown"]);
    let markdown = zan(&markdown_args);
    assert!(markdown.stdout.contains(
        "**Status: unknown**\n\nDepends on an unsettled date: before Law No. 157-VII: false"
    ));
    assert!(
        markdown
            .stdout
            .contains("**Reasoning before Law No. 157-VII:**\n\n- party.may_register = false\n")
    );
    assert!(
        markdown
            .stdout
            .contains("**Reasoning after Law No. 157-VII:**\n\n- party.may_register = true\n")
    );
}

#[test]
fn the_trace_root_never_contradicts_the_status() {
    // The 5% threshold of Constitutional Law No. 41-VII (24.05.2021) applied from a day between
    // 2021-06-03 and 2021-06-05 (signed + 10 days; applied from 05.06.2021 by an official's
    // statement); 7% before it (Art. 97-1(1)).
    let run = zan(&["ask", "mazhilis.threshold", "--as-of", "2021-06-04"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("mazhilis.threshold is unknown   as of 2021-06-04\nstatus: unknown\n")
    );
    assert!(run.stdout.contains("depends on an unsettled date: before Constitutional Law No. 41-VII: 7% (the value in force); after it: 5% (the value in force)\n"));
    assert!(run.stdout.contains(
        "trace before Constitutional Law No. 41-VII:\n  mazhilis.threshold = 7% (parameter"
    ));
    assert!(run.stdout.contains(
        "trace after Constitutional Law No. 41-VII:\n  mazhilis.threshold = 5% (parameter"
    ));
    // Outside the window there is one trace, and its root is the answer.
    let after = zan(&["ask", "mazhilis.threshold", "--as-of", "2021-08-01"]);
    assert!(
        after
            .stdout
            .starts_with("mazhilis.threshold = 5%   as of 2021-08-01\n")
    );
    assert!(
        after
            .stdout
            .contains("trace:\n  mazhilis.threshold = 5% (parameter")
    );
    assert!(!after.stdout.contains("depends on an unsettled date"));
    // A missing fact: the root says unknown, as the status does.
    let missing = zan(&["ask", "party.may_register", "--as-of", "2023-03-01"]);
    assert!(
        missing
            .stdout
            .contains("trace:\n  party.may_register = unknown\n")
    );
}

// See: issue 10, item 10 (checking one file; --interactive).
#[test]
fn a_shipped_file_checks_alone() {
    // parties.zan cites the journal articles that mazhilis.zan declares (lines 33-34) and the
    // Law on Legal Acts that interpretation.zan declares (line 20), for its windows.
    let run = zan(&["check", "rules/parties.zan"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "note: `legal_acts_law` is declared in rules/interpretation.zan:20:1, a shipped file not checked here; its declaration was used\nnote: `journal_a1` is declared in rules/mazhilis.zan:33:1, a shipped file not checked here; its declaration was used\nnote: `journal_a3` is declared in rules/mazhilis.zan:34:1, a shipped file not checked here; its declaration was used\nchecked 1 file(s): 7 question(s) and parameter(s), 7 rule(s), 0 error(s), 0 warning(s)\n"
    );
    // interpretation.zan answers with the enum `body` of court.zan (line 24).
    let interpretation = zan(&["check", "rules/interpretation.zan"]);
    assert_eq!(interpretation.code, 0, "{}", interpretation.stderr);
    assert!(
        interpretation
            .stdout
            .contains("note: `body` is declared in rules/court.zan:24:1")
    );
    for file in [
        "rules/akims.zan",
        "rules/court.zan",
        "rules/kurultai.zan",
        "rules/maslikhat.zan",
        "rules/mazhilis.zan",
        "rules/parliament.zan",
        "rules/president.zan",
    ] {
        let run = zan(&["check", file]);
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
    }
    // Checked together, nothing is borrowed.
    let all = zan(&["check", "rules"]);
    assert!(!all.stdout.contains("note:"), "{}", all.stdout);
    // A name no shipped file declares is still an error.
    let dir = temp_dir("alone");
    let file = dir.join("mine.zan");
    std::fs::write(
        &file,
        "area m \"M\" covers 2020-01-01 ..\nquestion m.q : bool \"Q?\"\n  rule r\n    then true\n    cite nowhere_law \"Art. 1\", party_law \"Art. 10(6)\"\n",
    )
    .expect("write");
    let mine = zan(&["check", file.to_str().expect("path"), "--format", "json"]);
    assert_eq!(mine.code, 2);
    let report: serde_json::Value = serde_json::from_str(&mine.stdout).expect("json");
    assert_eq!(report["errors"], 1);
    assert!(
        report["diagnostics"][0]["message"]
            .as_str()
            .expect("message")
            .contains("nowhere_law")
    );
    assert_eq!(report["borrowed"][0]["name"], "party_law");
    assert_eq!(
        report["borrowed"][0]["declared_at"],
        "rules/parties.zan:20:1"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn interactive_asks_only_what_can_still_change_the_answer() {
    // Without a terminal, --interactive is refused before anything is evaluated.
    let refused = zan(&[
        "ask",
        "court.may_apply",
        "--as-of",
        "2023-03-01",
        "--interactive",
    ]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("standard input is not one"),
        "{}",
        refused.stderr
    );
    assert!(refused.stdout.is_empty());

    let loaded = zan::load::load_embedded();
    let rb = &loaded.rulebase;
    let question = rb.lookup("court.may_apply").expect("court.may_apply");
    let mut facts = zan::eval::Facts::new(rb);
    // The applicant by number (9 = citizen, the enum's ninth value), the subject by name,
    // then the citizen's judgment: Art. 72(3) decides, and nothing else is asked.
    let mut input: &[u8] = b"9\nnormative_act_in_force\ntrue\n";
    let mut output = Vec::new();
    let answer = zan::interview::ask_interactively(
        rb,
        question,
        "2023-03-01".parse().expect("date"),
        &mut facts,
        &[],
        &mut input,
        &mut output,
    )
    .expect("answer");
    let asked = String::from_utf8(output).expect("utf-8");
    assert_eq!(
        answer.value,
        Some(zan::rulebase::Value::Bool(true)),
        "{asked}"
    );
    assert_eq!(
        crate::common::decided(&loaded, &answer).as_deref(),
        Some("citizen_appeal")
    );
    // The enum's values are listed up front.
    assert!(asked.starts_with("court.applicant (applicant): Who is applying to the constitutional-review body?\n  1) president\n  2) senate_chair\n"), "{asked}");
    assert!(asked.contains("  9) citizen\n"));
    // Asked three times: applicant, subject, the judgment; not the deputies' counts, the
    // court's or the commissioner's judgments, which can no longer change the answer.
    assert_eq!(asked.matches("(empty to skip) > ").count(), 3, "{asked}");
    assert!(!asked.contains("court.deputies_signing"));
    assert!(asked.contains("court.act_affects_own_rights (bool)"));
}

#[test]
fn who_columns_are_as_wide_as_their_cells() {
    // The President in mid-2022: Art. 72(1) officials' subjects, Art. 72(1)(2-1) resolutions and
    // Art. 44(10-1) acts in force are all open to him.
    let run = zan(&[
        "who",
        "court.may_apply",
        "--over",
        "court.subject",
        "--as-of",
        "2022-06-01",
        "--given",
        "court.applicant=president",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("\n  election_dispute            true  rule `art72_1_officials`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\n  normative_act_in_force      true  rule `president_act_in_force`")
    );
}
