//! The rules mode on a push: read the config from the default branch, select the targets whose
//! `auto_deploy_on` matches the pushed ref, render their deployments, and create one deployment of
//! the pushed commit for each, unless that commit is already deployed to that environment.

use crate::config::Config;
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
use crate::template::Var;
use crate::yaml::Diagnostic;
use serde_json::Value;

pub(crate) struct Deliver {
    repo: Repo,
    settings: Settings,
    context: RunContext,
    push: Push,
    /// `None` until read from the default branch.
    config: Option<Config>,
    /// Targets this push does not deploy.
    unselected: usize,
    plans: Vec<Plan>,
    /// The pushed commit, fetched only when a selected target's templates use `commit.*`.
    commit: Commit,
    /// Plans before this index are decided; planning stays linear in the number of targets.
    cursor: usize,
    awaiting: Option<Awaiting>,
    /// Set when the run ends early (no config, a bad config, ...).
    end: Option<Outcome>,
}

enum Commit {
    NotNeeded,
    Needed,
    Known(Value),
    Unavailable(String),
}

/// What the request that is out was for.
#[derive(Debug, Clone, Copy)]
enum Awaiting {
    Config,
    Commit,
    Existing(usize),
    Create(usize),
}

/// One selected target on its way to a deployment.
struct Plan {
    /// Index into the config's targets.
    target: usize,
    body: Option<NewDeployment>,
    progress: Progress,
}

