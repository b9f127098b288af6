//! zan: Kazakhstan's constitutional and statutory provisions as dated, cited, executable rules.
//!
//! # As a library
//!
//! [`Engine`] is the library's face: load the shipped rules ([`Engine::shipped`]) or rules
//! files of one's own ([`Engine::from_paths`], [`Engine::from_text`]), with their diagnostics
//! as an [`Error`]; give facts as `NAME=VALUE` ([`Engine::give`]), typed ([`Engine::set`]) or
//! as JSON ([`Engine::facts_from_json`]); ask a question as of a date ([`Engine::ask`], or
//! under chosen readings of contested provisions with [`Engine::ask_under`]), go
//! through every value of an enumeration ([`Engine::who`]), answer a JSON Lines stream
//! ([`Engine::batch`]), list what changed between two dates ([`Engine::diff`]) and run
//! scenarios ([`Engine::run_scenarios`]). An [`Answer`] is typed data (its [`Value`],
//! [`Status`], [`Cite`]s and trace), printed as JSON, text or Markdown by the engine.
//!
//! ```
//! use zan::{Engine, Status, Value};
//!
//! let engine = Engine::shipped()?;
//! let mut facts = engine.facts();
//! engine.give(&mut facts, "party.members=6000")?;
//! engine.give(&mut facts, "party.branches_in_all_regions=true")?;
//! engine.give(&mut facts, "party.smallest_branch_members=650")?;
//! // On 1 October 2022 a party needed 20,000 members (Law on Political Parties, Art. 10(6)).
//! let answer = engine.ask("party.may_register", Engine::date("2022-10-01")?, &facts)?;
//! assert_eq!((answer.status, answer.value), (Status::Answered, Some(Value::Bool(false))));
//! # Ok::<(), zan::Error>(())
//! ```
//!
//! `examples/embed.rs` is a whole program. The modules below the facade are public for the
//! `zan` binary, the tests and the benchmarks, and hidden from this documentation: their
//! layout is not a stable interface. Ids ([`ItemId`] and the others) can only be made by the
//! rules they index, so a caller cannot make one that indexes out of bounds.
//!
//! # The stages
//!
//! ```text
//! source text --parse--> Ast --check--> Rulebase --eval(question, date, facts)--> Answer + Trace --render--> text | JSON | Markdown
//! ```
//!
//! `ARCHITECTURE.md` describes the stages, their invariants and where new things go. Imports
//! go one way: each module below imports only modules listed before it (the exact table is in
//! `ARCHITECTURE.md`, and `tests/imports.rs` holds the code to it). The modules, lowest first:
//!
//! - `code`: the stable code of every kind of problem (`docs/errors.md` lists them).
//! - `num`: exact numbers (rationals, checked arithmetic; no floating point).
//! - `escape`: control characters escaped in text bound for a terminal or a line of JSON.
//! - `output`: every file zan writes goes through it, written whole or not at all (unique
//!   temporary file, synced, renamed); text printed to a terminal has its control characters
//!   escaped.
//! - `span`, `source`: byte spans, and loaded files with line/column look-up.
//! - `diagnostic`: parse and check problems as data, with their code, printed with the source
//!   line and a caret.
//! - `names`: "did you mean" suggestions, and names from input shortened for messages.
//! - `ops`: the operators the AST and the rulebase share.
//! - `status`: how an answer came out.
//! - `keywords`: the words of the rules language, declared once (the parser, the formatter and
//!   the grammar test read them).
//! - `usage`: problems with a command's arguments (a date missing, a fact given twice, an
//!   unknown question or reading), as data with their codes.
//! - `ast`: what a file says, as written; names are still strings.
//! - `parse` (nom, in `parse/` only) turns text into an `ast::Ast`; every node keeps its byte
//!   span; syntax errors become diagnostics and parsing goes on.
//! - `rulebase`: the checked law, with ids, types, validity, citations and the rules' digest.
//! - `values`: values, numbers and date ranges in words, and the range checks on values from
//!   outside.
//! - `check` resolves every name to an id, checks types, citations, dated values and cycles,
//!   and builds the [`rulebase::Rulebase`]; also scenario files and contested readings. What
//!   it finds wrong is a `check::CheckProblem`, worded in one place.
//! - `facts`: facts from `--given` and JSON, typed and range-checked against the rulebase.
//! - `load`: files or the embedded rules -> parsed and checked rulebase, with diagnostics.
//! - `companions`: checks some rules files alone, with the declarations of the other shipped
//!   files.
//! - `fmt`: the canonical layout of rules and scenario files (on lines, keeping comments).
//! - `eval` answers a question as of a date from given facts: three-valued, traced, exact;
//!   windows, assumptions and constraints; `eval::readings` weighs contested readings and
//!   `eval::seats` allocates seats. It never sees the AST.
//! - `diff`: the legislative history between two dates.
//! - `scenario` runs scenarios; a failed expectation is data, worded by `render`.
//! - `render` prints answers, traces, scenario results and the legislative history as text
//!   (with colour on a terminal), JSON (with the streaming `AnswerWriter`) and Markdown;
//!   `render::readings` prints contested answers side by side. It decides nothing about the law.
//! - `catalogue`: what zan can answer (`zan list`, `zan show`, shell completions).
//! - `args`: a question's arguments (name, date, `--given`, facts file, `--assume`,
//!   `--reading`) resolved against the rules, refusals typed with their codes.
//! - `report` turns scenario runs and checks into JSON or JUnit reports.
//! - `suite`: `zan run`'s work: scenario files read, checked and run under the assumptions and
//!   readings given, filtered; the text report.
//! - `interview`: asks the facts a question still lacks, one at a time.
//! - `who`: one question over every value of an enum input, as a table.
//! - `batch`: one question over a JSON Lines stream, answered in parallel, written in input
//!   order as JSON or CSV.
//! - `serve` answers over HTTP (`zan serve`): the same JSON as the command line, an OpenAPI
//!   document and a page.
//! - `engine`: the facade above ([`Engine`]), over `load`, `facts`, `eval`, `render`, `who`,
//!   `batch`, `diff` and `scenario`.
//!
//! The command line (`cli.rs`, declared by `main.rs`) is the binary's: it parses arguments into
//! each command's options and calls the modules above.
//!
//! Invariants: nom types never leave `parse`; `eval` never sees the AST; `render` never
//! decides law; no stage panics on user input; imports go one way. Not yet true: the deciding
//! rule is a name, not an id (see `ARCHITECTURE.md`).

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

