//! Facts about environments, for `after` and `serialize`: an environment's newest deployments (one
//! page, newest first, read once per environment) and the latest status of each deployment a rule
//! asks about (one request each, read once). Requests: per environment one list; per deployment
//! one `statuses?per_page=1`; the rules bound how many deployments they ask about.

use super::facts::Fetch;
use super::{Awaiting, Deliver};
use crate::config::Config;
use crate::deployment::NewDeployment;
use crate::github::deployment_status::State;
use crate::github::{self, answer, Answer};
use crate::protocol::{Reply, Request};
use crate::rules::pipeline::{Latest, Listed, Statuses};
use serde_json::Value;

/// Of an environment's deployments, the newest page (100) is read.
const NEWEST_PAGE: u32 = 1;

/// Where a target deploys and with which task, for a ref at a commit.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Destination {
    pub environment: String,
    pub task: String,
}

impl Deliver {
    /// The environment and task `target` renders for `git_ref` at `sha`; why not, when it cannot.
    pub(super) fn destination(&self, target: usize, git_ref: &str, sha: &str) -> Result<Destination, String> {
        self.destination_in(self.config(), target, git_ref, sha)
    }

    /// [`Deliver::destination`] in a config not kept yet (while the event selects its targets).
    pub(super) fn destination_in(&self, config: &Config, target: usize, git_ref: &str, sha: &str) -> Result<Destination, String> {
        let run_url = self.context.run_url();
        let source = self.source(&run_url, git_ref, sha, None, None);
        let spec = &config.targets[target];
        match NewDeployment::render(spec, &source) {
            Ok(rendered) => Ok(Destination { environment: rendered.body.environment, task: rendered.body.task }),
            Err(errors) => Err(format!("cannot tell where `{}` deploys: {}", spec.name, errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; "))),
        }
    }

    /// The request that lists `environment`'s deployments, unless they are read (or failed).
    pub(super) fn environment_request(&mut self, environment: &str) -> Option<Request> {
        if self.environments.contains_key(environment) {
            return None;
        }
        self.awaiting = Some(Awaiting::Environment(environment.to_string()));
        Some(github::list_deployments(&self.repo, environment, NEWEST_PAGE))
    }

    pub(super) fn read_environment(&mut self, environment: String, reply: Reply) {
        let purpose = format!("list the deployments to {environment}");
        let fact = match answer(&reply) {
            Answer::Success { body, .. } => match github::json(body, &purpose) {
                Ok(list) => Fetch::Read(github::items(&list).iter().filter_map(listed).collect()),
                Err(reason) => Fetch::Failed(reason),
            },
            failed => Fetch::Failed(failed.refusal(&purpose, Some("deployments: read"))),
        };
        self.environments.insert(environment, fact);
    }

    /// The request for a deployment's latest status, unless it is read.
    pub(super) fn latest_request(&mut self, id: u64) -> Option<Request> {
        if self.latest.contains_key(&id) {
            return None;
        }
        self.awaiting = Some(Awaiting::Latest(id));
        Some(github::latest_status(&self.repo, id))
    }

    pub(super) fn read_latest(&mut self, id: u64, reply: Reply) {
        let purpose = format!("read the state of deployment {id}");
        let fact = match answer(&reply) {
            Answer::Success { body, .. } => match github::json(body, &purpose) {
                Ok(list) => match github::items(&list).first() {
                    None => Fetch::Read(None),
                    Some(status) => match github::text(status, "/state").and_then(State::parse) {
                        Some(state) => Fetch::Read(Some(Latest { state, at: time(status) })),
                        None => Fetch::Failed(github::missing(&purpose, "state")),
                    },
                },
                Err(reason) => Fetch::Failed(reason),
            },
            failed => Fetch::Failed(failed.refusal(&purpose, Some("deployments: read"))),
        };
        self.latest.insert(id, fact);
    }

    /// The statuses read so far, as the rules take them.
    pub(super) fn statuses(&self) -> Statuses {
        self.latest.iter().filter_map(|(id, fact)| if let Fetch::Read(latest) = fact { Some((*id, *latest)) } else { None }).collect()
    }

    /// Why a status the rules asked for could not be read, if it could not.
    pub(super) fn latest_failed(&self, id: u64) -> Option<String> {
        match self.latest.get(&id) {
            Some(Fetch::Failed(reason)) => Some(reason.clone()),
            _ => None,
        }
    }
}

/// A listed deployment; one without an id or commit is skipped.
fn listed(item: &Value) -> Option<Listed> {
    let git_ref = github::text(item, "/payload/deliverybot/ref").or_else(|| github::text(item, "/ref")).unwrap_or_default();
    Some(Listed {
        id: github::number(item, "/id")?,
        sha: github::text(item, "/sha")?.to_string(),
        git_ref: git_ref.to_string(),
        task: github::text(item, "/task").unwrap_or("deploy").to_string(),
        created_at: time(item),
    })
}

fn time(item: &Value) -> Option<jiff::Timestamp> {
    github::text(item, "/created_at").and_then(crate::time::rfc3339)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_deployment_says_its_ref_from_deliverybots_marker_or_its_own() {
        let ours = serde_json::json!({ "id": 5, "sha": "abc", "ref": "abc", "task": "deploy", "created_at": "2026-12-06T10:00:00Z", "payload": { "deliverybot": { "ref": "refs/heads/main" } } });
        let found = listed(&ours).unwrap();
        assert_eq!((found.id, found.git_ref.as_str(), found.created_at), (5, "refs/heads/main", crate::time::rfc3339("2026-12-06T10:00:00Z")));
        let theirs = serde_json::json!({ "id": 6, "sha": "abc", "ref": "main", "payload": "" });
        assert_eq!((listed(&theirs).unwrap().git_ref.as_str(), listed(&theirs).unwrap().task.as_str()), ("main", "deploy"));
        assert_eq!(listed(&serde_json::json!({ "id": 7 })), None);
    }
}
