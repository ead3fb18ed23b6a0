//! The auto-deploy rules on every event: checks, dispatches, schedules, and GitHub's answers to a
//! create. (Pull requests: pull_requests.rs.)

mod common;

use common::{invocation, json_output, output, GitHub, MERGED_INSTEAD, OLD, SHA};
use deliverybot_core::{Method, Reply};
use serde_json::{json, Value};

const STAGING_AFTER_CI: &str = "staging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\n  required_contexts: [ci]\n";

fn status_event(state: &str) -> deliverybot_core::Invocation {
    invocation("status", json!({ "sha": SHA, "state": state, "context": "ci", "branches": [{ "name": "main", "commit": { "sha": SHA } }] }))
}

#[test]
fn a_green_status_on_the_tip_deploys_it() {
    let mut github = GitHub::with_config(STAGING_AFTER_CI);
    github.refs.insert("heads/main".into(), SHA.into());
    github.statuses = vec![("ci".into(), "success".into())];
    let outcome = github.run(status_event("success"));
    assert_eq!(outcome.failure, None);
    assert_eq!(
        github.paths(),
        [
            "Get /repos/octo/app/contents/.github/deploy.yml",
            "Get /repos/octo/app/git/ref/heads/main",
            "Get /repos/octo/app/deployments",
            &format!("Get /repos/octo/app/commits/{SHA}/status"),
            &format!("Get /repos/octo/app/commits/{SHA}/check-runs"),
            "Get /repos/octo/app/git/matching-refs/deliverybot/locks/",
            "Post /repos/octo/app/deployments",
        ]
    );
    assert_eq!(github.created()[0]["payload"]["deliverybot"]["event"], "status");
}

#[test]
fn a_commit_that_is_no_longer_the_tip_is_superseded() {
    let mut github = GitHub::with_config(STAGING_AFTER_CI);
    github.refs.insert("heads/main".into(), OLD.into());
    let outcome = github.run(status_event("success"));
    assert_eq!(outcome.failure, None);
    assert!(github.writes().is_empty());
    assert_eq!(json_output(&outcome, "skipped")[0]["reason"], "superseded by 0000000");
}

#[test]
fn pending_or_missing_checks_wait_and_failed_ones_block_without_failing_the_run() {
    for (statuses, runs, waiting, blocked) in [
        (vec![("ci", "pending")], vec![], json!(["waiting for ci"]), json!([])),
        (vec![], vec![], json!(["waiting for ci (not reported yet)"]), json!([])),
        (vec![], vec![("ci", "in_progress", None)], json!(["waiting for ci"]), json!([])),
        (vec![("ci", "failure")], vec![], json!([]), json!(["blocked by ci"])),
        (vec![], vec![("ci", "completed", Some("timed_out"))], json!([]), json!(["blocked by ci"])),
    ] {
        let mut github = GitHub::with_config(STAGING_AFTER_CI);
        github.refs.insert("heads/main".into(), SHA.into());
        github.statuses = statuses.iter().map(|(c, s)| (c.to_string(), s.to_string())).collect();
        github.runs = runs.iter().map(|(n, s, c)| (n.to_string(), s.to_string(), c.map(str::to_string))).collect();
        let outcome = github.run(status_event("pending"));
        assert_eq!(outcome.failure, None);
        assert!(github.writes().is_empty());
        let reasons = |name| Value::Array(json_output(&outcome, name).as_array().unwrap().iter().map(|w| w["reason"].clone()).collect());
        assert_eq!(reasons("waiting"), waiting);
        assert_eq!(reasons("skipped"), blocked);
    }
}

#[test]
fn a_check_run_on_a_tip_deploys_when_its_checks_pass() {
    let mut github = GitHub::with_config(STAGING_AFTER_CI);
    github.refs.insert("heads/main".into(), SHA.into());
    github.runs = vec![("ci".into(), "completed".into(), Some("success".into()))];
    let event = json!({ "action": "completed", "check_run": { "head_sha": SHA, "name": "ci", "check_suite": { "head_branch": "main", "head_sha": SHA }, "pull_requests": [] } });
    let outcome = github.run(invocation("check_run", event));
    assert_eq!(outcome.failure, None);
    assert_eq!(github.created().len(), 1);
}

