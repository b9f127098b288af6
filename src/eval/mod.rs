//! The evaluator: a question, a date and given facts -> an [`Answer`] with its [`Step`] trace.
//!
//! It takes a checked [`Rulebase`] (never the AST). Logic is three-valued: a missing fact is
//! unknown, and `and`/`or` short-circuit (false and unknown = false). Only the law in force on
//! the date asked is used; outside an area's period the answer is `not_covered`. When the date
//! falls inside the window of a change whose calendar day is not established, the question is
//! evaluated with and without the change (and every other change any of those evaluations
//! reaches, to a fixpoint): the same answer either way stands, otherwise the answer is
//! `unknown` and names the unsettled change. Past six changes (`MAX_WINDOWS`), it is `unknown`
//! and names those not weighed.
//!
//! Evaluation does no string look-ups: items, rules, fields and enum values are ids.

mod expr;
pub mod readings;
pub mod seats;
mod trace;

pub use trace::*;

use crate::code::Code;
use crate::num::Num;
pub use crate::rulebase::Assumption;
use crate::rulebase::*;
use crate::span::Span;
pub use crate::status::Status;
use chrono::NaiveDate;
use std::sync::Arc;

/// Facts given for one evaluation: a value per item id (inputs, or parameters overridden).
#[derive(Clone, Debug, Default)]
pub struct Facts {
    values: Vec<Option<Value>>,
    /// Days the user states acts took effect (`--assume ACT=DATE`), settling their windows.
    assumptions: Vec<Assumption>,
}

impl Facts {
    /// No facts, for questions of `rulebase`.
    pub fn new(rulebase: &Rulebase) -> Facts {
        Facts {
            values: vec![None; rulebase.items.len()],
            assumptions: Vec::new(),
        }
    }

    /// States the day an act took effect, replacing an earlier day stated for it.
    pub fn assume(&mut self, assumption: Assumption) {
        self.assumptions.retain(|a| a.act != assumption.act);
        self.assumptions.push(assumption);
    }

    /// The days stated for acts.
    pub fn assumptions(&self) -> &[Assumption] {
        &self.assumptions
    }

    /// The day assumed for the change a window dates, if any.
    fn assumed(&self, window: WindowId) -> Option<NaiveDate> {
        self.assumption_for(window).map(|a| a.date)
    }

    fn assumption_for(&self, window: WindowId) -> Option<&Assumption> {
        self.assumptions
            .iter()
            .find(|a| a.windows.contains(&window))
    }

    /// Gives `item` the value, unchecked (the facade's [`crate::Engine::set`] checks it).
    pub fn set(&mut self, item: ItemId, value: Value) {
        if let Some(slot) = self.values.get_mut(item.0 as usize) {
            *slot = Some(value);
        }
    }

    /// Forgets every value, keeping the memory for the next set of facts (and the days assumed).
    pub fn clear(&mut self) {
        self.values.iter_mut().for_each(|slot| *slot = None);
    }

    /// The value given for `item`, if any.
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
#[non_exhaustive]
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
                add_missing(&mut missing, m);
            }
        }
        Tv::Unknown(missing)
    }
}

/// Appends to `into` what `more` names that `into` does not name yet: a missing fact once
/// (with the rule that first needed it), every other reason once. A list never holds a
/// repeat, so a question that uses another twice at each of sixty levels still lists its
/// one missing input once (and does not build a list of 2^60 entries).
pub(crate) fn add_missing(into: &mut Vec<Missing>, more: &[Missing]) {
    for missing in more {
        let already = into.iter().any(|present| match (present, missing) {
            (Missing::Fact { item: a, .. }, Missing::Fact { item: b, .. }) => a == b,
            (present, missing) => present == missing,
        });
        if !already {
            into.push(missing.clone());
        }
    }
}

/// An error that stops an evaluation: the input makes the law's arithmetic impossible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    pub problem: EvalProblem,
    pub span: Option<Span>,
}

impl EvalError {
    /// The stable code of the problem (`docs/errors.md`).
    pub fn code(&self) -> Code {
        self.problem.code()
    }
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.problem.fmt(f)
    }
}

/// What stopped an evaluation. The fields are the facts the message states;
/// [`std::fmt::Display`] words each problem.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EvalProblem {
    /// A constraint the facts break: its text and name, and the articles it cites.
    ImpossibleFacts {
        text: String,
        constraint: String,
        cited: String,
    },
    DependsTooDeep,
    /// A number too large, where the operands are not at hand.
    Overflow,
    /// `left op right` too large for exact arithmetic.
    OverflowIn {
        left: Num,
        op: &'static str,
        right: Num,
    },
    EvaluationTooDeep,
    /// The seat allocation cannot be carried out; `reason` says why.
    InvalidAllocation {
        reason: seats::InvalidAllocation,
    },
    CannotOrder,
    DivisionByZero,
    /// `date op amount unit` falls outside the calendar.
    DateOutOfRange {
        date: NaiveDate,
        op: &'static str,
        amount: i64,
        unit: &'static str,
    },
    CannotCombine,
}

