//! The legislative history between two dates: every change in the encoded law after `from`
//! and up to `to`, in date order, grouped by the act that made it. A parameter's values give
//! one change each (40,000 -> 20,000 -> 5,000, not only the endpoints), a rule coming into or
//! going out of force one each, and an area's start or end one line for all it covers.
//!
//! A change dated by a window is placed at the window's first day and keeps the window, so the
//! reader sees that its day is not established. It is listed when any day of its window falls
//! in the period. The module reads the checked rulebase only and decides nothing: which act
//! "made" a change is the act its citations name (see [`amending_act`]).

use crate::rulebase::*;
use chrono::NaiveDate;

/// What changed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChangeKind {
    /// A parameter's dated value (an index into its values) took over from the one before
    /// (`None`: no value was in force just before).
    Value { before: Option<usize>, after: usize },
    /// A parameter's value (an index) ceased and none followed.
    ValueEnds { value: usize },
    /// A rule (an index into the question's rules) came into force.
    RuleStarts { rule: usize },
    /// A rule ceased to be in force: `until` was its last day.
    RuleEnds { rule: usize, until: NaiveDate },
    /// An area's period begins: all its questions are answered from this day.
    AreaStarts,
    /// An area's period ends: its last day was `until`.
    AreaEnds { until: NaiveDate },
}

/// One change, dated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The first day the change may have applied.
    pub date: NaiveDate,
    /// For a change whose day is not established: the window (its first known day is `known`).
    pub window: Option<WindowId>,
    /// The first day the change is known to have applied (`date` when its day is settled).
    pub known: NaiveDate,
    /// The item changed (for an area change: none).
    pub item: Option<ItemId>,
    /// The area of the item, or the area that begins or ends.
    pub area: AreaId,
    /// What changed.
    pub kind: ChangeKind,
    /// The act the change is grouped under (an act's name from the rules), if any is cited.
    pub act: Option<String>,
}

/// Which changes to list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only this area (by name).
    pub area: Option<AreaId>,
    /// Only items whose name is this or begins with it (`party.` or `party.members_required`).
    pub name: Option<String>,
}

/// Whether an act's title says it amends another act.
fn says_it_amends(cite: &Cite) -> bool {
    let title = cite.act_title.to_lowercase();
    title.contains("amend") || title.contains("changes to")
}

/// The act that made a change, from its citations: the one whose title says it amends (the
/// last such), else the last act cited after another (`constitution_1995 "Art. 72(3)",
/// cc_law_2022 "Art. 23(4)(3)"` -> `cc_law_2022`), else the only act cited (a new act).
pub fn amending_act(citations: &[Cite]) -> Option<&Cite> {
    let acts: Vec<&Cite> = citations.iter().filter(|c| !c.is_source).collect();
    acts.iter()
        .rev()
        .find(|c| says_it_amends(c))
        .or(acts.last())
        .copied()
}

fn day_after(date: NaiveDate) -> Option<NaiveDate> {
    date.succ_opt()
}

