//! Promotion pipelines (`after: staging`, `soak: 30m`): which commit of the followed ref deploys to
//! a target that comes after another one. The facts are the deployments of the two environments,
//! newest first, and the latest status of those the rule asks about; the rule asks for one status
//! at a time ([`Promotion::Read`]) and stops reading as soon as it knows.
//!
//! Commits are ordered by when they first reached the upstream environment: a pipeline deploys the
//! ref's commits in order, and a commit deployed there again later (a rollback) keeps its place.

use crate::github::deployment_status::State;
use crate::refs::{short_name, short_sha};
use crate::rules::Decision;
use jiff::Timestamp;
use std::collections::BTreeMap;
use std::time::Duration;

/// Commits of the upstream environment looked at, newest first, per decision: a bound on the
/// statuses read (one request each).
pub const PROMOTION_LOOKBACK: usize = 10;

/// A deployment as GitHub lists them for an environment.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub id: u64,
    pub sha: String,
    /// The full ref it came from, when it says: Deliverybot's own name it in `payload.deliverybot.ref`;
    /// others by their `ref` when it is a branch or tag name.
    pub git_ref: String,
    pub task: String,
    pub created_at: Option<Timestamp>,
}

/// A deployment's latest status: its state and when it was set. `None` as a whole: no status yet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Latest {
    pub state: State,
    pub at: Option<Timestamp>,
}

/// The latest statuses read so far, by deployment id (`None`: the deployment has no status yet).
pub type Statuses = BTreeMap<u64, Option<Latest>>;

/// What a promotion needs or decides.
#[derive(Debug, Clone, PartialEq)]
pub enum Promotion {
    /// Read this deployment's latest status, then ask again.
    Read(u64),
    /// Deploy this commit: the newest of the ref that passed (and soaked) upstream.
    Deploy(String),
    Stop(Decision),
}

/// How the commit a target waits for stands in the upstream environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    NotDeployed,
    Deploying,
    Failed,
    Inactive,
}

/// The facts of one promotion: the target `after` names, the ref followed and where it points now,
/// and the deployments of both environments (newest first).
pub struct Facts<'a> {
    pub upstream: &'a str,
    pub upstream_task: &'a str,
    pub git_ref: &'a str,
    pub tip: &'a str,
    pub upstream_deployments: &'a [Listed],
    /// This target's newest deployment (of its task), if it has one.
    pub own_last: Option<&'a Listed>,
    pub soak: Option<Duration>,
    pub now: Option<Timestamp>,
}

/// A commit that reached the upstream environment: its newest deployment there, and when it first
/// arrived.
struct Arrival<'a> {
    sha: &'a str,
    newest: u64,
    first_at: Option<Timestamp>,
}

