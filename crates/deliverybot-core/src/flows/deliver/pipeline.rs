//! Promotion pipelines and one deploy at a time in the deliver flow: the `deployment_status` event
//! that re-evaluates the targets waiting on an environment, the promotion gate
//! ([`rules::pipeline`](crate::rules::pipeline)) that picks the commit a target with `after`
//! deploys, and the serialize gate ([`rules::serialize`](crate::rules::serialize)) before create.
//! Both ask for one fact at a time, read by `environments`.

use super::candidates::Tip;
use super::facts::Fetch;
use super::{Deliver, Progress};
use crate::config::{Config, Trigger};
use crate::event::DeploymentStatusEvent;
use crate::github::deployment_status::State;
use crate::log::Log;
use crate::protocol::Request;
use crate::refs::{pattern_matches, short_sha};
use crate::report::ChartNode;
use crate::rules::Decision;
use crate::rules::decide::{self, Gate};
use crate::rules::pipeline::{self, Facts, Listed, Promotion};
use crate::rules::serialize::{self, Serial};
use std::time::Duration;

/// How long a deployment with no status yet holds a `serialize` environment, unless
/// `settings.stuck_after` says otherwise.
pub(super) const DEFAULT_STUCK_AFTER: Duration = Duration::from_secs(3_600);

/// Whether a deployment status ends its deployment (which can free an environment), and whether it
/// is the success a promotion waits for.
pub(crate) fn ends(state: &str) -> Option<bool> {
    State::parse(state)?.ends()
}

impl Deliver {
    /// The one place the no-status bound of `serialize` is taken from: `settings.stuck_after` when
    /// the config sets it, else an hour.
    fn stuck_after(&self) -> Duration {
        self.config().settings.stuck_after.unwrap_or(DEFAULT_STUCK_AFTER)
    }

    /// A deployment ended: the targets that come after its environment (on a success), and the
    /// `serialize` targets that deploy to it, are evaluated again at the tip of the ref they follow.
    pub(super) fn select_deployment_status(&mut self, config: &Config, event: &DeploymentStatusEvent, log: &mut Log) {
        let succeeded = ends(&event.deployment_status.state) == Some(true);
        let deployment = &event.deployment;
        let environment = &deployment.environment;
        for (target, spec) in config.targets.iter().enumerate() {
            let Some(Trigger::Ref(pattern)) = &spec.auto_deploy_on else { continue };
            let Some(git_ref) = followed_ref(pattern, deployment.payload.pointer("/deliverybot/ref").and_then(|r| r.as_str()), &deployment.git_ref) else { continue };
            let deploys_to = |t: usize| self.destination_in(config, t, &git_ref, &deployment.sha).is_ok_and(|d| d.environment == *environment);
            let upstream = spec.after.as_ref().and_then(|after| config.targets.iter().position(|t| t.name == after.target));
            let promotes = succeeded && upstream.is_some_and(deploys_to);
            let frees = spec.serialize && deploys_to(target);
            if promotes || frees {
                let why = if promotes { format!("{} comes after {environment}", spec.name) } else { format!("{} deploys one at a time to {environment}", spec.name) };
                log.info(format!("{why}: evaluating {git_ref} again."));
                let candidate = self.candidate(git_ref, String::new(), None, Tip::ReadRef, false);
                self.plan(target, candidate, Progress::Tip);
            }
        }
        self.count_unselected(config.targets.len());
        if self.plans.is_empty() {
            log.info(format!("No target waits on {environment}."));
        }
    }

    /// Whether the plan's commit is the pipeline's to pick: a target with `after`, on an automatic path.
    pub(super) fn promotes(&self, index: usize) -> bool {
        let plan = &self.plans[index];
        self.config().targets[plan.target].after.is_some() && !self.candidates[plan.candidate].manual
    }

