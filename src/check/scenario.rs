//! Checking scenario blocks against a rulebase: names resolved, givens and expectations typed.

use super::problem::CheckProblem;
use super::{Report, Resolver};
use crate::ast::{self, Item as AstItem};
use crate::diagnostic::Diagnostic;
use crate::rulebase::*;
use crate::source::SourceMap;
use crate::status::Status;

/// Checks every scenario in `asts` against `rulebase`. Declarations in scenario files are
/// refused: the law lives in the rules files.
pub fn check_scenarios(
    sources: &SourceMap,
    rulebase: &Rulebase,
    asts: &[ast::Ast],
) -> (Vec<Scenario>, Vec<Diagnostic>) {
    let mut report = Report::new();
    let mut checker = Resolver::new(sources, rulebase, &mut report);
    let mut scenarios = Vec::new();
    for ast in asts {
        for item in &ast.items {
            match item {
                AstItem::Scenario(scenario) => {
                    if let Some(checked) = checker.scenario(scenario) {
                        scenarios.push(checked);
                    }
                }
                other @ (AstItem::Area(_)
                | AstItem::Act(_)
                | AstItem::Source(_)
                | AstItem::Enum(_)
                | AstItem::Record(_)
                | AstItem::Input(_)
                | AstItem::Param(_)
                | AstItem::Question(_)
                | AstItem::Constraint(_)
                | AstItem::Contested(_)) => {
                    let span = item_span(other);
                    checker.error(
                        CheckProblem::DeclarationInScenarioFile.diagnostic()
                            .at(span, "move this into a rules file")
                            .hint("scenario files hold only `scenario` blocks; the rules come from --rules"),
                    );
                }
            }
        }
    }
    (scenarios, report.diagnostics)
}

fn item_span(item: &AstItem) -> crate::span::Span {
    match item {
        AstItem::Area(a) => a.span,
        AstItem::Act(n) | AstItem::Source(n) => n.span,
        AstItem::Enum(e) => e.span,
        AstItem::Record(r) => r.span,
        AstItem::Input(i) => i.span,
        AstItem::Param(p) => p.span,
        AstItem::Question(q) => q.span,
        AstItem::Scenario(s) => s.span,
        AstItem::Constraint(c) => c.span,
        AstItem::Contested(c) => c.span,
    }
}

pub fn status_from_word(word: &str) -> Option<Status> {
    match word {
        "answered" => Some(Status::Answered),
        "unknown" => Some(Status::Unknown),
        "needs_judgment" => Some(Status::NeedsJudgment),
        "not_covered" => Some(Status::NotCovered),
        "conflict" => Some(Status::Conflict),
        "contested" => Some(Status::Contested),
        _ => None,
    }
}

