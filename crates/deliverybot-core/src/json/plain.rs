//! JSON as GitHub writes it, read without serde's generic machinery: objects, lists, text, whole
//! numbers, `true`, `false`, `null`.
//!
//! Why a second reader: V8 compiles each WebAssembly function on its first call, and serde_json's
//! reader of a value (its visitors, its map and sequence access, its number parsing) is about
//! 8 KB of code that every run would compile to read a few answers (README, Performance).
//!
//! It is a fast path, never a second opinion: anything it does not know for certain — a number
//! with a fraction or an exponent, or one that does not fit 64 bits, `-0`, a lone surrogate in an
//! escape, nesting near serde_json's limit, anything invalid — makes it return `None`, and the
//! caller reads the text with serde_json instead. So a value is the same whichever reader read it,
//! and every error is serde_json's. The fuzzer (`tests/fuzz.rs`, `json_readers`) holds the two to
//! the same result on every text it makes.

use serde_json::{Map, Number, Value};
use std::borrow::Cow;

/// Below serde_json's own limit (128), so that text near it is left to serde_json.
const MAX_DEPTH: usize = 100;

/// The one JSON value `text` holds.
pub fn value(text: &str) -> Option<Value> {
    let mut reader = Reader { bytes: text.as_bytes(), text, at: 0, depth: 0 };
    let value = reader.value()?;
    reader.end()?;
    Some(value)
}

/// The values of the fields in `names` of the JSON object `text` holds, in that order; the other
/// fields are checked and skipped, never built.
pub fn fields(text: &str, names: &[&str]) -> Option<Vec<Option<Value>>> {
    let mut reader = Reader { bytes: text.as_bytes(), text, at: 0, depth: 0 };
    let mut values = vec![None; names.len()];
    reader.space();
    reader.eat(b'{')?;
    reader.members(|reader, key| {
        match names.iter().position(|name| *name == key) {
            // A repeated field: the last one wins, as when the object is read whole.
            Some(index) => values[index] = Some(reader.value()?),
            None => reader.skip()?,
        }
        Some(())
    })?;
    reader.end()?;
    Some(values)
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    fn space(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Nothing but whitespace left.
    fn end(&mut self) -> Option<()> {
        self.space();
        (self.at == self.bytes.len()).then_some(())
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        self.bytes[self.at..].starts_with(word.as_bytes()).then(|| self.at += word.len())
    }

    fn value(&mut self) -> Option<Value> {
        self.space();
        Some(match self.peek()? {
            b'"' => Value::String(self.string()?.into_owned()),
            b'{' => self.nested(|reader| {
                let mut map = Map::new();
                reader.members(|reader, key| {
                    let value = reader.value()?;
                    map.insert(key.to_owned(), value);
                    Some(())
                })?;
                Some(Value::Object(map))
            })?,
            b'[' => self.nested(|reader| {
                let mut items = Vec::new();
                reader.items(|reader| {
                    items.push(reader.value()?);
                    Some(())
                })?;
                Some(Value::Array(items))
            })?,
            b't' => self.literal("true").map(|()| Value::Bool(true))?,
            b'f' => self.literal("false").map(|()| Value::Bool(false))?,
            b'n' => self.literal("null").map(|()| Value::Null)?,
            _ => Value::Number(self.whole_number()?),
        })
    }

    /// `inside` past the `{` or `[` at hand, one level deeper: none past `MAX_DEPTH`.
    fn nested<T>(&mut self, inside: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        self.at += 1;
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return None;
        }
        let out = inside(self)?;
        self.depth -= 1;
        Some(out)
    }

    /// The members of an object after its `{`, each handed to `member` with its key (unescaped
    /// only when it has escapes), up to and including the `}`.
    fn members(&mut self, member: impl FnMut(&mut Self, &str) -> Option<()>) -> Option<()> {
        self.members_keyed(Self::string, member)
    }

    /// The members of an object after its `{`, checked and skipped, keys included (a skipped
    /// object's keys are checked as strings, not read).
    fn skip_members(&mut self) -> Option<()> {
        self.members_keyed(|reader| reader.skip_string().map(|()| Cow::Borrowed("")), |reader, _| reader.skip())
    }

    /// The members of an object after its `{`: each key read by `key`, then handed to `member`
    /// with its value still to read, up to and including the `}`.
    fn members_keyed(
        &mut self,
        mut key: impl FnMut(&mut Self) -> Option<Cow<'a, str>>,
        mut member: impl FnMut(&mut Self, &str) -> Option<()>,
    ) -> Option<()> {
        self.space();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            self.space();
            let key = key(self)?;
            self.space();
            self.eat(b':')?;
            member(self, &key)?;
            self.space();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => break,
                _ => return None,
            }
        }
        self.at += 1;
        Some(())
    }

    /// The items of a list after its `[`, each read by `item`, up to and including the `]`.
    fn items(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.space();
        if self.eat(b']').is_some() {
            return Some(());
        }
        loop {
            item(self)?;
            self.space();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => break,
                _ => return None,
            }
        }
        self.at += 1;
        Some(())
    }

    /// A string, its escapes decoded: borrowed from the text when it has none.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let start = self.at;
        self.at += special(&self.bytes[start..])?;
        // Between ASCII bytes: always on character boundaries.
        let text = &self.text[start..self.at];
        if self.bytes[self.at] == b'"' {
            self.at += 1;
            return Some(Cow::Borrowed(text));
        }
        let mut out = text.to_string();
        loop {
            match self.bytes[self.at] {
                b'"' => {
                    self.at += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => out.push(self.escape()?),
                _ => return None, // a control character: serde_json says which
            }
            let start = self.at;
            self.at += special(&self.bytes[start..])?;
            out.push_str(&self.text[start..self.at]);
        }
    }

    /// The character an escape stands for, the `\` included.
    fn escape(&mut self) -> Option<char> {
        let code = *self.bytes.get(self.at + 1)?;
        self.at += 2;
        Some(match code {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex()?;
                match first {
                    0xD800..=0xDBFF => {
                        // A pair of escapes for one character beyond the first 65,536.
                        self.literal("\\u")?;
                        let second = self.hex()?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return None;
                        }
                        char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))?
                    }
                    _ => char::from_u32(first)?, // a lone low surrogate is not a character
                }
            }
            _ => return None,
        })
    }

    /// Four hex digits.
    fn hex(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.at..self.at + 4)?;
        let mut code = 0;
        for &digit in digits {
            code = code * 16 + (digit as char).to_digit(16)?;
        }
        self.at += 4;
        Some(code)
    }

    /// A whole number that fits in 64 bits, as serde_json keeps it (`u64`, or `i64` if negative).
    fn whole_number(&mut self) -> Option<Number> {
        let start = self.at;
        self.skip_number()?;
        let text = &self.text[start..self.at];
        let (negative, digits) = match text.strip_prefix('-') {
            Some(digits) => (true, digits),
            None => (false, text),
        };
        // Digits only here (a fraction or an exponent is serde_json's float), accumulated rather
        // than read with `str::parse`: one function less to compile.
        let mut magnitude: u64 = 0;
        for digit in digits.bytes() {
            if !digit.is_ascii_digit() {
                return None;
            }
            magnitude = magnitude.checked_mul(10)?.checked_add(u64::from(digit - b'0'))?;
        }
        if !negative {
            return Some(magnitude.into());
        }
        // serde_json reads -0 as a float, and a magnitude past i64's as one too.
        match magnitude {
            0 => None,
            1..=0x8000_0000_0000_0000 => Some((magnitude as i64).wrapping_neg().into()),
            _ => None,
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        self.at - start
    }

    /// Checks a value and moves past it without building it.
    fn skip(&mut self) -> Option<()> {
        self.space();
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' => self.nested(Self::skip_members),
            b'[' => self.nested(|reader| reader.items(Self::skip)),
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'n' => self.literal("null"),
            _ => self.skip_number(),
        }
    }

    /// A string skipped: its escapes are checked, not decoded (serde_json does the same when it
    /// skips one, so a lone surrogate is no error there).
    fn skip_string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            self.at += special(&self.bytes[self.at..])?;
            match self.bytes[self.at] {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => {
                    if self.bytes.get(self.at + 1) == Some(&b'u') {
                        self.at += 2;
                        self.hex()?;
                    } else {
                        self.escape()?;
                    }
                }
                _ => return None,
            }
        }
    }

    /// A number skipped: any that JSON allows.
    fn skip_number(&mut self) -> Option<()> {
        self.eat(b'-');
        let start = self.at;
        let digits = self.digits();
        if digits == 0 || (digits > 1 && self.bytes[start] == b'0') {
            return None;
        }
        if self.eat(b'.').is_some() && self.digits() == 0 {
            return None;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }
}