#[test]
fn the_running_job_is_not_waited_on() {
    let mut github = GitHub::with_config("staging:\n  auto_deploy_on: refs/heads/main\n  required_contexts: [ci, deliver]\n");
    github.refs.insert("heads/main".into(), SHA.into());
    github.statuses = vec![("ci".into(), "success".into())];
    github.runs = vec![("deliver".into(), "in_progress".into(), None)];
    let outcome = github.run(status_event("success"));
    assert_eq!(outcome.failure, None);
    assert_eq!(github.created().len(), 1, "job `deliver` is this run: {:?}", github.log);
}

#[test]
fn checks_that_have_not_completed_do_nothing() {
    let mut github = GitHub::with_config(STAGING_AFTER_CI);
    let event = json!({ "action": "created", "check_run": { "head_sha": SHA, "check_suite": { "head_branch": "main" } } });
    let outcome = github.run(invocation("check_run", event));
    assert_eq!(outcome.failure, None);
    assert!(github.requests.is_empty());
}

#[test]
fn a_workflow_dispatch_deploys_a_named_target_at_a_ref_even_if_deployed_before() {
    let mut github = GitHub::with_config("production:\n  environment: production\n");
    github.refs.insert("tags/v1.0.0".into(), OLD.into());
    github.deployments.push(json!({ "id": 9, "sha": OLD, "environment": "production" }));
    let outcome = github.run(invocation("workflow_dispatch", json!({ "inputs": { "target": "production", "ref": "refs/tags/v1.0.0" }, "ref": "refs/heads/main" })));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    let created = github.created();
    assert_eq!(created.len(), 1, "a rollback redeploys on purpose");
    assert_eq!(created[0]["ref"], OLD);
    assert_eq!(created[0]["payload"]["deliverybot"]["ref"], "refs/tags/v1.0.0");
}

#[test]
fn a_manual_deploy_of_an_older_commit_deploys_it_as_asked() {
    // main has moved on to SHA: an automatic path would call OLD superseded; a dispatch is a rollback.
    let mut github = GitHub::after_push("staging:\n  auto_deploy_on: refs/heads/main\n");
    let outcome = github.run(invocation("workflow_dispatch", json!({ "inputs": { "target": "staging", "ref": OLD } })));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(github.created()[0]["ref"], OLD);
}

#[test]
fn a_dispatch_of_an_unknown_target_lists_the_targets() {
    let mut github = GitHub::with_config("production:\nstaging:\n");
    let outcome = github.run(invocation("repository_dispatch", json!({ "action": "deploy", "client_payload": { "target": "prod", "ref": "main" } })));
    assert_eq!(outcome.failure.as_deref(), Some("there is no target `prod` in .github/deploy.yml; the targets are `production`, `staging`"));
    assert!(github.writes().is_empty());
}

const GUARDED: &str = "production:\n  environment: production\n  required_contexts: [ci]\n";

fn forced(event: &str, sender: &str, fields: Value) -> deliverybot_core::Invocation {
    let key = if event == "workflow_dispatch" { "inputs" } else { "client_payload" };
    invocation(event, json!({ key: fields, "ref": "refs/heads/main", "sender": { "login": sender } }))
}

#[test]
fn a_forced_dispatch_by_someone_who_may_skips_the_required_checks() {
    let mut github = GitHub::after_push(GUARDED);
    github.roles.insert("boss".into(), "admin".into());
    let outcome = github.run(forced("workflow_dispatch", "boss", json!({ "target": "production", "force": "true" })));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(
        github.paths(),
        [
            "Get /repos/octo/app/contents/.github/deploy.yml",
            "Get /repos/octo/app/collaborators/boss/permission",
            "Get /repos/octo/app/git/ref/heads/main",
            "Get /repos/octo/app/deployments",
            "Get /repos/octo/app/git/matching-refs/deliverybot/locks/",
            "Post /repos/octo/app/deployments",
        ],
        "no checks read"
    );
    assert_eq!(github.created()[0]["required_contexts"], json!([]), "GitHub is not asked to check them either");
    assert!(github.logged("production: @boss (admin) may force it: its required checks are skipped."));
}

#[test]
fn a_forced_dispatch_re_run_by_someone_else_is_not_forced() {
    let mut github = GitHub::after_push(GUARDED);
    github.roles.insert("boss".into(), "admin".into());
    let mut rerun = forced("workflow_dispatch", "boss", json!({ "target": "production", "force": "true" }));
    rerun.context.triggering_actor = "writer".into();
    let outcome = github.run(rerun);
    assert_eq!(
        outcome.failure.as_deref(),
        Some("1 of 1 deployment failed. production: @writer re-ran @boss's dispatch: `force` is allowed by the role of whoever dispatches; dispatch again")
    );
    assert_eq!(github.paths(), ["Get /repos/octo/app/contents/.github/deploy.yml"], "no role read, nothing created");
}

