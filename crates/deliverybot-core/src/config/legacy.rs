//! The original Deliverybot's legacy form: a target's deployment keys in a `deployments:` list.
//!
//! ```yaml
//! production:
//!   auto_deploy_on: refs/heads/main
//!   deployments:
//!     - environment: production
//!       required_contexts: [ci]
//! ```
//!
//! The original read it in `config()` of `packages/deploybot/src/deploy.ts`: it took the first entry
//! and ignored the others; for `task`, `auto_merge`, `payload`, `environment` and `description` it
//! kept the target's own value unless JavaScript found it falsy (`tar[field] = tar[field] ||
//! dep[field]`); the entry's other keys it dropped. Configs written for it are read the same way
//! here, each thing ignored a warning at its position. One deviation: the entry's
//! `required_contexts`, `transient_environment` and `production_environment` apply when the target
//! does not set them itself (the original dropped them silently, deploying without the checks the
//! entry asked for).

use super::keys::{self, LEGACY_KEYS, TARGET_KEYS};
use super::value::expected;
use crate::diagnostic::Diagnostic;
use crate::yaml::{Node, Value};

/// The keys the original took from the entry when the target's own value was falsy (its `||`).
const TAKEN_WITH_OR: &[&str] = &["task", "auto_merge", "payload", "environment", "description"];

/// A target's fields with its `deployments` entry folded in, as the original folded them.
pub(super) fn fold(target: &str, mut fields: Vec<(Node, Node)>, errors: &mut Vec<Diagnostic>, warnings: &mut Vec<Diagnostic>) -> Vec<(Node, Node)> {
    let Some(at) = fields.iter().position(|(key, _)| key.as_str() == Some("deployments")) else {
        return fields;
    };
    let (key, list) = fields.remove(at);
    for (entry_key, entry_value) in first_entry(target, key, list, errors, warnings) {
        let name = entry_key.as_str().unwrap_or_default();
        let Some(own) = fields.iter().position(|(k, _)| k.as_str() == Some(name)) else {
            fields.push((entry_key, entry_value));
            continue;
        };
        let both = format!("`{name}` is set both on target `{target}` and in its `deployments` entry");
        if TAKEN_WITH_OR.contains(&name) && !truthy(&fields[own].1) {
            let ignored = &fields[own].1;
            warnings.push(Diagnostic::at(fields[own].0.pos, format!("{both}; the entry's value is used, as the original Deliverybot did when the target's is {}", ignored.describe())));
            fields[own] = (entry_key, entry_value);
        } else {
            warnings.push(Diagnostic::at(entry_key.pos, format!("{both}; the target's value is used, as in the original Deliverybot, and the entry's is ignored")));
        }
    }
    fields
}

/// The fields of the list's first entry (none when it has none); the other entries are ignored.
fn first_entry(target: &str, key: Node, list: Node, errors: &mut Vec<Diagnostic>, warnings: &mut Vec<Diagnostic>) -> Vec<(Node, Node)> {
    let items = match list.value {
        Value::Seq(items) => items,
        // `deployments:` with nothing after it, like any key without a value.
        Value::Null => return Vec::new(),
        _ => {
            errors.push(expected(&list, "deployments", "a list with one entry (the legacy form)"));
            return Vec::new();
        }
    };
    if items.len() > 1 {
        warnings.push(Diagnostic::at(
            items[1].pos,
            format!(
                "target `{target}` lists {} deployments; only the first is used, as in the original Deliverybot. To deploy the others, make each a target of its own (for example `{target}-2:`), with its keys directly under the target name",
                items.len()
            ),
        ));
    }
    let Some(entry) = items.into_iter().next() else {
        warnings.push(Diagnostic::at(key.pos, format!("`deployments` is empty and ignored; put the deployment's keys directly under target `{target}`")));
        return Vec::new();
    };
    let entry_fields = match entry.value {
        Value::Map(entries) => entries,
        _ => {
            errors.push(expected(&entry, "deployments", "a list of maps (the legacy form)"));
            return Vec::new();
        }
    };
    // The target's own keys (`auto_deploy_on`, ...) mean nothing in the entry, as they did in the original.
    let (of_target, rest): (Vec<_>, Vec<_>) =
        entry_fields.into_iter().partition(|(k, _)| k.as_str().is_some_and(|k| TARGET_KEYS.contains(&k) && !LEGACY_KEYS.contains(&k)));
    for (k, _) in of_target {
        let name = k.as_str().unwrap_or_default();
        warnings.push(Diagnostic::at(k.pos, format!("`{name}` in a `deployments` entry is ignored, as in the original Deliverybot; set it on target `{target}` itself")));
    }
    keys::known(rest, LEGACY_KEYS, "in a `deployments` entry", errors, warnings)
}

