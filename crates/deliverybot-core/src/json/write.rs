//! JSON text out, for the steps the engine hands back: the same text serde_json writes (the tests
//! and the fuzzer hold the two to it byte for byte), written by hand because serde's serializers
//! for the steps' types and for JSON values are about 6 KB of WebAssembly that every run compiled
//! to write a few small objects (README, Performance).

use serde_json::{Number, Value};
use std::fmt::Write;

/// `text` as a JSON string, escaped as serde_json escapes it: `"`, `\` and control characters only
/// (the short forms where JSON has them, `\u00XX` otherwise).
pub fn string(text: &str, out: &mut String) {
    out.push('"');
    let mut plain = 0; // start of the text not written yet
    for (at, byte) in text.bytes().enumerate() {
        let short = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // Before an ASCII byte: on a character boundary.
        out.push_str(&text[plain..at]);
        plain = at + 1;
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(byte >> 4) as usize] as char);
            out.push(HEX[(byte & 0xf) as usize] as char);
        } else {
            out.push_str(short);
        }
    }
    out.push_str(&text[plain..]);
    out.push('"');
}

/// A JSON value, compact, object members in the map's order.
pub fn value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => self::number(number, out),
        Value::String(text) => string(text, out),
        Value::Array(items) => list(items, out, self::value),
        Value::Object(map) => {
            out.push('{');
            for (index, (name, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                string(name, out);
                out.push(':');
                self::value(item, out);
            }
            out.push('}');
        }
    }
}

fn number(number: &Number, out: &mut String) {
    if let Some(whole) = number.as_u64() {
        let _ = write!(out, "{whole}");
    } else if let Some(whole) = number.as_i64() {
        let _ = write!(out, "{whole}");
    } else {
        fraction(number, out);
    }
}

/// A number with a fraction, as serde_json writes it (its shortest form); out of line, since the
/// engine's own values are whole numbers.
#[inline(never)]
fn fraction(number: &Number, out: &mut String) {
    out.push_str(&serde_json::to_string(number).unwrap_or_else(|_| "null".to_string()));
}

/// `[["name","value"],...]`: pairs as serde_json writes a list of tuples.
pub fn pairs(pairs: &[(String, String)], out: &mut String) {
    list(pairs, out, |(name, text), out| {
        out.push('[');
        string(name, out);
        out.push(',');
        string(text, out);
        out.push(']');
    });
}

/// A list, each item written by `item`.
pub fn list<T>(items: &[T], out: &mut String, mut item: impl FnMut(&T, &mut String)) {
    out.push('[');
    for (index, each) in items.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        item(each, out);
    }
    out.push(']');
}

/// `,"name":` (or `"name":` first in an object): the start of a member with a plain name.
pub fn member(name: &str, first: bool, out: &mut String) {
    if !first {
        out.push(',');
    }
    out.push('"');
    out.push_str(name);
    out.push_str("\":");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_written_as_serde_json_writes_them() {
        let values = [
            json!(null),
            json!([true, false, 0, 1, -1, u64::MAX, i64::MIN, 1.5, 1e300, -0.0, 0.1]),
            json!({"b": {"z": [], "a": {}}, "a": "x", "": "\u{0}\u{1f}\u{7f}\u{8}\u{c}\n\r\t\"\\/é🚀\u{2028}"}),
            json!("a \"quoted\" \\ path\u{1}"),
        ];
        for v in values {
            let mut out = String::new();
            value(&v, &mut out);
            assert_eq!(out, serde_json::to_string(&v).unwrap());
        }
        // Every byte that can start a character, alone and between others.
        for c in (0..=0x7f_u8).map(char::from).chain(['é', '€', '🚀']) {
            let text = format!("a{c}b{c}");
            let mut out = String::new();
            string(&text, &mut out);
            assert_eq!(out, serde_json::to_string(&text).unwrap(), "{c:?}");
        }
    }
}
