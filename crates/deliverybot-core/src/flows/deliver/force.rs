//! A dispatch that asks for `force`: its required checks are skipped only if its sender may, by the
//! rule of `/deploy --force` (`settings.commands.force`, default admin, and the target's own
//! `permission`). The sender's role is read only then, one request before anything else about the
//! deploy; a sender who may not gets a failed deploy that says which role it needs, and nothing is
//! created. An admin's forced dispatch also goes past a freeze window, as an admin's `/deploy
//! --force` does: a dispatch is how a ref that is no pull request's head (a hotfix on the default
//! branch, a tag) is deployed in an emergency.

use super::{Awaiting, Deliver, Progress};
use crate::config::{Config, Role};
use crate::github::{self, answer, Answer};
use crate::log::Log;
use crate::protocol::{Reply, Request};
use crate::rules::Decision;
use crate::rules::permission::{rerun_by_another, role_of, to_deploy};

/// The sender's role, to be read for a forced dispatch.
pub(super) struct ForceCheck {
    user: String,
    needed: Role,
    plan: usize,
}

impl Deliver {
    /// The dispatch's one plan (the last made) asks for `force`, sent by `user`.
    pub(super) fn ask_force(&mut self, config: &Config, user: &str) {
        let plan = self.plans.len() - 1;
        let needed = to_deploy(config, Some(&config.targets[self.plans[plan].target]), true);
        if user.is_empty() {
            let reason = "`force` is allowed by the sender's role, and the payload names no `sender`".to_string();
            self.plans[plan].progress = Progress::Decided(Decision::Failed { reason });
            return;
        }
        if let Some(other) = rerun_by_another(user, &self.context.triggering_actor) {
            let reason = format!("@{other} re-ran @{user}'s forced dispatch: `force` is for whoever dispatches; dispatch again to force it");
            self.plans[plan].progress = Progress::Decided(Decision::Failed { reason });
            return;
        }
        self.force = Some(ForceCheck { user: user.to_string(), needed, plan });
    }

    /// The request for the sender's role, while it is unread.
    pub(super) fn force_request(&mut self) -> Option<Request> {
        let check = self.force.as_ref()?;
        self.awaiting = Some(Awaiting::Force);
        Some(github::get_permission(&self.repo, &check.user))
    }

    /// The sender's role: enough, and the plan skips its checks; too little, or unknown, and it fails.
    pub(super) fn read_force(&mut self, reply: Reply, log: &mut Log) {
        let Some(ForceCheck { user, needed, plan }) = self.force.take() else { return };
        let purpose = format!("read @{user}'s permission");
        let role = match answer(&reply) {
            Answer::Success { body, .. } => github::json(body, &purpose).map(|found| role_of(&found)),
            // 404: no collaborator at all.
            Answer::NotFound { .. } => Ok(Role::None),
            failed => Err(failed.refusal(&purpose, None)),
        };
        let name = self.target_name(plan).to_string();
        let reason = match role {
            Ok(role) if role >= needed => {
                log.info(format!("{name}: @{user} ({}) may force it: its required checks are skipped.", role.name()));
                let candidate = self.plans[plan].candidate;
                self.candidates[candidate].force = true;
                self.candidates[candidate].forced_by_admin = role == Role::Admin;
                return;
            }
            Ok(role) => format!(
                "@{user} may not force a deploy of {name}: that needs the {} role (`settings.commands.force` and the target's `permission`), and @{user} has {}",
                needed.name(),
                role.name()
            ),
            Err(reason) => format!("cannot tell whether @{user} may force a deploy of {name}: {reason}"),
        };
        log.warning(format!("{name}: {reason}"));
        self.plans[plan].progress = Progress::Decided(Decision::Failed { reason });
    }
}
