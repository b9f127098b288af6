//! Helpers shared by the test modules: load rules from text, answer, render.

use zan::eval::{self, Answer, Facts};
use zan::load::{self, Loaded};
use zan::rulebase::ItemId;

/// Loads rules from text and asserts they check without errors.
pub fn rules(text: &str) -> Loaded {
    let loaded = load::load_text(&[("test.zan", text)]);
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(
        errors.is_empty(),
        "rules do not check:\n{}",
        zan::diagnostic::render(&loaded.sources, &loaded.diagnostics)
    );
    loaded
}

/// The rendered diagnostics of rules text (errors and warnings).
pub fn diagnostics(name: &str, text: &str) -> String {
    let loaded = load::load_text(&[(name, text)]);
    zan::diagnostic::render(&loaded.sources, &loaded.diagnostics)
}

pub fn id(loaded: &Loaded, name: &str) -> ItemId {
    loaded
        .rulebase
        .lookup(name)
        .unwrap_or_else(|| panic!("no item `{name}`"))
}

/// Answers `question` as of `date` with `given` facts written as on the command line.
pub fn ask(loaded: &Loaded, question: &str, date: &str, given: &[&str]) -> Answer {
    let rb = &loaded.rulebase;
    let mut facts = Facts::new(rb);
    for argument in given {
        let (item, value) = zan::facts::parse_given(rb, argument)
            .unwrap_or_else(|e| panic!("bad given {argument}: {e}"));
        facts.set(item, value);
    }
    let date = date.parse().expect("test date");
    eval::answer(rb, id(loaded, question), date, &facts).expect("evaluation error")
}

pub fn text(loaded: &Loaded, answer: &Answer) -> String {
    zan::render::text::answer(&loaded.rulebase, answer, zan::render::text::Explain::Full)
}

/// The answer's value as an analyst reads it, or its status.
pub fn shown(loaded: &Loaded, answer: &Answer) -> String {
    let item = loaded.rulebase.item(answer.question);
    match &answer.value {
        Some(value) => zan::render::format_value(&loaded.rulebase, item.ty, value),
        None => answer.status.as_str().to_string(),
    }
}

/// What a run of the real binary printed, and how it exited.
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// Runs the `zan` binary from the crate root, without colour.
pub fn zan(args: &[&str]) -> Run {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_zan"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run zan");
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    }
}

/// What decided an answer, as one string: the rules' names joined by `; `, or `(default)` /
/// `(value)`; `None` when nothing decided it.
pub fn decided(loaded: &Loaded, answer: &Answer) -> Option<String> {
    answer
        .decided_by
        .as_ref()
        .map(|d| zan::render::json::decided_cell(&loaded.rulebase, answer.question, d))
}
