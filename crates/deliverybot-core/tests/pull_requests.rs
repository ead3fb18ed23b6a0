//! The pull request rules on every event that reaches them: a pull request opened or pushed to,
//! closed, a check on its head (named by the check, or looked up), a schedule, and `auto_merge`.

mod common;

use common::{invocation, json_output, pull_request, GitHub, MERGED_INSTEAD, OLD, SHA};
use deliverybot_core::Reply;
use serde_json::json;

const REVIEW: &str = "review:\n  auto_deploy_on: pr\n  environment: pr${{ pr }}\n  description: ${{ pull_request.title }}\n  transient_environment: true\n";

#[test]
fn an_opened_pull_request_gets_its_review_environment() {
    let mut github = GitHub::with_config(REVIEW);
    github.pulls.insert(2, pull_request(2, SHA, false, false));
    let outcome = github.run(invocation("pull_request", json!({ "action": "opened", "number": 2, "pull_request": pull_request(2, SHA, false, false) })));
    assert_eq!(outcome.failure, None);
    let body = &github.created()[0];
    assert_eq!(body["ref"], SHA);
    assert_eq!(body["environment"], "pr2");
    assert_eq!(body["description"], "Change #2");
    assert_eq!(body["transient_environment"], true);
    assert_eq!(body["payload"]["deliverybot"], json!({ "ref": "refs/heads/feature", "event": "pull_request", "run_url": "https://github.com/octo/app/actions/runs/42", "pr": 2 }));
}

#[test]
fn fork_and_draft_pull_requests_are_skipped_unless_the_target_allows_them() {
    for (fork, draft, reason) in [(true, false, "comes from a fork"), (false, true, "is a draft")] {
        let mut github = GitHub::with_config(REVIEW);
        let outcome = github.run(invocation("pull_request", json!({ "action": "synchronize", "number": 2, "pull_request": pull_request(2, SHA, fork, draft) })));
        assert_eq!(outcome.failure, None);
        assert!(github.writes().is_empty());
        assert!(json_output(&outcome, "skipped")[0]["reason"].as_str().unwrap().contains(reason));
    }
    let mut github = GitHub::with_config(&format!("{REVIEW}  allow_forks: true\n  allow_drafts: true\n"));
    github.pulls.insert(2, pull_request(2, SHA, true, true));
    github.run(invocation("pull_request", json!({ "action": "opened", "number": 2, "pull_request": pull_request(2, SHA, true, true) })));
    assert_eq!(github.created()[0]["payload"]["deliverybot"]["ref"], "refs/pull/2/head");
}

