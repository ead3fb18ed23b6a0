//! A push, driven through the engine's public protocol with canned GitHub replies.

use deliverybot_core::{Engine, Invocation, Level, Method, Next, Outcome, Reply, Request};
use serde_json::{json, Value};

const SHA: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

const CONFIG: &str = "\
staging:
  auto_deploy_on: refs/heads/main
  environment: staging
production:
  auto_deploy_on: refs/tags/v*
  required_contexts: [ci]
";

/// Runs the engine, answering each request with `answer`, and returns the requests and the outcome.
fn run(invocation: Invocation, mut answer: impl FnMut(&Request) -> Reply) -> (Vec<Request>, Outcome, Vec<String>) {
    let mut engine = Engine::new(invocation);
    let mut requests = Vec::new();
    let mut log = Vec::new();
    let mut reply = None;
    loop {
        let step = engine.step(reply.take());
        log.extend(step.log.iter().map(|l| format!("{:?}: {}", l.level, l.message)));
        match step.next {
            Next::Request(request) => {
                reply = Some(answer(&request));
                requests.push(request);
            }
            Next::Done(outcome) => return (requests, outcome, log),
        }
    }
}

/// A GitHub that serves `config`, knows no deployments, and creates them with ids from 100.
fn github(config: Option<&'static str>) -> impl FnMut(&Request) -> Reply {
    let mut next_id = 100;
    move |request| match (request.method, request.path.as_str()) {
        (Method::Get, "/repos/octo/app/contents/.github/deploy.yml") => match config {
            Some(text) => Reply::ok(200, text),
            None => Reply::ok(404, r#"{"message":"Not Found"}"#),
        },
        (Method::Get, "/repos/octo/app/deployments") => Reply::ok(200, "[]"),
        (Method::Post, "/repos/octo/app/deployments") => {
            next_id += 1;
            let body = json!({ "id": next_id, "url": format!("https://api.github.com/repos/octo/app/deployments/{next_id}") });
            Reply::ok(201, body.to_string())
        }
        other => panic!("unexpected request {other:?}"),
    }
}

fn github_with(config: &str) -> impl FnMut(&Request) -> Reply {
    github(Some(Box::leak(config.to_string().into_boxed_str())))
}

fn output(outcome: &Outcome, name: &str) -> String {
    outcome.outputs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap()
}

#[test]
fn a_push_to_main_creates_one_deployment_of_the_pushed_commit() {
    let (requests, outcome, _) = run(Invocation::example_push("refs/heads/main"), github(Some(CONFIG)));
    assert_eq!(outcome.failure, None);

    // The config comes from the default branch, whatever was pushed.
    assert_eq!(requests[0].query, [("ref".to_string(), "main".to_string())]);
    assert_eq!(requests[1].method, Method::Get);
    assert_eq!(
        requests[1].query,
        [("sha".into(), SHA.into()), ("environment".into(), "staging".into()), ("per_page".into(), "1".into())]
    );
    assert_eq!(requests.len(), 3);
    let create = &requests[2];
    assert_eq!((create.method, create.path.as_str()), (Method::Post, "/repos/octo/app/deployments"));
    assert!(!create.idempotent);
    assert_eq!(
        create.body.as_ref().unwrap(),
        &json!({
            "ref": SHA,
            "task": "deploy",
            "auto_merge": false,
            "required_contexts": [],
            "environment": "staging",
            "description": "Deploy main (a1b2c3d)",
            "payload": {
                "target": "staging",
                "deliverybot": { "ref": "refs/heads/main", "event": "push", "run_url": "https://github.com/octo/app/actions/runs/42" }
            }
        })
    );

    let deployments: Value = serde_json::from_str(&output(&outcome, "deployments")).unwrap();
    assert_eq!(
        deployments,
        json!([{ "id": 101, "target": "staging", "environment": "staging", "ref": "refs/heads/main", "sha": SHA,
                 "url": "https://api.github.com/repos/octo/app/deployments/101" }])
    );
    assert_eq!(output(&outcome, "deployment-id"), "101");
    assert_eq!(output(&outcome, "environment"), "staging");
    assert!(outcome.summary.contains("| staging | staging | `a1b2c3d` | Created [deployment 101](https://github.com/octo/app/deployments/staging) |"), "{}", outcome.summary);
    assert!(outcome.summary.contains("1 other target is not deployed by `refs/heads/main`."), "{}", outcome.summary);
}

#[test]
fn a_tag_push_deploys_the_tag_targets_with_their_contexts() {
    let (requests, outcome, _) = run(Invocation::example_push("refs/tags/v1.2.3"), github(Some(CONFIG)));
    assert_eq!(outcome.failure, None);
    let body = requests.last().unwrap().body.clone().unwrap();
    assert_eq!(body["environment"], "production");
    assert_eq!(body["required_contexts"], json!(["ci"]));
    assert_eq!(body["payload"]["deliverybot"]["ref"], "refs/tags/v1.2.3");
}

#[test]
fn a_push_no_target_matches_creates_nothing() {
    let (requests, outcome, log) = run(Invocation::example_push("refs/heads/feature"), github(Some(CONFIG)));
    assert_eq!(requests.len(), 1, "only the config is read");
    assert_eq!(outcome.failure, None);
    assert_eq!(output(&outcome, "deployments"), "[]");
    assert_eq!(output(&outcome, "deployment-id"), "");
    assert!(log.contains(&"Info: No target deploys refs/heads/feature.".to_string()), "{log:?}");
    assert!(log.contains(&"Debug: staging: auto_deploy_on `refs/heads/main` does not match refs/heads/feature.".to_string()), "{log:?}");
}

#[test]
fn every_matching_target_gets_its_own_deployment() {
    let config = "a:\n  auto_deploy_on: refs/heads/*\n  environment: one\nb:\n  auto_deploy_on: refs/heads/main\n  environment: two\n";
    let (requests, outcome, _) = run(Invocation::example_push("refs/heads/main"), github(Some(Box::leak(config.into()))));
    let creates: Vec<_> = requests.iter().filter(|r| r.method == Method::Post).map(|r| r.body.as_ref().unwrap()["environment"].clone()).collect();
    assert_eq!(creates, [json!("one"), json!("two")]);
    let deployments: Value = serde_json::from_str(&output(&outcome, "deployments")).unwrap();
    assert_eq!(deployments.as_array().unwrap().len(), 2);
}

#[test]
fn a_commit_already_deployed_is_not_deployed_again() {
    let mut github = github(Some(CONFIG));
    let (requests, outcome, log) = run(Invocation::example_push("refs/heads/main"), |request| {
        if request.path.ends_with("/deployments") && request.method == Method::Get {
            return Reply::ok(200, r#"[{"id": 7, "url": "https://api.github.com/repos/octo/app/deployments/7"}]"#);
        }
        github(request)
    });
    assert!(requests.iter().all(|r| r.method == Method::Get));
    assert_eq!(outcome.failure, None);
    assert_eq!(output(&outcome, "deployments"), "[]");
    assert!(outcome.summary.contains("Already deployed ([deployment 7]"), "{}", outcome.summary);
    assert!(log.iter().any(|l| l.contains("already deployed to staging (deployment 7)")), "{log:?}");
}

#[test]
fn a_dry_run_reads_but_never_writes() {
    let mut invocation = Invocation::example_push("refs/heads/main");
    invocation.inputs.insert("dry-run".into(), "true".into());
    let (requests, outcome, log) = run(invocation, github(Some(CONFIG)));
    assert!(requests.iter().all(|r| !r.is_write()));
    assert_eq!(requests.len(), 2);
    assert_eq!(outcome.failure, None);
    assert!(outcome.summary.contains("(dry run: nothing was created): 0 deployments created."), "{}", outcome.summary);
    assert!(outcome.summary.contains("| staging | staging | `a1b2c3d` | Would create (dry run) |"), "{}", outcome.summary);
    assert!(log.iter().any(|l| l == "Info: staging: dry run, would create the deployment to staging."), "{log:?}");
}

#[test]
fn a_missing_config_is_not_an_error() {
    let (requests, outcome, log) = run(Invocation::example_push("refs/heads/main"), github(None));
    assert_eq!(requests.len(), 1);
    assert_eq!(outcome.failure, None);
    assert!(log[0].contains("No .github/deploy.yml on main: nothing to deploy."), "{log:?}");
}

#[test]
fn an_invalid_config_fails_with_every_problem_at_its_position_and_creates_nothing() {
    let mut engine = Engine::new(Invocation::example_push("refs/heads/main"));
    engine.step(None);
    let step = engine.step(Some(Reply::ok(200, "staging:\n  auto_deploy_on: refs/heads/main\n  enviroment: staging\n  auto_merge: yes\n")));
    let errors: Vec<_> = step.log.iter().filter(|l| l.level == Level::Error).collect();
    assert_eq!(errors.len(), 2);
    let annotation = errors[0].annotation.as_ref().unwrap();
    assert_eq!((annotation.file.as_str(), annotation.line, annotation.column), (".github/deploy.yml", 3, 3));
    assert_eq!(errors[0].message, ".github/deploy.yml:3:3: unknown key `enviroment` in target `staging`; did you mean `environment`?");
    assert_eq!(errors[1].message, ".github/deploy.yml:4:15: `auto_merge` must be true or false; this is the string \"yes\"");
    let Next::Done(outcome) = step.next else { panic!("no request may follow an invalid config") };
    assert_eq!(outcome.failure.as_deref(), Some(".github/deploy.yml has 2 problems; nothing was deployed."));
    assert!(outcome.summary.contains(".github/deploy.yml:4:15: `auto_merge` must be true or false"), "{}", outcome.summary);
}

#[test]
fn templates_render_with_the_push_and_the_commit_is_read_only_when_used() {
    let config = "staging:\n  auto_deploy_on: refs/heads/*\n  environment: ${{ branch }}-env\n  description: ${{ commit.message }}\n";
    let mut github = github(Some(Box::leak(config.into())));
    let (requests, outcome, _) = run(Invocation::example_push("refs/heads/main"), |request| {
        if request.path.starts_with("/repos/octo/app/commits/") {
            return Reply::ok(200, r#"{"sha":"a1b2c3d4e5f60718293a4b5c6d7e8f9012345678","commit":{"message":"Fix <b> & \"q\""}}"#);
        }
        github(request)
    });
    assert_eq!(outcome.failure, None);
    assert_eq!(requests[1].path, format!("/repos/octo/app/commits/{SHA}"));
    let body = requests.last().unwrap().body.clone().unwrap();
    assert_eq!(body["environment"], "main-env");
    assert_eq!(body["description"], "Fix <b> & \"q\"");

    let (requests, _, _) = run(Invocation::example_push("refs/heads/main"), github_with("staging:\n  auto_deploy_on: refs/heads/*\n  environment: ${{ branch }}\n"));
    assert!(requests.iter().all(|r| !r.path.contains("/commits/")), "no commit read when no template uses it");
}

#[test]
fn a_template_without_a_value_fails_its_target_only() {
    let config = "review:\n  auto_deploy_on: refs/heads/main\n  environment: pr${{ pr }}\nstaging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\n";
    let mut engine = Engine::new(Invocation::example_push("refs/heads/main"));
    let mut reply = None;
    let mut errors = Vec::new();
    let mut created = Vec::new();
    let mut github = github_with(config);
    let outcome = loop {
        let step = engine.step(reply.take());
        errors.extend(step.log.into_iter().filter(|l| l.level == Level::Error));
        match step.next {
            Next::Request(request) => {
                if request.method == Method::Post {
                    created.push(request.body.clone().unwrap()["environment"].clone());
                }
                reply = Some(github(&request));
            }
            Next::Done(outcome) => break outcome,
        }
    };
    assert_eq!(created, [json!("staging")]);
    assert_eq!(errors[0].message, ".github/deploy.yml:3:18: `${{ pr }}`: `pr` has no value on this `push` event; give a default, like `${{ pr || 'none' }}`");
    assert_eq!(errors[0].annotation.as_ref().unwrap().line, 3);
    assert!(outcome.failure.unwrap().starts_with("1 of 2 deployments failed. review: cannot render the deployment:"));
}

#[test]
fn a_deleted_ref_deploys_nothing_and_reads_nothing() {
    let mut invocation = Invocation::example_push("refs/heads/main");
    invocation.event = invocation.event.replace("\"deleted\":false", "\"deleted\":true");
    let (requests, outcome, _) = run(invocation, github(Some(CONFIG)));
    assert!(requests.is_empty());
    assert_eq!(outcome.failure, None);
}

#[test]
fn a_refused_create_fails_the_run_and_says_why() {
    let mut github = github(Some(CONFIG));
    let (_, outcome, log) = run(Invocation::example_push("refs/heads/main"), |request| {
        if request.method == Method::Post {
            return Reply::ok(422, r#"{"message":"No ref found for: a1b2c3d"}"#);
        }
        github(request)
    });
    let failure = outcome.failure.clone().unwrap();
    assert_eq!(failure, "1 of 1 deployment failed. staging: GitHub refused to create the staging deployment (422): No ref found for: a1b2c3d");
    assert!(log.iter().any(|l| l.starts_with("Warning: staging: GitHub refused")), "{log:?}");
    assert_eq!(output(&outcome, "deployments"), "[]");
}

#[test]
fn when_the_existing_check_fails_nothing_is_created() {
    let mut github = github(Some(CONFIG));
    let (requests, outcome, _) = run(Invocation::example_push("refs/heads/main"), |request| {
        if request.path.ends_with("/deployments") && request.method == Method::Get {
            return Reply::Lost { error: "socket hang up".into() };
        }
        github(request)
    });
    assert!(requests.iter().all(|r| r.method == Method::Get));
    assert!(outcome.failure.unwrap().contains("could not look for an existing deployment to staging: socket hang up"));
}

#[test]
fn an_unreadable_config_fails_with_githubs_words() {
    let (_, outcome, _) = run(Invocation::example_push("refs/heads/main"), |_| Reply::ok(403, r#"{"message":"Resource not accessible by integration"}"#));
    assert_eq!(
        outcome.failure.as_deref(),
        Some("Could not read .github/deploy.yml from main: GitHub answered 403: Resource not accessible by integration")
    );
}
