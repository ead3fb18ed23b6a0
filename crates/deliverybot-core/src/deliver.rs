//! The rules mode: from an event to deployments.
//!
//! The repository is the only state. Each run re-derives what to do: read the config from the
//! default branch; turn the event into candidates (a ref and a commit, maybe a pull request); pair
//! them with the targets they select; and for each pair decide, in order:
//!
//! 1. stale: the commit is no longer the tip of its ref → superseded (only for events that do not
//!    themselves say it is the tip: checks, schedules);
//! 2. already deployed: a deployment of this commit to the rendered environment exists → skip
//!    (not for manual dispatches, which may redeploy on purpose, for a rollback);
//! 3. checks: every `required_contexts` entry green → go on; pending or missing → waiting (a later
//!    event deploys it); failed → blocked;
//! 4. create the deployment, and start the `settings.dispatch` workflow for it.

use crate::config::{Config, Trigger};
use crate::deployment::{NewDeployment, Source};
use crate::engine::Flow;
use crate::event::{CheckEvent, Dispatch, Event, PullRequest, PullRequestEvent, Push, Repository};
use crate::github::{self, answer, Answer, Deployment};
use crate::invocation::{Repo, RunContext, Settings};
use crate::locks::{self, Lock};
use crate::log::Log;
use crate::protocol::{Annotation, Method, Outcome, Reply, Request, RequestRecord};
use crate::refs::{short_name, short_sha};
use crate::report::{plural, Decision, Report, Row};
use crate::rules::{self, Check, CheckState, Verdict};
use crate::template::Var;
use crate::yaml::Diagnostic;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Pages of a list read at the most (100 items each): an answer that always says there is a next
/// page must not keep a run going forever.
pub(crate) const MAX_PAGES: u32 = 50;

/// What the event asks the rules to look at.
pub(crate) enum Origin {
    Push(Push),
    PullRequest(PullRequest),
    Check(CheckEvent),
    Dispatch(Dispatch),
    Schedule,
}

pub(crate) struct Deliver {
    repo: Repo,
    settings: Settings,
    context: RunContext,
    event_name: String,
    /// `None` when the event does not say (a schedule): the Contents API then reads the default branch.
    default_branch: Option<String>,
    origin: Origin,
    /// `None` until read from the default branch.
    config: Option<Config>,
    /// Ref prefixes a schedule lists (`heads/release-`), and whether each is still to be read.
    /// (GitHub answers matching-refs with every match at once: there are no pages.)
    listings: Vec<(String, bool)>,
    candidates: Vec<Candidate>,
    plans: Vec<Plan>,
    /// (target, candidate) pairs already planned.
    planned: BTreeSet<(usize, usize)>,
    /// Facts about commits, read once each and shared by every plan that needs them.
    commits: BTreeMap<String, Fetch<Value>>,
    checks: BTreeMap<String, ChecksFetch>,
    /// Locked environments (environment → the lock's tag), read once, only when about to create.
    locks: Fetch<Vec<(String, String)>>,
    /// The locks of environments a plan would deploy to, read when needed.
    lock_details: BTreeMap<String, Lock>,
    /// Targets the event does not deploy.
    unselected: usize,
    /// Plans before this index are decided; planning stays linear in the number of targets.
    cursor: usize,
    awaiting: Option<Awaiting>,
    /// Set when the run ends early (no config, a bad config, ...).
    end: Option<Outcome>,
}

/// A ref and commit to deploy from.
struct Candidate {
    git_ref: String,
    /// Empty until known (a dispatch's ref is resolved, a schedule's tip read).
    sha: String,
    pull_request: Option<PullRequest>,
    tip: Tip,
    /// A dispatch or a command: deploys even what is already deployed (a rollback).
    manual: bool,
    /// `/deploy --force`: the required checks are skipped (and not sent to GitHub).
    force: bool,
    /// Other readings of a dispatch's short ref, tried in turn when one does not exist
    /// (`v1.2` → `refs/heads/v1.2`, then `refs/tags/v1.2`, then a commit named `v1.2`).
    fallbacks: Vec<String>,
}

enum Tip {
    /// Known: the event itself says this commit is the tip, or it was read.
    Known,
    /// Read the ref to learn whether `sha` is still its tip (or, with no `sha`, what the tip is).
    ReadRef,
    /// The ref is an annotated tag: read the tag object for its commit.
    ReadTag(String),
    /// Read the pull request for its head, draft state and fields.
    ReadPull(u64),
    /// Resolve a dispatch's ref (branch, tag or commit) to a commit.
    Resolve,
    Superseded(String),
    Gone(String),
}

enum Fetch<T> {
    Unread,
    Read(T),
    Failed(String),
}

struct ChecksFetch {
    statuses: Vec<Check>,
    runs: Vec<Check>,
    /// Next page to read of each, `None` once done.
    statuses_page: Option<u32>,
    runs_page: Option<u32>,
    failed: Option<String>,
}

/// What the request that is out was for.
#[derive(Debug, Clone)]
enum Awaiting {
    Config,
    Listing(usize),
    Tip(usize),
    Commit(String),
    Statuses(String),
    Runs(String),
    Locks,
    LockDetail(String),
    Existing(usize),
    Create(usize, u8),
    Recover(usize, u8, String),
    Dispatch(usize, u64),
}

/// One (target, candidate) pair on its way to a deployment.
struct Plan {
    /// Index into the config's targets.
    target: usize,
    candidate: usize,
    body: Option<NewDeployment>,
    /// The newest deployment of this commit to this environment before ours: a deployment found
    /// after a lost answer is ours only if it is newer.
    before: Option<u64>,
    progress: Progress,
}

enum Progress {
    Tip,
    Render,
    Existing,
    Checks,
    /// Is the environment locked (`/lock`)?
    Lock,
    /// Create it; `attempt` counts the tries whose answer was lost.
    Create { attempt: u8 },
    /// A create's answer was lost (no answer, or a 5xx after which GitHub may have created it):
    /// look for the deployment before trying again, so one decision never makes two deployments.
    Recover { attempt: u8, error: String },
    /// Created; start the dispatch workflow for it.
    Dispatch(u64, String),
    Decided(Decision),
}

