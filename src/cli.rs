//! The commands behind the `zan` binary, as functions from a [`Config`] to an [`Output`]
//! (what to print and the exit code). They only wire the stages together: load, check,
//! evaluate, render.

use crate::catalogue;
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
    /// Colour in text output: only on a terminal, and never when `NO_COLOR` is set.
    pub color: bool,
    /// Colour in diagnostics on standard error, by the same rule.
    pub color_diagnostics: bool,
}

/// Wraps `text` in an ANSI colour when colour is on.
fn paint(config: &Config, text: &str, code: &str) -> String {
    if config.color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Colours the first line of a text answer by its status.
fn paint_headline(config: &Config, rendered: String, answer: &eval::Answer) -> String {
    if !config.color {
        return rendered;
    }
    let code = match (answer.status, &answer.value) {
        (eval::Status::Answered, Some(crate::rulebase::Value::Bool(false))) => "1;31",
        (eval::Status::Answered, _) => "1;32",
        _ => "1;33",
    };
    match rendered.split_once('\n') {
        Some((first, rest)) => format!("{}\n{rest}", paint(config, first, code)),
        None => paint(config, &rendered, code),
    }
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
    if matches!(config.format, Format::Junit) {
        return unsupported(config.format, "check", "text, json, markdown");
    }
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
    let rendered = diagnostic::render_with(
        &loaded.sources,
        &loaded.diagnostics,
        config.color_diagnostics,
    );
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
    if config.format == Format::Json {
        let summary = crate::report::CheckSummary {
            files,
            askable: rb.askable().count(),
            rules,
        };
        return Output {
            stdout: format!(
                "{}\n",
                crate::report::check_json(&loaded.sources, &loaded.diagnostics, &summary)
            ),
            stderr: String::new(),
            code: if errors == 0 { 0 } else { 2 },
        };
    }
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

/// `zan ask QUESTION --as-of DATE [--given NAME=VALUE]... [--facts FILE] [--interactive]`
pub fn ask(
    config: &Config,
    question: &str,
    as_of: Option<&str>,
    given: &[String],
    facts_file: Option<&Path>,
    interactive: bool,
) -> Output {
    let (loaded, warnings, question_id, mut facts, mut date) =
        match prepare(config, question, as_of, &[]) {
            Ok(prepared) => prepared,
            Err(output) => return output,
        };
    let rb = &loaded.rulebase;
    if let Some(path) = facts_file {
        let text = match crate::source::read_text(path, crate::source::Contents::Facts) {
            Ok(text) => text,
            Err(e) => return Output::error(format!("error: {e}")),
        };
        match facts::from_json(rb, &text) {
            Ok(json) => {
                date = date.or(json.as_of);
                for (id, value) in json.given {
                    facts.set(id, value);
                }
            }
            Err(e) => return Output::error(format!("error: {}: {e}", path.display())),
        }
    }
    // Facts on the command line come after the file, so they override it.
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
    let Some(date) = date else {
        return Output::error(
            "error: no date: every answer is \"as of\" a date; pass --as-of YYYY-MM-DD (or \"as_of\" in --facts)",
        );
    };
    let mut answer = match eval::answer(rb, question_id, date, &facts) {
        Ok(answer) => answer,
        Err(error) => return eval_error(config, &loaded, &error),
    };
    if interactive {
        use std::io::IsTerminal;
        if !std::io::stdin().is_terminal() {
            return Output::error("error: --interactive needs a terminal on standard input");
        }
        while ask_for_missing(rb, &answer, &mut facts) > 0 {
            answer = match eval::answer(rb, question_id, date, &facts) {
                Ok(answer) => answer,
                Err(error) => return eval_error(config, &loaded, &error),
            };
        }
    }
    let stdout = match config.format {
        Format::Junit => return unsupported(config.format, "ask", "text, json, markdown"),
        Format::Text => paint_headline(
            config,
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
        stderr: warnings,
        code: 0,
    }
}

/// An evaluation error (division by zero, overflow, ...) shown like any other diagnostic: the
/// rule's source line with a caret, and what to do about it.
fn eval_error(config: &Config, loaded: &Loaded, error: &eval::EvalError) -> Output {
    let mut diagnostic = crate::diagnostic::Diagnostic::error(error.message.clone()).hint(
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

/// Asks on the terminal for each missing fact; returns how many were given.
fn ask_for_missing(
    rb: &crate::rulebase::Rulebase,
    answer: &eval::Answer,
    facts: &mut Facts,
) -> usize {
    use std::io::{BufRead, Write};
    let mut given = 0;
    for missing in &answer.missing {
        let eval::Missing::Fact { item, .. } = missing else {
            continue;
        };
        let def = rb.item(*item);
        loop {
            let prompt = format!(
                "{} ({}): {}\n(empty to skip) > ",
                def.name,
                rb.type_name(def.ty),
                def.text
            );
            // A prompt that cannot be shown ends the questions; the answer so far stands.
            let mut stderr = std::io::stderr().lock();
            if stderr
                .write_all(crate::output::escape_controls(&prompt, false).as_bytes())
                .and_then(|()| stderr.flush())
                .is_err()
            {
                return given;
            }
            drop(stderr);
            let mut line = String::new();
            match std::io::stdin().lock().read_line(&mut line) {
                Ok(0) | Err(_) => return given,
                Ok(_) => {}
            }
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            match facts::parse_given(rb, &format!("{}={line}", def.name)) {
                Ok((id, value)) => {
                    facts.set(id, value);
                    given += 1;
                    break;
                }
                Err(e) => {
                    let message = format!("{e}\n");
                    let shown = crate::output::escape_controls(&message, false);
                    if std::io::stderr().write_all(shown.as_bytes()).is_err() {
                        return given;
                    }
                }
            }
        }
    }
    given
}

/// `zan run PATH... [--filter TEXT] [--verbose] [-q]`
pub fn run(
    config: &Config,
    paths: &[PathBuf],
    filter: Option<&str>,
    verbose: bool,
    quiet: bool,
) -> Output {
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
            .read_as(path, crate::source::Contents::Scenarios)
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
            results.push((file_name.clone(), location, scenario::run(rb, scenario)));
        }
    }
    let failed = results.iter().filter(|(_, _, r)| !r.passed()).count();
    let passed = results.len() - failed;
    let code = if failed > 0 { 1 } else { 0 };
    if matches!(config.format, Format::Json | Format::Junit) {
        let ran: Vec<crate::report::Ran<'_>> = results
            .iter()
            .map(|(file, location, result)| crate::report::Ran {
                file: file.clone(),
                location: location.clone(),
                result,
            })
            .collect();
        let stdout = if config.format == Format::Json {
            format!("{}\n", crate::report::run_json(rb, &ran))
        } else {
            crate::report::run_junit(rb, &ran)
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
                paint(config, verdict, if result.passed() { "32" } else { "1;31" })
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
        crate::rulebase::ItemId,
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
    for argument in given {
        match facts::parse_given(rb, argument) {
            Ok((id, value)) => facts.set(id, value),
            Err(e) => {
                return Err(Output::error(if e.starts_with("error") {
                    e
                } else {
                    format!("error: {e}")
                }));
            }
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
pub fn who(
    config: &Config,
    question: &str,
    over: &str,
    as_of: Option<&str>,
    given: &[String],
) -> Output {
    let (loaded, warnings, question_id, facts, date) = match prepare(config, question, as_of, given)
    {
        Ok(prepared) => prepared,
        Err(output) => return output,
    };
    let rb = &loaded.rulebase;
    let Some(date) = date else {
        return Output::error("error: no date: pass --as-of YYYY-MM-DD");
    };
    let over_id = match facts::lookup_input(rb, over) {
        Ok(id) => id,
        Err(e) => return Output::error(format!("error: --over: {e}")),
    };
    let crate::rulebase::Type::Enum(enum_id) = rb.item(over_id).ty else {
        return Output::error(format!(
            "error: --over `{over}` is a `{}`, not an enumeration: `who` goes through every value of an enum input",
            rb.type_name(rb.item(over_id).ty)
        ));
    };
    let variants = &rb.enums[enum_id.0 as usize].variants;
    let mut rows = Vec::new();
    for (idx, variant) in variants.iter().enumerate() {
        let mut facts = facts.clone();
        facts.set(over_id, crate::rulebase::Value::Enum(enum_id, idx as u32));
        match eval::answer(rb, question_id, date, &facts) {
            Ok(answer) => rows.push((variant.clone(), answer)),
            Err(error) => return eval_error(config, &loaded, &error),
        }
    }
    let stdout = match config.format {
        Format::Junit => return unsupported(config.format, "who", "text, json, markdown"),
        Format::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|(variant, answer)| {
                    let mut object = serde_json::Map::new();
                    object.insert("value".into(), serde_json::Value::from(variant.clone()));
                    if let serde_json::Value::Object(mut rest) =
                        render::json::answer_with(rb, answer, config.explain)
                    {
                        // One receipt, on the table.
                        rest.shift_remove("receipt");
                        object.extend(rest);
                    }
                    serde_json::Value::Object(object)
                })
                .collect();
            let table = serde_json::json!({
                "question": rb.item(question_id).name,
                "over": over,
                "as_of": date.to_string(),
                "rows": items,
                "receipt": {"engine": format!("zan {}", env!("CARGO_PKG_VERSION")), "rules_sha256": rb.digest},
            });
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
pub fn serve(config: &Config, options: crate::serve::Options) -> Output {
    let (loaded, warnings) = match load_rules(config) {
        Ok(loaded) => loaded,
        Err(output) => return output,
    };
    if !warnings.is_empty() {
        eprint!("{warnings}");
    }
    match crate::serve::run(loaded, options) {
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
pub fn diff(
    config: &Config,
    from: &str,
    to: &str,
    area: Option<&str>,
    name: Option<&str>,
) -> Output {
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
    let mut filter = crate::diff::Filter::default();
    if let Some(area) = area {
        match rb.areas.iter().position(|a| a.name == area) {
            Some(idx) => filter.area = Some(crate::rulebase::AreaId(idx as u32)),
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
    let changes = crate::diff::history(rb, from_date, to_date, &filter);
    let stdout = match config.format {
        Format::Junit => return unsupported(config.format, "diff", "text, json, markdown"),
        Format::Text => render::diff::text(rb, from_date, to_date, &changes),
        Format::Json => format!("{}\n", render::diff::json(rb, from_date, to_date, &changes)),
        Format::Markdown => render::diff::markdown(rb, from_date, to_date, &changes),
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
/// Each file is replaced through [`crate::output::OutputFile`], and only if it still holds what
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
        let original = match crate::source::read_text(path, crate::source::Contents::Rules) {
            Ok(text) => text,
            Err(crate::source::ReadError::NotUtf8 { .. }) => {
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
        let mut sources = crate::source::SourceMap::new();
        let file = sources.add(path.display().to_string(), original.clone());
        let (_, syntax_errors) = crate::parse::parse_file(&sources, file);
        if !syntax_errors.is_empty() {
            stderr.push_str(&diagnostic::render(&sources, &syntax_errors));
            stderr.push_str(&format!(
                "error: refused to format `{}`: it does not parse; the file is untouched\n",
                path.display()
            ));
            refused += 1;
            continue;
        }
        let formatted = crate::fmt::format(&original);
        if !crate::fmt::same_tokens(&original, &formatted) {
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
                let written = crate::output::OutputFile::create(path, &[])
                    .map(|file| file.expect(original.as_bytes()))
                    .and_then(|file| file.write_and_commit(formatted.as_bytes()));
                match written {
                    Ok(()) => {}
                    // Another `zan fmt` got there first with the same layout: nothing is lost.
                    Err(crate::output::WriteError::Changed { .. })
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

/// The largest batch input read, in bytes (1 GiB).
pub const MAX_BATCH_BYTES: u64 = 1 << 30;

/// One line of a batch: its number and text.
pub struct BatchLine {
    pub number: usize,
    pub text: String,
}

/// What every line of a batch is asked.
#[derive(Clone, Copy)]
pub struct BatchJob<'r> {
    pub rulebase: &'r crate::rulebase::Rulebase,
    pub question: crate::rulebase::ItemId,
    /// The date for lines without `as_of`.
    pub default_date: Option<chrono::NaiveDate>,
    pub explain: Explain,
}

/// Answers one JSON Lines record; a bad record gives an error object, never an abort.
fn batch_one(job: BatchJob<'_>, line: &BatchLine) -> (String, bool) {
    let rb = job.rulebase;
    let error = |message: String| {
        (
            serde_json::json!({"line": line.number, "error": message}).to_string(),
            false,
        )
    };
    let json = match facts::from_json(rb, &line.text) {
        Ok(json) => json,
        Err(e) => return error(e.to_string()),
    };
    let Some(date) = json.as_of.or(job.default_date) else {
        return error("no date: give \"as_of\" on the line or --as-of for the batch".to_string());
    };
    let mut facts = Facts::new(rb);
    for (id, value) in json.given {
        facts.set(id, value);
    }
    match eval::answer_in_place(rb, job.question, date, &facts) {
        Ok(answer) => {
            let mut object = serde_json::Map::new();
            object.insert("line".into(), serde_json::Value::from(line.number));
            if let serde_json::Value::Object(rest) =
                render::json::answer_with(rb, &answer, job.explain)
            {
                object.extend(rest);
            }
            (serde_json::Value::Object(object).to_string(), true)
        }
        Err(e) => error(e.message),
    }
}

/// Answers every line, in input order, using every core when the batch is large enough.
pub fn batch_answers(
    job: BatchJob<'_>,
    lines: &[BatchLine],
    progress: Option<&indicatif::ProgressBar>,
) -> Vec<(String, bool)> {
    let answer_all = |part: &[BatchLine]| -> Vec<(String, bool)> {
        part.iter()
            .map(|line| {
                let result = batch_one(job, line);
                if let Some(bar) = progress {
                    bar.inc(1);
                }
                result
            })
            .collect()
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(16);
    if workers <= 1 || lines.len() < 256 {
        return eval::on_big_stack(|| answer_all(lines));
    }
    let chunk = lines.len().div_ceil(workers);
    // Each worker gets the evaluator's large stack once and answers its whole share in place.
    std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(chunk)
            .map(|part| {
                std::thread::Builder::new()
                    .stack_size(eval::EVAL_STACK_BYTES)
                    .spawn_scoped(scope, move || answer_all(part))
            })
            .collect();
        handles
            .into_iter()
            .zip(lines.chunks(chunk))
            .flat_map(|(handle, part)| match handle {
                Ok(handle) => handle.join().unwrap_or_default(),
                // No thread: answer this share here, on a large stack of its own.
                Err(_) => eval::on_big_stack(|| answer_all(part)),
            })
            .collect()
    })
}

/// `zan batch QUESTION --input FILE.jsonl [--output FILE] [--as-of DATE]`
pub fn batch(
    config: &Config,
    question: &str,
    input: &Path,
    output: Option<&Path>,
    as_of: Option<&str>,
) -> Output {
    let (loaded, warnings, question_id, _, default_date) =
        match prepare(config, question, as_of, &[]) {
            Ok(prepared) => prepared,
            Err(output) => return output,
        };
    let rb = &loaded.rulebase;
    // The output file is opened before the input is read: a target that cannot be written is
    // refused before any work is done.
    let output_file = match output.map(|path| crate::output::OutputFile::create(path, &[input])) {
        Some(Ok(file)) => Some(file),
        Some(Err(e)) => return Output::error(format!("error: {e}")),
        None => None,
    };
    // A line that is not UTF-8 becomes an error object of its own; the batch goes on.
    let text = match crate::source::read_bytes(input, MAX_BATCH_BYTES) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let lines: Vec<BatchLine> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(idx, line)| BatchLine {
            number: idx + 1,
            text: line.to_string(),
        })
        .collect();
    use std::io::IsTerminal;
    let progress = (std::io::stderr().is_terminal() && lines.len() >= 1000)
        .then(|| indicatif::ProgressBar::new(lines.len() as u64));
    let job = BatchJob {
        rulebase: rb,
        question: question_id,
        default_date,
        explain: config.explain,
    };
    let results = batch_answers(job, &lines, progress.as_ref());
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    let answered = results.iter().filter(|(_, ok)| *ok).count();
    let mut body = String::new();
    for (line, _) in &results {
        body.push_str(line);
        body.push('\n');
    }
    let summary = format!(
        "{warnings}batch: {} line(s): {answered} answered, {} error(s)\n",
        results.len(),
        results.len() - answered
    );
    match output_file {
        Some(file) => {
            if let Err(e) = file.write_and_commit(body.as_bytes()) {
                return Output::error(format!("error: {e}"));
            }
            Output {
                stdout: String::new(),
                stderr: summary,
                code: 0,
            }
        }
        None => Output {
            stdout: body,
            stderr: summary,
            code: 0,
        },
    }
}