#[doc(hidden)]
pub mod args;
pub(crate) mod ast;
#[doc(hidden)]
pub mod batch;
#[doc(hidden)]
pub mod catalogue;
#[doc(hidden)]
pub mod check;
#[doc(hidden)]
pub mod code;
#[doc(hidden)]
pub mod companions;
#[doc(hidden)]
pub mod diagnostic;
#[doc(hidden)]
pub mod diff;
mod engine;
pub(crate) mod escape;
#[doc(hidden)]
pub mod eval;
#[doc(hidden)]
pub mod facts;
#[doc(hidden)]
pub mod fmt;
#[doc(hidden)]
pub mod interview;
#[doc(hidden)]
pub mod keywords;
#[doc(hidden)]
pub mod load;
#[doc(hidden)]
pub mod names;
#[doc(hidden)]
pub mod num;
pub(crate) mod ops;
#[doc(hidden)]
pub mod output;
#[doc(hidden)]
pub mod parse;
#[doc(hidden)]
pub mod render;
#[doc(hidden)]
pub mod report;
#[doc(hidden)]
pub mod rulebase;
#[doc(hidden)]
pub mod scenario;
#[doc(hidden)]
pub mod serve;
#[doc(hidden)]
pub mod source;
pub(crate) mod span;
pub(crate) mod status;
#[doc(hidden)]
pub mod suite;
#[doc(hidden)]
pub mod usage;
#[doc(hidden)]
pub mod values;
#[doc(hidden)]
pub mod who;

pub use chrono::NaiveDate;
pub use code::Code;
pub use engine::{BatchOptions, Engine, Error, WhoRow};
pub use eval::{Answer, Assumption, Facts, Status};
pub use num::Num;
pub use rulebase::{Authority, Cite, ItemId, Value};

/// How much of each answer [`Engine::batch`] writes.
pub use batch::Content as BatchContent;
/// How [`Engine::batch`] writes each line: JSON Lines or CSV.
pub use batch::Format as BatchFormat;
/// The counts of a finished [`Engine::batch`].
pub use batch::Summary as BatchSummary;
/// A problem in rules or scenario files, with its place.
pub use diagnostic::Diagnostic;
/// One change in [`Engine::diff`].
pub use diff::Change;
/// How much of the trace is printed.
pub use render::text::Explain;
/// The result of one scenario of [`Engine::run_scenarios`].
pub use scenario::ScenarioResult;
