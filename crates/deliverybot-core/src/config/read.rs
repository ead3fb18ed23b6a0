//! From the YAML tree to a [`Config`]: the targets in file order, each target's keys checked
//! against the known ones (the legacy `deployments:` entry folded in), each value read by its key's
//! reader, and every problem kept, so that all of them are reported at once: the errors, which
//! refuse the config, and the warnings about what the original Deliverybot accepted and this reader
//! ignores, which do not.

use super::duration::duration;
use super::freeze;
use super::keys::{self, SETTINGS_KEY, TARGET_KEYS};
use super::legacy;
use super::params;
use super::pipeline;
use super::paths;
use super::settings::read_settings;
use super::value::{boolean, expected, one_line_template, payload_map, role, strings, template, trigger};
use super::{Config, Role, Settings, Target};
use crate::diagnostic::{Diagnostic, Pos};
use crate::params::Params;
use crate::template::{Place, Template};
use crate::yaml::{self, Node, Value};

impl Config {
    /// Reads a config; all of its problems, in file order, when it has any.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let root = yaml::parse(text).map_err(|err| vec![err])?;
        read_config(root)
    }
}

/// The config a document holds (`None`: an empty file), or all of its problems in file order.
fn read_config(root: Option<Node>) -> Result<Config, Vec<Diagnostic>> {
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let mut settings = Settings::default();
    let targets = match root {
        None => Vec::new(),
        Some(Node { value: Value::Map(entries), .. }) => read_targets(entries, &mut settings, &mut errors, &mut warnings),
        Some(other) => {
            errors.push(Diagnostic::at(
                other.pos,
                format!("a config is a map of target names to targets, like `staging: {{ environment: staging }}`; this is {}", other.describe()),
            ));
            Vec::new()
        }
    };
    if let Some(default) = &settings.commands.default_target {
        if !targets.iter().any(|t| t.name == *default) {
            errors.push(Diagnostic { pos: None, message: format!("`settings.commands.default_target` is `{default}`, which is not a target") });
        }
    }
    pipeline::check_chains(&targets, &mut errors);
    if errors.is_empty() {
        warnings.sort_by_key(|d| d.pos);
        return Ok(Config { targets, settings, warnings });
    }
    errors.sort_by_key(|d| d.pos);
    Err(errors)
}

/// The top-level entries: targets in file order; `settings` and hidden (`.`) keys set aside.
fn read_targets(entries: Vec<(Node, Node)>, settings: &mut Settings, errors: &mut Vec<Diagnostic>, warnings: &mut Vec<Diagnostic>) -> Vec<Target> {
    let mut targets = Vec::new();
    for (key, value) in entries {
        let Some(name) = key.as_str().map(str::to_string) else {
            errors.push(Diagnostic::at(key.pos, format!("a target name is text; this is {}", key.describe())));
            continue;
        };
        if name.trim().is_empty() {
            errors.push(Diagnostic::at(key.pos, "a target name cannot be empty"));
            continue;
        }
        if name == SETTINGS_KEY {
            *settings = read_settings(value, errors);
            continue;
        }
        if name.starts_with('.') {
            // Hidden, as in GitLab CI: a place for YAML anchors (`.defaults: &defaults`) that
            // targets merge in with `<<: *defaults`, never a target itself.
            continue;
        }
        let fields = match value.value {
            // `production:` alone is a target with every default.
            Value::Null => Vec::new(),
            Value::Map(fields) => fields,
            _ => {
                errors.push(Diagnostic::at(value.pos, format!("target `{name}` is a map of settings (or empty); this is {}", value.describe())));
                continue;
            }
        };
        if let Some(target) = read_target(name, key.pos, fields, errors, warnings) {
            targets.push(target);
        }
    }
    targets
}