/// The newest commit of the ref whose upstream deployment succeeded (at least `soak` ago), when
/// it is newer than what this target last deployed.
pub fn promote(facts: &Facts, statuses: &Statuses) -> Promotion {
    let arrivals = arrivals(facts);
    // Only what is newer than this target's own last deployment can deploy.
    let newer: Vec<&Arrival> = match facts.own_last {
        None => arrivals.iter().collect(),
        Some(own) => match arrivals.iter().position(|a| a.sha == own.sha) {
            Some(at) => arrivals[..at].iter().collect(),
            // Deployed here some other way (by hand, or long ago): what reached upstream after it.
            None => arrivals.iter().filter(|a| matches!((a.first_at, own.created_at), (Some(first), Some(own)) if first > own)).collect(),
        },
    };
    let mut soaking: Option<(&str, Timestamp)> = None;
    for arrival in newer.into_iter().take(PROMOTION_LOOKBACK) {
        let Some(latest) = statuses.get(&arrival.newest) else { return Promotion::Read(arrival.newest) };
        let Some(Latest { state: State::Success, at }) = latest else { continue };
        let Some(soak) = facts.soak else { return Promotion::Deploy(arrival.sha.to_string()) };
        let Some(now) = facts.now else {
            return Promotion::Stop(Decision::Failed { reason: "`soak` needs the time of the run: the invocation's `context.now` is not set".to_string() });
        };
        // A success with no time is as old as it can be, for the status that says so is there.
        match at.and_then(|at| at.checked_add(soak).ok()) {
            Some(until) if until > now => soaking = soaking.or(Some((arrival.sha, until))),
            _ => return Promotion::Deploy(arrival.sha.to_string()),
        }
    }
    if let Some((sha, until)) = soaking {
        return Promotion::Stop(Decision::Soaking { after: facts.upstream.to_string(), sha: sha.to_string(), until: clock(until, facts.now) });
    }
    // Nothing to deploy: say what the newest commit of the ref waits for.
    if let Some(own) = facts.own_last.filter(|own| own.sha == facts.tip) {
        return Promotion::Stop(Decision::AlreadyDeployed { id: own.id });
    }
    let standing = match arrivals.iter().find(|a| a.sha == facts.tip) {
        None => Standing::NotDeployed,
        Some(tip) => match statuses.get(&tip.newest) {
            Some(Some(Latest { state: State::Failure | State::Error, .. })) => Standing::Failed,
            Some(Some(Latest { state: State::Inactive, .. })) => Standing::Inactive,
            Some(Some(Latest { state: State::Success, .. })) => {
                let own = facts.own_last.map(|own| short_sha(&own.sha)).unwrap_or_default();
                return Promotion::Stop(Decision::Skipped { reason: format!("nothing newer than {own} has passed {}", facts.upstream) });
            }
            _ => Standing::Deploying,
        },
    };
    Promotion::Stop(Decision::WaitingFor { after: facts.upstream.to_string(), sha: facts.tip.to_string(), standing })
}

/// The upstream's commits of the followed ref (and the upstream's task), by first arrival, newest
/// first.
fn arrivals<'a>(facts: &'a Facts) -> Vec<Arrival<'a>> {
    let mut arrivals: Vec<Arrival> = Vec::new();
    let ours = facts.upstream_deployments.iter().filter(|d| d.task == facts.upstream_task && same_ref(&d.git_ref, facts.git_ref));
    // Oldest first: a commit's first deployment is its arrival, its last the one that counts.
    for deployment in ours.rev() {
        match arrivals.iter_mut().find(|a| a.sha == deployment.sha) {
            Some(arrival) => arrival.newest = deployment.id,
            None => arrivals.push(Arrival { sha: &deployment.sha, newest: deployment.id, first_at: deployment.created_at }),
        }
    }
    arrivals.reverse();
    arrivals
}

/// A deployment's ref, full (`refs/heads/main`) or short (`main`), is the followed one.
fn same_ref(deployed: &str, followed: &str) -> bool {
    deployed == followed || (!deployed.starts_with("refs/") && deployed == short_name(followed))
}

