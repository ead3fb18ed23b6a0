//! The GitHub REST operations the engine uses: building their requests and reading their replies.
//! Only the fields the engine reads are typed; GitHub may add others freely.

use crate::invocation::Repo;
use crate::protocol::{Reply, Request};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// `GET /repos/{owner}/{repo}/contents/{path}?ref=`, asking for the raw file. Without a branch,
/// GitHub reads the default branch.
pub fn get_file(repo: &Repo, path: &str, branch: Option<&str>) -> Request {
    let request = Request::get(
        format!("{}/contents/{}", repo_path(repo), encode_path(path)),
        format!("read {path} from {}", branch.unwrap_or("the default branch")),
    );
    match branch {
        Some(branch) => request.query("ref", branch),
        None => request,
    }
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

/// `GET /repos/{owner}/{repo}/commits/{ref}`: a commit by sha, branch or tag name, for templates
/// that use `commit.*` or to resolve a dispatch's ref.
pub fn get_commit(repo: &Repo, reference: &str) -> Request {
    Request::get(format!("{}/commits/{}", repo_path(repo), encode(reference)), format!("read commit {}", crate::refs::short_sha(reference)))
}

/// `GET /repos/{owner}/{repo}/git/ref/{ref}`: where a branch or tag points now (`heads/main`).
pub fn get_ref(repo: &Repo, name: &str) -> Request {
    Request::get(format!("{}/git/ref/{}", repo_path(repo), encode_path(name)), format!("read where {name} points"))
}

/// `GET /repos/{owner}/{repo}/git/tags/{sha}`: the commit an annotated tag points to.
pub fn get_tag(repo: &Repo, sha: &str) -> Request {
    Request::get(format!("{}/git/tags/{}", repo_path(repo), encode(sha)), format!("read tag object {}", crate::refs::short_sha(sha)))
}

/// `GET /repos/{owner}/{repo}/git/matching-refs/{prefix}`: branches or tags by prefix, every
/// match in one answer (GitHub does not page it).
pub fn matching_refs(repo: &Repo, prefix: &str) -> Request {
    Request::get(format!("{}/git/matching-refs/{}", repo_path(repo), encode_path(prefix)), format!("list refs starting with {prefix}"))
}

/// `GET /repos/{owner}/{repo}/pulls/{number}`.
pub fn get_pull(repo: &Repo, number: u64) -> Request {
    Request::get(format!("{}/pulls/{number}", repo_path(repo)), format!("read pull request #{number}"))
}

/// `GET /repos/{owner}/{repo}/commits/{sha}/status`: the latest status of each context.
pub fn combined_status(repo: &Repo, sha: &str, page: u32) -> Request {
    Request::get(format!("{}/commits/{}/status", repo_path(repo), encode(sha)), format!("read the commit statuses of {}", crate::refs::short_sha(sha)))
        .query("per_page", "100")
        .query("page", page.to_string())
}

/// `GET /repos/{owner}/{repo}/commits/{sha}/check-runs`.
pub fn check_runs(repo: &Repo, sha: &str, page: u32) -> Request {
    Request::get(format!("{}/commits/{}/check-runs", repo_path(repo), encode(sha)), format!("read the check runs of {}", crate::refs::short_sha(sha)))
        .query("per_page", "100")
        .query("page", page.to_string())
}

/// `POST /repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches`.
pub fn dispatch_workflow(repo: &Repo, workflow: &str, git_ref: &str, deployment_id: u64) -> Request {
    Request::post(
        format!("{}/actions/workflows/{}/dispatches", repo_path(repo), encode(workflow)),
        serde_json::json!({ "ref": git_ref, "inputs": { "deployment_id": deployment_id.to_string() } }),
        format!("start workflow {workflow} for deployment {deployment_id}"),
    )
}

/// `GET /repos/{owner}/{repo}/deployments?environment=`: one page of an environment's deployments.
pub fn list_deployments(repo: &Repo, environment: &str, page: u32) -> Request {
    Request::get(format!("{}/deployments", repo_path(repo)), format!("list the deployments to {environment}"))
        .query("environment", environment)
        .query("per_page", "100")
        .query("page", page.to_string())
}

/// `GET /repos/{owner}/{repo}/deployments/{id}/statuses?per_page=1`: the latest status.
pub fn latest_status(repo: &Repo, id: u64) -> Request {
    Request::get(format!("{}/deployments/{id}/statuses", repo_path(repo)), format!("read the state of deployment {id}")).query("per_page", "1")
}

/// `POST /repos/{owner}/{repo}/deployments/{id}/statuses`.
pub fn create_status(repo: &Repo, id: u64, body: serde_json::Value, purpose: String) -> Request {
    let mut request = Request::post(format!("{}/deployments/{id}/statuses", repo_path(repo)), body, purpose);
    // Writing the same status twice only repeats a line in the deployment's history, while
    // leaving it unwritten can leave a deployment pending: retrying is the safer side.
    request.idempotent = true;
    request
}

/// `POST /repos/{owner}/{repo}/deployments`.
pub fn create_deployment(repo: &Repo, body: serde_json::Value, purpose: String) -> Request {
    Request::post(format!("{}/deployments", repo_path(repo)), body, purpose)
}

/// The part of a deployment object the engine reads.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Deployment {
    pub id: u64,
    #[serde(default)]
    pub url: String,
}

fn repo_path(repo: &Repo) -> String {
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

/// A reply, sorted into what the engine does with it.
#[derive(Debug)]
pub enum Answer<'a> {
    /// A 2xx answer, its body, and whether a list continues on another page.
    Success { status: u16, body: &'a str, more: bool },
    /// GitHub answered with an error status; `message` is GitHub's own words.
    Refused { status: u16, message: String },
    /// No answer came back.
    Lost { error: &'a str },
}

pub fn answer(reply: &Reply) -> Answer<'_> {
    match reply {
        Reply::Response { status, body, headers } if (200..300).contains(status) => {
            // GitHub's `link` header names the next page when there is one.
            let more = headers.get("link").is_some_and(|link| link.split(',').any(|l| l.contains("rel=\"next\"")));
            Answer::Success { status: *status, body, more }
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
        let request = get_file(&repo(), ".github/deploy rules.yml", Some("main"));
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
