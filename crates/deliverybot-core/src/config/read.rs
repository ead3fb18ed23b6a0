//! From the YAML tree to a [`Config`]: the targets in file order, each target's keys checked
//! against the known ones (the legacy `deployments:` entry folded in), each value read by its key's
//! reader, and every problem kept, so that all of them are reported at once.

use super::keys::{self, LEGACY_KEYS, SETTINGS_KEY, TARGET_KEYS};
use super::settings::read_settings;
use super::value::{boolean, expected, payload_map, role, strings, template, trigger};
use super::{Config, Role, Settings, Target};
use crate::diagnostic::{Diagnostic, Pos};
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
    let mut errors = Vec::new();
    let mut settings = Settings::default();
    let targets = match root {
        None => Vec::new(),
        Some(Node { value: Value::Map(entries), .. }) => read_targets(entries, &mut settings, &mut errors),
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
    if errors.is_empty() {
        return Ok(Config { targets, settings });
    }
    errors.sort_by_key(|d| d.pos);
    Err(errors)
}

/// The top-level entries: targets in file order; `settings` and hidden (`.`) keys set aside.
fn read_targets(entries: Vec<(Node, Node)>, settings: &mut Settings, errors: &mut Vec<Diagnostic>) -> Vec<Target> {
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
        if let Some(target) = read_target(name, key.pos, fields, errors) {
            targets.push(target);
        }
    }
    targets
}

/// A target's fields, with the legacy `deployments: [...]` entry's folded in.
fn read_target(name: String, pos: Pos, fields: Vec<(Node, Node)>, errors: &mut Vec<Diagnostic>) -> Option<Target> {
    let before = errors.len();
    let mut fields = keys::checked(fields, TARGET_KEYS, &format!("in target `{name}`"), errors);
    if let Some(at) = fields.iter().position(|(key, _)| key.as_str() == Some("deployments")) {
        let (key, list) = fields.remove(at);
        fields.extend(legacy_entry(&name, key, list, &fields, errors));
    }
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
    };
    for (key, value) in fields {
        let field = key.as_str().unwrap_or_default();
        if matches!(value.value, Value::Null) {
            // `environment:` with nothing after it leaves the default, as the schema allows.
            continue;
        }
        let result = match field {
            "auto_deploy_on" => trigger(&value).map(|t| target.auto_deploy_on = Some(t)),
            "environment" => template(&value, field, Place::Environment).map(|t| target.environment = t),
            "task" => template(&value, field, Place::Other).map(|t| target.task = t),
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
            _ => unreachable!("keys::checked keeps known keys only"),
        };
        if let Err(found) = result {
            errors.extend(found);
        }
    }
    (errors.len() == before).then_some(target)
}

/// The original's legacy form: `deployments: [ { environment: ..., ... } ]` inside a target. The
/// entry's keys all apply (the original dropped some of them silently); more than one entry is an
/// error, as a target is one deployment.
fn legacy_entry(target: &str, key: Node, list: Node, fields: &[(Node, Node)], errors: &mut Vec<Diagnostic>) -> Vec<(Node, Node)> {
    let items = match list.value {
        Value::Seq(items) => items,
        _ => {
            errors.push(expected(&list, "deployments", "a list with one entry (the legacy form)"));
            return Vec::new();
        }
    };
    if items.len() > 1 {
        errors.push(Diagnostic::at(
            items[1].pos,
            format!(
                "target `{target}` lists {} deployments; a target is one deployment. Make each entry a target of its own (for example `{target}-{}:`), with its keys directly under the target name",
                items.len(),
                2
            ),
        ));
        return Vec::new();
    }
    let Some(entry) = items.into_iter().next() else {
        errors.push(Diagnostic::at(key.pos, "`deployments` is empty; remove it, and put the deployment's keys directly under the target"));
        return Vec::new();
    };
    let entry_fields = match entry.value {
        Value::Map(entries) => entries,
        _ => {
            errors.push(expected(&entry, "deployments", "a list of maps (the legacy form)"));
            return Vec::new();
        }
    };
    keys::checked(entry_fields, LEGACY_KEYS, "in a `deployments` entry", errors)
        .into_iter()
        .filter(|(entry_key, _)| {
            let name = entry_key.as_str().unwrap_or_default();
            let clash = fields.iter().any(|(k, _)| k.as_str() == Some(name));
            if clash {
                errors.push(Diagnostic::at(entry_key.pos, format!("`{name}` is set both on target `{target}` and in its `deployments` entry; keep one")));
            }
            !clash
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{errors, Trigger};
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
                "2:3: unknown key `enviroment` in target `staging`; did you mean `environment`?",
                "3:15: `auto_merge` must be true or false; this is the string \"sometimes\"",
                "5:22: `required_contexts` must be a list of check names, like `[ci, security]`; this is the string \"ci\"",
                "6:19: `auto_deploy_on` is a full ref (like `refs/heads/main`) or `pr`; `main` would never match",
                "7:3: unknown key `colour` in target `production`; the keys are `auto_deploy_on`, `environment`, `task`, `description`, `payload`, `auto_merge`, `required_contexts`, `transient_environment`, `production_environment`, `deployments`, `allow_forks`, `allow_drafts`, `permission`",
            ]
        );
    }

    #[test]
    fn shapes_that_are_not_a_config_say_what_they_are() {
        assert_eq!(errors("- staging\n"), ["1:1: a config is a map of target names to targets, like `staging: { environment: staging }`; this is a list"]);
        assert_eq!(errors("staging: yes\n"), ["1:10: target `staging` is a map of settings (or empty); this is the string \"yes\""]);
        assert_eq!(errors("1: {}\n"), ["1:1: a target name is text; this is the number 1"]);
        assert_eq!(errors("a:\n  environment: ''\n"), ["2:16: `environment` cannot be empty"]);
    }

    #[test]
    fn the_legacy_deployments_list_applies_all_its_keys() {
        let text = "\
production:
  auto_deploy_on: refs/heads/main
  deployments:
    - environment: prod
      required_contexts: [ci]
      transient_environment: true
      production_environment: true
      payload: { a: 1 }
";
        let target = Config::parse(text).unwrap().targets.remove(0);
        assert_eq!(target.environment, Template::literal("prod", Pos { line: 4, column: 20 }));
        assert_eq!(target.required_contexts, ["ci"]);
        assert_eq!((target.transient_environment, target.production_environment), (Some(true), Some(true)));
        assert_eq!(target.payload.len(), 1);
    }

    #[test]
    fn the_legacy_form_with_several_entries_explains_the_modern_form() {
        let text = "web:\n  deployments:\n    - environment: a\n    - environment: b\n";
        assert_eq!(
            errors(text),
            ["4:7: target `web` lists 2 deployments; a target is one deployment. Make each entry a target of its own (for example `web-2:`), with its keys directly under the target name"]
        );
        assert_eq!(
            errors("web:\n  environment: x\n  deployments:\n    - environment: y\n      tsk: deploy\n"),
            [
                "4:7: `environment` is set both on target `web` and in its `deployments` entry; keep one",
                "5:7: unknown key `tsk` in a `deployments` entry; did you mean `task`?",
            ]
        );
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
        let err = errors(text);
        assert_eq!(err, ["3:3: unknown key `colour` in target `web`; the keys are `auto_deploy_on`, `environment`, `task`, `description`, `payload`, `auto_merge`, `required_contexts`, `transient_environment`, `production_environment`, `deployments`, `allow_forks`, `allow_drafts`, `permission`"]);
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
