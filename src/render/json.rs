//! JSON rendering: the one JSON contract of answers, described by `schema/zan.schema.json`.
//!
//! An answer is an object in fixed key order (question, as_of, status, answer, decision,
//! decided_by, trace, missing, deciding_citations, citations, notes, branches, readings,
//! receipt), so output is byte-stable. The trace is data: each step has a `kind`, a short
//! human `text`, and its fields (rule and verdict, fact and origin, comparison operands and
//! margin). Citations are written once per answer, in the `citations` table keyed by id
//! (`c1`, `c2`, ...), and steps refer to them by id. Numbers that are not whole are objects
//! `{"decimal", "exact", "rounded", "unit"}`: a decimal beside the exact fraction.
//!
//! One code path: [`answer_with`] (a `serde_json::Value`) and [`AnswerWriter`] (bytes, for
//! `zan batch`) both serialize the same borrowed view, so a batch line is byte for byte the
//! answer `ask` prints.

use super::text::Explain;
use super::*;
use crate::num::Rounded;
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde_json::{Value as J, json};
use std::borrow::Cow;

/// A value as JSON: booleans, whole numbers of `int`/`count` as JSON integers, other numbers as
/// number objects, dates as `YYYY-MM-DD`, enum values by name, records as objects, lists as
/// arrays, seat allocations as `{list: seats}`.
pub fn value(rb: &Rulebase, ty: Type, value: &Value) -> J {
    serde_json::to_value(ValueSer { rb, ty, value }).unwrap_or(J::Null)
}

/// A number as the contract writes it: `{"decimal": "58.7369", "exact": "3524213/60000",
/// "rounded": true, "unit": "%"}`. A percentage is written in percent (`unit` `%`); `decimal`
/// has at most four places (rounded half away from zero when `rounded`), no thousands
/// separator; `exact` is the exact value as a whole number or a reduced fraction `p/q`.
pub fn number(n: Num, ty: Type) -> J {
    serde_json::to_value(NumSer { n, ty }).unwrap_or(J::Null)
}

struct ValueSer<'a> {
    rb: &'a Rulebase,
    ty: Type,
    value: &'a Value,
}

impl Serialize for ValueSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (rb, ty) = (self.rb, self.ty);
        match self.value {
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Num(n) => match (ty, n.to_i64()) {
                (Type::Int | Type::Count, Some(i)) => s.serialize_i64(i),
                _ => NumSer { n: *n, ty }.serialize(s),
            },
            Value::Date(d) => s.collect_str(d),
            Value::Text(t) => s.serialize_str(t),
            Value::Duration(_) | Value::Enum(..) => {
                s.serialize_str(&format_value(rb, ty, self.value))
            }
            Value::Record(fields) => {
                let mut map = s.serialize_map(None)?;
                if let Type::Record(id) | Type::List(id) = ty
                    && let Some(record) = rb.records.get(id.0 as usize)
                {
                    for ((name, field_ty), v) in record.fields.iter().zip(fields.iter()) {
                        map.serialize_entry(
                            name,
                            &ValueSer {
                                rb,
                                ty: *field_ty,
                                value: v,
                            },
                        )?;
                    }
                }
                map.end()
            }
            Value::List(items) => {
                let element = ty.element();
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for v in items.iter() {
                    seq.serialize_element(&ValueSer {
                        rb,
                        ty: element,
                        value: v,
                    })?;
                }
                seq.end()
            }
            Value::Seats(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (name, seats) in entries.iter() {
                    map.serialize_entry(&**name, seats)?;
                }
                map.end()
            }
        }
    }
}

/// An optional value: `null` when unknown.
struct OptValue<'a> {
    rb: &'a Rulebase,
    ty: Type,
    value: Option<&'a Value>,
}

impl Serialize for OptValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Some(value) => ValueSer {
                rb: self.rb,
                ty: self.ty,
                value,
            }
            .serialize(s),
            None => s.serialize_none(),
        }
    }
}

struct NumSer {
    n: Num,
    ty: Type,
}

/// A comparison's margin: as [`NumSer`], but a difference of percentages is in percentage
/// points (`unit` `pp`).
struct MarginSer {
    n: Num,
    ty: Type,
}

impl Serialize for MarginSer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        NumSer {
            n: self.n,
            ty: self.ty,
        }
        .write(s, self.ty == Type::Percent)
    }
}

impl Serialize for NumSer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.write(s, false)
    }
}

impl NumSer {
    fn write<S: Serializer>(&self, s: S, points: bool) -> Result<S::Ok, S::Error> {
        let (n, unit) = match self.ty {
            Type::Percent => match self.n.checked_mul(Num::int(100)) {
                Some(p) => (p, Some(if points { "pp" } else { "%" })),
                None => (self.n, None),
            },
            Type::Date | Type::Duration => (self.n, Some("days")),
            Type::Bool
            | Type::Int
            | Type::Count
            | Type::Decimal
            | Type::Text
            | Type::Seats
            | Type::Enum(_)
            | Type::Record(_)
            | Type::List(_) => (self.n, None),
        };
        let (decimal, rounded) = decimal(n);
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("decimal", &decimal)?;
        map.serialize_entry("exact", &Exact(n))?;
        map.serialize_entry("rounded", &rounded)?;
        if let Some(unit) = unit {
            map.serialize_entry("unit", unit)?;
        }
        map.end()
    }
}

