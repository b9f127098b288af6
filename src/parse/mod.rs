//! The parser: source text -> `Ast`, with a span on every node.
//!
//! Built with nom; nom's types never leave this module. Parsing never fails as a whole: a
//! syntax error becomes a [`Diagnostic`] (what was expected, what was found, where), the parser
//! skips to the next line that starts a declaration, and goes on, so one run reports more than
//! the first error. `lex.rs` holds the tokens, `expr.rs` the expressions, this file the
//! declarations and scenarios.
//!
//! Limits: expressions nest at most [`MAX_NESTING`] levels deep (parentheses, brackets,
//! braces, `not`, `-` and `if` all count); deeper input is an error, never a stack overflow.

mod expr;
mod lex;

use crate::ast::*;
use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use crate::span::{FileId, Span};
use lex::*;
use nom::Parser;
use nom::branch::alt;
use nom::combinator::{cut, opt};
use nom::multi::many0;

pub use crate::keywords::{ITEM_KEYWORDS, KEYWORDS};
pub use lex::MAX_NESTING;

/// The most syntax errors reported for one file.
pub const MAX_SYNTAX_ERRORS: usize = 100;

/// Parses one file of the source map. Returns what could be parsed and every syntax error.
pub fn parse_file(sources: &SourceMap, file: FileId) -> (Ast, Vec<Diagnostic>) {
    let Some(source) = sources.get(file) else {
        return (Ast::default(), Vec::new());
    };
    let text = source.text.as_str();
    let mut input = In::new_extra(text, file);
    let mut ast = Ast::default();
    let mut diagnostics = Vec::new();
    loop {
        input = match ws(input) {
            Ok((rest, ())) => rest,
            Err(_) => input,
        };
        if input.fragment().is_empty() {
            break;
        }
        lex::reset_depth();
        match item(input) {
            Ok((rest, parsed)) => {
                ast.items.push(parsed);
                input = rest;
            }
            Err(nom::Err::Error(error) | nom::Err::Failure(error)) => {
                diagnostics.push(error.to_diagnostic(text));
                if diagnostics.len() == MAX_SYNTAX_ERRORS {
                    // Past this many, the file is not zan (or not text): more messages help
                    // no one, and a file of a million bad lines must not take minutes.
                    diagnostics.push(
                        Diagnostic::error(Code::TooManySyntaxErrors, format!(
                            "too many syntax errors: stopped reading `{}` after {MAX_SYNTAX_ERRORS}",
                            source.name
                        ))
                        .hint("fix the first errors, or check that this is a zan file"),
                    );
                    break;
                }
                input = skip_to_next_item(input);
            }
            Err(nom::Err::Incomplete(_)) => {
                diagnostics.push(
                    Diagnostic::error(Code::UnexpectedEnd, "unexpected end of file").at(
                        Span::new(file, text.len(), text.len()),
                        "the file ends here",
                    ),
                );
                break;
            }
        }
    }
    if ast.items.is_empty() && diagnostics.is_empty() {
        // An empty file is almost always a mistake (a wrong path, a file not yet saved), and
        // answering from it would silently answer from no law at all.
        diagnostics.push(
            Diagnostic::error(Code::EmptyFile, format!(
                "empty file: expected a declaration or a `scenario`, found {}",
                if text.trim().is_empty() {
                    "nothing"
                } else {
                    "only comments"
                }
            ))
            .at(Span::new(file, 0, 0), "nothing to read here")
            .hint("a rules file starts with `area NAME \"TITLE\" covers FROM ..`; a scenario file holds `scenario` blocks"),
        );
    }
    (ast, diagnostics)
}

/// Parses a standalone expression, as given on the command line (`--given n=VALUE`).
pub fn parse_value(sources: &SourceMap, file: FileId) -> Result<Expr, Diagnostic> {
    let text = sources.get(file).map_or("", |source| source.text.as_str());
    let input = In::new_extra(text, file);
    lex::reset_depth();
    let end = |i| {
        let (i, ()) = ws(i)?;
        nom::combinator::eof(i).map_err(|_: nom::Err<PError>| {
            nom::Err::Error(PError::expected(i, "an operator or the end of the value"))
        })
    };
    let result = (expr::expr, end).parse(input);
    match result {
        Ok((_, (value, _))) => Ok(value),
        Err(nom::Err::Error(error) | nom::Err::Failure(error)) => Err(error.to_diagnostic(text)),
        Err(nom::Err::Incomplete(_)) => Err(Diagnostic::error(
            Code::UnexpectedEnd,
            "unexpected end of value",
        )),
    }
}

