//! Stuck deployments (`settings.stuck_after: 30m`): a deployment Deliverybot created to one of the
//! config's targets that is still `queued`, `pending` or `in_progress` that long after its last
//! status (or, with none, its creation) is marked `error`, with the reason.
//!
//! The deliver flow sweeps after it delivers, on schedules and on the `deployment_status` events
//! that end a deployment: not on pushes, which would pay the requests on every commit. A sweep is
//! bounded: one page of the repository's newest deployments (100), the latest status of at most
//! [`MAX_READ`] of them (the newest of Deliverybot's, to the config's targets, old enough to be
//! stuck and at most [`LOOKBACK`] older than that), and one write for each that is stuck. A
//! deployment marked `error` is finished, so no later sweep marks it again; another tool's
//! deployment (no `deliverybot` marker in its payload) is never touched.

use crate::config::Config;
use crate::github::{self, answer, Answer};
use crate::invocation::{Repo, RunContext};
use crate::log::Log;
use crate::protocol::{Reply, Request};
use crate::template::{Lookup, Var};
use jiff::Timestamp;
use serde_json::{json, Value};
use std::time::Duration;

/// Status reads at the most per sweep.
pub const MAX_READ: usize = 10;
/// How far past `stuck_after` a deployment is still looked at: a schedule that runs at least daily
/// sees each one in that time.
pub const LOOKBACK: Duration = Duration::from_secs(7 * 86_400);

/// A deployment that may be stuck.
#[derive(Debug, Clone, PartialEq)]
struct Suspect {
    id: u64,
    environment: String,
    created_at: Timestamp,
    /// Its latest state and since when (if GitHub says), once read (`None` inside: no status at all).
    latest: Option<Option<(String, Option<Timestamp>)>>,
}

/// Where a sweep is: the request it has out, or next.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Stage {
    /// The repository's newest deployments.
    List,
    /// The latest status of the suspect at the cursor.
    Read,
    /// The `error` status of the stuck suspect at the cursor.
    Mark,
}

/// The sweep: one listing, then each suspect's latest status, then a write for each stuck one.
pub(crate) struct Sweep {
    repo: Repo,
    run_url: String,
    after: Duration,
    now: Timestamp,
    /// Targets by name (the `target` of a deployment's payload) and their fixed environments.
    targets: Vec<String>,
    environments: Vec<String>,
    stage: Stage,
    suspects: Vec<Suspect>,
    /// Suspects before this index are read (and marked, when stuck).
    cursor: usize,
    /// A dry run says what it would mark, and writes nothing.
    dry_run: bool,
    /// What was marked, for the summary.
    marked: Vec<String>,
    failure: Option<String>,
}

impl Sweep {
    /// The sweep a config asks for (`settings.stuck_after`), at the run's time.
    pub(crate) fn of(config: &Config, repo: &Repo, context: &RunContext, dry_run: bool) -> Result<Option<Sweep>, String> {
        let Some(after) = config.settings.stuck_after else { return Ok(None) };
        let fixed = |t: &crate::config::Target| (!t.environment.uses(&|_| true)).then(|| t.environment.render(&NoVars).ok()).flatten();
        Ok(Some(Sweep {
            repo: repo.clone(),
            run_url: context.run_url(),
            after,
            now: context.now()?,
            targets: config.targets.iter().map(|t| t.name.clone()).collect(),
            environments: config.targets.iter().filter_map(fixed).collect(),
            stage: Stage::List,
            suspects: Vec::new(),
            cursor: 0,
            dry_run,
            marked: Vec::new(),
            failure: None,
        }))
    }

