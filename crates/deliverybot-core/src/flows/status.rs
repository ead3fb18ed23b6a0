//! The status mode: the deploy workflow reports a deployment's progress with deployment statuses,
//! as the original `deliverybot/deployment-status` action did. With `state: auto` one step covers
//! the whole job: `in_progress` now, and the job's final state from the action's post step, which
//! runs even when the job fails or is cancelled, so no deployment is left `in_progress`.

use crate::deployment::{truncate, DESCRIPTION_LIMIT};
use crate::flow::Flow;
use crate::event::Event;
use crate::github::deployment_status::State;
use crate::github::{self, answer, Answer};
use crate::invocation::{input, parse_bool, Invocation, Repo};
use crate::log::Log;
use crate::protocol::{Outcome, Reply, Request};
use crate::markdown;
use serde::Serialize;

/// What the `state` input asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Requested {
    State(State),
    /// `job.status` of a cancelled job. The deployment did not finish, so it is reported as
    /// `error` (not `inactive`, which would hide it among superseded deployments).
    Cancelled,
    /// `in_progress` now, the job's outcome from the post step.
    Auto,
}

const STATES: &str = "pending, queued, in_progress, success, failure, error, inactive, cancelled or auto";

fn parse_requested(name: &str, text: &str) -> Result<Requested, String> {
    match text.to_ascii_lowercase().as_str() {
        "auto" => Ok(Requested::Auto),
        "cancelled" | "canceled" => Ok(Requested::Cancelled),
        other => State::parse(other)
            .map(Requested::State)
            .ok_or_else(|| format!("input `{name}` must be one of {STATES}, got {text:?}")),
    }
}

/// The state key saved for the post step: the deployment it must finish.
const FINISH_KEY: &str = "finish-deployment-id";

/// Whether this run reports a status rather than applying the rules.
pub fn is_status_mode(invocation: &Invocation) -> bool {
    input(&invocation.inputs, "state").is_some() || invocation.event_name == "deployment"
}

/// The status mode's main step.
pub(crate) fn main(invocation: &Invocation, repo: Repo, event: &Event, log: &mut Log) -> Result<SetStatus, Outcome> {
    let requested = requested(invocation).map_err(Outcome::failed)?;
    let (deployment_id, event_environment) = deployment_of(invocation, event).map_err(Outcome::failed)?;
    let (state, save) = match requested {
        Requested::Auto => {
            log.info(format!("Deployment {deployment_id}: in progress; the post step reports how the job ends."));
            (State::InProgress, true)
        }
        Requested::Cancelled => (State::Error, false),
        Requested::State(state) => (state, false),
    };
    let cancelled = requested == Requested::Cancelled;
    let mut flow = SetStatus::new(invocation, repo, deployment_id, event_environment, state, cancelled, log)?;
    if save {
        flow.save_for_post = vec![(FINISH_KEY.to_string(), deployment_id.to_string())];
    }
    Ok(flow)
}

/// What the `state` input asks for; on a `deployment` event with no `state`, one step covers the job.
fn requested(invocation: &Invocation) -> Result<Requested, String> {
    match input(&invocation.inputs, "state") {
        Some(text) => parse_requested("state", text),
        None => Ok(Requested::Auto),
    }
}

/// The post step: finish what a `state: auto` main step started, from the job's status.
///
/// The saved state alone is not trusted: the runner reads it back from the main step's output, where
/// outside text could have forged a `::save-state`. The post step derives the deployment again, from
/// the event and the inputs exactly as the main step did, and finishes it only if the saved state
/// names that same deployment.
pub(crate) fn post(invocation: &Invocation, repo: Repo, event: &Event, log: &mut Log) -> Result<SetStatus, Outcome> {
    let Some(saved) = invocation.state.get(FINISH_KEY) else {
        log.debug("Nothing for the post step to finish.");
        return Err(Outcome::silent());
    };
    let started = started_by_main(invocation, event);
    let (deployment_id, event_environment) = match started {
        Some((id, environment)) if parse_id(FINISH_KEY, saved) == Ok(id) => (id, environment),
        _ => {
            let derived = match started {
                Some((id, _)) => format!("this job's event and inputs name deployment {id}"),
                None => "this job's event and inputs name no deployment in `state: auto`".to_string(),
            };
            log.warning(format!(
                "The post step was asked to finish a deployment that its main step did not start ({derived}); nothing was reported, as saved state that Deliverybot's main step did not write is ignored."
            ));
            return Err(Outcome::silent());
        }
    };
    let job_status = input(&invocation.inputs, "job-status").ok_or_else(|| {
        Outcome::failed("input `job-status` is empty: the post step reports the job's status (its default is `${{ job.status }}`)")
    })?;
    let requested = parse_requested("job-status", job_status).map_err(Outcome::failed)?;
    let (state, cancelled) = match requested {
        Requested::State(state) => (state, false),
        Requested::Cancelled => (State::Error, true),
        Requested::Auto => return Err(Outcome::failed("input `job-status` cannot be `auto`")),
    };
    log.info(format!("Deployment {deployment_id}: the job ended with `{job_status}`; reporting {}.", state.as_str()));
    SetStatus::new(invocation, repo, deployment_id, event_environment, state, cancelled, log)
}

