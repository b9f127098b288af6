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
            Value::Bool(_)
            | Value::Num(_)
            | Value::Date(_)
            | Value::Duration(_)
            | Value::Enum(..)
            | Value::Record(_)
            | Value::List(_)
            | Value::Seats(_) => J::String(format_value(rb, ty, value)),
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
                other @ (Type::Bool
                | Type::Int
                | Type::Count
                | Type::Decimal
                | Type::Percent
                | Type::Date
                | Type::Duration
                | Type::Text
                | Type::Seats
                | Type::Enum(_)
                | Type::Record(_)) => other,
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
            let rows: Vec<J> = allocation.rows.iter().map(allocation_row).collect();
            object.insert("quota".into(), J::from(allocation.quota.to_string()));
            object.insert("rows".into(), J::Array(rows));
        }
        StepKind::Question { .. }
        | StepKind::Default { .. }
        | StepKind::Fact { .. }
        | StepKind::Compare { .. }
        | StepKind::Condition { .. }
        | StepKind::NotCovered { .. }
        | StepKind::Note(_) => {}
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
    object.insert("receipt".into(), answer_receipt(rb, answer));
    J::Object(object)
}

/// The receipt every answer carries: the engine and the digest of the rules it used.
pub fn receipt(rb: &Rulebase) -> J {
    json!({"engine": format!("zan {}", env!("CARGO_PKG_VERSION")), "rules_sha256": rb.digest})
}

/// An answer's receipt: [`receipt`], the days the user assumed acts took effect, and the
/// readings the answer was taken under, if any.
fn answer_receipt(rb: &Rulebase, answer: &Answer) -> J {
    let mut shown = receipt(rb);
    if let J::Object(fields) = &mut shown {
        if !answer.assumptions.is_empty() {
            let assumed: Vec<J> = answer
                .assumptions
                .iter()
                .map(|a| json!({"act": a.act, "in_force_from": a.date.to_string()}))
                .collect();
            fields.insert("assumed".into(), J::Array(assumed));
        }
        if !answer.readings_used.is_empty() {
            let readings: Vec<J> = answer
                .readings_used
                .iter()
                .map(|r| J::from(rb.reading_name(*r)))
                .collect();
            fields.insert("readings".into(), J::Array(readings));
        }
    }
    shown
}

/// Writes JSON answers straight into a byte buffer, byte for byte as [`answer_with`] renders
/// them, without building a `serde_json::Value`. What is the same in every answer is rendered
/// once: the receipt and item names when the writer is made; each rule's `"rule"` and
/// `"citations"` fields and its trace line for the verdicts its own dates and conditions can
/// give when its question's first trace is written.
pub struct AnswerWriter<'r> {
    rb: &'r Rulebase,
    /// Per item (empty unless a question), per rule: made when the item's first trace is
    /// written, so that an answer-only batch makes none.
    rules: Vec<std::sync::OnceLock<Vec<RulePieces>>>,
    /// Per item (empty unless a parameter), per dated value: its trace line, escaped and
    /// quoted, made on first use.
    params: Vec<std::sync::OnceLock<Vec<Vec<u8>>>>,
    /// Per item: its name as a JSON string.
    names: Vec<Vec<u8>>,
    /// `,"receipt":{...}`
    receipt: Vec<u8>,
}

struct RulePieces {
    /// `,"rule":"...","citations":[...]`
    fields: Vec<u8>,
    /// The step's line for each verdict that does not name another rule, escaped, quoted.
    lines: Vec<(RuleVerdict, Vec<u8>)>,
}

