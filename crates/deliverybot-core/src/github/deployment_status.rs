//! The states of a deployment status, as the REST API names them: what the deploy workflow reports
//! (the status flow writes them) and what the rules read back (a promotion waits for `success`, a
//! serialized environment for the end of the deployment in progress).

use serde::Serialize;

/// A deployment status state, as the REST API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Pending,
    Queued,
    InProgress,
    Success,
    Failure,
    Error,
    Inactive,
}

impl State {
    pub fn parse(text: &str) -> Option<State> {
        Some(match text {
            "pending" => State::Pending,
            "queued" => State::Queued,
            "in_progress" => State::InProgress,
            "success" => State::Success,
            "failure" => State::Failure,
            "error" => State::Error,
            "inactive" => State::Inactive,
            _ => return None,
        })
    }

    /// Whether a status in this state ends its deployment (which can free an environment), and
    /// whether it is the success a promotion waits for.
    pub fn ends(self) -> Option<bool> {
        match self {
            State::Success => Some(true),
            State::Failure | State::Error | State::Inactive => Some(false),
            State::Pending | State::Queued | State::InProgress => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Queued => "queued",
            State::InProgress => "in_progress",
            State::Success => "success",
            State::Failure => "failure",
            State::Error => "error",
            State::Inactive => "inactive",
        }
    }
}