impl Deliver {
    #[inline(never)]
    pub fn new(repo: Repo, settings: Settings, context: RunContext, event_name: &str, event: Event, log: &mut Log) -> Result<Deliver, Outcome> {
        let (origin, repository) = match event {
            Event::Push(push) if push.deleted => return Err(deleted(&push.git_ref, log)),
            Event::Push(push) => {
                let repository = push.repository.clone();
                (Origin::Push(push), Some(repository))
            }
            Event::PullRequest(event) => pull_request_origin(event, log)?,
            Event::Check(check) => {
                let repository = check.repository.clone();
                (Origin::Check(check), Some(repository))
            }
            Event::Dispatch(dispatch) => {
                let repository = dispatch.repository.clone();
                (Origin::Dispatch(dispatch), Some(repository))
            }
            Event::Schedule => (Origin::Schedule, None),
            Event::Deployment(_) | Event::Comment(_) | Event::Other { .. } => unreachable!("the engine routes only rules events here"),
        };
        // A schedule's payload names no repository; its run is on the default branch.
        let default_branch = repository.map(|r| r.default_branch).or_else(|| Some(context.ref_name.clone()).filter(|b| !b.is_empty()));
        Ok(Deliver::start(repo, settings, context, event_name, default_branch, origin, None))
    }

    /// A flow with nothing decided yet.
    fn start(repo: Repo, settings: Settings, context: RunContext, event_name: &str, default_branch: Option<String>, origin: Origin, config: Option<Config>) -> Deliver {
        Deliver {
            repo,
            settings,
            context,
            event_name: event_name.to_string(),
            default_branch,
            origin,
            config,
            listings: Vec::new(),
            candidates: Vec::new(),
            plans: Vec::new(),
            planned: BTreeSet::new(),
            commits: BTreeMap::new(),
            checks: BTreeMap::new(),
            locks: Fetch::Unread,
            lock_details: BTreeMap::new(),
            unselected: 0,
            cursor: 0,
            awaiting: None,
            end: None,
        }
    }

    /// `/deploy <target>` on a pull request: the rules' own flow for one target, at the head,
    /// with the config already read.
    #[allow(clippy::too_many_arguments)]
    pub fn for_command(
        repo: Repo,
        settings: Settings,
        context: RunContext,
        config: Config,
        pr: PullRequest,
        target: usize,
        force: bool,
        default_branch: String,
        log: &mut Log,
    ) -> Deliver {
        let name = config.targets[target].name.clone();
        log.info(format!("{name}: deploying #{} ({}) on request{}.", pr.number, short_sha(&pr.head_sha), if force { ", skipping its checks" } else { "" }));
        let mut deliver = Deliver::start(repo, settings, context, "issue_comment", Some(default_branch), Origin::PullRequest(pr.clone()), Some(config));
        let candidate = deliver.candidate(pr.git_ref(), pr.head_sha.clone(), Some(pr), Tip::Known, true);
        deliver.candidates[candidate].force = force;
        deliver.plan(target, candidate, Progress::Render);
        deliver
    }

    fn run_url(&self) -> String {
        self.context.run_url()
    }

    fn branch_label(&self) -> &str {
        self.default_branch.as_deref().unwrap_or("the default branch")
    }

    fn config(&self) -> &Config {
        self.config.as_ref().expect("plans exist only once the config is read")
    }

    // ── the config and the candidates ────────────────────────────────────────────────────────────

    #[inline(never)]
    fn read_config(&mut self, reply: Reply, log: &mut Log) {
        match load_config(&reply, &self.settings.config_path, self.branch_label(), log) {
            Ok(config) => {
                self.select(&config, log);
                self.config = Some(config);
            }
            Err(end) => self.end = Some(end),
        }
    }

    fn candidate(&mut self, git_ref: String, sha: String, pull_request: Option<PullRequest>, tip: Tip, manual: bool) -> usize {
        if let Some(existing) = self.candidates.iter().position(|c| c.git_ref == git_ref && c.pull_request.is_none() && pull_request.is_none()) {
            return existing;
        }
        self.candidates.push(Candidate { git_ref, sha, pull_request, tip, manual, force: false, fallbacks: Vec::new() });
        self.candidates.len() - 1
    }

    fn plan(&mut self, target: usize, candidate: usize, progress: Progress) {
        // A ref can reach a target twice (a schedule lists `refs/heads/*` and reads `refs/heads/main`):
        // one plan each.
        if self.planned.insert((target, candidate)) {
            self.plans.push(Plan { target, candidate, body: None, before: None, progress });
        }
    }

