//! What a run reports: step outputs, the job summary and the final verdict, all rendered from the
//! same decisions so they cannot disagree.

use crate::protocol::{DecisionRecord, Outcome, RequestRecord};
use crate::refs::short_sha;
use serde_json::{json, Value};

/// What happened to one selected target.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Created { id: u64, url: String },
    /// Dry run: the deployment would have been created.
    WouldCreate,
    /// This commit already has a deployment to this environment.
    AlreadyDeployed { id: u64 },
    /// The commit is no longer the tip of its ref: only the newest commit is deployed.
    Superseded { by: String },
    /// Required checks are pending or not reported yet; a later event deploys it.
    Waiting { contexts: Vec<String> },
    /// Required checks failed.
    Blocked { contexts: Vec<String> },
    /// The environment is locked (`/lock`): "locked by @octocat since ...: reason".
    Locked { description: String },
    /// Inside a freeze window (`freeze:`): waits until it ends, `Mon 06:00 Europe/Berlin`.
    Frozen { until: String },
    /// Not for this event after all (a fork, a draft, a ref that is gone).
    Skipped { reason: String },
    /// GitHub did not create it, for a reason that is not an error of this run.
    NotCreated { reason: String },
    /// Something went wrong; the step fails.
    Failed { reason: String },
}

