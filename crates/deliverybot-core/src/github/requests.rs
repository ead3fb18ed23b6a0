//! Every GitHub REST request the engine makes, built in one place: the path, the query, and the
//! purpose that names it in logs and errors.

use super::{encode, encode_path, repo_path};
use crate::invocation::Repo;
use crate::protocol::Request;
use crate::refs::short_sha;
use serde_json::Value;

/// `GET /repos/{owner}/{repo}/contents/{path}?ref=`, asking for the raw file. Without a branch,
/// GitHub reads the default branch.
pub fn get_file(repo: &Repo, path: &str, branch: Option<&str>) -> Request {
    let request = Request::get(
        format!("{}/contents/{}", repo_path(repo), encode_path(path)),
        format!("read {path} from {}", branch.unwrap_or("the default branch")),
    );
    match branch {
        Some(branch) => request.query("ref", branch),
        None => request,
    }
    .accept("application/vnd.github.raw+json")
}

/// `GET /repos/{owner}/{repo}/deployments?sha=&environment=&task=`: is there already a deployment
/// of this commit to this environment, for this task (a canary's `deploy:canary` is not production's
/// `deploy`)? One result is enough to know.
pub fn find_deployment(repo: &Repo, sha: &str, environment: &str, task: &str) -> Request {
    Request::get(format!("{}/deployments", repo_path(repo)), format!("look for an existing deployment of {} to {environment}", short_sha(sha)))
        .query("sha", sha)
        .query("environment", environment)
        .query("task", task)
        .query("per_page", "1")
}

/// `GET /repos/{owner}/{repo}/commits/{ref}`: a commit by sha, branch or tag name, for templates
/// that use `commit.*` or to resolve a dispatch's ref.
pub fn get_commit(repo: &Repo, reference: &str) -> Request {
    Request::get(format!("{}/commits/{}", repo_path(repo), encode(reference)), format!("read commit {}", short_sha(reference)))
}

/// `GET /repos/{owner}/{repo}/git/ref/{ref}`: where a branch or tag points now (`heads/main`).
pub fn get_ref(repo: &Repo, name: &str) -> Request {
    Request::get(format!("{}/git/ref/{}", repo_path(repo), encode_path(name)), format!("read where {name} points"))
}

/// `GET /repos/{owner}/{repo}/git/tags/{sha}`: the commit an annotated tag points to.
pub fn get_tag(repo: &Repo, sha: &str) -> Request {
    Request::get(format!("{}/git/tags/{}", repo_path(repo), encode(sha)), format!("read tag object {}", short_sha(sha)))
}

/// `GET /repos/{owner}/{repo}/git/matching-refs/{prefix}`: branches or tags by prefix, every
/// match in one answer (GitHub does not page it).
pub fn matching_refs(repo: &Repo, prefix: &str) -> Request {
    Request::get(format!("{}/git/matching-refs/{}", repo_path(repo), encode_path(prefix)), format!("list refs starting with {prefix}"))
}

/// `POST /repos/{owner}/{repo}/git/tags`: an annotated tag object on a commit.
pub fn create_tag(repo: &Repo, tag: &str, message: &str, sha: &str, purpose: String) -> Request {
    let body = serde_json::json!({ "tag": tag, "message": message, "object": sha, "type": "commit" });
    Request::post(format!("{}/git/tags", repo_path(repo)), body, purpose)
}

/// `POST /repos/{owner}/{repo}/git/refs`: creates `full_ref` (`refs/...`); 422 when it exists.
pub fn create_ref(repo: &Repo, full_ref: &str, sha: &str, purpose: String) -> Request {
    let body = serde_json::json!({ "ref": full_ref, "sha": sha });
    Request::post(format!("{}/git/refs", repo_path(repo)), body, purpose)
}

/// `DELETE /repos/{owner}/{repo}/git/refs/{ref}` (`name` below `refs/`).
pub fn delete_ref(repo: &Repo, name: &str, purpose: String) -> Request {
    Request::delete(format!("{}/git/refs/{}", repo_path(repo), encode_path(name)), purpose)
}

/// `GET /repos/{owner}/{repo}/pulls/{number}`.
pub fn get_pull(repo: &Repo, number: u64) -> Request {
    Request::get(format!("{}/pulls/{number}", repo_path(repo)), format!("read pull request #{number}"))
}

/// `GET /repos/{owner}/{repo}/collaborators/{user}/permission`: someone's role on the repository
/// (404: no collaborator at all).
pub fn get_permission(repo: &Repo, user: &str) -> Request {
    Request::get(format!("{}/collaborators/{}/permission", repo_path(repo), encode(user)), format!("check @{user}'s permission"))
}

/// `GET /repos/{owner}/{repo}/commits/{sha}/pulls`: the pull requests a commit belongs to (the open
/// ones whose branch has it; for a commit already on the default branch, the one that merged it).
pub fn commit_pulls(repo: &Repo, sha: &str, page: u32) -> Request {
    Request::get(format!("{}/commits/{}/pulls", repo_path(repo), encode(sha)), format!("find the pull requests of {}", short_sha(sha)))
        .query("per_page", "100")
        .query("page", page.to_string())
}

