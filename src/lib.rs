//! zan: Kazakhstan's constitutional and statutory provisions as dated, cited, executable rules.
//!
//! ```text
//! source text --parse--> Ast --check--> Rulebase --eval(question, date, facts)--> Answer + Trace --render--> text | JSON | Markdown
//! ```
//!
//! `ARCHITECTURE.md` describes the stages, their invariants (and which are not yet true) and
//! where new things go. The modules:
//!
//! - `source`, `span`: loaded files and byte spans into them, with line/column look-up.
//! - `parse` (nom, in `parse/` only) turns text into an [`ast::Ast`]; every node keeps its byte
//!   span; syntax errors become diagnostics and parsing goes on.
//! - `ast`: what a file says, as written; names are still strings.
//! - `check` resolves every name to an id, checks types, citations, dated values and cycles,
//!   and builds the [`rulebase::Rulebase`]; also scenario files and contested readings. What
//!   it finds wrong is a `check::CheckProblem`, worded in one place.
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
//! - `code`: the stable code of every kind of problem (`docs/errors.md` lists them).
//! - `diagnostic`: parse and check problems as data, with their code, printed with the
//!   source line and a caret.
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
//!
//! Invariants: nom types never leave `parse`; `eval` never sees the AST; `render` never
//! decides law; no stage panics on user input. Not yet true: imports still go both ways
//! between some stages, and the deciding rule is a name, not an id (see `ARCHITECTURE.md`).

#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod ast;
pub mod batch;
pub mod catalogue;
pub mod check;
pub mod cli;
pub mod code;
pub mod companions;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod facts;
pub mod fmt;
pub mod load;
pub mod num;
pub mod output;
pub mod parse;
pub mod render;
pub mod report;
pub mod rulebase;
pub mod scenario;
pub mod serve;
pub mod source;
pub mod span;
