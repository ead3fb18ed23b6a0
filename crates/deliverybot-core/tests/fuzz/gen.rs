//! Generators of the languages the engine reads: YAML configs and `${{ }}` templates.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// The variables with one value (`environment` is left out: it is an error in `environment`).
const VARIABLES: &[&str] = &["ref", "branch", "tag", "sha", "short_sha", "target", "owner", "repo", "actor", "event", "run_id", "pr"];

/// A variable, or a path below `pull_request` or `commit`.
fn variable() -> impl Strategy<Value = String> {
    let segment = select(vec!["head", "ref", "title", "number", "user", "login", "commit", "message", "draft", "0", "x-y"]);
    prop_oneof![
        2 => select(VARIABLES).prop_map(str::to_string),
        1 => (select(vec!["pull_request", "commit"]), vec(segment, 0..4)).prop_map(|(root, path)| [vec![root], path].concat().join(".")),
    ]
}

/// `${{ a || b || 'default' }}`: well formed, though it may have no value when rendered.
fn expression() -> impl Strategy<Value = String> {
    let default = proptest::option::of("[a-z' ]{0,8}".prop_map(|text| format!("'{}'", text.replace('\'', "''"))));
    (vec(variable(), 1..3), default, select(vec![" ", ""])).prop_map(|(variables, default, pad)| {
        let operands: Vec<String> = variables.into_iter().chain(default).collect();
        format!("${{{{{pad}{}{pad}}}}}", operands.join(" || "))
    })
}

/// An expression that does not compile: unclosed, empty, misquoted, an unknown name, ...
fn broken() -> impl Strategy<Value = String> {
    prop_oneof![
        expression().prop_map(|e| e.trim_end_matches('}').to_string()),
        expression().prop_map(|e| e.replacen(" || ", " | ", 1).replacen("${{", "${", 1)),
        select(vec!["${{}}", "${{ environment }}", "${{ 'x' || sha }}", "${{ sha.x }}", "${{ prr }}", "${{ 'it's' }}", "${{ || }}", "${{ pull_request..x }}"])
            .prop_map(str::to_string),
        "[a-zA-Z0-9_ .|'${}-]{0,10}".prop_map(|inner| format!("${{{{ {inner} }}}}")),
    ]
}

/// Text with well-formed expressions in it.
pub fn template() -> impl Strategy<Value = String> {
    let text = prop_oneof![6 => "[a-z0-9 ./:#-]{1,8}", 1 => any::<String>().prop_map(|s| s.chars().filter(|c| !c.is_control()).take(8).collect())];
    vec(prop_oneof![expression(), text], 1..4).prop_map(|parts| parts.concat())
}

/// Text with a broken expression in it.
pub fn broken_template() -> impl Strategy<Value = String> {
    (template(), broken(), template()).prop_map(|(before, broken, after)| format!("{before}{broken}{after}"))
}

/// `text` as a YAML scalar: single-quoted (always valid), double-quoted, or plain (maybe not).
pub fn quoted(text: &str, style: u8) -> String {
    match style {
        0 => format!("'{}'", text.replace('\'', "''").replace('\n', "\n\n")),
        1 => serde_json::to_string(text).expect("a string is JSON"),
        _ => text.to_string(),
    }
}

/// A YAML value, written in block style where it is a non-empty list or map.
#[derive(Clone, Debug)]
enum Node {
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
    /// The same value in flow style: `[a, {b: c}]`.
    Flow(Box<Node>),
    Anchored(u8, Box<Node>),
    Alias(u8),
}

/// Mostly the keys of a config, some misspelt, some arbitrary.
fn key() -> impl Strategy<Value = String> {
    let known = vec![
        "auto_deploy_on", "environment", "task", "description", "payload", "auto_merge", "required_contexts", "transient_environment",
        "production_environment", "deployments", "allow_forks", "allow_drafts", "<<", "settings", "dispatch", "permission", "commands",
        "params", "type", "enum", "required", "default",
    ];
    let odd = vec!["enviroment", "auto_deploy", "payloads", "Environment", ".hidden", "? x", "'q'", "\"d\"", "1", "~"];
    prop_oneof![6 => select(known).prop_map(str::to_string), 1 => select(odd).prop_map(str::to_string), 1 => "[a-z_]{1,10}"]
}