    /// Pairs the event's candidates with the targets they select.
    #[inline(never)]
    fn select(&mut self, config: &Config, log: &mut Log) {
        match std::mem::replace(&mut self.origin, Origin::Schedule) {
            Origin::Push(push) => {
                let candidate = self.candidate(push.git_ref.clone(), push.after.clone(), None, Tip::Known, false);
                self.select_ref(config, candidate, &push.git_ref, log);
                self.origin = Origin::Push(push);
            }
            Origin::PullRequest(pr) => {
                let candidate = self.candidate(pr.git_ref(), pr.head_sha.clone(), Some(pr.clone()), Tip::Known, false);
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
        }
    }

    /// The commit may be the tip of a branch, of a tag (a tag's workflow run names the tag as its
    /// "branch"), or the head of pull requests; reading the ref tells.
    #[inline(never)]
    fn select_check(&mut self, config: &Config, check: &CheckEvent, log: &mut Log) {
        for name in &check.names {
            for git_ref in [format!("refs/heads/{name}"), format!("refs/tags/{name}")] {
                let targets: Vec<usize> = (0..config.targets.len()).filter(|&t| rules::ref_selects(&config.targets[t], &git_ref).is_ok()).collect();
                if targets.is_empty() {
                    continue;
                }
                let candidate = self.candidate(git_ref, check.sha.clone(), None, Tip::ReadRef, false);
                for target in targets {
                    self.plan(target, candidate, Progress::Tip);
                }
            }
        }
        let pr_targets = config.targets.iter().any(|t| t.auto_deploy_on == Some(Trigger::PullRequest));
        for &number in check.pull_requests.iter().filter(|_| pr_targets) {
            let candidate = self.candidate(format!("refs/pull/{number}/head"), check.sha.clone(), None, Tip::ReadPull(number), false);
            for target in 0..config.targets.len() {
                if config.targets[target].auto_deploy_on == Some(Trigger::PullRequest) {
                    self.plan(target, candidate, Progress::Tip);
                }
            }
        }
        self.unselected = config.targets.len().saturating_sub(self.plans.iter().map(|p| p.target).collect::<BTreeSet<_>>().len());
        if self.plans.is_empty() {
            log.info(format!("No target deploys {} on this check.", short_sha(&check.sha)));
        }
    }

    #[inline(never)]
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
                _ => self.unselected += 1,
            }
        }
    }

    fn select_ref(&mut self, config: &Config, candidate: usize, git_ref: &str, log: &mut Log) {
        for (target, spec) in config.targets.iter().enumerate() {
            match rules::ref_selects(spec, git_ref) {
                Ok(()) => {
                    log.info(format!("{}: {git_ref} matches.", spec.name));
                    self.plan(target, candidate, Progress::Render);
                }
                Err(reason) => {
                    self.unselected += 1;
                    log.debug(format!("{}: {reason}.", spec.name));
                }
            }
        }
        if self.plans.is_empty() {
            log.info(format!("No target deploys {git_ref}."));
        }
    }

    #[inline(never)]
    fn select_pull_request(&mut self, config: &Config, candidate: usize, log: &mut Log) {
        let pr = self.candidates[candidate].pull_request.clone().expect("a pull request candidate");
        for (target, spec) in config.targets.iter().enumerate() {
            match rules::pull_request_selects(spec, &pr) {
                Ok(Ok(())) => {
                    log.info(format!("{}: deploys pull request #{}.", spec.name, pr.number));
                    self.plan(target, candidate, Progress::Render);
                }
                Ok(Err(reason)) => {
                    log.info(format!("{}: skipped: {reason}.", spec.name));
                    self.plan(target, candidate, Progress::Decided(Decision::Skipped { reason }));
                }
                Err(reason) => {
                    self.unselected += 1;
                    log.debug(format!("{}: {reason}.", spec.name));
                }
            }
        }
        if self.plans.is_empty() {
            log.info(format!("No target deploys pull request #{}.", pr.number));
        }
    }

    #[inline(never)]
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
        log.info(format!("{name}: deploying {git_ref} on request."));
        // A full ref is read as a ref (annotated tags included); a commit sha is resolved by the
        // commits API; a short name is a branch, else a tag, else a commit.
        let is_sha = git_ref.len() >= 7 && git_ref.len() <= 40 && git_ref.chars().all(|c| c.is_ascii_hexdigit());
        let (first, tip, fallbacks) = if git_ref.starts_with("refs/") {
            (git_ref, Tip::ReadRef, Vec::new())
        } else if is_sha {
            (git_ref, Tip::Resolve, Vec::new())
        } else {
            (format!("refs/heads/{git_ref}"), Tip::ReadRef, vec![git_ref.clone(), format!("refs/tags/{git_ref}")])
        };
        let candidate = self.candidate(first, String::new(), None, tip, true);
        self.candidates[candidate].fallbacks = fallbacks;
        self.plan(target, candidate, Progress::Tip);
        self.unselected = config.targets.len() - 1;
    }

    #[inline(never)]
    fn read_listing(&mut self, index: usize, reply: Reply, log: &mut Log) {
        let prefix = self.listings[index].0.clone();
        match answer(&reply) {
            Answer::Success { body, .. } => match git_refs(body, "list refs") {
                Ok(refs) => {
                    for git_ref in refs {
                        let targets: Vec<usize> = {
                            let config = self.config();
                            (0..config.targets.len()).filter(|&t| rules::ref_selects(&config.targets[t], &git_ref.name).is_ok()).collect()
                        };
                        // An annotated tag points to a tag object: read it for the commit.
                        let (sha, tip) = if git_ref.kind == "tag" { (String::new(), Tip::ReadTag(git_ref.sha)) } else { (git_ref.sha, Tip::Known) };
                        let candidate = self.candidate(git_ref.name, sha, None, tip, false);
                        for target in targets {
                            self.plan(target, candidate, Progress::Tip);
                        }
                    }
                    self.listings[index].1 = false;
                }
                Err(reason) => self.fail_listing(index, &prefix, reason, log),
            },
            Answer::Refused { status, message } => self.fail_listing(index, &prefix, format!("GitHub answered {status}: {message}"), log),
            Answer::Lost { error } => self.fail_listing(index, &prefix, error.to_string(), log),
        }
    }

    fn fail_listing(&mut self, index: usize, prefix: &str, reason: String, log: &mut Log) {
        log.warning(format!("Could not list refs starting with refs/{prefix}: {reason}"));
        self.listings[index].1 = false;
        self.end = Some(Outcome::failed(format!("Could not list refs starting with refs/{prefix}: {reason}")));
    }

    // ── facts ────────────────────────────────────────────────────────────────────────────────────

    #[inline(never)]
    fn read_tip(&mut self, index: usize, reply: Reply) {
        let candidate = &mut self.candidates[index];
        let what = match &candidate.tip {
            Tip::ReadPull(number) => format!("pull request #{number}"),
            Tip::Resolve => candidate.git_ref.clone(),
            _ => candidate.git_ref.clone(),
        };
        let body = match answer(&reply) {
            Answer::Success { body, .. } => body,
            Answer::Refused { status: 404 | 422, .. } if !candidate.fallbacks.is_empty() => {
                let next = candidate.fallbacks.pop().expect("not empty");
                candidate.tip = if next.starts_with("refs/") { Tip::ReadRef } else { Tip::Resolve };
                candidate.git_ref = next;
                return;
            }
            Answer::Refused { status: 404 | 422, .. } => {
                candidate.tip = Tip::Gone(format!("{what} does not exist (any more)"));
                return;
            }
            Answer::Refused { status, message } => {
                candidate.tip = Tip::Gone(format!("could not read {what}: GitHub answered {status}: {message}"));
                return;
            }
            Answer::Lost { error } => {
                candidate.tip = Tip::Gone(format!("could not read {what}: {error}"));
                return;
            }
        };
        let field = |body: &str, purpose: &str, pointer: &str| -> Result<(String, Value), String> {
            let value = github::json(body, purpose)?;
            let found = github::text(&value, pointer).ok_or_else(|| github::missing(purpose, pointer))?.to_string();
            Ok((found, value))
        };
        let fact: Result<(String, Tip), String> = match std::mem::replace(&mut candidate.tip, Tip::Known) {
            Tip::ReadRef => field(body, "read a ref", "/object/sha").map(|(sha, value)| {
                if github::text(&value, "/object/type") == Some("tag") { (String::new(), Tip::ReadTag(sha)) } else { (sha, Tip::Known) }
            }),
            Tip::ReadTag(_) => field(body, "read a tag", "/object/sha").map(|(sha, _)| (sha, Tip::Known)),
            Tip::Resolve => field(body, "resolve a ref", "/sha").map(|(sha, _)| (sha, Tip::Known)),
            Tip::ReadPull(_) => github::json(body, "read a pull request")
                .and_then(|object| PullRequest::from_object(object, 0))
                .map(|pr| {
                    let head = pr.head_sha.clone();
                    candidate.git_ref = pr.git_ref();
                    candidate.pull_request = Some(pr);
                    (head, Tip::Known)
                }),
            other => Ok((candidate.sha.clone(), other)),
        };
        match fact {
            Ok((tip, Tip::Known)) => {
                if candidate.sha.is_empty() {
                    candidate.sha = tip;
                } else if candidate.sha != tip {
                    candidate.tip = Tip::Superseded(tip);
                    return;
                }
                candidate.tip = Tip::Known;
            }
            Ok((_, next)) => candidate.tip = next,
            Err(reason) => candidate.tip = Tip::Gone(reason),
        }
    }

    #[inline(never)]
    fn read_commit(&mut self, sha: String, reply: Reply) {
        let fact = match answer(&reply) {
            Answer::Success { body, .. } => match github::json(body, "read the commit") {
                Ok(commit) => Fetch::Read(commit),
                Err(reason) => Fetch::Failed(reason),
            },
            Answer::Refused { status, message } => Fetch::Failed(format!("could not read commit {} for `commit.*`: GitHub answered {status}: {message}", short_sha(&sha))),
            Answer::Lost { error } => Fetch::Failed(format!("could not read commit {} for `commit.*`: {error}", short_sha(&sha))),
        };
        self.commits.insert(sha, fact);
    }

    #[inline(never)]
    fn read_checks(&mut self, sha: String, statuses: bool, reply: Reply) {
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
            Answer::Refused { status, message } => fetch.failed = Some(format!("could not {purpose}: GitHub answered {status}: {message}")),
            Answer::Lost { error } => fetch.failed = Some(format!("could not {purpose}: {error}")),
        }
        if fetch.failed.is_some() {
            fetch.statuses_page = None;
            fetch.runs_page = None;
        }
    }

    // ── one plan's steps ─────────────────────────────────────────────────────────────────────────

    fn target_name(&self, plan: usize) -> &str {
        &self.config().targets[self.plans[plan].target].name
    }

    /// The candidate's tip is known: go on, or stop with why not.
    #[inline(never)]
    fn after_tip(&mut self, index: usize) -> bool {
        let candidate = &self.candidates[self.plans[index].candidate];
        let decided = match &candidate.tip {
            Tip::Known => {
                // A pull request read from the API is selected now that its fork and draft state are known.
                if let Some(pr) = &candidate.pull_request {
                    let target = &self.config().targets[self.plans[index].target];
                    if !pr.open {
                        let reason = format!("pull request #{} is closed", pr.number);
                        self.plans[index].progress = Progress::Decided(Decision::Skipped { reason });
                        return true;
                    }
                    if let Ok(Err(reason)) = rules::pull_request_selects(target, pr) {
                        self.plans[index].progress = Progress::Decided(Decision::Skipped { reason });
                        return true;
                    }
                }
                self.plans[index].progress = Progress::Render;
                return true;
            }
            Tip::Superseded(tip) => Decision::Superseded { by: tip.clone() },
            Tip::Gone(reason) => Decision::Skipped { reason: reason.clone() },
            _ => return false,
        };
        self.plans[index].progress = Progress::Decided(decided);
        true
    }

    /// Renders the plan's deployment; a template that cannot render fails this target only.
    #[inline(never)]
    fn render(&mut self, index: usize, log: &mut Log) {
        let run_url = self.run_url();
        let config = self.config.as_ref().expect("plans exist only once the config is read");
        let plan = &self.plans[index];
        let target = &config.targets[plan.target];
        let candidate = &self.candidates[plan.candidate];
        let commit = match self.commits.get(&candidate.sha) {
            Some(Fetch::Read(commit)) => Some(commit),
            Some(Fetch::Failed(reason)) if target.uses(&|var| matches!(var, Var::Commit(_))) => {
                let reason = reason.clone();
                self.plans[index].progress = Progress::Decided(Decision::Failed { reason });
                return;
            }
            _ => None,
        };
        let source = Source {
            git_ref: &candidate.git_ref,
            sha: &candidate.sha,
            event_name: &self.event_name,
            run_url: &run_url,
            run_id: &self.context.run_id,
            owner: &self.repo.owner,
            repo: &self.repo.name,
            actor: &self.context.actor,
            pull_request: candidate.pull_request.as_ref().map(|pr| &pr.object),
            commit,
        };
        let progress = match NewDeployment::render(target, &source) {
            Ok(mut rendered) => {
                for notice in rendered.notices {
                    log.notice(notice);
                }
                if candidate.force {
                    // Forced: GitHub must not check them either.
                    rendered.body.required_contexts.clear();
                }
                self.plans[index].body = Some(rendered.body);
                Progress::Existing
            }
            Err(errors) => not_rendered(&self.settings.config_path, &errors, log),
        };
        self.plans[index].progress = progress;
    }

    #[inline(never)]
    fn check_existing(&mut self, index: usize, reply: Reply, log: &mut Log) {
        let name = self.target_name(index).to_string();
        let manual = self.candidates[self.plans[index].candidate].manual;
        // Forced: straight to the lock check, which even --force respects.
        let checks = if self.candidates[self.plans[index].candidate].force { Progress::Lock } else { Progress::Checks };
        let plan = &mut self.plans[index];
        let body = plan.body.as_ref().expect("rendered before it is checked");
        let purpose = format!("look for an existing deployment to {}", body.environment);
        plan.progress = match answer(&reply) {
            Answer::Success { body: json, .. } => match github::deployments(json, &purpose) {
                Ok(found) => match found.first() {
                    // A manual deploy redeploys on purpose (a rollback); the newest existing one
                    // is kept to tell ours apart if an answer is lost.
                    Some(existing) if manual => {
                        plan.before = Some(existing.id);
                        checks
                    }
                    Some(existing) => {
                        log.info(format!(
                            "{name}: {} is already deployed to {} (deployment {}); not deploying it again.",
                            short_sha(&body.sha),
                            body.environment,
                            existing.id
                        ));
                        Progress::Decided(Decision::AlreadyDeployed { id: existing.id })
                    }
                    None => checks,
                },
                Err(reason) => Progress::Decided(Decision::Failed { reason }),
            },
            // Without knowing, creating could deploy the same commit twice: report instead.
            Answer::Refused { status, message } => Progress::Decided(Decision::Failed { reason: format!("could not {purpose}: GitHub answered {status}: {message}") }),
            Answer::Lost { error } => Progress::Decided(Decision::Failed { reason: format!("could not {purpose}: {error}") }),
        };
    }

    /// The required checks are read: decide, or go on to the lock.
    #[inline(never)]
    fn judge_checks(&mut self, index: usize, log: &mut Log) {
        let name = self.target_name(index).to_string();
        let required = self.config().targets[self.plans[index].target].required_contexts.clone();
        let body = self.plans[index].body.as_ref().expect("rendered before its checks");
        let sha = body.sha.clone();
        let verdict = match self.checks.get(&sha) {
            Some(ChecksFetch { failed: Some(reason), .. }) => {
                self.plans[index].progress = Progress::Decided(Decision::Failed { reason: reason.clone() });
                return;
            }
            Some(fetch) => {
                let all: Vec<Check> = fetch.statuses.iter().chain(fetch.runs.iter()).cloned().collect();
                rules::verdict(&required, &all, Some(self.context.job.as_str()).filter(|j| !j.is_empty()))
            }
            None => unreachable!("checks are read before they are judged"),
        };
        self.plans[index].progress = match verdict {
            Verdict::Green => Progress::Lock,
            Verdict::Waiting(contexts) => {
                log.info(format!("{name}: waiting for {} on {}; a later event deploys it.", contexts.join(", "), short_sha(&sha)));
                Progress::Decided(Decision::Waiting { contexts })
            }
            Verdict::Blocked(contexts) => {
                log.warning(format!("{name}: {} failed on {}; not deploying it.", contexts.join(", "), short_sha(&sha)));
                Progress::Decided(Decision::Blocked { contexts })
            }
        };
    }

    /// The locks are known: a locked environment is not deployed to, from any path.
    #[inline(never)]
    fn judge_lock(&mut self, index: usize, log: &mut Log) {
        let name = self.target_name(index).to_string();
        let body = self.plans[index].body.as_ref().expect("rendered before its lock is checked");
        let (sha, environment) = (body.sha.clone(), body.environment.clone());
        self.plans[index].progress = match (&self.locks, self.lock_details.get(&environment)) {
            (Fetch::Failed(reason), _) => Progress::Decided(Decision::Failed { reason: reason.clone() }),
            (_, Some(lock)) => {
                let description = format!("{environment} is {}", lock.describe());
                log.warning(format!("{name}: not deploying {}: {description}. `/unlock {environment}` lifts it.", short_sha(&sha)));
                Progress::Decided(Decision::Locked { description })
            }
            _ if self.settings.dry_run => {
                log.info(format!("{name}: dry run, would create the deployment of {} to {environment}.", short_sha(&sha)));
                Progress::Decided(Decision::WouldCreate)
            }
            _ => Progress::Create { attempt: 0 },
        };
    }

    #[inline(never)]
    fn read_locks(&mut self, reply: Reply) {
        self.locks = match answer(&reply) {
            Answer::Success { body, .. } => match git_refs(body, "list the locks") {
                Ok(refs) => {
                    // A loop rather than a collecting iterator chain: it compiles to less on
                    // every push (engine.rs says why that matters).
                    let mut locked = Vec::new();
                    for git_ref in refs {
                        if let Some(environment) = locks::environment_of(&git_ref.name) {
                            locked.push((environment, git_ref.sha));
                        }
                    }
                    Fetch::Read(locked)
                }
                Err(reason) => Fetch::Failed(reason),
            },
            // Without knowing the locks, deploying could break one: report instead.
            Answer::Refused { status, message } => Fetch::Failed(github::refusal("read the environment locks", status, &message, Some("contents: read"))),
            Answer::Lost { error } => Fetch::Failed(format!("could not read the environment locks: {error}")),
        };
    }

    #[inline(never)]
    fn read_lock_detail(&mut self, environment: String, reply: Reply) {
        let lock = match answer(&reply) {
            Answer::Success { body, .. } => Lock::from_tag(body, &environment),
            // The ref exists, so the environment is locked, even if its record cannot be read.
            _ => Lock { environment: environment.clone(), by: "someone".into(), reason: String::new(), pr: None, since: String::new() },
        };
        self.lock_details.insert(environment, lock);
    }

    /// How many times a create whose answer was lost is tried again (after looking for it).
    const CREATE_RETRIES: u8 = 2;

    fn created(&self, index: usize, created: Deployment, log: &mut Log) -> Progress {
        let name = self.target_name(index);
        let body = self.plans[index].body.as_ref().expect("rendered before it is created");
        log.info(format!("{name}: created deployment {} of {} to {}.", created.id, short_sha(&body.sha), body.environment));
        match self.config().settings.dispatch {
            Some(_) => Progress::Dispatch(created.id, created.url),
            None => Progress::Decided(Decision::Created { id: created.id, url: created.url }),
        }
    }

    #[inline(never)]
    fn record_create(&mut self, index: usize, attempt: u8, reply: Reply, log: &mut Log) {
        let name = self.target_name(index).to_string();
        let plan = &self.plans[index];
        let body = plan.body.as_ref().expect("rendered before it is created");
        let purpose = format!("create the {} deployment", body.environment);
        let progress = match answer(&reply) {
            Answer::Success { status: 201, body: json, .. } => match github::deployment(json, &purpose) {
                Ok(created) => self.created(index, created, log),
                Err(reason) => Progress::Decided(Decision::Failed { reason }),
            },
            other => not_created(other, &reply, attempt, &purpose),
        };
        if let Progress::Decided(Decision::Failed { reason } | Decision::NotCreated { reason }) = &progress {
            log.warning(format!("{name}: {reason}"));
        }
        if let Progress::Recover { error, .. } = &progress {
            log.warning(format!("{name}: no answer to \"{purpose}\" ({error}); looking for the deployment before trying again."));
        }
        self.plans[index].progress = progress;
    }

    /// After a lost answer: the deployment exists (ours) → created; else try again, a few times.
    #[inline(never)]
    fn record_recover(&mut self, index: usize, attempt: u8, error: String, reply: Reply, log: &mut Log) {
        let before = self.plans[index].before.unwrap_or(0);
        let progress = match answer(&reply) {
            Answer::Success { body, .. } => match github::deployments(body, "look for the deployment") {
                Ok(found) => match found.into_iter().next().filter(|d| d.id > before) {
                    Some(created) => {
                        log.info(format!("{}: the deployment was created after all (deployment {}).", self.target_name(index), created.id));
                        self.created(index, created, log)
                    }
                    None if attempt < Self::CREATE_RETRIES => Progress::Create { attempt: attempt + 1 },
                    None => Progress::Decided(Decision::Failed {
                        reason: format!("GitHub did not create the deployment after {} tries (last: {error})", attempt + 1),
                    }),
                },
                Err(reason) => Progress::Decided(Decision::Failed { reason }),
            },
            // Not knowing whether it exists, trying again could create it twice: stop and say so.
            Answer::Refused { status, message } => Progress::Decided(Decision::Failed {
                reason: format!("the answer to a create was lost ({error}), and looking for the deployment failed too ({status}: {message}); check the environment's deployments before running again"),
            }),
            Answer::Lost { error: again } => Progress::Decided(Decision::Failed {
                reason: format!("the answer to a create was lost ({error}), and looking for the deployment failed too ({again}); check the environment's deployments before running again"),
            }),
        };
        if let Progress::Decided(Decision::Failed { reason }) = &progress {
            log.warning(format!("{}: {reason}", self.target_name(index)));
        }
        self.plans[index].progress = progress;
    }

    #[inline(never)]
    fn record_dispatch(&mut self, index: usize, id: u64, reply: Reply, log: &mut Log) {
        let workflow = self.config().settings.dispatch.clone().unwrap_or_default();
        let name = self.target_name(index).to_string();
        let Progress::Dispatch(_, url) = &self.plans[index].progress else { unreachable!("dispatching") };
        let url = url.clone();
        self.plans[index].progress = Progress::Decided(match answer(&reply) {
            Answer::Success { .. } => {
                log.info(format!("{name}: started workflow {workflow} for deployment {id}."));
                Decision::Created { id, url }
            }
            Answer::Refused { status, message } => Decision::Failed {
                reason: format!(
                    "deployment {id} was created, but {}. The workflow needs `on: workflow_dispatch` with an input `deployment_id`",
                    github::refusal(&format!("start workflow {workflow}"), status, &message, Some("actions: write"))
                ),
            },
            Answer::Lost { error } => Decision::Failed { reason: format!("deployment {id} was created, but starting workflow {workflow} got no answer: {error}") },
        });
    }

    #[inline(never)]
    pub(crate) fn outcome(&self) -> Outcome {
        Report {
            heading: self.heading(),
            server_url: self.context.server_url.clone(),
            repository: self.context.repository.clone(),
            rows: self.rows(),
            unselected: self.unselected,
            dry_run: self.settings.dry_run,
        }
        .outcome()
    }

    /// Each plan's decision, once decided.
    pub(crate) fn rows(&self) -> Vec<Row> {
        self.plans.iter().enumerate().map(|(index, plan)| {
            let candidate = &self.candidates[plan.candidate];
            Row {
                target: self.target_name(index).to_string(),
                environment: plan.body.as_ref().map(|b| b.environment.clone()).unwrap_or_default(),
                git_ref: candidate.git_ref.clone(),
                sha: candidate.sha.clone(),
                request: plan.body.as_ref().map(|body| RequestRecord {
                    method: Method::Post,
                    path: format!("{}/deployments", github::repo_path(&self.repo)),
                    body: body.to_json(),
                }),
                decision: match &plan.progress {
                    Progress::Decided(decision) => decision.clone(),
                    _ => Decision::Failed { reason: "internal error: left undecided".to_string() },
                },
            }
        })
        .collect()
    }

    fn heading(&self) -> String {
        match &self.origin {
            Origin::Push(push) => format!("Push to `{}` at `{}`", short_name(&push.git_ref), short_sha(&push.after)),
            Origin::PullRequest(pr) => format!("Pull request #{} at `{}`", pr.number, short_sha(&pr.head_sha)),
            Origin::Check(check) => format!("`{}` on `{}`", self.event_name, short_sha(&check.sha)),
            Origin::Dispatch(dispatch) => format!("`{}` of `{}`", self.event_name, dispatch.target.as_deref().unwrap_or("?")),
            Origin::Schedule => "Scheduled check of every automatic target".to_string(),
        }
    }
}

