//! The rules' gates ([`rules::decide`](crate::rules::decide)) applied to each plan as its facts
//! come in, in order: the tip (superseded, a pull request closed or not taken), the files changed
//! (`paths`, [`rules::paths`](crate::rules::paths)), already deployed, the required checks, the
//! lock, and create. A gate that stops a plan decides it, and the decision is logged from the same
//! value the summary renders.

use super::candidates::Tip;
use super::facts::{ChecksFetch, Fetch};
use super::{Deliver, Progress};
use crate::log::Log;
use crate::refs::short_sha;
use crate::rules::Decision;
use crate::rules::checks::Check;
use crate::rules::decide::{self, Gate};
use crate::rules::paths::{self, Verdict};

impl Deliver {
    /// The candidate's tip is known: only the tip deploys (but what a manual deploy asked for), and a
    /// pull request read after its event only while it is open and taken by the target.
    pub(super) fn judge_tip(&mut self, index: usize) {
        let candidate = &self.candidates[self.plans[index].candidate];
        // With `after`, the pipeline picks the commit: the newest that passed, tip or not.
        let promotes = self.promotes(index);
        let gate = match &candidate.tip {
            Tip::Gone(reason) => Gate::Stop(Decision::Skipped { reason: reason.clone() }),
            Tip::Unreadable(reason) => Gate::Stop(Decision::Failed { reason: reason.clone() }),
            Tip::Read(_) if promotes => Gate::Pass,
            Tip::Read(tip) => decide::superseded(&candidate.sha, tip),
            Tip::Asked => Gate::Pass,
            Tip::ReadRef | Tip::ReadTag(_) | Tip::ReadPull(_) | Tip::Resolve => unreachable!("judged once read"),
        };
        let gate = match (gate, &candidate.pull_request) {
            (Gate::Pass, Some(pr)) => decide::pull_request(&self.config().targets[self.plans[index].target], pr),
            (gate, _) => gate,
        };
        self.pass_to(index, gate, if promotes { Progress::Pipeline } else { Progress::Render }, None);
    }

    /// What changed since the target last deployed to the environment is known (or that it last
    /// deployed this very commit, which the already-deployed rule decides on).
    pub(super) fn judge_paths(&mut self, index: usize, log: &mut Log) {
        let gate = match self.known_changes(index) {
            None => Gate::Pass,
            Some(Err(reason)) => {
                log.warning(format!("{}: {reason}", self.target_name(index)));
                Gate::Stop(Decision::Failed { reason })
            }
            Some(Ok(changes)) => {
                let verdict = paths::changed(&self.config().targets[self.plans[index].target].paths, &changes);
                let name = self.target_name(index);
                match &verdict {
                    Verdict::Changed { file, since } => log.info(format!("{name}: {file} changed since {}.", short_sha(since))),
                    Verdict::Anyway { why } => log.notice(format!("{name}: deploying without knowing whether its files changed: {why}.")),
                    Verdict::Unchanged { .. } => {}
                }
                verdict.gate()
            }
        };
        self.pass_to(index, gate, Progress::Existing, Some(log));
    }

    /// The newest deployment of this commit to this environment (if any) is known.
    pub(super) fn judge_existing(&mut self, index: usize, existing: Option<u64>, log: &mut Log) {
        let candidate = &self.candidates[self.plans[index].candidate];
        // A manual deploy goes on past an existing deployment; the newest one is kept to tell ours
        // apart if the answer to our create is lost.
        self.plans[index].before = existing;
        let gate = decide::already_deployed(existing, candidate.manual);
        self.pass_to(index, gate, Progress::Freeze, Some(log));
    }

    /// Past the freeze: forced, straight to the lock, which even --force respects.
    pub(super) fn after_freeze(&self, index: usize) -> Progress {
        if self.candidates[self.plans[index].candidate].force { Progress::Lock } else { Progress::Checks }
    }

    /// Moves a plan past the freeze gate, or decides it.
    pub(super) fn pass_freeze(&mut self, index: usize, gate: Gate, log: &mut Log) {
        let next = self.after_freeze(index);
        self.pass_to(index, gate, next, Some(log));
    }

    /// The required checks are read.
    pub(super) fn judge_checks(&mut self, index: usize, log: &mut Log) {
        let required = &self.config().targets[self.plans[index].target].required_contexts;
        let sha = &self.plans[index].body.as_ref().expect("rendered before its checks").sha;
        let gate = match self.checks.get(sha) {
            Some(ChecksFetch { failed: Some(reason), .. }) => Gate::Stop(Decision::Failed { reason: reason.clone() }),
            Some(fetch) => {
                let all: Vec<Check> = fetch.statuses.iter().chain(fetch.runs.iter()).cloned().collect();
                decide::checks(required, &all, Some(self.context.job.as_str()).filter(|j| !j.is_empty()))
            }
            None => unreachable!("checks are read before they are judged"),
        };
        self.pass_to(index, gate, Progress::Lock, Some(log));
    }

    /// The locks are known: a locked environment is not deployed to; past it, create (or first, with
    /// `serialize`, wait for the environment to be free).
    pub(super) fn judge_lock(&mut self, index: usize, log: &mut Log) {
        let environment = &self.plans[index].body.as_ref().expect("rendered before its lock is checked").environment;
        let serialize = self.config().targets[self.plans[index].target].serialize;
        let gate = match &self.locks {
            Fetch::Failed(reason) => Gate::Stop(Decision::Failed { reason: reason.clone() }),
            _ => match decide::locked(environment, self.lock_details.get(environment)) {
                Gate::Pass if serialize => Gate::Pass,
                Gate::Pass => decide::create(self.settings.dry_run),
                locked => locked,
            },
        };
        let next = if serialize { Progress::Serialize } else { Progress::Create { attempt: 0 } };
        self.pass_to(index, gate, next, Some(log));
    }

    /// Moves the plan on to `next`, or decides it, saying so in the log when a gate has words for it.
    fn pass_to(&mut self, index: usize, gate: Gate, next: Progress, log: Option<&mut Log>) {
        self.plans[index].progress = match gate {
            Gate::Pass => next,
            Gate::Stop(decision) => {
                if let Some(log) = log {
                    self.log_decision(index, &decision, log);
                }
                Progress::Decided(decision)
            }
        };
    }

    /// The log line of a gate's decision.
    fn log_decision(&self, index: usize, decision: &Decision, log: &mut Log) {
        let name = self.target_name(index);
        let body = self.plans[index].body.as_ref().expect("rendered before it is judged");
        let (sha, environment) = (short_sha(&body.sha), &body.environment);
        match decision {
            Decision::Unchanged { since } => log.info(format!("{name}: none of its files changed since {}; not deploying {sha} to {environment}.", short_sha(since))),
            Decision::AlreadyDeployed { id } => log.info(format!("{name}: {sha} is already deployed to {environment} (deployment {id}); not deploying it again.")),
            Decision::Waiting { contexts } => log.info(format!("{name}: waiting for {} on {sha}; a later event deploys it.", contexts.join(", "))),
            Decision::Blocked { contexts } => log.warning(format!("{name}: {} failed on {sha}; not deploying it.", contexts.join(", "))),
            Decision::Locked { description } => log.warning(format!("{name}: not deploying {sha}: {description}. `/unlock {environment}` lifts it.")),
            Decision::Frozen { until } => log.info(format!("{name}: frozen until {until}; {sha} waits, and a later event deploys it.")),
            Decision::WouldCreate => log.info(format!("{name}: dry run, would create the deployment of {sha} to {environment}.")),
            _ => {}
        }
    }
}
