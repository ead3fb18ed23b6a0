//! YAML text to a tree of values that remember where they stand in the file, so that every
//! problem in a config can be reported at its line and column — all of them, not only the first.
//!
//! Scalars are typed by the YAML 1.2 core schema (`true`, `3`, `~`, ...). Anchors, aliases and
//! `<<` merge keys work as in the original Deliverybot (js-yaml). The size, the nesting depth and the
//! number of values after alias expansion are bounded, so a hostile file (a "billion laughs" alias
//! bomb) is refused quickly instead of exhausting memory.

mod block;

use crate::diagnostic::{Diagnostic, Pos};
use crate::template::Template;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};
use std::collections::{BTreeMap, BTreeSet};

/// The characters in `text`, as columns and GitHub's length limits count them. Not
/// `chars().count()`: the standard library's is tuned for long texts, 1 KB of WebAssembly that
/// every run would compile (engine.rs says why that matters) to count a few short ones.
pub(crate) fn char_count(text: &str) -> usize {
    // Every byte but a UTF-8 continuation byte (0b10xx_xxxx) starts a character.
    text.bytes().filter(|&byte| (byte as i8) >= -0x40).count()
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Text),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A string and, when its characters stand one for one in the file (a plain scalar on one line,
/// a quoted one without escapes), where its first character is: positions inside it are then exact.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub value: String,
    pub verbatim_at: Option<Pos>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

impl Node {
    /// What the value is, for messages: "the string \"yes\"", "a list".
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Null => "nothing (null)".to_string(),
            Value::Bool(b) => format!("the boolean {b}"),
            Value::Int(i) => format!("the number {i}"),
            // Infinity and NaN as YAML spells them, the way the user wrote them.
            Value::Float(x) if x.is_nan() => "the number .nan".to_string(),
            Value::Float(x) if x.is_infinite() => format!("the number {}.inf", if *x < 0.0 { "-" } else { "" }),
            Value::Float(x) => format!("the number {x}"),
            Value::Str(text) => format!("the string {:?}", text.value),
            Value::Seq(_) => "a list".to_string(),
            Value::Map(_) => "a map".to_string(),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(text) => Some(&text.value),
            _ => None,
        }
    }
}

pub const MAX_BYTES: usize = 1024 * 1024;
pub const MAX_DEPTH: usize = 64;
/// Values after alias expansion. A 10,000-target config has about 60,000.
pub const MAX_VALUES: usize = 1_000_000;

/// Parses one YAML document. `Ok(None)` for a file with no content (empty or only comments).
pub fn parse(text: &str) -> Result<Option<Node>, Diagnostic> {
    if text.len() > MAX_BYTES {
        return Err(Diagnostic {
            pos: None,
            message: format!("the file is {} bytes; the limit is {MAX_BYTES} (1 MiB)", text.len()),
        });
    }
    match block::read(text) {
        Some(document) => Ok(document),
        None => general(text),
    }
}

/// Any YAML, with the general parser; out of line, so that a config the block reader reads does
/// not compile it (engine.rs says why that matters).
#[inline(never)]
fn general(text: &str) -> Result<Option<Node>, Diagnostic> {
    Builder::new(text).run()
}

/// Reads `text` both ways, for the fuzzer (`tests/fuzz.rs`): `Ok(true)` when the block reader read
/// it and found what the general parser finds, `Ok(false)` when it left the text to the general
/// parser, `Err` with both results when they differ.
#[doc(hidden)]
pub fn readers_agree(text: &str) -> Result<bool, String> {
    let Some(fast) = block::read(text) else { return Ok(false) };
    // Debug text, not `==`: a NaN is the same NaN on both sides.
    let (fast, general) = (format!("{:?}", Ok::<_, Diagnostic>(fast)), format!("{:?}", general(text)));
    if fast == general {
        Ok(true)
    } else {
        Err(format!("block reader: {fast}\ngeneral parser: {general}"))
    }
}

/// Whether a string needs to know where its text starts: only template expressions need positions
/// inside a string, and only a string on one line can have them.
fn verbatim_within(value: &str) -> bool {
    !value.contains('\n') && Template::has_expression(value)
}

