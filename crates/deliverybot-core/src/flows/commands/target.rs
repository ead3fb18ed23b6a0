//! Which target a command means, and which environment `/lock` and `/unlock` act on.

use crate::config::{Config, Target};
use crate::deployment::{environment_of, Source};
use crate::locks;

/// A target by name: its exact name, else the one target whose name matches ignoring case.
pub fn find_target(targets: &[Target], name: &str) -> Option<usize> {
    targets.iter().position(|t| t.name == name).or_else(|| {
        let mut folded = targets.iter().enumerate().filter(|(_, t)| t.name.eq_ignore_ascii_case(name)).map(|(i, _)| i);
        match (folded.next(), folded.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    })
}

/// What `/deploy` deploys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aim {
    /// This target (an index into the config's targets).
    Target(usize),
    /// No target named, and no `settings.commands.default_target`.
    NotNamed,
    /// No target has that name.
    Unknown,
    /// The pull request comes from a fork and the target does not deploy forks: the head is the
    /// fork author's to move, even after the comment was written.
    Fork(usize),
}

/// The target of `/deploy [target]` for a pull request (from a fork or not).
pub fn aim(config: &Config, named: Option<&str>, fork: bool) -> Aim {
    let Some(name) = named.or(config.settings.commands.default_target.as_deref()) else { return Aim::NotNamed };
    match find_target(&config.targets, name) {
        None => Aim::Unknown,
        Some(index) if fork && !config.targets[index].allow_forks => Aim::Fork(index),
        Some(index) => Aim::Target(index),
    }
}

/// The environment `/lock <name>` or `/unlock <name>` acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// A target's environment for this pull request, or a name some target deploys to for it (as
    /// the config spells it).
    Known(String),
    /// A name no target deploys to for this pull request: the commenter's own words.
    Unknown(String),
}

impl Environment {
    pub fn name(&self) -> &str {
        match self {
            Environment::Known(name) | Environment::Unknown(name) => name,
        }
    }
}

/// A target whose environment cannot be rendered for this pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrendered {
    pub target: String,
    pub problem: String,
}

/// A target's name stands for its environment; any other name is an environment itself.
pub fn environment(config: &Config, name: &str, source: &Source) -> Result<Environment, Unrendered> {
    if let Some(index) = find_target(&config.targets, name) {
        let target = &config.targets[index];
        return environment_of(target, source).map(Environment::Known).map_err(|errors| Unrendered { target: target.name.clone(), problem: errors[0].message.clone() });
    }
    let known = config.targets.iter().filter_map(|t| environment_of(t, source).ok()).find(|e| locks::same_environment(e, name));
    Ok(known.map_or_else(|| Environment::Unknown(name.to_string()), Environment::Known))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CONFIG: &str = "\
settings:
  commands:
    default_target: review
review:
  environment: pr${{ pr }}
  allow_forks: true
staging:
  environment: staging
Staging-EU:
  environment: staging-eu
STAGING-eu:
  environment: staging-eu-2
broken:
  environment: ${{ pull_request.nothing_here }}
";

    fn config() -> Config {
        Config::parse(CONFIG).unwrap()
    }

    #[test]
    fn a_target_is_its_exact_name_else_its_only_match_ignoring_case() {
        let config = config();
        assert_eq!(find_target(&config.targets, "staging"), Some(1));
        assert_eq!(find_target(&config.targets, "STAGING"), Some(1));
        assert_eq!(find_target(&config.targets, "Staging-EU"), Some(2));
        assert_eq!(find_target(&config.targets, "staging-eu"), None, "two targets match ignoring case");
        assert_eq!(find_target(&config.targets, "prod"), None);
    }

    #[test]
    fn deploy_aims_at_the_named_target_or_the_default_and_not_at_forks_unless_allowed() {
        let config = config();
        assert_eq!(aim(&config, Some("staging"), false), Aim::Target(1));
        assert_eq!(aim(&config, None, false), Aim::Target(0), "settings.commands.default_target");
        assert_eq!(aim(&config, Some("prod"), false), Aim::Unknown);
        assert_eq!(aim(&config, Some("staging"), true), Aim::Fork(1));
        assert_eq!(aim(&config, Some("review"), true), Aim::Target(0), "allow_forks");
        assert_eq!(aim(&Config::parse("staging: {}\n").unwrap(), None, false), Aim::NotNamed);
    }

    #[test]
    fn a_name_is_a_targets_environment_a_known_environment_or_an_unknown_one() {
        let config = config();
        let pr = json!({ "number": 12 });
        let source = Source {
            git_ref: "refs/heads/feature",
            sha: "a1b2c3d4",
            event_name: "issue_comment",
            run_url: "https://github.com/octo/app/actions/runs/1",
            run_id: "1",
            owner: "octo",
            repo: "app",
            actor: "writer",
            pull_request: Some(&pr),
            commit: None,
        };
        assert_eq!(environment(&config, "review", &source), Ok(Environment::Known("pr12".into())));
        assert_eq!(environment(&config, "Review", &source), Ok(Environment::Known("pr12".into())));
        assert_eq!(environment(&config, "PR12", &source), Ok(Environment::Known("pr12".into())), "as the config spells it");
        assert_eq!(environment(&config, "prodution", &source), Ok(Environment::Unknown("prodution".into())));
        let Err(unrendered) = environment(&config, "broken", &source) else { panic!("renders") };
        assert_eq!(unrendered.target, "broken");

        let regions = Config::parse("paris:\n  environment: Île-de-France\nsummer:\n  environment: ÉTÉ\n").unwrap();
        assert_eq!(environment(&regions, "ÎLE-DE-FRANCE", &source), Ok(Environment::Known("Île-de-France".into())), "the same environment beyond ASCII");
        assert_eq!(environment(&regions, "été", &source), Ok(Environment::Known("ÉTÉ".into())));
        assert_eq!(environment(&regions, "ete", &source), Ok(Environment::Unknown("ete".into())));
    }
}
