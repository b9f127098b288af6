//! Control characters escaped in text bound for a terminal, a log or a line of JSON, so that
//! input can neither move the cursor, clear the screen nor retitle the window.

use std::borrow::Cow;

/// Escapes the control characters in text bound for a terminal or a log, so that input (a name,
/// a file path, a line of a rules file) can neither move the cursor, clear the screen nor
/// retitle the window. Kept: newline, tab, and a carriage return before a newline. Everything
/// else below U+0020, U+007F, the C1 controls U+0080..U+009F and the bidirectional overrides
/// becomes `\u{..}`. With `colour`, the colour sequences zan writes itself (`ESC [ digits ; m`)
/// are kept too.
pub fn escape_controls(text: &str, colour: bool) -> Cow<'_, str> {
    let needs_escape = |c: char| control_escape(c).is_some();
    if !text.contains(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        if c == '\r' && after.starts_with('\n') {
            escaped.push(c);
        } else if c == '\u{1b}'
            && colour
            && let Some(length) = colour_sequence(after)
        {
            escaped.push_str(&rest[..1 + length]);
            rest = &after[length..];
            continue;
        } else if let Some(escape) = control_escape(c) {
            escaped.push_str(&escape);
        } else {
            escaped.push(c);
        }
        rest = after;
    }
    Cow::Owned(escaped)
}

/// Whether `bytes` may hold a character that [`escape_json_controls`] escapes: every such
/// character is a C0 control or DEL (one byte), a C1 control (led by 0xC2) or a bidirectional
/// override (led by 0xE2), so text without those bytes, as almost all is, needs no escapes.
/// Passes over the text at byte speed.
pub fn may_need_json_escapes(bytes: &[u8]) -> bool {
    let may_escape = |b: u8| (b < 0x20 && b != b'\n') | (b == 0x7f) | (b == 0xc2) | (b == 0xe2);
    // Whole chunks are folded without an early exit, which the compiler turns into vector code.
    let chunk_may_escape =
        |chunk: &[u8]| chunk.iter().fold(false, |found, &b| found | may_escape(b));
    bytes.chunks(64).any(chunk_may_escape)
}

/// JSON text with the characters [`control_escape`] escapes written as JSON escapes; for
/// JSON written line by line to a terminal or a pipe, as [`crate::output::print`] does with
/// JSON.
pub fn escape_json_controls(json: &str) -> Cow<'_, str> {
    if !may_need_json_escapes(json.as_bytes())
        || !json.contains(|c: char| c != '\n' && control_escape(c).is_some())
    {
        return Cow::Borrowed(json);
    }
    let mut escaped = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c != '\n' && control_escape(c).is_some() {
            escaped.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

/// How [`escape_controls`] writes `c`, or `None` for a character shown as it is: newline and
/// tab stay; other controls (C0, DEL, C1) and the bidirectional overrides become `\u{..}`. A
/// carriage return is escaped here; [`escape_controls`] keeps one that ends a line.
pub fn control_escape(c: char) -> Option<String> {
    let escaped = (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    escaped.then(|| format!("\\u{{{:x}}}", c as u32))
}

/// The length of `[digits;digits m` at the start of `text` (a colour sequence without its ESC).
fn colour_sequence(text: &str) -> Option<usize> {
    let body = text.strip_prefix('[')?;
    let end = body.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
    body[end..].starts_with('m').then_some(end + 2)
}
