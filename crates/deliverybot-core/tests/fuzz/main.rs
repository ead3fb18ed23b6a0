//! Time-bounded fuzzing of everything the engine reads from outside: the config text, the
//! templates in it, webhook payloads, the action's inputs, and GitHub's replies.
//!
//! ```sh
//! # CI: a minute per target; --nocapture shows each target's rate and where its inputs led
//! DELIVERYBOT_FUZZ_SECONDS=60 cargo test --profile native -p deliverybot-core --test fuzz -- --nocapture
//! # the same inputs again: the seed is printed for each target and written in each failure file
//! DELIVERYBOT_FUZZ_SEED=1234 cargo test -p deliverybot-core --test fuzz config
//! ```
//!
//! Each target draws inputs from proptest strategies in a loop until its time is up (2 seconds by
//! default, so that a plain `cargo test` stays quick). The inputs mix generated structure (YAML
//! configs, `${{ }}` expressions, invocations, misbehaving replies) with mutations of the seed
//! corpus in `tests/fuzz-corpus/<target>/` (bit flips, cuts, splices, repeated lines, inserted
//! YAML/JSON/template punctuation, JSON values removed or swapped for ones of the wrong type).
//!
//! Every input must end in `Ok`/`Err` or `Next::Done`, without a panic, within 1 second, 10,000
//! engine steps and 256 MiB of allocations. A failing input is written to
//! `target/fuzz-failures/<target>-<n>.txt` and the test panics with that path. A crash that ends
//! the process at once (a stack overflow aborts, it does not panic; the message names the thread,
//! `fuzz-<target>`) leaves its input in `target/fuzz-failures/<target>-running.txt`. Proptest's
//! shrinking is not used: the file shows the whole input as it was run.
//!
//! One file per target (`config`, `templates`, `events`, `inputs`, `commands`), and what they
//! share: `chaos` (a GitHub whose replies are twisted), `gen` (generated YAML and templates),
//! `mutate` (mutations of seed inputs), `corpus` (the seeds) and `harness` (the driver).

#[path = "../common/mod.rs"]
mod common;

use common::{GitHub, OLD, SHA};
use deliverybot_core::{Config, Engine, Invocation, Next, Outcome, Phase, Reply, Request};
use harness::{Case, Text};
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde_json::{json, Value};
use std::time::Duration;

/// A run that takes more steps than this is a loop, not a long run.
const MAX_STEPS: usize = 10_000;
/// Time for one input: a bound on work, not a benchmark (a 1 MiB config parses in about 100 ms).
/// Unoptimized code is several times slower, and `cargo test` runs the targets side by side.
const SLOW: Duration = Duration::from_secs(if cfg!(debug_assertions) { 5 } else { 1 });
/// Memory one input may allocate at its peak; the largest configs allowed (1 MiB, or a million
/// values through aliases) stay well below it.
const MEMORY: usize = 256 * 1024 * 1024;

mod config;
mod templates;
mod events;
mod inputs;
mod commands;
mod chaos;
mod gen;
mod mutate;
mod corpus;
mod harness;

use chaos::*;
use events::*;
