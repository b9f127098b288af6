//! The `zan` command line: parses arguments with clap, turns them into a `Config`, calls the
//! library, prints, and exits with 0 (evaluated), 1 (scenario expectations failed, or `fmt
//! --check` found files to format) or 2 (usage, parse, check or input errors).

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use zan::cli::{self, Config, Format, Output};
use zan::render::text::Explain;

#[derive(Parser)]
#[command(
    name = "zan",
    version,
    about = "Kazakhstan's constitutional and statutory provisions as dated, cited, executable rules",
    long_about = "zan answers legal questions about Kazakhstan's constitutional and statutory provisions \
as of a date, with a trace a lawyer can check: which rule decided, which version of the law was in \
force, which article says so, and by how much a threshold was met or missed.",
    after_help = "Examples:\n  zan check\n  zan ask mazhilis.threshold --as-of 2020-01-01\n  zan ask mazhilis.passes_threshold --as-of 2023-03-19 --given mazhilis.party_vote_share=5.29%\n  zan who court.may_apply --over court.applicant --as-of 2023-03-01 --given court.subject=normative_act_in_force\n  zan run fixtures/scenarios\n  zan diff --from 2022-01-01 --to 2023-06-01\n\nExit codes: 0 evaluated, 1 scenario expectations failed (or fmt --check found changes), 2 usage, parse, check or input errors."
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
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExplainArg {
    /// One line per rule; only the deciding path opened up.
    Brief,
    /// Every rule considered, with why-not reasons and margins.
    Full,
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
        after_help = "Examples:\n  zan run fixtures/scenarios\n  zan run fixtures/scenarios/parties --filter 2022\n  zan run fixtures/scenarios/mazhilis --verbose"
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
        /// Settle a window in every scenario that does not state that act's day: ACT=DATE.
        #[arg(long, value_name = "ACT=DATE")]
        assume: Vec<String>,
    },
    /// Answer one question for every line of a JSON Lines file; bad lines get an error object.
    #[command(
        after_help = "Each input line: {\"as_of\": \"YYYY-MM-DD\", \"given\": {NAME: VALUE}}.\nEach output line: the JSON answer with \"line\", or {\"line\": N, \"error\": \"...\"}.\n\nExamples:\n  zan batch party.may_register --input parties.jsonl\n  zan batch mazhilis.seat_allocation --input elections.jsonl --output answers.jsonl"
    )]
    Batch {
        /// The question, e.g. `party.may_register`.
        question: String,
        /// The JSON Lines input file.
        #[arg(long, value_name = "FILE.jsonl")]
        input: PathBuf,
        /// Write the answers here instead of standard output (the file is replaced whole).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The date for lines without "as_of".
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Settle a window for every line: the day an act took effect, ACT=DATE.
        #[arg(long, value_name = "ACT=DATE")]
        assume: Vec<String>,
    },
    /// What changed in the encoded law between two dates, with the amending acts.
    #[command(
        after_help = "Examples:\n  zan diff --from 2022-01-01 --to 2023-06-01\n  zan diff --from 2020-01-01 --to 2021-12-31 --format markdown"
    )]
    Diff {
        #[arg(long, value_name = "DATE")]
        from: String,
        #[arg(long, value_name = "DATE")]
        to: String,
    },
    /// Lay out rules and scenario files canonically (comments are kept).
    #[command(after_help = "Examples:\n  zan fmt rules/ fixtures/\n  zan fmt --check rules/")]
    Fmt {
        /// Only report the files that would change; exit 1 if any would.
        #[arg(long)]
        check: bool,
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  zan completions bash > ~/.local/share/bash-completion/completions/zan\n  zan completions zsh > ~/.zfunc/_zan"
    )]
    Completions { shell: clap_complete::Shell },
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
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
    let config = Config {
        rules: args.rules,
        format: match args.format {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
        },
        explain: match args.explain {
            ExplainArg::Brief => Explain::Brief,
            ExplainArg::Full => Explain::Full,
        },
        color,
        color_diagnostics,
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
            &question,
            as_of.as_deref(),
            &given,
            facts.as_deref(),
            interactive,
            &assume,
        ),
        Command::Who {
            question,
            over,
            as_of,
            given,
            assume,
        } => cli::who(&config, &question, &over, as_of.as_deref(), &given, &assume),
        Command::Run {
            paths,
            filter,
            verbose,
            assume,
        } => cli::run(&config, &paths, filter.as_deref(), verbose, &assume),
        Command::Batch {
            question,
            input,
            output,
            as_of,
            assume,
        } => cli::batch(
            &config,
            &question,
            &input,
            output.as_deref(),
            as_of.as_deref(),
            &assume,
        ),
        Command::Diff { from, to } => cli::diff(&config, &from, &to),
        Command::Fmt { check, paths } => cli::fmt(&paths, check),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Args::command(), "zan", &mut script);
            Output {
                stdout: String::from_utf8_lossy(&script).into_owned(),
                ..Output::default()
            }
        }
    };
    use std::io::Write;
    let _ = std::io::stdout().write_all(output.stdout.as_bytes());
    let _ = std::io::stderr().write_all(output.stderr.as_bytes());
    ExitCode::from(output.code)
}
