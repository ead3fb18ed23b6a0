//! The keys each part of the config knows, and the check that keeps them: an unknown key is a
//! problem at its position, with the known key it is closest to (`enviroment` → `environment`).

use crate::diagnostic::{closest, Diagnostic};
use crate::yaml::Node;

/// The one top-level key that is not a target: settings that are not about one target. (Keys that
/// start with `.` are not targets either: they hold YAML anchors for targets to share.)
pub const SETTINGS_KEY: &str = "settings";

/// The keys of a target, in the order the docs list them.
pub const TARGET_KEYS: &[&str] = &[
    "auto_deploy_on",
    "environment",
    "task",
    "description",
    "payload",
    "auto_merge",
    "required_contexts",
    "transient_environment",
    "production_environment",
    "deployments",
    "allow_forks",
    "allow_drafts",
    "permission",
];

/// The keys of an entry of the legacy `deployments:` list.
pub const LEGACY_KEYS: &[&str] = &[
    "environment",
    "task",
    "description",
    "payload",
    "auto_merge",
    "required_contexts",
    "transient_environment",
    "production_environment",
];

/// The keys of the `settings` section.
pub const SETTINGS_KEYS: &[&str] = &["dispatch", "commands"];

/// The keys of `settings.commands`.
pub const COMMANDS_KEYS: &[&str] = &["default_target", "deploy", "force", "lock", "unlock", "promote"];

/// Keeps the known keys; every unknown one is an error with the closest known key.
pub(super) fn checked(fields: Vec<(Node, Node)>, known: &[&str], place: &str, errors: &mut Vec<Diagnostic>) -> Vec<(Node, Node)> {
    let mut kept = Vec::with_capacity(fields.len());
    for (key, value) in fields {
        if key.as_str().is_some_and(|k| known.contains(&k)) {
            kept.push((key, value));
        } else {
            errors.push(unknown_key(&key, known, place));
        }
    }
    kept
}

fn unknown_key(key: &Node, known: &[&str], place: &str) -> Diagnostic {
    let Some(name) = key.as_str() else {
        return Diagnostic::at(key.pos, format!("keys are text; this is {}", key.describe()));
    };
    let message = match closest(name, known) {
        Some(guess) => format!("unknown key `{name}` {place}; did you mean `{guess}`?"),
        None => format!("unknown key `{name}` {place}; the keys are {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")),
    };
    Diagnostic::at(key.pos, message)
}

#[cfg(test)]
mod tests {
    use super::super::errors;

    #[test]
    fn unknown_keys_are_reported_with_the_closest_known_one() {
        assert_eq!(
            errors("web:\n  tsk: deploy\n  1: x\nsettings:\n  commands:\n    promot: admin\n"),
            [
                "2:3: unknown key `tsk` in target `web`; did you mean `task`?",
                "3:3: keys are text; this is the number 1",
                "6:5: unknown key `promot` in `settings.commands`; did you mean `promote`?",
            ]
        );
    }
}
