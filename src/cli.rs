//! The commands behind the `zan` binary, as functions from a [`Config`] to an [`Output`]
//! (what to print and the exit code). They only wire the stages together: load, check,
//! evaluate, render.

use std::path::{Path, PathBuf};
use zan::catalogue;
use zan::diagnostic::{self, has_errors};
use zan::eval::{self, Facts};
use zan::facts;
use zan::load::{self, Loaded};
use zan::render::{self, text::Explain};
use zan::rulebase::ItemKind;
use zan::scenario;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
    /// JUnit XML: only `zan run`.
    Junit,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Junit => "junit",
        }
    }
}

/// The refusal of a format a command does not print.
fn unsupported(format: Format, command: &str, formats: &str) -> Output {
    Output::error(format!(
        "error: `zan {command}` does not print --format {}: expected one of {formats}",
        format.name()
    ))
}

/// Validated options common to all commands.
#[derive(Clone, Debug)]
pub struct Config {
    pub rules: Vec<PathBuf>,
    pub format: Format,
    pub explain: Explain,
    /// `--explain none`: answers without their trace (`zan batch` only).
    pub answer_only: bool,
    /// `--format csv` (`zan batch` only) or JSON Lines.
    pub batch_format: zan::batch::Format,
    /// Colour in text output: only on a terminal, and never when `NO_COLOR` is set.
    pub color: bool,
    /// Colour in diagnostics on standard error, by the same rule.
    pub color_diagnostics: bool,
    /// `--reading POINT.READING`, as written: readings of contested points to take.
    pub readings: Vec<String>,
}

/// `--reading` resolved against the rules: an unknown reading, or two readings of one point,
/// is a usage error.
fn chosen_readings(
    config: &Config,
    rb: &zan::rulebase::Rulebase,
) -> Result<Vec<zan::rulebase::ReadingRef>, Output> {
    let mut chosen: Vec<zan::rulebase::ReadingRef> = Vec::new();
    for name in &config.readings {
        let Some(reading) = rb.lookup_reading(name) else {
            let names = rb.reading_names();
            let hint = match zan::names::closest(name, names.iter().map(String::as_str)) {
                Some(close) => format!("\n  hint: did you mean `{close}`?"),
                None if names.is_empty() => {
                    "\n  hint: the rules declare no contested point".to_string()
                }
                None => format!("\n  hint: the readings are {}", names.join(", ")),
            };
            return Err(Output::error(format!(
                "error: unknown reading `{name}` for --reading{hint}"
            )));
        };
        if let Some(other) = chosen.iter().find(|r| r.point == reading.point) {
            return Err(Output::error(format!(
                "error: --reading names two readings of `{}`: `{}` and `{}`",
                rb.point(reading.point).name,
                rb.reading_name(*other),
                rb.reading_name(reading)
            )));
        }
        chosen.push(reading);
    }
    Ok(chosen)
}

/// `zan ask`: the arguments, as given.
#[derive(Clone, Debug, Default)]
pub struct Ask {
    pub question: String,
    pub as_of: Option<String>,
    /// `--given NAME=VALUE`, each as written.
    pub given: Vec<String>,
    /// `--facts FILE`.
    pub facts: Option<PathBuf>,
    pub interactive: bool,
    /// `--assume ACT=DATE`, each as written.
    pub assume: Vec<String>,
}

/// `zan who`: the arguments, as given.
#[derive(Clone, Debug, Default)]
pub struct Who {
    pub question: String,
    /// The enum input gone over.
    pub over: String,
    pub as_of: Option<String>,
    pub given: Vec<String>,
    pub assume: Vec<String>,
}

/// `zan run`: the arguments, as given.
#[derive(Clone, Debug, Default)]
pub struct Run {
    pub paths: Vec<PathBuf>,
    pub filter: Option<String>,
    pub verbose: bool,
    pub quiet: bool,
    pub assume: Vec<String>,
}

/// `zan batch`: the arguments, as given.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    pub question: String,
    /// The JSON Lines input, or `-` for standard input.
    pub input: PathBuf,
    pub output: Option<PathBuf>,
    pub as_of: Option<String>,
    pub assume: Vec<String>,
}