#[test]
fn a_pull_request_deploys_only_while_its_head_is_the_events_and_it_is_open() {
    let opened = || invocation("pull_request", json!({ "action": "synchronize", "number": 2, "pull_request": pull_request(2, SHA, false, false) }));
    // Pushed to again since (a late or re-run event): the newer head deploys on its own event.
    let mut github = GitHub::with_config(REVIEW);
    github.pulls.insert(2, pull_request(2, OLD, false, false));
    let outcome = github.run(opened());
    assert_eq!(github.paths(), ["Get /repos/octo/app/contents/.github/deploy.yml", "Get /repos/octo/app/pulls/2"]);
    assert!(github.writes().is_empty());
    assert_eq!(json_output(&outcome, "skipped")[0]["reason"], "superseded by 0000000");

    // Closed since: its review environment must not come back after it was retired.
    let mut github = GitHub::with_config(REVIEW);
    let mut closed = pull_request(2, SHA, false, false);
    closed["state"] = json!("closed");
    github.pulls.insert(2, closed);
    let outcome = github.run(opened());
    assert!(github.writes().is_empty());
    assert_eq!(json_output(&outcome, "skipped")[0]["reason"], "pull request #2 is closed");

    // GitHub will not show it: the run fails and names the permission.
    let mut github = GitHub::with_config(REVIEW);
    let mut engine = deliverybot_core::Engine::new(opened());
    let mut reply = None;
    let outcome = loop {
        match engine.step(reply.take()).next {
            deliverybot_core::Next::Request(request) if request.path.ends_with("/pulls/2") => reply = Some(Reply::ok(403, r#"{"message":"Resource not accessible by integration"}"#)),
            deliverybot_core::Next::Request(request) => reply = Some(github.answer(&request)),
            deliverybot_core::Next::Done(outcome) => break outcome,
            deliverybot_core::Next::Zone { name } => panic!("no freeze window here, asked {name}"),
        }
    };
    assert!(outcome.failure.unwrap().ends_with("could not read pull request #2: GitHub answered 403: Resource not accessible by integration. The token may lack the permission: give the workflow `permissions: pull-requests: read` (or use a token that has it)."));
}

#[test]
fn pull_request_actions_other_than_new_code_do_nothing() {
    let mut github = GitHub::with_config(REVIEW);
    let outcome = github.run(invocation("pull_request", json!({ "action": "labeled", "number": 2, "pull_request": pull_request(2, SHA, false, false) })));
    assert_eq!(outcome.failure, None);
    assert!(github.requests.is_empty());
}

#[test]
fn a_check_on_a_pull_request_head_reads_the_pull_request_and_deploys_it() {
    let mut github = GitHub::with_config("review:\n  auto_deploy_on: pr\n  environment: pr${{ pr }}\n  required_contexts: [ci]\n");
    github.pulls.insert(2, pull_request(2, SHA, false, false));
    github.runs = vec![("ci".into(), "completed".into(), Some("success".into()))];
    let event = json!({ "action": "completed", "check_suite": { "head_sha": SHA, "head_branch": "feature", "pull_requests": [{ "number": 2 }] } });
    let outcome = github.run(invocation("check_suite", event));
    assert_eq!(outcome.failure, None);
    assert!(github.paths().contains(&"Get /repos/octo/app/pulls/2".to_string()));
    assert_eq!(github.created()[0]["environment"], "pr2");

    // A newer head: the checked commit is superseded.
    let mut github = GitHub::with_config("review:\n  auto_deploy_on: pr\n  environment: pr${{ pr }}\n");
    github.pulls.insert(2, pull_request(2, OLD, false, false));
    let event = json!({ "action": "completed", "check_suite": { "head_sha": SHA, "head_branch": "feature", "pull_requests": [{ "number": 2 }] } });
    let outcome = github.run(invocation("check_suite", event));
    assert!(github.writes().is_empty());
    assert_eq!(json_output(&outcome, "skipped")[0]["reason"], "superseded by 0000000");
}

#[test]
fn closing_a_pull_request_retires_exactly_its_transient_deployments_on_every_page() {
    let mut github = GitHub::with_config(REVIEW);
    let ours = |id: u64| json!({ "id": id, "sha": SHA, "environment": "pr2", "transient_environment": true, "payload": { "deliverybot": { "pr": 2 } } });
    for id in 1..=150 {
        github.deployments.push(ours(id));
    }
    github.deployments.push(json!({ "id": 500, "sha": SHA, "environment": "pr2", "transient_environment": true, "payload": { "deliverybot": { "pr": 3 } } }));
    github.deployments.push(json!({ "id": 501, "ref": "main", "sha": OLD, "environment": "pr2", "transient_environment": true, "payload": {} }));
    github.deployments.push(json!({ "id": 502, "sha": SHA, "environment": "pr2", "transient_environment": false, "payload": { "deliverybot": { "pr": 2 } } }));
    for id in 1..=100 {
        github.deployment_states.insert(id, "inactive".into());
    }
    let outcome = github.run(invocation("pull_request", json!({ "action": "closed", "number": 2, "pull_request": pull_request(2, SHA, false, false) })));
    assert_eq!(outcome.failure, None);
    let lists: Vec<_> = github.requests.iter().filter(|r| r.path == "/repos/octo/app/deployments").collect();
    assert_eq!(lists.len(), 2, "two pages of 100");
    let retired: Vec<u64> = github.writes().iter().map(|r| r.path.split('/').nth(5).unwrap().parse().unwrap()).collect();
    assert_eq!(retired, (101..=150).rev().collect::<Vec<_>>(), "only #2's transient deployments, and only those not already inactive");
    assert!(github.writes().iter().all(|w| w.body.as_ref().unwrap()["state"] == "inactive"));
    assert_eq!(json_output(&outcome, "inactive").as_array().unwrap().len(), 50);
    assert!(outcome.summary.contains("50 deployments made inactive (100 already inactive)"), "{}", outcome.summary);
}

#[test]
fn a_dry_run_close_lists_what_it_would_make_inactive() {
    let mut github = GitHub::with_config(REVIEW);
    github.deployments.push(json!({ "id": 5, "sha": SHA, "environment": "pr2", "transient_environment": true, "payload": { "deliverybot": { "pr": 2 } } }));
    let mut invocation = invocation("pull_request", json!({ "action": "closed", "number": 2, "pull_request": pull_request(2, SHA, false, false) }));
    invocation.inputs.insert("dry-run".into(), "true".into());
    let outcome = github.run(invocation);
    assert!(github.writes().is_empty());
    assert!(outcome.summary.contains("Dry run: would make inactive:\n- deployment 5 to pr2"), "{}", outcome.summary);
    assert!(github.logged("Dry run: would make deployment 5 to pr2 inactive."));
}

#[test]
fn a_check_on_a_closed_pull_request_does_not_bring_its_environment_back() {
    let mut github = GitHub::with_config("review:\n  auto_deploy_on: pr\n  environment: pr${{ pr }}\n");
    let mut pr = pull_request(4, SHA, false, false);
    pr["state"] = json!("closed");
    github.pulls.insert(4, pr);
    let event = json!({ "action": "completed", "check_suite": { "head_sha": SHA, "head_branch": "feature", "pull_requests": [{ "number": 4 }] } });
    let outcome = github.run(invocation("check_suite", event));
    assert!(github.writes().is_empty());
    assert_eq!(json_output(&outcome, "skipped")[0]["reason"], "pull request #4 is closed");
}

const REVIEW_AFTER_CI: &str = "review:\n  auto_deploy_on: pr\n  environment: pr${{ pr }}\n  required_contexts: [ci]\n";

/// A status from external CI on `SHA`, which is no branch's tip (GitHub's `branches` lists tips).
fn status_on_a_pull_request() -> deliverybot_core::Invocation {
    invocation("status", json!({ "sha": SHA, "state": "success", "context": "ci", "branches": [] }))
}

#[test]
fn a_status_finds_the_open_pull_requests_whose_head_it_is_and_deploys_their_review_apps() {
    let mut github = GitHub::with_config(REVIEW_AFTER_CI);
    github.pulls.insert(2, pull_request(2, SHA, false, false));
    let mut closed = pull_request(4, SHA, false, false);
    closed["state"] = json!("closed");
    github.pulls.insert(4, closed);
    github.pulls.insert(5, pull_request(5, SHA, false, true));
    github.statuses = vec![("ci".into(), "success".into())];
    let outcome = github.run(status_on_a_pull_request());
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(
        github.paths()[..2],
        ["Get /repos/octo/app/contents/.github/deploy.yml".to_string(), format!("Get /repos/octo/app/commits/{SHA}/pulls")],
        "one look-up, and no pull request read again: the look-up answers with them"
    );
    let created = github.created();
    assert_eq!(created.len(), 1);
    assert_eq!((created[0]["environment"].as_str(), created[0]["payload"]["deliverybot"]["pr"].as_u64()), (Some("pr2"), Some(2)));
    assert_eq!(created[0]["payload"]["deliverybot"]["event"], "status");
    // The draft follows the pull request event's rules; the closed one is no review candidate.
    let skipped = json_output(&outcome, "skipped");
    assert_eq!(skipped.as_array().unwrap().len(), 1);
    assert!(skipped[0]["reason"].as_str().unwrap().contains("#5 is a draft"), "{skipped}");
}

#[test]
fn a_status_waits_with_the_review_app_until_its_contexts_are_green() {
    let mut github = GitHub::with_config(REVIEW_AFTER_CI);
    github.pulls.insert(2, pull_request(2, SHA, false, false));
    github.statuses = vec![("ci".into(), "pending".into())];
    let outcome = github.run(status_on_a_pull_request());
    assert!(github.writes().is_empty());
    assert_eq!(json_output(&outcome, "waiting")[0]["reason"], "waiting for ci");
    github.statuses = vec![("ci".into(), "success".into())];
    github.run(status_on_a_pull_request());
    assert_eq!(github.created().len(), 1, "the next status deploys it");
}

#[test]
fn pull_requests_are_looked_up_only_when_a_target_deploys_them_or_the_check_names_none() {
    // No `pr` target: no look-up.
    let mut github = GitHub::with_config("staging:\n  auto_deploy_on: refs/heads/main\n  required_contexts: [ci]\n");
    github.run(status_on_a_pull_request());
    assert_eq!(github.paths(), ["Get /repos/octo/app/contents/.github/deploy.yml"]);

    // A check that names its pull request reads that one; one from a fork names none: looked up.
    let mut github = GitHub::with_config(REVIEW);
    github.pulls.insert(2, pull_request(2, SHA, true, false));
    let event = json!({ "action": "completed", "check_suite": { "head_sha": SHA, "head_branch": "feature", "pull_requests": [] } });
    let outcome = github.run(invocation("check_suite", event));
    assert!(github.paths().contains(&format!("Get /repos/octo/app/commits/{SHA}/pulls")));
    assert!(json_output(&outcome, "skipped")[0]["reason"].as_str().unwrap().contains("comes from a fork"));
}

#[test]
fn a_failed_look_up_fails_the_run_and_names_the_permission() {
    let mut engine = deliverybot_core::Engine::new(status_on_a_pull_request());
    engine.step(None);
    engine.step(Some(Reply::ok(200, REVIEW)));
    let deliverybot_core::Next::Done(outcome) = engine.step(Some(Reply::ok(403, r#"{"message":"Resource not accessible by integration"}"#))).next else { panic!("nothing may follow") };
    assert_eq!(
        outcome.failure.as_deref(),
        Some("could not find the pull requests of a1b2c3d: GitHub answered 403: Resource not accessible by integration. The token may lack the permission: give the workflow `permissions: pull-requests: read` (or use a token that has it).")
    );
}

#[test]
fn a_schedule_evaluates_the_open_pull_requests_for_the_review_targets() {
    let mut github = GitHub::with_config(REVIEW);
    github.pulls.insert(2, pull_request(2, SHA, false, false));
    github.pulls.insert(3, pull_request(3, OLD, false, false));
    github.deployments.push(json!({ "id": 9, "sha": OLD, "environment": "pr3" }));
    let outcome = github.run(invocation("schedule", json!({})));
    assert_eq!(outcome.failure, None);
    let list = github.requests.iter().find(|r| r.path == "/repos/octo/app/pulls").unwrap();
    assert_eq!(list.query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>(), ["state=open", "sort=updated", "direction=desc", "per_page=100", "page=1"]);
    let created: Vec<_> = github.created().iter().map(|b| b["environment"].clone()).collect();
    assert_eq!(created, [json!("pr2")]);
    assert_eq!(json_output(&outcome, "skipped")[0]["reason"], "already deployed (deployment 9)");
}

#[test]
fn a_schedule_reads_a_bounded_number_of_open_pull_requests_and_says_so() {
    let mut github = GitHub::with_config("review:\n  auto_deploy_on: pr\n  environment: review\n");
    for number in 1..=305 {
        github.pulls.insert(number, pull_request(number, SHA, false, false));
    }
    github.deployments.push(json!({ "id": 9, "sha": SHA, "environment": "review" }));
    let outcome = github.run(invocation("schedule", json!({})));
    assert_eq!(outcome.failure, None);
    let pages: Vec<_> = github.requests.iter().filter(|r| r.path == "/repos/octo/app/pulls").map(|r| r.query.last().unwrap().1.clone()).collect();
    assert_eq!(pages, ["1", "2", "3"]);
    assert_eq!(outcome.decisions.len(), 300);
    assert!(github.log.iter().any(|l| l.level == deliverybot_core::Level::Warning && l.message == "More than 300 open pull requests: only the 300 most recently updated are evaluated."));
}

#[test]
fn with_auto_merge_a_pull_request_branch_is_deployed_by_name_and_a_merge_is_reported() {
    let config = format!("{REVIEW}  auto_merge: true\n");
    let opened = || invocation("pull_request", json!({ "action": "opened", "number": 2, "pull_request": pull_request(2, SHA, false, false) }));
    let mut github = GitHub::with_config(&config);
    github.pulls.insert(2, pull_request(2, SHA, false, false));
    let outcome = github.run(opened());
    assert_eq!(outcome.failure, None);
    let body = &github.created()[0];
    assert_eq!((body["ref"].as_str(), body["auto_merge"].as_bool()), (Some("feature"), Some(true)), "GitHub merges only into a branch named by name");
    assert_eq!(json_output(&outcome, "deployments")[0]["sha"], SHA);

    // The branch is behind: GitHub merges, creates nothing, and says so; the run does not fail.
    let mut github = GitHub::with_config(&config);
    github.pulls.insert(2, pull_request(2, SHA, false, false));
    github.create_answer = Some(Reply::ok(202, r#"{"message":"Auto-merged main into feature on deployment."}"#));
    let outcome = github.run(opened());
    assert_eq!(outcome.failure, None);
    assert_eq!(json_output(&outcome, "skipped")[0]["reason"], MERGED_INSTEAD);
    assert!(github.log.iter().any(|l| l.level == deliverybot_core::Level::Warning && l.message == format!("review: {MERGED_INSTEAD}")));

    // A fork's head is no branch of this repository: its exact commit, without merging.
    let mut github = GitHub::with_config(&format!("{config}  allow_forks: true\n"));
    github.pulls.insert(2, pull_request(2, SHA, true, false));
    github.run(opened());
    let body = &github.created()[0];
    assert_eq!((body["ref"].as_str(), body["auto_merge"].as_bool()), (Some(SHA), Some(false)));
    assert!(github.logged("review: `auto_merge` merges only into a branch; refs/pull/2/head is none, so its exact commit is deployed without merging."));
}
