//! Expressions, loosest binding first: `if`, `or`, `and`, `not`, comparisons and `in`,
//! `+ -`, `* /`, unary `-`, then literals, aggregates, calls, paths and brackets.

use super::lex::*;
use crate::ast::*;
use crate::keywords::KEYWORDS;
use crate::num::Num;
use nom::Parser;
use nom::branch::alt;
use nom::bytes::complete::take_while1;
use nom::combinator::{cut, opt};
use nom::{Input, multi::separated_list0};

fn node(kind: ExprKind, span: crate::span::Span) -> Expr {
    Expr { kind, span }
}

pub fn expr(i: In) -> PResult<Expr> {
    let (i, start) = start_pos(i)?;
    if let Ok((i, _)) = keyword("if")(i) {
        return nested(i, |i| {
            let (i, (cond, _, then, _, otherwise)) = cut((
                expr,
                expecting(keyword("then"), "`then`"),
                expr,
                expecting(keyword("else"), "`else`"),
                expr,
            ))
            .parse(i)?;
            let span = start.to(otherwise.span);
            Ok((
                i,
                node(
                    ExprKind::If(Box::new(cond), Box::new(then), Box::new(otherwise)),
                    span,
                ),
            ))
        });
    }
    disjunction(i)
}

fn left_assoc<'a>(
    operand: fn(In<'a>) -> PResult<'a, Expr>,
    operator: impl Fn(In<'a>) -> PResult<'a, BinaryOp>,
) -> impl Fn(In<'a>) -> PResult<'a, Expr> {
    move |i| {
        let (mut i, mut left) = operand(i)?;
        // Each operator nests the left side one level deeper; the levels are given back
        // when the chain ends, however it ends.
        let mut levels = 0;
        let result = loop {
            match operator(i) {
                Ok((rest, op)) => {
                    levels += 1;
                    let at = ws(i).map_or(i, |(at, ())| at);
                    if let Err(error) = deeper(at) {
                        break Err(error);
                    }
                    let (rest, right) = match cut(operand).parse(rest) {
                        Ok(parsed) => parsed,
                        Err(error) => break Err(error),
                    };
                    let span = left.span.to(right.span);
                    left = node(ExprKind::Binary(op, Box::new(left), Box::new(right)), span);
                    i = rest;
                }
                Err(nom::Err::Failure(error)) => break Err(nom::Err::Failure(error)),
                Err(_) => break Ok((i, left)),
            }
        };
        shallower(levels);
        result
    }
}

fn disjunction(i: In) -> PResult<Expr> {
    left_assoc(conjunction, |i| {
        keyword("or").map(|_| BinaryOp::Or).parse(i)
    })(i)
}

fn conjunction(i: In) -> PResult<Expr> {
    left_assoc(negation, |i| keyword("and").map(|_| BinaryOp::And).parse(i))(i)
}

fn negation(i: In) -> PResult<Expr> {
    let (i, start) = start_pos(i)?;
    if let Ok((i, _)) = keyword("not")(i) {
        return nested(i, |i| {
            let (i, operand) = cut(negation).parse(i)?;
            let span = start.to(operand.span);
            Ok((
                i,
                node(ExprKind::Unary(UnaryOp::Not, Box::new(operand)), span),
            ))
        });
    }
    comparison(i)
}

fn compare_op(i: In) -> PResult<BinaryOp> {
    alt((
        symbol("<=").map(|_| BinaryOp::Le),
        symbol(">=").map(|_| BinaryOp::Ge),
        symbol("!=").map(|_| BinaryOp::Ne),
        symbol("<").map(|_| BinaryOp::Lt),
        symbol(">").map(|_| BinaryOp::Gt),
        symbol("=").map(|_| BinaryOp::Eq),
    ))
    .parse(i)
}

fn comparison(i: In) -> PResult<Expr> {
    let (i, left) = sum(i)?;
    if let Ok((rest, op)) = compare_op(i) {
        let (rest, right) = cut(sum).parse(rest)?;
        let span = left.span.to(right.span);
        return Ok((
            rest,
            node(ExprKind::Binary(op, Box::new(left), Box::new(right)), span),
        ));
    }
    if let Ok((rest, _)) = keyword("in")(i) {
        let (rest, (variants, end)) = cut((braced_list(ident), end_pos)).parse(rest)?;
        let span = left.span.to(end);
        return Ok((rest, node(ExprKind::In(Box::new(left), variants), span)));
    }
    Ok((i, left))
}

fn sum(i: In) -> PResult<Expr> {
    left_assoc(product, |i| {
        alt((
            symbol("+").map(|_| BinaryOp::Add),
            symbol("-").map(|_| BinaryOp::Sub),
        ))
        .parse(i)
    })(i)
}

fn product(i: In) -> PResult<Expr> {
    left_assoc(unary, |i| {
        alt((
            symbol("*").map(|_| BinaryOp::Mul),
            symbol("/").map(|_| BinaryOp::Div),
        ))
        .parse(i)
    })(i)
}

fn unary(i: In) -> PResult<Expr> {
    let (i, start) = start_pos(i)?;
    if let Ok((i, _)) = symbol("-")(i) {
        return nested(i, |i| {
            let (i, operand) = cut(unary).parse(i)?;
            let span = start.to(operand.span);
            Ok((
                i,
                node(ExprKind::Unary(UnaryOp::Neg, Box::new(operand)), span),
            ))
        });
    }
    primary(i)
}

const PRIMARY: &str =
    "a value (a number, percentage, date, string, `true`/`false`, a name, or `(`)";

fn primary(i: In) -> PResult<Expr> {
    let (i, start) = start_pos(i)?;
    let rest = *i.fragment();
    if rest.starts_with('(') {
        return nested(i, |i| {
            let (i, _) = symbol("(")(i)?;
            let (i, (inner, _)) = cut((expr, symbol(")"))).parse(i)?;
            Ok((i, inner))
        });
    }
    if rest.starts_with('[') {
        return nested(i, |i| {
            let (i, _) = symbol("[")(i)?;
            let (i, items) = separated_list0(symbol(","), expr).parse(i)?;
            let (i, _) = opt(symbol(",")).parse(i)?;
            let (i, (_, end)) = cut((symbol("]"), end_pos)).parse(i)?;
            Ok((i, node(ExprKind::List(items), start.to(end))))
        });
    }
    if rest.starts_with('{') {
        return nested(i, |i| {
            let (i, _) = symbol("{")(i)?;
            let (i, entries) = separated_list0(symbol(","), map_entry).parse(i)?;
            let (i, _) = opt(symbol(",")).parse(i)?;
            let (i, (_, end)) = cut((symbol("}"), end_pos)).parse(i)?;
            Ok((i, node(ExprKind::Map(entries), start.to(end))))
        });
    }
    if rest.starts_with('"') {
        let (i, (text, span)) = string(i)?;
        return Ok((i, node(ExprKind::Text(text), span)));
    }
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return number(i);
    }
    if let Ok((i, span)) = keyword("as_of")(i) {
        return Ok((i, node(ExprKind::AsOf, span)));
    }
    if let Ok((i, span)) = keyword("reading")(i) {
        let (i, name) = cut(expecting(
            global_name,
            "a reading: the contested point and the reading, e.g. `mazhilis.runner_up_overflow.minimum_prevails`",
        ))
        .parse(i)?;
        let span = span.to(name.span);
        return Ok((i, node(ExprKind::Reading(name), span)));
    }
    if let Ok((i, span)) = keyword("true")(i) {
        return Ok((i, node(ExprKind::Bool(true), span)));
    }
    if let Ok((i, span)) = keyword("false")(i) {
        return Ok((i, node(ExprKind::Bool(false), span)));
    }
    for (kw, kind) in [
        ("sum", AggregateKind::Sum),
        ("min", AggregateKind::Min),
        ("max", AggregateKind::Max),
        ("any", AggregateKind::Any),
        ("all", AggregateKind::All),
        ("count", AggregateKind::Count),
    ] {
        if let Ok((i, _)) = keyword(kw)(i) {
            return nested(i, |i| aggregate(i, start, kind));
        }
    }
    for (kw, builtin) in [
        ("allocate_seats", Builtin::AllocateSeats),
        ("floor", Builtin::Floor),
    ] {
        if let Ok((i, _)) = keyword(kw)(i) {
            return nested(i, |i| {
                let (i, (_, args, _, end)) = cut((
                    symbol("("),
                    separated_list0(symbol(","), expr),
                    symbol(")"),
                    end_pos,
                ))
                .parse(i)?;
                Ok((i, node(ExprKind::Call(builtin, args), start.to(end))))
            });
        }
    }
    match path(i) {
        Ok((i, segments)) => {
            let span = segments
                .first()
                .map(|s| s.span)
                .unwrap_or(start)
                .to(segments.last().map(|s| s.span).unwrap_or(start));
            Ok((i, node(ExprKind::Path(segments), span)))
        }
        Err(nom::Err::Failure(error)) => Err(nom::Err::Failure(error)),
        Err(_) => Err(nom::Err::Error(PError::expected(i, PRIMARY))),
    }
}

fn map_entry(i: In) -> PResult<(MapKey, Expr)> {
    let key = |i| {
        alt((
            ident.map(MapKey::Field),
            string.map(|(text, span)| MapKey::Text(text, span)),
        ))
        .parse(i)
    };
    let (i, (key, _, value)) = (key, cut(symbol(":")), cut(expr)).parse(i)?;
    Ok((i, (key, value)))
}

fn aggregate(i: In, start: crate::span::Span, kind: AggregateKind) -> PResult<Expr> {
    let (i, (_, var, _, list)) = cut((symbol("("), ident, keyword("in"), expr)).parse(i)?;
    let (i, body) = if kind == AggregateKind::Count {
        let (i, condition) = opt(|i| {
            let (i, _) = keyword("where")(i)?;
            cut(expr).parse(i)
        })
        .parse(i)?;
        (i, condition)
    } else {
        let (i, (_, body)) = cut((symbol(":"), expr)).parse(i)?;
        (i, Some(body))
    };
    let (i, (_, end)) = cut((symbol(")"), end_pos)).parse(i)?;
    Ok((
        i,
        node(
            ExprKind::Aggregate {
                kind,
                var,
                list: Box::new(list),
                body: body.map(Box::new),
            },
            start.to(end),
        ),
    ))
}

/// Dates, whole numbers, decimals, percentages and durations.
fn number(i: In) -> PResult<Expr> {
    if looks_like_date(i) {
        let (i, date) = date(i)?;
        return Ok((i, node(ExprKind::Date(date.date), date.span)));
    }
    let start = i;
    let (i, whole) = take_while1(|c: char| c.is_ascii_digit() || c == '_')(i)?;
    let mut text = whole.fragment().to_string();
    let mut i = i;
    let mut is_decimal = false;
    if i.fragment().starts_with('.') && i.fragment()[1..].starts_with(|c: char| c.is_ascii_digit())
    {
        let (rest, fraction) = take_while1(|c: char| c.is_ascii_digit())(i.take_from(1))?;
        text.push('.');
        text.push_str(fraction.fragment());
        i = rest;
        is_decimal = true;
    }
    let too_large = || {
        nom::Err::Failure(PError::message(
            start,
            SyntaxProblem::NumberTooLarge { text: text.clone() },
        ))
    };
    if text.ends_with('_') || text.contains("__") {
        return Err(nom::Err::Failure(PError::message(
            start,
            SyntaxProblem::MalformedNumber { text },
        )));
    }
    let value = Num::parse_decimal(&text).ok_or_else(too_large)?;
    if i.fragment().starts_with('%') {
        let i = i.take_from(1);
        let len = i.location_offset() - start.location_offset();
        let percent = value.checked_div(Num::int(100)).ok_or_else(too_large)?;
        return Ok((i, node(ExprKind::Percent(percent), span_of(&start, len))));
    }
    let len = i.location_offset() - start.location_offset();
    if is_decimal {
        return Ok((i, node(ExprKind::Decimal(value), span_of(&start, len))));
    }
    let int = value.to_i64().ok_or_else(too_large)?;
    for (kw, unit) in [
        ("days", DurationUnit::Days),
        ("day", DurationUnit::Days),
        ("months", DurationUnit::Months),
        ("month", DurationUnit::Months),
        ("years", DurationUnit::Years),
        ("year", DurationUnit::Years),
    ] {
        if let Ok((rest, unit_span)) = keyword(kw)(i) {
            let span = span_of(&start, 0).to(unit_span);
            return Ok((rest, node(ExprKind::Duration(int, unit), span)));
        }
    }
    // A word after a whole number on the same line can only be meant as a unit: two values
    // never stand side by side.
    let after_spaces = i.fragment().trim_start_matches([' ', '\t']);
    let word: String = after_spaces
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if word.starts_with(|c: char| c.is_ascii_alphabetic())
        && !KEYWORDS.contains(&word.as_str())
        && !after_spaces[word.len()..].starts_with('.')
    {
        let at = i.take_from(i.fragment().len() - after_spaces.len());
        return Err(nom::Err::Failure(PError::message(
            at,
            SyntaxProblem::UnknownUnit { word, number: int },
        )));
    }
    Ok((i, node(ExprKind::Int(int), span_of(&start, len))))
}