#[test]
fn a_dispatch_to_a_target_that_asks_for_more_than_write_reads_the_senders_role() {
    // Dispatching already needs write: a target with `permission: admin` needs more, as `/deploy` does.
    let config = "production:\n  environment: production\n  permission: admin\nstaging:\n  environment: staging\n";
    let dispatch = |sender: &str, target: &str| forced("workflow_dispatch", sender, json!({ "target": target, "ref": "main" }));

    let mut github = GitHub::after_push(config);
    github.roles.insert("writer".into(), "write".into());
    let outcome = github.run(dispatch("writer", "production"));
    assert_eq!(
        outcome.failure.as_deref(),
        Some("1 of 1 deployment failed. production: @writer may not deploy production: that needs the admin role (`settings.commands.deploy` and the target's `permission`), and @writer has write")
    );
    assert!(github.writes().is_empty());

    let mut github = GitHub::after_push(config);
    github.roles.insert("boss".into(), "admin".into());
    let outcome = github.run(dispatch("boss", "production"));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(github.created().len(), 1);
    assert_eq!(github.paths()[1], "Get /repos/octo/app/collaborators/boss/permission");
    assert!(github.logged("production: @boss (admin) may deploy it."), "not forced: {:?}", github.log);

    // A target that asks for no more than write: no role is read.
    let mut github = GitHub::after_push(config);
    github.run(dispatch("writer", "staging"));
    assert_eq!(github.created().len(), 1);
    assert!(github.paths().iter().all(|p| !p.contains("/collaborators/")), "{:?}", github.paths());
}

#[test]
fn a_forced_dispatch_by_someone_who_may_not_fails_naming_the_role_and_creates_nothing() {
    let config = format!("settings:\n  commands:\n    force: maintain\n{GUARDED}  permission: admin\n");
    for (sender, role) in [("dev", Some("maintain")), ("stranger", None)] {
        let mut github = GitHub::after_push(&config);
        if let Some(role) = role {
            github.roles.insert(sender.into(), role.into());
        }
        let outcome = github.run(forced("repository_dispatch", sender, json!({ "target": "production", "force": true })));
        let has = role.unwrap_or("none");
        assert_eq!(
            outcome.failure.unwrap(),
            format!("1 of 1 deployment failed. production: @{sender} may not force a deploy of production: that needs the admin role (`settings.commands.force` and the target's `permission`), and @{sender} has {has}")
        );
        assert!(github.writes().is_empty());
        assert_eq!(github.paths().len(), 2, "the config and the role: {:?}", github.paths());
    }
}

#[test]
fn a_dispatch_without_force_reads_no_role_and_waits_for_its_checks() {
    let mut github = GitHub::after_push(GUARDED);
    let outcome = github.run(forced("workflow_dispatch", "dev", json!({ "target": "production", "force": "false" })));
    assert_eq!(outcome.failure, None);
    assert!(!github.paths().iter().any(|p| p.contains("collaborators")));
    assert_eq!(json_output(&outcome, "waiting")[0]["reason"], "waiting for ci (not reported yet)");
}

#[test]
fn a_dispatch_may_ask_for_its_own_task_which_is_never_rendered() {
    let mut github = GitHub::after_push("production:\n  task: deploy:${{ target }}\n");
    github.deployments.push(json!({ "id": 4, "sha": SHA, "environment": "production", "task": "deploy:production" }));
    let outcome = github.run(forced("workflow_dispatch", "dev", json!({ "target": "production", "task": "db:migrate ${{ sha }}" })));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(github.created()[0]["task"], "db:migrate ${{ sha }}");
    let existing = github.requests.iter().find(|r| r.path.ends_with("/deployments") && r.method == Method::Get).unwrap();
    assert!(existing.query.contains(&("task".to_string(), "db:migrate ${{ sha }}".to_string())), "already deployed for this task?");

    let mut github = GitHub::after_push("production:\n");
    let outcome = github.run(forced("workflow_dispatch", "dev", json!({ "target": "production", "task": "a\tb" })));
    assert_eq!(outcome.failure.as_deref(), Some("input `task` contains a tab (U+0009); a task is one line of text, without control characters"));
    assert!(github.requests.is_empty());
}

