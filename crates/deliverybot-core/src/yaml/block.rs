//! The shape nearly every config has, read without the general YAML parser: block maps and lists
//! whose scalars each stand on one line, plain or quoted without escapes, lists of such scalars
//! in flow style on one line (`[ci, lint]`), and comments.
//!
//! Why a second reader: the action runs on every push, and V8 compiles each WebAssembly function
//! the first time it is called. The general parser (saphyr) is 18 KB of code that a push would
//! compile only to read a dozen lines; this reader is a few KB (README, Performance).
//!
//! It is a fast path, never a second opinion: anything it does not know for certain — other flow
//! collections, block scalars, anchors, aliases, tags, merge keys, escapes, a scalar over several
//! lines, tabs, control characters, directives, a second document, a duplicate key, anything that
//! may be an error — makes [`read`] return `None`, and `yaml::parse` reads the whole text with the
//! general parser instead. So a config means the same whichever reader read it, and every problem
//! is reported by the general parser. The fuzzer (`tests/fuzz.rs`, `yaml_readers`) holds the two
//! to the same result, positions included, on every text it makes.

use super::{char_count, resolve_plain, verbatim_within, Node, Pos, Text, Value, MAX_DEPTH};
use std::collections::BTreeSet;

/// A line with something on it: its number, its indentation (spaces) and the text after it. A list
/// item `- x` is read by rewriting its line as the line `x`, indented to where `x` stands.
#[derive(Clone, Copy)]
struct Line<'a> {
    number: usize,
    indent: usize,
    text: &'a str,
    /// Characters before `text` on the line: `indent`, unless something that is not a space (a
    /// list item's `-`) came first; only columns need it.
    column: usize,
}

/// The document, or `Some(None)` for a text with nothing but comments; `None` when the text is not
/// entirely in the subset this reader knows.
pub(super) fn read(text: &str) -> Option<Option<Node>> {
    // Characters whose meaning the subset leaves out: tabs, CR (and CRLF), a byte order mark,
    // other control and non-printable characters, and the line separators of other encodings.
    if text.chars().any(|c| (c.is_control() && c != '\n') || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')) {
        return None;
    }
    let mut lines = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let content = raw.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = raw.len() - content.len();
        if indent == 0 && (content.starts_with("---") || content.starts_with("...") || content.starts_with('%')) {
            return None; // document markers and directives
        }
        lines.push(Line { number: index + 1, indent, text: content, column: indent });
    }
    if lines.is_empty() {
        return Some(None);
    }
    let mut reader = Reader { lines, at: 0, depth: 0, values: 0 };
    let root = reader.block()?;
    (reader.at == reader.lines.len()).then_some(Some(root))
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    /// The line being read.
    at: usize,
    depth: usize,
    values: usize,
}

