//! The syntax tree: what a `.zan` file says, as written, with a span on every node.
//!
//! The parser builds it and the checker reads it. Names here are still strings; the checker
//! resolves them to ids (see `rulebase.rs`). Nothing after the checker sees this module.

use crate::num::Num;
pub use crate::ops::{AggregateKind, BinaryOp, DurationUnit, UnaryOp};
use crate::span::Span;
use chrono::NaiveDate;

/// One parsed file.
#[derive(Clone, Debug, Default)]
pub struct Ast {
    pub items: Vec<Item>,
}

#[derive(Clone, Debug)]
pub enum Item {
    /// `area court "..." covers 1995-09-05 ..`
    Area(Area),
    /// `act cc_law_2022 "Constitutional Law ..."`
    Act(Named),
    /// `source journal_a7 "M. Absattarov, ..."`
    Source(Named),
    /// `enum applicant { president, citizen }`
    Enum(EnumDecl),
    /// `record vote { name: text, votes: count }`
    Record(RecordDecl),
    /// `input court.applicant : applicant "Who is applying?"` or
    /// `judgment court.act_affects_own_rights "Does ...?"`
    Input(InputDecl),
    /// `param mazhilis.threshold : percent "..." value 7% from ... cite ...`
    Param(ParamDecl),
    /// `question court.may_apply : bool "..." otherwise false rule ...`
    Question(QuestionDecl),
    /// `scenario "..." as of 2023-03-01 given ... expect ...`
    Scenario(Scenario),
    /// `constraint mazhilis.votes_within_turnout "..." requires EXPR cite ...`
    Constraint(ConstraintDecl),
    /// `contested mazhilis.runner_up_overflow "..." reading reduce "..." cite ... default ...`
    Contested(ContestedDecl),
}

/// A condition that facts must meet to be possible at all (a list's votes within the voters
/// who took part): facts that break it are refused, not answered.
#[derive(Clone, Debug)]
pub struct ConstraintDecl {
    pub name: Ident,
    /// What the law requires, in words, for the message.
    pub text: String,
    pub requires: Expr,
    pub citations: Vec<Citation>,
    pub span: Span,
}

/// A provision that careful readers read more than one way: `contested NAME "question"`, an
/// optional `within POINT.READING` (the point arises only under that reading of another), two or
/// more `reading` entries, and an optional `default READING "reason"`.
#[derive(Clone, Debug)]
pub struct ContestedDecl {
    pub name: Ident,
    pub text: String,
    pub within: Option<Ident>,
    pub readings: Vec<ReadingDecl>,
    pub default: Option<DefaultReading>,
    pub span: Span,
}

/// `reading reduce "The runner-up keeps its minimum" cite elections_law "Art. 97-1(3)"`
#[derive(Clone, Debug)]
pub struct ReadingDecl {
    pub name: Ident,
    pub statement: String,
    pub citations: Vec<Citation>,
    pub span: Span,
}

/// `default not_settled "zan does not fill gaps"`
#[derive(Clone, Debug)]
pub struct DefaultReading {
    pub name: Ident,
    pub reason: String,
}

/// A name as written: `citizen`, or a dotted global name `court.applicant`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateLit {
    pub date: NaiveDate,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Area {
    pub name: Ident,
    pub title: String,
    pub from: DateLit,
    pub until: Option<DateLit>,
    /// `names a, b`: the prefixes of the names declared in the area (`a.x`, `b.y`). Empty: the
    /// area's own name is the one prefix.
    pub prefixes: Vec<Ident>,
    pub span: Span,
}

/// An act or a secondary source. An act may declare when it was signed and the rule by which
/// it took effect (`entry`); a source never does.
#[derive(Clone, Debug)]
pub struct Named {
    pub name: Ident,
    pub title: String,
    pub entry: Option<EntryRule>,
    pub span: Span,
}

/// `signed 2021-05-24 effective 10 days after publication under legal_acts_law`, optionally
/// followed by `applied 2021-06-05 cite ...`: the act took effect `days` calendar days after
/// its first official publication, which the act named after `under` (the Law on Legal Acts)
/// requires within 30 days of signing. The checker turns this into a window.
#[derive(Clone, Debug)]
pub struct EntryRule {
    pub signed: DateLit,
    pub days: u32,
    pub days_span: Span,
    pub under: Ident,
    pub applied: Option<Evidence>,
    pub span: Span,
}

