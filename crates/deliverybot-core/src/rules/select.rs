//! Which targets an event selects: a push (or a check on the tip) of a ref, or a pull request.

use crate::config::{Target, Trigger};
use crate::event::PullRequest;
use crate::refs::pattern_matches;

/// What an event means for one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// The target deploys it.
    Deploys,
    /// The target is for this kind of event, but not this one (a pull request from a fork, a
    /// draft): reported as skipped, with why.
    Skipped { reason: String },
    /// The target is not for this kind of event: counted, not listed.
    NotSelected { reason: String },
}

impl Selection {
    pub fn deploys(&self) -> bool {
        *self == Selection::Deploys
    }
}

/// Whether a push (or a check on the tip) of `git_ref` deploys `target`.
pub fn by_ref(target: &Target, git_ref: &str) -> Selection {
    let not = |reason: String| Selection::NotSelected { reason };
    match &target.auto_deploy_on {
        Some(Trigger::Ref(pattern)) if pattern_matches(pattern, git_ref) => Selection::Deploys,
        Some(Trigger::Ref(pattern)) => not(format!("auto_deploy_on `{pattern}` does not match {git_ref}")),
        Some(Trigger::PullRequest) => not("deploys pull requests, not pushes".to_string()),
        None => not("no auto_deploy_on: deployed on request only".to_string()),
    }
}

/// Whether a pull request deploys `target` automatically: code from a fork or a draft only when
/// the target allows it.
pub fn by_pull_request(target: &Target, pr: &PullRequest) -> Selection {
    if target.auto_deploy_on != Some(Trigger::PullRequest) {
        return Selection::NotSelected { reason: "does not deploy pull requests (auto_deploy_on is not `pr`)".to_string() };
    }
    if pr.fork && !target.allow_forks {
        let reason = format!("#{} comes from a fork; its code is not deployed automatically (set `allow_forks: true` to allow it)", pr.number);
        Selection::Skipped { reason }
    } else if pr.draft && !target.allow_drafts {
        Selection::Skipped { reason: format!("#{} is a draft (set `allow_drafts: true` to deploy drafts)", pr.number) }
    } else {
        Selection::Deploys
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::Config;
    use serde_json::json;

    pub(crate) fn targets(text: &str) -> Config {
        Config::parse(text).unwrap()
    }

    pub(crate) fn pr(fork: bool, draft: bool) -> PullRequest {
        let head_repo = if fork { 9 } else { 7 };
        PullRequest::from_object(json!({ "number": 5, "draft": draft, "head": { "ref": "x", "sha": "s", "repo": { "id": head_repo } }, "base": { "repo": { "id": 7 } } }), 7).unwrap()
    }

    fn not_selected(reason: &str) -> Selection {
        Selection::NotSelected { reason: reason.to_string() }
    }

    #[test]
    fn refs_select_by_pattern() {
        let config = targets("staging:\n  auto_deploy_on: refs/heads/main\nprod:\n  auto_deploy_on: refs/tags/v*\nmanual:\nreview:\n  auto_deploy_on: pr\n");
        let [staging, prod, manual, review] = &config.targets[..] else { panic!() };
        assert_eq!(by_ref(staging, "refs/heads/main"), Selection::Deploys);
        assert_eq!(by_ref(prod, "refs/heads/main"), not_selected("auto_deploy_on `refs/tags/v*` does not match refs/heads/main"));
        assert!(by_ref(prod, "refs/tags/v2.0.0").deploys());
        assert_eq!(by_ref(manual, "refs/heads/main"), not_selected("no auto_deploy_on: deployed on request only"));
        assert_eq!(by_ref(review, "refs/heads/main"), not_selected("deploys pull requests, not pushes"));
    }

    #[test]
    fn pull_requests_select_pr_targets_but_skip_forks_and_drafts_unless_allowed() {
        let config = targets("review:\n  auto_deploy_on: pr\nopen:\n  auto_deploy_on: pr\n  allow_forks: true\n  allow_drafts: true\nstaging:\n  auto_deploy_on: refs/heads/main\n");
        let [review, open, staging] = &config.targets[..] else { panic!() };
        assert_eq!(by_pull_request(review, &pr(false, false)), Selection::Deploys);
        assert!(matches!(by_pull_request(review, &pr(true, false)), Selection::Skipped { reason } if reason.contains("comes from a fork")));
        assert!(matches!(by_pull_request(review, &pr(false, true)), Selection::Skipped { reason } if reason.contains("is a draft")));
        assert_eq!(by_pull_request(open, &pr(true, true)), Selection::Deploys);
        assert_eq!(by_pull_request(staging, &pr(false, false)), not_selected("does not deploy pull requests (auto_deploy_on is not `pr`)"));
    }
}
