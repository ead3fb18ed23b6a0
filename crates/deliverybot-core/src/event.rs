//! The webhook payloads the engine understands, typed down to the fields it reads. Everything else
//! in a payload (a push's commit list can run to megabytes) is skipped by the parser without being
//! kept in memory.

use crate::github;
use crate::json::Object;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Push(Push),
    PullRequest(PullRequestEvent),
    /// `status`, `check_run`, `check_suite`, `workflow_run`: a check on a commit changed.
    Check(CheckEvent),
    /// `workflow_dispatch`, `repository_dispatch`: deploy a named target at a ref.
    Dispatch(Dispatch),
    Schedule,
    /// `issue_comment`: maybe a command on a pull request (`/deploy staging`).
    Comment(CommentEvent),
    Deployment(DeploymentEvent),
    /// An event Deliverybot does not act on; the run says so and succeeds.
    Other { name: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Push {
    /// The full ref, `refs/heads/main` or `refs/tags/v1.0.0`.
    pub git_ref: String,
    /// The commit the ref points to after the push.
    pub after: String,
    /// A push that deleted the ref (`after` is all zeros then).
    pub deleted: bool,
    pub repository: Repository,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Repository {
    pub full_name: String,
    pub default_branch: String,
    /// 0 when the payload does not say.
    pub id: u64,
}

impl Repository {
    /// The `repository` object of a push's payload.
    fn from_object(mut repository: Object) -> Result<Repository, String> {
        Ok(Repository {
            full_name: repository.text("full_name")?,
            default_branch: repository.text("default_branch")?,
            id: repository.optional_number("id")?.unwrap_or_default(),
        })
    }

    /// The `repository` object of the payload of an event read as a tree.
    fn read(repository: Option<&Value>, event: &str) -> Result<Repository, String> {
        let bad = |field: &str| format!("the `{event}` event payload cannot be read: it has no `repository.{field}`");
        let text = |field: &str| repository.and_then(|r| r.get(field)).and_then(Value::as_str).map(str::to_string);
        Ok(Repository {
            full_name: text("full_name").ok_or_else(|| bad("full_name"))?,
            default_branch: text("default_branch").ok_or_else(|| bad("default_branch"))?,
            id: repository.and_then(|r| r.get("id")).and_then(Value::as_u64).unwrap_or_default(),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PullRequestEvent {
    pub action: String,
    pub number: u64,
    /// Kept whole: templates may read any of its fields (`pull_request.title`, ...).
    pub pull_request: Value,
    pub repository: Repository,
}

/// A pull request, as far as the rules need it.
#[derive(Debug, Clone, PartialEq)]
pub struct PullRequest {
    pub number: u64,
    pub head_ref: String,
    pub head_sha: String,
    pub draft: bool,
    /// The head lives in another repository: its code is not trusted to deploy automatically.
    pub fork: bool,
    pub merged: bool,
    /// Still open (a check can finish after the pull request was closed or merged).
    pub open: bool,
    /// The whole object, for templates.
    pub object: Value,
}

impl PullRequest {
    /// Reads the fields the rules need from a pull request object (from an event or the API).
    pub fn from_object(object: Value, base_repo_id: u64) -> Result<PullRequest, String> {
        let text = |path: &str| github::text(&object, path).map(str::to_string);
        let number = object.get("number").and_then(Value::as_u64).ok_or("the pull request has no number")?;
        let head_ref = text("/head/ref").ok_or("the pull request has no head.ref")?;
        let head_sha = text("/head/sha").ok_or("the pull request has no head.sha")?;
        // A deleted fork has no head repository: certainly not this one.
        let head_repo = github::number(&object, "/head/repo/id");
        let base_repo = github::number(&object, "/base/repo/id").unwrap_or(base_repo_id);
        Ok(PullRequest {
            number,
            head_ref,
            head_sha,
            draft: object.get("draft").and_then(Value::as_bool).unwrap_or(false),
            fork: head_repo != Some(base_repo),
            merged: object.get("merged").and_then(Value::as_bool).unwrap_or(false),
            open: object.get("state").and_then(Value::as_str).is_none_or(|state| state == "open"),
            object,
        })
    }

    /// The ref the deployment comes from: the head branch, or GitHub's ref for a fork's head.
    pub fn git_ref(&self) -> String {
        if self.fork {
            format!("refs/pull/{}/head", self.number)
        } else {
            format!("refs/heads/{}", self.head_ref)
        }
    }
}

/// A check on a commit changed; which refs the commit may be the tip of.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckEvent {
    pub sha: String,
    /// Branch (or, for tag-triggered workflow runs, tag) names the commit may be the tip of.
    pub names: Vec<String>,
    /// Pull requests whose head the commit is, by number.
    pub pull_requests: Vec<u64>,
    pub repository: Repository,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dispatch {
    pub target: Option<String>,
    pub git_ref: Option<String>,
    pub repository: Repository,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommentEvent {
    pub action: String,
    pub issue: Issue,
    pub comment: Comment,
    pub repository: Repository,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub number: u64,
    /// Present when the issue is a pull request.
    pub pull_request: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub id: u64,
    pub body: String,
    pub user: User,
    pub html_url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub login: String,
}

/// `deployment`: GitHub asks a deploy workflow to ship a deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentEvent {
    pub deployment: EventDeployment,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventDeployment {
    pub id: u64,
    pub environment: String,
    pub sha: String,
}

impl Event {
    pub fn parse(name: &str, payload: &str) -> Result<Event, String> {
        if name == "push" {
            Event::parse_push(payload)
        } else {
            Event::parse_tree(name, payload)
        }
    }

    // Each reader is kept out of line: V8 compiles a WebAssembly function whole on its first call,
    // so a push should not pay for compiling the readers of every other event (see engine.rs).
    #[inline(never)]
    fn parse_push(payload: &str) -> Result<Event, String> {
        // Only these fields are kept: a push's commit list (megabytes) is skipped.
        let mut push = Object::parse(payload, &["ref", "after", "deleted", "repository"]).map_err(|err| unreadable("push", payload, err))?;
        let read = |push: &mut Object| -> Result<Push, String> {
            Ok(Push {
                git_ref: push.text("ref")?,
                after: push.text("after")?,
                deleted: push.flag("deleted")?,
                repository: Repository::from_object(push.nested("repository", &["full_name", "default_branch", "id"])?)?,
            })
        };
        read(&mut push).map(Event::Push).map_err(|err| format!("the `push` event payload cannot be read: {err}"))
    }

    #[inline(never)]
    fn parse_tree(name: &str, payload: &str) -> Result<Event, String> {
        let read = |err: serde_json::Error| unreadable(name, payload, err);
        if !matches!(
            name,
            "pull_request" | "pull_request_target" | "status" | "check_run" | "check_suite" | "workflow_run" | "workflow_dispatch"
                | "repository_dispatch" | "schedule" | "issue_comment" | "deployment"
        ) {
            return Ok(Event::Other { name: name.to_string() });
        }
        // The other payloads are small: read as a tree, their few fields picked by path (one
        // reader for all keeps the WebAssembly small).
        let value: Value = crate::json::parse(payload).map_err(read)?;
        let bad = |field: &str| format!("the `{name}` event payload cannot be read: it has no `{field}`");
        let text = |pointer: &str| github::text(&value, pointer);
        let number = |pointer: &str| github::number(&value, pointer);
        let repository = || Repository::read(value.get("repository"), name);
        Ok(match name {
            "pull_request" | "pull_request_target" => Event::PullRequest(PullRequestEvent {
                action: text("/action").ok_or_else(|| bad("action"))?.to_string(),
                number: number("/number").ok_or_else(|| bad("number"))?,
                pull_request: value.get("pull_request").cloned().ok_or_else(|| bad("pull_request"))?,
                repository: repository()?,
            }),
            "status" => {
                let sha = text("/sha").ok_or_else(|| bad("sha"))?.to_string();
                // The branches whose tip the commit was when the event was sent.
                let names = github::items_at(&value, "/branches")
                    .iter()
                    .filter(|b| github::text(b, "/commit/sha") == Some(sha.as_str()))
                    .filter_map(|b| b.get("name").and_then(Value::as_str).map(str::to_string))
                    .collect();
                Event::Check(CheckEvent { sha, names, pull_requests: Vec::new(), repository: repository()? })
            }
            "check_run" | "check_suite" | "workflow_run" => {
                // Only a completed check can turn a target green.
                let action = text("/action").unwrap_or_default();
                if action != "completed" {
                    return Ok(Event::Other { name: format!("{name} ({action})") });
                }
                let object = value.get(name).ok_or_else(|| bad(name))?;
                let field = |pointer: &str| github::text(object, pointer).map(str::to_string);
                let branch = field("/head_branch").or_else(|| field("/check_suite/head_branch"));
                Event::Check(CheckEvent {
                    sha: field("/head_sha").ok_or_else(|| bad(&format!("{name}.head_sha")))?,
                    names: branch.into_iter().collect(),
                    pull_requests: github::items_at(object, "/pull_requests").iter().filter_map(|pr| github::number(pr, "/number")).collect(),
                    repository: repository()?,
                })
            }
            "workflow_dispatch" | "repository_dispatch" => {
                let fields = if name == "workflow_dispatch" { "inputs" } else { "client_payload" };
                let field = |key: &str| text(&format!("/{fields}/{key}")).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
                Event::Dispatch(Dispatch {
                    target: field("target"),
                    // A workflow_dispatch defaults to the ref it ran on.
                    git_ref: field("ref").or_else(|| if name == "workflow_dispatch" { text("/ref").map(str::to_string) } else { None }),
                    repository: repository()?,
                })
            }
            "schedule" => Event::Schedule,
            "issue_comment" => Event::Comment(CommentEvent {
                action: text("/action").ok_or_else(|| bad("action"))?.to_string(),
                issue: Issue { number: number("/issue/number").ok_or_else(|| bad("issue.number"))?, pull_request: github::at(&value, "/issue/pull_request").filter(|v| !v.is_null()).cloned() },
                comment: Comment {
                    id: number("/comment/id").ok_or_else(|| bad("comment.id"))?,
                    body: text("/comment/body").unwrap_or_default().to_string(),
                    user: User { login: text("/comment/user/login").ok_or_else(|| bad("comment.user.login"))?.to_string() },
                    html_url: text("/comment/html_url").unwrap_or_default().to_string(),
                },
                repository: repository()?,
            }),
            _ => Event::Deployment(DeploymentEvent {
                deployment: EventDeployment {
                    id: number("/deployment/id").ok_or_else(|| bad("deployment.id"))?,
                    environment: text("/deployment/environment").ok_or_else(|| bad("deployment.environment"))?.to_string(),
                    sha: text("/deployment/sha").unwrap_or_default().to_string(),
                },
            }),
        })
    }
}

/// Why a payload could not be read; an empty one (a host that passed no event) says so plainly.
fn unreadable(name: &str, payload: &str, err: serde_json::Error) -> String {
    if payload.trim().is_empty() {
        format!("the `{name}` event payload is empty")
    } else {
        format!("the `{name}` event payload cannot be read: {err}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const REPO: &str = r#""repository":{"full_name":"o/r","default_branch":"main","id":7}"#;

    #[test]
    fn a_push_reads_only_what_it_needs() {
        let payload = format!(r#"{{"ref":"refs/heads/main","after":"abc","deleted":false,"commits":[{{"id":"abc","message":"x"}}],{REPO}}}"#);
        let Event::Push(push) = Event::parse("push", &payload).unwrap() else { panic!() };
        assert_eq!(push.git_ref, "refs/heads/main");
        assert_eq!(push.repository.default_branch, "main");
        assert!(!push.deleted);
    }

    #[test]
    fn an_empty_payload_says_so() {
        assert_eq!(Event::parse("push", "").unwrap_err(), "the `push` event payload is empty");
        assert_eq!(Event::parse("status", " \n").unwrap_err(), "the `status` event payload is empty");
        // Events without a flow never read theirs.
        assert_eq!(Event::parse("gollum", "").unwrap(), Event::Other { name: "gollum".into() });
    }

    #[test]
    fn a_malformed_payload_says_which_event_and_where() {
        let err = Event::parse("push", r#"{"ref": "refs/heads/main", "after": "abc"]"#).unwrap_err();
        assert_eq!(err, "the `push` event payload cannot be read: expected `,` or `}` at line 1 column 42");
        let err = Event::parse("push", r#"{"ref": 1}"#).unwrap_err();
        assert_eq!(err, "the `push` event payload cannot be read: `ref` is the number 1, not text");
        let err = Event::parse("push", r#"{"ref": "refs/heads/main", "after": "abc", "repository": {"full_name": "o/r"}}"#).unwrap_err();
        assert_eq!(err, "the `push` event payload cannot be read: it has no `repository.default_branch`");
    }

    #[test]
    fn a_status_names_the_branches_the_commit_is_the_tip_of() {
        let payload = format!(
            r#"{{"sha":"aaa","state":"success","branches":[{{"name":"main","commit":{{"sha":"aaa"}}}},{{"name":"old","commit":{{"sha":"bbb"}}}}],{REPO}}}"#
        );
        let Event::Check(check) = Event::parse("status", &payload).unwrap() else { panic!() };
        assert_eq!((check.sha.as_str(), check.names.as_slice()), ("aaa", ["main".to_string()].as_slice()));
    }

    #[test]
    fn completed_checks_name_their_branch_and_pull_requests() {
        let payload = format!(
            r#"{{"action":"completed","check_run":{{"head_sha":"aaa","check_suite":{{"head_sha":"aaa","head_branch":"feature"}},"pull_requests":[{{"number":4}}]}},{REPO}}}"#
        );
        let Event::Check(check) = Event::parse("check_run", &payload).unwrap() else { panic!() };
        assert_eq!(check.names, ["feature"]);
        assert_eq!(check.pull_requests, [4]);
        let requested = payload.replace("completed", "created");
        assert!(matches!(Event::parse("check_run", &requested).unwrap(), Event::Other { .. }));
    }

    #[test]
    fn dispatches_carry_a_target_and_a_ref() {
        let payload = format!(r#"{{"inputs":{{"target":"production","ref":"v1.2.0"}},"ref":"refs/heads/main",{REPO}}}"#);
        let Event::Dispatch(d) = Event::parse("workflow_dispatch", &payload).unwrap() else { panic!() };
        assert_eq!((d.target.as_deref(), d.git_ref.as_deref()), (Some("production"), Some("v1.2.0")));
        let payload = format!(r#"{{"inputs":{{"target":"production"}},"ref":"refs/heads/main",{REPO}}}"#);
        let Event::Dispatch(d) = Event::parse("workflow_dispatch", &payload).unwrap() else { panic!() };
        assert_eq!(d.git_ref.as_deref(), Some("refs/heads/main"), "defaults to the ref the workflow ran on");
        let payload = format!(r#"{{"action":"deploy","client_payload":{{"target":"web","ref":"abc"}},{REPO}}}"#);
        let Event::Dispatch(d) = Event::parse("repository_dispatch", &payload).unwrap() else { panic!() };
        assert_eq!((d.target.as_deref(), d.git_ref.as_deref()), (Some("web"), Some("abc")));
    }

    #[test]
    fn pull_requests_know_forks_and_drafts() {
        let object = json!({ "number": 3, "draft": true, "head": { "ref": "x", "sha": "s", "repo": { "id": 9 } }, "base": { "repo": { "id": 7 } } });
        let pr = PullRequest::from_object(object, 7).unwrap();
        assert!(pr.fork && pr.draft);
        assert_eq!(pr.git_ref(), "refs/pull/3/head");
        let own = json!({ "number": 3, "head": { "ref": "x", "sha": "s", "repo": { "id": 7 } }, "base": { "repo": { "id": 7 } } });
        let pr = PullRequest::from_object(own, 7).unwrap();
        assert!(!pr.fork && !pr.draft);
        assert_eq!(pr.git_ref(), "refs/heads/x");
        let deleted_fork = json!({ "number": 3, "head": { "ref": "x", "sha": "s", "repo": null }, "base": { "repo": { "id": 7 } } });
        assert!(PullRequest::from_object(deleted_fork, 7).unwrap().fork);
    }

    #[test]
    fn other_events_are_not_parsed() {
        assert_eq!(Event::parse("gollum", "not json").unwrap(), Event::Other { name: "gollum".into() });
    }
}
