//! Checking some rules files alone: `zan check rules/parties.zan` cites acts and sources that
//! other shipped files declare (the journal articles are declared once, in `mazhilis.zan`), and
//! `interpretation.zan` uses the enum `body` of `court.zan`. This module loads the files given
//! together with those declarations (acts, sources, enums and records), and only those, taken
//! from the shipped rules the files given do not include, and says which were borrowed and
//! where they are declared.
//!
//! The borrowed declarations keep their file name and line numbers: everything else in the
//! shipped file is blanked to spaces (newlines kept), so a diagnostic on one would point at
//! the right line of the right file.

use crate::ast::Item;
use crate::load::{self, Loaded};
use crate::rulebase::ItemKind;
use crate::source::{ReadError, SourceMap};
use std::path::PathBuf;

/// An act or source taken from a shipped file: its name and `file:line:column`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Borrowed {
    pub name: String,
    pub declared_at: String,
}

/// The file's base name, to tell a shipped file among the files given.
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The files given, loaded with what they borrow.
pub struct Alone {
    pub loaded: Loaded,
    /// How many files were given (the first sources of `loaded`).
    pub given: usize,
    pub borrowed: Vec<Borrowed>,
}

/// The name and span of a declaration another file may use.
fn declaration(item: &Item) -> Option<(&str, crate::span::Span)> {
    match item {
        Item::Act(named) | Item::Source(named) => Some((&named.name.text, named.span)),
        Item::Enum(decl) => Some((&decl.name.text, decl.span)),
        Item::Record(decl) => Some((&decl.name.text, decl.span)),
        Item::Area(_)
        | Item::Input(_)
        | Item::Param(_)
        | Item::Question(_)
        | Item::Scenario(_)
        | Item::Constraint(_)
        | Item::Contested(_) => None,
    }
}

/// What `zan check` checks: the shipped rules when neither `paths` nor `rules` (`--rules`)
/// name any, else `paths` (or, without them, `rules`), each file with the declarations it
/// borrows from the other shipped files.
pub fn for_check(paths: &[PathBuf], rules: &[PathBuf]) -> Result<Alone, ReadError> {
    if paths.is_empty() && rules.is_empty() {
        let loaded = load::load_embedded();
        return Ok(Alone {
            given: loaded.sources.files().count(),
            loaded,
            borrowed: Vec::new(),
        });
    }
    load_with_shipped_declarations(if paths.is_empty() { rules } else { paths })
}

