//! The README's worked session for analysts stays true: every `$ zan ...` command in it runs on
//! the shipped rules and prints the first line the README shows (for a JSON line shown in part,
//! `{"key": value, ...}`, the keys shown), and every `$ cat FILE` shows the file as it is in the
//! repository. The rendered memo sample in `examples/` is what zan prints.

use crate::common::zan;
use std::path::Path;

/// (command line, the lines the README shows after it) for each `$ ` line in console blocks.
fn console_commands() -> Vec<(String, Vec<String>)> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let mut commands = Vec::new();
    let mut in_console = false;
    let mut current: Option<(String, Vec<String>)> = None;
    let mut continuing = false;
    for line in readme.lines() {
        if line.starts_with("```console") {
            in_console = true;
            continue;
        }
        if in_console && line.starts_with("```") {
            in_console = false;
            commands.extend(current.take());
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            commands.extend(current.take());
            continuing = command.ends_with('\\');
            current = Some((
                command.trim_end_matches('\\').trim().to_string(),
                Vec::new(),
            ));
        } else if let Some((command, output)) = current.as_mut() {
            if continuing {
                continuing = line.ends_with('\\');
                command.push(' ');
                command.push_str(line.trim_end_matches('\\').trim());
            } else {
                output.push(line.to_string());
            }
        }
    }
    commands
}

#[test]
fn the_worked_session_runs_as_shown() {
    let commands = console_commands();
    assert!(
        commands.len() >= 4,
        "expected the worked session in README.md"
    );
    for (command, shown) in commands {
        let words: Vec<&str> = command.split_whitespace().collect();
        match words.first() {
            Some(&"zan") => {
                let run = zan(&words[1..]);
                assert_eq!(run.code, 0, "`{command}` failed: {}", run.stderr);
                let first_shown = shown.first().map(String::as_str).unwrap_or_default();
                let first_printed = run.stdout.lines().next().unwrap_or_default();
                if let Some(shown_keys) = first_shown.strip_suffix(", ...}") {
                    // A JSON line shown in part: each key shown has the value shown.
                    let shown: serde_json::Map<String, serde_json::Value> =
                        serde_json::from_str(&format!("{shown_keys}}}")).expect("JSON shown");
                    let printed: serde_json::Value =
                        serde_json::from_str(first_printed).expect("JSON printed");
                    for (key, value) in shown {
                        assert_eq!(
                            printed[&key], value,
                            "`{command}` prints a different `{key}` than the README shows"
                        );
                    }
                    continue;
                }
                assert_eq!(
                    first_printed, first_shown,
                    "`{command}` prints a different first line than the README shows"
                );
            }
            Some(&"cat") => {
                let text =
                    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(words[1]))
                        .expect("file shown by cat");
                assert_eq!(
                    text.trim_end(),
                    shown.join("\n").trim_end(),
                    "README shows `{}` differently",
                    words[1]
                );
            }
            _ => panic!("unexpected command in the README: {command}"),
        }
    }
}

#[test]
fn the_batch_example_has_a_bad_line() {
    let run = zan(&[
        "batch",
        "party.may_register",
        "--input",
        "examples/parties.jsonl",
    ]);
    // The bad line is rejected, so the batch exits 1 after answering the others.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    // 6,000 members: short of 20,000 on 2022-10-01, enough for 5,000 on 2023-03-01.
    assert_eq!(lines[0]["answer"], false);
    assert_eq!(lines[1]["answer"], true);
    assert!(lines[2]["error"]["message"].is_string());
}

/// The Markdown memo sample in `examples/` is what `zan ask ... --format markdown` prints
/// (the rules digest aside, which changes with every edit of the rules).
#[test]
fn the_memo_sample_is_what_zan_prints() {
    let run = zan(&[
        "ask",
        "mazhilis.seat_allocation",
        "--facts",
        "examples/election.json",
        "--format",
        "markdown",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/seat-allocation-memo.md"),
    )
    .expect("examples/seat-allocation-memo.md");
    let without_digest = |text: &str| -> String {
        text.lines()
            .map(|line| match line.find("rules sha256 ") {
                Some(idx) => &line[..idx],
                None => line,
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let body = sample
        .split_once("\n---\n\n")
        .map_or(sample.as_str(), |(_, body)| body);
    assert_eq!(
        without_digest(body),
        without_digest(&run.stdout),
        "regenerate examples/seat-allocation-memo.md (see its header)"
    );
    // The seat table keeps every column that explains the result.
    assert!(body.contains(
        "| list | votes | share | passes | quotient | whole | remainder | extra | seats |"
    ));
}
