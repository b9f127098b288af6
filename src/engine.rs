//! The library's front door: an [`Engine`] holds checked rules and answers questions on them.
//!
//! It is a thin layer over the stages (loading, facts, evaluation, rendering, the batch, the
//! legislative history and scenarios): each method calls one of them and turns its problems
//! into an [`Error`]. Names come in as strings (`party.may_register`), are looked up once, and
//! every problem with them is an error with "did you mean" suggestions, never a panic.
//!
//! ```
//! use zan::{Engine, Status};
//!
//! let engine = Engine::shipped()?;
//! let mut facts = engine.facts();
//! engine.give(&mut facts, "party.members=6000")?;
//! engine.give(&mut facts, "party.branches_in_all_regions=true")?;
//! engine.give(&mut facts, "party.smallest_branch_members=650")?;
//!
//! // Law No. 157-VII lowered the minimum from 20,000 members to 5,000 (Art. 10(6) of the Law
//! // on Political Parties): 6,000 members fall short in October 2022 and suffice in March 2023.
//! let before = engine.ask("party.may_register", Engine::date("2022-10-01")?, &facts)?;
//! assert_eq!(before.status, Status::Answered);
//! assert_eq!(before.value, Some(zan::Value::Bool(false)));
//! assert!(before.citations.iter().any(|c| c.act == "party_law" && c.article == "Art. 10(6)"));
//!
//! let after = engine.ask("party.may_register", Engine::date("2023-03-01")?, &facts)?;
//! assert_eq!(after.value, Some(zan::Value::Bool(true)));
//! assert_eq!(engine.answer_json(&after)["answer"], true);
//! # Ok::<(), zan::Error>(())
//! ```

use crate::batch;
use crate::diagnostic::{self, Diagnostic};
use crate::diff::{self, Change};
use crate::eval::{self, Answer, Assumption, EvalError, Facts};
use crate::facts;
use crate::load::{self, Loaded};
use crate::names;
use crate::render;
use crate::rulebase::{ItemId, ItemKind, ReadingRef, Rulebase, Type, Value};
use crate::scenario::{self, ScenarioResult};
use crate::source::ReadError;
use crate::who;
use chrono::NaiveDate;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// Checked rules, ready to answer questions: the shipped rules or rules files of one's own.
///
/// Loading parses and checks every file; rules with errors are refused with their
/// diagnostics ([`Error::Rules`]), rules with only warnings load (see [`Engine::warnings`]).
/// An engine is immutable once loaded and may be shared between threads. The facts, answers
/// and ids it hands out belong to it: ids index its rules, so print an answer with the engine
/// that made it.
pub struct Engine {
    loaded: Loaded,
}

impl std::fmt::Debug for Engine {
    /// The rules' digest and size, not the rules themselves.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rb = &self.loaded.rulebase;
        f.debug_struct("Engine")
            .field("rules_sha256", &rb.digest)
            .field("files", &self.loaded.sources.files().count())
            .field("items", &rb.items.len())
            .field("warnings", &self.loaded.diagnostics.len())
            .finish()
    }
}

