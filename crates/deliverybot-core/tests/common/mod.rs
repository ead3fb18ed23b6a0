//! A canned GitHub for the engine's tests: enough state to answer the requests the engine makes,
//! and a record of every request. (The end-to-end tests use the full fake in tests/support/.)
#![allow(dead_code)]

use deliverybot_core::{Engine, Invocation, LogLine, Method, Next, Outcome, Reply, Request};
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const SHA: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
pub const OLD: &str = "0000000000000000000000000000000000000001";

/// What a run says when GitHub answers a create with 202 (`auto_merge`: it merged instead).
pub const MERGED_INSTEAD: &str = "GitHub merged the default branch into the branch instead of deploying it (\"Auto-merged main into feature on deployment.\"); with `auto_merge` the merge commit deploys, on the next event about it: its push, its checks or a schedule (a merge made with the default GITHUB_TOKEN starts no workflow itself)";

#[derive(Default)]
pub struct GitHub {
    pub config: Option<String>,
    /// Deployments, oldest first: `{id, sha, environment, payload, transient_environment}`.
    pub deployments: Vec<Value>,
    /// Latest status state of deployments by id.
    pub deployment_states: BTreeMap<u64, String>,
    /// When that latest status was set (`created_at`), where a test says.
    pub status_times: BTreeMap<u64, String>,
    /// Commit statuses and check runs, for every commit.
    pub statuses: Vec<(String, String)>,
    pub runs: Vec<(String, String, Option<String>)>,
    /// `heads/main` → sha.
    pub refs: BTreeMap<String, String>,
    pub pulls: BTreeMap<u64, Value>,
    pub commit: Option<Value>,
    /// Repository roles by login (`role_name`); others are not collaborators (404).
    pub roles: BTreeMap<String, String>,
    /// Lock refs (`deliverybot/locks/production` → tag sha) and tag objects (sha → message).
    pub tags: BTreeMap<String, String>,
    /// Annotated release tags: tag object sha → the commit it tags (its ref in `refs`).
    pub tag_objects: BTreeMap<String, String>,
    /// Comments posted, and commit statuses created (`context` → sha).
    pub comments: Vec<String>,
    pub created_statuses: Vec<(String, String)>,
    /// Answers to `GET /compare/{base}...{head}`, by `base...head`; others are 404.
    pub comparisons: BTreeMap<String, Reply>,
    /// Answer the next create with this instead of creating.
    pub create_answer: Option<Reply>,
    pub requests: Vec<Request>,
    /// The time zones the engine asked for, answered from the machine's tz database.
    pub zones: Vec<String>,
    pub log: Vec<LogLine>,
}

impl GitHub {
    pub fn with_config(config: &str) -> GitHub {
        GitHub { config: Some(config.to_string()), ..GitHub::default() }
    }

    /// `config` on main, and main at `SHA`: the repository as the example push leaves it.
    pub fn after_push(config: &str) -> GitHub {
        let refs = BTreeMap::from([("heads/main".to_string(), SHA.to_string())]);
        GitHub { refs, ..GitHub::with_config(config) }
    }

    pub fn run(&mut self, invocation: Invocation) -> Outcome {
        let mut engine = Engine::new(invocation);
        let mut reply = None;
        loop {
            let step = engine.step(reply.take());
            self.log.extend(step.log);
            match step.next {
                Next::Request(request) => {
                    reply = Some(self.answer(&request));
                    self.requests.push(request);
                }
                Next::Zone { name } => {
                    reply = Some(Reply::Zone(std::fs::read(format!("/usr/share/zoneinfo/{name}")).ok()));
                    self.zones.push(name);
                }
                Next::Done(outcome) => return outcome,
            }
        }
    }

    pub fn writes(&self) -> Vec<&Request> {
        self.requests.iter().filter(|r| r.is_write()).collect()
    }

    pub fn created(&self) -> Vec<Value> {
        self.requests.iter().filter(|r| r.method == Method::Post && r.path.ends_with("/deployments")).map(|r| r.body.clone().unwrap()).collect()
    }

    pub fn paths(&self) -> Vec<String> {
        self.requests.iter().map(|r| format!("{:?} {}", r.method, r.path)).collect()
    }

