//! Promotion pipelines (`after`, `soak`) and one deploy at a time (`serialize`), driven through the
//! engine's public protocol with canned GitHub replies: schedules, pushes and `deployment_status`.

mod common;

use common::{invocation, json_output, GitHub};
use deliverybot_core::Invocation;
use serde_json::{json, Value};

const C1: &str = "1111111111111111111111111111111111111111";
const C2: &str = "2222222222222222222222222222222222222222";
const C3: &str = "3333333333333333333333333333333333333333";

const CHAIN: &str = "\
dev:
  auto_deploy_on: refs/heads/main
  environment: dev
staging:
  auto_deploy_on: refs/heads/main
  environment: staging
  after: dev
production:
  auto_deploy_on: refs/heads/main
  after: staging
  soak: 30m
";

/// A deployment Deliverybot made of `sha` from main to `environment`, created at `at` (UTC, today).
fn deployment(id: u64, sha: &str, environment: &str, at: &str) -> Value {
    json!({
        "id": id, "sha": sha, "ref": sha, "task": "deploy", "environment": environment,
        "created_at": format!("2026-12-06T{at}:00Z"),
        "payload": { "deliverybot": { "ref": "refs/heads/main" } }
    })
}

/// main at C3; dev ran C1, C2, C3; staging ran C1 and C2 (C2 succeeded at 13:50); production C1.
fn repository() -> GitHub {
    let mut github = GitHub::with_config(CHAIN);
    github.refs.insert("heads/main".into(), C3.into());
    github.deployments = vec![
        deployment(1, C1, "dev", "09:00"),
        deployment(2, C1, "staging", "09:30"),
        deployment(3, C1, "production", "10:30"),
        deployment(4, C2, "dev", "13:00"),
        deployment(5, C2, "staging", "13:30"),
        deployment(6, C3, "dev", "13:55"),
    ];
    for (id, state, at) in [(1, "success", "09:05"), (2, "success", "09:35"), (3, "success", "10:35"), (4, "success", "13:05"), (5, "success", "13:50"), (6, "in_progress", "13:56")] {
        github.deployment_states.insert(id, state.into());
        github.status_times.insert(id, format!("2026-12-06T{at}:00Z"));
    }
    github
}

fn at(mut run: Invocation, now: &str) -> Invocation {
    run.context.now = Some(format!("2026-12-06T{now}:00Z").parse().unwrap());
    run
}

fn schedule(now: &str) -> Invocation {
    let mut run = invocation("schedule", json!({}));
    run.event = r#"{"schedule":"*/15 * * * *"}"#.into();
    at(run, now)
}

/// The `deployment_status` event of `deployment` (with the fields of a real payload the engine reads).
fn deployment_status(state: &str, deployment: &Value, now: &str) -> Invocation {
    at(invocation("deployment_status", json!({ "action": "created", "deployment_status": { "state": state, "environment": deployment["environment"] }, "deployment": deployment })), now)
}

fn reasons(outcome: &deliverybot_core::Outcome) -> Vec<(String, String, String)> {
    outcome.decisions.iter().map(|d| (d.target.clone(), d.decision.clone(), d.reason.clone())).collect()
}

#[test]
fn a_schedule_promotes_the_newest_commit_that_passed_and_says_what_each_target_waits_for() {
    let mut github = repository();
    let outcome = github.run(schedule("14:00"));
    assert_eq!(outcome.failure, None);
    assert_eq!(
        reasons(&outcome),
        [
            ("dev".into(), "already deployed".into(), "already deployed (deployment 6)".into()),
            ("staging".into(), "waiting".into(), "after dev: 3333333 still deploying there".into()),
            ("production".into(), "soaking".into(), "after staging: 2222222 soaking until 14:20 UTC".into()),
        ]
    );
    assert!(github.created().is_empty());
    // Each row says where its target deploys, and the soaking one the commit that deploys once soaked.
    assert_eq!(outcome.decisions.iter().map(|d| d.environment.as_str()).collect::<Vec<_>>(), ["dev", "staging", "production"]);
    assert_eq!((outcome.decisions[1].sha.as_str(), outcome.decisions[2].sha.as_str()), (C3, C2));
    // Bounded: the config, main's tip, dev's existing deployment, and per environment one list and
    // the statuses the rules asked for.
    assert_eq!(
        github.paths(),
        [
            "Get /repos/octo/app/contents/.github/deploy.yml",
            "Get /repos/octo/app/git/ref/heads/main",
            "Get /repos/octo/app/deployments",
            "Get /repos/octo/app/deployments",
            "Get /repos/octo/app/deployments",
            "Get /repos/octo/app/deployments/6/statuses",
            "Get /repos/octo/app/deployments",
            "Get /repos/octo/app/deployments/5/statuses",
        ]
    );
    assert_eq!(json_output(&outcome, "waiting").as_array().unwrap().len(), 2);
    // The summary draws the chain, each with the commit it runs and where this one stands.
    assert!(outcome.summary.contains(
        "```mermaid\nflowchart LR\n  t0[\"dev<br/>runs 3333333<br/>deployed\"]\n  t1[\"staging<br/>runs 2222222<br/>waiting: after dev: 3333333 still deploying there\"]\n  t0 --> t1\n  t2[\"production<br/>runs 1111111<br/>2222222 soaking until 14:20 UTC\"]\n  t1 --> t2\n```"
    ), "{}", outcome.summary);

    // Once soaked, the same schedule deploys C2 to production: the newest that passed, not main's tip.
    let mut github = repository();
    let outcome = github.run(schedule("14:21"));
    assert_eq!(github.created().len(), 1);
    assert_eq!((github.created()[0]["ref"].as_str(), github.created()[0]["environment"].as_str()), (Some(C2), Some("production")));
    assert_eq!(outcome.decisions[2].sha, C2);
}

