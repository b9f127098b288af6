//! The evaluator: a question, a date and given facts -> an [`Answer`] with its [`Step`] trace.
//!
//! It takes a checked [`Rulebase`] (never the AST). Logic is three-valued: a missing fact is
//! unknown, and `and`/`or` short-circuit (false and unknown = false). Only the law in force on
//! the date asked is used; outside an area's period the answer is `not_covered`. When the date
//! falls inside the window of a change whose calendar day is not established, the question is
//! evaluated with and without the change: the same answer either way stands, otherwise the
//! answer is `unknown` and names the unsettled change.
//!
//! Evaluation does no string look-ups: items, rules, fields and enum values are ids.

mod expr;
pub mod readings;
pub mod seats;
mod trace;

pub use trace::*;

use crate::num::Num;
use crate::rulebase::*;
use crate::span::Span;
use chrono::NaiveDate;
use std::sync::Arc;

/// How an answer came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Answered,
    Unknown,
    NeedsJudgment,
    NotCovered,
    Conflict,
    /// The answer depends on how a contested provision is read: see [`Answer::readings`].
    Contested,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Answered => "answered",
            Status::Unknown => "unknown",
            Status::NeedsJudgment => "needs_judgment",
            Status::NotCovered => "not_covered",
            Status::Conflict => "conflict",
            Status::Contested => "contested",
        }
    }
}

/// Facts given for one evaluation: a value per item id (inputs, or parameters overridden).
#[derive(Clone, Debug, Default)]
pub struct Facts {
    values: Vec<Option<Value>>,
}

impl Facts {
    pub fn new(rulebase: &Rulebase) -> Facts {
        Facts {
            values: vec![None; rulebase.items.len()],
        }
    }

    pub fn set(&mut self, item: ItemId, value: Value) {
        if let Some(slot) = self.values.get_mut(item.0 as usize) {
            *slot = Some(value);
        }
    }

    pub fn get(&self, item: ItemId) -> Option<&Value> {
        self.values.get(item.0 as usize).and_then(Option::as_ref)
    }
}

/// Who needs a missing fact: the question and, when a rule asked, which rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Need {
    pub question: ItemId,
    pub rule: Option<u32>,
}

/// Why a value is not known.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Missing {
    /// An input or judgment that was not given.
    Fact { item: ItemId, need: Option<Need> },
    /// A change whose day is not established, and the date asked falls in its window.
    Window(WindowId),
    /// The item's area does not cover the date asked.
    NotCovered(ItemId),
    /// The parameter has no value in force on the date asked.
    NoValue(ItemId),
    /// Two rules of the question apply and disagree.
    Conflict {
        item: ItemId,
        first: u32,
        second: u32,
    },
    /// The encoded law does not provide an answer.
    Gap(Arc<str>),
    /// No rule of the question applies on the date and it has no `otherwise` default.
    NoRule(ItemId),
    /// The answer differs depending on how this contested point is read.
    Reading(PointId),
}

/// A three-valued result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tv {
    Known(Value),
    Unknown(Vec<Missing>),
}

impl Tv {
    fn merge_missing(a: &Tv, b: &Tv) -> Tv {
        let mut missing = Vec::new();
        for tv in [a, b] {
            if let Tv::Unknown(m) = tv {
                missing.extend(m.iter().cloned());
            }
        }
        Tv::Unknown(missing)
    }
}

/// An error that stops an evaluation: the input makes the law's arithmetic impossible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    pub message: String,
    pub span: Option<Span>,
}

/// The answer to one question as of one date.
#[derive(Clone, Debug)]
pub struct Answer {
    pub question: ItemId,
    pub as_of: NaiveDate,
    pub status: Status,
    pub value: Option<Value>,
    /// The rule that decided, or `default` when `otherwise` did.
    pub decided_by: Option<String>,
    /// Citations on the deciding path, without repeats, in the order met.
    pub citations: Vec<Cite>,
    /// Why the answer is not `answered`, without repeats.
    pub missing: Vec<Missing>,
    pub trace: Step,
    pub notes: Vec<String>,
    /// When the answer is unknown because it depends on unsettled changes: the answer under
    /// each combination of them (each branch's own trace), so that the renderers can show
    /// "before the change: false (...); after it: true (...)". Empty otherwise.
    pub branches: Vec<Branch>,
    /// When the answer is `contested`: the answer under each combination of readings, the
    /// default combination first. Empty otherwise.
    pub readings: Vec<ReadingBranch>,
    /// The readings the answer was taken under: those chosen (`--reading`) that the question
    /// depends on, or, for a contested answer, none. For the receipt.
    pub readings_used: Vec<ReadingRef>,
    /// The contested points the question depends on whose readings all gave this same answer.
    pub readings_agree: Vec<PointId>,
}

