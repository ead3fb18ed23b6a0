//! Parameters as words: `staging region=eu note="two words"`, the text form of a `/deploy` line and
//! of a dispatch's `params` input. A strict tokenizer: words are separated by white space; a word
//! with `=` is a parameter, its name before the first `=` (a name: no quotes), its value after it
//! (`=` included). In a value, `"..."` holds white space and `\"` and `\\`; `'...'` holds anything
//! but `'`; outside quotes, `\` makes the next quote, space or `\` plain. Nothing is expanded:
//! what is read is data.

use super::{check, Given, GivenParams};
use std::fmt;
use std::iter::Peekable;
use std::str::Chars;

/// A word of the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word {
    /// A word without `=` (a target name, a flag like `--force`, or `--flag=value`).
    Bare(String),
    /// `name=value`.
    Param(String, String),
}

/// Why words cannot be read. A problem never repeats the words: what they say is not ours to echo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    UnclosedQuote,
    /// A quote or `\` outside a parameter's value.
    QuoteOutsideValue,
    BadEscape,
    /// A parameter's name that is not one (see [`super::valid_name`]).
    BadName,
    TooMany,
    TooLong,
    /// A value with a control character (a tab, ...).
    Control,
    Twice,
    /// A word that is no `name=value`, where only parameters go.
    NotAParam,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Problem::UnclosedQuote => "a quote is not closed",
            Problem::QuoteOutsideValue => "quotes and `\\` belong in a parameter's value, like `note=\"two words\"`",
            Problem::BadEscape => "`\\` makes only a quote, a space or another `\\` plain (in double quotes: `\\\"` and `\\\\`)",
            Problem::BadName => "a parameter's name is a letter or `_`, then letters, digits, `_`, `.` or `-`, 64 at most",
            Problem::TooMany => "there are at most 20 parameters",
            Problem::TooLong => "a parameter's value is at most 256 characters",
            Problem::Control => "a parameter's value is one line of text, without tabs or other control characters",
            Problem::Twice => "a parameter is given twice",
            Problem::NotAParam => "each parameter is `name=value`",
        })
    }
}

/// The words of `text`, in order; every parameter checked (name, value, count, no repeats).
pub fn split(text: &str) -> Result<Vec<Word>, Problem> {
    let mut chars = text.chars().peekable();
    let mut words = Vec::new();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut head = String::new();
        // A flag keeps its `=` (`--now=1` is a flag, which `/deploy` refuses as one).
        while let Some(c) = chars.next_if(|&c| !c.is_whitespace() && (c != '=' || head.starts_with('-'))) {
            if matches!(c, '"' | '\'' | '\\') {
                return Err(Problem::QuoteOutsideValue);
            }
            head.push(c);
        }
        words.push(match chars.next_if_eq(&'=') {
            Some(_) => Word::Param(head, value(&mut chars)?),
            None => Word::Bare(head),
        });
    }
    let params: GivenParams = words.iter().filter_map(|w| if let Word::Param(n, v) = w { Some((n.clone(), Given::Text(v.clone()))) } else { None }).collect();
    check(&params)?;
    Ok(words)
}

/// `name=value` words only (a dispatch's `params` input, on one line or several).
pub fn params(text: &str) -> Result<GivenParams, Problem> {
    split(text)?
        .into_iter()
        .map(|word| match word {
            Word::Param(name, value) => Ok((name, Given::Text(value))),
            Word::Bare(_) => Err(Problem::NotAParam),
        })
        .collect()
}

