//! A pull request closed: its review environments go away. Every deployment Deliverybot created
//! for this pull request to a transient environment is marked `inactive` — every page of them, and
//! only those (the payload's `deliverybot.pr` marker says which), never another pull request's or
//! anyone else's. A deployment already inactive is left as it is: no write that changes nothing.

use crate::config::{Config, Trigger};
use crate::deployment::{environment_of, Source};
use crate::flow::Flow;
use crate::flows::config_file::ConfigFile;
use crate::event::PullRequest;
use crate::github::{self, answer, Answer, MAX_PAGES};
use crate::invocation::{Repo, RunContext, Settings};
use crate::log::Log;
use crate::protocol::{Outcome, Reply, Request};
use crate::report::escape;
use serde_json::{json, Value};

pub(crate) struct Retire {
    repo: Repo,
    settings: Settings,
    context: RunContext,
    default_branch: String,
    pr: PullRequest,
    config_read: bool,
    /// The environments of this pull request's targets, and the next page of each to list.
    environments: Vec<(String, Option<u32>)>,
    /// Deployments of this pull request, with what is known of their latest state.
    found: Vec<Found>,
    awaiting: Option<Awaiting>,
    end: Option<Outcome>,
    failures: Vec<String>,
}

struct Found {
    id: u64,
    environment: String,
    state: State,
}

enum State {
    Unknown,
    Active,
    AlreadyInactive,
    Retired,
    Failed,
}

enum Awaiting {
    Config,
    List(usize),
    Latest(usize),
    Retire(usize),
}

impl Retire {
    pub fn new(repo: Repo, settings: Settings, context: RunContext, default_branch: String, pr: PullRequest) -> Retire {
        Retire {
            repo,
            settings,
            context,
            default_branch,
            pr,
            config_read: false,
            environments: Vec::new(),
            found: Vec::new(),
            awaiting: None,
            end: None,
            failures: Vec::new(),
        }
    }

    fn environments(&mut self, config: &Config, log: &mut Log) {
        let run_url = self.context.run_url();
        let git_ref = self.pr.git_ref();
        let source = Source {
            git_ref: &git_ref,
            sha: &self.pr.head_sha,
            event_name: "pull_request",
            run_url: &run_url,
            run_id: &self.context.run_id,
            owner: &self.repo.owner,
            repo: &self.repo.name,
            actor: &self.context.actor,
            pull_request: Some(&self.pr.object),
            commit: None,
        };
        // Pull request targets, and transient ones a `/deploy` may have used for this pull request.
        for target in config.targets.iter().filter(|t| t.auto_deploy_on == Some(Trigger::PullRequest) || t.transient_environment == Some(true)) {
            match environment_of(target, &source) {
                Ok(environment) if !self.environments.iter().any(|(e, _)| *e == environment) => self.environments.push((environment, Some(1))),
                Ok(_) => {}
                Err(errors) if target.auto_deploy_on == Some(Trigger::PullRequest) => {
                    log.warning(format!("{}: cannot tell its environment for #{}: {}", target.name, self.pr.number, errors[0].message))
                }
                Err(_) => {}
            }
        }
        if self.environments.is_empty() {
            log.info(format!("No target deploys pull requests or transient environments: nothing to retire for #{}.", self.pr.number));
        }
    }

    fn read_list(&mut self, index: usize, reply: Reply) {
        let (environment, page) = self.environments[index].clone();
        // Deliverybot's, for this pull request, to a transient environment: never anyone else's.
        let ours = |d: &Value| {
            d.get("transient_environment").and_then(Value::as_bool) == Some(true) && github::number(d, "/payload/deliverybot/pr") == Some(self.pr.number)
        };
        match answer(&reply) {
            Answer::Success { body, more, .. } => match github::json(body, "list deployments") {
                Ok(listed) => {
                    let mine: Vec<Found> = github::items(&listed)
                        .iter()
                        .filter(|d| ours(d))
                        .filter_map(|d| github::number(d, "/id"))
                        .map(|id| Found { id, environment: environment.clone(), state: State::Unknown })
                        .collect();
                    self.found.extend(mine);
                    self.environments[index].1 = page.filter(|p| more && *p < MAX_PAGES).map(|p| p + 1);
                }
                Err(reason) => self.fail_list(index, reason),
            },
            failed => self.fail_list(index, failed.said()),
        }
    }

    fn fail_list(&mut self, index: usize, reason: String) {
        self.failures.push(format!("could not list the deployments to {}: {reason}", self.environments[index].0));
        self.environments[index].1 = None;
    }

