//! Facts from outside: `--given NAME=VALUE` on the command line and JSON facts files.
//!
//! Every value is typed against the declared type of its name and checked for range (counts
//! are never negative, percentages lie between 0% and 100%). Problems are reported with the
//! JSON path or the command-line argument, never by a panic.

use crate::check;
use crate::code::Code;
use crate::diagnostic::{self, Diagnostic};
use crate::names::shorten;
use crate::num::Num;
use crate::parse;
use crate::rulebase::*;
pub use crate::rulebase::{AssumptionProblem, assumption};
use crate::source::SourceMap;
pub use crate::values::{DomainProblem, MAX_LIST_LEN, check_domain};
use chrono::NaiveDate;
use std::sync::Arc;

/// A problem with a fact from outside (`--given`, `--assume`, a JSON facts document) or with
/// a value's range. The fields are the facts the message states; [`std::fmt::Display`] words
/// each problem, and [`FactProblem::code`] gives its stable code.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FactProblem {
    /// A value outside its type's range.
    Domain(DomainProblem),
    /// An act that cannot be assumed to have taken effect on the day given.
    Assumption(AssumptionProblem),
    GivenWithoutEquals {
        argument: String,
    },
    UnknownInput {
        name: String,
        suggestion: Option<String>,
    },
    QuestionGiven {
        name: String,
    },
    AssumeWithoutEquals {
        argument: String,
    },
    AssumeInvalidDate {
        text: String,
        act: String,
    },
    InvalidJson {
        detail: String,
    },
    JsonTooDeep,
    DuplicateKey {
        key: String,
    },
    NotAnObject,
    AsOfNotString,
    AsOfInvalidDate {
        text: String,
    },
    GivenNotObject,
    UnknownKey,
    /// A JSON value of the wrong kind: what was expected for type `ty`, what was found
    /// (described), and how to write it when that can be said.
    WrongJsonType {
        expected: String,
        ty: String,
        found: String,
        hint: Option<String>,
    },
    NotAnEnumValue {
        text: String,
        enum_name: String,
        values: Vec<String>,
        suggestion: Option<String>,
    },
    NoSuchField {
        record: String,
        field: String,
    },
    MissingField {
        field: String,
    },
    ListTooLong {
        found: usize,
    },
    SeatsNotWhole,
}

impl FactProblem {
    /// The stable code of the problem (`docs/errors.md`).
    pub fn code(&self) -> Code {
        match self {
            FactProblem::Domain(problem) => problem.code(),
            FactProblem::Assumption(problem) => problem.code(),
            FactProblem::GivenWithoutEquals { .. } => Code::GivenWithoutEquals,
            FactProblem::UnknownInput { .. } => Code::UnknownInput,
            FactProblem::QuestionGiven { .. } => Code::QuestionGiven,
            FactProblem::AssumeWithoutEquals { .. } => Code::AssumeWithoutEquals,
            FactProblem::AssumeInvalidDate { .. } => Code::AssumeInvalidDate,
            FactProblem::InvalidJson { .. } => Code::InvalidJson,
            FactProblem::JsonTooDeep => Code::JsonTooDeep,
            FactProblem::DuplicateKey { .. } => Code::DuplicateKey,
            FactProblem::NotAnObject => Code::NotAnObject,
            FactProblem::AsOfNotString => Code::AsOfNotString,
            FactProblem::AsOfInvalidDate { .. } => Code::AsOfInvalidDate,
            FactProblem::GivenNotObject => Code::GivenNotObject,
            FactProblem::UnknownKey => Code::UnknownKey,
            FactProblem::WrongJsonType { .. } => Code::WrongJsonType,
            FactProblem::NotAnEnumValue { .. } => Code::NotAnEnumValueJson,
            FactProblem::NoSuchField { .. } => Code::NoSuchFieldJson,
            FactProblem::MissingField { .. } => Code::MissingFieldJson,
            FactProblem::ListTooLong { .. } => Code::ListTooLongJson,
            FactProblem::SeatsNotWhole => Code::SeatsNotWhole,
        }
    }
}

