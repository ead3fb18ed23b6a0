//! The GitHub REST operations the engine uses: building their requests and reading their replies.
//! Only the fields the engine reads are typed; GitHub may add others freely.

use crate::invocation::Repo;
use crate::protocol::{Reply, Request};
use serde_json::Value;

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

/// `GET /repos/{owner}/{repo}/deployments?sha=&environment=&task=`: is there already a deployment
/// of this commit to this environment, for this task (a canary's `deploy:canary` is not production's
/// `deploy`)? One result is enough to know.
pub fn find_deployment(repo: &Repo, sha: &str, environment: &str, task: &str) -> Request {
    Request::get(
        format!("{}/deployments", repo_path(repo)),
        format!("look for an existing deployment of {} to {environment}", crate::refs::short_sha(sha)),
    )
    .query("sha", sha)
    .query("environment", environment)
    .query("task", task)
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
    let mut deployments = Vec::new();
    for item in items(&value) {
        deployments.push(Deployment::from_json(item).ok_or_else(|| missing(purpose, "id"))?);
    }
    Ok(deployments)
}

/// `/repos/{owner}/{repo}`, percent-encoded: the start of every path the engine requests.
pub fn repo_path(repo: &Repo) -> String {
    format!("/repos/{}/{}", encode(&repo.owner), encode(&repo.name))
}

/// Percent-encodes each segment of a multi-segment path parameter, keeping its slashes.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (index, segment) in path.split('/').enumerate() {
        if index > 0 {
            out.push('/');
        }
        out.push_str(&encode(segment));
    }
    out
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
        Reply::Response { status, body, headers } => {
            let mut message = message_of(body);
            // A primary rate limit the caller could not wait out: say when it lifts.
            if matches!(status, 403 | 429) && headers.get("x-ratelimit-remaining").map(String::as_str) == Some("0") {
                if let Some(reset) = headers.get("x-ratelimit-reset").and_then(|r| r.parse::<u64>().ok()) {
                    message = format!("{} (the rate limit resets at {})", message.trim_end_matches('.'), utc(reset));
                }
            }
            Answer::Refused { status: *status, message }
        }
        Reply::Lost { error } => Answer::Lost { error },
    }
}

/// Seconds since the Unix epoch as an ISO 8601 UTC time (days to a civil date, after Howard
/// Hinnant's algorithm), so that no date library is needed for one message.
fn utc(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// GitHub's error body is `{"message": ..., "errors": [...]}`; keep its words, fall back to the text.
pub fn message_of(body: &str) -> String {
    match serde_json::from_str::<Value>(body).ok().as_ref().and_then(|v| text(v, "/message")) {
        Some(message) => message.to_string(),
        None if body.trim().is_empty() => "no details given".to_string(),
        None => body.chars().take(200).collect(),
    }
}

/// GitHub's refusal in words a user can act on: what was attempted, GitHub's message, and for
/// 401/403/404 the likely fix (credentials, or the workflow `permissions:` a write needs).
pub fn refusal(purpose: &str, status: u16, message: &str, permission: Option<&str>) -> String {
    let fix = match (status, permission) {
        (401, _) => " The token was refused: check the `token` input (an expired app token, or a revoked personal token).".to_string(),
        (403 | 404, Some(permission)) if !message.to_ascii_lowercase().contains("rate limit") => {
            format!(" The token may lack the permission: give the workflow `permissions: {permission}` (or use a token that has it).")
        }
        _ => String::new(),
    };
    format!("could not {purpose}: GitHub answered {status}: {message}.{fix}").replace("..", ".")
}

/// Reads a JSON answer as a tree, naming the operation when it is not JSON. The engine picks a
/// few fields from each answer by path (`text`, `number`, `items`): one generic reader for every
/// answer keeps the WebAssembly small, where a typed reader per answer costs kilobytes each.
pub fn json(body: &str, purpose: &str) -> Result<Value, String> {
    serde_json::from_str(body).map_err(|err| format!("GitHub's answer to \"{purpose}\" cannot be read: {err}"))
}

/// The value at a JSON pointer (`/object/sha`, `/items/0`) written in this crate, so without `~`
/// escapes: walked here rather than with `Value::pointer`, whose unescaping brings a substring
/// searcher into every run's WebAssembly (engine.rs says why that matters).
pub fn at<'a>(value: &'a Value, pointer: &str) -> Option<&'a Value> {
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return None;
    }
    pointer.split('/').skip(1).try_fold(value, |value, key| match value {
        Value::Object(map) => map.get(key),
        // A list index is digits without a leading zero, as RFC 6901 (and `Value::pointer`) has it.
        Value::Array(items) if key == "0" || (!key.starts_with('0') && key.bytes().all(|b| b.is_ascii_digit())) => {
            key.parse::<usize>().ok().and_then(|index| items.get(index))
        }
        _ => None,
    })
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

    fn repo() -> Repo {
        Repo { owner: "octo".into(), name: "app".into() }
    }

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
    fn file_paths_keep_their_slashes_and_encode_the_rest() {
        let request = get_file(&repo(), ".github/deploy rules.yml", Some("main"));
        assert_eq!(request.path, "/repos/octo/app/contents/.github/deploy%20rules.yml");
        assert_eq!(request.query, [("ref".to_string(), "main".to_string())]);
        assert_eq!(request.accept.as_deref(), Some("application/vnd.github.raw+json"));
    }

    #[test]
    fn a_primary_rate_limit_says_when_it_lifts() {
        let headers = [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1795680000")].map(|(k, v)| (k.to_string(), v.to_string()));
        let reply = Reply::Response { status: 403, headers: headers.into_iter().collect(), body: r#"{"message":"API rate limit exceeded for installation."}"#.into() };
        match answer(&reply) {
            Answer::Refused { message, .. } => assert_eq!(message, "API rate limit exceeded for installation (the rate limit resets at 2026-11-26T08:00:00Z)"),
            other => panic!("{other:?}"),
        }
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn refusals_name_the_fix() {
        assert_eq!(
            refusal("create the staging deployment", 403, "Resource not accessible by integration", Some("deployments: write")),
            "could not create the staging deployment: GitHub answered 403: Resource not accessible by integration. The token may lack the permission: give the workflow `permissions: deployments: write` (or use a token that has it)."
        );
        assert!(refusal("read x", 401, "Bad credentials", None).ends_with("check the `token` input (an expired app token, or a revoked personal token)."));
        assert_eq!(refusal("create x", 422, "Validation Failed", Some("deployments: write")), "could not create x: GitHub answered 422: Validation Failed.");
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
