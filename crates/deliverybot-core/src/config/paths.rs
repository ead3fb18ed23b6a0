//! `paths:` and `paths_ignore:`: the files a target is made of, in GitHub's filter pattern syntax
//! (see [`filter_pattern`](crate::filter_pattern)). A target that sets either deploys automatically
//! only when a file it names changed since the commit it last deployed (`rules::paths`).
//!
//! ```yaml
//! web:
//!   auto_deploy_on: refs/heads/main
//!   paths: ['services/web/**', 'libs/**']
//!   paths_ignore: ['**/*.md']
//! ```

use super::value::expected;
use crate::diagnostic::{Diagnostic, Pos};
use crate::filter_pattern::{FilterPattern, FilterPatterns};
use crate::yaml::{Node, Value};

/// Which changed files deploy a target automatically.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Paths {
    /// `paths`: the files that count; `None`: every file.
    pub include: Option<FilterPatterns>,
    /// `paths_ignore`: files that never count, even when `paths` names them.
    pub ignore: Option<FilterPatterns>,
}

impl Paths {
    /// Whether the target deploys on some changes only (and so needs to know which files changed).
    pub fn filters(&self) -> bool {
        self.include.is_some() || self.ignore.is_some()
    }

    /// Whether a change to `file` deploys the target: `paths` names it (or there is no `paths`),
    /// and `paths_ignore` does not.
    pub fn names(&self, file: &str) -> bool {
        self.include.as_ref().is_none_or(|include| include.names(file)) && !self.ignore.as_ref().is_some_and(|ignore| ignore.names(file))
    }
}

/// `paths` or `paths_ignore`: a list of patterns, each checked where it stands.
pub(super) fn patterns(node: &Node, field: &str) -> Result<FilterPatterns, Vec<Diagnostic>> {
    let want = "a list of file patterns, like `['services/web/**']`";
    let Value::Seq(items) = &node.value else {
        return Err(vec![expected(node, field, want)]);
    };
    let mut errors = Vec::new();
    let mut list = Vec::new();
    for item in items {
        let Value::Str(text) = &item.value else {
            errors.push(expected(item, field, want));
            continue;
        };
        match FilterPattern::compile(&text.value) {
            Ok(pattern) => list.push(pattern),
            Err(error) => {
                // Inside the pattern when its characters stand one for one in the file.
                let pos = text.verbatim_at.map_or(item.pos, |at| Pos { line: at.line, column: at.column + error.at });
                errors.push(Diagnostic::at(pos, format!("`{field}` pattern `{}`: {}", text.value, error.message)));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if field == "paths" && list.iter().all(|pattern| pattern.negated) {
        let problem = if list.is_empty() { "lists no pattern" } else { "has only `!` patterns, which take files out of none" };
        return Err(vec![Diagnostic::at(
            node.pos,
            format!("`paths` {problem}, so no change would deploy the target; list the files that should (like `['services/web/**']`), and leave files out with `!` after them or with `paths_ignore`"),
        )]);
    }
    Ok(FilterPatterns(list))
}

#[cfg(test)]
mod tests {
    use super::super::{errors, Config};

    #[test]
    fn a_target_names_its_files_and_leaves_some_out() {
        let config = Config::parse("web:\n  paths: ['services/web/**', 'libs/**', '!libs/legacy/**']\n  paths_ignore: ['**/*.md']\napi:\n").unwrap();
        let web = &config.target("web").unwrap().paths;
        assert!(web.filters());
        assert!(web.names("services/web/src/app.ts") && web.names("libs/auth/x.rs"));
        assert!(!web.names("libs/legacy/y.rs"), "`!` in `paths` leaves it out");
        assert!(!web.names("services/web/README.md"), "`paths_ignore` wins over `paths`");
        assert!(!web.names("services/api/main.go"));
        let api = &config.target("api").unwrap().paths;
        assert!(!api.filters() && api.names("anything"), "no `paths`: every file counts");
        let ignoring = Config::parse("docs-free:\n  paths_ignore: ['docs/**']\n").unwrap();
        assert!(ignoring.targets[0].paths.names("src/x") && !ignoring.targets[0].paths.names("docs/x"));
    }

    #[test]
    fn bad_patterns_are_reported_where_they_stand() {
        assert_eq!(
            errors("web:\n  paths: ['services/web/**', '/abs/**', 'x[a-Z]']\n  paths_ignore:\n    - '*?'\n    - 3\n"),
            [
                "2:31: `paths` pattern `/abs/**`: paths start from the repository's root without a `/`: `docs/**`, not `/docs/**`",
                "2:44: `paths` pattern `x[a-Z]`: `a-Z` is not a range GitHub reads: ranges go up within `a-z`, `A-Z` or `0-9`",
                "4:9: `paths_ignore` pattern `*?`: `?` repeats the character before it, and a `*` or `**` is none",
                "5:7: `paths_ignore` must be a list of file patterns, like `['services/web/**']`; this is the number 3",
            ]
        );
        // After an escape, only the value's place is known.
        assert_eq!(errors("web:\n  paths: [\"\\tx[\"]\n")[0], "2:11: `paths` pattern `\tx[`: `[` is not closed by a `]`");
        assert_eq!(errors("web:\n  paths: services/**\n"), ["2:10: `paths` must be a list of file patterns, like `['services/web/**']`; this is the string \"services/**\""]);
    }

    #[test]
    fn paths_that_name_no_file_are_an_error() {
        let advice = "so no change would deploy the target; list the files that should (like `['services/web/**']`), and leave files out with `!` after them or with `paths_ignore`";
        assert_eq!(errors("web:\n  paths: []\n"), [format!("2:10: `paths` lists no pattern, {advice}")]);
        assert_eq!(errors("web:\n  paths: ['!docs/**']\n"), [format!("2:10: `paths` has only `!` patterns, which take files out of none, {advice}")]);
        assert!(Config::parse("web:\n  paths_ignore: []\n").is_ok(), "ignoring nothing is harmless");
    }
}
