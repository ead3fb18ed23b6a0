//! Markdown for what GitHub renders (the job summary, replies on pull requests), with outside text
//! kept as data: a comment, a check's name, a lock's reason, a branch name or GitHub's own message
//! can make no link, image, HTML, table cell or line of its own.
//!
//! Two kinds of text reach Markdown:
//! - outside text on its own, in a reply: [`inert`] escapes every markup character and breaks `@`
//!   so that it notifies no one; [`code`] and [`fenced`] show it literally;
//! - the engine's sentences, which carry outside text and mark names as code ("frozen until Mon
//!   06:00 `Europe/Berlin`"): [`line`] and [`cell`] keep the sentence's code spans, which render
//!   literally whatever they hold, and escape what could make a link, an image or HTML outside them.

/// Outside text as plain text in a reply: every character that could start markup is escaped, and
/// `@` cannot mention anyone (a zero-width joiner after it), all on one line.
pub fn inert(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("@\u{200D}"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Text as inline code, which GitHub renders literally (no markup, no links, no mentions): fenced
/// by more backticks than any run inside it, on one line.
pub fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let fence = "`".repeat(longest_backtick_run(&text) + 1);
    // A code span that starts or ends with a backtick needs a space between it and the fence.
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Lines as a fenced code block, fenced by more backticks than any run inside them.
pub fn fenced(lines: &str) -> String {
    let fence = "`".repeat((longest_backtick_run(lines) + 1).max(3));
    format!("{fence}\n{lines}{fence}")
}

/// One of the engine's sentences as a line of the summary (a list item, a paragraph). What would
/// start a block at the beginning of a line (a heading, a list, a rule, a fence) is text here: a
/// note can begin with a target's name, which can be any text.
pub fn line(sentence: &str) -> String {
    let text = escaped(sentence.trim_start(), false);
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if text.starts_with(['#', '-', '+', '*', '_', '=', '~']) {
        format!("\\{text}")
    } else if digits > 0 && text[digits..].starts_with(['.', ')']) {
        format!("{}\\{}", &text[..digits], &text[digits..])
    } else {
        text
    }
}

/// One of the engine's sentences as a table cell: a `|` ends a cell even inside a code span unless
/// it is escaped, and GitHub's tables read `\|` as `|` there too.
pub fn cell(sentence: &str) -> String {
    escaped(sentence, true)
}

/// The sentence with its code spans kept, paired as CommonMark pairs them (a run of backticks opens
/// a span only if a run of the same length follows), and everything else escaped: `\`, `[` and `]`
/// (no link, no image), `<` and `>` (no HTML, no autolink), `|`, line breaks made spaces, and the
/// backticks of no span, so that GitHub can pair only the spans kept here.
///
/// A run of backticks in a word that GitHub links by itself (`www.` or `://` in it) opens no span:
/// the link runs on to the next space, over the backticks, and what they would have fenced would
/// be read as markup.
fn escaped(sentence: &str, in_table: bool) -> String {
    let mut out = String::with_capacity(sentence.len());
    let mut rest = sentence;
    while let Some(start) = rest.find('`') {
        push_escaped(&mut out, &rest[..start]);
        let run = rest[start..].len() - rest[start..].trim_start_matches('`').len();
        let after = &rest[start + run..];
        let word = out[out.rfind([' ', '\t']).map_or(0, |space| space + 1)..].to_ascii_lowercase();
        let linked = word.contains("www.") || word.contains("://");
        match closing_run(after, run).filter(|_| !linked) {
            Some(end) => {
                let span = &rest[start..start + run + end + run];
                for c in span.chars() {
                    match c {
                        // GitHub's tables pair backslashes before a `|` as escapes of each other:
                        // it stays in its cell only after an odd number of them.
                        '|' if in_table => {
                            let backslashes = out.len() - out.trim_end_matches('\\').len();
                            out.push_str(if backslashes % 2 == 0 { "\\|" } else { "|" });
                        }
                        '\n' | '\r' => out.push(' '),
                        _ => out.push(c),
                    }
                }
                rest = &rest[start + run + end + run..];
            }
            None => {
                out.push_str(&"\\`".repeat(run));
                rest = after;
            }
        }
    }
    push_escaped(&mut out, rest);
    out
}

/// Where in `text` the first run of exactly `length` backticks starts.
fn closing_run(text: &str, length: usize) -> Option<usize> {
    let mut at = 0;
    while let Some(found) = text[at..].find('`') {
        let start = at + found;
        let run = text[start..].len() - text[start..].trim_start_matches('`').len();
        if run == length {
            return Some(start);
        }
        at = start + run;
    }
    None
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "![x](http://evil) @org/team [link](http://x) <img src=x> `a``b`\nd";

    #[test]
    fn inert_text_reads_the_same_and_renders_no_markup_and_no_mention() {
        assert_eq!(inert("staging"), "staging");
        assert_eq!(inert("locked by @writer (from #2): incident 42"), "locked by @\u{200D}writer (from #2): incident 42");
        assert_eq!(inert(HOSTILE), "!\\[x\\](http://evil) @\u{200D}org/team \\[link\\](http://x) &lt;img src=x&gt; \\`a\\`\\`b\\` d");
    }

    #[test]
    fn code_spans_hold_any_text_on_one_line() {
        assert_eq!(code("staging"), "`staging`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a``"), "``` `a`` ```");
        assert_eq!(code(HOSTILE), "```![x](http://evil) @org/team [link](http://x) <img src=x> `a``b` d```");
        assert_eq!(fenced("a ``` b\n"), "````\na ``` b\n````");
        assert_eq!(fenced("a\n"), "```\na\n```");
    }

    #[test]
    fn a_sentence_keeps_its_code_and_the_outside_text_in_it_makes_no_link_image_or_html() {
        assert_eq!(line("frozen until Mon 06:00 `Europe/Berlin`"), "frozen until Mon 06:00 `Europe/Berlin`");
        assert_eq!(
            line("locked by @octocat: see [the runbook](http://evil) ![x](http://evil/x.png) <img src=x>"),
            "locked by @octocat: see \\[the runbook\\](http://evil) !\\[x\\](http://evil/x.png) &lt;img src=x&gt;"
        );
        // A backslash cannot undo an escape; the text reads the same once rendered.
        assert_eq!(line("waiting for \\[ci](http://evil)"), "waiting for \\\\\\[ci\\](http://evil)");
        assert_eq!(line("two\nlines"), "two lines");
    }

    #[test]
    fn code_spans_are_paired_as_github_pairs_them() {
        // Inside a span, markup is shown as it is: nothing to escape.
        assert_eq!(line("`[x](http://evil)` and [y](z)"), "`[x](http://evil)` and \\[y\\](z)");
        // A run opens a span only if a run of the same length closes it.
        assert_eq!(line("``a`b`` [x](y)"), "``a`b`` \\[x\\](y)");
        assert_eq!(line("a ` lone [x](y)"), "a \\` lone \\[x\\](y)");
        assert_eq!(line("``a` [x](y) `b"), "\\`\\`a` [x](y) `b");
        // A backtick in outside text closes the engine's span early: what follows is escaped.
        assert_eq!(line("to `a`[x](y)`"), "to `a`\\[x\\](y)\\`");
    }

    #[test]
    fn backticks_in_a_word_github_links_open_no_span() {
        // The link would run over the backticks: `<img src=x>` would be HTML, not code.
        assert_eq!(line("see www.e.x`<img src=x>`"), "see www.e.x\\`&lt;img src=x&gt;\\`");
        assert_eq!(cell("http://e.x/`[a](http://evil)` `ok`"), "http://e.x/\\`\\[a\\](http://evil)\\` `ok`");
        assert_eq!(line("Push to `www` at `1a2b3c4`"), "Push to `www` at `1a2b3c4`");
    }

    #[test]
    fn a_line_starts_no_block() {
        assert_eq!(line("# staging frozen"), "\\# staging frozen");
        assert_eq!(line("- web"), "\\- web");
        assert_eq!(line("  1. web"), "1\\. web");
        assert_eq!(line("12) web"), "12\\) web");
        assert_eq!(line("2026 web"), "2026 web");
        assert_eq!(cell("# staging"), "# staging");
    }

    #[test]
    fn in_a_table_a_pipe_never_ends_the_cell() {
        assert_eq!(cell("a | b `c|d`"), "a \\| b `c\\|d`");
        assert_eq!(line("a | b `c|d`"), "a \\| b `c|d`");
        // A backslash before the `|` would otherwise escape the escape.
        assert_eq!(cell("`c\\|d` `e\\\\|f`"), "`c\\|d` `e\\\\\\|f`");
    }
}
