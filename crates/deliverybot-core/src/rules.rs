//! The rules, as pure functions: which targets an event selects, and what the checks on a commit
//! say. The flow in `deliver.rs` gathers the facts; these decide.

use crate::config::{Target, Trigger};
use crate::event::PullRequest;
use crate::refs::pattern_matches;

/// Whether a push (or a check on the tip) of `git_ref` deploys `target`; `Err` says why not.
pub fn ref_selects(target: &Target, git_ref: &str) -> Result<(), String> {
    match &target.auto_deploy_on {
        Some(Trigger::Ref(pattern)) if pattern_matches(pattern, git_ref) => Ok(()),
        Some(Trigger::Ref(pattern)) => Err(format!("auto_deploy_on `{pattern}` does not match {git_ref}")),
        Some(Trigger::PullRequest) => Err("deploys pull requests, not pushes".to_string()),
        None => Err("no auto_deploy_on: deployed on request only".to_string()),
    }
}

/// Whether a pull request deploys `target` automatically. `Ok(Err(reason))`: the target is for
/// pull requests, but not this one (a fork, a draft); it is reported as skipped.
pub fn pull_request_selects(target: &Target, pr: &PullRequest) -> Result<Result<(), String>, String> {
    if target.auto_deploy_on != Some(Trigger::PullRequest) {
        return Err("does not deploy pull requests (auto_deploy_on is not `pr`)".to_string());
    }
    Ok(if pr.fork && !target.allow_forks {
        Err(format!("#{} comes from a fork; its code is not deployed automatically (set `allow_forks: true` to allow it)", pr.number))
    } else if pr.draft && !target.allow_drafts {
        Err(format!("#{} is a draft (set `allow_drafts: true` to deploy drafts)", pr.number))
    } else {
        Ok(())
    })
}

/// One check on a commit: a commit status (by context) or a check run (by name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: String,
    pub state: CheckState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckState {
    Passed,
    Pending,
    Failed,
}

impl CheckState {
    /// A commit status's state.
    pub fn of_status(state: &str) -> CheckState {
        match state {
            "success" => CheckState::Passed,
            "pending" => CheckState::Pending,
            _ => CheckState::Failed,
        }
    }

    /// A check run's status and conclusion.
    pub fn of_run(status: &str, conclusion: Option<&str>) -> CheckState {
        match (status, conclusion) {
            ("completed", Some("success" | "neutral" | "skipped")) => CheckState::Passed,
            ("completed", _) => CheckState::Failed,
            _ => CheckState::Pending,
        }
    }
}

/// What the required checks say about deploying a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Green,
    /// Pending or not reported yet: a later event deploys it.
    Waiting(Vec<String>),
    /// At least one failed: nothing deploys this commit until it is fixed or re-run.
    Blocked(Vec<String>),
}

