//! What happened to one selected target: the decision the rules came to, carrying its reason, so
//! that the log, the outputs and the summary all say the same thing.

use super::pipeline::Standing;
use crate::refs::short_sha;

/// What happened to one selected target.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Created { id: u64, url: String },
    /// Dry run: the deployment would have been created.
    WouldCreate,
    /// This commit already has a deployment to this environment.
    AlreadyDeployed { id: u64 },
    /// The commit is no longer the tip of its ref: only the newest commit is deployed.
    Superseded { by: String },
    /// None of the files the target names (`paths`) changed since `since`, the commit it last deployed.
    Unchanged { since: String },
    /// Required checks are pending or not reported yet; a later event deploys it.
    Waiting { contexts: Vec<String> },
    /// Required checks failed.
    Blocked { contexts: Vec<String> },
    /// `after`: the newest commit has not succeeded in the `after` target's environment yet.
    WaitingFor { after: String, sha: String, standing: Standing },
    /// `after` with `soak`: the commit succeeded there, and deploys once that success is this old.
    Soaking { after: String, sha: String, until: String },
    /// `serialize`: the environment has a deployment in progress.
    InProgress { deployment: u64 },
    /// The environment is locked (`/lock`): "locked by @octocat since ...: reason".
    Locked { description: String },
    /// Inside a freeze window (`freeze:`): waits until it ends, `Mon 06:00 Europe/Berlin`.
    Frozen { until: String },
    /// Not for this event after all (a fork, a draft, a ref that is gone).
    Skipped { reason: String },
    /// GitHub did not create it, for a reason that is not an error of this run.
    NotCreated { reason: String },
    /// Something went wrong; the step fails.
    Failed { reason: String },
}

impl Decision {
    /// The reason in words, for the summary and the `skipped`/`waiting` outputs.
    pub fn reason(&self) -> String {
        match self {
            Decision::Created { id, .. } => format!("created deployment {id}"),
            Decision::WouldCreate => "would create (dry run)".to_string(),
            Decision::AlreadyDeployed { id } => format!("already deployed (deployment {id})"),
            Decision::Superseded { by } => format!("superseded by {}", short_sha(by)),
            Decision::Unchanged { since } => format!("none of its files changed since {}", short_sha(since)),
            Decision::Waiting { contexts } => format!("waiting for {}", contexts.join(", ")),
            Decision::Blocked { contexts } => format!("blocked by {}", contexts.join(", ")),
            Decision::WaitingFor { after, sha, standing } => {
                let standing = match standing {
                    Standing::NotDeployed => "not yet deployed there",
                    Standing::Deploying => "still deploying there",
                    Standing::Failed => "failed there",
                    Standing::Inactive => "inactive there",
                };
                format!("after {after}: {} {standing}", short_sha(sha))
            }
            Decision::Soaking { after, sha, until } => format!("after {after}: {} soaking until {until}", short_sha(sha)),
            Decision::InProgress { deployment } => format!("waiting for deployment {deployment} to finish"),
            Decision::Locked { description } => description.clone(),
            Decision::Frozen { until } => format!("frozen until {until}"),
            Decision::Skipped { reason } | Decision::NotCreated { reason } | Decision::Failed { reason } => reason.clone(),
        }
    }

    /// One word for the decision, in the summary's table.
    pub fn label(&self) -> &'static str {
        match self {
            Decision::Created { .. } => "created",
            Decision::WouldCreate => "would create",
            Decision::AlreadyDeployed { .. } => "already deployed",
            Decision::Superseded { .. } => "superseded",
            Decision::Unchanged { .. } => "unchanged",
            Decision::Waiting { .. } => "waiting",
            Decision::Blocked { .. } => "blocked",
            Decision::WaitingFor { .. } | Decision::InProgress { .. } => "waiting",
            Decision::Soaking { .. } => "soaking",
            Decision::Locked { .. } => "locked",
            Decision::Frozen { .. } => "frozen",
            Decision::Skipped { .. } => "skipped",
            Decision::NotCreated { .. } => "not created",
            Decision::Failed { .. } => "failed",
        }
    }
}
