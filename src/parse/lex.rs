//! Tokens: whitespace and comments, keywords, names, strings, dates, and the error type that
//! records what was expected where.

use crate::ast::{DateLit, Ident};
use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::keywords::KEYWORDS;
use crate::span::{FileId, Span};
use chrono::NaiveDate;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char, satisfy};
use nom::combinator::{peek, recognize};
use nom::error::{ErrorKind, ParseError};
use nom::multi::separated_list1;
use nom::{IResult, Input, Parser};
use nom_locate::LocatedSpan;
use std::cell::Cell;

pub type In<'a> = LocatedSpan<&'a str, FileId>;
pub type PResult<'a, T> = IResult<In<'a>, T, PError<'a>>;

/// How deeply expressions may nest.
pub const MAX_NESTING: usize = 64;

/// A syntax error: where, what was expected there, or a specific problem.
#[derive(Debug)]
pub struct PError<'a> {
    pub at: In<'a>,
    pub expected: Vec<&'static str>,
    pub message: Option<SyntaxProblem>,
}

/// A syntax problem more specific than "expected X, found Y"; its fields are the facts the
/// message states, and [`std::fmt::Display`] words each one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyntaxProblem {
    /// An expression nested past [`MAX_NESTING`]; `chain` when by a chain of operators.
    NestedTooDeep {
        chain: bool,
    },
    UnterminatedString,
    UnknownEscape,
    InvalidDate {
        text: String,
    },
    PublicationDelay {
        days: String,
    },
    NumberTooLarge {
        text: String,
    },
    MalformedNumber {
        text: String,
    },
    UnknownUnit {
        word: String,
        number: i64,
    },
    /// A keyword where a rule or exception is named: `rule default`.
    ReservedRuleName {
        keyword: String,
    },
}

impl SyntaxProblem {
    pub fn code(&self) -> Code {
        match self {
            SyntaxProblem::NestedTooDeep { .. } => Code::NestedTooDeep,
            SyntaxProblem::UnterminatedString => Code::UnterminatedString,
            SyntaxProblem::UnknownEscape => Code::UnknownEscape,
            SyntaxProblem::InvalidDate { .. } => Code::InvalidDate,
            SyntaxProblem::PublicationDelay { .. } => Code::PublicationDelay,
            SyntaxProblem::NumberTooLarge { .. } => Code::NumberTooLarge,
            SyntaxProblem::MalformedNumber { .. } => Code::MalformedNumber,
            SyntaxProblem::UnknownUnit { .. } => Code::UnknownUnit,
            SyntaxProblem::ReservedRuleName { .. } => Code::ReservedRuleName,
        }
    }

    /// The label under the caret.
    fn label(&self) -> &'static str {
        match self {
            SyntaxProblem::ReservedRuleName { .. } => "a keyword, not a name",
            SyntaxProblem::NestedTooDeep { .. }
            | SyntaxProblem::UnterminatedString
            | SyntaxProblem::UnknownEscape
            | SyntaxProblem::InvalidDate { .. }
            | SyntaxProblem::PublicationDelay { .. }
            | SyntaxProblem::NumberTooLarge { .. }
            | SyntaxProblem::MalformedNumber { .. }
            | SyntaxProblem::UnknownUnit { .. } => "here",
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            SyntaxProblem::ReservedRuleName { keyword } => Some(match keyword.as_str() {
                "default" => "where answers and scenarios name the deciding rule, `default` stands for the `otherwise` answer (`by default`); name the rule for what it decides".to_string(),
                "value" => "where answers name what decided, `value` stands for a parameter's value in force; name the rule for what it decides".to_string(),
                _ => "keywords are reserved and cannot be used as names; see grammar/zan.ebnf".to_string(),
            }),
            SyntaxProblem::NestedTooDeep { .. }
            | SyntaxProblem::UnterminatedString
            | SyntaxProblem::UnknownEscape
            | SyntaxProblem::InvalidDate { .. }
            | SyntaxProblem::PublicationDelay { .. }
            | SyntaxProblem::NumberTooLarge { .. }
            | SyntaxProblem::MalformedNumber { .. } => None,
            // `1e3`: a number in scientific notation reads as the number 1 and a unit `e3`.
            SyntaxProblem::UnknownUnit { word, number } => {
                let exponent = word.strip_prefix(['e', 'E']).unwrap_or_default();
                (!exponent.is_empty() && exponent.bytes().all(|b| b.is_ascii_digit())).then(|| {
                    format!(
                        "numbers are written in full, not in scientific notation: for {number}{word} write {number} followed by {exponent} zeros"
                    )
                })
            }
        }
    }
}