/// A collection being read. `deepest` is how many levels its children reach below it: an alias
/// pastes a whole tree, so depth is counted over what is built, not only over what is open.
enum Frame {
    Seq { pos: Pos, anchor: usize, items: Vec<Node>, deepest: usize },
    Map { pos: Pos, anchor: usize, entries: Vec<(Node, Node)>, key: Option<Node>, merges: Vec<Node>, deepest: usize },
}

struct Builder<'a> {
    text: &'a str,
    /// The last (character index, byte offset) found: scalars come in file order, so each lookup
    /// goes on from the last one and the whole file is walked once.
    offsets: std::cell::Cell<(usize, usize)>,
    stack: Vec<Frame>,
    /// Anchored values, with their size (values) and depth (levels).
    anchors: BTreeMap<usize, (Node, usize, usize)>,
    values: usize,
    root: Option<Node>,
    documents: usize,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Builder<'a> {
        Builder { text, offsets: std::cell::Cell::new((0, 0)), stack: Vec::new(), anchors: BTreeMap::new(), values: 0, root: None, documents: 0 }
    }

    // What a plain config does not use (anchors, aliases, tags, a second document, a parse error) is
    // kept out of `run`, which every run compiles (engine.rs says why that matters).
    fn run(mut self) -> Result<Option<Node>, Diagnostic> {
        for event in Parser::new_from_str(self.text) {
            let (event, span) = event.map_err(invalid_yaml)?;
            let pos = position(&span);
            match event {
                Event::DocumentStart(_) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(second_document(pos));
                    }
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let node = self.scalar(value.into_owned(), style, tag.as_deref(), &span)?;
                    self.count(1, pos)?;
                    if anchor > 0 {
                        self.anchor(anchor, &node, 1, 0);
                    }
                    self.push(node, 0)?;
                }
                Event::Alias(id) => self.alias(id, pos)?,
                Event::SequenceStart(anchor, tag) => {
                    self.open(pos, tag.as_deref(), "list")?;
                    self.stack.push(Frame::Seq { pos, anchor, items: Vec::new(), deepest: 0 });
                }
                Event::MappingStart(anchor, tag) => {
                    self.open(pos, tag.as_deref(), "map")?;
                    self.stack.push(Frame::Map { pos, anchor, entries: Vec::new(), key: None, merges: Vec::new(), deepest: 0 });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let (node, anchor, deepest) = match self.stack.pop() {
                        Some(Frame::Seq { pos, anchor, items, deepest }) => (Node { value: Value::Seq(items), pos }, anchor, deepest),
                        Some(Frame::Map { pos, anchor, entries, merges, deepest, .. }) => {
                            (Node { value: Value::Map(merge(entries, merges)?), pos }, anchor, deepest)
                        }
                        None => unreachable!("the parser balances starts and ends"),
                    };
                    self.count(1, pos)?;
                    if anchor > 0 {
                        self.anchor(anchor, &node, size(&node), deepest + 1);
                    }
                    self.push(node, deepest + 1)?;
                }
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
            }
        }
        Ok(self.root)
    }

    /// Keeps an anchored value, with its size and depth, for the aliases that paste it.
    #[inline(never)]
    fn anchor(&mut self, anchor: usize, node: &Node, size: usize, depth: usize) {
        self.anchors.insert(anchor, (node.clone(), size, depth));
    }

    #[inline(never)]
    fn alias(&mut self, id: usize, pos: Pos) -> Result<(), Diagnostic> {
        let (size, depth) = match self.anchors.get(&id) {
            Some((_, size, depth)) => (*size, *depth),
            None => return Err(Diagnostic::at(pos, "this alias refers to no anchor")),
        };
        // Both bounds before the copy: a deep or huge tree is refused, never built.
        self.count(size, pos)?;
        self.check_depth(depth, pos)?;
        let node = self.anchors[&id].0.clone();
        self.push(Node { value: node.value, pos }, depth)
    }

    fn count(&mut self, values: usize, pos: Pos) -> Result<(), Diagnostic> {
        self.values += values;
        if self.values > MAX_VALUES {
            return Err(Diagnostic::at(
                pos,
                format!("the config expands to more than {MAX_VALUES} values (through YAML aliases); it is refused"),
            ));
        }
        Ok(())
    }

    fn open(&self, pos: Pos, tag: Option<&Tag>, kind: &str) -> Result<(), Diagnostic> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(pos));
        }
        match tag {
            Some(tag) => collection_tag(tag, pos, kind),
            None => Ok(()),
        }
    }

    /// Refuses a value `depth` levels deep where the reader stands now, past the nesting bound.
    fn check_depth(&self, depth: usize, pos: Pos) -> Result<(), Diagnostic> {
        if self.stack.len() + depth > MAX_DEPTH {
            return Err(Diagnostic::at(pos, format!("the config nests deeper than {MAX_DEPTH} levels (through YAML aliases)")));
        }
        Ok(())
    }

    /// Adds a value, `depth` levels deep, to the collection being read.
    fn push(&mut self, node: Node, depth: usize) -> Result<(), Diagnostic> {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, deepest, .. }) => {
                *deepest = (*deepest).max(depth);
                items.push(node);
            }
            Some(Frame::Map { key, entries, merges, deepest, .. }) => match key.take() {
                None => {
                    *deepest = (*deepest).max(depth);
                    *key = Some(node);
                }
                Some(k) if k.as_str() == Some("<<") => {
                    *deepest = (*deepest).max(depth);
                    merges.push(node);
                }
                Some(k) => {
                    *deepest = (*deepest).max(depth);
                    entries.push((k, node));
                }
            },
        }
        Ok(())
    }

    fn scalar(&self, value: String, style: ScalarStyle, tag: Option<&Tag>, span: &Span) -> Result<Node, Diagnostic> {
        let pos = position(span);
        let text = |value: String| {
            let verbatim_at = self.verbatim_start(&value, style, span);
            Value::Str(Text { value, verbatim_at })
        };
        let value = match tag {
            Some(tag) => match tagged(&value, tag, pos)? {
                Some(resolved) => resolved,
                None => text(value),
            },
            None if style == ScalarStyle::Plain => resolve_plain(&value).unwrap_or_else(|| text(value)),
            None => text(value),
        };
        Ok(Node { value, pos })
    }

    /// Byte offset of a character index (the parser counts characters).
    fn byte_offset(&self, chars: usize) -> Option<usize> {
        let (mut at_char, mut at_byte) = self.offsets.get();
        if chars < at_char {
            (at_char, at_byte) = (0, 0);
        }
        for c in self.text.get(at_byte..)?.chars().take(chars - at_char) {
            at_byte += c.len_utf8();
            at_char += 1;
        }
        (at_char == chars).then(|| {
            self.offsets.set((at_char, at_byte));
            at_byte
        })
    }

    /// Where the string's first character stands, if its characters are the file's one for one.
    fn verbatim_start(&self, value: &str, style: ScalarStyle, span: &Span) -> Option<Pos> {
        if !verbatim_within(value) {
            return None;
        }
        let quote = match style {
            ScalarStyle::Plain => 0,
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => 1,
            _ => return None,
        };
        let start = self.byte_offset(span.start.index())? + quote;
        self.text.get(start..start + value.len()).filter(|source| *source == value)?;
        Some(Pos { line: span.start.line(), column: span.start.col() + 1 + quote })
    }
}


