//! The catalogue: what zan can answer. `zan list` (every question, input and parameter, with
//! its area, type, description and the period it covers) and `zan show NAME` (one item in
//! full: a question's rules with their conditions, validity and citations; an input's type and
//! allowed values; a parameter's dated values with their acts), as text, Markdown or JSON.
//!
//! It takes a checked [`Loaded`] rulebase (the sources only to quote a rule's condition as it
//! is written) and decides nothing about the law. It also words the "did you mean" hints and
//! the allowed values of a type, which the command line and the renderers share.

use crate::load::Loaded;
use crate::render::{Numbers, allowed_values, format_cite, format_value_as, receipt, short_cites};
use crate::rulebase::*;
use chrono::NaiveDate;
use serde_json::{Value as J, json};

/// What an item is, as `--kind` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Question,
    Input,
    Judgment,
    Parameter,
}

impl Kind {
    pub fn of(item: &Item) -> Kind {
        match item.kind {
            ItemKind::Question { .. } => Kind::Question,
            ItemKind::Input { judgment: true } => Kind::Judgment,
            ItemKind::Input { judgment: false } => Kind::Input,
            ItemKind::Param { .. } => Kind::Parameter,
        }
    }

    /// Questions first, then what they depend on.
    fn order(self) -> u8 {
        match self {
            Kind::Question => 0,
            Kind::Parameter => 1,
            Kind::Input => 2,
            Kind::Judgment => 3,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Question => "question",
            Kind::Input => "input",
            Kind::Judgment => "judgment",
            Kind::Parameter => "parameter",
        }
    }
}

/// Which items `zan list` shows.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// An area's name (`parties`), as declared by `area`.
    pub area: Option<String>,
    pub kind: Option<Kind>,
}

/// Why a filter or a name matched nothing, in the user's words.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CatalogueError {
    /// `--area partys`: the areas there are, and the closest one.
    UnknownArea { area: String, areas: Vec<String> },
    /// `zan show akim.fee`: the names that start with it or share a word with it.
    UnknownName {
        name: String,
        suggestions: Vec<String>,
    },
}

impl CatalogueError {
    /// The problem's stable code.
    pub fn code(&self) -> crate::code::Code {
        match self {
            CatalogueError::UnknownArea { .. } => crate::code::Code::UnknownArea,
            CatalogueError::UnknownName { .. } => crate::code::Code::UnknownShowName,
        }
    }
}

impl std::fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CatalogueError::UnknownArea { area, areas } => write!(
                f,
                "unknown area `{area}`: expected one of {}",
                areas
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            CatalogueError::UnknownName { name, suggestions } => {
                write!(f, "unknown name `{name}`{}", did_you_mean(suggestions))
            }
        }
    }
}

pub use crate::names::did_you_mean;

/// At most this many names are suggested.
const MAX_SUGGESTIONS: usize = 6;

/// The names a mistyped or partial name may have meant: those it begins (`akim.fee` ->
/// `akim.fee_minimum_wages`, `akim.fee_refunded`), then the closest by spelling, then those that
/// share every word of it (`members` -> `party.members`, `party.members_required`).
pub fn suggestions(rb: &Rulebase, name: &str) -> Vec<String> {
    let names = || rb.names.keys().map(String::as_str);
    let mut found: Vec<String> = Vec::new();
    let push = |candidate: &str, found: &mut Vec<String>| {
        if candidate != name && !found.iter().any(|f| f == candidate) {
            found.push(candidate.to_string());
        }
    };
    if !name.is_empty() {
        for candidate in names().filter(|c| c.starts_with(name)) {
            push(candidate, &mut found);
        }
    }
    // A name that begins other names is a partial name, not a misspelt one.
    if found.is_empty()
        && let Some(close) = crate::names::closest(name, names())
    {
        push(&close, &mut found);
    }
    let words: Vec<&str> = name
        .split(['.', '_', ' '])
        .filter(|w| w.len() >= 3)
        .collect();
    if !words.is_empty() {
        for candidate in names() {
            let candidate_words: Vec<&str> = candidate.split(['.', '_']).collect();
            if words.iter().all(|w| candidate_words.contains(w)) {
                push(candidate, &mut found);
            }
        }
    }
    found.truncate(MAX_SUGGESTIONS);
    found
}

