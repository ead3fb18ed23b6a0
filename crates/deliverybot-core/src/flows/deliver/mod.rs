//! The rules mode: from an event to deployments.
//!
//! The repository is the only state. Each run re-derives what to do: read the config from the
//! default branch; turn the event into candidates (a ref and a commit, maybe a pull request) and
//! pair them with the targets they select (`candidates`; the pull requests a check or a schedule
//! must look up: `pulls`); then for each pair gather the facts
//! (`facts`) and decide (`decide`, by the gates of `rules::decide`), in order:
//!
//! 1. stale: the commit is no longer the tip of its ref, or the head of its pull request →
//!    superseded (on every automatic path: an event may arrive late or be run again after its ref
//!    moved on; a manual deploy deploys what was asked). A target with `after` deploys instead the
//!    newest commit of its ref that succeeded (and soaked) in the `after` target's environment
//!    (`pipeline`, with the environments' facts from `environments`);
//! 2. unchanged: a target with `paths`/`paths_ignore` whose files did not change since the commit it
//!    last deployed to the environment → not deployed (automatic paths only; `changes`,
//!    `rules::paths`);
//! 3. already deployed: a deployment of this commit to the rendered environment exists → skip
//!    (not for manual dispatches, which may redeploy on purpose, for a rollback);
//! 4. frozen: inside a `freeze` window → waits until it ends (from every path but an admin's
//!    `/deploy --force` or forced dispatch, which goes on and says so; `freeze`);
//! 5. checks: every `required_contexts` entry green → go on; pending or missing → waiting (a later
//!    event deploys it); failed → blocked;
//! 6. locked: the environment is locked (`/lock`) → not deployed, from any path;
//! 7. serialize: with `serialize: true`, the environment has a deployment in progress → waiting
//!    (the `deployment_status` that ends it evaluates the target again);
//! 8. create the deployment (of the exact commit; with `auto_merge`, of its branch by name, as
//!    `rules::merge` says), and start the `settings.dispatch` workflow for it (`create`).

mod candidates;
mod changes;
mod create;
mod decide;
mod environments;
mod facts;
mod freeze;
mod pipeline;
mod pulls;
mod sender;
mod summary;

pub(crate) use pipeline::ends;

use crate::config::Config;
use crate::deployment::{Asked, NewDeployment};
use crate::event::{Event, PullRequest};
use crate::flow::Flow;
use crate::flows::config_file::ConfigFile;
use crate::flows::stuck::Sweep;
use crate::github;
use crate::invocation::{Repo, RunContext, Settings};
use crate::locks::Lock;
use crate::log::Log;
use crate::protocol::{Outcome, Reply, Request};
use crate::refs::short_sha;
use crate::rules::Decision;
use crate::rules::pipeline::{Latest, Listed};
use candidates::{Candidate, Origin, Tip};
use environments::Destination;
use changes::{Compared, EnvironmentDeployments};
use facts::{ChecksFetch, Fetch};
use pulls::PullLookup;
use sender::RoleCheck;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

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
    /// Pull requests to look up for the `pr` targets (a check that names none, a schedule).
    pull_lookup: Option<PullLookup>,
    /// A dispatch that needs more than write (`force`, a target's `permission`): its sender's role, to be read.
    role_check: Option<RoleCheck>,
    candidates: Vec<Candidate>,
    plans: Vec<Plan>,
    /// (target, candidate) pairs already planned.
    planned: BTreeSet<(usize, usize)>,
    /// Facts about commits, read once each and shared by every plan that needs them.
    commits: BTreeMap<String, Fetch<Value>>,
    checks: BTreeMap<String, ChecksFetch>,
    /// For `paths`: an environment's deployments, newest first, read page by page while a plan
    /// looks for its target's last one there; and the comparisons of a commit last deployed with
    /// a new one (base, head), each read once.
    deployed: BTreeMap<String, EnvironmentDeployments>,
    comparisons: BTreeMap<(String, String), Fetch<Compared>>,
    /// Locked environments (environment → the lock's tag), read once, only when about to create.
    locks: Fetch<Vec<(String, String)>>,
    /// The locks of environments a plan would deploy to, read when needed.
    lock_details: BTreeMap<String, Lock>,
    /// Environments' newest deployments (`after`, `serialize`), read once each.
    environments: BTreeMap<String, Fetch<Vec<Listed>>>,
    /// Deployments' latest statuses (`None`: none yet), read once each.
    latest: BTreeMap<u64, Fetch<Option<Latest>>>,
    /// Where the targets of a pipeline deploy (for the ref evaluated), by target, for the summary.
    destinations: BTreeMap<usize, Destination>,
    /// Targets the event does not deploy.
    unselected: usize,
    /// Plans before this index are decided; planning stays linear in the number of targets.
    cursor: usize,
    /// The time zones of the freeze windows, as the host gave them (`None`: it has no such zone).
    zones: BTreeMap<String, Option<jiff::tz::TimeZone>>,
    /// Plans before this index have the time zones of their freeze windows.
    zones_cursor: usize,
    awaiting: Option<Awaiting>,
    /// The sweep of stuck deployments (`settings.stuck_after`) of a schedule or a `deployment_status`,
    /// once every plan is decided.
    sweep: Option<Sweep>,
    /// Set when the run ends early (no config, a bad config, ...).
    end: Option<Outcome>,
}

