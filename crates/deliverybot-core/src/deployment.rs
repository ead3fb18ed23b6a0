//! The body of `POST /repos/{owner}/{repo}/deployments` for a target and a commit.

use crate::config::Target;
use crate::refs::{short_name, short_sha};
use serde::Serialize;
use serde_json::{json, Map, Value};

/// GitHub rejects deployment descriptions longer than this.
pub const DESCRIPTION_LIMIT: usize = 140;

/// Where a deployment comes from: the commit, and the ref and run that chose it.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub git_ref: &'a str,
    pub sha: &'a str,
    pub event_name: &'a str,
    pub run_url: &'a str,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NewDeployment {
    /// Always the exact commit: a branch name would be resolved by GitHub when the request arrives,
    /// and could by then point to a newer commit than the one that was decided on.
    #[serde(rename = "ref")]
    pub sha: String,
    pub task: String,
    pub auto_merge: bool,
    pub required_contexts: Vec<String>,
    pub payload: Map<String, Value>,
    pub environment: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transient_environment: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub production_environment: Option<bool>,
}

impl NewDeployment {
    pub fn new(target: &Target, source: &Source) -> NewDeployment {
        let mut payload = target.payload.clone();
        // The deploy workflow learns which target it runs for; a `target` set in the config wins.
        payload.entry("target").or_insert_with(|| json!(target.name));
        // The deployment's `ref` is a commit, so the branch or tag it came from travels here, along
        // with the run that decided it; it also marks the deployment as Deliverybot's own.
        payload.entry("deliverybot").or_insert_with(|| {
            json!({ "ref": source.git_ref, "event": source.event_name, "run_url": source.run_url })
        });
        let description = match &target.description {
            Some(text) => text.clone(),
            None => format!("Deploy {} ({})", short_name(source.git_ref), short_sha(source.sha)),
        };
        NewDeployment {
            sha: source.sha.to_string(),
            task: target.task.clone(),
            auto_merge: target.auto_merge,
            required_contexts: target.required_contexts.clone(),
            payload,
            environment: target.environment.clone(),
            description: truncate(&description, DESCRIPTION_LIMIT),
            transient_environment: target.transient_environment,
            production_environment: target.production_environment,
        }
    }
}

/// Cuts `text` to at most `limit` characters, ending with `…` when something was cut.
pub fn truncate(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(limit - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    const SHA: &str = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

    fn source() -> Source<'static> {
        Source { git_ref: "refs/heads/main", sha: SHA, event_name: "push", run_url: "https://github.com/o/r/actions/runs/1" }
    }

    #[test]
    fn the_body_deploys_the_exact_commit_with_defaults() {
        let config = Config::parse("production:\n").unwrap();
        let body = serde_json::to_value(NewDeployment::new(&config.targets[0], &source())).unwrap();
        assert_eq!(
            body,
            json!({
                "ref": SHA,
                "task": "deploy",
                "auto_merge": false,
                "required_contexts": [],
                "payload": {
                    "target": "production",
                    "deliverybot": { "ref": "refs/heads/main", "event": "push", "run_url": "https://github.com/o/r/actions/runs/1" }
                },
                "environment": "production",
                "description": "Deploy main (6113728)"
            })
        );
    }

    #[test]
    fn configured_values_win_and_optional_flags_are_sent_when_set() {
        let config = Config::parse(
            "web:\n  environment: staging\n  payload: { target: custom, port: 80 }\n  transient_environment: true\n  production_environment: false\n",
        )
        .unwrap();
        let body = NewDeployment::new(&config.targets[0], &source());
        assert_eq!(body.payload["target"], json!("custom"));
        assert_eq!(body.payload["port"], json!(80));
        assert_eq!(body.transient_environment, Some(true));
        assert_eq!(body.production_environment, Some(false));
    }

    #[test]
    fn long_descriptions_are_cut_to_githubs_limit() {
        let long = "é".repeat(200);
        let cut = truncate(&long, DESCRIPTION_LIMIT);
        assert_eq!(cut.chars().count(), 140);
        assert!(cut.ends_with('…'));
        assert_eq!(truncate("short", DESCRIPTION_LIMIT), "short");
    }
}
