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
    /// `--explain none`: answers without their trace (`zan batch` only).
    pub answer_only: bool,
    /// `--format csv` (`zan batch` only) or JSON Lines.
    pub batch_format: crate::batch::Format,
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
        let text = match crate::source::read_text(path, crate::source::MAX_FILE_BYTES) {
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
            eprint!(
                "{} ({}): {}\n(empty to skip) > ",
                def.name,
                rb.type_name(def.ty),
                def.text
            );
            let _ = std::io::stderr().flush();
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
                Err(e) => eprintln!("{e}"),
            }
        }
    }
    given
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
            diagnostic::render_with(&loaded.sources, &diagnostics, config.color_diagnostics)
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
            let rendered = render::text::scenario(rb, &location, &result, config.explain, verbose);
            let rendered = match rendered.split_at_checked(4) {
                Some((verdict, rest)) if config.color => format!(
                    "{}{rest}",
                    paint(config, verdict, if result.passed() { "32" } else { "1;31" })
                ),
                _ => rendered,
            };
            stdout.push_str(&rendered);
        }
    }
    stdout.push_str(&format!("{passed} passed, {failed} failed\n"));
    Output {
        stdout,
        stderr: warnings,
        code: if failed > 0 { 1 } else { 0 },
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
        let hint = rb
            .suggest(question)
            .map(|s| format!("\n  hint: did you mean `{s}`?"))
            .unwrap_or_default();
        return Err(Output::error(format!(
            "error: unknown question `{question}`{hint}"
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
        Format::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|(variant, answer)| {
                    let mut object = serde_json::Map::new();
                    object.insert("over".into(), serde_json::json!({over: variant}));
                    if let serde_json::Value::Object(rest) =
                        render::json::answer_with(rb, answer, config.explain)
                    {
                        object.extend(rest);
                    }
                    serde_json::Value::Object(object)
                })
                .collect();
            format!("{}\n", serde_json::Value::Array(items))
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

/// `zan diff --from DATE --to DATE`
pub fn diff(config: &Config, from: &str, to: &str) -> Output {
    let (loaded, warnings) = match load_rules(config) {
        Ok(loaded) => loaded,
        Err(output) => return output,
    };
    let (Some(from_date), Some(to_date)) = (facts::parse_date(from), facts::parse_date(to)) else {
        return Output::error(format!(
            "error: invalid date in --from {from} --to {to}: expected YYYY-MM-DD, days that exist"
        ));
    };
    let rb = &loaded.rulebase;
    let changes = crate::diff::diff(rb, from_date, to_date);
    let stdout = match config.format {
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
/// file that does not parse is still laid out: formatting only moves white space, so it cannot
/// change what the file says, and the parse error is left for `zan check` to report.
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
    for path in &files {
        let original = match crate::source::read_text(path, crate::source::MAX_FILE_BYTES) {
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
        let formatted = crate::fmt::format(&original);
        if formatted != original {
            changed.push(path.display().to_string());
            if !check {
                // Write beside the file, then rename: a crash never leaves half a file.
                let temporary = path.with_extension("zan.fmt-tmp");
                if let Err(e) = std::fs::write(&temporary, &formatted)
                    .and_then(|()| std::fs::rename(&temporary, path))
                {
                    stderr.push_str(&format!("error: cannot write `{}`: {e}\n", path.display()));
                    return Output {
                        stdout: String::new(),
                        stderr,
                        code: 2,
                    };
                }
            }
        }
    }
    let mut stdout = String::new();
    for name in &changed {
        stdout.push_str(&format!(
            "{} {name}\n",
            if check { "would reformat" } else { "formatted" }
        ));
    }
    stdout.push_str(&format!(
        "{} file(s) checked, {} {}, {skipped} skipped\n",
        files.len(),
        changed.len(),
        if check { "would change" } else { "changed" }
    ));
    Output {
        stdout,
        stderr,
        code: if check && !changed.is_empty() { 1 } else { 0 },
    }
}

/// Where `zan batch` writes: standard output, or a file that replaces its target only once
/// the batch has finished (written beside it, then renamed over it).
pub enum BatchSink {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    File {
        temporary: PathBuf,
        target: PathBuf,
        file: std::io::BufWriter<std::fs::File>,
    },
}

impl BatchSink {
    /// Opens the sink for `--output` (or standard output without it).
    pub fn open(output: Option<&Path>) -> std::io::Result<BatchSink> {
        const BUFFER: usize = 1 << 18;
        Ok(match output {
            None => BatchSink::Stdout(std::io::BufWriter::with_capacity(
                BUFFER,
                std::io::stdout().lock(),
            )),
            Some(path) => {
                let temporary = path.with_extension("zan-tmp");
                let file = std::fs::File::create(&temporary)?;
                BatchSink::File {
                    temporary,
                    target: path.to_path_buf(),
                    file: std::io::BufWriter::with_capacity(BUFFER, file),
                }
            }
        })
    }

    /// Flushes, and puts a finished file in place.
    pub fn finish(self) -> std::io::Result<()> {
        use std::io::Write;
        match self {
            BatchSink::Stdout(mut out) => out.flush(),
            BatchSink::File {
                temporary,
                target,
                file,
            } => {
                file.into_inner().map_err(|e| e.into_error())?;
                std::fs::rename(&temporary, &target)
            }
        }
    }

    /// Leaves the target as it was after a failed batch.
    pub fn abandon(self) {
        if let BatchSink::File { temporary, .. } = self {
            let _ = std::fs::remove_file(temporary);
        }
    }
}

impl std::io::Write for BatchSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            BatchSink::Stdout(out) => out.write(bytes),
            BatchSink::File { file, .. } => file.write(bytes),
        }
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            BatchSink::Stdout(out) => out.write_all(bytes),
            BatchSink::File { file, .. } => file.write_all(bytes),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            BatchSink::Stdout(out) => out.flush(),
            BatchSink::File { file, .. } => file.flush(),
        }
    }
}

/// `zan batch QUESTION --input FILE.jsonl|- [--output FILE] [--as-of DATE]`
///
/// The answers are streamed to standard output (or `--output`) as they are made; the summary
/// goes to standard error. Exit 0 when every line was answered, 1 when some lines were
/// rejected (each has an error object), 2 when the batch could not run.
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
    let job = crate::batch::Job {
        rulebase: &loaded.rulebase,
        question: question_id,
        default_date,
        content: if config.answer_only {
            crate::batch::Content::AnswerOnly
        } else {
            crate::batch::Content::Trace(config.explain)
        },
        format: config.batch_format,
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
    let mut sink = match BatchSink::open(output) {
        Ok(sink) => sink,
        Err(e) => {
            let shown = output.map_or_else(|| "-".to_string(), |p| p.display().to_string());
            return Output::error(format!("error: cannot write `{shown}`: {e}"));
        }
    };
    use std::io::IsTerminal;
    let progress = size
        .filter(|size| *size >= 1 << 20 && std::io::stderr().is_terminal())
        .map(indicatif::ProgressBar::new);
    let result = crate::batch::run(
        &job,
        reader,
        &mut sink,
        crate::batch::default_workers(),
        progress.as_ref(),
    );
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    let finished = match result {
        Ok(summary) => sink
            .finish()
            .map(|()| summary)
            .map_err(crate::batch::BatchError::Write),
        Err(e) => {
            sink.abandon();
            Err(e)
        }
    };
    let summary = match finished {
        Ok(summary) => summary,
        Err(e) => return Output::error(format!("{warnings}error: {e}")),
    };
    Output {
        stdout: String::new(),
        stderr: format!("{warnings}batch: {}\n", summary.describe()),
        code: if summary.rejected > 0 { 1 } else { 0 },
    }
}