/// One row of the catalogue.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'r> {
    pub id: ItemId,
    pub item: &'r Item,
    pub kind: Kind,
    /// The first day the item is covered, and the last (none: still covered).
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

/// The period an item covers: its area's period, and for a parameter from its first dated value
/// to its last value's end (when that is earlier).
fn period(rb: &Rulebase, item: &Item) -> (NaiveDate, Option<NaiveDate>) {
    let area = rb.area(item.area);
    let (mut from, mut until) = (area.from, area.until);
    if let ItemKind::Param { values } = &item.kind {
        if let Some(start) = values.first().and_then(|v| v.validity.from) {
            from = from.max(start.earliest);
        }
        if let Some(last_until) = values.last().and_then(|v| v.validity.until) {
            until = Some(until.map_or(last_until, |u| u.min(last_until)));
        }
    }
    (from, until)
}

/// `2009-02-06 ..` or `2021-06-04 .. 2026-06-30`.
pub fn period_text(from: NaiveDate, until: Option<NaiveDate>) -> String {
    crate::values::date_range_text(from, until)
}

/// The items the filter selects, area by area in the order declared.
pub fn entries<'r>(rb: &'r Rulebase, filter: &Filter) -> Result<Vec<Entry<'r>>, CatalogueError> {
    let area = match &filter.area {
        Some(name) => match rb.areas.iter().position(|a| &a.name == name) {
            Some(idx) => Some(AreaId(idx as u32)),
            None => {
                return Err(CatalogueError::UnknownArea {
                    area: name.clone(),
                    areas: rb.areas.iter().map(|a| a.name.clone()).collect(),
                });
            }
        },
        None => None,
    };
    let mut entries: Vec<Entry<'r>> = rb
        .items
        .iter()
        .enumerate()
        .map(|(idx, item)| {
            let (from, until) = period(rb, item);
            Entry {
                id: ItemId(idx as u32),
                item,
                kind: Kind::of(item),
                from,
                until,
            }
        })
        .filter(|e| area.is_none_or(|a| e.item.area == a))
        .filter(|e| filter.kind.is_none_or(|k| e.kind == k))
        .collect();
    entries.sort_by_key(|e| (e.item.area, e.kind.order()));
    Ok(entries)
}

/// `zan list` as text: a heading per area, then one aligned line per item.
pub fn list_text(rb: &Rulebase, entries: &[Entry<'_>]) -> String {
    let mut out = String::new();
    let name_width = entries.iter().map(|e| e.item.name.len()).max().unwrap_or(0);
    let type_width = entries
        .iter()
        .map(|e| rb.type_name(e.item.ty).len())
        .max()
        .unwrap_or(0);
    let period_width = entries
        .iter()
        .map(|e| period_text(e.from, e.until).len())
        .max()
        .unwrap_or(0);
    let mut current: Option<AreaId> = None;
    for entry in entries {
        if current != Some(entry.item.area) {
            let area = rb.area(entry.item.area);
            if current.is_some() {
                out.push('\n');
            }
            out.push_str(&format!(
                "area {}: {} ({})\n",
                area.name,
                area.title,
                period_text(area.from, area.until)
            ));
            current = Some(entry.item.area);
        }
        out.push_str(&format!(
            "  {:<9}  {:<name_width$}  {:<type_width$}  {:<period_width$}  {}\n",
            entry.kind.as_str(),
            entry.item.name,
            rb.type_name(entry.item.ty),
            period_text(entry.from, entry.until),
            entry.item.text,
        ));
    }
    out.push_str(&format!(
        "{} item(s); `zan show NAME` shows one in full\n",
        entries.len()
    ));
    out
}

/// `zan list` as Markdown: a table per area.
pub fn list_markdown(rb: &Rulebase, entries: &[Entry<'_>]) -> String {
    let mut out = String::new();
    let mut current: Option<AreaId> = None;
    for entry in entries {
        if current != Some(entry.item.area) {
            let area = rb.area(entry.item.area);
            out.push_str(&format!(
                "{}### Area `{}`: {} ({})\n\n| name | kind | type | period | description |\n|---|---|---|---|---|\n",
                if current.is_some() { "\n" } else { "" },
                area.name,
                area.title,
                period_text(area.from, area.until)
            ));
            current = Some(entry.item.area);
        }
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            entry.item.name,
            entry.kind.as_str(),
            rb.type_name(entry.item.ty),
            period_text(entry.from, entry.until),
            entry.item.text.replace('|', "\\|"),
        ));
    }
    out.push_str(&format!("\n<sub>{}</sub>\n", receipt(rb)));
    out
}

