//! zan: Kazakhstan's constitutional and statutory provisions as dated, cited, executable rules.
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
//! - `parse` (nom, in `parse/` only) turns text into an [`ast::Ast`]; every node keeps its byte
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
//! - `report` turns scenario runs and checks into JSON or JUnit reports.
//! - `suite`: `zan run`'s work: scenario files read, checked and run under the assumptions and
//!   readings given, filtered; the text report.
//! - `interview`: asks the facts a question still lacks, one at a time.
//! - `who`: one question over every value of an enum input, as a table.
//! - `batch`: one question over a JSON Lines stream, answered in parallel, written in input
//!   order as JSON or CSV.
//! - `serve` answers over HTTP (`zan serve`): the same JSON as the command line, an OpenAPI
//!   document and a page.
//!
//! The command line (`cli.rs`, declared by `main.rs`) is the binary's: it parses arguments into
//! each command's options and calls the modules above.
//!
//! Invariants: nom types never leave `parse`; `eval` never sees the AST; `render` never
//! decides law; no stage panics on user input; imports go one way. Not yet true: the deciding
//! rule is a name, not an id (see `ARCHITECTURE.md`).

#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod ast;
pub mod batch;
pub mod catalogue;
pub mod check;
pub mod code;
pub mod companions;
pub mod diagnostic;
pub mod diff;
pub mod escape;
pub mod eval;
pub mod facts;
pub mod fmt;
pub mod interview;
pub mod keywords;
pub mod load;
pub mod names;
pub mod num;
pub mod ops;
pub mod output;
pub mod parse;
pub mod render;
pub mod report;
pub mod rulebase;
pub mod scenario;
pub mod serve;
pub mod source;
pub mod span;
pub mod status;
pub mod suite;
pub mod usage;
pub mod values;
pub mod who;
