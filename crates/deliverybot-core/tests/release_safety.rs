//! Freeze windows (`freeze:`) and stuck deployments (`settings.stuck_after`) through the engine.

mod common;

use common::{comment, invocation, json_output, output, GitHub, SHA};
use deliverybot_core::{Invocation, Method};
use serde_json::json;

const FROZEN_WEEKENDS: &str = "\
settings:
  freeze:
    - { from: \"Fri 18:00\", to: \"Mon 06:00\", timezone: Europe/Berlin }
staging:
  auto_deploy_on: refs/heads/main
  environment: staging
production:
  auto_deploy_on: refs/heads/main
  freeze:
    - { from: 2026-12-24, to: 2026-12-26, timezone: America/New_York }
";

/// The example push, at `now`.
fn push_at(now: &str) -> Invocation {
    let mut run = Invocation::example_push("refs/heads/main");
    run.context.now = Some(now.parse().unwrap());
    run
}

#[test]
fn a_push_in_a_freeze_window_waits_and_says_until_when() {
    let mut github = GitHub::after_push(FROZEN_WEEKENDS);
    // Saturday 2026-12-05, 13:00 in Berlin.
    let outcome = github.run(push_at("2026-12-05T12:00:00Z"));
    assert_eq!(outcome.failure, None);
    assert!(github.created().is_empty());
    let waiting = json_output(&outcome, "waiting");
    assert_eq!(waiting[0]["reason"], "frozen until Mon 06:00 Europe/Berlin");
    assert_eq!(waiting[1]["target"], "production");
    assert_eq!(github.zones, ["Europe/Berlin", "America/New_York"], "each zone asked once");
    // The freeze is decided before the checks and locks are read: a frozen target costs no request.
    assert_eq!(github.paths(), ["Get /repos/octo/app/contents/.github/deploy.yml", "Get /repos/octo/app/git/ref/heads/main", "Get /repos/octo/app/deployments", "Get /repos/octo/app/deployments"]);
    assert!(outcome.summary.contains("| frozen | frozen until Mon 06:00 Europe/Berlin |"), "{}", outcome.summary);
    // Both targets are in the weekend window: one line.
    assert!(outcome.summary.contains("- staging, production: frozen (Fri 2026-12-04 18:00 → Mon 2026-12-07 06:00 Europe/Berlin)\n"), "{}", outcome.summary);
    assert!(github.logged("staging: frozen until Mon 06:00 Europe/Berlin; a1b2c3d waits, and a later event deploys it."));
}

#[test]
fn outside_every_window_it_deploys_and_the_summary_shows_the_next_one() {
    let mut github = GitHub::after_push(FROZEN_WEEKENDS);
    // Wednesday 2026-12-23 at noon in Berlin: before the weekend, and before New York's holidays.
    let outcome = github.run(push_at("2026-12-23T11:00:00Z"));
    assert_eq!(outcome.failure, None);
    assert_eq!(github.created().len(), 2);
    assert!(outcome.summary.contains("- staging: next freeze Fri 2026-12-25 18:00 → Mon 2026-12-28 06:00 Europe/Berlin\n"), "{}", outcome.summary);
    // The target's own holidays start before the settings' weekend.
    assert!(outcome.summary.contains("- production: next freeze 2026-12-24 00:00 → 2026-12-27 00:00 America/New_York\n"), "{}", outcome.summary);
}

#[test]
fn a_zone_the_machine_does_not_know_fails_the_target_naming_it_and_its_place() {
    let mut github = GitHub::after_push("web:\n  auto_deploy_on: refs/heads/main\n  freeze:\n    - { from: Sat 00:00, to: Mon 00:00, timezone: Mars/Olympus_Mons }\n");
    let outcome = github.run(push_at("2026-12-05T12:00:00Z"));
    let failure = outcome.failure.unwrap();
    assert!(failure.contains("the freeze window at .github/deploy.yml:4:7 uses the time zone `Mars/Olympus_Mons`, which this machine does not know"), "{failure}");
    assert!(github.created().is_empty());
}

#[test]
fn a_plain_deploy_waits_in_a_freeze_and_only_an_admin_forces_past_it() {
    let config = "settings:\n  commands:\n    force: write\n  freeze:\n    - { from: \"Fri 18:00\", to: \"Mon 06:00\", timezone: Europe/Berlin }\nstaging:\n  environment: staging\n";
    let saturday = |body: &str, login: &str| {
        let mut run = comment(body, login);
        run.context.now = Some("2026-12-05T12:00:00Z".parse().unwrap());
        run
    };
    let repo = || {
        let mut github = GitHub::with_config(config);
        github.pulls.insert(2, common::pull_request(2, SHA, false, false));
        github.roles.insert("writer".into(), "write".into());
        github.roles.insert("boss".into(), "admin".into());
        github
    };

    let mut github = repo();
    github.run(saturday("/deploy staging", "boss"));
    assert!(github.created().is_empty());
    assert_eq!(github.comments, ["@boss ❄️ Not deployed: staging is frozen until Mon 06:00 Europe/Berlin. Run `/deploy staging` again then (or an admin's `/deploy staging --force` deploys now)."]);

    // `settings.commands.force: write` lets a writer skip checks, not a freeze.
    let mut github = repo();
    github.run(saturday("/deploy staging --force", "writer"));
    assert!(github.created().is_empty());
    assert!(github.comments[0].starts_with("@writer ❄️ Not deployed: staging is frozen until Mon 06:00 Europe/Berlin."));

    let mut github = repo();
    let outcome = github.run(saturday("/deploy staging --force", "boss"));
    assert_eq!(outcome.failure, None);
    assert_eq!(github.created().len(), 1);
    assert_eq!(github.comments, ["@boss 🚀 Deploying `a1b2c3d` to [staging](https://github.com/octo/app/deployments/staging) (deployment 100); deployed during the freeze until Mon 06:00 Europe/Berlin: forced by an admin."]);
    assert!(github.logged("staging: frozen until Mon 06:00 Europe/Berlin; deploying anyway: forced by an admin."));
}

#[test]
fn a_forced_dispatch_goes_past_a_freeze_only_when_an_admin_sends_it() {
    let config = "settings:\n  commands:\n    force: write\n  freeze:\n    - { from: \"Fri 18:00\", to: \"Mon 06:00\", timezone: Europe/Berlin }\nproduction:\n  environment: production\n  required_contexts: [ci]\n";
    let saturday = |sender: &str| {
        let inputs = json!({ "inputs": { "target": "production", "ref": "main", "force": "true" }, "ref": "refs/heads/main", "sender": { "login": sender } });
        let mut run = invocation("workflow_dispatch", inputs);
        run.context.now = Some("2026-12-05T12:00:00Z".parse().unwrap());
        run
    };
    let repo = || {
        let mut github = GitHub::after_push(config);
        github.roles.insert("writer".into(), "write".into());
        github.roles.insert("boss".into(), "admin".into());
        github
    };

    // `settings.commands.force: write` lets a writer skip the checks, not the freeze.
    let mut github = repo();
    let outcome = github.run(saturday("writer"));
    assert_eq!(outcome.failure, None);
    assert!(github.created().is_empty());
    assert_eq!(json_output(&outcome, "waiting")[0]["reason"], "frozen until Mon 06:00 Europe/Berlin");

    let mut github = repo();
    let outcome = github.run(saturday("boss"));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(github.created().len(), 1);
    assert_eq!(github.created()[0]["required_contexts"], json!([]));
    assert!(github.logged("production: frozen until Mon 06:00 Europe/Berlin; deploying anyway: forced by an admin."));
    assert!(outcome.summary.contains("| created | created deployment 100; deployed during the freeze until Mon 06:00 Europe/Berlin: forced by an admin |"), "{}", outcome.summary);

    // Forced past the freeze, but locked: the lock decides, and the summary says nothing of the freeze.
    let mut github = repo();
    github.tags.insert("t1".into(), json!({ "environment": "production", "by": "octocat", "reason": "incident" }).to_string());
    github.refs.insert("deliverybot/locks/production".into(), "t1".into());
    let outcome = github.run(saturday("boss"));
    assert!(github.created().is_empty());
    assert!(outcome.summary.contains("| locked | production is locked by @octocat since 2026-11-26T10:00:00Z: incident |"), "{}", outcome.summary);
    assert!(!outcome.summary.contains("during the freeze"), "{}", outcome.summary);
}

const STUCK: &str = "\
settings:
  stuck_after: 30m
production:
  auto_deploy_on: refs/heads/main
review:
  auto_deploy_on: pr
  environment: pr${{ pr }}
";

/// A repository with deployments, newest last: Deliverybot's stuck one to production, one stuck
/// for only 10 minutes, another tool's stuck one, one already marked, and a review app's.
fn stuck_repo() -> GitHub {
    let mut github = GitHub::after_push(STUCK);
    let marker = json!({ "ref": "refs/heads/main", "event": "push", "run_url": "https://github.com/octo/app/actions/runs/1" });
    let deployment = |id: u64, environment: &str, payload: serde_json::Value, created_at: &str| {
        json!({ "id": id, "sha": SHA, "environment": environment, "payload": payload, "task": "deploy", "created_at": created_at })
    };
    github.deployments = vec![
        deployment(1, "production", json!({ "target": "production", "deliverybot": marker }), "2026-12-02T10:00:00Z"),
        deployment(2, "production", json!({ "target": "production", "deliverybot": marker }), "2026-12-02T11:00:00Z"),
        deployment(3, "production", json!({ "by": "another tool" }), "2026-12-02T10:00:00Z"),
        deployment(4, "production", json!({ "target": "production", "deliverybot": marker }), "2026-12-02T10:00:00Z"),
        deployment(5, "pr12", json!({ "target": "review", "deliverybot": marker }), "2026-12-02T10:00:00Z"),
    ];
    for (id, state, since) in [(1, "in_progress", "2026-12-02T11:00:00Z"), (2, "in_progress", "2026-12-02T11:50:00Z"), (3, "in_progress", "2026-12-02T10:00:00Z"), (4, "error", "2026-12-02T11:00:00Z")] {
        github.deployment_states.insert(id, state.into());
        github.status_times.insert(id, since.into());
    }
    github
}

#[test]
fn a_schedule_marks_deliverybots_stuck_deployments_error_once() {
    let mut github = stuck_repo();
    // The example's time: 2026-12-02 12:00 UTC.
    let outcome = github.run(invocation("schedule", json!({})));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    let marked: Vec<_> = github.writes().iter().filter(|r| r.path.ends_with("/statuses")).map(|r| (r.path.clone(), r.body.clone().unwrap())).collect();
    assert_eq!(marked.len(), 2, "{marked:?}");
    assert_eq!(marked[0].0, "/repos/octo/app/deployments/5/statuses", "the review app, with no status since its creation");
    assert_eq!(marked[0].1["description"], "Stuck: no status since its creation at 2026-12-02 10:00 UTC, longer than stuck_after (30 minutes); marked by Deliverybot");
    assert_eq!(marked[1].0, "/repos/octo/app/deployments/1/statuses");
    assert_eq!(marked[1].1, json!({ "state": "error", "description": "Stuck: in_progress since 2026-12-02 11:00 UTC, longer than stuck_after (30 minutes); marked by Deliverybot", "log_url": "https://github.com/octo/app/actions/runs/42" }));
    // One listing, then a status read for each of Deliverybot's old enough to be stuck (the marked
    // one too: only its status says so), none for the other tool's.
    let sweep: Vec<_> = github.paths().into_iter().skip_while(|p| !p.ends_with("/deployments") || p.starts_with("Post")).collect();
    assert_eq!(sweep.iter().filter(|p| p.starts_with("Get") && p.ends_with("/statuses")).count(), 4, "{sweep:?}");
    assert!(outcome.summary.contains("- Deployment 1 to production was stuck for more than 30 minutes: marked `error`."), "{}", outcome.summary);

    // The next sweep finds them finished: nothing is marked twice.
    let requests = github.requests.len();
    github.run(invocation("schedule", json!({})));
    assert!(github.requests[requests..].iter().all(|r| !r.is_write()), "{:?}", github.paths());
}

#[test]
fn a_deployment_status_that_ends_a_deployment_sweeps_and_a_dry_run_only_says_what_it_would_mark() {
    let deployment = json!({ "id": 9, "sha": SHA, "ref": "main", "task": "deploy", "environment": "production", "created_at": "2026-12-02T11:55:00Z", "payload": {} });
    let event = |state: &str| json!({ "action": "created", "deployment": deployment, "deployment_status": { "state": state, "environment": "production" } });
    let mut github = stuck_repo();
    let outcome = github.run(invocation("deployment_status", event("success")));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(github.writes().len(), 2);
    assert!(outcome.summary.contains("- Deployment 1 to production was stuck for more than 30 minutes: marked `error`."), "{}", outcome.summary);
    // Nothing waits on production (no `after`, no `serialize`): the config, then the sweep.
    assert_eq!(github.paths()[..2], ["Get /repos/octo/app/contents/.github/deploy.yml", "Get /repos/octo/app/deployments"]);

    let mut github = stuck_repo();
    let mut run = invocation("deployment_status", event("failure"));
    run.inputs.insert("dry-run".into(), "true".into());
    let outcome = github.run(run);
    assert!(github.writes().is_empty());
    assert!(outcome.summary.contains("Deployment 1 to production is stuck for more than 30 minutes: a run that is not a dry run marks it `error`."), "{}", outcome.summary);

    // A status that does not end its deployment reads nothing, as with no `stuck_after`.
    let mut github = stuck_repo();
    github.run(invocation("deployment_status", event("in_progress")));
    assert!(github.requests.is_empty(), "{:?}", github.paths());

    // Without `stuck_after`, nothing but the config is read.
    let mut github = GitHub::with_config("production:\n");
    let outcome = github.run(invocation("deployment_status", event("success")));
    assert_eq!((github.requests.len(), output(&outcome, "deployments").as_str()), (1, "[]"));
    assert!(github.requests.iter().all(|r| r.method == Method::Get));
}
