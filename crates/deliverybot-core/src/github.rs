//! The GitHub REST operations the engine uses: building their requests and reading their replies.
//! Only the fields the engine reads are typed; GitHub may add others freely.

use crate::invocation::Repo;
use crate::protocol::{Reply, Request};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// `GET /repos/{owner}/{repo}/contents/{path}?ref=`, asking for the raw file.
pub fn get_file(repo: &Repo, path: &str, branch: &str) -> Request {
    let encoded: Vec<String> = path.split('/').map(encode).collect();
    Request::get(
        format!("{}/contents/{}", repo_path(repo), encoded.join("/")),
        format!("read {path} from {branch}"),
    )
    .query("ref", branch)
    .accept("application/vnd.github.raw+json")
}

/// `GET /repos/{owner}/{repo}/deployments?sha=&environment=`: is there already a deployment of this
/// commit to this environment? One result is enough to know.
pub fn find_deployment(repo: &Repo, sha: &str, environment: &str) -> Request {
    Request::get(
        format!("{}/deployments", repo_path(repo)),
        format!("look for an existing deployment of {} to {environment}", crate::refs::short_sha(sha)),
    )
    .query("sha", sha)
    .query("environment", environment)
    .query("per_page", "1")
}

/// `GET /repos/{owner}/{repo}/commits/{sha}`: the commit, for templates that use `commit.*`.
pub fn get_commit(repo: &Repo, sha: &str) -> Request {
    Request::get(format!("{}/commits/{}", repo_path(repo), encode(sha)), format!("read commit {}", crate::refs::short_sha(sha)))
}

/// `POST /repos/{owner}/{repo}/deployments`.
pub fn create_deployment(repo: &Repo, body: serde_json::Value, purpose: String) -> Request {
    Request::post(format!("{}/deployments", repo_path(repo)), body, purpose)
}

/// The part of a deployment object the engine reads.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Deployment {
    pub id: u64,
    pub url: String,
}

fn repo_path(repo: &Repo) -> String {
    format!("/repos/{}/{}", encode(&repo.owner), encode(&repo.name))
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

/// A reply, sorted into what the engine does with it.
#[derive(Debug)]
pub enum Answer<'a> {
    /// A 2xx answer and its body.
    Success { status: u16, body: &'a str },
    /// GitHub answered with an error status; `message` is GitHub's own words.
    Refused { status: u16, message: String },
    /// No answer came back.
    Lost { error: &'a str },
}

pub fn answer(reply: &Reply) -> Answer<'_> {
    match reply {
        Reply::Response { status, body, .. } if (200..300).contains(status) => {
            Answer::Success { status: *status, body }
        }
        Reply::Response { status, body, .. } => Answer::Refused { status: *status, message: message_of(body) },
        Reply::Lost { error } => Answer::Lost { error },
    }
}

/// GitHub's error body is `{"message": ..., "errors": [...]}`; keep its words, fall back to the text.
pub fn message_of(body: &str) -> String {
    #[derive(Deserialize)]
    struct ErrorBody {
        message: String,
    }
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(parsed) => parsed.message,
        Err(_) if body.trim().is_empty() => "no details given".to_string(),
        Err(_) => body.chars().take(200).collect(),
    }
}

/// Reads a JSON body, turning an unexpected shape into an error that names the operation.
pub fn parse<T: DeserializeOwned>(body: &str, purpose: &str) -> Result<T, String> {
    serde_json::from_str(body).map_err(|err| format!("GitHub's answer to \"{purpose}\" cannot be read: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> Repo {
        Repo { owner: "octo".into(), name: "app".into() }
    }

    #[test]
    fn file_paths_keep_their_slashes_and_encode_the_rest() {
        let request = get_file(&repo(), ".github/deploy rules.yml", "main");
        assert_eq!(request.path, "/repos/octo/app/contents/.github/deploy%20rules.yml");
        assert_eq!(request.query, [("ref".to_string(), "main".to_string())]);
        assert_eq!(request.accept.as_deref(), Some("application/vnd.github.raw+json"));
    }

    #[test]
    fn github_error_messages_are_kept() {
        let reply = Reply::ok(422, r#"{"message":"No ref found for: nope","documentation_url":"x"}"#);
        match answer(&reply) {
            Answer::Refused { status, message } => assert_eq!((status, message.as_str()), (422, "No ref found for: nope")),
            other => panic!("{other:?}"),
        }
        match answer(&Reply::ok(502, "")) {
            Answer::Refused { message, .. } => assert_eq!(message, "no details given"),
            other => panic!("{other:?}"),
        }
    }
}
