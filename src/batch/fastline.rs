//! A fast reader for the common batch line: `{"as_of": "YYYY-MM-DD", "given": {NAME: VALUE,
//! ...}}` with plain values (no escapes in strings, whole numbers, records and lists of them).
//!
//! It reads the line in one pass straight into typed facts, with no JSON tree in between. It
//! never decides anything the full reader ([`facts::from_json_line`]) would decide differently:
//! on anything it does not read itself (another key, an escape, a fraction, an unknown name, a
//! value of the wrong type, a repeated key, trailing text) it gives up and the line is read
//! again by the full reader, which gives the answer or the error. So every line it reads gives
//! the facts the full reader gives, and every other line goes where it went before
//! (`tests/batch.rs` checks both kinds of line against the full reader).

use crate::facts::{self, JsonFacts};
use crate::num::Num;
use crate::rulebase::{ItemId, Rulebase, Type, Value};
use chrono::NaiveDate;

/// Names already looked up on earlier lines (a batch gives the same few names on every line),
/// so that a name costs a comparison or two instead of a hash.
#[derive(Default)]
pub(super) struct Names {
    known: Vec<(Box<str>, ItemId, Type)>,
}

impl Names {
    /// The input or parameter `name`, as [`facts::lookup_input`] finds it; `None` for anything
    /// it refuses (which the full reader then reports).
    fn find(&mut self, rb: &Rulebase, name: &str) -> Option<(ItemId, Type)> {
        if let Some((_, id, ty)) = self.known.iter().find(|(known, ..)| &**known == name) {
            return Some((*id, *ty));
        }
        let id = facts::lookup_input(rb, name).ok()?;
        let ty = rb.item(id).ty;
        // A bound, so that a batch naming ever new (valid) inputs cannot grow it without end.
        if self.known.len() < 64 {
            self.known.push((name.into(), id, ty));
        }
        Some((id, ty))
    }
}

/// The facts of `text`, or `None` when the line needs the full reader.
pub(super) fn read(rb: &Rulebase, names: &mut Names, text: &str) -> Option<JsonFacts> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    let mut facts = JsonFacts {
        as_of: None,
        given: Vec::with_capacity(8),
    };
    let (mut seen_date, mut seen_given) = (false, false);
    reader.expect(b'{')?;
    if !reader.next_is(b'}') {
        loop {
            let key = reader.string()?;
            reader.expect(b':')?;
            match key {
                "as_of" if !seen_date => {
                    seen_date = true;
                    facts.as_of = Some(date(reader.string()?)?);
                }
                "given" if !seen_given => {
                    seen_given = true;
                    given(rb, names, &mut reader, &mut facts.given)?;
                }
                _ => return None,
            }
            if !reader.comma_or(b'}')? {
                break;
            }
        }
    }
    reader.end()?;
    Some(facts)
}

fn given(
    rb: &Rulebase,
    names: &mut Names,
    reader: &mut Reader<'_>,
    given: &mut Vec<(ItemId, Value)>,
) -> Option<()> {
    reader.expect(b'{')?;
    if reader.next_is(b'}') {
        return Some(());
    }
    loop {
        let name = reader.string()?;
        reader.expect(b':')?;
        let (id, ty) = names.find(rb, name)?;
        // A name given twice: the full reader refuses the line.
        if given.iter().any(|(other, _)| *other == id) {
            return None;
        }
        let value = reader.value(rb, ty)?;
        facts::check_domain(rb, ty, &value).ok()?;
        given.push((id, value));
        if !reader.comma_or(b'}')? {
            return Some(());
        }
    }
}

/// A date as the full reader reads one.
fn date(text: &str) -> Option<NaiveDate> {
    facts::parse_date(text)
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
}

impl<'t> Reader<'t> {
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// Whether the next byte (after white space) is `byte`; if so, it is taken.
    fn next_is(&mut self, byte: u8) -> bool {
        self.skip_space();
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.next_is(byte).then_some(())
    }

    /// After a member or an element: `true` at a comma (another follows), `false` at `close`.
    fn comma_or(&mut self, close: u8) -> Option<bool> {
        if self.next_is(b',') {
            Some(true)
        } else {
            self.expect(close).map(|()| false)
        }
    }

