//! What a run reports: step outputs, the job summary and the final verdict, all rendered from the
//! same decisions so they cannot disagree.

use crate::protocol::Outcome;
use crate::refs::short_sha;
use serde_json::json;

/// What happened to one selected target.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Created { id: u64, url: String },
    /// Dry run: the deployment would have been created.
    WouldCreate,
    /// This commit already has a deployment to this environment.
    AlreadyDeployed { id: u64 },
    /// GitHub did not create it, for a reason that is not an error of this run.
    NotCreated { reason: String },
    /// Something went wrong; the step fails.
    Failed { reason: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub target: String,
    pub environment: String,
    pub sha: String,
    pub decision: Decision,
}

pub struct Report {
    pub heading: String,
    pub git_ref: String,
    pub server_url: String,
    pub repository: String,
    pub rows: Vec<Row>,
    /// Targets this ref does not deploy, counted rather than listed (a config may have thousands).
    pub unselected: usize,
    pub dry_run: bool,
}

impl Outcome {
    pub fn failed(reason: impl Into<String>) -> Outcome {
        let reason = reason.into();
        Outcome {
            outputs: empty_outputs(),
            summary: format!("### Deliverybot\n\n:x: {}\n", escape(&reason)),
            state: Vec::new(),
            failure: Some(reason),
        }
    }

    pub fn nothing_to_do(message: impl Into<String>) -> Outcome {
        Outcome {
            outputs: empty_outputs(),
            summary: format!("### Deliverybot\n\n{}\n", message.into()),
            state: Vec::new(),
            failure: None,
        }
    }
}

/// Every output is always set, so later steps can read them without checking.
fn empty_outputs() -> Vec<(String, String)> {
    vec![
        ("deployments".to_string(), "[]".to_string()),
        ("deployment-id".to_string(), String::new()),
        ("environment".to_string(), String::new()),
    ]
}

impl Report {
    pub fn outcome(&self) -> Outcome {
        let created: Vec<_> = self
            .rows
            .iter()
            .filter_map(|row| match &row.decision {
                Decision::Created { id, url } => Some(json!({
                    "id": id,
                    "target": row.target,
                    "environment": row.environment,
                    "ref": self.git_ref,
                    "sha": row.sha,
                    "url": url,
                })),
                _ => None,
            })
            .collect();
        let first = created.first();
        let outputs = vec![
            ("deployments".to_string(), serde_json::Value::Array(created.clone()).to_string()),
            ("deployment-id".to_string(), first.map(|d| d["id"].to_string()).unwrap_or_default()),
            ("environment".to_string(), first.and_then(|d| d["environment"].as_str()).unwrap_or_default().to_string()),
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
        Outcome { outputs, summary: self.summary(created.len()), state: Vec::new(), failure }
    }

    fn summary(&self, created: usize) -> String {
        let mut out = format!("### Deliverybot\n\n{}", self.heading);
        if self.dry_run {
            out.push_str(" (dry run: nothing was created)");
        }
        out.push_str(&format!(": {created} deployment{} created.\n\n", plural(created)));
        if !self.rows.is_empty() {
            out.push_str("| Target | Environment | Commit | Result |\n|---|---|---|---|\n");
            for row in &self.rows {
                out.push_str(&format!(
                    "| {} | {} | `{}` | {} |\n",
                    escape(&row.target),
                    escape(&row.environment),
                    short_sha(&row.sha),
                    self.result_cell(row)
                ));
            }
            out.push('\n');
        }
        if self.unselected > 0 {
            out.push_str(&format!(
                "{} other target{} not deployed by `{}`.\n",
                self.unselected,
                if self.unselected == 1 { " is" } else { "s are" },
                escape(&self.git_ref)
            ));
        }
        out
    }

    fn result_cell(&self, row: &Row) -> String {
        let environment_page = format!(
            "{}/{}/deployments/{}",
            self.server_url,
            self.repository,
            crate::github::encode(&row.environment)
        );
        match &row.decision {
            Decision::Created { id, .. } => format!("Created [deployment {id}]({environment_page})"),
            Decision::WouldCreate => "Would create (dry run)".to_string(),
            Decision::AlreadyDeployed { id } => format!("Already deployed ([deployment {id}]({environment_page}))"),
            Decision::NotCreated { reason } => format!("Not created: {}", escape(reason)),
            Decision::Failed { reason } => format!(":x: {}", escape(reason)),
        }
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

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
