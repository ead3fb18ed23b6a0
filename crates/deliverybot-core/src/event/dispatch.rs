//! A deploy by hand, sent by `workflow_dispatch` (its `inputs`) or `repository_dispatch` (its
//! `client_payload`): the target, the ref, and what the sender asked of this deploy beyond them
//! (`force`, `task`, `params`).

use super::{Event, Repository, User};
use crate::config::ControlCharacter;
use crate::params::{self, GivenParams};
use serde::Deserialize;
use serde_json::Value;

/// A deploy by hand: the target, the ref, and what the person asked of this deploy beyond them.
#[derive(Debug, Clone, PartialEq)]
pub struct Dispatch {
    pub target: Option<String>,
    pub git_ref: Option<String>,
    /// `force`: deploy without waiting for the required checks, if the sender may (the rules of
    /// `/deploy --force`).
    pub force: bool,
    /// `task`: the deployment's task for this deploy, instead of the target's.
    pub task: Option<String>,
    /// `params`: the parameters given, for the payload's `params` (what the target takes of them
    /// is known once its config is read).
    pub params: GivenParams,
    /// Who sent it (`sender.login`), whose role `force` needs; empty when the payload does not say.
    pub sender: String,
    pub repository: Repository,
}

/// A `workflow_dispatch` (its `inputs`) or `repository_dispatch` (its `client_payload`): what the
/// user sent is free-form, so `target` and `ref` count only when they are text. `force`, `task` and
/// `params` change what is deployed: a value of theirs that means nothing is refused, before any
/// request.
#[derive(Deserialize)]
pub(super) struct DispatchPayload {
    inputs: Option<Value>,
    client_payload: Option<Value>,
    #[serde(rename = "ref")]
    git_ref: Option<String>,
    #[serde(default)]
    sender: Option<User>,
    repository: Repository,
}

impl DispatchPayload {
    pub(super) fn into_event(self, name: &str) -> Result<Event, String> {
        let fields = if name == "workflow_dispatch" { self.inputs } else { self.client_payload };
        let input = |key: &str| fields.as_ref().and_then(|fields| fields.get(key)).filter(|value| !value.is_null());
        let field = |key: &str| {
            let text = input(key).and_then(Value::as_str).map(str::trim);
            text.filter(|text| !text.is_empty()).map(str::to_string)
        };
        // What the person sent is named as they wrote it: `inputs.force` is the input `force`.
        let called = |key: &str| if name == "workflow_dispatch" { format!("input `{key}`") } else { format!("`client_payload.{key}`") };
        Ok(Event::Dispatch(Dispatch {
            target: field("target"),
            // A workflow_dispatch defaults to the ref it ran on.
            git_ref: field("ref").or(if name == "workflow_dispatch" { self.git_ref } else { None }),
            force: flag(input("force")).ok_or_else(|| format!("{} must be `true` or `false`", called("force")))?,
            task: task(input("task")).map_err(|problem| format!("{} {problem}", called("task")))?,
            params: input("params").map(params::from_input).transpose().map_err(|problem| format!("{} {problem}", called("params")))?.unwrap_or_default(),
            sender: self.sender.map(|sender| sender.login).unwrap_or_default(),
            repository: self.repository,
        }))
    }
}

/// A yes-or-no input: a boolean, or its text (a workflow_dispatch's inputs are text); left out or
/// left blank, no. `None`: neither.
fn flag(value: Option<&Value>) -> Option<bool> {
    match value {
        None => Some(false),
        Some(Value::Bool(yes)) => Some(*yes),
        Some(Value::String(text)) => match text.trim() {
            "" | "false" => Some(false),
            "true" => Some(true),
            _ => None,
        },
        Some(_) => None,
    }
}

