//! Loading: files or the embedded rules -> parsed and checked [`Rulebase`], with the
//! diagnostics of both stages. Also scenario files, checked against a rulebase.

use crate::ast::Ast;
use crate::check;
use crate::diagnostic::Diagnostic;
use crate::parse;
use crate::rulebase::{Rulebase, Scenario};
use crate::source::{ReadError, SourceMap};
use crate::span::FileId;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// The rules as loaded: sources (for rendering diagnostics), the rulebase and all diagnostics.
pub struct Loaded {
    pub sources: SourceMap,
    pub rulebase: Rulebase,
    pub diagnostics: Vec<Diagnostic>,
}

/// Every `.zan` file under the given paths (directories are searched recursively), sorted.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ReadError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect_dir(path, &mut files)?;
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(ReadError::Io {
                path: path.display().to_string(),
                error: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file or directory",
                ),
            });
        }
    }
    Ok(files)
}

fn collect_dir(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), ReadError> {
    let mut visited = Vec::new();
    collect_dir_once(dir, files, &mut visited)
}

/// Walks a directory; a directory reached twice (through a symbolic link) is read once, so a
/// link loop can neither hang the walk nor load a file twice.
fn collect_dir_once(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    visited: &mut Vec<PathBuf>,
) -> Result<(), ReadError> {
    let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if visited.contains(&canonical) {
        return Ok(());
    }
    visited.push(canonical);
    let entries = std::fs::read_dir(dir).map_err(|error| ReadError::Io {
        path: dir.display().to_string(),
        error,
    })?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    found.sort();
    for path in found {
        if path.is_dir() {
            collect_dir_once(&path, files, visited)?;
        } else if path.extension().is_some_and(|ext| ext == "zan") {
            files.push(path);
        }
    }
    Ok(())
}