impl std::fmt::Display for SyntaxProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyntaxProblem::NestedTooDeep { chain: false } => write!(
                f,
                "expression nested more than {MAX_NESTING} levels deep; split it into named questions"
            ),
            SyntaxProblem::NestedTooDeep { chain: true } => write!(
                f,
                "expression nested more than {MAX_NESTING} levels deep: each operator in a chain such as `a + b + c` counts as a level; split it into named questions"
            ),
            SyntaxProblem::UnterminatedString => write!(
                f,
                "unterminated string: a string must close with `\"` on the same line"
            ),
            SyntaxProblem::UnknownEscape => {
                write!(f, "unknown escape in string: use `\\\"`, `\\\\` or `\\n`")
            }
            SyntaxProblem::InvalidDate { text } => {
                write!(f, "invalid date `{text}`: no such day in the calendar")
            }
            SyntaxProblem::PublicationDelay { days } => write!(
                f,
                "`{days}` days is not a publication delay zan accepts (at most 366)"
            ),
            SyntaxProblem::NumberTooLarge { text } => write!(
                f,
                "number `{text}` is too large: literals must lie within ±{} and have at most 18 decimal places",
                i64::MAX
            ),
            SyntaxProblem::MalformedNumber { text } => write!(
                f,
                "malformed number `{text}`: `_` may only stand between digits"
            ),
            SyntaxProblem::UnknownUnit { word, number } => write!(
                f,
                "unknown unit `{word}` after the number {number}: expected `days`, `months` or `years`, or an operator"
            ),
            SyntaxProblem::ReservedRuleName { keyword } => {
                write!(f, "`{keyword}` is a keyword and cannot name a rule")
            }
        }
    }
}

impl<'a> PError<'a> {
    pub fn expected(at: In<'a>, what: &'static str) -> PError<'a> {
        PError {
            at,
            expected: vec![what],
            message: None,
        }
    }

    pub fn message(at: In<'a>, message: SyntaxProblem) -> PError<'a> {
        PError {
            at,
            expected: Vec::new(),
            message: Some(message),
        }
    }

    pub fn to_diagnostic(&self, text: &str) -> Diagnostic {
        let offset = self.at.location_offset();
        let found = describe_found(text.get(offset..).unwrap_or(""));
        let width = found.1.max(1);
        let span = Span::new(self.at.extra, offset, (offset + width).min(text.len()));
        if let Some(problem) = &self.message {
            let diagnostic =
                Diagnostic::error(problem.code(), problem.to_string()).at(span, problem.label());
            return match problem.hint() {
                Some(hint) => diagnostic.hint(hint),
                None => diagnostic,
            };
        }
        let expected = match self.expected.as_slice() {
            [] => "something else".to_string(),
            [one] => one.to_string(),
            many => {
                let mut unique: Vec<&str> = many.to_vec();
                unique.sort();
                unique.dedup();
                match unique.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} or {}", rest.join(", "), last)
                    }
                    _ => unique.join(""),
                }
            }
        };
        let mut diagnostic = Diagnostic::error(
            Code::ExpectedToken,
            format!("expected {expected}, found {}", found.0),
        )
        .at(span, format!("expected {expected}"));
        // Not where any value would do: `when x >= then` left a value out.
        let wanted_name = self
            .expected
            .iter()
            .any(|e| e.contains("name") && !e.starts_with("a value"));
        if let Some(hint) = hint_for(&found.0).filter(|_| wanted_name) {
            diagnostic = diagnostic.hint(hint);
        }
        diagnostic
    }
}

/// Names the token at the error position, for "found ...", and its width in bytes.
fn describe_found(rest: &str) -> (String, usize) {
    let Some(first) = rest.chars().next() else {
        return ("end of file".to_string(), 0);
    };
    if first == '\n' || first == '\r' {
        return ("end of line".to_string(), first.len_utf8());
    }
    if first.is_ascii_alphanumeric() || first == '_' {
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.' || *c == '-')
            .take(40)
            .collect();
        let word = word.trim_end_matches(['.', '-']).to_string();
        let width = word.len();
        let kind = if KEYWORDS.contains(&word.as_str()) {
            "keyword"
        } else {
            "`"
        };
        return if kind == "keyword" {
            (format!("keyword `{word}`"), width)
        } else {
            (format!("`{word}`"), width)
        };
    }
    (format!("`{first}`"), first.len_utf8())
}

