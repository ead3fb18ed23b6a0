//! GitHub's filter patterns (`branches`, `tags`, `workflows` in a workflow's `on:`) and how an
//! `auto_deploy_on` pattern translates to them.
//!
//! The two syntaxes differ: in Deliverybot everything from a `*` on matches anything, `/` included
//! (`refs/heads/release-*` selects `release-1/hotfix`); in GitHub's, `*` stops at a `/` and `**`
//! does not, `?` and `+` repeat the character before them, `[...]` is a class and a leading `!`
//! negates (see "Filter pattern cheat sheet" in GitHub's workflow syntax). So a prefix becomes the
//! prefix, escaped, followed by `**`. GitHub's patterns are read by [`crate::filter_pattern`], the
//! matcher `paths:` uses.

use crate::filter_pattern::{FilterPattern, FilterPatterns};

/// The branch or tag names a pattern selects: one name, or every name that starts with `prefix`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Names {
    pub prefix: String,
    /// Every name that starts with `prefix` (the pattern had a `*`), not only `prefix` itself.
    pub open: bool,
}

/// What an `auto_deploy_on` ref pattern selects among branches and among tags; neither for a ref
/// outside `refs/heads/` and `refs/tags/`, which no push event names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selected {
    pub branches: Option<Names>,
    pub tags: Option<Names>,
}

/// The branches and tags a ref pattern selects, as [`crate::refs::pattern_matches`] matches.
pub fn selected(pattern: &str) -> Selected {
    let (head, open) = match pattern.find('*') {
        Some(star) => (&pattern[..star], true),
        None => (pattern, false),
    };
    let names = |namespace: &str| match head.strip_prefix(namespace) {
        Some("") if !open => None,
        Some(prefix) => Some(Names { prefix: prefix.to_string(), open }),
        // `refs/h*` selects every branch: its text before the `*` is where `refs/heads/` starts.
        None if open && namespace.starts_with(head) => Some(Names { prefix: String::new(), open }),
        None => None,
    };
    Selected { branches: names("refs/heads/"), tags: names("refs/tags/") }
}

impl Names {
    /// As a GitHub filter pattern: the name with GitHub's special characters escaped, and `**`
    /// (anything, `/` included) after a prefix.
    pub fn filter(&self) -> String {
        let mut out = String::new();
        for (at, c) in self.prefix.chars().enumerate() {
            if matches!(c, '*' | '?' | '+' | '[' | ']' | '\\') || (c == '!' && at == 0) {
                out.push('\\');
            }
            out.push(c);
        }
        if self.open {
            out.push_str("**");
        }
        out
    }

    /// Names to try an existing filter with: the name, and for a prefix a longer name and one
    /// with a `/` as well (where `*` and `**` differ).
    pub fn samples(&self) -> Vec<String> {
        match self.open {
            false => vec![self.prefix.clone()],
            true => vec![self.prefix.clone(), format!("{}0", self.prefix), format!("{}0/0", self.prefix)],
        }
    }
}

/// Whether a name passes a list of GitHub filter patterns: it must match one, and a later `!`
/// pattern that matches it excludes it again (the last pattern that matches decides). A pattern
/// GitHub would not read matches nothing.
pub fn passes(patterns: &[String], name: &str) -> bool {
    FilterPatterns(patterns.iter().filter_map(|pattern| FilterPattern::compile(pattern).ok()).collect()).names(name)
}

/// Whether `name` matches one GitHub filter pattern (a leading `!` left aside).
pub fn glob_matches(pattern: &str, name: &str) -> bool {
    FilterPattern::compile(pattern).is_ok_and(|pattern| pattern.matches(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::refs::pattern_matches;

    fn names(prefix: &str, open: bool) -> Option<Names> {
        Some(Names { prefix: prefix.into(), open })
    }

    #[test]
    fn patterns_select_branches_and_tags_by_their_namespace() {
        assert_eq!(selected("refs/heads/main"), Selected { branches: names("main", false), tags: None });
        assert_eq!(selected("refs/heads/release-*"), Selected { branches: names("release-", true), tags: None });
        assert_eq!(selected("refs/tags/v*"), Selected { branches: None, tags: names("v", true) });
        // What follows the `*` is ignored, as `pattern_matches` ignores it.
        assert_eq!(selected("refs/heads/*/x"), Selected { branches: names("", true), tags: None });
        // A star before the namespace ends selects the whole namespace.
        assert_eq!(selected("refs/h*"), Selected { branches: names("", true), tags: None });
        assert_eq!(selected("refs/t*"), Selected { branches: None, tags: names("", true) });
        // Refs no push names, and the namespace itself, which is no branch.
        assert_eq!(selected("refs/notes/*"), Selected::default());
        assert_eq!(selected("refs/heads/"), Selected::default());
    }

    /// The translation is checked against Deliverybot's own matcher: every branch name the
    /// pattern selects passes the filter made from it, and no other does.
    #[test]
    fn filters_select_what_the_patterns_select() {
        let branches = ["main", "main2", "release-1", "release-1/hotfix", "release-", "release", "feature/x/y", "v1+2", "!x", "a.b"];
        for pattern in ["refs/heads/main", "refs/heads/release-*", "refs/heads/*", "refs/heads/feature/*", "refs/heads/v1+*", "refs/heads/!x", "refs/heads/a.*"] {
            let filter = selected(pattern).branches.unwrap().filter();
            for branch in branches {
                let want = pattern_matches(pattern, &format!("refs/heads/{branch}"));
                assert_eq!(passes(std::slice::from_ref(&filter), branch), want, "{pattern} as {filter} on {branch}");
            }
        }
        assert_eq!(selected("refs/heads/release-*").branches.unwrap().filter(), "release-**");
        assert_eq!(selected("refs/heads/v1+*").branches.unwrap().filter(), "v1\\+**");
        assert_eq!(selected("refs/heads/!x").branches.unwrap().filter(), "\\!x");
    }

    #[test]
    fn github_globs_match_as_the_cheat_sheet_says() {
        assert!(glob_matches("feature/*", "feature/x"));
        assert!(!glob_matches("feature/*", "feature/x/y"));
        assert!(glob_matches("feature/**", "feature/x/y"));
        assert!(glob_matches("*", "main") && !glob_matches("*", "a/b"));
        assert!(glob_matches("**", "a/b"));
        assert!(glob_matches("v[12].[0-9]+.[0-9]+", "v1.10.3"));
        assert!(!glob_matches("v[12].[0-9]+.[0-9]+", "v3.1.1"));
        assert!(glob_matches("colou?r", "color") && glob_matches("colou?r", "colour") && !glob_matches("colou?r", "colouur"));
        assert!(glob_matches("v\\+1", "v+1") && !glob_matches("v+1", "v+1"));
    }

    #[test]
    fn the_last_matching_pattern_decides() {
        let patterns = ["releases/**".to_string(), "!releases/**-alpha".to_string()];
        assert!(passes(&patterns, "releases/10"));
        assert!(!passes(&patterns, "releases/10-alpha"));
        assert!(!passes(&patterns, "main"));
        assert!(passes(&["!x".to_string(), "*".to_string()], "x"), "a later positive pattern takes it back");
    }
}
