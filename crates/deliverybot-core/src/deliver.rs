//! The rules mode on a push: read the config from the default branch, select the targets whose
//! `auto_deploy_on` matches the pushed ref, and create one deployment of the pushed commit for each,
//! unless that commit is already deployed to that environment.

use crate::config::{Config, ConfigError};
use crate::deployment::{NewDeployment, Source};
use crate::engine::Flow;
use crate::event::Push;
use crate::github::{self, answer, Answer, Deployment};
use crate::invocation::{Repo, RunContext, Settings};
use crate::log::Log;
use crate::protocol::{Annotation, Outcome, Reply, Request};
use crate::refs::{short_name, short_sha};
use crate::report::{Decision, Report, Row};
use crate::rules::{select_for_push, Selection};

pub(crate) struct Deliver {
    repo: Repo,
    settings: Settings,
    context: RunContext,
    push: Push,
    config: ConfigState,
    plans: Vec<Plan>,
    /// Plans before this index are decided; planning stays linear in the number of targets.
    cursor: usize,
    awaiting: Option<Awaiting>,
    /// Set when the run ends early (no config, a bad config, ...).
    end: Option<Outcome>,
}

enum ConfigState {
    Unread,
    Read { unselected: usize },
}

/// What the request that is out was for.
#[derive(Debug, Clone, Copy)]
enum Awaiting {
    Config,
    Existing(usize),
    Create(usize),
}

/// One selected target on its way to a deployment.
struct Plan {
    target: String,
    body: NewDeployment,
    progress: Progress,
}

enum Progress {
    /// Is this commit already deployed to the environment?
    Check,
    /// No: create it.
    Create,
    Decided(Decision),
}

impl Deliver {
    pub fn new(repo: Repo, settings: Settings, context: RunContext, push: Push, log: &mut Log) -> Deliver {
        let end = push.deleted.then(|| {
            log.info(format!("{} was deleted: nothing to deploy.", push.git_ref));
            Outcome::nothing_to_do(format!("`{}` was deleted: nothing to deploy.", push.git_ref))
        });
        Deliver { repo, settings, context, push, config: ConfigState::Unread, plans: Vec::new(), cursor: 0, awaiting: None, end }
    }

    fn run_url(&self) -> String {
        format!("{}/{}/{}/actions/runs/{}", self.context.server_url, self.repo.owner, self.repo.name, self.context.run_id)
    }

    fn read_config(&mut self, reply: Reply, log: &mut Log) {
        let path = self.settings.config_path.clone();
        let branch = self.push.repository.default_branch.clone();
        match answer(&reply) {
            Answer::Success { body, .. } => match Config::parse(body) {
                Ok(config) => self.plan(&config, log),
                Err(err) => self.end = Some(invalid_config(&path, err, log)),
            },
            Answer::Refused { status: 404, .. } => {
                log.info(format!("No {path} on {branch}: nothing to deploy. Add one to define deploy targets."));
                self.end = Some(Outcome::nothing_to_do(format!("No `{path}` on `{branch}`: nothing to deploy.")));
            }
            Answer::Refused { status, message } => {
                self.end = Some(Outcome::failed(format!("Could not read {path} from {branch}: GitHub answered {status}: {message}")));
            }
            Answer::Lost { error } => {
                self.end = Some(Outcome::failed(format!("Could not read {path} from {branch}: {error}")));
            }
        }
    }

    fn plan(&mut self, config: &Config, log: &mut Log) {
        let git_ref = self.push.git_ref.clone();
        log.info(format!(
            "Read {} from {} ({} target{}).",
            self.settings.config_path,
            self.push.repository.default_branch,
            config.targets.len(),
            plural(config.targets.len())
        ));
        let run_url = self.run_url();
        let source = Source { git_ref: &git_ref, sha: &self.push.after, event_name: "push", run_url: &run_url };
        let mut unselected = 0;
        for selection in select_for_push(config, &git_ref) {
            match selection {
                Selection::Selected(target) => {
                    log.info(format!(
                        "{}: {git_ref} matches auto_deploy_on `{}`.",
                        target.name,
                        target.auto_deploy_on.as_deref().unwrap_or_default()
                    ));
                    let body = NewDeployment::new(target, &source);
                    self.plans.push(Plan { target: target.name.clone(), body, progress: Progress::Check });
                }
                Selection::NotSelected { target, reason } => {
                    unselected += 1;
                    log.debug(format!("{}: {reason}.", target.name));
                }
            }
        }
        if self.plans.is_empty() {
            log.info(format!("No target deploys {git_ref}."));
        }
        self.config = ConfigState::Read { unselected };
    }