/// The deployment a main step in `state: auto` started (and saved for its post step), derived as
/// the main step derives it: `None` when the main step would not have started one.
fn started_by_main(invocation: &Invocation, event: &Event) -> Option<(u64, Option<String>)> {
    if !is_status_mode(invocation) || requested(invocation) != Ok(Requested::Auto) {
        return None;
    }
    deployment_of(invocation, event).ok()
}

/// The deployment to report on: `deployment-id` if given, else the `deployment` event's.
fn deployment_of(invocation: &Invocation, event: &Event) -> Result<(u64, Option<String>), String> {
    if let Some(text) = input(&invocation.inputs, "deployment-id") {
        let id = parse_id("deployment-id", text)?;
        let environment = match event {
            Event::Deployment(d) if d.deployment.id == id => Some(d.deployment.environment.clone()),
            _ => None,
        };
        return Ok((id, environment));
    }
    match event {
        Event::Deployment(d) => Ok((d.deployment.id, Some(d.deployment.environment.clone()))),
        _ => Err(format!(
            "no deployment to report on: this is a `{}` event, not `deployment`. Pass `deployment-id`, for example the `deployment-id` output of the step that created it",
            invocation.event_name
        )),
    }
}

fn parse_id(name: &str, text: &str) -> Result<u64, String> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| format!("input `{name}` must be a deployment id (a positive whole number), got {text:?}"))
}

/// `POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses`.
#[derive(Debug, Clone, Serialize, PartialEq)]
struct NewStatus {
    state: State,
    log_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    environment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    environment_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auto_inactive: Option<bool>,
}

pub(crate) struct SetStatus {
    repo: Repo,
    server_url: String,
    repository: String,
    deployment_id: u64,
    environment: Option<String>,
    body: NewStatus,
    save_for_post: Vec<(String, String)>,
    /// Decide and report the status, write nothing.
    dry_run: bool,
    sent: bool,
    outcome: Option<Outcome>,
}

impl SetStatus {
    fn new(
        invocation: &Invocation,
        repo: Repo,
        deployment_id: u64,
        event_environment: Option<String>,
        state: State,
        cancelled: bool,
        log: &mut Log,
    ) -> Result<SetStatus, Outcome> {
        let inputs = &invocation.inputs;
        let context = &invocation.context;
        let log_url = match input(inputs, "log-url") {
            Some(url) => url.to_string(),
            None => context.run_url(),
        };
        let description = match (input(inputs, "description"), cancelled) {
            (Some(text), _) => Some(text.to_string()),
            (None, true) => Some("The deploy job was cancelled.".to_string()),
            (None, false) => None,
        };
        let description = description.map(|text| {
            let cut = truncate(&text, DESCRIPTION_LIMIT);
            if cut != text {
                log.warning(format!("The description is longer than GitHub's {DESCRIPTION_LIMIT} characters; it was cut."));
            }
            cut
        });
        let auto_inactive = input(inputs, "auto-inactive").map(|text| parse_bool("auto-inactive", text)).transpose().map_err(Outcome::failed)?;
        let environment = input(inputs, "environment").map(str::to_string);
        Ok(SetStatus {
            repo,
            server_url: context.server_url.clone(),
            repository: context.repository.clone(),
            deployment_id,
            environment: environment.clone().or(event_environment),
            body: NewStatus {
                state,
                log_url,
                description,
                environment,
                environment_url: input(inputs, "environment-url").map(str::to_string),
                auto_inactive,
            },
            save_for_post: Vec::new(),
            dry_run: input(inputs, "dry-run").map(|text| parse_bool("dry-run", text)).transpose().map_err(Outcome::failed)?.unwrap_or(false),
            sent: false,
            outcome: None,
        })
    }

