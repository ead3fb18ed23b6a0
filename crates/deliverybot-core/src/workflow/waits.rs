//! What the release safety keys make a target wait for, and which event ends the wait: the end of a
//! deployment (`after`, `serialize`), which the `deployment_status` event marks, or a moment no event
//! marks (a `soak` that ends, a freeze window that ends), which only a schedule sees.
//!
//! `paths` and `paths_ignore` make no wait and no trigger: a target's files are compared with the
//! commit it last deployed, not with what one push changed, so a push that changed none of them can
//! still deploy a commit an earlier push brought; a `paths` filter on the push trigger would lose it.

use super::triggers::Need;
use crate::config::{Config, Target, Trigger};
use crate::github::deployment_status::State;
use crate::template::{Lookup, Var};
use serde_json::Value;

/// A moment no event marks: only a schedule re-evaluates the target then.
#[derive(Debug, Clone, PartialEq)]
pub enum Moment {
    /// `soak`: the `after` target's success is old enough.
    Soaked { after: String },
    /// A freeze window (the target's or the settings') ends.
    Thawed,
    /// A pull request target with `serialize`: the deployment in progress ends. The
    /// `deployment_status` event re-evaluates only targets that follow a ref (flows/deliver/pipeline.rs).
    Freed,
}

impl Moment {
    /// What waits for the moment and why only a schedule sees it, for the workflow's comments and
    /// the check's findings.
    pub fn sentence(&self, target: &str) -> String {
        match self {
            Moment::Soaked { after } => format!("target `{target}` soaks after `{after}`, and no event marks the end of a soak: only a schedule deploys it then"),
            Moment::Thawed => format!("target `{target}` has freeze windows, and no event marks the end of one: only a schedule deploys what waited"),
            Moment::Freed => format!(
                "target `{target}` deploys pull requests one at a time (`serialize`), and `deployment_status` re-evaluates only targets that follow a ref: only a schedule deploys a pull request that waited"
            ),
        }
    }
}

/// `settings.stuck_after`, for the workflow's comments and the check's findings: the sweep runs on
/// schedules and on the `deployment_status` events that end a deployment (flows/stuck.rs), and a
/// deployment can be stuck while no other one ends.
pub const SWEEP: &str = "`settings.stuck_after`: only a schedule marks a deployment that is stuck while no other one ends";

/// What a target waits for beyond pushes and checks. Only a target that deploys automatically
/// waits: a deploy by hand that waits is asked for again by hand.
pub fn waits(config: &Config, target: &Target) -> Vec<Need> {
    let mut needs = Vec::new();
    match &target.auto_deploy_on {
        Some(Trigger::Ref(_)) => {
            if let Some(after) = &target.after {
                // A promotion waits for a success in the environment the `after` target deploys to.
                let environment = config.target(&after.target).and_then(fixed_environment);
                needs.push(Need::Passed { after: after.target.clone(), environment });
                if after.soak.is_some() {
                    needs.push(Need::Moment(Moment::Soaked { after: after.target.clone() }));
                }
            }
            if target.serialize {
                needs.push(Need::Ended { environment: fixed_environment(target) });
            }
        }
        Some(Trigger::PullRequest) if target.serialize => needs.push(Need::Moment(Moment::Freed)),
        Some(Trigger::PullRequest) => {}
        None => return needs,
    }
    if target.freeze_windows(&config.settings).next().is_some() {
        needs.push(Need::Moment(Moment::Thawed));
    }
    needs
}

/// The environment a target deploys to whatever is deployed (its name has no variables): the one a
/// `deployment_status` event about it names. `None`: it depends on the commit.
fn fixed_environment(target: &Target) -> Option<String> {
    struct NoVars;
    impl Lookup for NoVars {
        fn lookup(&self, _: &Var) -> Option<Value> {
            None
        }
        fn event_name(&self) -> &str {
            ""
        }
    }
    let environment = &target.environment;
    (!environment.uses(&|_| true)).then(|| environment.render(&NoVars).ok()).flatten().filter(|name| !name.is_empty())
}

/// `deployment_status` events that can re-evaluate something: their states and the environments
/// of their deployments.
#[derive(Debug, Clone, PartialEq)]
pub struct Ends {
    /// States the engine acts on (it ends a run on any other without a request, engine.rs):
    /// `success` for a promotion, every state that ends a deployment for `serialize` and the sweep.
    pub states: Vec<&'static str>,
    /// `None`: any environment (one whose name depends on the commit, or the stuck sweep, which
    /// any end starts).
    pub environments: Option<Vec<String>>,
}

/// Every state a deployment status has (github/deployment_status.rs).
const STATES: [State; 7] = [State::Pending, State::Queued, State::InProgress, State::Success, State::Failure, State::Error, State::Inactive];

