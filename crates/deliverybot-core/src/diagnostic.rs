//! Where a problem is and what it is: a position in a file, a message at it, and the "did you mean"
//! suggestion for a misspelt name. The config reader, the templates and the run all report their
//! problems this way, so every one of them can be shown as `path:line:column: message`.

use std::fmt;

/// A position in the file, both 1-based, columns counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// A problem in a file, at a position when it has one (`None`: about the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub pos: Option<Pos>,
    pub message: String,
}

impl Diagnostic {
    pub fn at(pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic { pos: Some(pos), message: message.into() }
    }

    /// `path:line:column: message`, as compilers write it (and editors and terminals link it).
    pub fn located(&self, path: &str) -> String {
        match self.pos {
            Some(_) => format!("{path}:{self}"),
            None => format!("{path}: {}", self.message),
        }
    }
}

/// `line:column: message`, or the message alone.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Some(Pos { line, column }) => write!(f, "{line}:{column}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The known word closest to a misspelt one, if it is close enough to be what was meant: at most
/// two edits (or a quarter of the known word), and fewer edits than the misspelt word has letters.
pub fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(word, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4) && *distance < word.len().max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_shows_its_position_first() {
        let at = Diagnostic::at(Pos { line: 3, column: 15 }, "`auto_merge` must be true or false");
        assert_eq!(at.to_string(), "3:15: `auto_merge` must be true or false");
        let anywhere = Diagnostic { pos: None, message: "the file is too large".into() };
        assert_eq!(anywhere.to_string(), "the file is too large");
    }

    #[test]
    fn located_prefixes_the_path_as_compilers_do() {
        let at = Diagnostic::at(Pos { line: 2, column: 3 }, "unknown key `enviroment`");
        assert_eq!(at.located(".github/deploy.yml"), ".github/deploy.yml:2:3: unknown key `enviroment`");
        let anywhere = Diagnostic { pos: None, message: "`settings.commands.default_target` is `x`".into() };
        assert_eq!(anywhere.located("deploy.yml"), "deploy.yml: `settings.commands.default_target` is `x`");
    }

    #[test]
    fn positions_order_by_line_then_column() {
        let mut positions = [Pos { line: 2, column: 1 }, Pos { line: 1, column: 9 }, Pos { line: 1, column: 2 }];
        positions.sort();
        assert_eq!(positions, [Pos { line: 1, column: 2 }, Pos { line: 1, column: 9 }, Pos { line: 2, column: 1 }]);
    }

    #[test]
    fn suggestions_only_when_close() {
        let known = ["auto_deploy_on", "environment", "required_contexts", "task"];
        assert_eq!(closest("enviroment", &known), Some("environment"));
        assert_eq!(closest("requried_contexts", &known), Some("required_contexts"));
        assert_eq!(closest("tsk", &known), Some("task"));
        assert_eq!(closest("colour", &known), None);
        assert_eq!(closest("x", &known), None);
        assert_eq!(closest("", &known), None);
    }
}
