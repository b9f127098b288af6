//! Stable error codes: one per kind of problem that parsing, checking, reading facts or
//! evaluating can report, so that a program reading zan's JSON, or a person searching the
//! documentation, can tell problems apart without matching on their wording.
//!
//! A code is `E` (an error) or `W` (a warning) and four digits, whose first two say the stage:
//! `01` parse, `02` check of declarations, `03` check of expressions and literal values, `04`
//! check of scenario files and contested readings, `05` facts (`--given`, `--assume`, JSON
//! facts), `06` evaluation, `07` lines of a batch. A code once given keeps its meaning; a code no longer used is
//! not given to another problem. `docs/errors.md` lists every code with its meaning, and a
//! test keeps that table and this one the same.
//!
//! This module imports nothing from the crate: every stage may use it.

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal: $meaning:literal,)*) => {
        /// A kind of problem, with its stable code (see the module comment).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order of the table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written in output and documentation: `E0202`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// What the code means, in one line (the documentation's table says the same).
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)*
                }
            }
        }
    };
}

codes! {
    // Parse.
    ExpectedToken = "E0101": "syntax error: the text is not what the grammar expects at this point",
    NestedTooDeep = "E0102": "an expression nested deeper than the parser accepts",
    UnterminatedString = "E0103": "a string that does not close on its line",
    UnknownEscape = "E0104": "an escape in a string other than `\\\"`, `\\\\` or `\\n`",
    InvalidDate = "E0105": "a date that is not a day of the calendar",
    PublicationDelay = "E0106": "a publication delay longer than zan accepts",
    NumberTooLarge = "E0107": "a number literal too large or with too many decimal places",
    MalformedNumber = "E0108": "a number literal with a misplaced `_`",
    UnknownUnit = "E0109": "a unit after a number other than days, months or years",
    TooManySyntaxErrors = "E0110": "so many syntax errors that reading the file stopped",
    UnexpectedEnd = "E0111": "the file or value ends in the middle of a declaration",
    EmptyFile = "E0112": "a file with no declaration or scenario",
    ReservedRuleName = "E0113": "a rule or exception named with a keyword such as `default` or `value`",
    // Check: declarations.
    TooManyErrors = "E0201": "so many errors that reporting stopped",
    DeclaredTwice = "E0202": "a name declared twice",
    EnumValueTwice = "E0203": "a value repeated in an enum",
    RecordFieldTwice = "E0204": "a field repeated in a record declaration",
    RecordFieldNotPlain = "E0205": "a record field whose type is not a plain value",
    BuiltinTypeRedeclared = "E0206": "a declaration that takes the name of a built-in type",
    AreaEndsBeforeItBegins = "E0207": "an area whose end date comes before its start",
    OutsideArea = "E0208": "a declaration with no `area` line above it",
    UnknownType = "E0209": "a type that is neither built in nor declared",
    UnknownRecordType = "E0210": "a `list` of a record type that is not declared",
    UnknownCitationTarget = "E0211": "a citation of an act or source that is not declared",
    SourceNotAct = "E0212": "a secondary source where an act is needed",
    EmptyArticle = "E0213": "a citation with an empty article",
    MissingCitation = "E0214": "a rule or dated value that cites no article of an act",
    UnknownAct = "E0215": "an act name that is not declared",
    ActWindowPastCalendar = "E0216": "an act whose window of entry runs past the last representable date",
    EvidenceOutsideWindow = "E0217": "evidence of an act's day of effect outside the window its entry rule allows",
    ActWithoutEntryRule = "E0218": "a change dated by an act that declares no signing date and entry rule",
    WindowBackwards = "E0219": "a window whose known date comes before its earliest",
    UntilBeforeFrom = "E0220": "a validity that ends before it begins",
    DatedValueWithoutFrom = "E0221": "a dated value other than the first without a `from` date",
    DatedValuesOutOfOrder = "E0222": "dated values out of order",
    DatedValuesOverlap = "E0223": "dated values in force at the same time",
    ExceptionToItself = "E0224": "an exception that overrides itself",
    ExceptionToUnknownRule = "E0225": "an exception to a rule the question does not have",
    ExceptionCycle = "E0226": "exceptions that override each other in a circle",
    QuestionCycle = "E0227": "questions that depend on each other in a cycle",
    PrefixNotArea = "E0228": "a name whose prefix is not its area's",
    // Check: warnings.
    RuleNeverApplies = "W0201": "a rule that can never apply (warning)",
    // Check: expressions and literal values.
    TypeMismatch = "E0301": "a value of another type than the one expected",
    ListTooLong = "E0302": "a list longer than zan accepts",
    OutOfRange = "E0303": "a literal value outside its type's range",
    ExpectedLiteral = "E0304": "a computed expression where a value must be written out",
    NotAnEnumValue = "E0305": "a name that is not a value of the enum expected",
    UnknownName = "E0306": "a name that is not declared",
    NoFields = "E0307": "a field of a value that is not a record",
    NoSuchField = "E0308": "a field that the record does not have",
    ListNotExpected = "E0309": "a list where no list is expected",
    QuotedField = "E0310": "a record field written in quotes",
    FieldTwice = "E0311": "a field given twice in a record value",
    MissingField = "E0312": "a field of a record value left out",
    UnquotedListName = "E0313": "a list name in a seat allocation written without quotes",
    ListNameTwice = "E0314": "a list named twice in a seat allocation",
    BracesNotExpected = "E0315": "a record or seat allocation where neither is expected",
    DivisionByLiteralZero = "E0316": "a division whose divisor is always 0",
    CannotCompare = "E0317": "a comparison of values that cannot be compared",
    CannotApply = "E0318": "an operator applied to values it does not take",
    FloorArity = "E0319": "`floor` with other than one argument",
    AllocateSeatsArity = "E0320": "`allocate_seats` with other than 6 to 8 arguments",
    SeatAllocationRecord = "E0321": "a record that cannot hold a seat allocation's lists",
    BarePercentage = "E0322": "a percentage written without its `%` sign",
    ExpectedBool = "E0323": "a word other than `true` or `false` where a truth value is expected",
    // Check: scenario files and contested readings.
    DeclarationInScenarioFile = "E0401": "a declaration in a scenario file",
    QuestionGivenInScenario = "E0402": "a question given as a fact in a scenario",
    GivenTwice = "E0403": "a fact given twice in a scenario",
    AssumedTwice = "E0404": "an act's day of effect assumed twice in a scenario",
    InputNotQuestion = "E0405": "an expectation about an input rather than a question",
    UnknownStatus = "E0406": "an expected status that zan does not know",
    NoSuchRule = "E0407": "a scenario's deciding rule that the question does not have",
    TwoReadingsAtOnce = "E0408": "two readings of one contested point chosen at once",
    OnlyOneReading = "E0409": "a contested point with only one reading",
    DefaultNotAReading = "E0410": "a contested point's default that is not one of its readings",
    UnknownPoint = "E0411": "a reading of a contested point that is not declared",
    NoSuchReading = "E0412": "a reading that the contested point does not have",
    PointCycle = "E0413": "contested points that arise within each other's readings in a circle",
    // Facts.
    NegativeCount = "E0501": "a count below zero",
    NotWhole = "E0502": "a fraction where a whole number is expected",
    PercentOutOfRange = "E0503": "a percentage outside 0% to 100%",
    ControlInText = "E0504": "a control character in text",
    ControlInListName = "E0505": "a control character in a list name of a seat allocation",
    NegativeSeats = "E0506": "a negative number of seats",
    GivenWithoutEquals = "E0507": "a `--given` argument without `=`",
    CommaInNumber = "E0508": "a number written with a comma",
    UnknownInput = "E0509": "a fact for a name that is no input or parameter",
    QuestionGiven = "E0510": "a question given as a fact",
    AssumeWithoutEquals = "E0511": "an `--assume` argument without `=`",
    AssumeInvalidDate = "E0512": "an `--assume` date that is not a day of the calendar",
    AssumedSource = "E0513": "a secondary source assumed to take effect",
    AssumedUnknownAct = "E0514": "an act assumed that is not declared",
    NothingToAssume = "E0515": "an act assumed that dates no unsettled change",
    AssumedOutsideWindow = "E0516": "an assumed day of effect outside the change's window",
    InvalidJson = "E0517": "facts that are not valid JSON",
    JsonTooDeep = "E0518": "JSON nested deeper than zan reads",
    DuplicateKey = "E0519": "a key repeated in a JSON object",
    NotAnObject = "E0520": "a facts document that is not a JSON object",
    AsOfNotString = "E0521": "an `as_of` that is not a string",
    AsOfInvalidDate = "E0522": "an `as_of` that is not a day of the calendar",
    GivenNotObject = "E0523": "a `given` that is not an object",
    UnknownKey = "E0524": "a top-level key other than `as_of` and `given`",
    WrongJsonType = "E0525": "a JSON value of the wrong kind for its input's type",
    NotAnEnumValueJson = "E0526": "a string that is not a value of the input's enum",
    NoSuchFieldJson = "E0527": "a field that the record does not have, in JSON facts",
    MissingFieldJson = "E0528": "a field of a record left out, in JSON facts",
    ListTooLongJson = "E0529": "a list longer than zan accepts, in JSON facts",
    SeatsNotWhole = "E0530": "a number of seats that is not a whole number, in JSON facts",
    // Evaluation.
    ImpossibleFacts = "E0601": "facts that the law makes impossible (a constraint fails)",
    DependsTooDeep = "E0602": "questions that depend on each other too many levels deep",
    Overflow = "E0603": "a number too large for exact arithmetic",
    EvaluationTooDeep = "E0604": "expressions nested too deep through questions",
    InvalidAllocation = "E0605": "a seat allocation that cannot be carried out with these facts",
    CannotOrder = "E0606": "values that cannot be ordered",
    DivisionByZero = "E0607": "a division by zero",
    DateOutOfRange = "E0608": "a date past the calendar's end",
    CannotCombine = "E0609": "values that cannot be combined",
    // Batch lines.
    LineTooLong = "E0701": "a batch line longer than zan reads",
    InvalidUtf8 = "E0702": "a batch line that is not UTF-8 text",
    AnswerKeyCarried = "E0703": "a batch line's own key that the answer line already has",
    NotACsvColumn = "E0704": "a batch line's own key outside the CSV columns fixed by the first line",
    NoDate = "E0705": "a batch line with no date, and none given for the batch",
    // The command line.
    UnsupportedFormat = "E0801": "a `--format` that the command does not print",
    CsvOutsideBatch = "E0802": "`--format csv` on a command other than `zan batch`",
    ExplainNoneOutsideBatch = "E0803": "`--explain none` on a command other than `zan batch`",
    InvalidDateArgument = "E0804": "a date argument that is not a day of the calendar",
    NoDateArgument = "E0805": "a question asked with no date",
    GivenTwiceArgument = "E0806": "a fact given twice on the command line",
    AssumedTwiceArgument = "E0807": "an act's day of effect assumed twice on the command line",
    UnknownQuestion = "E0808": "a question asked that is not declared",
    AskedInput = "E0809": "an input asked as a question",
    UnknownReadingArgument = "E0810": "a reading chosen that no contested point has",
    TwoReadingsArgument = "E0811": "two readings of one contested point chosen for one question",
    NotATerminal = "E0812": "`--interactive` when standard input is not a terminal",
    PeriodBackwards = "E0813": "a period whose start (`--from`) comes after its end (`--to`)",
    UnknownNamePrefix = "E0814": "a `--name` that no name equals or begins",
    NoFiles = "E0815": "paths that hold no `.zan` file to format or run",
    UnknownArea = "E0816": "an area that is not declared",
    UnknownShowName = "E0817": "a name that is not declared, for `zan show`",
    OverNotAnEnum = "E0818": "an input gone over by `who` (`--over`) that is not an enumeration",
    // Reading files.
    CannotRead = "E0901": "a file that cannot be read",
    FileNotUtf8 = "E0902": "a file that is not UTF-8 text",
    FileTooLarge = "E0903": "a file larger than zan reads",
    NotRegularFile = "E0904": "a rules or scenario file that is not a regular file",
    NoRules = "E0905": "paths that hold no rules file",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} is given twice");
            assert_eq!(text.len(), 5, "{text}");
            assert!(text.starts_with('E') || text.starts_with('W'), "{text}");
            assert!(text[1..].bytes().all(|b| b.is_ascii_digit()), "{text}");
            assert!(!code.meaning().is_empty(), "{text} has no meaning");
        }
    }

    /// The table in `docs/errors.md` lists exactly the codes above, each with its meaning.
    #[test]
    fn the_documented_table_is_the_table_of_codes() {
        let doc = include_str!("../docs/errors.md");
        let rows: Vec<(&str, &str)> = doc
            .lines()
            .filter_map(|line| {
                let mut cells = line.strip_prefix('|')?.split('|').map(str::trim);
                let code = cells.next()?.trim_matches('`');
                let meaning = cells.next()?;
                (code.len() == 5 && (code.starts_with('E') || code.starts_with('W')))
                    .then_some((code, meaning))
            })
            .collect();
        for code in Code::ALL {
            let documented = rows.iter().find(|(text, _)| *text == code.as_str());
            assert_eq!(
                documented.map(|(_, meaning)| *meaning),
                Some(code.meaning()),
                "{code} in docs/errors.md"
            );
        }
        for (text, _) in &rows {
            assert!(
                Code::ALL.iter().any(|code| code.as_str() == *text),
                "docs/errors.md lists {text}, which no problem has"
            );
        }
        let mut documented: Vec<&str> = rows.iter().map(|(text, _)| *text).collect();
        documented.sort_unstable();
        documented.dedup();
        assert_eq!(
            documented.len(),
            rows.len(),
            "a code listed twice in docs/errors.md"
        );
    }
}
