//! A push, driven through the engine's public protocol with canned GitHub replies.

mod common;

use common::{json_output, output, GitHub, OLD, SHA};
use deliverybot_core::{Engine, Invocation, Level, Method, Next, Reply};
use serde_json::json;

const CONFIG: &str = "\
staging:
  auto_deploy_on: refs/heads/main
  environment: staging
production:
  auto_deploy_on: refs/tags/v*
  required_contexts: [ci]
";

fn push(git_ref: &str) -> Invocation {
    Invocation::example_push(git_ref)
}

#[test]
fn a_push_to_main_creates_one_deployment_of_the_pushed_commit() {
    let mut github = GitHub::after_push(CONFIG);
    let outcome = github.run(push("refs/heads/main"));
    assert_eq!(outcome.failure, None);

    // The config comes from the default branch, whatever was pushed.
    assert_eq!(github.requests[0].query, [("ref".to_string(), "main".to_string())]);
    assert_eq!(
        github.requests[2].query,
        [("sha".into(), SHA.into()), ("environment".into(), "staging".into()), ("task".into(), "deploy".into()), ("per_page".into(), "1".into())]
    );
    assert_eq!(
        github.paths(),
        [
            "Get /repos/octo/app/contents/.github/deploy.yml",
            "Get /repos/octo/app/git/ref/heads/main",
            "Get /repos/octo/app/deployments",
            "Get /repos/octo/app/git/matching-refs/deliverybot/locks/",
            "Post /repos/octo/app/deployments",
        ],
        "config, main's tip, existing deployment, locks, create"
    );
    let create = &github.requests[4];
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

    assert_eq!(
        json_output(&outcome, "deployments"),
        json!([{ "id": 100, "target": "staging", "environment": "staging", "ref": "refs/heads/main", "sha": SHA,
                 "url": "https://api.github.com/repos/octo/app/deployments/100" }])
    );
    assert_eq!(output(&outcome, "deployment-id"), "100");
    assert_eq!(output(&outcome, "environment"), "staging");
    assert_eq!(output(&outcome, "skipped"), "[]");
    assert_eq!(output(&outcome, "waiting"), "[]");
    assert!(
        outcome.summary.contains("| staging | [staging](https://github.com/octo/app/deployments/staging) | `a1b2c3d` | created | created deployment 100 |"),
        "{}",
        outcome.summary
    );
    assert!(outcome.summary.contains("1 other target is not deployed by this event."), "{}", outcome.summary);
}

#[test]
fn a_tag_push_deploys_the_tag_targets_once_their_checks_are_green() {
    let mut github = GitHub::after_push(CONFIG);
    github.refs.insert("tags/v1.2.3".into(), SHA.into());
    github.statuses = vec![("ci".into(), "success".into())];
    let outcome = github.run(push("refs/tags/v1.2.3"));
    assert_eq!(outcome.failure, None);
    let created = github.created();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["environment"], "production");
    assert_eq!(created[0]["required_contexts"], json!(["ci"]));
    assert_eq!(created[0]["payload"]["deliverybot"]["ref"], "refs/tags/v1.2.3");
}

#[test]
fn a_push_no_target_matches_creates_nothing() {
    let mut github = GitHub::after_push(CONFIG);
    let outcome = github.run(push("refs/heads/feature"));
    assert_eq!(github.requests.len(), 1, "only the config is read");
    assert_eq!(outcome.failure, None);
    assert_eq!(output(&outcome, "deployments"), "[]");
    assert_eq!(output(&outcome, "deployment-id"), "");
    assert!(github.logged("No target deploys refs/heads/feature."));
    assert!(github.log.iter().any(|l| l.level == Level::Debug && l.message == "staging: auto_deploy_on `refs/heads/main` does not match refs/heads/feature."));
}

#[test]
fn every_matching_target_gets_its_own_deployment() {
    let mut github = GitHub::after_push("a:\n  auto_deploy_on: refs/heads/*\n  environment: one\nb:\n  auto_deploy_on: refs/heads/main\n  environment: two\n");
    let outcome = github.run(push("refs/heads/main"));
    let environments: Vec<_> = github.created().iter().map(|b| b["environment"].clone()).collect();
    assert_eq!(environments, [json!("one"), json!("two")]);
    assert_eq!(json_output(&outcome, "deployments").as_array().unwrap().len(), 2);
    assert_eq!(github.paths().iter().filter(|p| p.contains("/git/ref/")).count(), 1, "one read of main for both targets");
}

