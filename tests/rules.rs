//! The shipped rules: they check without a single diagnostic, and every citation the rules
//! mark `secondary` (and every change dated by a window) is listed in rules/README.md as an open
//! verification item.

use std::path::Path;
use zan::rulebase::{Authority, Cite, ItemKind};

fn shipped() -> zan::load::Loaded {
    zan::load::load_paths(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")]).expect("rules/")
}

fn open_items() -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/README.md"))
            .expect("rules/README.md");
    let (_, items) = readme
        .split_once("## Open verification items")
        .expect("an open verification items section");
    items.to_string()
}

fn secondary_act(cites: &[Cite]) -> bool {
    cites
        .iter()
        .any(|c| !c.is_source && c.authority == Authority::Secondary)
}

#[test]
fn shipped_rules_check_without_diagnostics() {
    let loaded = shipped();
    assert!(
        loaded.diagnostics.is_empty(),
        "{}",
        zan::diagnostic::render(&loaded.sources, &loaded.diagnostics)
    );
    assert!(loaded.rulebase.areas.len() >= 5);
}

#[test]
fn every_secondary_citation_is_an_open_item() {
    let loaded = shipped();
    let items = open_items();
    let mut unlisted = Vec::new();
    for item in &loaded.rulebase.items {
        match &item.kind {
            ItemKind::Param { values } => {
                if values.iter().any(|v| secondary_act(&v.citations)) && !items.contains(&item.name)
                {
                    unlisted.push(item.name.clone());
                }
            }
            ItemKind::Question { rules, .. } => {
                for rule in rules {
                    if secondary_act(&rule.citations)
                        && !items.contains(&item.name)
                        && !items.contains(&format!("`{}`", rule.name))
                    {
                        unlisted.push(format!("{} rule `{}`", item.name, rule.name));
                    }
                }
            }
            ItemKind::Input { .. } => {}
        }
    }
    assert!(
        unlisted.is_empty(),
        "secondary citations missing from the open items of rules/README.md: {unlisted:?}"
    );
}

#[test]
fn every_window_is_an_open_item() {
    // The open items list each window as "EARLIEST .. KNOWN" with the act and why.
    let loaded = shipped();
    let items = open_items();
    let unlisted: Vec<String> = loaded
        .rulebase
        .windows
        .iter()
        .filter(|w| !items.contains(&format!("{} .. {}", w.earliest, w.known)))
        .map(|w| format!("{} ({} .. {})", w.what, w.earliest, w.known))
        .collect();
    assert!(
        unlisted.is_empty(),
        "windows missing from the open items of rules/README.md: {unlisted:?}"
    );
}

#[test]
fn windows_of_acts_in_force_after_publication_cite_the_law_on_legal_acts() {
    // See: issue 8, item 4. The only windows not derived from an act's signing date and entry
    // rule are those of 1995 Constitution amendments dated by stored editions (court.zan).
    let loaded = shipped();
    let underived: Vec<String> = loaded
        .rulebase
        .windows
        .iter()
        .filter(|w| !w.what.contains(" of court."))
        .filter(|w| {
            !w.citations
                .iter()
                .any(|c| c.act == "legal_acts_law" && c.article.starts_with("Art. 37(3)"))
        })
        .map(|w| format!("{} ({} .. {})", w.what, w.earliest, w.known))
        .collect();
    assert!(
        underived.is_empty(),
        "windows not derived from the Law on Legal Acts: {underived:?}"
    );
    // The 20,000 party minimum: 336-VI, signed 25.05.2020: 2020-06-04 .. 2020-07-05.
    let members = loaded
        .rulebase
        .windows
        .iter()
        .find(|w| w.what.starts_with("party.members_required = 20"))
        .expect("the 336-VI window");
    assert_eq!(
        (members.earliest.to_string(), members.known.to_string()),
        ("2020-06-04".to_string(), "2020-07-05".to_string())
    );
}

#[test]
fn every_question_parameter_and_rule_is_mapped_in_the_readme() {
    // rules/README.md maps every provision to its rule, article and dates (issue 8): each
    // question and parameter, and each rule and exception by name, appears in backticks in
    // its "Provisions" section.
    let loaded = shipped();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/README.md"))
            .expect("rules/README.md");
    let (_, rest) = readme
        .split_once("## Provisions")
        .expect("a provisions section");
    let (provisions, _) = rest
        .split_once("## Open verification items")
        .expect("an open verification items section after the provisions");
    let mut unmapped = Vec::new();
    for item in &loaded.rulebase.items {
        let rules = match &item.kind {
            ItemKind::Param { .. } => &[][..],
            ItemKind::Question { rules, .. } => &rules[..],
            ItemKind::Input { .. } => continue,
        };
        if !provisions.contains(&format!("`{}`", item.name)) {
            unmapped.push(item.name.clone());
        }
        for rule in rules {
            if !provisions.contains(&format!("`{}`", rule.name)) {
                unmapped.push(format!("{} rule `{}`", item.name, rule.name));
            }
        }
    }
    assert!(
        unmapped.is_empty(),
        "not mapped in the provisions of rules/README.md: {unmapped:?}"
    );
}
