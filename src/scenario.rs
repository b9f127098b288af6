//! Running scenarios: each expectation is evaluated and compared with the answer — its value
//! or status, and, when the scenario names them, the deciding rule and a citation on the
//! deciding path. A right answer for the wrong reason fails.

use crate::eval::{self, Answer, Decision, Facts, Status};
use crate::rulebase::*;

/// The result of one expectation.
#[derive(Debug)]
pub struct Checked {
    /// What the scenario expects.
    pub expectation: Expectation,
    /// The answer given (or the evaluation error).
    pub answer: Result<Answer, eval::EvalError>,
    /// Empty when the expectation holds; otherwise each way it failed (worded by
    /// `render::scenario_failure`).
    pub failures: Vec<Failure>,
}

/// One way an expectation failed, as data; `render` words it.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// The evaluation stopped with an error.
    Evaluation(eval::EvalError),
    /// The expectation names a reading the answer never looked at.
    ReadingUnused(ReadingRef),
    /// A value was expected and another found.
    Value { expected: Value, found: Value },
    /// A value was expected and the answer has none, only a status.
    NoValue { expected: Value, found: Status },
    /// A status was expected and another found (with the answer's value, if any).
    Status {
        expected: Status,
        found: Status,
        value: Option<Value>,
    },
    /// The scenario names what decides (a rule, or `by default`) and something else (or
    /// nothing) decided.
    DecidedBy {
        expected: ExpectedDecision,
        found: Option<Decision>,
    },
    /// No citation on the deciding path contains the text; `found` is what was cited.
    Citation { text: String, found: Vec<Cite> },
}

/// The result of one scenario.
#[derive(Debug)]
pub struct ScenarioResult {
    /// The scenario's title.
    pub title: String,
    /// Its date.
    pub as_of: chrono::NaiveDate,
    /// Each expectation, with the answer and how it failed.
    pub checked: Vec<Checked>,
}

impl ScenarioResult {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.checked.iter().all(|c| c.failures.is_empty())
    }
}

/// Runs one scenario against the rulebase.
pub fn run(rb: &Rulebase, scenario: &Scenario) -> ScenarioResult {
    // One thread with a large stack for the whole scenario, not one per expectation.
    eval::on_big_stack(|| run_in_place(rb, scenario))
}

/// Runs one scenario with `readings` taken (`--reading`); an expectation's own `under reading`
/// takes precedence for its point.
pub fn run_under(rb: &Rulebase, scenario: &Scenario, readings: &[ReadingRef]) -> ScenarioResult {
    eval::on_big_stack(|| run_in_place_under(rb, scenario, readings))
}

fn run_in_place(rb: &Rulebase, scenario: &Scenario) -> ScenarioResult {
    run_in_place_under(rb, scenario, &[])
}

fn run_in_place_under(
    rb: &Rulebase,
    scenario: &Scenario,
    readings: &[ReadingRef],
) -> ScenarioResult {
    let mut facts = Facts::new(rb);
    for assumption in &scenario.assumptions {
        facts.assume(assumption.clone());
    }
    for (item, value, _) in &scenario.givens {
        facts.set(*item, value.clone());
    }
    let checked = scenario
        .expects
        .iter()
        .map(|expectation| {
            let mut chosen = expectation.under.clone();
            chosen.extend(
                readings
                    .iter()
                    .filter(|r| !expectation.under.iter().any(|own| own.point == r.point)),
            );
            let answer =
                eval::readings::answer_under(rb, expectation.item, scenario.as_of, &facts, &chosen);
            let failures = match &answer {
                Ok(answer) => failures(expectation, answer),
                Err(error) => vec![Failure::Evaluation(error.clone())],
            };
            Checked {
                expectation: expectation.clone(),
                answer,
                failures,
            }
        })
        .collect();
    ScenarioResult {
        title: scenario.title.clone(),
        as_of: scenario.as_of,
        checked,
    }
}

fn failures(expectation: &Expectation, answer: &Answer) -> Vec<Failure> {
    let mut failures = Vec::new();
    // A reading named in the expectation that the answer never looked at is a mistake in the
    // scenario (or a rule that lost its reading).
    for reading in &expectation.under {
        if !answer.readings_used.contains(reading) {
            failures.push(Failure::ReadingUnused(*reading));
        }
    }
    match &expectation.expected {
        ExpectedOutcome::Value(expected) => match (&answer.value, answer.status) {
            (Some(actual), Status::Answered) if values_equal(expected, actual) => {}
            (Some(actual), _) => failures.push(Failure::Value {
                expected: expected.clone(),
                found: actual.clone(),
            }),
            (None, status) => failures.push(Failure::NoValue {
                expected: expected.clone(),
                found: status,
            }),
        },
        ExpectedOutcome::Status(status) => {
            if *status != answer.status {
                failures.push(Failure::Status {
                    expected: *status,
                    found: answer.status,
                    value: answer.value.clone(),
                });
            }
        }
    }
    if let Some(expected) = &expectation.by_rule {
        let met = match (expected, &answer.decided_by) {
            (ExpectedDecision::Rule(rule), Some(Decision::Rules(applied))) => {
                applied.contains(rule)
            }
            (ExpectedDecision::Default, Some(Decision::Default)) => true,
            (ExpectedDecision::Rule(_) | ExpectedDecision::Default, _) => false,
        };
        if !met {
            failures.push(Failure::DecidedBy {
                expected: expected.clone(),
                found: answer.decided_by.clone(),
            });
        }
    }
    for text in &expectation.citing {
        let cited = answer
            .citations
            .iter()
            .any(|c| c.article.contains(text.as_str()) || c.act_title.contains(text.as_str()));
        if !cited {
            failures.push(Failure::Citation {
                text: text.clone(),
                found: answer.citations.clone(),
            });
        }
    }
    failures
}

/// Seat allocations compare as sets of (list, seats); other values exactly.
fn values_equal(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Seats(a), Value::Seats(b)) => {
            let mut a: Vec<_> = a.iter().collect();
            let mut b: Vec<_> = b.iter().collect();
            a.sort();
            b.sort();
            a == b
        }
        _ => expected == actual,
    }
}