/// Whether JavaScript's `||` would keep this value: all but `null`, `false`, `0`, NaN and `""`.
fn truthy(node: &Node) -> bool {
    match &node.value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Float(x) => *x != 0.0 && !x.is_nan(),
        Value::Str(text) => !text.value.is_empty(),
        Value::Seq(_) | Value::Map(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{errors, warnings, Config, Target};
    use crate::diagnostic::Pos;
    use crate::template::Template;

    fn target(text: &str) -> Target {
        Config::parse(text).unwrap_or_else(|e| panic!("{e:?}")).targets.remove(0)
    }

    #[test]
    fn every_key_of_the_entry_applies_when_the_target_does_not_set_it() {
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
        let production = target(text);
        assert_eq!(production.environment, Template::literal("prod", Pos { line: 4, column: 20 }));
        assert_eq!(production.required_contexts, ["ci"]);
        assert_eq!((production.transient_environment, production.production_environment), (Some(true), Some(true)));
        assert_eq!(production.payload.len(), 1);
        assert!(warnings(text).is_empty());
    }

    #[test]
    fn only_the_first_entry_is_used_and_the_others_are_ignored_unread() {
        let text = "web:\n  deployments:\n    - environment: a\n    - environment: b\n      colour: blue\n    - 3\n";
        assert_eq!(target(text).environment, Template::literal("a", Pos { line: 3, column: 20 }));
        assert_eq!(
            warnings(text),
            ["4:7: target `web` lists 3 deployments; only the first is used, as in the original Deliverybot. To deploy the others, make each a target of its own (for example `web-2:`), with its keys directly under the target name"]
        );
    }

    #[test]
    fn the_legacy_many_fixture_deploys_its_first_entry() {
        let text = include_str!("../../../../tests/fixtures/configs/legacy-many.yml");
        assert_eq!(target(text).environment, Template::literal("production", Pos { line: 3, column: 20 }));
        assert_eq!(
            warnings(text),
            ["4:7: target `production` lists 2 deployments; only the first is used, as in the original Deliverybot. To deploy the others, make each a target of its own (for example `production-2:`), with its keys directly under the target name"]
        );
    }

    #[test]
    fn the_target_s_value_wins_where_the_original_s_or_kept_it() {
        // `tar[field] || dep[field]`: a value JavaScript finds truthy on the target is kept.
        let text = "\
web:
  environment: x
  task: ship
  auto_merge: true
  payload: {}
  deployments:
    - environment: y
      task: deploy
      auto_merge: false
      payload: { a: 1 }
";
        let web = target(text);
        assert_eq!(web.environment, Template::literal("x", Pos { line: 2, column: 16 }));
        assert_eq!(web.task, Template::literal("ship", Pos { line: 3, column: 9 }));
        assert!(web.auto_merge);
        assert!(web.payload.is_empty(), "an empty map is truthy in JavaScript");
        let both = |key: &str| format!("`{key}` is set both on target `web` and in its `deployments` entry; the target's value is used, as in the original Deliverybot, and the entry's is ignored");
        assert_eq!(warnings(text), [format!("7:7: {}", both("environment")), format!("8:7: {}", both("task")), format!("9:7: {}", both("auto_merge")), format!("10:7: {}", both("payload"))]);
    }

    #[test]
    fn the_entry_s_value_wins_where_the_target_s_is_falsy() {
        // `false || true`, `"" || "y"`, `null || "y"`: the original took the entry's.
        let text = "\
web:
  auto_merge: false
  description: ''
  environment:
  deployments:
    - auto_merge: true
      description: from the entry
      environment: y
";
        let web = target(text);
        assert!(web.auto_merge);
        assert_eq!(web.description, Some(Template::literal("from the entry", Pos { line: 7, column: 20 })));
        assert_eq!(web.environment, Template::literal("y", Pos { line: 8, column: 20 }));
        let both = |key: &str, is: &str| format!("`{key}` is set both on target `web` and in its `deployments` entry; the entry's value is used, as the original Deliverybot did when the target's is {is}");
        assert_eq!(
            warnings(text),
            [format!("2:3: {}", both("auto_merge", "the boolean false")), format!("3:3: {}", both("description", "the string \"\"")), format!("4:3: {}", both("environment", "nothing (null)"))]
        );
    }

    #[test]
    fn keys_the_original_dropped_from_the_entry_give_way_to_the_target_s_even_when_falsy() {
        let text = "\
web:
  transient_environment: false
  required_contexts: []
  deployments:
    - transient_environment: true
      required_contexts: [ci]
";
        let web = target(text);
        assert_eq!(web.transient_environment, Some(false));
        assert!(web.required_contexts.is_empty());
        assert_eq!(warnings(text).iter().map(|w| &w[..4]).collect::<Vec<_>>(), ["5:7:", "6:7:"]);
        assert!(warnings(text).iter().all(|w| w.ends_with("the target's value is used, as in the original Deliverybot, and the entry's is ignored")));
    }

    #[test]
    fn keys_of_the_entry_that_are_not_a_deployment_s_are_ignored_with_a_warning() {
        let text = "web:\n  deployments:\n    - auto_deploy_on: refs/heads/main\n      tsk: deploy\n      allow_forks: true\n";
        let web = target(text);
        assert_eq!((web.auto_deploy_on.clone(), web.allow_forks), (None, false));
        assert_eq!(
            warnings(text),
            [
                "3:7: `auto_deploy_on` in a `deployments` entry is ignored, as in the original Deliverybot; set it on target `web` itself",
                "4:7: unknown key `tsk` in a `deployments` entry is ignored; did you mean `task`?",
                "5:7: `allow_forks` in a `deployments` entry is ignored, as in the original Deliverybot; set it on target `web` itself",
            ]
        );
    }

    #[test]
    fn an_empty_list_is_ignored_and_other_shapes_are_errors() {
        assert_eq!(warnings("web:\n  deployments: []\n"), ["2:3: `deployments` is empty and ignored; put the deployment's keys directly under target `web`"]);
        assert!(warnings("web:\n  deployments:\n").is_empty());
        assert_eq!(errors("web:\n  deployments: { environment: x }\n"), ["2:16: `deployments` must be a list with one entry (the legacy form); this is a map"]);
        assert_eq!(errors("web:\n  deployments: [x]\n"), ["2:17: `deployments` must be a list of maps (the legacy form); this is the string \"x\""]);
        // The entry's values are checked as the target's are.
        assert_eq!(errors("web:\n  deployments:\n    - auto_merge: yes\n"), ["3:19: `auto_merge` must be true or false; this is the string \"yes\""]);
    }
}
