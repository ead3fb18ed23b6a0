//! The trigger check: each target that no trigger of the repository's Deliverybot workflows can
//! re-evaluate, such as a target that waits for `ci` when nothing starts Deliverybot once `ci`
//! finishes. What each target needs is [`needs`](super::triggers::needs), as for the generated
//! workflow; here it is held against the `on:` of the workflows that run Deliverybot.

use super::filters::{glob_matches, Names, Selected};
use super::repository::{Events, Push, Workflow};
use super::triggers::{reached_by_statuses, Need, Needs, Refs, Source, TargetNeeds};
use super::waits::SWEEP;
use crate::diagnostic::Diagnostic;

/// Why a need is not met, one for each target and need that nothing re-evaluates, at the target
/// (`settings.stuck_after`'s, of the whole file). With no workflow that runs Deliverybot's rules,
/// that alone is the finding.
pub fn check(all: &Needs, workflows: &[Workflow]) -> Vec<Diagnostic> {
    let runners: Vec<&Workflow> = workflows.iter().filter(|w| w.runs_deliverybot).collect();
    if runners.is_empty() {
        let message = "no workflow here runs Deliverybot's rules (a step `uses: deliverybot/deliverybot@...` without `state`): nothing deploys automatically; `deliverybot workflow` writes one";
        return vec![Diagnostic { pos: None, message: message.into() }];
    }
    let names = runners.iter().map(|w| w.path.as_str()).collect::<Vec<_>>().join(" and ");
    let mut found = Vec::new();
    for TargetNeeds { target, needs } in &all.targets {
        for need in needs {
            if let Need::Finished { context, source: Source::Outside, .. } = need {
                found.extend(bare_name(&target.name, context, workflows).map(|message| Diagnostic::at(target.pos, message)));
            }
            if !runners.iter().any(|w| met(need, &w.events)) {
                let paths = matches!(need, Need::Push(refs) if runners.iter().any(|w| w.events.push.as_ref().is_some_and(|push| push.paths && pushes(push, refs))));
                let message = unmet(&target.name, need, &names);
                found.push(Diagnostic::at(target.pos, if paths { format!("{message} (its `paths` filter lets pushes that change other files start nothing)") } else { message }));
            }
        }
    }
    if all.sweep && !runners.iter().any(|w| w.events.schedule) {
        found.push(Diagnostic { pos: None, message: format!("{SWEEP}, and {names} has none{SCHEDULE}") });
    }
    found
}

/// How to add what only a schedule gives.
const SCHEDULE: &str = "; `deliverybot workflow --schedule CRON` writes one";

/// A required context that is the bare name of a matrix job or of a call to a workflow, whose
/// check runs all have more to their name: nothing ever reports the context itself.
fn bare_name(target: &str, context: &str, workflows: &[Workflow]) -> Option<String> {
    workflows.iter().filter(|w| !w.runs_deliverybot).find_map(|w| {
        let job = w.checks.iter().find(|check| check.bare.as_deref() == Some(context))?;
        Some(format!(
            "target `{target}` waits for `{context}`, but job `{}` of {} makes no check run of that name: a matrix job's are named `{context} (values)`, a called workflow's `{context} / job`; require those names",
            job.job, w.path
        ))
    })
}

