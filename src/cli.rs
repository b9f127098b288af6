//! The commands behind the `zan` binary, as functions from a [`Config`] to an [`Output`]
//! (what to print and the exit code). They only wire the stages together: load, check,
//! evaluate, render.

use std::path::{Path, PathBuf};
use zan::catalogue;
use zan::code::Code;
use zan::diagnostic::{self, has_errors};
use zan::eval::{self, Facts};
use zan::facts;
use zan::load::{self, Loaded};
use zan::render::{self, text::Explain};
use zan::usage::UsageProblem;

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
fn unsupported(format: Format, command: &'static str, formats: &'static str) -> Output {
    Output::usage(UsageProblem::UnsupportedFormat {
        command,
        format: format.name(),
        expected: formats,
    })
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
    zan::args::readings(rb, &config.readings).map_err(Output::usage)
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
    /// The refusal's code and message, when the command was refused for a problem that has
    /// one: `ask` and `who` print it as a JSON error object under `--format json`.
    pub refusal: Option<(Code, String)>,
}

impl Output {
    /// A refusal printed as it is (the rules' own diagnostics), whatever the format.
    fn error(message: impl Into<String>) -> Output {
        let mut stderr: String = message.into();
        if !stderr.ends_with('\n') {
            stderr.push('\n');
        }
        Output {
            stdout: String::new(),
            stderr,
            code: 2,
            refusal: None,
        }
    }

    /// A refusal for a problem with a stable code: `error[CODE]: message`.
    fn coded(code: Code, message: impl std::fmt::Display) -> Output {
        let message = message.to_string();
        let mut output = Output::error(format!("error[{code}]: {message}"));
        output.refusal = Some((code, message));
        output
    }

    fn usage(problem: UsageProblem) -> Output {
        Output::coded(problem.code(), problem)
    }

    fn read(error: &zan::source::ReadError) -> Output {
        Output::coded(error.code(), error)
    }

    /// Under `--format json`, a refusal with a code becomes the JSON contract's error object
    /// on standard output (same exit code); otherwise the output is left as it is.
    fn json_refusal(self, format: Format) -> Output {
        match (&self.refusal, format) {
            (Some((code, message)), Format::Json) => Output {
                stdout: format!("{}\n", render::json::error(*code, message)),
                stderr: String::new(),
                code: self.code,
                refusal: self.refusal,
            },
            _ => self,
        }
    }
}

/// Loads the rules named by `--rules` (or the embedded ones). Errors in the rules stop the
/// command with exit 2; warnings are printed and the command goes on.
fn load_rules(config: &Config) -> Result<(Loaded, String), Output> {
    let loaded = if config.rules.is_empty() {
        load::load_embedded()
    } else {
        load::load_paths(&config.rules).map_err(|e| Output::read(&e))?
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
    let alone = match zan::companions::for_check(paths, &config.rules) {
        Ok(alone) => alone,
        Err(e) => return Output::read(&e),
    };
    let loaded = &alone.loaded;
    let summary = zan::report::CheckSummary::of(&alone);
    let code = if has_errors(&loaded.diagnostics) {
        2
    } else {
        0
    };
    if config.format == Format::Json {
        return Output {
            stdout: format!(
                "{}\n",
                zan::report::check_json(&loaded.sources, &loaded.diagnostics, &summary)
            ),
            stderr: String::new(),
            code,
            refusal: None,
        };
    }
    let rendered = diagnostic::render_with(
        &loaded.sources,
        &loaded.diagnostics,
        config.color_diagnostics,
    );
    let text = zan::report::check_text(&loaded.diagnostics, &summary);
    Output {
        // Clean: the summary is the result. With errors, it closes the diagnostics.
        stdout: if code == 0 {
            text.clone()
        } else {
            String::new()
        },
        stderr: if code == 0 {
            rendered
        } else {
            format!("{rendered}{text}")
        },
        code,
        refusal: None,
    }
}

/// `zan ask QUESTION --as-of DATE [--given NAME=VALUE]... [--facts FILE] [--interactive]`
///
/// Under `--format json`, a refusal for a problem with the arguments or the facts is printed
/// as the JSON contract's error object on standard output (same exit code).
pub fn ask(config: &Config, options: &Ask) -> Output {
    ask_output(config, options).json_refusal(config.format)
}

fn ask_output(config: &Config, options: &Ask) -> Output {
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
        return Output::usage(UsageProblem::NotATerminal);
    }
    let (loaded, warnings, question_id) = match prepare(config, question) {
        Ok(prepared) => prepared,
        Err(output) => return output,
    };
    // One answer, then the process exits: the rules are left for the exit to free (freeing
    // the rulebase piece by piece took a sixth of a cold `zan ask`).
    let loaded: &Loaded = Box::leak(Box::new(loaded));
    let rb = &loaded.rulebase;
    let date = match zan::args::date("--as-of", as_of) {
        Ok(date) => date,
        Err(problem) => return Output::usage(problem),
    };
    let zan::args::Gathered {
        mut facts,
        date,
        notes,
    } = match zan::args::gather(rb, date, facts_file, given) {
        Ok(gathered) => gathered,
        Err(e) => return arg_error(&e),
    };
    if let Err(output) = assume_all(rb, &mut facts, assume) {
        return output;
    }
    let Some(date) = date else {
        return Output::usage(UsageProblem::NoDate { facts_file: true });
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
        refusal: None,
    }
}