/// The answer under one combination of readings.
#[derive(Clone, Debug)]
pub struct ReadingBranch {
    /// The reading of each contested point weighed.
    pub chosen: Vec<ReadingRef>,
    /// The answer under those readings, with its own trace, citations and window branches.
    pub answer: Box<Answer>,
}

/// The answer in one world: the unsettled changes that had (or had not) applied, and what
/// the question answers there.
#[derive(Clone, Debug)]
pub struct Branch {
    /// Each change weighed, and whether it had applied in this branch.
    pub applied: Vec<(WindowId, bool)>,
    pub status: Status,
    pub value: Option<Value>,
    pub decided_by: Option<String>,
    pub missing: Vec<Missing>,
    pub trace: Step,
}

/// At most this many unsettled changes are weighed in one question (2^N evaluations).
const MAX_WINDOWS: usize = 6;
/// Questions may depend on questions at most this deep.
const MAX_DEPTH: usize = 200;

struct Evaluator<'r> {
    rb: &'r Rulebase,
    facts: &'r Facts,
    as_of: NaiveDate,
    /// Per window: has the change applied in the world being evaluated?
    world: Vec<bool>,
    touched: Vec<WindowId>,
    cache: Vec<Option<Tv>>,
    locals: Vec<Value>,
    need: Option<Need>,
    depth: usize,
    /// Expressions being evaluated, one inside the other, across questions.
    expr_depth: usize,
    /// Per contested point: the reading taken in the world being evaluated (`None`: its default,
    /// or its first reading).
    chosen: &'r [Option<u32>],
    /// Contested points whose reading the evaluation looked at.
    touched_points: Vec<PointId>,
}

/// Expressions may nest, through questions that depend on questions, at most this deep.
const MAX_EXPR_DEPTH: usize = 4_000;
/// The stack an answer is computed on. Evaluation recurses once per question and once per
/// expression level; at the limits above that needs some tens of MiB in a debug build, more
/// than a main thread (8 MiB) or a test thread (2 MiB) has. The memory is only reserved.
pub const EVAL_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Runs `work` on a thread with [`EVAL_STACK_BYTES`] of stack (or here, if no thread can be
/// started). Callers that answer many questions wrap the whole loop in one call and use
/// [`answer_in_place`] inside it, so that no thread is started per answer.
pub fn on_big_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    // The work is shared by reference so that it can still run here if no thread can start.
    let slot = std::sync::Mutex::new(Some(work));
    let take = || slot.lock().ok().and_then(|mut guard| guard.take());
    let from_thread = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("zan-eval".to_string())
            .stack_size(EVAL_STACK_BYTES)
            .spawn_scoped(scope, || take().map(|w| w()));
        match spawned {
            Ok(handle) => match handle.join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(_) => None,
        }
    });
    match from_thread.or_else(|| take().map(|w| w())) {
        Some(value) => value,
        // The work is taken exactly once, by the thread or here.
        None => std::process::abort(),
    }
}

/// Answers `question` as of `as_of` from `facts`, on a thread with a stack large enough for
/// the deepest rules the limits allow.
pub fn answer(
    rb: &Rulebase,
    question: ItemId,
    as_of: NaiveDate,
    facts: &Facts,
) -> Result<Answer, EvalError> {
    on_big_stack(|| answer_in_place(rb, question, as_of, facts))
}

/// Answers on the current thread: call it from inside [`on_big_stack`] (or a thread with
/// [`EVAL_STACK_BYTES`] of stack), so that the deepest rules the limits allow cannot overflow it.
pub fn answer_in_place(
    rb: &Rulebase,
    question: ItemId,
    as_of: NaiveDate,
    facts: &Facts,
) -> Result<Answer, EvalError> {
    readings::answer_under(rb, question, as_of, facts, &[])
}

