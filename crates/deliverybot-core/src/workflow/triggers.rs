//! What can re-evaluate each target — the events after which a run of Deliverybot can deploy it —
//! derived from the config's own rules and the repository's workflows, and what a workflow
//! running Deliverybot therefore needs: its triggers and its token's permissions.

use super::filters::{selected, Selected};
use super::repository::Workflow;
use super::waits::{deployment_ends, waits, Ends, Moment, SWEEP};
use crate::config::{Config, Target, Trigger};
use std::collections::BTreeMap;

/// One kind of event after which a run can deploy a target.
#[derive(Debug, Clone, PartialEq)]
pub enum Need {
    /// A push of one of these branches or tags.
    Push(Selected),
    /// A ref that no push names (`refs/notes/*`): only a schedule deploys it.
    NoPush(String),
    /// A pull request opened, pushed to, reopened or marked ready for review.
    PullRequests,
    /// A pull request closed: the transient environments deployed for it are retired.
    Closed,
    /// The end of a required check: the target waits for `context`.
    Finished { context: String, source: Source, on: Refs },
    /// `after`: a success of a deployment to the `after` target's environment (`None`: any, its
    /// name depends on the commit).
    Passed { after: String, environment: Option<String> },
    /// `serialize`: any end of a deployment to the target's environment (`None`: any).
    Ended { environment: Option<String> },
    /// A moment no event marks, which only a schedule sees.
    Moment(Moment),
}

/// Where a required check comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A job of this workflow (its `name` and path).
    Workflow { name: String, path: String },
    /// Not from the workflows read: a commit status or a check run that something else reports
    /// (external CI, another GitHub App, `/promote`).
    Outside,
}

/// On what a check must finish to re-evaluate the target.
#[derive(Debug, Clone, PartialEq)]
pub enum Refs {
    /// These branches or tags (the check events name them as their branch).
    Selected(Selected),
    /// A pull request's head, on any branch.
    PullRequests,
}

/// A target and what can re-evaluate it.
#[derive(Debug, Clone)]
pub struct TargetNeeds<'c> {
    pub target: &'c Target,
    pub needs: Vec<Need>,
}

/// What the config needs of the events that run Deliverybot.
#[derive(Debug, Clone)]
pub struct Needs<'c> {
    pub targets: Vec<TargetNeeds<'c>>,
    /// `settings.stuck_after`: stuck deployments are marked by schedules, and by the
    /// `deployment_status` events that end a deployment.
    pub sweep: bool,
}

/// What can re-evaluate each target of the config. A target without `auto_deploy_on` needs
/// nothing: it deploys by dispatch or command, and no later event re-evaluates it.
pub fn needs<'c>(config: &'c Config, workflows: &[Workflow]) -> Needs<'c> {
    // The workflows that run Deliverybot make no check worth waiting for.
    let producers: Vec<&Workflow> = workflows.iter().filter(|w| !w.runs_deliverybot).collect();
    let source = |context: &str| match producers.iter().find(|w| w.job_for(context).is_some()) {
        Some(w) => Source::Workflow { name: w.name.clone(), path: w.path.clone() },
        None => Source::Outside,
    };
    let mut all = Vec::new();
    for target in &config.targets {
        let mut needs = Vec::new();
        let on = match &target.auto_deploy_on {
            Some(Trigger::Ref(pattern)) => {
                let refs = selected(pattern);
                needs.push(if refs == Selected::default() { Need::NoPush(pattern.clone()) } else { Need::Push(refs.clone()) });
                Some(Refs::Selected(refs))
            }
            Some(Trigger::PullRequest) => {
                needs.push(Need::PullRequests);
                Some(Refs::PullRequests)
            }
            None => None,
        };
        if let Some(on) = on {
            for context in &target.required_contexts {
                needs.push(Need::Finished { context: context.clone(), source: source(context), on: on.clone() });
            }
        }
        // A pull request's transient environments are retired when it closes, whether `pr` or
        // `/deploy` made them.
        if target.transient_environment == Some(true) {
            needs.push(Need::Closed);
        }
        needs.extend(waits(config, target));
        all.push(TargetNeeds { target, needs });
    }
    Needs { targets: all, sweep: config.settings.stuck_after.is_some() }
}

/// A token permission's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    Read,
    Write,
}

/// The permissions of a job's `GITHUB_TOKEN`, by scope (in GitHub's names, sorted).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Permissions(pub BTreeMap<&'static str, Access>);

impl Permissions {
    fn grant(&mut self, scope: &'static str, access: Access) {
        let level = self.0.entry(scope).or_insert(access);
        *level = (*level).max(access);
    }
}

