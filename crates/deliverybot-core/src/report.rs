//! What a run reports: step outputs, the job summary and the final verdict, all rendered from the
//! same decisions so they cannot disagree.

use crate::markdown;
use crate::protocol::{DecisionRecord, Outcome, RequestRecord};
use crate::refs::short_sha;
use crate::rules::Decision;
use serde_json::{json, Value};

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
    /// The promotion pipelines the run looked at, drawn in the summary; empty when none.
    pub chart: Vec<ChartNode>,
    /// Lines about freeze windows and stuck deployments (`production: next freeze Fri ... → Mon ...`).
    pub notes: Vec<String>,
}

/// A target of a promotion pipeline, as the summary's chart draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartNode {
    pub target: String,
    /// The target it comes after.
    pub after: Option<String>,
    /// The commit its environment last deployed, when the run read it.
    pub runs: Option<String>,
    /// This run's decision for it, when the run planned it.
    pub standing: Option<Decision>,
}

impl Outcome {
    pub fn failed(reason: impl Into<String>) -> Outcome {
        let reason = reason.into();
        Outcome { outputs: empty_outputs(), summary: format!("### Deliverybot\n\n:x: {}\n", markdown::line(&reason)), failure: Some(reason), ..Outcome::default() }
    }

    pub fn nothing_to_do(message: impl Into<String>) -> Outcome {
        Outcome { outputs: empty_outputs(), summary: format!("### Deliverybot\n\n{}\n", markdown::line(&message.into())), ..Outcome::default() }
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
                | Decision::Unchanged { .. }
                | Decision::Blocked { .. }
                | Decision::Locked { .. }
                | Decision::Skipped { .. }
                | Decision::NotCreated { .. } => skipped.push(row.explained()),
                Decision::Waiting { .. } | Decision::WaitingFor { .. } | Decision::Soaking { .. } | Decision::InProgress { .. } | Decision::Frozen { .. } => waiting.push(row.explained()),
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
        let mut out = format!("### Deliverybot\n\n{}", markdown::line(&self.heading));
        if self.dry_run {
            out.push_str(" (dry run: nothing was created)");
        }
        out.push_str(&format!(": {created} deployment{} created.\n\n", plural(created)));
        if !self.rows.is_empty() {
            out.push_str("| Target | Environment | Commit | Decision | Reason |\n|---|---|---|---|---|\n");
            for row in &self.rows {
                // What a gate let through on purpose is said beside a deployment it made.
                let reason = match (&row.note, &row.decision) {
                    (Some(note), Decision::Created { .. }) => format!("{}; {note}", row.decision.reason()),
                    _ => row.decision.reason(),
                };
                out.push_str(&format!(
                    "| {} | {} | `{}` | {} | {} |\n",
                    markdown::cell(&row.target),
                    self.environment_cell(&row.environment),
                    short_sha(&row.sha),
                    row.decision.label(),
                    markdown::cell(&reason)
                ));
            }
            out.push('\n');
        }
        if self.unselected > 0 {
            out.push_str(&format!("{} other target{} not deployed by this event.\n", self.unselected, if self.unselected == 1 { " is" } else { "s are" }));
        }
        if !self.chart.is_empty() {
            out.push_str(&chart(&self.chart));
        }
        if !self.notes.is_empty() {
            out.push('\n');
            for note in &self.notes {
                out.push_str(&format!("- {}\n", markdown::line(note)));
            }
        }
        out
    }

    fn environment_cell(&self, environment: &str) -> String {
        if environment.is_empty() {
            return "—".to_string();
        }
        let page = format!("{}/{}/deployments/{}", self.server_url, self.repository, crate::github::encode(environment));
        format!("[{}]({page})", markdown::cell(environment))
    }
}

