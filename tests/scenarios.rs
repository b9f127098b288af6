//! The scenario suites of the shipped rulebase (`fixtures/scenarios/<area>/*.zan`): every
//! scenario runs against `rules/`, every expectation must hold, and each file's rendered traces
//! are snapshotted with its source, so a change in a trace is read against the law before it
//! is accepted.

use std::path::Path;
use zan::load::{self, Loaded};
use zan::render::text::{self, Explain};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped rules, read from `rules/` (not the copy embedded at build time), checked clean.
fn shipped_rules() -> Loaded {
    let loaded = load::load_paths(&[root().join("rules")]).expect("rules/ is readable");
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(
        errors.is_empty(),
        "rules/ does not check:\n{}",
        zan::diagnostic::render(&loaded.sources, &loaded.diagnostics)
    );
    loaded
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Runs every scenario of one file. Returns the snapshot text (the source, then each scenario's
/// rendered answers, with the rules digest masked) and the failures, one block per scenario.
fn run_file(path: &Path) -> (String, Vec<String>, usize) {
    let mut loaded = shipped_rules();
    let source = std::fs::read_to_string(path).expect("scenario file is UTF-8");
    let file = loaded.sources.add(relative(path), source.clone());
    let (files, diagnostics) = load::load_scenarios(&mut loaded, &[file]);
    assert!(
        !diagnostics.iter().any(|d| d.is_error()),
        "{} does not check:\n{}",
        path.display(),
        zan::diagnostic::render(&loaded.sources, &diagnostics)
    );
    let rb = &loaded.rulebase;
    let digest = rb.digest.clone();
    let mut out = format!("----- SOURCE\n{source}");
    let mut failures = Vec::new();
    let mut count = 0;
    for (_, scenarios) in &files {
        for scenario in scenarios {
            count += 1;
            let location = loaded.sources.location(scenario.span);
            let result = zan::scenario::run(rb, scenario);
            if !result.passed() {
                failures.push(text::scenario(rb, &location, &result, Explain::Full, true));
            }
            out.push_str(&format!(
                "----- SCENARIO \"{}\" (as of {})\n",
                result.title, result.as_of
            ));
            for checked in &result.checked {
                let name = &rb.item(checked.expectation.item).name;
                out.push_str(&format!("--- {name}\n"));
                match &checked.answer {
                    Ok(answer) => out.push_str(&text::answer(rb, answer, Explain::Full)),
                    Err(error) => out.push_str(&format!("evaluation error: {error}\n")),
                }
            }
        }
    }
    let out = if digest.is_empty() {
        out
    } else {
        out.replace(&digest, "<digest>")
    };
    (out, failures, count)
}

#[test]
fn scenario_traces() {
    insta::glob!("../fixtures/scenarios", "**/*.zan", |path| {
        let (snapshot, failures, count) = run_file(path);
        assert!(count > 0, "{} has no scenario", path.display());
        assert!(
            failures.is_empty(),
            "{}: {} scenario(s) failed:\n{}",
            path.display(),
            failures.len(),
            failures.concat()
        );
        insta::assert_snapshot!(snapshot);
    });
}

#[test]
fn scenario_counts() {
    let mut total = 0;
    let mut areas = Vec::new();
    for entry in std::fs::read_dir(root().join("fixtures/scenarios")).expect("fixtures/scenarios") {
        let entry = entry.expect("directory entry");
        if entry.path().is_dir() {
            areas.push(entry.path());
        }
    }
    areas.sort();
    assert!(
        !areas.is_empty(),
        "no area directories under fixtures/scenarios"
    );
    for area in &areas {
        let mut in_area = 0;
        for path in load::collect_files(std::slice::from_ref(area)).expect("area directory") {
            let (_, _, count) = run_file(&path);
            in_area += count;
        }
        assert!(in_area > 0, "{} has no scenarios", relative(area));
        total += in_area;
    }
    // Every area the shipped rules declare has its scenarios.
    let loaded = shipped_rules();
    assert!(loaded.rulebase.areas.len() >= 9);
    for area in &loaded.rulebase.areas {
        assert!(
            areas.iter().any(|a| a.ends_with(&area.name)),
            "no scenario directory for the area `{}`",
            area.name
        );
    }
    assert!(total >= 100, "only {total} scenarios in fixtures/scenarios");
}
