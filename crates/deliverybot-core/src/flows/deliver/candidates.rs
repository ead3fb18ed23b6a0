//! From the event to candidates: the refs and commits it asks to deploy, each paired with the
//! targets that select it. A push or a pull request names its commit, and a check names a commit:
//! each deploys only while it is still the tip of its ref (or the head of its pull request), so the
//! ref is read first. A dispatch names a ref to resolve (and may ask for `force`, which its
//! sender's role allows or not: `force`, and for a task of its own); a schedule lists the refs of
//! every automatic target.

use super::pulls::{self, Lookup, PullLookup};
use super::{Deliver, Progress};
use crate::config::{Config, Trigger};
use crate::deployment::Asked;
use crate::markdown::code;
use crate::event::{CheckEvent, DeploymentStatusEvent, Dispatch, Event, PullRequest, PullRequestEvent, Push, Repository};
use crate::github::{self, answer, Answer};
use crate::log::Log;
use crate::protocol::{Outcome, Reply};
use crate::refs::short_sha;
use crate::rules::Decision;
use crate::rules::select::{self, Selection};

/// What the event asks the rules to look at.
pub(super) enum Origin {
    Push(Push),
    PullRequest(PullRequest),
    Check(CheckEvent),
    Dispatch(Dispatch),
    Schedule,
    /// A deployment ended: the targets waiting on its environment (`after`, `serialize`).
    DeploymentStatus(DeploymentStatusEvent),
}

impl Origin {
    /// The event's origin and the repository it names (a schedule's names none); `Err` ends the
    /// run before any request (a deleted ref, a pull request action that deploys nothing).
    pub(super) fn of(event: Event, log: &mut Log) -> Result<(Origin, Option<Repository>), Outcome> {
        Ok(match event {
            Event::Push(push) if push.deleted => {
                log.info(format!("{} was deleted: nothing to deploy.", push.git_ref));
                return Err(Outcome::nothing_to_do(format!("{} was deleted: nothing to deploy.", code(&push.git_ref))));
            }
            Event::Push(push) => {
                let repository = push.repository.clone();
                (Origin::Push(push), Some(repository))
            }
            Event::PullRequest(event) => pull_request(event, log)?,
            Event::Check(check) => {
                let repository = check.repository.clone();
                (Origin::Check(check), Some(repository))
            }
            Event::Dispatch(dispatch) => {
                let repository = dispatch.repository.clone();
                (Origin::Dispatch(dispatch), Some(repository))
            }
            Event::Schedule => (Origin::Schedule, None),
            Event::DeploymentStatus(status) => {
                let repository = status.repository.clone();
                (Origin::DeploymentStatus(status), Some(repository))
            }
            Event::Deployment(_) | Event::Comment(_) | Event::Other { .. } => unreachable!("the engine routes only rules events here"),
        })
    }
}

/// A pull request event: its pull request, when the event is one that deploys it.
fn pull_request(event: PullRequestEvent, log: &mut Log) -> Result<(Origin, Option<Repository>), Outcome> {
    if !matches!(event.action.as_str(), "opened" | "synchronize" | "reopened" | "ready_for_review") {
        log.info(format!("Nothing to deploy when a pull request is {}.", event.action));
        return Err(Outcome::nothing_to_do(format!("Nothing to deploy when a pull request is `{}`.", event.action)));
    }
    let pr = PullRequest::from_object(event.pull_request, event.repository.id).map_err(Outcome::failed)?;
    Ok((Origin::PullRequest(pr), Some(event.repository)))
}

/// A ref and commit to deploy from.
pub(super) struct Candidate {
    pub git_ref: String,
    /// Empty until known (a dispatch's ref is resolved, a schedule's tip read).
    pub sha: String,
    pub pull_request: Option<PullRequest>,
    pub tip: Tip,
    /// A dispatch or a command: deploys even what is already deployed (a rollback).
    pub manual: bool,
    /// `/deploy --force`, or a dispatch's `force` its sender may ask for: the required checks are
    /// skipped (and not sent to GitHub).
    pub force: bool,
    /// What a dispatch or a command asked of the deploy beyond its target (a task, parameters).
    pub asked: Asked,
    /// Forced by an admin (`/deploy --force`, or a dispatch's `force`): a freeze window does not hold it either.
    pub forced_by_admin: bool,
    /// Other readings of a dispatch's short ref, tried in turn when one does not exist
    /// (`v1.2` → `refs/heads/v1.2`, then `refs/tags/v1.2`, then a commit named `v1.2`).
    pub fallbacks: Vec<String>,
}

