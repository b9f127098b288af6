//! Embeds the shipped rules (`rules/*.zan`) in the binary, so that `zan` answers from any
//! directory after `cargo install`, with their SHA-256 digest computed here rather than at
//! every start (`zan::load` computes it the same way for rules read from disk, and a test
//! checks that the two agree).

use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::Path;

/// A build script that returns an error fails the build with that message (no panic needed).
fn main() -> Result<(), String> {
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
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    std::fs::write(Path::new(&out_dir).join("embedded_rules.rs"), out)
        .map_err(|error| format!("cannot write embedded_rules.rs: {error}"))
}
