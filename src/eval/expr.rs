//! Evaluating checked expressions, three-valued, with a step for each name and comparison.

use super::*;
use crate::ops::{AggregateKind, BinaryOp, DurationUnit};
use chrono::Months;

fn overflow(span: Span) -> EvalError {
    EvalError {
        problem: EvalProblem::Overflow,
        span: Some(span),
    }
}

fn add_duration(date: NaiveDate, duration: Duration, sign: i64) -> Option<NaiveDate> {
    let amount = duration.amount.checked_mul(sign)?;
    match duration.unit {
        DurationUnit::Days => {
            let days = chrono::Days::new(amount.unsigned_abs());
            if amount >= 0 {
                date.checked_add_days(days)
            } else {
                date.checked_sub_days(days)
            }
        }
        DurationUnit::Months | DurationUnit::Years => {
            let months = if duration.unit == DurationUnit::Years {
                amount.checked_mul(12)?
            } else {
                amount
            };
            let months = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
            if amount >= 0 {
                date.checked_add_months(months)
            } else {
                date.checked_sub_months(months)
            }
        }
    }
}

impl Evaluator<'_> {
    /// The value of `e`, one level deeper; fails cleanly past [`MAX_EXPR_DEPTH`].
    pub(super) fn expr(&mut self, e: &CExpr, steps: &mut Vec<Step>) -> Result<Tv, EvalError> {
        self.expr_depth += 1;
        let result = if self.expr_depth > MAX_EXPR_DEPTH {
            Err(EvalError {
                problem: EvalProblem::EvaluationTooDeep,
                span: Some(e.span),
            })
        } else {
            self.expr_at(e, steps)
        };
        self.expr_depth -= 1;
        result
    }

    fn expr_at(&mut self, e: &CExpr, steps: &mut Vec<Step>) -> Result<Tv, EvalError> {
        match &e.kind {
            CExprKind::Const(value) => Ok(Tv::Known(value.clone())),
            CExprKind::AsOf => Ok(Tv::Known(Value::Date(self.as_of))),
            CExprKind::Item(id) => self.item_ref(*id, steps),
            CExprKind::Local(slot) => Ok(Tv::Known(
                self.locals
                    .get(*slot as usize)
                    .cloned()
                    .unwrap_or(Value::Bool(false)),
            )),
            CExprKind::Field(inner, field) => Ok(match self.expr(inner, steps)? {
                Tv::Known(Value::Record(fields)) => match fields.get(*field as usize) {
                    Some(value) => Tv::Known(value.clone()),
                    None => Tv::Unknown(Vec::new()),
                },
                other @ (Tv::Known(_) | Tv::Unknown(_)) => other,
            }),
            CExprKind::Not(inner) => Ok(match self.expr(inner, steps)? {
                Tv::Known(Value::Bool(b)) => Tv::Known(Value::Bool(!b)),
                other @ (Tv::Known(_) | Tv::Unknown(_)) => other,
            }),
            CExprKind::Neg(inner) => Ok(match self.expr(inner, steps)? {
                Tv::Known(Value::Num(n)) => {
                    Tv::Known(Value::Num(n.checked_neg().ok_or_else(|| overflow(e.span))?))
                }
                other @ (Tv::Known(_) | Tv::Unknown(_)) => other,
            }),
            CExprKind::Reading(reading) => {
                let taken = self.reading_of(reading.point) == Some(reading.reading);
                steps.push(Step::new(StepKind::Condition {
                    text: format!("reading {}", self.rb.reading_name(*reading)).into(),
                    value: Some(Value::Bool(taken)),
                    ty: Type::Bool,
                }));
                Ok(Tv::Known(Value::Bool(taken)))
            }
            CExprKind::Floor(inner) => Ok(match self.expr(inner, steps)? {
                Tv::Known(Value::Num(n)) => Tv::Known(Value::Num(n.floor())),
                other @ (Tv::Known(_) | Tv::Unknown(_)) => other,
            }),
            CExprKind::Binary(op @ (BinaryOp::And | BinaryOp::Or), left, right, _) => {
                // `and` stops at false, `or` at true; otherwise unknown unless both are known.
                let stop = Tv::Known(Value::Bool(*op == BinaryOp::Or));
                let l = self.expr(left, steps)?;
                if l == stop {
                    return Ok(l);
                }
                let r = self.expr(right, steps)?;
                Ok(match (&l, &r) {
                    _ if r == stop => r,
                    (Tv::Known(_), Tv::Known(_)) => Tv::Known(Value::Bool(*op == BinaryOp::And)),
                    _ => Tv::merge_missing(&l, &r),
                })
            }
            CExprKind::Binary(op, left, right, text) if op.is_comparison() => {
                self.comparison(e, *op, left, right, text, steps)
            }
            CExprKind::Binary(op, left, right, _) => {
                let l = self.expr(left, steps)?;
                let r = self.expr(right, steps)?;
                let (Tv::Known(a), Tv::Known(b)) = (&l, &r) else {
                    return Ok(Tv::merge_missing(&l, &r));
                };
                Ok(Tv::Known(arithmetic(*op, a, b, e.span)?))
            }
            CExprKind::In(inner, variants, text) => self.membership(inner, variants, text, steps),
            CExprKind::If(cond, then, otherwise) => match self.expr(cond, steps)? {
                Tv::Known(Value::Bool(true)) => self.expr(then, steps),
                Tv::Known(_) => self.expr(otherwise, steps),
                unknown => {
                    let a = self.expr(then, steps)?;
                    let b = self.expr(otherwise, steps)?;
                    if a == b && matches!(a, Tv::Known(_)) {
                        Ok(a)
                    } else {
                        let both = Tv::merge_missing(&a, &b);
                        Ok(Tv::merge_missing(&unknown, &both))
                    }
                }
            },
            CExprKind::Aggregate {
                kind,
                slot,
                list,
                body,
                text,
            } => self.aggregate_expr(e, *kind, *slot, list, body.as_deref(), text, steps),
            CExprKind::AllocateSeats(args) => self.allocate_seats(e, &args[..], steps),
            CExprKind::List(items) | CExprKind::Record(items) => {
                let mut values = Vec::new();
                for item in items {
                    match self.expr(item, steps)? {
                        Tv::Known(v) => values.push(v),
                        unknown => return Ok(unknown),
                    }
                }
                Ok(Tv::Known(if matches!(e.kind, CExprKind::List(_)) {
                    Value::List(values.into())
                } else {
                    Value::Record(values.into())
                }))
            }
            CExprKind::Seats(entries) => {
                let mut seats = Vec::new();
                for (name, item) in entries {
                    match self.expr(item, steps)? {
                        Tv::Known(v) => {
                            seats.push((name.clone(), whole(&v).ok_or_else(|| overflow(e.span))?))
                        }
                        unknown => return Ok(unknown),
                    }
                }
                Ok(Tv::Known(Value::Seats(seats.into())))
            }
        }
    }

    /// A question, input or parameter named in an expression; a question's step is wrapped in
    /// a fact step saying its value was derived.
    fn item_ref(&mut self, id: ItemId, steps: &mut Vec<Step>) -> Result<Tv, EvalError> {
        let (tv, step) = self.item(id)?;
        if !self.trace {
            return Ok(tv);
        }
        let step = match step.kind {
            StepKind::Question { .. } => {
                let value = match &tv {
                    Tv::Known(v) => Some(v.clone()),
                    Tv::Unknown(_) => None,
                };
                Step::new_with(
                    StepKind::Fact {
                        item: id,
                        value,
                        origin: Origin::Derived,
                    },
                    vec![step],
                )
            }
            StepKind::Rule { .. }
            | StepKind::Default { .. }
            | StepKind::Fact { .. }
            | StepKind::Compare { .. }
            | StepKind::Condition { .. }
            | StepKind::Allocation(_)
            | StepKind::NotCovered { .. }
            | StepKind::Note(_) => step,
        };
        steps.push(step);
        Ok(tv)
    }

    /// A comparison, traced as one step with both sides' values and, for numbers, the margin.
    fn comparison(
        &mut self,
        e: &CExpr,
        op: BinaryOp,
        left: &CExpr,
        right: &CExpr,
        text: &Arc<str>,
        steps: &mut Vec<Step>,
    ) -> Result<Tv, EvalError> {
        let mut children = Vec::new();
        let l = self.expr(left, &mut children)?;
        let r = self.expr(right, &mut children)?;
        let (result, margin) = match (&l, &r) {
            (Tv::Known(a), Tv::Known(b)) => {
                let (result, margin) = compare(op, a, b, e.span)?;
                (Some(result), margin)
            }
            _ => (None, None),
        };
        let known = |tv: &Tv| match tv {
            Tv::Known(v) => Some(v.clone()),
            Tv::Unknown(_) => None,
        };
        let ty = if left.ty.is_numeric()
            && right.ty.is_numeric()
            && (left.ty == Type::Percent || right.ty == Type::Percent)
        {
            Type::Percent
        } else {
            left.ty
        };
        if self.trace {
            steps.push(Step::new_with(
                StepKind::Compare {
                    text: text.clone(),
                    op,
                    left: known(&l),
                    right: known(&r),
                    ty,
                    result,
                    margin,
                },
                children,
            ));
        }
        Ok(match result {
            Some(b) => Tv::Known(Value::Bool(b)),
            None => Tv::merge_missing(&l, &r),
        })
    }

    /// `x in {a, b}`: whether an enum value is one of those named, traced as a condition.
    fn membership(
        &mut self,
        inner: &CExpr,
        variants: &[u32],
        text: &Arc<str>,
        steps: &mut Vec<Step>,
    ) -> Result<Tv, EvalError> {
        let mut children = Vec::new();
        let tv = self.expr(inner, &mut children)?;
        let result = match &tv {
            Tv::Known(Value::Enum(_, idx)) => Tv::Known(Value::Bool(variants.contains(idx))),
            Tv::Known(_) => Tv::Known(Value::Bool(false)),
            Tv::Unknown(m) => Tv::Unknown(m.clone()),
        };
        if self.trace {
            let value = match &result {
                Tv::Known(v) => Some(v.clone()),
                Tv::Unknown(_) => None,
            };
            steps.push(Step::new_with(
                StepKind::Condition {
                    text: text.clone(),
                    value,
                    ty: Type::Bool,
                },
                children,
            ));
        }
        Ok(result)
    }

    /// `count`, `sum`, `all`, `any`, `min` or `max` over a list, traced as one condition.
    #[allow(clippy::too_many_arguments)]
    fn aggregate_expr(
        &mut self,
        e: &CExpr,
        kind: AggregateKind,
        slot: u32,
        list: &CExpr,
        body: Option<&CExpr>,
        text: &Arc<str>,
        steps: &mut Vec<Step>,
    ) -> Result<Tv, EvalError> {
        let mut children = Vec::new();
        let list_tv = self.expr(list, &mut children)?;
        let result = match list_tv {
            Tv::Known(Value::List(elements)) => self.aggregate(kind, slot, &elements, body, e)?,
            Tv::Known(_) => Tv::Unknown(Vec::new()),
            unknown => unknown,
        };
        if self.trace {
            let value = match &result {
                Tv::Known(v) => Some(v.clone()),
                Tv::Unknown(_) => None,
            };
            steps.push(Step::new_with(
                StepKind::Condition {
                    text: text.clone(),
                    value,
                    ty: e.ty,
                },
                children,
            ));
        }
        Ok(result)
    }

    /// The seat allocation, with the readings of its contested gaps looked at only when the
    /// allocation meets a gap.
    fn allocate_seats(
        &mut self,
        e: &CExpr,
        args: &[CExpr],
        steps: &mut Vec<Step>,
    ) -> Result<Tv, EvalError> {
        let mut children = Vec::new();
        let mut values = Vec::new();
        let mut missing = Tv::Unknown(Vec::new());
        let mut any_unknown = false;
        // The last two arguments take the readings of Art. 97-1's two contested gaps;
        // they change nothing unless a gap arises. So the allocation is made first with
        // the default readings, and the readings are looked at (and weighed) only when
        // that meets a gap: an allocation without one never depends on them.
        let (settled, readings) = args.split_at(args.len().saturating_sub(2));
        for arg in settled {
            let tv = self.expr(arg, &mut children)?;
            match tv {
                Tv::Known(v) => values.push(v),
                unknown => {
                    any_unknown = true;
                    missing = Tv::merge_missing(&missing, &unknown);
                }
            }
        }
        if any_unknown {
            steps.extend(children);
            return Ok(missing);
        }
        let defaults = values.len();
        values.extend(readings.iter().map(|_| Value::Bool(false)));
        let mut result = seats::allocate_values(&values);
        if matches!(result, Err(seats::AllocationError::Gap(_))) {
            values.truncate(defaults);
            for arg in readings {
                match self.expr(arg, &mut children)? {
                    Tv::Known(v) => values.push(v),
                    unknown => {
                        steps.extend(children);
                        return Ok(unknown);
                    }
                }
            }
            result = seats::allocate_values(&values);
        }
        match result {
            Ok(allocation) => {
                let value = allocation.value();
                if self.trace {
                    children.push(Step::new(StepKind::Allocation(Box::new(allocation))));
                    steps.extend(children);
                }
                Ok(Tv::Known(value))
            }
            Err(seats::AllocationError::Gap(reason)) => {
                if self.trace {
                    steps.extend(children);
                    steps.push(Step::note(&reason));
                }
                Ok(Tv::Unknown(vec![Missing::Gap(reason.into())]))
            }
            Err(seats::AllocationError::Invalid(reason)) => Err(EvalError {
                problem: EvalProblem::InvalidAllocation { reason },
                span: Some(e.span),
            }),
        }
    }

    fn aggregate(
        &mut self,
        kind: AggregateKind,
        slot: u32,
        elements: &[Value],
        body: Option<&CExpr>,
        e: &CExpr,
    ) -> Result<Tv, EvalError> {
        // The steps inside an aggregate repeat once per element; only the total is traced.
        let mut scratch = Vec::new();
        let mut results = Vec::with_capacity(elements.len());
        for element in elements {
            if let Some(local) = self.locals.get_mut(slot as usize) {
                *local = element.clone();
            }
            let tv = match body {
                Some(body) => self.expr(body, &mut scratch)?,
                None => Tv::Known(Value::Bool(true)),
            };
            scratch.clear();
            results.push(tv);
        }
        let mut unknown: Vec<Missing> = Vec::new();
        for tv in &results {
            if let Tv::Unknown(m) = tv {
                super::add_missing(&mut unknown, m);
            }
        }
        let any_unknown = results.iter().any(|tv| matches!(tv, Tv::Unknown(_)));
        let bools = || {
            results.iter().filter_map(|tv| match tv {
                Tv::Known(Value::Bool(b)) => Some(*b),
                Tv::Known(_) | Tv::Unknown(_) => None,
            })
        };
        Ok(match kind {
            AggregateKind::Any => {
                if bools().any(|b| b) {
                    Tv::Known(Value::Bool(true))
                } else if any_unknown {
                    Tv::Unknown(unknown)
                } else {
                    Tv::Known(Value::Bool(false))
                }
            }
            AggregateKind::All => {
                if bools().any(|b| !b) {
                    Tv::Known(Value::Bool(false))
                } else if any_unknown {
                    Tv::Unknown(unknown)
                } else {
                    Tv::Known(Value::Bool(true))
                }
            }
            _ if any_unknown => Tv::Unknown(unknown),
            AggregateKind::Count => {
                let n = bools().filter(|b| *b).count();
                Tv::Known(Value::Num(Num::int(
                    i64::try_from(n).map_err(|_| overflow(e.span))?,
                )))
            }
            AggregateKind::Sum => {
                let mut total = Num::ZERO;
                for tv in &results {
                    if let Tv::Known(Value::Num(n)) = tv {
                        total = total.checked_add(*n).ok_or_else(|| overflow(e.span))?;
                    }
                }
                Tv::Known(Value::Num(total))
            }
            AggregateKind::Min | AggregateKind::Max => {
                let mut best: Option<Value> = None;
                for tv in results {
                    let Tv::Known(v) = tv else { continue };
                    let better = match (&best, &v) {
                        (None, _) => true,
                        (Some(Value::Num(a)), Value::Num(b)) => {
                            if kind == AggregateKind::Min {
                                b < a
                            } else {
                                b > a
                            }
                        }
                        (Some(Value::Date(a)), Value::Date(b)) => {
                            if kind == AggregateKind::Min {
                                b < a
                            } else {
                                b > a
                            }
                        }
                        _ => false,
                    };
                    if better {
                        best = Some(v);
                    }
                }
                match best {
                    Some(v) => Tv::Known(v),
                    None => Tv::Unknown(vec![Missing::Gap(
                        format!(
                            "`{}` of an empty list has no value",
                            if kind == AggregateKind::Min {
                                "min"
                            } else {
                                "max"
                            }
                        )
                        .into(),
                    )]),
                }
            }
        })
    }
}

