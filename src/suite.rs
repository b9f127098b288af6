//! `zan run`: scenario files read and checked against loaded rules, then run under the
//! assumptions and readings the command gives, kept or left out by a filter on their title
//! or place. The results are data: [`crate::report`] shapes them as JSON or JUnit, [`text`]
//! as the text report.

use crate::diagnostic::Diagnostic;
use crate::load::{self, Loaded};
use crate::render;
use crate::report::Ran;
use crate::rulebase::{Assumption, ReadingRef};
use crate::scenario::{self, ScenarioResult};
use crate::source::{Contents, ReadError};
use std::path::PathBuf;

/// One scenario run: its file, where it is written (`file:line:column`) and its result.
pub struct Played {
    pub file: String,
    pub location: String,
    pub result: ScenarioResult,
}

impl Played {
    /// The result as the JSON and JUnit reports take it.
    pub fn ran(&self) -> Ran<'_> {
        Ran {
            file: self.file.clone(),
            location: self.location.clone(),
            result: &self.result,
        }
    }
}

/// Why no scenario was run.
#[derive(Debug)]
pub enum SuiteError {
    /// A scenario file could not be read.
    Read(ReadError),
    /// The scenario files have errors (their diagnostics point into the loaded sources).
    Scenarios(Vec<Diagnostic>),
}

/// What to run and under what.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// Only scenarios whose title or place contains this text.
    pub filter: Option<&'a str>,
    /// Acts' days of effect assumed for every scenario that does not state its own.
    pub assumed: &'a [Assumption],
    /// Readings of contested points taken.
    pub readings: &'a [ReadingRef],
}

/// The scenarios of each file, checked.
pub type ScenarioFiles = Vec<(crate::span::FileId, Vec<crate::rulebase::Scenario>)>;

/// Reads the scenario `files` into `loaded`'s sources and checks them against its rulebase.
pub fn load(loaded: &mut Loaded, files: &[PathBuf]) -> Result<ScenarioFiles, SuiteError> {
    let mut ids = Vec::with_capacity(files.len());
    for path in files {
        ids.push(
            loaded
                .sources
                .read_as(path, Contents::Scenarios)
                .map_err(SuiteError::Read)?,
        );
    }
    let (scenario_files, diagnostics) = load::load_scenarios(loaded, &ids);
    if crate::diagnostic::has_errors(&diagnostics) {
        return Err(SuiteError::Scenarios(diagnostics));
    }
    Ok(scenario_files)
}

/// Runs every scenario of `scenario_files` the filter keeps, in file order.
pub fn run(loaded: &Loaded, scenario_files: &ScenarioFiles, options: &Options<'_>) -> Vec<Played> {
    let rb = &loaded.rulebase;
    let mut played = Vec::new();
    for (file, scenarios) in scenario_files {
        let file_name = loaded
            .sources
            .get(*file)
            .map_or_else(String::new, |f| f.name.clone());
        for scenario in scenarios {
            let location = loaded.sources.location(scenario.span);
            if let Some(filter) = options.filter
                && !scenario.title.contains(filter)
                && !location.contains(filter)
            {
                continue;
            }
            let result = if options.assumed.is_empty() {
                scenario::run_under(rb, scenario, options.readings)
            } else {
                let mut scenario = scenario.clone();
                for assumption in options.assumed {
                    if !scenario.assumptions.iter().any(|a| a.act == assumption.act) {
                        scenario.assumptions.push(assumption.clone());
                    }
                }
                scenario::run_under(rb, &scenario, options.readings)
            };
            played.push(Played {
                file: file_name.clone(),
                location,
                result,
            });
        }
    }
    played
}

/// How the text report is laid out.
#[derive(Clone, Copy, Debug)]
pub struct TextOptions {
    pub explain: render::text::Explain,
    /// The full trace of every failing expectation.
    pub verbose: bool,
    /// Only the failures and the tally.
    pub quiet: bool,
    /// The verdict painted for a terminal.
    pub color: bool,
}

/// The text report: each scenario (only the failures when `quiet`), then `N passed, N failed`.
pub fn text(loaded: &Loaded, played: &[Played], options: TextOptions) -> String {
    let rb = &loaded.rulebase;
    let mut out = String::new();
    for Played {
        location, result, ..
    } in played
    {
        if options.quiet && result.passed() {
            continue;
        }
        let rendered =
            render::text::scenario(rb, location, result, options.explain, options.verbose);
        let rendered = match rendered.split_at_checked(4) {
            Some((verdict, rest)) if options.color => format!(
                "{}{rest}",
                render::colour::paint(
                    options.color,
                    verdict,
                    if result.passed() { "32" } else { "1;31" }
                )
            ),
            _ => rendered,
        };
        out.push_str(&rendered);
    }
    let failed = failures(played);
    out.push_str(&format!(
        "{} passed, {failed} failed\n",
        played.len() - failed
    ));
    out
}

/// How many scenarios failed.
pub fn failures(played: &[Played]) -> usize {
    played.iter().filter(|p| !p.result.passed()).count()
}
