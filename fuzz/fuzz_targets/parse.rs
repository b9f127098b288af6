//! The parser on arbitrary bytes: as a rules or scenario file, and as a `--given` value.
//! Nothing may panic, and every diagnostic must render.

#![no_main]

use libfuzzer_sys::fuzz_target;
use zan::source::SourceMap;

fuzz_target!(|data: &[u8]| {
    // Files that are not UTF-8 are refused before parsing (`SourceMap::read`).
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = SourceMap::new();
    let file = sources.add("fuzz.zan", text);
    let (_, diagnostics) = zan::parse::parse_file(&sources, file);
    let _ = zan::diagnostic::render(&sources, &diagnostics);
    let value = sources.add("--given fuzz", text);
    if let Err(diagnostic) = zan::parse::parse_value(&sources, value) {
        let _ = zan::diagnostic::render(&sources, &[diagnostic]);
    }
});
