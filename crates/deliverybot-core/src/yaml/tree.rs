//! saphyr-parser's events to a tree of [`Node`]s: anchors kept for their aliases, `<<` merge keys
//! applied, duplicate keys refused, and the bounds on depth and values held while the tree grows.

use super::scalar::{collection_tag, resolve_plain, tagged};
use super::{Node, Text, Value, MAX_DEPTH, MAX_VALUES};
use crate::diagnostic::{Diagnostic, Pos};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};
use std::collections::{BTreeMap, BTreeSet};

/// The one document of `text`, or `None` when it has no content.
pub(super) fn build(text: &str) -> Result<Option<Node>, Diagnostic> {
    Builder::new(text).run()
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
    offset: (usize, usize),
    stack: Vec<Frame>,
    /// Anchored values, with their size (values) and depth (levels).
    anchors: BTreeMap<usize, (Node, usize, usize)>,
    values: usize,
    root: Option<Node>,
    documents: usize,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Builder<'a> {
        Builder { text, offset: (0, 0), stack: Vec::new(), anchors: BTreeMap::new(), values: 0, root: None, documents: 0 }
    }

    fn run(mut self) -> Result<Option<Node>, Diagnostic> {
        for event in Parser::new_from_str(self.text) {
            let (event, span) = event.map_err(invalid_yaml)?;
            let pos = position(&span);
            match event {
                Event::DocumentStart(_) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(Diagnostic::at(pos, "a config is one YAML document; remove the second `---`"));
                    }
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let node = self.scalar(value.into_owned(), style, tag.as_deref(), &span)?;
                    self.count(1, pos)?;
                    if anchor > 0 {
                        self.anchors.insert(anchor, (node.clone(), 1, 0));
                    }
                    self.push(node, 0);
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
                        self.anchors.insert(anchor, (node.clone(), size(&node), deepest + 1));
                    }
                    self.push(node, deepest + 1);
                }
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
            }
        }
        Ok(self.root)
    }

    /// An alias: a copy of its anchor's value, placed where the alias stands.
    fn alias(&mut self, id: usize, pos: Pos) -> Result<(), Diagnostic> {
        // The parser refuses an alias to no anchor before it gets here; an error all the same.
        let Some(&(_, size, depth)) = self.anchors.get(&id) else {
            return Err(Diagnostic::at(pos, "this alias refers to no anchor"));
        };
        // Both bounds before the copy: a deep or huge tree is refused, never built.
        self.count(size, pos)?;
        if self.stack.len() + depth > MAX_DEPTH {
            return Err(Diagnostic::at(pos, format!("the config nests deeper than {MAX_DEPTH} levels (through YAML aliases)")));
        }
        let value = self.anchors[&id].0.value.clone();
        self.push(Node { value, pos }, depth);
        Ok(())
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

    /// A list or map starts: one level deeper, if the bound allows it.
    fn open(&self, pos: Pos, tag: Option<&Tag>, kind: &str) -> Result<(), Diagnostic> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(Diagnostic::at(pos, format!("the config nests deeper than {MAX_DEPTH} levels")));
        }
        match tag {
            Some(tag) => collection_tag(tag, pos, kind),
            None => Ok(()),
        }
    }

    /// Adds a value, `depth` levels deep, to the collection being read: an item, a key, the value
    /// of the key before it, or a map to merge in (after `<<`).
    fn push(&mut self, node: Node, depth: usize) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, deepest, .. }) => {
                *deepest = (*deepest).max(depth);
                items.push(node);
            }
            Some(Frame::Map { key, entries, merges, deepest, .. }) => {
                *deepest = (*deepest).max(depth);
                match key.take() {
                    None => *key = Some(node),
                    Some(k) if k.as_str() == Some("<<") => merges.push(node),
                    Some(k) => entries.push((k, node)),
                }
            }
        }
    }

    fn scalar(&mut self, value: String, style: ScalarStyle, tag: Option<&Tag>, span: &Span) -> Result<Node, Diagnostic> {
        let pos = position(span);
        let resolved = match tag {
            Some(tag) => tagged(&value, tag, pos)?,
            None if style == ScalarStyle::Plain => resolve_plain(&value),
            None => None,
        };
        let value = match resolved {
            Some(resolved) => resolved,
            None => {
                let verbatim_at = self.verbatim_start(&value, style, span);
                Value::Str(Text { value, verbatim_at })
            }
        };
        Ok(Node { value, pos })
    }

    /// Where the string's first character stands, if its characters are the file's one for one
    /// on one line (a template then places each expression exactly).
    fn verbatim_start(&mut self, value: &str, style: ScalarStyle, span: &Span) -> Option<Pos> {
        let quote = match style {
            ScalarStyle::Plain => 0,
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => 1,
            ScalarStyle::Literal | ScalarStyle::Folded => return None,
        };
        if value.contains('\n') {
            return None;
        }
        let start = self.byte_offset(span.start.index())? + quote;
        self.text.get(start..start + value.len()).filter(|source| *source == value)?;
        Some(Pos { line: span.start.line(), column: span.start.col() + 1 + quote })
    }

    /// Byte offset of a character index (the parser counts characters).
    fn byte_offset(&mut self, chars: usize) -> Option<usize> {
        let (mut at_char, mut at_byte) = self.offset;
        if chars < at_char {
            (at_char, at_byte) = (0, 0);
        }
        for c in self.text.get(at_byte..)?.chars().take(chars - at_char) {
            at_byte += c.len_utf8();
            at_char += 1;
        }
        if at_char != chars {
            return None;
        }
        self.offset = (at_char, at_byte);
        Some(at_byte)
    }
}