/// `zan diff`: the arguments, as given.
#[derive(Clone, Debug, Default)]
pub struct Diff {
    pub from: String,
    pub to: String,
    pub area: Option<String>,
    pub name: Option<String>,
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
    let rendered = diagnostic::render_with(
        &loaded.sources,
        &loaded.diagnostics,
        config.color_diagnostics,
    );
    if has_errors(&loaded.diagnostics) {
        return Err(Output::error(format!(
            "{rendered}error: the rules have errors; nothing was evaluated"
        )));
    }
    Ok((loaded, rendered))
}

/// `zan check [PATH...]`
pub fn check(config: &Config, paths: &[PathBuf]) -> Output {
    if matches!(config.format, Format::Junit | Format::Markdown) {
        return unsupported(config.format, "check", "text, json");
    }
    // Files checked alone borrow the acts and sources they cite from the other shipped files.
    let alone = if paths.is_empty() && config.rules.is_empty() {
        let loaded = load::load_embedded();
        zan::companions::Alone {
            given: loaded.sources.files().count(),
            loaded,
            borrowed: Vec::new(),
        }
    } else {
        let paths = if paths.is_empty() {
            &config.rules
        } else {
            paths
        };
        match zan::companions::load_with_shipped_declarations(paths) {
            Ok(alone) => alone,
            Err(e) => return Output::error(format!("error: {e}")),
        }
    };
    let (loaded, borrowed, files_checked) = (&alone.loaded, &alone.borrowed, alone.given);
    let rendered = diagnostic::render_with(
        &loaded.sources,
        &loaded.diagnostics,
        config.color_diagnostics,
    );
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = loaded.diagnostics.len() - errors;
    let files = files_checked;
    let rb = &loaded.rulebase;
    let rules: usize = rb
        .items
        .iter()
        .map(|item| match &item.kind {
            ItemKind::Question { rules, .. } => rules.len(),
            ItemKind::Input { .. } | ItemKind::Param { .. } => 0,
        })
        .sum();
    if config.format == Format::Json {
        let summary = zan::report::CheckSummary {
            files,
            askable: rb.askable().count(),
            rules,
            borrowed,
        };
        return Output {
            stdout: format!(
                "{}\n",
                zan::report::check_json(&loaded.sources, &loaded.diagnostics, &summary)
            ),
            stderr: String::new(),
            code: if errors == 0 { 0 } else { 2 },
        };
    }
    let mut notes = String::new();
    for b in borrowed {
        notes.push_str(&format!(
            "note: `{}` is declared in {}, a shipped file not checked here; its declaration was used\n",
            b.name, b.declared_at
        ));
    }
    let summary = format!(
        "{notes}checked {files} file(s): {} question(s) and parameter(s), {rules} rule(s), {errors} error(s), {warnings} warning(s)\n",
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

/// `zan ask QUESTION --as-of DATE [--given NAME=VALUE]... [--facts FILE] [--interactive]`
pub fn ask(config: &Config, options: &Ask) -> Output {
    let Ask {
        question,
        as_of,
        given,
        facts: facts_file,
        interactive,
        assume,
    } = options;
    let (question, as_of, facts_file, interactive) = (
        question.as_str(),
        as_of.as_deref(),
        facts_file.as_deref(),
        *interactive,
    );
    use std::io::IsTerminal;
    if interactive && !std::io::stdin().is_terminal() {
        return Output::error(
            "error: --interactive asks on the terminal, but standard input is not one\n  hint: give the facts with --given NAME=VALUE or --facts FILE.json instead",
        );
    }
    let (loaded, warnings, question_id, mut facts, mut date) =
        match prepare(config, question, as_of, &[]) {
            Ok(prepared) => prepared,
            Err(output) => return output,
        };
    // One answer, then the process exits: the rules are left for the exit to free (freeing
    // the rulebase piece by piece took a sixth of a cold `zan ask`).
    let loaded: &Loaded = Box::leak(Box::new(loaded));
    let rb = &loaded.rulebase;
    let mut notes = String::new();
    let mut from_file: Vec<bool> = vec![false; rb.items.len()];
    if let Some(path) = facts_file {
        let text = match zan::source::read_text(path, zan::source::Contents::Facts) {
            Ok(text) => text,
            Err(e) => return Output::error(format!("error: {e}")),
        };
        match facts::from_json(rb, &text) {
            Ok(json) => {
                if let (Some(given_date), Some(file_date)) = (date, json.as_of)
                    && given_date != file_date
                {
                    notes.push_str(&format!(
                        "note: --as-of {given_date} overrides \"as_of\": \"{file_date}\" in {}\n",
                        path.display()
                    ));
                }
                date = date.or(json.as_of);
                for (id, value) in json.given {
                    from_file[id.index()] = true;
                    facts.set(id, value);
                }
            }
            Err(e) => {
                return Output::error(format!("error[{}]: {}: {e}", e.code, path.display()));
            }
        }
    }
    // Facts on the command line come after the file, so they override it, with a note.
    let mut seen: Vec<bool> = vec![false; rb.items.len()];
    for argument in given {
        match facts::parse_given(rb, argument) {
            Ok((id, value)) => {
                if let Err(output) = given_once(rb, &mut seen, id) {
                    return output;
                }
                if from_file[id.index()] && facts.get(id) != Some(&value) {
                    notes.push_str(&format!(
                        "note: --given {} overrides the value of `{}` in {}\n",
                        argument.trim(),
                        rb.item(id).name,
                        facts_file
                            .map(|p| p.display().to_string())
                            .unwrap_or_default()
                    ));
                }
                facts.set(id, value);
            }
            Err(e) => return Output::error(given_error(&e)),
        }
    }
    if let Err(output) = assume_all(rb, &mut facts, assume) {
        return output;
    }
    let Some(date) = date else {
        return Output::error(
            "error: no date: every answer is \"as of\" a date; pass --as-of YYYY-MM-DD (or \"as_of\" in --facts)",
        );
    };
    let readings = match chosen_readings(config, rb) {
        Ok(readings) => readings,
        Err(output) => return output,
    };
    let mut answer = match eval::readings::answer(rb, question_id, date, &facts, &readings) {
        Ok(answer) => answer,
        Err(error) => return eval_error(config, loaded, &error),
    };
    if interactive {
        let stdin = std::io::stdin();
        answer = match zan::interview::ask_interactively(
            rb,
            question_id,
            date,
            &mut facts,
            &readings,
            &mut stdin.lock(),
            &mut std::io::stderr(),
        ) {
            Ok(answer) => answer,
            Err(error) => return eval_error(config, loaded, &error),
        };
    }
    let stdout = match config.format {
        Format::Junit => return unsupported(config.format, "ask", "text, json, markdown"),
        Format::Text => render::colour::paint_headline(
            config.color,
            render::text::answer(rb, &answer, config.explain),
            &answer,
        ),
        Format::Json => format!(
            "{}\n",
            render::json::answer_with(rb, &answer, config.explain)
        ),
        Format::Markdown => render::markdown::answer(rb, &answer, config.explain),
    };
    Output {
        stdout,
        stderr: format!("{warnings}{notes}"),
        code: 0,
    }
}

/// Settles windows by `--assume ACT=DATE`; an act assumed twice is refused like a repeated
/// `--given`.
fn assume_all(
    rb: &zan::rulebase::Rulebase,
    facts: &mut Facts,
    assume: &[String],
) -> Result<(), Output> {
    for argument in assume {
        let assumption = facts::parse_assume(rb, argument)
            .map_err(|e| Output::error(format!("error[{}]: {e}", e.code())))?;
        if facts.assumptions().iter().any(|a| a.act == assumption.act) {
            return Err(Output::error(format!(
                "error: act `{}` is assumed twice on the command line\n  hint: give each act's day once with --assume ACT=DATE",
                assumption.act
            )));
        }
        facts.assume(assumption);
    }
    Ok(())
}

/// Refuses a second `--given` for the same name: which of two values was meant is a guess.
fn given_once(
    rb: &zan::rulebase::Rulebase,
    seen: &mut [bool],
    id: zan::rulebase::ItemId,
) -> Result<(), Output> {
    let slot = &mut seen[id.index()];
    if *slot {
        return Err(Output::error(format!(
            "error: `{}` is given twice on the command line\n  hint: give each fact once with --given NAME=VALUE",
            rb.item(id).name
        )));
    }
    *slot = true;
    Ok(())
}

/// A refused `--given` as printed: `error: ...`, or the value's diagnostics with a caret.
fn given_error(error: &facts::GivenError) -> String {
    match error {
        facts::GivenError::Fact(problem) => format!("error[{}]: {problem}", problem.code()),
        facts::GivenError::Value { .. } => error.to_string(),
    }
}

/// An evaluation error (division by zero, overflow, ...) shown like any other diagnostic: the
/// rule's source line with a caret, and what to do about it.
fn eval_error(config: &Config, loaded: &Loaded, error: &eval::EvalError) -> Output {
    let mut diagnostic = zan::diagnostic::Diagnostic::error(error.code(), error.to_string()).hint(
        "the calculation cannot be carried out with these facts: check the values given, and the rule shown",
    );
    if let Some(span) = error.span {
        diagnostic = diagnostic.at(span, "while evaluating this");
    }
    Output::error(diagnostic::render_with(
        &loaded.sources,
        &[diagnostic],
        config.color_diagnostics,
    ))
}

/// `zan run PATH... [--filter TEXT] [--verbose] [-q] [--assume ACT=DATE]...`
pub fn run(config: &Config, options: &Run) -> Output {
    let Run {
        paths,
        filter,
        verbose,
        quiet,
        assume,
    } = options;
    let (filter, verbose, quiet) = (filter.as_deref(), *verbose, *quiet);
    if config.format == Format::Markdown {
        return unsupported(config.format, "run", "text, json, junit");
    }
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
        match loaded
            .sources
            .read_as(path, zan::source::Contents::Scenarios)
        {
            Ok(id) => ids.push(id),
            Err(e) => return Output::error(format!("error: {e}")),
        }
    }
    let (scenario_files, diagnostics) = load::load_scenarios(&mut loaded, &ids);
    if has_errors(&diagnostics) {
        return Output::error(format!(
            "{}error: the scenario files have errors; no scenario was run",
            diagnostic::render_with(&loaded.sources, &diagnostics, config.color_diagnostics)
        ));
    }
    let rb = &loaded.rulebase;
    // `--assume` holds for every scenario that does not state that act's day itself.
    let mut assumed = Facts::new(rb);
    if let Err(output) = assume_all(rb, &mut assumed, assume) {
        return output;
    }
    let readings = match chosen_readings(config, rb) {
        Ok(readings) => readings,
        Err(output) => return output,
    };
    let mut results = Vec::new();
    for (file, scenarios) in &scenario_files {
        let file_name = loaded
            .sources
            .get(*file)
            .map_or_else(String::new, |f| f.name.clone());
        for scenario in scenarios {
            let location = loaded.sources.location(scenario.span);
            if let Some(filter) = filter
                && !scenario.title.contains(filter)
                && !location.contains(filter)
            {
                continue;
            }
            let result = if assumed.assumptions().is_empty() {
                scenario::run_under(rb, scenario, &readings)
            } else {
                let mut scenario = scenario.clone();
                for assumption in assumed.assumptions() {
                    if !scenario.assumptions.iter().any(|a| a.act == assumption.act) {
                        scenario.assumptions.push(assumption.clone());
                    }
                }
                scenario::run(rb, &scenario)
            };
            results.push((file_name.clone(), location, result));
        }
    }
    let failed = results.iter().filter(|(_, _, r)| !r.passed()).count();
    let passed = results.len() - failed;
    let code = if failed > 0 { 1 } else { 0 };
    if matches!(config.format, Format::Json | Format::Junit) {
        let ran: Vec<zan::report::Ran<'_>> = results
            .iter()
            .map(|(file, location, result)| zan::report::Ran {
                file: file.clone(),
                location: location.clone(),
                result,
            })
            .collect();
        let stdout = if config.format == Format::Json {
            format!("{}\n", zan::report::run_json(rb, &ran))
        } else {
            zan::report::run_junit(rb, &ran)
        };
        return Output {
            stdout,
            stderr: warnings,
            code,
        };
    }
    let mut stdout = String::new();
    for (_, location, result) in &results {
        if quiet && result.passed() {
            continue;
        }
        let rendered = render::text::scenario(rb, location, result, config.explain, verbose);
        let rendered = match rendered.split_at_checked(4) {
            Some((verdict, rest)) if config.color => format!(
                "{}{rest}",
                render::colour::paint(
                    config.color,
                    verdict,
                    if result.passed() { "32" } else { "1;31" }
                )
            ),
            _ => rendered,
        };
        stdout.push_str(&rendered);
    }
    stdout.push_str(&format!("{passed} passed, {failed} failed\n"));
    Output {
        stdout,
        stderr: warnings,
        code,
    }
}

/// Loads the rules and the question, and turns `--given` and `--as-of` into facts and a date.
fn prepare(
    config: &Config,
    question: &str,
    as_of: Option<&str>,
    given: &[String],
) -> Result<
    (
        Loaded,
        String,
        zan::rulebase::ItemId,
        Facts,
        Option<chrono::NaiveDate>,
    ),
    Output,
> {
    let (loaded, warnings) = load_rules(config)?;
    let rb = &loaded.rulebase;
    let Some(question_id) = rb.lookup(question) else {
        let hint = catalogue::did_you_mean(&catalogue::suggestions(rb, question));
        return Err(Output::error(format!(
            "error: unknown question `{question}`{hint}\n  hint: `zan list` shows every question"
        )));
    };
    if matches!(rb.item(question_id).kind, ItemKind::Input { .. }) {
        return Err(Output::error(format!(
            "error: `{question}` is an input, not a question"
        )));
    }
    let mut facts = Facts::new(rb);
    let mut seen: Vec<bool> = vec![false; rb.items.len()];
    for argument in given {
        match facts::parse_given(rb, argument) {
            Ok((id, value)) => {
                given_once(rb, &mut seen, id)?;
                facts.set(id, value);
            }
            Err(e) => return Err(Output::error(given_error(&e))),
        }
    }
    let date = match as_of {
        Some(text) => match facts::parse_date(text) {
            Some(d) => Some(d),
            None => {
                return Err(Output::error(format!(
                    "error: invalid date `{text}` for --as-of: expected YYYY-MM-DD, a day that exists"
                )));
            }
        },
        None => None,
    };
    Ok((loaded, warnings, question_id, facts, date))
}

/// `zan who QUESTION --over INPUT --as-of DATE [--given NAME=VALUE]...`
pub fn who(config: &Config, options: &Who) -> Output {
    let Who {
        question,
        over,
        as_of,
        given,
        assume,
    } = options;
    let (question, over, as_of) = (question.as_str(), over.as_str(), as_of.as_deref());
    let (loaded, warnings, question_id, mut facts, date) =
        match prepare(config, question, as_of, given) {
            Ok(prepared) => prepared,
            Err(output) => return output,
        };
    let rb = &loaded.rulebase;
    if let Err(output) = assume_all(rb, &mut facts, assume) {
        return output;
    }
    let Some(date) = date else {
        return Output::error("error: no date: pass --as-of YYYY-MM-DD");
    };
    let over_id = match facts::lookup_input(rb, over) {
        Ok(id) => id,
        Err(e) => return Output::error(format!("error[{}]: --over: {e}", e.code())),
    };
    if let Err(e) = zan::who::over_enum(rb, over_id, over) {
        return Output::error(format!("error: --over {e}"));
    }
    let readings = match chosen_readings(config, rb) {
        Ok(readings) => readings,
        Err(output) => return output,
    };
    let rows = match zan::who::rows(rb, question_id, over_id, over, date, &facts, &readings) {
        Ok(rows) => rows,
        Err(zan::who::WhoError::Eval(error)) => return eval_error(config, &loaded, &error),
        Err(e) => return Output::error(format!("error: --over {e}")),
    };
    let stdout = match config.format {
        Format::Junit => return unsupported(config.format, "who", "text, json, markdown"),
        Format::Json => {
            let table = zan::who::json(rb, question_id, over, date, &rows, config.explain);
            format!("{table}\n")
        }
        Format::Text => render::text::who(rb, question_id, over, date, &rows),
        Format::Markdown => render::markdown::who(rb, question_id, over, date, &rows),
    };
    Output {
        stdout,
        stderr: warnings,
        code: 0,
    }
}

/// `zan list [--area AREA] [--kind KIND]`
pub fn list(config: &Config, filter: &catalogue::Filter) -> Output {
    let (loaded, warnings) = match load_rules(config) {
        Ok(loaded) => loaded,
        Err(output) => return output,
    };
    let rb = &loaded.rulebase;
    let entries = match catalogue::entries(rb, filter) {
        Ok(entries) => entries,
        Err(e) => return Output::error(format!("error: --area: {e}")),
    };
    let stdout = match config.format {
        Format::Junit => return unsupported(config.format, "list", "text, json, markdown"),
        Format::Text => catalogue::list_text(rb, &entries),
        Format::Json => format!("{}\n", catalogue::list_json(rb, &entries)),
        Format::Markdown => catalogue::list_markdown(rb, &entries),
    };
    Output {
        stdout,
        stderr: warnings,
        code: 0,
    }
}

/// `zan show NAME`
pub fn show(config: &Config, name: &str) -> Output {
    let (loaded, warnings) = match load_rules(config) {
        Ok(loaded) => loaded,
        Err(output) => return output,
    };
    let rb = &loaded.rulebase;
    let Some(id) = rb.lookup(name) else {
        let error = catalogue::CatalogueError::UnknownName {
            name: name.to_string(),
            suggestions: catalogue::suggestions(rb, name),
        };
        return Output::error(format!(
            "error: {error}\n  hint: `zan list` shows every name"
        ));
    };
    let stdout = match config.format {
        Format::Junit => return unsupported(config.format, "show", "text, json, markdown"),
        Format::Text => catalogue::show_text(&loaded, id),
        Format::Json => format!("{}\n", catalogue::show_json(&loaded, id)),
        Format::Markdown => catalogue::show_markdown(&loaded, id),
    };
    Output {
        stdout,
        stderr: warnings,
        code: 0,
    }
}

/// `zan serve [--addr ADDR] [limits]`: loads and checks the rules once (errors in them stop
/// it with the diagnostics and exit 2), then serves until SIGINT or SIGTERM.
pub fn serve(config: &Config, options: zan::serve::Options) -> Output {
    let (loaded, warnings) = match load_rules(config) {
        Ok(loaded) => loaded,
        Err(output) => return output,
    };
    if !warnings.is_empty() {
        eprint!("{warnings}");
    }
    match zan::serve::run(loaded, options) {
        Ok(()) => Output::default(),
        Err(e) => Output::error(format!("error: {e}")),
    }
}

/// The completion candidates of the rules `--rules` names (or the shipped ones); none when the
/// rules do not load.
pub fn completion_candidates(config: &Config) -> catalogue::Completions {
    match load_rules(config) {
        Ok((loaded, _)) => catalogue::completions(&loaded.rulebase),
        Err(_) => catalogue::Completions::default(),
    }
}

/// `zan diff --from DATE --to DATE [--area AREA] [--name NAME]`
pub fn diff(config: &Config, options: &Diff) -> Output {
    let Diff {
        from,
        to,
        area,
        name,
    } = options;
    let (area, name) = (area.as_deref(), name.as_deref());
    let (loaded, warnings) = match load_rules(config) {
        Ok(loaded) => loaded,
        Err(output) => return output,
    };
    let parse = |flag: &str, text: &str| {
        facts::parse_date(text).ok_or_else(|| {
            Output::error(format!(
                "error: invalid date `{text}` for {flag}: expected YYYY-MM-DD, a day that exists"
            ))
        })
    };
    let (from_date, to_date) = match (parse("--from", from), parse("--to", to)) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(output), _) | (_, Err(output)) => return output,
    };
    if from_date > to_date {
        return Output::error(format!(
            "error: --from {from_date} is after --to {to_date}: the period runs from the earlier date to the later"
        ));
    }
    let rb = &loaded.rulebase;
    let mut filter = zan::diff::Filter::default();
    if let Some(area) = area {
        match rb.area_named(area) {
            Some(id) => filter.area = Some(id),
            None => {
                let error = catalogue::CatalogueError::UnknownArea {
                    area: area.to_string(),
                    areas: rb.areas.iter().map(|a| a.name.clone()).collect(),
                };
                return Output::error(format!("error: --area: {error}"));
            }
        }
    }
    if let Some(name) = name {
        if !rb.names.keys().any(|n| n.starts_with(name)) {
            let hint = catalogue::did_you_mean(&catalogue::suggestions(rb, name));
            return Output::error(format!(
                "error: --name: no question, input or parameter is named `{name}` or begins with it{hint}"
            ));
        }
        filter.name = Some(name.to_string());
    }
    let changes = zan::diff::history(rb, from_date, to_date, &filter);
    // Contested points that begin or end, after the changes of the law.
    let points = render::readings::diff(rb, from_date, to_date, &filter);
    let stdout = match config.format {
        Format::Junit => return unsupported(config.format, "diff", "text, json, markdown"),
        Format::Text => {
            render::diff::text(rb, from_date, to_date, &changes)
                + &render::readings::diff_text(rb, &points)
        }
        Format::Json => format!(
            "{}\n",
            render::readings::diff_document(rb, from_date, to_date, &changes, &points)
        ),
        Format::Markdown => {
            render::diff::markdown(rb, from_date, to_date, &changes)
                + &render::readings::diff_markdown(rb, &points)
        }
    };
    Output {
        stdout,
        stderr: warnings,
        code: 0,
    }
}