/// Where the first byte that ends a run of plain text in a string is: `"`, `\` or a control
/// character. Eight bytes at a time while there is none (a payload is mostly such runs: a push of
/// thousands of commits is megabytes of them), then byte by byte.
fn special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Whether any byte of `word` is below `n` (n <= 0x80): exact as a yes or no for the word.
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * n as u64) & !word & HIGHS != 0;
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().ok()?);
        if below(word ^ (ONES * b'"' as u64), 1) || below(word ^ (ONES * b'\\' as u64), 1) || below(word, 0x20) {
            break;
        }
        at += 8;
    }
    bytes[at..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).map(|len| at + len)
}

#[cfg(test)]
mod tests {
    use super::special;

    #[test]
    fn the_first_special_byte_is_found_at_any_offset() {
        let slow = |bytes: &[u8]| bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
        // Plain text around it: ASCII, a byte that is 0x20 or 0x80 past a special one, UTF-8.
        for filler in [b'a', b' ', b'!', 0xa2, 0xdc, 0xff] {
            for special_byte in [b'"', b'\\', 0, 0x1f, b'\n'] {
                for len in 0..20 {
                    for at in 0..=len {
                        let mut bytes = vec![filler; len];
                        if at < len {
                            bytes[at] = special_byte;
                        }
                        assert_eq!(special(&bytes), slow(&bytes), "{filler:#x} {special_byte:#x} at {at} of {len}");
                    }
                }
            }
        }
    }
}
