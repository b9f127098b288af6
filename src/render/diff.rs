//! Rendering `zan diff`: the legislative history between two dates, a heading per day (or
//! window) and amending act, one line per change with its citations.

use super::*;
use crate::diff::{Change, ChangeKind, groups};
use chrono::NaiveDate;
use serde_json::{Value as J, json};

fn rule_of(item: &Item, rule: usize) -> Option<&Rule> {
    match &item.kind {
        ItemKind::Question { rules, .. } => rules.get(rule),
        ItemKind::Input { .. } | ItemKind::Param { .. } => None,
    }
}

fn param_value(item: &Item, idx: usize) -> Option<&ParamValue> {
    match &item.kind {
        ItemKind::Param { values } => values.get(idx),
        ItemKind::Input { .. } | ItemKind::Question { .. } => None,
    }
}

/// `2023-01-01`, or `a day between 2022-11-16 and 2023-01-01 (not established)`.
fn when(change: &Change) -> String {
    match change.window {
        Some(_) => format!(
            "a day between {} and {} (not established)",
            change.date, change.known
        ),
        None => change.date.to_string(),
    }
}

/// The group's heading: when, and the act with its title.
fn heading(rb: &Rulebase, change: &Change) -> String {
    match &change.act {
        Some(act) => {
            let title = rb.acts.get(act).map_or("", |(title, _)| title.as_str());
            format!("{}: {act}, {title}", when(change))
        }
        None => when(change),
    }
}

/// One change in words, and the citations it rests on.
fn line(rb: &Rulebase, change: &Change) -> (String, String) {
    let Some(item_id) = change.item else {
        let area = rb.area(change.area);
        return match change.kind {
            ChangeKind::AreaEnds { until } => (
                format!(
                    "area `{}` ({}) ends: nothing in it is answered after {until}",
                    area.name, area.title
                ),
                String::new(),
            ),
            ChangeKind::Value { .. }
            | ChangeKind::ValueEnds { .. }
            | ChangeKind::RuleStarts { .. }
            | ChangeKind::RuleEnds { .. }
            | ChangeKind::AreaStarts => (
                format!(
                    "area `{}` ({}) begins: its questions are answered from this day",
                    area.name, area.title
                ),
                String::new(),
            ),
        };
    };
    let item = rb.item(item_id);
    let shown = |idx: usize| {
        param_value(item, idx).map_or_else(String::new, |v| {
            format_value_as(rb, item.ty, &v.value, Numbers::Memo)
        })
    };
    match &change.kind {
        ChangeKind::Value { before, after } => {
            let old = before.map_or_else(|| "no value".to_string(), shown);
            let cites = param_value(item, *after)
                .map(|v| short_cites(&v.citations))
                .unwrap_or_default();
            let same = before
                .and_then(|b| param_value(item, b))
                .zip(param_value(item, *after))
                .is_some_and(|(b, a)| b.value == a.value);
            if same {
                (
                    format!("{}: {old}, restated (the value is unchanged)", item.name),
                    cites,
                )
            } else {
                (format!("{}: {old} -> {}", item.name, shown(*after)), cites)
            }
        }
        ChangeKind::ValueEnds { value } => (
            format!("{}: {} -> no value in force", item.name, shown(*value)),
            param_value(item, *value)
                .map(|v| short_cites(&v.citations))
                .unwrap_or_default(),
        ),
        ChangeKind::RuleStarts { rule } => match rule_of(item, *rule) {
            Some(rule) => (
                format!("{}: rule `{}` comes into force", item.name, rule.name),
                short_cites(&rule.citations),
            ),
            None => (String::new(), String::new()),
        },
        ChangeKind::RuleEnds { rule, until } => match rule_of(item, *rule) {
            Some(rule) => (
                format!(
                    "{}: rule `{}` ceases (last day {until})",
                    item.name, rule.name
                ),
                short_cites(&rule.citations),
            ),
            None => (String::new(), String::new()),
        },
        ChangeKind::AreaStarts | ChangeKind::AreaEnds { .. } => (String::new(), String::new()),
    }
}

fn count_line(changes: &[Change]) -> String {
    let acts: Vec<&String> =
        changes
            .iter()
            .filter_map(|c| c.act.as_ref())
            .fold(Vec::new(), |mut acts, act| {
                if !acts.contains(&act) {
                    acts.push(act);
                }
                acts
            });
    format!("{} change(s), {} act(s)", changes.len(), acts.len())
}