/// `zan fmt [--check] PATH...`
///
/// Files that are not UTF-8 are skipped with a note, as are files whose first line holds
/// `zan-fmt: skip` (fixtures whose exact bytes are the point, such as CRLF line endings). A
/// file that does not parse is refused and left untouched: its syntax errors are printed and
/// the command exits 2 once the other files are done. `--check` prints what would change as a
/// unified diff.
///
/// Each file is replaced through [`zan::output::OutputFile`], and only if it still holds what
/// was read; a file that cannot be replaced safely (read-only, hard-linked, edited meanwhile)
/// is left as it is with a message, the others are still formatted, and the exit code is 2.
pub fn fmt(paths: &[PathBuf], check: bool) -> Output {
    let files = match load::collect_files(paths) {
        Ok(files) => files,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    if files.is_empty() {
        return Output::error("error: no .zan files found in the paths given");
    }
    let mut changed = Vec::new();
    let mut stderr = String::new();
    let mut skipped = 0;
    let mut refused = 0;
    let mut failed = 0;
    let mut diffs = String::new();
    for path in &files {
        let original = match zan::source::read_text(path, zan::source::Contents::Rules) {
            Ok(text) => text,
            Err(zan::source::ReadError::NotUtf8 { .. }) => {
                stderr.push_str(&format!(
                    "note: skipped `{}`: not UTF-8 text\n",
                    path.display()
                ));
                skipped += 1;
                continue;
            }
            Err(e) => return Output::error(format!("error: {e}")),
        };
        if original
            .lines()
            .next()
            .is_some_and(|line| line.contains("zan-fmt: skip"))
        {
            skipped += 1;
            continue;
        }
        let mut sources = zan::source::SourceMap::new();
        let file = sources.add(path.display().to_string(), original.clone());
        let (_, syntax_errors) = zan::parse::parse_file(&sources, file);
        if !syntax_errors.is_empty() {
            stderr.push_str(&diagnostic::render(&sources, &syntax_errors));
            stderr.push_str(&format!(
                "error: refused to format `{}`: it does not parse; the file is untouched\n",
                path.display()
            ));
            refused += 1;
            continue;
        }
        let formatted = zan::fmt::format(&original);
        if !zan::fmt::same_tokens(&original, &formatted) {
            // Formatting moves only white space; anything else is a bug, and the file is kept.
            stderr.push_str(&format!(
                "error: refused to format `{}`: the layout would change more than white space (a bug in zan fmt); the file is untouched\n",
                path.display()
            ));
            refused += 1;
            continue;
        }
        if formatted != original {
            if check {
                let name = path.display().to_string();
                diffs.push_str(
                    &similar::TextDiff::from_lines(&original, &formatted)
                        .unified_diff()
                        .context_radius(2)
                        .header(&name, &name)
                        .to_string(),
                );
            } else {
                // Replaced whole, and only if nobody edited the file meanwhile.
                let written = zan::output::OutputFile::create(path, &[])
                    .map(|file| file.unless_changed_from(original.as_bytes()))
                    .and_then(|file| file.write_and_commit(formatted.as_bytes()));
                match written {
                    Ok(()) => {}
                    // Another `zan fmt` got there first with the same layout: nothing is lost.
                    Err(zan::output::WriteError::Changed { .. })
                        if std::fs::read(path).is_ok_and(|now| now == formatted.as_bytes()) => {}
                    Err(e) => {
                        stderr.push_str(&format!("error: {e}\n"));
                        failed += 1;
                        continue;
                    }
                }
            }
            changed.push(path.display().to_string());
        }
    }
    let mut stdout = diffs;
    for name in &changed {
        stdout.push_str(&format!(
            "{} {name}\n",
            if check { "would reformat" } else { "formatted" }
        ));
    }
    stdout.push_str(&format!(
        "{} file(s) checked, {} {}, {skipped} skipped, {refused} refused{}\n",
        files.len(),
        changed.len(),
        if check { "would change" } else { "changed" },
        if failed > 0 {
            format!(", {failed} not written")
        } else {
            String::new()
        }
    ));
    Output {
        stdout,
        stderr,
        code: if refused > 0 || failed > 0 {
            2
        } else if check && !changed.is_empty() {
            1
        } else {
            0
        },
    }
}

/// `zan batch QUESTION --input FILE.jsonl|- [--output FILE] [--as-of DATE]`
///
/// The answers are streamed to standard output (or `--output`) as they are made; the summary
/// goes to standard error. Exit 0 when every line was answered, 1 when some lines were
/// rejected (each has an error object), 2 when the batch could not run.
pub fn batch(config: &Config, options: &Batch) -> Output {
    let Batch {
        question,
        input,
        output,
        as_of,
        assume,
    } = options;
    let (question, input, output, as_of) = (
        question.as_str(),
        input.as_path(),
        output.as_deref(),
        as_of.as_deref(),
    );
    let (loaded, warnings, question_id, _, default_date) =
        match prepare(config, question, as_of, &[]) {
            Ok(prepared) => prepared,
            Err(output) => return output,
        };
    let readings = match chosen_readings(config, &loaded.rulebase) {
        Ok(readings) => readings,
        Err(output) => return output,
    };
    let mut assumed = Facts::new(&loaded.rulebase);
    if let Err(output) = assume_all(&loaded.rulebase, &mut assumed, assume) {
        return output;
    }
    let job = zan::batch::Job {
        rulebase: &loaded.rulebase,
        question: question_id,
        default_date,
        content: if config.answer_only {
            zan::batch::Content::AnswerOnly
        } else {
            zan::batch::Content::Trace(config.explain)
        },
        format: config.batch_format,
        assumptions: assumed.assumptions(),
        readings: &readings,
    };
    let mut sink = match zan::batch::BatchSink::open(output, input) {
        Ok(sink) => sink,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let from_stdin = input == Path::new("-");
    let (reader, size): (Box<dyn std::io::BufRead>, Option<u64>) = if from_stdin {
        (Box::new(std::io::stdin().lock()), None)
    } else {
        match std::fs::File::open(input) {
            Ok(file) => {
                let size = file.metadata().ok().map(|m| m.len());
                (
                    Box::new(std::io::BufReader::with_capacity(1 << 18, file)),
                    size,
                )
            }
            Err(e) => {
                return Output::error(format!("error: cannot read `{}`: {e}", input.display()));
            }
        }
    };

    use std::io::IsTerminal;
    let progress = size
        .filter(|size| *size >= 1 << 20 && std::io::stderr().is_terminal())
        .map(indicatif::ProgressBar::new);
    let result = zan::batch::run(
        &job,
        reader,
        &mut sink,
        zan::batch::default_workers(),
        progress.as_ref(),
    );
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    let finished = match result {
        Ok(summary) => sink
            .finish()
            .map(|()| summary)
            .map_err(zan::batch::BatchError::Write),
        Err(e) => {
            sink.abandon();
            Err(e)
        }
    };
    let summary = match finished {
        Ok(summary) => summary,
        // The reader of standard output went away (`zan batch ... | head -1`): stop quietly,
        // as other command-line tools do.
        Err(zan::batch::BatchError::Write(e))
            if output.is_none() && e.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            return Output {
                stdout: String::new(),
                stderr: String::new(),
                code: 0,
            };
        }
        Err(zan::batch::BatchError::Write(e)) if output.is_none() => {
            return Output::error(format!(
                "{warnings}error: cannot write to standard output: {e}"
            ));
        }
        Err(e) => return Output::error(format!("{warnings}error: {e}")),
    };
    Output {
        stdout: String::new(),
        stderr: format!("{warnings}batch: {}\n", summary.describe()),
        code: if summary.rejected > 0 { 1 } else { 0 },
    }
}
