//! The engine: turns an [`Invocation`] into a sequence of requests and a final [`Outcome`].
//!
//! Each mode of the action is a [`Flow`]: a small state machine that is fed replies (`absorb`) and
//! asked what it needs next (`next`). The engine picks the flow from the event, keeps the log, and
//! guarantees the protocol: one request out, one reply in, and nothing after the outcome.

use crate::flows::commands::Commands;
use crate::event::{Event, PullRequest};
use crate::flow::Flow;
use crate::flows::deliver::{ends, Deliver};
use crate::flows::retire::Retire;
use crate::flows::status;
use crate::invocation::{Invocation, Phase, Repo, Settings};
use crate::log::Log;
use crate::protocol::{Next, Outcome, Reply, Step};

pub struct Engine {
    state: State,
    log: Log,
}

enum State {
    New(Box<Invocation>),
    /// A request is out; its reply goes to the flow.
    Waiting(Box<dyn Flow>),
    /// The host is asked for a time zone's rules; they go to the flow.
    WaitingZone(Box<dyn Flow>, String),
    Finished,
}

impl Engine {
    pub fn new(invocation: Invocation) -> Engine {
        Engine { state: State::New(Box::new(invocation)), log: Log::default() }
    }

    /// Advances the run. Call it first with `None`, then with the reply to each request it returns,
    /// until it returns [`Next::Done`].
    pub fn step(&mut self, reply: Option<Reply>) -> Step {
        let next = match (std::mem::replace(&mut self.state, State::Finished), reply) {
            (State::New(invocation), None) => match start(*invocation, &mut self.log) {
                Ok(flow) => self.continue_with(flow),
                Err(outcome) => Next::Done(outcome),
            },
            (State::Waiting(_), Some(Reply::Zone(_))) => misuse("time zone data came for a request"),
            (State::Waiting(mut flow), Some(reply)) => {
                flow.absorb(reply, &mut self.log);
                self.continue_with(flow)
            }
            (State::WaitingZone(mut flow, name), Some(Reply::Zone(tzif))) => {
                flow.take_zone(name, tzif);
                self.continue_with(flow)
            }
            (State::WaitingZone(..), Some(_)) => misuse("a request's reply came for a time zone"),
            (State::New(_), Some(_)) => misuse("a reply was given before the first step"),
            (State::Waiting(_) | State::WaitingZone(..), None) => misuse("the reply to the last request is missing"),
            (State::Finished, _) => misuse("the run is already finished"),
        };
        Step { log: self.log.take(), next }
    }

    fn continue_with(&mut self, mut flow: Box<dyn Flow>) -> Next {
        if let Some(name) = flow.zone_wanted() {
            self.state = State::WaitingZone(flow, name.clone());
            return Next::Zone { name };
        }
        match flow.next(&mut self.log) {
            Ok(request) => {
                self.state = State::Waiting(flow);
                Next::Request(request)
            }
            Err(outcome) => Next::Done(outcome),
        }
    }
}

/// A caller that breaks the protocol gets a failed outcome rather than a panic across the boundary.
fn misuse(what: &str) -> Next {
    Next::Done(Outcome::failed(format!("internal error: {what}")))
}

/// Reads the invocation and picks the flow for its event.
fn start(invocation: Invocation, log: &mut Log) -> Result<Box<dyn Flow>, Outcome> {
    let repo = Repo::parse(&invocation.context.repository).map_err(Outcome::failed)?;
    let settings = Settings::from_inputs(&invocation.inputs).map_err(Outcome::failed)?;
    let event = Event::parse(&invocation.event_name, &invocation.event).map_err(Outcome::failed)?;
    if invocation.phase == Phase::Post {
        return Ok(Box::new(status::post(&invocation, repo, &event, log)?));
    }
    if status::is_status_mode(&invocation) {
        return Ok(Box::new(status::main(&invocation, repo, &event, log)?));
    }
    Ok(match event {
        Event::Deployment(_) | Event::Other { .. } => return Err(nothing_to_do(&invocation.event_name, &event, log)),
        // A deployment that has not ended frees no environment and promotes nothing: no request.
        Event::DeploymentStatus(status) if ends(&status.deployment_status.state).is_none() => {
            let (id, state) = (status.deployment.id, &status.deployment_status.state);
            log.info(format!("Deployment {id} is {state}: nothing to do until it ends."));
            return Err(Outcome::nothing_to_do(format!("Deployment {id} is `{state}`: nothing to do until it ends.")));
        }
        Event::Comment(comment) => Box::new(Commands::new(repo, settings, invocation.context, comment, log)?),
        Event::PullRequest(closed) if closed.action == "closed" => {
            let pr = PullRequest::from_object(closed.pull_request, closed.repository.id).map_err(Outcome::failed)?;
            log.info(format!("Pull request #{} was closed: retiring its review deployments.", pr.number));
            Box::new(Retire::new(repo, settings, invocation.context, closed.repository.default_branch, pr))
        }
        event => Box::new(Deliver::new(repo, settings, invocation.context, &invocation.event_name, event, log)?),
    })
}

fn nothing_to_do(event_name: &str, event: &Event, log: &mut Log) -> Outcome {
    let name = match event {
        Event::Other { name } => name,
        _ => event_name,
    };
    log.info(format!("Deliverybot has nothing to do on `{name}` events."));
    Outcome::nothing_to_do(format!("Nothing to do on `{name}` events."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Next;

    #[test]
    fn events_without_a_flow_succeed_with_nothing_done() {
        let mut run = Invocation::example_push("refs/heads/main");
        run.event_name = "gollum".into();
        let step = Engine::new(run).step(None);
        let Next::Done(outcome) = step.next else { panic!("{step:?}") };
        assert_eq!(outcome.failure, None);
        assert_eq!(step.log[0].message, "Deliverybot has nothing to do on `gollum` events.");
    }

    #[test]
    fn bad_inputs_fail_before_any_request() {
        let mut run = Invocation::example_push("refs/heads/main");
        run.inputs.insert("dry-run".into(), "maybe".into());
        let Next::Done(outcome) = Engine::new(run).step(None).next else { panic!() };
        assert_eq!(outcome.failure.as_deref(), Some("input `dry-run` must be `true` or `false`, got \"maybe\""));
    }

    #[test]
    fn protocol_misuse_is_a_failure_not_a_panic() {
        let mut engine = Engine::new(Invocation::example_push("refs/heads/main"));
        let Next::Done(outcome) = engine.step(Some(Reply::ok(200, ""))).next else { panic!() };
        assert!(outcome.failure.unwrap().contains("before the first step"));
        let Next::Done(outcome) = engine.step(None).next else { panic!() };
        assert!(outcome.failure.unwrap().contains("already finished"));
    }
}