fn hint_for(found: &str) -> Option<&'static str> {
    if found.starts_with("keyword") {
        Some("keywords are reserved and cannot be used as names; see grammar/zan.ebnf")
    } else {
        None
    }
}

impl<'a> ParseError<In<'a>> for PError<'a> {
    fn from_error_kind(input: In<'a>, _kind: ErrorKind) -> Self {
        PError {
            at: input,
            expected: Vec::new(),
            message: None,
        }
    }

    fn append(_input: In<'a>, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    fn or(mut self, other: Self) -> Self {
        // Keep the error that got furthest; at the same place, merge what was expected.
        let (mine, theirs) = (self.at.location_offset(), other.at.location_offset());
        if theirs > mine {
            other
        } else if mine > theirs {
            self
        } else {
            if self.message.is_none() && other.message.is_some() {
                return other;
            }
            self.expected.extend(other.expected);
            self
        }
    }
}

impl<'a> nom::error::ContextError<In<'a>> for PError<'a> {}

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

pub fn reset_depth() {
    DEPTH.with(|depth| depth.set(0));
}

/// Runs `parser` one nesting level deeper, failing cleanly past [`MAX_NESTING`].
pub fn nested<'a, O>(i: In<'a>, parser: impl FnOnce(In<'a>) -> PResult<'a, O>) -> PResult<'a, O> {
    let level = DEPTH.with(|depth| {
        let level = depth.get() + 1;
        depth.set(level);
        level
    });
    let result = if level > MAX_NESTING {
        Err(nom::Err::Failure(PError::message(
            i,
            SyntaxProblem::NestedTooDeep { chain: false },
        )))
    } else {
        parser(i)
    };
    DEPTH.with(|depth| depth.set(depth.get().saturating_sub(1)));
    result
}

/// Goes one level deeper for an operator in a chain: `a + b + c` is `(a + b) + c`, so each
/// operator nests the left side once more, and a long enough chain would overflow the stack
/// of every stage that walks the tree. Fails cleanly past [`MAX_NESTING`]; the caller gives
/// the levels back with [`shallower`].
pub fn deeper(at: In) -> Result<(), nom::Err<PError>> {
    let level = DEPTH.with(|depth| {
        let level = depth.get() + 1;
        depth.set(level);
        level
    });
    if level > MAX_NESTING {
        return Err(nom::Err::Failure(PError::message(
            at,
            SyntaxProblem::NestedTooDeep { chain: true },
        )));
    }
    Ok(())
}

/// Gives back `levels` taken by [`deeper`].
pub fn shallower(levels: usize) {
    DEPTH.with(|depth| depth.set(depth.get().saturating_sub(levels)));
}

/// Skips white space and `#` comments.
pub fn ws(i: In) -> PResult<()> {
    let mut i = i;
    loop {
        let (rest, _) = take_while(|c: char| c.is_whitespace())(i)?;
        i = rest;
        if i.fragment().starts_with('#') {
            let (rest, _) = take_while(|c: char| c != '\n')(i)?;
            i = rest;
        } else {
            return Ok((i, ()));
        }
    }
}

pub fn span_of(i: &In, len: usize) -> Span {
    Span::new(i.extra, i.location_offset(), i.location_offset() + len)
}

/// The position after white space, as an empty span.
pub fn start_pos(i: In) -> PResult<Span> {
    let (i, ()) = ws(i)?;
    let span = span_of(&i, 0);
    Ok((i, span))
}