    pub fn logged(&self, text: &str) -> bool {
        self.log.iter().any(|l| l.message.contains(text))
    }

    fn query(request: &Request, name: &str) -> Option<String> {
        request.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    fn page(items: Vec<Value>, request: &Request) -> Reply {
        let per_page: usize = GitHub::query(request, "per_page").and_then(|p| p.parse().ok()).unwrap_or(30);
        let page: usize = GitHub::query(request, "page").and_then(|p| p.parse().ok()).unwrap_or(1);
        let slice: Vec<Value> = items.iter().skip((page - 1) * per_page).take(per_page).cloned().collect();
        let mut headers = BTreeMap::new();
        if page * per_page < items.len() {
            headers.insert("link".to_string(), format!("<https://api.github.com{}?page={}>; rel=\"next\"", request.path, page + 1));
        }
        Reply::Response { status: 200, headers, body: Value::Array(slice).to_string() }
    }

    pub fn answer(&mut self, request: &Request) -> Reply {
        let path = request.path.strip_prefix("/repos/octo/app").expect("requests go to octo/app");
        let segments: Vec<&str> = path.split('/').skip(1).collect();
        match (request.method, segments.as_slice()) {
            (Method::Get, ["contents", ..]) => match &self.config {
                Some(text) => Reply::ok(200, text.clone()),
                None => Reply::ok(404, r#"{"message":"Not Found"}"#),
            },
            (Method::Get, ["deployments"]) => {
                let sha = GitHub::query(request, "sha");
                let environment = GitHub::query(request, "environment");
                let task = GitHub::query(request, "task");
                let matching: Vec<Value> = self
                    .deployments
                    .iter()
                    .rev()
                    .filter(|d| sha.as_ref().is_none_or(|s| d["sha"] == json!(s)))
                    .filter(|d| environment.as_ref().is_none_or(|e| d["environment"] == json!(e)))
                    .filter(|d| task.as_ref().is_none_or(|t| d.get("task").and_then(Value::as_str).unwrap_or("deploy") == t))
                    .cloned()
                    .collect();
                GitHub::page(matching, request)
            }
            (Method::Post, ["deployments"]) => {
                if let Some(answer) = self.create_answer.take() {
                    return answer;
                }
                let body = request.body.clone().unwrap();
                let id = 100 + self.deployments.len() as u64;
                let deployment = json!({
                    "id": id, "url": format!("https://api.github.com/repos/octo/app/deployments/{id}"),
                    "sha": body["ref"], "environment": body["environment"], "payload": body["payload"], "task": body["task"],
                    "transient_environment": body["transient_environment"].as_bool().unwrap_or(false),
                });
                self.deployments.push(deployment.clone());
                Reply::ok(201, deployment.to_string())
            }
            (Method::Get, ["deployments", id, "statuses"]) => {
                let id: u64 = id.parse().unwrap();
                let status = |state: &String| match self.status_times.get(&id) {
                    Some(at) => json!({ "state": state, "created_at": at }),
                    None => json!({ "state": state }),
                };
                let states: Vec<Value> = self.deployment_states.get(&id).map(|s| vec![status(s)]).unwrap_or_default();
                Reply::ok(200, Value::Array(states).to_string())
            }
            (Method::Post, ["deployments", id, "statuses"]) => {
                let id: u64 = id.parse().unwrap();
                let state = request.body.as_ref().unwrap()["state"].as_str().unwrap().to_string();
                self.deployment_states.insert(id, state.clone());
                Reply::ok(201, json!({ "id": 1, "state": state }).to_string())
            }
            (Method::Get, ["commits", _, "status"]) => {
                let statuses: Vec<Value> = self.statuses.iter().map(|(c, s)| json!({ "context": c, "state": s })).collect();
                Reply::ok(200, json!({ "state": "pending", "statuses": statuses }).to_string())
            }
            (Method::Get, ["commits", _, "check-runs"]) => {
                let runs: Vec<Value> = self.runs.iter().map(|(n, s, c)| json!({ "name": n, "status": s, "conclusion": c })).collect();
                Reply::ok(200, json!({ "total_count": runs.len(), "check_runs": runs }).to_string())
            }
            (Method::Get, ["commits", reference]) => match &self.commit {
                Some(commit) => Reply::ok(200, commit.to_string()),
                None => {
                    let reference = reference.replace("%2F", "/");
                    match self.refs.get(&reference).or_else(|| self.refs.get(&format!("heads/{reference}"))) {
                        Some(sha) => Reply::ok(200, json!({ "sha": sha }).to_string()),
                        None if reference.len() == 40 => Reply::ok(200, json!({ "sha": reference }).to_string()),
                        None => Reply::ok(422, r#"{"message":"No commit found for SHA: x"}"#),
                    }
                }
            },
            (Method::Get, ["git", "ref", rest @ ..]) => match self.refs.get(&decode_path(rest)) {
                Some(sha) => {
                    let kind = if rest[0] == "deliverybot" || self.tag_objects.contains_key(sha) { "tag" } else { "commit" };
                    Reply::ok(200, json!({ "ref": format!("refs/{}", rest.join("/")), "object": { "sha": sha, "type": kind } }).to_string())
                }
                None => Reply::ok(404, r#"{"message":"Not Found"}"#),
            },
            (Method::Get, ["git", "matching-refs", rest @ ..]) => {
                let prefix = format!("refs/{}", decode_path(rest));
                let refs: Vec<Value> = self
                    .refs
                    .iter()
                    .map(|(name, sha)| (format!("refs/{name}"), sha))
                    .filter(|(name, _)| name.starts_with(&prefix))
                    .map(|(name, sha)| {
                        let kind = if name.starts_with("refs/deliverybot/") { "tag" } else { "commit" };
                        json!({ "ref": name, "object": { "sha": sha, "type": kind } })
                    })
                    .collect();
                Reply::ok(200, Value::Array(refs).to_string())
            }
            // The pull requests whose head the commit is (GitHub also lists others that have it).
            (Method::Get, ["commits", sha, "pulls"]) => {
                let pulls: Vec<Value> = self.pulls.values().filter(|pr| pr["head"]["sha"] == json!(sha)).cloned().collect();
                GitHub::page(pulls, request)
            }
            (Method::Get, ["pulls"]) => {
                assert_eq!(GitHub::query(request, "state").as_deref(), Some("open"));
                let pulls: Vec<Value> = self.pulls.values().rev().filter(|pr| pr["state"] == "open").cloned().collect();
                GitHub::page(pulls, request)
            }
            (Method::Get, ["pulls", number]) => match self.pulls.get(&number.parse::<u64>().unwrap()) {
                Some(pr) => Reply::ok(200, pr.to_string()),
                None => Reply::ok(404, r#"{"message":"Not Found"}"#),
            },
            (Method::Get, ["compare", basehead]) => {
                assert_eq!(GitHub::query(request, "per_page").as_deref(), Some("1"), "one page holds every file GitHub lists");
                self.comparisons.get(*basehead).cloned().unwrap_or_else(|| Reply::ok(404, r#"{"message":"Not Found"}"#))
            }
            (Method::Post, ["actions", "workflows", _, "dispatches"]) => Reply::ok(204, ""),
            (Method::Post, ["issues", "comments", _, "reactions"]) => Reply::ok(201, r#"{"id":1,"content":"eyes"}"#),
            (Method::Post, ["issues", _, "comments"]) => {
                self.comments.push(request.body.as_ref().unwrap()["body"].as_str().unwrap().to_string());
                Reply::ok(201, r#"{"id":2}"#)
            }
            (Method::Get, ["collaborators", login, "permission"]) => match self.roles.get(*login) {
                Some(role) => Reply::ok(200, json!({ "permission": role, "role_name": role }).to_string()),
                None => Reply::ok(404, r#"{"message":"Not Found"}"#),
            },
            (Method::Post, ["git", "tags"]) => {
                let sha = format!("{:040}", self.tags.len() + 1);
                self.tags.insert(sha.clone(), request.body.as_ref().unwrap()["message"].as_str().unwrap().to_string());
                Reply::ok(201, json!({ "sha": sha }).to_string())
            }
            (Method::Get, ["git", "tags", sha]) if self.tag_objects.contains_key(*sha) => {
                Reply::ok(200, json!({ "sha": sha, "object": { "sha": self.tag_objects[*sha], "type": "commit" } }).to_string())
            }
            (Method::Get, ["git", "tags", sha]) => match self.tags.get(*sha) {
                Some(message) => Reply::ok(200, json!({ "sha": sha, "message": message, "tagger": { "name": "bot", "date": "2026-11-26T10:00:00Z" } }).to_string()),
                None => Reply::ok(404, r#"{"message":"Not Found"}"#),
            },
            (Method::Post, ["git", "refs"]) => {
                let body = request.body.clone().unwrap();
                let name = body["ref"].as_str().unwrap().trim_start_matches("refs/").to_string();
                if self.refs.contains_key(&name) {
                    return Reply::ok(422, r#"{"message":"Reference already exists"}"#);
                }
                self.refs.insert(name.clone(), body["sha"].as_str().unwrap().to_string());
                Reply::ok(201, json!({ "ref": format!("refs/{name}") }).to_string())
            }
            (Method::Delete, ["git", "refs", rest @ ..]) => match self.refs.remove(&decode_path(rest)) {
                Some(_) => Reply::ok(204, ""),
                None => Reply::ok(422, r#"{"message":"Reference does not exist"}"#),
            },
            (Method::Post, ["statuses", sha]) => {
                let context = request.body.as_ref().unwrap()["context"].as_str().unwrap().to_string();
                self.created_statuses.push((context.clone(), sha.to_string()));
                self.statuses.push((context, "success".into()));
                Reply::ok(201, r#"{"id":3}"#)
            }
            other => panic!("unexpected request {other:?}"),
        }
    }
}

/// A ref's name from the segments of a request path, percent-decoded as GitHub does: the engine
/// encodes each segment, and a lock's ref name has `%` escapes of its own.
fn decode_path(segments: &[&str]) -> String {
    let path = segments.join("/");
    let mut bytes = Vec::new();
    let mut rest = path.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        match (first, tail.get(..2).and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok())) {
            (b'%', Some(byte)) => {
                bytes.push(byte);
                rest = &tail[2..];
            }
            _ => {
                bytes.push(first);
                rest = tail;
            }
        }
    }
    String::from_utf8(bytes).expect("a ref name is UTF-8")
}

pub fn output(outcome: &Outcome, name: &str) -> String {
    outcome.outputs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("no output {name}"))
}

pub fn json_output(outcome: &Outcome, name: &str) -> Value {
    serde_json::from_str(&output(outcome, name)).unwrap()
}

/// A pull request object as GitHub sends it (the parts the engine reads).
pub fn pull_request(number: u64, sha: &str, fork: bool, draft: bool) -> Value {
    json!({
        "number": number, "title": format!("Change #{number}"), "draft": draft, "merged": false, "state": "open",
        "head": { "ref": "feature", "sha": sha, "repo": { "id": if fork { 99 } else { 7 } } },
        "base": { "ref": "main", "repo": { "id": 7 } },
        "user": { "login": "hubot" }
    })
}

/// An invocation of `event_name` with `payload` (the repository is octo/app, id 7, default main).
pub fn invocation(event_name: &str, mut payload: Value) -> Invocation {
    payload["repository"] = json!({ "full_name": "octo/app", "default_branch": "main", "id": 7 });
    let mut invocation = Invocation::example_push("refs/heads/main");
    invocation.event_name = event_name.to_string();
    invocation.event = payload.to_string();
    invocation
}

/// A new comment `body` by `login` on pull request #2.
pub fn comment(body: &str, login: &str) -> Invocation {
    invocation(
        "issue_comment",
        json!({
            "action": "created",
            "issue": { "number": 2, "pull_request": { "url": "https://api.github.com/repos/octo/app/pulls/2" } },
            "comment": { "id": 77, "body": body, "user": { "login": login }, "html_url": "https://github.com/octo/app/pull/2#issuecomment-77" }
        }),
    )
}
