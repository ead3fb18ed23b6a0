//! The WebAssembly face of `deliverybot-core`: conversions between JSON text and the engine's types,
//! nothing else. Errors cross the boundary as values (a failed outcome or a thrown `Error` with a
//! message), never as a trap.
//!
//! Why JSON text and not JavaScript objects: each value then crosses in one call (a string copy),
//! where converting objects field by field (serde-wasm-bindgen, which this crate used before) makes
//! a call into JavaScript per field and compiles its own converters into every cold start: the
//! change alone took about 2.5 ms off the action's cold start on Node 20 (64.9 → 62.4 ms, median of
//! 25 alternating runs). `action/engine.mjs` wraps this in `JSON.stringify`/`JSON.parse`.

use deliverybot_core::{Invocation, Reply};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Engine(deliverybot_core::Engine);

#[wasm_bindgen]
impl Engine {
    /// `invocation`: `{ event_name, inputs: {name: value}, context: {...}, ... }` as JSON; `event`: the
    /// webhook payload's JSON text, passed as it is rather than nested (and escaped) in `invocation`.
    #[wasm_bindgen(constructor)]
    pub fn new(invocation: &str, event: String) -> Result<Engine, JsError> {
        let mut invocation: Invocation =
            serde_json::from_str(invocation).map_err(|err| JsError::new(&format!("invalid invocation: {err}")))?;
        invocation.event = event;
        Ok(Engine(deliverybot_core::Engine::new(invocation)))
    }

    /// Advances the run: no reply first, then each reply (`{status, headers, body}` or `{error}`) as
    /// JSON. Returns `{ log, next: { type: "request", ... } | { type: "done", ... } }` as JSON.
    pub fn step(&mut self, reply: Option<String>) -> Result<String, JsError> {
        let reply: Option<Reply> = match reply {
            None => None,
            Some(text) => Some(serde_json::from_str(&text).map_err(|err| JsError::new(&format!("invalid reply: {err}")))?),
        };
        json(&self.0.step(reply), "the step")
    }
}

/// Checks a deploy.yml without running anything: `{ targets: [name], problems: [{ line, column,
/// message }] }` as JSON (`line` and `column` are null for a problem of the whole file).
#[wasm_bindgen]
pub fn validate(text: &str) -> Result<String, JsError> {
    #[derive(Serialize)]
    struct Problem {
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    }
    #[derive(Serialize)]
    struct Validation {
        targets: Vec<String>,
        problems: Vec<Problem>,
    }
    let validation = match deliverybot_core::Config::parse(text) {
        Ok(config) => Validation { targets: config.targets.into_iter().map(|t| t.name).collect(), problems: Vec::new() },
        Err(problems) => Validation {
            targets: Vec::new(),
            problems: problems
                .into_iter()
                .map(|p| Problem { line: p.pos.map(|pos| pos.line), column: p.pos.map(|pos| pos.column), message: p.message })
                .collect(),
        },
    };
    json(&validation, "the validation")
}

fn json(value: &impl Serialize, what: &str) -> Result<String, JsError> {
    serde_json::to_string(value).map_err(|err| JsError::new(&format!("cannot convert {what}: {err}")))
}
