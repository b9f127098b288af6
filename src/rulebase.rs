//! The checked rulebase: every name resolved to an id, every expression typed, every dated
//! value and rule with its validity and citations. This is what `eval` runs on.
//!
//! Ids are indices into the vectors of [`Rulebase`]. The only string look-up left is
//! [`Rulebase::lookup`], used at the edges (command line, scenario files, JSON facts).

use crate::code::Code;
use crate::num::Num;
use crate::ops::{AggregateKind, BinaryOp, DurationUnit};
use crate::span::Span;
use chrono::NaiveDate;
use indexmap::IndexMap;
use std::sync::Arc;

// Ids are made only by the checker (and the stages that walk a finished rulebase), never by
// a caller: their field is private to the crate, so every id indexes the rulebase it came from.

/// Declares each id type: a `u32` private to the crate, with [`ItemId::index`]-style access.
macro_rules! ids {
    ($($(#[doc = $doc:literal])* $id:ident;)*) => {$(
        $(#[doc = $doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        pub struct $id(pub(crate) u32);

        impl $id {
            /// The position in the rulebase's table of its kind (items, enums, ...), for a
            /// caller's own tables indexed alike.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

ids! {
    /// A question, parameter, input or judgment of a [`Rulebase`]: see [`Rulebase::item`].
    ItemId;
    /// An enumeration of a [`Rulebase`]: see [`Rulebase::enum_def`].
    EnumId;
    /// A record type of a [`Rulebase`]: see [`Rulebase::record`].
    RecordId;
    /// An area of law of a [`Rulebase`]: see [`Rulebase::area`].
    AreaId;
    /// A change whose calendar day is not established: see [`Rulebase::window`].
    WindowId;
    /// A contested point: a provision read more than one way. See [`Rulebase::point`].
    PointId;
}

/// One reading of a contested point: the point and the reading's index in it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct ReadingRef {
    pub point: PointId,
    pub reading: u32,
}

/// A provision careful readers read more than one way, with each reading and who holds it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Contested {
    /// `mazhilis.runner_up_overflow`
    pub name: String,
    /// The open question, as one line.
    pub text: String,
    pub readings: Vec<ReadingDef>,
    /// The reading zan takes by default and why, if one is marked.
    pub default: Option<(u32, String)>,
    /// The point arises only under this reading of another point.
    pub within: Option<ReadingRef>,
    pub span: Span,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ReadingDef {
    /// `reduce`
    pub name: String,
    /// The reading in one line.
    pub statement: String,
    /// Who holds it: the act, a court, the journal, an official explanation.
    pub support: Vec<Cite>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum Type {
    Bool,
    Int,
    Count,
    Decimal,
    Percent,
    Date,
    Duration,
    Text,
    Seats,
    Enum(EnumId),
    Record(RecordId),
    List(RecordId),
}

impl Type {
    /// The type of one element of a value of this type: a list's record, or the type itself.
    pub fn element(self) -> Type {
        match self {
            Type::List(id) => Type::Record(id),
            other @ (Type::Bool
            | Type::Int
            | Type::Count
            | Type::Decimal
            | Type::Percent
            | Type::Date
            | Type::Duration
            | Type::Text
            | Type::Seats
            | Type::Enum(_)
            | Type::Record(_)) => other,
        }
    }

    /// The built-in types by the names rules files write them, declared once: the checker
    /// resolves type names against it, [`Rulebase::type_name`] prints from it, and the grammar
    /// test checks that `grammar/zan.ebnf` lists it.
    pub const BUILTIN: [(&'static str, Type); 9] = [
        ("bool", Type::Bool),
        ("int", Type::Int),
        ("count", Type::Count),
        ("decimal", Type::Decimal),
        ("percent", Type::Percent),
        ("date", Type::Date),
        ("duration", Type::Duration),
        ("text", Type::Text),
        ("seats", Type::Seats),
    ];

    /// The built-in type named `name`.
    pub fn builtin(name: &str) -> Option<Type> {
        Type::BUILTIN
            .iter()
            .find(|(builtin, _)| *builtin == name)
            .map(|(_, ty)| *ty)
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Type::Int | Type::Count | Type::Decimal | Type::Percent
        )
    }

    pub fn is_whole(self) -> bool {
        matches!(self, Type::Int | Type::Count)
    }
}

/// A duration as written: months and years are calendar units, not a number of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Duration {
    pub amount: i64,
    pub unit: DurationUnit,
}

/// A value. Numbers are exact; the type (percent or not) decides how they print.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum Value {
    /// `true` or `false`.
    Bool(bool),
    /// A whole number, decimal or percentage (`5%` is the number 1/20), exact.
    Num(Num),
    /// A calendar day.
    Date(#[serde(with = "day_number")] NaiveDate),
    /// A number of days, months or years.
    Duration(Duration),
    /// Text, without control characters.
    Text(Arc<str>),
    /// A value of an enumeration: the enumeration and the value's index in it. Only the rules
    /// make one (see [`crate::Engine::value`]).
    Enum(EnumId, u32),
    /// A record's fields, in the order the record type declares them.
    Record(Arc<[Value]>),
    /// A list of records.
    List(Arc<[Value]>),
    /// List name and seats, in the order of the input lists.
    Seats(Arc<[(Arc<str>, i64)]>),
}

impl Value {
    /// The number, if the value is one.
    pub fn as_num(&self) -> Option<Num> {
        if let Value::Num(n) = self {
            Some(*n)
        } else {
            None
        }
    }

    /// The date, if the value is one.
    pub fn as_date(&self) -> Option<NaiveDate> {
        if let Value::Date(date) = self {
            Some(*date)
        } else {
            None
        }
    }

    /// The text, if the value is one.
    pub fn as_text(&self) -> Option<&Arc<str>> {
        if let Value::Text(text) = self {
            Some(text)
        } else {
            None
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Authority {
    /// Checked against the official text.
    Verified,
    /// From a secondary source (a commentary, a press report), not the official text.
    Secondary,
}

/// A citation, resolved: the act's (or source's) title and the article.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cite {
    /// The act's (or source's) name in the rules: `party_law`.
    pub act: String,
    /// Its title: `Law of the Republic of Kazakhstan of 15.07.2002 No. 344-II 'On Political Parties'`.
    pub act_title: String,
    /// The provision: `Art. 10(6)`.
    pub article: String,
    /// Whether the provision was checked against the official text.
    pub authority: Authority,
    /// A source (a commentary, a journal) rather than an act of law.
    pub is_source: bool,
}

/// The first day something is in force: a settled day, or a window whose first day
/// (`earliest`) and first known day (`known`) differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Start {
    #[serde(with = "day_number")]
    pub earliest: NaiveDate,
    #[serde(with = "day_number")]
    pub known: NaiveDate,
    pub window: Option<WindowId>,
}

/// When a rule or value is in force: from `from` (if any) to `until` inclusive (if any).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Validity {
    pub from: Option<Start>,
    #[serde(with = "day_number::option")]
    pub until: Option<NaiveDate>,
}

/// A change whose calendar day is not established.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Window {
    #[serde(with = "day_number")]
    pub earliest: NaiveDate,
    #[serde(with = "day_number")]
    pub known: NaiveDate,
    /// What changes: "mazhilis.threshold = 5%" or "rule `citizens` of court.may_apply".
    pub what: String,
    pub citations: Vec<Cite>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Area {
    pub name: String,
    pub title: String,
    #[serde(with = "day_number")]
    pub from: NaiveDate,
    #[serde(with = "day_number::option")]
    pub until: Option<NaiveDate>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct EnumDef {
    pub name: String,
    pub variants: Vec<String>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RecordDef {
    pub name: String,
    pub fields: Vec<(String, Type)>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ParamValue {
    pub value: Value,
    pub validity: Validity,
    pub citations: Vec<Cite>,
    pub span: Span,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Rule {
    pub name: String,
    pub exception_to: Option<usize>,
    /// The rule holds only under this reading of a contested point.
    pub under: Option<ReadingRef>,
    pub validity: Validity,
    pub when: Option<CExpr>,
    pub then: CExpr,
    pub citations: Vec<Cite>,
    pub span: Span,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum ItemKind {
    Input {
        judgment: bool,
    },
    Param {
        values: Vec<ParamValue>,
    },
    Question {
        otherwise: Option<CExpr>,
        rules: Vec<Rule>,
    },
}

/// A global name: an input, a judgment, a parameter or a question.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Item {
    pub name: String,
    pub text: String,
    pub ty: Type,
    pub area: AreaId,
    pub kind: ItemKind,
    pub span: Span,
}

/// A checked expression. `text` on comparisons and conditions is the source text, for the trace.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct CExpr {
    pub kind: CExprKind,
    pub ty: Type,
    pub span: Span,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum CExprKind {
    Const(Value),
    /// The date asked.
    AsOf,
    Item(ItemId),
    Local(u32),
    Field(Box<CExpr>, u32),
    Not(Box<CExpr>),
    Neg(Box<CExpr>),
    Binary(BinaryOp, Box<CExpr>, Box<CExpr>, Arc<str>),
    In(Box<CExpr>, Vec<u32>, Arc<str>),
    If(Box<CExpr>, Box<CExpr>, Box<CExpr>),
    Aggregate {
        kind: AggregateKind,
        slot: u32,
        list: Box<CExpr>,
        body: Option<Box<CExpr>>,
        text: Arc<str>,
    },
    /// The seventh argument is `true` when the runner-up minimum prevails over the seats of the
    /// list that passed (a reading of Art. 97-1(3)); the eighth, when a tie for the runner-up
    /// place goes to the list registered earlier (a reading of 97-1(2) by analogy with 97-1(4)).
    /// Both are `false` when not written.
    AllocateSeats(Box<[CExpr; 8]>),
    Floor(Box<CExpr>),
    List(Vec<CExpr>),
    Record(Vec<CExpr>),
    Seats(Vec<(Arc<str>, CExpr)>),
    /// True when this reading of a contested point is taken in the world being evaluated.
    Reading(ReadingRef),
}

/// A checked scenario, ready to run.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub title: String,
    pub as_of: NaiveDate,
    pub givens: Vec<(ItemId, Value, Span)>,
    /// Days stated for acts (`assume ACT = DATE`), settling their windows.
    pub assumptions: Vec<Assumption>,
    pub expects: Vec<Expectation>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Expectation {
    pub item: ItemId,
    /// `under reading ...`: the readings the answer is taken under (empty: every reading weighed).
    pub under: Vec<ReadingRef>,
    pub expected: ExpectedOutcome,
    /// `because rule NAME` / `by default`: what must have decided the answer.
    pub by_rule: Option<ExpectedDecision>,
    pub citing: Vec<String>,
    pub span: Span,
}

/// What a scenario expects to have decided an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpectedDecision {
    /// The rule (by index in its question) must be among the rules that applied.
    Rule(u32),
    /// `by default`: no rule applied and `otherwise` gave the answer.
    Default,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpectedOutcome {
    Value(Value),
    Status(crate::status::Status),
}

/// A condition that facts must meet to be possible at all, in force while its area covers
/// the date asked: facts that make it false are refused with its text and citation.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Constraint {
    pub name: String,
    pub text: String,
    pub area: AreaId,
    pub requires: CExpr,
    pub citations: Vec<Cite>,
    pub span: Span,
}

/// Everything the checker produced from the rules files.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Rulebase {
    pub areas: Vec<Area>,
    pub enums: Vec<EnumDef>,
    pub records: Vec<RecordDef>,
    pub items: Vec<Item>,
    pub windows: Vec<Window>,
    /// Conditions that facts must meet to be possible (checked before every answer).
    pub constraints: Vec<Constraint>,
    /// Contested points and their readings.
    pub contested: Vec<Contested>,
    /// Global name -> id, for the edges only.
    pub names: IndexMap<String, ItemId>,
    /// Act and source names -> (title, is_source), for rendering and `diff`.
    pub acts: IndexMap<String, (String, bool)>,
    /// Most locals any expression binds at once (aggregate nesting), for the evaluator's frame.
    pub max_locals: u32,
    /// SHA-256 of the rules text, hex.
    pub digest: String,
}

impl Rulebase {
    pub fn item(&self, id: ItemId) -> &Item {
        &self.items[id.0 as usize]
    }

    pub fn lookup(&self, name: &str) -> Option<ItemId> {
        self.names.get(name).copied()
    }

    /// An enumeration by id.
    pub fn enum_def(&self, id: EnumId) -> &EnumDef {
        &self.enums[id.0 as usize]
    }

    /// A record type by id.
    pub fn record(&self, id: RecordId) -> &RecordDef {
        &self.records[id.0 as usize]
    }

    /// An area by name.
    pub fn area_named(&self, name: &str) -> Option<AreaId> {
        self.areas
            .iter()
            .position(|area| area.name == name)
            .map(|idx| AreaId(idx as u32))
    }

    pub fn area(&self, id: AreaId) -> &Area {
        &self.areas[id.0 as usize]
    }

    pub fn window(&self, id: WindowId) -> &Window {
        &self.windows[id.0 as usize]
    }

    pub fn point(&self, id: PointId) -> &Contested {
        &self.contested[id.0 as usize]
    }

    pub fn reading(&self, reading: ReadingRef) -> &ReadingDef {
        &self.point(reading.point).readings[reading.reading as usize]
    }

    /// `mazhilis.runner_up_overflow.reduce`
    pub fn reading_name(&self, reading: ReadingRef) -> String {
        format!(
            "{}.{}",
            self.point(reading.point).name,
            self.reading(reading).name
        )
    }

    /// A reading by its full name (`POINT.READING`), or by the reading's own name when no other
    /// point has a reading so named. For the edges: command line and scenario files.
    pub fn lookup_reading(&self, name: &str) -> Option<ReadingRef> {
        if let Some((point_name, reading_name)) = name.rsplit_once('.')
            && let Some(point) = self.contested.iter().position(|p| p.name == point_name)
        {
            let reading = self.contested[point]
                .readings
                .iter()
                .position(|r| r.name == reading_name)?;
            return Some(ReadingRef {
                point: PointId(point as u32),
                reading: reading as u32,
            });
        }
        let mut found = self.contested.iter().enumerate().flat_map(|(point, p)| {
            p.readings
                .iter()
                .enumerate()
                .filter(|(_, r)| r.name == name)
                .map(move |(reading, _)| ReadingRef {
                    point: PointId(point as u32),
                    reading: reading as u32,
                })
        });
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// Every reading's full name, for "did you mean".
    pub fn reading_names(&self) -> Vec<String> {
        self.contested
            .iter()
            .flat_map(|p| {
                p.readings
                    .iter()
                    .map(move |r| format!("{}.{}", p.name, r.name))
            })
            .collect()
    }

    /// The questions and parameters: what `zan ask` can answer.
    pub fn askable(&self) -> impl Iterator<Item = (ItemId, &Item)> {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, item)| !matches!(item.kind, ItemKind::Input { .. }))
            .map(|(idx, item)| (ItemId(idx as u32), item))
    }

    pub fn type_name(&self, ty: Type) -> String {
        match ty {
            Type::Enum(id) => self.enums[id.0 as usize].name.clone(),
            Type::Record(id) => self.records[id.0 as usize].name.clone(),
            Type::List(id) => format!("list {}", self.records[id.0 as usize].name),
            Type::Bool
            | Type::Int
            | Type::Count
            | Type::Decimal
            | Type::Percent
            | Type::Date
            | Type::Duration
            | Type::Text
            | Type::Seats => Type::BUILTIN
                .iter()
                .find(|(_, builtin)| *builtin == ty)
                .map(|(name, _)| (*name).to_string())
                .unwrap_or_default(),
        }
    }

    /// The names of the closest known questions and inputs, for "did you mean".
    pub fn suggest(&self, name: &str) -> Option<String> {
        crate::names::closest(name, self.names.keys().map(String::as_str))
    }
}

/// "Act `act` took effect on `date`": every window of a change the act makes is settled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assumption {
    /// The act's name in the rules: `law_157_vii`.
    pub act: String,
    /// The day the user states it took effect.
    pub date: NaiveDate,
    /// The windows of the changes it makes, which the day settles.
    pub windows: Vec<WindowId>,
}

/// Why an act cannot be assumed to have taken effect on a day (`--assume`, a scenario's
/// `assume`). The fields are the facts the message states.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AssumptionProblem {
    AssumedSource {
        act: String,
    },
    /// `act` shortened for the message.
    AssumedUnknownAct {
        act: String,
        suggestion: Option<String>,
    },
    /// `windowed` are the acts that do date an unsettled change.
    NothingToAssume {
        act: String,
        windowed: Vec<String>,
    },
    AssumedOutsideWindow {
        act: String,
        date: NaiveDate,
        what: String,
        earliest: NaiveDate,
        known: NaiveDate,
    },
}

impl AssumptionProblem {
    /// The stable code of the problem (`docs/errors.md`).
    pub fn code(&self) -> Code {
        match self {
            AssumptionProblem::AssumedSource { .. } => Code::AssumedSource,
            AssumptionProblem::AssumedUnknownAct { .. } => Code::AssumedUnknownAct,
            AssumptionProblem::NothingToAssume { .. } => Code::NothingToAssume,
            AssumptionProblem::AssumedOutsideWindow { .. } => Code::AssumedOutsideWindow,
        }
    }
}

impl std::fmt::Display for AssumptionProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AssumptionProblem::AssumedSource { act } => write!(
                f,
                "`{act}` is a secondary source, not an act: only an act takes effect"
            ),
            AssumptionProblem::AssumedUnknownAct { act, suggestion } => {
                write!(f, "unknown act `{act}`")?;
                match suggestion {
                    Some(suggestion) => write!(f, "; did you mean `{suggestion}`?"),
                    None => Ok(()),
                }
            }
            AssumptionProblem::NothingToAssume { act, windowed } => write!(
                f,
                "act `{act}` dates no change whose day is unsettled, so there is nothing to assume; acts that do: {}",
                windowed.join(", ")
            ),
            AssumptionProblem::AssumedOutsideWindow {
                act,
                date,
                what,
                earliest,
                known,
            } => write!(
                f,
                "assumed {act} = {date}: {what} took effect on a day between {earliest} and {known}; {date} lies outside that window"
            ),
        }
    }
}

/// "`act` took effect on `date`", checked: the act exists, dates unsettled changes, and the
/// day lies within each of their windows.
pub fn assumption(
    rb: &Rulebase,
    act: &str,
    date: NaiveDate,
) -> Result<Assumption, AssumptionProblem> {
    let windowed = |a: &str| {
        rb.windows
            .iter()
            .any(|w| w.citations.iter().any(|c| !c.is_source && c.act == a))
    };
    match rb.acts.get(act) {
        Some((_, false)) => {}
        Some((_, true)) => {
            return Err(AssumptionProblem::AssumedSource {
                act: act.to_string(),
            });
        }
        None => {
            let suggestion = crate::names::closest(
                act,
                rb.acts.keys().map(String::as_str).filter(|a| windowed(a)),
            );
            return Err(AssumptionProblem::AssumedUnknownAct {
                act: crate::names::shorten(act).into_owned(),
                suggestion,
            });
        }
    }
    let windows: Vec<WindowId> = rb
        .windows
        .iter()
        .enumerate()
        .filter(|(_, w)| w.citations.iter().any(|c| !c.is_source && c.act == act))
        .map(|(idx, _)| WindowId(idx as u32))
        .collect();
    if windows.is_empty() {
        let windowed: Vec<String> = rb.acts.keys().filter(|a| windowed(a)).cloned().collect();
        return Err(AssumptionProblem::NothingToAssume {
            act: act.to_string(),
            windowed,
        });
    }
    for window in &windows {
        let w = rb.window(*window);
        if date < w.earliest || date > w.known {
            return Err(AssumptionProblem::AssumedOutsideWindow {
                act: act.to_string(),
                date,
                what: w.what.to_string(),
                earliest: w.earliest,
                known: w.known,
            });
        }
    }
    Ok(Assumption {
        act: act.to_string(),
        date,
        windows,
    })
}

/// Dates in the serialized rulebase (build.rs writes it, `load` reads it back at start) as
/// their day number from the first day of the common era rather than as text, so that reading
/// them back parses nothing.
mod day_number {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i32(date.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let days = i32::deserialize(deserializer)?;
        NaiveDate::from_num_days_from_ce_opt(days)
            .ok_or_else(|| D::Error::custom(format!("day number {days} is out of range")))
    }

    pub mod option {
        use chrono::{Datelike, NaiveDate};
        use serde::{Deserialize, Deserializer, Serializer, de::Error};

        pub fn serialize<S: Serializer>(
            date: &Option<NaiveDate>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match date {
                Some(date) => serializer.serialize_some(&date.num_days_from_ce()),
                None => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<NaiveDate>, D::Error> {
            Option::<i32>::deserialize(deserializer)?
                .map(|days| {
                    NaiveDate::from_num_days_from_ce_opt(days).ok_or_else(|| {
                        D::Error::custom(format!("day number {days} is out of range"))
                    })
                })
                .transpose()
        }
    }
}
