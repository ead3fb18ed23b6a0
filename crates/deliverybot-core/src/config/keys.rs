//! The keys each part of the config knows, and the checks that keep them: an unknown key is reported
//! at its position, with the known key it is closest to (`enviroment` → `environment`) — a warning
//! in a target (the original ignored such keys), an error in `settings` and wherever it looks like
//! a misspelt safeguard.

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
    "params",
    "after",
    "soak",
    "serialize",
    "paths",
    "paths_ignore",
    "freeze",
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
pub const SETTINGS_KEYS: &[&str] = &["dispatch", "commands", "freeze", "stuck_after"];

/// The keys of `settings.commands`.
pub const COMMANDS_KEYS: &[&str] = &["default_target", "deploy", "force", "lock", "unlock", "promote"];

/// Keys that hold a deploy back: `required_contexts` (wait for CI), `permission` (who may deploy
/// by command) and `freeze` (when nothing deploys). Ignoring a misspelling of one would deploy with less protection than the config
/// asks for, silently, so it is an error (a departure from the original, which ignored it too).
const SAFEGUARDS: &[&str] = &["required_contexts", "permission", "freeze"];

/// Keeps a target's known keys; every unknown one is a warning with the closest known key, and is
/// ignored. The original Deliverybot ignored keys it did not know, so configs written for it (or
/// with keys of its later versions) keep working; the warning still points at a likely typo. An
/// unknown key closest to one of the [`SAFEGUARDS`] is an error instead.
pub(super) fn known(fields: Vec<(Node, Node)>, known: &[&str], place: &str, errors: &mut Vec<Diagnostic>, warnings: &mut Vec<Diagnostic>) -> Vec<(Node, Node)> {
    let (kept, unknown) = split(fields, known);
    for key in unknown {
        let safeguard = key.as_str().and_then(|name| closest(name, known)).filter(|guess| SAFEGUARDS.contains(guess));
        match safeguard {
            Some(guess) => errors.push(Diagnostic::at(
                key.pos,
                format!("unknown key `{}` {place}; did you mean `{guess}`? A misspelt `{guess}` is an error, not a warning: ignoring it would deploy without the protection it asks for", key.as_str().unwrap_or_default()),
            )),
            None => warnings.push(unknown_key(&key, known, place, Unknown::Ignored)),
        }
    }
    kept
}

/// Keeps the known keys; every unknown one is an error with the closest known key. For `settings`,
/// Deliverybot's own section (the original had none): a misspelt role there would silently leave a
/// command open to its default role.
pub(super) fn checked(fields: Vec<(Node, Node)>, known: &[&str], place: &str, errors: &mut Vec<Diagnostic>) -> Vec<(Node, Node)> {
    let (kept, unknown) = split(fields, known);
    errors.extend(unknown.iter().map(|key| unknown_key(key, known, place, Unknown::Refused)));
    kept
}

/// The fields whose key is known, and the keys that are not.
fn split(fields: Vec<(Node, Node)>, known: &[&str]) -> (Vec<(Node, Node)>, Vec<Node>) {
    let (kept, unknown): (Vec<_>, Vec<_>) = fields.into_iter().partition(|(key, _)| key.as_str().is_some_and(|k| known.contains(&k)));
    (kept, unknown.into_iter().map(|(key, _)| key).collect())
}

/// What becomes of an unknown key, which its message says.
#[derive(Clone, Copy, PartialEq)]
enum Unknown {
    Ignored,
    Refused,
}

fn unknown_key(key: &Node, known: &[&str], place: &str, unknown: Unknown) -> Diagnostic {
    let ignored = if unknown == Unknown::Ignored { " is ignored" } else { "" };
    let Some(name) = key.as_str() else {
        return Diagnostic::at(key.pos, match unknown {
            Unknown::Ignored => format!("a key that is not text ({}) {place} is ignored", key.describe()),
            Unknown::Refused => format!("keys are text; this is {}", key.describe()),
        });
    };
    let message = match closest(name, known) {
        Some(guess) => format!("unknown key `{name}` {place}{ignored}; did you mean `{guess}`?"),
        None => format!("unknown key `{name}` {place}{ignored}; the keys are {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")),
    };
    Diagnostic::at(key.pos, message)
}

#[cfg(test)]
mod tests {
    use super::super::{errors, warnings};

    #[test]
    fn unknown_keys_of_a_target_are_ignored_with_a_warning() {
        assert_eq!(
            warnings("web:\n  tsk: deploy\n  1: x\n"),
            ["2:3: unknown key `tsk` in target `web` is ignored; did you mean `task`?", "3:3: a key that is not text (the number 1) in target `web` is ignored"]
        );
    }

    #[test]
    fn the_unknown_keys_fixture_is_valid_with_a_warning_for_each_key() {
        assert_eq!(
            warnings(include_str!("../../../../tests/fixtures/configs/unknown-keys.yml")),
            [
                "3:3: unknown key `enviroment` in target `staging` is ignored; did you mean `environment`?",
                "4:3: unknown key `colour` in target `staging` is ignored; the keys are `auto_deploy_on`, `environment`, `task`, `description`, `payload`, `auto_merge`, `required_contexts`, `transient_environment`, `production_environment`, `deployments`, `allow_forks`, `allow_drafts`, `permission`, `params`, `after`, `soak`, `serialize`, `paths`, `paths_ignore`, `freeze`",
            ]
        );
    }

    #[test]
    fn a_misspelt_safeguard_is_an_error_not_a_warning() {
        assert_eq!(
            errors(include_str!("../../../../tests/fixtures/configs/misspelt-safeguard.yml")),
            [
                "4:3: unknown key `requried_contexts` in target `production`; did you mean `required_contexts`? A misspelt `required_contexts` is an error, not a warning: ignoring it would deploy without the protection it asks for",
                "5:3: unknown key `permision` in target `production`; did you mean `permission`? A misspelt `permission` is an error, not a warning: ignoring it would deploy without the protection it asks for",
                "8:7: unknown key `required_context` in a `deployments` entry; did you mean `required_contexts`? A misspelt `required_contexts` is an error, not a warning: ignoring it would deploy without the protection it asks for",
            ]
        );
    }

    #[test]
    fn unknown_keys_of_settings_are_errors_with_the_closest_known_one() {
        assert_eq!(
            errors("settings:\n  commands:\n    promot: admin\n  2: x\nweb:\n  tsk: deploy\n"),
            ["3:5: unknown key `promot` in `settings.commands`; did you mean `promote`?", "4:3: keys are text; this is the number 2"]
        );
    }
}