/// `checks` holds the latest state of each check on the commit (statuses before check runs).
/// `own_job` is this run's job: a running check too, which must not wait on itself.
pub fn verdict(required: &[String], checks: &[Check], own_job: Option<&str>) -> Verdict {
    let mut waiting = Vec::new();
    let mut failed = Vec::new();
    for context in required {
        match checks.iter().find(|c| &c.name == context).map(|c| c.state) {
            Some(CheckState::Passed) => {}
            Some(CheckState::Failed) => failed.push(context.clone()),
            Some(CheckState::Pending) if own_job == Some(context.as_str()) => {}
            Some(CheckState::Pending) => waiting.push(context.clone()),
            None => waiting.push(format!("{context} (not reported yet)")),
        }
    }
    if !failed.is_empty() {
        Verdict::Blocked(failed)
    } else if !waiting.is_empty() {
        Verdict::Waiting(waiting)
    } else {
        Verdict::Green
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use serde_json::json;

    fn targets(text: &str) -> Config {
        Config::parse(text).unwrap()
    }

    #[test]
    fn refs_select_by_pattern() {
        let config = targets("staging:\n  auto_deploy_on: refs/heads/main\nprod:\n  auto_deploy_on: refs/tags/v*\nmanual:\nreview:\n  auto_deploy_on: pr\n");
        let [staging, prod, manual, review] = &config.targets[..] else { panic!() };
        assert_eq!(ref_selects(staging, "refs/heads/main"), Ok(()));
        assert_eq!(ref_selects(prod, "refs/heads/main"), Err("auto_deploy_on `refs/tags/v*` does not match refs/heads/main".into()));
        assert_eq!(ref_selects(prod, "refs/tags/v2.0.0"), Ok(()));
        assert!(ref_selects(manual, "refs/heads/main").unwrap_err().contains("on request only"));
        assert_eq!(ref_selects(review, "refs/heads/main"), Err("deploys pull requests, not pushes".into()));
    }

    fn pr(fork: bool, draft: bool) -> PullRequest {
        let head_repo = if fork { 9 } else { 7 };
        PullRequest::from_object(json!({ "number": 5, "draft": draft, "head": { "ref": "x", "sha": "s", "repo": { "id": head_repo } }, "base": { "repo": { "id": 7 } } }), 7).unwrap()
    }

    #[test]
    fn pull_requests_select_pr_targets_but_not_forks_or_drafts_unless_allowed() {
        let config = targets("review:\n  auto_deploy_on: pr\nopen:\n  auto_deploy_on: pr\n  allow_forks: true\n  allow_drafts: true\nstaging:\n  auto_deploy_on: refs/heads/main\n");
        let [review, open, staging] = &config.targets[..] else { panic!() };
        assert_eq!(pull_request_selects(review, &pr(false, false)), Ok(Ok(())));
        assert!(pull_request_selects(review, &pr(true, false)).unwrap().unwrap_err().contains("comes from a fork"));
        assert!(pull_request_selects(review, &pr(false, true)).unwrap().unwrap_err().contains("is a draft"));
        assert_eq!(pull_request_selects(open, &pr(true, true)), Ok(Ok(())));
        assert!(pull_request_selects(staging, &pr(false, false)).is_err());
    }

    fn check(name: &str, state: CheckState) -> Check {
        Check { name: name.into(), state }
    }

    #[test]
    fn checks_decide_green_waiting_or_blocked() {
        let required = vec!["ci".to_string(), "security".to_string()];
        let green = [check("ci", CheckState::Passed), check("security", CheckState::Passed), check("lint", CheckState::Failed)];
        assert_eq!(verdict(&required, &green, None), Verdict::Green, "checks that are not required do not matter");
        let pending = [check("ci", CheckState::Passed), check("security", CheckState::Pending)];
        assert_eq!(verdict(&required, &pending, None), Verdict::Waiting(vec!["security".into()]));
        assert_eq!(verdict(&required, &[check("ci", CheckState::Passed)], None), Verdict::Waiting(vec!["security (not reported yet)".into()]));
        let failed = [check("ci", CheckState::Failed), check("security", CheckState::Pending)];
        assert_eq!(verdict(&required, &failed, None), Verdict::Blocked(vec!["ci".into()]));
        assert_eq!(verdict(&[], &failed, None), Verdict::Green);
    }

    #[test]
    fn the_running_job_never_waits_on_itself() {
        let required = vec!["deliver".to_string()];
        assert_eq!(verdict(&required, &[check("deliver", CheckState::Pending)], Some("deliver")), Verdict::Green);
        assert_eq!(verdict(&required, &[check("deliver", CheckState::Pending)], None), Verdict::Waiting(vec!["deliver".into()]));
    }

    #[test]
    fn check_states_read_statuses_and_runs() {
        assert_eq!(CheckState::of_status("success"), CheckState::Passed);
        assert_eq!(CheckState::of_status("error"), CheckState::Failed);
        assert_eq!(CheckState::of_run("completed", Some("skipped")), CheckState::Passed);
        assert_eq!(CheckState::of_run("completed", Some("timed_out")), CheckState::Failed);
        assert_eq!(CheckState::of_run("in_progress", None), CheckState::Pending);
    }
}
