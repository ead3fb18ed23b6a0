//! A comment → the command it asks for. The command is the comment's first line; a comment whose
//! first line does not start with one of our words is not ours (another bot's `/assign`). `/deploy`
//! reads its line strictly ([`words`]): a target, `--force`, and parameters, `region=eu` or
//! `note="two words"`.

use crate::params::words::{self, Problem, Word};
use crate::params::{Given, GivenParams};

/// The status context `/promote` sets: production targets list it in `required_contexts`.
pub const PROMOTION_CONTEXT: &str = "deliverybot/promotion";

/// The longest lock reason kept (the rest of a long comment is not a reason).
const REASON_LIMIT: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/deploy [target] [--force] [name=value ...]`.
    Deploy { target: Option<String>, force: bool, params: GivenParams },
    /// `/lock <environment|target> [reason]`.
    Lock { name: String, reason: String },
    /// `/unlock <environment|target>`.
    Unlock { name: String },
    /// `/promote [target]`.
    Promote { target: Option<String> },
    Help,
}

impl Command {
    pub fn word(&self) -> &'static str {
        match self {
            Command::Deploy { .. } => "deploy",
            Command::Lock { .. } => "lock",
            Command::Unlock { .. } => "unlock",
            Command::Promote { .. } => "promote",
            Command::Help => "help",
        }
    }
}

/// A command of ours written wrong. It says what is wrong in terms of the command alone: the reply
/// that explains it never quotes the comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// `/deploy` with a flag other than `--force`.
    DeployFlag,
    /// A flag on `/lock`, `/unlock`, `/promote` or `/help`, which take none (the word is one of them).
    Flag(&'static str),
    /// `/deploy a b`.
    DeployTargets,
    /// `/deploy` with words that cannot be read as parameters (an open quote, a name given twice, ...).
    Params(Problem),
    /// `/promote a b`.
    PromoteTargets,
    /// `/unlock a b`.
    UnlockNames,
    /// A bare `/lock`.
    LockNothing,
    /// A bare `/unlock`.
    UnlockNothing,
}

/// Reads a comment. `None`: not a command of ours (say nothing). `Some(Err)`: ours but malformed.
pub fn parse(body: &str) -> Option<Result<Command, Malformed>> {
    let line = body.lines().next()?.trim();
    let line = line.strip_prefix('/')?.trim_start();
    let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let word = word.to_ascii_lowercase();
    let args: Vec<&str> = rest.split_whitespace().collect();
    let (flags, names): (Vec<&str>, Vec<&str>) = args.iter().partition(|a| a.starts_with("--"));
    Some(match word.as_str() {
        "deploy" => deploy(rest),
        "lock" => no_flags("lock", &flags).and_then(|()| lock(&names, body)),
        "unlock" => no_flags("unlock", &flags).and_then(|()| unlock(&names)),
        "promote" => no_flags("promote", &flags).and_then(|()| promote(&names)),
        // `/help` ignores what follows it.
        "help" => no_flags("help", &flags).map(|()| Command::Help),
        _ => return None,
    })
}

fn deploy(rest: &str) -> Result<Command, Malformed> {
    let (mut flags, mut names, mut params) = (Vec::new(), Vec::new(), Vec::new());
    for word in words::split(rest).map_err(Malformed::Params)? {
        match word {
            Word::Bare(flag) if flag.starts_with("--") => flags.push(flag),
            Word::Bare(name) => names.push(name),
            Word::Param(name, value) => params.push((name, Given::Text(value))),
        }
    }
    if flags.iter().any(|f| f != "--force") {
        return Err(Malformed::DeployFlag);
    }
    if names.len() > 1 {
        return Err(Malformed::DeployTargets);
    }
    Ok(Command::Deploy { target: names.pop(), force: !flags.is_empty(), params })
}

fn no_flags(word: &'static str, flags: &[&str]) -> Result<(), Malformed> {
    if flags.is_empty() { Ok(()) } else { Err(Malformed::Flag(word)) }
}

fn lock(names: &[&str], body: &str) -> Result<Command, Malformed> {
    let Some((name, reason)) = names.split_first() else { return Err(Malformed::LockNothing) };
    // The rest of the line, or else the rest of the comment.
    let reason = if reason.is_empty() { rest_of_comment(body) } else { reason.join(" ") };
    Ok(Command::Lock { name: name.to_string(), reason: reason.chars().take(REASON_LIMIT).collect() })
}

fn unlock(names: &[&str]) -> Result<Command, Malformed> {
    match names {
        [] => Err(Malformed::UnlockNothing),
        [name] => Ok(Command::Unlock { name: name.to_string() }),
        _ => Err(Malformed::UnlockNames),
    }
}

fn promote(names: &[&str]) -> Result<Command, Malformed> {
    match names {
        [] => Ok(Command::Promote { target: None }),
        [target] => Ok(Command::Promote { target: Some(target.to_string()) }),
        _ => Err(Malformed::PromoteTargets),
    }
}

/// The comment's lines after the first, joined into one.
fn rest_of_comment(body: &str) -> String {
    body.lines().skip(1).map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> Command {
        parse(body).unwrap().unwrap()
    }

    fn err(body: &str) -> Malformed {
        parse(body).unwrap().unwrap_err()
    }

    fn deploy(target: Option<&str>, force: bool) -> Command {
        Command::Deploy { target: target.map(str::to_string), force, params: Vec::new() }
    }

    #[test]
    fn commands_are_the_first_line_whatever_the_case_and_spacing() {
        assert_eq!(ok("/deploy staging"), deploy(Some("staging"), false));
        assert_eq!(ok("  /Deploy   staging  --force \nthanks!"), deploy(Some("staging"), true));
        assert_eq!(ok("/deploy"), deploy(None, false));
        assert_eq!(ok("/ deploy\tstaging"), deploy(Some("staging"), false));
        assert_eq!(ok("/LOCK production incident 42"), Command::Lock { name: "production".into(), reason: "incident 42".into() });
        assert_eq!(ok("/lock production\nDatabase migration\nrunning"), Command::Lock { name: "production".into(), reason: "Database migration running".into() });
        assert_eq!(ok("/unlock production"), Command::Unlock { name: "production".into() });
        assert_eq!(ok("/promote"), Command::Promote { target: None });
        assert_eq!(ok("/promote production"), Command::Promote { target: Some("production".into()) });
        assert_eq!(ok("/help"), Command::Help);
        assert_eq!(ok("/help me please"), Command::Help);
    }

    #[test]
    fn deploy_takes_parameters_anywhere_on_its_line() {
        let text = |name: &str, value: &str| (name.to_string(), Given::Text(value.to_string()));
        assert_eq!(
            ok(r#"/deploy region=eu staging note="two words" --force url=a=b"#),
            Command::Deploy { target: Some("staging".into()), force: true, params: vec![text("region", "eu"), text("note", "two words"), text("url", "a=b")] }
        );
        assert_eq!(ok("/deploy replicas=3\nnot=a-parameter"), Command::Deploy { target: None, force: false, params: vec![text("replicas", "3")] });
        // `/lock` reasons are free text, quotes included.
        assert_eq!(ok("/lock staging it's \"broken\""), Command::Lock { name: "staging".into(), reason: "it's \"broken\"".into() });
    }

    #[test]
    fn a_lock_reason_is_kept_to_its_limit() {
        let Command::Lock { reason, .. } = ok(&format!("/lock production {}", "é".repeat(300))) else { panic!() };
        assert_eq!(reason.chars().count(), REASON_LIMIT);
    }

    #[test]
    fn other_comments_are_not_commands() {
        assert_eq!(parse("please /deploy staging"), None, "not at the start");
        assert_eq!(parse("LGTM\n/deploy staging"), None, "not the first line");
        assert_eq!(parse("/assign @octocat"), None, "another bot's command");
        assert_eq!(parse("/deploy-now"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("/"), None);
    }

    #[test]
    fn malformed_commands_say_what_is_wrong() {
        assert_eq!(err("/deploy staging --now"), Malformed::DeployFlag);
        assert_eq!(err("/deploy staging production"), Malformed::DeployTargets);
        assert_eq!(err("/deploy staging --now=1"), Malformed::DeployFlag);
        assert_eq!(err(r#"/deploy staging note="two words"#), Malformed::Params(Problem::UnclosedQuote));
        assert_eq!(err("/deploy staging a=1 a=2"), Malformed::Params(Problem::Twice));
        assert_eq!(err("/deploy 'staging'"), Malformed::Params(Problem::QuoteOutsideValue));
        assert_eq!(err("/lock"), Malformed::LockNothing);
        assert_eq!(err("/lock --force production"), Malformed::Flag("lock"));
        assert_eq!(err("/unlock"), Malformed::UnlockNothing);
        assert_eq!(err("/unlock staging production"), Malformed::UnlockNames);
        assert_eq!(err("/promote staging production"), Malformed::PromoteTargets);
        assert_eq!(err("/help --verbose"), Malformed::Flag("help"));
    }
}
