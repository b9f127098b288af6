//! Imports go one way, down the pipeline. The allowed table is written once, in
//! ARCHITECTURE.md ("Imports go one way"); this test reads it and every module of the library
//! (following `mod` declarations from `src/lib.rs`, `#[path]` included) and fails, naming the
//! file and the import, on a reference to a module the table does not allow: `use crate::x`,
//! grouped `use crate::{x, y::z}`, a path `crate::x::f()` in code, and `super::` that climbs out
//! of the top module. Comments and string literals are skipped. It also checks the table itself
//! (every module may import only modules above it in the table, so the table cannot hold a
//! loop), that it names exactly the modules `src/lib.rs` declares, that the module map at the
//! top of `src/lib.rs` names each of them in the table's order, and that the command line
//! (`cli`) belongs to the binary, not to the library.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One row of the table: a module and the modules it may import.
type Table = Vec<(String, BTreeSet<String>)>;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The table between `<!-- imports -->` and `<!-- /imports -->` in ARCHITECTURE.md: a fenced
/// block of lines `module: a, b, c` (`-` for none), lowest first.
fn table_from(text: &str) -> Result<Table, String> {
    let start = text
        .find("<!-- imports -->")
        .ok_or("no `<!-- imports -->` marker")?;
    let end = text[start..]
        .find("<!-- /imports -->")
        .ok_or("no `<!-- /imports -->` marker")?
        + start;
    let mut table = Table::new();
    for line in text[start..end].lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("<!--") || line.starts_with("```") {
            continue;
        }
        let (module, allowed) = line
            .split_once(':')
            .ok_or_else(|| format!("table line without `:`: {line:?}"))?;
        let allowed = allowed
            .split(',')
            .map(str::trim)
            .filter(|m| !m.is_empty() && *m != "-")
            .map(String::from)
            .collect();
        table.push((module.trim().to_string(), allowed));
    }
    Ok(table)
}

fn table() -> Table {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    table_from(&text).unwrap_or_else(|e| panic!("ARCHITECTURE.md: {e}"))
}

/// Problems with the table itself: a module allowed to import one at or below it (which would
/// let imports go both ways), or named twice.
fn table_problems(table: &Table) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for (module, allowed) in table {
        for import in allowed {
            if !seen.contains(import) {
                problems.push(format!(
                    "table: `{module}` may import `{import}`, which is not above it in the table"
                ));
            }
        }
        if !seen.insert(module.clone()) {
            problems.push(format!("table: `{module}` is named twice"));
        }
    }
    problems
}

