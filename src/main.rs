//! The `zan` command line: parses arguments with clap, turns them into a `Config`, calls the
//! library, prints, and exits with 0 (evaluated), 1 (scenario expectations failed, `fmt
//! --check` found files to format, or a batch rejected some lines) or 2 (usage, parse, check or
//! input errors, or output that could not be written). When the reader of standard output goes
//! away (`zan ... | head -1`) the rest is dropped quietly and the exit code is the command's own.

#![forbid(unsafe_code)]

mod cli;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use cli::{Config, Format, Output};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use zan::catalogue::{Completions, Filter, Kind};
use zan::output::{Printed, Shape};
use zan::render::text::Explain;
use zan::usage::UsageProblem;

#[derive(Parser)]
#[command(
    name = "zan",
    version,
    about = "Kazakhstan's constitutional and statutory provisions as dated, cited, executable rules",
    long_about = "zan answers legal questions about Kazakhstan's constitutional and statutory provisions \
as of a date, with a trace a lawyer can check: which rule decided, which version of the law was in \
force, which article says so, and by how much a threshold was met or missed.",
    after_help = "Examples:\n  zan list --area parties\n  zan show party.members_required\n  zan check\n  zan ask mazhilis.threshold --as-of 2020-01-01\n  zan ask mazhilis.passes_threshold --as-of 2023-03-19 --given mazhilis.party_vote_share=5.29%\n  zan who court.may_apply --over court.applicant --as-of 2023-03-01 --given court.subject=normative_act_in_force\n  zan run fixtures/scenarios\n  zan diff --from 2022-01-01 --to 2023-06-01\n\nExit codes: 0 evaluated, 1 scenario expectations failed (or fmt --check found changes, or a batch rejected some lines), 2 usage, parse, check or input errors, or output that could not be written."
)]
struct Args {
    /// Rules to load (files or directories); default: the rules shipped in the binary.
    #[arg(long, global = true, value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// How much of the reasoning to print.
    #[arg(long, global = true, value_enum, default_value_t = ExplainArg::Full)]
    explain: ExplainArg,
    /// Colour: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// Take this reading of a contested point (POINT.READING, e.g.
    /// mazhilis.runner_up_overflow.minimum_prevails); repeatable. Without it, every reading is
    /// weighed and differing answers are `contested`.
    #[arg(long = "reading", global = true, value_name = "POINT.READING")]
    readings: Vec<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Markdown,
    /// JUnit XML (`zan run` only), which CI systems read.
    Junit,
    /// Comma-separated values (`batch` only).
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExplainArg {
    /// One line per rule; only the deciding path opened up.
    Brief,
    /// Every rule considered, with why-not reasons and margins.
    Full,
    /// The answer without its trace or citations (`batch` only).
    None,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Question,
    Input,
    Judgment,
    Parameter,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and check rules files; print diagnostics with file:line:column.
    #[command(
        after_help = "Examples:\n  zan check\n  zan check rules/\n  zan check my-amendment.zan rules/"
    )]
    Check {
        /// Files or directories to check (default: the shipped rules, or --rules).
        paths: Vec<PathBuf>,
    },
    /// Answer one question as of a date, with the trace.
    #[command(
        after_help = "Examples:\n  zan ask party.members_required --as-of 2022-10-01\n  zan ask party.may_register --as-of 2023-03-01 --given party.members=6000 --explain brief\n  zan ask mazhilis.passes_threshold --as-of 2023-03-19 --given mazhilis.party_vote_share=5.29% --format markdown\n  zan ask mazhilis.seat_allocation --facts election.json --format json\n  zan ask court.may_apply --as-of 2023-03-01 --interactive"
    )]
    Ask {
        /// The question (or parameter) to answer, e.g. `court.may_apply`.
        question: String,
        /// The date the answer is "as of" (YYYY-MM-DD); may also come from --facts.
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// A fact: NAME=VALUE, e.g. party.members=6000, mazhilis.party_vote_share=5.29%.
        #[arg(long, value_name = "NAME=VALUE")]
        given: Vec<String>,
        /// A JSON facts file: {"as_of": "YYYY-MM-DD", "given": {NAME: VALUE}}.
        #[arg(long, value_name = "FILE")]
        facts: Option<PathBuf>,
        /// On a terminal, ask for each missing fact and answer again.
        #[arg(long)]
        interactive: bool,
        /// Settle a window: the day an act took effect, ACT=DATE (e.g. law_157_vii=2022-11-20).
        #[arg(long, value_name = "ACT=DATE")]
        assume: Vec<String>,
    },
    /// Answer a question for every value of an enum input ("who may apply?").
    #[command(
        after_help = "Examples:\n  zan who court.may_apply --over court.applicant --as-of 2023-03-01 --given court.subject=normative_act_in_force\n  zan who court.may_apply --over court.subject --as-of 2022-06-01 --given court.applicant=president --format markdown"
    )]
    Who {
        /// The question, e.g. `court.may_apply`.
        question: String,
        /// The enum input whose every value is tried, e.g. `court.applicant`.
        #[arg(long, value_name = "INPUT")]
        over: String,
        /// The date the answers are "as of" (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Other facts: NAME=VALUE.
        #[arg(long, value_name = "NAME=VALUE")]
        given: Vec<String>,
        /// Settle a window: the day an act took effect, ACT=DATE (e.g. law_157_vii=2022-11-20).
        #[arg(long, value_name = "ACT=DATE")]
        assume: Vec<String>,
    },
    /// Run scenario files; end with `N passed, N failed`; exit 1 on any failure.
    #[command(
        after_help = "Examples:\n  zan run fixtures/scenarios\n  zan run fixtures/scenarios/parties --filter 2022\n  zan run fixtures/scenarios/mazhilis --verbose\n  zan run -q fixtures/scenarios\n  zan run fixtures/scenarios --format junit > zan-junit.xml\n  zan run fixtures/scenarios --format json"
    )]
    Run {
        /// Scenario files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Run only scenarios whose title or file name contains TEXT.
        #[arg(long, value_name = "TEXT")]
        filter: Option<String>,
        /// Print the full trace of every failing expectation.
        #[arg(long)]
        verbose: bool,
        /// Print only the failures and the tally.
        #[arg(short, long)]
        quiet: bool,
        /// Settle a window in every scenario that does not state that act's day: ACT=DATE.
        #[arg(long, value_name = "ACT=DATE")]
        assume: Vec<String>,
    },
    /// Answer one question for every line of a JSON Lines file; bad lines get an error object.
    #[command(
        after_help = "Each input line: {\"as_of\": \"YYYY-MM-DD\", \"given\": {NAME: VALUE}} and any other keys (an \"id\"), which are carried to the answer.\nEach output line: the JSON answer with \"line\" and the carried keys, or {\"line\": N, \"error\": {\"code\": ..., \"message\": \"...\"}}.\n--explain none leaves out the trace and citations; --format csv writes line, carried keys, status, answer, decided_by and error.\nThe answers stream out in input order; a summary counting each status goes to standard error.\nExit codes: 0 every line answered, 1 some lines rejected (each has an error object), 2 the batch could not run.\n\nExamples:\n  zan batch party.may_register --input parties.jsonl\n  zan batch mazhilis.seat_allocation --input elections.jsonl --output answers.jsonl\n  cat cases.jsonl | zan batch court.may_apply --input - --explain none --format csv"
    )]
    Batch {
        /// The question, e.g. `party.may_register`.
        question: String,
        /// The JSON Lines input file, or `-` for standard input.
        #[arg(long, value_name = "FILE.jsonl")]
        input: PathBuf,
        /// Write the answers here instead of standard output: written whole or not at all (a
        /// FIFO or device is written into; the input file is refused).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The date for lines without "as_of".
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Settle a window for every line: the day an act took effect, ACT=DATE.
        #[arg(long, value_name = "ACT=DATE")]
        assume: Vec<String>,
    },
    /// List every question, input and parameter: area, kind, type, period covered, description.
    #[command(
        after_help = "Examples:\n  zan list\n  zan list --area parties\n  zan list --kind question --format markdown"
    )]
    List {
        /// Only this area (as `area NAME` declares it, e.g. `parties`, `court`).
        #[arg(long, value_name = "AREA")]
        area: Option<String>,
        /// Only items of this kind.
        #[arg(long, value_enum, value_name = "KIND")]
        kind: Option<KindArg>,
    },
    /// Show one question (its rules, conditions, validity, citations), input (type, allowed
    /// values, question text) or parameter (every dated value with its act).
    #[command(
        after_help = "Examples:\n  zan show court.may_apply\n  zan show court.applicant\n  zan show party.members_required --format markdown"
    )]
    Show {
        /// The name, e.g. `court.may_apply`.
        name: String,
    },
    /// The legislative history between two dates: every change, by date and amending act.
    #[command(
        after_help = "Every change after --from and up to --to: each dated value that took over, each rule that came into or went out of force, each area that began or ended, in date order and grouped by the act that made it. A change whose day is not established is shown with its window.\n\nExamples:\n  zan diff --from 2009-01-01 --to 2023-06-01 --area parties\n  zan diff --from 2022-01-01 --to 2023-06-01 --name party.members_required\n  zan diff --from 2020-01-01 --to 2021-12-31 --format markdown"
    )]
    Diff {
        /// The day before the period: changes after this day are listed (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        from: String,
        /// The last day of the period: changes up to and including this day (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        to: String,
        /// Only this area (e.g. `parties`; `zan list` shows the areas).
        #[arg(long, value_name = "AREA")]
        area: Option<String>,
        /// Only this question or parameter, or the names that begin with NAME (e.g. `party.`).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
    },
    /// Lay out rules and scenario files canonically (comments are kept); refuse files that do not parse.
    #[command(after_help = "Examples:\n  zan fmt rules/ fixtures/\n  zan fmt --check rules/")]
    Fmt {
        /// Only print what would change (a unified diff); exit 1 if any file would change.
        #[arg(long)]
        check: bool,
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Serve the API (`/v1`) and the page (`/`) over HTTP until SIGINT or SIGTERM.
    #[command(
        after_help = "The rules are loaded and checked once, at start. The server listens on loopback unless --addr says otherwise; each request is logged as one JSON line on standard error.\n\nExamples:\n  zan serve\n  zan serve --addr 127.0.0.1:9000 --max-in-flight 16\n  zan serve --rules rules/ --request-timeout-ms 2000"
    )]
    Serve {
        /// The address to listen on (port 0: any free port, printed at start).
        #[arg(long, value_name = "IP:PORT", default_value = zan::serve::DEFAULT_ADDR)]
        addr: std::net::SocketAddr,
        /// The largest request body, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = zan::serve::Limits::default().body_bytes)]
        max_body_bytes: usize,
        /// The deepest nesting of arrays and objects in a JSON body.
        #[arg(long, value_name = "N", default_value_t = zan::serve::Limits::default().json_depth)]
        max_json_depth: usize,
        /// The most elements in one JSON array or object.
        #[arg(long, value_name = "N", default_value_t = zan::serve::Limits::default().list_len)]
        max_list_len: usize,
        /// The most lines in one batch.
        #[arg(long, value_name = "N", default_value_t = zan::serve::Limits::default().batch_lines)]
        max_batch_lines: usize,
        /// The longest one request may take, in milliseconds.
        #[arg(long, value_name = "MS", default_value_t = zan::serve::Limits::default().request_ms)]
        request_timeout_ms: u64,
        /// The most requests handled at once; more get 503 at once.
        #[arg(long, value_name = "N", default_value_t = zan::serve::Limits::default().in_flight)]
        max_in_flight: usize,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  zan completions bash > ~/.local/share/bash-completion/completions/zan\n  zan completions zsh > ~/.zfunc/_zan"
    )]
    Completions { shell: clap_complete::Shell },
}