/// Settles windows by `--assume ACT=DATE`; an act assumed twice is refused like a repeated
/// `--given`.
fn assume_all(
    rb: &zan::rulebase::Rulebase,
    facts: &mut Facts,
    assume: &[String],
) -> Result<(), Output> {
    zan::args::assume_all(rb, facts, assume).map_err(|e| arg_error(&e))
}

/// Refused arguments as printed: `error[CODE]: ...`, or a `--given` value's diagnostics.
fn arg_error(error: &zan::args::ArgError) -> Output {
    match error {
        zan::args::ArgError::Given(given) => given_error(given),
        other @ (zan::args::ArgError::Usage(_)
        | zan::args::ArgError::Assume(_)
        | zan::args::ArgError::Read(_)
        | zan::args::ArgError::FactsFile { .. }) => Output::coded(other.code(), other),
    }
}

/// A refused `--given` as printed: `error[CODE]: ...`, or the value's diagnostics with a caret.
fn given_error(error: &facts::GivenError) -> Output {
    match error {
        facts::GivenError::Fact(problem) => Output::coded(problem.code(), problem),
        facts::GivenError::Value { diagnostics, .. } => {
            let mut output = Output::error(error.to_string());
            output.refusal = diagnostics
                .first()
                .map(|first| (first.code, first.message.clone()));
            output
        }
    }
}

/// An evaluation error (division by zero, overflow, ...) shown like any other diagnostic: the
/// rule's source line with a caret, and what to do about it.
fn eval_error(config: &Config, loaded: &Loaded, error: &eval::EvalError) -> Output {
    let diagnostic = zan::report::eval_error(error);
    let mut output = Output::error(diagnostic::render_with(
        &loaded.sources,
        &[diagnostic],
        config.color_diagnostics,
    ));
    output.refusal = Some((error.code(), error.to_string()));
    output
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
        Err(e) => return Output::read(&e),
    };
    if files.is_empty() {
        return Output::usage(UsageProblem::NoFiles {
            what: "scenario files (*.zan)",
        });
    }
    let scenario_files = match zan::suite::load(&mut loaded, &files) {
        Ok(scenario_files) => scenario_files,
        Err(zan::suite::SuiteError::Read(e)) => return Output::read(&e),
        Err(zan::suite::SuiteError::Scenarios(diagnostics)) => {
            return Output::error(format!(
                "{}error: the scenario files have errors; no scenario was run",
                diagnostic::render_with(&loaded.sources, &diagnostics, config.color_diagnostics)
            ));
        }
    };
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
    let played = zan::suite::run(
        &loaded,
        &scenario_files,
        &zan::suite::Options {
            filter,
            assumed: assumed.assumptions(),
            readings: &readings,
        },
    );
    let code = if zan::suite::failures(&played) > 0 {
        1
    } else {
        0
    };
    let stdout = match config.format {
        Format::Json | Format::Junit => {
            let ran: Vec<zan::report::Ran<'_>> = played.iter().map(|p| p.ran()).collect();
            if config.format == Format::Json {
                format!("{}\n", zan::report::run_json(rb, &ran))
            } else {
                zan::report::run_junit(rb, &ran)
            }
        }
        Format::Text | Format::Markdown => zan::suite::text(
            &loaded,
            &played,
            zan::suite::TextOptions {
                explain: config.explain,
                verbose,
                quiet,
                color: config.color,
            },
        ),
    };
    Output {
        stdout,
        stderr: warnings,
        code,
        refusal: None,
    }
}

