//! GitHub's filter patterns for file paths, the language of a workflow's `on.push.paths`, read as
//! GitHub's "Filter pattern cheat sheet" defines it:
//!
//! - `*` matches zero or more characters, but not `/`;
//! - `**` matches zero or more of any character, and `**/` zero or more whole directories, so
//!   `**/README.md` matches `README.md` at the root too;
//! - `?` matches zero or one of the preceding character, `+` one or more of it (`*.jsx?` matches
//!   `page.js` and `page.jsx`): they are not wildcards of their own;
//! - `[...]` matches one alphanumeric character listed, or in a range of `a-z`, `A-Z` or `0-9`;
//! - `!` at the start of a pattern negates it: patterns are checked in order, and the last one that
//!   matches a path decides whether the path is named;
//! - `\` makes the character after it stand for itself (`v1\+` matches `v1+`);
//! - every other character stands for itself, and a pattern matches the whole path, from the
//!   repository's root.
//!
//! The same language filters branches, tags and workflow names in a workflow's `on:`, which the
//! workflow generator and its trigger check read with this matcher too.
//!
//! Shell globs (globset, glob, wildmatch) read `?` as any one character and have no `+`, so with
//! them a target would not deploy on the files GitHub's own `paths:` filters name; hence this small
//! matcher, tested against every example of the cheat sheet.

/// One pattern, compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterPattern {
    /// `!pattern`: the paths it matches are taken out of those named before it.
    pub negated: bool,
    atoms: Vec<Atom>,
}

/// A part of a pattern, and how many times it may occur.
#[derive(Debug, Clone, PartialEq)]
enum Atom {
    /// One character that `Class` accepts, `Once`, `Optional`ly or `Any` number of times.
    One(Class, Repeat),
    /// `*`: any run of characters but `/`.
    Star,
    /// `**` (not before a `/`): any run of characters.
    AnyDepth,
    /// `**/`: nothing, or any run of characters that ends with `/`.
    AnyDirectories,
}

#[derive(Debug, Clone, PartialEq)]
enum Class {
    Char(char),
    /// `[...]`: the characters and inclusive ranges listed.
    Set(Vec<(char, char)>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Repeat {
    Once,
    /// Followed by `?`.
    Optional,
    /// The second half of `x+` (`x` then any number of `x`).
    Any,
}

/// Why a pattern is not one GitHub reads: `at` is the character where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub at: usize,
    pub message: String,
}

impl Class {
    fn accepts(&self, c: char) -> bool {
        match self {
            Class::Char(own) => *own == c,
            Class::Set(ranges) => ranges.iter().any(|(low, high)| (*low..=*high).contains(&c)),
        }
    }
}

impl FilterPattern {
    pub fn compile(text: &str) -> Result<FilterPattern, PatternError> {
        let chars: Vec<char> = text.chars().collect();
        let negated = chars.first() == Some(&'!');
        let start = usize::from(negated);
        let error = |at: usize, message: String| Err(PatternError { at, message });
        if chars.len() == start {
            return error(0, if negated { "`!` negates a pattern, and none follows it".into() } else { "a pattern cannot be empty".into() });
        }
        if chars[start] == '/' {
            return error(start, "paths start from the repository's root without a `/`: `docs/**`, not `/docs/**`".into());
        }
        let mut atoms = Vec::new();
        let mut at = start;
        while at < chars.len() {
            let c = chars[at];
            match c {
                '*' if chars.get(at + 1) == Some(&'*') => {
                    let directories = chars.get(at + 2) == Some(&'/');
                    atoms.push(if directories { Atom::AnyDirectories } else { Atom::AnyDepth });
                    at += if directories { 3 } else { 2 };
                    continue;
                }
                '*' => atoms.push(Atom::Star),
                '?' | '+' => {
                    let repeated = match atoms.last() {
                        Some(Atom::One(class, Repeat::Once)) => class.clone(),
                        Some(Atom::One(..)) => return error(at, format!("`{c}` follows a `?` or `+`: each repeats the one character before it")),
                        Some(_) => return error(at, format!("`{c}` repeats the character before it, and a `*` or `**` is none")),
                        None => return error(at, format!("`{c}` repeats the character before it, and none comes before it")),
                    };
                    if c == '?' {
                        atoms.pop();
                        atoms.push(Atom::One(repeated, Repeat::Optional));
                    } else {
                        atoms.push(Atom::One(repeated, Repeat::Any));
                    }
                }
                '[' => {
                    let (set, end) = bracket(&chars, at)?;
                    atoms.push(Atom::One(Class::Set(set), Repeat::Once));
                    at = end + 1;
                    continue;
                }
                // The character after a backslash stands for itself (`v1\\+` for a branch `v1+`).
                '\\' if at + 1 < chars.len() => {
                    atoms.push(Atom::One(Class::Char(chars[at + 1]), Repeat::Once));
                    at += 2;
                    continue;
                }
                c => atoms.push(Atom::One(Class::Char(c), Repeat::Once)),
            }
            at += 1;
        }
        Ok(FilterPattern { negated, atoms })
    }

