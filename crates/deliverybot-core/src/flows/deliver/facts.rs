//! Gathering the facts the rules decide on, each read once and shared by every plan that needs it:
//! where a ref points now, the commit (for `commit.*` templates), the deployments that exist, the
//! required checks, and the environment locks.

use super::candidates::Tip;
use super::{Awaiting, Deliver, Progress};
use crate::event::PullRequest;
use crate::github::{self, answer, Answer, MAX_PAGES};
use crate::locks::{self, Lock};
use crate::log::Log;
use crate::protocol::{Reply, Request};
use crate::refs::short_sha;
use crate::rules::Decision;
use crate::rules::checks::{Check, CheckState};
use crate::template::Var;
use serde_json::Value;

/// A fact that takes a request to learn.
pub(super) enum Fetch<T> {
    Unread,
    Read(T),
    Failed(String),
}

/// The checks on a commit, read page by page: its commit statuses, then its check runs.
pub(super) struct ChecksFetch {
    pub statuses: Vec<Check>,
    pub runs: Vec<Check>,
    /// Next page to read of each, `None` once done.
    statuses_page: Option<u32>,
    runs_page: Option<u32>,
    pub failed: Option<String>,
}

impl Deliver {
    /// The request that reads a plan's tip, unless it is known already.
    pub(super) fn tip_request(&mut self, index: usize) -> Option<Request> {
        let candidate_index = self.plans[index].candidate;
        let candidate = &self.candidates[candidate_index];
        let request = match &candidate.tip {
            Tip::ReadRef => github::get_ref(&self.repo, candidate.git_ref.trim_start_matches("refs/")),
            Tip::ReadTag(sha) => github::get_tag(&self.repo, sha),
            Tip::ReadPull(number) => github::get_pull(&self.repo, *number),
            Tip::Resolve => github::get_commit(&self.repo, &candidate.git_ref),
            Tip::Asked | Tip::Read(_) | Tip::Gone(_) | Tip::Unreadable(_) => return None,
        };
        self.awaiting = Some(Awaiting::Tip(candidate_index));
        Some(request)
    }

    /// Where the candidate's ref points: a commit, a tag object to read next, another reading of a
    /// dispatch's ref to try, or gone.
    pub(super) fn read_tip(&mut self, index: usize, reply: Reply) {
        let candidate = &mut self.candidates[index];
        let what = match &candidate.tip {
            Tip::ReadPull(number) => format!("pull request #{number}"),
            _ => candidate.git_ref.clone(),
        };
        let body = match answer(&reply) {
            Answer::Success { body, .. } => body,
            Answer::NotFound { .. } | Answer::Refused { status: 422, .. } if !candidate.fallbacks.is_empty() => {
                let next = candidate.fallbacks.pop().expect("not empty");
                candidate.tip = if next.starts_with("refs/") { Tip::ReadRef } else { Tip::Resolve };
                candidate.git_ref = next;
                return;
            }
            Answer::NotFound { .. } | Answer::Refused { status: 422, .. } => {
                candidate.tip = Tip::Gone(format!("{what} does not exist (any more)"));
                return;
            }
            // Not knowing where the ref points, deploying could roll it back: fail, with the fix.
            failed => {
                let permission = if matches!(candidate.tip, Tip::ReadPull(_)) { "pull-requests: read" } else { "contents: read" };
                candidate.tip = Tip::Unreadable(failed.refusal(&format!("read {what}"), Some(permission)));
                return;
            }
        };
        let field = |body: &str, purpose: &str, pointer: &str| -> Result<(String, Value), String> {
            let value = github::json(body, purpose)?;
            let found = github::text(&value, pointer).ok_or_else(|| github::missing(purpose, pointer))?.to_string();
            Ok((found, value))
        };
        let fact: Result<Tip, String> = match std::mem::replace(&mut candidate.tip, Tip::Asked) {
            Tip::ReadRef => field(body, "read a ref", "/object/sha").map(|(sha, value)| {
                if github::text(&value, "/object/type") == Some("tag") { Tip::ReadTag(sha) } else { Tip::Read(sha) }
            }),
            Tip::ReadTag(tag) => field(body, "read a tag", "/object/sha").map(|(commit, _)| {
                // A push of an annotated tag names the tag object: still the tag's, so its commit deploys.
                if candidate.sha == tag {
                    candidate.sha = commit.clone();
                }
                Tip::Read(commit)
            }),
            Tip::Resolve => field(body, "resolve a ref", "/sha").map(|(sha, _)| Tip::Read(sha)),
            Tip::ReadPull(_) => github::json(body, "read a pull request").and_then(|object| PullRequest::from_object(object, 0)).map(|pr| {
                let head = pr.head_sha.clone();
                candidate.git_ref = pr.git_ref();
                candidate.pull_request = Some(pr);
                Tip::Read(head)
            }),
            known @ (Tip::Asked | Tip::Read(_) | Tip::Gone(_) | Tip::Unreadable(_)) => Ok(known),
        };
        candidate.tip = match fact {
            Ok(Tip::Read(tip)) => {
                // A ref read without a commit named (a dispatch, a schedule): its tip is the commit.
                if candidate.sha.is_empty() {
                    candidate.sha = tip.clone();
                }
                Tip::Read(tip)
            }
            Ok(next) => next,
            Err(reason) => Tip::Gone(reason),
        };
    }

