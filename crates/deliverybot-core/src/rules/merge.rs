//! `auto_merge`: GitHub brings the ref being deployed up to date with the default branch first,
//! merging it in when the ref is behind. It can merge only into a branch named by name: a commit
//! sha names none. So `auto_merge` changes what a deployment names.

/// What the create request names as its `ref`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeployedRef<'a> {
    /// The exact commit decided on (the default): nothing can move it between our decision and
    /// GitHub's.
    Commit,
    /// `auto_merge` on a branch: the branch by name, so that GitHub can merge the default branch
    /// into it. The deployment is then of whatever the branch points to when GitHub resolves it.
    Branch(&'a str),
    /// `auto_merge` on a ref that is no branch (a tag, a fork's pull request, a commit): GitHub
    /// cannot merge into it, so the exact commit, with `auto_merge` off.
    Unmergeable,
}

/// What a deployment of `git_ref` names, with the target's `auto_merge`.
pub fn deployed_ref(auto_merge: bool, git_ref: &str) -> DeployedRef<'_> {
    match git_ref.strip_prefix("refs/heads/") {
        _ if !auto_merge => DeployedRef::Commit,
        Some(branch) => DeployedRef::Branch(branch),
        None => DeployedRef::Unmergeable,
    }
}

/// GitHub's 202 to a create, in GitHub's words (`message`): with `auto_merge`, the branch was behind
/// the default branch, so GitHub merged it in and created no deployment. The merge is a new commit
/// on the branch; it deploys on the next event about it. (A merge made with the default
/// `GITHUB_TOKEN` starts no workflow itself, as no push by that token does.)
pub fn merged_instead(message: &str) -> String {
    format!(
        "GitHub merged the default branch into the branch instead of deploying it (\"{message}\"); with `auto_merge` the merge commit deploys, on the next event about it: its push, its checks or a schedule (a merge made with the default GITHUB_TOKEN starts no workflow itself)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_branch_is_deployed_by_name_and_only_with_auto_merge() {
        assert_eq!(deployed_ref(false, "refs/heads/feature"), DeployedRef::Commit);
        assert_eq!(deployed_ref(true, "refs/heads/feature/x"), DeployedRef::Branch("feature/x"));
        for not_a_branch in ["refs/tags/v1.0.0", "refs/pull/7/head", "6113728f27ae82c7b1a177c8d03f9e96e0adf246"] {
            assert_eq!(deployed_ref(true, not_a_branch), DeployedRef::Unmergeable, "{not_a_branch}");
            assert_eq!(deployed_ref(false, not_a_branch), DeployedRef::Commit, "{not_a_branch}");
        }
    }

    #[test]
    fn a_merge_instead_of_a_deployment_keeps_githubs_words_and_says_what_comes_next() {
        let reason = merged_instead("Auto-merged main into feature on deployment.");
        assert!(reason.starts_with("GitHub merged the default branch into the branch instead of deploying it (\"Auto-merged main into feature on deployment.\")"), "{reason}");
        assert!(reason.contains("the merge commit deploys, on the next event about it"), "{reason}");
    }
}
