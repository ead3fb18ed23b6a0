//! The engine's vocabulary with the outside world: the requests it asks for, the replies it is fed,
//! and what it finally reports. These types cross the WebAssembly boundary as JavaScript values, by
//! their serde derive: that derive is the one definition of the wire format (action/lib.d.ts is held
//! to it by the golden files in tests/fixtures/wire).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the engine hands back after each call: log lines produced since the last step, then either
/// the next request to perform or the final outcome.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Step {
    pub log: Vec<LogLine>,
    pub next: Next,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Next {
    Request(Request),
    /// The rules of an IANA time zone (`Europe/Berlin`), which a freeze window of the config uses:
    /// the host answers with its TZif data (`/usr/share/zoneinfo/Europe/Berlin`), or with none when
    /// it has no such zone. Asked only when a run needs it, so the engine carries no database.
    Zone { name: String },
    Done(Outcome),
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

impl Method {
    /// Whether performing the request twice has the same effect as once. The caller may retry
    /// these freely after a transient failure; the others come back to the engine, which knows how to
    /// check whether the first attempt took effect.
    pub fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }
}

/// One GitHub REST request, relative to the API root (`GITHUB_API_URL`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Request {
    pub method: Method,
    /// Path with every parameter already filled in and percent-encoded, e.g.
    /// `/repos/octo/app/deployments`.
    pub path: String,
    /// Query parameters, in the order they are sent.
    pub query: Vec<(String, String)>,
    /// The media type to ask for, when not GitHub's default JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
    /// Whether the caller may retry it on its own after a transient failure.
    pub idempotent: bool,
    /// Why the engine asks, in words, for logs and error messages ("create the staging deployment").
    pub purpose: String,
}

impl Request {
    pub fn get(path: String, purpose: impl Into<String>) -> Request {
        Request {
            method: Method::Get,
            path,
            query: Vec::new(),
            accept: None,
            body: None,
            idempotent: true,
            purpose: purpose.into(),
        }
    }

    pub fn post(path: String, body: serde_json::Value, purpose: impl Into<String>) -> Request {
        Request {
            method: Method::Post,
            path,
            query: Vec::new(),
            accept: None,
            body: Some(body),
            idempotent: false,
            purpose: purpose.into(),
        }
    }

    pub fn delete(path: String, purpose: impl Into<String>) -> Request {
        Request { method: Method::Delete, idempotent: true, ..Request::get(path, purpose) }
    }

    pub fn query(mut self, name: &str, value: impl Into<String>) -> Request {
        self.query.push((name.to_string(), value.into()));
        self
    }

    pub fn accept(mut self, media_type: &str) -> Request {
        self.accept = Some(media_type.to_string());
        self
    }

    pub fn is_write(&self) -> bool {
        self.method != Method::Get
    }
}

/// What came back for a request: GitHub's answer, or no answer at all (the connection failed after
/// the caller's retries, or the answer was lost).
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Response {
        status: u16,
        /// Header names in lower case. Only the few the engine reads need to be passed.
        headers: BTreeMap<String, String>,
        /// The raw body text (JSON for most endpoints, the file itself for raw contents).
        body: String,
    },
    Lost {
        error: String,
    },
    /// The answer to [`Next::Zone`]: the zone's TZif bytes, `None` when the host has no such zone.
    Zone(Option<Vec<u8>>),
}

impl Reply {
    pub fn ok(status: u16, body: impl Into<String>) -> Reply {
        Reply::Response { status, headers: BTreeMap::new(), body: body.into() }
    }
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Debug,
    Info,
    Notice,
    Warning,
    Error,
}

/// Where a message points to in the repository, so the runner can annotate the file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Annotation {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LogLine {
    pub level: Level,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation: Option<Annotation>,
}

/// The end of a run.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Outcome {
    /// Step outputs, in a stable order.
    pub outputs: Vec<(String, String)>,
    /// What was decided for each target the event selected, for tools (`deliverybot plan`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<DecisionRecord>,
    /// GitHub-flavoured Markdown for the job summary.
    pub summary: String,
    /// Values the post step needs (the runner's `GITHUB_STATE`), empty when it has nothing to do.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub state: Vec<(String, String)>,
    /// `Some(reason)` fails the step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

/// One target's decision, as data: the same facts as the summary's table row.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DecisionRecord {
    pub target: String,
    /// Empty when the deployment could not be rendered.
    pub environment: String,
    #[serde(rename = "ref")]
    pub git_ref: String,
    pub sha: String,
    /// `created`, `would create`, `already deployed`, `superseded`, `waiting`, `blocked`, `locked`,
    /// `skipped`, `not created` or `failed`.
    pub decision: String,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployment_id: Option<u64>,
    /// The create request made (or, in a dry run, the one that would have been).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestRecord>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RequestRecord {
    pub method: Method,
    pub path: String,
    pub body: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Steps that use every field of the wire format, optional ones with and without a value.
    fn examples() -> Vec<Step> {
        let request = Request::post("/repos/o/r/deployments".into(), json!({ "ref": "a\"b", "payload": { "n": 1, "x": [null, 2.5] } }), "create \u{1} it")
            .query("sha", "abc")
            .query("é", "\n")
            .accept("application/vnd.github.raw+json");
        let log = vec![
            LogLine { level: Level::Warning, message: "a \"quoted\"\tline".into(), annotation: Some(Annotation { file: ".github/deploy.yml".into(), line: 3, column: 14 }) },
            LogLine { level: Level::Debug, message: String::new(), annotation: None },
        ];
        let record = DecisionRecord {
            target: "staging".into(),
            environment: "staging".into(),
            git_ref: "refs/heads/main".into(),
            sha: "abc".into(),
            decision: "created".into(),
            reason: "it matches".into(),
            deployment_id: Some(42),
            request: Some(RequestRecord { method: Method::Post, path: "/x".into(), body: json!({ "b": 1, "a": "\\" }) }),
        };
        let outcome = Outcome {
            outputs: vec![("deployments".into(), "[1]".into()), ("empty".into(), String::new())],
            decisions: vec![record.clone(), DecisionRecord { deployment_id: None, request: None, decision: "waiting".into(), ..record }],
            summary: "### Deliverybot\n\n| a |".into(),
            state: vec![("id".into(), "1".into())],
            failure: Some("it failed: \"why\"".into()),
        };
        vec![
            Step { log: log.clone(), next: Next::Request(request) },
            Step { log: Vec::new(), next: Next::Request(Request::get("/a".into(), "read")) },
            Step { log, next: Next::Done(outcome) },
            Step { log: Vec::new(), next: Next::Done(Outcome::default()) },
            Step { log: Vec::new(), next: Next::Request(Request::delete("/b".into(), "delete")) },
            Step { log: Vec::new(), next: Next::Zone { name: "Europe/Berlin".into() } },
        ]
    }

    /// The wire format as the golden file shared with the JavaScript tests has it: tests/package.test.mjs
    /// compiles that file against action/lib.d.ts, so the types cannot drift from this derive.
    #[test]
    fn steps_serialize_as_the_golden_wire_file_has_them() {
        let golden: serde_json::Value = serde_json::from_str(include_str!("../../../tests/fixtures/wire/steps.json")).unwrap();
        let steps = serde_json::to_value(examples()).unwrap();
        assert!(steps == golden, "tests/fixtures/wire/steps.json should be:\n{}\n(end)", serde_json::to_string_pretty(&examples()).unwrap());
    }
}