/// "; did you mean `x`?", or nothing.
fn did_you_mean(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

impl std::fmt::Display for FactProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FactProblem::Domain(problem) => problem.fmt(f),
            FactProblem::Assumption(problem) => problem.fmt(f),
            FactProblem::GivenWithoutEquals { argument } => write!(
                f,
                "`--given {argument}`: expected NAME=VALUE, e.g. --given party.members=6000"
            ),
            FactProblem::UnknownInput { name, suggestion } => {
                write!(f, "unknown input `{name}`{}", did_you_mean(suggestion))
            }
            FactProblem::QuestionGiven { name } => write!(
                f,
                "`{name}` is a question and cannot be given; give the inputs it depends on"
            ),
            FactProblem::AssumeWithoutEquals { argument } => write!(
                f,
                "`--assume {argument}`: expected ACT=DATE, e.g. --assume law_157_vii=2022-11-20"
            ),
            FactProblem::AssumeInvalidDate { text, act } => write!(
                f,
                "invalid date `{text}` for --assume {act}: expected YYYY-MM-DD, a day that exists"
            ),
            FactProblem::InvalidJson { detail } => write!(f, "invalid JSON: {detail}"),
            FactProblem::JsonTooDeep => write!(
                f,
                "invalid JSON: expected arrays and objects nested at most 128 levels deep, found deeper nesting"
            ),
            FactProblem::DuplicateKey { key } => write!(f, "invalid JSON: duplicate key `{key}`"),
            FactProblem::NotAnObject => write!(
                f,
                "expected an object {{\"as_of\": ..., \"given\": {{...}}}}"
            ),
            FactProblem::AsOfNotString => write!(f, "expected a date string \"YYYY-MM-DD\""),
            FactProblem::AsOfInvalidDate { text } => {
                write!(f, "invalid date `{text}`: expected YYYY-MM-DD")
            }
            FactProblem::GivenNotObject => write!(f, "expected an object of NAME: VALUE"),
            FactProblem::UnknownKey => write!(f, "unknown key; expected `as_of` or `given`"),
            FactProblem::WrongJsonType {
                expected,
                ty,
                found,
                hint,
            } => {
                write!(f, "expected {expected} for type `{ty}`, found {found}")?;
                match hint {
                    Some(hint) => write!(f, "; {hint}"),
                    None => Ok(()),
                }
            }
            FactProblem::NotAnEnumValue {
                text,
                enum_name,
                values,
                suggestion,
            } => write!(
                f,
                "`{text}` is not a value of `{enum_name}`: expected one of {}{}",
                values.join(", "),
                did_you_mean(suggestion)
            ),
            FactProblem::NoSuchField { record, field } => {
                write!(f, "record `{record}` has no field `{field}`")
            }
            FactProblem::MissingField { field } => write!(f, "missing field `{field}`"),
            FactProblem::ListTooLong { found } => write!(
                f,
                "too long a list: expected at most {MAX_LIST_LEN} items, found {found}"
            ),
            FactProblem::SeatsNotWhole => write!(f, "expected a whole number of seats"),
        }
    }
}

/// Parses `NAME=VALUE` from the command line. The value is written as in a scenario:
/// `5000`, `5.29%`, `true`, `citizen`, `2023-01-01`, `"text"`.
pub fn parse_given(rb: &Rulebase, argument: &str) -> Result<(ItemId, Value), GivenError> {
    let Some((name, value_text)) = argument.split_once('=') else {
        return Err(GivenError::Fact(FactProblem::GivenWithoutEquals {
            argument: argument.to_string(),
        }));
    };
    let name = name.trim();
    let id = lookup_input(rb, name).map_err(GivenError::Fact)?;
    let item = rb.item(id);
    let mut sources = SourceMap::new();
    let file = sources.add(format!("--given {name}"), value_text.trim().to_string());
    if let Some((comma, hint)) = comma_in_number(value_text.trim()) {
        let at = crate::span::Span::new(file, comma, comma + 1);
        let diagnostic = Diagnostic::error(
            Code::CommaInNumber,
            format!(
                "`{}` is not a number zan reads: numbers have no commas",
                value_text.trim()
            ),
        )
        .at(at, "a comma")
        .hint(hint);
        return Err(GivenError::Value {
            sources,
            diagnostics: vec![diagnostic],
        });
    }
    let expr = match parse::parse_value(&sources, file) {
        Ok(expr) => expr,
        Err(diagnostic) => {
            return Err(GivenError::Value {
                sources,
                diagnostics: vec![diagnostic],
            });
        }
    };
    match check::literal(&sources, rb, &expr, item.ty) {
        Ok(value) => Ok((id, value)),
        Err(diagnostics) => Err(GivenError::Value {
            sources,
            diagnostics,
        }),
    }
}

