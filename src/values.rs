//! Values as people read and write them: numbers and values printed exactly or as a memo
//! prints them, date ranges in words, and the range checks every value from outside passes
//! (counts are never negative, percentages lie between 0% and 100%, text holds no control
//! characters). The checker, the facts reader and the renderers share them.

use crate::code::Code;
use crate::num::{Num, group_thousands};
use crate::ops::DurationUnit;
use crate::rulebase::*;
use chrono::NaiveDate;

/// How numbers that are not whole are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Numbers {
    /// Exactly: a decimal when it terminates, else the fraction with a reading aid
    /// (`320/23 (≈13.9130)`). JSON keeps this.
    Exact,
    /// As a memo prints them (text and Markdown): up to four decimal places exactly, and a
    /// number with more (or with no end) rounded half away from zero to four places:
    /// `58.7369%`, `75.8893`, `13.9130`. A number that is not zero but rounds to zero is
    /// `less than 0.0001`. The exact value stays in JSON.
    Memo,
}

/// A number of type `ty` (a percentage is printed with its sign) in the given style.
pub fn format_num_as(n: Num, ty: Type, numbers: Numbers) -> String {
    if ty == Type::Percent {
        let Some(p) = n.checked_mul(Num::int(100)) else {
            return format!("{n}");
        };
        if numbers == Numbers::Memo
            && let Some(text) = memo_decimal(p)
        {
            return format!("{text}%");
        }
        return match p.to_decimal_string() {
            Some(text) => format!("{}%", group_thousands(&text)),
            None => format!("{p}%"),
        };
    }
    if numbers == Numbers::Memo
        && let Some(text) = memo_decimal(n)
    {
        return text;
    }
    match n.to_decimal_string() {
        Some(text) => group_thousands(&text),
        None => format!("{n} (≈{})", approximate(n)),
    }
}

/// Places kept by [`Numbers::Memo`].
const MEMO_PLACES: u32 = 4;

/// `n` with at most four decimal places, rounded half away from zero; `None` if the
/// arithmetic would overflow (the caller then prints the exact value).
fn memo_decimal(n: Num) -> Option<String> {
    if let Some(text) = n.to_decimal_string()
        && text
            .split_once('.')
            .is_none_or(|(_, fraction)| fraction.len() <= MEMO_PLACES as usize)
    {
        return Some(group_thousands(&text));
    }
    let rounded = n.rounded(MEMO_PLACES)?;
    if rounded.whole == 0 && rounded.fraction == 0 {
        let smallest = format!("0.{:0>width$}", 1, width = MEMO_PLACES as usize);
        return Some(if rounded.negative {
            format!("between -{smallest} and 0")
        } else {
            format!("less than {smallest}")
        });
    }
    Some(format!(
        "{}{}.{:0>width$}",
        if rounded.negative { "-" } else { "" },
        group_thousands(&rounded.whole.to_string()),
        rounded.fraction,
        width = MEMO_PLACES as usize
    ))
}

/// Four decimal places, rounded toward zero: a reading aid beside an exact fraction.
fn approximate(n: Num) -> String {
    let scaled = n.numer().checked_mul(10_000).map(|v| v / n.denom());
    match scaled {
        Some(scaled) => {
            let negative = scaled < 0;
            let digits = format!("{:05}", scaled.unsigned_abs());
            let (whole, fraction) = digits.split_at(digits.len() - 4);
            format!(
                "{}{}.{fraction}",
                if negative { "-" } else { "" },
                group_thousands(whole)
            )
        }
        None => n.to_string(),
    }
}

/// A value as an analyst reads it: `20,000`, `5%`, `citizen`, `2023-01-01`, exactly.
pub fn format_value(rb: &Rulebase, ty: Type, value: &Value) -> String {
    format_value_as(rb, ty, value, Numbers::Exact)
}

