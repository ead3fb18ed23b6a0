//! A closed pull request's review deployments retired: those Deliverybot marked, and those made
//! before the marker (by the original Deliverybot, or by hand) of the pull request's head.

mod common;

use common::{invocation, json_output, pull_request, GitHub, OLD, SHA};
use serde_json::{json, Value};

/// A review app per pull request, and a transient demo environment `/deploy` may use.
const CONFIG: &str = "\
review:
  auto_deploy_on: pr
  environment: pr${{ pr }}
  transient_environment: true
demo:
  environment: demo-${{ pr }}
  transient_environment: true
";

fn deployment(id: u64, environment: &str, git_ref: &str, sha: &str, transient: bool, payload: Value) -> Value {
    json!({ "id": id, "ref": git_ref, "sha": sha, "environment": environment, "transient_environment": transient, "payload": payload })
}

fn close(github: &mut GitHub, pr: Value) -> deliverybot_core::Outcome {
    github.run(invocation("pull_request", json!({ "action": "closed", "number": pr["number"], "pull_request": pr })))
}

fn retired(github: &GitHub) -> Vec<u64> {
    let mut ids: Vec<u64> = github.writes().iter().map(|r| r.path.split('/').nth(5).unwrap().parse().unwrap()).collect();
    ids.sort_unstable();
    ids
}

#[test]
fn review_deployments_of_the_head_made_before_the_marker_are_retired_too() {
    let mut github = GitHub::with_config(CONFIG);
    github.deployments = vec![
        deployment(1, "pr2", "feature", OLD, true, json!({})),
        deployment(2, "pr2", "refs/heads/feature", OLD, true, json!({ "target": "review" })),
        deployment(3, "pr2", SHA, SHA, true, Value::Null),
        deployment(4, "pr2", "feature", OLD, true, json!({ "deliverybot": { "pr": 2 } })),
        // Not #2's review deployments: not transient; another pull request's; another branch.
        deployment(10, "pr2", "feature", SHA, false, json!({})),
        deployment(11, "pr2", "feature", SHA, true, json!({ "deliverybot": { "pr": 3 } })),
        deployment(12, "pr2", "main", OLD, true, json!({})),
        deployment(13, "pr2", "feature-2", OLD, true, json!({})),
        deployment(14, "pr2", "refs/tags/feature", OLD, true, json!({})),
        // A transient environment that is not a review environment: only Deliverybot's marked ones.
        deployment(20, "demo-2", "feature", SHA, true, json!({})),
        deployment(21, "demo-2", SHA, SHA, true, json!({ "deliverybot": { "pr": 2 } })),
    ];
    github.deployment_states.insert(4, "inactive".into());
    let outcome = close(&mut github, pull_request(2, SHA, false, false));

    assert_eq!(outcome.failure, None);
    assert_eq!(retired(&github), [1, 2, 3, 21]);
    assert!(github.writes().iter().all(|w| w.body.as_ref().unwrap()["state"] == "inactive"));
    let lists = github.requests.iter().filter(|r| r.path == "/repos/octo/app/deployments").count();
    assert_eq!(lists, 2, "one list per environment, as before: {:?}", github.paths());
    assert!(outcome.summary.contains("4 deployments made inactive (1 already inactive)"), "{}", outcome.summary);
    assert_eq!(json_output(&outcome, "inactive").as_array().unwrap().len(), 4);
}

#[test]
fn a_fork_heads_branch_name_is_not_its_head_here_but_its_commit_is() {
    // The fork's `feature` branch lives in the fork: a deployment of `feature` here is of this
    // repository's branch of that name, not of the pull request.
    let mut github = GitHub::with_config(CONFIG);
    github.deployments = vec![
        deployment(1, "pr2", "feature", OLD, true, json!({})),
        deployment(2, "pr2", "refs/heads/feature", OLD, true, json!({})),
        deployment(3, "pr2", SHA, SHA, true, json!({})),
    ];
    let outcome = close(&mut github, pull_request(2, SHA, true, false));
    assert_eq!(outcome.failure, None);
    assert_eq!(retired(&github), [3]);
}

#[test]
fn a_dry_run_lists_the_unmarked_ones_it_would_retire() {
    let mut github = GitHub::with_config(CONFIG);
    github.deployments = vec![deployment(7, "pr2", "feature", OLD, true, json!({}))];
    let mut close = invocation("pull_request", json!({ "action": "closed", "number": 2, "pull_request": pull_request(2, SHA, false, false) }));
    close.inputs.insert("dry-run".into(), "true".into());
    let outcome = github.run(close);
    assert!(github.writes().is_empty());
    assert!(outcome.summary.contains("Dry run: would make inactive:\n- deployment 7 to pr2"), "{}", outcome.summary);
}
