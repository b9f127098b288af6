//! Plain-text rendering: the headline, the trace as an indented tree, what is missing, the
//! citations and the receipt.

use super::*;
use crate::eval::seats::Allocation;
use crate::scenario::ScenarioResult;

/// How much of the trace to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Explain {
    /// One line per rule; only the deciding path opened up.
    Brief,
    /// Every rule considered, with why-not reasons and margins.
    #[default]
    Full,
}

pub fn answer(rb: &Rulebase, answer: &Answer, explain: Explain) -> String {
    let mut out = String::new();
    out.push_str(&headline(rb, answer));
    out.push('\n');
    if answer.status != Status::Answered {
        out.push_str(&format!("status: {}\n", answer.status.as_str()));
    }
    if let Some(branches) = branches_line(rb, answer) {
        out.push_str(&format!("depends on an unsettled date: {branches}\n"));
    }
    if let Some(decision) = &answer.decided_by
        && answer.status == Status::Answered
    {
        out.push_str(&format!(
            "decided by: {}\n",
            super::decided_text(rb, answer.question, decision)
        ));
    }
    if !answer.missing.is_empty() {
        let heading = match answer.status {
            Status::NeedsJudgment => "needs judgment",
            Status::Conflict => "conflict",
            Status::Contested => "contested",
            Status::NotCovered => "not covered",
            Status::Answered | Status::Unknown => "missing",
        };
        out.push_str(&format!("{heading}:\n"));
        for missing in &answer.missing {
            out.push_str(&format!("  - {}\n", missing_line_with_values(rb, missing)));
        }
    }
    for note in &answer.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    let branches = shown_branches(rb, answer);
    if !answer.readings.is_empty() {
        // Contested: each reading with its answer and its own trace.
        out.push_str(&super::readings::text(rb, answer, explain));
    } else if branches.is_empty() {
        out.push_str("trace:\n");
        root(rb, answer, &answer.trace, explain, &mut out);
    } else {
        // Each way the unsettled change may have gone, with its own reasoning.
        for (label, branch) in branches {
            out.push_str(&format!("trace {label}:\n"));
            tree(rb, &branch.trace, 1, explain, &mut out);
        }
    }
    if !answer.citations.is_empty() {
        out.push_str("citations:\n");
        for cite in &answer.citations {
            out.push_str(&format!("  - {}: {}\n", cite.act, format_cite(cite)));
        }
    }
    out.push_str(&format!("receipt: {}\n", answer_receipt(rb, answer)));
    out
}

/// Whether a step is on the deciding path (kept by `--explain brief`).
pub(crate) fn on_path(step: &Step) -> bool {
    match &step.kind {
        StepKind::Rule { verdict, .. } => matches!(
            verdict,
            RuleVerdict::Applies
                | RuleVerdict::Undetermined
                | RuleVerdict::PossiblyOverridden { .. }
        ),
        StepKind::Question { .. }
        | StepKind::Default { .. }
        | StepKind::Fact { .. }
        | StepKind::Compare { .. }
        | StepKind::Condition { .. }
        | StepKind::Allocation(_)
        | StepKind::NotCovered { .. }
        | StepKind::Note(_) => true,
    }
}

/// The trace under an answer: its root line carries the answer's status.
fn root(rb: &Rulebase, answer: &Answer, step: &Step, explain: Explain, out: &mut String) {
    out.push_str("  ");
    out.push_str(&root_line(rb, answer, step));
    out.push('\n');
    if let StepKind::Allocation(allocation) = &step.kind {
        allocation_table(allocation, 2, out);
    }
    if explain == Explain::Brief && !on_path(step) {
        return;
    }
    for child in &step.children {
        tree(rb, child, 2, explain, out);
    }
}

/// [`tree`] for other renderers: a step and what is under it, indented `depth` levels.
pub(crate) fn tree_at(
    rb: &Rulebase,
    step: &Step,
    depth: usize,
    explain: Explain,
    out: &mut String,
) {
    tree(rb, step, depth, explain, out);
}

fn tree(rb: &Rulebase, step: &Step, depth: usize, explain: Explain, out: &mut String) {
    // Brief: every rule gets its one line, but only the deciding path is opened up.
    let collapsed = explain == Explain::Brief && !on_path(step);
    out.push_str(&"  ".repeat(depth));
    out.push_str(&step_line_as(rb, step, Numbers::Memo));
    out.push('\n');
    if let StepKind::Allocation(allocation) = &step.kind {
        allocation_table(allocation, depth + 1, out);
    }
    if collapsed {
        return;
    }
    for child in &step.children {
        tree(rb, child, depth + 1, explain, out);
    }
}