impl<'a> Reader<'a> {
    fn line(&self) -> Option<Line<'a>> {
        self.lines.get(self.at).copied()
    }

    /// The map or list that starts on the current line.
    fn block(&mut self) -> Option<Node> {
        let line = self.line()?;
        if is_item(line.text) {
            self.list(line.indent, false)
        } else {
            self.map(line.indent)
        }
    }

    /// One level deeper; `None` at the general parser's bound, whose message is the general parser's.
    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth < MAX_DEPTH).then_some(())
    }

    fn map(&mut self, indent: usize) -> Option<Node> {
        self.enter()?;
        let first = self.line()?;
        let pos = Pos { line: first.number, column: first.column + 1 };
        let mut entries = Vec::new();
        while let Some(line) = self.line() {
            if line.indent < indent {
                break;
            }
            // Deeper than the keys: a scalar going on over lines, or an error. At their depth, an
            // item: an error (a list is a key's value only on the lines after the key).
            if line.indent > indent || is_item(line.text) {
                return None;
            }
            let (key, after) = key(line)?;
            self.at += 1;
            let value = self.value(line, after, indent)?;
            entries.push((key, value));
        }
        self.count(1)?;
        // A duplicate key is an error: the general parser reports it.
        if has_duplicate_key(&entries) {
            return None;
        }
        self.depth -= 1;
        Some(Node { value: Value::Map(entries), pos })
    }

    /// A list; `indentless` when it is a key's value at the key's own depth, which the general
    /// parser places where the first item's text starts (or its line ends).
    fn list(&mut self, indent: usize, indentless: bool) -> Option<Node> {
        self.enter()?;
        let first = self.line()?;
        let start = match first.text[1..].trim_start_matches(' ') {
            rest if indentless && (rest.is_empty() || rest.starts_with('#')) => first.text.len(),
            rest if indentless => first.text.len() - rest.len(),
            _ => 0,
        };
        let pos = Pos { line: first.number, column: first.column + char_count(&first.text[..start]) + 1 };
        let mut items = Vec::new();
        while let Some(line) = self.line() {
            if line.indent < indent || (line.indent == indent && !is_item(line.text)) {
                break; // the list ends; a key at its depth goes on with the map it is a value of
            }
            if line.indent > indent {
                return None;
            }
            let after = &line.text[1..];
            let rest = after.trim_start_matches(' ');
            let item = if rest.is_empty() || rest.starts_with('#') {
                self.at += 1;
                // Nothing after the `-`: the general parser places the empty item where the line ends.
                self.below(line, indent, line.text.len())?
            } else {
                // `- x`: read `x` as if it were a line of its own, indented to where it stands.
                let shift = line.text.len() - rest.len();
                let inner = Line { number: line.number, indent: line.indent + shift, text: rest, column: line.column + shift };
                if is_item(rest) || key_colon(rest).is_some() {
                    self.lines[self.at] = inner;
                    self.block()?
                } else {
                    self.at += 1;
                    self.scalar(inner, 0, indent)?
                }
            };
            items.push(item);
        }
        self.count(1)?;
        self.depth -= 1;
        Some(Node { value: Value::Seq(items), pos })
    }

    /// The value of the key on `line` whose text goes on at byte `after`; `indent` is the map's.
    fn value(&mut self, line: Line<'a>, after: usize, indent: usize) -> Option<Node> {
        let rest = line.text[after..].trim_start_matches(' ');
        if !rest.is_empty() && !rest.starts_with('#') {
            return self.scalar(line, line.text.len() - rest.len(), indent);
        }
        // A list may stand at the depth of the key it is the value of.
        match self.line() {
            Some(next) if next.indent == indent && is_item(next.text) => self.list(indent, true),
            _ => self.below(line, indent, after - 1),
        }
    }

    /// What stands on the lines below a key or an item with nothing after it on its own line: a
    /// deeper block, or nothing, which the general parser places at byte `end` of `line`.
    fn below(&mut self, line: Line<'a>, indent: usize, end: usize) -> Option<Node> {
        match self.line() {
            Some(next) if next.indent > indent => self.block(),
            _ => {
                self.count(1)?;
                let column = line.column + char_count(&line.text[..end]) + 1;
                Some(Node { value: Value::Null, pos: Pos { line: line.number, column } })
            }
        }
    }

    /// The scalar at byte `start` of `line`, the last thing on it; `indent` is the depth of the
    /// map or list it is in, which the next line may not go below.
    fn scalar(&mut self, line: Line<'a>, start: usize, indent: usize) -> Option<Node> {
        // A line deeper than the collection goes on with the scalar (or is an error).
        if self.line().is_some_and(|next| next.indent > indent) {
            return None;
        }
        let (node, end) = if line.text[start..].starts_with('[') {
            self.enter()?;
            let (list, end) = flow_list(line, start)?;
            self.depth -= 1;
            (list, end)
        } else {
            scalar_at(line, start)?
        };
        if !is_end(&line.text[end..]) {
            return None;
        }
        self.count(1 + if let Value::Seq(items) = &node.value { items.len() } else { 0 })?;
        Some(node)
    }

    /// The general parser's bound on values; without aliases a 1 MiB file stays far below it.
    fn count(&mut self, values: usize) -> Option<()> {
        self.values += values;
        (self.values <= super::MAX_VALUES).then_some(())
    }
}