/// What is known of where the candidate's ref points now. Every automatic candidate reads it (an
/// event may be delivered late or run again, after its ref has moved on); only a manual deploy of
/// a named commit does not.
pub(super) enum Tip {
    /// `/deploy` of the pull request's head it was asked for: deployed as asked.
    Asked,
    /// Read the ref to learn whether `sha` is still its tip (or, with no `sha`, what the tip is).
    ReadRef,
    /// The ref is an annotated tag: read the tag object for its commit. (A push of an annotated tag
    /// names the tag object itself; the commit it tags is what deploys.)
    ReadTag(String),
    /// Read the pull request for its head, state, draft state and fields.
    ReadPull(u64),
    /// Resolve a dispatch's ref (branch, tag or commit) to a commit.
    Resolve,
    /// Read: the commit the ref points to now.
    Read(String),
    /// The ref (or pull request) is gone: why.
    Gone(String),
    /// GitHub would not say where it points: why, with the fix.
    Unreadable(String),
}

/// How a dispatch's `ref` input is read: a full ref as a ref (annotated tags included), a commit
/// sha by the commits API, a short name as a branch, else a tag, else a commit. The first reading,
/// how to learn its tip, and the others in the order they are tried (last first).
fn dispatch_ref(git_ref: String) -> (String, Tip, Vec<String>) {
    let is_sha = git_ref.len() >= 7 && git_ref.len() <= 40 && git_ref.chars().all(|c| c.is_ascii_hexdigit());
    if git_ref.starts_with("refs/") {
        (git_ref, Tip::ReadRef, Vec::new())
    } else if is_sha {
        (git_ref, Tip::Resolve, Vec::new())
    } else {
        (format!("refs/heads/{git_ref}"), Tip::ReadRef, vec![git_ref.clone(), format!("refs/tags/{git_ref}")])
    }
}

impl Deliver {
    pub(super) fn candidate(&mut self, git_ref: String, sha: String, pull_request: Option<PullRequest>, tip: Tip, manual: bool) -> usize {
        if let Some(existing) = self.candidates.iter().position(|c| c.git_ref == git_ref && c.pull_request.is_none() && pull_request.is_none()) {
            return existing;
        }
        self.candidates.push(Candidate { git_ref, sha, pull_request, tip, manual, force: false, asked: Asked::default(), forced_by_admin: false, fallbacks: Vec::new() });
        self.candidates.len() - 1
    }

    /// Pairs the event's candidates with the targets they select.
    pub(super) fn select(&mut self, config: &Config, log: &mut Log) {
        match std::mem::replace(&mut self.origin, Origin::Schedule) {
            Origin::Push(push) => {
                let candidate = self.candidate(push.git_ref.clone(), push.after.clone(), None, Tip::ReadRef, false);
                self.select_ref(config, candidate, &push.git_ref, log);
                self.origin = Origin::Push(push);
            }
            Origin::PullRequest(pr) => {
                let candidate = self.candidate(pr.git_ref(), pr.head_sha.clone(), Some(pr.clone()), Tip::ReadPull(pr.number), false);
                self.select_pull_request(config, candidate, log);
                self.origin = Origin::PullRequest(pr);
            }
            Origin::Check(check) => {
                self.select_check(config, &check, log);
                self.origin = Origin::Check(check);
            }
            Origin::Dispatch(dispatch) => {
                self.select_dispatch(config, &dispatch, log);
                self.origin = Origin::Dispatch(dispatch);
            }
            Origin::Schedule => self.select_schedule(config),
            Origin::DeploymentStatus(status) => {
                self.select_deployment_status(config, &status, log);
                self.origin = Origin::DeploymentStatus(status);
            }
        }
    }

