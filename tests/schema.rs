//! The JSON contract: every JSON document the command line writes (answers for every shipped
//! scenario's question, date and facts in each level of detail, who-tables, batch lines with
//! rejected lines, diffs, test reports, check reports) validates against the JSON Schema in
//! `schema/zan.schema.json`; the serve tests validate the server's responses with the same
//! [`assert_valid`]. A document that breaks the contract is rejected.

use crate::common::zan;
use serde_json::{Value as J, json};
use std::path::Path;
use std::sync::OnceLock;
use zan::render::text::Explain;

/// The kinds of document the schema defines (its `$defs` a document may be validated as).
const KINDS: [&str; 8] = [
    "answer",
    "who_table",
    "batch_line",
    "diff",
    "run_report",
    "check_report",
    "api_error",
    "command_error",
];

fn schema() -> &'static J {
    static SCHEMA: OnceLock<J> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/zan.schema.json");
        let text = std::fs::read_to_string(&path).expect("schema/zan.schema.json");
        serde_json::from_str(&text).expect("the schema is JSON")
    })
}

/// A validator of one kind: the schema with its root replaced by a reference to `$defs/KIND`.
fn validator(kind: &str) -> &'static jsonschema::Validator {
    static VALIDATORS: OnceLock<Vec<(&'static str, jsonschema::Validator)>> = OnceLock::new();
    let all = VALIDATORS.get_or_init(|| {
        KINDS
            .iter()
            .map(|kind| {
                let mut schema = schema().clone();
                let object = schema.as_object_mut().expect("the schema is an object");
                object.shift_remove("anyOf");
                object.insert("$ref".into(), json!(format!("#/$defs/{kind}")));
                let validator = jsonschema::draft202012::new(&schema)
                    .unwrap_or_else(|e| panic!("the schema does not compile for {kind}: {e}"));
                (*kind, validator)
            })
            .collect()
    });
    all.iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no kind {kind} in the schema"))
}

