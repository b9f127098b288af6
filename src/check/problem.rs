//! What the checker finds wrong, as data: one variant per kind of problem, whose fields are
//! the facts the message states. Each message is worded once, in [`std::fmt::Display`]; the
//! labels and hints that point into the source stay where the problem is found.

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::rulebase::AssumptionProblem;
use crate::values::DomainProblem;

/// A problem found by the checker (see the module comment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckProblem {
    // Declarations.
    TooManyErrors {
        limit: usize,
    },
    /// `what` is the kind of declaration: "question", "act", ...
    DeclaredTwice {
        what: String,
        name: String,
    },
    EnumValueTwice {
        value: String,
        enum_name: String,
    },
    RecordFieldTwice {
        field: String,
        record: String,
    },
    RecordFieldNotPlain {
        field: String,
        record: String,
        ty: String,
    },
    BuiltinTypeRedeclared {
        name: String,
    },
    AreaEndsBeforeItBegins {
        area: String,
        until: String,
        from: String,
    },
    OutsideArea {
        name: String,
    },
    UnknownType {
        name: String,
    },
    UnknownRecordType {
        name: String,
    },
    UnknownCitationTarget {
        name: String,
    },
    SourceNotAct {
        name: String,
    },
    EmptyArticle,
    MissingCitation,
    UnknownAct {
        name: String,
    },
    ActWindowPastCalendar,
    EvidenceOutsideWindow {
        act: String,
        date: String,
        earliest: String,
        latest: String,
    },
    ActWithoutEntryRule {
        act: String,
    },
    WindowBackwards {
        earliest: String,
        known: String,
    },
    UntilBeforeFrom {
        until: String,
        from: String,
    },
    DatedValueWithoutFrom {
        name: String,
    },
    DatedValuesOutOfOrder {
        name: String,
        later: String,
        earlier: String,
    },
    DatedValuesOverlap {
        name: String,
        until: String,
        next: String,
    },
    ExceptionToItself {
        exception: String,
    },
    ExceptionToUnknownRule {
        exception: String,
        target: String,
    },
    ExceptionCycle {
        question: String,
    },
    RuleNeverApplies {
        rule: String,
    },
    QuestionCycle {
        names: Vec<String>,
    },
    /// `allowed` lists the area's prefixes as the message shows them (`` `party.` ``).
    PrefixNotArea {
        name: String,
        area: String,
        allowed: String,
    },
    // Expressions and literal values.
    TypeMismatch {
        expected: String,
        actual: String,
    },
    ListTooLong {
        found: usize,
    },
    ExpectedLiteral,
    NotAnEnumValue {
        name: String,
        enum_name: String,
    },
    UnknownName {
        name: String,
    },
    NoFields {
        shown: String,
    },
    NoSuchField {
        record: String,
        field: String,
    },
    ListNotExpected,
    QuotedField,
    FieldTwice {
        field: String,
    },
    MissingField {
        field: String,
        record: String,
    },
    UnquotedListName,
    ListNameTwice {
        name: String,
    },
    BracesNotExpected,
    DivisionByLiteralZero,
    CannotCompare {
        left: String,
        right: String,
        op: &'static str,
    },
    CannotApply {
        op: &'static str,
        left: String,
        right: String,
    },
    FloorArity {
        found: usize,
    },
    AllocateSeatsArity {
        found: usize,
    },
    SeatAllocationRecord {
        record: String,
    },
    BarePercentage {
        written: String,
    },
    ExpectedBool {
        found: String,
    },
    /// A literal value out of its type's range: the same problem as in facts from outside.
    Domain(DomainProblem),
    /// A scenario's assumption that cannot hold, as `--assume` would refuse it.
    Assumption(AssumptionProblem),
    // Scenario files and contested readings.
    DeclarationInScenarioFile,
    QuestionGiven {
        name: String,
    },
    GivenTwice {
        name: String,
    },
    AssumedTwice {
        act: String,
    },
    InputNotQuestion {
        name: String,
    },
    UnknownStatus {
        word: String,
    },
    NoSuchRule {
        question: String,
        rule: String,
    },
    TwoReadingsAtOnce {
        point: String,
    },
    OnlyOneReading {
        point: String,
    },
    DefaultNotAReading {
        default: String,
        point: String,
    },
    UnknownPoint {
        point: String,
        reading: String,
    },
    NoSuchReading {
        point: String,
        reading: String,
    },
    PointCycle {
        names: Vec<String>,
    },
}