/// Compares two known values. For numbers, also the margin `|left - right|`.
fn compare(
    op: BinaryOp,
    a: &Value,
    b: &Value,
    span: Span,
) -> Result<(bool, Option<Num>), EvalError> {
    use std::cmp::Ordering;
    let (ordering, margin) = match (a, b) {
        (Value::Num(x), Value::Num(y)) => {
            let margin = x.checked_sub(*y).ok_or_else(|| overflow(span))?;
            let margin = if margin.is_negative() {
                margin.checked_neg().ok_or_else(|| overflow(span))?
            } else {
                margin
            };
            (Some(x.cmp(y)), Some(margin))
        }
        (Value::Date(x), Value::Date(y)) => (Some(x.cmp(y)), None),
        _ => (None, None),
    };
    let result = match (op, ordering) {
        (BinaryOp::Eq, Some(o)) => o == Ordering::Equal,
        (BinaryOp::Ne, Some(o)) => o != Ordering::Equal,
        (BinaryOp::Eq, None) => a == b,
        (BinaryOp::Ne, None) => a != b,
        (BinaryOp::Lt, Some(o)) => o == Ordering::Less,
        (BinaryOp::Le, Some(o)) => o != Ordering::Greater,
        (BinaryOp::Gt, Some(o)) => o == Ordering::Greater,
        (BinaryOp::Ge, Some(o)) => o != Ordering::Less,
        _ => {
            return Err(EvalError {
                problem: EvalProblem::CannotOrder,
                span: Some(span),
            });
        }
    };
    Ok((result, margin))
}

