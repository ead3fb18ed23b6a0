//! The keys of a promotion pipeline and of one deploy at a time: `after` (the target whose
//! successful deployment a commit must have first) and `soak` (how long that success must be old,
//! a [`duration`](super::duration)). A target's `after` is checked once every
//! target is read: it names another target, and following the `after`s never comes back.

use super::value::expected;
use super::{After, Target, Trigger};
use crate::diagnostic::{closest, Diagnostic, Pos};
use crate::yaml::Node;
use std::time::Duration;

/// `after: <target>`: the name, where it is written (checked against the targets later).
pub(super) fn upstream(node: &Node) -> Result<(String, Pos), Vec<Diagnostic>> {
    match node.as_str().map(str::trim) {
        Some(name) if !name.is_empty() => Ok((name.to_string(), node.pos)),
        _ => Err(vec![expected(node, "after", "the name of another target, like `after: staging`")]),
    }
}

/// A target's `after` and `soak` together: a soak is the age of the `after` target's success, so
/// it needs one.
pub(super) fn after(upstream: Option<(String, Pos)>, soak: Option<(Duration, Pos)>, errors: &mut Vec<Diagnostic>) -> Option<After> {
    match (upstream, soak) {
        (Some((target, pos)), soak) => Some(After { target, soak: soak.map(|(duration, _)| duration), pos }),
        (None, Some((_, pos))) => {
            errors.push(Diagnostic::at(pos, "`soak` is how long the `after` target's success must be old; it needs `after: <target>`"));
            None
        }
        (None, None) => None,
    }
}

/// Every `after` names another target that exists, is followed by a target with a ref of its own
/// to promote, and no chain of `after`s comes back to where it started. (A target with errors is
/// not among `targets`: an `after` naming it is not reported missing while there are errors.)
pub(super) fn check_chains(targets: &[Target], errors: &mut Vec<Diagnostic>) {
    let all_read = errors.is_empty();
    let names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
    let index = |name: &str| targets.iter().position(|t| t.name == name);
    for (at, target) in targets.iter().enumerate() {
        let Some(after) = &target.after else { continue };
        let Some(upstream) = index(&after.target) else {
            if !all_read {
                continue;
            }
            let others: Vec<&str> = names.iter().copied().filter(|n| *n != target.name).collect();
            let hint = match closest(&after.target, &others) {
                Some(guess) => format!("; did you mean `{guess}`?"),
                None => format!("; the targets are {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")),
            };
            errors.push(Diagnostic::at(after.pos, format!("`after: {}` names no target{hint}", after.target)));
            continue;
        };
        if upstream == at {
            errors.push(Diagnostic::at(after.pos, format!("`after: {}` names this target itself: a target comes after another one", after.target)));
            continue;
        }
        match &target.auto_deploy_on {
            Some(Trigger::Ref(_)) => {}
            Some(Trigger::PullRequest) | None => errors.push(Diagnostic::at(
                after.pos,
                format!("`after: {}` promotes the commits of the ref this target follows: give `{}` an `auto_deploy_on` ref, like `refs/heads/main`", after.target, target.name),
            )),
        }
        // Following the chain from here: reported once, at the first `after` of the cycle in the file.
        let mut chain = vec![at];
        let mut next = Some(upstream);
        while let Some(step) = next {
            if step == at {
                if chain.iter().all(|&t| t >= at) {
                    let path: Vec<&str> = chain.iter().chain([&at]).map(|&t| names[t]).collect();
                    errors.push(Diagnostic::at(after.pos, format!("`after: {}` makes a cycle: {}; no target of it could ever deploy", after.target, path.join(" → "))));
                }
                break;
            }
            if chain.contains(&step) {
                break; // a cycle further up, reported from its own first target
            }
            chain.push(step);
            next = targets[step].after.as_ref().and_then(|a| index(&a.target)).filter(|&t| t != step);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{errors, Config};
    use super::*;
    use crate::config::duration::DURATION_FORMAT;

    #[test]
    fn after_soak_and_serialize_are_read() {
        let config = Config::parse("staging:\n  auto_deploy_on: refs/heads/main\n  serialize: true\nproduction:\n  auto_deploy_on: refs/heads/main\n  after: staging\n  soak: 2h\n").unwrap();
        let production = config.target("production").unwrap();
        assert_eq!(production.after, Some(After { target: "staging".into(), soak: Some(Duration::from_secs(7_200)), pos: Pos { line: 6, column: 10 } }));
        assert!(!production.serialize);
        let staging = config.target("staging").unwrap();
        assert!(staging.serialize && staging.after.is_none());
    }

    #[test]
    fn bad_values_are_reported_where_they_stand() {
        assert_eq!(
            errors("a:\n  auto_deploy_on: refs/heads/main\n  after: b\n  soak: 30\nb:\n  serialize: yes\nc:\n  soak: 0m\n  after: [b]\n"),
            [
                format!("4:9: `soak` must be {DURATION_FORMAT}; this is the number 30"),
                "6:14: `serialize` must be true or false; this is the string \"yes\"".to_string(),
                format!("8:9: `soak: 0m` cannot be zero; leave the key out to wait for nothing ({DURATION_FORMAT})"),
                "9:10: `after` must be the name of another target, like `after: staging`; this is a list".to_string(),
            ]
        );
        assert_eq!(errors("a:\n  soak: 1h\n"), ["2:9: `soak` is how long the `after` target's success must be old; it needs `after: <target>`"]);
    }

    #[test]
    fn after_names_another_target_of_a_ref_following_target() {
        assert_eq!(
            errors("staging:\nproduction:\n  auto_deploy_on: refs/heads/main\n  after: stagin\nqa:\n  auto_deploy_on: refs/heads/main\n  after: qa\nreview:\n  auto_deploy_on: pr\n  after: staging\nmanual:\n  after: staging\n"),
            [
                "4:10: `after: stagin` names no target; did you mean `staging`?",
                "7:10: `after: qa` names this target itself: a target comes after another one",
                "10:10: `after: staging` promotes the commits of the ref this target follows: give `review` an `auto_deploy_on` ref, like `refs/heads/main`",
                "12:10: `after: staging` promotes the commits of the ref this target follows: give `manual` an `auto_deploy_on` ref, like `refs/heads/main`",
            ]
        );
        assert_eq!(errors("a:\n  auto_deploy_on: refs/heads/main\n  after: zzz\n"), ["3:10: `after: zzz` names no target; the targets are `a`"]);
        // A target with errors of its own is not reported missing as well.
        assert_eq!(errors("a:\n  auto_merge: 3\nb:\n  auto_deploy_on: refs/heads/main\n  after: a\n"), ["2:15: `auto_merge` must be true or false; this is the number 3"]);
    }

    #[test]
    fn a_cycle_of_afters_is_reported_once_at_its_first_target() {
        let text = "dev:\n  auto_deploy_on: refs/heads/main\n  after: production\nstaging:\n  auto_deploy_on: refs/heads/main\n  after: dev\nproduction:\n  auto_deploy_on: refs/heads/main\n  after: staging\nhotfix:\n  auto_deploy_on: refs/heads/main\n  after: dev\n";
        assert_eq!(errors(text), ["3:10: `after: production` makes a cycle: dev → production → staging → dev; no target of it could ever deploy"]);
        let chain = Config::parse("dev:\n  auto_deploy_on: refs/heads/main\nstaging:\n  auto_deploy_on: refs/heads/main\n  after: dev\nproduction:\n  auto_deploy_on: refs/heads/main\n  after: staging\n");
        assert!(chain.is_ok(), "{chain:?}");
    }
}