/// What went wrong, as data. Each variant's fields are the facts of its message, which
/// [`Display`](std::fmt::Display) words.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A rules file could not be read (missing, not UTF-8, too large, no `.zan` file found).
    Read(ReadError),
    /// The rules have errors. `rendered` is the diagnostics as text, each with its file,
    /// line, column, the source line and a caret.
    Rules {
        /// Every problem found, errors and warnings.
        diagnostics: Vec<Diagnostic>,
        /// The diagnostics rendered as text.
        rendered: String,
    },
    /// A scenario file has errors, rendered as for [`Error::Rules`]; no scenario was run.
    Scenarios {
        /// Every problem found, errors and warnings.
        diagnostics: Vec<Diagnostic>,
        /// The diagnostics rendered as text.
        rendered: String,
    },
    /// No question or parameter has this name.
    UnknownQuestion {
        /// The name asked.
        name: String,
        /// Known names close to it.
        suggestions: Vec<String>,
    },
    /// The name is an input: it is given, not asked.
    NotAQuestion {
        /// The name asked.
        name: String,
    },
    /// A fact written `NAME=VALUE` was refused: the name, or the value as written (with its
    /// diagnostics).
    Given(facts::GivenError),
    /// A fact or a day stated for an act was refused: an unknown input, a question given as a
    /// fact, a value out of its type's range, an act that cannot be assumed on that day.
    Fact(facts::FactProblem),
    /// A typed fact of the wrong type for its input.
    WrongType {
        /// The input.
        name: String,
        /// The type it is declared with.
        ty: String,
    },
    /// A JSON facts document was refused, with its JSON path and, when known, its line.
    Json(facts::FactError),
    /// Not a date: expected `YYYY-MM-DD`, a day that exists.
    Date {
        /// The text given.
        text: String,
    },
    /// A period whose start is after its end.
    Period {
        /// The start.
        from: NaiveDate,
        /// The end.
        to: NaiveDate,
    },
    /// `who` goes through the values of an enumeration input, and this input is not one.
    NotAnEnum {
        /// The input named.
        name: String,
        /// Its type.
        ty: String,
    },
    /// The facts make the law's arithmetic impossible (a division by zero, an overflow).
    Eval {
        /// The error, with the span of the expression being evaluated.
        error: Box<EvalError>,
        /// The error rendered as a diagnostic, with the rule's source line.
        rendered: String,
    },
    /// A batch stopped: its input could not be read or its output written.
    Batch(batch::BatchError),
    /// No contested point has a reading of this name.
    UnknownReading {
        /// The reading named.
        name: String,
        /// Known readings close to it (or every reading, when none is close).
        suggestions: Vec<String>,
    },
    /// Two readings of one contested point were chosen.
    TwoReadings {
        /// The point.
        point: String,
        /// The first reading chosen.
        first: String,
        /// The second.
        second: String,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Read(error) => write!(f, "{error}"),
            Error::Rules { rendered, .. } => {
                write!(f, "{rendered}the rules have errors; nothing was evaluated")
            }
            Error::Scenarios { rendered, .. } => write!(
                f,
                "{rendered}the scenario file has errors; no scenario was run"
            ),
            Error::UnknownQuestion { name, suggestions } => write!(
                f,
                "unknown question `{name}`{}",
                crate::catalogue::did_you_mean(suggestions)
            ),
            Error::NotAQuestion { name } => write!(f, "`{name}` is an input, not a question"),
            Error::Given(error) => write!(f, "{error}"),
            Error::Fact(problem) => write!(f, "{problem}"),
            Error::WrongType { name, ty } => {
                write!(f, "`{name}` is a `{ty}`: the value given is not one")
            }
            Error::Json(error) => write!(f, "facts: {error}"),
            Error::Date { text } => write!(
                f,
                "invalid date `{}`: expected YYYY-MM-DD, a day that exists",
                names::shorten(text)
            ),
            Error::Period { from, to } => write!(
                f,
                "{from} is after {to}: the period runs from the earlier date to the later"
            ),
            Error::NotAnEnum { name, ty } => write!(
                f,
                "`{name}` is a `{ty}`, not an enumeration: `who` goes through every value of an enum input"
            ),
            Error::Eval { rendered, .. } => write!(f, "{}", rendered.trim_end()),
            Error::Batch(error) => write!(f, "{error}"),
            Error::UnknownReading { name, suggestions } => match suggestions.as_slice() {
                [] => write!(
                    f,
                    "unknown reading `{}`: the rules declare no contested point",
                    names::shorten(name)
                ),
                [one] => write!(
                    f,
                    "unknown reading `{}`; did you mean `{one}`?",
                    names::shorten(name)
                ),
                all => write!(
                    f,
                    "unknown reading `{}`; the readings are {}",
                    names::shorten(name),
                    all.join(", ")
                ),
            },
            Error::TwoReadings {
                point,
                first,
                second,
            } => write!(
                f,
                "two readings of `{point}` were chosen: `{first}` and `{second}`"
            ),
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// The stable code of the problem (`docs/errors.md`): rules and scenario files (their
    /// first error), facts, evaluation, files that cannot be read and refused arguments
    /// (`E08..`); none yet for a typed fact of the wrong type or a stopped batch.
    pub fn code(&self) -> Option<crate::code::Code> {
        use crate::code::Code;
        match self {
            Error::Rules { diagnostics, .. } | Error::Scenarios { diagnostics, .. } => {
                diagnostics.iter().find(|d| d.is_error()).map(|d| d.code)
            }
            Error::Given(error) => Some(error.code()),
            Error::Fact(problem) => Some(problem.code()),
            Error::Json(error) => Some(error.code),
            Error::Eval { error, .. } => Some(error.code()),
            Error::Read(error) => Some(error.code()),
            Error::UnknownQuestion { .. } => Some(Code::UnknownQuestion),
            Error::NotAQuestion { .. } => Some(Code::AskedInput),
            Error::Date { .. } => Some(Code::InvalidDateArgument),
            Error::Period { .. } => Some(Code::PeriodBackwards),
            Error::NotAnEnum { .. } => Some(Code::OverNotAnEnum),
            Error::UnknownReading { .. } => Some(Code::UnknownReadingArgument),
            Error::TwoReadings { .. } => Some(Code::TwoReadingsArgument),
            Error::WrongType { .. } | Error::Batch(_) => None,
        }
    }
}