    fn select_ref(&mut self, config: &Config, candidate: usize, git_ref: &str, log: &mut Log) {
        for (target, spec) in config.targets.iter().enumerate() {
            match select::by_ref(spec, git_ref) {
                Selection::Deploys => {
                    log.info(format!("{}: {git_ref} matches.", spec.name));
                    self.plan(target, candidate, Progress::Tip);
                }
                Selection::Skipped { reason } | Selection::NotSelected { reason } => {
                    self.unselected += 1;
                    log.debug(format!("{}: {reason}.", spec.name));
                }
            }
        }
        if self.plans.is_empty() {
            log.info(format!("No target deploys {git_ref}."));
        }
    }

    fn select_pull_request(&mut self, config: &Config, candidate: usize, log: &mut Log) {
        let pr = self.candidates[candidate].pull_request.clone().expect("a pull request candidate");
        for (target, spec) in config.targets.iter().enumerate() {
            match select::by_pull_request(spec, &pr) {
                Selection::Deploys => {
                    log.info(format!("{}: deploys pull request #{}.", spec.name, pr.number));
                    self.plan(target, candidate, Progress::Tip);
                }
                Selection::Skipped { reason } => {
                    log.info(format!("{}: skipped: {reason}.", spec.name));
                    self.plan(target, candidate, Progress::Decided(Decision::Skipped { reason }));
                }
                Selection::NotSelected { reason } => {
                    self.unselected += 1;
                    log.debug(format!("{}: {reason}.", spec.name));
                }
            }
        }
        if self.plans.is_empty() {
            log.info(format!("No target deploys pull request #{}.", pr.number));
        }
    }

    /// The commit may be the tip of a branch, of a tag (a tag's workflow run names the tag as its
    /// "branch"), or the head of pull requests; reading the ref tells. A check that names no pull
    /// request (every `status`, a check on a fork's commit) has them looked up.
    fn select_check(&mut self, config: &Config, check: &CheckEvent, log: &mut Log) {
        for name in &check.names {
            for git_ref in [format!("refs/heads/{name}"), format!("refs/tags/{name}")] {
                let targets: Vec<usize> = (0..config.targets.len()).filter(|&t| select::by_ref(&config.targets[t], &git_ref).deploys()).collect();
                if targets.is_empty() {
                    continue;
                }
                let candidate = self.candidate(git_ref, check.sha.clone(), None, Tip::ReadRef, false);
                for target in targets {
                    self.plan(target, candidate, Progress::Tip);
                }
            }
        }
        let pr_targets = pulls::wanted(config);
        if pr_targets && check.pull_requests.is_empty() {
            self.pull_lookup = Some(PullLookup::new(Lookup::OfCommit(check.sha.clone())));
        }
        for &number in check.pull_requests.iter().filter(|_| pr_targets) {
            let candidate = self.candidate(format!("refs/pull/{number}/head"), check.sha.clone(), None, Tip::ReadPull(number), false);
            for target in 0..config.targets.len() {
                if config.targets[target].auto_deploy_on == Some(Trigger::PullRequest) {
                    self.plan(target, candidate, Progress::Tip);
                }
            }
        }
        self.count_unselected(config.targets.len());
        if self.plans.is_empty() && self.pull_lookup.is_none() {
            log.info(format!("No target deploys {} on this check.", short_sha(&check.sha)));
        }
    }

    fn select_dispatch(&mut self, config: &Config, dispatch: &Dispatch, log: &mut Log) {
        let names = || config.targets.iter().map(|t| format!("`{}`", t.name)).collect::<Vec<_>>().join(", ");
        let Some(name) = &dispatch.target else {
            self.end = Some(Outcome::failed(format!("a `{}` needs a `target` input (one of {})", self.event_name, names())));
            return;
        };
        let Some(target) = config.targets.iter().position(|t| &t.name == name) else {
            self.end = Some(Outcome::failed(format!("there is no target `{name}` in {}; the targets are {}", self.settings.config_path, names())));
            return;
        };
        let Some(git_ref) = dispatch.git_ref.clone().or_else(|| self.default_branch.clone().map(|b| format!("refs/heads/{b}"))) else {
            self.end = Some(Outcome::failed(format!("a `{}` needs a `ref` input", self.event_name)));
            return;
        };
        let forced = if dispatch.force { ", without its required checks if its sender may" } else { "" };
        log.info(format!("{name}: deploying {git_ref} on request{forced}."));
        let (first, tip, fallbacks) = dispatch_ref(git_ref);
        let candidate = self.candidate(first, String::new(), None, tip, true);
        self.candidates[candidate].fallbacks = fallbacks;
        self.unselected = config.targets.len() - 1;
        // Parameters the target does not take fail the deploy, saying what it takes.
        let params = match config.targets[target].params.accept(&dispatch.params) {
            Ok(params) => params,
            Err(refused) => {
                let reason = config.targets[target].params.explain(name, &refused, &|text| format!("`{text}`"));
                log.warning(format!("{name}: {reason}"));
                self.plan(target, candidate, Progress::Decided(Decision::Failed { reason }));
                return;
            }
        };
        self.candidates[candidate].asked = Asked { task: dispatch.task.clone(), params };
        self.plan(target, candidate, Progress::Tip);
        // The workflow's actor when the payload names no sender (a payload made by hand).
        let sender = if dispatch.sender.is_empty() { self.context.actor.clone() } else { dispatch.sender.clone() };
        self.check_sender(config, &sender, dispatch.force);
    }

