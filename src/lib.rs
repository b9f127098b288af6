//! zan: Kazakhstan's constitutional and statutory provisions as dated, cited, executable rules.
//!
//! ```text
//! source text --parse--> Ast --check--> Rulebase --eval(question, date, facts)--> Answer + Trace --render--> text | JSON | Markdown
//! ```
//!
//! - `parse` (nom, in `parse/` only) turns text into an [`ast::Ast`]; every node keeps its byte
//!   span; syntax errors become diagnostics and parsing goes on.
//! - `check` resolves every name to an id, checks types, citations, dated values and cycles,
//!   and builds the [`rulebase::Rulebase`]. After it, nothing looks anything up by string.
//! - `eval` answers a question as of a date from given facts: three-valued, traced, exact.
//! - `render` prints answers, traces and diagnostics; it decides nothing about the law.
//! - `output` is the only way out: files are written whole or not at all (unique temporary
//!   file, synced, renamed), and text for the standard streams has its control characters
//!   escaped and every write checked.
//!
//! - `serve` answers over HTTP (`zan serve`): the same JSON as the command line, and a page.
//!
//! Invariants: nom types never leave `parse`; `eval` never sees the AST; `render` never
//! decides law; no stage panics on user input.

#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod ast;
pub mod batch;
pub mod catalogue;
pub mod check;
pub mod cli;
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