/// One row of [`Engine::who`]: a value of the enumeration and the answer given it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct WhoRow {
    /// The enumeration's value, as written in the rules (`president`).
    pub value: String,
    /// The answer when the input has that value.
    pub answer: Answer,
}

/// How [`Engine::batch`] answers and writes: by default every line as JSON with its full
/// trace, the date taken from each line's `as_of`, on every core (at most 16).
///
/// ```
/// let mut options = zan::BatchOptions::default();
/// options.format = zan::BatchFormat::Csv;
/// options.as_of = Some(zan::Engine::date("2023-03-01")?);
/// # Ok::<(), zan::Error>(())
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct BatchOptions {
    /// The date of lines without `as_of`.
    pub as_of: Option<NaiveDate>,
    /// JSON Lines or CSV.
    pub format: batch::Format,
    /// With the trace (brief or full), or the answer only (the fastest).
    pub content: batch::Content,
    /// Threads answering (at least one).
    pub workers: usize,
    /// Days stated for acts, the same for every line (see [`Engine::assumption`]).
    pub assumptions: Vec<Assumption>,
    /// Readings of contested points every line is answered under, by name (see
    /// [`Engine::ask_under`]).
    pub readings: Vec<String>,
}

impl Default for BatchOptions {
    fn default() -> BatchOptions {
        BatchOptions {
            as_of: None,
            format: batch::Format::Json,
            content: batch::Content::Trace(render::text::Explain::Full),
            workers: batch::default_workers(),
            assumptions: Vec::new(),
            readings: Vec::new(),
        }
    }
}

impl Engine {
    /// The rules shipped with zan (embedded at build time).
    ///
    /// ```
    /// let engine = zan::Engine::shipped()?;
    /// assert!(engine.questions().any(|name| name == "mazhilis.seat_allocation"));
    /// assert_eq!(engine.rules_sha256().len(), 64);
    /// # Ok::<(), zan::Error>(())
    /// ```
    pub fn shipped() -> Result<Engine, Error> {
        Engine::checked(load::load_embedded())
    }

    /// Rules from `.zan` files and directories (searched recursively). A file that cannot be
    /// read is [`Error::Read`]; rules with errors are [`Error::Rules`].
    ///
    /// ```
    /// let error = zan::Engine::from_paths(&["no/such/dir"]).err();
    /// assert!(matches!(error, Some(zan::Error::Read(_))));
    /// ```
    pub fn from_paths<P: AsRef<Path>>(paths: &[P]) -> Result<Engine, Error> {
        let paths: Vec<PathBuf> = paths.iter().map(|p| p.as_ref().to_path_buf()).collect();
        Engine::checked(load::load_paths(&paths).map_err(Error::Read)?)
    }

    /// Rules from text: `(file name, text)` pairs, the names used in diagnostics.
    ///
    /// ```
    /// let broken = zan::Engine::from_text(&[("demo.zan", "question x: bool")]);
    /// match broken {
    ///     Err(zan::Error::Rules { rendered, .. }) => assert!(rendered.contains("demo.zan:1:")),
    ///     _ => panic!("rules with errors must be refused"),
    /// }
    /// ```
    pub fn from_text(files: &[(&str, &str)]) -> Result<Engine, Error> {
        Engine::checked(load::load_text(files))
    }

    fn checked(loaded: Loaded) -> Result<Engine, Error> {
        if diagnostic::has_errors(&loaded.diagnostics) {
            let rendered = diagnostic::render(&loaded.sources, &loaded.diagnostics);
            return Err(Error::Rules {
                diagnostics: loaded.diagnostics,
                rendered,
            });
        }
        Ok(Engine { loaded })
    }

