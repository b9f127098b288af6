//! Every ```zan example in grammar/README.md is parsed and checked, so the documentation and
//! the parser cannot drift apart. Declarations form one rulebase; scenarios run against it.

use std::path::Path;

fn examples() -> (String, String) {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/README.md"))
            .expect("grammar/README.md");
    let mut rules = String::new();
    let mut scenarios = String::new();
    let mut rest = readme.as_str();
    let mut count = 0;
    while let Some(start) = rest.find("```zan\n") {
        let body = &rest[start + 7..];
        let end = body.find("```").expect("closed block");
        let block = &body[..end];
        if block.trim_start().starts_with("scenario") {
            scenarios.push_str(block);
        } else {
            rules.push_str(block);
        }
        count += 1;
        rest = &body[end + 3..];
    }
    assert!(
        count >= 8,
        "expected the grammar README to hold its examples, found {count}"
    );
    (rules, scenarios)
}

#[test]
fn grammar_examples_parse_and_check() {
    let (rules, _) = examples();
    let loaded = zan::load::load_text(&[("grammar/README.md", &rules)]);
    assert!(
        loaded.diagnostics.is_empty(),
        "{}",
        zan::diagnostic::render(&loaded.sources, &loaded.diagnostics)
    );
}

#[test]
fn grammar_scenarios_pass() {
    let (rules, scenarios) = examples();
    let mut loaded = zan::load::load_text(&[("grammar/README.md", &rules)]);
    let file = loaded
        .sources
        .add("grammar/README.md (scenarios)", scenarios);
    let (files, diagnostics) = zan::load::load_scenarios(&mut loaded, &[file]);
    assert!(
        diagnostics.is_empty(),
        "{}",
        zan::diagnostic::render(&loaded.sources, &diagnostics)
    );
    let mut ran = 0;
    for (_, scenarios) in files {
        for scenario in scenarios {
            let result = zan::scenario::run(&loaded.rulebase, &scenario);
            let failures: Vec<_> = result
                .checked
                .iter()
                .flat_map(|c| c.failures.clone())
                .collect();
            assert!(
                failures.is_empty(),
                "scenario {:?}: {failures:?}",
                scenario.title
            );
            ran += 1;
        }
    }
    assert!(ran >= 4);
}

#[test]
fn ebnf_names_every_keyword_the_parser_reserves() {
    let ebnf =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/zan.ebnf"))
            .expect("zan.ebnf");
    let (_, keywords) = ebnf
        .split_once("KEYWORDS:")
        .expect("keyword list in zan.ebnf");
    let listed: Vec<&str> = keywords
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .collect();
    for keyword in zan::parse::KEYWORDS {
        assert!(
            listed.contains(keyword),
            "`{keyword}` is reserved by the parser but not listed in zan.ebnf"
        );
    }
    for word in &listed {
        assert!(
            zan::keywords::KEYWORDS.contains(word),
            "`{word}` is listed in zan.ebnf but not reserved (src/keywords.rs)"
        );
    }
}

#[test]
fn ebnf_names_every_builtin_type_the_checker_knows() {
    let ebnf =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/zan.ebnf"))
            .expect("zan.ebnf");
    // From `type =` to the `;` that ends it.
    let start = ebnf.find("\ntype ").expect("a `type` production");
    let end = ebnf[start..]
        .find(';')
        .expect("the end of the `type` production")
        + start;
    let production = &ebnf[start..end];
    assert!(
        production.contains("\"bool\""),
        "the `type` production: {production}"
    );
    for (name, _) in zan::rulebase::Type::BUILTIN {
        assert!(
            production.contains(&format!("\"{name}\"")),
            "`{name}` is a built-in type but the `type` production of zan.ebnf does not list it"
        );
    }
}
