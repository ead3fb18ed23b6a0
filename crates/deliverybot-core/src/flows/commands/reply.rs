//! What the commands say on the pull request, under the token's identity.
//!
//! A reply never quotes the comment beyond its command word: whoever wrote it, their markup
//! (images, links, team mentions) is not repeated by the bot, and a name no target has is not
//! echoed. What comes from elsewhere (the config's targets, rendered environments, a lock's record,
//! the deploy's reasons) is shown [`inert`] or as [`code`]; the job summary quotes the comment's
//! first line as code.

use super::parse::{Malformed, PROMOTION_CONTEXT};
use super::target::{Environment, Unrendered};
use crate::config::{Config, Role, Target};
use crate::invocation::RunContext;
use crate::locks::Lock;
use crate::markdown::{code, fenced, inert};
use crate::params::Refusal;
use crate::refs::short_sha;
use crate::report::Row;
use crate::rules::Decision;

pub fn help(config: &Config) -> String {
    format!(
        "**Deliverybot commands** (the first line of a comment):\n\n\
         | command | does |\n|---|---|\n\
         | `/deploy <target> [--force] [name=value ...]` | Deploys this pull request's head to the target; `--force` skips its required checks; parameters (`region=eu`, `note=\"two words\"`) go to the deploy workflow. |\n\
         | `/lock <environment or target> [reason]` | Stops every deployment to the environment until it is unlocked. |\n\
         | `/unlock <environment or target>` | Lifts the lock. |\n\
         | `/promote [target]` | Marks this head with the `{PROMOTION_CONTEXT}` status, which targets can require. |\n\
         | `/help` | This list. |\n\n\
         Targets: {}.",
        targets(config)
    )
}

fn targets(config: &Config) -> String {
    let names: Vec<String> = config.targets.iter().map(|t| code(&t.name)).collect();
    if names.is_empty() { "none (`.github/deploy.yml` has no targets)".to_string() } else { names.join(", ") }
}

pub fn malformed(malformed: Malformed) -> String {
    let problem = match malformed {
        Malformed::DeployFlag => "`/deploy` has one flag, `--force` (skip the required checks)".to_string(),
        Malformed::Flag(word) => format!("`/{word}` takes no flags"),
        Malformed::DeployTargets => "`/deploy` takes one target: `/deploy <target> [--force]`".to_string(),
        Malformed::Params(problem) => format!("`/deploy` parameters are `name=value` or `name=\"two words\"`, and {problem}"),
        Malformed::PromoteTargets => "`/promote` takes one target: `/promote [target]`".to_string(),
        Malformed::UnlockNames => "`/unlock` takes one environment or target: `/unlock production`".to_string(),
        Malformed::LockNothing => "`/lock` needs an environment or a target: `/lock production [reason]`".to_string(),
        Malformed::UnlockNothing => "`/unlock` needs an environment or a target: `/unlock production`".to_string(),
    };
    format!("{problem}. `/help` lists the commands.")
}

pub fn denied(user: &str, word: &str, needed: Role, role: Role) -> String {
    format!("Sorry @{user}, `/{word}` needs the **{}** role on this repository (you have {}). Ask someone who has it.", needed.name(), role.name())
}

pub fn which_target(config: &Config) -> String {
    format!("Which target? `/deploy <target>`; the targets are {}. (`settings.commands.default_target` sets the target of a bare `/deploy`.)", targets(config))
}

pub fn no_such_target(config: &Config) -> String {
    format!("There is no target of that name. The targets are {}.", targets(config))
}

/// The target does not take the parameters given: which one and why (a name that is a valid name,
/// never a value), and what it takes.
pub fn params_refused(target: &Target, refused: &Refusal) -> String {
    format!("Not deployed: {}.", target.params.explain(&target.name, refused, &|text| code(text)))
}

pub fn fork(target: &str) -> String {
    format!("This pull request comes from a fork; {} does not deploy forks (set `allow_forks: true` on the target to allow it).", code(target))
}

pub fn unrendered(unrendered: &Unrendered) -> String {
    format!("Cannot tell which environment {} is for this pull request: {}", code(&unrendered.target), inert(&unrendered.problem))
}

/// How a reply names an environment: as the config has it, or, when the commenter named one no
/// target deploys to, without repeating their words.
pub fn called(environment: &Environment) -> String {
    match environment {
        Environment::Known(name) => format!("**{}**", inert(name)),
        Environment::Unknown(_) => "the environment you named".to_string(),
    }
}

pub fn dry_run(word: &str, environment: &Environment) -> String {
    format!("Dry run: would {word} {}.", called(environment))
}

pub fn dry_run_promote(sha: &str) -> String {
    format!("Dry run: would promote {} (the `{PROMOTION_CONTEXT}` status).", code(short_sha(sha)))
}

pub fn locked(environment: &Environment) -> String {
    match environment {
        Environment::Known(name) => format!("🔒 Locked {}: no deployment reaches it until {}.", called(environment), code(&format!("/unlock {name}"))),
        Environment::Unknown(_) => "🔒 Locked the environment you named: no deployment reaches it until it is unlocked. \
             (No target of this config deploys to an environment of that name for this pull request: check the name.)"
            .to_string(),
    }
}

