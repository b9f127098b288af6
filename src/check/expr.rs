//! Typing expressions: names resolved to items, locals and enum values; operators checked.

use super::Resolver;
use super::problem::CheckProblem;
use crate::ast::{self, AggregateKind, BinaryOp, Builtin, ExprKind, MapKey, UnaryOp};
use crate::diagnostic::Diagnostic;
use crate::num::Num;
use crate::rulebase::*;
use std::sync::Arc;

/// The names an aggregate binds, innermost last; a name's slot is its index.
#[derive(Default)]
pub struct Scope {
    locals: Vec<(String, Type)>,
}

pub(crate) fn references(e: &CExpr, found: &mut Vec<ItemId>) {
    match &e.kind {
        CExprKind::Item(id) => found.push(*id),
        CExprKind::Const(_) | CExprKind::Local(_) | CExprKind::AsOf | CExprKind::Reading(_) => {}
        CExprKind::Field(inner, _)
        | CExprKind::Not(inner)
        | CExprKind::Neg(inner)
        | CExprKind::Floor(inner) => references(inner, found),
        CExprKind::In(inner, _, _) => references(inner, found),
        CExprKind::Binary(_, left, right, _) => {
            references(left, found);
            references(right, found);
        }
        CExprKind::If(cond, then, otherwise) => {
            references(cond, found);
            references(then, found);
            references(otherwise, found);
        }
        CExprKind::Aggregate { list, body, .. } => {
            references(list, found);
            if let Some(body) = body {
                references(body, found);
            }
        }
        CExprKind::AllocateSeats(args) => args.iter().for_each(|a| references(a, found)),
        CExprKind::List(items) | CExprKind::Record(items) => {
            items.iter().for_each(|a| references(a, found))
        }
        CExprKind::Seats(entries) => entries.iter().for_each(|(_, a)| references(a, found)),
    }
}

/// Whether a value of type `actual` may stand where `expected` is wanted.
fn assignable(expected: Type, actual: Type) -> bool {
    expected == actual
        || (expected.is_numeric()
            && actual.is_numeric()
            && (!expected.is_whole() || actual.is_whole()))
}

fn collapse_whitespace(text: &str) -> Arc<str> {
    text.split_whitespace().collect::<Vec<_>>().join(" ").into()
}