    /// The promotion gate: the next fact it needs, or its decision (the commit to deploy, or why none).
    pub(super) fn promotion(&mut self, index: usize, log: &mut Log) -> Option<Request> {
        let plan = &self.plans[index];
        let (target, candidate) = (plan.target, &self.candidates[plan.candidate]);
        let Tip::Read(tip) = &candidate.tip else { unreachable!("promoted once the tip is read") };
        let (git_ref, tip) = (candidate.git_ref.clone(), tip.clone());
        let after = self.config().targets[target].after.clone().expect("a target with `after`");
        let upstream = self.config().targets.iter().position(|t| t.name == after.target).expect("the config names a target");
        let places = self.destination(upstream, &git_ref, &tip).and_then(|u| Ok((u, self.destination(target, &git_ref, &tip)?)));
        let (theirs, ours) = match places {
            Ok(places) => places,
            Err(reason) => return self.decide(index, Decision::Failed { reason }, log),
        };
        self.destinations.insert(upstream, theirs.clone());
        self.destinations.insert(target, ours.clone());
        for environment in [&theirs.environment, &ours.environment] {
            if let Some(request) = self.environment_request(environment) {
                return Some(request);
            }
        }
        let (upstream_deployments, own) = match (self.listing(&theirs.environment), self.listing(&ours.environment)) {
            (Ok(upstream), Ok(own)) => (upstream, own),
            (Err(reason), _) | (_, Err(reason)) => return self.decide(index, Decision::Failed { reason }, log),
        };
        let facts = Facts {
            upstream: &after.target,
            upstream_task: &theirs.task,
            git_ref: &git_ref,
            tip: &tip,
            upstream_deployments,
            own_last: own.iter().find(|d| d.task == ours.task),
            soak: after.soak,
            now: self.context.now,
        };
        match pipeline::promote(&facts, &self.statuses()) {
            Promotion::Read(id) => match self.latest_failed(id) {
                Some(reason) => self.decide(index, Decision::Failed { reason }, log),
                None => self.latest_request(id),
            },
            Promotion::Deploy(sha) => {
                log.info(format!("{}: {} is the newest commit of {git_ref} that passed {}.", self.target_name(index), short_sha(&sha), after.target));
                self.promote_to(index, git_ref, sha);
                self.plans[index].progress = Progress::Render;
                None
            }
            Promotion::Stop(decision) => {
                // The row names the commit that deploys once soaked, not the tip.
                if let Decision::Soaking { sha, .. } = &decision {
                    self.promote_to(index, git_ref, sha.clone());
                }
                self.decide(index, decision, log)
            }
        }
    }

    /// The plan goes on with `sha` of `git_ref`: a candidate of its own, as the commit differs from
    /// the tip other targets deploy.
    fn promote_to(&mut self, index: usize, git_ref: String, sha: String) {
        self.candidates.push(super::candidates::Candidate { git_ref, sha: sha.clone(), pull_request: None, tip: Tip::Read(sha), manual: false, force: false, asked: Default::default(), forced_by_admin: false, fallbacks: Vec::new() });
        self.plans[index].candidate = self.candidates.len() - 1;
    }

    /// The serialize gate, past the lock: the next fact it needs, or on to create.
    pub(super) fn serialization(&mut self, index: usize, log: &mut Log) -> Option<Request> {
        let environment = self.plans[index].body.as_ref().expect("rendered before it is serialized").environment.clone();
        if let Some(request) = self.environment_request(&environment) {
            return Some(request);
        }
        let deployments = match self.listing(&environment) {
            Ok(deployments) => deployments,
            Err(reason) => return self.decide(index, Decision::Failed { reason }, log),
        };
        // Created by this run, to the same environment: not in the listing read before it.
        let created_here = self.plans.iter().find_map(|plan| match (&plan.progress, &plan.body) {
            (Progress::Dispatch(id, _) | Progress::Decided(Decision::Created { id, .. }), Some(body)) if body.environment == environment => Some(*id),
            _ => None,
        });
        match serialize::one_at_a_time(deployments, &self.statuses(), created_here, self.context.now, self.stuck_after()) {
            Serial::Read(id) => match self.latest_failed(id) {
                Some(reason) => self.decide(index, Decision::Failed { reason }, log),
                None => self.latest_request(id),
            },
            Serial::Decided(Gate::Pass) => {
                self.plans[index].progress = match decide::create(self.settings.dry_run) {
                    Gate::Pass => Progress::Create { attempt: 0 },
                    Gate::Stop(decision) => return self.decide(index, decision, log),
                };
                None
            }
            Serial::Decided(Gate::Stop(decision)) => self.decide(index, decision, log),
        }
    }

