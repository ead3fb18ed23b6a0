//! The status mode: deployment statuses from the deploy workflow, through the public protocol.

use deliverybot_core::{Engine, Invocation, Method, Next, Outcome, Phase, Reply, Request};
use serde_json::{json, Value};

/// A real-shaped `deployment` event for deployment 145988746 to production.
fn deployment_event() -> Invocation {
    let mut invocation = Invocation::example_push("refs/heads/main");
    invocation.event_name = "deployment".into();
    invocation.event = json!({
        "action": "created",
        "deployment": { "id": 145988746, "environment": "production", "sha": "f95f852bd8fca8fcc58a9a2d6c842781e32a215e", "ref": "master" },
        "repository": { "full_name": "octo/app", "default_branch": "main" }
    })
    .to_string();
    invocation
}

fn with(mut invocation: Invocation, inputs: &[(&str, &str)]) -> Invocation {
    for (name, value) in inputs {
        invocation.inputs.insert(name.to_string(), value.to_string());
    }
    invocation
}

/// Runs to the end, answering the one status request with `reply`.
fn run(invocation: Invocation, reply: Reply) -> (Vec<Request>, Outcome, Vec<String>) {
    let mut engine = Engine::new(invocation);
    let mut requests = Vec::new();
    let mut log = Vec::new();
    let mut next_reply = None;
    loop {
        let step = engine.step(next_reply.take());
        log.extend(step.log.into_iter().map(|l| l.message));
        match step.next {
            Next::Request(request) => {
                requests.push(request);
                next_reply = Some(reply.clone());
            }
            Next::Done(outcome) => return (requests, outcome, log),
            Next::Zone { name } => panic!("a status run needs no time zone, asked {name}"),
        }
    }
}

fn created() -> Reply {
    Reply::ok(201, r#"{"id": 9001, "state": "success"}"#)
}

fn output(outcome: &Outcome, name: &str) -> String {
    outcome.outputs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("no output {name}"))
}

#[test]
fn each_explicit_state_is_posted_to_the_event_deployment() {
    for state in ["pending", "queued", "in_progress", "success", "failure", "error", "inactive"] {
        let (requests, outcome, _) = run(with(deployment_event(), &[("state", state)]), created());
        assert_eq!(outcome.failure, None, "{state}");
        assert_eq!(requests.len(), 1);
        let request = &requests[0];
        assert_eq!((request.method, request.path.as_str()), (Method::Post, "/repos/octo/app/deployments/145988746/statuses"));
        assert_eq!(
            request.body.clone().unwrap(),
            json!({ "state": state, "log_url": "https://github.com/octo/app/actions/runs/42" })
        );
        assert_eq!(output(&outcome, "deployment-id"), "145988746");
        assert_eq!(output(&outcome, "status-id"), "9001");
        assert_eq!(output(&outcome, "state"), state);
        assert!(outcome.state.is_empty(), "explicit states leave nothing to the post step");
    }
}

#[test]
fn job_status_values_are_accepted_and_cancelled_is_an_error_with_a_reason() {
    let (requests, outcome, _) = run(with(deployment_event(), &[("state", "cancelled")]), created());
    assert_eq!(outcome.failure, None);
    let body = requests[0].body.clone().unwrap();
    assert_eq!(body["state"], "error");
    assert_eq!(body["description"], "The deploy job was cancelled.");
    assert_eq!(output(&outcome, "state"), "error");

    let (requests, _, _) = run(with(deployment_event(), &[("state", "Success")]), created());
    assert_eq!(requests[0].body.clone().unwrap()["state"], "success");
}

#[test]
fn every_optional_input_is_sent_when_given() {
    let inputs = [
        ("state", "success"),
        ("log-url", "https://ci.example/logs/1"),
        ("description", "Shipped"),
        ("environment", "production-eu"),
        ("environment-url", "https://app.example"),
        ("auto-inactive", "false"),
    ];
    let (requests, outcome, _) = run(with(deployment_event(), &inputs), created());
    assert_eq!(
        requests[0].body.clone().unwrap(),
        json!({
            "state": "success",
            "log_url": "https://ci.example/logs/1",
            "description": "Shipped",
            "environment": "production-eu",
            "environment_url": "https://app.example",
            "auto_inactive": false
        })
    );
    assert!(outcome.summary.contains("Deployment 145988746 to [production-eu](https://github.com/octo/app/deployments/production-eu): **success** (status 9001)."), "{}", outcome.summary);
    assert!(outcome.summary.contains("- Environment: https://app.example"), "{}", outcome.summary);
}