/// The exact value of a number: whole, or a reduced fraction `p/q`.
struct Exact(Num);

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_integer() {
            s.collect_str(&self.0.numer())
        } else {
            s.collect_str(&format_args!("{}/{}", self.0.numer(), self.0.denom()))
        }
    }
}

/// A date as `YYYY-MM-DD`, written without an intermediate string.
struct DateSer(chrono::NaiveDate);

impl Serialize for DateSer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// Places kept in a number's `decimal`.
const PLACES: usize = 4;

/// `n` as a decimal with at most [`PLACES`] places (rounded half away from zero) and whether
/// it was rounded. Exact arithmetic only.
fn decimal(n: Num) -> (String, bool) {
    if let Some(text) = n.to_decimal_string()
        && text
            .split_once('.')
            .is_none_or(|(_, fraction)| fraction.len() <= PLACES)
    {
        return (text, false);
    }
    // On overflow (a denominator near u128::MAX) only the whole part is kept.
    let rounded = n.rounded(PLACES as u32).unwrap_or(Rounded {
        negative: n.is_negative(),
        whole: n.numer().unsigned_abs() / n.denom().unsigned_abs(),
        fraction: 0,
    });
    let sign = if rounded.negative && (rounded.whole != 0 || rounded.fraction != 0) {
        "-"
    } else {
        ""
    };
    (
        format!(
            "{sign}{}.{:0>width$}",
            rounded.whole,
            rounded.fraction,
            width = PLACES
        ),
        true,
    )
}

/// The citations an answer refers to, each with its id (`c` and its place, from 1).
struct Table<'a> {
    cites: Vec<&'a Cite>,
    /// Each citation met, by address, and its place in `cites`: the rulebase's citations are
    /// met again and again in one trace; equal citations at other addresses share a place.
    places: Vec<(usize, usize)>,
}

impl<'a> Table<'a> {
    fn new() -> Table<'a> {
        Table {
            cites: Vec::new(),
            places: Vec::new(),
        }
    }

    fn add(&mut self, cite: &'a Cite) {
        let key = address(cite);
        if self.places.iter().any(|(k, _)| *k == key) {
            return;
        }
        let place = match self.cites.iter().position(|c| same_cite(c, cite)) {
            Some(place) => place,
            None => {
                self.cites.push(cite);
                self.cites.len() - 1
            }
        };
        self.places.push((key, place));
    }

    fn id(&self, cite: &Cite) -> usize {
        let key = address(cite);
        self.places
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, place)| *place)
            .or_else(|| self.cites.iter().position(|c| same_cite(c, cite)))
            .map_or(0, |p| p + 1)
    }

    /// Every citation the trace refers to, in the order met.
    fn walk(&mut self, rb: &'a Rulebase, step: &Step) {
        match &step.kind {
            StepKind::Rule { question, rule, .. } => {
                if let Some(rule) = rule_def(rb, *question, *rule) {
                    rule.citations.iter().for_each(|c| self.add(c));
                }
            }
            StepKind::Fact {
                item,
                origin: Origin::Param { value },
                ..
            } => {
                if let Some(v) = param_value(rb, *item, *value) {
                    v.citations.iter().for_each(|c| self.add(c));
                }
            }
            StepKind::Question { .. }
            | StepKind::Default { .. }
            | StepKind::Fact { .. }
            | StepKind::Compare { .. }
            | StepKind::Condition { .. }
            | StepKind::Allocation(_)
            | StepKind::NotCovered { .. }
            | StepKind::Note(_) => {}
        }
        for child in &step.children {
            self.walk(rb, child);
        }
    }
}

/// Whether two citations are equal, the article (which most often differs) compared before
/// the act's name and its long title.
fn same_cite(a: &Cite, b: &Cite) -> bool {
    a.article == b.article && a == b
}

/// Where a citation is in memory: the rulebase's citations are found again by it.
fn address(cite: &Cite) -> usize {
    std::ptr::from_ref(cite) as usize
}

struct CiteId(usize);

impl Serialize for CiteId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("c{}", self.0))
    }
}

struct CiteIds<'t, 'a> {
    table: &'t Table<'a>,
    cites: &'t [Cite],
}

impl Serialize for CiteIds<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.cites.len()))?;
        for c in self.cites {
            seq.serialize_element(&CiteId(self.table.id(c)))?;
        }
        seq.end()
    }
}

struct CiteSer<'a>(&'a Cite);

impl Serialize for CiteSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let cite = self.0;
        let mut map = s.serialize_map(Some(5))?;
        map.serialize_entry("act", &cite.act)?;
        map.serialize_entry("title", &cite.act_title)?;
        map.serialize_entry("article", &cite.article)?;
        map.serialize_entry(
            "authority",
            match cite.authority {
                Authority::Verified => "verified",
                Authority::Secondary => "secondary",
            },
        )?;
        map.serialize_entry("source", &cite.is_source)?;
        map.end()
    }
}

/// When something is in force, as a JSON object: `{"from", "until"}` and, for a start whose
/// day is not established, `from_window`.
pub fn validity(validity: &Validity) -> J {
    serde_json::to_value(ValiditySer(validity)).unwrap_or(J::Null)
}

