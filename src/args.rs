//! A question's arguments resolved against the rules, as `zan ask`, `who`, `batch` and `run`
//! take them: the question by name, the date, the facts from `--given` and a facts file (with
//! a note where one overrides the other), the acts' days from `--assume`, the readings from
//! `--reading`; and `zan diff`'s period and filter. What is refused is typed data with a code.

use crate::catalogue;
use crate::code::Code;
use crate::eval::Facts;
use crate::facts::{self, FactError, FactProblem, GivenError};
use crate::rulebase::{ItemId, ItemKind, ReadingRef, Rulebase};
use crate::source::{self, ReadError};
use crate::usage::UsageProblem;
use chrono::NaiveDate;
use std::path::Path;

/// Why a question's arguments were refused. Exhaustive: the command line matches it.
#[derive(Debug)]
pub enum ArgError {
    /// A problem with the command line itself.
    Usage(UsageProblem),
    /// A `--given NAME=VALUE` refused.
    Given(GivenError),
    /// An `--assume ACT=DATE` refused.
    Assume(FactProblem),
    /// The facts file could not be read.
    Read(ReadError),
    /// The facts file was read but its facts were refused.
    FactsFile { path: String, error: FactError },
}

impl ArgError {
    /// The problem's stable code.
    pub fn code(&self) -> Code {
        match self {
            ArgError::Usage(problem) => problem.code(),
            ArgError::Given(error) => error.code(),
            ArgError::Assume(problem) => problem.code(),
            ArgError::Read(error) => error.code(),
            ArgError::FactsFile { error, .. } => error.code,
        }
    }
}

impl std::fmt::Display for ArgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArgError::Usage(problem) => problem.fmt(f),
            ArgError::Given(error) => error.fmt(f),
            ArgError::Assume(problem) => problem.fmt(f),
            ArgError::Read(error) => error.fmt(f),
            ArgError::FactsFile { path, error } => write!(f, "{path}: {error}"),
        }
    }
}

impl From<UsageProblem> for ArgError {
    fn from(problem: UsageProblem) -> ArgError {
        ArgError::Usage(problem)
    }
}

/// The question (or parameter) named `name`: not an input, and declared, or the names it may
/// have meant.
pub fn question(rb: &Rulebase, name: &str) -> Result<ItemId, UsageProblem> {
    let Some(id) = rb.lookup(name) else {
        return Err(UsageProblem::UnknownQuestion {
            question: name.to_string(),
            suggestions: catalogue::suggestions(rb, name),
        });
    };
    if matches!(rb.item(id).kind, ItemKind::Input { .. }) {
        return Err(UsageProblem::InputNotQuestion {
            question: name.to_string(),
        });
    }
    Ok(id)
}

/// The date given to `flag`, if any.
pub fn date(flag: &'static str, text: Option<&str>) -> Result<Option<NaiveDate>, UsageProblem> {
    text.map(|text| {
        facts::parse_date(text).ok_or_else(|| UsageProblem::InvalidDate {
            flag,
            text: text.to_string(),
        })
    })
    .transpose()
}

/// `--reading POINT.READING`s resolved: an unknown reading, or two readings of one point, is
/// refused.
pub fn readings(rb: &Rulebase, names: &[String]) -> Result<Vec<ReadingRef>, UsageProblem> {
    let mut chosen: Vec<ReadingRef> = Vec::new();
    for name in names {
        let Some(reading) = rb.lookup_reading(name) else {
            let readings = rb.reading_names();
            return Err(UsageProblem::UnknownReading {
                name: name.clone(),
                closest: crate::names::closest(name, readings.iter().map(String::as_str)),
                readings,
            });
        };
        if let Some(other) = chosen.iter().find(|r| r.point == reading.point) {
            return Err(UsageProblem::TwoReadings {
                point: rb.point(reading.point).name.clone(),
                first: rb.reading_name(*other).to_string(),
                second: rb.reading_name(reading).to_string(),
            });
        }
        chosen.push(reading);
    }
    Ok(chosen)
}

/// Settles windows by `--assume ACT=DATE`s; an act assumed twice is refused like a repeated
/// `--given`.
pub fn assume_all(rb: &Rulebase, facts: &mut Facts, assume: &[String]) -> Result<(), ArgError> {
    for argument in assume {
        let assumption = facts::parse_assume(rb, argument).map_err(ArgError::Assume)?;
        if facts.assumptions().iter().any(|a| a.act == assumption.act) {
            return Err(UsageProblem::AssumedTwice {
                act: assumption.act,
            }
            .into());
        }
        facts.assume(assumption);
    }
    Ok(())
}