impl EvalProblem {
    /// The stable code of the problem (`docs/errors.md`).
    pub fn code(&self) -> Code {
        match self {
            EvalProblem::ImpossibleFacts { .. } => Code::ImpossibleFacts,
            EvalProblem::DependsTooDeep => Code::DependsTooDeep,
            EvalProblem::Overflow | EvalProblem::OverflowIn { .. } => Code::Overflow,
            EvalProblem::EvaluationTooDeep => Code::EvaluationTooDeep,
            EvalProblem::InvalidAllocation { .. } => Code::InvalidAllocation,
            EvalProblem::CannotOrder => Code::CannotOrder,
            EvalProblem::DivisionByZero => Code::DivisionByZero,
            EvalProblem::DateOutOfRange { .. } => Code::DateOutOfRange,
            EvalProblem::CannotCombine => Code::CannotCombine,
        }
    }
}

impl std::fmt::Display for EvalProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EvalProblem::ImpossibleFacts {
                text,
                constraint,
                cited,
            } => write!(
                f,
                "impossible facts: {text} (constraint `{constraint}`; {cited})"
            ),
            EvalProblem::DependsTooDeep => write!(
                f,
                "questions depend on each other more than {MAX_DEPTH} levels deep"
            ),
            EvalProblem::Overflow => write!(
                f,
                "arithmetic overflow: a number in this calculation is too large"
            ),
            EvalProblem::OverflowIn { left, op, right } => write!(
                f,
                "arithmetic overflow: `{left} {op} {right}` is too large for exact arithmetic (expected a numerator and a denominator within 128 bits)"
            ),
            EvalProblem::EvaluationTooDeep => write!(
                f,
                "expressions nested more than {MAX_EXPR_DEPTH} levels deep through questions that depend on questions; split the rules"
            ),
            EvalProblem::InvalidAllocation { reason } => reason.fmt(f),
            EvalProblem::CannotOrder => write!(f, "these values cannot be ordered"),
            EvalProblem::DivisionByZero => {
                write!(f, "division by zero: the divisor in this calculation is 0")
            }
            EvalProblem::DateOutOfRange {
                date,
                op,
                amount,
                unit,
            } => write!(
                f,
                "date out of range: `{date} {op} {amount} {unit}` is past the calendar's end (expected a date between {} and {})",
                NaiveDate::MIN,
                NaiveDate::MAX
            ),
            EvalProblem::CannotCombine => write!(f, "these values cannot be combined"),
        }
    }
}

/// The answer to one question as of one date.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The question (or parameter) asked.
    pub question: ItemId,
    /// The date the law was taken as of.
    pub as_of: NaiveDate,
    /// How the answer came out.
    pub status: Status,
    /// The answer, when it is known (whatever the status says about how sure it is).
    pub value: Option<Value>,
    /// What decided: the rules that applied, `otherwise`, or a parameter's value in force.
    /// Renderers print the rules' names.
    pub decided_by: Option<Decision>,
    /// Citations on the deciding path, without repeats, in the order met.
    pub citations: Vec<Cite>,
    /// Why the answer is not `answered`, without repeats.
    pub missing: Vec<Missing>,
    /// How the answer was reached: every rule considered, its conditions and the facts used.
    pub trace: Step,
    /// Remarks printed with the answer (the same answer under either date of a change, a
    /// day assumed for an act).
    pub notes: Vec<String>,
    /// When the answer is unknown because it depends on unsettled changes: the answer under
    /// each combination of them (each branch's own trace), so that the renderers can show
    /// "before the change: false (...); after it: true (...)". Empty otherwise.
    pub branches: Vec<Branch>,
    /// The days the user stated acts took effect, which settled windows in this answer.
    pub assumptions: Vec<Assumption>,
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
    pub decided_by: Option<Decision>,
    pub missing: Vec<Missing>,
    pub trace: Step,
}

/// At most this many unsettled changes are weighed in one question (2^N evaluations); past
/// it, the answer is unknown and names the changes not weighed.
const MAX_WINDOWS: usize = 6;
/// Questions may depend on questions at most this deep.
const MAX_DEPTH: usize = 200;

struct Evaluator<'r> {
    rb: &'r Rulebase,
    facts: &'r Facts,
    as_of: NaiveDate,
    /// Whether steps are recorded. Without them the answer's value, status, missing facts and
    /// deciding rule are the same; only the explanation is left out.
    trace: bool,
    /// Per window: has the change applied in the world being evaluated?
    world: Vec<bool>,
    touched: Vec<WindowId>,
    cache: Vec<Option<Tv>>,
    /// The slots of `cache` that hold a value, to empty for the next evaluation.
    filled: Vec<u32>,
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