    /// Only white space may follow the document.
    fn end(&mut self) -> Option<()> {
        self.skip_space();
        (self.at == self.bytes.len()).then_some(())
    }

    /// A string without escapes or control characters, as written.
    fn string(&mut self) -> Option<&'t str> {
        self.expect(b'"')?;
        let start = self.at;
        let rest = self.bytes.get(start..)?;
        let len = rest
            .iter()
            .position(|&b| matches!(b, b'"' | b'\\' | 0..=0x1f))?;
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        self.at = start + len + 1;
        // Both ends are ASCII quotes, so the slice falls on character boundaries.
        self.text.get(start..start + len)
    }

    /// A whole number written `-?(0|[1-9][0-9]*)` with at most 18 digits (so it fits).
    fn whole(&mut self) -> Option<i64> {
        self.skip_space();
        let negative = self.bytes.get(self.at) == Some(&b'-');
        if negative {
            self.at += 1;
        }
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        let digits = self.bytes.get(start..self.at)?;
        let followed_by_number = matches!(self.bytes.get(self.at), Some(b'.' | b'e' | b'E'));
        if digits.is_empty()
            || digits.len() > 18
            || (digits.len() > 1 && digits[0] == b'0')
            || (negative && digits == b"0")
            || followed_by_number
        {
            return None;
        }
        let n = digits
            .iter()
            .fold(0i64, |n, digit| n * 10 + i64::from(digit - b'0'));
        Some(if negative { -n } else { n })
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        self.skip_space();
        if self.bytes.get(self.at..self.at + word.len()) == Some(word) {
            self.at += word.len();
            true
        } else {
            false
        }
    }

    /// A value of type `ty`, as the full reader converts it; `None` for anything else.
    fn value(&mut self, rb: &Rulebase, ty: Type) -> Option<Value> {
        match ty {
            Type::Bool => {
                if self.literal(b"true") {
                    Some(Value::Bool(true))
                } else if self.literal(b"false") {
                    Some(Value::Bool(false))
                } else {
                    None
                }
            }
            Type::Int | Type::Count => self.whole().map(|n| Value::Num(Num::int(n))),
            Type::Date => date(self.string()?).map(Value::Date),
            Type::Text => self.string().map(|text| Value::Text(text.into())),
            Type::Enum(id) => {
                let text = self.string()?;
                let def = rb.enums.get(id.0 as usize)?;
                let idx = def.variants.iter().position(|v| v == text)?;
                Some(Value::Enum(id, u32::try_from(idx).ok()?))
            }
            Type::Record(id) => self.record(rb, id),
            Type::List(record) => {
                self.expect(b'[')?;
                let mut items = Vec::new();
                if !self.next_is(b']') {
                    loop {
                        items.push(self.record(rb, record)?);
                        if items.len() > facts::MAX_LIST_LEN {
                            return None;
                        }
                        if !self.comma_or(b']')? {
                            break;
                        }
                    }
                }
                Some(Value::List(items.into()))
            }
            Type::Decimal | Type::Percent | Type::Duration | Type::Seats => None,
        }
    }

    /// An object with each field of the record once, in any order, and no other key.
    fn record(&mut self, rb: &Rulebase, id: crate::rulebase::RecordId) -> Option<Value> {
        let def = rb.records.get(id.0 as usize)?;
        // Each field's index and value, as written.
        let mut fields: Vec<(usize, Value)> = Vec::with_capacity(def.fields.len());
        self.expect(b'{')?;
        if !self.next_is(b'}') {
            loop {
                let key = self.string()?;
                self.expect(b':')?;
                let idx = def.fields.iter().position(|(name, _)| name == key)?;
                if fields.iter().any(|(seen, _)| *seen == idx) {
                    return None;
                }
                fields.push((idx, self.value(rb, def.fields.get(idx)?.1)?));
                if !self.comma_or(b'}')? {
                    break;
                }
            }
        }
        // No field twice, so every field is there when there are as many as the record has.
        if fields.len() != def.fields.len() {
            return None;
        }
        fields.sort_unstable_by_key(|(idx, _)| *idx);
        Some(Value::Record(
            fields.into_iter().map(|(_, value)| value).collect(),
        ))
    }
}