/// `GET /repos/{owner}/{repo}/pulls?state=open`: the open pull requests, most recently updated first.
pub fn open_pulls(repo: &Repo, page: u32) -> Request {
    Request::get(format!("{}/pulls", repo_path(repo)), "list the open pull requests".to_string())
        .query("state", "open")
        .query("sort", "updated")
        .query("direction", "desc")
        .query("per_page", "100")
        .query("page", page.to_string())
}

/// `GET /repos/{owner}/{repo}/commits/{sha}/status`: the latest status of each context.
pub fn combined_status(repo: &Repo, sha: &str, page: u32) -> Request {
    Request::get(format!("{}/commits/{}/status", repo_path(repo), encode(sha)), format!("read the commit statuses of {}", short_sha(sha)))
        .query("per_page", "100")
        .query("page", page.to_string())
}

/// `GET /repos/{owner}/{repo}/commits/{sha}/check-runs`.
pub fn check_runs(repo: &Repo, sha: &str, page: u32) -> Request {
    Request::get(format!("{}/commits/{}/check-runs", repo_path(repo), encode(sha)), format!("read the check runs of {}", short_sha(sha)))
        .query("per_page", "100")
        .query("page", page.to_string())
}

/// `POST /repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches`.
pub fn dispatch_workflow(repo: &Repo, workflow: &str, git_ref: &str, deployment_id: u64) -> Request {
    Request::post(
        format!("{}/actions/workflows/{}/dispatches", repo_path(repo), encode(workflow)),
        serde_json::json!({ "ref": git_ref, "inputs": { "deployment_id": deployment_id.to_string() } }),
        format!("start workflow {workflow} for deployment {deployment_id}"),
    )
}

/// `GET /repos/{owner}/{repo}/deployments?environment=`: one page of an environment's deployments.
pub fn list_deployments(repo: &Repo, environment: &str, page: u32) -> Request {
    Request::get(format!("{}/deployments", repo_path(repo)), format!("list the deployments to {environment}"))
        .query("environment", environment)
        .query("per_page", "100")
        .query("page", page.to_string())
}

/// `GET /repos/{owner}/{repo}/compare/{base}...{head}`: the files changed between two commits, and
/// whether `base` is an ancestor of `head` (`status`). With a page size, GitHub lists every changed
/// file it lists at all (at most 300) on the first page and pages only the commits, which the
/// engine does not read: so one page, of one commit, is the whole answer.
pub fn compare(repo: &Repo, base: &str, head: &str) -> Request {
    Request::get(format!("{}/compare/{}...{}", repo_path(repo), encode(base), encode(head)), format!("compare {} with {}", short_sha(base), short_sha(head)))
        .query("per_page", "1")
}

/// `GET /repos/{owner}/{repo}/deployments/{id}/statuses?per_page=1`: the latest status.
pub fn latest_status(repo: &Repo, id: u64) -> Request {
    Request::get(format!("{}/deployments/{id}/statuses", repo_path(repo)), format!("read the state of deployment {id}")).query("per_page", "1")
}

/// `POST /repos/{owner}/{repo}/deployments/{id}/statuses`.
pub fn create_status(repo: &Repo, id: u64, body: Value, purpose: String) -> Request {
    let mut request = Request::post(format!("{}/deployments/{id}/statuses", repo_path(repo)), body, purpose);
    // Writing the same status twice only repeats a line in the deployment's history, while
    // leaving it unwritten can leave a deployment pending: retrying is the safer side.
    request.idempotent = true;
    request
}

/// `POST /repos/{owner}/{repo}/deployments`.
pub fn create_deployment(repo: &Repo, body: Value, purpose: String) -> Request {
    Request::post(format!("{}/deployments", repo_path(repo)), body, purpose)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> Repo {
        Repo { owner: "octo".into(), name: "app".into() }
    }

    #[test]
    fn file_paths_keep_their_slashes_and_encode_the_rest() {
        let request = get_file(&repo(), ".github/deploy rules.yml", Some("main"));
        assert_eq!(request.path, "/repos/octo/app/contents/.github/deploy%20rules.yml");
        assert_eq!(request.query, [("ref".to_string(), "main".to_string())]);
        assert_eq!(request.accept.as_deref(), Some("application/vnd.github.raw+json"));
    }

    #[test]
    fn ref_names_are_encoded_segment_by_segment() {
        let request = delete_ref(&repo(), "deliverybot/locks/eu%20west", "unlock eu west".into());
        assert_eq!(request.path, "/repos/octo/app/git/refs/deliverybot/locks/eu%2520west");
        assert_eq!(get_ref(&repo(), "tags/v1+x").path, "/repos/octo/app/git/ref/tags/v1%2Bx");
    }

    #[test]
    fn a_comparison_names_both_commits_and_asks_for_one_page() {
        let request = compare(&repo(), "1111111aaaa", "2222222bbbb");
        assert_eq!(request.path, "/repos/octo/app/compare/1111111aaaa...2222222bbbb");
        assert_eq!(request.query, [("per_page".to_string(), "1".to_string())]);
        assert_eq!(request.purpose, "compare 1111111 with 2222222");
    }
}