    /// The sweep's next request, `None` once it is done.
    pub(crate) fn request(&self) -> Option<Request> {
        if self.failure.is_some() {
            return None;
        }
        if self.stage == Stage::List {
            let path = format!("{}/deployments", github::repo_path(&self.repo));
            return Some(Request::get(path, "list the newest deployments, for stuck ones").query("per_page", "100"));
        }
        let suspect = self.suspects.get(self.cursor)?;
        if self.stage == Stage::Read {
            return Some(github::latest_status(&self.repo, suspect.id));
        }
        let since = match &suspect.latest {
            Some(Some((state, since))) => format!("{state} since {}", utc(since.unwrap_or(suspect.created_at))),
            _ => format!("no status since its creation at {}", utc(suspect.created_at)),
        };
        let description = format!("Stuck: {since}, longer than stuck_after ({}); marked by Deliverybot", words(self.after));
        let body = json!({ "state": "error", "description": description, "log_url": self.run_url });
        Some(github::create_status(&self.repo, suspect.id, body, format!("mark stuck deployment {} as error", suspect.id)))
    }

    pub(crate) fn absorb(&mut self, reply: Reply, log: &mut Log) {
        if self.stage == Stage::List {
            self.stage = Stage::Read;
            match answer(&reply) {
                Answer::Success { body, .. } => match github::json(body, "list the deployments") {
                    Ok(list) => self.suspects = self.suspects_in(&list),
                    Err(reason) => self.failure = Some(reason),
                },
                failed => self.failure = Some(failed.refusal("list the deployments, for stuck ones", Some("deployments: read"))),
            }
            return;
        }
        let index = self.cursor;
        if self.stage == Stage::Mark {
            self.stage = Stage::Read;
            self.cursor += 1;
            let id = self.suspects[index].id;
            match answer(&reply) {
                Answer::Success { .. } => {
                    let line = format!("Deployment {id} to {} was stuck for more than {}: marked `error`.", self.suspects[index].environment, words(self.after));
                    log.warning(line.clone());
                    self.marked.push(line);
                }
                failed => self.failure = Some(failed.refusal(&format!("mark stuck deployment {id} as error"), Some("deployments: write"))),
            }
            return;
        }
        let latest = match answer(&reply) {
            Answer::Success { body, .. } => github::json(body, "read a deployment's state").map(|statuses| latest_of(&statuses)),
            failed => Err(failed.refusal(&format!("read the state of deployment {}", self.suspects[index].id), Some("deployments: read"))),
        };
        match latest {
            Ok(latest) => {
                let suspect = &mut self.suspects[index];
                suspect.latest = Some(latest);
                let stuck = is_stuck(suspect, self.now, self.after);
                if stuck && self.dry_run {
                    let line = format!("Deployment {} to {} is stuck for more than {}: a run that is not a dry run marks it `error`.", suspect.id, suspect.environment, words(self.after));
                    log.info(line.clone());
                    self.marked.push(line);
                }
                if stuck && !self.dry_run {
                    self.stage = Stage::Mark;
                } else {
                    self.cursor += 1;
                }
            }
            Err(reason) => self.failure = Some(reason),
        }
    }

    /// Deliverybot's deployments to the config's targets that are old enough to be stuck and young
    /// enough to look at, newest first, at most [`MAX_READ`].
    fn suspects_in(&self, list: &Value) -> Vec<Suspect> {
        let youngest = self.now.as_second() - seconds(self.after);
        let oldest = youngest - seconds(LOOKBACK);
        github::items(list)
            .iter()
            .filter(|d| github::at(d, "/payload/deliverybot").is_some_and(Value::is_object))
            .filter(|d| {
                let target = github::text(d, "/payload/target").is_some_and(|t| self.targets.iter().any(|name| name == t));
                target || github::text(d, "/environment").is_some_and(|e| self.environments.iter().any(|name| name == e))
            })
            .filter_map(|d| {
                let created_at = time(d, "/created_at")?;
                let suspect = Suspect { id: github::number(d, "/id")?, environment: github::text(d, "/environment")?.to_string(), created_at, latest: None };
                (oldest..=youngest).contains(&created_at.as_second()).then_some(suspect)
            })
            .take(MAX_READ)
            .collect()
    }

    /// Lines for the job summary.
    pub(crate) fn notes(&self) -> Vec<String> {
        self.marked.clone()
    }

    pub(crate) fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }
}