/// What the request that is out was for.
#[derive(Debug, Clone)]
enum Awaiting {
    Config,
    Listing(usize),
    Pulls,
    Role,
    Tip(usize),
    Commit(String),
    Statuses(String),
    Runs(String),
    Deployed(String),
    Compare((String, String)),
    Locks,
    LockDetail(String),
    Environment(String),
    Latest(u64),
    Existing(usize),
    Create(usize, u8),
    Recover(usize, u8, String),
    Dispatch(usize, u64),
    Sweep,
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
    /// What a gate let through on purpose (a freeze an admin forced past), for the reply.
    note: Option<String>,
}

/// Where a plan is: the fact it waits for, or its decision.
enum Progress {
    Tip,
    Render,
    /// Did a file the target names (`paths`) change since its last deployment?
    Paths,
    Existing,
    /// Is the target inside a freeze window?
    Freeze,
    Checks,
    /// Is the environment locked (`/lock`)?
    Lock,
    /// `after`: which commit of the ref passed the `after` target (replaces the candidate's).
    Pipeline,
    /// `serialize`: is a deployment in progress in the environment?
    Serialize,
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
    pub fn new(repo: Repo, settings: Settings, context: RunContext, event_name: &str, event: Event, log: &mut Log) -> Result<Deliver, Outcome> {
        let (origin, repository) = Origin::of(event, log)?;
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
            pull_lookup: None,
            role_check: None,
            candidates: Vec::new(),
            plans: Vec::new(),
            planned: BTreeSet::new(),
            commits: BTreeMap::new(),
            checks: BTreeMap::new(),
            deployed: BTreeMap::new(),
            comparisons: BTreeMap::new(),
            locks: Fetch::Unread,
            lock_details: BTreeMap::new(),
            environments: BTreeMap::new(),
            latest: BTreeMap::new(),
            destinations: BTreeMap::new(),
            unselected: 0,
            cursor: 0,
            zones: BTreeMap::new(),
            zones_cursor: 0,
            awaiting: None,
            sweep: None,
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
        asked: Asked,
        admin: bool,
        default_branch: String,
        log: &mut Log,
    ) -> Deliver {
        let name = config.targets[target].name.clone();
        log.info(format!("{name}: deploying #{} ({}) on request{}.", pr.number, short_sha(&pr.head_sha), if force { ", skipping its checks" } else { "" }));
        let mut deliver = Deliver::start(repo, settings, context, "issue_comment", Some(default_branch), Origin::PullRequest(pr.clone()), Some(config));
        let candidate = deliver.candidate(pr.git_ref(), pr.head_sha.clone(), Some(pr), Tip::Asked, true);
        deliver.candidates[candidate].force = force;
        deliver.candidates[candidate].asked = asked;
        deliver.candidates[candidate].forced_by_admin = force && admin;
        deliver.plan(target, candidate, Progress::Render);
        deliver
    }

    fn config(&self) -> &Config {
        self.config.as_ref().expect("plans exist only once the config is read")
    }

    fn target_name(&self, plan: usize) -> &str {
        &self.config().targets[self.plans[plan].target].name
    }

    /// Targets no candidate was planned for: not deployed by this event. (Checks and schedules
    /// find their candidates as they read refs and pull requests, so they count as they go.)
    fn count_unselected(&mut self, targets: usize) {
        self.unselected = targets - self.plans.iter().map(|p| p.target).collect::<BTreeSet<_>>().len();
    }

    fn plan(&mut self, target: usize, candidate: usize, progress: Progress) {
        // A ref can reach a target twice (a schedule lists `refs/heads/*` and reads `refs/heads/main`):
        // one plan each.
        if self.planned.insert((target, candidate)) {
            self.plans.push(Plan { target, candidate, body: None, before: None, progress, note: None });
        }
    }

    fn read_config(&mut self, reply: Reply, log: &mut Log) {
        let path = &self.settings.config_path;
        let branch = self.default_branch.as_deref().unwrap_or("the default branch");
        match ConfigFile::from_reply(&reply, path, branch).into_config(path, branch, log) {
            Ok(config) => {
                // Schedules and the `deployment_status` events that end a deployment also sweep
                // stuck deployments, after they deliver (see `flows::stuck`).
                if matches!(self.origin, Origin::Schedule | Origin::DeploymentStatus(_)) {
                    match Sweep::of(&config, &self.repo, &self.context, self.settings.dry_run) {
                        Ok(sweep) => self.sweep = sweep,
                        Err(reason) => self.end = Some(Outcome::failed(reason)),
                    }
                }
                self.select(&config, log);
                self.config = Some(config);
            }
            Err(end) => self.end = Some(end),
        }
    }
}