/// A time for people: `14:20 UTC`, with the date when it is not the day of `now`.
pub fn clock(at: Timestamp, now: Option<Timestamp>) -> String {
    let utc = |t: Timestamp| jiff::tz::Offset::UTC.to_datetime(t);
    let time = utc(at);
    let (date, hour, minute) = (time.date(), time.hour(), time.minute());
    if now.is_some_and(|now| utc(now).date() == date) {
        format!("{hour:02}:{minute:02} UTC")
    } else {
        format!("{date} {hour:02}:{minute:02} UTC")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn at(text: &str) -> Timestamp {
        crate::time::rfc3339(text).unwrap()
    }

    pub(crate) fn listed(id: u64, sha: &str, created_at: &str) -> Listed {
        Listed { id, sha: sha.into(), git_ref: "refs/heads/main".into(), task: "deploy".into(), created_at: Some(at(created_at)) }
    }

    fn success(time: &str) -> Option<Latest> {
        Some(Latest { state: State::Success, at: Some(at(time)) })
    }

    fn facts<'a>(upstream: &'a [Listed], own_last: Option<&'a Listed>, tip: &'a str) -> Facts<'a> {
        Facts { upstream: "staging", upstream_task: "deploy", git_ref: "refs/heads/main", tip, upstream_deployments: upstream, own_last, soak: None, now: Some(at("2026-12-06T14:00:00Z")) }
    }

    #[test]
    fn the_newest_commit_that_passed_deploys_reading_one_status_at_a_time() {
        // Newest first: ccc is deploying, bbb passed, aaa passed.
        let upstream = [listed(3, "ccc", "2026-12-06T12:00:00Z"), listed(2, "bbb", "2026-12-06T11:00:00Z"), listed(1, "aaa", "2026-12-06T10:00:00Z")];
        let facts = facts(&upstream, None, "ccc");
        let mut statuses = Statuses::new();
        assert_eq!(promote(&facts, &statuses), Promotion::Read(3));
        statuses.insert(3, Some(Latest { state: State::InProgress, at: None }));
        assert_eq!(promote(&facts, &statuses), Promotion::Read(2));
        statuses.insert(2, success("2026-12-06T11:05:00Z"));
        assert_eq!(promote(&facts, &statuses), Promotion::Deploy("bbb".into()));
    }

    #[test]
    fn only_what_is_newer_than_the_targets_own_last_deployment() {
        let upstream = [listed(3, "ccc", "2026-12-06T12:00:00Z"), listed(2, "bbb", "2026-12-06T11:00:00Z")];
        let own = listed(9, "ccc", "2026-12-06T12:30:00Z");
        assert_eq!(promote(&facts(&upstream, Some(&own), "ccc"), &Statuses::new()), Promotion::Stop(Decision::AlreadyDeployed { id: 9 }));
        // A late event about bbb, with ccc deployed here already: bbb is older, not deployed.
        let statuses = Statuses::from([(3, success("2026-12-06T12:05:00Z"))]);
        assert_eq!(promote(&facts(&upstream, Some(&own), "ddd"), &statuses), Promotion::Stop(Decision::WaitingFor { after: "staging".into(), sha: "ddd".into(), standing: Standing::NotDeployed }));
        let own_bbb = listed(8, "bbb", "2026-12-06T11:30:00Z");
        assert_eq!(promote(&facts(&upstream, Some(&own_bbb), "ccc"), &statuses), Promotion::Deploy("ccc".into()));
        assert_eq!(promote(&facts(&upstream, Some(&own), "ccc"), &statuses), Promotion::Stop(Decision::AlreadyDeployed { id: 9 }));
    }

    #[test]
    fn a_rollback_upstream_keeps_its_commits_place() {
        // bbb was deployed to staging again after ccc (a rollback): ccc is still the newest commit.
        let upstream = [listed(4, "bbb", "2026-12-06T13:00:00Z"), listed(3, "ccc", "2026-12-06T12:00:00Z"), listed(2, "bbb", "2026-12-06T11:00:00Z")];
        let own = listed(9, "ccc", "2026-12-06T12:30:00Z");
        let statuses = Statuses::from([(4, success("2026-12-06T13:05:00Z"))]);
        assert_eq!(promote(&facts(&upstream, Some(&own), "ccc"), &statuses), Promotion::Stop(Decision::AlreadyDeployed { id: 9 }));
        // Without ccc here, the newest is read first: ccc's, then bbb's newest deployment (4).
        assert_eq!(promote(&facts(&upstream, None, "ccc"), &statuses), Promotion::Read(3));
    }

    #[test]
    fn deployed_here_another_way_only_what_reached_upstream_later_is_newer() {
        let upstream = [listed(3, "ccc", "2026-12-06T12:00:00Z"), listed(2, "bbb", "2026-12-06T11:00:00Z")];
        let hotfix = listed(9, "fix", "2026-12-06T11:30:00Z");
        let statuses = Statuses::from([(3, success("2026-12-06T12:05:00Z")), (2, success("2026-12-06T11:05:00Z"))]);
        assert_eq!(promote(&facts(&upstream, Some(&hotfix), "ccc"), &statuses), Promotion::Deploy("ccc".into()));
        let later = listed(9, "fix", "2026-12-06T12:30:00Z");
        let nothing_newer = Decision::Skipped { reason: "nothing newer than fix has passed staging".into() };
        assert_eq!(promote(&facts(&upstream, Some(&later), "ccc"), &statuses), Promotion::Stop(nothing_newer));
    }

    #[test]
    fn other_refs_and_tasks_upstream_do_not_count() {
        let mut pr = listed(3, "ppp", "2026-12-06T12:00:00Z");
        pr.git_ref = "refs/heads/feature".into();
        let mut migrate = listed(2, "mmm", "2026-12-06T11:30:00Z");
        migrate.task = "migrate".into();
        let mut short = listed(1, "aaa", "2026-12-06T11:00:00Z");
        short.git_ref = "main".into();
        let upstream = [pr, migrate, short];
        assert_eq!(promote(&facts(&upstream, None, "aaa"), &Statuses::new()), Promotion::Read(1));
    }

    #[test]
    fn a_success_soaks_before_it_deploys() {
        let upstream = [listed(2, "bbb", "2026-12-06T13:00:00Z"), listed(1, "aaa", "2026-12-06T10:00:00Z")];
        let mut facts = facts(&upstream, None, "bbb");
        facts.soak = Some(Duration::from_secs(30 * 60));
        let statuses = Statuses::from([(2, success("2026-12-06T13:50:00Z")), (1, Some(Latest { state: State::Failure, at: None }))]);
        let soaking = Decision::Soaking { after: "staging".into(), sha: "bbb".into(), until: "14:20 UTC".into() };
        assert_eq!(promote(&facts, &statuses), Promotion::Stop(soaking));
        // An older commit that soaked deploys meanwhile.
        let statuses = Statuses::from([(2, success("2026-12-06T13:50:00Z")), (1, success("2026-12-06T10:05:00Z"))]);
        assert_eq!(promote(&facts, &statuses), Promotion::Deploy("aaa".into()));
        facts.now = Some(at("2026-12-06T14:20:00Z"));
        assert_eq!(promote(&facts, &statuses), Promotion::Deploy("bbb".into()));
        facts.now = None;
        assert!(matches!(promote(&facts, &statuses), Promotion::Stop(Decision::Failed { reason }) if reason.contains("context.now")));
    }

    #[test]
    fn what_the_newest_commit_waits_for() {
        let upstream = [listed(2, "bbb", "2026-12-06T13:00:00Z")];
        let wait = |standing| Promotion::Stop(Decision::WaitingFor { after: "staging".into(), sha: "bbb".into(), standing });
        for (state, standing) in [(State::InProgress, Standing::Deploying), (State::Failure, Standing::Failed), (State::Inactive, Standing::Inactive)] {
            let statuses = Statuses::from([(2, Some(Latest { state, at: None }))]);
            assert_eq!(promote(&facts(&upstream, None, "bbb"), &statuses), wait(standing));
        }
        assert_eq!(promote(&facts(&upstream, None, "bbb"), &Statuses::from([(2, None)])), wait(Standing::Deploying));
        assert_eq!(promote(&facts(&[], None, "bbb"), &Statuses::new()), wait(Standing::NotDeployed));
    }

    #[test]
    fn reading_is_bounded() {
        let upstream: Vec<Listed> = (1..=30).rev().map(|id| listed(id, &format!("c{id}"), "2026-12-06T10:00:00Z")).collect();
        let failed: Statuses = (1..=30).map(|id| (id, Some(Latest { state: State::Failure, at: None }))).collect();
        let mut statuses = Statuses::new();
        let mut reads = 0;
        while let Promotion::Read(id) = promote(&facts(&upstream, None, "c30"), &statuses) {
            statuses.insert(id, failed[&id]);
            reads += 1;
        }
        assert_eq!(reads, PROMOTION_LOOKBACK);
    }

    #[test]
    fn times_are_said_in_utc_with_the_date_when_it_is_another_day() {
        assert_eq!(clock(at("2026-12-06T14:20:00Z"), Some(at("2026-12-06T09:00:00Z"))), "14:20 UTC");
        assert_eq!(clock(at("2026-12-07T01:00:00Z"), Some(at("2026-12-06T23:00:00Z"))), "2026-12-07 01:00 UTC");
    }
}