#[test]
fn a_dispatch_gives_parameters_the_target_takes_or_fails_naming_them() {
    let config = "canary:\n  params:\n    region: { type: string, enum: [eu, us], required: true }\n    replicas: { type: number, default: 2 }\n";
    let mut github = GitHub::after_push(config);
    let outcome = github.run(forced("workflow_dispatch", "dev", json!({ "target": "canary", "params": "{\"region\": \"us\", \"replicas\": 5}" })));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(github.created()[0]["payload"]["params"], json!({ "region": "us", "replicas": 5 }));

    let mut github = GitHub::after_push(config);
    let outcome = github.run(forced("repository_dispatch", "dev", json!({ "target": "canary", "params": { "region": "asia" } })));
    assert_eq!(
        outcome.failure.as_deref(),
        Some("1 of 1 deployment failed. canary: the parameter `region` of `canary` must be one of `eu`, `us`; it takes `region` (one of `eu`, `us`; required), `replicas` (a number; default `2`)")
    );
    assert_eq!(github.paths(), ["Get /repos/octo/app/contents/.github/deploy.yml"], "nothing else asked, nothing created");

    let mut github = GitHub::after_push(config);
    let outcome = github.run(forced("workflow_dispatch", "dev", json!({ "target": "canary", "params": "region=eu region=us" })));
    assert_eq!(outcome.failure.as_deref(), Some("input `params` cannot be read: a parameter is given twice"));
    assert!(github.requests.is_empty());
}

#[test]
fn a_schedule_re_evaluates_every_automatic_target_at_its_tip() {
    let mut github = GitHub::with_config("staging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\nproduction:\n  auto_deploy_on: refs/tags/v*\n  environment: production\nmanual:\n");
    github.refs.insert("heads/main".into(), SHA.into());
    github.refs.insert("tags/v1.0.0".into(), OLD.into());
    github.refs.insert("tags/v1.1.0".into(), SHA.into());
    github.deployments.push(json!({ "id": 3, "sha": OLD, "environment": "production" }));
    let outcome = github.run(invocation("schedule", json!({ "schedule": "*/15 * * * *" })));
    assert_eq!(outcome.failure, None);
    let created: Vec<_> = github.created().iter().map(|b| (b["environment"].clone(), b["payload"]["deliverybot"]["ref"].clone())).collect();
    assert_eq!(created, [(json!("staging"), json!("refs/heads/main")), (json!("production"), json!("refs/tags/v1.1.0"))]);
    assert!(github.paths().contains(&"Get /repos/octo/app/git/matching-refs/tags/v".to_string()));
}