/// Whether a workflow with these events starts after the event a need names.
fn met(need: &Need, events: &Events) -> bool {
    // A schedule evaluates every automatic target, sooner or later: each ref's tip, and the open
    // pull requests.
    let scheduled = events.schedule;
    let check_runs = events.check_run.as_ref().is_some_and(|types| has(types, "completed"));
    match need {
        // A `paths` filter lets pushes that change other files start nothing.
        Need::Push(refs) => scheduled || events.push.as_ref().is_some_and(|push| !push.paths && pushes(push, refs)),
        Need::NoPush(_) => scheduled,
        Need::PullRequests => scheduled || events.pull_request.as_ref().is_some_and(|types| has(types, "opened") && has(types, "synchronize")),
        Need::Closed => events.pull_request.as_ref().is_some_and(|types| types.as_ref().is_some_and(|t| t.iter().any(|t| t == "closed"))),
        Need::Finished { source: Source::Workflow { name, .. }, on, .. } => {
            let run = events.workflow_run.as_ref().is_some_and(|run| {
                run.workflows.iter().any(|pattern| pattern == name || glob_matches(pattern, name))
                    && has(&run.types, "completed")
                    && match on {
                        Refs::Selected(Selected { branches, tags }) => each(branches, |b| run.branches.passes(b)) && each(tags, |t| run.branches.passes(t)),
                        Refs::PullRequests => run.branches.only.is_none() && run.branches.ignore.is_none(),
                    }
            });
            run || check_runs || scheduled
        }
        Need::Finished { source: Source::Outside, on, .. } => (events.status && reached_by_statuses(on)) || check_runs || scheduled,
        Need::Passed { .. } | Need::Ended { .. } => events.deployment_status || scheduled,
        Need::Moment(_) => scheduled,
    }
}

/// Whether a push of each of these branches and tags starts the workflow, as far as ref filters go.
fn pushes(push: &Push, refs: &Selected) -> bool {
    each(&refs.branches, |branch| push.branch(branch)) && each(&refs.tags, |tag| push.tag(tag))
}

/// Whether a `types` list has an activity type; no list has all of the default ones.
fn has(types: &Option<Vec<String>>, wanted: &str) -> bool {
    types.as_ref().is_none_or(|types| types.iter().any(|t| t == wanted))
}

/// Whether every sample name of `names` passes (none to pass: true).
fn each(names: &Option<Names>, passes: impl Fn(&str) -> bool) -> bool {
    names.as_ref().is_none_or(|names| names.samples().iter().all(|name| passes(name)))
}