/// The current position (after the last token), as an empty span.
pub fn end_pos(i: In) -> PResult<Span> {
    let span = span_of(&i, 0);
    Ok((i, span))
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// A keyword, not followed by a letter, digit or underscore. Returns its span.
pub fn keyword(kw: &'static str) -> impl Fn(In) -> PResult<Span> {
    move |i| {
        let (i, ()) = ws(i)?;
        let word_len = i
            .fragment()
            .find(|c: char| !is_word_char(c))
            .unwrap_or(i.fragment().len());
        if &i.fragment()[..word_len] == kw {
            let span = span_of(&i, word_len);
            Ok((i.take_from(word_len), span))
        } else {
            Err(nom::Err::Error(PError::expected(i, keyword_label(kw))))
        }
    }
}

fn keyword_label(kw: &'static str) -> &'static str {
    // Labels are static strings; a small table avoids allocating per attempt.
    match kw {
        "then" => "`then`",
        "when" => "`when`",
        "cite" => "`cite`",
        "covers" => "`covers`",
        "to" => "`to`",
        "as" => "`as`",
        "of" => "`of`",
        "else" => "`else`",
        "in" => "`in`",
        "where" => "`where`",
        "from" => "`from`",
        "until" => "`until`",
        "value" => "`value`",
        "rule" => "`rule`",
        "exception" => "`exception`",
        "given" => "`given`",
        "expect" => "`expect`",
        "is" => "`is`",
        "effective" => "`effective`",
        "after" => "`after`",
        "publication" => "`publication`",
        "under" => "`under`",
        "reading" => "`reading`",
        "default" => "`default`",
        "within" => "`within`",
        _ => "a keyword",
    }
}

/// A punctuation symbol such as `:`, `..`, `<=`.
pub fn symbol(sym: &'static str) -> impl Fn(In) -> PResult<Span> {
    move |i| {
        let (i, ()) = ws(i)?;
        match tag::<_, _, PError>(sym).parse(i) {
            Ok((rest, matched)) => Ok((rest, span_of(&matched, sym.len()))),
            Err(_) => Err(nom::Err::Error(PError::expected(i, symbol_label(sym)))),
        }
    }
}

fn symbol_label(sym: &'static str) -> &'static str {
    match sym {
        ":" => "`:`",
        ".." => "`..`",
        "=" => "`=`",
        "," => "`,`",
        "{" => "`{`",
        "}" => "`}`",
        "(" => "`(`",
        ")" => "`)`",
        "[" => "`[`",
        "]" => "`]`",
        _ => "an operator",
    }
}

pub fn word(i: In) -> PResult<In> {
    recognize((
        satisfy(|c: char| c.is_ascii_alphabetic() || c == '_'),
        take_while(is_word_char),
    ))
    .parse(i)
}

/// A plain name such as `citizen` or `minimum_members`; keywords are refused.
pub fn ident(i: In) -> PResult<Ident> {
    let (i, ()) = ws(i)?;
    match word(i) {
        Ok((rest, matched)) if !KEYWORDS.contains(matched.fragment()) => Ok((
            rest,
            Ident {
                text: matched.fragment().to_string(),
                span: span_of(&matched, matched.fragment().len()),
            },
        )),
        _ => Err(nom::Err::Error(PError::expected(i, "a name"))),
    }
}

/// A dotted path with no spaces around the dots: `court.applicant`, `p.votes`, `citizen`.
pub fn path(i: In) -> PResult<Vec<Ident>> {
    let (i, first) = ident(i)?;
    let mut segments = vec![first];
    let mut i = i;
    loop {
        // `..` is the range symbol, not a path separator.
        if i.fragment().starts_with('.') && !i.fragment().starts_with("..") {
            let after_dot = i.take_from(1);
            // After a dot any word will do, keywords included: `t.and` is unambiguous.
            match word(after_dot) {
                Ok((rest, matched)) => {
                    segments.push(Ident {
                        text: matched.fragment().to_string(),
                        span: span_of(&matched, matched.fragment().len()),
                    });
                    i = rest;
                }
                _ => {
                    return Err(nom::Err::Failure(PError::expected(
                        after_dot,
                        "a name after `.`",
                    )));
                }
            }
        } else {
            return Ok((i, segments));
        }
    }
}

/// A global name with an area prefix: `court.applicant`.
pub fn global_name(i: In) -> PResult<Ident> {
    let (i, ()) = ws(i)?;
    let start = i;
    let (rest, segments) = path(i)?;
    if segments.len() < 2 {
        return Err(nom::Err::Error(PError::expected(
            start,
            "a global name with an area prefix, such as `court.applicant`",
        )));
    }
    let (first, last) = (segments[0].span, segments[segments.len() - 1].span);
    let text = segments
        .iter()
        .map(|segment| segment.text.as_str())
        .collect::<Vec<_>>()
        .join(".");
    Ok((
        rest,
        Ident {
            text,
            span: first.to(last),
        },
    ))
}

/// A double-quoted string with `\"`, `\\` and `\n` escapes, on one line.
pub fn string(i: In) -> PResult<(String, Span)> {
    let (i, ()) = ws(i)?;
    let start = i;
    let (mut i, _) = char::<_, PError>('"')
        .parse(i)
        .map_err(|_| nom::Err::Error(PError::expected(start, "a string in double quotes")))?;
    let mut text = String::new();
    loop {
        let mut chars = i.fragment().chars();
        match chars.next() {
            None | Some('\n') => {
                return Err(nom::Err::Failure(PError::message(
                    start,
                    SyntaxProblem::UnterminatedString,
                )));
            }
            Some('"') => {
                let i = i.take_from(1);
                let len = i.location_offset() - start.location_offset();
                return Ok((i, (text, span_of(&start, len))));
            }
            Some('\\') => {
                let escaped = match chars.next() {
                    Some('"') => '"',
                    Some('\\') => '\\',
                    Some('n') => '\n',
                    _ => {
                        return Err(nom::Err::Failure(PError::message(
                            i,
                            SyntaxProblem::UnknownEscape,
                        )));
                    }
                };
                text.push(escaped);
                i = i.take_from(2);
            }
            Some(c) => {
                text.push(c);
                i = i.take_from(c.len_utf8());
            }
        }
    }
}

fn digits(n: usize) -> impl Fn(In) -> PResult<In> {
    move |i| {
        let (rest, matched) = take_while1(|c: char| c.is_ascii_digit())(i)?;
        if matched.fragment().len() == n {
            Ok((rest, matched))
        } else {
            Err(nom::Err::Error(PError::expected(i, "a date")))
        }
    }
}

/// Recognizes `YYYY-MM-DD` without consuming it.
pub fn looks_like_date(i: In) -> bool {
    peek((digits(4), char('-'), digits(2), char('-'), digits(2)))
        .parse(i)
        .is_ok()
}

/// A calendar date `YYYY-MM-DD`; an impossible date such as 2023-02-30 is an error.
pub fn date(i: In) -> PResult<DateLit> {
    let (i, ()) = ws(i)?;
    let start = i;
    let (rest, (year, _, month, _, day)) = (digits(4), char('-'), digits(2), char('-'), digits(2))
        .parse(i)
        .map_err(|_: nom::Err<PError>| {
            nom::Err::Error(PError::expected(start, "a date (YYYY-MM-DD)"))
        })?;
    let text = format!(
        "{}-{}-{}",
        year.fragment(),
        month.fragment(),
        day.fragment()
    );
    let parsed = (
        year.fragment().parse::<i32>(),
        month.fragment().parse::<u32>(),
        day.fragment().parse::<u32>(),
    );
    let date = match parsed {
        (Ok(y), Ok(m), Ok(d)) => NaiveDate::from_ymd_opt(y, m, d),
        _ => None,
    };
    match date {
        Some(date) => Ok((
            rest,
            DateLit {
                date,
                span: span_of(&start, text.len()),
            },
        )),
        None => Err(nom::Err::Failure(PError::message(
            start,
            SyntaxProblem::InvalidDate {
                text: text.to_string(),
            },
        ))),
    }
}

/// `{ a, b, c }` with an optional trailing comma.
pub fn braced_list<'a, O>(
    item: impl Fn(In<'a>) -> PResult<'a, O>,
) -> impl Fn(In<'a>) -> PResult<'a, Vec<O>> {
    move |i| {
        let (i, _) = symbol("{")(i)?;
        let (i, items) = separated_list1(symbol(","), &item).parse(i)?;
        let (i, _) = nom::combinator::opt(symbol(",")).parse(i)?;
        match symbol("}")(i) {
            Ok((i, _)) => Ok((i, items)),
            Err(_) => Err(nom::Err::Failure(PError {
                at: ws(i).map_or(i, |(after, ())| after),
                expected: vec!["a name", "`}`"],
                message: None,
            })),
        }
    }
}

/// `a, b, c` (at least one).
pub fn comma_list<'a, O>(
    item: impl Fn(In<'a>) -> PResult<'a, O>,
) -> impl Fn(In<'a>) -> PResult<'a, Vec<O>> {
    move |i| separated_list1(symbol(","), &item).parse(i)
}

/// Runs `parser`; if it fails without consuming anything, reports `what` as expected there.
pub fn expecting<'a, O>(
    parser: impl Fn(In<'a>) -> PResult<'a, O>,
    what: &'static str,
) -> impl Fn(In<'a>) -> PResult<'a, O> {
    move |i| {
        let (i, ()) = ws(i)?;
        let offset = i.location_offset();
        parser(i).map_err(|error| match error {
            nom::Err::Error(error) if error.at.location_offset() <= offset => {
                nom::Err::Error(PError::expected(i, what))
            }
            other @ (nom::Err::Incomplete(_) | nom::Err::Error(_) | nom::Err::Failure(_)) => other,
        })
    }
}