impl Resolver<'_> {
    fn text_of(&self, e: &ast::Expr) -> Arc<str> {
        collapse_whitespace(self.sources.snippet(e.span))
    }

    fn mismatch(&mut self, e: &ast::Expr, expected: &str, actual: Type) {
        let actual = self.rb.type_name(actual);
        self.error(
            CheckProblem::TypeMismatch {
                expected: expected.to_string(),
                actual: actual.to_string(),
            }
            .diagnostic()
            .at(e.span, format!("this is `{actual}`")),
        );
    }

    /// Checks `e` where a value of type `ty` is wanted.
    pub(crate) fn expr_as(&mut self, e: &ast::Expr, ty: Type, scope: &mut Scope) -> Option<CExpr> {
        let checked = self.expr(e, Some(ty), scope)?;
        if assignable(ty, checked.ty) {
            Some(CExpr { ty, ..checked })
        } else {
            let wanted = format!("`{}`", self.rb.type_name(ty));
            self.mismatch(e, &wanted, checked.ty);
            None
        }
    }

    /// A literal value of type `ty`, as in a parameter value, a scenario's `given` or `expect`.
    pub(crate) fn const_value(&mut self, e: &ast::Expr, ty: Type) -> Option<Value> {
        // One limit for lists from every source of facts (scenario files, `--given`, JSON),
        // checked before the items are, so that an oversize list costs no more than reading it.
        let items = match &e.kind {
            ast::ExprKind::List(items) => Some(items.len()),
            ast::ExprKind::Map(entries) => Some(entries.len()),
            ast::ExprKind::Bool(_)
            | ast::ExprKind::AsOf
            | ast::ExprKind::Int(_)
            | ast::ExprKind::Decimal(_)
            | ast::ExprKind::Percent(_)
            | ast::ExprKind::Date(_)
            | ast::ExprKind::Duration(..)
            | ast::ExprKind::Text(_)
            | ast::ExprKind::Path(_)
            | ast::ExprKind::Unary(..)
            | ast::ExprKind::Binary(..)
            | ast::ExprKind::In(..)
            | ast::ExprKind::If(..)
            | ast::ExprKind::Aggregate { .. }
            | ast::ExprKind::Call(..)
            | ast::ExprKind::Reading(_) => None,
        };
        if let Some(items) = items
            && items > crate::values::MAX_LIST_LEN
        {
            self.error(
                CheckProblem::ListTooLong { found: items }
                    .diagnostic()
                    .at(e.span, "this list")
                    .hint("no election has that many lists; split the case if it is real"),
            );
            return None;
        }
        if let Some(diagnostic) = unit_mistake(e, ty) {
            self.error(diagnostic);
            return None;
        }
        let mut scope = Scope::default();
        let checked = self.expr_as(e, ty, &mut scope)?;
        match fold_const(&checked) {
            Some(value) => match crate::values::check_domain(self.rb, ty, &value) {
                Ok(()) => Some(value),
                Err(problem) => {
                    self.error(
                        CheckProblem::Domain(problem)
                            .diagnostic()
                            .at(e.span, "out of range"),
                    );
                    None
                }
            },
            None => {
                self.error(
                    CheckProblem::ExpectedLiteral.diagnostic()
                        .at(e.span, "this must be written out, not computed")
                        .hint("write the value itself, e.g. `5%`, `20_000`, `2023-01-01` or `citizen`"),
                );
                None
            }
        }
    }

    fn enum_variant(&mut self, ident: &ast::Ident, expected: Option<Type>) -> Option<CExpr> {
        if let Some(Type::Enum(enum_id)) = expected {
            let def = &self.rb.enums[enum_id.0 as usize];
            if let Some(idx) = def.variants.iter().position(|v| *v == ident.text) {
                return Some(CExpr {
                    kind: CExprKind::Const(Value::Enum(enum_id, idx as u32)),
                    ty: Type::Enum(enum_id),
                    span: ident.span,
                });
            }
            let name = def.name.clone();
            let mut diagnostic = CheckProblem::NotAnEnumValue {
                name: ident.text.clone(),
                enum_name: name.to_string(),
            }
            .diagnostic()
            .at(
                ident.span,
                format!("expected one of: {}", def.variants.join(", ")),
            );
            if let Some(close) = self.closest(&ident.text, def.variants.iter().map(String::as_str))
            {
                diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
            }
            self.error(diagnostic);
            return None;
        }
        let matches: Vec<(usize, usize)> = self
            .rb
            .enums
            .iter()
            .enumerate()
            .filter_map(|(e, def)| {
                def.variants
                    .iter()
                    .position(|v| *v == ident.text)
                    .map(|v| (e, v))
            })
            .collect();
        if let [(enum_idx, variant_idx)] = matches.as_slice() {
            return Some(CExpr {
                kind: CExprKind::Const(Value::Enum(EnumId(*enum_idx as u32), *variant_idx as u32)),
                ty: Type::Enum(EnumId(*enum_idx as u32)),
                span: ident.span,
            });
        }
        let mut diagnostic = CheckProblem::UnknownName {
            name: ident.text.clone(),
        }
        .diagnostic()
        .at(ident.span, "not a local name or an enum value here");
        let names = self.rb.names.keys().map(String::as_str);
        if let Some(close) = self.closest(&ident.text, names) {
            diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
        } else if matches.len() > 1 {
            diagnostic = diagnostic
                .hint("this value belongs to several enums; compare it with a typed name");
        }
        self.error(diagnostic);
        None
    }

    fn path(
        &mut self,
        e: &ast::Expr,
        segments: &[ast::Ident],
        expected: Option<Type>,
        scope: &mut Scope,
    ) -> Option<CExpr> {
        let first = segments.first()?;
        if let Some(slot) = scope
            .locals
            .iter()
            .rposition(|(name, _)| *name == first.text)
        {
            let mut current = CExpr {
                kind: CExprKind::Local(slot as u32),
                ty: scope.locals[slot].1,
                span: first.span,
            };
            for field in &segments[1..] {
                let Type::Record(record_id) = current.ty else {
                    let shown = self.rb.type_name(current.ty);
                    self.error(
                        CheckProblem::NoFields {
                            shown: shown.to_string(),
                        }
                        .diagnostic()
                        .at(field.span, "field access on a value that is not a record"),
                    );
                    return None;
                };
                let record = &self.rb.records[record_id.0 as usize];
                let Some(field_idx) = record
                    .fields
                    .iter()
                    .position(|(name, _)| *name == field.text)
                else {
                    let fields: Vec<&str> = record.fields.iter().map(|(n, _)| n.as_str()).collect();
                    let record_name = record.name.clone();
                    self.error(
                        CheckProblem::NoSuchField {
                            record: record_name.to_string(),
                            field: field.text.clone(),
                        }
                        .diagnostic()
                        .at(field.span, format!("fields: {}", fields.join(", "))),
                    );
                    return None;
                };
                let ty = record.fields[field_idx].1;
                current = CExpr {
                    kind: CExprKind::Field(Box::new(current), field_idx as u32),
                    ty,
                    span: first.span.to(field.span),
                };
            }
            return Some(current);
        }
        if segments.len() == 1 {
            return self.enum_variant(first, expected);
        }
        let full: String = segments
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(".");
        match self.rb.lookup(&full) {
            Some(id) => Some(CExpr {
                kind: CExprKind::Item(id),
                ty: self.rb.item(id).ty,
                span: e.span,
            }),
            None => {
                let mut diagnostic = CheckProblem::UnknownName {
                    name: full.to_string(),
                }
                .diagnostic()
                .at(
                    e.span,
                    "no input, judgment, parameter or question has this name",
                );
                if let Some(close) = self.closest(&full, self.rb.names.keys().map(String::as_str)) {
                    diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
                }
                self.error(diagnostic);
                None
            }
        }
    }

    pub(crate) fn expr(
        &mut self,
        e: &ast::Expr,
        expected: Option<Type>,
        scope: &mut Scope,
    ) -> Option<CExpr> {
        let span = e.span;
        let make = |kind, ty| Some(CExpr { kind, ty, span });
        match &e.kind {
            ExprKind::Bool(b) => make(CExprKind::Const(Value::Bool(*b)), Type::Bool),
            ExprKind::AsOf => make(CExprKind::AsOf, Type::Date),
            ExprKind::Int(n) => {
                let ty = if expected == Some(Type::Count) && *n >= 0 {
                    Type::Count
                } else {
                    Type::Int
                };
                make(CExprKind::Const(Value::Num(Num::int(*n))), ty)
            }
            ExprKind::Decimal(n) => make(CExprKind::Const(Value::Num(*n)), Type::Decimal),
            ExprKind::Percent(n) => make(CExprKind::Const(Value::Num(*n)), Type::Percent),
            ExprKind::Date(d) => make(CExprKind::Const(Value::Date(*d)), Type::Date),
            ExprKind::Duration(amount, unit) => make(
                CExprKind::Const(Value::Duration(Duration {
                    amount: *amount,
                    unit: *unit,
                })),
                Type::Duration,
            ),
            ExprKind::Text(t) => make(CExprKind::Const(Value::Text(t.as_str().into())), Type::Text),
            ExprKind::Path(segments) => self.path(e, segments, expected, scope),
            ExprKind::Unary(UnaryOp::Not, inner) => {
                let inner = self.expr_as(inner, Type::Bool, scope)?;
                make(CExprKind::Not(Box::new(inner)), Type::Bool)
            }
            ExprKind::Unary(UnaryOp::Neg, inner) => {
                let checked = self.expr(inner, None, scope)?;
                if !checked.ty.is_numeric() {
                    self.mismatch(inner, "a number", checked.ty);
                    return None;
                }
                let ty = if checked.ty == Type::Count {
                    Type::Int
                } else {
                    checked.ty
                };
                make(CExprKind::Neg(Box::new(checked)), ty)
            }
            ExprKind::Binary(op, left, right) => self.binary(e, *op, left, right, scope),
            ExprKind::In(inner, variants) => {
                let checked = self.expr(inner, None, scope)?;
                let Type::Enum(enum_id) = checked.ty else {
                    self.mismatch(inner, "an enum value", checked.ty);
                    return None;
                };
                let mut indices = Vec::new();
                for variant in variants {
                    let value = self.enum_variant(variant, Some(Type::Enum(enum_id)))?;
                    if let CExprKind::Const(Value::Enum(_, idx)) = value.kind {
                        indices.push(idx);
                    }
                }
                make(
                    CExprKind::In(Box::new(checked), indices, self.text_of(e)),
                    Type::Bool,
                )
            }
            ExprKind::If(cond, then, otherwise) => {
                let cond = self.expr_as(cond, Type::Bool, scope)?;
                let then_checked = self.expr(then, expected, scope)?;
                let otherwise_checked = self.expr(otherwise, Some(then_checked.ty), scope)?;
                let ty = if then_checked.ty == otherwise_checked.ty {
                    then_checked.ty
                } else if then_checked.ty.is_numeric() && otherwise_checked.ty.is_numeric() {
                    if then_checked.ty.is_whole() && otherwise_checked.ty.is_whole() {
                        Type::Int
                    } else {
                        Type::Decimal
                    }
                } else {
                    let wanted = format!(
                        "`{}` like the `then` branch",
                        self.rb.type_name(then_checked.ty)
                    );
                    self.mismatch(otherwise, &wanted, otherwise_checked.ty);
                    return None;
                };
                make(
                    CExprKind::If(
                        Box::new(cond),
                        Box::new(then_checked),
                        Box::new(otherwise_checked),
                    ),
                    ty,
                )
            }
            ExprKind::Aggregate {
                kind,
                var,
                list,
                body,
            } => self.aggregate(e, *kind, var, list, body.as_deref(), scope),
            ExprKind::Call(builtin, args) => self.call(e, *builtin, args, scope),
            ExprKind::Reading(name) => {
                let reading = self.reading_ref(name)?;
                Some(CExpr {
                    kind: CExprKind::Reading(reading),
                    ty: Type::Bool,
                    span: e.span,
                })
            }
            ExprKind::List(items) => {
                let Some(Type::List(record_id)) = expected else {
                    self.error(
                        CheckProblem::ListNotExpected
                            .diagnostic()
                            .at(span, "lists are values of `list RECORD` inputs"),
                    );
                    return None;
                };
                let mut checked = Vec::new();
                for item in items {
                    checked.push(self.expr_as(item, Type::Record(record_id), scope)?);
                }
                make(CExprKind::List(checked), Type::List(record_id))
            }
            ExprKind::Map(entries) => self.map(e, entries, expected, scope),
        }
    }

    fn map(
        &mut self,
        e: &ast::Expr,
        entries: &[(MapKey, ast::Expr)],
        expected: Option<Type>,
        scope: &mut Scope,
    ) -> Option<CExpr> {
        let span = e.span;
        match expected {
            Some(Type::Record(record_id)) => {
                let record = self.rb.records[record_id.0 as usize].clone();
                let mut values: Vec<Option<CExpr>> = vec![None; record.fields.len()];
                for (key, value) in entries {
                    let MapKey::Field(field) = key else {
                        self.error(
                            CheckProblem::QuotedField
                                .diagnostic()
                                .at(value.span, "write `name: value`"),
                        );
                        return None;
                    };
                    let Some(idx) = record.fields.iter().position(|(n, _)| *n == field.text) else {
                        let names: Vec<&str> =
                            record.fields.iter().map(|(n, _)| n.as_str()).collect();
                        self.error(
                            CheckProblem::NoSuchField {
                                record: record.name.to_string(),
                                field: field.text.clone(),
                            }
                            .diagnostic()
                            .at(field.span, format!("fields: {}", names.join(", "))),
                        );
                        return None;
                    };
                    if values[idx].is_some() {
                        self.error(
                            CheckProblem::FieldTwice {
                                field: field.text.clone(),
                            }
                            .diagnostic()
                            .at(field.span, "repeated here"),
                        );
                        return None;
                    }
                    values[idx] = Some(self.expr_as(value, record.fields[idx].1, scope)?);
                }
                let mut complete = Vec::new();
                for (idx, value) in values.into_iter().enumerate() {
                    match value {
                        Some(value) => complete.push(value),
                        None => {
                            self.error(
                                CheckProblem::MissingField {
                                    field: record.fields[idx].0.to_string(),
                                    record: record.name.to_string(),
                                }
                                .diagnostic()
                                .at(span, "every field must be given"),
                            );
                            return None;
                        }
                    }
                }
                Some(CExpr {
                    kind: CExprKind::Record(complete),
                    ty: Type::Record(record_id),
                    span,
                })
            }
            Some(Type::Seats) => {
                let mut checked: Vec<(Arc<str>, CExpr)> = Vec::new();
                let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
                for (key, value) in entries {
                    let MapKey::Text(name, key_span) = key else {
                        self.error(
                            CheckProblem::UnquotedListName
                                .diagnostic()
                                .at(value.span, "write `\"Name\": seats`"),
                        );
                        return None;
                    };
                    if !seen.insert(name.as_str()) {
                        self.error(
                            CheckProblem::ListNameTwice {
                                name: name.to_string(),
                            }
                            .diagnostic()
                            .at(*key_span, "repeated here"),
                        );
                        return None;
                    }
                    checked.push((
                        name.as_str().into(),
                        self.expr_as(value, Type::Count, scope)?,
                    ));
                }
                Some(CExpr {
                    kind: CExprKind::Seats(checked),
                    ty: Type::Seats,
                    span,
                })
            }
            _ => {
                self.error(
                    CheckProblem::BracesNotExpected
                        .diagnostic()
                        .at(span, "`{...}` is a record value or a seat allocation"),
                );
                None
            }
        }
    }

    fn binary(
        &mut self,
        e: &ast::Expr,
        op: BinaryOp,
        left: &ast::Expr,
        right: &ast::Expr,
        scope: &mut Scope,
    ) -> Option<CExpr> {
        let span = e.span;
        if matches!(op, BinaryOp::And | BinaryOp::Or) {
            let l = self.expr_as(left, Type::Bool, scope);
            let r = self.expr_as(right, Type::Bool, scope);
            return Some(CExpr {
                kind: CExprKind::Binary(op, Box::new(l?), Box::new(r?), self.text_of(e)),
                ty: Type::Bool,
                span,
            });
        }
        // The right side learns its expected type from the left (for enum values), and
        // a bare enum value on the left learns it from the right.
        let (l, r) = match self.expr(left, None, scope) {
            Some(l) => {
                let r = self.expr(right, Some(l.ty), scope)?;
                (l, r)
            }
            None => return None,
        };
        let text = self.text_of(e);
        if op == BinaryOp::Div
            && matches!(&r.kind, CExprKind::Const(Value::Num(divisor)) if *divisor == Num::ZERO)
        {
            self.error(
                CheckProblem::DivisionByLiteralZero
                    .diagnostic()
                    .at(right.span, "this divisor is always 0")
                    .hint("a share or quota needs a divisor that cannot be 0"),
            );
            return None;
        }
        let ty = if op.is_comparison() {
            let comparable = if matches!(op, BinaryOp::Eq | BinaryOp::Ne) {
                l.ty == r.ty || (l.ty.is_numeric() && r.ty.is_numeric())
            } else {
                (l.ty.is_numeric() && r.ty.is_numeric())
                    || (l.ty == Type::Date && r.ty == Type::Date)
            };
            if !comparable {
                let (lt, rt) = (self.rb.type_name(l.ty), self.rb.type_name(r.ty));
                self.error(
                    CheckProblem::CannotCompare {
                        left: lt.to_string(),
                        right: rt.to_string(),
                        op: op.symbol(),
                    }
                    .diagnostic()
                    .at(right.span, format!("this is `{rt}`"))
                    .also(left.span, format!("this is `{lt}`")),
                );
                return None;
            }
            Type::Bool
        } else {
            match (op, l.ty, r.ty) {
                (BinaryOp::Add | BinaryOp::Sub, Type::Date, Type::Duration) => Type::Date,
                (BinaryOp::Add, Type::Duration, Type::Date) => Type::Date,
                (_, lt, rt) if lt.is_numeric() && rt.is_numeric() => match op {
                    BinaryOp::Div => Type::Decimal,
                    _ if lt.is_whole() && rt.is_whole() => Type::Int,
                    BinaryOp::Add | BinaryOp::Sub if lt == Type::Percent && rt == Type::Percent => {
                        Type::Percent
                    }
                    BinaryOp::Or
                    | BinaryOp::And
                    | BinaryOp::Eq
                    | BinaryOp::Ne
                    | BinaryOp::Lt
                    | BinaryOp::Le
                    | BinaryOp::Gt
                    | BinaryOp::Ge
                    | BinaryOp::Add
                    | BinaryOp::Sub
                    | BinaryOp::Mul => Type::Decimal,
                },
                (_, lt, rt) => {
                    let (lt, rt) = (self.rb.type_name(lt), self.rb.type_name(rt));
                    self.error(
                        CheckProblem::CannotApply {
                            op: op.symbol(),
                            left: lt.to_string(),
                            right: rt.to_string(),
                        }
                        .diagnostic()
                        .at(span, "arithmetic needs numbers, or a date and a duration"),
                    );
                    return None;
                }
            }
        };
        Some(CExpr {
            kind: CExprKind::Binary(op, Box::new(l), Box::new(r), text),
            ty,
            span,
        })
    }

    fn aggregate(
        &mut self,
        e: &ast::Expr,
        kind: AggregateKind,
        var: &ast::Ident,
        list: &ast::Expr,
        body: Option<&ast::Expr>,
        scope: &mut Scope,
    ) -> Option<CExpr> {
        let list_checked = self.expr(list, None, scope)?;
        let Type::List(record_id) = list_checked.ty else {
            self.mismatch(list, "a list", list_checked.ty);
            return None;
        };
        let slot = scope.locals.len() as u32;
        scope
            .locals
            .push((var.text.clone(), Type::Record(record_id)));
        self.report.max_locals = self.report.max_locals.max(scope.locals.len() as u32);
        let body_checked = match (kind, body) {
            (AggregateKind::Any | AggregateKind::All | AggregateKind::Count, Some(body)) => {
                self.expr_as(body, Type::Bool, scope)
            }
            (AggregateKind::Count, None) => None,
            (_, Some(body)) => self.expr(body, None, scope),
            (_, None) => None,
        };
        scope.locals.pop();
        if body.is_some() && body_checked.is_none() {
            return None;
        }
        let ty = match kind {
            AggregateKind::Any | AggregateKind::All => Type::Bool,
            AggregateKind::Count => Type::Count,
            AggregateKind::Sum | AggregateKind::Min | AggregateKind::Max => {
                let body_ty = body_checked.as_ref().map_or(Type::Int, |b| b.ty);
                let ok =
                    body_ty.is_numeric() || (kind != AggregateKind::Sum && body_ty == Type::Date);
                if !ok {
                    if let Some(body) = body {
                        self.mismatch(body, "a number", body_ty);
                    }
                    return None;
                }
                body_ty
            }
        };
        Some(CExpr {
            kind: CExprKind::Aggregate {
                kind,
                slot,
                list: Box::new(list_checked),
                body: body_checked.map(Box::new),
                text: self.text_of(e),
            },
            ty,
            span: e.span,
        })
    }

    fn call(
        &mut self,
        e: &ast::Expr,
        builtin: Builtin,
        args: &[ast::Expr],
        scope: &mut Scope,
    ) -> Option<CExpr> {
        match builtin {
            Builtin::Floor => {
                let [arg] = args else {
                    self.error(
                        CheckProblem::FloorArity { found: args.len() }
                            .diagnostic()
                            .at(e.span, "write `floor(x)`"),
                    );
                    return None;
                };
                let checked = self.expr(arg, None, scope)?;
                if !checked.ty.is_numeric() {
                    self.mismatch(arg, "a number", checked.ty);
                    return None;
                }
                Some(CExpr {
                    kind: CExprKind::Floor(Box::new(checked)),
                    ty: Type::Int,
                    span: e.span,
                })
            }
            Builtin::AllocateSeats => {
                let (lists, votes_cast, seats, threshold, factor, minimum, readings) = match args {
                    [
                        lists,
                        votes_cast,
                        seats,
                        threshold,
                        factor,
                        minimum,
                        readings @ ..,
                    ] if readings.len() <= 2 => (
                        lists, votes_cast, seats, threshold, factor, minimum, readings,
                    ),
                    _ => {
                        self.error(
                            CheckProblem::AllocateSeatsArity { found: args.len() }.diagnostic()
                                .at(e.span, "allocate_seats(lists, votes_cast, seats, threshold, runner_up_factor, runner_up_minimum[, minimum_prevails[, tie_by_registration]])"),
                        );
                        return None;
                    }
                };
                let lists_checked = self.expr(lists, None, scope)?;
                let Type::List(record_id) = lists_checked.ty else {
                    self.mismatch(lists, "a list of party lists", lists_checked.ty);
                    return None;
                };
                let record = &self.rb.records[record_id.0 as usize];
                let has = |name: &str, ok: &dyn Fn(Type) -> bool| {
                    record.fields.iter().any(|(n, t)| n == name && ok(*t))
                };
                let fits = record.fields.len() == 3
                    && has("name", &|t| t == Type::Text)
                    && has("votes", &|t| t.is_whole())
                    && has("registered", &|t| t == Type::Date);
                if !fits {
                    let record_name = record.name.clone();
                    self.error(
                        CheckProblem::SeatAllocationRecord { record: record_name.to_string() }.diagnostic()
                            .at(lists.span, "needs exactly the fields `name: text`, `votes: count` and `registered: date`"),
                    );
                    return None;
                }
                let mut rest = Vec::new();
                for (arg, ty) in [
                    (votes_cast, Type::Count),
                    (seats, Type::Count),
                    (threshold, Type::Percent),
                    (factor, Type::Decimal),
                    (minimum, Type::Count),
                ] {
                    let checked = self.expr(arg, Some(ty), scope)?;
                    let ok = if ty.is_whole() {
                        checked.ty.is_whole()
                    } else {
                        checked.ty.is_numeric()
                    };
                    if !ok {
                        let wanted = format!("`{}`", self.rb.type_name(ty));
                        self.mismatch(arg, &wanted, checked.ty);
                        return None;
                    }
                    rest.push(checked);
                }
                let [a, b, c, d, f] = <[CExpr; 5]>::try_from(rest).ok()?;
                let mut flags = Vec::new();
                for idx in 0..2 {
                    flags.push(match readings.get(idx) {
                        Some(arg) => self.expr_as(arg, Type::Bool, scope)?,
                        None => CExpr {
                            kind: CExprKind::Const(Value::Bool(false)),
                            ty: Type::Bool,
                            span: e.span,
                        },
                    });
                }
                let [prevails, tie] = <[CExpr; 2]>::try_from(flags).ok()?;
                Some(CExpr {
                    kind: CExprKind::AllocateSeats(Box::new([
                        lists_checked,
                        a,
                        b,
                        c,
                        d,
                        f,
                        prevails,
                        tie,
                    ])),
                    ty: Type::Seats,
                    span: e.span,
                })
            }
        }
    }
}