fn position(span: &Span) -> Pos {
    Pos { line: span.start.line(), column: span.start.col() + 1 }
}

#[inline(never)]
fn invalid_yaml(err: ScanError) -> Diagnostic {
    let marker = err.marker();
    Diagnostic::at(Pos { line: marker.line(), column: marker.col() + 1 }, format!("invalid YAML: {}", err.info()))
}

#[inline(never)]
fn second_document(pos: Pos) -> Diagnostic {
    Diagnostic::at(pos, "a config is one YAML document; remove the second `---`")
}

#[inline(never)]
fn too_deep(pos: Pos) -> Diagnostic {
    Diagnostic::at(pos, format!("the config nests deeper than {MAX_DEPTH} levels"))
}

/// A tag on a list or map: only the core schema's own (`!!seq`, `!!map`) is accepted.
#[inline(never)]
fn collection_tag(tag: &Tag, pos: Pos, kind: &str) -> Result<(), Diagnostic> {
    if tag.is_yaml_core_schema() && matches!(tag.suffix.as_str(), "seq" | "map") {
        return Ok(());
    }
    Err(Diagnostic::at(pos, format!("YAML tags like `{tag}` are not supported on a {kind}")))
}

/// A tagged scalar: the value its core schema tag says (`None`: a string, for `!!str`), or why not.
#[inline(never)]
fn tagged(value: &str, tag: &Tag, pos: Pos) -> Result<Option<Value>, Diagnostic> {
    if !tag.is_yaml_core_schema() {
        return Err(Diagnostic::at(pos, format!("YAML tags like `{tag}` are not supported")));
    }
    match tag.suffix.as_str() {
        "str" => Ok(None),
        "null" | "bool" | "int" | "float" => match resolve_plain(value) {
            Some(resolved) if kind_of(&resolved) == tag.suffix => Ok(Some(resolved)),
            _ => Err(Diagnostic::at(pos, format!("{value:?} is not a valid !!{}", tag.suffix))),
        },
        _ => Err(Diagnostic::at(pos, format!("the YAML tag `{tag}` is not supported"))),
    }
}