/// Why a `--given NAME=VALUE` argument was refused: a problem with the argument or name, or
/// diagnostics on the value as written (with the one-line source they point into).
#[derive(Debug)]
pub enum GivenError {
    Fact(FactProblem),
    Value {
        sources: SourceMap,
        diagnostics: Vec<Diagnostic>,
    },
}

impl GivenError {
    /// The stable code of the (first) problem.
    pub fn code(&self) -> Code {
        match self {
            GivenError::Fact(problem) => problem.code(),
            GivenError::Value { diagnostics, .. } => diagnostics
                .first()
                .map_or(Code::ExpectedToken, |diagnostic| diagnostic.code),
        }
    }
}

impl std::fmt::Display for GivenError {
    /// A problem as one line; diagnostics rendered with the value and a caret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GivenError::Fact(problem) => problem.fmt(f),
            GivenError::Value {
                sources,
                diagnostics,
            } => f.write_str(&diagnostic::render(sources, diagnostics)),
        }
    }
}

/// Where a number is written with a comma (`5,29%`, `7,000`), the comma's byte offset and
/// how to write the number instead.
fn comma_in_number(text: &str) -> Option<(usize, String)> {
    let (body, percent) = match text.strip_suffix('%') {
        Some(body) => (body, "%"),
        None => (text, ""),
    };
    let unsigned = body.strip_prefix('-').unwrap_or(body);
    let (whole, fraction) = unsigned.split_once(',')?;
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !fraction.split(',').all(digits) {
        return None;
    }
    let comma = body.len() - unsigned.len() + whole.len();
    let sign = &body[..body.len() - unsigned.len()];
    let groups: Vec<&str> = fraction.split(',').collect();
    let thousands = percent.is_empty() && groups.iter().all(|group| group.len() == 3);
    let hint = if thousands {
        format!(
            "write numbers without a thousands separator: `{sign}{whole}{}` (or `{sign}{whole}_{}`); a decimal is written with a point",
            groups.concat(),
            groups.join("_")
        )
    } else if groups.len() == 1 {
        format!("write decimals with a point: `{sign}{whole}.{fraction}{percent}`")
    } else {
        "write numbers without thousands separators, and decimals with a point".to_string()
    };
    Some((comma, hint))
}

/// Parses `ACT=DATE` (`--assume`): the user states the day act `ACT` took effect. Every
/// window of a change that cites the act is settled by it; the day must lie in each of them.
pub fn parse_assume(rb: &Rulebase, argument: &str) -> Result<Assumption, FactProblem> {
    let Some((act, date_text)) = argument.split_once('=') else {
        return Err(FactProblem::AssumeWithoutEquals {
            argument: shorten(argument).into_owned(),
        });
    };
    let date_text = date_text.trim();
    let Some(date) = parse_date(date_text) else {
        return Err(FactProblem::AssumeInvalidDate {
            text: shorten(date_text).into_owned(),
            act: shorten(act.trim()).into_owned(),
        });
    };
    assumption(rb, act.trim(), date).map_err(FactProblem::Assumption)
}