    fn read_latest(&mut self, index: usize, reply: Reply) {
        let found = &mut self.found[index];
        found.state = match answer(&reply) {
            Answer::Success { body, .. } => match github::json(body, "read deployment statuses") {
                Ok(statuses) if github::text(&statuses, "/0/state") == Some("inactive") => State::AlreadyInactive,
                Ok(_) => State::Active,
                Err(reason) => {
                    self.failures.push(reason);
                    State::Failed
                }
            },
            failed => {
                self.failures.push(format!("could not read the state of deployment {}: {}", found.id, failed.said()));
                State::Failed
            }
        };
    }

    fn read_retire(&mut self, index: usize, reply: Reply, log: &mut Log) {
        let found = &mut self.found[index];
        found.state = match answer(&reply) {
            Answer::Success { .. } => {
                log.info(format!("Deployment {} to {} is now inactive.", found.id, found.environment));
                State::Retired
            }
            failed => {
                self.failures.push(format!("could not make deployment {} inactive: {}", found.id, failed.said()));
                State::Failed
            }
        };
    }

    fn outcome(&self) -> Outcome {
        let retired: Vec<&Found> = self.found.iter().filter(|f| matches!(f.state, State::Retired)).collect();
        let already = self.found.iter().filter(|f| matches!(f.state, State::AlreadyInactive)).count();
        let mut summary = format!(
            "### Deliverybot\n\nPull request #{} closed: {} deployment{} made inactive",
            self.pr.number,
            retired.len(),
            if retired.len() == 1 { "" } else { "s" }
        );
        summary.push_str(&format!(" ({already} already inactive).\n\n"));
        for found in &retired {
            summary.push_str(&format!("- deployment {} to {}\n", found.id, escape(&found.environment)));
        }
        let would: Vec<&Found> = self.found.iter().filter(|f| matches!(f.state, State::Active)).collect();
        if self.settings.dry_run && !would.is_empty() {
            summary.push_str("\nDry run: would make inactive:\n");
            for found in &would {
                summary.push_str(&format!("- deployment {} to {}\n", found.id, escape(&found.environment)));
            }
        }
        for failure in &self.failures {
            summary.push_str(&format!("- :x: {}\n", escape(failure)));
        }
        let mut outcome = Outcome::nothing_to_do("");
        outcome.summary = summary;
        outcome.outputs.push(("inactive".to_string(), json!(retired.iter().map(|f| json!({ "id": f.id, "environment": f.environment })).collect::<Vec<_>>()).to_string()));
        if !self.failures.is_empty() {
            outcome.failure = Some(format!("Closing #{}: {}", self.pr.number, self.failures.join("; ")));
        }
        outcome
    }
}

impl Flow for Retire {
    fn absorb(&mut self, reply: Reply, log: &mut Log) {
        match self.awaiting.take() {
            Some(Awaiting::Config) => {
                self.config_read = true;
                let (path, branch) = (&self.settings.config_path, &self.default_branch);
                match ConfigFile::from_reply(&reply, path, branch).into_config(path, branch, log) {
                    Ok(config) => self.environments(&config, log),
                    Err(end) => self.end = Some(end),
                }
            }
            Some(Awaiting::List(index)) => self.read_list(index, reply),
            Some(Awaiting::Latest(index)) => self.read_latest(index, reply),
            Some(Awaiting::Retire(index)) => self.read_retire(index, reply, log),
            None => self.end = Some(Outcome::failed("internal error: a reply came for no request")),
        }
    }

    fn next(&mut self, log: &mut Log) -> Result<Request, Outcome> {
        if let Some(end) = &self.end {
            return Err(end.clone());
        }
        if !self.config_read {
            self.awaiting = Some(Awaiting::Config);
            return Ok(github::get_file(&self.repo, &self.settings.config_path, Some(&self.default_branch)));
        }
        if let Some(index) = self.environments.iter().position(|(_, page)| page.is_some()) {
            let (environment, page) = &self.environments[index];
            let request = github::list_deployments(&self.repo, environment, page.expect("a page to read"));
            self.awaiting = Some(Awaiting::List(index));
            return Ok(request);
        }
        if let Some(index) = self.found.iter().position(|f| matches!(f.state, State::Unknown)) {
            self.awaiting = Some(Awaiting::Latest(index));
            return Ok(github::latest_status(&self.repo, self.found[index].id));
        }
        if self.settings.dry_run {
            for found in self.found.iter().filter(|f| matches!(f.state, State::Active)) {
                log.info(format!("Dry run: would make deployment {} to {} inactive.", found.id, found.environment));
            }
            return Err(self.outcome());
        }
        if let Some(index) = self.found.iter().position(|f| matches!(f.state, State::Active)) {
            let id = self.found[index].id;
            let body = json!({ "state": "inactive", "description": format!("Pull request #{} was closed.", self.pr.number) });
            self.awaiting = Some(Awaiting::Retire(index));
            return Ok(github::create_status(&self.repo, id, body, format!("make deployment {id} inactive")));
        }
        Err(self.outcome())
    }
}