/// `<<: *defaults` (or a list of them): keys of the merged maps that the map does not set itself.
fn merge(entries: Vec<(Node, Node)>, merges: Vec<Node>) -> Result<Vec<(Node, Node)>, Diagnostic> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (key, _) in &entries {
        if let Some(name) = key.as_str() {
            if !seen.insert(name.to_string()) {
                return Err(Diagnostic::at(key.pos, format!("`{name}` is set twice in this map")));
            }
        }
    }
    if merges.is_empty() {
        return Ok(entries);
    }
    merge_in(entries, merges, seen)
}

/// Adds the keys of the `<<` maps that the map does not set itself (`seen`).
#[inline(never)]
fn merge_in(mut entries: Vec<(Node, Node)>, merges: Vec<Node>, mut seen: BTreeSet<String>) -> Result<Vec<(Node, Node)>, Diagnostic> {
    for source in merges {
        let maps = match source.value {
            Value::Map(map) => vec![map],
            Value::Seq(items) => items
                .into_iter()
                .map(|item| match item.value {
                    Value::Map(map) => Ok(map),
                    _ => Err(Diagnostic::at(item.pos, "`<<` merges maps only")),
                })
                .collect::<Result<_, _>>()?,
            _ => return Err(Diagnostic::at(source.pos, "`<<` merges a map (or a list of maps) into this one")),
        };
        for (key, value) in maps.into_iter().flatten() {
            if key.as_str().is_none_or(|name| seen.insert(name.to_string())) {
                entries.push((key, value));
            }
        }
    }
    Ok(entries)
}

fn size(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(items) => items.iter().map(size).sum(),
        Value::Map(entries) => entries.iter().map(|(k, v)| size(k) + size(v)).sum(),
        _ => 0,
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float",
        _ => "str",
    }
}

/// The YAML 1.2 core schema's reading of a plain scalar; `None` means it is a string. Most scalars
/// of a config are names and refs: the first byte says so, and the reading itself (`typed`) is
/// then never called, so V8 never compiles it (engine.rs says why that matters).
fn resolve_plain(text: &str) -> Option<Value> {
    if may_be_typed(text) {
        typed(text)
    } else {
        None
    }
}

/// Whether the core schema may read a plain scalar as something other than a string: only an
/// empty one, or one that starts like `~`, `null`, `true`, `false`, `.inf`, `.nan` or a number does.
fn may_be_typed(text: &str) -> bool {
    text.bytes().next().is_none_or(|first| matches!(first, b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'.' | b'+' | b'-' | b'0'..=b'9'))
}