/// The workflow a config needs: the union of its targets' needs, as triggers and permissions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// `push` filters, as GitHub patterns (empty: no push deploys anything).
    pub branches: Vec<String>,
    pub tags: Vec<String>,
    /// `pull_request` activity types (empty: no pull request event is needed).
    pub pull_request: Vec<&'static str>,
    /// `workflow_run`: the workflows whose jobs make required checks, and the branches (or tags)
    /// their runs must be on; `None`: any (a pull request's head can be on any branch).
    pub workflow_runs: Vec<String>,
    pub workflow_run_branches: Option<Vec<String>>,
    /// Required checks that come from outside Actions: `check_run` for them, and `status` for
    /// those a branch or a pull request waits for (a status event names the branches whose tip its
    /// commit is, and the pull requests it heads are looked up; never a tag).
    pub outside: Vec<String>,
    pub statuses: Vec<String>,
    /// `deployment_status`: the ends of deployments that can re-evaluate a target or sweep.
    pub deployment_status: Vec<Ends>,
    /// The targets a manual deploy can name.
    pub targets: Vec<String>,
    /// What only a schedule re-evaluates, a sentence each (a ref no push names, a soak, a freeze).
    pub schedule_only: Vec<String>,
    /// The rules job (every event but comments) and the commands job (pull request comments).
    pub deliver: Permissions,
    pub command: Permissions,
}

/// Whether a status event can re-evaluate a target on these refs: it names branches, and the pull
/// requests its commit heads are looked up (flows/deliver/pulls.rs), but it never names a tag.
pub fn reached_by_statuses(on: &Refs) -> bool {
    matches!(on, Refs::PullRequests | Refs::Selected(Selected { branches: Some(_), .. }))
}

/// The union of every target's needs; `scheduled`: the workflow also runs on a schedule.
pub fn plan(config: &Config, all: &Needs, scheduled: bool) -> Plan {
    let mut plan = Plan { targets: config.targets.iter().map(|t| t.name.clone()).collect(), ..Plan::default() };
    let (mut opened, mut closed) = (false, false);
    let mut run_branches = Some(Vec::new());
    for (target, need) in all.targets.iter().flat_map(|t| t.needs.iter().map(|need| (&t.target.name, need))) {
        match need {
            Need::Push(refs) => add_filters(refs, &mut plan.branches, &mut plan.tags),
            Need::NoPush(pattern) => add(&mut plan.schedule_only, format!("`auto_deploy_on: {pattern}` names no branch or tag: no push starts it, only a schedule.")),
            Need::PullRequests => opened = true,
            Need::Closed => closed = true,
            Need::Finished { source: Source::Workflow { name, .. }, on, .. } => {
                add(&mut plan.workflow_runs, name.clone());
                match (on, &mut run_branches) {
                    (Refs::Selected(refs), Some(branches)) => {
                        let mut tags = Vec::new();
                        add_filters(refs, branches, &mut tags);
                        tags.into_iter().for_each(|tag| add(branches, tag));
                    }
                    _ => run_branches = None,
                }
            }
            Need::Finished { source: Source::Outside, context, on } => {
                add(&mut plan.outside, context.clone());
                if reached_by_statuses(on) {
                    add(&mut plan.statuses, context.clone());
                }
            }
            Need::Passed { .. } | Need::Ended { .. } => {}
            Need::Moment(moment) => add(&mut plan.schedule_only, format!("{}.", moment.sentence(target))),
        }
    }
    if all.sweep {
        add(&mut plan.schedule_only, format!("{SWEEP}."));
    }
    plan.deployment_status = deployment_ends(all.targets.iter().flat_map(|t| &t.needs), all.sweep);
    if opened {
        plan.pull_request.extend(["opened", "synchronize", "reopened", "ready_for_review"]);
    }
    if closed {
        plan.pull_request.push("closed");
    }
    plan.workflow_run_branches = run_branches.map(collapse);
    plan.branches = collapse(std::mem::take(&mut plan.branches));
    plan.tags = collapse(std::mem::take(&mut plan.tags));
    plan.deliver = deliver_permissions(config, &plan, scheduled);
    plan.command = command_permissions(config);
    plan
}

/// Adds a ref pattern's branches and tags to `push` filters.
fn add_filters(refs: &Selected, branches: &mut Vec<String>, tags: &mut Vec<String>) {
    if let Some(names) = &refs.branches {
        add(branches, names.filter());
    }
    if let Some(names) = &refs.tags {
        add(tags, names.filter());
    }
}

