//! Problems with a command's arguments, found before any question is evaluated: a date missing
//! or not a day, a fact or an act's day given twice, a format the command does not print, an
//! unknown question or reading. Each is data whose fields are the facts of the message, worded
//! once in its `Display`, with a stable code (`E08..`, `docs/errors.md`).

use crate::code::Code;
use crate::names::did_you_mean;

/// A refused command line.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UsageProblem {
    /// `zan check --format markdown`: `expected` lists the formats the command prints.
    UnsupportedFormat {
        command: &'static str,
        format: &'static str,
        expected: &'static str,
    },
    /// `--format csv` on a command other than `zan batch`.
    CsvOutsideBatch,
    /// `--explain none` on a command other than `zan batch`.
    ExplainNoneOutsideBatch,
    /// `--as-of 2023-02-30`: `flag` is the option the date was given to.
    InvalidDate { flag: &'static str, text: String },
    /// A question asked with no date; `facts_file` when the date could have come from `--facts`.
    NoDate { facts_file: bool },
    /// `--given a=1 --given a=2`.
    GivenTwice { name: String },
    /// `--assume x=... --assume x=...`.
    AssumedTwice { act: String },
    /// A question that is not declared, with the names it may have meant.
    UnknownQuestion {
        question: String,
        suggestions: Vec<String>,
    },
    /// An input asked as a question.
    InputNotQuestion { question: String },
    /// `--reading` naming no reading: the closest one, or every reading there is.
    UnknownReading {
        name: String,
        closest: Option<String>,
        readings: Vec<String>,
    },
    /// Two `--reading`s of one contested point.
    TwoReadings {
        point: String,
        first: String,
        second: String,
    },
    /// `--interactive` when standard input is not a terminal.
    NotATerminal,
    /// `zan diff --from` a day after `--to`.
    PeriodBackwards { from: String, to: String },
    /// `zan diff --name` that no name equals or begins.
    UnknownNamePrefix {
        name: String,
        suggestions: Vec<String>,
    },
    /// `zan fmt` or `zan run` given paths that hold no `.zan` file; `what` says which files
    /// were looked for (`.zan files`, `scenario files (*.zan)`).
    NoFiles { what: &'static str },
}

impl UsageProblem {
    /// The problem's stable code.
    pub fn code(&self) -> Code {
        match self {
            UsageProblem::UnsupportedFormat { .. } => Code::UnsupportedFormat,
            UsageProblem::CsvOutsideBatch => Code::CsvOutsideBatch,
            UsageProblem::ExplainNoneOutsideBatch => Code::ExplainNoneOutsideBatch,
            UsageProblem::InvalidDate { .. } => Code::InvalidDateArgument,
            UsageProblem::NoDate { .. } => Code::NoDateArgument,
            UsageProblem::GivenTwice { .. } => Code::GivenTwiceArgument,
            UsageProblem::AssumedTwice { .. } => Code::AssumedTwiceArgument,
            UsageProblem::UnknownQuestion { .. } => Code::UnknownQuestion,
            UsageProblem::InputNotQuestion { .. } => Code::AskedInput,
            UsageProblem::UnknownReading { .. } => Code::UnknownReadingArgument,
            UsageProblem::TwoReadings { .. } => Code::TwoReadingsArgument,
            UsageProblem::NotATerminal => Code::NotATerminal,
            UsageProblem::PeriodBackwards { .. } => Code::PeriodBackwards,
            UsageProblem::UnknownNamePrefix { .. } => Code::UnknownNamePrefix,
            UsageProblem::NoFiles { .. } => Code::NoFiles,
        }
    }
}

impl std::fmt::Display for UsageProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UsageProblem::UnsupportedFormat {
                command,
                format,
                expected,
            } => write!(
                f,
                "`zan {command}` does not print --format {format}: expected one of {expected}"
            ),
            UsageProblem::CsvOutsideBatch => {
                f.write_str("`--format csv` is for `zan batch`; use text, json or markdown")
            }
            UsageProblem::ExplainNoneOutsideBatch => {
                f.write_str("`--explain none` is for `zan batch`; use brief or full")
            }
            UsageProblem::InvalidDate { flag, text } => write!(
                f,
                "invalid date `{text}` for {flag}: expected YYYY-MM-DD, a day that exists"
            ),
            UsageProblem::NoDate { facts_file: true } => f.write_str(
                "no date: every answer is \"as of\" a date; pass --as-of YYYY-MM-DD (or \"as_of\" in --facts)",
            ),
            UsageProblem::NoDate { facts_file: false } => {
                f.write_str("no date: pass --as-of YYYY-MM-DD")
            }
            UsageProblem::GivenTwice { name } => write!(
                f,
                "`{name}` is given twice on the command line\n  hint: give each fact once with --given NAME=VALUE"
            ),
            UsageProblem::AssumedTwice { act } => write!(
                f,
                "act `{act}` is assumed twice on the command line\n  hint: give each act's day once with --assume ACT=DATE"
            ),
            UsageProblem::UnknownQuestion {
                question,
                suggestions,
            } => write!(
                f,
                "unknown question `{question}`{}\n  hint: `zan list` shows every question",
                did_you_mean(suggestions)
            ),
            UsageProblem::InputNotQuestion { question } => {
                write!(f, "`{question}` is an input, not a question")
            }
            UsageProblem::UnknownReading {
                name,
                closest,
                readings,
            } => {
                write!(f, "unknown reading `{name}` for --reading")?;
                match closest {
                    Some(close) => write!(f, "\n  hint: did you mean `{close}`?"),
                    None if readings.is_empty() => {
                        f.write_str("\n  hint: the rules declare no contested point")
                    }
                    None => write!(f, "\n  hint: the readings are {}", readings.join(", ")),
                }
            }
            UsageProblem::TwoReadings {
                point,
                first,
                second,
            } => write!(
                f,
                "--reading names two readings of `{point}`: `{first}` and `{second}`"
            ),
            UsageProblem::NotATerminal => f.write_str(
                "--interactive asks on the terminal, but standard input is not one\n  hint: give the facts with --given NAME=VALUE or --facts FILE.json instead",
            ),
            UsageProblem::PeriodBackwards { from, to } => write!(
                f,
                "--from {from} is after --to {to}: the period runs from the earlier date to the later"
            ),
            UsageProblem::UnknownNamePrefix { name, suggestions } => write!(
                f,
                "--name: no question, input or parameter is named `{name}` or begins with it{}",
                did_you_mean(suggestions)
            ),
            UsageProblem::NoFiles { what } => write!(f, "no {what} found in the paths given"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UsageProblem;

    #[test]
    fn a_problem_is_worded_with_its_facts_and_has_a_code_of_the_command_line() {
        let problem = UsageProblem::GivenTwice {
            name: "party.members".into(),
        };
        assert_eq!(problem.code().as_str(), "E0806");
        assert!(
            problem
                .to_string()
                .starts_with("`party.members` is given twice on the command line")
        );
        let problem = UsageProblem::UnknownReading {
            name: "x.y".into(),
            closest: None,
            readings: Vec::new(),
        };
        assert_eq!(
            problem.to_string(),
            "unknown reading `x.y` for --reading\n  hint: the rules declare no contested point"
        );
        assert_eq!(problem.code().as_str(), "E0810");
    }
}