/// The SHA-256 digest of the rules, hex: each file's text, then a zero byte.
pub fn digest(sources: &SourceMap, files: &[FileId]) -> String {
    let mut hasher = Sha256::new();
    for &file in files {
        if let Some(source) = sources.get(file) {
            hasher.update(source.text.as_bytes());
            hasher.update([0u8]);
        }
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Parses every file (on two threads when there are several, each file on its own) and
/// checks them together; `digest` is the rules' digest when it is already known.
fn build(sources: SourceMap, files: &[FileId], digest: Option<&str>) -> Loaded {
    let mut diagnostics = Vec::new();
    let parse_all = |part: &[FileId]| -> Vec<(Ast, Vec<Diagnostic>)> {
        part.iter()
            .map(|&file| parse::parse_file(&sources, file))
            .collect()
    };
    // Split where the first part holds about half of the text, so both threads finish together.
    let size = |file: &FileId| sources.get(*file).map_or(0, |source| source.text.len());
    let total: usize = files.iter().map(size).sum();
    let mut half = 0;
    let mut prefix = 0;
    while half < files.len() && prefix + size(&files[half]) / 2 < total / 2 {
        prefix += size(&files[half]);
        half += 1;
    }
    let half = half.clamp(1, files.len().max(1));
    let parsed: Vec<(Ast, Vec<Diagnostic>)> = if files.len() < 2 {
        parse_all(files)
    } else {
        let (first, second) = files.split_at(half);
        std::thread::scope(|scope| {
            // The parser recurses once per nesting level, within its own limit (64 levels);
            // the thread gets the main thread's stack size so that it needs no more.
            let other = std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn_scoped(scope, || parse_all(second));
            let mut parsed = parse_all(first);
            match other.map(|handle| handle.join()) {
                Ok(Ok(rest)) => parsed.extend(rest),
                Ok(Err(panic)) => std::panic::resume_unwind(panic),
                Err(_) => parsed.extend(parse_all(second)),
            }
            parsed
        })
    };
    let mut asts: Vec<Ast> = Vec::with_capacity(parsed.len());
    for (ast, parse_diagnostics) in parsed {
        diagnostics.extend(parse_diagnostics);
        asts.push(ast);
    }
    let (mut rulebase, check_diagnostics) = check::check(&sources, &asts);
    diagnostics.extend(check_diagnostics);
    rulebase.digest = match digest {
        Some(known) => known.to_string(),
        None => self::digest(&sources, files),
    };
    Loaded {
        sources,
        rulebase,
        diagnostics,
    }
}

/// The `.zan` files under the paths given, in load order; none at all is an error, since an
/// empty rulebase would check clean and then know no question.
pub fn collect_rules_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ReadError> {
    let files = collect_files(paths)?;
    if files.is_empty() {
        return Err(ReadError::NoRules {
            paths: paths
                .iter()
                .map(|path| format!("`{}`", path.display()))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(files)
}

/// Loads rules from files and directories; none found is an error. A FIFO, device or socket
/// among them is refused without blocking on it.
pub fn load_paths(paths: &[PathBuf]) -> Result<Loaded, ReadError> {
    let mut sources = SourceMap::new();
    let mut ids = Vec::new();
    for path in collect_rules_files(paths)? {
        ids.push(sources.read(&path)?);
    }
    Ok(build(sources, &ids, None))
}

/// Loads the rules embedded in the binary: their rulebase as build.rs checked and serialized
/// it, read back without parsing or checking, and their sources (for anything that shows
/// source text). Were the serialized rulebase missing (rules with warnings, which build.rs
/// leaves for the program to print) or unreadable, the rules are parsed and checked now.
pub fn load_embedded() -> Loaded {
    let (sources, ids) = embedded_sources();
    if !EMBEDDED_RULEBASE.is_empty()
        && let Ok(rulebase) = postcard::from_bytes::<Rulebase>(EMBEDDED_RULEBASE)
    {
        return Loaded {
            sources,
            rulebase,
            diagnostics: Vec::new(),
        };
    }
    build(sources, &ids, Some(EMBEDDED_DIGEST))
}

/// Parses and checks the embedded rules now, as `--rules` does for files: what
/// [`load_embedded`] reads back must equal it (a test compares the two).
pub fn load_embedded_now() -> Loaded {
    let (sources, ids) = embedded_sources();
    build(sources, &ids, None)
}

/// Whether the binary holds the embedded rules' rulebase serialized at build time.
pub fn embedded_rulebase_built() -> bool {
    !EMBEDDED_RULEBASE.is_empty()
}

fn embedded_sources() -> (SourceMap, Vec<FileId>) {
    let mut sources = SourceMap::new();
    let ids: Vec<FileId> = EMBEDDED_RULES
        .iter()
        .map(|(name, text)| sources.add(*name, *text))
        .collect();
    (sources, ids)
}

/// The embedded rules' sources, and their digest computed now rather than at build time (for
/// the test that the two agree).
pub fn embedded_digest_now() -> (String, &'static str) {
    let (sources, ids) = embedded_sources();
    (digest(&sources, &ids), EMBEDDED_DIGEST)
}

/// Loads rules from text, as tests do.
pub fn load_text(files: &[(&str, &str)]) -> Loaded {
    let mut sources = SourceMap::new();
    let ids: Vec<FileId> = files
        .iter()
        .map(|(name, text)| sources.add(*name, *text))
        .collect();
    build(sources, &ids, None)
}

/// Parses and checks scenario files against the loaded rules. The files are added to the
/// same source map so their diagnostics render with the rest.
pub fn load_scenarios(
    loaded: &mut Loaded,
    files: &[FileId],
) -> (Vec<(FileId, Vec<Scenario>)>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut result = Vec::new();
    for &file in files {
        let (ast, parse_diagnostics) = parse::parse_file(&loaded.sources, file);
        let failed = !parse_diagnostics.is_empty();
        diagnostics.extend(parse_diagnostics);
        let (scenarios, check_diagnostics) = check::check_scenarios(
            &loaded.sources,
            &loaded.rulebase,
            std::slice::from_ref(&ast),
        );
        diagnostics.extend(check_diagnostics);
        if !failed {
            result.push((file, scenarios));
        }
    }
    (result, diagnostics)
}
