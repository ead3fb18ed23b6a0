//! The webhook payloads the engine understands, typed down to the fields it reads. Everything else
//! in a payload (a push's commit list can run to megabytes) is skipped by the parser without being
//! kept in memory.

use crate::github;
use crate::json::null_as_default;
use serde::Deserialize;
use serde_json::Value;

mod dispatch;

pub use dispatch::Dispatch;
use dispatch::DispatchPayload;

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
    /// `deployment_status`: a deployment moved on; its end can let a promotion or a waiting
    /// deployment go (`after`, `serialize`).
    DeploymentStatus(DeploymentStatusEvent),
    /// An event Deliverybot does not act on; the run says so and succeeds.
    Other { name: String },
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Push {
    /// The full ref, `refs/heads/main` or `refs/tags/v1.0.0`.
    #[serde(rename = "ref")]
    pub git_ref: String,
    /// The commit the ref points to after the push.
    pub after: String,
    /// A push that deleted the ref (`after` is all zeros then).
    #[serde(default, deserialize_with = "null_as_default")]
    pub deleted: bool,
    pub repository: Repository,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Repository {
    pub full_name: String,
    pub default_branch: String,
    /// 0 when the payload does not say.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: u64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CommentEvent {
    pub action: String,
    pub issue: Issue,
    pub comment: Comment,
    pub repository: Repository,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Issue {
    pub number: u64,
    /// Present when the issue is a pull request.
    #[serde(default)]
    pub pull_request: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Comment {
    pub id: u64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub body: String,
    pub user: User,
    #[serde(default, deserialize_with = "null_as_default")]
    pub html_url: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct User {
    pub login: String,
}

/// `deployment`: GitHub asks a deploy workflow to ship a deployment.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DeploymentEvent {
    pub deployment: EventDeployment,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EventDeployment {
    pub id: u64,
    pub environment: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub sha: String,
    /// What the deployment was made from: a branch or tag name, or a commit.
    #[serde(default, rename = "ref", deserialize_with = "null_as_default")]
    pub git_ref: String,
    /// Deliverybot's deployments say the full ref they came from here (`deliverybot.ref`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub payload: Value,
}

/// `deployment_status`: the deployment, and the state it is in now.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DeploymentStatusEvent {
    pub deployment_status: EventStatus,
    pub deployment: EventDeployment,
    pub repository: Repository,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EventStatus {
    pub state: String,
}

impl Event {
    pub fn parse(name: &str, payload: &str) -> Result<Event, String> {
        let read = |err: String| unreadable(name, payload, err);
        Ok(match name {
            "push" => Event::Push(crate::json::from_str(payload).map_err(read)?),
            "pull_request" | "pull_request_target" => Event::PullRequest(crate::json::from_str(payload).map_err(read)?),
            "status" => crate::json::from_str::<StatusPayload>(payload).map_err(read)?.into_event(),
            "check_run" | "check_suite" | "workflow_run" => crate::json::from_str::<CheckPayload>(payload).map_err(read)?.into_event(name).map_err(read)?,
            "workflow_dispatch" | "repository_dispatch" => crate::json::from_str::<DispatchPayload>(payload).map_err(read)?.into_event(name)?,
            "schedule" => {
                crate::json::from_str::<serde::de::IgnoredAny>(payload).map_err(read)?;
                Event::Schedule
            }
            "issue_comment" => Event::Comment(crate::json::from_str(payload).map_err(read)?),
            "deployment" => Event::Deployment(crate::json::from_str(payload).map_err(read)?),
            "deployment_status" => Event::DeploymentStatus(crate::json::from_str(payload).map_err(read)?),
            _ => Event::Other { name: name.to_string() },
        })
    }
}

/// A `status` payload: the commit, and the branches whose tip it was when the event was sent.
#[derive(Deserialize)]
struct StatusPayload {
    sha: String,
    #[serde(default, deserialize_with = "null_as_default")]
    branches: Vec<Branch>,
    repository: Repository,
}

#[derive(Deserialize)]
struct Branch {
    name: String,
    commit: Sha,
}

#[derive(Deserialize)]
struct Sha {
    sha: String,
}

impl StatusPayload {
    fn into_event(self) -> Event {
        let names = self.branches.into_iter().filter(|b| b.commit.sha == self.sha).map(|b| b.name).collect();
        Event::Check(CheckEvent { sha: self.sha, names, pull_requests: Vec::new(), repository: self.repository })
    }
}

/// A `check_run`, `check_suite` or `workflow_run` payload: the check sits in the field named after
/// the event.
#[derive(Deserialize)]
struct CheckPayload {
    #[serde(default, deserialize_with = "null_as_default")]
    action: String,
    check_run: Option<Check>,
    check_suite: Option<Check>,
    workflow_run: Option<Check>,
    /// Needed only of a completed check: the others are not read further.
    repository: Option<Repository>,
}

#[derive(Deserialize)]
struct Check {
    head_sha: String,
    head_branch: Option<String>,
    /// A check run's suite, which names the branch when the run does not.
    check_suite: Option<Suite>,
    #[serde(default, deserialize_with = "null_as_default")]
    pull_requests: Vec<Number>,
}

#[derive(Deserialize)]
struct Suite {
    head_branch: Option<String>,
}

#[derive(Deserialize)]
struct Number {
    number: u64,
}

impl CheckPayload {
    fn into_event(self, name: &str) -> Result<Event, String> {
        // Only a completed check can turn a target green.
        if self.action != "completed" {
            return Ok(Event::Other { name: format!("{name} ({})", self.action) });
        }
        let check = match name {
            "check_run" => self.check_run,
            "check_suite" => self.check_suite,
            _ => self.workflow_run,
        };
        let check = check.ok_or_else(|| format!("missing field `{name}`"))?;
        let repository = self.repository.ok_or("missing field `repository`")?;
        let branch = check.head_branch.or_else(|| check.check_suite.and_then(|suite| suite.head_branch));
        Ok(Event::Check(CheckEvent {
            sha: check.head_sha,
            names: branch.into_iter().collect(),
            pull_requests: check.pull_requests.into_iter().map(|pr| pr.number).collect(),
            repository,
        }))
    }
}

/// Why a payload could not be read; an empty one (a host that passed no event) says so plainly.
fn unreadable(name: &str, payload: &str, err: String) -> String {
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
        assert_eq!(err, "the `push` event payload cannot be read: invalid type: integer `1`, expected a string at line 1 column 9");
        let err = Event::parse("push", r#"{"ref": "refs/heads/main", "after": "abc", "repository": {"full_name": "o/r"}}"#).unwrap_err();
        assert_eq!(err, "the `push` event payload cannot be read: missing field `default_branch` at line 1 column 77");
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
    fn null_is_absent_where_github_writes_it() {
        let payload = format!(r#"{{"action":"created","issue":{{"number":3,"pull_request":null}},"comment":{{"id":9,"body":null,"user":{{"login":"u"}},"html_url":null}},{REPO}}}"#);
        let Event::Comment(comment) = Event::parse("issue_comment", &payload).unwrap() else { panic!() };
        assert_eq!((comment.issue.pull_request, comment.comment.body.as_str(), comment.comment.html_url.as_str()), (None, "", ""));
        let payload = format!(r#"{{"action":"completed","check_suite":{{"head_sha":"aaa","head_branch":null,"pull_requests":null}},{REPO}}}"#);
        let Event::Check(check) = Event::parse("check_suite", &payload).unwrap() else { panic!() };
        assert!(check.names.is_empty() && check.pull_requests.is_empty());
        let Event::Deployment(deployment) = Event::parse("deployment", r#"{"deployment":{"id":5,"environment":"prod","sha":null}}"#).unwrap() else { panic!() };
        assert_eq!((deployment.deployment.id, deployment.deployment.sha.as_str()), (5, ""));
    }

    #[test]
    fn a_field_missing_from_another_event_is_named_with_its_position() {
        let err = Event::parse("deployment", r#"{"deployment":{"environment":"prod"}}"#).unwrap_err();
        assert_eq!(err, "the `deployment` event payload cannot be read: missing field `id` at line 1 column 36");
        let err = Event::parse("check_run", &format!(r#"{{"action":"completed",{REPO}}}"#)).unwrap_err();
        assert_eq!(err, "the `check_run` event payload cannot be read: missing field `check_run`");
    }

    #[test]
    fn other_events_are_not_parsed() {
        assert_eq!(Event::parse("gollum", "not json").unwrap(), Event::Other { name: "gollum".into() });
    }
}