enum Progress {
    /// Its templates are rendered once every variable they use is known.
    Render,
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
        Deliver {
            repo,
            settings,
            context,
            push,
            config: None,
            unselected: 0,
            plans: Vec::new(),
            commit: Commit::NotNeeded,
            cursor: 0,
            awaiting: None,
            end,
        }
    }

    fn run_url(&self) -> String {
        format!("{}/{}/{}/actions/runs/{}", self.context.server_url, self.repo.owner, self.repo.name, self.context.run_id)
    }

    fn read_config(&mut self, reply: Reply, log: &mut Log) {
        let path = self.settings.config_path.clone();
        let branch = self.push.repository.default_branch.clone();
        match answer(&reply) {
            Answer::Success { body, .. } => match Config::parse(body) {
                Ok(config) => self.select(config, log),
                Err(errors) => self.end = Some(invalid_config(&path, &errors, log)),
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

    fn select(&mut self, config: Config, log: &mut Log) {
        let git_ref = &self.push.git_ref;
        log.info(format!(
            "Read {} from {} ({} target{}).",
            self.settings.config_path,
            self.push.repository.default_branch,
            config.targets.len(),
            plural(config.targets.len())
        ));
        for (index, selection) in select_for_push(&config, git_ref).into_iter().enumerate() {
            match selection {
                Selection::Selected(target) => {
                    log.info(format!("{}: {git_ref} matches.", target.name));
                    if target.uses(&|var| matches!(var, Var::Commit(_))) {
                        self.commit = Commit::Needed;
                    }
                    self.plans.push(Plan { target: index, body: None, progress: Progress::Render });
                }
                Selection::NotSelected { target, reason } => {
                    self.unselected += 1;
                    log.debug(format!("{}: {reason}.", target.name));
                }
            }
        }
        if self.plans.is_empty() {
            log.info(format!("No target deploys {git_ref}."));
        }
        self.config = Some(config);
    }

    fn read_commit(&mut self, reply: Reply) {
        self.commit = match answer(&reply) {
            Answer::Success { body, .. } => match github::parse::<Value>(body, "read the commit") {
                Ok(commit) => Commit::Known(commit),
                Err(reason) => Commit::Unavailable(reason),
            },
            Answer::Refused { status, message } => {
                Commit::Unavailable(format!("could not read commit {} for `commit.*`: GitHub answered {status}: {message}", short_sha(&self.push.after)))
            }
            Answer::Lost { error } => Commit::Unavailable(format!("could not read commit {} for `commit.*`: {error}", short_sha(&self.push.after))),
        };
    }

    /// Renders the plan's deployment; a template that cannot render fails this target only.
    fn render(&mut self, index: usize, log: &mut Log) {
        let run_url = self.run_url();
        let config = self.config.as_ref().expect("plans exist only once the config is read");
        let plan = &mut self.plans[index];
        let target = &config.targets[plan.target];
        let commit = match &self.commit {
            Commit::Known(commit) => Some(commit),
            Commit::Unavailable(reason) if target.uses(&|var| matches!(var, Var::Commit(_))) => {
                plan.progress = Progress::Decided(Decision::Failed { reason: reason.clone() });
                return;
            }
            _ => None,
        };
        let source = Source {
            git_ref: &self.push.git_ref,
            sha: &self.push.after,
            event_name: "push",
            run_url: &run_url,
            run_id: &self.context.run_id,
            owner: &self.repo.owner,
            repo: &self.repo.name,
            actor: &self.context.actor,
            pull_request: None,
            commit,
        };
        match NewDeployment::render(target, &source) {
            Ok(rendered) => {
                for notice in rendered.notices {
                    log.notice(notice);
                }
                plan.body = Some(rendered.body);
                plan.progress = Progress::Check;
            }
            Err(errors) => {
                for error in &errors {
                    log.error(located(&self.settings.config_path, error), annotation(&self.settings.config_path, error));
                }
                let reason = errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ");
                plan.progress = Progress::Decided(Decision::Failed { reason: format!("cannot render the deployment: {reason}") });
            }
        }
    }

    fn check_existing(&mut self, index: usize, reply: Reply, log: &mut Log) {
        let dry_run = self.settings.dry_run;
        let name = self.target_name(index).to_string();
        let plan = &mut self.plans[index];
        let body = plan.body.as_ref().expect("rendered before it is checked");
        let purpose = format!("look for an existing deployment to {}", body.environment);
        plan.progress = match answer(&reply) {
            Answer::Success { body: json, .. } => match github::parse::<Vec<Deployment>>(json, &purpose) {
                Ok(found) => match found.first() {
                    Some(existing) => {
                        log.info(format!(
                            "{name}: {} is already deployed to {} (deployment {}); not deploying it again.",
                            short_sha(&body.sha),
                            body.environment,
                            existing.id
                        ));
                        Progress::Decided(Decision::AlreadyDeployed { id: existing.id })
                    }
                    None if dry_run => {
                        log.info(format!("{name}: dry run, would create the deployment to {}.", body.environment));
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
        let name = self.target_name(index).to_string();
        let plan = &mut self.plans[index];
        let body = plan.body.as_ref().expect("rendered before it is created");
        let purpose = format!("create the {} deployment", body.environment);
        let decision = match answer(&reply) {
            Answer::Success { status: 201, body: json } => match github::parse::<Deployment>(json, &purpose) {
                Ok(created) => {
                    log.info(format!("{name}: created deployment {} of {} to {}.", created.id, short_sha(&body.sha), body.environment));
                    Decision::Created { id: created.id, url: created.url }
                }
                Err(reason) => Decision::Failed { reason },
            },
            // 202: GitHub merged the default branch into the ref instead (auto_merge); the merge
            // commit is a new push, which its own run deploys.
            Answer::Success { body: json, .. } => Decision::NotCreated {
                reason: format!(
                    "GitHub merged the default branch into the ref instead of deploying ({}); the merge commit deploys on its own push",
                    github::message_of(json)
                ),
            },
            Answer::Refused { status, message } => {
                Decision::Failed { reason: format!("GitHub refused to {purpose} ({status}): {message}") }
            }
            Answer::Lost { error } => Decision::Failed { reason: format!("the answer to \"{purpose}\" was lost: {error}") },
        };
        if let Decision::Failed { reason } | Decision::NotCreated { reason } = &decision {
            log.warning(format!("{name}: {reason}"));
        }
        plan.progress = Progress::Decided(decision);
    }

    fn target_name(&self, index: usize) -> &str {
        let config = self.config.as_ref().expect("plans exist only once the config is read");
        &config.targets[self.plans[index].target].name
    }

    fn outcome(&self) -> Outcome {
        let rows = self.plans.iter().enumerate().map(|(index, plan)| {
            let decision = match &plan.progress {
                Progress::Decided(decision) => decision.clone(),
                _ => Decision::Failed { reason: "internal error: left undecided".to_string() },
            };
            Row {
                target: self.target_name(index).to_string(),
                environment: plan.body.as_ref().map(|b| b.environment.clone()).unwrap_or_default(),
                sha: self.push.after.clone(),
                decision,
            }
        });
        Report {
            heading: format!("Push to `{}` at `{}`", short_name(&self.push.git_ref), short_sha(&self.push.after)),
            git_ref: self.push.git_ref.clone(),
            server_url: self.context.server_url.clone(),
            repository: self.context.repository.clone(),
            rows: rows.collect(),
            unselected: self.unselected,
            dry_run: self.settings.dry_run,
        }
        .outcome()
    }
}

impl Flow for Deliver {
    fn absorb(&mut self, reply: Reply, log: &mut Log) {
        match self.awaiting.take() {
            Some(Awaiting::Config) => self.read_config(reply, log),
            Some(Awaiting::Commit) => self.read_commit(reply),
            Some(Awaiting::Existing(index)) => self.check_existing(index, reply, log),
            Some(Awaiting::Create(index)) => self.record_create(index, reply, log),
            None => self.end = Some(Outcome::failed("internal error: a reply came for no request")),
        }
    }

    fn next(&mut self, log: &mut Log) -> Result<Request, Outcome> {
        if let Some(end) = &self.end {
            return Err(end.clone());
        }
        if self.config.is_none() {
            self.awaiting = Some(Awaiting::Config);
            return Ok(github::get_file(&self.repo, &self.settings.config_path, &self.push.repository.default_branch));
        }
        if let Commit::Needed = self.commit {
            self.awaiting = Some(Awaiting::Commit);
            return Ok(github::get_commit(&self.repo, &self.push.after));
        }
        while let Some(plan) = self.plans.get(self.cursor) {
            let index = self.cursor;
            match plan.progress {
                Progress::Render => self.render(index, log),
                Progress::Check => {
                    let body = plan.body.as_ref().expect("rendered before it is checked");
                    self.awaiting = Some(Awaiting::Existing(index));
                    return Ok(github::find_deployment(&self.repo, &body.sha, &body.environment));
                }
                Progress::Create => {
                    let body = plan.body.as_ref().expect("rendered before it is created");
                    self.awaiting = Some(Awaiting::Create(index));
                    let json = serde_json::to_value(body).expect("a deployment body is always JSON");
                    let purpose = format!("create the {} deployment for target {}", body.environment, self.target_name(index));
                    return Ok(github::create_deployment(&self.repo, json, purpose));
                }
                Progress::Decided(_) => self.cursor += 1,
            }
        }
        Err(self.outcome())
    }
}

fn annotation(path: &str, error: &Diagnostic) -> Option<Annotation> {
    error.pos.map(|pos| Annotation { file: path.to_string(), line: pos.line, column: pos.column })
}

/// Every problem of the config as an error line with its annotation; the run fails, creating nothing.
fn invalid_config(path: &str, errors: &[Diagnostic], log: &mut Log) -> Outcome {
    for error in errors {
        log.error(located(path, error), annotation(path, error));
    }
    let problems = if errors.len() == 1 { "a problem".to_string() } else { format!("{} problems", errors.len()) };
    let mut outcome = Outcome::failed(format!("{path} has {problems}; nothing was deployed."));
    outcome.summary.push_str("\n```\n");
    for error in errors {
        outcome.summary.push_str(&located(path, error));
        outcome.summary.push('\n');
    }
    outcome.summary.push_str("```\n");
    outcome
}

/// `path:line:column: message`, as compilers write it (and editors and terminals link it).
pub fn located(path: &str, error: &Diagnostic) -> String {
    match error.pos {
        Some(pos) => format!("{path}:{}:{}: {}", pos.line, pos.column, error.message),
        None => format!("{path}: {}", error.message),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