/// A target's fields, with the legacy `deployments: [...]` entry's folded in.
fn read_target(name: String, pos: Pos, fields: Vec<(Node, Node)>, errors: &mut Vec<Diagnostic>, warnings: &mut Vec<Diagnostic>) -> Option<Target> {
    let before = errors.len();
    let fields = keys::known(fields, TARGET_KEYS, &format!("in target `{name}`"), errors, warnings);
    let fields = legacy::fold(&name, fields, errors, warnings);
    let mut target = Target {
        name,
        pos,
        auto_deploy_on: None,
        environment: Template::literal("production", pos),
        task: Template::literal("deploy", pos),
        description: None,
        payload: Vec::new(),
        // GitHub's default is to merge the default branch into the ref first; deploying something
        // other than what was pushed surprises people, so Deliverybot's default is off.
        auto_merge: false,
        required_contexts: Vec::new(),
        transient_environment: None,
        production_environment: None,
        allow_forks: false,
        allow_drafts: false,
        permission: Role::Read,
        params: Params::Any,
        after: None,
        serialize: false,
        paths: paths::Paths::default(),
        freeze: Vec::new(),
    };
    let (mut upstream, mut soak) = (None, None);
    for (key, value) in fields {
        let field = key.as_str().unwrap_or_default();
        if matches!(value.value, Value::Null) {
            // `environment:` with nothing after it leaves the default, as the schema allows.
            continue;
        }
        let result = match field {
            "auto_deploy_on" => trigger(&value).map(|t| target.auto_deploy_on = Some(t)),
            "environment" => one_line_template(&value, field, Place::Environment).map(|t| target.environment = t),
            "task" => one_line_template(&value, field, Place::Other).map(|t| target.task = t),
            "description" => template(&value, field, Place::Other).map(|t| target.description = Some(t)),
            "payload" => match value.value {
                Value::Map(entries) => payload_map(entries).map(|p| target.payload = p),
                Value::Null => Ok(()),
                _ => Err(vec![expected(&value, field, "a map, like `payload: { region: eu }`")]),
            },
            "auto_merge" => boolean(&value, field).map(|b| target.auto_merge = b),
            "required_contexts" => strings(&value, field).map(|list| target.required_contexts = list),
            "transient_environment" => boolean(&value, field).map(|b| target.transient_environment = Some(b)),
            "production_environment" => boolean(&value, field).map(|b| target.production_environment = Some(b)),
            "allow_forks" => boolean(&value, field).map(|b| target.allow_forks = b),
            "allow_drafts" => boolean(&value, field).map(|b| target.allow_drafts = b),
            "permission" => role(&value, field).map(|r| target.permission = r),
            "params" => params::params(value).map(|p| target.params = p),
            "after" => pipeline::upstream(&value).map(|u| upstream = Some(u)),
            "soak" => duration(&value, field).map(|d| soak = Some((d, value.pos))),
            "serialize" => boolean(&value, field).map(|b| target.serialize = b),
            "paths" => paths::patterns(&value, field).map(|p| target.paths.include = Some(p)),
            "paths_ignore" => paths::patterns(&value, field).map(|p| target.paths.ignore = Some(p)),
            "freeze" => {
                let mut found = Vec::new();
                target.freeze = freeze::windows(&value, &mut found);
                if found.is_empty() { Ok(()) } else { Err(found) }
            }
            _ => unreachable!("keys::known and legacy::fold keep known keys only"),
        };
        if let Err(found) = result {
            errors.extend(found);
        }
    }
    if target.auto_deploy_on.is_some() {
        for param in target.params.declared().iter().filter(|p| p.required) {
            errors.push(Diagnostic::at(
                param.pos,
                format!("parameter `{}` is required, but target `{}` also deploys automatically (`auto_deploy_on`), where no one gives parameters: give it a `default` instead", param.name, target.name),
            ));
        }
    }
    target.after = pipeline::after(upstream, soak, errors);
    (errors.len() == before).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::super::{errors, warnings, Trigger};
    use super::*;

    #[test]
    fn targets_keep_file_order_and_defaults() {
        let config = Config::parse("staging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\nproduction:\n").unwrap();
        let names: Vec<_> = config.targets.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["staging", "production"]);
        let production = config.target("production").unwrap();
        assert_eq!(production.environment, Template::literal("production", Pos { line: 4, column: 1 }));
        assert_eq!(production.task, Template::literal("deploy", Pos { line: 4, column: 1 }));
        assert_eq!(production.auto_deploy_on, None);
        assert!(!production.auto_merge);
        assert!(production.required_contexts.is_empty());
        assert!(production.payload.is_empty());
        assert_eq!(production.description, None);
        assert_eq!((production.transient_environment, production.production_environment), (None, None));
    }

    #[test]
    fn every_key_is_read() {
        let text = "\
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
review:
  auto_deploy_on: pr
";
        let config = Config::parse(text).unwrap();
        let canary = &config.targets[0];
        assert_eq!(canary.auto_deploy_on, Some(Trigger::Ref("refs/heads/main".into())));
        assert_eq!(canary.environment, Template::literal("prod-canary", Pos { line: 3, column: 16 }));
        assert_eq!(canary.task, Template::literal("deploy:canary", Pos { line: 4, column: 9 }));
        assert!(canary.description.is_some());
        assert_eq!(canary.payload.len(), 2);
        assert!(canary.auto_merge);
        assert_eq!(canary.required_contexts, ["ci", "security"]);
        assert_eq!((canary.transient_environment, canary.production_environment), (Some(true), Some(false)));
        assert_eq!(config.targets[1].auto_deploy_on, Some(Trigger::PullRequest));
    }

    #[test]
    fn an_empty_file_has_no_targets() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
        assert_eq!(Config::parse("# nothing yet\n").unwrap(), Config::default());
    }

    #[test]
    fn every_problem_is_reported_with_its_position() {
        let text = "\
staging:
  enviroment: staging
  auto_merge: sometimes
production:
  required_contexts: ci
  auto_deploy_on: main
  colour: blue
";
        assert_eq!(
            errors(text),
            [
                "3:15: `auto_merge` must be true or false; this is the string \"sometimes\"",
                "5:22: `required_contexts` must be a list of check names, like `[ci, security]`; this is the string \"ci\"",
                "6:19: `auto_deploy_on` is a full ref (like `refs/heads/main`) or `pr`; `main` would never match",
            ]
        );
    }

    #[test]
    fn unknown_keys_are_ignored_with_a_warning_as_the_original_ignored_them() {
        let text = "\
staging:
  enviroment: staging
  auto_merge: true
production:
  colour: blue
  required_contexts: [ci]
";
        let config = Config::parse(text).unwrap();
        assert_eq!(
            config.warnings.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
            [
                "2:3: unknown key `enviroment` in target `staging` is ignored; did you mean `environment`?",
                "5:3: unknown key `colour` in target `production` is ignored; the keys are `auto_deploy_on`, `environment`, `task`, `description`, `payload`, `auto_merge`, `required_contexts`, `transient_environment`, `production_environment`, `deployments`, `allow_forks`, `allow_drafts`, `permission`, `params`, `after`, `soak`, `serialize`, `paths`, `paths_ignore`, `freeze`",
            ]
        );
        // The misspelt key is not read: the environment keeps its default.
        let staging = config.target("staging").unwrap();
        assert_eq!(staging.environment, Template::literal("production", Pos { line: 1, column: 1 }));
        assert!(staging.auto_merge);
        assert_eq!(config.target("production").unwrap().required_contexts, ["ci"]);
    }

    #[test]
    fn warnings_are_in_file_order_across_targets_and_their_legacy_entries() {
        let text = "a:
  deployments:
    - tsk: x
      environment: e
  colr: 1
b:
  zz: 1
";
        assert_eq!(
            warnings(text),
            [
                "3:7: unknown key `tsk` in a `deployments` entry is ignored; did you mean `task`?",
                "5:3: unknown key `colr` in target `a` is ignored; the keys are `auto_deploy_on`, `environment`, `task`, `description`, `payload`, `auto_merge`, `required_contexts`, `transient_environment`, `production_environment`, `deployments`, `allow_forks`, `allow_drafts`, `permission`, `params`, `after`, `soak`, `serialize`, `paths`, `paths_ignore`, `freeze`",
                "7:3: unknown key `zz` in target `b` is ignored; the keys are `auto_deploy_on`, `environment`, `task`, `description`, `payload`, `auto_merge`, `required_contexts`, `transient_environment`, `production_environment`, `deployments`, `allow_forks`, `allow_drafts`, `permission`, `params`, `after`, `soak`, `serialize`, `paths`, `paths_ignore`, `freeze`",
            ]
        );
        assert!(Config::parse("a:
  environment: e
").unwrap().warnings.is_empty());
    }

    #[test]
    fn shapes_that_are_not_a_config_say_what_they_are() {
        assert_eq!(errors("- staging\n"), ["1:1: a config is a map of target names to targets, like `staging: { environment: staging }`; this is a list"]);
        assert_eq!(errors("staging: yes\n"), ["1:10: target `staging` is a map of settings (or empty); this is the string \"yes\""]);
        assert_eq!(errors("1: {}\n"), ["1:1: a target name is text; this is the number 1"]);
        assert_eq!(errors("a:\n  environment: ''\n"), ["2:16: `environment` cannot be empty"]);
    }

    #[test]
    fn a_key_without_a_value_keeps_its_default() {
        let target = Config::parse("web:\n  environment:\n  auto_merge: ~\n").unwrap().targets.remove(0);
        assert_eq!(target.environment, Template::literal("production", Pos { line: 1, column: 1 }));
        assert!(!target.auto_merge);
    }

    #[test]
    fn keys_starting_with_a_dot_hold_shared_settings_and_are_not_targets() {
        let text = ".defaults: &defaults\n  task: ship\n  colour: any\nweb:\n  <<: *defaults\n  environment: web\n";
        // A merged key is reported where it is written.
        assert_eq!(warnings(text), ["3:3: unknown key `colour` in target `web` is ignored; the keys are `auto_deploy_on`, `environment`, `task`, `description`, `payload`, `auto_merge`, `required_contexts`, `transient_environment`, `production_environment`, `deployments`, `allow_forks`, `allow_drafts`, `permission`, `params`, `after`, `soak`, `serialize`, `paths`, `paths_ignore`, `freeze`"]);
        let config = Config::parse(".defaults: &d\n  task: ship\nweb:\n  <<: *d\n").unwrap();
        assert_eq!(config.targets.len(), 1);
        assert_eq!(config.targets[0].task, Template::literal("ship", Pos { line: 2, column: 9 }));
    }

    #[test]
    fn yaml_problems_come_through_with_their_position() {
        assert_eq!(errors("a: 1\na: 2\n"), ["2:1: `a` is set twice in this map"]);
        assert!(errors("a: [\n")[0].contains("invalid YAML"));
    }
}
