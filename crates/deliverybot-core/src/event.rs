//! The webhook payloads the engine understands, typed down to the fields it reads. Everything else
//! in a payload (a push's commit list can run to megabytes) is skipped by the parser without being
//! kept in memory.

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Push(Push),
    Deployment(DeploymentEvent),
    /// An event Deliverybot does not act on; the run says so and succeeds.
    Other { name: String },
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Push {
    /// The full ref, `refs/heads/main` or `refs/tags/v1.0.0`.
    #[serde(rename = "ref")]
    pub git_ref: String,
    /// The commit the ref points to after the push.
    pub after: String,
    /// A push that deleted the ref (`after` is all zeros then).
    #[serde(default)]
    pub deleted: bool,
    pub repository: Repository,
}

/// `deployment`: GitHub asks a deploy workflow to ship a deployment.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct DeploymentEvent {
    pub deployment: EventDeployment,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct EventDeployment {
    pub id: u64,
    pub environment: String,
    pub sha: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Repository {
    pub full_name: String,
    pub default_branch: String,
}

impl Event {
    pub fn parse(name: &str, payload: &str) -> Result<Event, String> {
        let parsed = match name {
            "push" => serde_json::from_str(payload).map(Event::Push),
            "deployment" => serde_json::from_str(payload).map(Event::Deployment),
            _ => return Ok(Event::Other { name: name.to_string() }),
        };
        parsed.map_err(|err| format!("the `{name}` event payload cannot be read: {err}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_reads_only_what_it_needs() {
        let payload = r#"{"ref":"refs/heads/main","after":"abc","deleted":false,
            "commits":[{"id":"abc","message":"x"}],
            "repository":{"full_name":"o/r","default_branch":"main","private":false}}"#;
        let Event::Push(push) = Event::parse("push", payload).unwrap() else { panic!() };
        assert_eq!(push.git_ref, "refs/heads/main");
        assert_eq!(push.repository.default_branch, "main");
        assert!(!push.deleted);
    }

    #[test]
    fn a_malformed_payload_says_which_event_and_where() {
        let err = Event::parse("push", r#"{"ref": 1}"#).unwrap_err();
        assert!(err.starts_with("the `push` event payload cannot be read: invalid type"), "{err}");
        assert!(err.contains("line 1 column"), "{err}");
    }

    #[test]
    fn other_events_are_not_parsed() {
        assert_eq!(Event::parse("gollum", "not json").unwrap(), Event::Other { name: "gollum".into() });
    }
}
