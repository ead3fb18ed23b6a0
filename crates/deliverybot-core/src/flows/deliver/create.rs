//! Creating: the deployment rendered from the target's templates, the create request, the look-up
//! before a retry when its answer was lost (one decision never makes two deployments), and the
//! `settings.dispatch` workflow started for a created deployment.

use super::facts::Fetch;
use super::{Awaiting, Deliver, Progress};
use crate::deployment::{NewDeployment, Source};
use crate::flows::config_file::log_problems;
use crate::github::{self, answer, Answer, Deployment};
use crate::log::Log;
use crate::protocol::{Reply, Request};
use crate::refs::short_sha;
use crate::rules::Decision;
use crate::rules::checks::CheckState;
use crate::rules::merge::{self, DeployedRef};
use crate::template::Var;
use serde_json::Value;

/// How many times a create whose answer was lost is tried again (after looking for it).
const CREATE_RETRIES: u8 = 2;

/// What the answer to a create means.
#[derive(Debug, PartialEq)]
enum Created {
    Yes(Deployment),
    /// No answer, or a 5xx after which GitHub may have created it: look before trying again.
    Lost(String),
    No(Decision),
}

/// The answer to `POST /deployments`, classified.
fn created(reply: &Reply, purpose: &str) -> Created {
    match answer(reply) {
        Answer::Success { status: 201, body, .. } => match github::deployment(body, purpose) {
            Ok(deployment) => Created::Yes(deployment),
            Err(reason) => Created::No(Decision::Failed { reason }),
        },
        // 202: `auto_merge`, and the branch was behind: GitHub merged instead of deploying.
        Answer::Success { body, .. } => Created::No(Decision::NotCreated { reason: merge::merged_instead(&github::message_of(body)) }),
        // GitHub may have created it before failing to answer.
        lost @ (Answer::Refused { status: 500 | 502 | 503 | 504, .. } | Answer::Lost { .. }) => Created::Lost(lost.said()),
        Answer::Refused { status: 409, message } => Created::No(conflict(reply, message)),
        refused => Created::No(Decision::Failed { reason: refused.refusal(purpose, Some("deployments: write")) }),
    }
}

/// 409: the contexts GitHub found not green (it lists them with their states), or a merge conflict.
fn conflict(reply: &Reply, message: String) -> Decision {
    let Reply::Response { body, .. } = reply else { unreachable!("a 409 is a response") };
    let value: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let contexts: Vec<(String, String)> = github::items_at(&value, "/errors")
        .iter()
        .flat_map(|error| github::items_at(error, "/contexts"))
        .filter_map(|c| Some((github::text(c, "/context")?.to_string(), github::text(c, "/state")?.to_string())))
        .collect();
    if contexts.is_empty() {
        return Decision::NotCreated { reason: format!("GitHub did not create it: {message}") };
    }
    let failed: Vec<String> = contexts.iter().filter(|(_, state)| CheckState::of_status(state) == CheckState::Failed).map(|(c, _)| c.clone()).collect();
    if failed.is_empty() {
        Decision::Waiting { contexts: contexts.into_iter().map(|(context, state)| format!("{context} ({state})")).collect() }
    } else {
        Decision::Blocked { contexts: failed }
    }
}

impl Deliver {
    /// What this run's templates render with, for `git_ref` at `sha` (`run_url`: this run's page).
    pub(super) fn source<'a>(&'a self, run_url: &'a str, git_ref: &'a str, sha: &'a str, pull_request: Option<&'a Value>, commit: Option<&'a Value>) -> Source<'a> {
        Source {
            git_ref,
            sha,
            event_name: &self.event_name,
            run_url,
            run_id: &self.context.run_id,
            owner: &self.repo.owner,
            repo: &self.repo.name,
            actor: &self.context.actor,
            pull_request,
            commit,
        }
    }