    /// A schedule deploys the tip of each automatic target's ref: a pattern's refs are listed
    /// (by the prefix before its `*`), an exact ref is read; and the head of each open pull request
    /// for the `pr` targets.
    fn select_schedule(&mut self, config: &Config) {
        for (target, spec) in config.targets.iter().enumerate() {
            match &spec.auto_deploy_on {
                Some(Trigger::Ref(pattern)) => match pattern.find('*') {
                    Some(star) => {
                        let prefix = pattern[..star].trim_start_matches("refs/").to_string();
                        if !self.listings.iter().any(|(p, _)| *p == prefix) {
                            self.listings.push((prefix, true));
                        }
                    }
                    None => {
                        let candidate = self.candidate(pattern.clone(), String::new(), None, Tip::ReadRef, false);
                        self.plan(target, candidate, Progress::Tip);
                    }
                },
                Some(Trigger::PullRequest) | None => {}
            }
        }
        if pulls::wanted(config) {
            self.pull_lookup = Some(PullLookup::new(Lookup::Open));
        }
        self.count_unselected(config.targets.len());
    }

    /// A schedule's listing of refs by prefix: each ref a candidate for the targets it selects.
    pub(super) fn read_listing(&mut self, index: usize, reply: Reply, log: &mut Log) {
        let prefix = self.listings[index].0.clone();
        self.listings[index].1 = false;
        let refs = match answer(&reply) {
            Answer::Success { body, .. } => github::git_refs(body, "list refs"),
            failed => Err(failed.said()),
        };
        let refs = match refs {
            Ok(refs) => refs,
            Err(reason) => {
                log.warning(format!("Could not list refs starting with refs/{prefix}: {reason}"));
                self.end = Some(Outcome::failed(format!("Could not list refs starting with refs/{prefix}: {reason}")));
                return;
            }
        };
        for git_ref in refs {
            let targets: Vec<usize> = {
                let config = self.config();
                (0..config.targets.len()).filter(|&t| select::by_ref(&config.targets[t], &git_ref.name).deploys()).collect()
            };
            // Listed just now: the tip. An annotated tag points to a tag object: read it for the commit.
            let (sha, tip) = if git_ref.kind == "tag" { (String::new(), Tip::ReadTag(git_ref.sha)) } else { (git_ref.sha.clone(), Tip::Read(git_ref.sha)) };
            let candidate = self.candidate(git_ref.name, sha, None, tip, false);
            for target in targets {
                self.plan(target, candidate, Progress::Tip);
            }
        }
        let targets = self.config().targets.len();
        self.count_unselected(targets);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dispatch_ref_is_a_ref_a_commit_or_a_branch_then_a_tag_then_a_commit() {
        let (first, tip, fallbacks) = dispatch_ref("refs/tags/v1".into());
        assert!((first.as_str(), fallbacks.len()) == ("refs/tags/v1", 0) && matches!(tip, Tip::ReadRef));
        let (first, tip, _) = dispatch_ref("6113728f27ae".into());
        assert!(first == "6113728f27ae" && matches!(tip, Tip::Resolve));
        let (first, tip, fallbacks) = dispatch_ref("v1.2".into());
        assert!(first == "refs/heads/v1.2" && matches!(tip, Tip::ReadRef));
        // Tried last first: the tag, then a commit of that name.
        assert_eq!(fallbacks, ["v1.2", "refs/tags/v1.2"]);
    }
}