/// A git reference from a ref listing.
struct GitRef {
    name: String,
    sha: String,
    /// `commit`, or `tag` for an annotated tag.
    kind: String,
}

/// `git/matching-refs`: the refs listed.
fn git_refs(body: &str, purpose: &str) -> Result<Vec<GitRef>, String> {
    let value = github::json(body, purpose)?;
    let mut refs = Vec::new();
    for item in github::items(&value) {
        let name = github::text(item, "/ref").ok_or_else(|| github::missing(purpose, "ref"))?;
        let sha = github::text(item, "/object/sha").ok_or_else(|| github::missing(purpose, "object.sha"))?;
        refs.push(GitRef { name: name.to_string(), sha: sha.to_string(), kind: github::text(item, "/object/type").unwrap_or("commit").to_string() });
    }
    Ok(refs)
}

/// 409: the contexts GitHub found not green (it lists them with their states), or a merge conflict.
fn conflict(reply: &Reply, message: String) -> Decision {
    let Reply::Response { body, .. } = reply else { unreachable!("a 409 is a response") };
    let value: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let contexts: Vec<(String, String)> = github::items_at(&value, "/errors")
        .iter()
        .flat_map(|error| github::items_at(error, "/contexts"))
        .filter_map(|c| Some((github::text(c, "/context")?.to_string(), github::text(c, "/state")?.to_string())))
        .collect();
    if contexts.is_empty() {
        return Decision::NotCreated { reason: format!("GitHub did not create it: {message}") };
    }
    let failed: Vec<String> = contexts.iter().filter(|(_, state)| CheckState::of_status(state) == CheckState::Failed).map(|(c, _)| c.clone()).collect();
    if failed.is_empty() {
        Decision::Waiting { contexts: contexts.into_iter().map(|(context, state)| format!("{context} ({state})")).collect() }
    } else {
        Decision::Blocked { contexts: failed }
    }
}