/// A value, with numbers in the given style.
pub fn format_value_as(rb: &Rulebase, ty: Type, value: &Value, numbers: Numbers) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        Value::Num(n) => format_num_as(*n, ty, numbers),
        Value::Date(d) => d.to_string(),
        Value::Duration(d) => {
            let unit = match (d.unit, d.amount == 1) {
                (DurationUnit::Days, true) => "day",
                (DurationUnit::Days, false) => "days",
                (DurationUnit::Months, true) => "month",
                (DurationUnit::Months, false) => "months",
                (DurationUnit::Years, true) => "year",
                (DurationUnit::Years, false) => "years",
            };
            format!("{} {unit}", d.amount)
        }
        Value::Text(t) => format!("{t:?}"),
        Value::Enum(id, idx) => rb
            .enums
            .get(id.0 as usize)
            .and_then(|e| e.variants.get(*idx as usize))
            .cloned()
            .unwrap_or_default(),
        Value::Record(fields) => {
            let record = match ty {
                Type::Record(id) | Type::List(id) => rb.records.get(id.0 as usize),
                Type::Bool
                | Type::Int
                | Type::Count
                | Type::Decimal
                | Type::Percent
                | Type::Date
                | Type::Duration
                | Type::Text
                | Type::Seats
                | Type::Enum(_) => None,
            };
            let parts: Vec<String> = fields
                .iter()
                .enumerate()
                .map(|(idx, v)| match record.and_then(|r| r.fields.get(idx)) {
                    Some((name, field_ty)) => {
                        format!("{name}: {}", format_value_as(rb, *field_ty, v, numbers))
                    }
                    None => format!("{v:?}"),
                })
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::List(items) => {
            let element = ty.element();
            let parts: Vec<String> = items
                .iter()
                .map(|v| format_value_as(rb, element, v, numbers))
                .collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Seats(entries) => {
            let parts: Vec<String> = entries
                .iter()
                .map(|(name, seats)| format!("{name:?}: {seats}"))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
}

/// A date range as messages print it: `2019-01-01 .. 2022-12-31`, `2023-01-01 onward`.
pub fn date_range_text(from: NaiveDate, until: Option<NaiveDate>) -> String {
    match until {
        Some(until) => format!("{from} .. {until}"),
        None => format!("{from} onward"),
    }
}

/// The longest list (or seat allocation) accepted in facts, from every source: JSON facts,
/// scenario files and `--given`.
pub const MAX_LIST_LEN: usize = 10_000;

/// A value from outside its type's range. The fields are the facts the message states;
/// [`std::fmt::Display`] words each problem, and [`DomainProblem::code`] gives its code.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DomainProblem {
    NegativeCount {
        found: Num,
    },
    NotWhole {
        found: Num,
    },
    /// `shown` is the percentage as zan prints it.
    PercentOutOfRange {
        shown: String,
    },
    ControlInText {
        control: char,
    },
    /// `name` shortened for the message.
    ControlInListName {
        name: String,
    },
    NegativeSeats {
        name: String,
        seats: i64,
    },
    /// A problem with one field of a record.
    InField {
        field: String,
        problem: Box<DomainProblem>,
    },
}

impl DomainProblem {
    /// The stable code of the problem (`docs/errors.md`).
    pub fn code(&self) -> Code {
        match self {
            DomainProblem::NegativeCount { .. } => Code::NegativeCount,
            DomainProblem::NotWhole { .. } => Code::NotWhole,
            DomainProblem::PercentOutOfRange { .. } => Code::PercentOutOfRange,
            DomainProblem::ControlInText { .. } => Code::ControlInText,
            DomainProblem::ControlInListName { .. } => Code::ControlInListName,
            DomainProblem::NegativeSeats { .. } => Code::NegativeSeats,
            DomainProblem::InField { problem, .. } => problem.code(),
        }
    }
}

impl std::fmt::Display for DomainProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DomainProblem::NegativeCount { found } => {
                write!(f, "a count cannot be negative, found {found}")
            }
            DomainProblem::NotWhole { found } => {
                write!(f, "expected a whole number, found {found}")
            }
            DomainProblem::PercentOutOfRange { shown } => write!(
                f,
                "a percentage must lie between 0% and 100%, found {shown}"
            ),
            DomainProblem::ControlInText { control } => write!(
                f,
                "text holds the control character U+{:04X}: names and other text hold no control characters (no newlines or tabs)",
                u32::from(*control)
            ),
            DomainProblem::ControlInListName { name } => write!(
                f,
                "the list name {name:?} holds a control character: names hold no control characters (no newlines or tabs)"
            ),
            DomainProblem::NegativeSeats { name, seats } => {
                write!(f, "seats cannot be negative: `{name}` has {seats}")
            }
            DomainProblem::InField { field, problem } => write!(f, "field `{field}`: {problem}"),
        }
    }
}

