//! GitHub's filter patterns (`branches`, `tags`, `workflows` in a workflow's `on:`) and how an
//! `auto_deploy_on` pattern translates to them.
//!
//! The two syntaxes differ: in Deliverybot everything from a `*` on matches anything, `/` included
//! (`refs/heads/release-*` selects `release-1/hotfix`); in GitHub's, `*` stops at a `/` and `**`
//! does not, `?` and `+` repeat the character before them, `[...]` is a class and a leading `!`
//! negates (see "Filter pattern cheat sheet" in GitHub's workflow syntax). So a prefix becomes the
//! prefix, escaped, followed by `**`.

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
/// pattern that matches it excludes it again (the last pattern that matches decides).
pub fn passes(patterns: &[String], name: &str) -> bool {
    patterns.iter().fold(false, |passed, pattern| match pattern.strip_prefix('!') {
        Some(negated) if glob_matches(negated, name) => false,
        Some(_) => passed,
        None => passed || glob_matches(pattern, name),
    })
}

/// One element of a pattern and how many times it repeats.
#[derive(Debug)]
enum Atom {
    Char(char),
    /// `[a-z0-9]`: the ranges it accepts.
    Class(Vec<(char, char)>),
    /// `*`: anything but `/`.
    Star,
    /// `**`: anything.
    Stars,
}

#[derive(Debug, Clone, Copy)]
enum Times {
    One,
    /// `?` after it.
    Maybe,
    /// `+` after it.
    Many,
}

/// Whether `name` matches one GitHub filter pattern (no leading `!`).
pub fn glob_matches(pattern: &str, name: &str) -> bool {
    let name: Vec<char> = name.chars().collect();
    matches(&atoms(pattern), &name)
}

fn atoms(pattern: &str) -> Vec<(Atom, Times)> {
    let mut out: Vec<(Atom, Times)> = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        let atom = match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                Atom::Stars
            }
            '*' => Atom::Star,
            '?' | '+' if matches!(out.last(), Some((Atom::Char(_) | Atom::Class(_), Times::One))) => {
                out.last_mut().expect("just matched").1 = if c == '?' { Times::Maybe } else { Times::Many };
                continue;
            }
            '[' => {
                let mut ranges = Vec::new();
                while let Some(first) = chars.next().filter(|&c| c != ']') {
                    match (chars.peek() == Some(&'-'), chars.clone().nth(1)) {
                        (true, Some(last)) if last != ']' => {
                            chars.nth(1);
                            ranges.push((first, last));
                        }
                        _ => ranges.push((first, first)),
                    }
                }
                Atom::Class(ranges)
            }
            '\\' => Atom::Char(chars.next().unwrap_or('\\')),
            c => Atom::Char(c),
        };
        out.push((atom, Times::One));
    }
    out
}

fn matches(atoms: &[(Atom, Times)], name: &[char]) -> bool {
    let Some(((atom, times), rest)) = atoms.split_first() else {
        return name.is_empty();
    };
    let accepts = |c: char| match atom {
        Atom::Char(want) => c == *want,
        Atom::Class(ranges) => ranges.iter().any(|&(low, high)| low <= c && c <= high),
        Atom::Star | Atom::Stars => true,
    };
    match (atom, times) {
        (Atom::Stars, _) => (0..=name.len()).any(|at| matches(rest, &name[at..])),
        (Atom::Star, _) => (0..=name.len()).take_while(|&at| at == 0 || name[at - 1] != '/').any(|at| matches(rest, &name[at..])),
        (_, Times::One) => name.first().is_some_and(|&c| accepts(c)) && matches(rest, &name[1..]),
        (_, Times::Maybe) => matches(rest, name) || (name.first().is_some_and(|&c| accepts(c)) && matches(rest, &name[1..])),
        (_, Times::Many) => (1..=name.len()).take_while(|&at| accepts(name[at - 1])).any(|at| matches(rest, &name[at..])),
    }
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
