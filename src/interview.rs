//! Asking the facts a question still lacks, one at a time (`zan ask --interactive`).

use crate::eval::{self, Facts};
use crate::facts;
use crate::render;

/// Asks for missing facts one at a time, answering again after each: only a fact the answer
/// still lacks is asked, so one that can no longer change it (a rule already decided without
/// it) never is. An enum's values are listed up front, numbered; a number or a value answers.
/// An empty line skips the fact; the end of input stops. Returns the last answer.
pub fn ask_interactively(
    rb: &crate::rulebase::Rulebase,
    question: crate::rulebase::ItemId,
    date: chrono::NaiveDate,
    facts: &mut Facts,
    readings: &[crate::rulebase::ReadingRef],
    input: &mut dyn std::io::BufRead,
    output: &mut dyn std::io::Write,
) -> Result<eval::Answer, eval::EvalError> {
    let mut skipped: Vec<crate::rulebase::ItemId> = Vec::new();
    loop {
        let answer = eval::readings::answer(rb, question, date, facts, readings)?;
        let next = answer.missing.iter().find_map(|missing| match missing {
            eval::Missing::Fact { item, .. } if !skipped.contains(item) => Some(*item),
            eval::Missing::Fact { .. }
            | eval::Missing::Window(_)
            | eval::Missing::NotCovered(_)
            | eval::Missing::NoValue(_)
            | eval::Missing::Conflict { .. }
            | eval::Missing::Gap(_)
            | eval::Missing::NoRule(_)
            | eval::Missing::Reading(_) => None,
        });
        let Some(item) = next else {
            return Ok(answer);
        };
        let def = rb.item(item);
        let choices: Vec<String> = match def.ty {
            crate::rulebase::Type::Enum(id) => rb.enums[id.0 as usize].variants.clone(),
            crate::rulebase::Type::Bool => vec!["true".into(), "false".into()],
            crate::rulebase::Type::Int
            | crate::rulebase::Type::Count
            | crate::rulebase::Type::Decimal
            | crate::rulebase::Type::Percent
            | crate::rulebase::Type::Date
            | crate::rulebase::Type::Duration
            | crate::rulebase::Type::Text
            | crate::rulebase::Type::Seats
            | crate::rulebase::Type::Record(_)
            | crate::rulebase::Type::List(_) => Vec::new(),
        };
        let _ = writeln!(
            output,
            "{} ({}): {}",
            def.name,
            rb.type_name(def.ty),
            def.text
        );
        if choices.is_empty() {
            let _ = writeln!(output, "  {}", render::allowed_values(rb, def.ty));
        } else {
            for (idx, choice) in choices.iter().enumerate() {
                let _ = writeln!(output, "  {}) {choice}", idx + 1);
            }
        }
        loop {
            // A prompt that cannot be shown ends the questions; the answer so far stands.
            if write!(output, "(empty to skip) > ")
                .and_then(|()| output.flush())
                .is_err()
            {
                return Ok(answer);
            }
            let mut line = String::new();
            match input.read_line(&mut line) {
                Ok(0) | Err(_) => return Ok(answer),
                Ok(_) => {}
            }
            let line = line.trim();
            if line.is_empty() {
                skipped.push(item);
                break;
            }
            let value = line
                .parse::<usize>()
                .ok()
                .filter(|_| !choices.is_empty())
                .and_then(|n| n.checked_sub(1))
                .and_then(|idx| choices.get(idx))
                .map_or(line, String::as_str);
            match facts::parse_given(rb, &format!("{}={value}", def.name)) {
                Ok((id, value)) => {
                    facts.set(id, value);
                    break;
                }
                Err(e) => {
                    let message = e.to_string();
                    let shown = crate::escape::escape_controls(&message, false);
                    if writeln!(output, "{shown}").is_err() {
                        return Ok(answer);
                    }
                }
            }
        }
    }
}
