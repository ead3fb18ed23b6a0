//! `paths:` and `paths_ignore:`: a target that names its files deploys automatically only when one
//! of them changed between the commit it last deployed to its environment and the new one. When
//! that cannot be known, it deploys anyway and says why: deploying a commit whose files did not
//! change costs a deployment, missing one whose files did would leave the environment behind.

use super::decide::Gate;
use crate::config::Paths;
use crate::refs::short_sha;
use crate::rules::Decision;

/// GitHub's compare API lists at most this many files: past it, which files changed is unknown.
pub const COMPARE_FILE_LIMIT: usize = 300;

/// What is known of the changes since the target's last deployment.
#[derive(Debug, Clone, PartialEq)]
pub enum Changes {
    /// The target never deployed to this environment; `bounded`: not among the newest deployments
    /// read, at least (older ones were left unread).
    FirstDeployment { bounded: bool },
    /// GitHub compared the commit last deployed (`base`) with the new one.
    Compared { base: String, comparison: Comparison },
    /// The commit last deployed is not in the repository any more (404), or GitHub could not
    /// compare (a timeout, as for a workflow's own `paths:`): `said` is GitHub's answer.
    Uncompared { base: String, said: String },
}

/// GitHub's comparison of the commit last deployed with the new one.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// `ahead`, `identical`, `behind` or `diverged`.
    pub status: String,
    /// The files changed, a renamed file under both of its names.
    pub files: Vec<String>,
    /// How many files GitHub listed (a rename is one): at [`COMPARE_FILE_LIMIT`], there may be more.
    pub listed: usize,
}

/// What the changes mean for the target.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// A file the target names changed: deploy.
    Changed { file: String, since: String },
    /// Deploy, as which files changed is not known; why, in words.
    Anyway { why: String },
    /// None of its files changed since `since`: not deployed.
    Unchanged { since: String },
}

impl Verdict {
    pub fn gate(&self) -> Gate {
        match self {
            Verdict::Changed { .. } | Verdict::Anyway { .. } => Gate::Pass,
            Verdict::Unchanged { since } => Gate::Stop(Decision::Unchanged { since: since.clone() }),
        }
    }
}

/// Whether the target deploys, by its `paths` and the changes since its last deployment.
pub fn changed(paths: &Paths, changes: &Changes) -> Verdict {
    let anyway = |why: String| Verdict::Anyway { why };
    match changes {
        Changes::FirstDeployment { bounded: false } => anyway("it has no earlier deployment to compare with".to_string()),
        Changes::FirstDeployment { bounded: true } => anyway("none of the newest deployments to its environment is its own (older ones were not read)".to_string()),
        Changes::Uncompared { base, said } => anyway(format!("{} (its last deployment) could not be compared: {said}", short_sha(base))),
        Changes::Compared { base, comparison } if matches!(comparison.status.as_str(), "behind" | "diverged") => anyway(format!(
            "{} (its last deployment) is not an ancestor of this commit (GitHub says {}: a force-push, or a deploy of another branch)",
            short_sha(base),
            comparison.status
        )),
        Changes::Compared { base, comparison } => match comparison.files.iter().find(|file| paths.names(file)) {
            Some(file) => Verdict::Changed { file: file.clone(), since: base.clone() },
            None if comparison.listed >= COMPARE_FILE_LIMIT => anyway(format!(
                "GitHub lists only the first {COMPARE_FILE_LIMIT} files changed since {} (its last deployment), and none of those is the target's",
                short_sha(base)
            )),
            None => Verdict::Unchanged { since: base.clone() },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    const BASE: &str = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    fn paths() -> Paths {
        Config::parse("web:\n  paths: ['services/web/**']\n  paths_ignore: ['**/*.md']\n").unwrap().targets.remove(0).paths
    }

    fn compared(status: &str, files: &[&str]) -> Changes {
        Changes::Compared { base: BASE.into(), comparison: Comparison { status: status.into(), files: files.iter().map(|f| f.to_string()).collect(), listed: files.len() } }
    }

    #[test]
    fn a_change_to_one_of_its_files_deploys_it() {
        let verdict = changed(&paths(), &compared("ahead", &["README.md", "services/web/src/app.ts"]));
        assert_eq!(verdict, Verdict::Changed { file: "services/web/src/app.ts".into(), since: BASE.into() });
        assert_eq!(verdict.gate(), Gate::Pass);
    }

    #[test]
    fn changes_to_other_files_only_do_not() {
        for files in [&["services/api/main.go", "services/web/README.md"][..], &[]] {
            let verdict = changed(&paths(), &compared("ahead", files));
            assert_eq!(verdict, Verdict::Unchanged { since: BASE.into() });
            assert_eq!(verdict.gate(), Gate::Stop(Decision::Unchanged { since: BASE.into() }));
        }
        assert_eq!(changed(&paths(), &compared("identical", &[])), Verdict::Unchanged { since: BASE.into() });
    }

    #[test]
    fn without_an_earlier_deployment_it_deploys_and_says_why() {
        assert_eq!(changed(&paths(), &Changes::FirstDeployment { bounded: false }), Verdict::Anyway { why: "it has no earlier deployment to compare with".into() });
        assert_eq!(
            changed(&paths(), &Changes::FirstDeployment { bounded: true }),
            Verdict::Anyway { why: "none of the newest deployments to its environment is its own (older ones were not read)".into() }
        );
    }

    #[test]
    fn a_full_list_of_files_may_hide_its_own_so_it_deploys() {
        let many: Vec<String> = (0..COMPARE_FILE_LIMIT).map(|i| format!("services/api/{i}.go")).collect();
        let files: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            changed(&paths(), &compared("ahead", &files)),
            Verdict::Anyway { why: "GitHub lists only the first 300 files changed since 1111111 (its last deployment), and none of those is the target's".into() }
        );
        assert!(matches!(changed(&paths(), &compared("ahead", &files[1..])), Verdict::Unchanged { .. }), "299 files are all of them");
    }

    #[test]
    fn a_commit_that_is_gone_or_not_an_ancestor_deploys_anyway() {
        let gone = Changes::Uncompared { base: BASE.into(), said: "GitHub answered 404: Not Found".into() };
        assert_eq!(changed(&paths(), &gone), Verdict::Anyway { why: "1111111 (its last deployment) could not be compared: GitHub answered 404: Not Found".into() });
        for status in ["diverged", "behind"] {
            let verdict = changed(&paths(), &compared(status, &["docs/x.md"]));
            assert_eq!(
                verdict,
                Verdict::Anyway { why: format!("1111111 (its last deployment) is not an ancestor of this commit (GitHub says {status}: a force-push, or a deploy of another branch)") }
            );
            assert_eq!(verdict.gate(), Gate::Pass);
        }
    }
}
