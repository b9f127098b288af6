//! Reports as data: the results of `zan run` as a JSON test report or JUnit XML (which CI
//! systems read), and the diagnostics of `zan check` as JSON, with its summary in text.
//!
//! It takes scenario results and diagnostics already computed and only shapes them; the
//! wording of each failure is the scenario runner's, of each diagnostic the checker's.

use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::EvalError;
use crate::render;
use crate::rulebase::{ExpectedDecision, ExpectedOutcome, ItemKind, Rulebase};
use crate::scenario::ScenarioResult;
use crate::source::SourceMap;
use crate::span::Span;
use serde_json::{Value as J, json};

/// One scenario's result with where it is written (`file:line:column`) and its file.
pub struct Ran<'a> {
    pub file: String,
    pub location: String,
    pub result: &'a ScenarioResult,
}

fn receipt(rb: &Rulebase) -> J {
    json!({"engine": format!("zan {}", env!("CARGO_PKG_VERSION")), "rules_sha256": rb.digest})
}

/// `zan run --format json`: `{"passed", "failed", "scenarios": [{file, location, title,
/// as_of, passed, expectations: [{question, expected, status, answer, decided_by, passed,
/// failures, error}]}], "receipt"}`.
pub fn run_json(rb: &Rulebase, ran: &[Ran<'_>]) -> J {
    let passed = ran.iter().filter(|r| r.result.passed()).count();
    let scenarios: Vec<J> = ran
        .iter()
        .map(|r| {
            let expectations: Vec<J> = r
                .result
                .checked
                .iter()
                .map(|checked| {
                    let item = rb.item(checked.expectation.item);
                    let expected = match &checked.expectation.expected {
                        ExpectedOutcome::Value(value) => {
                            json!({"answer": render::json::value(rb, item.ty, value)})
                        }
                        ExpectedOutcome::Status(status) => json!({"status": status.as_str()}),
                    };
                    let (status, answer, (decision, decided_by), error) = match &checked.answer {
                        Ok(answer) => (
                            J::from(answer.status.as_str()),
                            answer
                                .value
                                .as_ref()
                                .map_or(J::Null, |v| render::json::value(rb, item.ty, v)),
                            render::json::decided(
                                rb,
                                answer.question,
                                answer.status,
                                answer.decided_by.as_ref(),
                            ),
                            J::Null,
                        ),
                        Err(error) => (
                            J::Null,
                            J::Null,
                            (J::Null, J::Array(Vec::new())),
                            json!({"code": error.code().as_str(), "message": error.to_string()}),
                        ),
                    };
                    let by_rule = match &checked.expectation.by_rule {
                        Some(ExpectedDecision::Rule(idx)) => match &item.kind {
                            ItemKind::Question { rules, .. } => rules
                                .get(*idx as usize)
                                .map_or(J::Null, |r| json!({"rule": r.name})),
                            ItemKind::Input { .. } | ItemKind::Param { .. } => J::Null,
                        },
                        Some(ExpectedDecision::Default) => json!({"default": true}),
                        None => J::Null,
                    };
                    json!({
                        "question": item.name,
                        "expected": expected,
                        "by": by_rule,
                        "citing": checked.expectation.citing,
                        "status": status,
                        "answer": answer,
                        "decision": decision,
                        "decided_by": decided_by,
                        "passed": checked.failures.is_empty(),
                        "failures": render::scenario_failures(rb, checked),
                        "error": error,
                    })
                })
                .collect();
            json!({
                "file": r.file,
                "location": r.location,
                "title": r.result.title,
                "as_of": r.result.as_of.to_string(),
                "passed": r.result.passed(),
                "expectations": expectations,
            })
        })
        .collect();
    json!({
        "passed": passed,
        "failed": ran.len() - passed,
        "scenarios": scenarios,
        "receipt": receipt(rb),
    })
}

/// Text for XML: `&`, `<`, `>`, `"` and `'` escaped; characters XML 1.0 forbids dropped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            ch if (ch as u32) < 0x20 || ch == '\u{FFFE}' || ch == '\u{FFFF}' => {}
            ch => out.push(ch),
        }
    }
    out
}