/// `applied 2021-06-05 cite law_41_vii "..." secondary`: the first day the act is known, from
/// the cited evidence, to have applied.
#[derive(Clone, Debug)]
pub struct Evidence {
    pub date: DateLit,
    pub citations: Vec<Citation>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct EnumDecl {
    pub name: Ident,
    pub variants: Vec<Ident>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct RecordDecl {
    pub name: Ident,
    pub fields: Vec<(Ident, TypeAnn)>,
    pub span: Span,
}

/// A type as written after `:`.
#[derive(Clone, Debug)]
pub struct TypeAnn {
    pub kind: TypeAnnKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum TypeAnnKind {
    /// `bool`, `int`, `count`, ..., or an enum or record name.
    Named(String),
    /// `list vote`
    List(Ident),
}

#[derive(Clone, Debug)]
pub struct InputDecl {
    pub name: Ident,
    /// `None` for a judgment, which is always a yes/no condition.
    pub ty: Option<TypeAnn>,
    pub text: String,
    pub judgment: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct ParamDecl {
    pub name: Ident,
    pub ty: TypeAnn,
    pub text: String,
    pub values: Vec<ParamValue>,
    pub span: Span,
}

/// `value 5% from 2021-06-05 .. 2021-06-20 cite elections_law "Art. 97-1(1)"`
#[derive(Clone, Debug)]
pub struct ParamValue {
    pub value: Expr,
    pub validity: Validity,
    pub citations: Vec<Citation>,
    pub span: Span,
}

/// `from 2023-01-01 until 2026-06-30`; both parts optional.
#[derive(Clone, Debug, Default)]
pub struct Validity {
    pub from: Option<Start>,
    pub until: Option<DateLit>,
}

/// The first day in force: a day, a window `earliest .. first known` when that day is
/// unsettled, or the window of the act(s) that made the change (`from law_41_vii`).
#[derive(Clone, Debug)]
pub enum Start {
    /// `from 2023-01-01`, or `from 2021-06-04 .. 2021-07-25`.
    Dates {
        earliest: DateLit,
        known: Option<DateLit>,
    },
    /// `from law_41_vii`, or `from law_336_vi or law_157_vii` when the change was made by one
    /// of several acts and which one is not known.
    Acts(Vec<Ident>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthorityAnn {
    Verified,
    Secondary,
}

/// `cc_law_2022 "Art. 23(4)(3)"` after `cite`, or `journal_a7 "p. 88"` after `see`.
#[derive(Clone, Debug)]
pub struct Citation {
    pub target: Ident,
    pub article: String,
    pub authority: Option<AuthorityAnn>,
    /// Written after `see`: a secondary source.
    pub see: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct QuestionDecl {
    pub name: Ident,
    pub ty: TypeAnn,
    pub text: String,
    pub otherwise: Option<Expr>,
    pub rules: Vec<RuleDecl>,
    pub span: Span,
}

/// `rule citizens from 2023-01-01 when ... then true cite ...`, or
/// `exception party_ceased to left_party when ... then false cite ...`.
#[derive(Clone, Debug)]
pub struct RuleDecl {
    pub name: Ident,
    pub exception_to: Option<Ident>,
    /// `under reading mazhilis.runner_up_overflow.reduce`: the rule holds only under that reading.
    pub under: Option<Ident>,
    pub validity: Validity,
    pub when: Option<Expr>,
    pub then: Expr,
    pub citations: Vec<Citation>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Scenario {
    pub title: String,
    pub as_of: DateLit,
    pub givens: Vec<Given>,
    /// `assume law_157_vii = 2022-11-18`: the day an act took effect, settling its windows.
    pub assumes: Vec<Assume>,
    pub expects: Vec<Expect>,
    pub span: Span,
}

/// `assume law_157_vii = 2022-11-18`
#[derive(Clone, Debug)]
pub struct Assume {
    pub act: Ident,
    pub date: DateLit,
    pub span: Span,
}

/// `given party.members = 6000`
#[derive(Clone, Debug)]
pub struct Given {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

/// `expect party.may_register = false by minimum_members citing "Art. 10"`
#[derive(Clone, Debug)]
pub struct Expect {
    pub name: Ident,
    pub expected: Expected,
    pub because: Vec<Because>,
    /// `under reading POINT.READING`, repeatable: the answer under those readings.
    pub under: Vec<Ident>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Expected {
    Value(Expr),
    /// `is unknown`: the status word as written.
    Status(Ident),
}

#[derive(Clone, Debug)]
pub enum Because {
    /// `by minimum_members`
    Rule(Ident),
    /// `by default`: the `otherwise` answer (a keyword, never a rule's name).
    Default(Span),
    /// `citing "Art. 72(3)"`
    Citing(String, Span),
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    AllocateSeats,
    Floor,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Bool(bool),
    /// `as_of`: the date the question is asked as of.
    AsOf,
    /// `20_000`: whole numbers are kept apart from decimals for typing.
    Int(i64),
    /// `0.7`
    Decimal(Num),
    /// `5.29%`, stored as the fraction (0.0529).
    Percent(Num),
    Date(NaiveDate),
    /// `10 days`
    Duration(i64, DurationUnit),
    Text(String),
    /// `citizen`, `court.applicant`, `p.votes`.
    Path(Vec<Ident>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `court.applicant in { president, senate_chair }`
    In(Box<Expr>, Vec<Ident>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `sum(p in mazhilis.parties: p.votes)`, `count(p in xs where cond)`
    Aggregate {
        kind: AggregateKind,
        var: Ident,
        list: Box<Expr>,
        body: Option<Box<Expr>>,
    },
    /// `allocate_seats(...)`, `floor(x)`
    Call(Builtin, Vec<Expr>),
    /// `[ {...}, {...} ]`
    List(Vec<Expr>),
    /// `{name: "A", votes: 1}` (ident keys) or `{"A": 40}` (string keys).
    Map(Vec<(MapKey, Expr)>),
    /// `reading mazhilis.runner_up_overflow.minimum_prevails`: true when that reading is taken.
    Reading(Ident),
}

#[derive(Clone, Debug)]
pub enum MapKey {
    Field(Ident),
    Text(String, Span),
}