/// The schema's complaints about `document` as a `kind`, one line each.
pub fn problems(kind: &str, document: &J) -> Vec<String> {
    validator(kind)
        .iter_errors(document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Fails the test unless `document` is a valid `kind` under the schema.
pub fn assert_valid(kind: &str, document: &J) {
    let problems = problems(kind, document);
    assert!(
        problems.is_empty(),
        "not a valid {kind}:\n{}\n{}",
        problems.join("\n"),
        document
    );
}

fn parse(text: &str) -> J {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let meta = jsonschema::draft202012::meta::validate(schema());
    assert!(meta.is_ok(), "{meta:?}");
    assert_eq!(
        schema()["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    for kind in KINDS {
        // Each kind compiles.
        let _ = validator(kind);
    }
}

/// Every scenario of `fixtures/scenarios`: each expectation's question with the scenario's
/// date and facts, rendered with the full trace, the brief one, and as a batch line with and
/// without the trace, validates as an answer (or a batch line).
#[test]
fn every_fixture_scenario_answer_validates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut loaded = zan::load::load_paths(&[root.join("rules")]).expect("rules/");
    let mut files = Vec::new();
    let mut dirs = vec![root.join("fixtures/scenarios")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("scenario dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "zan") {
                let text = std::fs::read_to_string(&path).expect("scenario file");
                files.push(loaded.sources.add(path.display().to_string(), text));
            }
        }
    }
    let (scenarios, diagnostics) = zan::load::load_scenarios(&mut loaded, &files);
    assert!(!diagnostics.iter().any(|d| d.is_error()));
    let rb = &loaded.rulebase;
    let writer = zan::render::json::AnswerWriter::new(rb);
    let mut answers = 0;
    let mut kinds_seen: Vec<String> = Vec::new();
    for (_, scenarios) in &scenarios {
        for scenario in scenarios {
            let mut facts = zan::eval::Facts::new(rb);
            for assumption in &scenario.assumptions {
                facts.assume(assumption.clone());
            }
            for (item, value, _) in &scenario.givens {
                facts.set(*item, value.clone());
            }
            for expectation in &scenario.expects {
                let answer = zan::eval::readings::answer(
                    rb,
                    expectation.item,
                    scenario.as_of,
                    &facts,
                    &expectation.under,
                )
                .expect("evaluates");
                for explain in [Explain::Full, Explain::Brief] {
                    let document = zan::render::json::answer_with(rb, &answer, explain);
                    assert_valid("answer", &document);
                    collect_kinds(&document["trace"], &mut kinds_seen);
                }
                for explain in [None, Some(Explain::Full)] {
                    let mut line = br#"{"line":1"#.to_vec();
                    writer.answer_fields(&mut line, &answer, explain);
                    let line = parse(std::str::from_utf8(&line).expect("UTF-8"));
                    assert_valid("batch_line", &line);
                }
                answers += 1;
            }
        }
    }
    assert!(answers > 100, "only {answers} answers");
    // The fixtures reach every kind of step but `not_covered` and `note` (which these
    // scenarios do not meet), so the kinds' required fields are checked on real traces.
    for kind in [
        "question",
        "rule",
        "default",
        "fact",
        "comparison",
        "condition",
        "allocation",
    ] {
        assert!(
            kinds_seen.iter().any(|k| k == kind),
            "no {kind} step in {kinds_seen:?}"
        );
    }
}

fn collect_kinds(step: &J, seen: &mut Vec<String>) {
    if let Some(kind) = step["kind"].as_str()
        && !seen.iter().any(|k| k == kind)
    {
        seen.push(kind.to_string());
    }
    for child in step["steps"].as_array().into_iter().flatten() {
        collect_kinds(child, seen);
    }
}

#[test]
fn command_line_json_outputs_validate() {
    // Answers: answered with a margin, unknown with missing facts, inside a window (branches),
    // a seat allocation, a contested answer (readings), an assumed day (receipt).
    for args in [
        &[
            "ask",
            "party.may_register",
            "--as-of",
            "2023-03-01",
            "--given",
            "party.members=6000",
            "--format",
            "json",
        ][..],
        &[
            "ask",
            "mazhilis.passes_threshold",
            "--as-of",
            "2023-03-19",
            "--given",
            "mazhilis.party_vote_share=5.2%",
            "--format",
            "json",
            "--explain",
            "brief",
        ],
        &[
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
            "--format",
            "json",
        ],
        &[
            "ask",
            "party.may_register",
            "--as-of",
            "2022-11-20",
            "--assume",
            "law_157_vii=2022-11-18",
            "--given",
            "party.members=6000",
            "--given",
            "party.branches_in_all_regions=true",
            "--given",
            "party.smallest_branch_members=650",
            "--format",
            "json",
        ],
        &[
            "ask",
            "mazhilis.seat_allocation",
            "--facts",
            "examples/election.json",
            "--format",
            "json",
        ],
        &[
            "ask",
            "mazhilis.threshold",
            "--as-of",
            "2023-03-19",
            "--format",
            "json",
        ],
    ] {
        let run = zan(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let document = parse(&run.stdout);
        assert_valid("answer", &document);
    }
    let window = parse(
        &zan(&[
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
            "--format",
            "json",
        ])
        .stdout,
    );
    // Law 157-VII's window (2022-11-15 .. 2022-11-28) holds two changes: the members minimum
    // (20,000 -> 5,000) and the smallest branch's (600 -> 200). 6,000 members fall short of
    // 20,000 and meet 5,000; a branch of 650 meets either minimum. So the answer turns on the
    // first change alone, in each of the four combinations.
    assert_eq!(window["status"], "unknown");
    let branches = window["branches"].as_array().expect("branches");
    assert_eq!(branches.len(), 4);
    for branch in branches {
        let members_changed = branch["changes"][0]["applied"] == true;
        assert!(
            branch["changes"][0]["what"]
                .as_str()
                .is_some_and(|w| w.starts_with("party.members_required"))
        );
        assert_eq!(branch["status"], "answered");
        assert_eq!(branch["answer"], members_changed, "{branch}");
        let rule = if members_changed {
            "meets_minima"
        } else {
            "too_few_members"
        };
        assert_eq!(branch["decided_by"], json!([rule]), "{branch}");
    }

    let who = zan(&[
        "who",
        "court.may_apply",
        "--over",
        "court.applicant",
        "--as-of",
        "2023-03-01",
        "--format",
        "json",
    ]);
    assert_eq!(who.code, 0, "{}", who.stderr);
    assert_valid("who_table", &parse(&who.stdout));

    for (from, to) in [("2019-01-01", "2024-01-01"), ("1995-01-01", "2026-06-01")] {
        let diff = zan(&["diff", "--from", from, "--to", to, "--format", "json"]);
        assert_eq!(diff.code, 0, "{}", diff.stderr);
        let document = parse(&diff.stdout);
        assert_valid("diff", &document);
        assert!(!document["changes"].as_array().expect("changes").is_empty());
    }

    let run = zan(&["run", "fixtures/scenarios", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_valid("run_report", &parse(&run.stdout));

    let check = zan(&["check", "--format", "json"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_valid("check_report", &parse(&check.stdout));
}

#[test]
fn failing_reports_and_rejected_batch_lines_validate() {
    let dir = std::env::temp_dir().join(format!("zan-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let failing = dir.join("failing.zan");
    std::fs::write(
        &failing,
        "scenario \"wrong on purpose\" as of 2020-01-01\n  given mazhilis.party_vote_share = 7%\n  expect mazhilis.passes_threshold = false by default\n",
    )
    .expect("write scenario");
    let run = zan(&["run", failing.to_str().expect("path"), "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = parse(&run.stdout);
    assert_valid("run_report", &report);
    assert_eq!(
        report["scenarios"][0]["expectations"][0]["by"],
        json!({"default": true})
    );
    assert_eq!(
        report["scenarios"][0]["expectations"][0]["decided_by"],
        json!(["reaches_threshold"])
    );

    let bad_rules = dir.join("bad.zan");
    std::fs::write(
        &bad_rules,
        "question t.q : bool \"Q?\"\n  rule r when t.nowhere then true\n",
    )
    .expect("write rules");
    let check = zan(&[
        "--rules",
        bad_rules.to_str().expect("path"),
        "check",
        "--format",
        "json",
    ]);
    assert_ne!(check.code, 0);
    let report = parse(&check.stdout);
    assert_valid("check_report", &report);
    assert!(report["errors"].as_u64().is_some_and(|n| n > 0), "{report}");

    let lines = dir.join("lines.jsonl");
    std::fs::write(
        &lines,
        "{\"as_of\": \"2023-03-19\", \"given\": {\"mazhilis.party_vote_share\": \"5%\"}, \"id\": \"a\"}\n{not json\n{\"as_of\": \"2023-03-19\", \"given\": {\"mazhilis.party_vote_shar\": \"5%\"}}\n{\"given\": {}}\n",
    )
    .expect("write lines");
    for explain in ["full", "brief", "none"] {
        let batch = zan(&[
            "batch",
            "mazhilis.passes_threshold",
            "--input",
            lines.to_str().expect("path"),
            "--explain",
            explain,
        ]);
        assert_eq!(batch.code, 1, "{}", batch.stderr);
        let parsed: Vec<J> = batch.stdout.lines().map(parse).collect();
        assert_eq!(parsed.len(), 4);
        for line in &parsed {
            assert_valid("batch_line", line);
        }
        assert_eq!(parsed[0]["id"], "a");
        assert!(parsed[1]["error"]["message"].is_string());
        // `{not json`: invalid JSON, its code from docs/errors.md.
        assert_eq!(parsed[1]["error"]["code"], "E0517");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn documents_that_break_the_contract_are_rejected() {
    let run = zan(&[
        "ask",
        "mazhilis.passes_threshold",
        "--as-of",
        "2023-03-19",
        "--given",
        "mazhilis.party_vote_share=5.2%",
        "--format",
        "json",
    ]);
    let good = parse(&run.stdout);
    assert_valid("answer", &good);
    let broken = |edit: &dyn Fn(&mut J)| {
        let mut document = good.clone();
        edit(&mut document);
        document
    };
    let cases: Vec<(&str, J)> = vec![
        (
            "decided_by as a string (the old shape)",
            broken(&|d| d["decided_by"] = json!("reaches_threshold")),
        ),
        (
            "a status outside the list",
            broken(&|d| d["status"] = json!("maybe")),
        ),
        (
            "a share as a fraction string",
            broken(&|d| d["trace"]["steps"][0]["steps"][0]["left"] = json!("26/5%")),
        ),
        (
            "a float where a number object belongs",
            broken(&|d| d["trace"]["steps"][0]["steps"][0]["margin"] = json!(0.2)),
        ),
        (
            "a missing fact as a sentence",
            broken(&|d| d["missing"] = json!(["fact x (bool)"])),
        ),
        (
            "citations repeated inside a step",
            broken(&|d| d["trace"]["steps"][0]["citations"] = json!([{"act": "elections_law"}])),
        ),
        (
            "a verdict in words",
            broken(&|d| d["trace"]["steps"][0]["verdict"] = json!("applies, but")),
        ),
        (
            "an unknown key on the answer",
            broken(&|d| d["surprise"] = json!(1)),
        ),
        (
            "no receipt",
            broken(&|d| {
                d.as_object_mut().expect("object").shift_remove("receipt");
            }),
        ),
        (
            "a citation id that is not in the id form",
            broken(&|d| d["deciding_citations"] = json!(["elections_law"])),
        ),
    ];
    for (what, document) in &cases {
        assert!(!problems("answer", document).is_empty(), "accepted: {what}");
    }
    // A batch line is an answer or an error, not neither.
    assert!(!problems("batch_line", &json!({"line": 1})).is_empty());
    assert!(!problems("batch_line", &json!({"line": 1, "error": "a sentence"})).is_empty());
    assert!(
        problems(
            "batch_line",
            &json!({"line": 1, "error": {"code": null, "message": "m"}})
        )
        .is_empty()
    );
}

/// The OpenAPI document of `zan serve` refers to the shared schema's definitions for its
/// answers: a real answer validates against the document's `answer`, an old-shaped one does
/// not, and every reference in the document resolves.
#[test]
fn the_openapi_document_uses_the_shared_definitions() {
    let document = zan::serve::openapi::document();
    let responses = &document["paths"]["/v1/ask"]["post"]["responses"];
    assert_eq!(
        responses["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/answer"
    );
    assert_eq!(
        document["paths"]["/v1/who"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
            ["$ref"],
        "#/components/schemas/who_table"
    );
    let text = document.to_string();
    assert!(!text.contains("#/$defs/"), "a reference not re-pointed");
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().expect("name");
        assert!(
            document["components"]["schemas"][name].is_object(),
            "{name}"
        );
    }
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "#/components/schemas/answer",
        "components": document["components"],
    });
    let validator = jsonschema::draft202012::new(&schema).expect("the components compile");
    let run = zan(&[
        "ask",
        "party.may_register",
        "--as-of",
        "2023-03-01",
        "--given",
        "party.members=6000",
        "--format",
        "json",
    ]);
    let mut answer = parse(&run.stdout);
    assert!(validator.is_valid(&answer));
    answer["missing"] = json!(["fact party.branches_in_all_regions (bool)"]);
    assert!(!validator.is_valid(&answer));
}

/// The OpenAPI document validates against the OpenAPI 3.1 meta-schema (vendored in
/// `schema/vendor/`), and a document without its `info` does not.
#[test]
fn the_openapi_document_validates_against_the_openapi_3_1_schema() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/vendor/openapi-3.1.schema.json");
    let meta: J = parse(&std::fs::read_to_string(path).expect("vendored OpenAPI schema"));
    let validator = jsonschema::draft202012::new(&meta).expect("the OpenAPI schema compiles");
    let document = zan::serve::openapi::document();
    let problems: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let mut broken = document.clone();
    broken.as_object_mut().expect("object").shift_remove("info");
    assert!(!validator.is_valid(&broken));
    let mut broken = document;
    broken["paths"]["/v1/ask"]["post"]["responses"] = json!("none");
    assert!(!validator.is_valid(&broken));
}

/// `zan ask` and `zan who` under `--format json`: a refusal for the arguments, a file or the
/// facts is the contract's error object on standard output, with its code and exit 2; the
/// text format prints the same message on standard error, after `error[CODE]: `.
#[test]
fn refusals_of_ask_and_who_in_json_are_error_objects_with_their_codes() {
    let cases: [(&[&str], &str); 8] = [
        // No date: every answer is as of one.
        (&["ask", "party.members_required"], "E0805"),
        (
            &["ask", "party.members_required", "--as-of", "2023-02-30"],
            "E0804",
        ),
        (
            &["ask", "party.no_such_question", "--as-of", "2023-03-01"],
            "E0808",
        ),
        // A count below zero.
        (
            &[
                "ask",
                "party.may_register",
                "--as-of",
                "2023-03-01",
                "--given",
                "party.members=-1",
            ],
            "E0501",
        ),
        (
            &["ask", "party.may_register", "--facts", "no/such/facts.json"],
            "E0901",
        ),
        (
            &[
                "ask",
                "party.may_register",
                "--as-of",
                "2023-03-01",
                "--given",
                "party.members=1",
                "--given",
                "party.members=2",
            ],
            "E0806",
        ),
        // An `--over` input that is not declared, and one that is not an enumeration.
        (
            &[
                "who",
                "court.may_apply",
                "--over",
                "court.no_such_input",
                "--as-of",
                "2023-03-01",
            ],
            "E0509",
        ),
        (
            &[
                "who",
                "court.may_apply",
                "--over",
                "party.members",
                "--as-of",
                "2023-03-01",
            ],
            "E0818",
        ),
    ];
    for (args, code) in cases {
        let mut json_args = args.to_vec();
        json_args.extend(["--format", "json"]);
        let run = zan(&json_args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "{args:?}: {}", run.stderr);
        let document = parse(&run.stdout);
        assert_valid("command_error", &document);
        assert_eq!(
            document["error"]["code"],
            json!(code),
            "{args:?}: {document}"
        );
        let message = document["error"]["message"].as_str().expect("a message");
        // The text format prints the same message, with the code, on standard error.
        let text = zan(args);
        assert_eq!(text.code, 2, "{args:?}");
        assert!(text.stdout.is_empty(), "{args:?}: {}", text.stdout);
        // (A value given with `--given` is shown with a caret under it as well.)
        assert!(
            text.stderr
                .starts_with(&format!("error[{code}]: {message}\n")),
            "{args:?}: {}",
            text.stderr
        );
    }
    // Errors in the rules themselves stay diagnostics on standard error.
    let run = zan(&[
        "ask",
        "t.x",
        "--as-of",
        "2023-03-01",
        "--rules",
        "fixtures/errors/duplicate_rule.zan",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("error[E0"), "{}", run.stderr);
}
