//! `examples/embed.rs`, the example of zan used as a library, compiled into this test binary
//! and run: what it prints is checked against the law it cites.

#[allow(dead_code)] // the example's `main`, which this test does not call
#[path = "../examples/embed.rs"]
mod example;

#[test]
fn the_embedding_example_prints_the_answers_their_citations_and_the_json() {
    let mut out = Vec::new();
    example::run(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    // Art. 10(6) of the Law on Political Parties: 20,000 members from Law No. 336-VI (2020),
    // 5,000 from Law No. 157-VII (in force by 2022-12-16): 6,000 members fail, then pass.
    assert_eq!(
        lines.next(),
        Some("party.may_register as of 2022-10-01: false (answered)")
    );
    let october: Vec<&str> = lines
        .by_ref()
        .take_while(|line| line.starts_with("  - "))
        .collect();
    assert!(
        october
            .iter()
            .any(|line| line.starts_with("  - party_law Art. 10(6): Law of the Republic of Kazakhstan of 15.07.2002 No. 344-II 'On Political Parties'")),
        "{text}"
    );
    assert!(
        october
            .iter()
            .any(|line| line.starts_with("  - law_336_vi ")),
        "the 20,000 minimum is Law No. 336-VI's: {text}"
    );
    assert!(
        text.contains("\nparty.may_register as of 2023-03-01: true (answered)\n"),
        "{text}"
    );
    assert!(text.contains("\n  - law_157_vii "), "{text}");
    // The JSON at the end is the same answer, whole.
    let json_start = text.find("\n{").unwrap();
    let json: serde_json::Value = serde_json::from_str(&text[json_start..]).unwrap();
    assert_eq!(json["question"], "party.may_register");
    assert_eq!(json["as_of"], "2023-03-01");
    assert_eq!(json["status"], "answered");
    assert_eq!(json["answer"], true);
    assert_eq!(
        json["receipt"]["rules_sha256"].as_str().map(str::len),
        Some(64)
    );
}

/// The lines of the first fenced block opening with `fence` in `text`, after `prefix` is
/// stripped from each line, without rustdoc's hidden lines (`# ...`).
fn block(text: &str, prefix: &str, fence: &str) -> Vec<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(|line| line.strip_prefix(prefix).unwrap_or(line).trim_end())
        .map(|line| if line == prefix.trim_end() { "" } else { line })
        .collect();
    let start = lines.iter().position(|line| *line == fence).unwrap() + 1;
    lines[start..]
        .iter()
        .take_while(|line| **line != "```")
        .filter(|line| !line.starts_with("# "))
        .map(|line| line.to_string())
        .collect()
}

#[test]
fn the_readme_library_example_is_the_crate_documentation_example_that_runs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let shown = block(&readme, "", "```rust");
    assert!(
        shown.iter().any(|line| line.contains("engine.ask(")),
        "{shown:?}"
    );
    // The crate documentation's first example is run by `cargo test` as a doctest.
    assert_eq!(shown, block(&lib, "//! ", "```"));
}

#[test]
fn an_engine_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>(_: &T) {}
    let engine = zan::Engine::shipped().unwrap();
    shareable(&engine);
    // Two threads ask the same engine at once and get the same answer.
    let date = zan::Engine::date("2021-01-10").unwrap();
    let answers: Vec<Option<String>> = std::thread::scope(|scope| {
        let ask = || {
            let answer = engine
                .ask("mazhilis.threshold", date, &engine.facts())
                .unwrap();
            engine.value_text(&answer)
        };
        let first = scope.spawn(ask);
        let second = scope.spawn(ask);
        vec![first.join().unwrap(), second.join().unwrap()]
    });
    // Art. 97-1(1) of the Constitutional Law on Elections: 7% until Law No. 41-VII (in force in
    // June 2021) lowered it to 5%.
    assert_eq!(answers, vec![Some("7%".to_string()); 2]);
}

#[test]
fn typed_facts_of_the_wrong_type_or_a_forged_enumeration_value_are_refused() {
    use zan::{Num, Value};
    let engine = zan::Engine::shipped().unwrap();
    let mut facts = engine.facts();
    let subject = engine
        .value("court.subject", "normative_act_in_force")
        .unwrap();
    // A value of another enumeration (the subject of an application is not an applicant).
    let refused = engine
        .set(&mut facts, "court.applicant", subject.clone())
        .unwrap_err();
    assert!(matches!(refused, zan::Error::WrongType { .. }), "{refused}");
    // The enumeration's id is the rules', but no variant has this index.
    let Value::Enum(id, _) = subject else {
        panic!("an enumeration's value is Value::Enum: {subject:?}")
    };
    assert!(
        engine
            .set(&mut facts, "court.subject", Value::Enum(id, 1_000))
            .is_err()
    );
    // The wrong shape, a value out of range, a question, an unknown name.
    assert!(
        engine
            .set(&mut facts, "party.members", Value::Bool(true))
            .is_err()
    );
    let negative = engine
        .set(&mut facts, "party.members", Value::Num(Num::int(-1)))
        .unwrap_err();
    assert_eq!(
        negative.code(),
        Some(zan::Code::NegativeCount),
        "{negative}"
    );
    let written = engine.give(&mut facts, "party.members=-1").unwrap_err();
    assert_eq!(written.code(), Some(zan::Code::NegativeCount), "{written}");
    assert!(
        engine
            .set(&mut facts, "party.may_register", Value::Bool(true))
            .is_err()
    );
    assert!(
        engine
            .set(&mut facts, "no.such_input", Value::Bool(true))
            .is_err()
    );
    // None of the refused facts was set.
    let answer = engine
        .ask(
            "court.may_apply",
            zan::Engine::date("2023-03-01").unwrap(),
            &facts,
        )
        .unwrap();
    let missing = engine.missing_facts(&answer);
    assert!(missing.contains(&"court.applicant"), "{missing:?}");
}

#[test]
fn names_that_are_not_questions_get_typed_errors_with_suggestions() {
    let engine = zan::Engine::shipped().unwrap();
    let date = zan::Engine::date("2023-03-01").unwrap();
    match engine.ask("party.may_registr", date, &engine.facts()) {
        Err(zan::Error::UnknownQuestion { suggestions, .. }) => {
            assert!(
                suggestions.iter().any(|s| s == "party.may_register"),
                "{suggestions:?}"
            )
        }
        other => panic!("expected an unknown question: {other:?}"),
    }
    assert!(matches!(
        engine.ask("party.members", date, &engine.facts()),
        Err(zan::Error::NotAQuestion { .. })
    ));
    // `who` goes through an enumeration; `party.members` is a count.
    assert!(matches!(
        engine.who("party.may_register", "party.members", date, &engine.facts()),
        Err(zan::Error::NotAnEnum { .. })
    ));
    assert!(matches!(
        zan::Engine::date("2023-13-01"),
        Err(zan::Error::Date { .. })
    ));
}