#[test]
fn a_commit_already_deployed_is_not_deployed_again() {
    let mut github = GitHub::after_push(CONFIG);
    github.deployments.push(json!({ "id": 7, "sha": SHA, "environment": "staging", "url": "https://api.github.com/repos/octo/app/deployments/7" }));
    let outcome = github.run(push("refs/heads/main"));
    assert!(github.writes().is_empty());
    assert_eq!(outcome.failure, None);
    assert_eq!(output(&outcome, "deployments"), "[]");
    assert_eq!(
        json_output(&outcome, "skipped"),
        json!([{ "target": "staging", "environment": "staging", "ref": "refs/heads/main", "sha": SHA, "reason": "already deployed (deployment 7)" }])
    );
    assert!(github.logged("already deployed to staging (deployment 7)"));
}

#[test]
fn a_dry_run_reads_but_never_writes() {
    let mut invocation = push("refs/heads/main");
    invocation.inputs.insert("dry-run".into(), "true".into());
    let mut github = GitHub::after_push(CONFIG);
    let outcome = github.run(invocation);
    assert!(github.writes().is_empty());
    assert_eq!(github.requests.len(), 4, "config, main's tip, existing deployment, locks");
    assert_eq!(outcome.failure, None);
    assert!(outcome.summary.contains("(dry run: nothing was created): 0 deployments created."), "{}", outcome.summary);
    assert!(outcome.summary.contains("| `a1b2c3d` | would create | would create (dry run) |"), "{}", outcome.summary);
    assert!(github.logged("staging: dry run, would create the deployment of a1b2c3d to staging."));
}

#[test]
fn a_missing_config_is_not_an_error() {
    let mut github = GitHub::default();
    let outcome = github.run(push("refs/heads/main"));
    assert_eq!(github.requests.len(), 1);
    assert_eq!(outcome.failure, None);
    assert!(github.logged("No .github/deploy.yml on main: nothing to deploy."));
}

#[test]
fn an_invalid_config_fails_with_every_problem_at_its_position_and_creates_nothing() {
    let mut engine = Engine::new(push("refs/heads/main"));
    engine.step(None);
    let step = engine.step(Some(Reply::ok(200, "staging:\n  auto_deploy_on: refs/heads/main\n  environment: ${{ prr }}\n  auto_merge: yes\n")));
    let errors: Vec<_> = step.log.iter().filter(|l| l.level == Level::Error).collect();
    assert_eq!(errors.len(), 2);
    let annotation = errors[0].annotation.as_ref().unwrap();
    assert_eq!((annotation.file.as_str(), annotation.line, annotation.column), (".github/deploy.yml", 3, 16));
    assert_eq!(errors[0].message, ".github/deploy.yml:3:16: in `${{ prr }}`: unknown variable `prr`; did you mean `pr`?");
    assert_eq!(errors[1].message, ".github/deploy.yml:4:15: `auto_merge` must be true or false; this is the string \"yes\"");
    let Next::Done(outcome) = step.next else { panic!("no request may follow an invalid config") };
    assert_eq!(outcome.failure.as_deref(), Some(".github/deploy.yml has 2 problems; nothing was deployed."));
    assert!(outcome.summary.contains(".github/deploy.yml:4:15: `auto_merge` must be true or false"), "{}", outcome.summary);
}

#[test]
fn a_problem_that_quotes_a_fence_stays_inside_the_summarys_code_block() {
    // A key can hold any text, a fence and markup included, and its problem quotes it.
    let config = "settings:\n  \"x\\n```\\n<img src=https://evil/x.png> [a](http://evil)\": 1\nstaging:\n  auto_deploy_on: refs/heads/main\n";
    let mut github = GitHub::after_push(config);
    let outcome = github.run(push("refs/heads/main"));
    assert_eq!(outcome.failure.as_deref(), Some(".github/deploy.yml has a problem; nothing was deployed."));
    // Fenced by more backticks than any run inside: the quoted ``` cannot close the block.
    assert!(outcome.summary.contains("\n````\n.github/deploy.yml:2:3: unknown key `x\n```\n<img src=https://evil/x.png>"), "{}", outcome.summary);
    assert!(outcome.summary.ends_with("\n````\n"), "{}", outcome.summary);
}

#[test]
fn templates_render_with_the_push_and_the_commit_is_read_only_when_used() {
    let mut github = GitHub::after_push("staging:\n  auto_deploy_on: refs/heads/*\n  environment: ${{ branch }}-env\n  description: ${{ commit.message }}\n");
    github.commit = Some(json!({ "sha": SHA, "commit": { "message": "Fix <b> & \"q\"" } }));
    let outcome = github.run(push("refs/heads/main"));
    assert_eq!(outcome.failure, None);
    assert_eq!(github.requests[2].path, format!("/repos/octo/app/commits/{SHA}"));
    let body = &github.created()[0];
    assert_eq!(body["environment"], "main-env");
    assert_eq!(body["description"], "Fix <b> & \"q\"");

    let mut github = GitHub::after_push("staging:\n  auto_deploy_on: refs/heads/*\n  environment: ${{ branch }}\n");
    github.run(push("refs/heads/main"));
    assert!(github.requests.iter().all(|r| !r.path.contains("/commits/")), "no commit read when no template uses it");
}

