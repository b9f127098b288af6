//! The checker: `Ast`s -> [`Rulebase`], with every problem as a [`Diagnostic`].
//!
//! It resolves names to ids, types every expression, requires a citation of an act on every
//! rule and dated value, rejects out-of-order or overlapping dated values, duplicate names and
//! cycles, and warns about rules that can never apply. It collects every diagnostic instead of
//! stopping at the first. It knows nothing of evaluation order or of how answers are printed.

mod expr;
pub mod problem;
mod readings;
mod scenario;

use crate::ast::{self, Item as AstItem};
use crate::diagnostic::Diagnostic;
use crate::names::closest;
use crate::rulebase::*;
use crate::source::SourceMap;
use crate::span::Span;
use crate::values::date_range_text;
use chrono::NaiveDate;
pub use problem::CheckProblem;
use std::cell::Cell;
use std::collections::{HashMap, HashSet};

pub use scenario::{check_scenarios, status_from_word};

/// Types a literal value (from the command line or a scenario) against `ty`.
pub fn literal(
    sources: &SourceMap,
    rulebase: &Rulebase,
    value: &ast::Expr,
    ty: Type,
) -> Result<Value, Vec<Diagnostic>> {
    let mut report = Report::new();
    let value = Resolver::new(sources, rulebase, &mut report).const_value(value, ty);
    match value {
        Some(value) if report.diagnostics.is_empty() => Ok(value),
        _ => Err(report.diagnostics),
    }
}

/// Builds the rulebase from parsed rules files (scenarios in them are ignored here).
pub fn check(sources: &SourceMap, asts: &[ast::Ast]) -> (Rulebase, Vec<Diagnostic>) {
    let mut builder = Builder::new(sources);
    builder.declare(asts);
    builder.declare_contested(asts);
    builder.define();
    builder.define_constraints();
    builder.check_cycles();
    builder.rb.max_locals = builder.report.max_locals;
    (builder.rb, builder.report.diagnostics)
}

/// What a check reports: its diagnostics (at most [`MAX_DIAGNOSTICS`] and a last one saying
/// so), the count of every problem found, and what is left of the budget for "did you mean".
pub(crate) struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Every problem found, including those past [`MAX_DIAGNOSTICS`] that are not reported.
    pub problems: usize,
    /// The most locals (names bound by aggregates) any checked expression needs at once:
    /// the rulebase's `max_locals` once the rules are built.
    pub max_locals: u32,
    /// How many more names "did you mean" may compare with: each suggestion compares the
    /// unknown name with every candidate, and a file of thousands of unknown names must not
    /// take hours.
    suggestions_left: Cell<usize>,
}

impl Report {
    pub(crate) fn new() -> Report {
        Report {
            diagnostics: Vec::new(),
            problems: 0,
            max_locals: 0,
            suggestions_left: Cell::new(MAX_SUGGESTION_COMPARISONS),
        }
    }

    /// [`closest`], while the budget of comparisons lasts.
    pub(crate) fn closest<'c>(
        &self,
        name: &str,
        candidates: impl Iterator<Item = &'c str>,
    ) -> Option<String> {
        let left = self.suggestions_left.get();
        if left == 0 {
            return None;
        }
        let mut compared = 0;
        let found = closest(name, candidates.take(left).inspect(|_| compared += 1));
        self.suggestions_left.set(left - compared);
        found
    }

    pub(crate) fn error(&mut self, diagnostic: Diagnostic) {
        self.problems += 1;
        // Past this many, more messages help no one, and rendering hundreds of thousands of
        // them (a generated file) would take minutes.
        if self.diagnostics.len() < MAX_DIAGNOSTICS {
            self.diagnostics.push(diagnostic);
        } else if self.diagnostics.len() == MAX_DIAGNOSTICS {
            self.diagnostics.push(
                CheckProblem::TooManyErrors {
                    limit: MAX_DIAGNOSTICS,
                }
                .diagnostic()
                .hint("fix the first errors and check again"),
            );
        }
    }
}

/// Resolves names, types expressions and reads literal values against a rulebase that it
/// only reads: the finished one (scenarios, `--given` values), or the one a [`Builder`] is
/// filling, between its writes.
pub(crate) struct Resolver<'r> {
    pub sources: &'r SourceMap,
    pub rb: &'r Rulebase,
    pub report: &'r mut Report,
}

impl<'r> Resolver<'r> {
    pub(crate) fn new(
        sources: &'r SourceMap,
        rb: &'r Rulebase,
        report: &'r mut Report,
    ) -> Resolver<'r> {
        Resolver {
            sources,
            rb,
            report,
        }
    }

    pub(crate) fn closest<'c>(
        &self,
        name: &str,
        candidates: impl Iterator<Item = &'c str>,
    ) -> Option<String> {
        self.report.closest(name, candidates)
    }

    pub(crate) fn error(&mut self, diagnostic: Diagnostic) {
        self.report.error(diagnostic);
    }
}