impl<'r> AnswerWriter<'r> {
    pub fn new(rb: &'r Rulebase) -> AnswerWriter<'r> {
        let names = rb
            .items
            .iter()
            .map(|item| {
                let mut name = Vec::new();
                escaped(&mut name, &item.name);
                name
            })
            .collect();
        let rules = rb
            .items
            .iter()
            .map(|_| std::sync::OnceLock::new())
            .collect();
        let params = rb
            .items
            .iter()
            .map(|_| std::sync::OnceLock::new())
            .collect();
        let mut receipt = Vec::new();
        receipt.extend_from_slice(b",\"receipt\":");
        let _ = serde_json::to_writer(&mut receipt, &self::receipt(rb));
        AnswerWriter {
            rb,
            rules,
            params,
            names,
            receipt,
        }
    }

    /// Writes the answer's keys, each preceded by a comma, and the closing brace: the caller
    /// opens the object (and may write keys of its own first).
    pub fn answer_fields(&self, out: &mut Vec<u8>, answer: &Answer, explain: Option<Explain>) {
        let rb = self.rb;
        if !answer.readings.is_empty() {
            // A contested answer (rare) is written from the JSON value `ask` prints, so that
            // each reading's answer and support come out the same.
            if let J::Object(fields) = answer_with(rb, answer, explain.unwrap_or(Explain::Full)) {
                for (key, value) in fields {
                    if explain.is_none() && (key == "trace" || key == "citations") {
                        continue;
                    }
                    out.push(b',');
                    let _ = serde_json::to_writer(&mut *out, &key);
                    out.push(b':');
                    let _ = serde_json::to_writer(&mut *out, &value);
                }
            }
            out.push(b'}');
            return;
        }
        let item = rb.item(answer.question);
        out.extend_from_slice(b",\"question\":");
        out.extend_from_slice(&self.names[answer.question.0 as usize]);
        out.extend_from_slice(b",\"as_of\":\"");
        out.extend_from_slice(answer.as_of.to_string().as_bytes());
        out.extend_from_slice(b"\",\"status\":\"");
        out.extend_from_slice(answer.status.as_str().as_bytes());
        out.extend_from_slice(b"\",\"answer\":");
        match &answer.value {
            Some(v) => self.value(out, item.ty, v),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"decided_by\":");
        match &answer.decided_by {
            Some(rule) => escaped(out, rule),
            None => out.extend_from_slice(b"null"),
        }
        if let Some(explain) = explain {
            out.extend_from_slice(b",\"trace\":");
            self.step(out, &answer.trace, explain);
        }
        out.extend_from_slice(b",\"missing\":[");
        for (idx, missing) in answer.missing.iter().enumerate() {
            if idx > 0 {
                out.push(b',');
            }
            escaped(out, &missing_line(rb, missing));
        }
        out.push(b']');
        if explain.is_some() {
            out.extend_from_slice(b",\"citations\":[");
            for (idx, c) in answer.citations.iter().enumerate() {
                if idx > 0 {
                    out.push(b',');
                }
                write_cite(out, c);
            }
            out.push(b']');
        }
        out.extend_from_slice(b",\"notes\":[");
        for (idx, note) in answer.notes.iter().enumerate() {
            if idx > 0 {
                out.push(b',');
            }
            escaped(out, note);
        }
        out.push(b']');
        if answer.assumptions.is_empty() && answer.readings_used.is_empty() {
            out.extend_from_slice(&self.receipt);
        } else {
            out.extend_from_slice(b",\"receipt\":");
            let _ = serde_json::to_writer(&mut *out, &answer_receipt(self.rb, answer));
        }
        out.push(b'}');
    }

    /// The pieces of a question's rules, made on first use.
    fn rule_pieces(&self, question: ItemId) -> Option<&[RulePieces]> {
        let cell = self.rules.get(question.0 as usize)?;
        Some(cell.get_or_init(|| {
            let rb = self.rb;
            let ItemKind::Question { rules: defs, .. } = &rb.item(question).kind else {
                return Vec::new();
            };
            defs.iter()
                .enumerate()
                .map(|(rule_idx, def)| {
                    let mut fields = Vec::new();
                    fields.extend_from_slice(b",\"rule\":");
                    escaped(&mut fields, &def.name);
                    fields.extend_from_slice(b",\"citations\":[");
                    for (n, c) in def.citations.iter().enumerate() {
                        if n > 0 {
                            fields.push(b',');
                        }
                        write_cite(&mut fields, c);
                    }
                    fields.push(b']');
                    let mut verdicts = vec![
                        RuleVerdict::Applies,
                        RuleVerdict::DoesNotApply,
                        RuleVerdict::Undetermined,
                    ];
                    verdicts.extend(def.validity.from.map(RuleVerdict::NotYetInForce));
                    verdicts.extend(def.validity.until.map(RuleVerdict::NoLongerInForce));
                    let lines = verdicts
                        .into_iter()
                        .map(|verdict| {
                            let step =
                                Step::rule(question, rule_idx as u32, verdict.clone(), Vec::new());
                            let mut line = Vec::new();
                            escaped(&mut line, &step_line(rb, &step));
                            (verdict, line)
                        })
                        .collect();
                    RulePieces { fields, lines }
                })
                .collect()
        }))
    }

    /// The trace line of a parameter's dated value, when `value` is that value (as it is
    /// unless the step was made otherwise).
    fn param_line(&self, item: ItemId, idx: u32, value: &Value) -> Option<&[u8]> {
        let ItemKind::Param { values } = &self.rb.item(item).kind else {
            return None;
        };
        if values.get(idx as usize).map(|v| &v.value) != Some(value) {
            return None;
        }
        let lines = self.params.get(item.0 as usize)?.get_or_init(|| {
            values
                .iter()
                .enumerate()
                .map(|(n, v)| {
                    let step = Step::fact(
                        item,
                        Some(v.value.clone()),
                        Origin::Param { value: n as u32 },
                    );
                    let mut line = Vec::new();
                    escaped(&mut line, &step_line(self.rb, &step));
                    line
                })
                .collect()
        });
        lines.get(idx as usize).map(Vec::as_slice)
    }

    fn value(&self, out: &mut Vec<u8>, ty: Type, v: &Value) {
        match (v, ty) {
            (Value::Bool(true), _) => out.extend_from_slice(b"true"),
            (Value::Bool(false), _) => out.extend_from_slice(b"false"),
            (Value::Num(n), Type::Int | Type::Count) if n.to_i64().is_some() => {
                out.extend_from_slice(n.to_i64().unwrap_or_default().to_string().as_bytes());
            }
            (Value::Enum(..), _) => escaped(out, &format_value(self.rb, ty, v)),
            (Value::Text(text), _) => escaped(out, text),
            _ => {
                let _ = serde_json::to_writer(&mut *out, &value(self.rb, ty, v));
            }
        }
    }

    fn step(&self, out: &mut Vec<u8>, step: &Step, explain: Explain) {
        let rb = self.rb;
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
        out.extend_from_slice(b"{\"kind\":\"");
        out.extend_from_slice(kind.as_bytes());
        out.extend_from_slice(b"\",\"text\":");
        match &step.kind {
            StepKind::Rule {
                question,
                rule,
                verdict,
            } => {
                let pieces = self
                    .rule_pieces(*question)
                    .and_then(|rules| rules.get(*rule as usize));
                match pieces.and_then(|p| p.lines.iter().find(|(v, _)| v == verdict)) {
                    Some((_, line)) => out.extend_from_slice(line),
                    None => escaped(out, &step_line(rb, step)),
                }
                if let Some(pieces) = pieces {
                    out.extend_from_slice(&pieces.fields);
                }
            }
            StepKind::Fact {
                item,
                value: Some(v),
                origin,
            } => {
                let cached = match origin {
                    Origin::Param { value: idx } => self.param_line(*item, *idx, v),
                    Origin::Given
                    | Origin::Overridden
                    | Origin::Derived
                    | Origin::DerivedAbove
                    | Origin::Missing
                    | Origin::NoValue => None,
                };
                match cached {
                    Some(line) => out.extend_from_slice(line),
                    None => escaped(out, &step_line(rb, step)),
                }
                out.extend_from_slice(b",\"name\":");
                out.extend_from_slice(&self.names[item.0 as usize]);
                out.extend_from_slice(b",\"value\":");
                self.value(out, rb.item(*item).ty, v);
            }
            StepKind::Allocation(allocation) => {
                escaped(out, &step_line(rb, step));
                let rows: Vec<J> = allocation.rows.iter().map(allocation_row).collect();
                out.extend_from_slice(b",\"quota\":");
                escaped(out, &allocation.quota.to_string());
                out.extend_from_slice(b",\"rows\":");
                let _ = serde_json::to_writer(&mut *out, &rows);
            }
            StepKind::Question { .. }
            | StepKind::Default { .. }
            | StepKind::Fact { .. }
            | StepKind::Compare { .. }
            | StepKind::Condition { .. }
            | StepKind::NotCovered { .. }
            | StepKind::Note(_) => escaped(out, &step_line(rb, step)),
        }
        let collapsed = explain == Explain::Brief && !super::text::on_path(step);
        if !step.children.is_empty() && !collapsed {
            out.extend_from_slice(b",\"steps\":[");
            for (idx, child) in step.children.iter().enumerate() {
                if idx > 0 {
                    out.push(b',');
                }
                self.step(out, child, explain);
            }
            out.push(b']');
        }
        out.push(b'}');
    }
}

fn allocation_row(row: &crate::eval::seats::Row) -> J {
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
}

fn write_cite(out: &mut Vec<u8>, cite: &Cite) {
    out.extend_from_slice(b"{\"act\":");
    escaped(out, &cite.act);
    out.extend_from_slice(b",\"title\":");
    escaped(out, &cite.act_title);
    out.extend_from_slice(b",\"article\":");
    escaped(out, &cite.article);
    out.extend_from_slice(match cite.authority {
        Authority::Verified => b",\"authority\":\"verified\"}".as_slice(),
        Authority::Secondary => b",\"authority\":\"secondary\"}".as_slice(),
    });
}

/// `text` as a JSON string, escaped as `serde_json` escapes it (quote, backslash, and control
/// characters; everything else as it is).
pub fn escaped(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut start = 0;
    for (idx, &byte) in bytes.iter().enumerate() {
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => &[],
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..idx]);
        if escape.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(byte >> 4) as usize]);
            out.push(HEX[(byte & 0xf) as usize]);
        } else {
            out.extend_from_slice(escape);
        }
        start = idx + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}
