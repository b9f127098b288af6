//! Renderers: answers, traces and scenario results as text, JSON or Markdown.
//!
//! They print what `eval` decided and never decide anything about the law themselves.

pub mod colour;
pub mod diff;
pub mod json;
pub mod markdown;
pub mod readings;
pub mod text;

use crate::eval::{Answer, Branch, Decision, Missing, Origin, RuleVerdict, Status, Step, StepKind};
use crate::num::{Num, group_thousands};
use crate::rulebase::*;
use crate::scenario::{Checked, Failure};
pub use crate::values::{Numbers, format_num_as, format_value, format_value_as};

/// The receipt of one answer: which engine, which rules, and what the user assumed.
pub fn answer_receipt(rb: &Rulebase, answer: &Answer) -> String {
    let mut shown = receipt(rb);
    for assumption in &answer.assumptions {
        shown.push_str(&format!(
            ", assumed {} in force from {}",
            assumption.act, assumption.date
        ));
    }
    if let Some(readings) = readings::receipt_readings(rb, answer) {
        shown.push_str(&format!("; readings: {readings}"));
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

pub fn format_validity(validity: &Validity) -> String {
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
fn margin_text(
    op: crate::ops::BinaryOp,
    result: bool,
    margin: Num,
    ty: Type,
    numbers: Numbers,
) -> Option<String> {
    use crate::ops::BinaryOp::*;
    let amount = match ty {
        Type::Percent => {
            let points = margin.checked_mul(Num::int(100))?;
            let unit = if points == Num::ONE {
                "percentage point"
            } else {
                "percentage points"
            };
            format!("{} {unit}", format_num_as(points, Type::Decimal, numbers))
        }
        Type::Bool
        | Type::Int
        | Type::Count
        | Type::Decimal
        | Type::Date
        | Type::Duration
        | Type::Text
        | Type::Seats
        | Type::Enum(_)
        | Type::Record(_)
        | Type::List(_) => format_num_as(margin, ty, numbers),
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

fn opt_value(rb: &Rulebase, ty: Type, value: &Option<Value>, numbers: Numbers) -> String {
    value.as_ref().map_or_else(
        || "unknown".to_string(),
        |v| format_value_as(rb, ty, v, numbers),
    )
}

/// One line of the trace for a step (without its children), in plain words, numbers exact.
pub fn step_line(rb: &Rulebase, step: &Step) -> String {
    step_line_as(rb, step, Numbers::Exact)
}

/// One line of the trace for a step, with numbers in the given style.
pub fn step_line_as(rb: &Rulebase, step: &Step, numbers: Numbers) -> String {
    step_line_with(rb, step, numbers, true)
}

/// One line of the trace for a step without the citations of rules and parameter values
/// (for JSON, which refers to them by id), numbers as a memo prints them.
pub fn step_line_plain(rb: &Rulebase, step: &Step) -> String {
    step_line_with(rb, step, Numbers::Memo, false)
}

fn step_line_with(rb: &Rulebase, step: &Step, numbers: Numbers, cites: bool) -> String {
    match &step.kind {
        StepKind::Question { item, value, .. } => {
            let item = rb.item(*item);
            format!("{} = {}", item.name, opt_value(rb, item.ty, value, numbers))
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
                RuleVerdict::OtherReading(reading) => {
                    format!(
                        "not taken: it holds under reading `{}`",
                        rb.reading_name(*reading)
                    )
                }
            };
            if cites {
                format!(
                    "{kind} `{}` {verdict_text}  [{}; {}]",
                    rule_def.name,
                    short_cites(&rule_def.citations),
                    format_validity(&rule_def.validity)
                )
            } else {
                format!("{kind} `{}` {verdict_text}", rule_def.name)
            }
        }
        StepKind::Default { value, ty } => match value {
            Some(v) => format!(
                "no rule applies: otherwise {}",
                format_value_as(rb, *ty, v, numbers)
            ),
            None => "no rule applies and there is no default".to_string(),
        },
        StepKind::Fact {
            item,
            value,
            origin,
        } => {
            let def = rb.item(*item);
            let shown = opt_value(rb, def.ty, value, numbers);
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
                                if cites {
                                    format!(
                                        "{}; {}",
                                        format_validity(&v.validity),
                                        short_cites(&v.citations)
                                    )
                                } else {
                                    format_validity(&v.validity)
                                }
                            })
                            .unwrap_or_default(),
                        ItemKind::Input { .. } | ItemKind::Question { .. } => String::new(),
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
            let (l, r) = (
                opt_value(rb, left_ty, left, numbers),
                opt_value(rb, left_ty, right, numbers),
            );
            match result {
                Some(result) => {
                    let margin = margin
                        .and_then(|m| margin_text(*op, *result, m, *ty, numbers))
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default();
                    format!("{text}: {l} {} {r} is {result}{margin}", op.symbol())
                }
                None => format!("{text}: {l} {} {r} is unknown", op.symbol()),
            }
        }
        StepKind::Condition { text, value, ty } => {
            format!("{text} = {}", opt_value(rb, *ty, value, numbers))
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
                format_num_as(allocation.threshold, Type::Percent, numbers),
                format_num_as(allocation.quota, Type::Decimal, numbers)
            )
        }
        StepKind::NotCovered { item } => {
            let def = rb.item(*item);
            let area = rb.area(def.area);
            format!(
                "{} is not covered on this date: area `{}` covers {}",
                def.name,
                area.name,
                crate::values::date_range_text(area.from, area.until)
            )
        }
        StepKind::Note(text) => format!("note: {text}"),
    }
}

/// The values a type allows, in the words and notation of `--given`.
pub fn allowed_values(rb: &Rulebase, ty: Type) -> String {
    match ty {
        Type::Bool => "true or false".into(),
        Type::Int => "a whole number, e.g. 6000".into(),
        Type::Count => "a whole number, 0 or more, e.g. 6000".into(),
        Type::Decimal => "a number, e.g. 2.5".into(),
        Type::Percent => "a percentage with its sign, between 0% and 100%, e.g. 5.29%".into(),
        Type::Date => "a date, YYYY-MM-DD".into(),
        Type::Duration => "a duration, e.g. 10 days, 3 months, 1 year".into(),
        Type::Text => "text in double quotes".into(),
        Type::Seats => "seats per list, in a --facts JSON file".into(),
        Type::Enum(id) => format!("one of {}", rb.enums[id.0 as usize].variants.join(", ")),
        Type::Record(id) | Type::List(id) => {
            let record = &rb.records[id.0 as usize];
            let fields: Vec<String> = record
                .fields
                .iter()
                .map(|(name, field_ty)| format!("\"{name}\": {}", rb.type_name(*field_ty)))
                .collect();
            let one = format!("{{{}}}", fields.join(", "));
            if matches!(ty, Type::List(_)) {
                format!("a JSON list of {one} in a --facts file")
            } else {
                format!("a JSON object {one} in a --facts file")
            }
        }
    }
}

/// A missing-fact line for text and Markdown: [`missing_line`] and, for a fact, the values
/// it may take, so that the analyst can give it without looking it up.
pub fn missing_line_with_values(rb: &Rulebase, missing: &Missing) -> String {
    let line = missing_line(rb, missing);
    match missing {
        Missing::Fact { item, .. } => {
            let def = rb.item(*item);
            format!("{line}; allowed: {}", allowed_values(rb, def.ty))
        }
        Missing::Window(_)
        | Missing::NotCovered(_)
        | Missing::NoValue(_)
        | Missing::Conflict { .. }
        | Missing::Gap(_)
        | Missing::NoRule(_)
        | Missing::Reading(_) => line,
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
                crate::values::date_range_text(area.from, area.until)
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
        Missing::Reading(point) => format!(
            "contested: the answer depends on how `{}` is read ({})",
            rb.point(*point).name,
            rb.point(*point).text
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
            format_value_as(rb, item.ty, value, Numbers::Memo),
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

/// The amending act of an unsettled change, as a memo names it: `Law No. 157-VII`, from the
/// title of the act cited for the change whose title says it amends; `the change (...)` naming
/// what changes when no cited act says so (the amended act alone is not the change).
pub fn window_act(rb: &Rulebase, window: WindowId) -> String {
    let window = rb.window(window);
    let amending = window.citations.iter().rev().find(|c| {
        !c.is_source && {
            let title = c.act_title.to_lowercase();
            title.contains("amend") || title.contains("changes")
        }
    });
    let Some(cite) = amending else {
        return format!("the change ({})", window.what);
    };
    let title = &cite.act_title;
    let kind = title.split(" of ").next().unwrap_or("");
    let number = title
        .split_once("No. ")
        .and_then(|(_, rest)| rest.split([' ', ',']).next())
        .filter(|n| !n.is_empty());
    match number {
        Some(number) if !kind.is_empty() && kind.len() < 40 => format!("{kind} No. {number}"),
        _ => cite.act.clone(),
    }
}

/// The branches worth showing, each with its label (`before Law No. 157-VII`, or for several
/// acts `after Law No. 41-VII and before Law No. 156-VII`): one per way the acts of the deciding
/// changes may have gone. Changes made by the same act go together (a world in which Law No.
/// 157-VII changed one minimum but not the other is not shown), and changes the answer does
/// not depend on are shown not yet applied.
pub fn shown_branches<'a>(rb: &Rulebase, answer: &'a Answer) -> Vec<(String, &'a Branch)> {
    let deciding_acts: Vec<String> = answer
        .missing
        .iter()
        .filter_map(|m| match m {
            Missing::Window(window) => Some(window_act(rb, *window)),
            Missing::Fact { .. }
            | Missing::NotCovered(_)
            | Missing::NoValue(_)
            | Missing::Conflict { .. }
            | Missing::Gap(_)
            | Missing::NoRule(_)
            | Missing::Reading(_) => None,
        })
        .fold(Vec::new(), |mut acts, act| {
            if !acts.contains(&act) {
                acts.push(act);
            }
            acts
        });
    answer
        .branches
        .iter()
        .filter_map(|branch| {
            let mut act_applied: Vec<(String, bool)> = Vec::new();
            for (window, applied) in &branch.applied {
                let act = window_act(rb, *window);
                if !deciding_acts.contains(&act) {
                    if *applied {
                        return None;
                    }
                    continue;
                }
                match act_applied.iter().find(|(a, _)| *a == act) {
                    Some((_, first)) if first != applied => return None,
                    Some(_) => {}
                    None => act_applied.push((act, *applied)),
                }
            }
            let label = act_applied
                .iter()
                .map(|(act, applied)| {
                    format!("{} {act}", if *applied { "after" } else { "before" })
                })
                .collect::<Vec<_>>()
                .join(" and ");
            Some((label, branch))
        })
        .collect()
}

/// The names of the rules a decision names, in the order written (none for `otherwise` or a
/// parameter's value).
pub fn decided_rules<'a>(rb: &'a Rulebase, question: ItemId, decision: &Decision) -> Vec<&'a str> {
    match (decision, &rb.item(question).kind) {
        (Decision::Rules(applied), ItemKind::Question { rules, .. }) => applied
            .iter()
            .filter_map(|idx| rules.get(*idx as usize).map(|r| r.name.as_str()))
            .collect(),
        _ => Vec::new(),
    }
}

/// A decision in words: "rule `a`", "rules `a`, `b`", "the default (no rule applies)",
/// "the parameter's value in force".
pub fn decided_text(rb: &Rulebase, question: ItemId, decision: &Decision) -> String {
    match decision {
        Decision::Rules(_) => {
            let names: Vec<String> = decided_rules(rb, question, decision)
                .iter()
                .map(|n| format!("`{n}`"))
                .collect();
            let word = if names.len() == 1 { "rule" } else { "rules" };
            format!("{word} {}", names.join(", "))
        }
        Decision::Default => "the default (no rule applies)".to_string(),
        Decision::Value(_) => "the parameter's value in force".to_string(),
    }
}

/// The comparison under the rule that decided a trace, in a few words: `6,000 < 20,000`.
fn deciding_comparison(rb: &Rulebase, trace: &Step) -> Option<String> {
    let StepKind::Question {
        decision: Some(Decision::Rules(applied)),
        ..
    } = &trace.kind
    else {
        return None;
    };
    let idx = applied.first()?;
    fn first_compare(rb: &Rulebase, step: &Step) -> Option<String> {
        if let StepKind::Compare {
            op,
            left,
            right,
            ty,
            result: Some(_),
            ..
        } = &step.kind
            && (ty.is_numeric() || matches!(ty, Type::Date | Type::Duration))
        {
            return Some(format!(
                "{} {} {}",
                opt_value(rb, *ty, left, Numbers::Memo),
                op.symbol(),
                opt_value(rb, *ty, right, Numbers::Memo)
            ));
        }
        step.children.iter().find_map(|c| first_compare(rb, c))
    }
    trace
        .children
        .get(*idx as usize)
        .and_then(|rule| first_compare(rb, rule))
}

/// A branch's answer and why: `false (rule `too_few_members`: 6,000 < 20,000)`.
pub fn branch_outcome(rb: &Rulebase, question: ItemId, branch: &Branch) -> String {
    let item = rb.item(question);
    let value = branch.value.as_ref().map_or_else(
        || branch.status.as_str().to_string(),
        |v| format_value_as(rb, item.ty, v, Numbers::Memo),
    );
    let reason = match (branch.status, &branch.decided_by) {
        (Status::Answered, Some(Decision::Default)) => "no rule applies".to_string(),
        (Status::Answered, Some(Decision::Value(_))) => "the value in force".to_string(),
        (Status::Answered, Some(decision @ Decision::Rules(_))) => {
            let rules = decided_text(rb, question, decision);
            match deciding_comparison(rb, &branch.trace) {
                Some(comparison) => format!("{rules}: {comparison}"),
                None => rules,
            }
        }
        _ => branch
            .missing
            .first()
            .map(|m| short_missing(rb, m))
            .unwrap_or_default(),
    };
    if reason.is_empty() {
        value
    } else {
        format!("{value} ({reason})")
    }
}

/// "before Law No. 157-VII: false (...); after it: true (...)": the answer under each way the
/// unsettled changes may have gone, on one line; `None` when the answer does not depend on one.
pub fn branches_line(rb: &Rulebase, answer: &Answer) -> Option<String> {
    let shown = shown_branches(rb, answer);
    if shown.is_empty() {
        return None;
    }
    let pair = shown.len() == 2 && !shown[0].0.contains(" and ");
    let parts: Vec<String> = shown
        .iter()
        .enumerate()
        .map(|(idx, (label, branch))| {
            let label = if pair && idx == 1 {
                label
                    .split(' ')
                    .next()
                    .map_or_else(String::new, |w| format!("{w} it"))
            } else {
                label.clone()
            };
            format!("{label}: {}", branch_outcome(rb, answer.question, branch))
        })
        .collect();
    Some(parts.join("; "))
}

/// The root line of a trace printed under an answer: the answer's own status when the trace
/// does not carry the answer (never `= false` under "unknown").
pub fn root_line(rb: &Rulebase, answer: &Answer, step: &Step) -> String {
    match &step.kind {
        StepKind::Question { item, value, .. } if answer.value.is_none() && value.is_some() => {
            format!("{} is {}", rb.item(*item).name, answer.status.as_str())
        }
        StepKind::Question { .. }
        | StepKind::Rule { .. }
        | StepKind::Default { .. }
        | StepKind::Fact { .. }
        | StepKind::Compare { .. }
        | StepKind::Condition { .. }
        | StepKind::Allocation(_)
        | StepKind::NotCovered { .. }
        | StepKind::Note(_) => step_line_as(rb, step, Numbers::Memo),
    }
}

/// One row of `zan who`: the answer (or status), and the deciding rule with its citations (or
/// the first thing missing).
pub fn who_row(rb: &Rulebase, question: ItemId, answer: &Answer) -> (String, String) {
    let item = rb.item(question);
    let value = answer.value.as_ref().map_or_else(
        || answer.status.as_str().to_string(),
        |v| format_value_as(rb, item.ty, v, Numbers::Memo),
    );
    let reason = match (&answer.decided_by, answer.status) {
        (Some(decision), Status::Answered) => {
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
            match decision {
                Decision::Rules(_) => format!("{}{cite}", decided_text(rb, question, decision)),
                Decision::Default => format!("no rule applies{cite}"),
                Decision::Value(_) => format!("the value in force{cite}"),
            }
        }
        (_, Status::Contested) => readings::who_reason(rb, answer),
        _ => branches_line(rb, answer).unwrap_or_else(|| {
            answer
                .missing
                .first()
                .map(|m| short_missing(rb, m))
                .unwrap_or_default()
        }),
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
        other @ (Missing::Window(_)
        | Missing::NotCovered(_)
        | Missing::NoValue(_)
        | Missing::Conflict { .. }
        | Missing::Gap(_)
        | Missing::NoRule(_)
        | Missing::Reading(_)) => missing_line(rb, other),
    }
}

/// One way a scenario's expectation of `question` failed, in words.
pub fn scenario_failure(rb: &Rulebase, question: ItemId, failure: &Failure) -> String {
    let ty = rb.item(question).ty;
    match failure {
        Failure::Evaluation(error) => format!("evaluation failed: {error}"),
        Failure::ReadingUnused(reading) => format!(
            "the answer does not depend on reading `{}`",
            rb.reading_name(*reading)
        ),
        Failure::Value { expected, found } => format!(
            "expected {}, found {}",
            format_value(rb, ty, expected),
            format_value(rb, ty, found)
        ),
        Failure::NoValue { expected, found } => format!(
            "expected {}, found status {}",
            format_value(rb, ty, expected),
            found.as_str()
        ),
        Failure::Status {
            expected,
            found,
            value,
        } => {
            let shown = value
                .as_ref()
                .map(|v| format!(" ({})", format_value(rb, ty, v)))
                .unwrap_or_default();
            format!(
                "expected status {}, found {}{shown}",
                expected.as_str(),
                found.as_str()
            )
        }
        Failure::DecidedBy { expected, found } => {
            let wanted = match expected {
                ExpectedDecision::Rule(rule) => match &rb.item(question).kind {
                    ItemKind::Question { rules, .. } => rules
                        .get(*rule as usize)
                        .map_or_else(String::new, |r| format!("rule `{}`", r.name)),
                    ItemKind::Input { .. } | ItemKind::Param { .. } => String::new(),
                },
                ExpectedDecision::Default => "the default (no rule applies)".to_string(),
            };
            let found = found.as_ref().map_or_else(
                || "nothing (no rule decided)".to_string(),
                |d| decided_text(rb, question, d),
            );
            format!("expected the answer to be decided by {wanted}, but it was decided by {found}")
        }
        Failure::Citation { text, found } => {
            let found: Vec<String> = found.iter().map(format_cite).collect();
            format!(
                "expected a citation containing \"{text}\" on the deciding path; found: {}",
                if found.is_empty() {
                    "none".to_string()
                } else {
                    found.join("; ")
                }
            )
        }
    }
}

/// Each way a scenario's expectation failed, in words (empty when it holds).
pub fn scenario_failures(rb: &Rulebase, checked: &Checked) -> Vec<String> {
    checked
        .failures
        .iter()
        .map(|failure| scenario_failure(rb, checked.expectation.item, failure))
        .collect()
}