/// How much of an answer to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// The answer with its trace and the citations on the deciding path.
    Trace,
    /// The value, status, missing facts, notes and deciding rule: no trace is built, and no
    /// citations are collected (they are read from the trace).
    AnswerOnly,
}

/// The memory one evaluation works in, kept between answers so that a caller answering many
/// questions (a batch worker) allocates it once. It holds nothing from one answer to the next.
#[derive(Debug, Default)]
pub struct Workspace {
    cache: Vec<Option<Tv>>,
    /// The slots of `cache` that hold a value.
    filled: Vec<u32>,
    locals: Vec<Value>,
    world: Vec<bool>,
    touched: Vec<WindowId>,
}

impl Workspace {
    /// An evaluator working in this memory, with nothing cached: only the slots the last
    /// evaluation filled are emptied, so starting one costs no more than that evaluation did.
    /// A window that `world` does not list has not applied.
    fn evaluator<'r>(
        &mut self,
        rb: &'r Rulebase,
        facts: &'r Facts,
        as_of: NaiveDate,
        trace: bool,
        world: &[bool],
        chosen: &'r [Option<u32>],
    ) -> Evaluator<'r> {
        let mut cache = std::mem::take(&mut self.cache);
        let mut filled = std::mem::take(&mut self.filled);
        if cache.len() == rb.items.len() {
            for id in filled.drain(..) {
                if let Some(slot) = cache.get_mut(id as usize) {
                    *slot = None;
                }
            }
        } else {
            cache.clear();
            cache.resize(rb.items.len(), None);
            filled.clear();
        }
        let mut locals = std::mem::take(&mut self.locals);
        locals.clear();
        locals.resize(rb.max_locals as usize, Value::Bool(false));
        let mut own_world = std::mem::take(&mut self.world);
        own_world.clear();
        own_world.extend_from_slice(world);
        let mut touched = std::mem::take(&mut self.touched);
        touched.clear();
        Evaluator {
            rb,
            facts,
            as_of,
            trace,
            world: own_world,
            touched,
            cache,
            filled,
            locals,
            need: None,
            depth: 0,
            expr_depth: 0,
            chosen,
            touched_points: Vec::new(),
        }
    }

    /// Takes back the memory of an evaluator made by [`Workspace::evaluator`].
    fn keep(&mut self, evaluator: Evaluator<'_>) {
        self.cache = evaluator.cache;
        self.filled = evaluator.filled;
        self.locals = evaluator.locals;
        self.world = evaluator.world;
        self.touched = evaluator.touched;
    }
}

/// [`answer_in_place`] in a reused [`Workspace`], with or without the trace, with the readings
/// in `chosen` taken (see [`readings::answer_reusing`]).
pub fn answer_reusing(
    rb: &Rulebase,
    question: ItemId,
    as_of: NaiveDate,
    facts: &Facts,
    workspace: &mut Workspace,
    detail: Detail,
) -> Result<Answer, EvalError> {
    readings::answer_reusing(rb, question, as_of, facts, &[], workspace, detail)
}

/// Answers in one world of readings (`chosen`, per contested point), weighing unsettled
/// changes; also returns the contested points the evaluation looked at. The answer notes the
/// days the user assumed acts took effect.
fn answer_in_world(
    rb: &Rulebase,
    question: ItemId,
    as_of: NaiveDate,
    facts: &Facts,
    chosen: &[Option<u32>],
    workspace: &mut Workspace,
    detail: Detail,
) -> Result<(Answer, Vec<PointId>), EvalError> {
    let points = std::cell::RefCell::new(Vec::new());
    let mut answer = answer_weighing_windows(
        rb, question, as_of, facts, chosen, &points, workspace, detail,
    )?;
    let mut points = points.into_inner();
    points.sort();
    points.dedup();
    // Every answer records what the user assumed, whether or not the date fell in a window.
    for assumption in facts.assumptions() {
        answer.notes.push(format!(
            "assumed: {} took effect on {} (a day the user states, not one the texts establish)",
            assumption.act, assumption.date
        ));
    }
    answer.assumptions = facts.assumptions().to_vec();
    Ok((answer, points))
}

