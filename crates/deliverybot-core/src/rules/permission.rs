//! Who may deploy by hand: a repository role against the least role a deploy needs. The same rule
//! holds for `/deploy` and for a dispatch that asks for `force`; and whose role it is when someone
//! else re-runs the workflow run.

use crate::config::{Config, Role, Target};
use serde_json::Value;

/// The least role to deploy `target` by hand: `settings.commands.deploy`, with `force` (skipping
/// the required checks) at least `settings.commands.force`, and at least the target's own
/// `permission`. No target (a name that is none) asks for nothing more than the settings.
pub fn to_deploy(config: &Config, target: Option<&Target>, force: bool) -> Role {
    let settings = &config.settings.commands;
    let base = if force { settings.deploy.max(settings.force) } else { settings.deploy };
    base.max(target.map_or(Role::Read, |t| t.permission))
}

/// The role in GitHub's answer to "someone's permission on the repository"
/// (`GET /collaborators/{user}/permission`). A custom role has a name of its own; its base
/// permission says what it can do.
pub fn role_of(found: &Value) -> Role {
    let named = crate::github::text(found, "/role_name").and_then(Role::parse);
    named.or_else(|| crate::github::text(found, "/permission").and_then(Role::parse)).unwrap_or(Role::None)
}

/// Who re-ran this workflow run, when it is not the person who asked (`GITHUB_TRIGGERING_ACTOR`
/// against the comment's author or the dispatch's sender; logins ignore case). GitHub runs a re-run
/// with the privileges of whoever triggered the run first, so the asker's role would be read for
/// someone else: a re-run by another person does not act on that role. Nothing when the host does
/// not say who triggered the run.
pub fn rerun_by_another<'a>(asker: &str, triggering_actor: &'a str) -> Option<&'a str> {
    (!triggering_actor.is_empty() && !triggering_actor.eq_ignore_ascii_case(asker)).then_some(triggering_actor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_rerun_by_someone_else_is_told_apart_from_the_askers_own() {
        assert_eq!(rerun_by_another("Boss", "writer"), Some("writer"));
        assert_eq!(rerun_by_another("Boss", "boss"), None, "logins ignore case");
        assert_eq!(rerun_by_another("boss", ""), None, "a host that does not say");
    }

    #[test]
    fn a_deploy_needs_the_setting_force_more_and_the_target_can_ask_for_more() {
        let config = Config::parse("settings:\n  commands:\n    force: maintain\nstaging:\nproduction:\n  permission: admin\n").unwrap();
        let (staging, production) = (config.target("staging"), config.target("production"));
        assert_eq!(to_deploy(&config, staging, false), Role::Write);
        assert_eq!(to_deploy(&config, staging, true), Role::Maintain);
        assert_eq!(to_deploy(&config, production, false), Role::Admin);
        assert_eq!(to_deploy(&config, production, true), Role::Admin);
        assert_eq!(to_deploy(&Config::parse("staging:\n").unwrap(), None, true), Role::Admin, "force's default");
    }

    #[test]
    fn a_custom_role_counts_by_its_base_permission() {
        assert_eq!(role_of(&json!({ "permission": "write", "role_name": "write" })), Role::Write);
        assert_eq!(role_of(&json!({ "permission": "write", "role_name": "deployer" })), Role::Write);
        assert_eq!(role_of(&json!({ "permission": "admin", "role_name": "maintain" })), Role::Maintain);
        assert_eq!(role_of(&json!({ "permission": "none" })), Role::None);
        assert_eq!(role_of(&json!({})), Role::None);
    }
}