/// `text` with comments, string literals and character literals blanked out (same length, so
/// offsets still agree; newlines kept).
fn code_only(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for b in &mut out[from..to] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if rest.starts_with(b"//") {
            let end = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
            blank(&mut out, i, end);
            i = end;
        } else if rest.starts_with(b"/*") {
            let (mut depth, mut j) = (1, i + 2);
            while j < bytes.len() && depth > 0 {
                if bytes[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if bytes[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            blank(&mut out, i, j);
            i = j;
        } else if (rest.starts_with(b"r\"") || rest.starts_with(b"r#"))
            && (i == 0 || !is_ident_byte(bytes[i - 1]))
        {
            let hashes = rest[1..].iter().take_while(|b| **b == b'#').count();
            if rest.get(1 + hashes) != Some(&b'"') {
                i += 1;
                continue;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            let body = i + 2 + hashes;
            let end = text[body..]
                .find(&close)
                .map_or(bytes.len(), |n| body + n + close.len());
            blank(&mut out, i, end);
            i = end;
        } else if rest[0] == b'"' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(bytes.len());
            blank(&mut out, i, end);
            i = end;
        } else if rest[0] == b'\'' {
            // A character literal ('x', '\n', '"'), or a lifetime ('a), which is kept.
            let end = if rest.get(1) == Some(&b'\\') {
                text[i + 2..].find('\'').map(|n| i + 2 + n + 1)
            } else {
                let c = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                (bytes.get(i + 1 + c) == Some(&b'\'')).then_some(i + 2 + c)
            };
            match end {
                Some(end) => {
                    blank(&mut out, i, end);
                    i = end;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The identifier at the start of `s` (after whitespace).
fn ident(s: &str) -> &str {
    let s = s.trim_start();
    let end = s.bytes().position(|b| !is_ident_byte(b)).unwrap_or(s.len());
    &s[..end]
}

/// The first names of a path that follows `crate::` (or an escaping `super::`): `x` in
/// `x::y`, and `a`, `b` in `{a, b::c, b::{d, e}}`.
fn first_segments(after: &str) -> Vec<String> {
    let after = after.trim_start();
    let Some(group) = after.strip_prefix('{') else {
        return vec![ident(after).to_string()];
    };
    let mut names = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                names.push(ident(&group[start..at]).to_string());
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                names.push(ident(&group[start..at]).to_string());
                start = at + 1;
            }
            _ => {}
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

/// One source file of the library: its path (for messages), its module path and its text.
struct SourceFile {
    path: String,
    module: Vec<String>,
    text: String,
}

/// Every file of the library, from `lib` down through `mod` declarations. `read` gives a
/// file's text by path relative to `src/` (so that the test can be tried on made-up trees).
fn library_files(read: &dyn Fn(&str) -> Option<String>) -> Result<Vec<SourceFile>, String> {
    let mut files = Vec::new();
    let mut queue = vec![("lib.rs".to_string(), Vec::<String>::new())];
    while let Some((path, module)) = queue.pop() {
        let text = read(&path).ok_or_else(|| format!("cannot read src/{path}"))?;
        let code = code_only(&text);
        // A file's own `mod x;` declarations live in the directory of a `lib.rs`/`mod.rs`,
        // else in the directory named after the file.
        let here = PathBuf::from(&path);
        let dir = here.parent().map(Path::to_path_buf).unwrap_or_default();
        let stem = here
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let children_dir = if module.is_empty() || stem == "mod" {
            dir.clone()
        } else {
            dir.join(stem)
        };
        for (at, _) in code.match_indices("mod ") {
            if at > 0 && is_ident_byte(code.as_bytes()[at - 1]) {
                continue;
            }
            let name = ident(&code[at + 4..]);
            let after = code[at + 4..].trim_start()[name.len()..].trim_start();
            if name.is_empty() || !after.starts_with(';') {
                continue; // an inline module: its text is this file's
            }
            // `#[path = "..."]` just before the declaration (attributes since the last item).
            let before = &text[..at];
            let item_start = before.rfind([';', '}', '{']).map_or(0, |n| n + 1);
            let attribute = before[item_start..].find("#[path").and_then(|p| {
                let attr = &before[item_start + p..];
                let open = attr.find('"')?;
                let close = attr[open + 1..].find('"')?;
                Some(attr[open + 1..open + 1 + close].to_string())
            });
            let child = match attribute {
                Some(p) => dir.join(p),
                None => {
                    let flat = children_dir.join(format!("{name}.rs"));
                    let nested = children_dir.join(name).join("mod.rs");
                    if read(&flat.to_string_lossy()).is_some() {
                        flat
                    } else {
                        nested
                    }
                }
            };
            let mut child_module = module.clone();
            child_module.push(name.to_string());
            queue.push((child.to_string_lossy().into_owned(), child_module));
        }
        files.push(SourceFile {
            path: format!("src/{path}"),
            module,
            text,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The line number of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// For each reference in `file` to another top module: (line, the import as written, the
/// module it reaches).
fn references(file: &SourceFile) -> Vec<(usize, String, String)> {
    let code = code_only(&file.text);
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    // Inline modules (`mod tests { ... }`) open below the file's module: their depth matters
    // for `super::`. A stack of the brace depth at which each one was opened.
    let mut inline: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let word_start = i == 0 || !(is_ident_byte(bytes[i - 1]) || bytes[i - 1] == b'$');
        if b == b'{' {
            depth += 1;
        } else if b == b'}' {
            depth = depth.saturating_sub(1);
            while inline.last().is_some_and(|d| *d > depth) {
                inline.pop();
            }
        } else if word_start && code[i..].starts_with("mod ") {
            let name = ident(&code[i + 4..]);
            let after = code[i + 4..].trim_start()[name.len()..].trim_start();
            if after.starts_with('{') {
                inline.push(depth + 1);
            }
        } else if word_start
            && (code[i..].starts_with("crate::") || code[i..].starts_with("super::"))
        {
            let mut rest = &code[i..];
            let mut module: Vec<&str> = file.module.iter().map(String::as_str).collect();
            module.extend(std::iter::repeat_n("", inline.len()));
            let absolute = rest.starts_with("crate::");
            if absolute {
                rest = &rest["crate::".len()..];
                module.clear();
            } else {
                while let Some(r) = rest.strip_prefix("super::") {
                    rest = r.trim_start();
                    module.pop();
                }
            }
            let consumed = code[i..].len() - rest.len();
            if module.is_empty() {
                let end = rest.find([';', '(', '\n']).unwrap_or(rest.len());
                let written = code[i..i + consumed + end]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                for target in first_segments(rest) {
                    found.push((line_of(&file.text, i), written.clone(), target));
                }
            }
            i += consumed;
            continue;
        }
        i += 1;
    }
    found
}

/// Every import in `files` that `table` does not allow, as `file:line: ...`.
fn violations(files: &[SourceFile], table: &Table) -> Vec<String> {
    let allowed: BTreeMap<&str, &BTreeSet<String>> =
        table.iter().map(|(m, a)| (m.as_str(), a)).collect();
    let mut problems = Vec::new();
    for file in files {
        let Some(top) = file.module.first() else {
            continue; // lib.rs declares the modules
        };
        for (line, written, target) in references(file) {
            if &target == top {
                continue;
            }
            match allowed.get(top.as_str()) {
                None => problems.push(format!(
                    "{}: module `{top}` is not in the imports table of ARCHITECTURE.md",
                    file.path
                )),
                Some(may) if !may.contains(&target) => problems.push(format!(
                    "{}:{line}: `{written}`: `{top}` may not import `{target}` (allowed: {})",
                    file.path,
                    may.iter().cloned().collect::<Vec<_>>().join(", ")
                )),
                Some(_) => {}
            }
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

fn read_src(path: &str) -> Option<String> {
    std::fs::read_to_string(root().join("src").join(path)).ok()
}

#[test]
fn imports_go_one_way() {
    let table = table();
    let mut problems = table_problems(&table);
    let files = library_files(&read_src).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        files.len() > 30,
        "expected every file of the library, found {}",
        files.len()
    );
    problems.extend(violations(&files, &table));
    assert!(
        problems.is_empty(),
        "imports against the table:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_table_and_the_module_map_name_every_module() {
    let table = table();
    let in_table: BTreeSet<&str> = table.iter().map(|(m, _)| m.as_str()).collect();
    let lib = read_src("lib.rs").expect("src/lib.rs");
    let declared: BTreeSet<&str> = lib
        .lines()
        .filter_map(|l| {
            l.strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("pub(crate) mod "))
                .or_else(|| l.strip_prefix("mod "))
        })
        .map(|l| l.trim_end_matches(';'))
        .collect();
    assert_eq!(
        in_table, declared,
        "the imports table against the modules src/lib.rs declares"
    );
    let map: String = lib
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .collect::<Vec<_>>()
        .join("\n");
    for module in &declared {
        assert!(
            map.contains(&format!("`{module}`")),
            "the module map at the top of src/lib.rs does not name `{module}`"
        );
    }
    // The map lists the modules in the table's order, lowest first: the modules each bullet
    // starts with (`span`, `source`), in order.
    let mut in_map: Vec<&str> = Vec::new();
    for bullet in map.lines().filter_map(|l| l.strip_prefix("//! - ")) {
        let mut rest = bullet;
        while let Some(name) = rest.strip_prefix('`').and_then(|r| r.split_once('`')) {
            if declared.contains(name.0) && !in_map.contains(&name.0) {
                in_map.push(name.0);
            }
            rest = name.1.strip_prefix(", ").unwrap_or("");
        }
    }
    let table_order: Vec<&str> = table.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(
        in_map, table_order,
        "the module map of src/lib.rs against the imports table"
    );
    // The command line is the binary's: the library does not export it.
    assert!(!declared.contains("cli"), "src/lib.rs declares `cli`");
    let main = read_src("main.rs").expect("src/main.rs");
    assert!(
        code_only(&main).lines().any(|l| l.trim() == "mod cli;"),
        "src/main.rs does not declare `mod cli;`"
    );
}

/// The checker, tried on a made-up library whose `b` imports upward in each way it can.
#[test]
fn an_upward_import_is_named_with_its_file() {
    let tree: BTreeMap<&str, &str> = [
        ("lib.rs", "//! map\npub mod a;\npub mod b;\n#[path = \"b_more.rs\"]\nmod more;\n"),
        ("a.rs", "use crate::b::Thing; // a may\n"),
        (
            "b/mod.rs",
            "mod inner;\nuse crate::{a::X, more};\n// use crate::hidden;\nlet s = \"crate::hidden\";\nfn f() { crate::more::g(); }\nmod tests { use super::*; use super::super::a::Y; }\n",
        ),
        ("b/inner.rs", "use super::Z;\nuse super::super::more::W;\n"),
        ("b_more.rs", "use crate::a;\n"),
    ]
    .into_iter()
    .collect();
    let read = |path: &str| tree.get(path).map(|t| t.to_string());
    let files = library_files(&read).expect("the made-up tree");
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "src/a.rs",
            "src/b/inner.rs",
            "src/b/mod.rs",
            "src/b_more.rs",
            "src/lib.rs"
        ]
    );
    let table =
        table_from("<!-- imports -->\n```text\na: -\nmore: a\nb: a\n```\n<!-- /imports -->")
            .expect("a table");
    assert!(table_problems(&table).is_empty());
    assert_eq!(
        violations(&files, &table),
        [
            "src/a.rs:1: `crate::b::Thing`: `a` may not import `b` (allowed: )",
            "src/b/inner.rs:2: `super::super::more::W`: `b` may not import `more` (allowed: a)",
            "src/b/mod.rs:2: `crate::{a::X, more}`: `b` may not import `more` (allowed: a)",
            "src/b/mod.rs:5: `crate::more::g`: `b` may not import `more` (allowed: a)",
        ]
    );
    // A table that lets a module import one below it in the table is itself refused.
    let looped = table_from("<!-- imports -->\na: b\nb: a\n<!-- /imports -->").expect("a table");
    assert_eq!(
        table_problems(&looped),
        ["table: `a` may import `b`, which is not above it in the table"]
    );
}
