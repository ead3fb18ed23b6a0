//! GitHub's REST API as the engine sees it: every request built in [`requests`], every reply
//! classified in [`answer`], and here the few fields the engine reads from answers. Only those
//! fields are typed; GitHub may add others freely.

pub mod answer;
pub mod deployment_status;
pub mod requests;

pub use answer::{answer, message_of, Answer};
pub use requests::*;

use crate::invocation::Repo;
use serde_json::Value;

/// Pages of a list read at the most (100 items each): an answer that always says there is a next
/// page must not keep a run going forever.
pub const MAX_PAGES: u32 = 50;

/// The part of a deployment object the engine reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Deployment {
    pub id: u64,
    pub url: String,
}

impl Deployment {
    fn from_json(value: &Value) -> Option<Deployment> {
        Some(Deployment { id: number(value, "/id")?, url: text(value, "/url").unwrap_or_default().to_string() })
    }
}

/// A created deployment (`POST /deployments` → 201).
pub fn deployment(body: &str, purpose: &str) -> Result<Deployment, String> {
    let value = json(body, purpose)?;
    Deployment::from_json(&value).ok_or_else(|| missing(purpose, "id"))
}

/// A list of deployments (`GET /deployments`), newest first.
pub fn deployments(body: &str, purpose: &str) -> Result<Vec<Deployment>, String> {
    let value = json(body, purpose)?;
    items(&value).iter().map(|item| Deployment::from_json(item).ok_or_else(|| missing(purpose, "id"))).collect()
}

/// A git reference from a ref listing.
#[derive(Debug, Clone, PartialEq)]
pub struct GitRef {
    pub name: String,
    pub sha: String,
    /// `commit`, or `tag` for an annotated tag.
    pub kind: String,
}

/// `git/matching-refs`: the refs listed.
pub fn git_refs(body: &str, purpose: &str) -> Result<Vec<GitRef>, String> {
    let value = json(body, purpose)?;
    let read = |item: &Value| {
        let name = text(item, "/ref").ok_or_else(|| missing(purpose, "ref"))?;
        let sha = text(item, "/object/sha").ok_or_else(|| missing(purpose, "object.sha"))?;
        Ok(GitRef { name: name.to_string(), sha: sha.to_string(), kind: text(item, "/object/type").unwrap_or("commit").to_string() })
    };
    items(&value).iter().map(read).collect()
}

/// `/repos/{owner}/{repo}`, percent-encoded: the start of every path the engine requests.
pub fn repo_path(repo: &Repo) -> String {
    format!("/repos/{}/{}", encode(&repo.owner), encode(&repo.name))
}

/// Percent-encodes each segment of a multi-segment path parameter, keeping its slashes.
pub fn encode_path(path: &str) -> String {
    path.split('/').map(encode).collect::<Vec<_>>().join("/")
}

/// Percent-encodes one path segment: everything but RFC 3986's unreserved characters.
pub fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Reads a JSON answer as a tree, naming the operation when it is not JSON. The engine picks a
/// few fields from each answer by JSON pointer (`text`, `number`, `items`).
pub fn json(body: &str, purpose: &str) -> Result<Value, String> {
    serde_json::from_str(body).map_err(|err| format!("GitHub's answer to \"{purpose}\" cannot be read: {err}"))
}

/// The value at a JSON pointer (`/object/sha`, `/items/0`).
pub fn at<'a>(value: &'a Value, pointer: &str) -> Option<&'a Value> {
    value.pointer(pointer)
}

/// The text at a JSON pointer (`/object/sha`).
pub fn text<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    at(value, pointer).and_then(Value::as_str)
}

/// The whole number at a JSON pointer.
pub fn number(value: &Value, pointer: &str) -> Option<u64> {
    at(value, pointer).and_then(Value::as_u64)
}

/// The items of a JSON array (none if it is not one).
pub fn items(value: &Value) -> &[Value] {
    value.as_array().map(Vec::as_slice).unwrap_or_default()
}

/// The items of the JSON array at a pointer (none if there is none).
pub fn items_at<'a>(value: &'a Value, pointer: &str) -> &'a [Value] {
    at(value, pointer).map(items).unwrap_or_default()
}

/// The error for an answer that lacks a field the engine needs.
pub fn missing(purpose: &str, field: &str) -> String {
    format!("GitHub's answer to \"{purpose}\" has no `{field}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_walk_objects_and_lists() {
        let value = serde_json::json!({ "head": { "sha": "abc", "labels": [{ "name": "x" }] }, "n": 3 });
        assert_eq!(text(&value, "/head/sha"), Some("abc"));
        assert_eq!(text(&value, "/head/labels/0/name"), Some("x"));
        assert_eq!(number(&value, "/n"), Some(3));
        assert_eq!(at(&value, ""), Some(&value));
        for missing in ["/head/labels/1/name", "/head/sha/x", "/nope", "/head/labels/first", "/head/labels/00/name", "/head/labels/+0/name", "head/sha"] {
            assert_eq!(at(&value, missing), None, "{missing}");
        }
    }

    #[test]
    fn paths_encode_all_but_unreserved_characters() {
        assert_eq!(encode("eu west/1"), "eu%20west%2F1");
        assert_eq!(encode_path("a b/c~d"), "a%20b/c~d");
        assert_eq!(repo_path(&Repo { owner: "oc to".into(), name: "app".into() }), "/repos/oc%20to/app");
    }

    #[test]
    fn listed_refs_and_deployments_read_what_the_engine_needs() {
        let refs = git_refs(r#"[{"ref":"refs/tags/v1","object":{"sha":"abc","type":"tag"}},{"ref":"refs/heads/main","object":{"sha":"def"}}]"#, "list refs").unwrap();
        assert_eq!((refs[0].kind.as_str(), refs[1].kind.as_str()), ("tag", "commit"));
        assert_eq!(git_refs(r#"[{"object":{"sha":"abc"}}]"#, "list refs"), Err("GitHub's answer to \"list refs\" has no `ref`".to_string()));
        assert_eq!(deployments(r#"[{"id":2,"url":"u"},{"id":1}]"#, "x").unwrap()[1], Deployment { id: 1, url: String::new() });
        assert!(deployment("{}", "create").unwrap_err().contains("has no `id`"));
    }
}