impl Resolver<'_> {
    /// The citations of a rule, dated value or reading, resolved against the declared acts
    /// and sources; `owner` is where the error goes when none cites an article of an act.
    pub(crate) fn citations(&mut self, citations: &[ast::Citation], owner: Span) -> Vec<Cite> {
        let mut resolved = Vec::new();
        let mut has_act = false;
        let unknown_target = false;
        for citation in citations {
            let Some((title, is_source)) = self.rb.acts.get(&citation.target.text).cloned() else {
                let mut diagnostic = CheckProblem::UnknownCitationTarget {
                    name: citation.target.text.clone(),
                }
                .diagnostic()
                .at(citation.target.span, "not declared with `act` or `source`");
                if let Some(close) = self.closest(
                    &citation.target.text,
                    self.rb.acts.keys().map(String::as_str),
                ) {
                    diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
                }
                self.error(diagnostic);
                continue;
            };
            if is_source && !citation.see {
                self.error(
                    CheckProblem::SourceNotAct {
                        name: citation.target.text.clone(),
                    }
                    .diagnostic()
                    .at(citation.target.span, "cited as an act")
                    .hint("cite the act's article after `cite`, and the source after `see`"),
                );
                continue;
            }
            if citation.article.trim().is_empty() {
                self.error(
                    CheckProblem::EmptyArticle
                        .diagnostic()
                        .at(citation.span, "name the article, e.g. \"Art. 72(3)\""),
                );
                continue;
            }
            let authority =
                if citation.see || citation.authority == Some(ast::AuthorityAnn::Secondary) {
                    Authority::Secondary
                } else {
                    Authority::Verified
                };
            has_act |= !is_source;
            resolved.push(Cite {
                act: citation.target.text.clone(),
                act_title: title,
                article: citation.article.clone(),
                authority,
                is_source,
            });
        }
        if !has_act && !unknown_target {
            self.error(
                CheckProblem::MissingCitation
                    .diagnostic()
                    .at(owner, "every rule and every dated value must cite an act")
                    .hint("add `cite ACT \"Art. N\"`; secondary sources go after `see`"),
            );
        }
        resolved
    }
}

/// Builds a rulebase from rules files: owns it while declaring and defining, and lends it to
/// a [`Resolver`] for each expression, citation and value it checks.
pub(crate) struct Builder<'a> {
    pub sources: &'a SourceMap,
    /// The rulebase being built.
    pub rb: Rulebase,
    pub report: Report,
    /// Where each enum, record, act and source was declared, for "first declared here".
    type_spans: HashMap<String, Span>,
    /// The declaration behind each item, in id order, for the second pass.
    item_decls: Vec<ItemDecl<'a>>,
    /// Enum and record names, so that resolving a type does not scan every declaration.
    type_ids: HashMap<String, Type>,
    /// Area names, likewise.
    area_ids: HashMap<String, usize>,
    /// The prefixes of the names each area declared here may declare (`court` for
    /// `court.may_apply`), by area id: the area's name, or those listed after `names`.
    area_prefixes: HashMap<u32, Vec<String>>,
    /// Acts that declare their signing date and entry rule, by name, as written.
    act_entries: Vec<(&'a ast::Ident, &'a ast::EntryRule)>,
    /// The window each of those acts took effect in, derived before any rule is checked.
    act_windows: HashMap<String, ActWindow>,
    /// Each `constraint` with the area declared before it, for the second pass.
    constraint_decls: Vec<(&'a ast::ConstraintDecl, Option<AreaId>)>,
}

/// The most diagnostics the checker reports in one check.
const MAX_DIAGNOSTICS: usize = 1_000;
/// The most candidate names compared, in all, for "did you mean" in one check: thousands of
/// suggestions against the shipped rules, a bounded time against a generated file.
const MAX_SUGGESTION_COMPARISONS: usize = 200_000;

/// When an act took effect, derived from its signing date and entry rule: no earlier than
/// `earliest`, and known to apply from `known`, with the citations behind both bounds.
#[derive(Clone, Debug)]
struct ActWindow {
    earliest: NaiveDate,
    known: NaiveDate,
    cites: Vec<Cite>,
}

/// Law on Legal Acts Art 37(3): the first official publication of a normative legal act is
/// made within thirty calendar days of its entry into force (its signing, Art 42(1)).
const PUBLICATION_LIMIT_DAYS: u64 = 30;