impl Flow for Deliver {
    fn absorb(&mut self, reply: Reply, log: &mut Log) {
        match self.awaiting.take() {
            Some(Awaiting::Config) => self.read_config(reply, log),
            Some(Awaiting::Listing(index)) => self.read_listing(index, reply, log),
            Some(Awaiting::Tip(candidate)) => self.read_tip(candidate, reply),
            Some(Awaiting::Commit(sha)) => self.read_commit(sha, reply),
            Some(Awaiting::Statuses(sha)) => self.read_checks(sha, true, reply),
            Some(Awaiting::Runs(sha)) => self.read_checks(sha, false, reply),
            Some(Awaiting::Locks) => self.read_locks(reply),
            Some(Awaiting::LockDetail(environment)) => self.read_lock_detail(environment, reply),
            Some(Awaiting::Existing(index)) => self.check_existing(index, reply, log),
            Some(Awaiting::Create(index, attempt)) => self.record_create(index, attempt, reply, log),
            Some(Awaiting::Recover(index, attempt, error)) => self.record_recover(index, attempt, error, reply, log),
            Some(Awaiting::Dispatch(index, id)) => self.record_dispatch(index, id, reply, log),
            None => self.end = Some(Outcome::failed("internal error: a reply came for no request")),
        }
    }

