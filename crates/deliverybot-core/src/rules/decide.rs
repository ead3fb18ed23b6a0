//! The gates a (target, commit) pair passes on its way to a deployment, in the order the deliver
//! flow asks them. Each is a pure function of the facts gathered for it: the pair goes on
//! ([`Gate::Pass`]) or stops here with a [`Decision`] that carries its reason.

use super::checks::{verdict, Check, Verdict};
use super::select::{by_pull_request, Selection};
use crate::config::Target;
use crate::event::PullRequest;
use crate::locks::Lock;
use crate::rules::Decision;

/// What a gate says about a pair.
#[derive(Debug, Clone, PartialEq)]
pub enum Gate {
    /// On to the next gate (past the last one: create).
    Pass,
    /// Decided here; the decision carries its reason.
    Stop(Decision),
}

/// Only the newest commit of a ref deploys: `commit` is the one the event named, `tip` the one the
/// ref points to now.
pub fn superseded(commit: &str, tip: &str) -> Gate {
    if commit == tip {
        Gate::Pass
    } else {
        Gate::Stop(Decision::Superseded { by: tip.to_string() })
    }
}

/// A pull request read after its event (a check on its head) deploys only while it is open, and
/// only if the target takes it (forks, drafts).
pub fn pull_request(target: &Target, pr: &PullRequest) -> Gate {
    if !pr.open {
        return Gate::Stop(Decision::Skipped { reason: format!("pull request #{} is closed", pr.number) });
    }
    match by_pull_request(target, pr) {
        Selection::Skipped { reason } => Gate::Stop(Decision::Skipped { reason }),
        Selection::Deploys | Selection::NotSelected { .. } => Gate::Pass,
    }
}

/// A commit deploys once to an environment: `existing` is the newest deployment of it there, for
/// the same task. A manual deploy (a dispatch, `/deploy`) deploys again on purpose: a rollback.
pub fn already_deployed(existing: Option<u64>, manual: bool) -> Gate {
    match existing {
        Some(id) if !manual => Gate::Stop(Decision::AlreadyDeployed { id }),
        _ => Gate::Pass,
    }
}

/// Every required check green: go on. Pending or not reported yet: waiting, a later event deploys
/// it. One failed: blocked. `own_job` is this run's job, a running check that must not wait on
/// itself.
pub fn checks(required: &[String], checks: &[Check], own_job: Option<&str>) -> Gate {
    match verdict(required, checks, own_job) {
        Verdict::Green => Gate::Pass,
        Verdict::Waiting(contexts) => Gate::Stop(Decision::Waiting { contexts }),
        Verdict::Blocked(contexts) => Gate::Stop(Decision::Blocked { contexts }),
    }
}

/// A locked environment (`/lock`) is not deployed to, from any path, `--force` included.
pub fn locked(environment: &str, lock: Option<&Lock>) -> Gate {
    match lock {
        Some(lock) => Gate::Stop(Decision::Locked { description: format!("{environment} is {}", lock.describe()) }),
        None => Gate::Pass,
    }
}

/// Past every gate: create the deployment, or in a dry run only say that it would be.
pub fn create(dry_run: bool) -> Gate {
    if dry_run {
        Gate::Stop(Decision::WouldCreate)
    } else {
        Gate::Pass
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::checks::CheckState;
    use crate::rules::select::tests::{pr, targets};

    #[test]
    fn only_the_tip_deploys() {
        assert_eq!(superseded("abc", "abc"), Gate::Pass);
        assert_eq!(superseded("abc", "def"), Gate::Stop(Decision::Superseded { by: "def".into() }));
    }

    #[test]
    fn a_pull_request_read_later_must_be_open_and_taken_by_the_target() {
        let config = targets("review:\n  auto_deploy_on: pr\n");
        let review = &config.targets[0];
        assert_eq!(pull_request(review, &pr(false, false)), Gate::Pass);
        let mut closed = pr(false, false);
        closed.open = false;
        assert_eq!(pull_request(review, &closed), Gate::Stop(Decision::Skipped { reason: "pull request #5 is closed".into() }));
        assert!(matches!(pull_request(review, &pr(true, false)), Gate::Stop(Decision::Skipped { reason }) if reason.contains("comes from a fork")));
        assert!(matches!(pull_request(review, &pr(false, true)), Gate::Stop(Decision::Skipped { reason }) if reason.contains("is a draft")));
    }

    #[test]
    fn a_commit_deploys_once_unless_asked_again() {
        assert_eq!(already_deployed(None, false), Gate::Pass);
        assert_eq!(already_deployed(Some(7), false), Gate::Stop(Decision::AlreadyDeployed { id: 7 }));
        assert_eq!(already_deployed(Some(7), true), Gate::Pass, "a manual deploy is a rollback");
    }

    #[test]
    fn required_checks_pass_wait_or_block() {
        let required = vec!["ci".to_string()];
        let check = |state| vec![Check { name: "ci".into(), state }];
        assert_eq!(checks(&required, &check(CheckState::Passed), None), Gate::Pass);
        assert_eq!(checks(&required, &check(CheckState::Pending), None), Gate::Stop(Decision::Waiting { contexts: vec!["ci".into()] }));
        assert_eq!(checks(&required, &check(CheckState::Failed), None), Gate::Stop(Decision::Blocked { contexts: vec!["ci".into()] }));
        assert_eq!(checks(&required, &check(CheckState::Pending), Some("ci")), Gate::Pass);
    }

    #[test]
    fn a_locked_environment_is_not_deployed_to() {
        assert_eq!(locked("production", None), Gate::Pass);
        let lock = Lock { environment: "production".into(), by: "octocat".into(), reason: "incident 42".into(), pr: None, since: String::new() };
        assert_eq!(locked("production", Some(&lock)), Gate::Stop(Decision::Locked { description: "production is locked by @octocat: incident 42".into() }));
    }

    #[test]
    fn a_dry_run_creates_nothing() {
        assert_eq!(create(false), Gate::Pass);
        assert_eq!(create(true), Gate::Stop(Decision::WouldCreate));
    }
}