/// An input or parameter by name, with a suggestion when the name is unknown.
pub fn lookup_input(rb: &Rulebase, name: &str) -> Result<ItemId, FactProblem> {
    let Some(id) = rb.lookup(name) else {
        return Err(FactProblem::UnknownInput {
            name: shorten(name).into_owned(),
            suggestion: rb.suggest(name).map(|s| s.to_string()),
        });
    };
    if matches!(rb.item(id).kind, ItemKind::Question { .. }) {
        return Err(FactProblem::QuestionGiven {
            name: name.to_string(),
        });
    }
    Ok(id)
}

/// A problem in a JSON facts document: where (a JSON path, and the line of the key it
/// starts at when known) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactError {
    pub path: String,
    pub line: Option<usize>,
    /// The stable code of the problem (`docs/errors.md`).
    pub code: Code,
    /// The problem as worded by [`FactProblem`], with numbers as the document wrote them.
    pub message: String,
}

impl FactError {
    /// The error of a value read at a relative path (`""` for the value itself), placed
    /// under `parent`: values are read relative to their parent so that a path is written
    /// only when there is an error to show it.
    fn under(self, parent: &str) -> FactError {
        FactError {
            path: format!("{parent}{}", self.path),
            ..self
        }
    }

    fn on_line(self, line: Option<usize>) -> FactError {
        FactError {
            line: self.line.or(line),
            ..self
        }
    }
}

impl std::fmt::Display for FactError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}, at `{}`: {}", self.path, self.message),
            None => write!(f, "at `{}`: {}", self.path, self.message),
        }
    }
}

fn fact_error(path: &str, problem: FactProblem) -> FactError {
    FactError {
        path: path.to_string(),
        line: None,
        code: problem.code(),
        message: problem.to_string(),
    }
}

/// Where `key` is written as an object key in `text`, at or after byte `from`: its byte
/// offset and line. The parsed JSON keeps no positions, so the key is searched for.
fn key_position(text: &str, key: &str, from: usize) -> Option<(usize, usize)> {
    let quoted = serde_json::to_string(key).ok()?;
    let mut search = from;
    loop {
        let offset = search + text.get(search..)?.find(&quoted)?;
        let after = text.get(offset + quoted.len()..)?;
        if after.trim_start().starts_with(':') {
            let line = text.get(..offset)?.matches('\n').count() + 1;
            return Some((offset, line));
        }
        search = offset + quoted.len();
    }
}

/// The facts of one JSON document `{"as_of": "YYYY-MM-DD", "given": {NAME: VALUE, ...}}`.
#[derive(Debug, Clone, Default)]
pub struct JsonFacts {
    pub as_of: Option<NaiveDate>,
    pub given: Vec<(ItemId, Value)>,
}

/// Reads a JSON facts document. Keys other than `as_of` and `given` are refused, as are
/// repeated keys, so that a typo never goes unnoticed.
pub fn from_json(rb: &Rulebase, text: &str) -> Result<JsonFacts, FactError> {
    read_facts(rb, text, None)
}

/// Keys of a batch line other than `as_of` and `given` (an `id`, a case name), in the order
/// written, for the answer line to carry.
pub type OtherKeys = Vec<(String, serde_json::Value)>;

/// Reads one line of a batch: the facts as [`from_json`] reads them, and the line's other
/// top-level keys, which are kept instead of refused.
pub fn from_json_line(rb: &Rulebase, text: &str) -> Result<(JsonFacts, OtherKeys), FactError> {
    let mut others = Vec::new();
    let facts = read_facts(rb, text, Some(&mut others))?;
    Ok((facts, others))
}