/// Whether a text key is set twice. Compared pair by pair in a small map (a target's settings, the
/// few targets of most configs), where a set would be more code to compile than the comparisons.
fn has_duplicate_key(entries: &[(Node, Node)]) -> bool {
    if entries.len() > 16 {
        return has_duplicate_key_among_many(entries);
    }
    entries.iter().enumerate().any(|(index, (key, _))| key.as_str().is_some_and(|name| entries[..index].iter().any(|(other, _)| other.as_str() == Some(name))))
}

#[inline(never)]
fn has_duplicate_key_among_many(entries: &[(Node, Node)]) -> bool {
    let mut seen = BTreeSet::new();
    entries.iter().filter_map(|(key, _)| key.as_str()).any(|name| !seen.insert(name))
}

/// `-` or `- x`: a list item.
fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// Nothing left on the line but spaces and a comment.
fn is_end(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}

/// The key at the start of `line` and the byte after its `:`.
fn key(line: Line) -> Option<(Node, usize)> {
    let colon = key_colon(line.text)?;
    // A plain key ends at the colon; spaces before it are not part of it.
    let (node, _) = scalar_at(Line { text: &line.text[..colon], ..line }, 0)?;
    // `<<` merges maps: the general parser does that.
    (node.as_str() != Some("<<")).then_some((node, colon + 1))
}

/// Where the `:` that makes `text` a `key: value` line is: after a quoted key and spaces, or the
/// first `:` followed by a space or the end of the line, before any comment. `None` also for
/// what the subset leaves to the general parser (keys over 1024 bytes, `? ` keys).
fn key_colon(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let colon = match bytes.first()? {
        b'\'' | b'"' => {
            let end = quoted_len(text)?;
            end + (text[end..].len() - text[end..].trim_start_matches(' ').len())
        }
        _ => (0..bytes.len()).find(|&at| match bytes[at] {
            b':' => bytes.get(at + 1).is_none_or(|&next| next == b' '),
            b'#' => at > 0 && bytes[at - 1] == b' ',
            _ => false,
        })?,
    };
    let is_colon = bytes.get(colon) == Some(&b':') && bytes.get(colon + 1).is_none_or(|&next| next == b' ');
    // The general parser refuses implicit keys longer than 1024 characters.
    (is_colon && colon <= 1024).then_some(colon)
}

/// The length of the quoted scalar `text` starts with, quotes included; `None` when it does not
/// end on this line or has an escape.
fn quoted_len(text: &str) -> Option<usize> {
    match text.as_bytes().first()? {
        b'\'' => single_quoted(&text[1..]).map(|(_, len)| len + 2),
        _ => {
            let len = text[1..].find(['"', '\\'])?;
            (text.as_bytes()[1 + len] == b'"').then_some(len + 2)
        }
    }
}

