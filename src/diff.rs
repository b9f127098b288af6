//! What changed in the encoded law between two dates: parameter values and rules that came
//! into or went out of force, each with its citations (the amending act and article).
//!
//! A change dated by a window counts from its first known day: `diff` reports the settled law
//! on each date and shows the window beside the change.

use crate::rulebase::*;
use chrono::NaiveDate;

/// One change between the two dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A parameter's value in force differs: indices into its dated values.
    Value {
        item: ItemId,
        before: Option<usize>,
        after: Option<usize>,
    },
    /// A rule in force on the later date but not on the earlier.
    RuleAdded { item: ItemId, rule: usize },
    /// A rule in force on the earlier date but not on the later.
    RuleRemoved { item: ItemId, rule: usize },
}

fn settled_in_force(validity: &Validity, date: NaiveDate) -> bool {
    validity.from.is_none_or(|start| date >= start.known)
        && validity.until.is_none_or(|until| date <= until)
}

/// The index of the value in force on `date`, counting a window from its first known day.
pub fn value_at(values: &[ParamValue], date: NaiveDate) -> Option<usize> {
    for (idx, value) in values.iter().enumerate().rev() {
        if value.validity.from.is_none_or(|start| date >= start.known) {
            return value
                .validity
                .until
                .is_none_or(|until| date <= until)
                .then_some(idx);
        }
    }
    None
}

/// Every change between `from` and `to`, in the order the items were declared.
pub fn diff(rb: &Rulebase, from: NaiveDate, to: NaiveDate) -> Vec<Change> {
    let mut changes = Vec::new();
    for (idx, item) in rb.items.iter().enumerate() {
        let id = ItemId(idx as u32);
        match &item.kind {
            ItemKind::Param { values } => {
                let (before, after) = (value_at(values, from), value_at(values, to));
                let value_of = |i: Option<usize>| i.and_then(|i| values.get(i)).map(|v| &v.value);
                if value_of(before) != value_of(after) {
                    changes.push(Change::Value {
                        item: id,
                        before,
                        after,
                    });
                }
            }
            ItemKind::Question { rules, .. } => {
                for (rule_idx, rule) in rules.iter().enumerate() {
                    match (
                        settled_in_force(&rule.validity, from),
                        settled_in_force(&rule.validity, to),
                    ) {
                        (false, true) => changes.push(Change::RuleAdded {
                            item: id,
                            rule: rule_idx,
                        }),
                        (true, false) => changes.push(Change::RuleRemoved {
                            item: id,
                            rule: rule_idx,
                        }),
                        _ => {}
                    }
                }
            }
            ItemKind::Input { .. } => {}
        }
    }
    changes
}