/// Answers in one world of readings (`chosen`, per contested point), weighing unsettled
/// changes; also returns the contested points the evaluation looked at.
fn answer_in_world(
    rb: &Rulebase,
    question: ItemId,
    as_of: NaiveDate,
    facts: &Facts,
    chosen: &[Option<u32>],
) -> Result<(Answer, Vec<PointId>), EvalError> {
    let points = std::cell::RefCell::new(Vec::new());
    let answer = answer_in_world_inner(rb, question, as_of, facts, chosen, &points)?;
    let mut points = points.into_inner();
    points.sort();
    points.dedup();
    Ok((answer, points))
}

fn answer_in_world_inner(
    rb: &Rulebase,
    question: ItemId,
    as_of: NaiveDate,
    facts: &Facts,
    chosen: &[Option<u32>],
    points: &std::cell::RefCell<Vec<PointId>>,
) -> Result<Answer, EvalError> {
    let run = |world: Vec<bool>| -> Result<(Tv, Step, Vec<WindowId>), EvalError> {
        let mut evaluator = Evaluator {
            rb,
            facts,
            as_of,
            world,
            touched: Vec::new(),
            cache: vec![None; rb.items.len()],
            locals: vec![Value::Bool(false); rb.max_locals as usize],
            need: None,
            depth: 0,
            expr_depth: 0,
            chosen,
            touched_points: Vec::new(),
        };
        let (tv, step) = evaluator.item(question)?;
        points
            .borrow_mut()
            .extend(evaluator.touched_points.iter().copied());
        let mut touched = evaluator.touched;
        touched.sort();
        touched.dedup();
        Ok((tv, step, touched))
    };
    let before = vec![false; rb.windows.len()];
    let (tv, step, touched) = run(before)?;
    if touched.is_empty() {
        return Ok(finish(rb, question, as_of, tv, step, Vec::new()));
    }
    // The date falls inside one or more windows that this question depends on: weigh every
    // combination of "applied" and "not yet applied".
    let weighed: Vec<WindowId> = touched.iter().copied().take(MAX_WINDOWS).collect();
    let mut outcomes = vec![(tv, step)];
    for combination in 1..(1u32 << weighed.len()) {
        let mut world = vec![false; rb.windows.len()];
        for (bit, window) in weighed.iter().enumerate() {
            world[window.0 as usize] = combination & (1 << bit) != 0;
        }
        let (tv, step, _) = run(world)?;
        outcomes.push((tv, step));
    }
    let describe = |windows: &[WindowId]| -> String {
        windows
            .iter()
            .map(|w| {
                let window = rb.window(*w);
                format!(
                    "{} (from a day between {} and {})",
                    window.what, window.earliest, window.known
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let first = &outcomes[0].0;
    let agree = outcomes.iter().all(|(tv, _)| tv == first);
    if agree {
        let (tv, step) = outcomes.pop().unwrap_or_else(unreachable_outcome);
        let note = format!(
            "{as_of} falls within the window of an unsettled change: {}; the answer is the same whether or not it had applied",
            describe(&weighed)
        );
        return Ok(finish(rb, question, as_of, tv, step, vec![note]));
    }
    // Name only the changes that matter: those for which two worlds differing in that change
    // alone give different answers.
    let deciding: Vec<WindowId> = weighed
        .iter()
        .enumerate()
        .filter(|(bit, _)| {
            (0..outcomes.len()).any(|combination| {
                let flipped = combination | (1 << bit);
                combination & (1 << bit) == 0
                    && outcomes
                        .get(flipped)
                        .is_some_and(|(tv, _)| *tv != outcomes[combination].0)
            })
        })
        .map(|(_, window)| *window)
        .collect();
    let deciding = if deciding.is_empty() {
        weighed.clone()
    } else {
        deciding
    };
    // Every combination weighed, each with its own trace; the renderers choose which to show.
    let branches: Vec<Branch> = outcomes
        .iter()
        .enumerate()
        .map(|(combination, (tv, step))| {
            let applied = weighed
                .iter()
                .enumerate()
                .map(|(bit, window)| (*window, combination & (1 << bit) != 0))
                .collect();
            let answer = finish(rb, question, as_of, tv.clone(), step.clone(), Vec::new());
            Branch {
                applied,
                status: answer.status,
                value: answer.value,
                decided_by: answer.decided_by,
                missing: answer.missing,
                trace: answer.trace,
            }
        })
        .collect();
    let (_, step) = outcomes.swap_remove(0);
    let note = format!(
        "{as_of} falls within the window of an unsettled change: {}; the answer differs depending on whether it had applied (the first trace shows the law before the change)",
        describe(&deciding)
    );
    let missing = deciding.into_iter().map(Missing::Window).collect();
    let mut answer = finish(rb, question, as_of, Tv::Unknown(missing), step, vec![note]);
    answer.branches = branches;
    Ok(answer)
}

fn unreachable_outcome() -> (Tv, Step) {
    (Tv::Unknown(Vec::new()), Step::note("no outcome"))
}

fn status_of(rb: &Rulebase, missing: &[Missing]) -> Status {
    if missing.iter().any(|m| matches!(m, Missing::Reading(_))) {
        Status::Contested
    } else if missing
        .iter()
        .any(|m| matches!(m, Missing::Conflict { .. }))
    {
        Status::Conflict
    } else if missing.iter().any(|m| {
        matches!(
            m,
            Missing::NotCovered(_) | Missing::NoValue(_) | Missing::Gap(_)
        )
    }) {
        Status::NotCovered
    } else if !missing.is_empty()
        && missing.iter().all(|m| match m {
            Missing::Fact { item, .. } => {
                matches!(rb.item(*item).kind, ItemKind::Input { judgment: true })
            }
            _ => false,
        })
    {
        Status::NeedsJudgment
    } else {
        Status::Unknown
    }
}

fn finish(
    rb: &Rulebase,
    question: ItemId,
    as_of: NaiveDate,
    tv: Tv,
    trace: Step,
    notes: Vec<String>,
) -> Answer {
    let (status, value, mut missing) = match tv {
        Tv::Known(value) => (Status::Answered, Some(value), Vec::new()),
        Tv::Unknown(missing) => (status_of(rb, &missing), None, missing),
    };
    // Keep the first mention of each missing fact (the rule that first needed it).
    let mut seen: Vec<Missing> = Vec::new();
    missing.retain(|m| {
        let key = match m {
            Missing::Fact { item, .. } => Missing::Fact {
                item: *item,
                need: None,
            },
            other => other.clone(),
        };
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
    let decided_by = trace.decision().map(|decision| match decision {
        Decision::Rule(idx) => match &rb.item(question).kind {
            ItemKind::Question { rules, .. } => rules
                .get(idx as usize)
                .map_or_else(String::new, |r| r.name.clone()),
            _ => String::new(),
        },
        Decision::Default => "default".to_string(),
        Decision::Value(_) => "value".to_string(),
    });
    let citations = if status == Status::Answered {
        trace.deciding_citations(rb)
    } else {
        Vec::new()
    };
    Answer {
        question,
        as_of,
        status,
        value,
        decided_by,
        citations,
        missing,
        trace,
        notes,
        branches: Vec::new(),
        readings: Vec::new(),
        readings_used: Vec::new(),
        readings_agree: Vec::new(),
    }
}

/// Whether something is in force on the date, per the world being evaluated.
enum InForce {
    Yes,
    NotYet(Start),
    NoLonger(NaiveDate),
}

impl Evaluator<'_> {
    fn started(&mut self, start: Start) -> bool {
        if self.as_of < start.earliest {
            false
        } else if self.as_of >= start.known {
            true
        } else {
            match start.window {
                Some(window) => {
                    self.touched.push(window);
                    self.world.get(window.0 as usize).copied().unwrap_or(false)
                }
                None => true,
            }
        }
    }

    /// The reading of `point` in the world being evaluated, or `None` when the point does not
    /// arise there (it arises only within a reading of another point that is not taken).
    fn reading_of(&mut self, point: PointId) -> Option<u32> {
        let mut current = point;
        let mut steps = 0;
        // Check the chain of `within` first; the checker has broken any circle.
        while let Some(within) = self.rb.point(current).within {
            steps += 1;
            if steps > self.rb.contested.len() {
                break;
            }
            if self.taken(within.point) != within.reading {
                self.touched_points.push(within.point);
                return None;
            }
            current = within.point;
        }
        self.touched_points.push(point);
        Some(self.taken(point))
    }

    fn taken(&mut self, point: PointId) -> u32 {
        self.touched_points.push(point);
        match self.chosen.get(point.0 as usize).copied().flatten() {
            Some(reading) => reading,
            None => self.rb.point(point).default.as_ref().map_or(0, |d| d.0),
        }
    }

    fn in_force(&mut self, validity: Validity) -> InForce {
        if let Some(start) = validity.from
            && !self.started(start)
        {
            return InForce::NotYet(start);
        }
        match validity.until {
            Some(until) if self.as_of > until => InForce::NoLonger(until),
            _ => InForce::Yes,
        }
    }

    fn covered(&self, item: &Item) -> bool {
        let area = self.rb.area(item.area);
        self.as_of >= area.from && area.until.is_none_or(|until| self.as_of <= until)
    }

    /// The value of any item, with the step that explains it.
    fn item(&mut self, id: ItemId) -> Result<(Tv, Step), EvalError> {
        let rb = self.rb;
        let item = rb.item(id);
        if !self.covered(item) {
            let step = Step::new(StepKind::NotCovered { item: id });
            return Ok((Tv::Unknown(vec![Missing::NotCovered(id)]), step));
        }
        match &item.kind {
            ItemKind::Input { .. } => Ok(match self.facts.get(id) {
                Some(value) => (
                    Tv::Known(value.clone()),
                    Step::fact(id, Some(value.clone()), Origin::Given),
                ),
                None => (
                    Tv::Unknown(vec![Missing::Fact {
                        item: id,
                        need: self.need,
                    }]),
                    Step::fact(id, None, Origin::Missing),
                ),
            }),
            ItemKind::Param { values } => {
                if let Some(value) = self.facts.get(id) {
                    return Ok((
                        Tv::Known(value.clone()),
                        Step::fact(id, Some(value.clone()), Origin::Overridden),
                    ));
                }
                for (idx, candidate) in values.iter().enumerate().rev() {
                    let started = candidate
                        .validity
                        .from
                        .is_none_or(|start| self.started(start));
                    if !started {
                        continue;
                    }
                    if candidate
                        .validity
                        .until
                        .is_some_and(|until| self.as_of > until)
                    {
                        break;
                    }
                    let value = candidate.value.clone();
                    return Ok((
                        Tv::Known(value.clone()),
                        Step::fact(id, Some(value), Origin::Param { value: idx as u32 }),
                    ));
                }
                Ok((
                    Tv::Unknown(vec![Missing::NoValue(id)]),
                    Step::fact(id, None, Origin::NoValue),
                ))
            }
            ItemKind::Question { otherwise, rules } => {
                if let Some(cached) = self.cache[id.0 as usize].clone() {
                    let value = match &cached {
                        Tv::Known(v) => Some(v.clone()),
                        Tv::Unknown(_) => None,
                    };
                    return Ok((cached, Step::fact(id, value, Origin::DerivedAbove)));
                }
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(EvalError {
                        message: format!(
                            "questions depend on each other more than {MAX_DEPTH} levels deep"
                        ),
                        span: Some(item.span),
                    });
                }
                let saved_need = self.need;
                let result = self.question(id, otherwise.as_ref(), rules);
                self.need = saved_need;
                self.depth -= 1;
                let (tv, step) = result?;
                self.cache[id.0 as usize] = Some(tv.clone());
                Ok((tv, step))
            }
        }
    }

    fn question(
        &mut self,
        id: ItemId,
        otherwise: Option<&CExpr>,
        rules: &[Rule],
    ) -> Result<(Tv, Step), EvalError> {
        let mut rule_steps: Vec<Step> = Vec::with_capacity(rules.len());
        // Applicability of each rule (before exceptions) and its value.
        let mut applies: Vec<Tri> = Vec::with_capacity(rules.len());
        let mut values: Vec<Option<Tv>> = Vec::with_capacity(rules.len());
        let mut why: Vec<Vec<Missing>> = Vec::with_capacity(rules.len());
        for (rule_idx, rule) in rules.iter().enumerate() {
            self.need = Some(Need {
                question: id,
                rule: Some(rule_idx as u32),
            });
            let mut children = Vec::new();
            let verdict_if_inactive = match self.in_force(rule.validity) {
                InForce::Yes => None,
                InForce::NotYet(start) => Some(RuleVerdict::NotYetInForce(start)),
                InForce::NoLonger(until) => Some(RuleVerdict::NoLongerInForce(until)),
            };
            let verdict_if_inactive = verdict_if_inactive.or_else(|| {
                let under = rule.under?;
                (self.reading_of(under.point) != Some(under.reading))
                    .then_some(RuleVerdict::OtherReading(under))
            });
            if let Some(verdict) = verdict_if_inactive {
                applies.push(Tri::False);
                values.push(None);
                why.push(Vec::new());
                rule_steps.push(Step::rule(id, rule_idx as u32, verdict, children));
                continue;
            }
            let condition = match &rule.when {
                Some(when) => self.expr(when, &mut children)?,
                None => Tv::Known(Value::Bool(true)),
            };
            let (tri, missing) = match condition {
                Tv::Known(Value::Bool(true)) => (Tri::True, Vec::new()),
                Tv::Known(_) => (Tri::False, Vec::new()),
                Tv::Unknown(missing) => (Tri::Unknown, missing),
            };
            let value = if tri == Tri::False {
                None
            } else {
                let mut value_steps = Vec::new();
                let value = self.expr(&rule.then, &mut value_steps)?;
                children.extend(value_steps);
                Some(value)
            };
            let verdict = match tri {
                Tri::True => RuleVerdict::Applies,
                Tri::False => RuleVerdict::DoesNotApply,
                Tri::Unknown => RuleVerdict::Undetermined,
            };
            applies.push(tri);
            values.push(value);
            why.push(missing);
            rule_steps.push(Step::rule(id, rule_idx as u32, verdict, children));
        }
        self.need = Some(Need {
            question: id,
            rule: None,
        });
        // An exception applies only where the rule it names applies: "except when ..." narrows
        // that rule and says nothing outside it.
        let raw_applies = applies.clone();
        for rule_idx in 0..rules.len() {
            let mut current = rule_idx;
            let mut steps_taken = 0;
            while let Some(target) = rules[current].exception_to {
                steps_taken += 1;
                if steps_taken > rules.len() {
                    break;
                }
                let target_applies = raw_applies[target];
                let combined = match (applies[rule_idx], target_applies) {
                    (Tri::False, _) | (_, Tri::False) => Tri::False,
                    (Tri::True, Tri::True) => Tri::True,
                    _ => Tri::Unknown,
                };
                if combined == Tri::Unknown && target_applies == Tri::Unknown {
                    let inherited = why[target].clone();
                    why[rule_idx].extend(inherited);
                }
                if combined == Tri::False && applies[rule_idx] != Tri::False {
                    rule_steps[rule_idx]
                        .set_verdict(RuleVerdict::TargetDoesNotApply { to: target as u32 });
                }
                applies[rule_idx] = combined;
                current = target;
            }
        }
        // Exceptions: a rule is in effect if it applies and no exception to it does.
        let mut effective: Vec<Option<Tri>> = vec![None; rules.len()];
        for rule_idx in 0..rules.len() {
            effective_of(rule_idx, rules, &applies, &mut effective, &mut why, 0);
        }
        for (rule_idx, step) in rule_steps.iter_mut().enumerate() {
            if applies[rule_idx] == Tri::False {
                continue;
            }
            let overriding: Vec<u32> = rules
                .iter()
                .enumerate()
                .filter(|(e, r)| {
                    r.exception_to == Some(rule_idx) && effective[*e] != Some(Tri::False)
                })
                .map(|(e, _)| e as u32)
                .collect();
            if let Some(&by) = overriding.first() {
                let definite = effective[by as usize] == Some(Tri::True);
                step.set_verdict(if definite {
                    RuleVerdict::Overridden { by }
                } else {
                    RuleVerdict::PossiblyOverridden { by }
                });
            }
        }
        let effective: Vec<Tri> = effective
            .into_iter()
            .map(|t| t.unwrap_or(Tri::False))
            .collect();
        let definite: Vec<usize> = (0..rules.len())
            .filter(|&i| effective[i] == Tri::True)
            .collect();
        let possible: Vec<usize> = (0..rules.len())
            .filter(|&i| effective[i] == Tri::Unknown)
            .collect();

        let mut decision = None;
        let tv = if let Some(&first) = definite.first() {
            match values[first].clone().unwrap_or(Tv::Unknown(Vec::new())) {
                Tv::Unknown(missing) => Tv::Unknown(missing),
                Tv::Known(value) => {
                    let disagreeing = definite
                        .iter()
                        .copied()
                        .find(|&other| matches!(&values[other], Some(Tv::Known(v)) if *v != value));
                    let unknown_value = definite.iter().find_map(|&other| match &values[other] {
                        Some(Tv::Unknown(m)) => Some(m.clone()),
                        _ => None,
                    });
                    if let Some(second) = disagreeing {
                        Tv::Unknown(vec![Missing::Conflict {
                            item: id,
                            first: first as u32,
                            second: second as u32,
                        }])
                    } else if let Some(missing) = unknown_value {
                        Tv::Unknown(missing)
                    } else {
                        match self.undecided(&possible, &values, &why, &value) {
                            Some(missing) => Tv::Unknown(missing),
                            None => {
                                decision = Some(Decision::Rule(first as u32));
                                Tv::Known(value)
                            }
                        }
                    }
                }
            }
        } else {
            let mut default_steps = Vec::new();
            let default = match otherwise {
                Some(e) => Some(self.expr(e, &mut default_steps)?),
                None => None,
            };
            match default {
                Some(Tv::Known(value)) => match self.undecided(&possible, &values, &why, &value) {
                    Some(missing) => Tv::Unknown(missing),
                    None => {
                        decision = Some(Decision::Default);
                        rule_steps.push(Step::new_with(
                            StepKind::Default {
                                value: Some(value.clone()),
                                ty: self.rb.item(id).ty,
                            },
                            default_steps,
                        ));
                        Tv::Known(value)
                    }
                },
                Some(Tv::Unknown(missing)) => Tv::Unknown(missing),
                None if !possible.is_empty() => {
                    let missing: Vec<Missing> = possible
                        .iter()
                        .flat_map(|&p| why[p].iter().cloned())
                        .collect();
                    Tv::Unknown(missing)
                }
                None => Tv::Unknown(vec![Missing::NoRule(id)]),
            }
        };
        let value = match &tv {
            Tv::Known(v) => Some(v.clone()),
            Tv::Unknown(_) => None,
        };
        let step = Step::new_with(
            StepKind::Question {
                item: id,
                value,
                decision,
            },
            rule_steps,
        );
        Ok((tv, step))
    }

    /// For an answer `value`, the facts that could still change it: those of rules that may
    /// apply and would give a different (or unknown) value.
    fn undecided(
        &self,
        possible: &[usize],
        values: &[Option<Tv>],
        why: &[Vec<Missing>],
        value: &Value,
    ) -> Option<Vec<Missing>> {
        let mut missing = Vec::new();
        for &p in possible {
            match &values[p] {
                Some(Tv::Known(v)) if v == value => {}
                Some(Tv::Unknown(m)) => {
                    missing.extend(why[p].iter().cloned());
                    missing.extend(m.iter().cloned());
                }
                _ => missing.extend(why[p].iter().cloned()),
            }
        }
        if missing.is_empty() {
            // Every rule that might apply agrees with the answer.
            None
        } else {
            Some(missing)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tri {
    True,
    False,
    Unknown,
}

/// `applies(rule) and not (some exception to it is in effect)`, memoized.
fn effective_of(
    idx: usize,
    rules: &[Rule],
    applies: &[Tri],
    memo: &mut [Option<Tri>],
    why: &mut [Vec<Missing>],
    depth: usize,
) -> Tri {
    if let Some(known) = memo[idx] {
        return known;
    }
    if depth > rules.len() {
        return applies[idx];
    }
    let mut overridden = Tri::False;
    for exception in 0..rules.len() {
        if rules[exception].exception_to == Some(idx) {
            match effective_of(exception, rules, applies, memo, why, depth + 1) {
                Tri::True => overridden = Tri::True,
                Tri::Unknown if overridden == Tri::False => {
                    overridden = Tri::Unknown;
                    let inherited = why[exception].clone();
                    why[idx].extend(inherited);
                }
                _ => {}
            }
        }
    }
    let result = match (applies[idx], overridden) {
        (Tri::False, _) | (_, Tri::True) => Tri::False,
        (Tri::True, Tri::False) => Tri::True,
        _ => Tri::Unknown,
    };
    memo[idx] = Some(result);
    result
}

/// The whole number a value holds, for seat counts and the like.
pub(crate) fn whole(value: &Value) -> Option<i64> {
    match value {
        Value::Num(n) => n.to_i64(),
        _ => None,
    }
}

pub(crate) fn num(value: &Value) -> Option<Num> {
    match value {
        Value::Num(n) => Some(*n),
        _ => None,
    }
}