#[allow(clippy::too_many_arguments)]
fn answer_weighing_windows(
    rb: &Rulebase,
    question: ItemId,
    as_of: NaiveDate,
    facts: &Facts,
    chosen: &[Option<u32>],
    points: &std::cell::RefCell<Vec<PointId>>,
    workspace: &mut Workspace,
    detail: Detail,
) -> Result<Answer, EvalError> {
    let traced = detail == Detail::Trace;
    // One evaluation in one world; `world[w]` says whether the change of window `w` applied.
    // The changes it reached are left, sorted, in `workspace.touched`.
    let run =
        |workspace: &mut Workspace, world: &[bool], trace: bool| -> Result<(Tv, Step), EvalError> {
            let mut evaluator = workspace.evaluator(rb, facts, as_of, trace, world, chosen);
            let result = evaluator.item(question);
            points
                .borrow_mut()
                .extend(evaluator.touched_points.iter().copied());
            workspace.keep(evaluator);
            workspace.touched.sort();
            workspace.touched.dedup();
            result
        };
    check_constraints(rb, as_of, facts, workspace)?;
    // No change has applied: a window the world does not list has not.
    let (tv, step) = run(workspace, &[], traced)?;
    if workspace.touched.is_empty() {
        return Ok(finish(rb, question, as_of, tv, step, Vec::new(), detail));
    }
    let touched = workspace.touched.clone();
    let mut run_in = |workspace: &mut Workspace, world: &[bool]| run(workspace, world, traced);
    let worlds = weigh_worlds(rb, touched, (tv, step), workspace, &mut run_in)?;
    Ok(settle(rb, question, as_of, worlds, detail))
}

/// One evaluation of the question in one world (`world[w]`: has the change of window `w`
/// applied?), leaving the changes it reached in the workspace.
type RunInWorld<'a> = dyn FnMut(&mut Workspace, &[bool]) -> Result<(Tv, Step), EvalError> + 'a;

/// The worlds weighed for one question: the unsettled changes weighed (bit `b` of an
/// outcome's index says whether `weighed[b]` had applied), those past [`MAX_WINDOWS`], and
/// the value and trace in each world.
struct Worlds {
    weighed: Vec<WindowId>,
    not_weighed: Vec<WindowId>,
    outcomes: Vec<(Tv, Step)>,
}

/// The date falls inside one or more windows that this question depends on (`touched`, in
/// the world where no change applied, whose outcome is `first`): weighs every combination of
/// "applied" and "not yet applied", to a fixpoint. A change that only some combination
/// reaches (behind a short-circuit, or a rule in force only once another change applied)
/// joins the changes weighed, so every change any branch can reach is weighed. Outcome `c`
/// is the world in which the changes `weighed[b]` with bit `b` of `c` set have applied;
/// adding a change doubles the worlds and keeps the earlier ones' indices.
fn weigh_worlds(
    rb: &Rulebase,
    touched: Vec<WindowId>,
    first: (Tv, Step),
    workspace: &mut Workspace,
    run: &mut RunInWorld<'_>,
) -> Result<Worlds, EvalError> {
    let mut weighed: Vec<WindowId> = Vec::new();
    let mut not_weighed: Vec<WindowId> = Vec::new();
    let mut outcomes = vec![first];
    let mut reached: std::collections::VecDeque<WindowId> = touched.into();
    while let Some(window) = reached.pop_front() {
        if weighed.contains(&window) || not_weighed.contains(&window) {
            continue;
        }
        if weighed.len() == MAX_WINDOWS {
            not_weighed.push(window);
            continue;
        }
        let bit = weighed.len();
        weighed.push(window);
        for combination in (1u32 << bit)..(1u32 << (bit + 1)) {
            let mut world = vec![false; rb.windows.len()];
            for (bit, window) in weighed.iter().enumerate() {
                world[window.0 as usize] = combination & (1 << bit) != 0;
            }
            // Every world's trace is kept: each branch of an unsettled answer is shown with its
            // own.
            let (tv, step) = run(workspace, &world)?;
            outcomes.push((tv, step));
            reached.extend(workspace.touched.iter().copied());
        }
    }
    not_weighed.sort();
    Ok(Worlds {
        weighed,
        not_weighed,
        outcomes,
    })
}

/// The changes, sorted, as a note names them.
fn describe_windows(rb: &Rulebase, windows: &[WindowId]) -> String {
    let mut windows = windows.to_vec();
    windows.sort();
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
}