impl Flow for Deliver {
    fn absorb(&mut self, reply: Reply, log: &mut Log) {
        match self.awaiting.take() {
            Some(Awaiting::Config) => self.read_config(reply, log),
            Some(Awaiting::Listing(index)) => self.read_listing(index, reply, log),
            Some(Awaiting::Pulls) => self.read_pulls(reply, log),
            Some(Awaiting::Role) => self.read_role(reply, log),
            Some(Awaiting::Tip(candidate)) => self.read_tip(candidate, reply),
            Some(Awaiting::Commit(sha)) => self.read_commit(sha, reply),
            Some(Awaiting::Statuses(sha)) => self.read_checks(sha, true, reply),
            Some(Awaiting::Runs(sha)) => self.read_checks(sha, false, reply),
            Some(Awaiting::Deployed(key)) => self.read_deployed(key, reply),
            Some(Awaiting::Compare(key)) => self.read_comparison(key, reply),
            Some(Awaiting::Locks) => self.read_locks(reply),
            Some(Awaiting::LockDetail(environment)) => self.read_lock_detail(environment, reply),
            Some(Awaiting::Environment(environment)) => self.read_environment(environment, reply),
            Some(Awaiting::Latest(id)) => self.read_latest(id, reply),
            Some(Awaiting::Existing(index)) => self.read_existing(index, reply, log),
            Some(Awaiting::Create(index, attempt)) => self.read_create(index, attempt, reply, log),
            Some(Awaiting::Recover(index, attempt, error)) => self.read_recover(index, attempt, error, reply, log),
            Some(Awaiting::Dispatch(index, id)) => self.read_dispatch(index, id, reply, log),
            Some(Awaiting::Sweep) => self.sweep.as_mut().expect("a sweep asked").absorb(reply, log),
            None => self.end = Some(Outcome::failed("internal error: a reply came for no request")),
        }
    }

    fn zone_wanted(&mut self) -> Option<String> {
        self.zone_to_read()
    }

    fn take_zone(&mut self, name: String, tzif: Option<Vec<u8>>) {
        self.read_zone(name, tzif);
    }

    /// The first plan not yet decided asks for its next fact, or is decided with what is known;
    /// then the next plan, until every plan is decided.
    fn next(&mut self, log: &mut Log) -> Result<Request, Outcome> {
        if let Some(end) = &self.end {
            return Err(end.clone());
        }
        if self.config.is_none() {
            self.awaiting = Some(Awaiting::Config);
            return Ok(github::get_file(&self.repo, &self.settings.config_path, self.default_branch.as_deref()));
        }
        if let Some(index) = self.listings.iter().position(|(_, unread)| *unread) {
            self.awaiting = Some(Awaiting::Listing(index));
            return Ok(github::matching_refs(&self.repo, &self.listings[index].0));
        }
        if let Some(request) = self.pulls_request() {
            return Ok(request);
        }
        if let Some(request) = self.role_request() {
            return Ok(request);
        }
        while let Some(plan) = self.plans.get(self.cursor) {
            let index = self.cursor;
            match &plan.progress {
                Progress::Tip => match self.tip_request(index) {
                    Some(request) => return Ok(request),
                    None => self.judge_tip(index),
                },
                Progress::Render => match self.commit_request(index) {
                    Some(request) => return Ok(request),
                    None => self.render(index, log),
                },
                Progress::Paths if !self.paths_apply(index) => self.plans[index].progress = Progress::Existing,
                Progress::Paths => match self.changes_request(index) {
                    Some(request) => return Ok(request),
                    None => self.judge_paths(index, log),
                },
                Progress::Existing => return Ok(self.existing_request(index)),
                Progress::Freeze => self.judge_freeze(index, log),
                // Nothing to wait for.
                Progress::Checks if self.config().targets[plan.target].required_contexts.is_empty() => self.plans[index].progress = Progress::Lock,
                Progress::Checks => match self.checks_request(index) {
                    Some(request) => return Ok(request),
                    None => self.judge_checks(index, log),
                },
                Progress::Lock => match self.lock_request(index) {
                    Some(request) => return Ok(request),
                    None => self.judge_lock(index, log),
                },
                Progress::Pipeline => {
                    if let Some(request) = self.promotion(index, log) {
                        return Ok(request);
                    }
                }
                Progress::Serialize => {
                    if let Some(request) = self.serialization(index, log) {
                        return Ok(request);
                    }
                }
                Progress::Create { attempt } => return Ok(self.create_request(index, *attempt)),
                Progress::Recover { attempt, error } => return Ok(self.recover_request(index, *attempt, error.clone())),
                Progress::Dispatch(id, _) => return Ok(self.dispatch_request(index, *id)),
                Progress::Decided(_) => self.cursor += 1,
            }
        }
        if let Some(request) = self.sweep.as_ref().and_then(Sweep::request) {
            self.awaiting = Some(Awaiting::Sweep);
            return Ok(request);
        }
        Err(self.outcome())
    }
}