/// A citation as a JSON object (act, title, article, authority, source).
pub fn cite(cite: &Cite) -> J {
    serde_json::to_value(CiteSer(cite)).unwrap_or(J::Null)
}

/// The citation table of an answer, each citation of the rulebase as the writer serialized it
/// once.
struct TableSer<'c, 'a> {
    table: &'c Table<'a>,
    cache: Option<&'c Cache>,
}

impl Serialize for TableSer<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.table.cites.len()))?;
        for (idx, c) in self.table.cites.iter().enumerate() {
            match self.cache.and_then(|cache| cache.cite(c)) {
                Some(raw) => map.serialize_entry(&CiteId(idx + 1), raw)?,
                None => map.serialize_entry(&CiteId(idx + 1), &CiteSer(c))?,
            }
        }
        map.end()
    }
}

fn rule_def(rb: &Rulebase, question: ItemId, rule: u32) -> Option<&Rule> {
    match &rb.item(question).kind {
        ItemKind::Question { rules, .. } => rules.get(rule as usize),
        ItemKind::Input { .. } | ItemKind::Param { .. } => None,
    }
}

fn param_value(rb: &Rulebase, item: ItemId, idx: u32) -> Option<&ParamValue> {
    match &rb.item(item).kind {
        ItemKind::Param { values } => values.get(idx as usize),
        ItemKind::Input { .. } | ItemKind::Question { .. } => None,
    }
}

/// A rule's trace line for each verdict that names no other rule.
type RuleLines = Vec<(RuleVerdict, String)>;

/// Lines of the trace that are the same in every answer, made once per writer.
struct Cache {
    /// Per item (empty unless a question), per rule: its line for each verdict that names no
    /// other rule, made when the question's first trace is written.
    rules: Vec<std::sync::OnceLock<Vec<RuleLines>>>,
    /// Per item (empty unless a parameter), per dated value: its line, made on first use.
    params: Vec<std::sync::OnceLock<Vec<String>>>,
    /// Every citation of a rule or a parameter value, by address (sorted), serialized.
    cites: Vec<(usize, Box<serde_json::value::RawValue>)>,
}

impl Cache {
    fn new(rb: &Rulebase) -> Cache {
        let mut cites = Vec::new();
        for item in &rb.items {
            let lists: Vec<&[Cite]> = match &item.kind {
                ItemKind::Question { rules, .. } => {
                    rules.iter().map(|r| r.citations.as_slice()).collect()
                }
                ItemKind::Param { values } => {
                    values.iter().map(|v| v.citations.as_slice()).collect()
                }
                ItemKind::Input { .. } => Vec::new(),
            };
            for cite in lists.into_iter().flatten() {
                if let Ok(raw) = serde_json::value::to_raw_value(&CiteSer(cite)) {
                    cites.push((address(cite), raw));
                }
            }
        }
        cites.sort_by_key(|(key, _)| *key);
        Cache {
            rules: rb
                .items
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            params: rb
                .items
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            cites,
        }
    }

    fn cite(&self, cite: &Cite) -> Option<&serde_json::value::RawValue> {
        let key = address(cite);
        self.cites
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|idx| &*self.cites[idx].1)
    }

    fn rule_line<'c>(
        &'c self,
        rb: &Rulebase,
        question: ItemId,
        rule: u32,
        verdict: &RuleVerdict,
    ) -> Option<&'c str> {
        let cell = self.rules.get(question.0 as usize)?;
        let lines = cell.get_or_init(|| {
            let ItemKind::Question { rules: defs, .. } = &rb.item(question).kind else {
                return Vec::new();
            };
            defs.iter()
                .enumerate()
                .map(|(rule_idx, def)| {
                    let mut verdicts = vec![
                        RuleVerdict::Applies,
                        RuleVerdict::DoesNotApply,
                        RuleVerdict::Undetermined,
                    ];
                    verdicts.extend(def.validity.from.map(RuleVerdict::NotYetInForce));
                    verdicts.extend(def.validity.until.map(RuleVerdict::NoLongerInForce));
                    verdicts
                        .into_iter()
                        .map(|verdict| {
                            let step =
                                Step::rule(question, rule_idx as u32, verdict.clone(), Vec::new());
                            (verdict, step_line_plain(rb, &step))
                        })
                        .collect()
                })
                .collect()
        });
        lines
            .get(rule as usize)?
            .iter()
            .find(|(v, _)| v == verdict)
            .map(|(_, line)| line.as_str())
    }

    fn param_line<'c>(
        &'c self,
        rb: &Rulebase,
        item: ItemId,
        idx: u32,
        value: &Value,
    ) -> Option<&'c str> {
        let ItemKind::Param { values } = &rb.item(item).kind else {
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
                    step_line_plain(rb, &step)
                })
                .collect()
        });
        lines.get(idx as usize).map(String::as_str)
    }
}

/// What is shared by the parts of one answer being written.
struct Ctx<'a> {
    rb: &'a Rulebase,
    cache: Option<&'a Cache>,
    table: Table<'a>,
    explain: Explain,
}

struct StepSer<'c, 'a> {
    ctx: &'c Ctx<'a>,
    step: &'c Step,
    /// The answer, for the root step: its status is the root's.
    root_of: Option<&'c Answer>,
}