impl Resolver<'_> {
    fn resolve_name(&mut self, name: &ast::Ident) -> Option<ItemId> {
        match self.rb.lookup(&name.text) {
            Some(id) => Some(id),
            None => {
                let mut diagnostic = CheckProblem::UnknownName {
                    name: name.text.clone(),
                }
                .diagnostic()
                .at(name.span, "no input, parameter or question has this name");
                if let Some(close) =
                    self.closest(&name.text, self.rb.names.keys().map(String::as_str))
                {
                    diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
                }
                self.error(diagnostic);
                None
            }
        }
    }

    fn scenario(&mut self, scenario: &ast::Scenario) -> Option<Scenario> {
        let errors_before = self.report.problems;
        let mut givens = Vec::new();
        for given in &scenario.givens {
            let Some(id) = self.resolve_name(&given.name) else {
                continue;
            };
            if matches!(self.rb.item(id).kind, ItemKind::Question { .. }) {
                self.error(
                    CheckProblem::QuestionGiven {
                        name: given.name.text.clone(),
                    }
                    .diagnostic()
                    .at(given.name.span, "questions are answered from their rules")
                    .hint("give the inputs the question depends on"),
                );
                continue;
            }
            if givens.iter().any(|(g, _, _)| *g == id) {
                self.error(
                    CheckProblem::GivenTwice {
                        name: given.name.text.clone(),
                    }
                    .diagnostic()
                    .at(given.name.span, "given again here"),
                );
                continue;
            }
            let ty = self.rb.item(id).ty;
            if let Some(value) = self.const_value(&given.value, ty) {
                givens.push((id, value, given.span));
            }
        }
        let mut assumptions: Vec<Assumption> = Vec::new();
        for assume in &scenario.assumes {
            if assumptions.iter().any(|a| a.act == assume.act.text) {
                self.error(
                    CheckProblem::AssumedTwice {
                        act: assume.act.text.clone(),
                    }
                    .diagnostic()
                    .at(assume.act.span, "assumed again here"),
                );
                continue;
            }
            match crate::rulebase::assumption(self.rb, &assume.act.text, assume.date.date) {
                Ok(assumption) => assumptions.push(assumption),
                Err(problem) => self.error(
                    CheckProblem::Assumption(problem).diagnostic()
                        .at(assume.span, "cannot be assumed")
                        .hint("assume the day an act that dates an unsettled change took effect, within its window"),
                ),
            }
        }
        let mut expects = Vec::new();
        for expect in &scenario.expects {
            let Some(id) = self.resolve_name(&expect.name) else {
                continue;
            };
            if matches!(self.rb.item(id).kind, ItemKind::Input { .. }) {
                self.error(
                    CheckProblem::InputNotQuestion {
                        name: expect.name.text.clone(),
                    }
                    .diagnostic()
                    .at(
                        expect.name.span,
                        "only questions and parameters have answers to expect",
                    ),
                );
                continue;
            }
            let expected = match &expect.expected {
                ast::Expected::Value(e) => {
                    let ty = self.rb.item(id).ty;
                    match self.const_value(e, ty) {
                        Some(v) => ExpectedOutcome::Value(v),
                        None => continue,
                    }
                }
                ast::Expected::Status(word) => match status_from_word(&word.text) {
                    Some(status) => ExpectedOutcome::Status(status),
                    None => {
                        self.error(
                            CheckProblem::UnknownStatus { word: word.text.clone() }.diagnostic()
                                .at(word.span, "expected `answered`, `unknown`, `needs_judgment`, `not_covered`, `conflict` or `contested`"),
                        );
                        continue;
                    }
                },
            };
            let mut by_rule = None;
            let mut citing = Vec::new();
            for because in &expect.because {
                match because {
                    ast::Because::Default(_) => by_rule = Some(ExpectedDecision::Default),
                    ast::Because::Rule(rule) => {
                        let index = match &self.rb.item(id).kind {
                            ItemKind::Question { rules, .. } => {
                                rules.iter().position(|r| r.name == rule.text)
                            }
                            ItemKind::Input { .. } | ItemKind::Param { .. } => None,
                        };
                        let Some(index) = index else {
                            let names: Vec<String> = match &self.rb.item(id).kind {
                                ItemKind::Question { rules, .. } => {
                                    rules.iter().map(|r| r.name.clone()).collect()
                                }
                                ItemKind::Input { .. } | ItemKind::Param { .. } => Vec::new(),
                            };
                            let mut diagnostic = CheckProblem::NoSuchRule {
                                question: expect.name.text.clone(),
                                rule: rule.text.clone(),
                            }
                            .diagnostic()
                            .at(rule.span, "no such rule");
                            if let Some(close) =
                                self.closest(&rule.text, names.iter().map(String::as_str))
                            {
                                diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
                            } else {
                                diagnostic = diagnostic
                                    .hint("use `by default` for an answer given by `otherwise`");
                            }
                            self.error(diagnostic);
                            continue;
                        };
                        by_rule = Some(ExpectedDecision::Rule(index as u32));
                    }
                    ast::Because::Citing(text, _) => citing.push(text.clone()),
                }
            }
            let mut under: Vec<ReadingRef> = Vec::new();
            for name in &expect.under {
                let Some(reading) = self.reading_ref(name) else {
                    continue;
                };
                if under.iter().any(|r| r.point == reading.point) {
                    self.error(
                        CheckProblem::TwoReadingsAtOnce {
                            point: self.rb.point(reading.point).name.to_string(),
                        }
                        .diagnostic()
                        .at(name.span, "a point is read one way at a time"),
                    );
                    continue;
                }
                under.push(reading);
            }
            expects.push(Expectation {
                item: id,
                under,
                expected,
                by_rule,
                citing,
                span: expect.span,
            });
        }
        if self.report.problems > errors_before {
            return None;
        }
        Some(Scenario {
            title: scenario.title.clone(),
            as_of: scenario.as_of.date,
            givens,
            assumptions,
            expects,
            span: scenario.span,
        })
    }
}
