//! `who`: one question asked for every value of an enum input, the other facts fixed; the
//! table the command line and the server print.

use crate::eval::{self, Answer, EvalError, Facts};
use crate::render::{self, text::Explain};
use crate::rulebase::{EnumId, ItemId, ReadingRef, Rulebase, Type, Value};
use chrono::NaiveDate;

/// Why a `who` table could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WhoError {
    /// The input gone over is not an enumeration (`ty` is its type's name).
    NotAnEnum { over: String, ty: String },
    /// An evaluation stopped with an error.
    Eval(EvalError),
}

impl WhoError {
    /// The problem's stable code.
    pub fn code(&self) -> crate::code::Code {
        match self {
            WhoError::NotAnEnum { .. } => crate::code::Code::OverNotAnEnum,
            WhoError::Eval(error) => error.code(),
        }
    }
}

impl std::fmt::Display for WhoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WhoError::NotAnEnum { over, ty } => write!(
                f,
                "`{over}` is a `{ty}`, not an enumeration: `who` goes through every value of an enum input"
            ),
            WhoError::Eval(error) => error.fmt(f),
        }
    }
}

/// The enumeration of input `over` (named `name` as the caller wrote it), or why it has none.
pub fn over_enum(rb: &Rulebase, over: ItemId, name: &str) -> Result<EnumId, WhoError> {
    let ty = rb.item(over).ty;
    let Type::Enum(id) = ty else {
        return Err(WhoError::NotAnEnum {
            over: name.to_string(),
            ty: rb.type_name(ty),
        });
    };
    Ok(id)
}

/// One row per value of the enum input `over`: the value's name and the answer with `over` set
/// to it, under the readings `chosen`.
pub fn rows(
    rb: &Rulebase,
    question: ItemId,
    over: ItemId,
    name: &str,
    date: NaiveDate,
    facts: &Facts,
    chosen: &[ReadingRef],
) -> Result<Vec<(String, Answer)>, WhoError> {
    let enum_id = over_enum(rb, over, name)?;
    let variants = &rb.enums[enum_id.0 as usize].variants;
    let mut rows = Vec::with_capacity(variants.len());
    for (idx, variant) in variants.iter().enumerate() {
        let mut facts = facts.clone();
        facts.set(over, Value::Enum(enum_id, idx as u32));
        let answer =
            eval::readings::answer(rb, question, date, &facts, chosen).map_err(WhoError::Eval)?;
        rows.push((variant.clone(), answer));
    }
    Ok(rows)
}

/// The table as JSON: `{question, over, as_of, rows: [{value, ...answer}], receipt}`, with one
/// receipt, on the table.
pub fn json(
    rb: &Rulebase,
    question: ItemId,
    over: &str,
    date: NaiveDate,
    rows: &[(String, Answer)],
    explain: Explain,
) -> serde_json::Value {
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|(variant, answer)| {
            let mut object = serde_json::Map::new();
            object.insert("value".into(), serde_json::Value::from(variant.clone()));
            if let serde_json::Value::Object(mut rest) =
                render::json::answer_with(rb, answer, explain)
            {
                rest.shift_remove("receipt");
                object.extend(rest);
            }
            serde_json::Value::Object(object)
        })
        .collect();
    serde_json::json!({
        "question": rb.item(question).name,
        "over": over,
        "as_of": date.to_string(),
        "rows": items,
        "receipt": {"engine": format!("zan {}", env!("CARGO_PKG_VERSION")), "rules_sha256": rb.digest},
    })
}