    fn listing(&self, environment: &str) -> Result<&[Listed], String> {
        match self.environments.get(environment) {
            Some(Fetch::Read(list)) => Ok(list),
            Some(Fetch::Failed(reason)) => Err(reason.clone()),
            _ => unreachable!("read before it is judged"),
        }
    }

    fn decide(&mut self, index: usize, decision: Decision, log: &mut Log) -> Option<Request> {
        let name = self.target_name(index).to_string();
        match &decision {
            Decision::Failed { reason } => log.warning(format!("{name}: {reason}")),
            other => log.info(format!("{name}: {}.", other.reason())),
        }
        self.plans[index].progress = Progress::Decided(decision);
        None
    }

    /// The pipelines the run looked at, for the summary's chart: each target of a chain, the commit
    /// its environment last deployed (when read), and where this run's commit stands there.
    pub(super) fn chart(&self) -> Vec<ChartNode> {
        let config = self.config();
        let chained = |t: usize| config.targets[t].after.is_some() || config.targets.iter().any(|o| o.after.as_ref().is_some_and(|a| a.target == config.targets[t].name));
        if !self.plans.iter().any(|p| config.targets[p.target].after.is_some()) {
            return Vec::new();
        }
        (0..config.targets.len())
            .filter(|&t| chained(t))
            .map(|t| {
                let runs = self.destinations.get(&t).and_then(|place| match self.environments.get(&place.environment) {
                    Some(Fetch::Read(list)) => list.iter().find(|d| d.task == place.task).map(|d| d.sha.clone()),
                    _ => None,
                });
                let standing = self.plans.iter().find(|p| p.target == t).and_then(|p| match &p.progress {
                    Progress::Decided(decision) => Some(decision.clone()),
                    _ => None,
                });
                ChartNode { target: config.targets[t].name.clone(), after: config.targets[t].after.as_ref().map(|a| a.target.clone()), runs, standing }
            })
            .collect()
    }
}

/// The ref a target with `auto_deploy_on: pattern` follows, for a deployment made from `marker`
/// (Deliverybot's `deliverybot.ref`) or `deployed` (the deployment's own `ref`): the pattern when it
/// is one ref, else the deployment's ref when the pattern matches it.
fn followed_ref(pattern: &str, marker: Option<&str>, deployed: &str) -> Option<String> {
    if !pattern.contains('*') {
        return Some(pattern.to_string());
    }
    let full = [marker.map(str::to_string), Some(deployed.to_string()).filter(|r| r.starts_with("refs/")), Some(format!("refs/heads/{deployed}")), Some(format!("refs/tags/{deployed}"))];
    full.into_iter().flatten().find(|r| pattern_matches(pattern, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_ends_a_deployment_or_not() {
        assert_eq!(ends("success"), Some(true));
        assert_eq!((ends("failure"), ends("error"), ends("inactive")), (Some(false), Some(false), Some(false)));
        assert_eq!((ends("in_progress"), ends("queued"), ends("pending"), ends("waiting")), (None, None, None, None));
    }

    #[test]
    fn a_pattern_follows_the_deployments_own_ref() {
        assert_eq!(followed_ref("refs/heads/main", None, "abc"), Some("refs/heads/main".into()));
        assert_eq!(followed_ref("refs/heads/release-*", Some("refs/heads/release-2"), "abc"), Some("refs/heads/release-2".into()));
        assert_eq!(followed_ref("refs/tags/v*", None, "v1.2"), Some("refs/tags/v1.2".into()));
        assert_eq!(followed_ref("refs/heads/release-*", None, "main"), None);
    }
}
