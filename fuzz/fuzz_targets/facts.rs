//! The JSON facts reader and `--given NAME=VALUE` on arbitrary text, against the shipped
//! rules. Errors are expected; panics are not.

#![no_main]

use libfuzzer_sys::fuzz_target;
use zan::load::{self, Loaded};

thread_local! {
    static SHIPPED: Loaded = load::load_embedded();
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    SHIPPED.with(|shipped| {
        let rb = &shipped.rulebase;
        if let Err(error) = zan::facts::from_json(rb, text) {
            let _ = error.to_string();
        }
        // The same text as a command-line fact: `NAME=VALUE`.
        let _ = zan::facts::parse_given(rb, text);
    });
});