/// The answer from the worlds weighed: the same in every world, it stands with a note;
/// otherwise it is unknown, names the changes that decide it, and keeps every world's answer
/// as a branch.
fn settle(
    rb: &Rulebase,
    question: ItemId,
    as_of: NaiveDate,
    worlds: Worlds,
    detail: Detail,
) -> Answer {
    let Worlds {
        weighed,
        not_weighed,
        mut outcomes,
    } = worlds;
    let first = &outcomes[0].0;
    let agree = outcomes.iter().all(|(tv, _)| tv == first);
    if agree && not_weighed.is_empty() {
        let (tv, step) = outcomes.pop().unwrap_or_else(unreachable_outcome);
        let note = format!(
            "{as_of} falls within the window of an unsettled change: {}; the answer is the same whether or not it had applied",
            describe_windows(rb, &weighed)
        );
        return finish(rb, question, as_of, tv, step, vec![note], detail);
    }
    let deciding = deciding_windows(&weighed, &outcomes, agree);
    let branches = window_branches(rb, question, as_of, &weighed, &outcomes, detail);
    let (_, step) = outcomes.swap_remove(0);
    let mut notes = Vec::new();
    if !deciding.is_empty() {
        notes.push(format!(
            "{as_of} falls within the window of an unsettled change: {}; the answer differs depending on whether it had applied (the first trace shows the law before the change)",
            describe_windows(rb, &deciding)
        ));
    }
    if !not_weighed.is_empty() {
        notes.push(format!(
            "{as_of} falls within the windows of more unsettled changes than zan weighs in one answer ({MAX_WINDOWS}); not weighed: {}; the answer stays open until they are settled (the trace shows the law before every change)",
            describe_windows(rb, &not_weighed)
        ));
    }
    let missing = deciding
        .into_iter()
        .chain(not_weighed)
        .map(Missing::Window)
        .collect();
    let mut answer = finish(
        rb,
        question,
        as_of,
        Tv::Unknown(missing),
        step,
        notes,
        detail,
    );
    answer.branches = branches;
    answer
}

/// Only the changes that matter: those for which two worlds differing in that change alone
/// give different answers (all of them, if the worlds disagree and no one change does).
fn deciding_windows(weighed: &[WindowId], outcomes: &[(Tv, Step)], agree: bool) -> Vec<WindowId> {
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
    if deciding.is_empty() && !agree {
        weighed.to_vec()
    } else {
        deciding
    }
}

/// Every combination weighed, each with its own trace; the renderers choose which to show.
fn window_branches(
    rb: &Rulebase,
    question: ItemId,
    as_of: NaiveDate,
    weighed: &[WindowId],
    outcomes: &[(Tv, Step)],
    detail: Detail,
) -> Vec<Branch> {
    outcomes
        .iter()
        .enumerate()
        .map(|(combination, (tv, step))| {
            let applied = weighed
                .iter()
                .enumerate()
                .map(|(bit, window)| (*window, combination & (1 << bit) != 0))
                .collect();
            let answer = finish(
                rb,
                question,
                as_of,
                tv.clone(),
                step.clone(),
                Vec::new(),
                detail,
            );
            Branch {
                applied,
                status: answer.status,
                value: answer.value,
                decided_by: answer.decided_by,
                missing: answer.missing,
                trace: answer.trace,
            }
        })
        .collect()
}