/// `resolve_plain` past its first-byte check.
#[inline(never)]
fn typed(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(Value::Float(f64::INFINITY)),
        "-.inf" | "-.Inf" | "-.INF" => return Some(Value::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => return Some(Value::Float(f64::NAN)),
        _ => {}
    }
    let digits = |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    if let Some(hex) = text.strip_prefix("0x") {
        return digits(hex, 16).then(|| i64::from_str_radix(hex, 16).ok().map(Value::Int)).flatten();
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return digits(octal, 8).then(|| i64::from_str_radix(octal, 8).ok().map(Value::Int)).flatten();
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits(unsigned, 10) {
        return Some(text.parse::<i64>().map(Value::Int).unwrap_or_else(|_| Value::Float(text.parse().unwrap_or(f64::NAN))));
    }
    is_float(unsigned).then(|| text.parse::<f64>().ok().map(Value::Float)).flatten()
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction),
        Some((whole, fraction)) => digits(whole) && (fraction.is_empty() || digits(fraction)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node {
        parse(text).unwrap().unwrap()
    }

    fn map(node: &Node) -> &Vec<(Node, Node)> {
        match &node.value {
            Value::Map(entries) => entries,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn characters_are_counted_as_chars_counts_them() {
        for text in ["", "a", "é", "日本語", "🚀x", "a\u{10ffff}\u{7f}\u{80}"] {
            assert_eq!(char_count(text), text.chars().count(), "{text}");
        }
    }

    #[test]
    fn nodes_know_their_line_and_column() {
        let doc = root("staging:\n  environment: stage\n  auto_merge: true\n");
        let (key, target) = &map(&doc)[0];
        assert_eq!(key.pos, Pos { line: 1, column: 1 });
        let entries = map(target);
        assert_eq!(entries[0].0.pos, Pos { line: 2, column: 3 });
        assert_eq!(entries[0].1.pos, Pos { line: 2, column: 16 });
        assert_eq!(entries[1].1.value, Value::Bool(true));
    }

    #[test]
    fn plain_scalars_follow_the_yaml_1_2_core_schema() {
        let cases = [
            ("~", Value::Null),
            ("null", Value::Null),
            ("True", Value::Bool(true)),
            ("FALSE", Value::Bool(false)),
            ("42", Value::Int(42)),
            ("-7", Value::Int(-7)),
            ("0x1F", Value::Int(31)),
            ("0o17", Value::Int(15)),
            ("1.5", Value::Float(1.5)),
            ("1e3", Value::Float(1000.0)),
            (".inf", Value::Float(f64::INFINITY)),
        ];
        for (text, expected) in cases {
            assert_eq!(map(&root(&format!("k: {text}\n")))[0].1.value, expected, "{text}");
        }
        // YAML 1.1's yes/no/on/off are strings in 1.2, as are quoted scalars and versions.
        for text in ["yes", "off", "'true'", "\"42\"", "1.2.3", "0x", "v1"] {
            assert!(matches!(map(&root(&format!("k: {text}\n")))[0].1.value, Value::Str(_)), "{text}");
        }
    }

    #[test]
    fn only_scalars_that_may_be_typed_are_resolved() {
        // The reading past the gate (`typed`) must find a value only where the gate lets it.
        let typed_scalars = [
            "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", ".inf", ".Inf", ".INF", "+.inf", "-.Inf", ".nan", ".NaN",
            ".NAN", "0x1F", "0o17", "42", "-7", "+3", "1.5", ".5", "1e3", "-1.0e-3", "123456789012345678901234567890",
        ];
        for text in typed_scalars {
            assert!(typed(text).is_some(), "{text}");
            assert!(may_be_typed(text), "{text}");
        }
        // Every other first character makes a string.
        for first in (0..=0x7f_u8).map(char::from).filter(|c| !may_be_typed(&c.to_string())) {
            for rest in ["", "rue", "ull", "x1F", "1", ".5", "inf"] {
                assert_eq!(typed(&format!("{first}{rest}")), None, "{first}{rest}");
            }
        }
    }

    #[test]
    fn numbers_are_described_as_written_in_yaml() {
        let describe = |text: &str| map(&root(&format!("k: {text}\n")))[0].1.describe();
        assert_eq!(describe("1.5"), "the number 1.5");
        assert_eq!(describe("1e3"), "the number 1000");
        assert_eq!(describe("-7"), "the number -7");
        assert_eq!(describe(".inf"), "the number .inf");
        assert_eq!(describe("-.inf"), "the number -.inf");
        assert_eq!(describe(".nan"), "the number .nan");
    }

    #[test]
    fn an_empty_document_is_none() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# only a comment\n").unwrap(), None);
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.message.starts_with("invalid YAML:"), "{err}");
        assert!(err.pos.is_some());
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second() {
        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.to_string(), "3:1: `a` is set twice in this map");
    }

    #[test]
    fn anchors_aliases_and_merge_keys_work() {
        let doc = root("base: &base\n  task: deploy\n  environment: x\nprod:\n  <<: *base\n  environment: production\n");
        let prod = map(&map(&doc)[1].1);
        let keys: Vec<_> = prod.iter().map(|(k, v)| (k.as_str().unwrap(), v.as_str().unwrap())).collect();
        assert_eq!(keys, [("environment", "production"), ("task", "deploy")]);
    }

    #[test]
    fn alias_bombs_are_refused_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let started = std::time::Instant::now();
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("expands to more than 1000000 values"), "{err}");
        assert!(started.elapsed().as_secs() < 2);
    }

    #[test]
    fn size_and_depth_are_bounded() {
        let big = format!("a: \"{}\"\n", "x".repeat(MAX_BYTES));
        assert!(parse(&big).unwrap_err().message.contains("the limit is 1048576 (1 MiB)"));
        let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(parse(&deep).unwrap_err().message, "the config nests deeper than 64 levels");
    }

    #[test]
    fn aliases_cannot_nest_past_the_depth_bound() {
        // Each anchor nests the one before it ten levels deeper: small to write, deep to build.
        let mut text = String::from("a0: &a0 x\n");
        for i in 1..20 {
            text.push_str(&format!("a{i}: &a{i} {}*a{}{}\n", "[".repeat(10), i - 1, "]".repeat(10)));
        }
        let err = parse(&text).unwrap_err();
        assert_eq!(err.message, "the config nests deeper than 64 levels (through YAML aliases)");
        assert_eq!(err.pos.map(|p| p.line), Some(8), "refused where it first goes too deep");
    }

    #[test]
    fn tags_other_than_the_core_schema_are_refused() {
        assert!(parse("a: !custom x\n").unwrap_err().message.contains("not supported"));
        assert!(matches!(map(&root("a: !!str 42\n"))[0].1.value, Value::Str(_)));
        assert!(parse("a: !!int nope\n").unwrap_err().message.contains("not a valid !!int"));
    }

    #[test]
    fn strings_with_templates_know_where_their_text_starts() {
        let doc = root("a: pr-${{ pr }}\nb: 'x ${{ sha }}'\nc: \"\\t${{ sha }}\"\nd: plain\n");
        let at = |i: usize| match &map(&doc)[i].1.value {
            Value::Str(text) => text.verbatim_at,
            _ => unreachable!(),
        };
        assert_eq!(at(0), Some(Pos { line: 1, column: 4 }));
        assert_eq!(at(1), Some(Pos { line: 2, column: 5 }));
        assert_eq!(at(2), None, "an escape breaks the one-for-one mapping");
        assert_eq!(at(3), None, "no template, no need");
    }

    #[test]
    fn many_templates_parse_in_linear_time() {
        let text = "- ${{ sha }}\n".repeat(60_000);
        let started = std::time::Instant::now();
        assert!(parse(&text).is_ok());
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn block_style_configs_are_read_without_the_general_parser() {
        let read = [
            include_str!("../../../examples/deploy.yml"),
            "staging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\n",
            "# comment\nweb:   # why\n   required_contexts:\n   - ci\n   -   'lint / check'\n   payload:\n      a: [x, \"y\", 1]\n\n",
            "review:\n  deployments:\n    - environment: pr-${{ pr }}\n      task: deploy\n    -\n  \"quoted key\" : 'it''s'\n",
            "",
        ];
        for text in read {
            assert_eq!(readers_agree(text), Ok(true), "{text}");
        }
        // Anchors, flow maps, block scalars, escapes, CRLF, tabs, a second document, a duplicate
        // key, an error: the general parser's.
        // Duplicate keys, in a small map and in a large one.
        let many: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        assert_eq!(readers_agree(&many), Ok(true));
        let left = [&format!("{many}k7: again\n"), "a: &x 1\nb: *x\n", "a: {b: c}\n", "a: |\n  x\n", "a: \"\\t\"\n", "a: 1\r\n", "a:\t1\n", "a: 1\n---\nb: 2\n", "a: 1\na: 2\n", "a: b: c\n"];
        for text in left {
            assert_eq!(readers_agree(text), Ok(false), "{text:?}");
        }
    }

    #[test]
    fn one_document_only() {
        assert!(parse("a: 1\n---\nb: 2\n").unwrap_err().message.contains("one YAML document"));
    }
}
