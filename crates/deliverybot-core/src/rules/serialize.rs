//! One deploy at a time (`serialize: true`): while the environment has a deployment in progress,
//! whoever created it, no new one is created. In progress: its latest status is `queued`, `pending`
//! or `in_progress`, or it has no status yet and is younger than `stuck_after` (a deployment whose
//! workflow never started must not hold the environment forever).

use super::decide::Gate;
use super::pipeline::{Latest, Listed, Statuses};
use crate::github::deployment_status::State;
use crate::rules::Decision;
use jiff::Timestamp;
use std::time::Duration;

/// The environment's newest deployments looked at, per decision: a bound on the statuses read.
pub const SERIALIZE_LOOKBACK: usize = 5;

/// What the rule needs or decides.
#[derive(Debug, Clone, PartialEq)]
pub enum Serial {
    /// Read this deployment's latest status, then ask again.
    Read(u64),
    Decided(Gate),
}

/// Whether the environment is free. `created_here`: deployments this run created there (they have no
/// status yet, and the listing was read before them). Deployments are looked at newest first up to
/// the first that succeeded or was made inactive: what came before it is over.
pub fn one_at_a_time(deployments: &[Listed], statuses: &Statuses, created_here: Option<u64>, now: Option<Timestamp>, stuck_after: Duration) -> Serial {
    if let Some(id) = created_here {
        return busy(id);
    }
    for deployment in deployments.iter().take(SERIALIZE_LOOKBACK) {
        let Some(latest) = statuses.get(&deployment.id) else { return Serial::Read(deployment.id) };
        match latest {
            Some(Latest { state: State::Queued | State::Pending | State::InProgress, .. }) => return busy(deployment.id),
            Some(Latest { state: State::Success | State::Inactive, .. }) => break,
            Some(Latest { state: State::Failure | State::Error, .. }) => {}
            // Not started yet: in progress until it is `stuck_after` old (always, when the time is not known).
            None => {
                let stuck = match (deployment.created_at.and_then(|at| at.checked_add(stuck_after).ok()), now) {
                    (Some(stuck_at), Some(now)) => stuck_at <= now,
                    _ => false,
                };
                if !stuck {
                    return busy(deployment.id);
                }
            }
        }
    }
    Serial::Decided(Gate::Pass)
}

fn busy(deployment: u64) -> Serial {
    Serial::Decided(Gate::Stop(Decision::InProgress { deployment }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::pipeline::tests::{at, listed};

    const HOUR: Duration = Duration::from_secs(3_600);

    fn state(state: State) -> Option<Latest> {
        Some(Latest { state, at: None })
    }

    #[test]
    fn a_deployment_in_progress_holds_the_environment() {
        let deployments = [listed(7, "bbb", "2026-12-06T13:00:00Z"), listed(6, "aaa", "2026-12-06T12:00:00Z")];
        let now = Some(at("2026-12-06T13:30:00Z"));
        assert_eq!(one_at_a_time(&deployments, &Statuses::new(), None, now, HOUR), Serial::Read(7));
        for running in [State::Queued, State::Pending, State::InProgress] {
            let statuses = Statuses::from([(7, state(running))]);
            assert_eq!(one_at_a_time(&deployments, &statuses, None, now, HOUR), busy(7));
        }
        // A failed one is over; the one before it is read next.
        let statuses = Statuses::from([(7, state(State::Failure))]);
        assert_eq!(one_at_a_time(&deployments, &statuses, None, now, HOUR), Serial::Read(6));
        // A success ends the look back.
        let statuses = Statuses::from([(7, state(State::Success))]);
        assert_eq!(one_at_a_time(&deployments, &statuses, None, now, HOUR), Serial::Decided(Gate::Pass));
        assert_eq!(one_at_a_time(&[], &Statuses::new(), None, now, HOUR), Serial::Decided(Gate::Pass));
        assert_eq!(one_at_a_time(&[], &Statuses::new(), Some(9), now, HOUR), busy(9), "created by this run");
    }

    #[test]
    fn one_with_no_status_counts_until_stuck_after() {
        let deployments = [listed(7, "bbb", "2026-12-06T13:00:00Z")];
        let statuses = Statuses::from([(7, None)]);
        assert_eq!(one_at_a_time(&deployments, &statuses, None, Some(at("2026-12-06T13:59:00Z")), HOUR), busy(7));
        assert_eq!(one_at_a_time(&deployments, &statuses, None, Some(at("2026-12-06T14:00:00Z")), HOUR), Serial::Decided(Gate::Pass));
        assert_eq!(one_at_a_time(&deployments, &statuses, None, None, HOUR), busy(7), "without the time, it counts");
    }

    #[test]
    fn reading_is_bounded() {
        let deployments: Vec<Listed> = (1..=20).rev().map(|id| listed(id, "x", "2026-12-06T10:00:00Z")).collect();
        let mut statuses = Statuses::new();
        while let Serial::Read(id) = one_at_a_time(&deployments, &statuses, None, None, HOUR) {
            statuses.insert(id, state(State::Error));
        }
        assert_eq!(statuses.len(), SERIALIZE_LOOKBACK);
    }
}
