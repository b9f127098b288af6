//! Plain-text rendering: the headline, the trace as an indented tree, what is missing, the
//! citations and the receipt.

use super::*;
use crate::eval::seats::Allocation;
use crate::scenario::ScenarioResult;

/// How much of the trace to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
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
    if let Some(rule) = &answer.decided_by
        && answer.status == Status::Answered
    {
        match rule.as_str() {
            "default" => out.push_str("decided by: the default (no rule applies)\n"),
            "value" => out.push_str("decided by: the parameter's value in force\n"),
            name => out.push_str(&format!("decided by: rule `{name}`\n")),
        }
    }
    if !answer.missing.is_empty() {
        let heading = match answer.status {
            Status::NeedsJudgment => "needs judgment",
            Status::Conflict => "conflict",
            Status::NotCovered => "not covered",
            _ => "missing",
        };
        out.push_str(&format!("{heading}:\n"));
        for missing in &answer.missing {
            out.push_str(&format!("  - {}\n", missing_line(rb, missing)));
        }
    }
    for note in &answer.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out.push_str("trace:\n");
    tree(rb, &answer.trace, 1, explain, &mut out);
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
        _ => true,
    }
}

fn tree(rb: &Rulebase, step: &Step, depth: usize, explain: Explain, out: &mut String) {
    // Brief: every rule gets its one line, but only the deciding path is opened up.
    let collapsed = explain == Explain::Brief && !on_path(step);
    out.push_str(&"  ".repeat(depth));
    out.push_str(&step_line(rb, step));
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

fn allocation_table(allocation: &Allocation, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    out.push_str(&format!(
        "{pad}list | votes | share | passes | quotient | whole | remainder | extra | seats\n"
    ));
    for row in &allocation.rows {
        let passes = if row.passes {
            "yes"
        } else if row.runner_up {
            "runner-up"
        } else {
            "no"
        };
        let (quotient, whole, remainder, extra) = if row.admitted {
            (
                format_num(row.quotient, Type::Decimal),
                row.whole_seats.to_string(),
                format_num(row.remainder, Type::Decimal),
                if row.minimum_applied {
                    format!("{} (raised to the minimum)", row.extra_seats)
                } else {
                    row.extra_seats.to_string()
                },
            )
        } else {
            ("-".into(), "-".into(), "-".into(), "-".into())
        };
        out.push_str(&format!(
            "{pad}{} (registered {}) | {} | {} | {passes} | {quotient} | {whole} | {remainder} | {extra} | {}\n",
            row.name,
            row.registered,
            group_thousands(&row.votes.to_string()),
            format_num(row.share, Type::Percent),
            row.seats
        ));
    }
    if allocation.one_list_case {
        out.push_str(&format!(
            "{pad}the runner-up's quotient is multiplied by {} and it receives at least {} seats; seats left over go to the list that passed (Art. 97-1(3)-(4))\n",
            format_num(allocation.factor, Type::Decimal),
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
        for failure in &checked.failures {
            out.push_str(&format!("       - {failure}\n"));
        }
        match &checked.answer {
            Ok(answer) => {
                if let Some(rule) = &answer.decided_by {
                    out.push_str(&format!("       decided by: {rule}\n"));
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
            Err(error) => out.push_str(&format!("       error: {}\n", error.message)),
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
    let width = rows.iter().map(|(v, _)| v.len()).max().unwrap_or(0);
    for (variant, answer) in rows {
        let (value, reason) = who_row(rb, question, answer);
        out.push_str(&format!("  {variant:width$}  {value:<14}  {reason}\n"));
    }
    // Every row was answered under the same assumptions.
    let receipt = match rows.first() {
        Some((_, answer)) => answer_receipt(rb, answer),
        None => receipt(rb),
    };
    out.push_str(&format!("receipt: {receipt}\n"));
    out
}