/// Loads the rules and finds the question.
fn prepare(
    config: &Config,
    question: &str,
) -> Result<(Loaded, String, zan::rulebase::ItemId), Output> {
    let (loaded, warnings) = load_rules(config)?;
    let question_id = zan::args::question(&loaded.rulebase, question).map_err(Output::usage)?;
    Ok((loaded, warnings, question_id))
}

/// `zan who QUESTION --over INPUT --as-of DATE [--given NAME=VALUE]...`
///
/// Under `--format json`, refusals are JSON error objects as for `ask`.
pub fn who(config: &Config, options: &Who) -> Output {
    who_output(config, options).json_refusal(config.format)
}

fn who_output(config: &Config, options: &Who) -> Output {
    let Who {
        question,
        over,
        as_of,
        given,
        assume,
    } = options;
    let (question, over, as_of) = (question.as_str(), over.as_str(), as_of.as_deref());
    let (loaded, warnings, question_id) = match prepare(config, question) {
        Ok(prepared) => prepared,
        Err(output) => return output,
    };
    let rb = &loaded.rulebase;
    let mut facts = match zan::args::gather(rb, None, None, given) {
        Ok(gathered) => gathered.facts,
        Err(e) => return arg_error(&e),
    };
    let date = match zan::args::date("--as-of", as_of) {
        Ok(date) => date,
        Err(problem) => return Output::usage(problem),
    };
    if let Err(output) = assume_all(rb, &mut facts, assume) {
        return output;
    }
    let Some(date) = date else {
        return Output::usage(UsageProblem::NoDate { facts_file: false });
    };
    let over_id = match facts::lookup_input(rb, over) {
        Ok(id) => id,
        Err(e) => return Output::coded(e.code(), format!("--over: {e}")),
    };
    if let Err(e) = zan::who::over_enum(rb, over_id, over) {
        return Output::coded(e.code(), format!("--over {e}"));
    }
    let readings = match chosen_readings(config, rb) {
        Ok(readings) => readings,
        Err(output) => return output,
    };
    let rows = match zan::who::rows(rb, question_id, over_id, over, date, &facts, &readings) {
        Ok(rows) => rows,
        Err(zan::who::WhoError::Eval(error)) => return eval_error(config, &loaded, &error),
        Err(e) => return Output::coded(e.code(), format!("--over {e}")),
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
        refusal: None,
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
        Err(e) => return Output::coded(e.code(), format!("--area: {e}")),
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
        refusal: None,
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
        return Output::coded(
            error.code(),
            format!("{error}\n  hint: `zan list` shows every name"),
        );
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
        refusal: None,
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
    let (from_date, to_date) = match zan::args::period(from, to) {
        Ok(period) => period,
        Err(problem) => return Output::usage(problem),
    };
    let rb = &loaded.rulebase;
    let filter = match zan::args::diff_filter(rb, area, name) {
        Ok(filter) => filter,
        Err(zan::args::FilterError::Area(error)) => {
            return Output::coded(error.code(), format!("--area: {error}"));
        }
        Err(zan::args::FilterError::Name(problem)) => return Output::usage(problem),
    };
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
        refusal: None,
    }
}

/// `zan fmt [--check] PATH...`: [`zan::fmt::format_files`] over the `.zan` files the paths
/// hold. Exit 2 when a file was refused or could not be written (once the others are done), 1
/// when `--check` found files to format.
pub fn fmt(paths: &[PathBuf], check: bool) -> Output {
    let files = match load::collect_files(paths) {
        Ok(files) => files,
        Err(e) => return Output::read(&e),
    };
    if files.is_empty() {
        return Output::usage(UsageProblem::NoFiles { what: ".zan files" });
    }
    let outcome = match zan::fmt::format_files(&files, check) {
        Ok(outcome) => outcome,
        Err(e) => return Output::read(&e),
    };
    Output {
        stdout: outcome.report(),
        code: if outcome.refused > 0 || outcome.failed > 0 {
            2
        } else if check && !outcome.changed.is_empty() {
            1
        } else {
            0
        },
        stderr: outcome.messages,
        refusal: None,
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
    let (loaded, warnings, question_id) = match prepare(config, question) {
        Ok(prepared) => prepared,
        Err(output) => return output,
    };
    let default_date = match zan::args::date("--as-of", as_of) {
        Ok(date) => date,
        Err(problem) => return Output::usage(problem),
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
                return Output::read(&zan::source::ReadError::Io {
                    path: input.display().to_string(),
                    error: e,
                });
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
                refusal: None,
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
        refusal: None,
    }
}