fn scalar() -> impl Strategy<Value = String> {
    let special = vec![
        "~", "null", "", "true", "false", "yes", "0", "-1", "0x1F", "0o17", "1.5", ".inf", "-.nan", "1e999", "123456789012345678901234567890",
        "''", "\"\"", "!!str 1", "!!int x", "!!bool maybe", "!binary aGk=", "!!map {}", "refs/heads/main", "refs/tags/v*", "pr", "*",
        "refs/heads/*", "deploy.yml", "admin", "maintain", "|\n  block", ">-\n  folded", "string", "number", "boolean",
    ];
    prop_oneof![
        4 => (template(), 0u8..3).prop_map(|(t, style)| quoted(&t, style)),
        3 => select(special).prop_map(str::to_string),
        1 => "[a-z0-9 _./*-]{0,12}",
    ]
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![8 => scalar().prop_map(Node::Scalar), 1 => (0u8..3).prop_map(Node::Alias)];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Node::Seq),
            vec((key(), inner.clone()), 0..6).prop_map(Node::Map),
            inner.clone().prop_map(|n| Node::Flow(Box::new(n))),
            (0u8..3, inner).prop_map(|(a, n)| Node::Anchored(a, Box::new(n))),
        ]
    })
}

/// A config: targets (and maybe `settings`, hidden anchors) with keys mostly the real ones.
pub fn config() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        4 => select(vec!["staging", "production", "review", "settings", ".defaults", "web"]).prop_map(str::to_string),
        1 => "[a-z]{1,8}",
    ];
    let target = prop_oneof![4 => vec((key(), node()), 0..8).prop_map(Node::Map), 1 => node()];
    vec((name, target), 0..5).prop_map(|targets| {
        let mut out = String::new();
        write(&Node::Map(targets), 0, &mut out);
        out.push('\n');
        out
    })
}

/// Long lines: a flow list of up to 80,000 items, a long plain or quoted scalar, many keys.
pub fn long_lines() -> impl Strategy<Value = String> {
    let item = select(vec!["x", "'é'", "\"a b\"", "ci/test"]);
    (item, 1usize..80_000, 0u8..3).prop_map(|(item, n, shape)| match shape {
        0 => format!("web:\n  required_contexts: [{}{item}]\n", format!("{item}, ").repeat(n)),
        1 => format!("web:\n  description: {}\n", item.repeat(n)),
        _ => (0..n / 10).map(|i| format!("t{i}:\n  environment: {item}\n")).collect(),
    })
}

/// Anchors that each nest the one before `levels` deeper: aliases copy whole trees, so a short
/// text can stand for a large or a deep value.
pub fn alias_chain() -> impl Strategy<Value = String> {
    let key = select(vec!["payload:\n    chain", "required_contexts", "auto_deploy_on", "unknown"]);
    (1usize..100, 1usize..64, key, any::<bool>()).prop_map(|(anchors, levels, key, maps)| {
        let (open, close) = if maps { ("{k: ", "}") } else { ("[", "]") };
        let mut out = format!("web:\n  {key}:\n    - &c0 x\n");
        for n in 1..anchors {
            out.push_str(&format!("    - &c{n} {}*c{}{}\n", open.repeat(levels), n - 1, close.repeat(levels)));
        }
        out
    })
}

/// Writes `node` after a `key:` or a `-`: a block on the lines below it, or flow style on its line.
fn write(node: &Node, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match node {
        Node::Seq(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&format!("\n{pad}-"));
                write(item, indent + 2, out);
            }
        }
        Node::Map(entries) if !entries.is_empty() => {
            for (key, value) in entries {
                out.push_str(&format!("\n{pad}{key}:"));
                write(value, indent + 2, out);
            }
        }
        Node::Anchored(anchor, inner) if matches!(**inner, Node::Seq(_) | Node::Map(_)) => {
            out.push_str(&format!(" &a{anchor}"));
            write(inner, indent, out);
        }
        other => {
            out.push(' ');
            out.push_str(&flow(other));
        }
    }
}

fn flow(node: &Node) -> String {
    match node {
        Node::Scalar(text) => text.clone(),
        Node::Seq(items) => format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", ")),
        Node::Map(entries) => format!("{{{}}}", entries.iter().map(|(k, v)| format!("{k}: {}", flow(v))).collect::<Vec<_>>().join(", ")),
        Node::Flow(inner) => flow(inner),
        Node::Anchored(anchor, inner) => format!("&a{anchor} {}", flow(inner)),
        Node::Alias(anchor) => format!("*a{anchor}"),
    }
}
