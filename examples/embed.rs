//! zan embedded in a Rust program: load the shipped rules, give facts, ask a question as of a
//! date, and print the answer, the provisions it rests on and the JSON a service would send.
//!
//! ```sh
//! cargo run --example embed
//! ```
//!
//! `tests/embed.rs` runs `run` and checks what it prints.

use std::error::Error;
use std::io::Write;
use zan::{Authority, Engine, Status};

fn main() -> Result<(), Box<dyn Error>> {
    run(&mut std::io::stdout().lock())
}

/// Everything the example does, writing to `out`.
pub fn run(out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
    // The rules shipped with zan, parsed and checked once; rules files of one's own load with
    // `Engine::from_paths(&["rules/"])`, and their errors come back as `zan::Error::Rules`.
    let engine = Engine::shipped()?;

    // A party with 6,000 members, branches in every region, 650 in its smallest branch.
    let mut facts = engine.facts();
    for fact in [
        "party.members=6000",
        "party.branches_in_all_regions=true",
        "party.smallest_branch_members=650",
    ] {
        engine.give(&mut facts, fact)?;
    }

    let question = "party.may_register";
    for date in ["2022-10-01", "2023-03-01"] {
        let answer = engine.ask(question, Engine::date(date)?, &facts)?;
        let value = engine
            .value_text(&answer)
            .unwrap_or_else(|| "not known".to_string());
        writeln!(
            out,
            "{} as of {}: {} ({})",
            question,
            answer.as_of,
            value,
            answer.status.as_str()
        )?;
        if answer.status != Status::Answered {
            writeln!(
                out,
                "  missing: {}",
                engine.missing_facts(&answer).join(", ")
            )?;
        }
        for cite in &answer.citations {
            let secondary = if cite.authority == Authority::Secondary {
                " (secondary)"
            } else {
                ""
            };
            writeln!(
                out,
                "  - {} {}{secondary}: {}",
                cite.act, cite.article, cite.act_title
            )?;
        }
    }

    // The same answer as JSON, as `zan ask --format json` prints it (trace and receipt included).
    let answer = engine.ask(question, Engine::date("2023-03-01")?, &facts)?;
    let json = engine.answer_json(&answer);
    writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
    Ok(())
}