    /// Renders the plan's deployment; a template that cannot render fails this target only.
    pub(super) fn render(&mut self, index: usize, log: &mut Log) {
        let run_url = self.context.run_url();
        let config = self.config.as_ref().expect("plans exist only once the config is read");
        let plan = &self.plans[index];
        let target = &config.targets[plan.target];
        let candidate = &self.candidates[plan.candidate];
        let commit = match self.commits.get(&candidate.sha) {
            Some(Fetch::Read(commit)) => Some(commit),
            Some(Fetch::Failed(reason)) if target.uses(&|var| matches!(var, Var::Commit(_))) => {
                let reason = reason.clone();
                self.plans[index].progress = Progress::Decided(Decision::Failed { reason });
                return;
            }
            _ => None,
        };
        let source = self.source(&run_url, &candidate.git_ref, &candidate.sha, candidate.pull_request.as_ref().map(|pr| &pr.object), commit);
        let progress = match NewDeployment::render(target, &source) {
            Ok(mut rendered) => {
                for notice in rendered.notices {
                    log.notice(notice);
                }
                rendered.body.ask(&candidate.asked);
                if candidate.force {
                    // Forced: GitHub must not check them either.
                    rendered.body.required_contexts.clear();
                }
                if merge::deployed_ref(rendered.body.auto_merge, &candidate.git_ref) == DeployedRef::Unmergeable {
                    log.notice(format!("{}: `auto_merge` merges only into a branch; {} is none, so its exact commit is deployed without merging.", target.name, candidate.git_ref));
                }
                self.plans[index].body = Some(rendered.body);
                Progress::Paths
            }
            Err(errors) => {
                // Each problem at its place in the config.
                log_problems(&self.settings.config_path, &errors, log);
                let reason = errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ");
                Progress::Decided(Decision::Failed { reason: format!("cannot render the deployment: {reason}") })
            }
        };
        self.plans[index].progress = progress;
    }

    /// The create request's body: the rendered deployment of the exact commit, or with `auto_merge`
    /// of the branch by name. (Set here, after rendering: what it names depends on the candidate's
    /// ref, not on the target's templates.)
    pub(super) fn create_body(&self, index: usize) -> Value {
        let plan = &self.plans[index];
        let body = plan.body.as_ref().expect("rendered before it is created");
        let mut json = body.to_json();
        match merge::deployed_ref(body.auto_merge, &self.candidates[plan.candidate].git_ref) {
            DeployedRef::Commit => {}
            DeployedRef::Branch(branch) => json["ref"] = Value::String(branch.to_string()),
            DeployedRef::Unmergeable => json["auto_merge"] = Value::Bool(false),
        }
        json
    }

    pub(super) fn create_request(&mut self, index: usize, attempt: u8) -> Request {
        let body = self.plans[index].body.as_ref().expect("rendered before it is created");
        let purpose = format!("create the {} deployment for target {}", body.environment, self.target_name(index));
        let request = github::create_deployment(&self.repo, self.create_body(index), purpose);
        self.awaiting = Some(Awaiting::Create(index, attempt));
        request
    }

    pub(super) fn read_create(&mut self, index: usize, attempt: u8, reply: Reply, log: &mut Log) {
        let name = self.target_name(index).to_string();
        let body = self.plans[index].body.as_ref().expect("rendered before it is created");
        let purpose = format!("create the {} deployment", body.environment);
        let progress = match created(&reply, &purpose) {
            Created::Yes(deployment) => self.created(index, deployment, log),
            Created::Lost(error) => {
                log.warning(format!("{name}: no answer to \"{purpose}\" ({error}); looking for the deployment before trying again."));
                Progress::Recover { attempt, error }
            }
            Created::No(decision) => {
                if let Decision::Failed { reason } | Decision::NotCreated { reason } = &decision {
                    log.warning(format!("{name}: {reason}"));
                }
                Progress::Decided(decision)
            }
        };
        self.plans[index].progress = progress;
    }

    /// After a lost answer: is the deployment there?
    pub(super) fn recover_request(&mut self, index: usize, attempt: u8, error: String) -> Request {
        let body = self.plans[index].body.as_ref().expect("rendered before it is created");
        self.awaiting = Some(Awaiting::Recover(index, attempt, error));
        github::find_deployment(&self.repo, &body.sha, &body.environment, &body.task)
    }

    /// The deployment exists (and is newer than the one before ours): created after all. Otherwise
    /// try again, a few times.
    pub(super) fn read_recover(&mut self, index: usize, attempt: u8, error: String, reply: Reply, log: &mut Log) {
        let before = self.plans[index].before.unwrap_or(0);
        let progress = match answer(&reply) {
            Answer::Success { body, .. } => match github::deployments(body, "look for the deployment") {
                Ok(found) => match found.into_iter().next().filter(|d| d.id > before) {
                    Some(created) => {
                        log.info(format!("{}: the deployment was created after all (deployment {}).", self.target_name(index), created.id));
                        self.created(index, created, log)
                    }
                    None if attempt < CREATE_RETRIES => Progress::Create { attempt: attempt + 1 },
                    None => Progress::Decided(Decision::Failed {
                        reason: format!("GitHub did not create the deployment after {} tries (last: {error})", attempt + 1),
                    }),
                },
                Err(reason) => Progress::Decided(Decision::Failed { reason }),
            },
            // Not knowing whether it exists, trying again could create it twice: stop and say so.
            failed => Progress::Decided(Decision::Failed {
                reason: format!(
                    "the answer to a create was lost ({error}), and looking for the deployment failed too ({}); check the environment's deployments before running again",
                    failed.said()
                ),
            }),
        };
        if let Progress::Decided(Decision::Failed { reason }) = &progress {
            log.warning(format!("{}: {reason}", self.target_name(index)));
        }
        self.plans[index].progress = progress;
    }

