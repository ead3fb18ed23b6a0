//! A dispatch's sender, by the rule of `/deploy` (`rules::permission::to_deploy`): the deploy needs
//! the role of `settings.commands.deploy` and the target's own `permission`, and with `force` (its
//! required checks skipped) at least `settings.commands.force`. Dispatching a workflow already needs
//! write access, so the sender's role is read only when the deploy needs more: for `force`, or for a
//! target whose `permission` (or the settings) asks for more than write. It is read once, before
//! anything else about the deploy; a sender who may not gets a failed deploy that says which role it
//! needs, and nothing is created. An admin's forced dispatch also goes past a freeze window, as an
//! admin's `/deploy --force` does: a dispatch is how a ref that is no pull request's head (a hotfix
//! on the default branch, a tag) is deployed in an emergency.

use super::{Awaiting, Deliver, Progress};
use crate::config::{Config, Role};
use crate::github::{self, answer, Answer};
use crate::log::Log;
use crate::protocol::{Reply, Request};
use crate::rules::Decision;
use crate::rules::permission::{rerun_by_another, role_of, to_deploy};

/// The sender's role, to be read for a dispatch that needs more than write.
pub(super) struct RoleCheck {
    user: String,
    needed: Role,
    force: bool,
    plan: usize,
}

impl Deliver {
    /// The dispatch's one plan (the last made), sent by `user`, asking for `force` or not.
    pub(super) fn check_sender(&mut self, config: &Config, user: &str, force: bool) {
        let plan = self.plans.len() - 1;
        let needed = to_deploy(config, Some(&config.targets[self.plans[plan].target]), force);
        if !force && needed <= Role::Write {
            return;
        }
        let asked = if force { "`force`" } else { "this target" };
        let fail = |reason: String| Progress::Decided(Decision::Failed { reason });
        if user.is_empty() {
            self.plans[plan].progress = fail(format!("{asked} is allowed by the sender's role, and the payload names no `sender`"));
            return;
        }
        if let Some(other) = rerun_by_another(user, &self.context.triggering_actor) {
            self.plans[plan].progress = fail(format!("@{other} re-ran @{user}'s dispatch: {asked} is allowed by the role of whoever dispatches; dispatch again"));
            return;
        }
        self.role_check = Some(RoleCheck { user: user.to_string(), needed, force, plan });
    }

    /// The request for the sender's role, while it is unread.
    pub(super) fn role_request(&mut self) -> Option<Request> {
        let check = self.role_check.as_ref()?;
        self.awaiting = Some(Awaiting::Role);
        Some(github::get_permission(&self.repo, &check.user))
    }

    /// The sender's role: enough, and the deploy goes on (a forced one skipping its checks); too
    /// little, or unknown, and it fails.
    pub(super) fn read_role(&mut self, reply: Reply, log: &mut Log) {
        let Some(RoleCheck { user, needed, force, plan }) = self.role_check.take() else { return };
        let purpose = format!("read @{user}'s permission");
        let role = match answer(&reply) {
            Answer::Success { body, .. } => github::json(body, &purpose).map(|found| role_of(&found)),
            // 404: no collaborator at all.
            Answer::NotFound { .. } => Ok(Role::None),
            failed => Err(failed.refusal(&purpose, None)),
        };
        let name = self.target_name(plan).to_string();
        let deploy = if force { "force a deploy of" } else { "deploy" };
        let reason = match role {
            Ok(role) if role >= needed && force => {
                log.info(format!("{name}: @{user} ({}) may force it: its required checks are skipped.", role.name()));
                let candidate = self.plans[plan].candidate;
                self.candidates[candidate].force = true;
                self.candidates[candidate].forced_by_admin = role == Role::Admin;
                return;
            }
            Ok(role) if role >= needed => {
                log.info(format!("{name}: @{user} ({}) may deploy it.", role.name()));
                return;
            }
            Ok(role) => format!(
                "@{user} may not {deploy} {name}: that needs the {} role ({} and the target's `permission`), and @{user} has {}",
                needed.name(),
                if force { "`settings.commands.force`" } else { "`settings.commands.deploy`" },
                role.name()
            ),
            Err(reason) => format!("cannot tell whether @{user} may {deploy} {name}: {reason}"),
        };
        log.warning(format!("{name}: {reason}"));
        self.plans[plan].progress = Progress::Decided(Decision::Failed { reason });
    }
}