#[test]
fn the_upstream_success_promotes_and_a_late_event_about_an_older_commit_deploys_the_newest() {
    let mut github = repository();
    github.deployment_states.insert(6, "success".into());
    github.status_times.insert(6, "2026-12-06T14:00:00Z".into());
    let outcome = github.run(deployment_status("success", &deployment(6, C3, "dev", "13:55"), "14:01"));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(reasons(&outcome).len(), 1, "only staging comes after dev");
    assert_eq!(github.created().len(), 1);
    assert_eq!((github.created()[0]["ref"].as_str(), github.created()[0]["environment"].as_str()), (Some(C3), Some("staging")));

    // A late success of C1 on staging: production deploys C2, the newest that passed and soaked.
    let mut github = repository();
    let outcome = github.run(deployment_status("success", &deployment(2, C1, "staging", "09:30"), "15:00"));
    assert_eq!(reasons(&outcome), [("production".into(), "created".into(), "created deployment 106".into())]);
    assert_eq!(github.created()[0]["ref"].as_str(), Some(C2));
}

#[test]
fn a_deployment_that_has_not_ended_does_nothing_and_without_pipelines_nothing_waits() {
    let mut github = repository();
    let outcome = github.run(deployment_status("in_progress", &deployment(6, C3, "dev", "13:55"), "14:01"));
    assert_eq!((outcome.failure, github.requests.len()), (None, 0));
    assert!(outcome.summary.contains("Deployment 6 is `in_progress`: nothing to do until it ends."));

    let mut github = GitHub::with_config("staging:\n  auto_deploy_on: refs/heads/main\n");
    let outcome = github.run(deployment_status("success", &deployment(6, C3, "staging", "13:55"), "14:01"));
    assert_eq!((outcome.failure, github.requests.len()), (None, 1), "the config only");
    assert!(github.logged("No target waits on staging."));
}

#[test]
fn serialize_waits_for_the_deployment_in_progress_and_its_end_deploys_the_tip() {
    let config = "production:\n  auto_deploy_on: refs/heads/main\n  serialize: true\n";
    let mut github = GitHub::with_config(config);
    github.refs.insert("heads/main".into(), C2.into());
    github.deployments = vec![deployment(7, C1, "production", "13:00")];
    github.deployment_states.insert(7, "in_progress".into());
    let mut push = at(Invocation::example_push("refs/heads/main"), "14:00");
    push.event = push.event.replace("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", C2);
    let outcome = github.run(push.clone());
    assert_eq!(reasons(&outcome), [("production".into(), "waiting".into(), "waiting for deployment 7 to finish".into())]);
    assert!(github.created().is_empty());

    // Its end re-evaluates the newest commit of main.
    github.deployment_states.insert(7, "failure".into());
    github.requests.clear();
    let outcome = github.run(deployment_status("failure", &deployment(7, C1, "production", "13:00"), "14:05"));
    assert_eq!(reasons(&outcome), [("production".into(), "created".into(), "created deployment 101".into())]);
    assert_eq!(github.created()[0]["ref"].as_str(), Some(C2));

    // One with no status yet holds the environment for an hour.
    let mut github = GitHub::with_config(config);
    github.refs.insert("heads/main".into(), C2.into());
    github.deployments = vec![deployment(7, C1, "production", "13:30")];
    let outcome = github.run(push.clone());
    assert_eq!(outcome.decisions[0].reason, "waiting for deployment 7 to finish");
    let outcome = github.run(at(push, "14:31"));
    assert_eq!(outcome.decisions[0].decision, "created");
}

#[test]
fn a_manual_deploy_is_not_held_by_the_pipeline() {
    let mut github = repository();
    let run = at(invocation("workflow_dispatch", json!({ "inputs": { "target": "production", "ref": "main" }, "ref": "refs/heads/main" })), "14:00");
    let outcome = github.run(run);
    assert_eq!(outcome.decisions[0].decision, "created");
    assert_eq!(github.created()[0]["ref"].as_str(), Some(C3));
}
