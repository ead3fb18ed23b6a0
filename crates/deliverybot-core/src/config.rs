//! `.github/deploy.yml`: a map of target name → target, as in the original Deliverybot.
//!
//! ```yaml
//! staging:
//!   auto_deploy_on: refs/heads/main
//!   environment: staging
//! production:
//!   auto_deploy_on: refs/tags/v*
//!   required_contexts: [ci]
//! ```

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt;

/// The targets of a config, in the order the file lists them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    pub targets: Vec<Target>,
}

/// One deploy target with every default applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub name: String,
    /// The ref pattern that deploys automatically; `None` for targets deployed only on request.
    pub auto_deploy_on: Option<String>,
    pub environment: String,
    pub task: String,
    pub description: Option<String>,
    pub payload: serde_json::Map<String, serde_json::Value>,
    pub auto_merge: bool,
    pub required_contexts: Vec<String>,
    /// `None`: leave it to GitHub's default (the key is not sent).
    pub transient_environment: Option<bool>,
    /// `None`: leave it to GitHub's default (the key is not sent).
    pub production_environment: Option<bool>,
}

/// A config that cannot be used, with the position of the problem when known (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{line}:{column}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// A target as written in the file; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetSpec {
    auto_deploy_on: Option<String>,
    environment: Option<String>,
    task: Option<String>,
    description: Option<String>,
    payload: Option<serde_json::Map<String, serde_json::Value>>,
    auto_merge: Option<bool>,
    required_contexts: Option<Vec<String>>,
    transient_environment: Option<bool>,
    production_environment: Option<bool>,
}

impl Target {
    fn from_spec(name: String, spec: TargetSpec) -> Target {
        Target {
            name,
            auto_deploy_on: spec.auto_deploy_on,
            environment: spec.environment.unwrap_or_else(|| "production".to_string()),
            task: spec.task.unwrap_or_else(|| "deploy".to_string()),
            description: spec.description,
            payload: spec.payload.unwrap_or_default(),
            // GitHub's default is to merge the default branch into the ref first; deploying
            // something other than what was pushed surprises people, so Deliverybot's default is off.
            auto_merge: spec.auto_merge.unwrap_or(false),
            required_contexts: spec.required_contexts.unwrap_or_default(),
            transient_environment: spec.transient_environment,
            production_environment: spec.production_environment,
        }
    }
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        match serde_yaml::from_str::<Targets>(text) {
            Ok(Targets(targets)) => Ok(Config { targets }),
            Err(err) => {
                let location = err.location();
                Err(ConfigError {
                    message: err.to_string().split(" at line ").next().unwrap_or_default().to_string(),
                    line: location.as_ref().map(|l| l.line()),
                    column: location.as_ref().map(|l| l.column()),
                })
            }
        }
    }

    pub fn target(&self, name: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.name == name)
    }
}

/// The top-level mapping, read entry by entry so that file order is kept and a duplicate target is
/// an error rather than a silent override.
struct Targets(Vec<Target>);

impl<'de> Deserialize<'de> for Targets {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Targets, D::Error> {
        deserializer.deserialize_any(TargetsVisitor)
    }
}

struct TargetsVisitor;

impl<'de> Visitor<'de> for TargetsVisitor {
    type Value = Targets;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of target name to target, like `staging: { environment: staging }`")
    }

    /// An empty file has no targets.
    fn visit_unit<E: de::Error>(self) -> Result<Targets, E> {
        Ok(Targets(Vec::new()))
    }

    fn visit_none<E: de::Error>(self) -> Result<Targets, E> {
        Ok(Targets(Vec::new()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Targets, A::Error> {
        let mut targets: Vec<Target> = Vec::new();
        let mut names = BTreeSet::new();
        while let Some(name) = map.next_key::<String>()? {
            if name.trim().is_empty() {
                return Err(de::Error::custom("a target name cannot be empty"));
            }
            if !names.insert(name.clone()) {
                return Err(de::Error::custom(format!("target `{name}` is defined twice")));
            }
            // `production:` with no body is a target with every default.
            let spec = map.next_value::<Option<TargetSpec>>()?.unwrap_or_default();
            targets.push(Target::from_spec(name, spec));
        }
        Ok(Targets(targets))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_keep_file_order_and_defaults() {
        let config = Config::parse("staging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\nproduction:\n").unwrap();
        let names: Vec<_> = config.targets.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["staging", "production"]);
        let production = config.target("production").unwrap();
        assert_eq!(production.environment, "production");
        assert_eq!(production.task, "deploy");
        assert_eq!(production.auto_deploy_on, None);
        assert!(!production.auto_merge);
        assert!(production.required_contexts.is_empty());
        assert!(production.payload.is_empty());
        assert_eq!(production.transient_environment, None);
        assert_eq!(production.production_environment, None);
    }

    #[test]
    fn every_key_is_read() {
        let text = r#"
canary:
  auto_deploy_on: refs/heads/main
  environment: prod-canary
  task: deploy:canary
  description: Canary rollout
  payload:
    weight: 10
    regions: [eu, us]
  auto_merge: true
  required_contexts: [ci, security]
  transient_environment: true
  production_environment: false
"#;
        let target = Config::parse(text).unwrap().targets.remove(0);
        assert_eq!(target.environment, "prod-canary");
        assert_eq!(target.task, "deploy:canary");
        assert_eq!(target.description.as_deref(), Some("Canary rollout"));
        assert_eq!(serde_json::Value::Object(target.payload), serde_json::json!({"weight": 10, "regions": ["eu", "us"]}));
        assert!(target.auto_merge);
        assert_eq!(target.required_contexts, ["ci", "security"]);
        assert_eq!(target.transient_environment, Some(true));
        assert_eq!(target.production_environment, Some(false));
    }

    #[test]
    fn an_empty_file_has_no_targets() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
        assert_eq!(Config::parse("# nothing yet\n").unwrap(), Config::default());
    }

    #[test]
    fn unknown_keys_are_errors_with_their_position() {
        let err = Config::parse("staging:\n  enviroment: staging\n").unwrap_err();
        assert!(err.message.starts_with("staging: unknown field `enviroment`"), "{}", err.message);
        assert_eq!((err.line, err.column), (Some(2), Some(3)));
    }

    #[test]
    fn wrong_types_are_errors_with_their_position() {
        let err = Config::parse("staging:\n  auto_merge: sometimes\n").unwrap_err();
        assert!(err.message.contains("expected a boolean"), "{}", err.message);
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn a_list_at_the_top_is_not_a_config() {
        let err = Config::parse("- staging\n").unwrap_err();
        assert!(err.message.contains("a map of target name to target"), "{}", err.message);
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn a_target_defined_twice_is_an_error() {
        let err = Config::parse("a:\n  environment: x\na:\n  environment: y\n").unwrap_err();
        assert!(err.message.contains("target `a` is defined twice"), "{}", err.message);
    }
}