/// The `deployment_status` events the needs and `settings.stuck_after` (`sweep`) call for, a status
/// counting when it is one of them: a success where a promotion waits, any end where `serialize`
/// or the sweep does. Empty: no such trigger.
pub fn deployment_ends<'n>(needs: impl Iterator<Item = &'n Need>, sweep: bool) -> Vec<Ends> {
    // For each: no need (`None`), any environment (`Some(None)`), or these.
    let mut success: Option<Option<Vec<String>>> = None;
    let mut any_end: Option<Option<Vec<String>>> = sweep.then_some(None);
    for need in needs {
        match need {
            Need::Passed { environment, .. } => widen(&mut success, environment),
            Need::Ended { environment } => widen(&mut any_end, environment),
            _ => {}
        }
    }
    // A success where any end already counts needs no test of its own.
    match (&mut success, &any_end) {
        (Some(_), Some(None)) => success = None,
        (Some(Some(names)), Some(Some(ended))) => {
            names.retain(|name| !ended.contains(name));
            if names.is_empty() {
                success = None;
            }
        }
        _ => {}
    }
    let states = |all: bool| STATES.into_iter().filter(|state| state.ends().is_some_and(|succeeded| succeeded || all)).map(State::as_str).collect();
    let success = success.map(|environments| Ends { states: states(false), environments });
    let any_end = any_end.map(|environments| Ends { states: states(true), environments });
    success.into_iter().chain(any_end).collect()
}

/// Adds an environment to those a need watches (`None`: any).
fn widen(watched: &mut Option<Option<Vec<String>>>, environment: &Option<String>) {
    match (watched.as_mut(), environment) {
        (None, _) => *watched = Some(environment.clone().map(|name| vec![name])),
        (Some(Some(names)), Some(name)) if !names.contains(name) => names.push(name.clone()),
        (Some(_), None) => *watched = Some(None),
        (Some(_), Some(_)) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waits_of(config: &str, target: &str) -> Vec<Need> {
        let config = Config::parse(config).unwrap();
        waits(&config, config.target(target).unwrap())
    }

    #[test]
    fn promotions_wait_for_a_success_upstream_and_a_soak_for_a_schedule() {
        let config = "staging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\nproduction:\n  auto_deploy_on: refs/heads/main\n  after: staging\n  soak: 30m\n";
        assert_eq!(
            waits_of(config, "production"),
            [Need::Passed { after: "staging".into(), environment: Some("staging".into()) }, Need::Moment(Moment::Soaked { after: "staging".into() })]
        );
        assert_eq!(waits_of(config, "staging"), []);
        // An upstream environment named after the commit: any environment.
        let config = "dev:\n  auto_deploy_on: refs/heads/*\n  environment: dev-${{ branch }}\nqa:\n  auto_deploy_on: refs/heads/*\n  after: dev\n";
        assert_eq!(waits_of(config, "qa"), [Need::Passed { after: "dev".into(), environment: None }]);
    }

    #[test]
    fn serialize_waits_for_any_end_and_freezes_for_a_schedule() {
        let config = "settings:\n  freeze:\n    - { from: \"Fri 18:00\", to: \"Mon 06:00\", timezone: Europe/Berlin }\nweb:\n  auto_deploy_on: refs/heads/main\n  environment: prod\n  serialize: true\nreview:\n  auto_deploy_on: pr\n  serialize: true\nmanual:\n  serialize: true\n";
        assert_eq!(waits_of(config, "web"), [Need::Ended { environment: Some("prod".into()) }, Need::Moment(Moment::Thawed)]);
        assert_eq!(waits_of(config, "review"), [Need::Moment(Moment::Freed), Need::Moment(Moment::Thawed)]);
        assert_eq!(waits_of(config, "manual"), [], "a deploy by hand is asked for again by hand");
    }

    #[test]
    fn paths_make_no_wait() {
        assert_eq!(waits_of("web:\n  auto_deploy_on: refs/heads/main\n  paths: ['web/**']\n  paths_ignore: ['**/*.md']\n", "web"), []);
    }

    /// The states are the engine's own: `success` is what a promotion waits for, and every state
    /// that ends a deployment frees an environment and starts the sweep; the rest end the run.
    #[test]
    fn the_states_are_those_the_engine_acts_on() {
        let promotion = Need::Passed { after: "staging".into(), environment: Some("staging".into()) };
        let serial = Need::Ended { environment: Some("prod".into()) };
        let templated = Need::Passed { after: "dev".into(), environment: None };
        let all = vec!["success", "failure", "error", "inactive"];
        let watch = |states: &[&'static str], environments: Option<&[&str]>| Ends { states: states.to_vec(), environments: environments.map(|e| e.iter().map(|n| n.to_string()).collect()) };
        assert_eq!(deployment_ends([].iter(), false), []);
        assert_eq!(deployment_ends([&promotion].into_iter(), false), [watch(&["success"], Some(&["staging"]))]);
        let both = deployment_ends([&promotion, &serial, &promotion].into_iter(), false);
        assert_eq!(both, [watch(&["success"], Some(&["staging"])), watch(&all, Some(&["prod"]))]);
        assert_eq!(deployment_ends([&promotion, &templated].into_iter(), false), [watch(&["success"], None)]);
        assert_eq!(deployment_ends([&promotion, &serial].into_iter(), true), [watch(&all, None)], "the sweep counts every end anywhere");
        let same = Need::Ended { environment: Some("staging".into()) };
        assert_eq!(deployment_ends([&promotion, &same].into_iter(), false), [watch(&all, Some(&["staging"]))]);
        let both = &both[1];
        for state in STATES {
            let acted_on = state.ends().is_some();
            assert_eq!(both.states.contains(&state.as_str()), acted_on, "{state:?}");
            assert_eq!(State::parse(state.as_str()), Some(state));
        }
    }
}
