//! `paths:` and `paths_ignore:`: a target deploys automatically only when a file it names changed
//! since the commit it last deployed to its environment; it deploys anyway, saying why, when that
//! cannot be known.

mod common;

use common::{invocation, json_output, GitHub, OLD, SHA};
use deliverybot_core::{Invocation, Level, Reply};
use serde_json::{json, Value};

/// Three services of a monorepo, each in its own environment, each deployed when its own directory
/// changes.
const MONOREPO: &str = "\
.service: &service
  auto_deploy_on: refs/heads/main
  environment: ${{ target }}
  paths_ignore: ['**/*.md']
web:
  <<: *service
  paths: ['services/web/**', 'libs/**']
api:
  <<: *service
  paths: ['services/api/**', 'libs/**']
worker:
  <<: *service
  paths: ['services/worker/**']
";

const OTHER: &str = "0000000000000000000000000000000000000002";

fn push() -> Invocation {
    Invocation::example_push("refs/heads/main")
}

/// A deployment of `sha` by `target`, to the environment of its name.
fn deployed(id: u64, target: &str, sha: &str) -> Value {
    json!({ "id": id, "sha": sha, "environment": target, "task": "deploy", "payload": { "target": target } })
}

fn comparison(status: &str, files: &[&str]) -> Reply {
    let files: Vec<Value> = files.iter().map(|f| json!({ "filename": f, "status": "modified" })).collect();
    Reply::ok(200, json!({ "status": status, "files": files, "commits": [] }).to_string())
}

/// The monorepo with every service last deployed at OLD.
fn monorepo() -> GitHub {
    let mut github = GitHub::after_push(MONOREPO);
    github.deployments = vec![deployed(1, "web", OLD), deployed(2, "api", OLD), deployed(3, "worker", OLD)];
    github
}

fn decisions(outcome: &deliverybot_core::Outcome) -> Vec<(String, String)> {
    outcome.decisions.iter().map(|d| (d.target.clone(), d.decision.clone())).collect()
}

#[test]
fn a_push_deploys_only_the_services_whose_files_changed() {
    let mut github = monorepo();
    github.comparisons.insert(format!("{OLD}...{SHA}"), comparison("ahead", &["services/api/main.go", "services/web/README.md"]));
    let outcome = github.run(push());
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(
        decisions(&outcome),
        [("web".into(), "unchanged".into()), ("api".into(), "created".into()), ("worker".into(), "unchanged".into())]
    );
    assert_eq!(
        github.paths(),
        [
            "Get /repos/octo/app/contents/.github/deploy.yml",
            "Get /repos/octo/app/git/ref/heads/main",
            "Get /repos/octo/app/deployments",
            &format!("Get /repos/octo/app/compare/{OLD}...{SHA}"),
            "Get /repos/octo/app/deployments",
            "Get /repos/octo/app/deployments",
            "Get /repos/octo/app/git/matching-refs/deliverybot/locks/",
            "Post /repos/octo/app/deployments",
            "Get /repos/octo/app/deployments",
        ],
        "each environment's deployments, one comparison shared by the three services, then api's existing check, the locks and its create"
    );
    assert_eq!(github.requests[2].query, [("environment".into(), "web".into()), ("per_page".into(), "100".into()), ("page".into(), "1".into())]);
    assert!(github.logged("api: services/api/main.go changed since 0000000."));
    assert!(github.logged("web: none of its files changed since 0000000; not deploying a1b2c3d to web."), "a README is ignored: {:?}", github.log);
    let skipped = json_output(&outcome, "skipped");
    assert_eq!(skipped[0]["reason"], "none of its files changed since 0000000");
    assert!(outcome.summary.contains("| web | [web](https://github.com/octo/app/deployments/web) | `a1b2c3d` | unchanged | none of its files changed since 0000000 |"), "{}", outcome.summary);
}