fn verdict_code(verdict: &RuleVerdict) -> &'static str {
    match verdict {
        RuleVerdict::Applies => "applies",
        RuleVerdict::DoesNotApply => "does_not_apply",
        RuleVerdict::Undetermined => "undetermined",
        RuleVerdict::NotYetInForce(_) => "not_yet_in_force",
        RuleVerdict::NoLongerInForce(_) => "no_longer_in_force",
        RuleVerdict::Overridden { .. } => "overridden",
        RuleVerdict::PossiblyOverridden { .. } => "possibly_overridden",
        RuleVerdict::TargetDoesNotApply { .. } => "target_does_not_apply",
        RuleVerdict::OtherReading(_) => "other_reading",
    }
}

fn origin_code(origin: &Origin) -> &'static str {
    match origin {
        Origin::Given => "given",
        Origin::Overridden => "overridden",
        Origin::Param { .. } => "parameter",
        Origin::Derived => "derived",
        Origin::DerivedAbove => "derived_above",
        Origin::Missing => "missing",
        Origin::NoValue => "no_value",
    }
}

/// When something is in force: `{"from", "until"}`, each a date or `null`, and for a start
/// whose day is not established, `"from_window": {"earliest", "known"}`.
struct ValiditySer<'a>(&'a Validity);

impl Serialize for ValiditySer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("from", &v.from.map(|f| DateSer(f.known)))?;
        map.serialize_entry("until", &v.until.map(DateSer))?;
        if let Some(start) = v.from
            && start.earliest != start.known
        {
            map.serialize_entry("from_window", &Window(start))?;
        }
        map.end()
    }
}

/// An unsettled start: `{"earliest", "known"}`.
struct Window(Start);

impl Serialize for Window {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("earliest", &DateSer(self.0.earliest))?;
        map.serialize_entry("known", &DateSer(self.0.known))?;
        map.end()
    }
}

fn kind_code(kind: &StepKind) -> &'static str {
    match kind {
        StepKind::Question { .. } => "question",
        StepKind::Rule { .. } => "rule",
        StepKind::Default { .. } => "default",
        StepKind::Fact { .. } => "fact",
        StepKind::Compare { .. } => "comparison",
        StepKind::Condition { .. } => "condition",
        StepKind::Allocation(_) => "allocation",
        StepKind::NotCovered { .. } => "not_covered",
        StepKind::Note(_) => "note",
    }
}