    fn next(&mut self, log: &mut Log) -> Result<Request, Outcome> {
        if let Some(end) = &self.end {
            return Err(end.clone());
        }
        if self.config.is_none() {
            self.awaiting = Some(Awaiting::Config);
            return Ok(github::get_file(&self.repo, &self.settings.config_path, self.default_branch.as_deref()));
        }
        if let Some(index) = self.listings.iter().position(|(_, unread)| *unread) {
            let request = github::matching_refs(&self.repo, &self.listings[index].0);
            self.awaiting = Some(Awaiting::Listing(index));
            return Ok(request);
        }
        while let Some(plan) = self.plans.get(self.cursor) {
            let index = self.cursor;
            match &plan.progress {
                Progress::Tip => {
                    if let Some(request) = self.tip_request(index) {
                        return Ok(request);
                    }
                }
                Progress::Render => {
                    let sha = self.candidates[plan.candidate].sha.clone();
                    let uses_commit = self.config().targets[plan.target].uses(&|var| matches!(var, Var::Commit(_)));
                    if uses_commit && !self.commits.contains_key(&sha) {
                        self.commits.insert(sha.clone(), Fetch::Unread);
                    }
                    if let Some(Fetch::Unread) = self.commits.get(&sha) {
                        self.awaiting = Some(Awaiting::Commit(sha.clone()));
                        return Ok(github::get_commit(&self.repo, &sha));
                    }
                    self.render(index, log);
                }
                Progress::Existing => {
                    let body = plan.body.as_ref().expect("rendered before it is checked");
                    self.awaiting = Some(Awaiting::Existing(index));
                    return Ok(github::find_deployment(&self.repo, &body.sha, &body.environment, &body.task));
                }
                Progress::Checks => {
                    if self.config().targets[plan.target].required_contexts.is_empty() {
                        // Nothing to wait for.
                        self.plans[index].progress = Progress::Lock;
                    } else {
                        if let Some(request) = self.checks_request(index) {
                            return Ok(request);
                        }
                        self.judge_checks(index, log);
                    }
                }
                Progress::Lock => {
                    if let Fetch::Unread = self.locks {
                        self.awaiting = Some(Awaiting::Locks);
                        return Ok(locks::list(&self.repo));
                    }
                    let environment = plan.body.as_ref().expect("rendered").environment.clone();
                    if let Fetch::Read(locked) = &self.locks {
                        // GitHub's environment names ignore case, and so do locks.
                        if let Some((_, tag)) = locked.iter().find(|(e, _)| e.eq_ignore_ascii_case(&environment)) {
                            if !self.lock_details.contains_key(&environment) {
                                let request = github::get_tag(&self.repo, tag);
                                self.awaiting = Some(Awaiting::LockDetail(environment));
                                return Ok(request);
                            }
                        }
                    }
                    self.judge_lock(index, log);
                }
                Progress::Recover { attempt, error } => {
                    let body = plan.body.as_ref().expect("rendered before it is created");
                    self.awaiting = Some(Awaiting::Recover(index, *attempt, error.clone()));
                    return Ok(github::find_deployment(&self.repo, &body.sha, &body.environment, &body.task));
                }
                Progress::Create { attempt } => {
                    let body = plan.body.as_ref().expect("rendered before it is created");
                    self.awaiting = Some(Awaiting::Create(index, *attempt));
                    let json = body.to_json();
                    let purpose = format!("create the {} deployment for target {}", body.environment, self.target_name(index));
                    return Ok(github::create_deployment(&self.repo, json, purpose));
                }
                Progress::Dispatch(id, _) => return Ok(self.dispatch_request(index, *id)),
                Progress::Decided(_) => self.cursor += 1,
            }
        }
        Err(self.outcome())
    }
}