#[test]
fn a_long_description_is_cut_to_githubs_limit_with_a_warning() {
    let long = "x".repeat(300);
    let (requests, outcome, log) = run(with(deployment_event(), &[("state", "success"), ("description", &long)]), created());
    assert_eq!(outcome.failure, None);
    let description = requests[0].body.clone().unwrap()["description"].as_str().unwrap().to_string();
    assert_eq!(description.chars().count(), 140);
    assert!(log.iter().any(|l| l.contains("longer than GitHub's 140 characters")), "{log:?}");
}

#[test]
fn deployment_id_works_on_any_event() {
    let invocation = with(Invocation::example_push("refs/heads/main"), &[("state", "success"), ("deployment-id", "77")]);
    let (requests, outcome, _) = run(invocation, created());
    assert_eq!(outcome.failure, None);
    assert_eq!(requests[0].path, "/repos/octo/app/deployments/77/statuses");
    assert_eq!(output(&outcome, "deployment-id"), "77");
}

#[test]
fn without_a_deployment_the_step_fails_and_says_to_pass_deployment_id() {
    let invocation = with(Invocation::example_push("refs/heads/main"), &[("state", "success")]);
    let (requests, outcome, _) = run(invocation, created());
    assert!(requests.is_empty());
    let failure = outcome.failure.unwrap();
    assert!(failure.starts_with("no deployment to report on: this is a `push` event, not `deployment`. Pass `deployment-id`"), "{failure}");
}

#[test]
fn bad_inputs_are_named() {
    let cases = [
        (vec![("state", "done")], "input `state` must be one of pending, queued, in_progress, success, failure, error, inactive, cancelled or auto, got \"done\""),
        (vec![("state", "success"), ("deployment-id", "abc")], "input `deployment-id` must be a deployment id (a positive whole number), got \"abc\""),
        (vec![("state", "success"), ("auto-inactive", "maybe")], "input `auto-inactive` must be `true` or `false`, got \"maybe\""),
    ];
    for (inputs, expected) in cases {
        let (requests, outcome, _) = run(with(deployment_event(), &inputs), created());
        assert!(requests.is_empty());
        assert_eq!(outcome.failure.as_deref(), Some(expected));
    }
}

#[test]
fn auto_posts_in_progress_and_leaves_the_deployment_to_the_post_step() {
    let (requests, outcome, _) = run(with(deployment_event(), &[("state", "auto")]), created());
    assert_eq!(requests[0].body.clone().unwrap()["state"], "in_progress");
    assert_eq!(outcome.state, [("finish-deployment-id".to_string(), "145988746".to_string())]);
}

#[test]
fn a_deployment_event_without_state_is_auto() {
    let (requests, outcome, _) = run(deployment_event(), created());
    assert_eq!(requests[0].body.clone().unwrap()["state"], "in_progress");
    assert_eq!(outcome.state.len(), 1);
}

#[test]
fn the_post_step_is_saved_even_when_in_progress_cannot_be_written() {
    let (_, outcome, _) = run(with(deployment_event(), &[("state", "auto")]), Reply::Lost { error: "ECONNRESET".into() });
    assert!(outcome.failure.unwrap().contains("Could not set deployment 145988746 to in_progress: ECONNRESET"));
    assert_eq!(outcome.state, [("finish-deployment-id".to_string(), "145988746".to_string())]);
}

fn post(job_status: &str) -> Invocation {
    let mut invocation = with(deployment_event(), &[("state", "auto"), ("job-status", job_status)]);
    invocation.phase = Phase::Post;
    invocation.state.insert("finish-deployment-id".into(), "145988746".into());
    invocation
}

#[test]
fn the_post_step_reports_how_the_job_ended() {
    for (job_status, state) in [("success", "success"), ("failure", "failure"), ("cancelled", "error")] {
        let (requests, outcome, _) = run(post(job_status), created());
        assert_eq!(outcome.failure, None);
        let body: Value = requests[0].body.clone().unwrap();
        assert_eq!(body["state"], state, "{job_status}");
        assert_eq!(requests[0].path, "/repos/octo/app/deployments/145988746/statuses");
    }
}

#[test]
fn a_post_step_with_nothing_saved_does_nothing() {
    let mut invocation = post("success");
    invocation.state.clear();
    let (requests, outcome, _) = run(invocation, created());
    assert!(requests.is_empty());
    assert_eq!(outcome, Outcome::default());
}