    /// The commit, when the target's templates use `commit.*` and it is not read yet.
    pub(super) fn commit_request(&mut self, index: usize) -> Option<Request> {
        let plan = &self.plans[index];
        let sha = self.candidates[plan.candidate].sha.clone();
        let uses_commit = self.config().targets[plan.target].uses(&|var| matches!(var, Var::Commit(_)));
        if uses_commit && !self.commits.contains_key(&sha) {
            self.commits.insert(sha.clone(), Fetch::Unread);
        }
        if let Some(Fetch::Unread) = self.commits.get(&sha) {
            self.awaiting = Some(Awaiting::Commit(sha.clone()));
            return Some(github::get_commit(&self.repo, &sha));
        }
        None
    }

    pub(super) fn read_commit(&mut self, sha: String, reply: Reply) {
        let fact = match answer(&reply) {
            Answer::Success { body, .. } => match github::json(body, "read the commit") {
                Ok(commit) => Fetch::Read(commit),
                Err(reason) => Fetch::Failed(reason),
            },
            failed => Fetch::Failed(format!("could not read commit {} for `commit.*`: {}", short_sha(&sha), failed.said())),
        };
        self.commits.insert(sha, fact);
    }

    /// Is there a deployment of this commit to this environment already?
    pub(super) fn existing_request(&mut self, index: usize) -> Request {
        let body = self.plans[index].body.as_ref().expect("rendered before it is checked");
        self.awaiting = Some(Awaiting::Existing(index));
        github::find_deployment(&self.repo, &body.sha, &body.environment, &body.task)
    }

    pub(super) fn read_existing(&mut self, index: usize, reply: Reply, log: &mut Log) {
        let environment = &self.plans[index].body.as_ref().expect("rendered before it is checked").environment;
        let purpose = format!("look for an existing deployment to {environment}");
        let found = match answer(&reply) {
            Answer::Success { body, .. } => github::deployments(body, &purpose).map(|found| found.into_iter().next()),
            // Without knowing, creating could deploy the same commit twice: report instead.
            failed => Err(format!("could not {purpose}: {}", failed.said())),
        };
        match found {
            Ok(existing) => self.judge_existing(index, existing.map(|d| d.id), log),
            Err(reason) => self.plans[index].progress = Progress::Decided(Decision::Failed { reason }),
        }
    }