/// Loads `paths` with the act, source, enum and record declarations of the shipped rules
/// that they use but do not declare. Returns the loaded rules and what was borrowed (only what
/// the files given use), in the order of the shipped files.
pub fn load_with_shipped_declarations(paths: &[PathBuf]) -> Result<Alone, ReadError> {
    let mut given: Vec<(String, String)> = Vec::new();
    for path in load::collect_rules_files(paths)? {
        let text = crate::source::read_text(&path, crate::source::Contents::Rules)?;
        given.push((path.display().to_string(), text));
    }
    // What the files given declare themselves.
    let mut given_sources = SourceMap::new();
    let mut declared: Vec<String> = Vec::new();
    for (name, text) in &given {
        let file = given_sources.add(name.clone(), text.clone());
        let (ast, _) = crate::parse::parse_file(&given_sources, file);
        for item in &ast.items {
            if let Some((name, _)) = declaration(item) {
                declared.push(name.to_string());
            }
        }
    }
    // The other shipped files, reduced to the acts and sources the files given lack.
    let mut companions: Vec<(String, String)> = Vec::new();
    let mut offered: Vec<(String, String, usize)> = Vec::new();
    for (shipped_name, shipped_text) in load::EMBEDDED_RULES {
        let included = given
            .iter()
            .any(|(name, text)| text == shipped_text || base_name(name) == base_name(shipped_name));
        if included {
            continue;
        }
        let mut sources = SourceMap::new();
        let file = sources.add(*shipped_name, *shipped_text);
        let (ast, _) = crate::parse::parse_file(&sources, file);
        let mut kept: Vec<std::ops::Range<usize>> = Vec::new();
        for item in &ast.items {
            if let Some((name, span)) = declaration(item)
                && !declared.iter().any(|d| d == name)
                && !offered.iter().any(|(offered, _, _)| offered == name)
            {
                kept.push(span.range());
                offered.push((
                    name.to_string(),
                    shipped_name.to_string(),
                    span.start as usize,
                ));
            }
        }
        if kept.is_empty() {
            continue;
        }
        // Blanked byte for byte, so that offsets, lines and columns stay those of the file.
        let mut blanked = String::with_capacity(shipped_text.len());
        for (idx, c) in shipped_text.char_indices() {
            if c == '\n' || kept.iter().any(|range| range.contains(&idx)) {
                blanked.push(c);
            } else {
                blanked.extend(std::iter::repeat_n(' ', c.len_utf8()));
            }
        }
        companions.push((shipped_name.to_string(), blanked));
    }
    let mut files: Vec<(&str, &str)> = given
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    files.extend(
        companions
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str())),
    );
    let loaded = load::load_text(&files);
    // Only what the files given cite (an act or source) or use (a type) counts as borrowed.
    let cited = cited_acts(&loaded, given.len());
    let used = used_types(&loaded, given.len());
    let borrowed = offered
        .into_iter()
        .filter(|(name, _, _)| cited.contains(name) || used.contains(name))
        .map(|(name, file, offset)| {
            let declared_at = loaded
                .sources
                .files()
                .find(|(_, f)| f.name == file)
                .map(|(_, f)| {
                    let (line, column) = f.line_col(offset);
                    format!("{file}:{line}:{column}")
                })
                .unwrap_or(file);
            Borrowed { name, declared_at }
        })
        .collect();
    Ok(Alone {
        loaded,
        given: given.len(),
        borrowed,
    })
}

/// The acts and sources cited by the items of the first `given` files.
fn cited_acts(loaded: &Loaded, given: usize) -> Vec<String> {
    let mut cited: Vec<String> = Vec::new();
    let mut note = |cites: &[crate::rulebase::Cite]| {
        for cite in cites {
            if !cited.contains(&cite.act) {
                cited.push(cite.act.clone());
            }
        }
    };
    for item in &loaded.rulebase.items {
        if item.span.file.0 as usize >= given {
            continue;
        }
        match &item.kind {
            ItemKind::Param { values } => values.iter().for_each(|v| note(&v.citations)),
            ItemKind::Question { rules, .. } => rules.iter().for_each(|r| note(&r.citations)),
            ItemKind::Input { .. } => {}
        }
    }
    cited
}

/// The enums and records the items of the first `given` files have as their type (or as the
/// type of a field of their record).
fn used_types(loaded: &Loaded, given: usize) -> Vec<String> {
    use crate::rulebase::Type;
    let rb = &loaded.rulebase;
    let mut used: Vec<String> = Vec::new();
    let add = |ty: Type, used: &mut Vec<String>| {
        let name = match ty {
            Type::Enum(id) => rb.enums.get(id.0 as usize).map(|e| e.name.clone()),
            Type::Record(id) | Type::List(id) => {
                rb.records.get(id.0 as usize).map(|r| r.name.clone())
            }
            Type::Bool
            | Type::Int
            | Type::Count
            | Type::Decimal
            | Type::Percent
            | Type::Date
            | Type::Duration
            | Type::Text
            | Type::Seats => None,
        };
        if let Some(name) = name
            && !used.contains(&name)
        {
            used.push(name);
        }
    };
    for item in &rb.items {
        if item.span.file.0 as usize >= given {
            continue;
        }
        add(item.ty, &mut used);
        if let Type::Record(id) | Type::List(id) = item.ty
            && let Some(record) = rb.records.get(id.0 as usize)
        {
            for (_, field_ty) in &record.fields {
                add(*field_ty, &mut used);
            }
        }
    }
    used
}
