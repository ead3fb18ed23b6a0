//! The `settings:` section: what is not about one target (the workflow to dispatch, who may run
//! which pull request command, the freeze windows of every target, when a deployment is stuck).

use super::duration::duration;
use super::freeze;
use super::keys::{self, COMMANDS_KEYS, SETTINGS_KEYS};
use super::value::{expected, role};
use super::{Commands, Settings};
use crate::diagnostic::Diagnostic;
use crate::yaml::{Node, Value};
use std::time::Duration;

/// `stuck_after` bounds: a deployment gets at least a minute to report, and a sweep looks back at
/// most a year.
const MIN_STUCK_AFTER: Duration = Duration::from_secs(60);
const MAX_STUCK_AFTER: Duration = Duration::from_secs(366 * 86_400);

/// `settings:`, its problems added to `errors`; the defaults for what it leaves out.
pub(super) fn read_settings(node: Node, errors: &mut Vec<Diagnostic>) -> Settings {
    let mut settings = Settings::default();
    let entries = match node.value {
        Value::Null => return settings,
        Value::Map(entries) => entries,
        _ => {
            errors.push(Diagnostic::at(node.pos, format!("`settings` is a map; this is {}", node.describe())));
            return settings;
        }
    };
    for (key, value) in keys::checked(entries, SETTINGS_KEYS, "in `settings`", errors) {
        match (key.as_str(), &value.value) {
            (_, Value::Null) => {}
            (Some("dispatch"), Value::Str(text)) if !text.value.trim().is_empty() => settings.dispatch = Some(text.value.trim().to_string()),
            (Some("dispatch"), Value::Int(id)) => settings.dispatch = Some(id.to_string()),
            (Some("dispatch"), _) => errors.push(expected(&value, "dispatch", "a workflow file name, like `deploy.yml`")),
            (Some("commands"), Value::Map(entries)) => settings.commands = read_commands(entries.clone(), errors),
            (Some("freeze"), _) => settings.freeze = freeze::windows(&value, errors),
            (Some("stuck_after"), _) => match duration(&value, "stuck_after") {
                Ok(after) if (MIN_STUCK_AFTER..=MAX_STUCK_AFTER).contains(&after) => settings.stuck_after = Some(after),
                Ok(_) => errors.push(Diagnostic::at(value.pos, format!("`stuck_after` is at least a minute and at most a year; this is {:?}", value.as_str().unwrap_or_default().trim()))),
                Err(problems) => errors.extend(problems),
            },
            _ => errors.push(expected(&value, "commands", "a map, like `commands: { deploy: write }`")),
        }
    }
    settings
}

/// `settings.commands`: the least role for each command, and the target of a bare `/deploy`.
fn read_commands(entries: Vec<(Node, Node)>, errors: &mut Vec<Diagnostic>) -> Commands {
    let mut commands = Commands::default();
    for (key, value) in keys::checked(entries, COMMANDS_KEYS, "in `settings.commands`", errors) {
        let field = key.as_str().unwrap_or_default();
        if matches!(value.value, Value::Null) {
            continue;
        }
        if field == "default_target" {
            match value.as_str() {
                Some(name) if !name.trim().is_empty() => commands.default_target = Some(name.trim().to_string()),
                _ => errors.push(expected(&value, field, "a target name")),
            }
            continue;
        }
        let role = match role(&value, field) {
            Ok(role) => role,
            Err(found) => {
                errors.extend(found);
                continue;
            }
        };
        match field {
            "deploy" => commands.deploy = role,
            "force" => commands.force = role,
            "lock" => commands.lock = role,
            "unlock" => commands.unlock = role,
            _ => commands.promote = role,
        }
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::super::{errors, Config, Role};
    use std::time::Duration;

    #[test]
    fn stuck_after_is_a_duration_of_a_minute_to_a_year() {
        let read = |text: &str| Config::parse(&format!("settings:\n  stuck_after: {text}\n")).map(|c| c.settings.stuck_after);
        assert_eq!(read("30m").unwrap(), Some(Duration::from_secs(30 * 60)));
        assert_eq!(read("2h").unwrap(), Some(Duration::from_secs(2 * 3_600)));
        assert_eq!(read("1d").unwrap(), Some(Duration::from_secs(86_400)));
        assert_eq!(errors("settings:\n  stuck_after: 30\n"), ["2:16: `stuck_after` must be a whole number and a unit, s, m, h or d, like `30m`, `2h` or `1d`; this is the number 30"]);
        assert_eq!(errors("settings:\n  stuck_after: 5s\n"), ["2:16: `stuck_after` is at least a minute and at most a year; this is \"5s\""]);
        assert_eq!(errors("settings:\n  stuck_after: 400d\n"), ["2:16: `stuck_after` is at least a minute and at most a year; this is \"400d\""]);
        assert_eq!(errors("settings:\n  stuck_after: 30x\n"), ["2:16: `stuck_after: 30x` is a whole number and a unit, s, m, h or d, like `30m`, `2h` or `1d`"]);
    }

    #[test]
    fn commands_settings_set_roles_and_a_default_target() {
        let config = Config::parse("settings:\n  commands:\n    default_target: review\n    deploy: maintain\n    force: admin\nreview:\nproduction:\n  permission: admin\n").unwrap();
        assert_eq!(config.settings.commands.default_target.as_deref(), Some("review"));
        assert_eq!(config.settings.commands.deploy, Role::Maintain);
        assert_eq!(config.settings.commands.lock, Role::Write);
        assert_eq!(config.target("production").unwrap().permission, Role::Admin);
        assert_eq!(
            errors("settings:\n  commands:\n    deploy: everyone\n    default_target: nope\n"),
            ["`settings.commands.default_target` is `nope`, which is not a target", "3:13: `deploy` must be a role: read, triage, write, maintain, admin; this is the string \"everyone\""]
        );
    }

    #[test]
    fn the_settings_key_is_reserved() {
        assert_eq!(Config::parse("settings:\nweb:\n").unwrap().targets.len(), 1);
        assert_eq!(errors("settings:\n  dispatchh: deploy.yml\n"), ["2:3: unknown key `dispatchh` in `settings`; did you mean `dispatch`?"]);
        assert_eq!(Config::parse("settings:\n  dispatch: deploy.yml\n").unwrap().settings.dispatch.as_deref(), Some("deploy.yml"));
        assert_eq!(errors("settings:\n  dispatch: [a]\n"), ["2:13: `dispatch` must be a workflow file name, like `deploy.yml`; this is a list"]);
    }
}
