//! Mutations of seed inputs: byte-level for any text, value-level for JSON payloads.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde_json::Value;
use std::ops::Range;

/// What YAML, JSON and templates give meaning to, inserted where it does not belong.
const TOKENS: &[&str] = &[
    ":", ": ", "- ", "-", "? ", ",", "[", "]", "{", "}", "\"", "'", "''", "\\", "\\u0000", "\\ud800", "#", "&a ", "*a", "&a0 ", "*a0", "<<: ",
    "!!str ", "!!binary ", "!tag ", "|", ">-", "---\n", "...\n", "%YAML 1.2\n", "\n", "\r\n", "\r", "\n  ", "\n    - ", "\t", " ", "~", "null",
    "true", "1e999", "-0", "0x", ".inf", "${{", "}}", "${{ ", " }}", "${{ sha }}", "${{ pr || 'x' }}", "||", "pull_request.", "commit.",
    "refs/heads/", "refs/tags/v*", "*", "\u{0}", "\u{7f}", "\u{feff}", "\u{2028}", "é", "🚀", "\u{10ffff}", "\"number\":", "\"ref\":", "{}", "[]",
];

/// Inputs grown past this stop growing: big enough for every bound, small enough to run fast.
const MAX_LEN: usize = 256 * 1024;

#[derive(Clone, Debug)]
enum Op {
    FlipBit(Index, u8),
    SetByte(Index, u8),
    Delete(Index, u8),
    Truncate(Index),
    Insert(Index, &'static str),
    Replace(Index, u8, &'static str),
    /// Copies a chunk elsewhere in the same input.
    Duplicate(Index, u8, Index),
    /// Inserts a chunk of another seed.
    Splice(Index, Index, u8, Index),
    /// Repeats a chunk after itself: long scalars, deep nesting.
    Repeat(Index, u8, u16),
    /// Repeats a line after itself: many targets, keys, templates.
    RepeatLine(Index, u16),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (any::<Index>(), 0u8..8).prop_map(|(at, bit)| Op::FlipBit(at, bit)),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Op::SetByte(at, byte)),
        2 => (any::<Index>(), 1u8..32).prop_map(|(at, len)| Op::Delete(at, len)),
        1 => any::<Index>().prop_map(Op::Truncate),
        4 => (any::<Index>(), select(TOKENS)).prop_map(|(at, token)| Op::Insert(at, token)),
        2 => (any::<Index>(), 1u8..8, select(TOKENS)).prop_map(|(at, len, token)| Op::Replace(at, len, token)),
        1 => (any::<Index>(), 1u8..64, any::<Index>()).prop_map(|(from, len, to)| Op::Duplicate(from, len, to)),
        2 => (any::<Index>(), any::<Index>(), 1u8..128, any::<Index>()).prop_map(|(seed, from, len, to)| Op::Splice(seed, from, len, to)),
        1 => (any::<Index>(), 1u8..128, 2u16..600).prop_map(|(from, len, times)| Op::Repeat(from, len, times)),
        1 => (any::<Index>(), 2u16..3_000).prop_map(|(line, times)| Op::RepeatLine(line, times)),
    ]
}

/// A position in `0..=len`.
fn at(index: Index, len: usize) -> usize {
    index.index(len + 1)
}

/// `len` bytes from `index`, cut to the input.
fn chunk(index: Index, len: u8, bytes: &[u8]) -> Range<usize> {
    let start = at(index, bytes.len());
    start..(start + len as usize).min(bytes.len())
}

/// Inserts `piece` at the position `index` picks.
fn insert(bytes: &mut Vec<u8>, index: Index, piece: &[u8]) {
    let at = at(index, bytes.len());
    bytes.splice(at..at, piece.iter().copied());
}

fn repeat(bytes: &mut Vec<u8>, range: Range<usize>, times: u16) {
    let piece = bytes[range.clone()].to_vec();
    let copies = (times as usize).min(MAX_LEN.saturating_sub(bytes.len()) / piece.len().max(1));
    bytes.splice(range.end..range.end, piece.repeat(copies));
}