    /// The warnings the rules loaded with (no errors: those refuse the rules).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.loaded.diagnostics
    }

    /// Diagnostics rendered as text, with file, line, column, the source line and a caret.
    pub fn render_diagnostics(&self, diagnostics: &[Diagnostic]) -> String {
        diagnostic::render(&self.loaded.sources, diagnostics)
    }

    /// The checked rules, for what the facade does not cover (the catalogue, contested
    /// readings). Its layout is not a stable interface.
    pub fn rulebase(&self) -> &Rulebase {
        &self.loaded.rulebase
    }

    /// The SHA-256 of the rules' text, hex: with the engine version, an answer's receipt.
    pub fn rules_sha256(&self) -> &str {
        &self.loaded.rulebase.digest
    }

    /// The name of every question and parameter: what [`Engine::ask`] answers.
    pub fn questions(&self) -> impl Iterator<Item = &str> {
        self.loaded
            .rulebase
            .askable()
            .map(|(_, item)| item.name.as_str())
    }

    /// The name of an item (a question, parameter or input) by its id, as in
    /// [`Answer::question`]; none for an id of other rules that this engine's do not reach.
    pub fn name(&self, id: ItemId) -> Option<&str> {
        self.loaded
            .rulebase
            .items
            .get(id.index())
            .map(|item| item.name.as_str())
    }

    /// A date written `YYYY-MM-DD`, a day that exists.
    ///
    /// ```
    /// assert!(zan::Engine::date("2023-02-29").is_err());
    /// assert_eq!(zan::Engine::date("2024-02-29")?.to_string(), "2024-02-29");
    /// # Ok::<(), zan::Error>(())
    /// ```
    pub fn date(text: &str) -> Result<NaiveDate, Error> {
        facts::parse_date(text).ok_or_else(|| Error::Date {
            text: text.to_string(),
        })
    }

    /// No facts yet.
    pub fn facts(&self) -> Facts {
        Facts::new(&self.loaded.rulebase)
    }

    /// Adds a fact written `NAME=VALUE`, the value as in a scenario: `5000`, `5.29%`, `true`,
    /// `citizen`, `2023-01-01`, `"text"`. It is typed against the input's declared type and
    /// range-checked. A later fact for the same name replaces the earlier.
    ///
    /// ```
    /// let engine = zan::Engine::shipped()?;
    /// let mut facts = engine.facts();
    /// engine.give(&mut facts, "party.members=6000")?;
    /// let refused = engine.give(&mut facts, "party.members=-1").unwrap_err();
    /// assert!(refused.to_string().contains("negative"), "{refused}");
    /// assert!(engine.give(&mut facts, "party.membrs=6000").is_err());
    /// # Ok::<(), zan::Error>(())
    /// ```
    pub fn give(&self, facts: &mut Facts, fact: &str) -> Result<(), Error> {
        let (id, value) = facts::parse_given(&self.loaded.rulebase, fact).map_err(Error::Given)?;
        facts.set(id, value);
        Ok(())
    }

    /// Adds a typed fact: `value` must be of the input's declared type and in its range. An
    /// enumeration's value comes from [`Engine::value`], since only the rules know its id.
    ///
    /// ```
    /// use zan::{Num, Value};
    /// let engine = zan::Engine::shipped()?;
    /// let mut facts = engine.facts();
    /// engine.set(&mut facts, "party.members", Value::Num(Num::int(6000)))?;
    /// assert!(engine.set(&mut facts, "party.members", Value::Bool(true)).is_err());
    /// let subject = engine.value("court.subject", "normative_act_in_force")?;
    /// engine.set(&mut facts, "court.subject", subject)?;
    /// # Ok::<(), zan::Error>(())
    /// ```
    pub fn set(&self, facts: &mut Facts, name: &str, value: Value) -> Result<(), Error> {
        let rb = &self.loaded.rulebase;
        let id = facts::lookup_input(rb, name).map_err(Error::Fact)?;
        let ty = rb.item(id).ty;
        if !fits(rb, ty, &value) {
            return Err(Error::WrongType {
                name: names::shorten(name).into_owned(),
                ty: rb.type_name(ty),
            });
        }
        facts::check_domain(rb, ty, &value)
            .map_err(|problem| Error::Fact(facts::FactProblem::Domain(problem)))?;
        facts.set(id, value);
        Ok(())
    }

    /// A value for the input `name`, written as in `NAME=VALUE`: how a caller gets an
    /// enumeration's value, or any value typed and range-checked.
    pub fn value(&self, name: &str, text: &str) -> Result<Value, Error> {
        let fact = format!("{name}={text}");
        let (_, value) = facts::parse_given(&self.loaded.rulebase, &fact).map_err(Error::Given)?;
        Ok(value)
    }

    /// Settles the window of a change by the day an act took effect (`ACT=DATE`, as
    /// `--assume`): the day must lie within each window of a change the act makes.
    ///
    /// ```
    /// use zan::{Engine, Value};
    /// let engine = Engine::shipped()?;
    /// let mut facts = engine.facts();
    /// engine.give(&mut facts, "party.members=6000")?;
    /// engine.give(&mut facts, "party.branches_in_all_regions=true")?;
    /// engine.give(&mut facts, "party.smallest_branch_members=650")?;
    /// let date = Engine::date("2022-11-20")?;
    /// // Law No. 157-VII (5,000 members) took effect on a day between 2022-11-15 and
    /// // 2022-11-28 that the texts do not establish: on 20 November the answer is unknown ...
    /// assert_eq!(engine.ask("party.may_register", date, &facts)?.value, None);
    /// // ... unless the day is stated.
    /// engine.assume(&mut facts, "law_157_vii=2022-11-18")?;
    /// let answer = engine.ask("party.may_register", date, &facts)?;
    /// assert_eq!(answer.value, Some(Value::Bool(true)));
    /// assert!(engine.assume(&mut facts, "law_157_vii=2021-01-01").is_err());
    /// # Ok::<(), zan::Error>(())
    /// ```
    pub fn assume(&self, facts: &mut Facts, act_and_date: &str) -> Result<(), Error> {
        facts.assume(self.assumption(act_and_date)?);
        Ok(())
    }

    /// The day an act took effect (`ACT=DATE`), checked as [`Engine::assume`] checks it, for
    /// [`BatchOptions::assumptions`].
    pub fn assumption(&self, act_and_date: &str) -> Result<Assumption, Error> {
        facts::parse_assume(&self.loaded.rulebase, act_and_date).map_err(Error::Fact)
    }

    /// Facts from a JSON document `{"as_of": "YYYY-MM-DD", "given": {NAME: VALUE, ...}}`
    /// (`as_of` optional): the facts, and the date if the document gives one. Unknown keys,
    /// repeated keys and values of the wrong type are refused with their JSON path.
    ///
    /// ```
    /// let engine = zan::Engine::shipped()?;
    /// let json = r#"{"as_of": "2023-03-19",
    ///   "given": {"mazhilis.votes_cast": 1000,
    ///             "mazhilis.parties": [
    ///               {"name": "A", "votes": 600, "registered": "1999-03-01"},
    ///               {"name": "B", "votes": 300, "registered": "2002-01-01"},
    ///               {"name": "C", "votes": 60, "registered": "2003-01-01"},
    ///               {"name": "D", "votes": 40, "registered": "2004-01-01"}]}}"#;
    /// let (facts, as_of) = engine.facts_from_json(json)?;
    /// let answer = engine.ask("mazhilis.seat_allocation", as_of.unwrap(), &facts)?;
    /// // 69 seats by largest remainder among the lists past the 5% threshold (D has 4%):
    /// // quota 960/69; A 43.125, B 21.5625, C 4.3125; the one seat left goes to B.
    /// assert_eq!(engine.value_text(&answer).as_deref(), Some(r#"{"A": 43, "B": 22, "C": 4}"#));
    /// # Ok::<(), zan::Error>(())
    /// ```
    pub fn facts_from_json(&self, text: &str) -> Result<(Facts, Option<NaiveDate>), Error> {
        let json = facts::from_json(&self.loaded.rulebase, text).map_err(Error::Json)?;
        let mut facts = self.facts();
        for (id, value) in json.given {
            facts.set(id, value);
        }
        Ok((facts, json.as_of))
    }

    /// The question or parameter named, or an error with suggestions.
    fn question(&self, name: &str) -> Result<ItemId, Error> {
        let rb = &self.loaded.rulebase;
        let Some(id) = rb.lookup(name) else {
            return Err(Error::UnknownQuestion {
                name: names::shorten(name).into_owned(),
                suggestions: crate::catalogue::suggestions(rb, name),
            });
        };
        match rb.item(id).kind {
            ItemKind::Input { .. } => Err(Error::NotAQuestion {
                name: name.to_string(),
            }),
            ItemKind::Param { .. } | ItemKind::Question { .. } => Ok(id),
        }
    }

    /// Answers `question` as of `as_of` from `facts`: the value (if known), the status, what
    /// is missing, the citations on the deciding path and the trace. A fact not given is
    /// unknown, not an error: the answer says what it needs.
    ///
    /// ```
    /// use zan::{Engine, Status};
    /// let engine = Engine::shipped()?;
    /// let answer = engine.ask("party.may_register", Engine::date("2023-03-01")?, &engine.facts())?;
    /// assert_eq!(answer.status, Status::Unknown);
    /// assert_eq!(answer.value, None);
    /// assert!(engine.missing_facts(&answer).contains(&"party.members"));
    /// # Ok::<(), zan::Error>(())
    /// ```
    pub fn ask(&self, question: &str, as_of: NaiveDate, facts: &Facts) -> Result<Answer, Error> {
        let id = self.question(question)?;
        eval::readings::answer(&self.loaded.rulebase, id, as_of, facts, &[])
            .map_err(|error| self.eval_error(error))
    }

    /// Answers as [`Engine::ask`] does, with the named readings of contested points taken
    /// (`POINT.READING`, or the reading's own name when no other point has one so named), as
    /// `--reading` does. Without a reading chosen, a question that depends on how a point is
    /// read is answered under every reading, and is `contested` when they differ.
    ///
    /// ```
    /// use zan::{Engine, Status, Value};
    /// let engine = Engine::shipped()?;
    /// let mut facts = engine.facts();
    /// engine.give(&mut facts, "akim.unit=settlement")?;
    /// engine.give(&mut facts, "akim.residents=300")?;
    /// let date = Engine::date("2024-06-01")?;
    /// // Art. 38-1(4-1) of the Law on Local Government: part 1 forms an office in every
    /// // settlement, part 2's minimum of 500 residents names villages and rural districts only.
    /// let both = engine.ask("akim.office_required", date, &facts)?;
    /// assert_eq!(both.status, Status::Contested);
    /// let letter = engine.ask_under("akim.office_required", date, &facts, &["akim.settlement_office.always"])?;
    /// assert_eq!(letter.value, Some(Value::Bool(true)));
    /// let minimum = engine.ask_under("akim.office_required", date, &facts, &["minimum_500"])?;
    /// assert_eq!(minimum.value, Some(Value::Bool(false)));
    /// assert!(engine.ask_under("akim.office_required", date, &facts, &["minimum_50"]).is_err());
    /// # Ok::<(), zan::Error>(())
    /// ```
    pub fn ask_under(
        &self,
        question: &str,
        as_of: NaiveDate,
        facts: &Facts,
        readings: &[&str],
    ) -> Result<Answer, Error> {
        let id = self.question(question)?;
        let chosen = self.readings(readings)?;
        eval::readings::answer(&self.loaded.rulebase, id, as_of, facts, &chosen)
            .map_err(|error| self.eval_error(error))
    }

    /// Readings by name, at most one per contested point.
    fn readings(&self, names: &[&str]) -> Result<Vec<ReadingRef>, Error> {
        let rb = &self.loaded.rulebase;
        let mut chosen: Vec<ReadingRef> = Vec::new();
        for name in names {
            let Some(reading) = rb.lookup_reading(name) else {
                let all = rb.reading_names();
                let suggestions = match names::closest(name, all.iter().map(String::as_str)) {
                    Some(close) => vec![close],
                    None => all,
                };
                return Err(Error::UnknownReading {
                    name: name.to_string(),
                    suggestions,
                });
            };
            if let Some(other) = chosen.iter().find(|r| r.point == reading.point) {
                return Err(Error::TwoReadings {
                    point: rb.point(reading.point).name.clone(),
                    first: rb.reading_name(*other),
                    second: rb.reading_name(reading),
                });
            }
            chosen.push(reading);
        }
        Ok(chosen)
    }

    /// The answer for every value of the enumeration input `over`, the other facts as given:
    /// `zan who`.
    ///
    /// ```
    /// use zan::{Engine, Value};
    /// let engine = Engine::shipped()?;
    /// let mut facts = engine.facts();
    /// engine.give(&mut facts, "court.subject=normative_act_in_force")?;
    /// let rows = engine.who("court.may_apply", "court.applicant", Engine::date("2023-03-01")?, &facts)?;
    /// // Art. 72(4) of the Constitution as amended in 2022: the Prosecutor General may apply.
    /// let prosecutor = rows.iter().find(|row| row.value == "prosecutor_general").unwrap();
    /// assert_eq!(prosecutor.answer.value, Some(Value::Bool(true)));
    /// let table = engine.who_json("court.may_apply", "court.applicant", Engine::date("2023-03-01")?, &rows)?;
    /// assert_eq!(table["rows"].as_array().map(Vec::len), Some(rows.len()));
    /// # Ok::<(), zan::Error>(())
    /// ```
    pub fn who(
        &self,
        question: &str,
        over: &str,
        as_of: NaiveDate,
        facts: &Facts,
    ) -> Result<Vec<WhoRow>, Error> {
        let rb = &self.loaded.rulebase;
        let id = self.question(question)?;
        let over_id = facts::lookup_input(rb, over).map_err(Error::Fact)?;
        let rows =
            who::rows(rb, id, over_id, over, as_of, facts, &[]).map_err(|error| match error {
                who::WhoError::NotAnEnum { over, ty } => Error::NotAnEnum { name: over, ty },
                who::WhoError::Eval(error) => self.eval_error(error),
            })?;
        Ok(rows
            .into_iter()
            .map(|(value, answer)| WhoRow { value, answer })
            .collect())
    }

    /// The table of [`Engine::who`] as `zan who --format json` prints it: question, input,
    /// date, one row per value (the value and the answer, with the full trace), one receipt.
    pub fn who_json(
        &self,
        question: &str,
        over: &str,
        as_of: NaiveDate,
        rows: &[WhoRow],
    ) -> Result<serde_json::Value, Error> {
        let id = self.question(question)?;
        let rows: Vec<(String, Answer)> = rows
            .iter()
            .map(|row| (row.value.clone(), row.answer.clone()))
            .collect();
        Ok(who::json(
            &self.loaded.rulebase,
            id,
            over,
            as_of,
            &rows,
            render::text::Explain::Full,
        ))
    }

    /// Answers `question` for every line of a JSON Lines `input` (each line a facts document
    /// as [`Engine::facts_from_json`] reads it; other keys are carried to the answer line) and
    /// writes the answers to `output` in input order. A malformed line gets an error object
    /// and the batch goes on; the summary counts each status.
    ///
    /// ```
    /// let engine = zan::Engine::shipped()?;
    /// let input = concat!(
    ///     r#"{"id": "a", "as_of": "2022-10-01", "given": {"party.members": 6000}}"#, "\n",
    ///     r#"{"id": "b", "as_of": "2022-10-01", "given": {"party.members": "many"}}"#, "\n",
    /// );
    /// let mut output = Vec::new();
    /// let summary = engine.batch("party.may_register", &zan::BatchOptions::default(),
    ///     input.as_bytes(), &mut output)?;
    /// assert_eq!((summary.lines, summary.rejected), (2, 1));
    /// let text = String::from_utf8(output).unwrap();
    /// let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    /// // 6,000 members are under the 20,000 of October 2022 whatever the branches: false.
    /// assert_eq!((first["id"].as_str(), first["answer"].as_bool()), (Some("a"), Some(false)));
    /// # Ok::<(), zan::Error>(())
    /// ```
    pub fn batch<R: BufRead, W: Write>(
        &self,
        question: &str,
        options: &BatchOptions,
        input: R,
        output: &mut W,
    ) -> Result<batch::Summary, Error> {
        let readings: Vec<&str> = options.readings.iter().map(String::as_str).collect();
        let readings = self.readings(&readings)?;
        let job = batch::Job {
            rulebase: &self.loaded.rulebase,
            question: self.question(question)?,
            default_date: options.as_of,
            content: options.content,
            format: options.format,
            assumptions: &options.assumptions,
            readings: &readings,
        };
        batch::run(&job, input, output, options.workers, None).map_err(Error::Batch)
    }

    /// The legislative history after `from` and up to `to`: every dated value that took
    /// over, every rule that came into or went out of force, each area's start or end, in
    /// date order. [`Engine::diff_text`] and [`Engine::diff_json`] print it.
    ///
    /// ```
    /// use zan::Engine;
    /// let engine = Engine::shipped()?;
    /// let (from, to) = (Engine::date("2009-01-01")?, Engine::date("2023-06-01")?);
    /// let changes = engine.diff(from, to)?;
    /// // The membership minimum went 40,000 -> 20,000 (Law No. 336-VI) -> 5,000 (No. 157-VII).
    /// let minimum = changes.iter()
    ///     .filter(|c| c.item.is_some_and(|id| engine.name(id) == Some("party.members_required")))
    ///     .count();
    /// assert_eq!(minimum, 2);
    /// assert!(engine.diff(to, from).is_err());
    /// # Ok::<(), zan::Error>(())
    /// ```
    pub fn diff(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Change>, Error> {
        if from > to {
            return Err(Error::Period { from, to });
        }
        Ok(diff::history(
            &self.loaded.rulebase,
            from,
            to,
            &diff::Filter::default(),
        ))
    }

    /// The legislative history as `zan diff` prints it, with the contested points that begin
    /// or end in the period.
    pub fn diff_text(&self, from: NaiveDate, to: NaiveDate) -> Result<String, Error> {
        let rb = &self.loaded.rulebase;
        let changes = self.diff(from, to)?;
        let points = render::readings::diff(rb, from, to, &diff::Filter::default());
        Ok(render::diff::text(rb, from, to, &changes) + &render::readings::diff_text(rb, &points))
    }

    /// The legislative history as `zan diff --format json` prints it.
    pub fn diff_json(&self, from: NaiveDate, to: NaiveDate) -> Result<serde_json::Value, Error> {
        let rb = &self.loaded.rulebase;
        let changes = self.diff(from, to)?;
        let points = render::readings::diff(rb, from, to, &diff::Filter::default());
        Ok(render::readings::diff_document(
            rb, from, to, &changes, &points,
        ))
    }

    /// Checks a scenario file's text (`name` is used in diagnostics) against the rules and
    /// runs every scenario in it: each expectation's answer is compared with its value or
    /// status, deciding rule and citation. A file with errors runs nothing:
    /// [`Error::Scenarios`].
    ///
    /// ```
    /// let engine = zan::Engine::shipped()?;
    /// let text = r#"
    /// scenario "6,000 members on 1 March 2023, after Law No. 157-VII"
    ///   as of 2023-03-01
    ///   given party.members = 6000
    ///   given party.branches_in_all_regions = true
    ///   given party.smallest_branch_members = 650
    ///   expect party.may_register = true
    /// "#;
    /// let results = engine.run_scenarios("demo.zan", text)?;
    /// assert_eq!(results.len(), 1);
    /// assert!(results[0].passed());
    ///
    /// // The right answer for the wrong reason fails: `meets_minima` decides, not `too_few_members`.
    /// let wrong_rule = text.replace("may_register = true", "may_register = true by too_few_members");
    /// let results = engine.run_scenarios("demo.zan", &wrong_rule)?;
    /// assert!(!results[0].passed());
    ///
    /// let misspelt = text.replace("party.members =", "party.membrs =");
    /// match engine.run_scenarios("demo.zan", &misspelt) {
    ///     Err(zan::Error::Scenarios { rendered, .. }) => assert!(rendered.contains("party.membrs")),
    ///     _ => panic!("a scenario file with errors must be refused"),
    /// }
    /// # Ok::<(), zan::Error>(())
    /// ```
    pub fn run_scenarios(&self, name: &str, text: &str) -> Result<Vec<ScenarioResult>, Error> {
        let mut sources = self.loaded.sources.clone();
        let file = sources.add(name, text);
        let (ast, mut diagnostics) = crate::parse::parse_file(&sources, file);
        if !diagnostic::has_errors(&diagnostics) {
            let (scenarios, checked) = crate::check::check_scenarios(
                &sources,
                &self.loaded.rulebase,
                std::slice::from_ref(&ast),
            );
            diagnostics.extend(checked);
            if !diagnostic::has_errors(&diagnostics) {
                return Ok(scenarios
                    .iter()
                    .map(|s| scenario::run(&self.loaded.rulebase, s))
                    .collect());
            }
        }
        let rendered = diagnostic::render(&sources, &diagnostics);
        Err(Error::Scenarios {
            diagnostics,
            rendered,
        })
    }

    /// An answer's value as zan prints it (`false`, `20,000`, `5%`, `{"A": 43, ...}`), or
    /// none when it is not known.
    pub fn value_text(&self, answer: &Answer) -> Option<String> {
        let rb = &self.loaded.rulebase;
        let ty = rb.items.get(answer.question.index())?.ty;
        answer
            .value
            .as_ref()
            .map(|value| render::format_value(rb, ty, value))
    }

    /// The inputs and judgments an answer lacks, by name.
    pub fn missing_facts<'e>(&'e self, answer: &Answer) -> Vec<&'e str> {
        answer
            .missing
            .iter()
            .filter_map(|missing| match missing {
                eval::Missing::Fact { item, .. } => self.name(*item),
                eval::Missing::Window(_)
                | eval::Missing::NotCovered(_)
                | eval::Missing::NoValue(_)
                | eval::Missing::Conflict { .. }
                | eval::Missing::Gap(_)
                | eval::Missing::NoRule(_)
                | eval::Missing::Reading(_) => None,
            })
            .collect()
    }

    /// The answer as `zan ask --format json` prints it: question, date, status, answer,
    /// deciding rule, missing facts, citations, the full trace and the receipt.
    pub fn answer_json(&self, answer: &Answer) -> serde_json::Value {
        render::json::answer(&self.loaded.rulebase, answer)
    }

    /// The answer as `zan ask` prints it, with the full trace.
    pub fn answer_text(&self, answer: &Answer) -> String {
        render::text::answer(&self.loaded.rulebase, answer, render::text::Explain::Full)
    }

    /// The answer in Markdown, as `zan ask --format markdown` prints it, for a memo.
    pub fn answer_markdown(&self, answer: &Answer) -> String {
        render::markdown::answer(&self.loaded.rulebase, answer, render::text::Explain::Full)
    }

    /// An evaluation error with the rule's source line, as `zan ask` prints it.
    fn eval_error(&self, error: EvalError) -> Error {
        let rendered =
            diagnostic::render(&self.loaded.sources, &[crate::report::eval_error(&error)]);
        Error::Eval {
            error: Box::new(error),
            rendered,
        }
    }
}

/// Whether `value` is of type `ty`: the shape, an enumeration's id and variant, a record's
/// fields. Ranges are [`facts::check_domain`]'s.
fn fits(rb: &Rulebase, ty: Type, value: &Value) -> bool {
    match (ty, value) {
        (Type::Bool, Value::Bool(_))
        | (Type::Int | Type::Count | Type::Decimal | Type::Percent, Value::Num(_))
        | (Type::Date, Value::Date(_))
        | (Type::Duration, Value::Duration(_))
        | (Type::Text, Value::Text(_))
        | (Type::Seats, Value::Seats(_)) => true,
        (Type::Enum(id), Value::Enum(of, variant)) => {
            id == *of && (*variant as usize) < rb.enum_def(id).variants.len()
        }
        (Type::Record(id), Value::Record(fields)) => {
            let def = rb.record(id);
            def.fields.len() == fields.len()
                && def
                    .fields
                    .iter()
                    .zip(fields.iter())
                    .all(|((_, ty), value)| fits(rb, *ty, value))
        }
        (Type::List(id), Value::List(items)) => {
            items.iter().all(|item| fits(rb, Type::Record(id), item))
        }
        _ => false,
    }
}
