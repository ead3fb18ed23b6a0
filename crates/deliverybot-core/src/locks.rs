//! Environment locks, kept in the repository itself: a lock is the ref
//! `refs/deliverybot/locks/<environment>` pointing to an annotated tag whose message is the lock as
//! JSON (who, why, from which pull request); the tag's tagger date says since when.
//!
//! Creating a ref that exists fails, so of two concurrent `/lock`s exactly one wins; anyone can see
//! the locks with `git ls-remote origin 'refs/deliverybot/locks/*'`.

use crate::github;
use crate::invocation::Repo;
use crate::protocol::Request;
use serde::Serialize;
use serde_json::Value;

/// Where locks live, below `refs/`.
pub const NAMESPACE: &str = "deliverybot/locks/";

/// The lock's ref name below `refs/` for an environment, in lower case. Every character but letters, digits,
/// `-` and `_` is percent-encoded, so any environment name makes a valid ref (no `..`, no
/// trailing `.lock`, no spaces).
pub fn ref_name(environment: &str) -> String {
    let mut name = String::from(NAMESPACE);
    // GitHub's environment names ignore case: one lock per environment, whatever the case typed.
    for c in environment.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            name.push(c);
        } else {
            let mut buffer = [0; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                name.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    name
}

/// The environment a lock ref (`refs/deliverybot/locks/...`) is for.
pub fn environment_of(full_ref: &str) -> Option<String> {
    let encoded = full_ref.strip_prefix("refs/")?.strip_prefix(NAMESPACE)?;
    let mut bytes = Vec::new();
    let mut rest = encoded.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' && tail.len() >= 2 {
            bytes.push(u8::from_str_radix(std::str::from_utf8(&tail[..2]).ok()?, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(first);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

/// What a lock records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lock {
    pub environment: String,
    pub by: String,
    pub reason: String,
    pub pr: Option<u64>,
    /// The tag's date (set by GitHub when the lock was taken); not part of the message.
    #[serde(skip)]
    pub since: String,
}

impl Lock {
    /// Reads a tag object (`GET git/tags/{sha}`) as a lock; a tag whose message is not a lock
    /// still locks (someone made the ref by hand), with what can be told.
    pub fn from_tag(body: &str, environment: &str) -> Lock {
        let tag: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let since = github::text(&tag, "/tagger/date").unwrap_or_default().to_string();
        let record: Value = github::text(&tag, "/message").and_then(|m| serde_json::from_str(m).ok()).unwrap_or(Value::Null);
        match github::text(&record, "/by") {
            Some(by) => Lock {
                environment: github::text(&record, "/environment").unwrap_or(environment).to_string(),
                by: by.to_string(),
                reason: github::text(&record, "/reason").unwrap_or_default().to_string(),
                pr: github::number(&record, "/pr"),
                since,
            },
            None => Lock {
                environment: environment.to_string(),
                by: github::text(&tag, "/tagger/name").filter(|n| !n.is_empty()).unwrap_or("someone").to_string(),
                reason: String::new(),
                pr: None,
                since,
            },
        }
    }

    /// "locked by @octocat since 2026-11-26T10:00:00Z: incident 42".
    pub fn describe(&self) -> String {
        let mut text = format!("locked by @{}", self.by);
        if !self.since.is_empty() {
            text.push_str(&format!(" since {}", self.since));
        }
        if let Some(pr) = self.pr {
            text.push_str(&format!(" (from #{pr})"));
        }
        if !self.reason.is_empty() {
            text.push_str(&format!(": {}", self.reason));
        }
        text
    }
}

/// `GET git/matching-refs/deliverybot/locks/`: every lock at once.
pub fn list(repo: &Repo) -> Request {
    github::matching_refs(repo, NAMESPACE)
}

/// `POST git/tags`: the lock's record, pointing at `sha` (the commit the lock was taken on).
pub fn create_tag(repo: &Repo, lock: &Lock, sha: &str) -> Request {
    let body = serde_json::json!({
        "tag": format!("deliverybot-lock-{}", lock.environment.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>()),
        "message": serde_json::to_string(lock).expect("a lock is JSON"),
        "object": sha,
        "type": "commit",
    });
    Request::post(format!("{}/git/tags", github::repo_path(repo)), body, format!("record the lock of {}", lock.environment))
}

/// `POST git/refs`: takes the lock, atomically (422 when the ref exists: someone holds it).
pub fn create_ref(repo: &Repo, environment: &str, tag_sha: &str) -> Request {
    let body = serde_json::json!({ "ref": format!("refs/{}", ref_name(environment)), "sha": tag_sha });
    Request::post(format!("{}/git/refs", github::repo_path(repo)), body, format!("lock {environment}"))
}

/// `DELETE git/refs/deliverybot/locks/<environment>`.
pub fn delete(repo: &Repo, environment: &str) -> Request {
    Request::delete(
        format!("{}/git/refs/{}", github::repo_path(repo), github::encode_path(&ref_name(environment))),
        format!("unlock {environment}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_environment_name_makes_a_valid_ref_and_comes_back() {
        for name in ["production", "pr-12", "eu west/1", "x.lock", "ünïcode", "a..b"] {
            let reference = ref_name(name);
            assert!(!reference.contains("..") && !reference.ends_with(".lock") && !reference.contains(' '), "{reference}");
            assert_eq!(environment_of(&format!("refs/{reference}")).as_deref(), Some(name));
        }
        assert_eq!(ref_name("eu west"), "deliverybot/locks/eu%20west");
        assert_eq!(ref_name("Production"), ref_name("production"));
        assert_eq!(environment_of("refs/heads/main"), None);
    }

    #[test]
    fn a_lock_reads_back_from_its_tag() {
        let tag = r#"{"message":"{\"environment\":\"production\",\"by\":\"octocat\",\"reason\":\"incident 42\",\"pr\":7}","tagger":{"name":"github-actions[bot]","date":"2026-11-26T10:00:00Z"}}"#;
        let lock = Lock::from_tag(tag, "production");
        assert_eq!(lock.describe(), "locked by @octocat since 2026-11-26T10:00:00Z (from #7): incident 42");
        let by_hand = Lock::from_tag(r#"{"message":"freeze","tagger":{"name":"Mona","date":"2026-01-01T00:00:00Z"}}"#, "production");
        assert_eq!(by_hand.describe(), "locked by @Mona since 2026-01-01T00:00:00Z");
    }
}