/// Refuses facts that the law makes impossible: a constraint in force on the date (its area
/// covers it) whose condition the facts make false. A condition that is unknown (its facts
/// are not given) refuses nothing.
fn check_constraints(
    rb: &Rulebase,
    as_of: NaiveDate,
    facts: &Facts,
    workspace: &mut Workspace,
) -> Result<(), EvalError> {
    for constraint in &rb.constraints {
        let area = rb.area(constraint.area);
        if as_of < area.from || area.until.is_some_and(|until| as_of > until) {
            continue;
        }
        let mut evaluator = workspace.evaluator(rb, facts, as_of, false, &[], &[]);
        let mut steps = Vec::new();
        let verdict = evaluator.expr(&constraint.requires, &mut steps);
        workspace.keep(evaluator);
        if verdict? == Tv::Known(Value::Bool(false)) {
            let cited = constraint
                .citations
                .iter()
                .filter(|cite| !cite.is_source)
                .map(|cite| format!("{} {}", cite.act, cite.article))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(EvalError {
                problem: EvalProblem::ImpossibleFacts {
                    text: constraint.text.to_string(),
                    constraint: constraint.name.to_string(),
                    cited,
                },
                span: Some(constraint.span),
            });
        }
    }
    Ok(())
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
            Missing::Window(_)
            | Missing::NotCovered(_)
            | Missing::NoValue(_)
            | Missing::Conflict { .. }
            | Missing::Gap(_)
            | Missing::NoRule(_)
            | Missing::Reading(_) => false,
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
    detail: Detail,
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
            other @ (Missing::Window(_)
            | Missing::NotCovered(_)
            | Missing::NoValue(_)
            | Missing::Conflict { .. }
            | Missing::Gap(_)
            | Missing::NoRule(_)
            | Missing::Reading(_)) => other.clone(),
        };
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
    let decided_by = trace.decision();
    let citations = if status == Status::Answered && detail == Detail::Trace {
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
        assumptions: Vec::new(),
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
                Some(window) if self.facts.assumed(window).is_some() => self
                    .facts
                    .assumed(window)
                    .is_some_and(|day| self.as_of >= day),
                Some(window) => {
                    self.touched.push(window);
                    self.world.get(window.0 as usize).copied().unwrap_or(false)
                }
                None => true,
            }
        }
    }

    /// For the trace: when the date falls in `start`'s window and an assumption settled it,
    /// a line that says so.
    fn assumed_step(&self, start: Option<Start>) -> Option<Step> {
        let start = start?;
        let window = start.window?;
        let assumption = self.facts.assumption_for(window)?;
        if self.as_of < start.earliest || self.as_of >= start.known {
            return None;
        }
        let applied = if self.as_of >= assumption.date {
            "in force"
        } else {
            "not yet in force"
        };
        Some(Step::note(&format!(
            "{} {applied} on {}: its day lies between {} and {}, not established; assumed {} took effect on {}",
            self.rb.window(window).what,
            self.as_of,
            start.earliest,
            start.known,
            assumption.act,
            assumption.date
        )))
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
                // A later value that the assumed day has not yet brought in force.
                let mut assumed_later: Option<Step> = None;
                for (idx, candidate) in values.iter().enumerate().rev() {
                    let started = candidate
                        .validity
                        .from
                        .is_none_or(|start| self.started(start));
                    if !started {
                        // Scanning backwards: the nearest later value is met last.
                        if let Some(step) = self.assumed_step(candidate.validity.from) {
                            assumed_later = Some(step);
                        }
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
                    let mut step =
                        Step::fact(id, Some(value.clone()), Origin::Param { value: idx as u32 });
                    step.children
                        .extend(self.assumed_step(candidate.validity.from).or(assumed_later));
                    return Ok((Tv::Known(value), step));
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
                        problem: EvalProblem::DependsTooDeep,
                        span: Some(item.span),
                    });
                }
                let saved_need = self.need;
                let result = self.question(id, otherwise.as_ref(), rules);
                self.need = saved_need;
                self.depth -= 1;
                let (tv, step) = result?;
                self.cache[id.0 as usize] = Some(tv.clone());
                self.filled.push(id.0);
                Ok((tv, step))
            }
        }
    }

    /// A question's value: each rule read on its own ([`Evaluator::rule`]), then narrowed to
    /// where the rules it is an exception to apply ([`narrow_to_targets`]), then overridden
    /// by the exceptions in effect ([`weigh_exceptions`]); then the rules in effect decide,
    /// agreeing or in conflict ([`Evaluator::by_rules`]), or else the default does
    /// ([`Evaluator::by_default`]).
    fn question(
        &mut self,
        id: ItemId,
        otherwise: Option<&CExpr>,
        rules: &[Rule],
    ) -> Result<(Tv, Step), EvalError> {
        let mut said = Said::with_capacity(rules.len(), self.trace);
        for (rule_idx, rule) in rules.iter().enumerate() {
            self.need = Some(Need {
                question: id,
                rule: Some(rule_idx as u32),
            });
            self.rule(id, rule_idx, rule, &mut said)?;
        }
        self.need = Some(Need {
            question: id,
            rule: None,
        });
        // Without exceptions, a rule is in effect exactly where it applies.
        let effective = if rules.iter().any(|rule| rule.exception_to.is_some()) {
            narrow_to_targets(rules, &mut said);
            weigh_exceptions(rules, &mut said)
        } else {
            said.applies.clone()
        };
        let definite: Vec<usize> = (0..rules.len())
            .filter(|&i| effective[i] == Tri::True)
            .collect();
        let possible: Vec<usize> = (0..rules.len())
            .filter(|&i| effective[i] == Tri::Unknown)
            .collect();
        let (tv, decision) = match definite.first() {
            Some(&first) => self.by_rules(id, first, &definite, &possible, &said),
            None => self.by_default(id, otherwise, &possible, &mut said)?,
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
            said.steps,
        );
        Ok((tv, step))
    }

    /// One rule on its own, before exceptions, added to what the rules said: whether it
    /// applies (not when it is not in force, or is written under a reading not taken), its
    /// value where it may apply, the facts that leave it open, and its step when traced.
    fn rule(
        &mut self,
        id: ItemId,
        rule_idx: usize,
        rule: &Rule,
        said: &mut Said,
    ) -> Result<(), EvalError> {
        // The steps under the rule; without a trace, none are kept.
        let mut children: Vec<Step> = if self.trace {
            self.assumed_step(rule.validity.from).into_iter().collect()
        } else {
            Vec::new()
        };
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
            said.push(Tri::False, None, Vec::new());
            if self.trace {
                said.steps
                    .push(Step::rule(id, rule_idx as u32, verdict, children));
            }
            return Ok(());
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
        said.push(tri, value, missing);
        if self.trace {
            said.steps
                .push(Step::rule(id, rule_idx as u32, verdict, children));
        }
        Ok(())
    }

    /// The answer when rules are in effect (`definite`, the first of them `first`): their value,
    /// decided by all of them, if they agree and no rule that may be in effect (`possible`)
    /// could change it; a conflict if two disagree; else unknown, naming what is missing.
    fn by_rules(
        &self,
        id: ItemId,
        first: usize,
        definite: &[usize],
        possible: &[usize],
        said: &Said,
    ) -> (Tv, Option<Decision>) {
        let values = &said.values;
        let value = match values[first].clone().unwrap_or(Tv::Unknown(Vec::new())) {
            Tv::Unknown(missing) => return (Tv::Unknown(missing), None),
            Tv::Known(value) => value,
        };
        let disagreeing = definite
            .iter()
            .copied()
            .find(|&other| matches!(&values[other], Some(Tv::Known(v)) if *v != value));
        if let Some(second) = disagreeing {
            let conflict = Missing::Conflict {
                item: id,
                first: first as u32,
                second: second as u32,
            };
            return (Tv::Unknown(vec![conflict]), None);
        }
        let unknown_value = definite.iter().find_map(|&other| match &values[other] {
            Some(Tv::Unknown(m)) => Some(m.clone()),
            _ => None,
        });
        if let Some(missing) = unknown_value {
            return (Tv::Unknown(missing), None);
        }
        match self.undecided(possible, values, &said.why, &value) {
            Some(missing) => (Tv::Unknown(missing), None),
            None => {
                let applied = definite.iter().map(|&i| i as u32).collect();
                (Tv::Known(value), Some(Decision::Rules(applied)))
            }
        }
    }

    /// The answer when no rule is in effect: the `otherwise` value if no rule that may be in
    /// effect (`possible`) could change it (its step added to the rules' steps); else
    /// unknown, naming what is missing, or no rule at all.
    fn by_default(
        &mut self,
        id: ItemId,
        otherwise: Option<&CExpr>,
        possible: &[usize],
        said: &mut Said,
    ) -> Result<(Tv, Option<Decision>), EvalError> {
        let mut default_steps = Vec::new();
        let default = match otherwise {
            Some(e) => Some(self.expr(e, &mut default_steps)?),
            None => None,
        };
        Ok(match default {
            Some(Tv::Known(value)) => {
                match self.undecided(possible, &said.values, &said.why, &value) {
                    Some(missing) => (Tv::Unknown(missing), None),
                    None => {
                        if self.trace {
                            said.steps.push(Step::new_with(
                                StepKind::Default {
                                    value: Some(value.clone()),
                                    ty: self.rb.item(id).ty,
                                },
                                default_steps,
                            ));
                        }
                        (Tv::Known(value), Some(Decision::Default))
                    }
                }
            }
            Some(Tv::Unknown(missing)) => (Tv::Unknown(missing), None),
            None if !possible.is_empty() => {
                let mut missing: Vec<Missing> = Vec::new();
                for &p in possible {
                    add_missing(&mut missing, &said.why[p]);
                }
                (Tv::Unknown(missing), None)
            }
            None => (Tv::Unknown(vec![Missing::NoRule(id)]), None),
        })
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
                    add_missing(&mut missing, &why[p]);
                    add_missing(&mut missing, m);
                }
                _ => add_missing(&mut missing, &why[p]),
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

