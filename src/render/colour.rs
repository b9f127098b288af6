//! Colour for text on a terminal: ANSI sequences around a headline, by status.

use crate::eval::{self, Status};
use crate::rulebase::Value;

/// Wraps `text` in an ANSI colour when colour is on.
pub fn paint(on: bool, text: &str, code: &str) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Colours the first line of a text answer by its status.
pub fn paint_headline(on: bool, rendered: String, answer: &eval::Answer) -> String {
    if !on {
        return rendered;
    }
    let code = match (answer.status, &answer.value) {
        (Status::Answered, Some(Value::Bool(false))) => "1;31",
        (Status::Answered, _) => "1;32",
        _ => "1;33",
    };
    match rendered.split_once('\n') {
        Some((first, rest)) => format!("{}\n{rest}", paint(on, first, code)),
        None => paint(on, &rendered, code),
    }
}