// Requests a push to a branch without required checks or a dispatch workflow does not make, out of
// `next` (see engine.rs on why that matters).
impl Deliver {
    /// The request that reads a plan's tip, unless it is known already.
    #[inline(never)]
    fn tip_request(&mut self, index: usize) -> Option<Request> {
        if self.after_tip(index) {
            return None;
        }
        let candidate_index = self.plans[index].candidate;
        let candidate = &self.candidates[candidate_index];
        let request = match &candidate.tip {
            Tip::ReadRef => github::get_ref(&self.repo, candidate.git_ref.trim_start_matches("refs/")),
            Tip::ReadTag(sha) => github::get_tag(&self.repo, sha),
            Tip::ReadPull(number) => github::get_pull(&self.repo, *number),
            Tip::Resolve => github::get_commit(&self.repo, &candidate.git_ref),
            _ => unreachable!("after_tip handles known tips"),
        };
        self.awaiting = Some(Awaiting::Tip(candidate_index));
        Some(request)
    }

    /// The next page of the commit's statuses or check runs, while some are unread.
    #[inline(never)]
    fn checks_request(&mut self, index: usize) -> Option<Request> {
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

    #[inline(never)]
    fn dispatch_request(&mut self, index: usize, id: u64) -> Request {
        let workflow = self.config().settings.dispatch.clone().expect("dispatching only when configured");
        // The workflow's own definition comes from the default branch (trusted); the deployment
        // says which commit to ship.
        let git_ref = self.default_branch.clone().unwrap_or_else(|| "main".to_string());
        self.awaiting = Some(Awaiting::Dispatch(index, id));
        github::dispatch_workflow(&self.repo, &workflow, &git_ref, id)
    }
}

#[inline(never)]
fn deleted(git_ref: &str, log: &mut Log) -> Outcome {
    log.info(format!("{git_ref} was deleted: nothing to deploy."));
    Outcome::nothing_to_do(format!("`{git_ref}` was deleted: nothing to deploy."))
}

/// A pull request event: its pull request, when the event is one that deploys it.
#[inline(never)]
fn pull_request_origin(event: PullRequestEvent, log: &mut Log) -> Result<(Origin, Option<Repository>), Outcome> {
    if !matches!(event.action.as_str(), "opened" | "synchronize" | "reopened" | "ready_for_review") {
        log.info(format!("Nothing to deploy when a pull request is {}.", event.action));
        return Err(Outcome::nothing_to_do(format!("Nothing to deploy when a pull request is `{}`.", event.action)));
    }
    let pr = PullRequest::from_object(event.pull_request, event.repository.id).map_err(Outcome::failed)?;
    Ok((Origin::PullRequest(pr), Some(event.repository)))
}

/// A deployment whose templates could not be rendered: each problem at its place in the config.
#[inline(never)]
fn not_rendered(path: &str, errors: &[Diagnostic], log: &mut Log) -> Progress {
    for error in errors {
        log.error(located(path, error), annotation(path, error));
    }
    let reason = errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ");
    Progress::Decided(Decision::Failed { reason: format!("cannot render the deployment: {reason}") })
}

/// What a create that did not answer 201 means (out of `record_create`, which every deploy compiles).
#[inline(never)]
fn not_created(answer: Answer, reply: &Reply, attempt: u8, purpose: &str) -> Progress {
    let lost = |error: String| Progress::Recover { attempt, error };
    match answer {
        // GitHub may have created it before failing to answer.
        Answer::Refused { status: status @ (500 | 502 | 503 | 504), message } => lost(format!("GitHub answered {status}: {message}")),
        Answer::Lost { error } => lost(error.to_string()),
        // 202: GitHub merged the default branch into the ref instead (auto_merge); the merge commit
        // is a new push, which its own run deploys.
        Answer::Success { body: json, .. } => Progress::Decided(Decision::NotCreated {
            reason: format!("GitHub merged the default branch into the ref instead of deploying ({}); the merge commit deploys on its own push", github::message_of(json)),
        }),
        Answer::Refused { status: 409, message } => Progress::Decided(conflict(reply, message)),
        Answer::Refused { status, message } => {
            Progress::Decided(Decision::Failed { reason: github::refusal(purpose, status, &message, Some("deployments: write")) })
        }
    }
}

/// The config from the Contents API's reply; `Err` ends the run (no config, a bad one, no answer).
pub(crate) fn load_config(reply: &Reply, path: &str, branch: &str, log: &mut Log) -> Result<Config, Outcome> {
    match answer(reply) {
        Answer::Success { body, .. } => match Config::parse(body) {
            Ok(config) => {
                log.info(format!("Read {path} from {branch} ({} target{}).", config.targets.len(), plural(config.targets.len())));
                Ok(config)
            }
            Err(errors) => Err(invalid_config(path, &errors, log)),
        },
        Answer::Refused { status, message } => Err(config_refused(status, &message, path, branch, log)),
        Answer::Lost { error } => Err(Outcome::failed(format!("Could not read {path} from {branch}: {error}"))),
    }
}

/// No config on the branch (nothing to do), or GitHub would not give it; out of `load_config`, which
/// every run compiles.
#[inline(never)]
fn config_refused(status: u16, message: &str, path: &str, branch: &str, log: &mut Log) -> Outcome {
    if status == 404 {
        log.info(format!("No {path} on {branch}: nothing to deploy. Add one to define deploy targets."));
        return Outcome::nothing_to_do(format!("No `{path}` on `{branch}`: nothing to deploy."));
    }
    Outcome::failed(capitalized(&github::refusal(&format!("read {path} from {branch}"), status, message, Some("contents: read"))))
}

fn annotation(path: &str, error: &Diagnostic) -> Option<Annotation> {
    error.pos.map(|pos| Annotation { file: path.to_string(), line: pos.line, column: pos.column })
}

/// Every problem of the config as an error line with its annotation; the run fails, creating nothing.
fn invalid_config(path: &str, errors: &[Diagnostic], log: &mut Log) -> Outcome {
    for error in errors {
        log.error(located(path, error), annotation(path, error));
    }
    let problems = if errors.len() == 1 { "a problem".to_string() } else { format!("{} problems", errors.len()) };
    let mut outcome = Outcome::failed(format!("{path} has {problems}; nothing was deployed."));
    outcome.summary.push_str("\n```\n");
    for error in errors {
        outcome.summary.push_str(&located(path, error));
        outcome.summary.push('\n');
    }
    outcome.summary.push_str("```\n");
    outcome
}

/// `path:line:column: message`, as compilers write it (and editors and terminals link it).
pub fn located(path: &str, error: &Diagnostic) -> String {
    match error.pos {
        Some(pos) => format!("{path}:{}:{}: {}", pos.line, pos.column, error.message),
        None => format!("{path}: {}", error.message),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

