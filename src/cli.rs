//! The commands behind the `zan` binary, as functions from a [`Config`] to an [`Output`]
//! (what to print and the exit code). They only wire the stages together: load, check,
//! evaluate, render.

use crate::diagnostic::{self, has_errors};
use crate::eval::{self, Facts};
use crate::facts;
use crate::load::{self, Loaded};
use crate::render::{self, text::Explain};
use crate::rulebase::ItemKind;
use crate::scenario;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

/// Validated options common to all commands.
#[derive(Clone, Debug)]
pub struct Config {
    pub rules: Vec<PathBuf>,
    pub format: Format,
    pub explain: Explain,
}

/// What a command prints and how it exits.
#[derive(Debug, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: u8,
}

impl Output {
    fn error(message: impl Into<String>) -> Output {
        let mut stderr: String = message.into();
        if !stderr.ends_with('\n') {
            stderr.push('\n');
        }
        Output {
            stdout: String::new(),
            stderr,
            code: 2,
        }
    }
}

/// Loads the rules named by `--rules` (or the embedded ones). Errors in the rules stop the
/// command with exit 2; warnings are printed and the command goes on.
fn load_rules(config: &Config) -> Result<(Loaded, String), Output> {
    let loaded = if config.rules.is_empty() {
        load::load_embedded()
    } else {
        load::load_paths(&config.rules).map_err(|e| Output::error(format!("error: {e}")))?
    };
    let rendered = diagnostic::render(&loaded.sources, &loaded.diagnostics);
    if has_errors(&loaded.diagnostics) {
        return Err(Output::error(format!(
            "{rendered}error: the rules have errors; nothing was evaluated"
        )));
    }
    Ok((loaded, rendered))
}

/// `zan check [PATH...]`
pub fn check(config: &Config, paths: &[PathBuf]) -> Output {
    let loaded = if paths.is_empty() && config.rules.is_empty() {
        load::load_embedded()
    } else {
        let paths = if paths.is_empty() {
            &config.rules
        } else {
            paths
        };
        match load::load_paths(paths) {
            Ok(loaded) => loaded,
            Err(e) => return Output::error(format!("error: {e}")),
        }
    };
    let rendered = diagnostic::render(&loaded.sources, &loaded.diagnostics);
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = loaded.diagnostics.len() - errors;
    let files = loaded.sources.files().count();
    let rb = &loaded.rulebase;
    let rules: usize = rb
        .items
        .iter()
        .map(|item| match &item.kind {
            ItemKind::Question { rules, .. } => rules.len(),
            _ => 0,
        })
        .sum();
    let summary = format!(
        "checked {files} file(s): {} question(s) and parameter(s), {rules} rule(s), {errors} error(s), {warnings} warning(s)\n",
        rb.askable().count()
    );
    Output {
        stdout: if errors == 0 {
            summary.clone()
        } else {
            String::new()
        },
        stderr: if errors == 0 {
            rendered
        } else {
            format!("{rendered}{summary}")
        },
        code: if errors == 0 { 0 } else { 2 },
    }
}

/// `zan ask QUESTION --as-of DATE [--given NAME=VALUE]... [--facts FILE]`
pub fn ask(
    config: &Config,
    question: &str,
    as_of: Option<&str>,
    given: &[String],
    facts_file: Option<&Path>,
) -> Output {
    let (loaded, warnings) = match load_rules(config) {
        Ok(loaded) => loaded,
        Err(output) => return output,
    };
    let rb = &loaded.rulebase;
    let Some(question_id) = rb.lookup(question) else {
        let hint = rb
            .suggest(question)
            .map(|s| format!("\n  hint: did you mean `{s}`?"))
            .unwrap_or_default();
        return Output::error(format!("error: unknown question `{question}`{hint}"));
    };
    if matches!(rb.item(question_id).kind, ItemKind::Input { .. }) {
        return Output::error(format!(
            "error: `{question}` is an input, not a question: give it with --given {question}=VALUE"
        ));
    }
    let mut facts = Facts::new(rb);
    let mut date = None;
    if let Some(path) = facts_file {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                return Output::error(format!("error: cannot read `{}`: {e}", path.display()));
            }
        };
        match facts::from_json(rb, &text) {
            Ok(json) => {
                date = json.as_of;
                for (id, value) in json.given {
                    facts.set(id, value);
                }
            }
            Err(e) => return Output::error(format!("error: {}: {e}", path.display())),
        }
    }
    for argument in given {
        match facts::parse_given(rb, argument) {
            Ok((id, value)) => facts.set(id, value),
            Err(e) => {
                return Output::error(if e.starts_with("error") {
                    e
                } else {
                    format!("error: {e}")
                });
            }
        }
    }
    if let Some(text) = as_of {
        match facts::parse_date(text) {
            Some(d) => date = Some(d),
            None => {
                return Output::error(format!(
                    "error: invalid date `{text}` for --as-of: expected YYYY-MM-DD, a day that exists"
                ));
            }
        }
    }
    let Some(date) = date else {
        return Output::error(
            "error: no date: every answer is \"as of\" a date; pass --as-of YYYY-MM-DD (or \"as_of\" in --facts)",
        );
    };
    match eval::answer(rb, question_id, date, &facts) {
        Ok(answer) => {
            let stdout = match config.format {
                Format::Text => render::text::answer(rb, &answer, config.explain),
                Format::Json => format!("{}\n", render::json::answer(rb, &answer)),
                Format::Markdown => render::markdown::answer(rb, &answer, config.explain),
            };
            Output {
                stdout,
                stderr: warnings,
                code: 0,
            }
        }
        Err(error) => {
            let location = error
                .span
                .map(|s| format!(" (at {})", loaded.sources.location(s)))
                .unwrap_or_default();
            Output::error(format!("error: {}{location}", error.message))
        }
    }
}

/// `zan run PATH...`
pub fn run(config: &Config, paths: &[PathBuf], filter: Option<&str>, verbose: bool) -> Output {
    let (mut loaded, warnings) = match load_rules(config) {
        Ok(loaded) => loaded,
        Err(output) => return output,
    };
    let files = match load::collect_files(paths) {
        Ok(files) => files,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    if files.is_empty() {
        return Output::error("error: no scenario files (*.zan) found in the paths given");
    }
    let mut ids = Vec::new();
    for path in &files {
        match loaded.sources.read(path) {
            Ok(id) => ids.push(id),
            Err(e) => return Output::error(format!("error: {e}")),
        }
    }
    let (scenario_files, diagnostics) = load::load_scenarios(&mut loaded, &ids);
    if has_errors(&diagnostics) {
        return Output::error(format!(
            "{}error: the scenario files have errors; no scenario was run",
            diagnostic::render(&loaded.sources, &diagnostics)
        ));
    }
    let rb = &loaded.rulebase;
    let mut stdout = String::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    for (_, scenarios) in &scenario_files {
        for scenario in scenarios {
            let location = loaded.sources.location(scenario.span);
            if let Some(filter) = filter
                && !scenario.title.contains(filter)
                && !location.contains(filter)
            {
                continue;
            }
            let result = scenario::run(rb, scenario);
            if result.passed() {
                passed += 1;
            } else {
                failed += 1;
            }
            stdout.push_str(&render::text::scenario(
                rb,
                &location,
                &result,
                config.explain,
                verbose,
            ));
        }
    }
    stdout.push_str(&format!("{passed} passed, {failed} failed\n"));
    Output {
        stdout,
        stderr: warnings,
        code: if failed > 0 { 1 } else { 0 },
    }
}
