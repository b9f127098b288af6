//! Renderers: answers, traces and scenario results as text, JSON or Markdown.
//!
//! They print what `eval` decided and never decide anything about the law themselves.

pub mod diff;
pub mod json;
pub mod markdown;
pub mod text;

use crate::eval::{Answer, Missing, Origin, RuleVerdict, Status, Step, StepKind};
use crate::num::{Num, group_thousands};
use crate::rulebase::*;

/// The receipt of one answer: which engine, which rules, and what the user assumed.
pub fn answer_receipt(rb: &Rulebase, answer: &Answer) -> String {
    let mut shown = receipt(rb);
    for assumption in &answer.assumptions {
        shown.push_str(&format!(
            ", assumed {} in force from {}",
            assumption.act, assumption.date
        ));
    }
    shown
}

/// The receipt on every answer: which engine, which rules.
pub fn receipt(rb: &Rulebase) -> String {
    format!(
        "zan {}, rules sha256 {}",
        env!("CARGO_PKG_VERSION"),
        rb.digest
    )
}

fn format_num(n: Num, ty: Type) -> String {
    match ty {
        Type::Percent => match n.checked_mul(Num::int(100)) {
            Some(p) => match p.to_decimal_string() {
                Some(text) => format!("{}%", group_thousands(&text)),
                None => format!("{p}%"),
            },
            None => format!("{n}"),
        },
        _ => match n.to_decimal_string() {
            Some(text) => group_thousands(&text),
            None => format!("{n} (≈{})", approximate(n)),
        },
    }
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

/// A value as an analyst reads it: `20,000`, `5%`, `citizen`, `2023-01-01`.
pub fn format_value(rb: &Rulebase, ty: Type, value: &Value) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        Value::Num(n) => format_num(*n, ty),
        Value::Date(d) => d.to_string(),
        Value::Duration(d) => {
            let unit = match (d.unit, d.amount == 1) {
                (crate::ast::DurationUnit::Days, true) => "day",
                (crate::ast::DurationUnit::Days, false) => "days",
                (crate::ast::DurationUnit::Months, true) => "month",
                (crate::ast::DurationUnit::Months, false) => "months",
                (crate::ast::DurationUnit::Years, true) => "year",
                (crate::ast::DurationUnit::Years, false) => "years",
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
                _ => None,
            };
            let parts: Vec<String> = fields
                .iter()
                .enumerate()
                .map(|(idx, v)| match record.and_then(|r| r.fields.get(idx)) {
                    Some((name, field_ty)) => format!("{name}: {}", format_value(rb, *field_ty, v)),
                    None => format!("{v:?}"),
                })
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::List(items) => {
            let element = match ty {
                Type::List(id) => Type::Record(id),
                other => other,
            };
            let parts: Vec<String> = items.iter().map(|v| format_value(rb, element, v)).collect();
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

/// `Law "On Political Parties" ... Art. 10(6) (verified)`
pub fn format_cite(cite: &Cite) -> String {
    let authority = match cite.authority {
        Authority::Verified => "verified",
        Authority::Secondary => "secondary",
    };
    format!("{}, {} ({authority})", cite.act_title, cite.article)
}

/// `party_law Art. 10(6)`, `journal_a3 p. 38 (secondary)`: the act's name from the rules and
/// the article, for trace lines; the full titles are listed once under "citations".
pub fn short_cites(cites: &[Cite]) -> String {
    cites
        .iter()
        .map(|cite| match cite.authority {
            Authority::Verified => format!("{} {}", cite.act, cite.article),
            Authority::Secondary => format!("{} {} (secondary)", cite.act, cite.article),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn format_cites(cites: &[Cite]) -> String {
    cites.iter().map(format_cite).collect::<Vec<_>>().join("; ")
}

fn format_validity(validity: &Validity) -> String {
    let from = validity.from.map(|start| match start.window {
        Some(_) => format!("from a day between {} and {}", start.earliest, start.known),
        None => format!("from {}", start.earliest),
    });
    let until = validity.until.map(|until| format!("until {until}"));
    match (from, until) {
        (Some(f), Some(u)) => format!("in force {f} {u}"),
        (Some(f), None) => format!("in force {f}"),
        (None, Some(u)) => format!("in force {u}"),
        (None, None) => "in force throughout the area's period".to_string(),
    }
}

/// A margin in words: "short by 14,000", "met with 1,000 to spare".
fn margin_text(op: crate::ast::BinaryOp, result: bool, margin: Num, ty: Type) -> Option<String> {
    use crate::ast::BinaryOp::*;
    let amount = match ty {
        Type::Percent => {
            let points = margin.checked_mul(Num::int(100))?;
            let unit = if points == Num::ONE {
                "percentage point"
            } else {
                "percentage points"
            };
            format!("{} {unit}", format_num(points, Type::Decimal))
        }
        _ => format_num(margin, ty),
    };
    let zero = margin == Num::ZERO;
    Some(match (op, result) {
        (Ge | Gt, true) if zero => "met exactly".to_string(),
        (Ge | Gt, true) => format!("met with {amount} to spare"),
        (Ge | Gt, false) if zero => "equal, but it must be greater".to_string(),
        (Ge | Gt, false) => format!("short by {amount}"),
        (Le | Lt, true) if zero => "equal".to_string(),
        (Le | Lt, true) => format!("lower by {amount}"),
        (Le | Lt, false) if zero => "equal, but it must be lower".to_string(),
        (Le | Lt, false) => format!("higher by {amount}"),
        (Eq, false) | (Ne, true) => format!("differs by {amount}"),
        _ => return None,
    })
}

fn opt_value(rb: &Rulebase, ty: Type, value: &Option<Value>) -> String {
    value
        .as_ref()
        .map_or_else(|| "unknown".to_string(), |v| format_value(rb, ty, v))
}

/// One line of the trace for a step (without its children), in plain words.
pub fn step_line(rb: &Rulebase, step: &Step) -> String {
    match &step.kind {
        StepKind::Question { item, value, .. } => {
            let item = rb.item(*item);
            format!("{} = {}", item.name, opt_value(rb, item.ty, value))
        }
        StepKind::Rule {
            question,
            rule,
            verdict,
        } => {
            let ItemKind::Question { rules, .. } = &rb.item(*question).kind else {
                return String::new();
            };
            let Some(rule_def) = rules.get(*rule as usize) else {
                return String::new();
            };
            let kind = if rule_def.exception_to.is_some() {
                "exception"
            } else {
                "rule"
            };
            let name_of = |idx: u32| {
                rules
                    .get(idx as usize)
                    .map_or_else(String::new, |r| r.name.clone())
            };
            let verdict_text = match verdict {
                RuleVerdict::Applies => "applies".to_string(),
                RuleVerdict::DoesNotApply => "does not apply".to_string(),
                RuleVerdict::Undetermined => "may apply: it depends on facts not given".to_string(),
                RuleVerdict::NotYetInForce(start) => match start.window {
                    Some(_) => format!(
                        "not yet in force: from a day between {} and {}",
                        start.earliest, start.known
                    ),
                    None => format!("not yet in force: from {}", start.earliest),
                },
                RuleVerdict::NoLongerInForce(until) => format!("no longer in force: until {until}"),
                RuleVerdict::Overridden { by } => {
                    format!("applies, but exception `{}` overrides it", name_of(*by))
                }
                RuleVerdict::TargetDoesNotApply { to } => {
                    format!(
                        "does not apply: it narrows rule `{}`, which does not apply",
                        name_of(*to)
                    )
                }
                RuleVerdict::PossiblyOverridden { by } => {
                    format!("applies, but exception `{}` may override it", name_of(*by))
                }
            };
            format!(
                "{kind} `{}` {verdict_text}  [{}; {}]",
                rule_def.name,
                short_cites(&rule_def.citations),
                format_validity(&rule_def.validity)
            )
        }
        StepKind::Default { value, ty } => match value {
            Some(v) => format!("no rule applies: otherwise {}", format_value(rb, *ty, v)),
            None => "no rule applies and there is no default".to_string(),
        },
        StepKind::Fact {
            item,
            value,
            origin,
        } => {
            let def = rb.item(*item);
            let shown = opt_value(rb, def.ty, value);
            match origin {
                Origin::Given => format!("{} = {shown} (given)", def.name),
                Origin::Overridden => format!(
                    "{} = {shown} (given, instead of the encoded value)",
                    def.name
                ),
                Origin::Param { value: idx } => {
                    let detail = match &def.kind {
                        ItemKind::Param { values } => values
                            .get(*idx as usize)
                            .map(|v| {
                                format!(
                                    "{}; {}",
                                    format_validity(&v.validity),
                                    short_cites(&v.citations)
                                )
                            })
                            .unwrap_or_default(),
                        _ => String::new(),
                    };
                    format!("{} = {shown} (parameter, {detail})", def.name)
                }
                Origin::Derived => format!("{} = {shown} (derived)", def.name),
                Origin::DerivedAbove => {
                    format!("{} = {shown} (derived, explained above)", def.name)
                }
                Origin::Missing => {
                    let ItemKind::Input { judgment } = def.kind else {
                        return format!("{} is unknown", def.name);
                    };
                    if judgment {
                        format!("{} needs judgment: \"{}\"", def.name, def.text)
                    } else {
                        format!("{} is not given: \"{}\"", def.name, def.text)
                    }
                }
                Origin::NoValue => format!("{} has no value in force on this date", def.name),
            }
        }
        StepKind::Compare {
            text,
            op,
            left,
            right,
            ty,
            result,
            margin,
        } => {
            let left_ty = *ty;
            let (l, r) = (opt_value(rb, left_ty, left), opt_value(rb, left_ty, right));
            match result {
                Some(result) => {
                    let margin = margin
                        .and_then(|m| margin_text(*op, *result, m, *ty))
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default();
                    format!("{text}: {l} {} {r} is {result}{margin}", op.symbol())
                }
                None => format!("{text}: {l} {} {r} is unknown", op.symbol()),
            }
        }
        StepKind::Condition { text, value, ty } => {
            format!("{text} = {}", opt_value(rb, *ty, value))
        }
        StepKind::Allocation(allocation) => {
            let case = if allocation.one_list_case {
                "; only one list passed: the runner-up is admitted (Art. 97-1(2))"
            } else {
                ""
            };
            format!(
                "seat allocation: {} seats, {} voters took part, threshold {}, quota {}{case}",
                allocation.seats,
                group_thousands(&allocation.votes_cast.to_string()),
                format_num(allocation.threshold, Type::Percent),
                format_num(allocation.quota, Type::Decimal)
            )
        }
        StepKind::NotCovered { item } => {
            let def = rb.item(*item);
            let area = rb.area(def.area);
            format!(
                "{} is not covered on this date: area `{}` covers {}",
                def.name,
                area.name,
                crate::check::date_range_text_pub(area.from, area.until)
            )
        }
        StepKind::Note(text) => format!("note: {text}"),
    }
}

/// One line per missing fact: name, question text, type, and who needs it.
pub fn missing_line(rb: &Rulebase, missing: &Missing) -> String {
    match missing {
        Missing::Fact { item, need } => {
            let def = rb.item(*item);
            let judgment = matches!(def.kind, ItemKind::Input { judgment: true });
            let needed_by = need
                .and_then(|need| {
                    let question = rb.item(need.question);
                    let ItemKind::Question { rules, .. } = &question.kind else {
                        return None;
                    };
                    let rule = need.rule.and_then(|r| rules.get(r as usize));
                    Some(match rule {
                        Some(rule) => format!(
                            "; needed by rule `{}` of {} [{}]",
                            rule.name,
                            question.name,
                            short_cites(&rule.citations)
                        ),
                        None => format!("; needed by {}", question.name),
                    })
                })
                .unwrap_or_default();
            let kind = if judgment { "judgment" } else { "fact" };
            format!(
                "{kind} {} ({}): \"{}\"{needed_by}",
                def.name,
                rb.type_name(def.ty),
                def.text
            )
        }
        Missing::Window(window) => {
            let window = rb.window(*window);
            format!(
                "unsettled date: {} took effect on a day between {} and {} that is not established [{}]",
                window.what,
                window.earliest,
                window.known,
                short_cites(&window.citations)
            )
        }
        Missing::NotCovered(item) => {
            let def = rb.item(*item);
            let area = rb.area(def.area);
            format!(
                "not covered: {} belongs to area `{}`, which covers {}",
                def.name,
                area.name,
                crate::check::date_range_text_pub(area.from, area.until)
            )
        }
        Missing::NoValue(item) => format!(
            "not covered: {} has no value in force on this date",
            rb.item(*item).name
        ),
        Missing::Conflict {
            item,
            first,
            second,
        } => {
            let def = rb.item(*item);
            let ItemKind::Question { rules, .. } = &def.kind else {
                return String::new();
            };
            let describe = |idx: &u32| {
                rules
                    .get(*idx as usize)
                    .map(|r| format!("rule `{}` [{}]", r.name, short_cites(&r.citations)))
                    .unwrap_or_default()
            };
            format!(
                "conflict in {}: {} and {} both apply and disagree",
                def.name,
                describe(first),
                describe(second)
            )
        }
        Missing::Gap(text) => format!("not covered: {text}"),
        Missing::NoRule(item) => format!(
            "no rule of `{}` applies on this date, and it has no `otherwise` default",
            rb.item(*item).name
        ),
    }
}

pub fn status_word(status: Status) -> &'static str {
    status.as_str()
}

/// The headline: `party.may_register = false   as of 2022-10-01`, or the status.
pub fn headline(rb: &Rulebase, answer: &Answer) -> String {
    let item = rb.item(answer.question);
    match &answer.value {
        Some(value) => format!(
            "{} = {}   as of {}",
            item.name,
            format_value(rb, item.ty, value),
            answer.as_of
        ),
        None => format!(
            "{} is {}   as of {}",
            item.name,
            answer.status.as_str(),
            answer.as_of
        ),
    }
}

/// One row of `zan who`: the answer (or status), and the deciding rule with its citations (or
/// the first thing missing).
pub fn who_row(rb: &Rulebase, question: ItemId, answer: &Answer) -> (String, String) {
    let item = rb.item(question);
    let value = answer.value.as_ref().map_or_else(
        || answer.status.as_str().to_string(),
        |v| format_value(rb, item.ty, v),
    );
    let reason = match (&answer.decided_by, answer.status) {
        (Some(rule), Status::Answered) => {
            let cites: Vec<String> = answer
                .citations
                .iter()
                .filter(|c| !c.is_source)
                .map(|c| format!("{} {}", c.act, c.article))
                .collect();
            let cite = match cites.len() {
                0 => String::new(),
                1..=3 => format!(" [{}]", cites.join("; ")),
                n => format!(" [{}; and {} more]", cites[..3].join("; "), n - 3),
            };
            if rule == "default" {
                format!("no rule applies{cite}")
            } else {
                format!("rule `{rule}`{cite}")
            }
        }
        _ => answer
            .missing
            .first()
            .map(|m| short_missing(rb, m))
            .unwrap_or_default(),
    };
    (value, reason)
}

/// A missing fact in a few words, for one table cell.
fn short_missing(rb: &Rulebase, missing: &Missing) -> String {
    match missing {
        Missing::Fact { item, .. } => {
            let def = rb.item(*item);
            let kind = if matches!(def.kind, ItemKind::Input { judgment: true }) {
                "judgment"
            } else {
                "fact"
            };
            format!("{kind} `{}`: {}", def.name, def.text)
        }
        other => missing_line(rb, other),
    }
}