impl Serialize for StepSer<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ctx = self.ctx;
        let rb = ctx.rb;
        let step = self.step;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("kind", kind_code(&step.kind))?;
        let text: Cow<'_, str> = match (&step.kind, ctx.cache, self.root_of) {
            (_, _, Some(answer)) => Cow::Owned(root_line(rb, answer, step)),
            (
                StepKind::Rule {
                    question,
                    rule,
                    verdict,
                },
                Some(cache),
                None,
            ) => cache
                .rule_line(rb, *question, *rule, verdict)
                .map_or_else(|| Cow::Owned(step_line_plain(rb, step)), Cow::Borrowed),
            (
                StepKind::Fact {
                    item,
                    value: Some(v),
                    origin: Origin::Param { value: idx },
                },
                Some(cache),
                None,
            ) => cache
                .param_line(rb, *item, *idx, v)
                .map_or_else(|| Cow::Owned(step_line_plain(rb, step)), Cow::Borrowed),
            _ => Cow::Owned(step_line_plain(rb, step)),
        };
        map.serialize_entry("text", &*text)?;
        match &step.kind {
            StepKind::Question {
                item,
                value,
                decision,
            } => {
                let def = rb.item(*item);
                map.serialize_entry("name", &def.name)?;
                if let Some(answer) = self.root_of {
                    map.serialize_entry("status", answer.status.as_str())?;
                }
                map.serialize_entry(
                    "value",
                    &OptValue {
                        rb,
                        ty: def.ty,
                        value: value.as_ref(),
                    },
                )?;
                map.serialize_entry("decision", &decision.as_ref().map(decision_code))?;
                map.serialize_entry(
                    "decided_by",
                    &decision
                        .as_ref()
                        .map(|d| decided_rules(rb, *item, d))
                        .unwrap_or_default(),
                )?;
            }
            StepKind::Rule {
                question,
                rule,
                verdict,
            } => {
                let def = rule_def(rb, *question, *rule);
                map.serialize_entry("rule", &def.map(|d| d.name.as_str()))?;
                map.serialize_entry("verdict", verdict_code(verdict))?;
                let other = |idx: &u32| rule_def(rb, *question, *idx).map(|d| d.name.as_str());
                match verdict {
                    RuleVerdict::Overridden { by } | RuleVerdict::PossiblyOverridden { by } => {
                        map.serialize_entry("by", &other(by))?;
                    }
                    RuleVerdict::TargetDoesNotApply { to } => {
                        map.serialize_entry("exception_to", &other(to))?;
                    }
                    RuleVerdict::OtherReading(reading) => {
                        map.serialize_entry("reading", &rb.reading_name(*reading))?;
                    }
                    RuleVerdict::Applies
                    | RuleVerdict::DoesNotApply
                    | RuleVerdict::Undetermined
                    | RuleVerdict::NotYetInForce(_)
                    | RuleVerdict::NoLongerInForce(_) => {}
                }
                if let Some(def) = def {
                    map.serialize_entry("validity", &ValiditySer(&def.validity))?;
                    map.serialize_entry(
                        "citations",
                        &CiteIds {
                            table: &ctx.table,
                            cites: &def.citations,
                        },
                    )?;
                }
            }
            StepKind::Default { value, ty } => {
                map.serialize_entry(
                    "value",
                    &OptValue {
                        rb,
                        ty: *ty,
                        value: value.as_ref(),
                    },
                )?;
            }
            StepKind::Fact {
                item,
                value,
                origin,
            } => {
                let def = rb.item(*item);
                map.serialize_entry("name", &def.name)?;
                map.serialize_entry(
                    "value",
                    &OptValue {
                        rb,
                        ty: def.ty,
                        value: value.as_ref(),
                    },
                )?;
                map.serialize_entry("origin", origin_code(origin))?;
                if let Origin::Param { value: idx } = origin
                    && let Some(dated) = param_value(rb, *item, *idx)
                {
                    map.serialize_entry("validity", &ValiditySer(&dated.validity))?;
                    map.serialize_entry(
                        "citations",
                        &CiteIds {
                            table: &ctx.table,
                            cites: &dated.citations,
                        },
                    )?;
                }
            }
            StepKind::Compare {
                text: expression,
                op,
                left,
                right,
                ty,
                result,
                margin,
            } => {
                map.serialize_entry("expression", &**expression)?;
                map.serialize_entry("operator", op.symbol())?;
                map.serialize_entry(
                    "left",
                    &OptValue {
                        rb,
                        ty: *ty,
                        value: left.as_ref(),
                    },
                )?;
                map.serialize_entry(
                    "right",
                    &OptValue {
                        rb,
                        ty: *ty,
                        value: right.as_ref(),
                    },
                )?;
                map.serialize_entry("result", result)?;
                map.serialize_entry("margin", &margin.map(|n| MarginSer { n, ty: *ty }))?;
            }
            StepKind::Condition {
                text: expression,
                value,
                ty,
            } => {
                map.serialize_entry("expression", &**expression)?;
                map.serialize_entry(
                    "value",
                    &OptValue {
                        rb,
                        ty: *ty,
                        value: value.as_ref(),
                    },
                )?;
            }
            StepKind::Allocation(allocation) => {
                map.serialize_entry(
                    "quota",
                    &NumSer {
                        n: allocation.quota,
                        ty: Type::Decimal,
                    },
                )?;
                map.serialize_entry("rows", &Rows(&allocation.rows))?;
            }
            StepKind::NotCovered { item } => {
                map.serialize_entry("name", &rb.item(*item).name)?;
            }
            StepKind::Note(_) => {}
        }
        let collapsed = ctx.explain == Explain::Brief && !super::text::on_path(step);
        if !step.children.is_empty() && !collapsed {
            map.serialize_entry(
                "steps",
                &Children {
                    ctx,
                    steps: &step.children,
                },
            )?;
        }
        map.end()
    }
}

struct Children<'c, 'a> {
    ctx: &'c Ctx<'a>,
    steps: &'c [Step],
}

impl Serialize for Children<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.steps.len()))?;
        for step in self.steps {
            seq.serialize_element(&StepSer {
                ctx: self.ctx,
                step,
                root_of: None,
            })?;
        }
        seq.end()
    }
}

struct Rows<'a>(&'a [crate::eval::seats::Row]);

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for row in self.0 {
            let decimal = |n: Num| NumSer {
                n,
                ty: Type::Decimal,
            };
            seq.serialize_element(&json!({
                "list": &*row.name,
                "votes": row.votes,
                "registered": row.registered.to_string(),
                "share": NumSer { n: row.share, ty: Type::Percent },
                "passes": row.passes,
                "admitted": row.admitted,
                "runner_up": row.runner_up,
                "quotient": decimal(row.quotient),
                "whole_seats": row.whole_seats,
                "remainder": decimal(row.remainder),
                "extra_seats": row.extra_seats,
                "seats": row.seats,
            }))?;
        }
        seq.end()
    }
}

fn decision_code(decision: &Decision) -> &'static str {
    match decision {
        Decision::Rules(_) => "rules",
        Decision::Default => "default",
        Decision::Value(_) => "value",
    }
}

struct MissingSer<'a> {
    rb: &'a Rulebase,
    missing: &'a Missing,
}