fn unmet(target: &str, need: &Need, workflows: &str) -> String {
    let hint = "; `deliverybot workflow` writes the triggers this config needs";
    match need {
        Need::Push(refs) => {
            let named: Vec<String> = [("branches", &refs.branches), ("tags", &refs.tags)]
                .into_iter()
                .filter_map(|(kind, names)| names.as_ref().map(|n| format!("{kind} `{}`", n.filter())))
                .collect();
            format!("target `{target}` deploys pushes of {}, but no such push starts {workflows}{hint}", named.join(" and "))
        }
        Need::NoPush(pattern) => format!("target `{target}`: `auto_deploy_on: {pattern}` names no branch or tag, so only a `schedule` deploys it, and {workflows} has none"),
        Need::PullRequests => format!("target `{target}` deploys pull requests, but {workflows} does not start when one is opened or pushed to (`pull_request` with types `opened` and `synchronize`){hint}"),
        Need::Closed => format!("target `{target}` has transient environments, but {workflows} does not start when a pull request closes (`pull_request` with type `closed`): they are never made inactive{hint}"),
        Need::Finished { context, source: Source::Workflow { name, path }, .. } => format!(
            "target `{target}` waits for `{context}` (a job of {path}), but nothing starts {workflows} when `{name}` completes on its refs: add `workflow_run: {{ workflows: [{name}], types: [completed] }}`{hint}"
        ),
        Need::Finished { context, source: Source::Outside, on } => {
            let how = match reached_by_statuses(on) {
                true => "`status` (a commit status) or `check_run` (a check run)",
                false => "`check_run` (status events never name a tag)",
            };
            format!("target `{target}` waits for `{context}`, which no workflow here makes, but nothing starts {workflows} when it is reported: add {how}{hint}")
        }
        Need::Passed { after, .. } => format!(
            "target `{target}` comes after `{after}`, but {workflows} starts neither when a deployment ends (`deployment_status`) nor on a `schedule`: nothing promotes what passed `{after}`{hint}"
        ),
        Need::Ended { .. } => format!(
            "target `{target}` deploys one at a time (`serialize`), but {workflows} starts neither when a deployment ends (`deployment_status`) nor on a `schedule`: a deploy that waited for the one in progress never happens{hint}"
        ),
        Need::Moment(moment) => format!("{}, and {workflows} has none{SCHEDULE}", moment.sentence(target)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::triggers::needs;
    use super::*;
    use crate::config::Config;

    const CI: &str = "name: CI\non: push\njobs:\n  ci:\n    runs-on: x\n    steps: [{ run: make }]\n";
    const CONFIG: &str = "staging:\n  auto_deploy_on: refs/heads/main\n  required_contexts: [ci]\nreview:\n  auto_deploy_on: pr\n  transient_environment: true\n";

    fn findings(deliverybot_on: &str) -> Vec<String> {
        let config = Config::parse(CONFIG).unwrap();
        let deliverybot = format!("on: {deliverybot_on}\njobs:\n  d:\n    steps:\n      - uses: deliverybot/deliverybot@{} # v1\n", "0".repeat(40));
        let workflows = [Workflow::read(".github/workflows/ci.yml", CI).unwrap(), Workflow::read(".github/workflows/deliverybot.yml", &deliverybot).unwrap()];
        check(&needs(&config, &workflows), &workflows).iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn a_target_waiting_for_a_workflow_nothing_follows_is_named() {
        let found = findings("{ push: { branches: [main] }, pull_request: { types: [opened, synchronize, closed] } }");
        assert_eq!(
            found,
            ["1:1: target `staging` waits for `ci` (a job of .github/workflows/ci.yml), but nothing starts .github/workflows/deliverybot.yml when `CI` completes on its refs: add `workflow_run: { workflows: [CI], types: [completed] }`; `deliverybot workflow` writes the triggers this config needs"]
        );
    }

    #[test]
    fn workflow_run_on_the_right_branches_or_a_schedule_meets_it() {
        let base = "push: { branches: [main] }, pull_request: { types: [opened, synchronize, closed] }";
        assert!(findings(&format!("{{ {base}, workflow_run: {{ workflows: [CI], types: [completed], branches: [main] }} }}")).is_empty());
        assert_eq!(findings(&format!("{{ {base}, workflow_run: {{ workflows: [CI], branches: [develop] }} }}")).len(), 1, "not on main");
        assert_eq!(findings(&format!("{{ {base}, workflow_run: {{ workflows: [Build] }} }}")).len(), 1, "another workflow");
        assert!(findings(&format!("{{ {base}, schedule: [{{ cron: '0 * * * *' }}] }}")).is_empty());
    }

    #[test]
    fn pushes_and_pull_requests_are_checked_too() {
        let found = findings("{ push: { tags: ['v*'] }, workflow_run: { workflows: [CI] }, pull_request: }");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("1:1: target `staging` deploys pushes of branches `main`, but no such push starts"), "{}", found[0]);
        assert!(found[1].starts_with("4:1: target `review` has transient environments, but"), "{}", found[1]);
        let paths = findings("{ push: { branches: [main], paths: [src/**] }, workflow_run: { workflows: [CI] }, pull_request: { types: [opened, synchronize, closed] } }");
        assert_eq!(paths.len(), 1);
        assert!(paths[0].ends_with("(its `paths` filter lets pushes that change other files start nothing)"), "{}", paths[0]);
    }

    #[test]
    fn a_matrix_job_s_bare_name_is_never_reported() {
        let config = Config::parse("staging:\n  auto_deploy_on: refs/heads/main\n  required_contexts: [test]\n").unwrap();
        let ci = "on: push\njobs:\n  test:\n    strategy: { matrix: { node: [20, 24] } }\n    steps: [{ run: make }]\n";
        let workflows = [Workflow::read(".github/workflows/ci.yml", ci).unwrap(), Workflow::read("d.yml", "on: [push, status]\njobs:\n  d:\n    steps: [{ uses: deliverybot/deliverybot@x }]\n").unwrap()];
        let found: Vec<String> = check(&needs(&config, &workflows), &workflows).into_iter().map(|d| d.to_string()).collect();
        assert_eq!(found, ["1:1: target `staging` waits for `test`, but job `test` of .github/workflows/ci.yml makes no check run of that name: a matrix job's are named `test (values)`, a called workflow's `test / job`; require those names"]);
    }

    #[test]
    fn without_a_deliverybot_workflow_that_is_the_finding() {
        let config = Config::parse(CONFIG).unwrap();
        let workflows = [Workflow::read(".github/workflows/ci.yml", CI).unwrap()];
        let found = check(&needs(&config, &workflows), &workflows);
        assert_eq!((found.len(), found[0].pos), (1, None));
    }

    #[test]
    fn an_outside_check_needs_status_for_branches_and_check_run_otherwise() {
        let config = Config::parse("prod:\n  auto_deploy_on: refs/tags/v*\n  required_contexts: [ext]\nstaging:\n  auto_deploy_on: refs/heads/main\n  required_contexts: [ext]\n").unwrap();
        let on = |events: &str| Workflow::read("d.yml", &format!("on: {events}\njobs:\n  d:\n    steps: [{{ uses: deliverybot/deliverybot@x }}]\n")).unwrap();
        let found = |events: &str| {
            let workflows = [on(events)];
            check(&needs(&config, &workflows), &workflows).into_iter().map(|d| d.message).collect::<Vec<_>>()
        };
        let with_status = found("[push, status]");
        assert_eq!(with_status.len(), 1);
        assert!(with_status[0].starts_with("target `prod` waits for `ext`, which no workflow here makes") && with_status[0].contains("status events never name a tag"));
        assert!(found("{ push: , check_run: { types: [completed] } }").is_empty());
    }

    #[test]
    fn a_deployment_s_end_is_met_by_deployment_status_or_a_schedule_and_a_soak_by_a_schedule_only() {
        let config = "staging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\nproduction:\n  auto_deploy_on: refs/heads/main\n  after: staging\n  serialize: true\n";
        let found = |config: &str, events: &str| {
            let config = Config::parse(config).unwrap();
            let workflows = [Workflow::read("d.yml", &format!("on: {events}\njobs:\n  d:\n    steps: [{{ uses: deliverybot/deliverybot@x }}]\n")).unwrap()];
            check(&needs(&config, &workflows), &workflows).into_iter().map(|d| d.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(
            found(config, "[push]"),
            [
                "4:1: target `production` comes after `staging`, but d.yml starts neither when a deployment ends (`deployment_status`) nor on a `schedule`: nothing promotes what passed `staging`; `deliverybot workflow` writes the triggers this config needs",
                "4:1: target `production` deploys one at a time (`serialize`), but d.yml starts neither when a deployment ends (`deployment_status`) nor on a `schedule`: a deploy that waited for the one in progress never happens; `deliverybot workflow` writes the triggers this config needs",
            ]
        );
        assert_eq!(found(config, "[push, deployment_status]"), Vec::<String>::new());
        assert_eq!(found(config, "{ push: , schedule: [{ cron: '0 * * * *' }] }"), Vec::<String>::new());
        let soaked = format!("{config}  soak: 1h\nsettings:\n  stuck_after: 2h\n");
        assert_eq!(
            found(&soaked, "[push, deployment_status]"),
            [
                "4:1: target `production` soaks after `staging`, and no event marks the end of a soak: only a schedule deploys it then, and d.yml has none; `deliverybot workflow --schedule CRON` writes one",
                "`settings.stuck_after`: only a schedule marks a deployment that is stuck while no other one ends, and d.yml has none; `deliverybot workflow --schedule CRON` writes one",
            ]
        );
        assert_eq!(found(&soaked, "[push, deployment_status, schedule]"), Vec::<String>::new());
    }
}