/// The value of a literal expression, or `None` if it refers to anything.
pub(crate) fn fold_const(e: &CExpr) -> Option<Value> {
    match &e.kind {
        CExprKind::Const(value) => Some(value.clone()),
        CExprKind::Neg(inner) => fold_const(inner)?.as_num()?.checked_neg().map(Value::Num),
        CExprKind::List(items) => items
            .iter()
            .map(fold_const)
            .collect::<Option<Vec<_>>>()
            .map(|v| Value::List(v.into())),
        CExprKind::Record(items) => items
            .iter()
            .map(fold_const)
            .collect::<Option<Vec<_>>>()
            .map(|v| Value::Record(v.into())),
        CExprKind::Seats(entries) => entries
            .iter()
            .map(|(name, e)| {
                let seats = fold_const(e)?.as_num()?.to_i64()?;
                Some((name.clone(), seats))
            })
            .collect::<Option<Vec<_>>>()
            .map(|v| Value::Seats(v.into())),
        CExprKind::AsOf
        | CExprKind::Item(_)
        | CExprKind::Local(_)
        | CExprKind::Field(..)
        | CExprKind::Not(_)
        | CExprKind::Binary(..)
        | CExprKind::In(..)
        | CExprKind::If(..)
        | CExprKind::Aggregate { .. }
        | CExprKind::AllocateSeats(_)
        | CExprKind::Floor(_)
        | CExprKind::Reading(_) => None,
    }
}