    /// Whether the pattern matches the whole of `path`, leaving its `!` aside.
    pub fn matches(&self, path: &str) -> bool {
        let path: Vec<char> = path.chars().collect();
        // matched[p]: whether the atoms from the current one on match the path from character `p`
        // on; computed from the last atom back, one row per atom, so that no pattern backtracks.
        let mut next: Vec<bool> = (0..=path.len()).map(|p| p == path.len()).collect();
        for atom in self.atoms.iter().rev() {
            let mut row = vec![false; path.len() + 1];
            // For `**/`: whether a `/` at `p` or after it ends a run the rest matches after.
            let mut directory_after = false;
            for p in (0..=path.len()).rev() {
                let c = path.get(p).copied();
                row[p] = match atom {
                    Atom::One(class, Repeat::Once) => c.is_some_and(|c| class.accepts(c)) && next[p + 1],
                    Atom::One(class, Repeat::Optional) => next[p] || (c.is_some_and(|c| class.accepts(c)) && next[p + 1]),
                    Atom::One(class, Repeat::Any) => next[p] || (c.is_some_and(|c| class.accepts(c)) && row[p + 1]),
                    Atom::Star => next[p] || (c.is_some_and(|c| c != '/') && row[p + 1]),
                    Atom::AnyDepth => next[p] || (c.is_some() && row[p + 1]),
                    Atom::AnyDirectories => {
                        directory_after = directory_after || (c == Some('/') && next[p + 1]);
                        next[p] || directory_after
                    }
                };
            }
            next = row;
        }
        next[0]
    }
}

/// The characters and ranges of the `[...]` that starts at `open`, and where its `]` is.
fn bracket(chars: &[char], open: usize) -> Result<(Vec<(char, char)>, usize), PatternError> {
    let error = |at: usize, message: String| Err(PatternError { at, message });
    let same_kind = |a: char, b: char| (a.is_ascii_lowercase() && b.is_ascii_lowercase()) || (a.is_ascii_uppercase() && b.is_ascii_uppercase()) || (a.is_ascii_digit() && b.is_ascii_digit());
    let mut set = Vec::new();
    let mut at = open + 1;
    loop {
        match chars.get(at) {
            None => return error(open, "`[` is not closed by a `]`".into()),
            Some(']') if set.is_empty() => return error(at, "`[]` lists no character".into()),
            Some(']') => return Ok((set, at)),
            Some(&low) if !low.is_ascii_alphanumeric() => {
                return error(at, format!("`[...]` lists letters and digits, and ranges of them (`[0-9a-z]`); `{low}` is neither"));
            }
            Some(&low) if chars.get(at + 1) == Some(&'-') && chars.get(at + 2).is_some_and(|c| *c != ']') => {
                let high = chars[at + 2];
                if !same_kind(low, high) || high < low {
                    return error(at, format!("`{low}-{high}` is not a range GitHub reads: ranges go up within `a-z`, `A-Z` or `0-9`"));
                }
                set.push((low, high));
                at += 3;
            }
            Some(&one) => {
                set.push((one, one));
                at += 1;
            }
        }
    }
}

/// An ordered list of patterns, `!` ones included: a path is named when the last pattern that
/// matches it is not negated.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterPatterns(pub Vec<FilterPattern>);

impl FilterPatterns {
    pub fn names(&self, path: &str) -> bool {
        self.0.iter().rev().find(|pattern| pattern.matches(path)).is_some_and(|pattern| !pattern.negated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(list: &[&str]) -> FilterPatterns {
        FilterPatterns(list.iter().map(|p| FilterPattern::compile(p).unwrap()).collect())
    }

    /// Each row of the cheat sheet's "Patterns to match file paths": the pattern(s), the example
    /// matches it lists, and paths it says (or its description implies) are not matched.
    #[test]
    fn a_backslash_makes_the_next_character_stand_for_itself() {
        let one = |p: &str| FilterPattern::compile(p).unwrap();
        assert!(one("v\\+1").matches("v+1") && !one("v+1").matches("v+1"));
        assert!(one("a\\*").matches("a*") && !one("a\\*").matches("ab"));
        assert!(one("\\!x").matches("!x") && !one("\\!x").negated);
        assert!(one("x\\").matches("x\\"), "a backslash at the end is itself");
    }

    #[test]
    fn every_example_of_the_cheat_sheet() {
        let rows: &[(&[&str], &[&str], &[&str])] = &[
            (&["*"], &["README.md", "server.rb"], &["docs/README.md"]),
            (&["*.jsx?"], &["page.js", "page.jsx"], &["page.jsxx", "src/page.js", "page.j"]),
            (&["**"], &["all/the/files.md", "README.md"], &[]),
            (&["*.js"], &["app.js", "index.js"], &["js/index.js", "app.jsx"]),
            (&["**.js"], &["index.js", "js/index.js", "src/js/app.js"], &["index.jsx"]),
            (&["docs/*"], &["docs/README.md", "docs/file.txt"], &["docs/mona/octocat.txt", "README.md"]),
            (&["docs/**"], &["docs/README.md", "docs/mona/octocat.txt"], &["src/docs/x.md", "docs"]),
            (&["docs/**/*.md"], &["docs/README.md", "docs/mona/hello-world.md", "docs/a/markdown/file.md"], &["docs/a/file.txt", "README.md"]),
            (&["**/docs/**"], &["docs/hello.md", "dir/docs/my-file.txt", "space/docs/plan/space.doc"], &["docs.md", "mydocs/x"]),
            (&["**/README.md"], &["README.md", "js/README.md"], &["js/README.md.bak", "notREADME.md"]),
            (&["**/*src/**"], &["a/src/app.js", "my-src/code/js/app.js"], &["source/app.js", "src"]),
            (&["**/*-post.md"], &["my-post.md", "path/their-post.md"], &["my-post.mdx", "post.md"]),
            (&["**/migrate-*.sql"], &["migrate-10909.sql", "db/migrate-v1.0.sql", "db/sept/migrate-v1.sql"], &["db/migrate.sql"]),
            (&["*.md", "!README.md"], &["hello.md"], &["README.md", "docs/hello.md"]),
            (&["*.md", "!README.md", "README*"], &["hello.md", "README.md", "README.doc"], &["docs/hello.md"]),
        ];
        for (list, named, not_named) in rows {
            let filter = patterns(list);
            for path in *named {
                assert!(filter.names(path), "{list:?} names {path}");
            }
            for path in *not_named {
                assert!(!filter.names(path), "{list:?} does not name {path}");
            }
        }
    }

    /// The cheat sheet's special characters, with its own examples where it gives them.
    #[test]
    fn the_special_characters() {
        let one = |pattern: &str, path: &str| FilterPattern::compile(pattern).unwrap().matches(path);
        assert!(one("Octo*", "Octocat") && one("Octo*", "Octo") && !one("Octo*", "Octo/cat"));
        assert!(one("a**z", "a/b/c/z") && one("a**z", "az"));
        assert!(one("v2?", "v") && one("v2?", "v2") && !one("v2?", "v22"));
        assert!(one("v[0-9]+.md", "v10.md") && !one("v[0-9]+.md", "v.md"));
        assert!(one("[CB]at", "Cat") && one("[CB]at", "Bat") && !one("[CB]at", "cat"));
        assert!(one("[1-2]00", "100") && one("[1-2]00", "200") && !one("[1-2]00", "300"));
        assert!(one("[0-9a-z]", "7") && one("[0-9a-z]", "q") && !one("[0-9a-z]", "Q"));
        // `!` is special only first; `.` and the rest stand for themselves.
        assert!(one("a!b", "a!b") && one("a.b", "a.b") && !one("a.b", "axb"));
        assert!(one("services/api/**", "services/api/src/main.rs") && !one("services/api/**", "services/api-gateway/x"));
        assert!(one("é*", "été"), "characters, not bytes");
    }

    #[test]
    fn the_last_pattern_that_matches_decides() {
        let filter = patterns(&["services/web/**", "!services/web/**/*.md", "services/web/CHANGELOG.md"]);
        assert!(filter.names("services/web/src/app.ts"));
        assert!(!filter.names("services/web/docs/guide.md"));
        assert!(filter.names("services/web/CHANGELOG.md"));
        assert!(!filter.names("services/api/src/app.ts"));
        assert!(!patterns(&["!docs/**"]).names("docs/x"), "a negation alone names nothing");
        assert!(!patterns(&[]).names("x"));
    }

    #[test]
    fn patterns_github_would_not_read_are_refused_where_the_problem_is() {
        let error = |pattern: &str| FilterPattern::compile(pattern).unwrap_err();
        let at = |pattern: &str| error(pattern).at;
        assert_eq!(error("").message, "a pattern cannot be empty");
        assert_eq!(error("!").message, "`!` negates a pattern, and none follows it");
        assert_eq!((at("/docs/**"), error("/docs/**").message.as_str()), (0, "paths start from the repository's root without a `/`: `docs/**`, not `/docs/**`"));
        assert_eq!(at("!/docs"), 1);
        assert_eq!(error("?.md").message, "`?` repeats the character before it, and none comes before it");
        assert_eq!(at("!+x"), 1);
        assert_eq!((at("docs/*?"), error("docs/*?").message.as_str()), (6, "`?` repeats the character before it, and a `*` or `**` is none"));
        assert_eq!(error("a+?").message, "`?` follows a `?` or `+`: each repeats the one character before it");
        assert_eq!(error("a??").at, 2);
        assert_eq!((at("v[0-9"), error("v[0-9").message.as_str()), (1, "`[` is not closed by a `]`"));
        assert_eq!(error("x[]").message, "`[]` lists no character");
        assert_eq!((at("[a-Z]"), error("[a-Z]").message.as_str()), (1, "`a-Z` is not a range GitHub reads: ranges go up within `a-z`, `A-Z` or `0-9`"));
        assert_eq!(at("[9-0]"), 1);
        assert_eq!((at("[ab_]"), error("[ab_]").message.as_str()), (3, "`[...]` lists letters and digits, and ranges of them (`[0-9a-z]`); `_` is neither"));
        // A `-` before `]` is no range: and no letter either.
        assert_eq!(at("[a-]"), 2);
    }

    #[test]
    fn long_paths_and_many_stars_take_linear_rows_not_backtracking() {
        let pattern = FilterPattern::compile(&"*a".repeat(30)).unwrap();
        assert!(!pattern.matches(&"a".repeat(29)));
        assert!(pattern.matches(&"a".repeat(300)));
        let deep = FilterPattern::compile("**/**/**/**/x").unwrap();
        assert!(deep.matches(&format!("{}x", "d/".repeat(200))));
        assert!(!deep.matches(&"d/".repeat(200)));
    }
}