#[test]
fn a_template_without_a_value_fails_its_target_only() {
    let mut github = GitHub::after_push("review:\n  auto_deploy_on: refs/heads/main\n  environment: pr${{ pr }}\nstaging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\n");
    let outcome = github.run(push("refs/heads/main"));
    let environments: Vec<_> = github.created().iter().map(|b| b["environment"].clone()).collect();
    assert_eq!(environments, [json!("staging")]);
    let error = github.log.iter().find(|l| l.level == Level::Error).unwrap();
    assert_eq!(error.message, ".github/deploy.yml:3:18: `${{ pr }}`: `pr` has no value on this `push` event; give a default, like `${{ pr || 'none' }}`");
    assert_eq!(error.annotation.as_ref().unwrap().line, 3);
    assert!(outcome.failure.unwrap().starts_with("1 of 2 deployments failed. review: cannot render the deployment:"));
}

#[test]
fn a_deleted_ref_deploys_nothing_and_reads_nothing() {
    let mut invocation = push("refs/heads/main");
    invocation.event = invocation.event.replace("\"deleted\":false", "\"deleted\":true");
    let mut github = GitHub::after_push(CONFIG);
    let outcome = github.run(invocation);
    assert!(github.requests.is_empty());
    assert_eq!(outcome.failure, None);
    assert_eq!(outcome.summary, "### Deliverybot\n\n`refs/heads/main` was deleted: nothing to deploy.\n");
}