#[test]
fn targets_in_one_environment_share_its_listing_each_finding_its_own_task() {
    let config = ".service: &service\n  auto_deploy_on: refs/heads/main\n  environment: production\n  task: deploy:${{ target }}\nweb:\n  <<: *service\n  paths: ['web/**']\napi:\n  <<: *service\n  paths: ['api/**']\n";
    let mut github = GitHub::after_push(config);
    let task = |target: &str, sha: &str, id: u64| json!({ "id": id, "sha": sha, "environment": "production", "task": format!("deploy:{target}"), "payload": { "target": target } });
    github.deployments = vec![task("web", OLD, 1), task("api", OTHER, 2), json!({ "id": 3, "sha": SHA, "environment": "production", "task": "deploy", "payload": { "target": "web" } })];
    github.comparisons.insert(format!("{OLD}...{SHA}"), comparison("ahead", &["web/x"]));
    github.comparisons.insert(format!("{OTHER}...{SHA}"), comparison("ahead", &["web/x"]));
    let outcome = github.run(push());
    assert_eq!(decisions(&outcome), [("web".into(), "created".into()), ("api".into(), "unchanged".into())]);
    assert_eq!(github.paths().iter().filter(|p| p.starts_with("Get") && p.ends_with("/deployments")).count(), 2, "one listing, and web's existing check");
    assert_eq!(github.paths().iter().filter(|p| p.contains("/compare/")).count(), 2, "each compared with its own last commit");
}

#[test]
fn each_service_is_compared_with_the_commit_it_last_deployed() {
    let mut github = monorepo();
    // worker deployed OTHER since, newer than its deployment of OLD.
    github.deployments.push(deployed(4, "worker", OTHER));
    github.comparisons.insert(format!("{OLD}...{SHA}"), comparison("ahead", &["services/worker/job.py"]));
    github.comparisons.insert(format!("{OTHER}...{SHA}"), comparison("ahead", &["libs/auth.rs"]));
    let outcome = github.run(push());
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(
        decisions(&outcome),
        [("web".into(), "unchanged".into()), ("api".into(), "unchanged".into()), ("worker".into(), "unchanged".into())],
        "worker's change is older than its last deployment; libs/ is not worker's"
    );
    assert_eq!(github.paths().iter().filter(|p| p.contains("/compare/")).count(), 2);
}

#[test]
fn without_an_earlier_deployment_it_deploys_and_says_why() {
    let mut github = GitHub::after_push(MONOREPO);
    let outcome = github.run(push());
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(github.created().len(), 3);
    assert_eq!(github.paths().iter().filter(|p| p.contains("/compare/")).count(), 0);
    let notice = github.log.iter().find(|l| l.message.starts_with("web: deploying")).unwrap();
    assert_eq!((notice.level, notice.message.as_str()), (Level::Notice, "web: deploying without knowing whether its files changed: it has no earlier deployment to compare with."));
}

#[test]
fn a_deployment_by_another_target_or_task_is_not_this_ones() {
    let mut github = GitHub::after_push("web:\n  auto_deploy_on: refs/heads/main\n  environment: production\n  paths: ['web/**']\n");
    github.deployments = vec![
        json!({ "id": 1, "sha": OLD, "environment": "production", "task": "deploy", "payload": { "target": "api" } }),
        json!({ "id": 2, "sha": OLD, "environment": "production", "task": "deploy", "payload": "a string" }),
        json!({ "id": 3, "sha": OLD, "environment": "production", "task": "deploy:canary", "payload": { "target": "web" } }),
    ];
    let outcome = github.run(push());
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert!(github.logged("it has no earlier deployment to compare with"));
    assert_eq!(github.created().len(), 1);
}

#[test]
fn a_target_found_on_a_later_page_is_compared_and_the_pages_are_bounded() {
    let mut github = GitHub::after_push("web:\n  auto_deploy_on: refs/heads/main\n  environment: ${{ target }}\n  paths: ['web/**']\n");
    github.deployments.push(deployed(1, "web", OLD));
    github.deployments.extend((2..=150).map(|id| json!({ "id": id, "sha": OTHER, "environment": "web", "payload": { "target": "other" } })));
    github.comparisons.insert(format!("{OLD}...{SHA}"), comparison("ahead", &["api/x"]));
    let outcome = github.run(push());
    assert_eq!(decisions(&outcome), [("web".into(), "unchanged".into())]);
    assert_eq!(github.paths().iter().filter(|p| p.starts_with("Get") && p.ends_with("/deployments")).count(), 2, "two pages of the environment's deployments");

    let mut far = GitHub::after_push("web:\n  auto_deploy_on: refs/heads/main\n  environment: ${{ target }}\n  paths: ['web/**']\n");
    far.deployments.push(deployed(1, "web", OLD));
    far.deployments.extend((2..=400).map(|id| json!({ "id": id, "sha": OTHER, "environment": "web", "payload": { "target": "other" } })));
    let outcome = far.run(push());
    assert_eq!(decisions(&outcome), [("web".into(), "created".into())]);
    assert!(far.logged("none of the newest deployments to its environment is its own (older ones were not read)"));
    assert_eq!(far.paths().iter().filter(|p| p.starts_with("Get") && p.ends_with("/deployments")).count(), 4, "three pages, then the existing check");
}