impl Decision {
    /// The reason in words, for the summary and the `skipped`/`waiting` outputs.
    pub fn reason(&self) -> String {
        match self {
            Decision::Created { id, .. } => format!("created deployment {id}"),
            Decision::WouldCreate => "would create (dry run)".to_string(),
            Decision::AlreadyDeployed { id } => format!("already deployed (deployment {id})"),
            Decision::Superseded { by } => format!("superseded by {}", short_sha(by)),
            Decision::Waiting { contexts } => format!("waiting for {}", contexts.join(", ")),
            Decision::Blocked { contexts } => format!("blocked by {}", contexts.join(", ")),
            Decision::Locked { description } => description.clone(),
            Decision::Frozen { until } => format!("frozen until {until}"),
            Decision::Skipped { reason } | Decision::NotCreated { reason } | Decision::Failed { reason } => reason.clone(),
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Decision::Created { .. } => "created",
            Decision::WouldCreate => "would create",
            Decision::AlreadyDeployed { .. } => "already deployed",
            Decision::Superseded { .. } => "superseded",
            Decision::Waiting { .. } => "waiting",
            Decision::Blocked { .. } => "blocked",
            Decision::Locked { .. } => "locked",
            Decision::Frozen { .. } => "frozen",
            Decision::Skipped { .. } => "skipped",
            Decision::NotCreated { .. } => "not created",
            Decision::Failed { .. } => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub target: String,
    /// Empty when the deployment could not be rendered.
    pub environment: String,
    pub git_ref: String,
    pub sha: String,
    pub decision: Decision,
    /// The create request (made, or that a dry run would have made).
    pub request: Option<RequestRecord>,
    /// What a gate let through on purpose: a freeze an admin forced past.
    pub note: Option<String>,
}

impl Row {
    /// The row in the `deployments` output: `{ id, target, environment, ref, sha, url }`.
    fn created(&self, id: u64, url: &str) -> Value {
        json!({ "id": id, "target": self.target, "environment": self.environment, "ref": self.git_ref, "sha": self.sha, "url": url })
    }

    /// The row in the `skipped` and `waiting` outputs: `{ target, environment, ref, sha, reason }`.
    fn explained(&self) -> Value {
        json!({ "target": self.target, "environment": self.environment, "ref": self.git_ref, "sha": self.sha, "reason": self.decision.reason() })
    }

    fn record(&self) -> DecisionRecord {
        DecisionRecord {
            target: self.target.clone(),
            environment: self.environment.clone(),
            git_ref: self.git_ref.clone(),
            sha: self.sha.clone(),
            decision: self.decision.label().to_string(),
            reason: self.decision.reason(),
            deployment_id: match &self.decision {
                Decision::Created { id, .. } | Decision::AlreadyDeployed { id } => Some(*id),
                _ => None,
            },
            request: match self.decision {
                Decision::Created { .. } | Decision::WouldCreate | Decision::NotCreated { .. } | Decision::Failed { .. } => self.request.clone(),
                _ => None,
            },
        }
    }
}

pub struct Report {
    pub heading: String,
    pub server_url: String,
    pub repository: String,
    pub rows: Vec<Row>,
    /// Targets the event does not deploy, counted rather than listed (a config may have thousands).
    pub unselected: usize,
    pub dry_run: bool,
    /// Lines about freeze windows and stuck deployments (`production: next freeze Fri ... → Mon ...`).
    pub notes: Vec<String>,
}

impl Outcome {
    pub fn failed(reason: impl Into<String>) -> Outcome {
        let reason = reason.into();
        Outcome { outputs: empty_outputs(), summary: format!("### Deliverybot\n\n:x: {}\n", escape(&reason)), failure: Some(reason), ..Outcome::default() }
    }

    pub fn nothing_to_do(message: impl Into<String>) -> Outcome {
        Outcome { outputs: empty_outputs(), summary: format!("### Deliverybot\n\n{}\n", message.into()), ..Outcome::default() }
    }
}

/// Every output is always set, so later steps can read them without checking.
fn empty_outputs() -> Vec<(String, String)> {
    vec![
        ("deployments".to_string(), "[]".to_string()),
        ("deployment-id".to_string(), String::new()),
        ("environment".to_string(), String::new()),
        ("skipped".to_string(), "[]".to_string()),
        ("waiting".to_string(), "[]".to_string()),
    ]
}

impl Report {
    pub fn outcome(&self) -> Outcome {
        let mut deployments = Vec::new();
        // The first deployment created: its id and environment are outputs of their own.
        let mut first = None;
        let mut skipped = Vec::new();
        let mut waiting = Vec::new();
        for row in &self.rows {
            match &row.decision {
                Decision::Created { id, url } => {
                    first.get_or_insert_with(|| (id.to_string(), row.environment.clone()));
                    deployments.push(row.created(*id, url));
                }
                Decision::AlreadyDeployed { .. }
                | Decision::Superseded { .. }
                | Decision::Blocked { .. }
                | Decision::Locked { .. }
                | Decision::Skipped { .. }
                | Decision::NotCreated { .. } => skipped.push(row.explained()),
                Decision::Waiting { .. } | Decision::Frozen { .. } => waiting.push(row.explained()),
                Decision::WouldCreate | Decision::Failed { .. } => {}
            }
        }
        let created = deployments.len();
        let (deployment_id, environment) = first.unwrap_or_default();
        let outputs = vec![
            ("deployments".to_string(), Value::Array(deployments).to_string()),
            ("deployment-id".to_string(), deployment_id),
            ("environment".to_string(), environment),
            ("skipped".to_string(), Value::Array(skipped).to_string()),
            ("waiting".to_string(), Value::Array(waiting).to_string()),
        ];
        let failures: Vec<String> = self
            .rows
            .iter()
            .filter_map(|row| match &row.decision {
                Decision::Failed { reason } => Some(format!("{}: {reason}", row.target)),
                _ => None,
            })
            .collect();
        let failure = match failures.len() {
            0 => None,
            n => Some(format!("{n} of {} deployment{} failed. {}", self.rows.len(), plural(self.rows.len()), failures.join("; "))),
        };
        let decisions = self.rows.iter().map(|row| row.record()).collect();
        Outcome { outputs, decisions, summary: self.summary(created), state: Vec::new(), failure }
    }

    fn summary(&self, created: usize) -> String {
        let mut out = format!("### Deliverybot\n\n{}", self.heading);
        if self.dry_run {
            out.push_str(" (dry run: nothing was created)");
        }
        out.push_str(&format!(": {created} deployment{} created.\n\n", plural(created)));
        if !self.rows.is_empty() {
            out.push_str("| Target | Environment | Commit | Decision | Reason |\n|---|---|---|---|---|\n");
            for row in &self.rows {
                out.push_str(&format!(
                    "| {} | {} | `{}` | {} | {} |\n",
                    escape(&row.target),
                    self.environment_cell(&row.environment),
                    short_sha(&row.sha),
                    row.decision.label(),
                    escape(&row.decision.reason())
                ));
            }
            out.push('\n');
        }
        if self.unselected > 0 {
            out.push_str(&format!("{} other target{} not deployed by this event.\n", self.unselected, if self.unselected == 1 { " is" } else { "s are" }));
        }
        if !self.notes.is_empty() {
            out.push('\n');
            for note in &self.notes {
                out.push_str(&format!("- {}\n", escape(note)));
            }
        }
        out
    }

    fn environment_cell(&self, environment: &str) -> String {
        if environment.is_empty() {
            return "—".to_string();
        }
        let page = format!("{}/{}/deployments/{}", self.server_url, self.repository, crate::github::encode(environment));
        format!("[{}]({page})", escape(environment))
    }
}

/// Text from users or GitHub inside Markdown: no table breaks, no raw HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