/// The command with the names of the loaded rules as the values of its name arguments, for
/// the completion script only: the script then completes question, input and area names,
/// `--over` enum inputs and `--given NAME=VALUE` with every enum value, as of the rules it was
/// generated from. Parsing never uses these lists, so an unknown name still gets zan's own
/// "did you mean".
fn with_completions(command: clap::Command, candidates: &Completions) -> clap::Command {
    use clap::builder::PossibleValuesParser;
    let values = |names: &[String]| PossibleValuesParser::new(names.to_vec());
    let askable = values(&candidates.askable);
    let names = values(&candidates.names);
    let enum_inputs = values(&candidates.enum_inputs);
    let givens = values(&candidates.givens);
    let areas = values(&candidates.areas);
    command
        .mut_subcommand("ask", |c| {
            c.mut_arg("question", |a| a.value_parser(askable.clone()))
                .mut_arg("given", |a| a.value_parser(givens.clone()))
        })
        .mut_subcommand("who", |c| {
            c.mut_arg("question", |a| a.value_parser(askable.clone()))
                .mut_arg("over", |a| a.value_parser(enum_inputs.clone()))
                .mut_arg("given", |a| a.value_parser(givens.clone()))
        })
        .mut_subcommand("batch", |c| {
            c.mut_arg("question", |a| a.value_parser(askable.clone()))
        })
        .mut_subcommand("show", |c| {
            c.mut_arg("name", |a| a.value_parser(names.clone()))
        })
        .mut_subcommand("list", |c| {
            c.mut_arg("area", |a| a.value_parser(areas.clone()))
        })
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(error) => {
            // `--help` and `--version` print to standard output: a failed write fails the run.
            let printed = error.print();
            let failed = printed
                .as_ref()
                .is_err_and(|e| e.kind() != std::io::ErrorKind::BrokenPipe);
            return ExitCode::from(if error.use_stderr() || failed { 2 } else { 0 });
        }
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (color, color_diagnostics) = match args.color {
        ColorArg::Always => (true, true),
        ColorArg::Never => (false, false),
        ColorArg::Auto => (
            std::io::stdout().is_terminal() && !no_color,
            std::io::stderr().is_terminal() && !no_color,
        ),
    };
    let is_batch = matches!(args.command, Command::Batch { .. });
    let refused = if !is_batch && matches!(args.format, FormatArg::Csv) {
        Some(UsageProblem::CsvOutsideBatch)
    } else if !is_batch && matches!(args.explain, ExplainArg::None) {
        Some(UsageProblem::ExplainNoneOutsideBatch)
    } else {
        None
    };
    if let Some(problem) = refused {
        eprintln!("error[{}]: {problem}", problem.code());
        return ExitCode::from(2);
    }
    let config = Config {
        rules: args.rules,
        format: match args.format {
            FormatArg::Text | FormatArg::Csv => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Junit => Format::Junit,
        },
        explain: match args.explain {
            ExplainArg::Brief => Explain::Brief,
            ExplainArg::Full | ExplainArg::None => Explain::Full,
        },
        answer_only: matches!(args.explain, ExplainArg::None),
        batch_format: match args.format {
            FormatArg::Csv => zan::batch::Format::Csv,
            FormatArg::Text | FormatArg::Json | FormatArg::Markdown | FormatArg::Junit => {
                zan::batch::Format::Json
            }
        },
        color,
        color_diagnostics,
        readings: args.readings,
    };
    // Batch answers are JSON lines whatever --format says.
    let shape =
        if matches!(config.format, Format::Json) || matches!(args.command, Command::Batch { .. }) {
            Shape::Json
        } else {
            Shape::Text
        };
    let output: Output = match args.command {
        Command::Check { paths } => cli::check(&config, &paths),
        Command::Ask {
            question,
            as_of,
            given,
            facts,
            interactive,
            assume,
        } => cli::ask(
            &config,
            &cli::Ask {
                question,
                as_of,
                given,
                facts,
                interactive,
                assume,
            },
        ),
        Command::Who {
            question,
            over,
            as_of,
            given,
            assume,
        } => cli::who(
            &config,
            &cli::Who {
                question,
                over,
                as_of,
                given,
                assume,
            },
        ),
        Command::Run {
            paths,
            filter,
            verbose,
            quiet,
            assume,
        } => cli::run(
            &config,
            &cli::Run {
                paths,
                filter,
                verbose,
                quiet,
                assume,
            },
        ),
        Command::Batch {
            question,
            input,
            output,
            as_of,
            assume,
        } => cli::batch(
            &config,
            &cli::Batch {
                question,
                input,
                output,
                as_of,
                assume,
            },
        ),
        Command::Diff {
            from,
            to,
            area,
            name,
        } => cli::diff(
            &config,
            &cli::Diff {
                from,
                to,
                area,
                name,
            },
        ),
        Command::List { area, kind } => cli::list(
            &config,
            &Filter {
                area,
                kind: kind.map(|kind| match kind {
                    KindArg::Question => Kind::Question,
                    KindArg::Input => Kind::Input,
                    KindArg::Judgment => Kind::Judgment,
                    KindArg::Parameter => Kind::Parameter,
                }),
            },
        ),
        Command::Show { name } => cli::show(&config, &name),
        Command::Fmt { check, paths } => cli::fmt(&paths, check),
        Command::Serve {
            addr,
            max_body_bytes,
            max_json_depth,
            max_list_len,
            max_batch_lines,
            request_timeout_ms,
            max_in_flight,
        } => cli::serve(
            &config,
            zan::serve::Options {
                addr,
                limits: zan::serve::Limits {
                    body_bytes: max_body_bytes,
                    json_depth: max_json_depth.max(1),
                    list_len: max_list_len.max(1),
                    batch_lines: max_batch_lines,
                    request_ms: request_timeout_ms,
                    in_flight: max_in_flight.max(1),
                },
            },
        ),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            let mut command =
                with_completions(Args::command(), &cli::completion_candidates(&config));
            clap_complete::generate(shell, &mut command, "zan", &mut script);
            Output {
                stdout: String::from_utf8_lossy(&script).into_owned(),
                ..Output::default()
            }
        }
    };
    match zan::output::print(
        &output.stdout,
        shape,
        &output.stderr,
        config.color,
        config.color_diagnostics,
    ) {
        Printed::All | Printed::ReaderGone => ExitCode::from(output.code),
        Printed::Failed => ExitCode::from(output.code.max(2)),
    }
}