/// Someone holds the lock: who and why, when the lock says.
pub fn already_locked(environment: &Environment, lock: Option<&Lock>) -> String {
    let held = lock.map_or_else(|| "locked".to_string(), |lock| inert(&lock.describe()));
    capitalized(&format!("{} is already {held}.", called(environment)))
}

pub fn unlocked(environment: &Environment) -> String {
    format!("🔓 Unlocked {}.", called(environment))
}

pub fn not_locked(environment: &Environment) -> String {
    capitalized(&format!("{} was not locked.", called(environment)))
}

pub fn promoted(sha: &str) -> String {
    format!("✅ Promoted {}: it has the `{PROMOTION_CONTEXT}` status now, so targets that require it deploy it on their next event.", code(short_sha(sha)))
}

/// What became of `/deploy`'s target (its one row).
pub fn deployed(row: Option<&Row>, context: &RunContext) -> String {
    let Some(row) = row else { return "Nothing to deploy.".to_string() };
    let sha = code(short_sha(&row.sha));
    let page = format!("{}/{}/deployments/{}", context.server_url, context.repository, crate::github::encode(&row.environment));
    let environment = format!("[{}]({page})", inert(&row.environment));
    let again = code(&format!("/deploy {}", row.target));
    match &row.decision {
        Decision::Created { id, .. } => match &row.note {
            Some(note) => format!("🚀 Deploying {sha} to {environment} (deployment {id}); {}.", inert(note)),
            None => format!("🚀 Deploying {sha} to {environment} (deployment {id})."),
        },
        Decision::WouldCreate => format!("Dry run: would deploy {sha} to {environment}."),
        Decision::Waiting { contexts } => format!(
            "⏳ Not deployed: {sha} is waiting for {}. Run {again} again once they pass (or {} to skip the checks, if you may).",
            inert(&contexts.join(", ")),
            code(&format!("/deploy {} --force", row.target))
        ),
        Decision::Blocked { contexts } => format!("⛔ Not deployed: {} failed on {sha}. Fix or re-run them, then {again} again.", inert(&contexts.join(", "))),
        Decision::Locked { description } => format!("🔒 Not deployed: {}. {} lifts it.", inert(description), code(&format!("/unlock {}", row.environment))),
        Decision::Frozen { until } => format!(
            "❄️ Not deployed: {} is frozen until {}. Run {again} again then (or an admin's {} deploys now).",
            inert(&row.target),
            inert(until),
            code(&format!("/deploy {} --force", row.target))
        ),
        Decision::Failed { reason } => format!("❌ Could not deploy {}: {}", code(&row.target), inert(reason)),
        other => format!("Not deployed: {}.", inert(&other.reason())),
    }
}

/// `problems`: one `path:line:column: message` per line.
pub fn config_problems(problems: &str) -> String {
    format!("❌ The deploy config has problems, so I did nothing:\n\n{}", fenced(problems))
}

pub fn config_unreadable(problem: &str) -> String {
    format!("❌ I could not read the deploy config: {}", inert(problem))
}

pub fn no_config(path: &str) -> String {
    format!("There is no {} on the default branch: there are no targets to deploy.", code(path))
}

/// The job summary: who asked what (the comment's first line, as code), and the reply.
pub fn summary(user: &str, first_line: &str, reply: &str) -> String {
    format!("### Deliverybot\n\n@{user}: {}\n\n{reply}\n", code(first_line))
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_quotes_the_comment_as_code() {
        let summary = summary("stranger", "/deploy ![x](http://evil) @org/team", "Sorry");
        assert_eq!(summary, "### Deliverybot\n\n@stranger: `/deploy ![x](http://evil) @org/team`\n\nSorry\n");
    }

    #[test]
    fn malformed_commands_are_explained_with_the_command_word_only() {
        assert_eq!(malformed(Malformed::DeployFlag), "`/deploy` has one flag, `--force` (skip the required checks). `/help` lists the commands.");
        assert_eq!(malformed(Malformed::Flag("help")), "`/help` takes no flags. `/help` lists the commands.");
        assert_eq!(malformed(Malformed::LockNothing), "`/lock` needs an environment or a target: `/lock production [reason]`. `/help` lists the commands.");
    }

    #[test]
    fn an_environment_no_target_has_is_never_repeated() {
        let known = Environment::Known("staging".into());
        let unknown = Environment::Unknown("![x](http://evil)".into());
        assert_eq!(locked(&known), "🔒 Locked **staging**: no deployment reaches it until `/unlock staging`.");
        for text in [locked(&unknown), unlocked(&unknown), not_locked(&unknown), already_locked(&unknown, None), dry_run("lock", &unknown)] {
            assert!(!text.contains("evil"), "{text}");
        }
        assert_eq!(not_locked(&unknown), "The environment you named was not locked.");
        assert_eq!(not_locked(&known), "**staging** was not locked.");
    }

    #[test]
    fn a_locks_record_is_shown_inert() {
        let lock = Lock { environment: "staging".into(), by: "writer".into(), reason: "see [x](http://evil) @org/team".into(), pr: Some(2), since: "2026-11-26T10:00:00Z".into() };
        assert_eq!(
            already_locked(&Environment::Known("staging".into()), Some(&lock)),
            "**staging** is already locked by @\u{200D}writer since 2026-11-26T10:00:00Z (from #2): see \\[x\\](http://evil) @\u{200D}org/team."
        );
    }
}