/// The pipelines as a Mermaid flowchart (GitHub renders it): each target, the commit it runs, and
/// where this run's commit stands there.
fn chart(nodes: &[ChartNode]) -> String {
    let id = |name: &str| nodes.iter().position(|n| n.target == name).map(|i| format!("t{i}"));
    let mut out = String::from("\n```mermaid\nflowchart LR\n");
    for (i, node) in nodes.iter().enumerate() {
        let mut label = mermaid_text(&node.target);
        if let Some(sha) = &node.runs {
            label.push_str(&format!("<br/>runs {}", short_sha(sha)));
        }
        if let Some(decision) = &node.standing {
            let standing = match decision {
                Decision::Created { .. } => "deploying now".to_string(),
                Decision::WouldCreate => "would deploy (dry run)".to_string(),
                Decision::AlreadyDeployed { .. } => "deployed".to_string(),
                Decision::Soaking { sha, until, .. } => format!("{} soaking until {until}", short_sha(sha)),
                Decision::Frozen { .. } => decision.reason(),
                Decision::WaitingFor { .. } | Decision::InProgress { .. } | Decision::Waiting { .. } => format!("waiting: {}", decision.reason()),
                other => format!("{}: {}", other.label(), other.reason()),
            };
            label.push_str(&format!("<br/>{}", mermaid_text(&standing)));
        }
        out.push_str(&format!("  t{i}[\"{label}\"]\n"));
        if let Some(upstream) = node.after.as_deref().and_then(id) {
            out.push_str(&format!("  {upstream} --> t{i}\n"));
        }
    }
    out.push_str("```\n");
    out
}

/// Text inside a Mermaid label: its own entities for what would end the label or open markup.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::pipeline::Standing;

    #[test]
    fn the_pipeline_is_drawn_with_where_the_commit_stands() {
        let node = |target: &str, after: Option<&str>, runs: Option<&str>, standing: Option<Decision>| ChartNode {
            target: target.into(),
            after: after.map(str::to_string),
            runs: runs.map(str::to_string),
            standing,
        };
        let nodes = [
            node("dev", None, Some("5fe84fb0000"), None),
            node("staging", Some("dev"), Some("1234567000"), Some(Decision::Soaking { after: "dev".into(), sha: "5fe84fb0000".into(), until: "14:20 UTC".into() })),
            node("prod \"eu\"", Some("staging"), None, Some(Decision::WaitingFor { after: "staging".into(), sha: "5fe84fb0000".into(), standing: Standing::NotDeployed })),
        ];
        assert_eq!(
            chart(&nodes),
            "\n```mermaid\nflowchart LR\n  t0[\"dev<br/>runs 5fe84fb\"]\n  t1[\"staging<br/>runs 1234567<br/>5fe84fb soaking until 14:20 UTC\"]\n  t0 --> t1\n  t2[\"prod #quot;eu#quot;<br/>waiting: after staging: 5fe84fb not yet deployed there\"]\n  t1 --> t2\n```\n"
        );
    }

    #[test]
    fn waits_of_the_pipeline_are_waiting_outputs() {
        let row = |decision| Row { target: "production".into(), environment: "production".into(), git_ref: "refs/heads/main".into(), sha: "abc".into(), decision, request: None, note: None };
        let report = Report {
            heading: "x".into(),
            server_url: "https://github.com".into(),
            repository: "o/r".into(),
            rows: vec![row(Decision::InProgress { deployment: 123 }), row(Decision::Soaking { after: "staging".into(), sha: "abc".into(), until: "14:20 UTC".into() })],
            unselected: 0,
            dry_run: false,
            chart: Vec::new(),
            notes: Vec::new(),
        };
        let outcome = report.outcome();
        let waiting: Vec<serde_json::Value> = serde_json::from_str(&outcome.outputs[4].1).unwrap();
        assert_eq!(waiting[0]["reason"], "waiting for deployment 123 to finish");
        assert_eq!(waiting[1]["reason"], "after staging: abc soaking until 14:20 UTC");
        assert!(!outcome.summary.contains("mermaid"));
    }
}