pub fn text(rb: &Rulebase, from: NaiveDate, to: NaiveDate, changes: &[Change]) -> String {
    let mut out = format!(
        "changes in the encoded law after {from} up to {to}: {}\n",
        count_line(changes)
    );
    for group in groups(changes) {
        out.push_str(&format!("\n{}\n", heading(rb, &group[0])));
        for change in group {
            let (what, cites) = line(rb, change);
            if cites.is_empty() {
                out.push_str(&format!("  {what}\n"));
            } else {
                out.push_str(&format!("  {what}  [{cites}]\n"));
            }
        }
    }
    out
}

pub fn markdown(rb: &Rulebase, from: NaiveDate, to: NaiveDate, changes: &[Change]) -> String {
    let mut out = format!(
        "### Changes in the encoded law after {from} up to {to}\n\n{}\n",
        count_line(changes)
    );
    for group in groups(changes) {
        out.push_str(&format!(
            "\n**{}**\n\n",
            heading(rb, &group[0]).replace('*', "\\*")
        ));
        for change in group {
            let (what, cites) = line(rb, change);
            if cites.is_empty() {
                out.push_str(&format!("- {what}\n"));
            } else {
                out.push_str(&format!("- {what} ({cites})\n"));
            }
        }
    }
    out.push_str(&format!("\n<sub>{}</sub>\n", receipt(rb)));
    out
}

pub fn json(rb: &Rulebase, from: NaiveDate, to: NaiveDate, changes: &[Change]) -> J {
    let cites = |list: &[Cite]| J::Array(list.iter().map(super::json::cite).collect());
    let items: Vec<J> = changes
        .iter()
        .map(|change| {
            let mut object = serde_json::Map::new();
            object.insert("date".into(), J::from(change.date.to_string()));
            object.insert(
                "known".into(),
                match change.window {
                    Some(_) => J::from(change.known.to_string()),
                    None => J::Null,
                },
            );
            object.insert("act".into(), json!(change.act));
            object.insert("area".into(), J::from(rb.area(change.area).name.clone()));
            let item = change.item.map(|id| rb.item(id));
            object.insert("name".into(), json!(item.map(|i| i.name.clone())));
            let value_side = |idx: Option<usize>| match (item, idx) {
                (Some(item), Some(idx)) => param_value(item, idx).map_or(J::Null, |v| {
                    json!({
                        "value": super::json::value(rb, item.ty, &v.value),
                        "validity": super::json::validity(&v.validity),
                        "citations": cites(&v.citations),
                    })
                }),
                _ => J::Null,
            };
            match &change.kind {
                ChangeKind::Value { before, after } => {
                    object.insert("kind".into(), J::from("value"));
                    object.insert("before".into(), value_side(*before));
                    object.insert("after".into(), value_side(Some(*after)));
                }
                ChangeKind::ValueEnds { value } => {
                    object.insert("kind".into(), J::from("value_ends"));
                    object.insert("before".into(), value_side(Some(*value)));
                    object.insert("after".into(), J::Null);
                }
                ChangeKind::RuleStarts { rule } | ChangeKind::RuleEnds { rule, .. } => {
                    let kind = if matches!(change.kind, ChangeKind::RuleStarts { .. }) {
                        "rule_added"
                    } else {
                        "rule_removed"
                    };
                    object.insert("kind".into(), J::from(kind));
                    if let Some(rule) = item.and_then(|i| rule_of(i, *rule)) {
                        object.insert("rule".into(), J::from(rule.name.clone()));
                        object.insert("validity".into(), super::json::validity(&rule.validity));
                        object.insert("citations".into(), cites(&rule.citations));
                    }
                }
                ChangeKind::AreaStarts => {
                    object.insert("kind".into(), J::from("area_starts"));
                }
                ChangeKind::AreaEnds { .. } => {
                    object.insert("kind".into(), J::from("area_ends"));
                }
            }
            J::Object(object)
        })
        .collect();
    json!({"from": from.to_string(), "to": to.to_string(), "changes": items, "receipt": {"engine": format!("zan {}", env!("CARGO_PKG_VERSION")), "rules_sha256": rb.digest}})
}