    fn created(&self, index: usize, created: Deployment, log: &mut Log) -> Progress {
        let name = self.target_name(index);
        let body = self.plans[index].body.as_ref().expect("rendered before it is created");
        log.info(format!("{name}: created deployment {} of {} to {}.", created.id, short_sha(&body.sha), body.environment));
        match self.config().settings.dispatch {
            Some(_) => Progress::Dispatch(created.id, created.url),
            None => Progress::Decided(Decision::Created { id: created.id, url: created.url }),
        }
    }

    pub(super) fn dispatch_request(&mut self, index: usize, id: u64) -> Request {
        let workflow = self.config().settings.dispatch.clone().expect("dispatching only when configured");
        // The workflow's own definition comes from the default branch (trusted); the deployment
        // says which commit to ship.
        let git_ref = self.default_branch.clone().unwrap_or_else(|| "main".to_string());
        self.awaiting = Some(Awaiting::Dispatch(index, id));
        github::dispatch_workflow(&self.repo, &workflow, &git_ref, id)
    }

    pub(super) fn read_dispatch(&mut self, index: usize, id: u64, reply: Reply, log: &mut Log) {
        let workflow = self.config().settings.dispatch.clone().unwrap_or_default();
        let name = self.target_name(index).to_string();
        let Progress::Dispatch(_, url) = &self.plans[index].progress else { unreachable!("dispatching") };
        let url = url.clone();
        self.plans[index].progress = Progress::Decided(match answer(&reply) {
            Answer::Success { .. } => {
                log.info(format!("{name}: started workflow {workflow} for deployment {id}."));
                Decision::Created { id, url }
            }
            Answer::Lost { error } => Decision::Failed { reason: format!("deployment {id} was created, but starting workflow {workflow} got no answer: {error}") },
            refused => Decision::Failed {
                reason: format!(
                    "deployment {id} was created, but {}. The workflow needs `on: workflow_dispatch` with an input `deployment_id`",
                    refused.refusal(&format!("start workflow {workflow}"), Some("actions: write"))
                ),
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn create(status: u16, body: &str) -> Created {
        created(&Reply::ok(status, body), "create the production deployment")
    }

    #[test]
    fn a_201_is_the_deployment() {
        assert_eq!(create(201, r#"{"id":42,"url":"https://api.github.com/x"}"#), Created::Yes(Deployment { id: 42, url: "https://api.github.com/x".into() }));
        assert!(matches!(create(201, "{}"), Created::No(Decision::Failed { reason }) if reason.contains("has no `id`")));
    }

    #[test]
    fn a_202_is_a_merge_not_a_deployment() {
        let merged = create(202, r#"{"message":"Auto-merged main into topic on deployment."}"#);
        assert_eq!(merged, Created::No(Decision::NotCreated { reason: merge::merged_instead("Auto-merged main into topic on deployment.") }));
    }

    #[test]
    fn no_answer_or_a_5xx_may_have_created_it() {
        assert_eq!(create(502, ""), Created::Lost("GitHub answered 502: no details given".into()));
        assert_eq!(created(&Reply::Lost { error: "socket hang up".into() }, "create x"), Created::Lost("socket hang up".into()));
    }

    #[test]
    fn a_409_names_the_checks_that_are_not_green() {
        let body = |states: &str| format!(r#"{{"message":"Conflict: Commit status checks failed for main.","errors":[{{"contexts":[{states}]}}]}}"#);
        let pending = body(r#"{"context":"ci","state":"pending"}"#);
        assert_eq!(create(409, &pending), Created::No(Decision::Waiting { contexts: vec!["ci (pending)".into()] }));
        let failed = body(r#"{"context":"ci","state":"failure"},{"context":"lint","state":"pending"}"#);
        assert_eq!(create(409, &failed), Created::No(Decision::Blocked { contexts: vec!["ci".into()] }));
        assert_eq!(create(409, r#"{"message":"Merge conflict"}"#), Created::No(Decision::NotCreated { reason: "GitHub did not create it: Merge conflict".into() }));
    }

    #[test]
    fn other_refusals_fail_with_the_fix() {
        assert!(matches!(create(403, r#"{"message":"Resource not accessible by integration"}"#), Created::No(Decision::Failed { reason }) if reason.ends_with("`permissions: deployments: write` (or use a token that has it).")));
        assert!(matches!(create(404, r#"{"message":"Not Found"}"#), Created::No(Decision::Failed { reason }) if reason.starts_with("could not create the production deployment: GitHub answered 404: Not Found.")));
    }
}