/// After an error, resumes at the first later line that starts (in column one) with a word
/// that begins a declaration or a scenario.
fn skip_to_next_item(input: In<'_>) -> In<'_> {
    let text = *input.fragment();
    let mut offset = 0;
    loop {
        let Some(newline) = text.get(offset..).and_then(|rest| rest.find('\n')) else {
            return take_rest(input);
        };
        offset += newline + 1;
        let line = text.get(offset..).unwrap_or("");
        let word: String = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if ITEM_KEYWORDS.contains(&word.as_str()) {
            return nom::Input::take_from(&input, offset);
        }
    }
}

fn take_rest(input: In<'_>) -> In<'_> {
    let len = input.fragment().len();
    nom::Input::take_from(&input, len)
}

fn item(i: In) -> PResult<Item> {
    let start = i.location_offset();
    alt((
        area,
        act,
        source,
        enum_decl,
        record_decl,
        input_decl,
        judgment_decl,
        param_decl,
        question_decl,
        constraint_decl,
        scenario,
        contested_decl,
    ))
    .parse(i)
    .map_err(|error| {
        error.map(|mut error| {
            // Nothing matched at all: say what may start a declaration.
            if error.at.location_offset() == start && error.message.is_none() {
                error.expected = vec!["a declaration (`area`, `act`, `source`, `enum`, `record`, `input`, `judgment`, `param`, `question`, `constraint`, `contested`) or a `scenario`"];
            }
            error
        })
    })
}

fn area(i: In) -> PResult<Item> {
    let (i, start) = keyword("area")(i)?;
    let (i, (name, title, _, from, _, until)) = cut((
        ident,
        string,
        keyword("covers"),
        date,
        symbol(".."),
        opt(date),
    ))
    .parse(i)?;
    // `names a, b`: the prefixes of the area's names, when not the area's own name.
    let (i, prefixes) = match keyword("names")(i) {
        Ok((i, _)) => {
            let (i, prefixes) = cut(comma_list(ident)).parse(i)?;
            (i, prefixes)
        }
        Err(nom::Err::Error(_)) => (i, Vec::new()),
        Err(e) => return Err(e),
    };
    let end = prefixes
        .last()
        .map(|p| p.span)
        .unwrap_or(until.map_or(from.span, |until| until.span));
    let span = start.to(end);
    Ok((
        i,
        Item::Area(Area {
            name,
            title: title.0,
            from,
            until,
            prefixes,
            span,
        }),
    ))
}

fn named(kw: &'static str) -> impl Fn(In) -> PResult<Named> {
    move |i| {
        let (i, start) = keyword(kw)(i)?;
        let (i, (name, title)) = cut((ident, string)).parse(i)?;
        Ok((
            i,
            Named {
                name,
                span: start.to(title.1),
                title: title.0,
                entry: None,
            },
        ))
    }
}

fn act(i: In) -> PResult<Item> {
    let (i, mut named) = named("act").parse(i)?;
    let (i, entry) = opt(entry_rule).parse(i)?;
    if let Some(entry) = &entry {
        named.span = named.span.to(entry.span);
    }
    named.entry = entry;
    Ok((i, Item::Act(named)))
}

/// `signed DATE effective N days after publication under ACT [applied DATE citations]`
fn entry_rule(i: In) -> PResult<EntryRule> {
    let (i, start) = keyword("signed")(i)?;
    let (i, (signed, _, (days, days_span), _, _, _, _, under, end)) = cut((
        date,
        keyword("effective"),
        expecting(day_count, "a whole number of days"),
        alt((keyword("days"), keyword("day"))),
        keyword("after"),
        keyword("publication"),
        keyword("under"),
        expecting(ident, "the act that limits the publication period"),
        end_pos,
    ))
    .parse(i)?;
    let evidence = |i| {
        let (i, start) = keyword("applied")(i)?;
        let (i, (date, citations, end)) = cut((date, citations, end_pos)).parse(i)?;
        Ok((
            i,
            Evidence {
                date,
                citations,
                span: start.to(end),
            },
        ))
    };
    let (i, applied) = opt(evidence).parse(i)?;
    let span = start.to(applied.as_ref().map_or(end, |e| e.span));
    Ok((
        i,
        EntryRule {
            signed,
            days,
            days_span,
            under,
            applied,
            span,
        },
    ))
}

/// A whole number of days, `10`.
fn day_count(i: In) -> PResult<(u32, Span)> {
    let (i, ()) = ws(i)?;
    let (rest, digits) = nom::bytes::complete::take_while1(|c: char| c.is_ascii_digit())(i)?;
    match digits.fragment().parse::<u32>() {
        Ok(days) if days <= 366 => Ok((rest, (days, span_of(&i, digits.fragment().len())))),
        _ => Err(nom::Err::Failure(PError::message(
            i,
            SyntaxProblem::PublicationDelay {
                days: digits.fragment().to_string(),
            },
        ))),
    }
}

fn source(i: In) -> PResult<Item> {
    named("source").map(Item::Source).parse(i)
}

fn enum_decl(i: In) -> PResult<Item> {
    let (i, start) = keyword("enum")(i)?;
    let (i, (name, variants, end)) = cut((ident, braced_list(ident), end_pos)).parse(i)?;
    Ok((
        i,
        Item::Enum(EnumDecl {
            name,
            variants,
            span: start.to(end),
        }),
    ))
}

fn record_decl(i: In) -> PResult<Item> {
    let (i, start) = keyword("record")(i)?;
    let field = |i| {
        // Once the `:` is read, a type must follow: `votes: }` is reported at the `}`.
        let (i, (name, _, ty)) = (ident, symbol(":"), cut(type_ann)).parse(i)?;
        Ok((i, (name, ty)))
    };
    let (i, (name, fields, end)) = cut((ident, braced_list(field), end_pos)).parse(i)?;
    Ok((
        i,
        Item::Record(RecordDecl {
            name,
            fields,
            span: start.to(end),
        }),
    ))
}

fn type_ann(i: In) -> PResult<TypeAnn> {
    let (i, start) = start_pos(i)?;
    let list = |i| {
        let (i, _) = keyword("list")(i)?;
        cut(ident).parse(i)
    };
    if let Ok((rest, element)) = list(i) {
        let span = start.to(element.span);
        return Ok((
            rest,
            TypeAnn {
                kind: TypeAnnKind::List(element),
                span,
            },
        ));
    }
    if let Ok((rest, span)) = keyword("count")(i) {
        // `count` is also the counting aggregate, hence a keyword; here it names the type.
        return Ok((
            rest,
            TypeAnn {
                kind: TypeAnnKind::Named("count".to_string()),
                span,
            },
        ));
    }
    let (i, name) = expecting(
        ident,
        "a type (`bool`, `int`, `count`, `decimal`, `percent`, `date`, `duration`, `text`, `seats`, `list NAME`, or an enum or record name)",
    )(i)?;
    Ok((
        i,
        TypeAnn {
            span: name.span,
            kind: TypeAnnKind::Named(name.text),
        },
    ))
}

fn input_decl(i: In) -> PResult<Item> {
    let (i, start) = keyword("input")(i)?;
    let (i, (name, _, ty, text)) = cut((global_name, symbol(":"), type_ann, string)).parse(i)?;
    Ok((
        i,
        Item::Input(InputDecl {
            name,
            ty: Some(ty),
            span: start.to(text.1),
            text: text.0,
            judgment: false,
        }),
    ))
}

fn judgment_decl(i: In) -> PResult<Item> {
    let (i, start) = keyword("judgment")(i)?;
    let (i, (name, text)) = cut((global_name, string)).parse(i)?;
    Ok((
        i,
        Item::Input(InputDecl {
            name,
            ty: None,
            span: start.to(text.1),
            text: text.0,
            judgment: true,
        }),
    ))
}

fn param_decl(i: In) -> PResult<Item> {
    let (i, start) = keyword("param")(i)?;
    let (i, (name, _, ty, text)) = cut((global_name, symbol(":"), type_ann, string)).parse(i)?;
    let (i, first) = cut(expecting(
        param_value,
        "`value` (a parameter needs at least one value)",
    ))
    .parse(i)?;
    let (i, rest) = many0(param_value).parse(i)?;
    let mut values = vec![first];
    values.extend(rest);
    let end = values.last().map_or(text.1, |value| value.span);
    Ok((
        i,
        Item::Param(ParamDecl {
            name,
            ty,
            text: text.0,
            values,
            span: start.to(end),
        }),
    ))
}

fn param_value(i: In) -> PResult<ParamValue> {
    let (i, start) = keyword("value")(i)?;
    let (i, (value, validity, citations, end)) =
        cut((expr::expr, validity, citations, end_pos)).parse(i)?;
    Ok((
        i,
        ParamValue {
            value,
            validity,
            citations,
            span: start.to(end),
        },
    ))
}

fn validity(i: In) -> PResult<Validity> {
    let dates = |i| {
        let (i, (earliest, known)) = (
            date,
            opt(|i| {
                let (i, _) = symbol("..")(i)?;
                cut(date).parse(i)
            }),
        )
            .parse(i)?;
        Ok((i, Start::Dates { earliest, known }))
    };
    let acts = |i| {
        let (i, first) = ident(i)?;
        let (i, mut rest) = many0(|i| {
            let (i, _) = keyword("or")(i)?;
            cut(expecting(ident, "an act name")).parse(i)
        })
        .parse(i)?;
        rest.insert(0, first);
        Ok((i, Start::Acts(rest)))
    };
    let from_part = |i| {
        let (i, _) = keyword("from")(i)?;
        cut(expecting(
            |i| alt((dates, acts)).parse(i),
            "a date (YYYY-MM-DD), a window `DATE .. DATE` or an act name",
        ))
        .parse(i)
    };
    let until_part = |i| {
        let (i, _) = keyword("until")(i)?;
        cut(date).parse(i)
    };
    let (i, (from, until)) = (opt(from_part), opt(until_part)).parse(i)?;
    Ok((i, Validity { from, until }))
}

fn citation(see: bool) -> impl Fn(In) -> PResult<Citation> {
    move |i| {
        let (i, (target, article)) = (
            expecting(ident, "an act or source name"),
            cut(expecting(
                string,
                "the article in quotes, e.g. \"Art. 72(3)\"",
            )),
        )
            .parse(i)?;
        let (i, authority) = opt(alt((
            keyword("verified").map(|_| AuthorityAnn::Verified),
            keyword("secondary").map(|_| AuthorityAnn::Secondary),
        )))
        .parse(i)?;
        let (i, end) = end_pos(i)?;
        Ok((
            i,
            Citation {
                span: target.span.to(end),
                target,
                article: article.0,
                authority,
                see,
            },
        ))
    }
}

fn citations(i: In) -> PResult<Vec<Citation>> {
    let (i, _) = expecting(
        keyword("cite"),
        "`cite` and a citation (every rule and value must cite an article)",
    )(i)?;
    let (i, mut list) = cut(comma_list(citation(false))).parse(i)?;
    let (i, see) = opt(|i| {
        let (i, _) = keyword("see")(i)?;
        cut(comma_list(citation(true))).parse(i)
    })
    .parse(i)?;
    list.extend(see.unwrap_or_default());
    Ok((i, list))
}

/// `constraint NAME "TEXT" requires EXPR cite ...`
fn constraint_decl(i: In) -> PResult<Item> {
    let (i, start) = keyword("constraint")(i)?;
    let (i, (name, text, _, requires, citations)) = cut((
        global_name,
        string,
        keyword("requires"),
        expr::expr,
        citations,
    ))
    .parse(i)?;
    let span = start.to(requires.span);
    Ok((
        i,
        Item::Constraint(ConstraintDecl {
            name,
            text: text.0,
            requires,
            citations,
            span,
        }),
    ))
}

fn question_decl(i: In) -> PResult<Item> {
    let (i, start) = keyword("question")(i)?;
    let (i, (name, _, ty, text)) = cut((global_name, symbol(":"), type_ann, string)).parse(i)?;
    let (i, otherwise) = opt(|i| {
        let (i, _) = keyword("otherwise")(i)?;
        cut(expr::expr).parse(i)
    })
    .parse(i)?;
    let (i, rules) = many0(rule_decl).parse(i)?;
    let end = rules
        .last()
        .map(|rule| rule.span)
        .or(otherwise.as_ref().map(|e| e.span))
        .unwrap_or(text.1);
    Ok((
        i,
        Item::Question(QuestionDecl {
            name,
            ty,
            text: text.0,
            otherwise,
            rules,
            span: start.to(end),
        }),
    ))
}

/// The name of a rule or exception. A keyword there (`default`, `value`, ...) is refused with
/// its own message: answers and scenarios name the deciding rule, and there `default` and
/// `value` already mean the `otherwise` answer and a parameter's value.
fn rule_name(i: In) -> PResult<Ident> {
    let (at, ()) = ws(i)?;
    if let Ok((_, matched)) = word(at)
        && KEYWORDS.contains(matched.fragment())
    {
        return Err(nom::Err::Failure(PError::message(
            at,
            SyntaxProblem::ReservedRuleName {
                keyword: matched.fragment().to_string(),
            },
        )));
    }
    ident(at)
}

fn rule_decl(i: In) -> PResult<RuleDecl> {
    let rule_head = |i| {
        let (i, start) = keyword("rule")(i)?;
        let (i, name) = cut(rule_name).parse(i)?;
        Ok((i, (start, name, None)))
    };
    let exception_head = |i| {
        let (i, start) = keyword("exception")(i)?;
        let (i, (name, _, target)) = cut((rule_name, keyword("to"), ident)).parse(i)?;
        Ok((i, (start, name, Some(target))))
    };
    let (i, (start, name, exception_to)) = alt((rule_head, exception_head)).parse(i)?;
    let (i, under) = opt(under_reading).parse(i)?;
    let when_part = |i| {
        let (i, _) = keyword("when")(i)?;
        cut(expr::expr).parse(i)
    };
    let (i, (validity, when)) = cut((validity, opt(when_part))).parse(i)?;
    // After a condition, what else may follow is an operator that continues it.
    let then_expected = if when.is_some() {
        "an operator or `then VALUE`"
    } else {
        "`when CONDITION` or `then VALUE`"
    };
    let (i, (_, then, citations, end)) = cut((
        expecting(keyword("then"), then_expected),
        expr::expr,
        citations,
        end_pos,
    ))
    .parse(i)?;
    Ok((
        i,
        RuleDecl {
            name,
            exception_to,
            under,
            validity,
            when,
            then,
            citations,
            span: start.to(end),
        },
    ))
}

fn scenario(i: In) -> PResult<Item> {
    let (i, start) = keyword("scenario")(i)?;
    let (i, (title, _, _, as_of)) = cut((string, keyword("as"), keyword("of"), date)).parse(i)?;
    let mut givens = Vec::new();
    let mut assumes = Vec::new();
    let mut expects = Vec::new();
    let mut i = i;
    loop {
        if let Ok((rest, given)) = given_stmt(i) {
            givens.push(given);
            i = rest;
        } else if let Ok((rest, assume)) = assume_stmt(i) {
            assumes.push(assume);
            i = rest;
        } else if let Ok((rest, expect)) = expect_stmt(i) {
            expects.push(expect);
            i = rest;
        } else {
            // Commit to a statement once its keyword is seen, so its errors are reported.
            match alt((
                given_stmt.map(|_| ()),
                assume_stmt.map(|_| ()),
                expect_stmt.map(|_| ()),
            ))
            .parse(i)
            {
                Err(nom::Err::Failure(error)) => return Err(nom::Err::Failure(error)),
                _ => break,
            }
        }
    }
    let end = expects
        .last()
        .map(|e| e.span)
        .or(givens.last().map(|g| g.span))
        .or(assumes.last().map(|a| a.span))
        .unwrap_or(as_of.span);
    Ok((
        i,
        Item::Scenario(Scenario {
            title: title.0,
            as_of,
            givens,
            assumes,
            expects,
            span: start.to(end),
        }),
    ))
}

fn assume_stmt(i: In) -> PResult<Assume> {
    let (i, start) = keyword("assume")(i)?;
    let (i, (act, _, date)) = cut((ident, symbol("="), date)).parse(i)?;
    Ok((
        i,
        Assume {
            act,
            span: start.to(date.span),
            date,
        },
    ))
}

fn given_stmt(i: In) -> PResult<Given> {
    let (i, start) = keyword("given")(i)?;
    let (i, (name, _, value)) = cut((global_name, symbol("="), expr::expr)).parse(i)?;
    Ok((
        i,
        Given {
            name,
            span: start.to(value.span),
            value,
        },
    ))
}

fn expect_stmt(i: In) -> PResult<Expect> {
    let (i, start) = keyword("expect")(i)?;
    let (i, name) = cut(global_name).parse(i)?;
    let value = |i| {
        let (i, _) = symbol("=")(i)?;
        cut(expr::expr).map(Expected::Value).parse(i)
    };
    let status = |i| {
        let (i, _) = keyword("is")(i)?;
        // `contested` is a keyword (it declares a contested point) and a status word here.
        let contested = |i| {
            keyword("contested")
                .map(|span| Ident {
                    text: "contested".to_string(),
                    span,
                })
                .parse(i)
        };
        cut(expecting(
            |i| alt((contested, ident)).parse(i),
            "a status: `answered`, `unknown`, `needs_judgment`, `not_covered`, `conflict` or `contested`",
        ))
        .map(Expected::Status)
        .parse(i)
    };
    let (i, expected) = cut(expecting(
        |i| alt((value, status)).parse(i),
        "`= VALUE` or `is STATUS`",
    ))
    .parse(i)?;
    let because = |i| {
        alt((
            |i| {
                let (i, _) = keyword("by")(i)?;
                // `default` is a keyword (a contested point's default reading), and also
                // names the `otherwise` answer here.
                let by_default = |i| keyword("default").map(Because::Default).parse(i);
                cut(alt((by_default, ident.map(Because::Rule)))).parse(i)
            },
            |i| {
                let (i, _) = keyword("citing")(i)?;
                cut(string)
                    .map(|(text, span)| Because::Citing(text, span))
                    .parse(i)
            },
        ))
        .parse(i)
    };
    let (i, because) = many0(because).parse(i)?;
    let (i, under) = many0(under_reading).parse(i)?;
    let (i, end) = end_pos(i)?;
    Ok((
        i,
        Expect {
            name,
            expected,
            because,
            under,
            span: start.to(end),
        },
    ))
}

/// `under reading POINT.READING`
fn under_reading(i: In) -> PResult<Ident> {
    let (i, _) = keyword("under")(i)?;
    let (i, _) = cut(keyword("reading")).parse(i)?;
    cut(expecting(
        global_name,
        "a reading: the contested point and the reading, e.g. `mazhilis.runner_up_overflow.reduce`",
    ))
    .parse(i)
}

/// `contested NAME "question" [within POINT.READING] reading ... { reading ... } [default READING "reason"]`
fn contested_decl(i: In) -> PResult<Item> {
    let (i, start) = keyword("contested")(i)?;
    let (i, (name, text)) = cut((global_name, string)).parse(i)?;
    let (i, within) = opt(|i| {
        let (i, _) = keyword("within")(i)?;
        cut(expecting(
            global_name,
            "a reading of another contested point, e.g. `mazhilis.runner_up_overflow.reduce`",
        ))
        .parse(i)
    })
    .parse(i)?;
    let reading = |i| {
        let (i, start) = keyword("reading")(i)?;
        let (i, (name, statement, citations, end)) =
            cut((ident, string, citations, end_pos)).parse(i)?;
        Ok((
            i,
            ReadingDecl {
                name,
                statement: statement.0,
                citations,
                span: start.to(end),
            },
        ))
    };
    let (i, first) = cut(expecting(
        reading,
        "`reading NAME \"statement\" cite ...` (a contested point needs its readings)",
    ))
    .parse(i)?;
    let (i, rest) = many0(reading).parse(i)?;
    let mut readings = vec![first];
    readings.extend(rest);
    let (i, default) = opt(|i| {
        let (i, _) = keyword("default")(i)?;
        let (i, (name, reason)) = cut((
            expecting(ident, "the name of one of the readings above"),
            expecting(string, "the reason in quotes"),
        ))
        .parse(i)?;
        Ok((
            i,
            DefaultReading {
                name,
                reason: reason.0,
            },
        ))
    })
    .parse(i)?;
    let (i, end) = end_pos(i)?;
    Ok((
        i,
        Item::Contested(ContestedDecl {
            name,
            text: text.0,
            within,
            readings,
            default,
            span: start.to(end),
        }),
    ))
}