enum ItemDecl<'a> {
    Input,
    Param(&'a ast::ParamDecl),
    Question(&'a ast::QuestionDecl),
}

impl<'a> Builder<'a> {
    pub(crate) fn new(sources: &'a SourceMap) -> Builder<'a> {
        Builder {
            sources,
            rb: Rulebase::default(),
            report: Report::new(),
            type_spans: HashMap::new(),
            item_decls: Vec::new(),
            type_ids: HashMap::new(),
            area_ids: HashMap::new(),
            area_prefixes: HashMap::new(),
            act_entries: Vec::new(),
            act_windows: HashMap::new(),
            constraint_decls: Vec::new(),
        }
    }

    /// A resolver over the rulebase as built so far.
    fn resolver(&mut self) -> Resolver<'_> {
        Resolver::new(self.sources, &self.rb, &mut self.report)
    }

    fn closest<'c>(&self, name: &str, candidates: impl Iterator<Item = &'c str>) -> Option<String> {
        self.report.closest(name, candidates)
    }

    /// A declared enum or record type by name.
    fn type_by_name(&self, name: &str) -> Option<Type> {
        self.type_ids.get(name).copied()
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.report.error(diagnostic);
    }

    fn duplicate(&mut self, what: &str, name: &ast::Ident, first: Span) {
        self.error(
            CheckProblem::DeclaredTwice {
                what: what.to_string(),
                name: name.text.clone(),
            }
            .diagnostic()
            .at(name.span, "declared again here")
            .also(first, "first declared here")
            .hint("names must be unique across all loaded rules files"),
        );
    }

    /// First pass: every name that can be referred to, so that order in the files is free.
    fn declare(&mut self, asts: &'a [ast::Ast]) {
        for ast in asts {
            for item in &ast.items {
                match item {
                    AstItem::Act(named) | AstItem::Source(named) => {
                        let is_source = matches!(item, AstItem::Source(_));
                        if let Some(first) =
                            self.type_spans.get(&format!("act {}", named.name.text))
                        {
                            let first = *first;
                            self.duplicate(
                                if is_source { "source" } else { "act" },
                                &named.name,
                                first,
                            );
                            continue;
                        }
                        self.type_spans
                            .insert(format!("act {}", named.name.text), named.name.span);
                        if let Some(entry) = &named.entry {
                            self.act_entries.push((&named.name, entry));
                        }
                        self.rb
                            .acts
                            .insert(named.name.text.clone(), (named.title.clone(), is_source));
                    }
                    AstItem::Enum(decl) if self.declare_type_name(&decl.name) => {
                        let mut variants: Vec<String> = Vec::new();
                        let mut seen: HashSet<&str> = HashSet::new();
                        for variant in &decl.variants {
                            if !seen.insert(&variant.text) {
                                self.error(
                                    CheckProblem::EnumValueTwice {
                                        value: variant.text.clone(),
                                        enum_name: decl.name.text.clone(),
                                    }
                                    .diagnostic()
                                    .at(variant.span, "repeated here"),
                                );
                            } else {
                                variants.push(variant.text.clone());
                            }
                        }
                        let id = Type::Enum(EnumId(self.rb.enums.len() as u32));
                        self.type_ids.insert(decl.name.text.clone(), id);
                        self.rb.enums.push(EnumDef {
                            name: decl.name.text.clone(),
                            variants,
                        });
                    }
                    AstItem::Record(decl) if self.declare_type_name(&decl.name) => {
                        // Field types are resolved once all type names are known.
                        let id = Type::Record(RecordId(self.rb.records.len() as u32));
                        self.type_ids.insert(decl.name.text.clone(), id);
                        self.rb.records.push(RecordDef {
                            name: decl.name.text.clone(),
                            fields: Vec::new(),
                        });
                    }
                    AstItem::Area(_)
                    | AstItem::Enum(_)
                    | AstItem::Record(_)
                    | AstItem::Input(_)
                    | AstItem::Param(_)
                    | AstItem::Question(_)
                    | AstItem::Scenario(_)
                    | AstItem::Constraint(_)
                    | AstItem::Contested(_) => {}
                }
            }
        }
        // Record fields, now that every enum and record name is known.
        for ast in asts {
            for item in &ast.items {
                if let AstItem::Record(decl) = item {
                    let Some(Type::Record(RecordId(record_idx))) =
                        self.type_by_name(&decl.name.text)
                    else {
                        continue;
                    };
                    let record_idx = record_idx as usize;
                    if !self.rb.records[record_idx].fields.is_empty() {
                        continue;
                    }
                    let mut fields: Vec<(String, Type)> = Vec::new();
                    let mut seen: HashSet<&str> = HashSet::new();
                    for (field, ty) in &decl.fields {
                        if !seen.insert(&field.text) {
                            self.error(
                                CheckProblem::RecordFieldTwice {
                                    field: field.text.clone(),
                                    record: decl.name.text.clone(),
                                }
                                .diagnostic()
                                .at(field.span, "repeated here"),
                            );
                            continue;
                        }
                        if let Some(ty) = self.resolve_type(ty) {
                            if matches!(ty, Type::Record(_) | Type::List(_) | Type::Seats) {
                                self.error(
                                    CheckProblem::RecordFieldNotPlain {
                                        field: field.text.clone(),
                                        record: decl.name.text.clone(),
                                        ty: self.rb.type_name(ty).to_string(),
                                    }
                                    .diagnostic()
                                    .at(field.span, "not a plain value type"),
                                );
                                continue;
                            }
                            fields.push((field.text.clone(), ty));
                        }
                    }
                    self.rb.records[record_idx].fields = fields;
                }
            }
        }
        // Areas and items, each item in the area declared before it in its file.
        for ast in asts {
            let mut current_area: Option<AreaId> = None;
            for item in &ast.items {
                match item {
                    AstItem::Area(area) => {
                        current_area = self.declare_area(area);
                    }
                    AstItem::Input(decl) => {
                        let ty = match &decl.ty {
                            Some(ty) => self.resolve_type(ty),
                            None => Some(Type::Bool),
                        };
                        self.declare_item(
                            &decl.name,
                            &decl.text,
                            ty,
                            current_area,
                            ItemKind::Input {
                                judgment: decl.judgment,
                            },
                            decl.span,
                            ItemDecl::Input,
                        );
                    }
                    AstItem::Param(decl) => {
                        let ty = self.resolve_type(&decl.ty);
                        self.declare_item(
                            &decl.name,
                            &decl.text,
                            ty,
                            current_area,
                            ItemKind::Param { values: Vec::new() },
                            decl.span,
                            ItemDecl::Param(decl),
                        );
                    }
                    AstItem::Question(decl) => {
                        let ty = self.resolve_type(&decl.ty);
                        self.declare_item(
                            &decl.name,
                            &decl.text,
                            ty,
                            current_area,
                            ItemKind::Question {
                                otherwise: None,
                                rules: Vec::new(),
                            },
                            decl.span,
                            ItemDecl::Question(decl),
                        );
                    }
                    AstItem::Constraint(decl) => {
                        self.constraint_decls.push((decl, current_area));
                    }
                    AstItem::Act(_)
                    | AstItem::Source(_)
                    | AstItem::Enum(_)
                    | AstItem::Record(_)
                    | AstItem::Scenario(_)
                    | AstItem::Contested(_) => {}
                }
            }
        }
    }

    fn declare_type_name(&mut self, name: &ast::Ident) -> bool {
        if Type::builtin(&name.text).is_some() {
            self.error(
                CheckProblem::BuiltinTypeRedeclared {
                    name: name.text.clone(),
                }
                .diagnostic()
                .at(name.span, "choose another name"),
            );
            return false;
        }
        let key = format!("type {}", name.text);
        if let Some(first) = self.type_spans.get(&key) {
            let first = *first;
            self.duplicate("type", name, first);
            return false;
        }
        self.type_spans.insert(key, name.span);
        true
    }

    fn declare_area(&mut self, area: &ast::Area) -> Option<AreaId> {
        if let Some(&existing) = self.area_ids.get(&area.name.text) {
            let first = self
                .type_spans
                .get(&format!("area {}", area.name.text))
                .copied();
            if let Some(first) = first {
                self.duplicate("area", &area.name, first)
            }
            return Some(AreaId(existing as u32));
        }
        if let Some(until) = area.until
            && until.date < area.from.date
        {
            self.error(
                CheckProblem::AreaEndsBeforeItBegins {
                    area: area.name.text.clone(),
                    until: until.date.to_string(),
                    from: area.from.date.to_string(),
                }
                .diagnostic()
                .at(until.span, "end date before the start date"),
            );
        }
        self.type_spans
            .insert(format!("area {}", area.name.text), area.name.span);
        self.area_ids
            .insert(area.name.text.clone(), self.rb.areas.len());
        let prefixes = if area.prefixes.is_empty() {
            vec![area.name.text.clone()]
        } else {
            area.prefixes.iter().map(|p| p.text.clone()).collect()
        };
        self.area_prefixes
            .insert(self.rb.areas.len() as u32, prefixes);
        self.rb.areas.push(Area {
            name: area.name.text.clone(),
            title: area.title.clone(),
            from: area.from.date,
            until: area.until.map(|d| d.date),
        });
        Some(AreaId(self.rb.areas.len() as u32 - 1))
    }

    #[allow(clippy::too_many_arguments)]
    fn declare_item(
        &mut self,
        name: &ast::Ident,
        text: &str,
        ty: Option<Type>,
        area: Option<AreaId>,
        kind: ItemKind,
        span: Span,
        decl: ItemDecl<'a>,
    ) {
        if let Some(&first) = self.rb.names.get(&name.text) {
            let first = self.rb.item(first).span;
            self.duplicate("name", name, first);
            return;
        }
        let Some(area) = area else {
            self.error(
                CheckProblem::OutsideArea {
                    name: name.text.clone(),
                }
                .diagnostic()
                .at(name.span, "no `area` line above this in the file")
                .hint("start each rules file with `area NAME \"TITLE\" covers FROM .. [UNTIL]`"),
            );
            return;
        };
        self.check_prefix(name, area);
        let Some(ty) = ty else { return };
        let id = ItemId(self.rb.items.len() as u32);
        self.rb.names.insert(name.text.clone(), id);
        self.rb.items.push(Item {
            name: name.text.clone(),
            text: text.to_string(),
            ty,
            area,
            kind,
            span,
        });
        self.item_decls.push(decl);
    }

    /// A name's prefix (`party` in `party.members`) is its area's: `party.x` declared in area
    /// `court` is an error, which names the area the prefix belongs to when there is one.
    fn check_prefix(&mut self, name: &ast::Ident, area: AreaId) {
        let Some((prefix, _)) = name.text.split_once('.') else {
            return;
        };
        let Some(prefixes) = self.area_prefixes.get(&area.0) else {
            return;
        };
        if prefixes.iter().any(|p| p == prefix) {
            return;
        }
        let area_name = self.rb.area(area).name.clone();
        let allowed = prefixes
            .iter()
            .map(|p| format!("`{p}.`"))
            .collect::<Vec<_>>()
            .join(" or ");
        let owner = self
            .area_prefixes
            .iter()
            .filter(|(_, ps)| ps.iter().any(|p| p == prefix))
            .map(|(id, _)| *id)
            .min()
            .map(|id| self.rb.area(AreaId(id)).name.clone());
        let rest = &name.text[prefix.len() + 1..];
        let hint = match owner {
            Some(owner) => format!(
                "names beginning `{prefix}.` belong to area `{owner}`: declare it under that area, or rename it `{}.{rest}`",
                prefixes[0]
            ),
            None => format!(
                "rename it `{}.{rest}`, or list `{prefix}` after `names` on the line of area `{area_name}`",
                prefixes[0]
            ),
        };
        self.error(
            CheckProblem::PrefixNotArea {
                name: name.text.clone(),
                area: area_name.to_string(),
                allowed,
            }
            .diagnostic()
            .at(
                name.span,
                format!("the prefix `{prefix}` is not area `{area_name}`'s"),
            )
            .hint(hint),
        );
    }

    pub(crate) fn resolve_type(&mut self, ann: &ast::TypeAnn) -> Option<Type> {
        match &ann.kind {
            ast::TypeAnnKind::Named(name) => {
                let builtin = Type::builtin(name);
                if builtin.is_some() {
                    return builtin;
                }
                if let Some(ty) = self.type_by_name(name) {
                    return Some(ty);
                }
                let candidates: Vec<&str> = Type::BUILTIN
                    .iter()
                    .map(|(builtin, _)| *builtin)
                    .chain(self.rb.enums.iter().map(|e| e.name.as_str()))
                    .chain(self.rb.records.iter().map(|r| r.name.as_str()))
                    .collect();
                let mut diagnostic = CheckProblem::UnknownType {
                    name: name.to_string(),
                }
                .diagnostic()
                .at(ann.span, "not a built-in type, enum or record");
                if let Some(close) = self.closest(name, candidates.into_iter()) {
                    diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
                }
                self.error(diagnostic);
                None
            }
            ast::TypeAnnKind::List(element) => match self.type_by_name(&element.text) {
                Some(Type::Record(record_id)) => Some(Type::List(record_id)),
                _ => {
                    self.error(
                        CheckProblem::UnknownRecordType {
                            name: element.text.clone(),
                        }
                        .diagnostic()
                        .at(element.span, "`list` takes a record type")
                        .hint("declare it with `record NAME { field: type, ... }`"),
                    );
                    None
                }
            },
        }
    }

    /// Derives the window of every act that declares its signing date and entry rule. The act
    /// took effect `days` after its first official publication, which came no earlier than its
    /// signing and, by the Law on Legal Acts Art 37(3), no later than 30 days after it. The
    /// ten days are counted either way (from the day of publication or the day after), so the
    /// window runs from signing + `days` to signing + 30 + `days` + 1, unless cited evidence
    /// shows the act applied earlier.
    fn derive_act_windows(&mut self) {
        let entries = std::mem::take(&mut self.act_entries);
        for (name, entry) in &entries {
            let Some((own_title, _)) = self.rb.acts.get(&name.text).cloned() else {
                continue;
            };
            let under_title = match self.rb.acts.get(&entry.under.text).cloned() {
                Some((title, false)) => title,
                Some((_, true)) => {
                    self.error(
                        CheckProblem::SourceNotAct {
                            name: entry.under.text.clone(),
                        }
                        .diagnostic()
                        .at(
                            entry.under.span,
                            "the publication limit must come from an act",
                        )
                        .hint("name the Law on Legal Acts, declared with `act`"),
                    );
                    continue;
                }
                None => {
                    let mut diagnostic = CheckProblem::UnknownAct {
                        name: entry.under.text.clone(),
                    }
                    .diagnostic()
                    .at(entry.under.span, "not declared with `act`");
                    if let Some(close) =
                        self.closest(&entry.under.text, self.rb.acts.keys().map(String::as_str))
                    {
                        diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
                    }
                    self.error(diagnostic);
                    continue;
                }
            };
            let signed = entry.signed.date;
            let days = u64::from(entry.days);
            let bounds = signed
                .checked_add_days(chrono::Days::new(days))
                .zip(signed.checked_add_days(chrono::Days::new(PUBLICATION_LIMIT_DAYS + days + 1)));
            let Some((earliest, latest)) = bounds else {
                self.error(
                    CheckProblem::ActWindowPastCalendar
                        .diagnostic()
                        .at(entry.signed.span, "signed too late"),
                );
                continue;
            };
            let mut cites = vec![
                Cite {
                    act: name.text.clone(),
                    act_title: own_title,
                    article: format!(
                        "entry into force: {days} days after first official publication (signed {signed}, so not before {earliest})"
                    ),
                    authority: Authority::Verified,
                    is_source: false,
                },
                Cite {
                    act: entry.under.text.clone(),
                    act_title: under_title,
                    article: format!(
                        "Art. 37(3), Art. 42(1): first official publication within {PUBLICATION_LIMIT_DAYS} calendar days of signing, so {} in force by {latest} at the latest (presuming lawful publication)",
                        name.text
                    ),
                    authority: Authority::Verified,
                    is_source: false,
                },
            ];
            let mut known = latest;
            if let Some(evidence) = &entry.applied {
                let evidence_cites = self
                    .resolver()
                    .citations(&evidence.citations, evidence.span);
                if evidence.date.date < earliest || evidence.date.date > latest {
                    self.error(
                        CheckProblem::EvidenceOutsideWindow {
                            act: name.text.clone(),
                            date: evidence.date.date.to_string(),
                            earliest: earliest.to_string(),
                            latest: latest.to_string(),
                        }
                        .diagnostic()
                        .at(evidence.date.span, "outside the window")
                        .also(entry.signed.span, "signed here")
                        .hint("check the date, the signing date and the days after publication"),
                    );
                    continue;
                }
                known = evidence.date.date;
                cites.extend(evidence_cites);
            }
            self.act_windows.insert(
                name.text.clone(),
                ActWindow {
                    earliest,
                    known,
                    cites,
                },
            );
        }
        self.act_entries = entries;
    }

    /// The window of `from ACT` (or `from ACT or ACT ...`: the change was made by one of them):
    /// from the earliest of their earliest days to the latest of their first known days.
    fn acts_window(&mut self, acts: &[ast::Ident]) -> Option<ActWindow> {
        let mut combined: Option<ActWindow> = None;
        let mut complete = true;
        for act in acts {
            let Some(window) = self.act_windows.get(&act.text).cloned() else {
                complete = false;
                let declared_with_entry = self.act_entries.iter().any(|(n, _)| n.text == act.text);
                if declared_with_entry {
                    // Its entry rule is wrong and has been reported.
                    continue;
                }
                let diagnostic = match self.rb.acts.get(&act.text) {
                    Some((_, false)) => CheckProblem::ActWithoutEntryRule { act: act.text.clone() }.diagnostic()
                    .at(act.span, "a window needs the act's signing date and entry rule")
                    .hint("add `signed DATE effective N days after publication under ACT` to the act, or write the dates"),
                    Some((_, true)) => CheckProblem::SourceNotAct { name: act.text.clone() }.diagnostic()
                    .at(act.span, "only an act takes effect"),
                    None => {
                        let mut diagnostic =
                            CheckProblem::UnknownAct { name: act.text.clone() }.diagnostic()
                                .at(act.span, "not declared with `act`");
                        if let Some(close) =
                            self.closest(&act.text, self.rb.acts.keys().map(String::as_str))
                        {
                            diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
                        }
                        diagnostic
                    }
                };
                self.error(diagnostic);
                continue;
            };
            combined = Some(match combined {
                None => window,
                Some(mut so_far) => {
                    so_far.earliest = so_far.earliest.min(window.earliest);
                    so_far.known = so_far.known.max(window.known);
                    for cite in window.cites {
                        if !so_far.cites.contains(&cite) {
                            so_far.cites.push(cite);
                        }
                    }
                    so_far
                }
            });
        }
        combined.filter(|_| complete)
    }

    /// Resolves a validity. A start named by acts adds the citations behind its bounds to
    /// `cites`, so that every answer the rule or value gives cites them.
    pub(crate) fn validity(
        &mut self,
        validity: &ast::Validity,
        what: String,
        cites: &mut Vec<Cite>,
    ) -> Validity {
        let from = match validity.from.as_ref() {
            None => None,
            Some(ast::Start::Dates { earliest, known }) => {
                let earliest_lit = *earliest;
                let known_date = known.map_or(earliest_lit.date, |k| k.date);
                let mut window = None;
                if let Some(known_lit) = *known {
                    if known_lit.date <= earliest_lit.date {
                        self.error(
                            CheckProblem::WindowBackwards {
                                earliest: earliest_lit.date.to_string(),
                                known: known_lit.date.to_string(),
                            }
                            .diagnostic()
                            .at(
                                earliest_lit.span.to(known_lit.span),
                                "the first known day must come after the earliest possible day",
                            )
                            .hint("write a single date when the day is settled"),
                        );
                    } else {
                        window = Some(self.push_window(earliest_lit.date, known_date, what, cites));
                    }
                }
                Some(Start {
                    earliest: earliest_lit.date,
                    known: known_date,
                    window,
                })
            }
            Some(ast::Start::Acts(acts)) => self.acts_window(acts).map(|derived| {
                for cite in derived.cites {
                    if !cites.contains(&cite) {
                        cites.push(cite);
                    }
                }
                let window = (derived.known > derived.earliest)
                    .then(|| self.push_window(derived.earliest, derived.known, what, cites));
                Start {
                    earliest: derived.earliest,
                    known: derived.known,
                    window,
                }
            }),
        };
        if let (Some(from), Some(until)) = (&from, validity.until)
            && until.date < from.known
        {
            self.error(
                CheckProblem::UntilBeforeFrom {
                    until: until.date.to_string(),
                    from: from.known.to_string(),
                }
                .diagnostic()
                .at(until.span, "this ends before it begins"),
            );
        }
        Validity {
            from,
            until: validity.until.map(|d| d.date),
        }
    }

    fn push_window(
        &mut self,
        earliest: NaiveDate,
        known: NaiveDate,
        what: String,
        cites: &[Cite],
    ) -> WindowId {
        let id = WindowId(self.rb.windows.len() as u32);
        self.rb.windows.push(Window {
            earliest,
            known,
            what,
            citations: cites.to_vec(),
        });
        id
    }

    /// Second pass: parameter values, rules and defaults.
    fn define(&mut self) {
        self.derive_act_windows();
        let decls = std::mem::take(&mut self.item_decls);
        for (idx, decl) in decls.iter().enumerate() {
            let id = ItemId(idx as u32);
            match decl {
                ItemDecl::Input => {}
                ItemDecl::Param(decl) => self.define_param(id, decl),
                ItemDecl::Question(decl) => self.define_question(id, decl),
            }
        }
        self.item_decls = decls;
    }

    fn define_param(&mut self, id: ItemId, decl: &ast::ParamDecl) {
        let ty = self.rb.item(id).ty;
        let mut values: Vec<ParamValue> = Vec::new();
        for value in &decl.values {
            let mut cites = self.resolver().citations(&value.citations, value.span);
            let Some(checked) = self.resolver().const_value(&value.value, ty) else {
                continue;
            };
            // The value as answers print it (`5,000`), not as written (`5_000`).
            let shown = format!(
                "{} = {}",
                decl.name.text,
                crate::values::format_value(&self.rb, ty, &checked)
            );
            let validity = self.validity(&value.validity, shown, &mut cites);
            values.push(ParamValue {
                value: checked,
                validity,
                citations: cites,
                span: value.span,
            });
        }
        self.check_value_order(&decl.name.text, &values);
        if let ItemKind::Param { values: slot } = &mut self.rb.items[id.0 as usize].kind {
            *slot = values;
        }
    }

    fn check_value_order(&mut self, name: &str, values: &[ParamValue]) {
        for pair in values.windows(2) {
            let [earlier, later] = pair else { continue };
            let Some(later_from) = later.validity.from else {
                self.error(
                    CheckProblem::DatedValueWithoutFrom {
                        name: name.to_string(),
                    }
                    .diagnostic()
                    .at(later.span, "only the first value may omit `from`")
                    .hint("say from which day this value is in force"),
                );
                continue;
            };
            let earlier_start = earlier.validity.from.map(|s| s.known);
            if let Some(earlier_start) = earlier_start
                && later_from.earliest <= earlier_start
            {
                self.error(
                        CheckProblem::DatedValuesOutOfOrder { name: name.to_string(), later: later_from.earliest.to_string(), earlier: earlier_start.to_string() }.diagnostic()
                        .at(later.span, "this value starts too early")
                        .also(earlier.span, "the value before it")
                        .hint("list values in date order; each must start after the one before is settled"),
                    );
                continue;
            }
            if let Some(until) = earlier.validity.until
                && until >= later_from.earliest
            {
                self.error(
                    CheckProblem::DatedValuesOverlap {
                        name: name.to_string(),
                        until: until.to_string(),
                        next: later_from.earliest.to_string(),
                    }
                    .diagnostic()
                    .at(
                        later.span,
                        "starts while the value before is still in force",
                    )
                    .also(earlier.span, "in force until then"),
                );
            }
        }
    }

    fn define_question(&mut self, id: ItemId, decl: &'a ast::QuestionDecl) {
        let ty = self.rb.item(id).ty;
        let area = self.rb.area(self.rb.item(id).area).clone();
        let otherwise = decl.otherwise.as_ref().and_then(|e| {
            let mut scope = expr::Scope::default();
            self.resolver().expr_as(e, ty, &mut scope)
        });
        let mut rules: Vec<Rule> = Vec::new();
        // Each rule name, with where it was first declared: one look-up per rule, so that a
        // question of a hundred thousand rules checks in linear time.
        let mut first_spans: HashMap<&str, Span> = HashMap::with_capacity(decl.rules.len());
        for rule in &decl.rules {
            if let Some(&first) = first_spans.get(rule.name.text.as_str()) {
                self.duplicate("rule", &rule.name, first);
                continue;
            }
            first_spans.insert(&rule.name.text, rule.name.span);
            let mut cites = self.resolver().citations(&rule.citations, rule.name.span);
            let under = rule
                .under
                .as_ref()
                .and_then(|name| self.resolver().reading_ref(name));
            if rule.under.is_some() && under.is_none() {
                continue;
            }
            let what = format!("rule `{}` of {}", rule.name.text, decl.name.text);
            let validity = self.validity(&rule.validity, what, &mut cites);
            let mut scope = expr::Scope::default();
            let when = rule
                .when
                .as_ref()
                .and_then(|e| self.resolver().expr_as(e, Type::Bool, &mut scope));
            let then = self.resolver().expr_as(&rule.then, ty, &mut scope);
            self.warn_never_applies(&area, &validity, rule);
            let Some(then) = then else { continue };
            if rule.when.is_some() && when.is_none() {
                continue;
            }
            rules.push(Rule {
                name: rule.name.text.clone(),
                exception_to: None,
                under,
                validity,
                when,
                then,
                citations: cites,
                span: rule.span,
            });
        }
        // Exceptions name rules of the same question; resolve them once all rules are known.
        let rule_ids: HashMap<&str, usize> = rules
            .iter()
            .enumerate()
            .map(|(idx, r)| (r.name.as_str(), idx))
            .collect();
        let mut exception_to: Vec<Option<usize>> = vec![None; rules.len()];
        for rule in &decl.rules {
            let Some(target) = &rule.exception_to else {
                continue;
            };
            // A repeated name was reported above and kept only at its first declaration.
            let Some(&rule_idx) = rule_ids.get(rule.name.text.as_str()) else {
                continue;
            };
            if rules[rule_idx].span != rule.span {
                continue;
            }
            if target.text == rule.name.text {
                self.error(
                    CheckProblem::ExceptionToItself {
                        exception: rule.name.text.clone(),
                    }
                    .diagnostic()
                    .at(target.span, "name another rule of this question"),
                );
                continue;
            }
            match rule_ids.get(target.text.as_str()) {
                Some(&target_idx) => exception_to[rule_idx] = Some(target_idx),
                None => {
                    let mut diagnostic = CheckProblem::ExceptionToUnknownRule {
                        exception: rule.name.text.clone(),
                        target: target.text.clone(),
                    }
                    .diagnostic()
                    .at(
                        target.span,
                        format!("no rule of `{}` has this name", decl.name.text),
                    );
                    if let Some(close) =
                        self.closest(&target.text, rules.iter().map(|r| r.name.as_str()))
                    {
                        diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
                    }
                    self.error(diagnostic);
                }
            }
        }
        // Exceptions to exceptions may chain, but never in a circle.
        match circle_of_exceptions(&exception_to) {
            Some(in_circle) => {
                self.error(
                    CheckProblem::ExceptionCycle {
                        question: decl.name.text.clone(),
                    }
                    .diagnostic()
                    .at(
                        rules[in_circle].span,
                        "this exception is part of the circle",
                    ),
                );
            }
            None => {
                for (rule, target) in rules.iter_mut().zip(exception_to) {
                    rule.exception_to = target;
                }
            }
        }
        if let ItemKind::Question {
            otherwise: slot_otherwise,
            rules: slot_rules,
        } = &mut self.rb.items[id.0 as usize].kind
        {
            *slot_otherwise = otherwise;
            *slot_rules = rules;
        }
    }

    /// Constraints: a condition on facts, checked as a `bool` expression like a rule's
    /// condition, with a citation of the act that makes other facts impossible.
    fn define_constraints(&mut self) {
        let decls = std::mem::take(&mut self.constraint_decls);
        let mut first_spans: HashMap<&str, Span> = HashMap::new();
        for (decl, area) in &decls {
            if let Some(&first) = self.rb.names.get(&decl.name.text) {
                let first = self.rb.item(first).span;
                self.duplicate("name", &decl.name, first);
                continue;
            }
            if let Some(&first) = first_spans.get(decl.name.text.as_str()) {
                self.duplicate("constraint", &decl.name, first);
                continue;
            }
            first_spans.insert(&decl.name.text, decl.name.span);
            let Some(area) = *area else {
                self.error(
                    CheckProblem::OutsideArea {
                        name: decl.name.text.clone(),
                    }
                    .diagnostic()
                    .at(decl.name.span, "no `area` line above this in the file")
                    .hint(
                        "start each rules file with `area NAME \"TITLE\" covers FROM .. [UNTIL]`",
                    ),
                );
                continue;
            };
            let citations = self.resolver().citations(&decl.citations, decl.name.span);
            let mut scope = expr::Scope::default();
            let Some(requires) = self
                .resolver()
                .expr_as(&decl.requires, Type::Bool, &mut scope)
            else {
                continue;
            };
            self.rb.constraints.push(Constraint {
                name: decl.name.text.clone(),
                text: decl.text.clone(),
                area,
                requires,
                citations,
                span: decl.span,
            });
        }
        self.constraint_decls = decls;
    }

    fn warn_never_applies(&mut self, area: &Area, validity: &Validity, rule: &ast::RuleDecl) {
        let starts_after_area = match (validity.from, area.until) {
            (Some(from), Some(until)) => from.earliest > until,
            _ => false,
        };
        let ends_before_area = validity.until.is_some_and(|until| until < area.from);
        let never_true = matches!(
            rule.when.as_ref().map(|e| &e.kind),
            Some(ast::ExprKind::Bool(false))
        );
        if starts_after_area || ends_before_area || never_true {
            let reason = if never_true {
                "its condition is always false".to_string()
            } else {
                format!(
                    "it is in force only outside the period area `{}` covers ({})",
                    area.name,
                    date_range_text(area.from, area.until)
                )
            };
            self.error(
                CheckProblem::RuleNeverApplies {
                    rule: rule.name.text.clone(),
                }
                .diagnostic()
                .at(rule.name.span, reason),
            );
        }
    }

    /// Questions and parameters may depend on questions, but never on themselves.
    fn check_cycles(&mut self) {
        let n = self.rb.items.len();
        let mut deps: Vec<Vec<ItemId>> = vec![Vec::new(); n];
        for (idx, item) in self.rb.items.iter().enumerate() {
            if let ItemKind::Question { otherwise, rules } = &item.kind {
                let mut found = Vec::new();
                if let Some(e) = otherwise {
                    expr::references(e, &mut found);
                }
                for rule in rules {
                    if let Some(e) = &rule.when {
                        expr::references(e, &mut found);
                    }
                    expr::references(&rule.then, &mut found);
                }
                found.retain(|dep| {
                    matches!(
                        self.rb.items[dep.0 as usize].kind,
                        ItemKind::Question { .. }
                    )
                });
                found.sort();
                found.dedup();
                deps[idx] = found;
            }
        }
        // Iterative depth-first search: 0 = unseen, 1 = on the path, 2 = done.
        let mut state = vec![0u8; n];
        for root in 0..n {
            if state[root] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            state[root] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(&dep) = deps[node].get(*next) {
                    *next += 1;
                    let dep = dep.0 as usize;
                    match state[dep] {
                        0 => {
                            state[dep] = 1;
                            stack.push((dep, 0));
                        }
                        1 => {
                            let cycle_start =
                                stack.iter().position(|(n, _)| *n == dep).unwrap_or(0);
                            let names: Vec<String> = stack[cycle_start..]
                                .iter()
                                .map(|(n, _)| format!("`{}`", self.rb.items[*n].name))
                                .chain(std::iter::once(format!("`{}`", self.rb.items[dep].name)))
                                .collect();
                            let span = self.rb.items[dep].span;
                            self.report.diagnostics.push(
                                CheckProblem::QuestionCycle { names: names.iter().map(|name| name.to_string()).collect() }.diagnostic()
                                .at(span, "part of the cycle")
                                .hint("a question cannot depend, directly or through others, on itself"),
                            );
                            // Break the cycle so that evaluation of the rest stays possible.
                            state[dep] = 2;
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    stack.pop();
                }
            }
        }
    }
}

/// The first rule (by index) that lies on a circle of exceptions, if any. Each rule names at
/// most one rule it is an exception to, so every rule is walked once: linear time.
fn circle_of_exceptions(exception_to: &[Option<usize>]) -> Option<usize> {
    // 0 = not walked yet, 1 = on the walk from the current start, 2 = leads to no circle.
    let mut state = vec![0u8; exception_to.len()];
    let mut first: Option<usize> = None;
    for start in 0..exception_to.len() {
        let mut walk = Vec::new();
        let mut current = Some(start);
        while let Some(node) = current {
            match state[node] {
                0 => {
                    state[node] = 1;
                    walk.push(node);
                    current = exception_to[node];
                }
                1 => {
                    // The walk met itself: the rules from `node` on form the circle.
                    let circle_start = walk.iter().position(|&n| n == node).unwrap_or(0);
                    if let Some(&smallest) = walk[circle_start..].iter().min() {
                        first = Some(first.map_or(smallest, |f| f.min(smallest)));
                    }
                    break;
                }
                _ => break,
            }
        }
        for node in walk {
            state[node] = 2;
        }
    }
    first
}
