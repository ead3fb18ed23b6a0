//! Deliverybot's rules engine.
//!
//! The engine is a sans-IO state machine: it is handed the workflow run (event, inputs, context),
//! answers with the next GitHub REST request it needs, is fed each reply, and finally returns an
//! [`Outcome`] (outputs, job summary, success or failure). It never touches the network, a clock or
//! the file system, so every decision is unit-tested with canned replies and the same engine runs
//! natively, in WebAssembly inside the action, and in the CLI.
//!
//! ```
//! use deliverybot_core::{Engine, Invocation, Next};
//! let run = Invocation::example_push("refs/heads/main");
//! let mut engine = Engine::new(run);
//! let step = engine.step(None);
//! // The first thing the engine needs is the config, read from the default branch.
//! match step.next {
//!     Next::Request(request) => assert!(request.path.ends_with("/contents/.github/deploy.yml")),
//!     Next::Zone { .. } | Next::Done(_) => unreachable!(),
//! }
//! ```

mod config;
mod deployment;
mod diagnostic;
mod engine;
mod event;
mod filter_pattern;
mod flow;
mod flows;
mod github;
mod invocation;
mod json;
mod locks;
mod log;
mod markdown;
mod params;
mod protocol;
mod refs;
mod report;
mod rules;
#[cfg(feature = "schema")]
mod schema;
mod template;
mod time;
pub mod workflow;
mod yaml;

pub use config::{Config, Target};
pub use diagnostic::{Diagnostic, Pos};
pub use engine::Engine;
pub use invocation::{Invocation, Phase, RunContext};
pub use protocol::{Annotation, DecisionRecord, Level, LogLine, Method, Next, Outcome, Reply, Request, RequestRecord, Step};

/// The JSON Schema of deploy.yml, as pretty JSON.
#[cfg(feature = "schema")]
pub fn schema_json() -> String {
    schema::json()
}