/// The cells of the seat table, one row per list: name (with its registration date), votes,
/// share, passes, quotient, whole part, remainder, extra seats, seats. Text and Markdown
/// print the same cells.
pub(crate) fn allocation_rows(allocation: &Allocation) -> Vec<[String; 9]> {
    allocation
        .rows
        .iter()
        .map(|row| {
            let passes = if row.passes {
                "yes"
            } else if row.runner_up {
                "runner-up"
            } else {
                "no"
            };
            let (quotient, whole, remainder, extra) = if row.admitted {
                (
                    format_num_as(row.quotient, Type::Decimal, Numbers::Memo),
                    row.whole_seats.to_string(),
                    format_num_as(row.remainder, Type::Decimal, Numbers::Memo),
                    if row.minimum_applied {
                        format!("{} (raised to the minimum)", row.extra_seats)
                    } else {
                        row.extra_seats.to_string()
                    },
                )
            } else {
                ("-".into(), "-".into(), "-".into(), "-".into())
            };
            [
                format!("{} (registered {})", row.name, row.registered),
                group_thousands(&row.votes.to_string()),
                format_num_as(row.share, Type::Percent, Numbers::Memo),
                passes.to_string(),
                quotient,
                whole,
                remainder,
                extra,
                row.seats.to_string(),
            ]
        })
        .collect()
}

pub(crate) const ALLOCATION_HEADINGS: [&str; 9] = [
    "list",
    "votes",
    "share",
    "passes",
    "quotient",
    "whole",
    "remainder",
    "extra",
    "seats",
];

fn allocation_table(allocation: &Allocation, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    let rows = allocation_rows(allocation);
    let mut widths = ALLOCATION_HEADINGS.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    // The list name and whether it passes read left to right; the numbers line up on the right.
    let line = |cells: [&str; 9]| -> String {
        let mut line = pad.clone();
        for (column, (cell, width)) in cells.iter().zip(widths).enumerate() {
            let fill = " ".repeat(width - cell.chars().count());
            if column > 0 {
                line.push_str("  ");
            }
            if column == 0 || column == 3 {
                line.push_str(cell);
                line.push_str(&fill);
            } else {
                line.push_str(&fill);
                line.push_str(cell);
            }
        }
        line.truncate(line.trim_end().len());
        line.push('\n');
        line
    };
    out.push_str(&line(ALLOCATION_HEADINGS));
    for row in &rows {
        out.push_str(&line(row.each_ref().map(String::as_str)));
    }
    if allocation.one_list_case {
        out.push_str(&format!(
            "{pad}the runner-up's quotient is multiplied by {} and it receives at least {} seats; seats left over go to the list that passed (Art. 97-1(3)-(4))\n",
            format_num_as(allocation.factor, Type::Decimal, Numbers::Memo),
            allocation.minimum
        ));
    }
    for note in &allocation.notes {
        out.push_str(&format!("{pad}note: {note}\n"));
    }
}

/// A scenario's result: `ok` or `FAIL`, and for a failure the expected and actual side by side.
pub fn scenario(
    rb: &Rulebase,
    location: &str,
    result: &ScenarioResult,
    explain: Explain,
    show_trace: bool,
) -> String {
    let mut out = String::new();
    let verdict = if result.passed() { "ok  " } else { "FAIL" };
    out.push_str(&format!(
        "{verdict} {location} \"{}\" (as of {})\n",
        result.title, result.as_of
    ));
    for checked in &result.checked {
        let item = rb.item(checked.expectation.item);
        if checked.failures.is_empty() {
            continue;
        }
        out.push_str(&format!("     expect {}:\n", item.name));
        for failure in scenario_failures(rb, checked) {
            out.push_str(&format!("       - {failure}\n"));
        }
        match &checked.answer {
            Ok(answer) => {
                if let Some(decision) = &answer.decided_by {
                    out.push_str(&format!(
                        "       decided by: {}\n",
                        super::decided_text(rb, answer.question, decision)
                    ));
                }
                if !answer.citations.is_empty() {
                    out.push_str(&format!(
                        "       citations: {}\n",
                        format_cites(&answer.citations)
                    ));
                }
                if show_trace {
                    for line in self::answer(rb, answer, explain).lines() {
                        out.push_str(&format!("       | {line}\n"));
                    }
                }
            }
            Err(error) => out.push_str(&format!("       error: {}\n", error)),
        }
    }
    out
}

/// `zan who`: one row per value of the enum input: the answer, the deciding rule and its
/// citation, or why there is no answer.
pub fn who(
    rb: &Rulebase,
    question: ItemId,
    over: &str,
    date: chrono::NaiveDate,
    rows: &[(String, Answer)],
) -> String {
    let mut out = format!("{} for each {over}, as of {date}\n", rb.item(question).name);
    let width = rows
        .iter()
        .map(|(v, _)| v.chars().count())
        .max()
        .unwrap_or(0);
    let cells: Vec<(String, String)> = rows
        .iter()
        .map(|(_, answer)| who_row(rb, question, answer))
        .collect();
    // The answer column is as wide as its widest cell (`needs_judgment`, a seat allocation).
    let value_width = cells
        .iter()
        .map(|(value, _)| value.chars().count())
        .max()
        .unwrap_or(0);
    for ((variant, _), (value, reason)) in rows.iter().zip(&cells) {
        out.push_str(&format!(
            "  {variant:width$}  {value:<value_width$}  {reason}\n"
        ));
    }
    // Every row was answered under the same assumptions.
    let receipt = match rows.first() {
        Some((_, answer)) => answer_receipt(rb, answer),
        None => receipt(rb),
    };
    out.push_str(&format!("receipt: {receipt}\n"));
    out
}