fn and3(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Tri::False, _) | (_, Tri::False) => Tri::False,
        (Tri::True, Tri::True) => Tri::True,
        _ => Tri::Unknown,
    }
}

/// What the rules of one question say, one entry per rule: whether it applies, its value
/// where it may apply, the facts that leave it open, and (when traced) its step, whose
/// verdict the exceptions may still change.
struct Said {
    applies: Vec<Tri>,
    values: Vec<Option<Tv>>,
    why: Vec<Vec<Missing>>,
    steps: Vec<Step>,
}

impl Said {
    fn with_capacity(rules: usize, trace: bool) -> Said {
        Said {
            applies: Vec::with_capacity(rules),
            values: Vec::with_capacity(rules),
            why: Vec::with_capacity(rules),
            steps: Vec::with_capacity(if trace { rules } else { 0 }),
        }
    }

    fn push(&mut self, applies: Tri, value: Option<Tv>, why: Vec<Missing>) {
        self.applies.push(applies);
        self.values.push(value);
        self.why.push(why);
    }
}

/// An exception applies only where the rule it names applies: "except when ..." narrows
/// that rule and says nothing outside it. Each rule's chain of targets is combined once,
/// from the top of the chain down, so a chain of n exceptions costs n steps, not n^2.
fn narrow_to_targets(rules: &[Rule], said: &mut Said) {
    let above = chains_above(rules, &said.applies, &said.why);
    for (rule_idx, (state, nearest_false, inherited)) in above.into_iter().enumerate() {
        let raw = said.applies[rule_idx];
        let combined = and3(raw, state);
        if raw != Tri::False {
            add_missing(&mut said.why[rule_idx], &inherited);
            if let (Tri::False, Some(target)) = (combined, nearest_false)
                && let Some(step) = said.steps.get_mut(rule_idx)
            {
                step.set_verdict(RuleVerdict::TargetDoesNotApply { to: target as u32 });
            }
        }
        said.applies[rule_idx] = combined;
    }
}

