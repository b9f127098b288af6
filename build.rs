//! Embeds the shipped rules (`rules/*.zan`) in the binary, so that `zan` answers from any
//! directory after `cargo install`, checked here rather than at every start:
//!
//! - their SHA-256 digest (`zan::load` computes it the same way for rules read from disk, and a
//!   test checks that the two agree);
//! - their checked [`rulebase::Rulebase`], serialized with `postcard`: `zan::load::load_embedded`
//!   reads it back instead of parsing and checking the rules again (parsing was four fifths of
//!   a cold `zan ask`). The lower stages of the library (`parse`, `check`, `rulebase` and what
//!   they import, which import nothing above them) are compiled into this script from `src/`.
//!   Errors in the shipped rules fail the build with their diagnostics. A test checks that the
//!   rulebase built here equals the one parsed and checked at run time from the same sources.
//!
//! Rules that check with warnings only are not serialized (the program parses and checks them
//! at start, as it would without this step, so that it can print the warnings).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// The library's lower stages, compiled from the same files as the library. This script uses
// only parsing, checking and the rulebase's serialization, so most of what these modules
// offer (evaluation helpers, renderings, look-ups, the re-exports other modules use) is unused
// here: `dead_code` (and, on `check` and `parse`, `unused_imports`) is allowed for that reason
// alone.
#[allow(dead_code)]
#[path = "src/ast.rs"]
mod ast;
#[allow(dead_code, unused_imports)]
#[path = "src/check/mod.rs"]
mod check;
#[allow(dead_code)]
#[path = "src/code.rs"]
mod code;
#[allow(dead_code)]
#[path = "src/diagnostic.rs"]
mod diagnostic;
#[allow(dead_code)]
#[path = "src/escape.rs"]
mod escape;
#[allow(dead_code)]
#[path = "src/keywords.rs"]
mod keywords;
#[allow(dead_code)]
#[path = "src/names.rs"]
mod names;
#[allow(dead_code)]
#[path = "src/num.rs"]
mod num;
#[allow(dead_code)]
#[path = "src/ops.rs"]
mod ops;
#[allow(dead_code, unused_imports)]
#[path = "src/parse/mod.rs"]
mod parse;
#[allow(dead_code)]
#[path = "src/rulebase.rs"]
mod rulebase;
#[allow(dead_code)]
#[path = "src/source.rs"]
mod source;
#[allow(dead_code)]
#[path = "src/span.rs"]
mod span;
#[allow(dead_code)]
#[path = "src/status.rs"]
mod status;
#[allow(dead_code)]
#[path = "src/values.rs"]
mod values;

use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::Path;

/// Why the build failed, printed as it is: a build script that returns an error fails the build
/// and shows the error's `Debug` form, which for a plain `String` would escape the newlines of
/// the rendered diagnostics.
struct Failure(String);

impl std::fmt::Debug for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure(message)
    }
}

/// A build script that returns an error fails the build with that message (no panic needed).
fn main() -> Result<(), Failure> {
    println!("cargo:rerun-if-changed=rules");
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let rules_dir = Path::new(&manifest_dir).join("rules");
    let mut files: Vec<String> = std::fs::read_dir(&rules_dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".zan"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = String::from("pub static EMBEDDED_RULES: &[(&str, &str)] = &[\n");
    let mut hasher = Sha256::new();
    let mut sources = source::SourceMap::new();
    let mut ids = Vec::new();
    for name in &files {
        let path = rules_dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        // As `load` hashes a source: its text after a byte-order mark, then a zero byte.
        let text = std::fs::read_to_string(&path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        hasher.update(text.strip_prefix('\u{feff}').unwrap_or(&text).as_bytes());
        hasher.update([0u8]);
        let _ = writeln!(
            out,
            "    (\"rules/{name}\", include_str!({:?})),",
            path.display().to_string()
        );
        // Named and numbered as `load_embedded` adds them, so that spans resolve there.
        ids.push(sources.add(format!("rules/{name}"), text));
    }
    out.push_str("];\n");
    let digest: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let _ = writeln!(
        out,
        "/// SHA-256 of the embedded rules, as `load` computes a digest.\npub static EMBEDDED_DIGEST: &str = {digest:?};"
    );
    let rulebase = checked_rulebase(&sources, &ids, &digest)?;
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    std::fs::write(Path::new(&out_dir).join("embedded_rulebase.bin"), rulebase)
        .map_err(|error| format!("cannot write embedded_rulebase.bin: {error}"))?;
    out.push_str(
        "/// The embedded rules' checked rulebase, serialized with `postcard` (empty when the rules\n\
         /// have warnings: they are then parsed and checked at start, to print them).\n\
         pub static EMBEDDED_RULEBASE: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/embedded_rulebase.bin\"));\n",
    );
    std::fs::write(Path::new(&out_dir).join("embedded_rules.rs"), out)
        .map_err(|error| Failure(format!("cannot write embedded_rules.rs: {error}")))
}

/// Parses and checks the shipped rules as `zan::load` does, and serializes the rulebase:
/// errors fail the build with their diagnostics; warnings give no rulebase (empty bytes).
fn checked_rulebase(
    sources: &source::SourceMap,
    ids: &[span::FileId],
    digest: &str,
) -> Result<Vec<u8>, String> {
    let mut diagnostics = Vec::new();
    let mut asts = Vec::with_capacity(ids.len());
    for &file in ids {
        let (ast, parse_diagnostics) = parse::parse_file(sources, file);
        diagnostics.extend(parse_diagnostics);
        asts.push(ast);
    }
    let (mut rulebase, check_diagnostics) = check::check(sources, &asts);
    diagnostics.extend(check_diagnostics);
    if !diagnostics.is_empty() {
        let rendered = diagnostic::render_with(sources, &diagnostics, false);
        if diagnostic::has_errors(&diagnostics) {
            return Err(format!("the shipped rules have errors:\n{rendered}"));
        }
        for line in rendered.lines() {
            println!("cargo:warning={line}");
        }
        return Ok(Vec::new());
    }
    rulebase.digest = digest.to_string();
    postcard::to_allocvec(&rulebase)
        .map_err(|error| format!("cannot serialize the shipped rulebase: {error}"))
}
