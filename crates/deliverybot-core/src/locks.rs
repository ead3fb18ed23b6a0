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

/// What makes two names the same environment: GitHub's environment names ignore case, so
/// `Île-de-France` and `ÎLE-DE-FRANCE` are one environment, with one lock. The key is the name
/// lowercased the way Rust's standard library defines for all of Unicode (`str::to_lowercase`,
/// Unicode's default lowercase mapping, with its one context rule: a final Σ becomes ς). So `ÉTÉ`
/// is `été`, `STRAẞE` is `straße` and `İSTANBUL` is `i̇stanbul` (an `i` with a combining dot above);
/// while `STRASSE` (no ß) and `istanbul` (no dot) are other names, as lowercasing does not fold
/// spellings into each other. Lock refs have always been named with this key, so the locks taken
/// before stay found and releasable.
pub fn key(environment: &str) -> String {
    environment.to_lowercase()
}

/// Whether two names are the same environment (see [`key`]): how a lock is matched to a deploy, and
/// a command's environment to the config's.
pub fn same_environment(a: &str, b: &str) -> bool {
    a == b || key(a) == key(b)
}

/// The lock's ref name below `refs/` for an environment: its [`key`], with every character but
/// letters, digits, `-` and `_` percent-encoded, so any environment name makes a valid ref (no
/// `..`, no trailing `.lock`, no spaces), and every spelling of one environment the same ref.
pub fn ref_name(environment: &str) -> String {
    let mut name = String::from(NAMESPACE);
    for c in key(environment).chars() {
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
    let tag = format!("deliverybot-lock-{}", lock.environment.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>());
    let message = serde_json::to_string(lock).expect("a lock is JSON");
    github::create_tag(repo, &tag, &message, sha, format!("record the lock of {}", lock.environment))
}

/// `POST git/refs`: takes the lock, atomically (422 when the ref exists: someone holds it).
pub fn create_ref(repo: &Repo, environment: &str, tag_sha: &str) -> Request {
    github::create_ref(repo, &format!("refs/{}", ref_name(environment)), tag_sha, format!("lock {environment}"))
}

/// `DELETE git/refs/deliverybot/locks/<environment>`.
pub fn delete(repo: &Repo, environment: &str) -> Request {
    github::delete_ref(repo, &ref_name(environment), format!("unlock {environment}"))
}

/// The lock on `environment` among the locks listed (environment → the lock's tag), if there is one:
/// a lock holds every spelling of its environment, and a ref made by hand in any case still locks.
pub fn find<'a>(locked: &'a [(String, String)], environment: &str) -> Option<&'a (String, String)> {
    locked.iter().find(|(e, _)| same_environment(e, environment))
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
    fn a_lock_is_found_whatever_the_case_of_its_environment() {
        let locked = vec![("Production".to_string(), "t1".to_string()), ("staging".to_string(), "t2".to_string())];
        assert_eq!(find(&locked, "production").map(|(_, tag)| tag.as_str()), Some("t1"));
        assert_eq!(find(&locked, "STAGING").map(|(_, tag)| tag.as_str()), Some("t2"));
        assert_eq!(find(&locked, "review"), None);
    }

    /// Spellings of one environment: as typed in `/lock`, as the config renders it, as a hand-made
    /// ref names it. Each pair is one environment; each with one ref.
    const SAME: [(&str, &str); 8] = [
        ("Île-de-France", "île-de-france"),
        ("Île-de-France", "ÎLE-DE-FRANCE"),
        ("ÉTÉ", "été"),
        ("Été", "éTÉ"),
        ("Straße", "STRAẞE"),
        ("straße", "Straße"),
        ("İstanbul", "İSTANBUL"),
        ("ΟΔΟΣ", "οδος"),
    ];

    #[test]
    fn non_ascii_names_are_one_environment_in_any_case() {
        for (a, b) in SAME {
            assert!(same_environment(a, b), "{a} and {b}");
            assert_eq!(ref_name(a), ref_name(b), "{a} and {b}");
            let locked = vec![(environment_of(&format!("refs/{}", ref_name(a))).unwrap(), "tag".to_string())];
            assert!(find(&locked, b).is_some(), "a lock taken on {a} holds {b}");
            let by_hand = vec![(a.to_string(), "tag".to_string())];
            assert!(find(&by_hand, b).is_some(), "a ref made by hand for {a} holds {b}");
        }
        assert_eq!(ref_name("Île-de-France"), "deliverybot/locks/%C3%AEle-de-france");
        assert_eq!(ref_name("İstanbul"), "deliverybot/locks/i%CC%87stanbul", "İ lowercases to i and a combining dot");
    }

    #[test]
    fn lowercasing_does_not_fold_other_spellings_together() {
        for (a, b) in [("Straße", "STRASSE"), ("İstanbul", "istanbul"), ("été", "ete"), ("Île-de-France", "Ile-de-France")] {
            assert!(!same_environment(a, b), "{a} and {b}");
            assert!(find(&[(a.to_string(), "tag".to_string())], b).is_none(), "{a} and {b}");
        }
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