#[test]
fn the_post_step_finishes_only_the_deployment_its_main_step_derived() {
    // Saved state is only text the runner read back from the main step's output: anything that
    // could print `::save-state` could name a deployment. The post step re-derives the deployment
    // from the event and the inputs, as the main step did, and acts only if the state names it.
    let forged = |invocation: &mut Invocation| {
        invocation.state.insert("finish-deployment-id".into(), "31337".into());
    };
    let mut other_id = post("success");
    forged(&mut other_id);
    let mut not_auto = post("success");
    not_auto.inputs.insert("state".into(), "success".into());
    let mut not_a_number = post("success");
    not_a_number.state.insert("finish-deployment-id".into(), "145988746\n::warning::x".into());
    let mut no_deployment = with(Invocation::example_push("refs/heads/main"), &[("job-status", "success")]);
    no_deployment.phase = Phase::Post;
    forged(&mut no_deployment);
    let mut other_input = with(Invocation::example_push("refs/heads/main"), &[("state", "auto"), ("deployment-id", "77"), ("job-status", "failure")]);
    other_input.phase = Phase::Post;
    forged(&mut other_input);
    for (case, invocation) in [("another id", other_id), ("not auto", not_auto), ("not an id", not_a_number), ("no deployment", no_deployment), ("another input", other_input)] {
        let (requests, outcome, log) = run(invocation, created());
        assert!(requests.is_empty(), "{case}: nothing is written");
        assert_eq!(outcome.failure, None, "{case}");
        assert!(log.iter().any(|l| l.starts_with("The post step was asked to finish a deployment that its main step did not start")), "{case}: {log:?}");
    }

    // The deployment its main step derived from the `deployment-id` input is finished.
    let mut from_input = with(Invocation::example_push("refs/heads/main"), &[("state", "auto"), ("deployment-id", "77"), ("job-status", "failure")]);
    from_input.phase = Phase::Post;
    from_input.state.insert("finish-deployment-id".into(), "77".into());
    let (requests, outcome, _) = run(from_input, created());
    assert_eq!(outcome.failure, None);
    assert_eq!(requests[0].path, "/repos/octo/app/deployments/77/statuses");
    assert_eq!(requests[0].body.clone().unwrap()["state"], "failure");
}

#[test]
fn the_post_step_needs_the_job_status() {
    let mut invocation = post("success");
    invocation.inputs.remove("job-status");
    let (requests, outcome, _) = run(invocation, created());
    assert!(requests.is_empty());
    assert!(outcome.failure.unwrap().starts_with("input `job-status` is empty"));
}

#[test]
fn githubs_refusals_fail_the_step_with_the_reason() {
    let (_, outcome, _) = run(with(deployment_event(), &[("state", "success")]), Reply::ok(404, r#"{"message":"Not Found"}"#));
    assert_eq!(
        outcome.failure.as_deref(),
        Some("Could not set deployment 145988746 to success: deployment 145988746 was not found in octo/app. Check `deployment-id`, and that the token can read deployments")
    );
    let (_, outcome, _) = run(with(deployment_event(), &[("state", "success")]), Reply::ok(422, r#"{"message":"Validation Failed"}"#));
    assert_eq!(outcome.failure.as_deref(), Some("Could not set deployment 145988746 to success: GitHub answered 422: Validation Failed."));
}

#[test]
fn a_refused_status_names_the_permission() {
    let (_, outcome, _) = run(with(deployment_event(), &[("state", "success")]), Reply::ok(403, r#"{"message":"Resource not accessible by integration"}"#));
    assert!(outcome.failure.unwrap().ends_with("give the workflow `permissions: deployments: write` (or use a token that has it)."));
}

#[test]
fn the_status_request_may_be_retried_by_the_caller() {
    let (requests, _, _) = run(with(deployment_event(), &[("state", "success")]), created());
    assert!(requests[0].idempotent);
}

#[test]
fn a_dry_run_says_what_it_would_set_and_writes_nothing() {
    let (requests, outcome, log) = run(with(deployment_event(), &[("state", "success"), ("dry-run", "true")]), created());
    assert!(requests.is_empty());
    assert_eq!(outcome.failure, None);
    assert!(outcome.summary.contains("Dry run: would set deployment 145988746 to **success**."));
    assert!(log.iter().any(|l| l.starts_with("Dry run: would set deployment 145988746 to success: {")), "{log:?}");
}
