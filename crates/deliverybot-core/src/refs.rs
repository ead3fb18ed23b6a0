//! Git refs and the `auto_deploy_on` patterns that select them.

/// Whether an `auto_deploy_on` pattern selects `git_ref`, as the original Deliverybot did: an exact
/// match, or, when the pattern has a `*`, everything from the `*` on matches anything.
/// `refs/tags/v*` selects `refs/tags/v1.2.3`; `refs/tags/v` selects only `refs/tags/v`.
pub fn pattern_matches(pattern: &str, git_ref: &str) -> bool {
    match pattern.find('*') {
        Some(star) => git_ref.starts_with(&pattern[..star]),
        None => pattern == git_ref,
    }
}

/// The branch or tag name of a full ref, for people to read (`refs/heads/main` → `main`).
pub fn short_name(git_ref: &str) -> &str {
    git_ref
        .strip_prefix("refs/heads/")
        .or_else(|| git_ref.strip_prefix("refs/tags/"))
        .unwrap_or(git_ref)
}

pub fn short_sha(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_patterns_match_only_themselves() {
        assert!(pattern_matches("refs/heads/main", "refs/heads/main"));
        assert!(!pattern_matches("refs/heads/main", "refs/heads/main2"));
        assert!(!pattern_matches("refs/heads/main", "refs/heads/mai"));
        assert!(!pattern_matches("refs/tags/v", "refs/tags/v1.2.3"));
    }

    #[test]
    fn everything_from_the_star_on_matches() {
        assert!(pattern_matches("refs/heads/*", "refs/heads/feature/x"));
        assert!(pattern_matches("refs/tags/v*", "refs/tags/v1.2.3"));
        assert!(pattern_matches("refs/tags/v*", "refs/tags/v"));
        assert!(!pattern_matches("refs/tags/v*", "refs/tags/release-1"));
        assert!(!pattern_matches("refs/heads/*", "refs/tags/v1"));
        // What follows the star is not a second pattern: the original ignored it, and so do we.
        assert!(pattern_matches("refs/heads/*/x", "refs/heads/anything"));
        assert!(pattern_matches("*", "refs/heads/main"));
    }

    #[test]
    fn short_names_drop_the_namespace() {
        assert_eq!(short_name("refs/heads/feature/x"), "feature/x");
        assert_eq!(short_name("refs/tags/v1.0.0"), "v1.0.0");
        assert_eq!(short_name("refs/pull/1/head"), "refs/pull/1/head");
        assert_eq!(short_sha("6113728f27ae82c7b1a177c8d03f9e96e0adf246"), "6113728");
        assert_eq!(short_sha("abc"), "abc");
    }
}
