//! The core's modules stand in layers: no module uses one that uses it back, directly or through
//! others, so each can be read knowing only what is below it (docs/architecture.md). This reads the
//! `crate::` paths of every source file and fails on the first cycle, naming it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The unit a source file belongs to: its top-level module, and for `flows/` the flow itself
/// (`flows::deliver`), since flows use each other (`/deploy` runs deliver).
fn unit(path: &str) -> String {
    let parts: Vec<&str> = path.trim_end_matches(".rs").split('/').collect();
    match parts.as_slice() {
        ["flows", "mod"] => "flows".to_string(),
        ["flows", flow, ..] => format!("flows::{flow}"),
        [top, ..] => top.to_string(),
        [] => unreachable!(),
    }
}

/// The unit a `crate::` path names.
fn named(path: &str) -> String {
    let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        ["flows", flow, ..] if flow.chars().next().is_some_and(|c| c.is_lowercase()) => format!("flows::{flow}"),
        [top, ..] => top.to_string(),
        [] => String::new(),
    }
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            out.push((relative, fs::read_to_string(&path).unwrap()));
        }
    }
}

/// Which units each unit uses, from its code (tests included: a test module is part of its file).
fn uses() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, text) in files {
        let from = unit(&path);
        let entry = graph.entry(from.clone()).or_default();
        for (at, _) in text.match_indices("crate::") {
            let rest = &text[at + "crate::".len()..];
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
            // `use crate::{a, b}` names several.
            let names: Vec<String> = if rest.starts_with('{') {
                rest[1..rest.find('}').unwrap()].split(',').map(|n| named(n.trim())).collect()
            } else {
                vec![named(&rest[..end])]
            };
            for to in names {
                if !to.is_empty() && to != from && to != "lib" {
                    entry.insert(to);
                }
            }
        }
    }
    graph
}

/// A cycle through `unit`, if any: the path that leads back to it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>, unit: &str, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
    if let Some(at) = path.iter().position(|u| u == unit) {
        let mut found = path[at..].to_vec();
        found.push(unit.to_string());
        return Some(found);
    }
    if !done.insert(unit.to_string()) {
        return None;
    }
    path.push(unit.to_string());
    for next in graph.get(unit).into_iter().flatten() {
        if let Some(found) = cycle(graph, next, path, done) {
            return Some(found);
        }
    }
    path.pop();
    None
}

#[test]
fn no_module_uses_one_that_uses_it_back() {
    let graph = uses();
    for unit in graph.keys() {
        let found = cycle(&graph, unit, &mut Vec::new(), &mut BTreeSet::new());
        assert!(found.is_none(), "an import cycle: {}", found.unwrap().join(" → "));
    }
}

#[test]
fn the_engine_alone_knows_the_flows_and_no_rule_knows_a_flow() {
    let graph = uses();
    for (unit, used) in &graph {
        if used.contains("engine") {
            panic!("{unit} uses the engine, which stands above everything");
        }
        let knows_a_flow = used.iter().any(|u| u.starts_with("flows"));
        if knows_a_flow && unit != "engine" && !unit.starts_with("flows") {
            panic!("{unit} uses a flow: {used:?}");
        }
    }
    assert!(graph["engine"].iter().any(|u| u.starts_with("flows::")), "the engine runs the flows");
}

#[test]
fn the_reader_of_imports_sees_them() {
    // The test above would pass on a graph it failed to read: check it reads one it knows.
    let graph = uses();
    assert!(graph["flows::commands"].contains("flows::deliver"), "{:?}", graph["flows::commands"]);
    assert!(graph["config"].contains("yaml"), "{:?}", graph["config"]);
    assert!(!graph["yaml"].contains("template"), "yaml knows nothing of templates");
}