fn position(span: &Span) -> Pos {
    Pos { line: span.start.line(), column: span.start.col() + 1 }
}

fn invalid_yaml(err: ScanError) -> Diagnostic {
    let marker = err.marker();
    Diagnostic::at(Pos { line: marker.line(), column: marker.col() + 1 }, format!("invalid YAML: {}", err.info()))
}

/// A map's own entries, then the keys of its `<<: *defaults` maps (or list of them) that it does
/// not set itself. A key set twice in the map itself is an error.
fn merge(mut entries: Vec<(Node, Node)>, merges: Vec<Node>) -> Result<Vec<(Node, Node)>, Diagnostic> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (key, _) in &entries {
        if let Some(name) = key.as_str() {
            if !seen.insert(name.to_string()) {
                return Err(Diagnostic::at(key.pos, format!("`{name}` is set twice in this map")));
            }
        }
    }
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

/// How many values a tree holds, itself included.
fn size(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(items) => items.iter().map(size).sum(),
        Value::Map(entries) => entries.iter().map(|(k, v)| size(k) + size(v)).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node {
        build(text).unwrap().unwrap()
    }

    fn map(node: &Node) -> &Vec<(Node, Node)> {
        match &node.value {
            Value::Map(entries) => entries,
            other => panic!("not a map: {other:?}"),
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
    fn syntax_errors_have_a_position() {
        let err = build("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.message.starts_with("invalid YAML:"), "{err}");
        assert!(err.pos.is_some());
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second() {
        let err = build("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.to_string(), "3:1: `a` is set twice in this map");
        // In a large map too.
        let many: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        assert_eq!(build(&format!("{many}k7: again\n")).unwrap_err().to_string(), "41:1: `k7` is set twice in this map");
    }

    #[test]
    fn anchors_aliases_and_merge_keys_work() {
        let doc = root("base: &base\n  task: deploy\n  environment: x\nprod:\n  <<: *base\n  environment: production\n");
        let prod = map(&map(&doc)[1].1);
        let keys: Vec<_> = prod.iter().map(|(k, v)| (k.as_str().unwrap(), v.as_str().unwrap())).collect();
        assert_eq!(keys, [("environment", "production"), ("task", "deploy")]);
        assert_eq!(build("a: *nothing\n").unwrap_err().to_string(), "1:4: invalid YAML: while parsing node, found unknown anchor");
        assert_eq!(build("a:\n  <<: [x]\n").unwrap_err().to_string(), "2:8: `<<` merges maps only");
        assert_eq!(build("a:\n  <<: x\n").unwrap_err().to_string(), "2:7: `<<` merges a map (or a list of maps) into this one");
    }

    #[test]
    fn an_alias_stands_where_it_is_written() {
        let doc = root("a: &x [1]\nb: *x\n");
        assert_eq!(map(&doc)[1].1.pos, Pos { line: 2, column: 4 });
        assert_eq!(map(&doc)[1].1.value, map(&doc)[0].1.value);
    }

    #[test]
    fn alias_bombs_are_refused_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let started = std::time::Instant::now();
        let err = build(&text).unwrap_err();
        assert!(err.message.contains("expands to more than 1000000 values"), "{err}");
        assert!(started.elapsed().as_secs() < 2);
    }

    #[test]
    fn depth_is_bounded() {
        let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(build(&deep).unwrap_err().message, "the config nests deeper than 64 levels");
    }

    #[test]
    fn aliases_cannot_nest_past_the_depth_bound() {
        // Each anchor nests the one before it ten levels deeper: small to write, deep to build.
        let mut text = String::from("a0: &a0 x\n");
        for i in 1..20 {
            text.push_str(&format!("a{i}: &a{i} {}*a{}{}\n", "[".repeat(10), i - 1, "]".repeat(10)));
        }
        let err = build(&text).unwrap_err();
        assert_eq!(err.message, "the config nests deeper than 64 levels (through YAML aliases)");
        assert_eq!(err.pos.map(|p| p.line), Some(8), "refused where it first goes too deep");
    }

    #[test]
    fn one_document_only() {
        assert_eq!(build("a: 1\n---\nb: 2\n").unwrap_err().to_string(), "2:1: a config is one YAML document; remove the second `---`");
    }

    #[test]
    fn strings_on_one_line_know_where_their_text_starts() {
        let doc = root("a: pr-${{ pr }}\nb: 'x ${{ sha }}'\nc: \"\\t${{ sha }}\"\nd: plain\ne: |\n  block\nf: 'it''s'\ng: x\n  y\né: \"日本 ${{ sha }}\"\n");
        let at = |i: usize| match &map(&doc)[i].1.value {
            Value::Str(text) => text.verbatim_at,
            _ => unreachable!(),
        };
        assert_eq!(at(0), Some(Pos { line: 1, column: 4 }));
        assert_eq!(at(1), Some(Pos { line: 2, column: 5 }));
        assert_eq!(at(2), None, "an escape breaks the one-for-one mapping");
        assert_eq!(at(3), Some(Pos { line: 4, column: 4 }));
        assert_eq!(at(4), None, "a block scalar is on lines of its own");
        assert_eq!(at(5), None, "a doubled quote breaks the one-for-one mapping");
        assert_eq!(at(6), None, "a scalar over two lines");
        assert_eq!(at(7), Some(Pos { line: 10, column: 5 }), "columns count characters, not bytes");
    }

    #[test]
    fn many_templates_parse_in_linear_time() {
        let text = "- ${{ sha }}\n".repeat(60_000);
        let started = std::time::Instant::now();
        assert!(build(&text).is_ok());
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }
}