fn add(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Filters in order, or only `**` when one of them selects every name.
fn collapse(filters: Vec<String>) -> Vec<String> {
    if filters.iter().any(|f| f == "**") { vec!["**".to_string()] } else { filters }
}

/// What the rules need, from the requests they make (github/requests.rs): the config, refs and
/// commits are read (contents, which also covers `paths`' comparisons), deployments and their
/// statuses read and created (deployments: promotions, `serialize` and the stuck sweep need no
/// more); checks and statuses read for `required_contexts`; for `pr` targets, a check event's or
/// a schedule's pull requests are read or looked up; `settings.dispatch` starts a workflow (actions).
fn deliver_permissions(config: &Config, plan: &Plan, scheduled: bool) -> Permissions {
    let mut permissions = Permissions::default();
    permissions.grant("contents", Access::Read);
    permissions.grant("deployments", Access::Write);
    if config.targets.iter().any(|t| !t.required_contexts.is_empty()) {
        permissions.grant("checks", Access::Read);
        permissions.grant("statuses", Access::Read);
    }
    let pull_request_targets = config.targets.iter().any(|t| t.auto_deploy_on == Some(Trigger::PullRequest));
    if pull_request_targets && (!plan.workflow_runs.is_empty() || !plan.outside.is_empty() || scheduled) {
        permissions.grant("pull-requests", Access::Read);
    }
    if config.settings.dispatch.is_some() {
        permissions.grant("actions", Access::Write);
    }
    permissions
}

/// What the pull request commands need (commands/): locks are refs and tags (contents: write),
/// `/promote` writes a commit status, `/deploy` is a deploy with the rules' needs, and the
/// pull request is read, the comment reacted to and replied to (pull-requests: write, which
/// covers a pull request's comments).
fn command_permissions(config: &Config) -> Permissions {
    let mut permissions = Permissions::default();
    permissions.grant("contents", Access::Write);
    permissions.grant("deployments", Access::Write);
    permissions.grant("statuses", Access::Write);
    permissions.grant("pull-requests", Access::Write);
    if config.targets.iter().any(|t| !t.required_contexts.is_empty()) {
        permissions.grant("checks", Access::Read);
    }
    if config.settings.dispatch.is_some() {
        permissions.grant("actions", Access::Write);
    }
    permissions
}

#[cfg(test)]
mod tests {
    use super::*;

    const CI: &str = "name: CI\non: push\njobs:\n  test:\n    runs-on: x\n    steps: [{ run: make }]\n";

    fn plan_of(config: &str) -> Plan {
        let config = Config::parse(config).unwrap();
        let workflows = [Workflow::read(".github/workflows/ci.yml", CI).unwrap()];
        plan(&config, &needs(&config, &workflows), false)
    }

    const CHAIN: &str = "dev:\n  auto_deploy_on: refs/heads/main\n  environment: dev\nstaging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\n  after: dev\nproduction:\n  auto_deploy_on: refs/heads/main\n  after: staging\n  soak: 30m\n";

    #[test]
    fn a_check_made_by_a_workflow_is_awaited_with_workflow_run() {
        let config = Config::parse("staging:\n  auto_deploy_on: refs/heads/main\n  required_contexts: [test, external]\n").unwrap();
        let workflows = [Workflow::read(".github/workflows/ci.yml", CI).unwrap()];
        let all = needs(&config, &workflows).targets;
        let main = Selected { branches: Some(super::super::filters::Names { prefix: "main".into(), open: false }), tags: None };
        assert_eq!(
            all[0].needs,
            [
                Need::Push(main.clone()),
                Need::Finished { context: "test".into(), source: Source::Workflow { name: "CI".into(), path: ".github/workflows/ci.yml".into() }, on: Refs::Selected(main.clone()) },
                Need::Finished { context: "external".into(), source: Source::Outside, on: Refs::Selected(main) },
            ]
        );
        let plan = plan(&config, &Needs { targets: all, sweep: false }, false);
        assert_eq!((plan.branches, plan.tags), (vec!["main".to_string()], vec![]));
        assert_eq!((plan.workflow_runs, plan.workflow_run_branches), (vec!["CI".to_string()], Some(vec!["main".to_string()])));
        assert_eq!((plan.outside, plan.statuses), (vec!["external".to_string()], vec!["external".to_string()]));
        assert!(plan.pull_request.is_empty());
    }

    #[test]
    fn tags_and_pull_requests_shape_the_workflow_run_branches() {
        let plan = plan_of("prod:\n  auto_deploy_on: refs/tags/v*\n  required_contexts: [test]\n");
        assert_eq!((plan.tags, plan.workflow_run_branches), (vec!["v**".to_string()], Some(vec!["v**".to_string()])));
        let plan = plan_of("prod:\n  auto_deploy_on: refs/tags/v*\n  required_contexts: [test]\nreview:\n  auto_deploy_on: pr\n  required_contexts: [test, ext]\n");
        assert_eq!(plan.workflow_run_branches, None, "a pull request's head can be on any branch");
        assert_eq!(plan.pull_request, ["opened", "synchronize", "reopened", "ready_for_review"]);
        assert_eq!((plan.outside, plan.statuses), (vec!["ext".to_string()], vec!["ext".to_string()]), "a status's pull requests are looked up");
        let plan = plan_of("prod:\n  auto_deploy_on: refs/tags/v*\n  required_contexts: [ext]\n");
        assert_eq!((plan.outside, plan.statuses), (vec!["ext".to_string()], vec![]), "status events never name a tag");
    }

    #[test]
    fn only_what_the_config_uses_is_triggered_and_permitted() {
        let plan = plan_of("manual:\n  environment: x\n");
        assert!(plan.branches.is_empty() && plan.tags.is_empty() && plan.pull_request.is_empty() && plan.workflow_runs.is_empty());
        assert_eq!(plan.targets, ["manual"]);
        assert_eq!(plan.deliver.0.into_iter().collect::<Vec<_>>(), [("contents", Access::Read), ("deployments", Access::Write)]);
        let plan = plan_of("settings:\n  dispatch: deploy.yml\nreview:\n  auto_deploy_on: pr\n  transient_environment: true\n  required_contexts: [test]\n");
        assert_eq!(plan.pull_request, ["opened", "synchronize", "reopened", "ready_for_review", "closed"]);
        let scopes: Vec<_> = plan.deliver.0.into_iter().collect();
        assert_eq!(scopes, [("actions", Access::Write), ("checks", Access::Read), ("contents", Access::Read), ("deployments", Access::Write), ("pull-requests", Access::Read), ("statuses", Access::Read)]);
        assert_eq!(plan.command.0.get("contents"), Some(&Access::Write), "locks are refs");
        // A transient environment made by `/deploy` alone is still retired on close.
        assert_eq!(plan_of("review:\n  transient_environment: true\n").pull_request, ["closed"]);
    }

    #[test]
    fn filters_collapse_and_refs_no_push_names_are_set_apart() {
        let plan = plan_of("a:\n  auto_deploy_on: refs/heads/main\nb:\n  auto_deploy_on: refs/heads/*\nc:\n  auto_deploy_on: refs/notes/x\n");
        assert_eq!(plan.branches, ["**"]);
        assert_eq!(plan.schedule_only, ["`auto_deploy_on: refs/notes/x` names no branch or tag: no push starts it, only a schedule."]);
        // The promotion status is written by a command, never by a workflow's job.
        let plan = plan_of("prod:\n  auto_deploy_on: refs/heads/main\n  required_contexts: [deliverybot/promotion]\n");
        assert_eq!(plan.outside, ["deliverybot/promotion"]);
    }

    #[test]
    fn a_pipeline_is_re_evaluated_by_the_success_upstream_and_its_soak_by_a_schedule() {
        let plan = plan_of(CHAIN);
        assert_eq!(plan.deployment_status, [Ends { states: vec!["success"], environments: Some(vec!["dev".into(), "staging".into()]) }]);
        assert_eq!(plan.schedule_only, ["target `production` soaks after `staging`, and no event marks the end of a soak: only a schedule deploys it then."]);
        assert_eq!(plan.branches, ["main"], "each target still follows its ref");
        assert_eq!(plan.deliver.0.into_iter().collect::<Vec<_>>(), [("contents", Access::Read), ("deployments", Access::Write)]);
    }

    #[test]
    fn serialize_and_the_stuck_sweep_are_re_evaluated_by_any_end() {
        let plan = plan_of("web:\n  auto_deploy_on: refs/heads/main\n  environment: web\n  serialize: true\n");
        assert_eq!(plan.deployment_status, [Ends { states: vec!["success", "failure", "error", "inactive"], environments: Some(vec!["web".into()]) }]);
        assert!(plan.schedule_only.is_empty());
        let plan = plan_of("settings:\n  stuck_after: 30m\nweb:\n  auto_deploy_on: refs/heads/main\n");
        assert_eq!(plan.deployment_status, [Ends { states: vec!["success", "failure", "error", "inactive"], environments: None }]);
        assert_eq!(plan.schedule_only, [format!("{SWEEP}.")]);
        let plan = plan_of("settings:\n  stuck_after: 30m\nmanual:\n  environment: x\n");
        assert!(!plan.deployment_status.is_empty(), "the sweep is of every target's deployments, manual ones too");
    }

    #[test]
    fn paths_filter_no_push_and_freezes_add_no_event() {
        let plan = plan_of("web:\n  auto_deploy_on: refs/heads/main\n  paths: ['web/**']\n  freeze:\n    - { from: \"Fri 18:00\", to: \"Mon 06:00\", timezone: UTC }\n");
        assert_eq!((plan.branches, plan.deployment_status), (vec!["main".to_string()], vec![]));
        assert_eq!(plan.schedule_only, ["target `web` has freeze windows, and no event marks the end of one: only a schedule deploys what waited."]);
        assert_eq!(plan_of("web:\n  auto_deploy_on: refs/heads/main\n").deployment_status, []);
    }
}
