//! A pull request closed: its review environments go away. Every deployment of this pull request to
//! a transient environment is marked `inactive`, every page of them, and only those (see [`claim`]):
//! those Deliverybot created for it (the payload's `deliverybot.pr` marker says which), and those
//! made before the marker (by the original Deliverybot, or by hand) of its head to one of its review
//! environments; never another pull request's, never a deployment to a lasting environment. A
//! deployment already inactive is left as it is: no write that changes nothing.

use crate::config::{Config, Trigger};
use crate::deployment::{environment_of, Source};
use crate::flow::Flow;
use crate::flows::config_file::ConfigFile;
use crate::event::PullRequest;
use crate::github::{self, answer, Answer, MAX_PAGES};
use crate::invocation::{Repo, RunContext, Settings};
use crate::log::Log;
use crate::protocol::{Outcome, Reply, Request};
use crate::markdown;
use serde_json::{json, Value};

pub(crate) struct Retire {
    repo: Repo,
    settings: Settings,
    context: RunContext,
    default_branch: String,
    pr: PullRequest,
    config_read: bool,
    /// The environments of this pull request's targets, each listed page by page.
    environments: Vec<Listing>,
    /// Deployments of this pull request, with what is known of their latest state.
    found: Vec<Found>,
    awaiting: Option<Awaiting>,
    end: Option<Outcome>,
    failures: Vec<String>,
}

struct Listing {
    environment: String,
    /// A review environment: a `pr` target's, rendered for this pull request.
    review: bool,
    /// The next page of its deployments to list, if any.
    next_page: Option<u32>,
}

/// Whether a listed deployment is this pull request's to retire, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Claim {
    /// Deliverybot created it for this pull request: the payload's `deliverybot.pr` says so.
    Marked,
    /// Made before the marker, by the original Deliverybot or by hand: the pull request's head, to one
    /// of its review environments.
    OfTheHead,
    /// To a lasting environment (`transient_environment` false): not a review app, whoever made it.
    NotTransient,
    /// Marked for another pull request.
    AnotherPullRequest,
    /// Unmarked, and not the head to a review environment: someone else's.
    Unrelated,
}

impl Claim {
    fn retires(self) -> bool {
        matches!(self, Claim::Marked | Claim::OfTheHead)
    }
}

/// Whose a listed deployment to one of this pull request's environments is. The marker decides when
/// there is one; without it, a deployment counts as this pull request's only if it is of its head
/// (see [`of_head`]) to a review environment (`review`), so a transient environment `/deploy` may use
/// for any pull request keeps the deployments that are not marked as this one's.
fn claim(deployment: &Value, pr: &PullRequest, review: bool) -> Claim {
    if deployment.get("transient_environment").and_then(Value::as_bool) != Some(true) {
        return Claim::NotTransient;
    }
    match github::number(deployment, "/payload/deliverybot/pr") {
        Some(number) if number == pr.number => Claim::Marked,
        Some(_) => Claim::AnotherPullRequest,
        None if review && of_head(deployment, pr) => Claim::OfTheHead,
        None => Claim::Unrelated,
    }
}