/// `zan list --format json`: `{"items": [{name, kind, area, type, description, from, until}], "receipt"}`.
pub fn list_json(rb: &Rulebase, entries: &[Entry<'_>]) -> J {
    let items: Vec<J> = entries
        .iter()
        .map(|entry| {
            json!({
                "name": entry.item.name,
                "kind": entry.kind.as_str(),
                "area": rb.area(entry.item.area).name,
                "type": rb.type_name(entry.item.ty),
                "description": entry.item.text,
                "from": entry.from.to_string(),
                "until": entry.until.map(|d| d.to_string()),
            })
        })
        .collect();
    json!({"items": items, "receipt": receipt_json(rb)})
}

fn receipt_json(rb: &Rulebase) -> J {
    json!({"engine": format!("zan {}", env!("CARGO_PKG_VERSION")), "rules_sha256": rb.digest})
}

/// A rule's condition or result as it is written in the rules, on one line.
fn written(loaded: &Loaded, expr: &CExpr) -> String {
    loaded
        .sources
        .snippet(expr.span)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The questions whose rules (or default) read an item.
fn used_by(rb: &Rulebase, target: ItemId) -> Vec<&str> {
    fn reads(expr: &CExpr, target: ItemId) -> bool {
        match &expr.kind {
            CExprKind::Item(id) => *id == target,
            CExprKind::Const(_) | CExprKind::Local(_) | CExprKind::AsOf | CExprKind::Reading(_) => {
                false
            }
            CExprKind::Field(inner, _)
            | CExprKind::Not(inner)
            | CExprKind::Neg(inner)
            | CExprKind::Floor(inner)
            | CExprKind::In(inner, _, _) => reads(inner, target),
            CExprKind::Binary(_, left, right, _) => reads(left, target) || reads(right, target),
            CExprKind::If(a, b, c) => reads(a, target) || reads(b, target) || reads(c, target),
            CExprKind::Aggregate { list, body, .. } => {
                reads(list, target) || body.as_deref().is_some_and(|b| reads(b, target))
            }
            CExprKind::AllocateSeats(arguments) => arguments.iter().any(|a| reads(a, target)),
            CExprKind::List(items) | CExprKind::Record(items) => {
                items.iter().any(|i| reads(i, target))
            }
            CExprKind::Seats(entries) => entries.iter().any(|(_, e)| reads(e, target)),
        }
    }
    rb.items
        .iter()
        .filter(|item| match &item.kind {
            ItemKind::Question { otherwise, rules } => {
                otherwise.as_ref().is_some_and(|o| reads(o, target))
                    || rules.iter().any(|rule| {
                        rule.when.as_ref().is_some_and(|w| reads(w, target))
                            || reads(&rule.then, target)
                    })
            }
            ItemKind::Input { .. } | ItemKind::Param { .. } => false,
        })
        .map(|item| item.name.as_str())
        .collect()
}

/// `in force from 2023-01-01`, `in force from a day between ... and ...`.
fn validity_text(validity: &Validity) -> String {
    crate::render::format_validity(validity)
}

/// `zan show NAME` as text.
pub fn show_text(loaded: &Loaded, id: ItemId) -> String {
    let rb = &loaded.rulebase;
    let item = rb.item(id);
    let kind = Kind::of(item);
    let area = rb.area(item.area);
    let (from, until) = period(rb, item);
    let mut out = format!(
        "{} {} : {}\n  \"{}\"\n  area {} ({}); covers {}; declared at {}\n",
        kind.as_str(),
        item.name,
        rb.type_name(item.ty),
        item.text,
        area.name,
        area.title,
        period_text(from, until),
        loaded.sources.location(item.span)
    );
    let mut cited: Vec<&Cite> = Vec::new();
    match &item.kind {
        ItemKind::Input { judgment } => {
            out.push_str(&format!(
                "  allowed values: {}\n",
                allowed_values(rb, item.ty)
            ));
            if *judgment {
                out.push_str("  a judgment: an open-textured condition a person must decide\n");
            }
            let users = used_by(rb, id);
            if !users.is_empty() {
                out.push_str(&format!("  used by: {}\n", users.join(", ")));
            }
            match item.ty {
                Type::List(_) | Type::Record(_) | Type::Seats => {
                    out.push_str("  give it in a --facts JSON file: {\"given\": {NAME: VALUE}}\n")
                }
                Type::Bool
                | Type::Int
                | Type::Count
                | Type::Decimal
                | Type::Percent
                | Type::Date
                | Type::Duration
                | Type::Text
                | Type::Enum(_) => {
                    out.push_str(&format!("  give it with: --given {}=VALUE\n", item.name))
                }
            }
        }
        ItemKind::Param { values } => {
            out.push_str("  values:\n");
            for value in values {
                out.push_str(&format!(
                    "    {}  {}\n",
                    format_value_as(rb, item.ty, &value.value, Numbers::Memo),
                    validity_text(&value.validity)
                ));
                out.push_str(&format!("      {}\n", short_cites(&value.citations)));
                cited.extend(value.citations.iter());
            }
            let users = used_by(rb, id);
            if !users.is_empty() {
                out.push_str(&format!("  used by: {}\n", users.join(", ")));
            }
        }
        ItemKind::Question { otherwise, rules } => {
            match otherwise {
                Some(default) => out.push_str(&format!(
                    "  otherwise (no rule applies): {}\n",
                    written(loaded, default)
                )),
                None => out.push_str("  no default: when no rule applies there is no answer\n"),
            }
            for rule in rules {
                let head = match rule.exception_to.and_then(|idx| rules.get(idx)) {
                    Some(target) => format!("exception `{}` to `{}`", rule.name, target.name),
                    None => format!("rule `{}`", rule.name),
                };
                out.push_str(&format!("  {head}  {}\n", validity_text(&rule.validity)));
                if let Some(when) = &rule.when {
                    out.push_str(&format!("    when {}\n", written(loaded, when)));
                }
                out.push_str(&format!("    then {}\n", written(loaded, &rule.then)));
                out.push_str(&format!("    cite {}\n", short_cites(&rule.citations)));
                cited.extend(rule.citations.iter());
            }
            let users = used_by(rb, id);
            if !users.is_empty() {
                out.push_str(&format!("  used by: {}\n", users.join(", ")));
            }
        }
    }
    let mut acts: Vec<&str> = Vec::new();
    for cite in cited {
        if !acts.contains(&cite.act.as_str()) {
            acts.push(&cite.act);
        }
    }
    if !acts.is_empty() {
        out.push_str("  acts and sources:\n");
        for act in acts {
            let title = rb.acts.get(act).map_or("", |(title, _)| title.as_str());
            out.push_str(&format!("    - {act}: {title}\n"));
        }
    }
    out
}

/// `zan show NAME` as Markdown, for a memo.
pub fn show_markdown(loaded: &Loaded, id: ItemId) -> String {
    let rb = &loaded.rulebase;
    let item = rb.item(id);
    let kind = Kind::of(item);
    let area = rb.area(item.area);
    let (from, until) = period(rb, item);
    let mut out = format!(
        "### {} `{}` : {}\n\n*{}*\n\nArea `{}` ({}); covers {}.\n\n",
        kind.as_str(),
        item.name,
        rb.type_name(item.ty),
        item.text,
        area.name,
        area.title,
        period_text(from, until),
    );
    match &item.kind {
        ItemKind::Input { judgment } => {
            out.push_str(&format!(
                "Allowed values: {}.\n\n",
                allowed_values(rb, item.ty)
            ));
            if *judgment {
                out.push_str("A judgment: an open-textured condition a person must decide.\n\n");
            }
        }
        ItemKind::Param { values } => {
            out.push_str("| value | in force | authority |\n|---:|---|---|\n");
            for value in values {
                out.push_str(&format!(
                    "| {} | {} | {} |\n",
                    format_value_as(rb, item.ty, &value.value, Numbers::Memo),
                    validity_text(&value.validity),
                    value
                        .citations
                        .iter()
                        .map(format_cite)
                        .collect::<Vec<_>>()
                        .join("; ")
                        .replace('|', "\\|")
                ));
            }
            out.push('\n');
        }
        ItemKind::Question { otherwise, rules } => {
            if let Some(default) = otherwise {
                out.push_str(&format!(
                    "Otherwise (no rule applies): `{}`\n\n",
                    written(loaded, default)
                ));
            }
            for rule in rules {
                let head = match rule.exception_to.and_then(|idx| rules.get(idx)) {
                    Some(target) => format!("Exception `{}` to `{}`", rule.name, target.name),
                    None => format!("Rule `{}`", rule.name),
                };
                out.push_str(&format!(
                    "- **{head}**, {}: {}then `{}`  \n  {}\n",
                    validity_text(&rule.validity),
                    rule.when
                        .as_ref()
                        .map(|w| format!("when `{}`, ", written(loaded, w)))
                        .unwrap_or_default(),
                    written(loaded, &rule.then),
                    short_cites(&rule.citations)
                ));
            }
            out.push('\n');
        }
    }
    let users = used_by(rb, id);
    if !users.is_empty() {
        out.push_str(&format!(
            "Used by: {}.\n\n",
            users
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out.push_str(&format!("<sub>{}</sub>\n", receipt(rb)));
    out
}

fn cites_json(cites: &[Cite]) -> J {
    J::Array(
        cites
            .iter()
            .map(|c| {
                json!({
                    "act": c.act,
                    "act_title": c.act_title,
                    "article": c.article,
                    "authority": match c.authority {
                        Authority::Verified => "verified",
                        Authority::Secondary => "secondary",
                    },
                    "is_source": c.is_source,
                })
            })
            .collect(),
    )
}

fn validity_json(validity: &Validity) -> J {
    json!({
        "from": validity.from.map(|s| s.earliest.to_string()),
        "from_known": validity.from.filter(|s| s.window.is_some()).map(|s| s.known.to_string()),
        "until": validity.until.map(|d| d.to_string()),
        "text": validity_text(validity),
    })
}

/// `zan show NAME --format json`.
pub fn show_json(loaded: &Loaded, id: ItemId) -> J {
    let rb = &loaded.rulebase;
    let item = rb.item(id);
    let kind = Kind::of(item);
    let (from, until) = period(rb, item);
    let mut object = serde_json::Map::new();
    object.insert("name".into(), J::from(item.name.clone()));
    object.insert("kind".into(), J::from(kind.as_str()));
    object.insert("type".into(), J::from(rb.type_name(item.ty)));
    object.insert("description".into(), J::from(item.text.clone()));
    object.insert("area".into(), J::from(rb.area(item.area).name.clone()));
    object.insert("from".into(), J::from(from.to_string()));
    object.insert("until".into(), json!(until.map(|d| d.to_string())));
    match &item.kind {
        ItemKind::Input { .. } => {
            let values = match item.ty {
                Type::Enum(enum_id) => json!(rb.enums[enum_id.0 as usize].variants),
                Type::Bool => json!([true, false]),
                Type::Int
                | Type::Count
                | Type::Decimal
                | Type::Percent
                | Type::Date
                | Type::Duration
                | Type::Text
                | Type::Seats
                | Type::Record(_)
                | Type::List(_) => J::Null,
            };
            object.insert("allowed_values".into(), values);
            object.insert("allowed".into(), J::from(allowed_values(rb, item.ty)));
        }
        ItemKind::Param { values } => {
            let values: Vec<J> = values
                .iter()
                .map(|v| {
                    json!({
                        "value": crate::render::json::value(rb, item.ty, &v.value),
                        "validity": validity_json(&v.validity),
                        "citations": cites_json(&v.citations),
                    })
                })
                .collect();
            object.insert("values".into(), J::Array(values));
        }
        ItemKind::Question { otherwise, rules } => {
            object.insert(
                "otherwise".into(),
                json!(otherwise.as_ref().map(|o| written(loaded, o))),
            );
            let rules: Vec<J> = rules
                .iter()
                .map(|rule| {
                    json!({
                        "name": rule.name,
                        "exception_to": rule.exception_to.and_then(|idx| rules.get(idx)).map(|r| r.name.clone()),
                        "when": rule.when.as_ref().map(|w| written(loaded, w)),
                        "then": written(loaded, &rule.then),
                        "validity": validity_json(&rule.validity),
                        "citations": cites_json(&rule.citations),
                    })
                })
                .collect();
            object.insert("rules".into(), J::Array(rules));
        }
    }
    object.insert("used_by".into(), json!(used_by(rb, id)));
    object.insert("receipt".into(), receipt_json(rb));
    J::Object(object)
}

/// What shell completion offers, from the loaded rules: every name, the questions and
/// parameters, the enum inputs (for `--over`), `NAME=VALUE` words for `--given` (every enum
/// value and `true`/`false` spelled out, `NAME=` for the rest), and the area names.
#[derive(Clone, Debug, Default)]
pub struct Completions {
    pub names: Vec<String>,
    pub askable: Vec<String>,
    pub enum_inputs: Vec<String>,
    pub givens: Vec<String>,
    pub areas: Vec<String>,
}

pub fn completions(rb: &Rulebase) -> Completions {
    let mut completions = Completions {
        areas: rb.areas.iter().map(|a| a.name.clone()).collect(),
        ..Completions::default()
    };
    for item in &rb.items {
        completions.names.push(item.name.clone());
        match &item.kind {
            ItemKind::Input { .. } => match item.ty {
                Type::Enum(enum_id) => {
                    completions.enum_inputs.push(item.name.clone());
                    for variant in &rb.enums[enum_id.0 as usize].variants {
                        completions.givens.push(format!("{}={variant}", item.name));
                    }
                }
                Type::Bool => {
                    completions.givens.push(format!("{}=true", item.name));
                    completions.givens.push(format!("{}=false", item.name));
                }
                Type::List(_) | Type::Record(_) | Type::Seats => {}
                Type::Int
                | Type::Count
                | Type::Decimal
                | Type::Percent
                | Type::Date
                | Type::Duration
                | Type::Text => completions.givens.push(format!("{}=", item.name)),
            },
            ItemKind::Param { .. } | ItemKind::Question { .. } => {
                completions.askable.push(item.name.clone())
            }
        }
    }
    completions
}