/// Exceptions: a rule is in effect if it applies and no exception to it does. Returns each
/// rule's effect; a rule that applies but is (or may be) overridden says so in its step.
fn weigh_exceptions(rules: &[Rule], said: &mut Said) -> Vec<Tri> {
    let mut exceptions_of: Vec<Vec<usize>> = vec![Vec::new(); rules.len()];
    for (rule_idx, rule) in rules.iter().enumerate() {
        if let Some(target) = rule.exception_to {
            exceptions_of[target].push(rule_idx);
        }
    }
    let mut effective: Vec<Option<Tri>> = vec![None; rules.len()];
    for rule_idx in 0..rules.len() {
        effective_of(
            rule_idx,
            &exceptions_of,
            &said.applies,
            &mut effective,
            &mut said.why,
            0,
        );
    }
    for (rule_idx, step) in said.steps.iter_mut().enumerate() {
        if said.applies[rule_idx] == Tri::False {
            continue;
        }
        let overriding = exceptions_of[rule_idx]
            .iter()
            .find(|&&e| effective[e] != Some(Tri::False));
        if let Some(&by) = overriding {
            let definite = effective[by] == Some(Tri::True);
            let by = by as u32;
            step.set_verdict(if definite {
                RuleVerdict::Overridden { by }
            } else {
                RuleVerdict::PossiblyOverridden { by }
            });
        }
    }
    effective
        .into_iter()
        .map(|t| t.unwrap_or(Tri::False))
        .collect()
}

/// What the rules above one rule in its chain of exceptions say: whether all of them apply,
/// the nearest one that does not, and the facts that leave them open.
type Above = (Tri, Option<usize>, Vec<Missing>);

/// For each rule, what the rules above it in its chain of exceptions (the rule it is an
/// exception to, that rule's own target, and so on) say: whether all of them apply, the
/// nearest one that does not, and the facts that leave open those above the first that does
/// not. An exception applies only where every rule above it does. Each rule is combined once,
/// from the top of its chain down (the checker has refused circles).
fn chains_above(rules: &[Rule], applies: &[Tri], why: &[Vec<Missing>]) -> Vec<Above> {
    let mut above: Vec<Option<Above>> = vec![None; rules.len()];
    let mut path: Vec<usize> = Vec::new();
    for start in 0..rules.len() {
        let mut node = start;
        while above[node].is_none() {
            path.push(node);
            match rules[node].exception_to {
                Some(target) if path.len() <= rules.len() => node = target,
                _ => break,
            }
        }
        while let Some(node) = path.pop() {
            let combined = match rules[node].exception_to {
                None => (Tri::True, None, Vec::new()),
                Some(target) => {
                    let (target_above, target_false, target_why) = above[target]
                        .clone()
                        .unwrap_or((Tri::True, None, Vec::new()));
                    match applies[target] {
                        Tri::False => (Tri::False, Some(target), Vec::new()),
                        raw @ (Tri::True | Tri::Unknown) => {
                            let mut inherited = Vec::new();
                            if raw == Tri::Unknown {
                                add_missing(&mut inherited, &why[target]);
                            }
                            add_missing(&mut inherited, &target_why);
                            (and3(raw, target_above), target_false, inherited)
                        }
                    }
                }
            };
            above[node] = Some(combined);
        }
    }
    above
        .into_iter()
        .map(|a| a.unwrap_or((Tri::True, None, Vec::new())))
        .collect()
}

/// `applies(rule) and not (some exception to it is in effect)`, memoized.
fn effective_of(
    idx: usize,
    exceptions_of: &[Vec<usize>],
    applies: &[Tri],
    memo: &mut [Option<Tri>],
    why: &mut [Vec<Missing>],
    depth: usize,
) -> Tri {
    if let Some(known) = memo[idx] {
        return known;
    }
    if depth > exceptions_of.len() {
        return applies[idx];
    }
    let mut overridden = Tri::False;
    for &exception in &exceptions_of[idx] {
        match effective_of(exception, exceptions_of, applies, memo, why, depth + 1) {
            Tri::True => overridden = Tri::True,
            Tri::Unknown if overridden == Tri::False => {
                overridden = Tri::Unknown;
                let inherited = why[exception].clone();
                add_missing(&mut why[idx], &inherited);
            }
            Tri::False | Tri::Unknown => {}
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
    value.as_num().and_then(|n| n.to_i64())
}

pub(crate) fn num(value: &Value) -> Option<Num> {
    value.as_num()
}
