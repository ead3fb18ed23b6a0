use deliverybot_core::{Config, Invocation};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for path in std::fs::read_dir(dir).into_iter().flatten().flatten().map(|entry| entry.path()) {
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn texts(mut paths: Vec<PathBuf>) -> Vec<(String, String)> {
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (stem, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

/// `(file stem, text)` of every file in `tests/fuzz-corpus/<target>/`, in name order.
pub fn read(target: &str) -> Vec<(String, String)> {
    let mut paths = Vec::new();
    files(&crate_dir().join("tests/fuzz-corpus").join(target), &mut paths);
    let corpus = texts(paths);
    assert!(!corpus.is_empty(), "no seeds in tests/fuzz-corpus/{target}");
    corpus
}

/// Every `.yml` of the repository's `examples/` and `tests/fixtures/configs/` (invalid ones too),
/// and the config corpus.
pub fn configs() -> Vec<String> {
    let root = crate_dir().join("../..");
    let mut paths = Vec::new();
    files(&root.join("examples"), &mut paths);
    files(&root.join("tests/fixtures/configs"), &mut paths);
    paths.retain(|p| p.extension().is_some_and(|e| e == "yml"));
    texts(paths).into_iter().chain(read("config")).map(|(_, text)| text).collect()
}

/// The configs that are valid: runs with them get past the config to the rules.
pub fn configs_valid() -> Vec<String> {
    configs().into_iter().filter(|text| Config::parse(text).is_ok()).collect()
}

/// A seed invocation: the JSON a host passes, the event payload as an object for readability
/// rather than as JSON text.
pub fn invocation(name: &str, text: &str) -> Invocation {
    let mut value: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("inputs/{name}: {e}"));
    if !value["event"].is_string() {
        value["event"] = Value::String(value["event"].to_string());
    }
    Invocation::from_json(&value.to_string()).unwrap_or_else(|e| panic!("inputs/{name}: {e}"))
}