/// `zan run --format junit`: one `<testsuite>` per scenario file, one `<testcase>` per
/// scenario, a `<failure>` listing each failed expectation.
pub fn run_junit(rb: &Rulebase, ran: &[Ran<'_>]) -> String {
    let failed = ran.iter().filter(|r| !r.result.passed()).count();
    let mut files: Vec<&str> = Vec::new();
    for r in ran {
        if !files.contains(&r.file.as_str()) {
            files.push(&r.file);
        }
    }
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"zan\" tests=\"{}\" failures=\"{failed}\" errors=\"0\">\n",
        ran.len()
    );
    for file in files {
        let cases: Vec<&Ran<'_>> = ran.iter().filter(|r| r.file == file).collect();
        let file_failed = cases.iter().filter(|r| !r.result.passed()).count();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{file_failed}\" errors=\"0\">\n",
            xml(file),
            cases.len()
        ));
        for case in cases {
            let name = format!("{} (as of {})", case.result.title, case.result.as_of);
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"",
                xml(file),
                xml(&name),
                xml(file)
            ));
            if case.result.passed() {
                out.push_str("/>\n");
                continue;
            }
            let mut lines = vec![format!("at {}", case.location)];
            for checked in &case.result.checked {
                for failure in render::scenario_failures(rb, checked) {
                    lines.push(format!(
                        "{}: {failure}",
                        rb.item(checked.expectation.item).name
                    ));
                }
            }
            out.push_str(&format!(
                ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                xml(lines.get(1).map_or("", String::as_str)),
                xml(&lines.join("\n"))
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// An evaluation error (division by zero, overflow, ...) as a diagnostic like any other: the
/// rule's source line with a caret, and what to do about it.
pub fn eval_error(error: &EvalError) -> Diagnostic {
    let diagnostic = Diagnostic::error(error.code(), error.to_string()).hint(
        "the calculation cannot be carried out with these facts: check the values given, and the rule shown",
    );
    match error.span {
        Some(span) => diagnostic.at(span, "while evaluating this"),
        None => diagnostic,
    }
}

fn position(sources: &SourceMap, span: Span) -> J {
    match sources.get(span.file) {
        Some(file) => {
            let (line, column) = file.line_col(span.start as usize);
            let (end_line, end_column) = file.line_col(span.end as usize);
            json!({
                "file": file.name,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
            })
        }
        None => J::Null,
    }
}

/// One diagnostic as data: severity, its stable code (`docs/errors.md`), message, where
/// (file, line, column, end), its label, the other places it names, and the hint.
pub fn diagnostic_json(sources: &SourceMap, diagnostic: &Diagnostic) -> J {
    let (at, label) = match &diagnostic.primary {
        Some((span, label)) => (position(sources, *span), J::from(label.clone())),
        None => (J::Null, J::Null),
    };
    let secondary: Vec<J> = diagnostic
        .secondary
        .iter()
        .map(|(span, label)| json!({"at": position(sources, *span), "label": label}))
        .collect();
    json!({
        "code": diagnostic.code.as_str(),
        "severity": match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "message": diagnostic.message,
        "at": at,
        "label": label,
        "secondary": secondary,
        "hint": diagnostic.hint,
    })
}

/// What `zan check` found, counted.
pub struct CheckSummary<'a> {
    pub files: usize,
    pub askable: usize,
    pub rules: usize,
    /// Acts and sources taken from shipped files not checked.
    pub borrowed: &'a [crate::companions::Borrowed],
}

impl<'a> CheckSummary<'a> {
    /// The counts of what `alone` checked: its files, the questions and parameters, the rules.
    pub fn of(alone: &'a crate::companions::Alone) -> CheckSummary<'a> {
        let rb = &alone.loaded.rulebase;
        let rules = rb
            .items
            .iter()
            .map(|item| match &item.kind {
                ItemKind::Question { rules, .. } => rules.len(),
                ItemKind::Input { .. } | ItemKind::Param { .. } => 0,
            })
            .sum();
        CheckSummary {
            files: alone.given,
            askable: rb.askable().count(),
            rules,
            borrowed: &alone.borrowed,
        }
    }
}

/// `zan check`'s text summary: a note for each declaration borrowed from a shipped file, then
/// `checked N file(s): ...` with the counts of errors and warnings among `diagnostics`.
pub fn check_text(diagnostics: &[Diagnostic], summary: &CheckSummary<'_>) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let mut out = String::new();
    for b in summary.borrowed {
        out.push_str(&format!(
            "note: `{}` is declared in {}, a shipped file not checked here; its declaration was used\n",
            b.name, b.declared_at
        ));
    }
    out.push_str(&format!(
        "checked {} file(s): {} question(s) and parameter(s), {} rule(s), {errors} error(s), {warnings} warning(s)\n",
        summary.files, summary.askable, summary.rules
    ));
    out
}

/// `zan check --format json`: `{"ok", "files", "questions_and_parameters", "rules",
/// "errors", "warnings", "diagnostics": [...], "borrowed": [{name, declared_at}]}`.
pub fn check_json(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    summary: &CheckSummary<'_>,
) -> J {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    json!({
        "ok": errors == 0,
        "files": summary.files,
        "questions_and_parameters": summary.askable,
        "rules": summary.rules,
        "errors": errors,
        "warnings": diagnostics.len() - errors,
        "diagnostics": diagnostics.iter().map(|d| diagnostic_json(sources, d)).collect::<Vec<_>>(),
        "borrowed": summary.borrowed.iter().map(|b| json!({"name": b.name, "declared_at": b.declared_at})).collect::<Vec<_>>(),
    })
}