fn apply(mut bytes: Vec<u8>, ops: &[Op], seeds: &[String]) -> String {
    for op in ops {
        match *op {
            Op::FlipBit(i, bit) if !bytes.is_empty() => {
                let i = i.index(bytes.len());
                bytes[i] ^= 1 << bit;
            }
            Op::SetByte(i, byte) if !bytes.is_empty() => *i.get_mut(&mut bytes) = byte,
            Op::Delete(i, len) => drop(bytes.drain(chunk(i, len, &bytes))),
            Op::Truncate(i) => bytes.truncate(at(i, bytes.len())),
            Op::Insert(i, token) => insert(&mut bytes, i, token.as_bytes()),
            Op::Replace(i, len, token) => drop(bytes.splice(chunk(i, len, &bytes), token.bytes())),
            Op::Duplicate(from, len, to) => {
                let piece = bytes[chunk(from, len, &bytes)].to_vec();
                insert(&mut bytes, to, &piece);
            }
            Op::Splice(seed, from, len, to) => {
                let other = seed.get(seeds).as_bytes();
                insert(&mut bytes, to, &other[chunk(from, len, other)]);
            }
            Op::Repeat(from, len, times) => {
                let range = chunk(from, len, &bytes);
                repeat(&mut bytes, range, times);
            }
            Op::RepeatLine(line, times) => {
                let starts: Vec<usize> = std::iter::once(0).chain(bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1)).collect();
                let start = *line.get(&starts);
                let end = bytes[start..].iter().position(|b| *b == b'\n').map_or(bytes.len(), |i| start + i + 1);
                repeat(&mut bytes, start..end, times);
            }
            Op::FlipBit(..) | Op::SetByte(..) => {}
        }
    }
    // The engine is handed text: broken UTF-8 becomes U+FFFD, as a host would make it.
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A seed with 1 to 8 byte-level mutations.
pub fn bytes(seeds: Vec<String>) -> impl Strategy<Value = String> {
    (select(seeds.clone()), vec(op(), 1..8)).prop_map(move |(seed, ops)| apply(seed.into_bytes(), &ops, &seeds))
}

/// JSON values at the edges of what a field may hold.
pub fn interesting_json() -> impl Strategy<Value = Value> {
    let numbers = vec!["0", "1", "-1", "42", "18446744073709551615", "18446744073709551616", "9007199254740993", "-9223372036854775808", "1.5", "1e308", "-0.0"];
    let strings = vec![
        "", " ", "main", "master", "refs/heads/main", "refs/heads/", "refs/tags/v1.0.0", "refs/pull/1/head", "heads/*", "*", "completed", "opened",
        "closed", "synchronize", "success", "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "production", "${{ sha }}", "../..", "a/b", "%2F", "\u{0}",
        "é", "\n", "x y",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        select(numbers).prop_map(|n| serde_json::from_str(n).expect("a JSON number")),
        select(strings).prop_map(|s| Value::String(s.to_string())),
        "[a-z]{200,300}".prop_map(Value::String),
    ];
    let keys = vec!["ref", "sha", "number", "id", "name", "action", "head", "repo", "target"];
    leaf.prop_recursive(3, 12, 4, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec((select(keys.clone()), inner), 0..4).prop_map(|entries| Value::Object(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

/// A change to one value of a JSON document, picked by its place in document order.
#[derive(Clone, Debug)]
enum JsonOp {
    Remove(Index),
    Set(Index, Value),
    /// The value in a list: `"x"` → `["x"]`.
    Wrap(Index),
    /// The value as a string: `12` → `"12"`.
    Stringify(Index),
}

fn json_op() -> impl Strategy<Value = JsonOp> {
    prop_oneof![
        2 => any::<Index>().prop_map(JsonOp::Remove),
        4 => (any::<Index>(), interesting_json()).prop_map(|(at, v)| JsonOp::Set(at, v)),
        1 => any::<Index>().prop_map(JsonOp::Wrap),
        1 => any::<Index>().prop_map(JsonOp::Stringify),
    ]
}

/// The JSON pointer of every value in `value`, the root (`""`) last.
fn pointers(value: &Value, here: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => map.iter().for_each(|(key, child)| pointers(child, format!("{here}/{}", key.replace('~', "~0").replace('/', "~1")), out)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, child)| pointers(child, format!("{here}/{i}"), out)),
        _ => {}
    }
    out.push(here);
}

fn apply_json(value: &mut Value, op: &JsonOp) {
    let mut all = Vec::new();
    pointers(value, String::new(), &mut all);
    let (JsonOp::Remove(at) | JsonOp::Set(at, _) | JsonOp::Wrap(at) | JsonOp::Stringify(at)) = op;
    let pointer = at.get(&all).clone();
    if let JsonOp::Remove(_) = op {
        let Some((parent, last)) = pointer.rsplit_once('/') else { return *value = Value::Null };
        let last = last.replace("~1", "/").replace("~0", "~");
        match value.pointer_mut(parent) {
            Some(Value::Object(map)) => drop(map.remove(&last)),
            Some(Value::Array(items)) => drop(last.parse::<usize>().ok().filter(|i| *i < items.len()).map(|i| items.remove(i))),
            _ => {}
        }
        return;
    }
    let Some(target) = value.pointer_mut(&pointer) else { return };
    *target = match op {
        JsonOp::Set(_, new) => new.clone(),
        JsonOp::Wrap(_) => Value::Array(vec![target.take()]),
        _ => match target.take() {
            Value::String(text) => Value::String(text),
            other => Value::String(other.to_string()),
        },
    };
}

/// A JSON seed with 1 to 5 values removed, replaced or retyped: what serde must refuse, or
/// accept, without the engine tripping over it.
pub fn json(seeds: Vec<String>) -> impl Strategy<Value = String> {
    (select(seeds), vec(json_op(), 1..6)).prop_map(|(seed, ops)| {
        let mut value: Value = serde_json::from_str(&seed).unwrap_or(Value::Null);
        for op in &ops {
            apply_json(&mut value, op);
        }
        value.to_string()
    })
}