/// A literal that the type would accept, or nearly, but that is probably meant otherwise: a
/// bare number for a percentage (`1` would read as 100%, so a 1% list would pass a 5%
/// threshold), `yes`/`no` for a truth value. Facts are written out, so the unit must be too.
fn unit_mistake(e: &ast::Expr, ty: Type) -> Option<Diagnostic> {
    let (sign, unsigned) = if let ast::ExprKind::Unary(ast::UnaryOp::Neg, inner) = &e.kind {
        ("-", inner.as_ref())
    } else {
        ("", e)
    };
    match (ty, &unsigned.kind) {
        (Type::Percent, ast::ExprKind::Int(_) | ast::ExprKind::Decimal(_)) => {
            let number = if let ast::ExprKind::Int(n) = &unsigned.kind {
                n.to_string()
            } else if let ast::ExprKind::Decimal(n) = &unsigned.kind {
                n.to_decimal_string().unwrap_or_default()
            } else {
                String::new()
            };
            let written = format!("{sign}{number}");
            Some(
                CheckProblem::BarePercentage { written: written.to_string() }.diagnostic()
                .at(e.span, "a bare number is not a percentage")
                .hint(format!(
                    "write `{written}%` for {written} percent; a share as a fraction (0.05) is written `5%`"
                )),
            )
        }
        (Type::Bool, ast::ExprKind::Path(path)) if path.len() == 1 => {
            let word = path[0].text.to_ascii_lowercase();
            let meant = match word.as_str() {
                "yes" | "y" | "on" => "true",
                "no" | "n" | "off" => "false",
                _ => return None,
            };
            Some(
                CheckProblem::ExpectedBool {
                    found: path[0].text.clone(),
                }
                .diagnostic()
                .at(e.span, "not a truth value")
                .hint(format!("write `{meant}`")),
            )
        }
        _ => None,
    }
}