#[test]
fn a_refused_create_fails_the_run_and_says_why() {
    let mut github = GitHub::after_push(CONFIG);
    github.create_answer = Some(Reply::ok(422, r#"{"message":"No ref found for: a1b2c3d"}"#));
    let outcome = github.run(push("refs/heads/main"));
    assert_eq!(
        outcome.failure.as_deref(),
        Some("1 of 1 deployment failed. staging: could not create the staging deployment: GitHub answered 422: No ref found for: a1b2c3d.")
    );
    assert!(github.log.iter().any(|l| l.level == Level::Warning && l.message.starts_with("staging: could not create")));
    assert_eq!(output(&outcome, "deployments"), "[]");
}

#[test]
fn when_the_existing_check_fails_nothing_is_created() {
    let mut engine = Engine::new(push("refs/heads/main"));
    engine.step(None);
    engine.step(Some(Reply::ok(200, CONFIG)));
    engine.step(Some(Reply::ok(200, json!({ "ref": "refs/heads/main", "object": { "sha": SHA, "type": "commit" } }).to_string())));
    let Next::Done(outcome) = engine.step(Some(Reply::Lost { error: "socket hang up".into() })).next else { panic!("no create may follow") };
    assert!(outcome.failure.unwrap().contains("could not look for an existing deployment to staging: socket hang up"));
}

#[test]
fn an_unreadable_config_fails_with_githubs_words() {
    let mut engine = Engine::new(push("refs/heads/main"));
    engine.step(None);
    let Next::Done(outcome) = engine.step(Some(Reply::ok(403, r#"{"message":"Resource not accessible by integration"}"#))).next else { panic!() };
    assert_eq!(
        outcome.failure.as_deref(),
        Some("Could not read .github/deploy.yml from main: GitHub answered 403: Resource not accessible by integration. The token may lack the permission: give the workflow `permissions: contents: read` (or use a token that has it).")
    );
}

#[test]
fn a_deployment_for_another_task_is_not_this_one() {
    // The README's canary: same environment as production, its own task.
    let mut github = GitHub::after_push("production:\n  auto_deploy_on: refs/heads/main\n");
    github.deployments.push(json!({ "id": 5, "sha": SHA, "environment": "production", "task": "deploy:canary" }));
    let outcome = github.run(push("refs/heads/main"));
    assert_eq!(outcome.failure, None);
    assert_eq!(github.created().len(), 1, "the canary's deployment does not count as production's");
}

#[test]
fn a_push_whose_branch_has_moved_on_is_superseded_by_the_newer_commit() {
    // A re-run of an old push, or a run that lost a race: deploying it would roll main back.
    let mut github = GitHub::after_push(CONFIG);
    github.refs.insert("heads/main".into(), OLD.into());
    let outcome = github.run(push("refs/heads/main"));
    assert_eq!(outcome.failure, None);
    assert!(github.writes().is_empty());
    assert_eq!(github.paths(), ["Get /repos/octo/app/contents/.github/deploy.yml", "Get /repos/octo/app/git/ref/heads/main"], "nothing else is read");
    assert_eq!(
        json_output(&outcome, "skipped"),
        json!([{ "target": "staging", "environment": "", "ref": "refs/heads/main", "sha": SHA, "reason": format!("superseded by {}", &OLD[..7]) }])
    );
    assert!(outcome.summary.contains("superseded by 0000000"), "{}", outcome.summary);
}

#[test]
fn a_tag_push_deploys_only_while_the_tag_still_points_at_the_commit() {
    let mut github = GitHub::after_push(CONFIG);
    github.refs.insert("tags/v1.2.3".into(), OLD.into());
    let outcome = github.run(push("refs/tags/v1.2.3"));
    assert!(github.writes().is_empty());
    assert_eq!(json_output(&outcome, "skipped")[0]["reason"], "superseded by 0000000");

    // Deleted since: nothing to deploy, and nothing to fail over.
    let mut github = GitHub::after_push(CONFIG);
    let outcome = github.run(push("refs/tags/v1.2.3"));
    assert_eq!(outcome.failure, None);
    assert_eq!(json_output(&outcome, "skipped")[0]["reason"], "refs/tags/v1.2.3 does not exist (any more)");
}

#[test]
fn an_annotated_tag_push_names_the_tag_object_and_deploys_the_commit_it_tags() {
    const TAG_OBJECT: &str = "7a9b0c1d2e3f40516273849a5b6c7d8e9f012345";
    let mut github = GitHub::after_push("production:\n  auto_deploy_on: refs/tags/v*\n");
    github.refs.insert("tags/v2.0.0".into(), TAG_OBJECT.into());
    github.tag_objects.insert(TAG_OBJECT.into(), SHA.into());
    let mut invocation = push("refs/tags/v2.0.0");
    invocation.event = invocation.event.replace(SHA, TAG_OBJECT);
    let outcome = github.run(invocation);
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(github.paths()[1..3], ["Get /repos/octo/app/git/ref/tags/v2.0.0".to_string(), format!("Get /repos/octo/app/git/tags/{TAG_OBJECT}")]);
    assert_eq!(github.created()[0]["ref"], SHA, "the commit, not the tag object");
    assert_eq!(json_output(&outcome, "deployments")[0]["sha"], SHA);
}

#[test]
fn a_ref_github_will_not_show_fails_the_target_with_the_fix() {
    let mut engine = Engine::new(push("refs/heads/main"));
    engine.step(None);
    engine.step(Some(Reply::ok(200, CONFIG)));
    let Next::Done(outcome) = engine.step(Some(Reply::ok(403, r#"{"message":"Resource not accessible by integration"}"#))).next else { panic!("no create may follow") };
    assert_eq!(
        outcome.failure.as_deref(),
        Some("1 of 1 deployment failed. staging: could not read refs/heads/main: GitHub answered 403: Resource not accessible by integration. The token may lack the permission: give the workflow `permissions: contents: read` (or use a token that has it).")
    );
}

#[test]
fn with_auto_merge_a_branch_is_deployed_by_name_and_a_tag_as_its_exact_commit() {
    let config = "staging:\n  auto_deploy_on: refs/heads/*\n  auto_merge: true\nproduction:\n  auto_deploy_on: refs/tags/v*\n  auto_merge: true\n";
    let mut github = GitHub::after_push(config);
    let mut invocation = push("refs/heads/main");
    invocation.inputs.insert("dry-run".into(), "true".into());
    let outcome = github.run(invocation);
    // What a dry run shows is what the run would send.
    let request = serde_json::to_value(&outcome.decisions[0]).unwrap()["request"]["body"].clone();
    assert_eq!((request["ref"].as_str(), request["auto_merge"].as_bool()), (Some("main"), Some(true)));

    let mut github = GitHub::after_push(config);
    github.run(push("refs/heads/main"));
    assert_eq!(github.created()[0]["ref"], "main");

    let mut github = GitHub::after_push(config);
    github.refs.insert("tags/v1.2.3".into(), SHA.into());
    github.run(push("refs/tags/v1.2.3"));
    let body = &github.created()[0];
    assert_eq!((body["ref"].as_str(), body["auto_merge"].as_bool()), (Some(SHA), Some(false)));
    assert!(github.logged("production: `auto_merge` merges only into a branch; refs/tags/v1.2.3 is none, so its exact commit is deployed without merging."));
}