/// The facts and date of a question: the facts file's (if any), then each `--given`, which
/// overrides it; a second `--given` for one name is refused, since which value was meant is a
/// guess. A date given (`date`) overrides the file's `as_of`.
pub struct Gathered {
    pub facts: Facts,
    pub date: Option<NaiveDate>,
    /// A line `note: ...` for each fact or date given that overrides the file's.
    pub notes: String,
}

/// Gathers the facts of a question from `facts_file` and `given`, and its date from `date`
/// or the file (see [`Gathered`]).
pub fn gather(
    rb: &Rulebase,
    date: Option<NaiveDate>,
    facts_file: Option<&Path>,
    given: &[String],
) -> Result<Gathered, ArgError> {
    let mut gathered = Gathered {
        facts: Facts::new(rb),
        date,
        notes: String::new(),
    };
    let mut from_file: Vec<bool> = vec![false; rb.items.len()];
    if let Some(path) = facts_file {
        let text = source::read_text(path, source::Contents::Facts).map_err(ArgError::Read)?;
        let json = facts::from_json(rb, &text).map_err(|error| ArgError::FactsFile {
            path: path.display().to_string(),
            error,
        })?;
        if let (Some(given_date), Some(file_date)) = (date, json.as_of)
            && given_date != file_date
        {
            gathered.notes.push_str(&format!(
                "note: --as-of {given_date} overrides \"as_of\": \"{file_date}\" in {}\n",
                path.display()
            ));
        }
        gathered.date = date.or(json.as_of);
        for (id, value) in json.given {
            from_file[id.index()] = true;
            gathered.facts.set(id, value);
        }
    }
    // Facts on the command line come after the file, so they override it, with a note.
    let mut seen: Vec<bool> = vec![false; rb.items.len()];
    for argument in given {
        let (id, value) = facts::parse_given(rb, argument).map_err(ArgError::Given)?;
        if std::mem::replace(&mut seen[id.index()], true) {
            return Err(UsageProblem::GivenTwice {
                name: rb.item(id).name.clone(),
            }
            .into());
        }
        if from_file[id.index()] && gathered.facts.get(id) != Some(&value) {
            gathered.notes.push_str(&format!(
                "note: --given {} overrides the value of `{}` in {}\n",
                argument.trim(),
                rb.item(id).name,
                facts_file
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            ));
        }
        gathered.facts.set(id, value);
    }
    Ok(gathered)
}

/// `zan diff`'s period: two dates, the first not after the second.
pub fn period(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), UsageProblem> {
    let parse = |flag: &'static str, text: &str| {
        facts::parse_date(text).ok_or_else(|| UsageProblem::InvalidDate {
            flag,
            text: text.to_string(),
        })
    };
    let (from, to) = (parse("--from", from)?, parse("--to", to)?);
    if from > to {
        return Err(UsageProblem::PeriodBackwards {
            from: from.to_string(),
            to: to.to_string(),
        });
    }
    Ok((from, to))
}

/// Why `zan diff`'s filter was refused.
#[derive(Debug)]
pub enum FilterError {
    /// `--area` names no area.
    Area(catalogue::CatalogueError),
    /// `--name` is no name and begins none.
    Name(UsageProblem),
}

/// `zan diff`'s filter: the area named by `--area` and the names `--name` begins.
pub fn diff_filter(
    rb: &Rulebase,
    area: Option<&str>,
    name: Option<&str>,
) -> Result<crate::diff::Filter, FilterError> {
    let mut filter = crate::diff::Filter::default();
    if let Some(area) = area {
        let Some(id) = rb.area_named(area) else {
            return Err(FilterError::Area(catalogue::CatalogueError::UnknownArea {
                area: area.to_string(),
                areas: rb.areas.iter().map(|a| a.name.clone()).collect(),
            }));
        };
        filter.area = Some(id);
    }
    if let Some(name) = name {
        if !rb.names.keys().any(|n| n.starts_with(name)) {
            return Err(FilterError::Name(UsageProblem::UnknownNamePrefix {
                name: name.to_string(),
                suggestions: catalogue::suggestions(rb, name),
            }));
        }
        filter.name = Some(name.to_string());
    }
    Ok(filter)
}
