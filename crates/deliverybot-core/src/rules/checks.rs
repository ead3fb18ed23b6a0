//! What the checks on a commit say about deploying it: commit statuses (by context) and check runs
//! (by name), against a target's `required_contexts`.

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