/// A task asked for by hand: one line of text; left out or left blank, the target's.
fn task(value: Option<&Value>) -> Result<Option<String>, String> {
    let text = match value {
        None => return Ok(None),
        Some(Value::String(text)) => text.trim(),
        Some(_) => return Err("must be text, like `deploy:migrations`".to_string()),
    };
    // The same rule as a task written in the config or rendered from it.
    if let Some((_, found)) = ControlCharacter::find(text) {
        return Err(format!("contains {found}; a task is one line of text, without control characters"));
    }
    Ok(Some(text.to_string()).filter(|text| !text.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const REPO: &str = r#""repository":{"full_name":"o/r","default_branch":"main","id":7}"#;

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
    fn dispatches_may_ask_for_force_and_a_task() {
        let dispatch = |name: &str, fields: Value| {
            let key = if name == "workflow_dispatch" { "inputs" } else { "client_payload" };
            let payload = json!({ key: fields, "sender": { "login": "octocat" }, "repository": { "full_name": "o/r", "default_branch": "main" } });
            Event::parse(name, &payload.to_string())
        };
        let Event::Dispatch(d) = dispatch("workflow_dispatch", json!({ "target": "web", "force": "true", "task": " deploy:migrations " })).unwrap() else { panic!() };
        assert_eq!((d.force, d.task.as_deref(), d.sender.as_str()), (true, Some("deploy:migrations"), "octocat"));
        let Event::Dispatch(d) = dispatch("repository_dispatch", json!({ "target": "web", "force": true })).unwrap() else { panic!() };
        assert!(d.force && d.task.is_none());
        // Left out or left blank: the target's own.
        for fields in [json!({ "target": "web" }), json!({ "target": "web", "force": "", "task": "  " }), json!({ "force": "false", "task": null })] {
            let Event::Dispatch(d) = dispatch("workflow_dispatch", fields).unwrap() else { panic!() };
            assert!(!d.force && d.task.is_none());
        }
        assert_eq!(dispatch("workflow_dispatch", json!({ "force": "yes" })).unwrap_err(), "input `force` must be `true` or `false`");
        assert_eq!(dispatch("repository_dispatch", json!({ "force": 1 })).unwrap_err(), "`client_payload.force` must be `true` or `false`");
        assert_eq!(
            dispatch("workflow_dispatch", json!({ "task": "deploy\nrm -rf" })).unwrap_err(),
            "input `task` contains a line feed (U+000A); a task is one line of text, without control characters"
        );
        assert_eq!(
            dispatch("workflow_dispatch", json!({ "task": "deploy\u{2028}x" })).unwrap_err(),
            "input `task` contains a line separator (U+2028); a task is one line of text, without control characters"
        );
        assert_eq!(dispatch("repository_dispatch", json!({ "task": ["a"] })).unwrap_err(), "`client_payload.task` must be text, like `deploy:migrations`");
    }

    #[test]
    fn dispatches_may_give_parameters_as_json_or_words() {
        let dispatch = |name: &str, params: Value| {
            let key = if name == "workflow_dispatch" { "inputs" } else { "client_payload" };
            let payload = json!({ key: { "target": "web", "params": params }, "repository": { "full_name": "o/r", "default_branch": "main" } });
            Event::parse(name, &payload.to_string())
        };
        let Event::Dispatch(d) = dispatch("workflow_dispatch", json!("region=eu note=\"two words\"")).unwrap() else { panic!() };
        assert_eq!(d.params, [("region".to_string(), params::Given::Text("eu".into())), ("note".to_string(), params::Given::Text("two words".into()))]);
        let Event::Dispatch(d) = dispatch("repository_dispatch", json!({ "replicas": 3 })).unwrap() else { panic!() };
        assert_eq!(d.params, [("replicas".to_string(), params::Given::Number(3.into()))]);
        let Event::Dispatch(d) = dispatch("workflow_dispatch", json!("")).unwrap() else { panic!() };
        assert!(d.params.is_empty());
        assert_eq!(dispatch("workflow_dispatch", json!("region='eu")).unwrap_err(), "input `params` cannot be read: a quote is not closed");
        assert_eq!(dispatch("repository_dispatch", json!([1])).unwrap_err(), "`client_payload.params` must be a JSON object, or `name=value` pairs");
    }
}