impl Serialize for MissingSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rb = self.rb;
        let mut map = s.serialize_map(None)?;
        let kind = match self.missing {
            Missing::Fact { item, .. } => {
                if matches!(rb.item(*item).kind, ItemKind::Input { judgment: true }) {
                    "judgment"
                } else {
                    "fact"
                }
            }
            Missing::Window(_) => "unsettled_date",
            Missing::NotCovered(_) => "not_covered",
            Missing::NoValue(_) => "no_value",
            Missing::Conflict { .. } => "conflict",
            Missing::Gap(_) => "gap",
            Missing::NoRule(_) => "no_rule",
            Missing::Reading(_) => "contested",
        };
        map.serialize_entry("kind", kind)?;
        map.serialize_entry("text", &missing_line(rb, self.missing))?;
        match self.missing {
            Missing::Fact { item, need } => {
                let def = rb.item(*item);
                map.serialize_entry("name", &def.name)?;
                map.serialize_entry("type", &rb.type_name(def.ty))?;
                map.serialize_entry("question", &def.text)?;
                map.serialize_entry("allowed", &allowed_values(rb, def.ty))?;
                if let Type::Enum(id) = def.ty {
                    map.serialize_entry("values", &rb.enums[id.0 as usize].variants)?;
                }
                let needed_by: Vec<J> = need
                    .iter()
                    .map(|need| {
                        let rule = need
                            .rule
                            .and_then(|r| rule_def(rb, need.question, r))
                            .map(|r| r.name.as_str());
                        json!({"question": rb.item(need.question).name, "rule": rule})
                    })
                    .collect();
                map.serialize_entry("needed_by", &needed_by)?;
            }
            Missing::Window(window) => {
                let w = rb.window(*window);
                map.serialize_entry("what", &w.what)?;
                map.serialize_entry("act", &window_act(rb, *window))?;
                map.serialize_entry("earliest", &w.earliest.to_string())?;
                map.serialize_entry("known", &w.known.to_string())?;
            }
            Missing::NotCovered(item) | Missing::NoValue(item) | Missing::NoRule(item) => {
                map.serialize_entry("name", &rb.item(*item).name)?;
            }
            Missing::Conflict {
                item,
                first,
                second,
            } => {
                map.serialize_entry("name", &rb.item(*item).name)?;
                let names: Vec<Option<&str>> = [first, second]
                    .iter()
                    .map(|r| rule_def(rb, *item, **r).map(|d| d.name.as_str()))
                    .collect();
                map.serialize_entry("rules", &names)?;
            }
            Missing::Gap(_) => {}
            Missing::Reading(point) => {
                map.serialize_entry("point", &rb.point(*point).name)?;
            }
        }
        map.end()
    }
}

/// A missing fact (or other reason an answer is not known) as a JSON object.
pub fn missing(rb: &Rulebase, missing: &Missing) -> J {
    serde_json::to_value(MissingSer { rb, missing }).unwrap_or(J::Null)
}

struct MissingList<'a> {
    rb: &'a Rulebase,
    missing: &'a [Missing],
}

impl Serialize for MissingList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.missing.len()))?;
        for missing in self.missing {
            seq.serialize_element(&MissingSer {
                rb: self.rb,
                missing,
            })?;
        }
        seq.end()
    }
}

/// `decided_by`: the names of the rules that applied (empty for a default or a value).
fn decided_names<'a>(
    rb: &'a Rulebase,
    question: ItemId,
    decision: Option<&Decision>,
) -> Vec<&'a str> {
    decision
        .map(|d| decided_rules(rb, question, d))
        .unwrap_or_default()
}

struct BranchesSer<'a> {
    rb: &'a Rulebase,
    answer: &'a Answer,
}

impl Serialize for BranchesSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rb = self.rb;
        let ty = rb.item(self.answer.question).ty;
        let mut seq = s.serialize_seq(Some(self.answer.branches.len()))?;
        for branch in &self.answer.branches {
            let applied: Vec<J> = branch
                .applied
                .iter()
                .map(|(window, applied)| {
                    let w = rb.window(*window);
                    json!({
                        "act": window_act(rb, *window),
                        "what": w.what,
                        "earliest": w.earliest.to_string(),
                        "known": w.known.to_string(),
                        "applied": applied,
                    })
                })
                .collect();
            seq.serialize_element(&json!({
                "changes": applied,
                "status": branch.status.as_str(),
                "answer": OptValue { rb, ty, value: branch.value.as_ref() },
                "decision": answered(branch.status, branch.decided_by.as_ref()).map(decision_code),
                "decided_by": decided_names(rb, self.answer.question, answered(branch.status, branch.decided_by.as_ref())),
                "missing": MissingList { rb, missing: &branch.missing },
            }))?;
        }
        seq.end()
    }
}

/// An answer, ready to be serialized.
struct AnswerSer<'a> {
    ctx: Ctx<'a>,
    answer: &'a Answer,
    /// Whether the trace and citations are written (`--explain none` leaves them out).
    trace: bool,
    receipt: Option<&'a J>,
}

impl<'a> AnswerSer<'a> {
    fn new(
        rb: &'a Rulebase,
        cache: Option<&'a Cache>,
        answer: &'a Answer,
        explain: Option<Explain>,
        receipt: Option<&'a J>,
    ) -> AnswerSer<'a> {
        let mut table = Table::new();
        if explain.is_some() {
            table.walk(rb, &answer.trace);
            answer.citations.iter().for_each(|c| table.add(c));
        }
        AnswerSer {
            ctx: Ctx {
                rb,
                cache,
                table,
                explain: explain.unwrap_or(Explain::Full),
            },
            answer,
            trace: explain.is_some(),
            receipt,
        }
    }
}