fn read_facts(
    rb: &Rulebase,
    text: &str,
    mut others: Option<&mut OtherKeys>,
) -> Result<JsonFacts, FactError> {
    // A byte-order mark, as some editors write, carries no meaning (RFC 8259, section 8.1).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let document: serde_json::Value = strict_json(text)?;
    let serde_json::Value::Object(top) = document else {
        return Err(fact_error("$", FactProblem::NotAnObject));
    };
    let mut facts = JsonFacts::default();
    // A document on one line (as in `zan batch`) gains nothing from "line 1".
    let lines = text.trim_end().contains('\n');
    for (key, value) in top {
        if let Some(others) = others.as_deref_mut()
            && key != "as_of"
            && key != "given"
        {
            others.push((key, value));
            continue;
        }
        // Positions only serve line numbers, which a one-line document does not show.
        let key_at = if lines {
            key_position(text, &key, 0)
        } else {
            None
        };
        let key_line = key_at.map(|(_, line)| line).filter(|_| lines);
        let from_key = |result: Result<(), FactError>| {
            result.map_err(|e| FactError {
                message: numbers_as_written(e.message.clone(), text),
                ..e.on_line(key_line)
            })
        };
        from_key(facts_key(rb, text, lines, &key, key_at, &value, &mut facts))?;
    }
    Ok(facts)
}

/// Puts back the numbers of `text` that JSON parsing rewrote (`1e3` became `1000.0`,
/// `99999999999999999999` became `1e20`) in a message that quotes them as `the number N`, so
/// the message says what the input says.
fn numbers_as_written(mut message: String, text: &str) -> String {
    const QUOTED: &str = "the number ";
    if !message.contains(QUOTED) {
        return message;
    }
    let bytes = text.as_bytes();
    let (mut idx, mut in_string, mut escaped) = (0, false, false);
    while idx < bytes.len() {
        let byte = bytes[idx];
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            idx += 1;
            continue;
        }
        if byte == b'"' {
            in_string = true;
            idx += 1;
            continue;
        }
        if !(byte == b'-' || byte.is_ascii_digit()) {
            idx += 1;
            continue;
        }
        let end = bytes[idx..]
            .iter()
            .position(|b| !(b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')))
            .map_or(bytes.len(), |length| idx + length);
        let written = &text[idx..end];
        idx = end;
        let Ok(serde_json::Value::Number(parsed)) = serde_json::from_str(written) else {
            continue;
        };
        let shown = format!("{QUOTED}{parsed}");
        if parsed.to_string() == written {
            continue;
        }
        // Only where the quoted number ends there (`1000.0`, not the start of `1000.05`).
        let mut from = 0;
        while let Some(at) = message[from..].find(&shown).map(|at| from + at) {
            let after = at + shown.len();
            let ends = message[after..]
                .chars()
                .next()
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '.'));
            if ends {
                message.replace_range(at..after, &format!("{QUOTED}{written}"));
                from = at + QUOTED.len() + written.len();
            } else {
                from = after;
            }
        }
    }
    message
}

/// One top-level key of a facts document: `as_of` or `given`.
fn facts_key(
    rb: &Rulebase,
    text: &str,
    lines: bool,
    key: &str,
    key_at: Option<(usize, usize)>,
    value: &serde_json::Value,
    facts: &mut JsonFacts,
) -> Result<(), FactError> {
    match key {
        "as_of" => {
            let serde_json::Value::String(text) = value else {
                return Err(fact_error("$.as_of", FactProblem::AsOfNotString));
            };
            facts.as_of = Some(parse_date(text).ok_or_else(|| {
                fact_error(
                    "$.as_of",
                    FactProblem::AsOfInvalidDate { text: text.clone() },
                )
            })?);
        }
        "given" => {
            let serde_json::Value::Object(given) = value else {
                return Err(fact_error("$.given", FactProblem::GivenNotObject));
            };
            let given_at = key_at.map_or(0, |(offset, _)| offset);
            for (name, value) in given {
                // The path is written only into an error; values are read relative to it.
                let path = || format!("$.given[\"{}\"]", shorten(name));
                let line = if lines {
                    key_position(text, name, given_at).map(|(_, line)| line)
                } else {
                    None
                };
                let typed = || -> Result<(ItemId, Value), FactError> {
                    let id = lookup_input(rb, name).map_err(|p| fact_error(&path(), p))?;
                    let value =
                        json_value(rb, rb.item(id).ty, value, "").map_err(|e| e.under(&path()))?;
                    check_domain(rb, rb.item(id).ty, &value)
                        .map_err(|p| fact_error(&path(), FactProblem::Domain(p)))?;
                    Ok((id, value))
                };
                facts.given.push(typed().map_err(|e| e.on_line(line))?);
            }
        }
        other => {
            return Err(fact_error(
                &format!("$.{}", shorten(other)),
                FactProblem::UnknownKey,
            ));
        }
    }
    Ok(())
}

pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    // Plain digits, as almost every date is written, are read directly; anything else goes
    // through chrono's parser, which decides what else `%Y-%m-%d` accepts.
    let digits = |range: std::ops::Range<usize>| {
        bytes[range].iter().try_fold(0u32, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    if let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) {
        return NaiveDate::from_ymd_opt(year as i32, month, day);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Parses JSON, refusing duplicate keys anywhere in the document.
fn strict_json(text: &str) -> Result<serde_json::Value, FactError> {
    use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    struct Strict(serde_json::Value);
    impl<'de> Deserialize<'de> for Strict {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Strict;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a JSON value")
                }
                fn visit_bool<E>(self, v: bool) -> Result<Strict, E> {
                    Ok(Strict(v.into()))
                }
                fn visit_i64<E>(self, v: i64) -> Result<Strict, E> {
                    Ok(Strict(v.into()))
                }
                fn visit_u64<E>(self, v: u64) -> Result<Strict, E> {
                    Ok(Strict(v.into()))
                }
                fn visit_f64<E>(self, v: f64) -> Result<Strict, E> {
                    Ok(Strict(serde_json::Number::from_f64(v).map_or(
                        serde_json::Value::Null,
                        serde_json::Value::Number,
                    )))
                }
                fn visit_str<E>(self, v: &str) -> Result<Strict, E> {
                    Ok(Strict(v.into()))
                }
                fn visit_string<E>(self, v: String) -> Result<Strict, E> {
                    Ok(Strict(v.into()))
                }
                fn visit_unit<E>(self) -> Result<Strict, E> {
                    Ok(Strict(serde_json::Value::Null))
                }
                fn visit_none<E>(self) -> Result<Strict, E> {
                    Ok(Strict(serde_json::Value::Null))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
                    let mut items = Vec::new();
                    while let Some(Strict(item)) = seq.next_element()? {
                        items.push(item);
                    }
                    Ok(Strict(serde_json::Value::Array(items)))
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
                    let mut object = serde_json::Map::new();
                    while let Some(key) = map.next_key::<String>()? {
                        let Strict(value) = map.next_value()?;
                        if object.contains_key(&key) {
                            return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
                        }
                        object.insert(key, value);
                    }
                    Ok(Strict(serde_json::Value::Object(object)))
                }
            }
            deserializer.deserialize_any(V)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    // serde_json recurses per nesting level; its own limit (128) stops deep input cleanly.
    let result =
        Strict::deserialize(&mut deserializer).and_then(|v| deserializer.end().map(|()| v));
    result.map(|Strict(v)| v).map_err(|e| {
        // serde_json ends its messages with " at line L column C"; the path already says it.
        let shown = e.to_string();
        let shown = shown
            .rsplit_once(" at line ")
            .map_or(shown.as_str(), |(message, _)| message);
        let problem = if shown.starts_with("recursion limit exceeded") {
            FactProblem::JsonTooDeep
        } else if let Some(key) = shown
            .strip_prefix("duplicate key `")
            .and_then(|rest| rest.strip_suffix('`'))
        {
            FactProblem::DuplicateKey {
                key: key.to_string(),
            }
        } else {
            FactProblem::InvalidJson {
                detail: shown.to_string(),
            }
        };
        fact_error(&format!("line {} column {}", e.line(), e.column()), problem)
    })
}

fn json_value(
    rb: &Rulebase,
    ty: Type,
    json: &serde_json::Value,
    path: &str,
) -> Result<Value, FactError> {
    use serde_json::Value as J;
    // The type's name only serves the message, so it is written only when there is one.
    let wrong_with = |what: &str, hint: Option<String>| {
        fact_error(
            path,
            FactProblem::WrongJsonType {
                expected: what.to_string(),
                ty: rb.type_name(ty).to_string(),
                found: describe_json(json),
                hint,
            },
        )
    };
    let wrong = |what: &str| wrong_with(what, None);
    match ty {
        Type::Bool => match json {
            J::Bool(b) => Ok(Value::Bool(*b)),
            J::String(text) if bool_word(text).is_some() => Err(wrong_with(
                "true or false",
                Some(format!(
                    "write {} (without quotes)",
                    bool_word(text).unwrap_or_default()
                )),
            )),
            J::Null | J::Number(_) | J::String(_) | J::Array(_) | J::Object(_) => {
                Err(wrong("true or false"))
            }
        },
        Type::Int | Type::Count => match json {
            J::Number(n) => n
                .as_i64()
                .map(|i| Value::Num(Num::int(i)))
                .ok_or_else(|| wrong("a whole number within ±9223372036854775807")),
            J::String(text) => Err(wrong_with(
                "a whole number",
                Some(match comma_in_number(text) {
                    Some(_) => format!(
                        "write the number without quotes and without a thousands separator: {}",
                        text.replace(',', "")
                    ),
                    None => "write the number without quotes, e.g. 7000".to_string(),
                }),
            )),
            J::Null | J::Bool(_) | J::Array(_) | J::Object(_) => Err(wrong("a whole number")),
        },
        Type::Decimal | Type::Percent => {
            // Exact values are strings, so that no JSON reader rounds them on the way.
            let with_hint = |what: &str, hint: String| wrong_with(what, Some(hint));
            let text = match json {
                J::String(text) => text,
                J::Number(n) if ty == Type::Percent => {
                    return Err(with_hint(
                        "an exact percentage string such as \"5.29%\"",
                        format!("write \"{n}%\" for {n} percent"),
                    ));
                }
                J::Number(n) => {
                    return Err(with_hint(
                        "an exact decimal string such as \"0.7\"",
                        format!("write \"{n}\""),
                    ));
                }
                J::Null | J::Bool(_) | J::Array(_) | J::Object(_) => {
                    return Err(wrong(if ty == Type::Percent {
                        "an exact percentage string such as \"5.29%\""
                    } else {
                        "an exact decimal string such as \"0.7\""
                    }));
                }
            };
            if let Some((_, hint)) = comma_in_number(text) {
                return Err(with_hint("a number without commas", hint));
            }
            let (digits, is_percent) = match text.strip_suffix('%') {
                Some(digits) => (digits, true),
                None => (text.as_str(), false),
            };
            if ty == Type::Percent && !is_percent {
                return Err(if plain_decimal(digits) {
                    with_hint(
                        "a percentage string ending in % such as \"5.29%\"",
                        format!("write \"{digits}%\" for {digits} percent"),
                    )
                } else {
                    wrong("a percentage string ending in % such as \"5.29%\"")
                });
            }
            if !plain_decimal(digits) {
                return Err(wrong(if is_percent {
                    "digits, an optional decimal point and digits, then %, such as \"5.29%\""
                } else {
                    "digits, an optional decimal point and digits, such as \"0.7\""
                }));
            }
            let n = Num::parse_decimal(digits).ok_or_else(|| {
                wrong("a number within ±9223372036854775807 with at most 18 decimal places")
            })?;
            let n = if is_percent {
                n.checked_div(Num::int(100))
                    .ok_or_else(|| wrong("a smaller number"))?
            } else {
                n
            };
            Ok(Value::Num(n))
        }
        Type::Date => match json {
            J::String(text) => parse_date(text)
                .map(Value::Date)
                .ok_or_else(|| wrong("a valid date \"YYYY-MM-DD\"")),
            J::Null | J::Bool(_) | J::Number(_) | J::Array(_) | J::Object(_) => {
                Err(wrong("a date string \"YYYY-MM-DD\""))
            }
        },
        Type::Duration => Err(wrong("no duration (durations cannot be given as facts)")),
        Type::Text => json
            .as_str()
            .map(|s| Value::Text(s.into()))
            .ok_or_else(|| wrong("a string")),
        Type::Enum(id) => {
            let def = &rb.enums[id.0 as usize];
            let J::String(text) = json else {
                return Err(wrong(&format!("one of {}", def.variants.join(", "))));
            };
            match def.variants.iter().position(|v| v == text) {
                Some(idx) => Ok(Value::Enum(id, idx as u32)),
                None => {
                    let suggestion =
                        crate::names::closest(text, def.variants.iter().map(String::as_str));
                    Err(fact_error(
                        path,
                        FactProblem::NotAnEnumValue {
                            text: text.clone(),
                            enum_name: def.name.to_string(),
                            values: def.variants.clone(),
                            suggestion,
                        },
                    ))
                }
            }
        }
        Type::Record(id) => {
            let def = &rb.records[id.0 as usize];
            let J::Object(object) = json else {
                return Err(wrong("an object"));
            };
            for key in object.keys() {
                if !def.fields.iter().any(|(name, _)| name == key) {
                    return Err(fact_error(
                        &format!("{path}.{key}"),
                        FactProblem::NoSuchField {
                            record: def.name.to_string(),
                            field: key.clone(),
                        },
                    ));
                }
            }
            let mut fields = Vec::new();
            for (name, field_ty) in &def.fields {
                let field_path = || format!("{path}.{name}");
                let value = object.get(name).ok_or_else(|| {
                    fact_error(
                        &field_path(),
                        FactProblem::MissingField {
                            field: name.clone(),
                        },
                    )
                })?;
                fields.push(
                    json_value(rb, *field_ty, value, "").map_err(|e| e.under(&field_path()))?,
                );
            }
            Ok(Value::Record(fields.into()))
        }
        Type::List(record) => {
            let J::Array(items) = json else {
                return Err(wrong("an array"));
            };
            if items.len() > MAX_LIST_LEN {
                return Err(fact_error(
                    path,
                    FactProblem::ListTooLong { found: items.len() },
                ));
            }
            let values = items
                .iter()
                .enumerate()
                .map(|(idx, item)| {
                    json_value(rb, Type::Record(record), item, "")
                        .map_err(|e| e.under(&format!("{path}[{idx}]")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::List(values.into()))
        }
        Type::Seats => {
            let J::Object(object) = json else {
                return Err(wrong("an object of list name: seats"));
            };
            if object.len() > MAX_LIST_LEN {
                return Err(fact_error(
                    path,
                    FactProblem::ListTooLong {
                        found: object.len(),
                    },
                ));
            }
            let mut seats: Vec<(Arc<str>, i64)> = Vec::new();
            for (name, value) in object {
                let n = value.as_i64().ok_or_else(|| {
                    fact_error(&format!("{path}[\"{name}\"]"), FactProblem::SeatsNotWhole)
                })?;
                seats.push((name.as_str().into(), n));
            }
            Ok(Value::Seats(seats.into()))
        }
    }
}

/// The literal grammar of exact numbers in JSON facts: `-?[0-9]+(\.[0-9]+)?`, nothing else
/// (no `_`, no spaces, no exponent), so that `"_%"` or `" 5%"` never reads as a number.
fn plain_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

/// `yes`, `no` and their like in place of a truth value: the JSON value meant.
fn bool_word(text: &str) -> Option<&'static str> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "on" | "true" => Some("true"),
        "no" | "n" | "off" | "false" => Some("false"),
        _ => None,
    }
}

fn describe_json(json: &serde_json::Value) -> String {
    use serde_json::Value as J;
    match json {
        J::Null => "null".into(),
        J::Bool(b) => b.to_string(),
        J::Number(n) => format!("the number {n}"),
        J::String(s) => format!("the string {s:?}"),
        J::Array(_) => "an array".into(),
        J::Object(_) => "an object".into(),
    }
}

/// Parses diagnostics for a value given on the command line, for tests.
pub fn render_diagnostics(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    diagnostic::render(sources, diagnostics)
}