    fn outputs(&self, status_id: Option<u64>) -> Vec<(String, String)> {
        vec![
            ("deployment-id".to_string(), self.deployment_id.to_string()),
            ("status-id".to_string(), status_id.map(|id| id.to_string()).unwrap_or_default()),
            ("state".to_string(), status_id.map(|_| self.body.state.as_str().to_string()).unwrap_or_default()),
        ]
    }

    fn summary(&self, status_id: u64) -> String {
        let state = self.body.state.as_str();
        let environment = match &self.environment {
            Some(environment) => format!(
                " to [{}]({}/{}/deployments/{})",
                markdown::line(environment),
                self.server_url,
                self.repository,
                github::encode(environment)
            ),
            None => String::new(),
        };
        let mut out = format!(
            "### Deliverybot\n\nDeployment {}{environment}: **{state}** (status {status_id}).\n\n",
            self.deployment_id
        );
        out.push_str(&format!("- Log: {}\n", markdown::line(&self.body.log_url)));
        if let Some(url) = &self.body.environment_url {
            out.push_str(&format!("- Environment: {}\n", markdown::line(url)));
        }
        if let Some(description) = &self.body.description {
            out.push_str(&format!("- Description: {}\n", markdown::line(description)));
        }
        out
    }
}

impl Flow for SetStatus {
    fn absorb(&mut self, reply: Reply, log: &mut Log) {
        let state = self.body.state.as_str();
        let id = self.deployment_id;
        let failed = |reason: String| {
            let mut outcome = Outcome::failed(format!("Could not set deployment {id} to {state}: {reason}"));
            outcome.outputs = vec![
                ("deployment-id".to_string(), id.to_string()),
                ("status-id".to_string(), String::new()),
                ("state".to_string(), String::new()),
            ];
            outcome
        };
        let mut outcome = match answer(&reply) {
            Answer::Success { body, .. } => match github::json(body, "create a deployment status").and_then(|v| github::number(&v, "/id").ok_or_else(|| github::missing("create a deployment status", "id"))) {
                Ok(created) => {
                    log.info(format!("Deployment {id}: {state} (status {created})."));
                    Outcome { outputs: self.outputs(Some(created)), summary: self.summary(created), ..Outcome::default() }
                }
                Err(reason) => failed(reason),
            },
            Answer::NotFound { .. } => failed(format!(
                "deployment {id} was not found in {}. Check `deployment-id`, and that the token can read deployments",
                self.repository
            )),
            refused => failed(refused.explain(Some("deployments: write"))),
        };
        // Saved whatever happened: if `in_progress` could not be written the job fails, and the
        // post step must still try to report that.
        outcome.state = std::mem::take(&mut self.save_for_post);
        self.outcome = Some(outcome);
    }

    fn next(&mut self, log: &mut Log) -> Result<Request, Outcome> {
        if let Some(outcome) = self.outcome.take() {
            return Err(outcome);
        }
        if self.sent {
            return Err(Outcome::failed("internal error: the status request got no reply"));
        }
        self.sent = true;
        let body = serde_json::to_value(&self.body).expect("a status body is always JSON");
        if self.dry_run {
            log.info(format!("Dry run: would set deployment {} to {}: {body}", self.deployment_id, self.body.state.as_str()));
            let mut outcome = Outcome::nothing_to_do(format!(
                "Dry run: would set deployment {} to **{}**.",
                self.deployment_id,
                self.body.state.as_str()
            ));
            outcome.outputs = self.outputs(None);
            return Err(outcome);
        }
        let purpose = format!("set deployment {} to {}", self.deployment_id, self.body.state.as_str());
        Ok(github::create_status(&self.repo, self.deployment_id, body, purpose))
    }
}

impl Outcome {
    /// Nothing happened and nothing needs saying (a post step with nothing to finish).
    pub fn silent() -> Outcome {
        Outcome::default()
    }
}