impl CheckProblem {
    /// The stable code of the problem (`docs/errors.md`).
    pub fn code(&self) -> Code {
        match self {
            CheckProblem::TooManyErrors { .. } => Code::TooManyErrors,
            CheckProblem::DeclaredTwice { .. } => Code::DeclaredTwice,
            CheckProblem::EnumValueTwice { .. } => Code::EnumValueTwice,
            CheckProblem::RecordFieldTwice { .. } => Code::RecordFieldTwice,
            CheckProblem::RecordFieldNotPlain { .. } => Code::RecordFieldNotPlain,
            CheckProblem::BuiltinTypeRedeclared { .. } => Code::BuiltinTypeRedeclared,
            CheckProblem::AreaEndsBeforeItBegins { .. } => Code::AreaEndsBeforeItBegins,
            CheckProblem::OutsideArea { .. } => Code::OutsideArea,
            CheckProblem::UnknownType { .. } => Code::UnknownType,
            CheckProblem::UnknownRecordType { .. } => Code::UnknownRecordType,
            CheckProblem::UnknownCitationTarget { .. } => Code::UnknownCitationTarget,
            CheckProblem::SourceNotAct { .. } => Code::SourceNotAct,
            CheckProblem::EmptyArticle => Code::EmptyArticle,
            CheckProblem::MissingCitation => Code::MissingCitation,
            CheckProblem::UnknownAct { .. } => Code::UnknownAct,
            CheckProblem::ActWindowPastCalendar => Code::ActWindowPastCalendar,
            CheckProblem::EvidenceOutsideWindow { .. } => Code::EvidenceOutsideWindow,
            CheckProblem::ActWithoutEntryRule { .. } => Code::ActWithoutEntryRule,
            CheckProblem::WindowBackwards { .. } => Code::WindowBackwards,
            CheckProblem::UntilBeforeFrom { .. } => Code::UntilBeforeFrom,
            CheckProblem::DatedValueWithoutFrom { .. } => Code::DatedValueWithoutFrom,
            CheckProblem::DatedValuesOutOfOrder { .. } => Code::DatedValuesOutOfOrder,
            CheckProblem::DatedValuesOverlap { .. } => Code::DatedValuesOverlap,
            CheckProblem::ExceptionToItself { .. } => Code::ExceptionToItself,
            CheckProblem::ExceptionToUnknownRule { .. } => Code::ExceptionToUnknownRule,
            CheckProblem::ExceptionCycle { .. } => Code::ExceptionCycle,
            CheckProblem::RuleNeverApplies { .. } => Code::RuleNeverApplies,
            CheckProblem::QuestionCycle { .. } => Code::QuestionCycle,
            CheckProblem::PrefixNotArea { .. } => Code::PrefixNotArea,
            CheckProblem::TypeMismatch { .. } => Code::TypeMismatch,
            CheckProblem::ListTooLong { .. } => Code::ListTooLong,
            CheckProblem::ExpectedLiteral => Code::ExpectedLiteral,
            CheckProblem::NotAnEnumValue { .. } => Code::NotAnEnumValue,
            CheckProblem::UnknownName { .. } => Code::UnknownName,
            CheckProblem::NoFields { .. } => Code::NoFields,
            CheckProblem::NoSuchField { .. } => Code::NoSuchField,
            CheckProblem::ListNotExpected => Code::ListNotExpected,
            CheckProblem::QuotedField => Code::QuotedField,
            CheckProblem::FieldTwice { .. } => Code::FieldTwice,
            CheckProblem::MissingField { .. } => Code::MissingField,
            CheckProblem::UnquotedListName => Code::UnquotedListName,
            CheckProblem::ListNameTwice { .. } => Code::ListNameTwice,
            CheckProblem::BracesNotExpected => Code::BracesNotExpected,
            CheckProblem::DivisionByLiteralZero => Code::DivisionByLiteralZero,
            CheckProblem::CannotCompare { .. } => Code::CannotCompare,
            CheckProblem::CannotApply { .. } => Code::CannotApply,
            CheckProblem::FloorArity { .. } => Code::FloorArity,
            CheckProblem::AllocateSeatsArity { .. } => Code::AllocateSeatsArity,
            CheckProblem::SeatAllocationRecord { .. } => Code::SeatAllocationRecord,
            CheckProblem::BarePercentage { .. } => Code::BarePercentage,
            CheckProblem::ExpectedBool { .. } => Code::ExpectedBool,
            CheckProblem::Domain(problem) => problem.code(),
            CheckProblem::Assumption(problem) => problem.code(),
            CheckProblem::DeclarationInScenarioFile => Code::DeclarationInScenarioFile,
            CheckProblem::QuestionGiven { .. } => Code::QuestionGivenInScenario,
            CheckProblem::GivenTwice { .. } => Code::GivenTwice,
            CheckProblem::AssumedTwice { .. } => Code::AssumedTwice,
            CheckProblem::InputNotQuestion { .. } => Code::InputNotQuestion,
            CheckProblem::UnknownStatus { .. } => Code::UnknownStatus,
            CheckProblem::NoSuchRule { .. } => Code::NoSuchRule,
            CheckProblem::TwoReadingsAtOnce { .. } => Code::TwoReadingsAtOnce,
            CheckProblem::OnlyOneReading { .. } => Code::OnlyOneReading,
            CheckProblem::DefaultNotAReading { .. } => Code::DefaultNotAReading,
            CheckProblem::UnknownPoint { .. } => Code::UnknownPoint,
            CheckProblem::NoSuchReading { .. } => Code::NoSuchReading,
            CheckProblem::PointCycle { .. } => Code::PointCycle,
        }
    }