/// Checks that a value lies in its type's range.
pub fn check_domain(rb: &Rulebase, ty: Type, value: &Value) -> Result<(), DomainProblem> {
    match (ty, value) {
        (Type::Count, Value::Num(n)) if n.is_negative() => {
            Err(DomainProblem::NegativeCount { found: *n })
        }
        (Type::Count | Type::Int, Value::Num(n)) if !n.is_integer() => {
            Err(DomainProblem::NotWhole { found: *n })
        }
        (Type::Percent, Value::Num(n)) if n.is_negative() || *n > Num::ONE => {
            Err(DomainProblem::PercentOutOfRange {
                shown: format_value(rb, ty, value),
            })
        }
        (Type::Text, Value::Text(text)) => match text.chars().find(|c| c.is_control()) {
            Some(control) => Err(DomainProblem::ControlInText { control }),
            None => Ok(()),
        },
        (Type::Seats, Value::Seats(entries)) => {
            if let Some((name, _)) = entries
                .iter()
                .find(|(name, _)| name.chars().any(char::is_control))
            {
                return Err(DomainProblem::ControlInListName {
                    name: crate::names::shorten(name).into_owned(),
                });
            }
            match entries.iter().find(|(_, seats)| *seats < 0) {
                Some((name, seats)) => Err(DomainProblem::NegativeSeats {
                    name: name.to_string(),
                    seats: *seats,
                }),
                None => Ok(()),
            }
        }
        (Type::List(record), Value::List(items)) => items
            .iter()
            .try_for_each(|item| check_domain(rb, Type::Record(record), item)),
        (Type::Record(record), Value::Record(fields)) => {
            let def = &rb.records[record.0 as usize];
            def.fields
                .iter()
                .zip(fields.iter())
                .try_for_each(|((name, ty), value)| {
                    check_domain(rb, *ty, value).map_err(|problem| DomainProblem::InField {
                        field: name.clone(),
                        problem: Box::new(problem),
                    })
                })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod memo_tests {
    use super::*;

    fn memo(numer: i128, denom: i128) -> String {
        let n = Num::ratio(numer, denom).expect("a number");
        format_num_as(n, Type::Decimal, Numbers::Memo)
    }

    #[test]
    fn memo_numbers_round_half_away_from_zero_to_four_places() {
        assert_eq!(memo(1, 3), "0.3333");
        assert_eq!(memo(2, 3), "0.6667");
        assert_eq!(memo(-2, 3), "-0.6667");
        assert_eq!(memo(1, 20000), "0.0001"); // 0.00005: half, away from zero
        assert_eq!(memo(-1, 20000), "-0.0001");
        assert_eq!(memo(760_000, 69), "11,014.4928");
        // Four places or fewer print exactly.
        assert_eq!(memo(345, 8), "43.125");
        assert_eq!(memo(9, 16), "0.5625");
        assert_eq!(memo(6000, 1), "6,000");
        // Not zero, but too small for four places.
        assert_eq!(memo(1, 1_000_000), "less than 0.0001");
        assert_eq!(memo(-1, 1_000_000), "between -0.0001 and 0");
        // A share: 3,524,213 of 6,000,000 votes.
        let share = Num::ratio(3_524_213, 6_000_000).expect("a share");
        assert_eq!(
            format_num_as(share, Type::Percent, Numbers::Memo),
            "58.7369%"
        );
        // The exact style is unchanged (JSON uses it).
        assert_eq!(
            format_num_as(share, Type::Percent, Numbers::Exact),
            "3524213/60000%"
        );
    }
}
