//! Contested answers side by side: each combination of readings with its answer, deciding
//! rule and the support of each reading, in text, Markdown and JSON; and the readings an
//! answer was taken under, for the receipt. It takes an [`Answer`] and prints; it decides
//! nothing.

use super::*;
use serde_json::{Value as J, json};

/// `minimum_prevails` of `mazhilis.runner_up_overflow` (default), for each reading chosen.
fn label(rb: &Rulebase, chosen: &[ReadingRef]) -> String {
    chosen
        .iter()
        .map(|reading| {
            let point = rb.point(reading.point);
            let default = point
                .default
                .as_ref()
                .is_some_and(|(idx, _)| *idx == reading.reading);
            format!(
                "`{}`{}",
                rb.reading_name(*reading),
                if default { " (default)" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The answer in a few words: the value, or the status and why.
fn outcome(rb: &Rulebase, answer: &Answer) -> String {
    let ty = rb.item(answer.question).ty;
    match &answer.value {
        Some(value) => format_value_as(rb, ty, value, Numbers::Memo),
        None => {
            let why: Vec<String> = answer.missing.iter().map(|m| missing_line(rb, m)).collect();
            if why.is_empty() {
                answer.status.as_str().replace('_', " ")
            } else {
                why.join("; ")
            }
        }
    }
}

/// The articles behind the readings chosen: `Art. 97-1(3) part 4 (secondary)`.
fn support_short(rb: &Rulebase, chosen: &[ReadingRef]) -> String {
    chosen
        .iter()
        .map(|r| short_cites(&rb.reading(*r).support))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One line for a memo: "Reading `a` (support): answer. Reading `b` (support): answer."
pub fn memo_line(rb: &Rulebase, answer: &Answer) -> Option<String> {
    if answer.readings.is_empty() {
        return None;
    }
    Some(
        answer
            .readings
            .iter()
            .map(|branch| {
                format!(
                    "Reading {} ({}): {}.",
                    label(rb, &branch.chosen),
                    support_short(rb, &branch.chosen),
                    outcome(rb, &branch.answer)
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The reason column of a contested `who` row: each reading and its answer, in a few words.
pub fn who_reason(rb: &Rulebase, answer: &Answer) -> String {
    answer
        .readings
        .iter()
        .map(|branch| {
            let names: Vec<String> = branch
                .chosen
                .iter()
                .map(|r| rb.reading(*r).name.clone())
                .collect();
            let ty = rb.item(answer.question).ty;
            let result = match &branch.answer.value {
                Some(value) => format_value_as(rb, ty, value, Numbers::Memo),
                None => branch.answer.status.as_str().to_string(),
            };
            format!("{}: {result}", names.join(" + "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The readings an answer was taken under, for the receipt line; `None` if it named none.
pub fn receipt_readings(rb: &Rulebase, answer: &Answer) -> Option<String> {
    if answer.readings_used.is_empty() {
        return None;
    }
    Some(
        answer
            .readings_used
            .iter()
            .map(|r| rb.reading_name(*r))
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// The text section: each combination of readings, its statement, support, answer and the rule
/// that decided it, with its trace.
pub fn text(rb: &Rulebase, answer: &Answer, explain: super::text::Explain) -> String {
    let mut out = String::new();
    if answer.readings.is_empty() {
        return out;
    }
    if let Some(line) = memo_line(rb, answer) {
        out.push_str(&format!("side by side: {line}\n"));
    }
    out.push_str("readings:\n");
    for branch in &answer.readings {
        out.push_str(&format!("  under {}:\n", label(rb, &branch.chosen)));
        for reading in &branch.chosen {
            let def = rb.reading(*reading);
            out.push_str(&format!("    reading: {}\n", def.statement));
            out.push_str(&format!("    support: {}\n", short_cites(&def.support)));
            if let Some((idx, reason)) = &rb.point(reading.point).default
                && *idx == reading.reading
            {
                out.push_str(&format!("    zan's default: {reason}\n"));
            }
        }
        out.push_str(&format!("    answer: {}\n", outcome(rb, &branch.answer)));
        if let Some(dates) = branches_line(rb, &branch.answer) {
            out.push_str(&format!(
                "    depends on an unsettled date: {dates} (the trace shows the law before the change)\n"
            ));
        }
        if let Some(decision) = &branch.answer.decided_by
            && branch.answer.status == Status::Answered
        {
            out.push_str(&format!(
                "    decided by: {}\n",
                super::decided_text(rb, branch.answer.question, decision)
            ));
        }
        out.push_str("    trace:\n");
        let mut trace = String::new();
        super::text::tree_at(rb, &branch.answer.trace, 3, explain, &mut trace);
        out.push_str(&trace);
    }
    out
}

/// The Markdown section: a table with one row per combination of readings.
pub fn markdown(rb: &Rulebase, answer: &Answer) -> String {
    let mut out = String::new();
    if answer.readings.is_empty() {
        return out;
    }
    let cell = |s: &str| s.replace('|', "\\|");
    out.push_str("**Contested: the answer under each reading**\n\n");
    if let Some(line) = memo_line(rb, answer) {
        out.push_str(&format!("{}\n\n", cell(&line)));
    }
    out.push_str("| Reading | Statement | Support | Answer | Decided by |\n");
    out.push_str("|---|---|---|---|---|\n");
    for branch in &answer.readings {
        let statements: Vec<String> = branch
            .chosen
            .iter()
            .map(|r| rb.reading(*r).statement.clone())
            .collect();
        let decided = match (&branch.answer.decided_by, branch.answer.status) {
            (Some(decision), Status::Answered) => {
                super::decided_text(rb, branch.answer.question, decision)
            }
            _ => "–".to_string(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            cell(&label(rb, &branch.chosen)),
            cell(&statements.join("; ")),
            cell(&support_short(rb, &branch.chosen)),
            cell(&outcome(rb, &branch.answer)),
            decided
        ));
    }
    out.push('\n');
    out
}

/// The JSON `readings` array: per combination, the readings (name, statement, support,
/// default), the status, answer, deciding rule and missing.
pub fn json(rb: &Rulebase, answer: &Answer) -> J {
    let ty = rb.item(answer.question).ty;
    J::Array(
        answer
            .readings
            .iter()
            .map(|branch| {
                let readings: Vec<J> = branch
                    .chosen
                    .iter()
                    .map(|r| {
                        let def = rb.reading(*r);
                        let default = rb
                            .point(r.point)
                            .default
                            .as_ref()
                            .filter(|(idx, _)| *idx == r.reading)
                            .map(|(_, reason)| reason.clone());
                        json!({
                            "reading": rb.reading_name(*r),
                            "statement": def.statement,
                            "support": def.support.iter().map(super::json::cite).collect::<Vec<_>>(),
                            "default": default,
                        })
                    })
                    .collect();
                let (decision, decided_by) = super::json::decided(
                    rb,
                    answer.question,
                    branch.answer.status,
                    branch.answer.decided_by.as_ref(),
                );
                json!({
                    "readings": readings,
                    "status": branch.answer.status.as_str(),
                    "answer": branch.answer.value.as_ref().map_or(J::Null, |v| super::json::value(rb, ty, v)),
                    "decision": decision,
                    "decided_by": decided_by,
                    "missing": branch.answer.missing.iter().map(|m| super::json::missing(rb, m)).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// A contested point that begins or ends between two dates: it begins when a rule that turns on
/// it comes into force (in an area that covers the date), and ends when the last such rule goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PointChange {
    pub point: PointId,
    pub begins: bool,
}

/// The contested points that begin or end between `from` and `to`, for `zan diff`. A window
/// counts from its first known day, as elsewhere in `diff`.
pub fn diff(
    rb: &Rulebase,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    filter: &crate::diff::Filter,
) -> Vec<PointChange> {
    (0..rb.contested.len())
        .filter_map(|idx| {
            let point = PointId(idx as u32);
            match (live(rb, point, from, filter), live(rb, point, to, filter)) {
                (false, true) => Some(PointChange {
                    point,
                    begins: true,
                }),
                (true, false) => Some(PointChange {
                    point,
                    begins: false,
                }),
                _ => None,
            }
        })
        .collect()
}

/// Whether some rule in force on `date` turns on `point` (by `under reading` or by naming one of
/// its readings), in an area that covers the date.
/// Only the questions `filter` keeps (`diff --area`, `--name`) are looked at.
fn live(
    rb: &Rulebase,
    point: PointId,
    date: chrono::NaiveDate,
    filter: &crate::diff::Filter,
) -> bool {
    rb.items.iter().any(|item| {
        if filter.area.is_some_and(|area| area != item.area)
            || filter
                .name
                .as_ref()
                .is_some_and(|name| !item.name.starts_with(name.as_str()))
        {
            return false;
        }
        let area = rb.area(item.area);
        let covered = date >= area.from && area.until.is_none_or(|until| date <= until);
        let ItemKind::Question { rules, .. } = &item.kind else {
            return false;
        };
        covered
            && rules.iter().any(|rule| {
                let in_force = rule.validity.from.is_none_or(|start| date >= start.known)
                    && rule.validity.until.is_none_or(|until| date <= until);
                in_force
                    && (rule.under.is_some_and(|r| r.point == point)
                        || rule.when.as_ref().is_some_and(|e| mentions(e, point))
                        || mentions(&rule.then, point))
            })
    })
}

fn mentions(expr: &CExpr, point: PointId) -> bool {
    match &expr.kind {
        CExprKind::Reading(reading) => reading.point == point,
        CExprKind::Const(_) | CExprKind::Item(_) | CExprKind::Local(_) | CExprKind::AsOf => false,
        CExprKind::Field(inner, _)
        | CExprKind::Not(inner)
        | CExprKind::Neg(inner)
        | CExprKind::Floor(inner)
        | CExprKind::In(inner, _, _) => mentions(inner, point),
        CExprKind::Binary(_, left, right, _) => mentions(left, point) || mentions(right, point),
        CExprKind::If(a, b, c) => mentions(a, point) || mentions(b, point) || mentions(c, point),
        CExprKind::Aggregate { list, body, .. } => {
            mentions(list, point) || body.as_deref().is_some_and(|b| mentions(b, point))
        }
        CExprKind::AllocateSeats(arguments) => arguments.iter().any(|a| mentions(a, point)),
        CExprKind::List(items) | CExprKind::Record(items) => {
            items.iter().any(|i| mentions(i, point))
        }
        CExprKind::Seats(entries) => entries.iter().any(|(_, e)| mentions(e, point)),
    }
}

/// The text lines `zan diff` adds for contested points that begin or end.
pub fn diff_text(rb: &Rulebase, changes: &[PointChange]) -> String {
    let mut out = String::new();
    for change in changes {
        let point = rb.point(change.point);
        let names: Vec<String> = point
            .readings
            .iter()
            .map(|r| format!("`{}`", r.name))
            .collect();
        out.push_str(&format!(
            "\ncontested point {} {}: {}\n  readings: {}\n",
            point.name,
            if change.begins { "begins" } else { "ends" },
            point.text,
            names.join(", ")
        ));
    }
    out
}

/// The Markdown lines `zan diff` adds for contested points that begin or end.
pub fn diff_markdown(rb: &Rulebase, changes: &[PointChange]) -> String {
    let mut out = String::new();
    if changes.is_empty() {
        return out;
    }
    out.push_str("\n**Contested readings that begin or end:**\n\n");
    for change in changes {
        let point = rb.point(change.point);
        let names: Vec<String> = point
            .readings
            .iter()
            .map(|r| format!("`{}`", r.name))
            .collect();
        out.push_str(&format!(
            "- `{}` {}: {} (readings {})\n",
            point.name,
            if change.begins { "begins" } else { "ends" },
            point.text.replace('|', "\\|"),
            names.join(", ")
        ));
    }
    out
}

/// The JSON `readings` array `zan diff` adds.
pub fn diff_json(rb: &Rulebase, changes: &[PointChange]) -> J {
    J::Array(
        changes
            .iter()
            .map(|change| {
                let point = rb.point(change.point);
                json!({
                    "point": point.name,
                    "change": if change.begins { "begins" } else { "ends" },
                    "question": point.text,
                    "readings": point.readings.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// The JSON document of `zan diff` (and of `GET /v1/diff`): the changes of the law, and the
/// contested points that begin or end, if any.
pub fn diff_document(
    rb: &Rulebase,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    changes: &[crate::diff::Change],
    points: &[PointChange],
) -> serde_json::Value {
    let mut json = super::diff::json(rb, from, to, changes);
    if !points.is_empty()
        && let serde_json::Value::Object(fields) = &mut json
    {
        fields.insert("readings".into(), diff_json(rb, points));
    }
    json
}