/// Whether a deployment is of the pull request's head: its commit (as the deployment's `sha` or its
/// `ref`), or its branch by name (`feature` or `refs/heads/feature`) when the branch is in this
/// repository. A fork's branch is not: the same name here is this repository's branch.
fn of_head(deployment: &Value, pr: &PullRequest) -> bool {
    let (git_ref, sha) = (github::text(deployment, "/ref"), github::text(deployment, "/sha"));
    let head_sha = Some(pr.head_sha.as_str()).filter(|s| !s.is_empty());
    let head_branch = Some(pr.head_ref.as_str()).filter(|b| !b.is_empty() && !pr.fork);
    let commit = head_sha.is_some() && (sha == head_sha || git_ref == head_sha);
    let branch = head_branch.is_some() && (git_ref == head_branch || git_ref.and_then(|r| r.strip_prefix("refs/heads/")) == head_branch);
    commit || branch
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
            let review = target.auto_deploy_on == Some(Trigger::PullRequest);
            match environment_of(target, &source) {
                Ok(environment) => match self.environments.iter_mut().find(|l| l.environment == environment) {
                    Some(listing) => listing.review |= review,
                    None => self.environments.push(Listing { environment, review, next_page: Some(1) }),
                },
                Err(errors) if review => {
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
        let Listing { environment, review, next_page: page } = &self.environments[index];
        match answer(&reply) {
            Answer::Success { body, more, .. } => match github::json(body, "list deployments") {
                Ok(listed) => {
                    let mine: Vec<Found> = github::items(&listed)
                        .iter()
                        .filter(|d| claim(d, &self.pr, *review).retires())
                        .filter_map(|d| github::number(d, "/id"))
                        .map(|id| Found { id, environment: environment.clone(), state: State::Unknown })
                        .collect();
                    self.found.extend(mine);
                    self.environments[index].next_page = page.filter(|p| more && *p < MAX_PAGES).map(|p| p + 1);
                }
                Err(reason) => self.fail_list(index, reason),
            },
            failed => self.fail_list(index, failed.said()),
        }
    }

    fn fail_list(&mut self, index: usize, reason: String) {
        self.failures.push(format!("could not list the deployments to {}: {reason}", self.environments[index].environment));
        self.environments[index].next_page = None;
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
            summary.push_str(&format!("- deployment {} to {}\n", found.id, markdown::line(&found.environment)));
        }
        let would: Vec<&Found> = self.found.iter().filter(|f| matches!(f.state, State::Active)).collect();
        if self.settings.dry_run && !would.is_empty() {
            summary.push_str("\nDry run: would make inactive:\n");
            for found in &would {
                summary.push_str(&format!("- deployment {} to {}\n", found.id, markdown::line(&found.environment)));
            }
        }
        for failure in &self.failures {
            summary.push_str(&format!("- :x: {}\n", markdown::line(failure)));
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
        if let Some(index) = self.environments.iter().position(|l| l.next_page.is_some()) {
            let Listing { environment, next_page, .. } = &self.environments[index];
            let request = github::list_deployments(&self.repo, environment, next_page.expect("a page to read"));
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

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

    fn pr(fork: bool) -> PullRequest {
        let head_repo = if fork { 99 } else { 7 };
        let object = json!({ "number": 2, "head": { "ref": "feature", "sha": HEAD, "repo": { "id": head_repo } }, "base": { "ref": "main", "repo": { "id": 7 } } });
        PullRequest::from_object(object, 7).unwrap()
    }

    fn listed(git_ref: &str, sha: &str, transient: bool, payload: Value) -> Value {
        json!({ "ref": git_ref, "sha": sha, "transient_environment": transient, "payload": payload })
    }

    #[test]
    fn a_deployment_is_the_pull_requests_by_its_marker_else_by_its_head_to_a_review_environment() {
        let old = "0000000000000000000000000000000000000001";
        let cases = [
            (listed("main", old, true, json!({ "deliverybot": { "pr": 2 } })), false, Claim::Marked),
            (listed("feature", old, true, json!({})), true, Claim::OfTheHead),
            (listed("refs/heads/feature", old, true, json!({ "target": "review" })), true, Claim::OfTheHead),
            (listed(HEAD, HEAD, true, Value::Null), true, Claim::OfTheHead),
            (listed("main", HEAD, true, json!({})), true, Claim::OfTheHead),
            (listed("feature", HEAD, false, json!({ "deliverybot": { "pr": 2 } })), true, Claim::NotTransient),
            (listed("feature", HEAD, true, json!({ "deliverybot": { "pr": 3 } })), true, Claim::AnotherPullRequest),
            (listed("feature", HEAD, true, json!({})), false, Claim::Unrelated),
            (listed("main", old, true, json!({})), true, Claim::Unrelated),
            (listed("refs/tags/feature", old, true, json!({})), true, Claim::Unrelated),
            (json!({ "transient_environment": true }), true, Claim::Unrelated),
        ];
        for (deployment, review, expected) in cases {
            assert_eq!(claim(&deployment, &pr(false), review), expected, "{deployment} (review environment: {review})");
        }
        assert_eq!(claim(&listed("feature", old, true, json!({})), &pr(true), true), Claim::Unrelated, "a fork's branch is not this repository's");
        assert_eq!(claim(&listed(HEAD, HEAD, true, json!({})), &pr(true), true), Claim::OfTheHead, "a fork's head commit is");
    }
}
