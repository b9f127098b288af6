//! The `zan` command line: parses arguments with clap, turns them into a `Config`, calls the
//! library, prints, and exits with 0 (evaluated), 1 (scenario expectations failed) or 2 (usage,
//! parse, check or input errors).

use clap::{Parser, Subcommand, ValueEnum};
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
    after_help = "Examples:\n  zan check\n  zan ask mazhilis.threshold --as-of 2020-01-01\n  zan ask mazhilis.passes_threshold --as-of 2023-03-19 --given mazhilis.party_vote_share=5.29%\n  zan run fixtures/scenarios\n\nExit codes: 0 evaluated, 1 scenario expectations failed, 2 usage, parse, check or input errors."
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
    /// The deciding path only.
    Brief,
    /// Every rule considered, with why-not reasons and margins.
    Full,
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
        after_help = "Examples:\n  zan ask party.members_required --as-of 2022-10-01\n  zan ask mazhilis.passes_threshold --as-of 2023-03-19 --given mazhilis.party_vote_share=5.29%\n  zan ask mazhilis.seat_allocation --facts election.json --format json"
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
    },
    /// Run scenario files; end with `N passed, N failed`; exit 1 on any failure.
    #[command(
        after_help = "Examples:\n  zan run fixtures/scenarios\n  zan run fixtures/scenarios/parties --filter 2022"
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
    },
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
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
    };
    let output: Output = match args.command {
        Command::Check { paths } => cli::check(&config, &paths),
        Command::Ask {
            question,
            as_of,
            given,
            facts,
        } => cli::ask(
            &config,
            &question,
            as_of.as_deref(),
            &given,
            facts.as_deref(),
        ),
        Command::Run {
            paths,
            filter,
            verbose,
        } => cli::run(&config, &paths, filter.as_deref(), verbose),
    };
    use std::io::Write;
    let _ = std::io::stdout().write_all(output.stdout.as_bytes());
    let _ = std::io::stderr().write_all(output.stderr.as_bytes());
    ExitCode::from(output.code)
}