/// Every change after `from` and up to `to` that the filter selects, by date, then act, then
/// the order of declaration.
pub fn history<'r>(
    rb: &'r Rulebase,
    from: NaiveDate,
    to: NaiveDate,
    filter: &Filter,
) -> Vec<Change> {
    let in_period = |earliest: NaiveDate, known: NaiveDate| earliest <= to && known > from;
    let mut changes = Vec::new();
    // The citations of each change, beside it, for grouping by act.
    let mut cites: Vec<&[Cite]> = Vec::new();
    for (idx, area) in rb.areas.iter().enumerate() {
        let area_id = AreaId(idx as u32);
        if filter.area.is_some_and(|a| a != area_id) || filter.name.is_some() {
            continue;
        }
        if in_period(area.from, area.from) {
            changes.push(Change {
                date: area.from,
                window: None,
                known: area.from,
                item: None,
                area: area_id,
                kind: ChangeKind::AreaStarts,
                act: None,
            });
            cites.push(&[]);
        }
        if let Some(until) = area.until
            && let Some(next) = day_after(until)
            && in_period(next, next)
        {
            changes.push(Change {
                date: next,
                window: None,
                known: next,
                item: None,
                area: area_id,
                kind: ChangeKind::AreaEnds { until },
                act: None,
            });
            cites.push(&[]);
        }
    }
    for (idx, item) in rb.items.iter().enumerate() {
        let id = ItemId(idx as u32);
        if filter.area.is_some_and(|a| a != item.area) {
            continue;
        }
        if let Some(name) = &filter.name
            && !item.name.starts_with(name.as_str())
        {
            continue;
        }
        let area = rb.area(item.area);
        // A start on the area's first day, or an end on its last, is the area's own line.
        let at_area_start = |start: Option<Start>| start.is_none_or(|s| s.known <= area.from);
        let at_area_end = |until: NaiveDate| area.until.is_some_and(|end| until >= end);
        let mut push =
            |start: NaiveDate, window: Option<WindowId>, known, kind, citations: &'r [Cite]| {
                changes.push(Change {
                    date: start,
                    window,
                    known,
                    item: Some(id),
                    area: item.area,
                    kind,
                    act: amending_act(citations).map(|c| c.act.clone()),
                });
                cites.push(citations);
            };
        match &item.kind {
            ItemKind::Param { values } => {
                for (value_idx, value) in values.iter().enumerate() {
                    if let Some(start) = value.validity.from
                        && !at_area_start(Some(start))
                        && in_period(start.earliest, start.known)
                    {
                        // The value before it, if it was still in force the day before.
                        let before = value_idx.checked_sub(1).filter(|prev| {
                            values[*prev]
                                .validity
                                .until
                                .is_none_or(|until| day_after(until) >= Some(start.earliest))
                        });
                        push(
                            start.earliest,
                            start.window,
                            start.known,
                            ChangeKind::Value {
                                before,
                                after: value_idx,
                            },
                            &value.citations,
                        );
                    }
                    if let Some(until) = value.validity.until
                        && !at_area_end(until)
                        && let Some(next) = day_after(until)
                        && in_period(next, next)
                    {
                        let followed = values
                            .get(value_idx + 1)
                            .is_some_and(|v| v.validity.from.is_some_and(|s| s.earliest <= next));
                        if !followed {
                            push(
                                next,
                                None,
                                next,
                                ChangeKind::ValueEnds { value: value_idx },
                                &value.citations,
                            );
                        }
                    }
                }
            }
            ItemKind::Question { rules, .. } => {
                for (rule_idx, rule) in rules.iter().enumerate() {
                    if let Some(start) = rule.validity.from
                        && !at_area_start(Some(start))
                        && in_period(start.earliest, start.known)
                    {
                        push(
                            start.earliest,
                            start.window,
                            start.known,
                            ChangeKind::RuleStarts { rule: rule_idx },
                            &rule.citations,
                        );
                    }
                    if let Some(until) = rule.validity.until
                        && !at_area_end(until)
                        && let Some(next) = day_after(until)
                        && in_period(next, next)
                    {
                        push(
                            next,
                            None,
                            next,
                            ChangeKind::RuleEnds {
                                rule: rule_idx,
                                until,
                            },
                            &rule.citations,
                        );
                    }
                }
            }
            ItemKind::Input { .. } => {}
        }
    }
    // A change whose citations name no amending act (a rule that ends, or one citing only the
    // acts it applies) is grouped under the amending act of another change to the same item on
    // the same day, when there is one: what replaced it, or what came with it; a rule that
    // ends without one goes with whatever act brought the item's new rules that day.
    let amending: Vec<(NaiveDate, Option<ItemId>, String)> = changes
        .iter()
        .zip(&cites)
        .filter(|(change, _)| {
            matches!(
                change.kind,
                ChangeKind::RuleStarts { .. } | ChangeKind::Value { .. }
            )
        })
        .filter_map(|(change, cites)| {
            let act = cites
                .iter()
                .rev()
                .find(|c| !c.is_source && says_it_amends(c))?;
            Some((change.date, change.item, act.act.clone()))
        })
        .collect();
    let starting: Vec<(NaiveDate, Option<ItemId>, String)> = changes
        .iter()
        .filter(|c| {
            matches!(
                c.kind,
                ChangeKind::RuleStarts { .. } | ChangeKind::Value { .. }
            )
        })
        .filter_map(|c| Some((c.date, c.item, c.act.clone()?)))
        .collect();
    for (change, cites) in changes.iter_mut().zip(&cites) {
        let amends = cites.iter().any(|c| !c.is_source && says_it_amends(c));
        let ends = matches!(
            change.kind,
            ChangeKind::RuleEnds { .. } | ChangeKind::ValueEnds { .. }
        );
        let same = |(date, item, _): &&(NaiveDate, Option<ItemId>, String)| {
            *date == change.date && *item == change.item
        };
        if (ends || !amends)
            && let Some((_, _, act)) = amending.iter().find(same)
        {
            change.act = Some(act.clone());
        } else if ends && let Some((_, _, act)) = starting.iter().find(same) {
            change.act = Some(act.clone());
        }
    }
    // Stable: within a day and an act, the order of declaration.
    changes.sort_by(|a, b| (a.date, a.known, &a.act).cmp(&(b.date, b.known, &b.act)));
    changes
}

/// Changes that share a day (or window) and an act: one heading each when printed.
pub fn groups(changes: &[Change]) -> Vec<&[Change]> {
    let mut groups = Vec::new();
    let mut start = 0;
    for idx in 1..=changes.len() {
        let split = idx == changes.len() || {
            let (a, b) = (&changes[start], &changes[idx]);
            (a.date, a.known, &a.act) != (b.date, b.known, &b.act)
        };
        if split {
            groups.push(&changes[start..idx]);
            start = idx;
        }
    }
    groups
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