#[test]
fn a_commit_that_is_gone_or_rewritten_or_a_full_file_list_deploys_anyway() {
    let many: Vec<String> = (0..300).map(|i| format!("docs/{i}.txt")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    for (answer, why) in [
        (Reply::ok(404, r#"{"message":"Not Found"}"#), "0000000 (its last deployment) could not be compared: GitHub answered 404: Not Found"),
        (Reply::ok(502, ""), "0000000 (its last deployment) could not be compared: GitHub answered 502: no details given"),
        (comparison("diverged", &[]), "0000000 (its last deployment) is not an ancestor of this commit (GitHub says diverged: a force-push, or a deploy of another branch)"),
        (comparison("behind", &[]), "0000000 (its last deployment) is not an ancestor of this commit (GitHub says behind: a force-push, or a deploy of another branch)"),
        (comparison("ahead", &many), "GitHub lists only the first 300 files changed since 0000000 (its last deployment), and none of those is the target's"),
    ] {
        let mut github = GitHub::after_push("worker:\n  auto_deploy_on: refs/heads/main\n  environment: ${{ target }}\n  paths: ['services/worker/**']\n");
        github.deployments.push(deployed(1, "worker", OLD));
        github.comparisons.insert(format!("{OLD}...{SHA}"), answer);
        let outcome = github.run(push());
        assert_eq!(outcome.failure, None, "{:?}", github.log);
        assert_eq!(github.created().len(), 1, "{why}");
        assert!(github.logged(&format!("worker: deploying without knowing whether its files changed: {why}.")), "{why}: {:?}", github.log);
    }
}

#[test]
fn a_comparison_github_refuses_fails_the_target_with_the_fix() {
    let mut github = GitHub::after_push("worker:\n  auto_deploy_on: refs/heads/main\n  environment: ${{ target }}\n  paths: ['services/worker/**']\n");
    github.deployments.push(deployed(1, "worker", OLD));
    github.comparisons.insert(format!("{OLD}...{SHA}"), Reply::ok(403, r#"{"message":"Resource not accessible by integration"}"#));
    let outcome = github.run(push());
    let failure = outcome.failure.unwrap();
    assert!(failure.contains(&format!("could not compare {OLD} with {SHA}: GitHub answered 403: Resource not accessible by integration. The token may lack the permission: give the workflow `permissions: contents: read`")), "{failure}");
    assert!(github.created().is_empty());
}

#[test]
fn the_commit_it_last_deployed_is_already_deployed_not_compared() {
    let mut github = monorepo();
    github.deployments.push(deployed(4, "api", SHA));
    github.comparisons.insert(format!("{OLD}...{SHA}"), comparison("ahead", &["services/api/main.go"]));
    let outcome = github.run(push());
    assert_eq!(decisions(&outcome), [("web".into(), "unchanged".into()), ("api".into(), "already deployed".into()), ("worker".into(), "unchanged".into())]);
}

#[test]
fn a_manual_deploy_deploys_what_was_asked_whatever_changed() {
    let mut github = monorepo();
    let outcome = github.run(invocation("workflow_dispatch", json!({ "inputs": { "target": "worker", "ref": "refs/heads/main" } })));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(github.created().len(), 1);
    assert!(github.paths().iter().all(|p| !p.contains("/compare/")));
}

#[test]
fn paths_compose_with_supersede_checks_and_locks() {
    // Superseded first: nothing is compared for a commit that is no longer the tip.
    let mut github = monorepo();
    github.refs.insert("heads/main".into(), OTHER.into());
    let outcome = github.run(push());
    assert!(outcome.decisions.iter().all(|d| d.decision == "superseded"));
    assert!(github.paths().iter().all(|p| !p.contains("/compare/") && !p.ends_with("/deployments")));

    // Unchanged targets read no checks; the changed one waits for them.
    let mut github = GitHub::after_push(&MONOREPO.replace("paths_ignore:", "required_contexts: [ci]\n  paths_ignore:"));
    github.deployments = vec![deployed(1, "web", OLD), deployed(2, "api", OLD), deployed(3, "worker", OLD)];
    github.comparisons.insert(format!("{OLD}...{SHA}"), comparison("ahead", &["services/web/app.ts"]));
    let outcome = github.run(push());
    assert_eq!(decisions(&outcome), [("web".into(), "waiting".into()), ("api".into(), "unchanged".into()), ("worker".into(), "unchanged".into())]);
    assert_eq!(github.paths().iter().filter(|p| p.ends_with("/status")).count(), 1);

    // A changed target still respects a lock.
    let mut github = monorepo();
    github.refs.insert("deliverybot/locks/worker".into(), "0000000000000000000000000000000000000009".into());
    github.tags.insert("0000000000000000000000000000000000000009".into(), r#"{"environment":"worker","by":"octocat","reason":"incident"}"#.into());
    github.comparisons.insert(format!("{OLD}...{SHA}"), comparison("ahead", &["services/worker/job.py"]));
    let outcome = github.run(push());
    assert_eq!(decisions(&outcome), [("web".into(), "unchanged".into()), ("api".into(), "unchanged".into()), ("worker".into(), "locked".into())]);
}

#[test]
fn a_renamed_file_changed_under_both_names() {
    let mut github = GitHub::after_push("web:\n  auto_deploy_on: refs/heads/main\n  environment: ${{ target }}\n  paths: ['services/web/**']\n");
    github.deployments.push(deployed(1, "web", OLD));
    let files = json!([{ "filename": "libs/moved.ts", "previous_filename": "services/web/moved.ts", "status": "renamed" }]);
    github.comparisons.insert(format!("{OLD}...{SHA}"), Reply::ok(200, json!({ "status": "ahead", "files": files }).to_string()));
    let outcome = github.run(push());
    assert_eq!(decisions(&outcome), [("web".into(), "created".into())]);
    assert!(github.logged("web: services/web/moved.ts changed since 0000000."));

    // 299 renames name 598 files, and are every file changed: nothing is hidden.
    let mut github = GitHub::after_push("web:\n  auto_deploy_on: refs/heads/main\n  environment: ${{ target }}\n  paths: ['services/web/**']\n");
    github.deployments.push(deployed(1, "web", OLD));
    let files: Vec<Value> = (0..299).map(|i| json!({ "filename": format!("new/{i}"), "previous_filename": format!("old/{i}"), "status": "renamed" })).collect();
    github.comparisons.insert(format!("{OLD}...{SHA}"), Reply::ok(200, json!({ "status": "ahead", "files": files }).to_string()));
    let outcome = github.run(push());
    assert_eq!(decisions(&outcome), [("web".into(), "unchanged".into())]);
}

#[test]
fn a_schedule_deploys_the_tip_only_to_the_services_whose_files_changed() {
    let mut github = monorepo();
    github.comparisons.insert(format!("{OLD}...{SHA}"), comparison("ahead", &["services/web/app.ts"]));
    let outcome = github.run(invocation("schedule", json!({ "schedule": "*/15 * * * *" })));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(decisions(&outcome), [("web".into(), "created".into()), ("api".into(), "unchanged".into()), ("worker".into(), "unchanged".into())]);
}

#[test]
fn a_review_app_with_paths_deploys_its_pull_request_when_its_files_changed() {
    let mut github = GitHub::with_config("review:\n  auto_deploy_on: pr\n  environment: pr${{ pr }}\n  paths: ['web/**']\n");
    github.pulls.insert(7, common::pull_request(7, SHA, false, false));
    github.deployments.push(json!({ "id": 1, "sha": OLD, "environment": "pr7", "task": "deploy", "payload": { "target": "review" } }));
    github.comparisons.insert(format!("{OLD}...{SHA}"), comparison("ahead", &["api/x.go"]));
    let event = json!({ "action": "synchronize", "number": 7, "pull_request": common::pull_request(7, SHA, false, false), "repository": { "id": 7, "full_name": "octo/app", "default_branch": "main" } });
    let outcome = github.run(invocation("pull_request", event));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(decisions(&outcome), [("review".into(), "unchanged".into())]);
}