    fn check_existing(&mut self, index: usize, reply: Reply, log: &mut Log) {
        let dry_run = self.settings.dry_run;
        let plan = &mut self.plans[index];
        let purpose = format!("look for an existing deployment to {}", plan.body.environment);
        plan.progress = match answer(&reply) {
            Answer::Success { body, .. } => match github::parse::<Vec<Deployment>>(body, &purpose) {
                Ok(found) => match found.first() {
                    Some(existing) => {
                        log.info(format!(
                            "{}: {} is already deployed to {} (deployment {}); not deploying it again.",
                            plan.target,
                            short_sha(&plan.body.sha),
                            plan.body.environment,
                            existing.id
                        ));
                        Progress::Decided(Decision::AlreadyDeployed { id: existing.id })
                    }
                    None if dry_run => {
                        log.info(format!("{}: dry run, would create the deployment to {}.", plan.target, plan.body.environment));
                        Progress::Decided(Decision::WouldCreate)
                    }
                    None => Progress::Create,
                },
                Err(reason) => Progress::Decided(Decision::Failed { reason }),
            },
            // Without knowing, creating could deploy the same commit twice: report instead.
            Answer::Refused { status, message } => Progress::Decided(Decision::Failed {
                reason: format!("could not {purpose}: GitHub answered {status}: {message}"),
            }),
            Answer::Lost { error } => Progress::Decided(Decision::Failed { reason: format!("could not {purpose}: {error}") }),
        };
    }

    fn record_create(&mut self, index: usize, reply: Reply, log: &mut Log) {
        let plan = &mut self.plans[index];
        let purpose = format!("create the {} deployment", plan.body.environment);
        let decision = match answer(&reply) {
            Answer::Success { status: 201, body } => match github::parse::<Deployment>(body, &purpose) {
                Ok(created) => {
                    log.info(format!(
                        "{}: created deployment {} of {} to {}.",
                        plan.target,
                        created.id,
                        short_sha(&plan.body.sha),
                        plan.body.environment
                    ));
                    Decision::Created { id: created.id, url: created.url }
                }
                Err(reason) => Decision::Failed { reason },
            },
            // 202: GitHub merged the default branch into the ref instead (auto_merge); the merge
            // commit is a new push, which its own run deploys.
            Answer::Success { body, .. } => Decision::NotCreated {
                reason: format!(
                    "GitHub merged the default branch into the ref instead of deploying ({}); the merge commit deploys on its own push",
                    github::message_of(body)
                ),
            },
            Answer::Refused { status, message } => {
                Decision::Failed { reason: format!("GitHub refused to {purpose} ({status}): {message}") }
            }
            Answer::Lost { error } => Decision::Failed { reason: format!("the answer to \"{purpose}\" was lost: {error}") },
        };
        if let Decision::Failed { reason } | Decision::NotCreated { reason } = &decision {
            log.warning(format!("{}: {reason}", plan.target));
        }
        plan.progress = Progress::Decided(decision);
    }

    fn outcome(&self) -> Outcome {
        let ConfigState::Read { unselected } = self.config else {
            return Outcome::failed("internal error: finished without reading the config");
        };
        let rows = self.plans.iter().map(|plan| {
            let decision = match &plan.progress {
                Progress::Decided(decision) => decision.clone(),
                _ => Decision::Failed { reason: "internal error: left undecided".to_string() },
            };
            Row { target: plan.target.clone(), environment: plan.body.environment.clone(), sha: plan.body.sha.clone(), decision }
        });
        Report {
            heading: format!("Push to `{}` at `{}`", short_name(&self.push.git_ref), short_sha(&self.push.after)),
            git_ref: self.push.git_ref.clone(),
            server_url: self.context.server_url.clone(),
            repository: self.context.repository.clone(),
            rows: rows.collect(),
            unselected,
            dry_run: self.settings.dry_run,
        }
        .outcome()
    }
}

impl Flow for Deliver {
    fn absorb(&mut self, reply: Reply, log: &mut Log) {
        match self.awaiting.take() {
            Some(Awaiting::Config) => self.read_config(reply, log),
            Some(Awaiting::Existing(index)) => self.check_existing(index, reply, log),
            Some(Awaiting::Create(index)) => self.record_create(index, reply, log),
            None => self.end = Some(Outcome::failed("internal error: a reply came for no request")),
        }
    }

    fn next(&mut self, _log: &mut Log) -> Result<Request, Outcome> {
        if let Some(end) = &self.end {
            return Err(end.clone());
        }
        if let ConfigState::Unread = self.config {
            self.awaiting = Some(Awaiting::Config);
            return Ok(github::get_file(&self.repo, &self.settings.config_path, &self.push.repository.default_branch));
        }
        while let Some(plan) = self.plans.get(self.cursor) {
            let index = self.cursor;
            match plan.progress {
                Progress::Check => {
                    self.awaiting = Some(Awaiting::Existing(index));
                    return Ok(github::find_deployment(&self.repo, &plan.body.sha, &plan.body.environment));
                }
                Progress::Create => {
                    self.awaiting = Some(Awaiting::Create(index));
                    let body = serde_json::to_value(&plan.body).expect("a deployment body is always JSON");
                    let purpose = format!("create the {} deployment for target {}", plan.body.environment, plan.target);
                    return Ok(github::create_deployment(&self.repo, body, purpose));
                }
                Progress::Decided(_) => self.cursor += 1,
            }
        }
        Err(self.outcome())
    }
}

fn invalid_config(path: &str, err: ConfigError, log: &mut Log) -> Outcome {
    let annotation = match (err.line, err.column) {
        (Some(line), Some(column)) => Some(Annotation { file: path.to_string(), line, column }),
        _ => None,
    };
    let location = match (err.line, err.column) {
        (Some(line), Some(column)) => format!("{path}:{line}:{column}"),
        _ => path.to_string(),
    };
    log.error(format!("{location}: {}", err.message), annotation);
    Outcome::failed(format!("{location}: {}", err.message))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
