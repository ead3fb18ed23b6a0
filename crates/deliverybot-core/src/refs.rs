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

/// Where GitHub keeps each pull request's head and test merge commit (`refs/pull/12/head`,
/// `refs/pull/12/merge`), for pull requests from forks too: refs that anyone who can open a pull
/// request makes the repository hold.
pub const PULL_REQUEST_REFS: &str = "refs/pull/";

/// Whether an `auto_deploy_on` pattern can select a pull request's ref, as [`pattern_matches`]
/// matches: an exact ref under `refs/pull/`, or a pattern whose text before the `*` is where
/// `refs/pull/` starts (`refs/*`, `refs/pu*`, `refs/pull/*`) or goes on inside it
/// (`refs/pull/12/*`). Letters are compared whatever their case: refusing `refs/PULL/*` costs
/// nothing, and whether GitHub's ref look-ups tell case apart is not documented.
pub fn pattern_selects_pull_requests(pattern: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    match pattern.find('*') {
        Some(star) => PULL_REQUEST_REFS.starts_with(&pattern[..star]) || pattern[..star].starts_with(PULL_REQUEST_REFS),
        None => pattern.starts_with(PULL_REQUEST_REFS),
    }
}

/// Whether a ref or pattern has a part git allows in no ref name and a URL resolves: `..`, a part
/// that starts with `.`, or an empty one (`//`). `refs/heads/../pull/12/head` is no branch, but a
/// request for it (`git/ref/heads/../pull/12/head`) would read pull request 12's head.
pub fn has_dot_or_empty_parts(pattern: &str) -> bool {
    let parts: Vec<&str> = pattern.split('/').collect();
    pattern.contains("..") || parts.iter().enumerate().any(|(at, part)| part.starts_with('.') || (part.is_empty() && at + 1 < parts.len()))
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

    /// Every ref a pattern with a `*` matches starts with the text before the `*`, so a pattern
    /// matches a pull request's ref exactly when that text is one of the ref's prefixes: each
    /// prefix of these refs, with a `*` after it, must be refused, whatever follows the `*`.
    #[test]
    fn every_pattern_that_matches_a_pull_request_ref_is_caught() {
        for pull_ref in ["refs/pull/1/head", "refs/pull/1/merge", "refs/pull/12345/head"] {
            assert!(pattern_selects_pull_requests(pull_ref), "{pull_ref}");
            for end in 0..=pull_ref.len() {
                for pattern in [format!("{}*", &pull_ref[..end]), format!("{}*/head", &pull_ref[..end]), format!("{}*", pull_ref[..end].to_uppercase())] {
                    assert!(pattern_matches(&pattern, pull_ref) || pattern.contains(char::is_uppercase), "{pattern}");
                    assert!(pattern_selects_pull_requests(&pattern), "{pattern} matches {pull_ref}");
                }
            }
        }
        assert!(pattern_selects_pull_requests("refs/pull/"));
        assert!(pattern_selects_pull_requests("refs/Pull/7/head"));
    }

    #[test]
    fn patterns_that_cannot_match_a_pull_request_ref_are_not_caught() {
        let pull_refs = ["refs/pull/1/head", "refs/pull/1/merge", "refs/pull/12345/head"];
        for pattern in ["refs/heads/*", "refs/tags/v*", "refs/heads/main", "refs/pulls/*", "refs/pull", "refs/pul", "refs/p", "refs/heads/pull/*", "refs/heads/refs/pull/*", "refs/pullx*"] {
            assert!(!pull_refs.iter().any(|r| pattern_matches(pattern, r)), "{pattern}");
            assert!(!pattern_selects_pull_requests(pattern), "{pattern}");
        }
    }

    #[test]
    fn parts_git_refuses_and_urls_resolve_are_found() {
        for pattern in ["refs/heads/../pull/1/head", "refs/heads/..*", "refs/heads/a..b", "refs/heads/./x", "refs/heads/.hidden", "refs//pull/1/head", "refs/tags/v*/../x"] {
            assert!(has_dot_or_empty_parts(pattern), "{pattern}");
        }
        for pattern in ["refs/heads/main", "refs/tags/v1.2.*", "refs/heads/feature.x", "refs/heads/*", "refs/heads/"] {
            assert!(!has_dot_or_empty_parts(pattern), "{pattern}");
        }
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
