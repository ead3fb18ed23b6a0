//! Which targets a push selects.

use crate::config::{Config, Target, Trigger};
use crate::refs::pattern_matches;

/// A target and whether this ref deploys it automatically.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection<'a> {
    Selected(&'a Target),
    /// Not for this ref; the reason is for the log.
    NotSelected { target: &'a Target, reason: String },
}

/// Every target of the config, in file order, with whether a push to `git_ref` deploys it.
pub fn select_for_push<'a>(config: &'a Config, git_ref: &str) -> Vec<Selection<'a>> {
    config
        .targets
        .iter()
        .map(|target| match &target.auto_deploy_on {
            Some(Trigger::Ref(pattern)) if pattern_matches(pattern, git_ref) => Selection::Selected(target),
            Some(Trigger::Ref(pattern)) => Selection::NotSelected {
                target,
                reason: format!("auto_deploy_on `{pattern}` does not match {git_ref}"),
            },
            Some(Trigger::PullRequest) => Selection::NotSelected { target, reason: "deploys pull requests, not pushes".to_string() },
            None => Selection::NotSelected { target, reason: "no auto_deploy_on: deployed on request only".to_string() },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_selects_the_targets_whose_pattern_matches() {
        let config = Config::parse(
            "staging:\n  auto_deploy_on: refs/heads/main\nproduction:\n  auto_deploy_on: refs/tags/v*\nmanual:\nreview:\n  auto_deploy_on: pr\n",
        )
        .unwrap();
        let on_main = select_for_push(&config, "refs/heads/main");
        assert!(matches!(on_main[0], Selection::Selected(t) if t.name == "staging"));
        assert!(matches!(&on_main[1], Selection::NotSelected { reason, .. } if reason == "auto_deploy_on `refs/tags/v*` does not match refs/heads/main"));
        assert!(matches!(&on_main[2], Selection::NotSelected { reason, .. } if reason.contains("on request only")));
        assert!(matches!(&on_main[3], Selection::NotSelected { reason, .. } if reason == "deploys pull requests, not pushes"));

        let on_tag = select_for_push(&config, "refs/tags/v2.0.0");
        let selected: Vec<_> = on_tag.iter().filter_map(|s| match s { Selection::Selected(t) => Some(t.name.as_str()), _ => None }).collect();
        assert_eq!(selected, ["production"]);
    }
}
