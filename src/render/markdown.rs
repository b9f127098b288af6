//! Markdown rendering: the same content as the text trace, laid out for a memo.

use super::text::{Explain, on_path};
use super::*;

pub fn answer(rb: &Rulebase, answer: &Answer, explain: Explain) -> String {
    let item = rb.item(answer.question);
    let mut out = String::new();
    out.push_str(&format!("### `{}` as of {}\n\n", item.name, answer.as_of));
    out.push_str(&format!("*{}*\n\n", item.text));
    match &answer.value {
        Some(value) => out.push_str(&format!(
            "**Answer: {}**\n\n",
            format_value_as(rb, item.ty, value, Numbers::Memo)
        )),
        None => out.push_str(&format!("**Status: {}**\n\n", answer.status.as_str())),
    }
    if let Some(branches) = branches_line(rb, answer) {
        out.push_str(&format!(
            "Depends on an unsettled date: {}\n\n",
            branches.replace('|', "\\|")
        ));
    }
    if let Some(decision) = &answer.decided_by
        && answer.status == Status::Answered
    {
        out.push_str(&format!(
            "Decided by: {}\n\n",
            super::decided_text(rb, answer.question, decision)
        ));
    }
    if !answer.missing.is_empty() {
        out.push_str("**Still open:**\n\n");
        for missing in &answer.missing {
            out.push_str(&format!("- {}\n", missing_line_with_values(rb, missing)));
        }
        out.push('\n');
    }
    for note in &answer.notes {
        out.push_str(&format!("> Note: {note}\n\n"));
    }
    out.push_str(&super::readings::markdown(rb, answer));
    let branches = shown_branches(rb, answer);
    if branches.is_empty() {
        // A contested answer's trace is the one under the first row's readings (the defaults);
        // the table above gives each reading's answer.
        out.push_str(if answer.readings.is_empty() {
            "**Reasoning:**\n\n"
        } else {
            "**Reasoning under the readings of the first row:**\n\n"
        });
        let root = root_line(rb, answer, &answer.trace).replace('|', "\\|");
        out.push_str(&format!("- {root}\n"));
        subtree(rb, &answer.trace, 0, explain, &mut out);
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
    } else {
        for (label, branch) in branches {
            out.push_str(&format!("**Reasoning {label}:**\n\n"));
            tree(rb, &branch.trace, 0, explain, &mut out);
            if !out.ends_with("\n\n") {
                out.push('\n');
            }
        }
    }
    if !answer.citations.is_empty() {
        out.push_str("**Authorities:**\n\n");
        for cite in &answer.citations {
            out.push_str(&format!("- {}\n", format_cite(cite)));
        }
        out.push('\n');
    }
    out.push_str(&format!("<sub>{}</sub>\n", answer_receipt(rb, answer)));
    out
}

fn tree(rb: &Rulebase, step: &Step, depth: usize, explain: Explain, out: &mut String) {
    let line = step_line_as(rb, step, Numbers::Memo).replace('|', "\\|");
    out.push_str(&format!("{}- {line}\n", "  ".repeat(depth)));
    subtree(rb, step, depth, explain, out);
}

/// What follows a step's line: its seat table, then its children.
fn subtree(rb: &Rulebase, step: &Step, depth: usize, explain: Explain, out: &mut String) {
    // Brief: every rule gets its one line, but only the deciding path is opened up.
    let collapsed = explain == Explain::Brief && !on_path(step);
    if let StepKind::Allocation(allocation) = &step.kind {
        let pad = "  ".repeat(depth + 1);
        out.push('\n');
        out.push_str(&format!(
            "{pad}| {} |\n{pad}|---|---:|---:|---|---:|---:|---:|---:|---:|\n",
            super::text::ALLOCATION_HEADINGS.join(" | ")
        ));
        for row in super::text::allocation_rows(allocation) {
            let cells: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
            out.push_str(&format!("{pad}| {} |\n", cells.join(" | ")));
        }
        out.push('\n');
    }
    if collapsed {
        return;
    }
    for child in &step.children {
        tree(rb, child, depth + 1, explain, out);
    }
}

/// `zan who` as a Markdown table.
pub fn who(
    rb: &Rulebase,
    question: ItemId,
    over: &str,
    date: chrono::NaiveDate,
    rows: &[(String, Answer)],
) -> String {
    let item = rb.item(question);
    let mut out = format!(
        "### `{}` for each `{over}`, as of {date}\n\n| {over} | answer | decided by, or what is missing |\n|---|---|---|\n",
        item.name
    );
    for (variant, answer) in rows {
        let (value, reason) = who_row(rb, question, answer);
        out.push_str(&format!(
            "| {variant} | {value} | {} |\n",
            reason.replace('|', "\\|")
        ));
    }
    // Every row was answered under the same assumptions.
    let receipt = match rows.first() {
        Some((_, answer)) => answer_receipt(rb, answer),
        None => receipt(rb),
    };
    out.push_str(&format!("\n<sub>{receipt}</sub>\n"));
    out
}
