//! YAML text to a tree of values that remember where they stand in the file, so that every
//! problem in a config can be reported at its line and column — all of them, not only the first.
//!
//! saphyr-parser reads the text; its events carry positions, which a serde deserializer would drop.
//! Scalars are typed by the YAML 1.2 core schema (`true`, `3`, `~`, ...). Anchors, aliases and
//! `<<` merge keys work as in the original Deliverybot (js-yaml). The size, the nesting depth and the
//! number of values after alias expansion are bounded, so a hostile file (a "billion laughs" alias
//! bomb) is refused quickly instead of exhausting memory.

mod scalar;
mod tree;

use crate::diagnostic::{Diagnostic, Pos};

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

/// A string and, when its characters stand one for one in the file on one line (a plain scalar, a
/// quoted one without escapes), where its first character is: positions inside it are then exact.
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
    tree::build(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node {
        parse(text).unwrap().unwrap()
    }

    /// The tree as one line of text, each value with its position and each string with the
    /// position of its verbatim text (`@line:column`), to compare whole trees at once.
    fn dump(node: &Node) -> String {
        let Pos { line, column } = node.pos;
        let value = match &node.value {
            Value::Str(Text { value, verbatim_at: Some(at) }) => format!("{value:?}@{}:{}", at.line, at.column),
            Value::Str(Text { value, verbatim_at: None }) => format!("{value:?}"),
            Value::Seq(items) => format!("[{}]", items.iter().map(dump).collect::<Vec<_>>().join(", ")),
            Value::Map(entries) => format!("{{{}}}", entries.iter().map(|(k, v)| format!("{}: {}", dump(k), dump(v))).collect::<Vec<_>>().join(", ")),
            other => format!("{other:?}"),
        };
        format!("{line}:{column} {value}")
    }

    #[test]
    fn numbers_are_described_as_written_in_yaml() {
        let describe = |text: &str| match &root(&format!("k: {text}\n")).value {
            Value::Map(entries) => entries[0].1.describe(),
            other => panic!("not a map: {other:?}"),
        };
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
    fn the_size_is_bounded() {
        let big = format!("a: \"{}\"\n", "x".repeat(MAX_BYTES));
        let err = parse(&big).unwrap_err();
        assert_eq!((err.pos, err.message.contains("the limit is 1048576 (1 MiB)")), (None, true), "{err}");
    }

    // The configs below were read by a second, block-style reader before saphyr-parser became the
    // only one; that reader placed every value where saphyr-parser does, and so must saphyr alone.

    #[test]
    fn block_style_maps_and_lists_stand_where_they_are_written() {
        let text = "# comment\nweb:   # why\n   required_contexts:\n   - ci\n   -   'lint / check'\n   payload:\n      a: [x, \"y\", 1]\n\n";
        assert_eq!(
            dump(&root(text)),
            "2:1 {2:1 \"web\"@2:1: 3:4 {3:4 \"required_contexts\"@3:4: 4:6 [4:6 \"ci\"@4:6, 5:8 \"lint / check\"@5:9], \
             6:4 \"payload\"@6:4: 7:7 {7:7 \"a\"@7:7: 7:10 [7:11 \"x\"@7:11, 7:14 \"y\"@7:15, 7:19 Int(1)]}}}"
        );
    }

    #[test]
    fn empty_values_and_items_stand_where_their_line_ends() {
        let text = "review:\n  deployments:\n    - environment: pr-${{ pr }}\n      task: deploy\n    -\n  \"quoted key\" : 'it''s'\nprod:\n";
        assert_eq!(
            dump(&root(text)),
            "1:1 {1:1 \"review\"@1:1: 2:3 {2:3 \"deployments\"@2:3: 3:5 [3:7 {3:7 \"environment\"@3:7: 3:20 \"pr-${{ pr }}\"@3:20, \
             4:7 \"task\"@4:7: 4:13 \"deploy\"@4:13}, 5:6 Null], 6:3 \"quoted key\"@6:4: 6:18 \"it's\"}, 7:1 \"prod\"@7:1: 7:5 Null}"
        );
        // A list at its key's own depth starts where its first item's text does, as above.
        assert_eq!(dump(&root("a:\n- x\n-   y\n")), "1:1 {1:1 \"a\"@1:1: 2:3 [2:3 \"x\"@2:3, 3:5 \"y\"@3:5]}");
    }

    #[test]
    fn the_example_config_has_a_position_for_every_value() {
        assert_eq!(
            dump(&root(include_str!("../../../../examples/deploy.yml"))),
            "4:1 {4:1 \"staging\"@4:1: 5:3 {5:3 \"auto_deploy_on\"@5:3: 5:19 \"refs/heads/master\"@5:19, \
             6:3 \"environment\"@6:3: 6:16 \"staging\"@6:16, 7:3 \"description\"@7:3: 7:16 \"Staging rollout\"@7:16}, \
             10:1 \"production\"@10:1: 11:3 {11:3 \"auto_deploy_on\"@11:3: 11:19 \"refs/tags/v*\"@11:19, \
             12:3 \"environment\"@12:3: 12:16 \"production\"@12:16, 13:3 \"required_contexts\"@13:3: 13:22 [13:23 \"ci\"@13:23], \
             14:3 \"payload\"@14:3: 15:5 {15:5 \"notify\"@15:5: 15:13 \"#releases\"@15:14}}, \
             18:1 \"preview\"@18:1: 19:3 {19:3 \"auto_deploy_on\"@19:3: 19:19 \"refs/heads/*\"@19:19, \
             20:3 \"environment\"@20:3: 20:16 \"preview\"@20:16, 21:3 \"transient_environment\"@21:3: 21:26 Bool(true), \
             22:3 \"production_environment\"@22:3: 22:27 Bool(false)}}"
        );
    }
}
