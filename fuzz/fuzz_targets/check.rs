//! The checker on arbitrary rules text, alone and as a scenario file against the shipped
//! rules. When the text checks cleanly, every question it declares is also answered and
//! rendered, so that whatever the checker lets through is evaluated too.

#![no_main]

use libfuzzer_sys::fuzz_target;
use zan::eval::{self, Facts};
use zan::load::{self, Loaded};
use zan::render::text::Explain;
use zan::source::SourceMap;

thread_local! {
    static SHIPPED: Loaded = load::load_embedded();
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = load::load_text(&[("fuzz.zan", text)]);
    let _ = zan::diagnostic::render(&loaded.sources, &loaded.diagnostics);
    if !zan::diagnostic::has_errors(&loaded.diagnostics) {
        let rb = &loaded.rulebase;
        let facts = Facts::new(rb);
        let dates = rb.areas.iter().map(|area| area.from).take(4);
        for as_of in dates.collect::<Vec<_>>() {
            for (id, _) in rb.askable().take(16) {
                if let Ok(answer) = eval::answer(rb, id, as_of, &facts) {
                    let _ = zan::render::text::answer(rb, &answer, Explain::Full);
                    let _ = zan::render::json::answer(rb, &answer).to_string();
                }
            }
        }
    }
    SHIPPED.with(|shipped| {
        // As a scenario file: its own source map, checked against the shipped rulebase.
        let mut sources = SourceMap::new();
        let file = sources.add("fuzz_scenario.zan", text);
        let (ast, parse_diagnostics) = zan::parse::parse_file(&sources, file);
        let (scenarios, diagnostics) =
            zan::check::check_scenarios(&sources, &shipped.rulebase, std::slice::from_ref(&ast));
        let _ = zan::diagnostic::render(&sources, &parse_diagnostics);
        let _ = zan::diagnostic::render(&sources, &diagnostics);
        for scenario in scenarios.iter().take(4) {
            let _ = zan::scenario::run(&shipped.rulebase, scenario);
        }
    });
});
