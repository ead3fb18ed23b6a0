//! Pull requests found by asking GitHub. A check that names none (every `status`, and a check on a
//! fork's commit) finds the open pull requests whose head is its commit; a schedule lists every open
//! pull request. Each becomes a candidate for the `pr` targets, judged as a pull request event's is
//! (the superseded, closed, fork and draft rules). Only asked when some target deploys pull requests.

use super::candidates::Tip;
use super::{Awaiting, Deliver, Progress};
use crate::config::{Config, Trigger};
use crate::event::PullRequest;
use crate::github::{self, answer, Answer};
use crate::log::Log;
use crate::protocol::{Outcome, Reply, Request};
use crate::refs::short_sha;

/// Pages of 100 pull requests read at the most: a schedule evaluates the 300 most recently updated
/// open pull requests, and says so when there are more.
pub(super) const PULL_PAGES: u32 = 3;

/// Which pull requests to ask for.
#[derive(Debug)]
pub(super) enum Lookup {
    /// The pull requests a checked commit belongs to (`GET /commits/{sha}/pulls`).
    OfCommit(String),
    /// Every open pull request, most recently updated first (`GET /pulls?state=open`).
    Open,
}

/// A lookup on its way: what it asks, and the next page to read.
pub(super) struct PullLookup {
    lookup: Lookup,
    page: u32,
}

/// After a page: read the next one, stop, or stop at the bound with more unread.
#[derive(Debug, PartialEq)]
enum Paging {
    Next(u32),
    Done,
    Bounded,
}

fn after_page(page: u32, more: bool) -> Paging {
    match (more, page < PULL_PAGES) {
        (false, _) => Paging::Done,
        (true, true) => Paging::Next(page + 1),
        (true, false) => Paging::Bounded,
    }
}

/// Whether an event must look its pull requests up: only when a target deploys pull requests.
pub(super) fn wanted(config: &Config) -> bool {
    config.targets.iter().any(|t| t.auto_deploy_on == Some(Trigger::PullRequest))
}

impl PullLookup {
    pub(super) fn new(lookup: Lookup) -> PullLookup {
        PullLookup { lookup, page: 1 }
    }
}

impl Deliver {
    /// The next page of the lookup, while one is due.
    pub(super) fn pulls_request(&mut self) -> Option<Request> {
        let lookup = self.pull_lookup.as_ref()?;
        let request = match &lookup.lookup {
            Lookup::OfCommit(sha) => github::commit_pulls(&self.repo, sha, lookup.page),
            Lookup::Open => github::open_pulls(&self.repo, lookup.page),
        };
        self.awaiting = Some(Awaiting::Pulls);
        Some(request)
    }

    /// A page of pull requests: each open one a candidate for every `pr` target.
    pub(super) fn read_pulls(&mut self, reply: Reply, log: &mut Log) {
        let Some(lookup) = self.pull_lookup.take() else { return };
        let what = match &lookup.lookup {
            Lookup::OfCommit(sha) => format!("find the pull requests of {}", short_sha(sha)),
            Lookup::Open => "list the open pull requests".to_string(),
        };
        let (items, more) = match answer(&reply) {
            Answer::Success { body, more, .. } => match github::json(body, &what) {
                Ok(page) => (github::items(&page).to_vec(), more),
                Err(reason) => return self.fail_lookup(reason, log),
            },
            // Without them, a review app waiting for this could never deploy: say so, with the fix.
            failed => return self.fail_lookup(failed.refusal(&what, Some("pull-requests: read")), log),
        };
        for item in items {
            match PullRequest::from_object(item, 0) {
                Ok(pr) => self.pull_request_candidate(&lookup.lookup, pr),
                Err(reason) => log.debug(format!("A pull request GitHub listed cannot be read: {reason}.")),
            }
        }
        let limit = PULL_PAGES * 100;
        match (after_page(lookup.page, more), &lookup.lookup) {
            (Paging::Next(page), _) => self.pull_lookup = Some(PullLookup { page, ..lookup }),
            (Paging::Done, _) => {}
            (Paging::Bounded, Lookup::Open) => log.warning(format!("More than {limit} open pull requests: only the {limit} most recently updated are evaluated.")),
            (Paging::Bounded, Lookup::OfCommit(sha)) => log.warning(format!("{} is in more than {limit} pull requests: only the first {limit} GitHub lists are evaluated.", short_sha(sha))),
        }
        let targets = self.config().targets.len();
        self.count_unselected(targets);
    }

    /// An open pull request becomes a candidate for the `pr` targets; a closed one (GitHub names the
    /// merged pull request that brought a default-branch commit in) is no review candidate.
    fn pull_request_candidate(&mut self, lookup: &Lookup, pr: PullRequest) {
        if !pr.open || self.candidates.iter().any(|c| c.pull_request.as_ref().is_some_and(|p| p.number == pr.number)) {
            return;
        }
        // The checked commit deploys if it is the head; a schedule deploys the head.
        let sha = match lookup {
            Lookup::OfCommit(sha) => sha.clone(),
            Lookup::Open => pr.head_sha.clone(),
        };
        let head = pr.head_sha.clone();
        let candidate = self.candidate(pr.git_ref(), sha, Some(pr), Tip::Read(head), false);
        for target in 0..self.config().targets.len() {
            if self.config().targets[target].auto_deploy_on == Some(Trigger::PullRequest) {
                self.plan(target, candidate, Progress::Tip);
            }
        }
    }

    fn fail_lookup(&mut self, reason: String, log: &mut Log) {
        log.warning(reason.clone());
        self.end = Some(Outcome::failed(reason));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_read_while_there_are_more_up_to_the_bound() {
        assert_eq!(after_page(1, false), Paging::Done);
        assert_eq!(after_page(1, true), Paging::Next(2));
        assert_eq!(after_page(PULL_PAGES - 1, true), Paging::Next(PULL_PAGES));
        assert_eq!(after_page(PULL_PAGES, true), Paging::Bounded);
        assert_eq!(after_page(PULL_PAGES, false), Paging::Done);
    }
}