/// The latest status (statuses come newest first): its state and when it was set.
fn latest_of(statuses: &Value) -> Option<(String, Option<Timestamp>)> {
    let status = github::items(statuses).first()?;
    Some((github::text(status, "/state").unwrap_or_default().to_string(), time(status, "/created_at")))
}

/// Unfinished for longer than `after` since its last status (or its creation, when that status
/// has no time), or since its creation with no status at all.
fn is_stuck(suspect: &Suspect, now: Timestamp, after: Duration) -> bool {
    match &suspect.latest {
        Some(Some((state, since))) => matches!(state.as_str(), "queued" | "pending" | "in_progress") && lasted(since.unwrap_or(suspect.created_at), now, after),
        Some(None) => lasted(suspect.created_at, now, after),
        None => false,
    }
}

/// `2026-12-02 10:00 UTC`.
fn utc(at: Timestamp) -> String {
    let at = jiff::tz::TimeZone::UTC.to_datetime(at);
    format!("{} UTC", crate::time::written(at))
}

/// Whether `after` has passed from `since` to `now`.
fn lasted(since: Timestamp, now: Timestamp, after: Duration) -> bool {
    now.as_second() - since.as_second() >= seconds(after)
}

/// A config's duration in seconds (at most a year, so it fits).
fn seconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}

fn time(value: &Value, pointer: &str) -> Option<Timestamp> {
    crate::time::rfc3339(github::text(value, pointer)?)
}

/// `30m`, `2h`, `1d` as they were written, or near enough: `30 minutes`.
fn words(after: Duration) -> String {
    let minutes = after.as_secs() / 60;
    match minutes {
        m if m % (24 * 60) == 0 => format!("{} day{}", m / (24 * 60), if m == 24 * 60 { "" } else { "s" }),
        m if m % 60 == 0 => format!("{} hour{}", m / 60, if m == 60 { "" } else { "s" }),
        m => format!("{m} minute{}", if m == 1 { "" } else { "s" }),
    }
}

/// A template without variables renders to its text with none.
struct NoVars;

impl Lookup for NoVars {
    fn lookup(&self, _: &Var) -> Option<Value> {
        None
    }
    fn event_name(&self) -> &str {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suspect(latest: Option<Option<(&str, &str)>>) -> Suspect {
        Suspect {
            id: 7,
            environment: "production".into(),
            created_at: crate::time::rfc3339("2026-12-02T10:00:00Z").unwrap(),
            latest: latest.map(|l| l.map(|(state, at)| (state.to_string(), crate::time::rfc3339(at)))),
        }
    }

    #[test]
    fn unfinished_for_longer_than_stuck_after_is_stuck() {
        let (now, after) = (crate::time::rfc3339("2026-12-02T12:00:00Z").unwrap(), Duration::from_secs(30 * 60));
        assert!(is_stuck(&suspect(Some(Some(("in_progress", "2026-12-02T11:30:00Z")))), now, after));
        assert!(!is_stuck(&suspect(Some(Some(("in_progress", "2026-12-02T11:31:00Z")))), now, after), "its last status is recent");
        assert!(is_stuck(&suspect(Some(Some(("queued", "2026-12-02T10:00:00Z")))), now, after));
        assert!(!is_stuck(&suspect(Some(Some(("success", "2026-12-02T10:00:00Z")))), now, after));
        assert!(!is_stuck(&suspect(Some(Some(("error", "2026-12-02T10:00:00Z")))), now, after), "marked once, never twice");
        assert!(is_stuck(&suspect(Some(None)), now, after), "no status since its creation");
        assert!(!is_stuck(&suspect(Some(Some(("error", "")))), now, after), "a finished status without a time is finished");
        assert!(is_stuck(&suspect(Some(Some(("pending", "")))), now, after), "an unfinished one without a time counts from the creation");
        assert!(!is_stuck(&suspect(None), now, after), "not read yet");
    }

    #[test]
    fn durations_read_as_words() {
        assert_eq!(words(Duration::from_secs(30 * 60)), "30 minutes");
        assert_eq!(words(Duration::from_secs(2 * 3_600)), "2 hours");
        assert_eq!(words(Duration::from_secs(86_400)), "1 day");
    }
}
