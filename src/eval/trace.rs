//! The trace: a tree of steps that explains an answer. Data only; `render` prints it.

use super::seats::Allocation;
use crate::num::Num;
use crate::rulebase::*;

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Origin {
    /// Given by the user.
    Given,
    /// A parameter's value, given by the user instead of the encoded one.
    Overridden,
    /// A parameter's value in force: the index of the dated value.
    Param { value: u32 },
    /// A question answered by its rules; the step holds its explanation.
    Derived,
    /// A question already explained earlier in the trace.
    DerivedAbove,
    /// An input not given.
    Missing,
    /// A parameter with no value in force on the date.
    NoValue,
}

/// What happened to a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleVerdict {
    Applies,
    DoesNotApply,
    /// Its condition depends on facts not given.
    Undetermined,
    NotYetInForce(Start),
    NoLongerInForce(chrono::NaiveDate),
    /// It applies but an exception (by rule index) overrides it.
    Overridden {
        by: u32,
    },
    /// It applies but an exception may override it.
    PossiblyOverridden {
        by: u32,
    },
    /// An exception whose condition holds, but the rule it narrows (by index) does not apply.
    TargetDoesNotApply {
        to: u32,
    },
    /// The rule holds only under a reading of a contested point that is not the one taken.
    OtherReading(crate::rulebase::ReadingRef),
}

/// What decided a question.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decision {
    /// The rules that applied (by index, in the order written), all giving the answer. The
    /// first is the deciding rule whose citations the answer shows.
    Rules(Vec<u32>),
    /// `otherwise`: no rule applied.
    Default,
    /// A parameter's value in force.
    Value(u32),
}

#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StepKind {
    /// A question with its rules as children.
    Question {
        item: ItemId,
        value: Option<Value>,
        decision: Option<Decision>,
    },
    /// A rule and the conditions it evaluated.
    Rule {
        question: ItemId,
        rule: u32,
        verdict: RuleVerdict,
    },
    /// `otherwise`: no rule applied.
    Default {
        value: Option<Value>,
        ty: Type,
    },
    /// A name's value and where it came from. A derived question has its explanation as a child.
    Fact {
        item: ItemId,
        value: Option<Value>,
        origin: Origin,
    },
    /// A comparison, with its margin for numbers.
    Compare {
        text: std::sync::Arc<str>,
        op: crate::ops::BinaryOp,
        left: Option<Value>,
        right: Option<Value>,
        ty: Type,
        result: Option<bool>,
        margin: Option<Num>,
    },
    /// Another condition (`in`, an aggregate) and its value.
    Condition {
        text: std::sync::Arc<str>,
        value: Option<Value>,
        ty: Type,
    },
    /// A seat allocation and its step table.
    Allocation(Box<Allocation>),
    /// The item's area does not cover the date asked.
    NotCovered {
        item: ItemId,
    },
    Note(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub kind: StepKind,
    pub children: Vec<Step>,
}

impl Step {
    pub fn new(kind: StepKind) -> Step {
        Step {
            kind,
            children: Vec::new(),
        }
    }

    pub fn new_with(kind: StepKind, children: Vec<Step>) -> Step {
        Step { kind, children }
    }

    pub fn note(text: &str) -> Step {
        Step::new(StepKind::Note(text.to_string()))
    }

    pub fn fact(item: ItemId, value: Option<Value>, origin: Origin) -> Step {
        Step::new(StepKind::Fact {
            item,
            value,
            origin,
        })
    }

    pub fn rule(question: ItemId, rule: u32, verdict: RuleVerdict, children: Vec<Step>) -> Step {
        Step::new_with(
            StepKind::Rule {
                question,
                rule,
                verdict,
            },
            children,
        )
    }

    pub fn set_verdict(&mut self, new: RuleVerdict) {
        if let StepKind::Rule { verdict, .. } = &mut self.kind {
            *verdict = new;
        }
    }

    /// What decided the question at the root of this trace.
    pub fn decision(&self) -> Option<Decision> {
        match &self.kind {
            StepKind::Question { decision, .. } => decision.clone(),
            StepKind::Fact {
                origin: Origin::Param { value },
                value: Some(_),
                ..
            } => Some(Decision::Value(*value)),
            StepKind::Rule { .. }
            | StepKind::Default { .. }
            | StepKind::Fact { .. }
            | StepKind::Compare { .. }
            | StepKind::Condition { .. }
            | StepKind::Allocation(_)
            | StepKind::NotCovered { .. }
            | StepKind::Note(_) => None,
        }
    }

    /// Citations on the deciding path: the deciding rule's (or, for a default, those of the
    /// rules that did not apply), then those of the parameters and questions it relied on.
    pub fn deciding_citations(&self, rb: &Rulebase) -> Vec<Cite> {
        let mut found: Vec<Cite> = Vec::new();
        self.collect_citations(rb, &mut found);
        let mut unique: Vec<Cite> = Vec::new();
        for cite in found {
            if !unique.contains(&cite) {
                unique.push(cite);
            }
        }
        unique
    }

    fn collect_citations(&self, rb: &Rulebase, found: &mut Vec<Cite>) {
        match &self.kind {
            StepKind::Question { item, decision, .. } => {
                let ItemKind::Question { rules, .. } = &rb.item(*item).kind else {
                    return;
                };
                match decision {
                    Some(Decision::Rules(applied)) => {
                        let Some(idx) = applied.first() else {
                            return;
                        };
                        if let Some(rule) = rules.get(*idx as usize) {
                            found.extend(rule.citations.iter().cloned());
                        }
                        if let Some(step) = self.children.get(*idx as usize) {
                            step.children
                                .iter()
                                .for_each(|c| c.collect_citations(rb, found));
                        }
                    }
                    Some(Decision::Default) => {
                        for (idx, step) in self.children.iter().enumerate() {
                            let considered = matches!(
                                &step.kind,
                                StepKind::Rule {
                                    verdict: RuleVerdict::DoesNotApply
                                        | RuleVerdict::Overridden { .. },
                                    ..
                                }
                            );
                            if considered {
                                if let Some(rule) = rules.get(idx) {
                                    found.extend(rule.citations.iter().cloned());
                                }
                                step.children
                                    .iter()
                                    .for_each(|c| c.collect_citations(rb, found));
                            }
                        }
                    }
                    _ => {}
                }
            }
            StepKind::Fact {
                item,
                origin: Origin::Param { value },
                ..
            } => {
                if let ItemKind::Param { values } = &rb.item(*item).kind
                    && let Some(v) = values.get(*value as usize)
                {
                    found.extend(v.citations.iter().cloned());
                }
            }
            StepKind::Rule { .. }
            | StepKind::Default { .. }
            | StepKind::Fact { .. }
            | StepKind::Compare { .. }
            | StepKind::Condition { .. }
            | StepKind::Allocation(_)
            | StepKind::NotCovered { .. }
            | StepKind::Note(_) => self
                .children
                .iter()
                .for_each(|c| c.collect_citations(rb, found)),
        }
    }
}
