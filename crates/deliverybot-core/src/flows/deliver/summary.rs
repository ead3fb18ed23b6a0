//! What the rules mode reports: each plan's decision as a row, and the run's outcome (outputs, the
//! job summary with its heading, the pipeline chart and the notes) rendered from those rows by
//! `report`.

use super::candidates::Origin;
use super::{Deliver, Progress};
use crate::flows::stuck::Sweep;
use crate::github;
use crate::markdown::code;
use crate::protocol::{Method, Outcome, RequestRecord};
use crate::refs::{short_name, short_sha};
use crate::report::{Report, Row};
use crate::rules::Decision;

impl Deliver {
    pub(crate) fn outcome(&self) -> Outcome {
        let mut notes = self.freeze_notes();
        notes.extend(self.sweep.iter().flat_map(Sweep::notes));
        let mut outcome = Report {
            heading: self.heading(),
            server_url: self.context.server_url.clone(),
            repository: self.context.repository.clone(),
            rows: self.rows(),
            unselected: self.unselected,
            dry_run: self.settings.dry_run,
            chart: self.chart(),
            notes,
        }
        .outcome();
        if let Some(problem) = self.sweep.as_ref().and_then(Sweep::failure) {
            let failure = match outcome.failure.take() {
                Some(failure) => format!("{failure} And the sweep of stuck deployments failed: {problem}"),
                None => format!("The sweep of stuck deployments failed: {problem}"),
            };
            outcome.failure = Some(failure);
        }
        outcome
    }

    /// Each plan's decision, once decided.
    pub(crate) fn rows(&self) -> Vec<Row> {
        self.plans
            .iter()
            .enumerate()
            .map(|(index, plan)| {
                let candidate = &self.candidates[plan.candidate];
                Row {
                    target: self.target_name(index).to_string(),
                    // Decided before rendering, a pipeline's target still says where it deploys.
                    environment: plan.body.as_ref().map(|b| &b.environment).or_else(|| self.destinations.get(&plan.target).map(|d| &d.environment)).cloned().unwrap_or_default(),
                    git_ref: candidate.git_ref.clone(),
                    sha: candidate.sha.clone(),
                    request: plan.body.as_ref().map(|_| RequestRecord {
                        method: Method::Post,
                        path: format!("{}/deployments", github::repo_path(&self.repo)),
                        body: self.create_body(index),
                    }),
                    note: plan.note.clone(),
                    decision: match &plan.progress {
                        Progress::Decided(decision) => decision.clone(),
                        _ => Decision::Failed { reason: "internal error: left undecided".to_string() },
                    },
                }
            })
            .collect()
    }

    fn heading(&self) -> String {
        match &self.origin {
            Origin::Push(push) => format!("Push to {} at `{}`", code(short_name(&push.git_ref)), short_sha(&push.after)),
            Origin::PullRequest(pr) => format!("Pull request #{} at `{}`", pr.number, short_sha(&pr.head_sha)),
            Origin::Check(check) => format!("`{}` on `{}`", self.event_name, short_sha(&check.sha)),
            Origin::Dispatch(dispatch) => format!("`{}` of {}", self.event_name, code(dispatch.target.as_deref().unwrap_or("?"))),
            Origin::Schedule => "Scheduled check of every automatic target".to_string(),
            Origin::DeploymentStatus(status) => {
                let deployment = &status.deployment;
                let state = &status.deployment_status.state;
                format!("Deployment {} of `{}` to {}: {state}", deployment.id, short_sha(&deployment.sha), code(&deployment.environment))
            }
        }
    }
}