    /// The next page of the commit's statuses or check runs, while some are unread.
    pub(super) fn checks_request(&mut self, index: usize) -> Option<Request> {
        let sha = self.plans[index].body.as_ref().expect("rendered before its checks").sha.clone();
        let fetch = self.checks.entry(sha.clone()).or_insert(ChecksFetch {
            statuses: Vec::new(),
            runs: Vec::new(),
            statuses_page: Some(1),
            runs_page: Some(1),
            failed: None,
        });
        if let Some(page) = fetch.statuses_page {
            self.awaiting = Some(Awaiting::Statuses(sha.clone()));
            return Some(github::combined_status(&self.repo, &sha, page));
        }
        if let Some(page) = fetch.runs_page {
            self.awaiting = Some(Awaiting::Runs(sha.clone()));
            return Some(github::check_runs(&self.repo, &sha, page));
        }
        None
    }

    pub(super) fn read_checks(&mut self, sha: String, statuses: bool, reply: Reply) {
        let fetch = self.checks.get_mut(&sha).expect("requested checks are tracked");
        let purpose = if statuses { "read commit statuses" } else { "read check runs" };
        match answer(&reply) {
            Answer::Success { body, more, .. } => match github::json(body, purpose) {
                Ok(page) if statuses => {
                    for status in github::items_at(&page, "/statuses") {
                        let (Some(context), Some(state)) = (github::text(status, "/context"), github::text(status, "/state")) else { continue };
                        fetch.statuses.push(Check { name: context.to_string(), state: CheckState::of_status(state) });
                    }
                    fetch.statuses_page = fetch.statuses_page.filter(|p| more && *p < MAX_PAGES).map(|p| p + 1);
                }
                Ok(page) => {
                    // Newest first: the first run of a name is its latest.
                    for run in github::items_at(&page, "/check_runs") {
                        let Some(name) = github::text(run, "/name") else { continue };
                        if !fetch.runs.iter().any(|r| r.name == name) {
                            let state = CheckState::of_run(github::text(run, "/status").unwrap_or_default(), github::text(run, "/conclusion"));
                            fetch.runs.push(Check { name: name.to_string(), state });
                        }
                    }
                    fetch.runs_page = fetch.runs_page.filter(|p| more && *p < MAX_PAGES).map(|p| p + 1);
                }
                Err(reason) => fetch.failed = Some(reason),
            },
            failed => fetch.failed = Some(format!("could not {purpose}: {}", failed.said())),
        }
        if fetch.failed.is_some() {
            fetch.statuses_page = None;
            fetch.runs_page = None;
        }
    }

    /// The environment locks, read once for every plan; then the lock on this plan's environment,
    /// if there is one, for who took it and why.
    pub(super) fn lock_request(&mut self, index: usize) -> Option<Request> {
        let locked = match &self.locks {
            Fetch::Unread => {
                self.awaiting = Some(Awaiting::Locks);
                return Some(locks::list(&self.repo));
            }
            Fetch::Read(locked) => locked,
            Fetch::Failed(_) => return None,
        };
        let environment = &self.plans[index].body.as_ref().expect("rendered").environment;
        let (_, tag) = locks::find(locked, environment)?;
        if self.lock_details.contains_key(environment) {
            return None;
        }
        let request = github::get_tag(&self.repo, tag);
        self.awaiting = Some(Awaiting::LockDetail(environment.clone()));
        Some(request)
    }

    pub(super) fn read_locks(&mut self, reply: Reply) {
        self.locks = match answer(&reply) {
            Answer::Success { body, .. } => match github::git_refs(body, "list the locks") {
                Ok(refs) => Fetch::Read(refs.into_iter().filter_map(|git_ref| Some((locks::environment_of(&git_ref.name)?, git_ref.sha))).collect()),
                Err(reason) => Fetch::Failed(reason),
            },
            // Without knowing the locks, deploying could break one: report instead.
            failed => Fetch::Failed(failed.refusal("read the environment locks", Some("contents: read"))),
        };
    }

    pub(super) fn read_lock_detail(&mut self, environment: String, reply: Reply) {
        let lock = match answer(&reply) {
            Answer::Success { body, .. } => Lock::from_tag(body, &environment),
            // The ref exists, so the environment is locked, even if its record cannot be read.
            _ => Lock { environment: environment.clone(), by: "someone".into(), reason: String::new(), pr: None, since: String::new() },
        };
        self.lock_details.insert(environment, lock);
    }
}