impl Serialize for AnswerSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ctx = &self.ctx;
        let rb = ctx.rb;
        let answer = self.answer;
        let item = rb.item(answer.question);
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("question", &item.name)?;
        map.serialize_entry("as_of", &answer.as_of.to_string())?;
        map.serialize_entry("status", answer.status.as_str())?;
        map.serialize_entry(
            "answer",
            &OptValue {
                rb,
                ty: item.ty,
                value: answer.value.as_ref(),
            },
        )?;
        // What decided is shown for an answer only (inside a window, the first branch's
        // trace has a decision that is not the answer's).
        let decided = answered(answer.status, answer.decided_by.as_ref());
        map.serialize_entry("decision", &decided.map(decision_code))?;
        map.serialize_entry("decided_by", &decided_names(rb, answer.question, decided))?;
        if self.trace {
            map.serialize_entry(
                "trace",
                &StepSer {
                    ctx,
                    step: &answer.trace,
                    root_of: Some(answer),
                },
            )?;
        }
        map.serialize_entry(
            "missing",
            &MissingList {
                rb,
                missing: &answer.missing,
            },
        )?;
        if self.trace {
            map.serialize_entry(
                "deciding_citations",
                &CiteIds {
                    table: &ctx.table,
                    cites: &answer.citations,
                },
            )?;
            map.serialize_entry(
                "citations",
                &TableSer {
                    table: &ctx.table,
                    cache: ctx.cache,
                },
            )?;
        }
        map.serialize_entry("notes", &answer.notes)?;
        if !answer.branches.is_empty() {
            map.serialize_entry("branches", &BranchesSer { rb, answer })?;
        }
        if !answer.readings.is_empty() {
            map.serialize_entry("readings", &super::readings::json(rb, answer))?;
        }
        if answer.assumptions.is_empty() && answer.readings_used.is_empty() {
            match self.receipt {
                Some(receipt) => map.serialize_entry("receipt", receipt)?,
                None => map.serialize_entry("receipt", &receipt(rb))?,
            }
        } else {
            map.serialize_entry("receipt", &answer_receipt(rb, answer))?;
        }
        map.end()
    }
}

/// The JSON answer with the full trace.
pub fn answer(rb: &Rulebase, answer: &Answer) -> J {
    answer_with(rb, answer, Explain::Full)
}

/// A refused question as the JSON contract's error object (`$defs/error` in the schema):
/// `{"error": {"code": "E0805", "message": "..."}}`, as `zan ask` and `zan who` print it under
/// `--format json`, with the same fields as a rejected batch line's.
pub fn error(code: crate::code::Code, message: &str) -> J {
    json!({"error": {"code": code.as_str(), "message": message}})
}

/// The JSON answer; with `Explain::Brief`, only the deciding path of the trace is opened up.
pub fn answer_with(rb: &Rulebase, answer: &Answer, explain: Explain) -> J {
    serde_json::to_value(AnswerSer::new(rb, None, answer, Some(explain), None)).unwrap_or(J::Null)
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
/// them (both serialize the same view). What is the same in every answer is made once: the
/// receipt when the writer is made, each rule's trace line for the verdicts its own dates and
/// conditions can give and each parameter value's line when first written.
pub struct AnswerWriter<'r> {
    rb: &'r Rulebase,
    cache: Cache,
    receipt: J,
    /// `receipt` serialized.
    receipt_json: Vec<u8>,
}

impl<'r> AnswerWriter<'r> {
    pub fn new(rb: &'r Rulebase) -> AnswerWriter<'r> {
        let receipt = receipt(rb);
        let receipt_json = serde_json::to_vec(&receipt).unwrap_or_default();
        AnswerWriter {
            rb,
            cache: Cache::new(rb),
            receipt,
            receipt_json,
        }
    }

    /// Writes the answer's keys, each preceded by a comma, and the closing brace: the caller
    /// opens the object (and may write keys of its own first). `None` leaves out the trace
    /// and the citations.
    pub fn answer_fields(&self, out: &mut Vec<u8>, answer: &Answer, explain: Option<Explain>) {
        if explain.is_none() && answer.branches.is_empty() && answer.readings.is_empty() {
            self.bare_fields(out, answer);
            return;
        }
        let start = out.len();
        let view = AnswerSer::new(
            self.rb,
            Some(&self.cache),
            answer,
            explain,
            Some(&self.receipt),
        );
        if serde_json::to_writer(&mut *out, &view).is_ok() && out.get(start) == Some(&b'{') {
            // The object's own `{` becomes the comma after the caller's keys.
            out[start] = b',';
        } else {
            out.truncate(start);
            out.push(b'}');
        }
    }
}

impl AnswerWriter<'_> {
    /// [`Self::answer_fields`] without trace, for an answer with no window branches and no
    /// readings: the same bytes as the serialized [`AnswerSer`], written key by key (the
    /// receipt as serialized once, names and notes copied when they need no escape, the rules
    /// that decided named without collecting them). Values other than booleans, whole
    /// numbers, enum values and seat allocations, and the missing list, go through the
    /// serializer.
    fn bare_fields(&self, out: &mut Vec<u8>, answer: &Answer) {
        let rb = self.rb;
        let item = rb.item(answer.question);
        out.extend_from_slice(b",\"question\":");
        escaped(out, &item.name);
        out.extend_from_slice(b",\"as_of\":");
        date_string(out, answer.as_of);
        out.extend_from_slice(b",\"status\":\"");
        out.extend_from_slice(answer.status.as_str().as_bytes());
        out.extend_from_slice(b"\",\"answer\":");
        match &answer.value {
            None => out.extend_from_slice(b"null"),
            Some(value) => plain_value(out, rb, item.ty, value),
        }
        let decided = answered(answer.status, answer.decided_by.as_ref());
        out.extend_from_slice(b",\"decision\":");
        match decided {
            Some(d) => {
                out.push(b'"');
                out.extend_from_slice(decision_code(d).as_bytes());
                out.push(b'"');
            }
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"decided_by\":[");
        if let (Some(Decision::Rules(applied)), ItemKind::Question { rules, .. }) =
            (decided, &item.kind)
        {
            let names = applied.iter().filter_map(|idx| rules.get(*idx as usize));
            for (n, rule) in names.enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                escaped(out, &rule.name);
            }
        }
        out.extend_from_slice(b"],\"missing\":");
        if answer.missing.is_empty() {
            out.extend_from_slice(b"[]");
        } else {
            let _ = serde_json::to_writer(
                &mut *out,
                &MissingList {
                    rb,
                    missing: &answer.missing,
                },
            );
        }
        out.extend_from_slice(b",\"notes\":[");
        for (n, note) in answer.notes.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            escaped(out, note);
        }
        out.extend_from_slice(b"],\"receipt\":");
        if answer.assumptions.is_empty() && answer.readings_used.is_empty() {
            out.extend_from_slice(&self.receipt_json);
        } else {
            let _ = serde_json::to_writer(&mut *out, &answer_receipt(rb, answer));
        }
        out.push(b'}');
    }
}