fn arithmetic(op: BinaryOp, a: &Value, b: &Value, span: Span) -> Result<Value, EvalError> {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => {
            let result = match op {
                BinaryOp::Add => x.checked_add(*y),
                BinaryOp::Sub => x.checked_sub(*y),
                BinaryOp::Mul => x.checked_mul(*y),
                BinaryOp::Div => {
                    if *y == Num::ZERO {
                        return Err(EvalError {
                            problem: EvalProblem::DivisionByZero,
                            span: Some(span),
                        });
                    }
                    x.checked_div(*y)
                }
                BinaryOp::Or
                | BinaryOp::And
                | BinaryOp::Eq
                | BinaryOp::Ne
                | BinaryOp::Lt
                | BinaryOp::Le
                | BinaryOp::Gt
                | BinaryOp::Ge => None,
            };
            result.map(Value::Num).ok_or_else(|| EvalError {
                problem: EvalProblem::OverflowIn {
                    left: *x,
                    op: op.symbol(),
                    right: *y,
                },
                span: Some(span),
            })
        }
        (Value::Date(d), Value::Duration(duration))
        | (Value::Duration(duration), Value::Date(d)) => {
            let sign = if op == BinaryOp::Sub { -1 } else { 1 };
            add_duration(*d, *duration, sign)
                .map(Value::Date)
                .ok_or_else(|| {
                    let unit = match duration.unit {
                        DurationUnit::Days => "days",
                        DurationUnit::Months => "months",
                        DurationUnit::Years => "years",
                    };
                    EvalError {
                        problem: EvalProblem::DateOutOfRange {
                            date: *d,
                            op: op.symbol(),
                            amount: duration.amount,
                            unit,
                        },
                        span: Some(span),
                    }
                })
        }
        _ => Err(EvalError {
            problem: EvalProblem::CannotCombine,
            span: Some(span),
        }),
    }
}