    /// The problem as a diagnostic, to be placed with `at`, `also` and `hint`: a warning for
    /// a rule that can never apply, an error otherwise.
    pub fn diagnostic(self) -> Diagnostic {
        let code = self.code();
        if matches!(self, CheckProblem::RuleNeverApplies { .. }) {
            Diagnostic::warning(code, self.to_string())
        } else {
            Diagnostic::error(code, self.to_string())
        }
    }
}

impl std::fmt::Display for CheckProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckProblem::TooManyErrors { limit } => {
                write!(f, "too many errors: stopped reporting after {limit}")
            }
            CheckProblem::DeclaredTwice { what, name } => {
                write!(f, "{what} `{name}` is declared twice")
            }
            CheckProblem::EnumValueTwice { value, enum_name } => {
                write!(f, "value `{value}` appears twice in enum `{enum_name}`")
            }
            CheckProblem::RecordFieldTwice { field, record } => {
                write!(f, "field `{field}` appears twice in record `{record}`")
            }
            CheckProblem::RecordFieldNotPlain { field, record, ty } => write!(
                f,
                "field `{field}` of record `{record}` has type `{ty}`; record fields hold plain values"
            ),
            CheckProblem::BuiltinTypeRedeclared { name } => {
                write!(f, "`{name}` is a built-in type and cannot be redeclared")
            }
            CheckProblem::AreaEndsBeforeItBegins { area, until, from } => {
                write!(f, "area `{area}` ends ({until}) before it begins ({from})")
            }
            CheckProblem::OutsideArea { name } => {
                write!(f, "`{name}` is declared outside any area")
            }
            CheckProblem::UnknownType { name } => write!(f, "unknown type `{name}`"),
            CheckProblem::UnknownRecordType { name } => write!(f, "unknown record type `{name}`"),
            CheckProblem::UnknownCitationTarget { name } => {
                write!(f, "unknown act or source `{name}`")
            }
            CheckProblem::SourceNotAct { name } => {
                write!(f, "`{name}` is a secondary source, not an act")
            }
            CheckProblem::EmptyArticle => write!(f, "empty article in a citation"),
            CheckProblem::MissingCitation => {
                write!(f, "missing citation: no article of an act is cited")
            }
            CheckProblem::UnknownAct { name } => write!(f, "unknown act `{name}`"),
            CheckProblem::ActWindowPastCalendar => write!(
                f,
                "the act's window runs past the last date zan can represent"
            ),
            CheckProblem::EvidenceOutsideWindow {
                act,
                date,
                earliest,
                latest,
            } => write!(
                f,
                "evidence that `{act}` applied on {date} lies outside the window its entry rule allows ({earliest} .. {latest})"
            ),
            CheckProblem::ActWithoutEntryRule { act } => {
                write!(f, "act `{act}` declares no signing date and entry rule")
            }
            CheckProblem::WindowBackwards { earliest, known } => {
                write!(f, "window `{earliest} .. {known}` does not run forward")
            }
            CheckProblem::UntilBeforeFrom { until, from } => {
                write!(f, "in force until {until} but only from {from}")
            }
            CheckProblem::DatedValueWithoutFrom { name } => {
                write!(f, "value of `{name}` has no `from` date")
            }
            CheckProblem::DatedValuesOutOfOrder {
                name,
                later,
                earlier,
            } => write!(
                f,
                "dated values of `{name}` are out of order or overlap: {later} is not after {earlier}"
            ),
            CheckProblem::DatedValuesOverlap { name, until, next } => write!(
                f,
                "dated values of `{name}` overlap: one is in force until {until}, the next from {next}"
            ),
            CheckProblem::ExceptionToItself { exception } => {
                write!(f, "exception `{exception}` is an exception to itself")
            }
            CheckProblem::ExceptionToUnknownRule { exception, target } => {
                write!(
                    f,
                    "exception `{exception}` overrides unknown rule `{target}`"
                )
            }
            CheckProblem::ExceptionCycle { question } => {
                write!(
                    f,
                    "exceptions of `{question}` override each other in a circle"
                )
            }
            CheckProblem::RuleNeverApplies { rule } => write!(f, "rule `{rule}` can never apply"),
            CheckProblem::QuestionCycle { names } => write!(
                f,
                "questions depend on each other in a cycle: {}",
                names.join(" -> ")
            ),
            CheckProblem::PrefixNotArea {
                name,
                area,
                allowed,
            } => write!(
                f,
                "`{name}` is declared in area `{area}`, whose names begin {allowed}"
            ),
            CheckProblem::TypeMismatch { expected, actual } => {
                write!(f, "type mismatch: expected {expected}, found `{actual}`")
            }
            CheckProblem::ListTooLong { found } => write!(
                f,
                "too long a list: expected at most {} items, found {found}",
                crate::values::MAX_LIST_LEN
            ),
            CheckProblem::ExpectedLiteral => write!(f, "expected a literal value"),
            CheckProblem::NotAnEnumValue { name, enum_name } => {
                write!(f, "`{name}` is not a value of enum `{enum_name}`")
            }
            CheckProblem::UnknownName { name } => write!(f, "unknown name `{name}`"),
            CheckProblem::NoFields { shown } => write!(f, "`{shown}` has no fields"),
            CheckProblem::NoSuchField { record, field } => {
                write!(f, "record `{record}` has no field `{field}`")
            }
            CheckProblem::ListNotExpected => write!(f, "a list is not expected here"),
            CheckProblem::QuotedField => write!(f, "record fields are written without quotes"),
            CheckProblem::FieldTwice { field } => write!(f, "field `{field}` is given twice"),
            CheckProblem::MissingField { field, record } => {
                write!(f, "missing field `{field}` of record `{record}`")
            }
            CheckProblem::UnquotedListName => {
                write!(f, "list names in a seat allocation are quoted")
            }
            CheckProblem::ListNameTwice { name } => write!(f, "list `{name}` appears twice"),
            CheckProblem::BracesNotExpected => {
                write!(f, "a record or seat allocation is not expected here")
            }
            CheckProblem::DivisionByLiteralZero => write!(
                f,
                "division by zero: expected a divisor other than 0, found `0`"
            ),
            CheckProblem::CannotCompare { left, right, op } => write!(
                f,
                "type mismatch: cannot compare `{left}` with `{right}` using `{op}`"
            ),
            CheckProblem::CannotApply { op, left, right } => write!(
                f,
                "type mismatch: cannot apply `{op}` to `{left}` and `{right}`"
            ),
            CheckProblem::FloorArity { found } => {
                write!(f, "`floor` takes 1 argument, found {found}")
            }
            CheckProblem::AllocateSeatsArity { found } => {
                write!(f, "`allocate_seats` takes 6 to 8 arguments, found {found}")
            }
            CheckProblem::SeatAllocationRecord { record } => {
                write!(f, "record `{record}` cannot be used for a seat allocation")
            }
            CheckProblem::BarePercentage { written } => write!(
                f,
                "a percentage needs its `%` sign: found the bare number {written}"
            ),
            CheckProblem::ExpectedBool { found } => {
                write!(f, "expected `true` or `false`, found `{found}`")
            }
            CheckProblem::Domain(problem) => problem.fmt(f),
            CheckProblem::Assumption(problem) => problem.fmt(f),
            CheckProblem::DeclarationInScenarioFile => {
                write!(f, "declarations are not allowed in a scenario file")
            }
            CheckProblem::QuestionGiven { name } => {
                write!(f, "`{name}` is a question and cannot be given")
            }
            CheckProblem::GivenTwice { name } => write!(f, "`{name}` is given twice"),
            CheckProblem::AssumedTwice { act } => write!(f, "act `{act}` is assumed twice"),
            CheckProblem::InputNotQuestion { name } => {
                write!(f, "`{name}` is an input, not a question")
            }
            CheckProblem::UnknownStatus { word } => write!(f, "unknown status `{word}`"),
            CheckProblem::NoSuchRule { question, rule } => {
                write!(f, "`{question}` has no rule `{rule}`")
            }
            CheckProblem::TwoReadingsAtOnce { point } => {
                write!(f, "two readings of `{point}` chosen at once")
            }
            CheckProblem::OnlyOneReading { point } => {
                write!(f, "contested point `{point}` has only one reading")
            }
            CheckProblem::DefaultNotAReading { default, point } => write!(
                f,
                "the default `{default}` is not one of the readings of `{point}`"
            ),
            CheckProblem::UnknownPoint { point, reading } => write!(
                f,
                "unknown contested point `{point}` in reading `{reading}`"
            ),
            CheckProblem::NoSuchReading { point, reading } => {
                write!(f, "`{point}` has no reading `{reading}`")
            }
            CheckProblem::PointCycle { names } => write!(
                f,
                "contested points arise within each other's readings in a circle: {}",
                names.join(" -> ")
            ),
        }
    }
}
