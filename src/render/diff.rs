//! Rendering `zan diff`: old and new side by side, with the citations of each.

use super::*;
use crate::diff::Change;
use chrono::NaiveDate;
use serde_json::{Value as J, json};

fn value_side(rb: &Rulebase, item: &Item, index: Option<usize>) -> (String, String) {
    let ItemKind::Param { values } = &item.kind else {
        return ("-".into(), String::new());
    };
    match index.and_then(|i| values.get(i)) {
        Some(v) => (
            format_value_as(rb, item.ty, &v.value, Numbers::Memo),
            format!(
                "{}; {}",
                format_validity(&v.validity),
                format_cites(&v.citations)
            ),
        ),
        None => ("no value in force".into(), String::new()),
    }
}

fn rule_of(item: &Item, rule: usize) -> Option<&Rule> {
    match &item.kind {
        ItemKind::Question { rules, .. } => rules.get(rule),
        _ => None,
    }
}

pub fn text(rb: &Rulebase, from: NaiveDate, to: NaiveDate, changes: &[Change]) -> String {
    let mut out = format!(
        "changes in the encoded law between {from} and {to}: {}\n",
        changes.len()
    );
    for change in changes {
        match change {
            Change::Value {
                item,
                before,
                after,
            } => {
                let def = rb.item(*item);
                let (old, old_detail) = value_side(rb, def, *before);
                let (new, new_detail) = value_side(rb, def, *after);
                out.push_str(&format!(
                    "\n{}: {old} -> {new}\n  ({})\n",
                    def.name, def.text
                ));
                if !old_detail.is_empty() {
                    out.push_str(&format!("  before: {old_detail}\n"));
                }
                if !new_detail.is_empty() {
                    out.push_str(&format!("  after:  {new_detail}\n"));
                }
            }
            Change::RuleAdded { item, rule } | Change::RuleRemoved { item, rule } => {
                let def = rb.item(*item);
                let Some(rule) = rule_of(def, *rule) else {
                    continue;
                };
                let verb = if matches!(change, Change::RuleAdded { .. }) {
                    "came into force"
                } else {
                    "ceased to apply"
                };
                out.push_str(&format!(
                    "\n{}: rule `{}` {verb}\n  {}; {}\n",
                    def.name,
                    rule.name,
                    format_validity(&rule.validity),
                    format_cites(&rule.citations)
                ));
            }
        }
    }
    out
}

pub fn markdown(rb: &Rulebase, from: NaiveDate, to: NaiveDate, changes: &[Change]) -> String {
    let mut out = format!(
        "### Changes in the encoded law, {from} to {to}\n\n| name | before | after | authority |\n|---|---|---|---|\n"
    );
    for change in changes {
        match change {
            Change::Value {
                item,
                before,
                after,
            } => {
                let def = rb.item(*item);
                let (old, _) = value_side(rb, def, *before);
                let (new, detail) = value_side(rb, def, *after);
                out.push_str(&format!(
                    "| `{}` | {old} | {new} | {} |\n",
                    def.name,
                    detail.replace('|', "\\|")
                ));
            }
            Change::RuleAdded { item, rule } | Change::RuleRemoved { item, rule } => {
                let def = rb.item(*item);
                let Some(rule) = rule_of(def, *rule) else {
                    continue;
                };
                let (old, new) = if matches!(change, Change::RuleAdded { .. }) {
                    ("—", "in force")
                } else {
                    ("in force", "—")
                };
                out.push_str(&format!(
                    "| `{}` rule `{}` | {old} | {new} | {}; {} |\n",
                    def.name,
                    rule.name,
                    format_validity(&rule.validity),
                    format_cites(&rule.citations).replace('|', "\\|")
                ));
            }
        }
    }
    out.push_str(&format!("\n<sub>{}</sub>\n", receipt(rb)));
    out
}

pub fn json(rb: &Rulebase, from: NaiveDate, to: NaiveDate, changes: &[Change]) -> J {
    let cites = |list: &[Cite]| {
        J::Array(list.iter().map(|c| json!({"act": c.act, "article": c.article, "authority": match c.authority { Authority::Verified => "verified", Authority::Secondary => "secondary" }})).collect())
    };
    let items: Vec<J> = changes
        .iter()
        .filter_map(|change| match change {
            Change::Value { item, before, after } => {
                let def = rb.item(*item);
                let ItemKind::Param { values } = &def.kind else { return None };
                let side = |i: &Option<usize>| match i.and_then(|i| values.get(i)) {
                    Some(v) => json!({"value": super::json::value(rb, def.ty, &v.value), "validity": format_validity(&v.validity), "citations": cites(&v.citations)}),
                    None => J::Null,
                };
                Some(json!({"kind": "value", "name": def.name, "before": side(before), "after": side(after)}))
            }
            Change::RuleAdded { item, rule } | Change::RuleRemoved { item, rule } => {
                let def = rb.item(*item);
                let rule = rule_of(def, *rule)?;
                let kind = if matches!(change, Change::RuleAdded { .. }) { "rule_added" } else { "rule_removed" };
                Some(json!({"kind": kind, "name": def.name, "rule": rule.name, "validity": format_validity(&rule.validity), "citations": cites(&rule.citations)}))
            }
        })
        .collect();
    json!({"from": from.to_string(), "to": to.to_string(), "changes": items, "receipt": {"engine": format!("zan {}", env!("CARGO_PKG_VERSION")), "rules_sha256": rb.digest}})
}
