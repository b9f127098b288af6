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
//! `ARCHITECTURE.md` describes the stages, their invariants (and which are not yet true) and
//! where new things go. The modules:
//!
//! - `source`, `span`: loaded files and byte spans into them, with line/column look-up.
//! - `parse` (nom, in `parse/` only) turns text into an `ast::Ast`; every node keeps its byte
//!   span; syntax errors become diagnostics and parsing goes on.
//! - `ast`: what a file says, as written; names are still strings.
//! - `check` resolves every name to an id, checks types, citations, dated values and cycles,
//!   and builds the [`rulebase::Rulebase`]; also scenario files and contested readings.
//! - `rulebase`: the checked law, with ids, types, validity, citations and the rules' digest.
//! - `load`: files or the embedded rules -> parsed and checked rulebase, with diagnostics.
//! - `companions`: checks some rules files alone, with the declarations of the other shipped
//!   files.
//! - `eval` answers a question as of a date from given facts: three-valued, traced, exact;
//!   windows, assumptions and constraints; `eval::readings` weighs contested readings and
//!   `eval::seats` allocates seats.
//! - `num`: exact numbers (rationals, checked arithmetic; no floating point).
//! - `facts`: facts from `--given` and JSON, typed and range-checked against the rulebase.
//! - `render` prints answers, traces, scenario results and the legislative history as text,
//!   JSON (with the streaming `AnswerWriter`) and Markdown; `render::readings` prints contested
//!   answers side by side. It decides nothing about the law.
//! - `diagnostic`: parse and check problems as data, printed with the source line and a caret.
//! - `scenario` runs scenarios; `report` turns runs and checks into JSON or JUnit reports.
//! - `diff`: the legislative history between two dates.
//! - `catalogue`: what zan can answer (`zan list`, `zan show`, shell completions).
//! - `fmt`: the canonical layout of rules and scenario files (on lines, keeping comments).
//! - `output`: every file zan writes goes through it, written whole or not at all (unique
//!   temporary file, synced, renamed); text printed to a terminal has its control characters
//!   escaped by it.
//! - `batch`: one question over a JSON Lines stream, answered in parallel, written in input
//!   order as JSON or CSV.
//! - `serve` answers over HTTP (`zan serve`): the same JSON as the command line, an OpenAPI
//!   document and a page.
//! - `cli`: the commands behind the `zan` binary (`main.rs` parses the arguments).
//! - `engine`: the facade above ([`Engine`]), over `load`, `facts`, `eval`, `render`, `batch`,
//!   `diff` and `scenario`.
//!
//! Invariants: nom types never leave `parse`; `eval` never sees the AST; `render` never
//! decides law; no stage panics on user input. Not yet true: imports still go both ways
//! between some stages, and the deciding rule is a name, not an id (see `ARCHITECTURE.md`).

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub(crate) mod ast;
#[doc(hidden)]
pub mod batch;
#[doc(hidden)]
pub mod catalogue;
#[doc(hidden)]
pub mod check;
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod companions;
#[doc(hidden)]
pub mod diagnostic;
#[doc(hidden)]
pub mod diff;
mod engine;
#[doc(hidden)]
pub mod eval;
#[doc(hidden)]
pub mod facts;
#[doc(hidden)]
pub mod fmt;
#[doc(hidden)]
pub mod load;
#[doc(hidden)]
pub mod num;
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

pub use chrono::NaiveDate;
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