#[test]
fn githubs_answers_to_a_create_are_each_explained() {
    let cases = [
        (Reply::ok(202, r#"{"message":"Auto-merged main into feature on deployment."}"#), "skipped", MERGED_INSTEAD),
        (
            Reply::ok(409, r#"{"message":"Conflict: Commit status checks failed for main.","errors":[{"contexts":[{"context":"ci","state":"failure"},{"context":"lint","state":"success"}],"resource":"Deployment","field":"required_contexts","code":"invalid"}]}"#),
            "skipped",
            "blocked by ci",
        ),
        (
            Reply::ok(409, r#"{"message":"Conflict: Commit status checks failed for main.","errors":[{"contexts":[{"context":"ci","state":"pending"}]}]}"#),
            "waiting",
            "waiting for ci (pending)",
        ),
        (Reply::ok(409, r#"{"message":"Conflict merging main into feature."}"#), "skipped", "GitHub did not create it: Conflict merging main into feature."),
    ];
    for (answer, output_name, reason) in cases {
        let mut github = GitHub::after_push("staging:\n  auto_deploy_on: refs/heads/main\n");
        github.create_answer = Some(answer);
        let outcome = github.run(deliverybot_core::Invocation::example_push("refs/heads/main"));
        assert_eq!(outcome.failure, None, "{reason}");
        assert_eq!(json_output(&outcome, output_name)[0]["reason"], reason);
    }
    let mut github = GitHub::after_push("staging:\n  auto_deploy_on: refs/heads/main\n");
    github.create_answer = Some(Reply::ok(422, r#"{"message":"Validation Failed"}"#));
    let outcome = github.run(deliverybot_core::Invocation::example_push("refs/heads/main"));
    assert!(outcome.failure.unwrap().contains("could not create the production deployment: GitHub answered 422: Validation Failed."));
}

#[test]
fn the_dispatch_setting_starts_the_deploy_workflow_for_each_deployment() {
    let mut github = GitHub::after_push("settings:\n  dispatch: deploy.yml\nstaging:\n  auto_deploy_on: refs/heads/main\n");
    let outcome = github.run(deliverybot_core::Invocation::example_push("refs/heads/main"));
    assert_eq!(outcome.failure, None);
    let dispatch = github.requests.last().unwrap();
    assert_eq!((dispatch.method, dispatch.path.as_str()), (Method::Post, "/repos/octo/app/actions/workflows/deploy.yml/dispatches"));
    assert_eq!(dispatch.body.clone().unwrap(), json!({ "ref": "main", "inputs": { "deployment_id": "100" } }));
    assert_eq!(output(&outcome, "deployment-id"), "100");
}

#[test]
fn a_lost_create_answer_is_looked_up_before_trying_again_and_never_duplicates() {
    // The answer is lost, but GitHub created it: found, reported as created, not created again.
    let mut github = GitHub::after_push("staging:\n  auto_deploy_on: refs/heads/main\n");
    let mut engine = deliverybot_core::Engine::new(deliverybot_core::Invocation::example_push("refs/heads/main"));
    let mut reply = None;
    let mut creates = 0;
    let outcome = loop {
        let step = engine.step(reply.take());
        match step.next {
            deliverybot_core::Next::Request(request) => {
                let answer = github.answer(&request);
                if request.method == Method::Post {
                    creates += 1;
                    reply = Some(Reply::Lost { error: "socket hang up".into() });
                } else {
                    reply = Some(answer);
                }
                github.requests.push(request);
            }
            deliverybot_core::Next::Done(outcome) => break outcome,
            deliverybot_core::Next::Zone { name } => panic!("no freeze window here, asked {name}"),
        }
    };
    assert_eq!(outcome.failure, None);
    assert_eq!(creates, 1);
    assert_eq!(github.deployments.len(), 1);
    assert_eq!(output(&outcome, "deployment-id"), "100");

    // 502 twice before anything is created: looked up, tried again, created once.
    let mut github = GitHub::after_push("staging:\n  auto_deploy_on: refs/heads/main\n");
    let mut failures = 2;
    let mut engine = deliverybot_core::Engine::new(deliverybot_core::Invocation::example_push("refs/heads/main"));
    let mut reply = None;
    let outcome = loop {
        match engine.step(reply.take()).next {
            deliverybot_core::Next::Request(request) => {
                reply = Some(if request.method == Method::Post && failures > 0 {
                    failures -= 1;
                    Reply::ok(502, "")
                } else {
                    github.answer(&request)
                });
                github.requests.push(request);
            }
            deliverybot_core::Next::Done(outcome) => break outcome,
            deliverybot_core::Next::Zone { name } => panic!("no freeze window here, asked {name}"),
        }
    };
    assert_eq!(outcome.failure, None);
    assert_eq!(github.deployments.len(), 1);
    let posts = github.requests.iter().filter(|r| r.method == Method::Post).count();
    assert_eq!(posts, 3);

    // Always lost: gives up after three tries, and says what to check.
    let mut github = GitHub::after_push("staging:\n  auto_deploy_on: refs/heads/main\n");
    let mut engine = deliverybot_core::Engine::new(deliverybot_core::Invocation::example_push("refs/heads/main"));
    let mut reply = None;
    let outcome = loop {
        match engine.step(reply.take()).next {
            deliverybot_core::Next::Request(request) => {
                reply = Some(if request.method == Method::Post { Reply::ok(503, "") } else { github.answer(&request) });
            }
            deliverybot_core::Next::Done(outcome) => break outcome,
            deliverybot_core::Next::Zone { name } => panic!("no freeze window here, asked {name}"),
        }
    };
    assert!(outcome.failure.unwrap().contains("GitHub did not create the deployment after 3 tries"));
}

#[test]
fn a_rollback_whose_answer_is_lost_does_not_mistake_the_old_deployment_for_the_new_one() {
    let mut github = GitHub::with_config("production:\n  environment: production\n");
    github.refs.insert("tags/v1.0.0".into(), OLD.into());
    github.deployments.push(json!({ "id": 9, "sha": OLD, "environment": "production" }));
    let mut engine = deliverybot_core::Engine::new(invocation("workflow_dispatch", json!({ "inputs": { "target": "production", "ref": "refs/tags/v1.0.0" } })));
    let mut reply = None;
    let mut posts = 0;
    let outcome = loop {
        match engine.step(reply.take()).next {
            deliverybot_core::Next::Request(request) => {
                let lost = request.method == Method::Post && posts == 0;
                if request.method == Method::Post {
                    posts += 1;
                }
                // The first create's answer is lost before anything was created.
                reply = Some(if lost { Reply::Lost { error: "ETIMEDOUT".into() } } else { github.answer(&request) });
            }
            deliverybot_core::Next::Done(outcome) => break outcome,
            deliverybot_core::Next::Zone { name } => panic!("no freeze window here, asked {name}"),
        }
    };
    assert_eq!(outcome.failure, None);
    assert_eq!(posts, 2, "deployment 9 is the old one: tried again");
    assert_eq!(output(&outcome, "deployment-id"), "101");
}

#[test]
fn permissions_are_named_when_a_write_is_refused() {
    let mut github = GitHub::after_push("staging:\n  auto_deploy_on: refs/heads/main\n");
    github.create_answer = Some(Reply::ok(403, r#"{"message":"Resource not accessible by integration"}"#));
    let outcome = github.run(deliverybot_core::Invocation::example_push("refs/heads/main"));
    assert!(outcome.failure.unwrap().contains("give the workflow `permissions: deployments: write`"));
}

#[test]
fn a_schedule_plans_each_target_and_ref_once() {
    let mut github = GitHub::with_config("staging:\n  auto_deploy_on: refs/heads/main\nall:\n  auto_deploy_on: refs/heads/*\n  environment: all\n");
    github.refs.insert("heads/main".into(), SHA.into());
    let outcome = github.run(invocation("schedule", json!({})));
    assert_eq!(outcome.failure, None);
    let created: Vec<_> = github.created().iter().map(|b| b["environment"].clone()).collect();
    assert_eq!(created, [json!("production"), json!("all")]);
    assert_eq!(outcome.decisions.len(), 2);
}

#[test]
fn decisions_carry_the_create_request_for_tools() {
    let mut github = GitHub::after_push("staging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\n");
    let mut invocation = deliverybot_core::Invocation::example_push("refs/heads/main");
    invocation.inputs.insert("dry-run".into(), "true".into());
    let outcome = github.run(invocation);
    let decision = serde_json::to_value(&outcome.decisions[0]).unwrap();
    assert_eq!(decision["decision"], "would create");
    assert_eq!(decision["request"]["method"], "POST");
    assert_eq!(decision["request"]["path"], "/repos/octo/app/deployments");
    assert_eq!(decision["request"]["body"]["environment"], "staging");
    assert_eq!(decision["ref"], "refs/heads/main");
}

#[test]
fn a_dispatch_of_a_short_name_finds_the_branch_or_else_the_tag() {
    let mut github = GitHub::with_config("production:\n  environment: ${{ tag || branch }}\n");
    github.refs.insert("tags/v1.2".into(), OLD.into());
    let outcome = github.run(invocation("workflow_dispatch", json!({ "inputs": { "target": "production", "ref": "v1.2" } })));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    let created = github.created();
    assert_eq!((created[0]["ref"].as_str(), created[0]["environment"].as_str()), (Some(OLD), Some("v1.2")));
    assert_eq!(created[0]["payload"]["deliverybot"]["ref"], "refs/tags/v1.2");
}

#[test]
fn a_list_that_always_has_a_next_page_is_read_up_to_a_bound() {
    let mut engine = deliverybot_core::Engine::new(status_event("success"));
    let mut github = GitHub::with_config(STAGING_AFTER_CI);
    github.refs.insert("heads/main".into(), SHA.into());
    let mut reply = None;
    let mut steps = 0;
    let outcome = loop {
        steps += 1;
        assert!(steps < 1_000, "the run must end");
        match engine.step(reply.take()).next {
            deliverybot_core::Next::Request(request) => {
                let mut answer = github.answer(&request);
                if request.path.ends_with("/status") || request.path.ends_with("/check-runs") {
                    if let Reply::Response { headers, .. } = &mut answer {
                        headers.insert("link".into(), "<https://api.github.com/x?page=2>; rel=\"next\"".into());
                    }
                }
                reply = Some(answer);
            }
            deliverybot_core::Next::Done(outcome) => break outcome,
            deliverybot_core::Next::Zone { name } => panic!("no freeze window here, asked {name}"),
        }
    };
    assert_eq!(outcome.failure, None);
    assert!(steps < 120, "{steps} steps: 50 pages of statuses, 50 of check runs, and the rest");
}