/// A date as a JSON string, `"YYYY-MM-DD"` as chrono writes it; years outside 0 to 9999
/// (written with a sign) through chrono.
fn date_string(out: &mut Vec<u8>, date: chrono::NaiveDate) {
    use chrono::Datelike;
    let year = date.year();
    if (0..=9999).contains(&year) {
        let (year, month, day) = (year as u32, date.month(), date.day());
        let digit = |n: u32| b'0' + (n % 10) as u8;
        out.extend_from_slice(&[
            b'"',
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(month / 10),
            digit(month),
            b'-',
            digit(day / 10),
            digit(day),
            b'"',
        ]);
    } else {
        let _ = serde_json::to_writer(&mut *out, &DateSer(date));
    }
}

/// A value as [`ValueSer`] writes it: booleans, whole numbers, enum values and seat
/// allocations directly, anything else through the serializer.
fn plain_value(out: &mut Vec<u8>, rb: &Rulebase, ty: Type, value: &Value) {
    use std::io::Write;
    let whole = match (value, ty) {
        (Value::Num(n), Type::Int | Type::Count) => n.to_i64(),
        _ => None,
    };
    let variant = if let Value::Enum(id, idx) = value {
        rb.enums
            .get(id.0 as usize)
            .and_then(|e| e.variants.get(*idx as usize))
    } else {
        None
    };
    match (value, whole, variant) {
        (Value::Bool(b), ..) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        (_, Some(i), _) => {
            let _ = write!(out, "{i}");
        }
        (_, _, Some(name)) => escaped(out, name),
        (Value::Seats(entries), ..) => {
            out.push(b'{');
            for (n, (name, seats)) in entries.iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                escaped(out, name);
                let _ = write!(out, ":{seats}");
            }
            out.push(b'}');
        }
        _ => {
            let _ = serde_json::to_writer(&mut *out, &ValueSer { rb, ty, value });
        }
    }
}

/// `text` as a JSON string, escaped as `serde_json` escapes it (quote, backslash, and control
/// characters; everything else as it is). Text with none of those is copied as it is.
pub fn escaped(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    // No early exit, so that the check runs over whole words of the text at once.
    let needs_escape = bytes.iter().fold(false, |any, &b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if needs_escape {
        let _ = serde_json::to_writer(&mut *out, text);
    } else {
        out.reserve(bytes.len() + 2);
        out.push(b'"');
        out.extend_from_slice(bytes);
        out.push(b'"');
    }
}

/// The decision of an answer that is answered; none otherwise.
fn answered(status: Status, decision: Option<&Decision>) -> Option<&Decision> {
    decision.filter(|_| status == Status::Answered)
}

/// An answer's `decision` (`"rules"`, `"default"`, `"value"` or `null`) and `decided_by` (the
/// names of the rules that applied), as the answer object writes them: only when answered.
pub fn decided(
    rb: &Rulebase,
    question: ItemId,
    status: Status,
    decision: Option<&Decision>,
) -> (J, J) {
    let decision = answered(status, decision);
    (
        decision.map_or(J::Null, |d| J::from(decision_code(d))),
        J::from(decided_names(rb, question, decision)),
    )
}

/// A decision in one CSV cell: the rules' names joined by `; `, or `(default)` / `(value)`
/// (parentheses cannot be part of a rule's name).
pub fn decided_cell(rb: &Rulebase, question: ItemId, decision: &Decision) -> String {
    match decision {
        Decision::Rules(_) => decided_rules(rb, question, decision).join("; "),
        Decision::Default => "(default)".to_string(),
        Decision::Value(_) => "(value)".to_string(),
    }
}