/// A value, up to the first white space outside quotes.
fn value(chars: &mut Peekable<Chars>) -> Result<String, Problem> {
    let mut value = String::new();
    let mut quote = None;
    loop {
        let Some(c) = chars.next() else {
            return if quote.is_some() { Err(Problem::UnclosedQuote) } else { Ok(value) };
        };
        match (quote, c) {
            (None, c) if c.is_whitespace() => return Ok(value),
            (None, '"' | '\'') => quote = Some(c),
            (None, '\\') => match chars.next() {
                Some(c @ ('\\' | '"' | '\'' | ' ')) => value.push(c),
                _ => return Err(Problem::BadEscape),
            },
            (Some('"'), '\\') => match chars.next() {
                Some(c @ ('\\' | '"')) => value.push(c),
                _ => return Err(Problem::BadEscape),
            },
            (Some(open), c) if c == open => quote = None,
            (_, c) => value.push(c),
        }
        // A line of any length is read no further than a value can be.
        if value.len() > 4 * super::MAX_VALUE {
            return Err(Problem::TooLong);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(name: &str, value: &str) -> Word {
        Word::Param(name.into(), value.into())
    }

    fn bare(word: &str) -> Word {
        Word::Bare(word.into())
    }

    #[test]
    fn words_bare_and_parameters_in_order() {
        assert_eq!(split("  staging   region=eu --force\t").unwrap(), [bare("staging"), param("region", "eu"), bare("--force")]);
        assert_eq!(split("").unwrap(), []);
        assert_eq!(split("a=").unwrap(), [param("a", "")], "an empty value");
        assert_eq!(split("url=https://x/?a=b&c=d").unwrap(), [param("url", "https://x/?a=b&c=d")], "`=` in a value");
        assert_eq!(split("--now=1").unwrap(), [bare("--now=1")], "a flag keeps its `=`");
        assert_eq!(split("Île-de-France ![x](y)").unwrap(), [bare("Île-de-France"), bare("![x](y)")]);
    }

    #[test]
    fn quotes_hold_white_space_and_escapes_make_quotes_plain() {
        assert_eq!(split(r#"note="two words" b='it "is"' c=a"b c"d"#).unwrap(), [param("note", "two words"), param("b", "it \"is\""), param("c", "ab cd")]);
        assert_eq!(split(r#"a="say \"hi\" \\ now" b=it\'s c=one\ two d=''"#).unwrap(), [param("a", r#"say "hi" \ now"#), param("b", "it's"), param("c", "one two"), param("d", "")]);
        assert_eq!(split(r"a='\n'").unwrap(), [param("a", r"\n")], "nothing is special in single quotes");
        assert_eq!(split("a='${{ secrets.TOKEN }}' b=$(id)").unwrap(), [param("a", "${{ secrets.TOKEN }}"), param("b", "$(id)")], "data, never expanded");
    }

    #[test]
    fn anything_else_is_refused_without_repeating_it() {
        for (text, problem) in [
            (r#"note="two words"#, Problem::UnclosedQuote),
            ("a='x", Problem::UnclosedQuote),
            (r#""staging""#, Problem::QuoteOutsideValue),
            (r#"it's"#, Problem::QuoteOutsideValue),
            (r"a\=b", Problem::QuoteOutsideValue),
            (r"a=\n", Problem::BadEscape),
            (r#"a="\n""#, Problem::BadEscape),
            (r"a=x\", Problem::BadEscape),
            ("=x", Problem::BadName),
            ("1a=x", Problem::BadName),
            ("a/b=x", Problem::BadName),
            ("a=1 b=2 a=3", Problem::Twice),
            ("a=\"x\ty\"", Problem::Control),
        ] {
            assert_eq!(split(text), Err(problem), "{text}");
            assert!(!problem.to_string().contains(text), "{problem} repeats {text}");
        }
    }

    #[test]
    fn count_and_length_are_capped() {
        let many: Vec<String> = (0..21).map(|i| format!("p{i}=x")).collect();
        assert_eq!(split(&many[..20].join(" ")).unwrap().len(), 20);
        assert_eq!(split(&many.join(" ")), Err(Problem::TooMany));
        assert_eq!(split(&format!("a={}", "é".repeat(256))).unwrap(), [param("a", &"é".repeat(256))]);
        assert_eq!(split(&format!("a={}", "é".repeat(257))), Err(Problem::TooLong));
        assert_eq!(split(&format!("a=\"{}", "x".repeat(1 << 20))), Err(Problem::TooLong), "read no further than needed");
        assert_eq!(split(&format!("{}=x", "n".repeat(65))), Err(Problem::BadName));
    }

    #[test]
    fn a_params_input_is_parameters_only_on_any_number_of_lines() {
        assert_eq!(params("region=eu\nnote=\"two words\"\r\n\n replicas=3 ").unwrap().len(), 3);
        assert_eq!(params("region=eu staging"), Err(Problem::NotAParam));
    }
}
