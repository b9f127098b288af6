//! JSON rendering: one object per answer, in the shape of the design (question, as_of, status,
//! answer, trace, missing, citations, receipt). Key order is fixed, so output is byte-stable.

use super::text::Explain;
use super::*;
use serde_json::{Map, Value as J, json};

pub fn value(rb: &Rulebase, ty: Type, value: &Value) -> J {
    match value {
        Value::Bool(b) => J::Bool(*b),
        Value::Num(n) => match (ty, n.to_i64()) {
            (Type::Int | Type::Count, Some(i)) => J::from(i),
            _ => J::String(format_value(rb, ty, value).replace(',', "")),
        },
        Value::Date(d) => J::String(d.to_string()),
        Value::Duration(_) | Value::Text(_) => match value {
            Value::Text(t) => J::String(t.to_string()),
            _ => J::String(format_value(rb, ty, value)),
        },
        Value::Enum(..) => J::String(format_value(rb, ty, value)),
        Value::Record(fields) => {
            let mut object = Map::new();
            if let Type::Record(id) | Type::List(id) = ty
                && let Some(record) = rb.records.get(id.0 as usize)
            {
                for ((name, field_ty), v) in record.fields.iter().zip(fields.iter()) {
                    object.insert(name.clone(), self::value(rb, *field_ty, v));
                }
            }
            J::Object(object)
        }
        Value::List(items) => {
            let element = match ty {
                Type::List(id) => Type::Record(id),
                other => other,
            };
            J::Array(items.iter().map(|v| self::value(rb, element, v)).collect())
        }
        Value::Seats(entries) => {
            let mut object = Map::new();
            for (name, seats) in entries.iter() {
                object.insert(name.to_string(), J::from(*seats));
            }
            J::Object(object)
        }
    }
}

fn cite(cite: &Cite) -> J {
    json!({
        "act": cite.act,
        "title": cite.act_title,
        "article": cite.article,
        "authority": match cite.authority { Authority::Verified => "verified", Authority::Secondary => "secondary" },
    })
}

fn step(rb: &Rulebase, step: &Step, explain: Explain) -> J {
    let mut object = Map::new();
    let kind = match &step.kind {
        StepKind::Question { .. } => "question",
        StepKind::Rule { .. } => "rule",
        StepKind::Default { .. } => "default",
        StepKind::Fact { .. } => "fact",
        StepKind::Compare { .. } => "comparison",
        StepKind::Condition { .. } => "condition",
        StepKind::Allocation(_) => "allocation",
        StepKind::NotCovered { .. } => "not_covered",
        StepKind::Note(_) => "note",
    };
    object.insert("kind".into(), J::from(kind));
    object.insert("text".into(), J::from(step_line(rb, step)));
    match &step.kind {
        StepKind::Rule { question, rule, .. } => {
            if let ItemKind::Question { rules, .. } = &rb.item(*question).kind
                && let Some(rule) = rules.get(*rule as usize)
            {
                object.insert("rule".into(), J::from(rule.name.clone()));
                object.insert(
                    "citations".into(),
                    J::Array(rule.citations.iter().map(cite).collect()),
                );
            }
        }
        StepKind::Fact {
            item,
            value: Some(v),
            ..
        } => {
            let def = rb.item(*item);
            object.insert("name".into(), J::from(def.name.clone()));
            object.insert("value".into(), value(rb, def.ty, v));
        }
        StepKind::Allocation(allocation) => {
            let rows: Vec<J> = allocation
                .rows
                .iter()
                .map(|row| {
                    json!({
                        "list": row.name.to_string(),
                        "votes": row.votes,
                        "registered": row.registered.to_string(),
                        "share": format_num(row.share, Type::Percent).replace(',', ""),
                        "passes": row.passes,
                        "admitted": row.admitted,
                        "runner_up": row.runner_up,
                        "quotient": row.quotient.to_string(),
                        "whole_seats": row.whole_seats,
                        "remainder": row.remainder.to_string(),
                        "extra_seats": row.extra_seats,
                        "seats": row.seats,
                    })
                })
                .collect();
            object.insert("quota".into(), J::from(allocation.quota.to_string()));
            object.insert("rows".into(), J::Array(rows));
        }
        _ => {}
    }
    let collapsed = explain == Explain::Brief && !super::text::on_path(step);
    if !step.children.is_empty() && !collapsed {
        object.insert(
            "steps".into(),
            J::Array(
                step.children
                    .iter()
                    .map(|c| self::step(rb, c, explain))
                    .collect(),
            ),
        );
    }
    J::Object(object)
}

/// The JSON answer with the full trace.
pub fn answer(rb: &Rulebase, answer: &Answer) -> J {
    answer_with(rb, answer, Explain::Full)
}

/// The JSON answer; with `Explain::Brief`, only the deciding path of the trace is opened up.
pub fn answer_with(rb: &Rulebase, answer: &Answer, explain: Explain) -> J {
    let item = rb.item(answer.question);
    let mut object = Map::new();
    object.insert("question".into(), J::from(item.name.clone()));
    object.insert("as_of".into(), J::from(answer.as_of.to_string()));
    object.insert("status".into(), J::from(answer.status.as_str()));
    object.insert(
        "answer".into(),
        answer
            .value
            .as_ref()
            .map_or(J::Null, |v| value(rb, item.ty, v)),
    );
    object.insert(
        "decided_by".into(),
        answer.decided_by.clone().map_or(J::Null, J::from),
    );
    object.insert("trace".into(), step(rb, &answer.trace, explain));
    object.insert(
        "missing".into(),
        J::Array(
            answer
                .missing
                .iter()
                .map(|m| J::from(missing_line(rb, m)))
                .collect(),
        ),
    );
    object.insert(
        "citations".into(),
        J::Array(answer.citations.iter().map(cite).collect()),
    );
    object.insert(
        "notes".into(),
        J::Array(answer.notes.iter().map(|n| J::from(n.clone())).collect()),
    );
    if !answer.readings.is_empty() {
        object.insert("readings".into(), super::readings::json(rb, answer));
    }
    let mut receipt =
        json!({"engine": format!("zan {}", env!("CARGO_PKG_VERSION")), "rules_sha256": rb.digest});
    if !answer.readings_used.is_empty()
        && let J::Object(fields) = &mut receipt
    {
        fields.insert(
            "readings".into(),
            J::Array(
                answer
                    .readings_used
                    .iter()
                    .map(|r| J::from(rb.reading_name(*r)))
                    .collect(),
            ),
        );
    }
    object.insert("receipt".into(), receipt);
    J::Object(object)
}
