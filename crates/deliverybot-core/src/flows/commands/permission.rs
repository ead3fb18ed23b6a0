//! Who may run what: the commenter's repository role against the least role the command needs
//! (`settings.commands`, and for `/deploy` and `/promote` the target's own `permission`; `/deploy`
//! by [the rule every deploy by hand follows](crate::rules::permission)).

use super::parse::{Command, PROMOTION_CONTEXT};
use super::target::find_target;
use crate::config::{Config, Role};
use crate::rules::permission::to_deploy;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Granted,
    /// The commenter's role is less than the command needs.
    Denied { needed: Role },
}

/// Whether someone of `role` may run the command.
pub fn check(command: &Command, config: &Config, role: Role) -> Permission {
    let needed = required_role(command, config);
    if role < needed { Permission::Denied { needed } } else { Permission::Granted }
}

/// The least role the command needs.
pub fn required_role(command: &Command, config: &Config) -> Role {
    let settings = &config.settings.commands;
    // A target's own `permission`; a name that is no target asks for nothing more (the command
    // then says there is no such target).
    let target = |name: Option<&str>| name.and_then(|n| find_target(&config.targets, n)).map(|i| &config.targets[i]);
    let target_role = |name: Option<&str>| target(name).map_or(Role::Read, |t| t.permission);
    match command {
        // The same rule as a dispatch's `force`.
        Command::Deploy { target: named, force, .. } => to_deploy(config, target(named.as_deref().or(settings.default_target.as_deref())), *force),
        Command::Lock { .. } => settings.lock,
        Command::Unlock { .. } => settings.unlock,
        // The promotion status opens every target that requires it, whichever is named: it needs
        // the strictest of their permissions.
        Command::Promote { target } => {
            let gated = config.targets.iter().filter(|t| t.required_contexts.iter().any(|c| c == PROMOTION_CONTEXT)).map(|t| t.permission);
            gated.fold(settings.promote.max(target_role(target.as_deref())), Role::max)
        }
        Command::Help => Role::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
settings:
  commands:
    default_target: review
    lock: maintain
review:
  environment: pr${{ pr }}
staging:
  environment: staging
production:
  required_contexts: [ci, deliverybot/promotion]
  permission: admin
";

    fn config() -> Config {
        Config::parse(CONFIG).unwrap()
    }

    fn deploy(target: Option<&str>, force: bool) -> Command {
        Command::Deploy { target: target.map(str::to_string), force, params: Vec::new() }
    }

    #[test]
    fn each_command_needs_its_setting_and_the_target_can_ask_for_more() {
        let config = config();
        assert_eq!(required_role(&deploy(Some("staging"), false), &config), Role::Write);
        assert_eq!(required_role(&deploy(Some("staging"), true), &config), Role::Admin, "--force");
        assert_eq!(required_role(&deploy(Some("production"), false), &config), Role::Admin, "the target's permission");
        assert_eq!(required_role(&deploy(Some("Production"), false), &config), Role::Admin, "a target by name, whatever its case");
        assert_eq!(required_role(&deploy(Some("nowhere"), false), &config), Role::Write);
        assert_eq!(required_role(&deploy(None, false), &config), Role::Write, "the default target");
        assert_eq!(required_role(&Command::Lock { name: "staging".into(), reason: String::new() }, &config), Role::Maintain);
        assert_eq!(required_role(&Command::Unlock { name: "staging".into() }, &config), Role::Write);
        assert_eq!(required_role(&Command::Help, &config), Role::None);
    }

    #[test]
    fn promote_needs_the_strictest_permission_of_the_targets_it_opens() {
        let config = config();
        assert_eq!(required_role(&Command::Promote { target: None }, &config), Role::Admin);
        assert_eq!(required_role(&Command::Promote { target: Some("staging".into()) }, &config), Role::Admin);
        let open = Config::parse("staging:\n  environment: staging\n").unwrap();
        assert_eq!(required_role(&Command::Promote { target: None }, &open), Role::Write);
    }

    #[test]
    fn a_role_below_the_command_is_denied_with_what_it_needs() {
        let config = config();
        assert_eq!(check(&deploy(Some("staging"), false), &config, Role::Write), Permission::Granted);
        assert_eq!(check(&deploy(Some("staging"), false), &config, Role::Read), Permission::Denied { needed: Role::Write });
        assert_eq!(check(&deploy(Some("production"), false), &config, Role::Maintain), Permission::Denied { needed: Role::Admin });
        assert_eq!(check(&Command::Help, &config, Role::None), Permission::Granted);
    }
}
