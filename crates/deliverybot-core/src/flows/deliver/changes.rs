//! The facts `paths:` decides on: the commit a target last deployed to its environment (the newest
//! deployment of the environment, for the target's task, whose `payload.target` is the target's),
//! and GitHub's comparison of that commit with the new one. An environment's deployments are read
//! once for every target that deploys there (whatever its task), and each comparison once for
//! every target that needs it: services that last deployed the same commit share one.

use super::facts::Fetch;
use super::{Awaiting, Deliver};
use crate::github::{self, answer, Answer};
use crate::protocol::{Reply, Request};
use crate::rules::paths::{Changes, Comparison};
use serde_json::Value;

/// Pages of 100 deployments read at the most while a target looks for its last one: past them,
/// it deploys as if it had none, and says so.
pub(super) const DEPLOYMENT_PAGES: u32 = 3;

/// An environment's deployments read so far, newest first.
pub(super) struct EnvironmentDeployments {
    listed: Vec<Listed>,
    /// The next page to read; `None` once every page is read, or the bound is reached.
    next_page: Option<u32>,
    /// Whether pages were left unread at the bound.
    bounded: bool,
    failed: Option<String>,
}

/// A deployment read: its `payload.target` (when its payload is an object that has one), task and
/// commit.
struct Listed {
    target: Option<Value>,
    task: String,
    sha: String,
}

/// What GitHub answered to a comparison.
#[derive(Debug, Clone)]
pub(super) enum Compared {
    Yes(Comparison),
    /// Not compared (the commit is gone: 404; or GitHub failed to compare): its answer.
    No(String),
}

/// Where a plan is in learning its changes.
enum Known {
    /// A request is needed first.
    Ask(Request),
    /// The changes, or why they cannot be known (a failure of this plan).
    Changes(Result<Changes, String>),
    /// The target last deployed this very commit: the already-deployed rule decides.
    SameCommit,
}

impl Deliver {
    /// Whether the plan's target names its files and the deploy is automatic: a manual deploy
    /// (a dispatch, `/deploy`) deploys what was asked.
    pub(super) fn paths_apply(&self, index: usize) -> bool {
        let plan = &self.plans[index];
        self.config().targets[plan.target].paths.filters() && !self.candidates[plan.candidate].manual
    }

    /// The next request the plan's changes need, if any.
    pub(super) fn changes_request(&mut self, index: usize) -> Option<Request> {
        match self.changes(index) {
            Known::Ask(request) => Some(request),
            Known::Changes(_) | Known::SameCommit => None,
        }
    }

    /// The plan's changes since its target's last deployment, once known: `None` when the target
    /// last deployed this very commit (then the already-deployed rule decides).
    pub(super) fn known_changes(&mut self, index: usize) -> Option<Result<Changes, String>> {
        match self.changes(index) {
            Known::Changes(changes) => Some(changes),
            Known::SameCommit => None,
            Known::Ask(_) => unreachable!("judged once every fact is read"),
        }
    }

    fn changes(&mut self, index: usize) -> Known {
        let body = self.plans[index].body.as_ref().expect("rendered before its changes");
        let (environment, task, head) = (body.environment.clone(), body.task.clone(), body.sha.clone());
        let target = body.payload.get("target").cloned();
        let listing = self.deployed.entry(environment.clone()).or_insert(EnvironmentDeployments { listed: Vec::new(), next_page: Some(1), bounded: false, failed: None });
        if let Some(reason) = &listing.failed {
            return Known::Changes(Err(reason.clone()));
        }
        let last = listing.listed.iter().find(|d| d.target.is_some() && d.target == target && d.task == task).map(|d| d.sha.clone());
        let Some(base) = last else {
            return match listing.next_page {
                Some(page) => {
                    let request = github::list_deployments(&self.repo, &environment, page);
                    self.awaiting = Some(Awaiting::Deployed(environment));
                    Known::Ask(request)
                }
                None => Known::Changes(Ok(Changes::FirstDeployment { bounded: listing.bounded })),
            };
        };
        if base == head {
            return Known::SameCommit;
        }
        let pair = (base.clone(), head.clone());
        match self.comparisons.get(&pair) {
            Some(Fetch::Read(Compared::Yes(comparison))) => Known::Changes(Ok(Changes::Compared { base, comparison: comparison.clone() })),
            Some(Fetch::Read(Compared::No(said))) => Known::Changes(Ok(Changes::Uncompared { base, said: said.clone() })),
            Some(Fetch::Failed(reason)) => Known::Changes(Err(reason.clone())),
            Some(Fetch::Unread) | None => {
                self.comparisons.insert(pair.clone(), Fetch::Unread);
                self.awaiting = Some(Awaiting::Compare(pair));
                Known::Ask(github::compare(&self.repo, &base, &head))
            }
        }
    }

    pub(super) fn read_deployed(&mut self, environment: String, reply: Reply) {
        let listing = self.deployed.get_mut(&environment).expect("requested listings are tracked");
        let page = listing.next_page.take().unwrap_or(1);
        let purpose = format!("list the deployments to {environment}");
        match answer(&reply) {
            Answer::Success { body, more, .. } => match github::json(body, &purpose) {
                Ok(value) => {
                    for deployment in github::items(&value) {
                        let Some(sha) = github::text(deployment, "/sha") else { continue };
                        let target = github::at(deployment, "/payload/target").cloned();
                        let task = github::text(deployment, "/task").unwrap_or("deploy").to_string();
                        listing.listed.push(Listed { target, task, sha: sha.to_string() });
                    }
                    listing.next_page = (more && page < DEPLOYMENT_PAGES).then_some(page + 1);
                    listing.bounded = more && page >= DEPLOYMENT_PAGES;
                }
                Err(reason) => listing.failed = Some(reason),
            },
            // Not knowing what it last deployed, the target could be left behind: report instead.
            failed => listing.failed = Some(failed.refusal(&purpose, Some("deployments: read"))),
        }
    }

    pub(super) fn read_comparison(&mut self, key: (String, String), reply: Reply) {
        let purpose = format!("compare {} with {}", key.0, key.1);
        let fact = match answer(&reply) {
            Answer::Success { body, .. } => match github::json(body, &purpose) {
                Ok(value) => {
                    let listed = github::items_at(&value, "/files");
                    // A renamed file changed under both of its names.
                    let files = listed
                        .iter()
                        .flat_map(|file| [github::text(file, "/filename"), github::text(file, "/previous_filename")])
                        .flatten()
                        .map(str::to_string)
                        .collect();
                    let status = github::text(&value, "/status").unwrap_or("ahead").to_string();
                    Fetch::Read(Compared::Yes(Comparison { status, files, listed: listed.len() }))
                }
                Err(reason) => Fetch::Failed(reason),
            },
            // The commit is gone (a force-push and a garbage collection), or GitHub could not work
            // the comparison out in time: deploy, as GitHub's own `paths:` filters do.
            gone @ (Answer::NotFound { .. } | Answer::Refused { status: 500 | 502 | 503 | 504, .. } | Answer::Lost { .. }) => Fetch::Read(Compared::No(gone.said())),
            refused => Fetch::Failed(refused.refusal(&purpose, Some("contents: read"))),
        };
        self.comparisons.insert(key, fact);
    }
}