/// The scalar at byte `start` of `line`, and the byte after it. Only scalars of one line: plain,
/// single-quoted, or double-quoted without escapes.
fn scalar_at(line: Line, start: usize) -> Option<(Node, usize)> {
    let text = &line.text[start..];
    let pos = Pos { line: line.number, column: line.column + char_count(&line.text[..start]) + 1 };
    let first = text.chars().next()?;
    let (value, end, quoted, verbatim) = match first {
        '\'' => {
            let (value, len) = single_quoted(&text[1..])?;
            // As the general parser tells: the file's text from the first character on is the
            // string's, for as long as the string is (a `''` may come only after that).
            let verbatim = text[1..].starts_with(value.as_str());
            (value, 1 + len + 1, true, verbatim)
        }
        '"' => {
            let len = quoted_len(text)?;
            (text[1..len - 1].to_string(), len, true, true)
        }
        // Indicators: flow collections, anchors, aliases, tags, block scalars, directives,
        // reserved characters, comments.
        '[' | ']' | '{' | '}' | ',' | '#' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`' => return None,
        // `-`, `?` and `:` start a plain scalar only before a character that is not a space.
        '-' | '?' | ':' if text[1..].chars().next().is_none_or(|c| c == ' ') => return None,
        _ => {
            let len = plain_len(text)?;
            (text[..len].to_string(), len, false, true)
        }
    };
    let value = if quoted {
        string(value, verbatim, pos, 1)
    } else {
        resolve_plain(&value).unwrap_or_else(|| string(value, verbatim, pos, 0))
    };
    Some((Node { value, pos }, start + end))
}

/// `[a, 'b', "c"]` at byte `start` of `line`: a list of scalars in flow style, on one line (a
/// config's `required_contexts: [ci]`), and the byte after it.
fn flow_list(line: Line, start: usize) -> Option<(Node, usize)> {
    let text = line.text;
    let pos = Pos { line: line.number, column: line.column + char_count(&text[..start]) + 1 };
    let spaces = |at: usize| at + (text[at..].len() - text[at..].trim_start_matches(' ').len());
    let mut items = Vec::new();
    let mut at = spaces(start + 1);
    // Characters before `at`, counted on as the items go: counting from the start of the line for
    // each item would make a long list quadratic.
    let (mut counted, mut column) = (start, pos.column - 1);
    if !text[at..].starts_with(']') {
        loop {
            let len = match text.as_bytes()[at..].first()? {
                b'\'' | b'"' => quoted_len(&text[at..])?,
                _ => flow_plain_len(&text[at..])?,
            };
            column += char_count(&text[counted..at]);
            counted = at;
            let (item, end) = scalar_at(Line { text: &text[at..at + len], column, ..line }, 0)?;
            items.push(item);
            at = spaces(at + end);
            match text.as_bytes().get(at)? {
                b',' => at = spaces(at + 1),
                b']' => break,
                _ => return None,
            }
        }
    }
    Some((Node { value: Value::Seq(items), pos }, at + 1))
}

/// The length of a plain scalar in a flow list, up to the `,` or `]` after it. Only names,
/// paths, numbers and words: `None` for any other character (nested collections, `:` and `#`
/// may make it something else) and for a `-` after a space (the general parser refuses one
/// before `,`, `]` and other flow indicators; the others are left to it too).
fn flow_plain_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let len = bytes.iter().position(|&b| !(b.is_ascii_alphanumeric() || b >= 0x80 || b"_./-*+=~()$^ ".contains(&b)))?;
    let safe = matches!(bytes[len], b',' | b']') && !text[..len].contains(" -");
    safe.then_some(len)
}

/// A string, and where its text starts when it stands one for one in the file (`skip`: the quote).
fn string(value: String, verbatim: bool, pos: Pos, skip: usize) -> Value {
    let verbatim_at = (verbatim && verbatim_within(&value)).then_some(Pos { line: pos.line, column: pos.column + skip });
    Value::Str(Text { value, verbatim_at })
}

/// The text of a single-quoted scalar after its opening quote (`''` is a quote), and its length
/// in the file up to the closing quote; `None` if it does not close on this line.
fn single_quoted(text: &str) -> Option<(String, usize)> {
    let mut value = String::new();
    let mut rest = text;
    loop {
        let quote = rest.find('\'')?;
        value.push_str(&rest[..quote]);
        if rest[quote + 1..].starts_with('\'') {
            value.push('\'');
            rest = &rest[quote + 2..];
        } else {
            return Some((value, text.len() - rest.len() + quote));
        }
    }
}

/// The length of the plain scalar `text` starts with: up to a comment or the end of the line,
/// without trailing spaces. `None` when a `: ` in it makes it something else (a map in a value,
/// an error).
fn plain_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    for at in 0..bytes.len() {
        match bytes[at] {
            b':' if bytes.get(at + 1).is_none_or(|&next| next == b' ') => return None,
            b'#' if at > 0 && bytes[at - 1] == b' ' => {
                end = at;
                break;
            }
            _ => {}
        }
    }
    Some(text[..end].trim_end_matches(' ').len())
}
