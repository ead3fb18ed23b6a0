//! The WebAssembly face of `deliverybot-core`: conversions between JavaScript values and the
//! engine's types, nothing else. Errors cross the boundary as values (a failed outcome or a thrown
//! `Error` with a message), never as a trap.

use deliverybot_core::{Invocation, Reply};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Engine(deliverybot_core::Engine);

#[wasm_bindgen]
impl Engine {
    /// `invocation`: `{ event_name, event (JSON text), inputs: {name: value}, context: {...} }`.
    #[wasm_bindgen(constructor)]
    pub fn new(invocation: JsValue) -> Result<Engine, JsError> {
        let invocation: Invocation = serde_wasm_bindgen::from_value(invocation)
            .map_err(|err| JsError::new(&format!("invalid invocation: {err}")))?;
        Ok(Engine(deliverybot_core::Engine::new(invocation)))
    }

    /// Advances the run: `undefined` first, then each reply (`{status, headers, body}` or
    /// `{error}`). Returns `{ log, next: { type: "request", ... } | { type: "done", ... } }`.
    pub fn step(&mut self, reply: JsValue) -> Result<JsValue, JsError> {
        let reply: Option<Reply> = if reply.is_undefined() || reply.is_null() {
            None
        } else {
            Some(serde_wasm_bindgen::from_value(reply).map_err(|err| JsError::new(&format!("invalid reply: {err}")))?)
        };
        let step = self.0.step(reply);
        // Plain objects and arrays (not Maps), so the JavaScript side reads it like JSON.
        step.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|err| JsError::new(&format!("cannot convert the step: {err}")))
    }
}

/// Checks a deploy.yml without running anything: `{ targets: [name], problems: [{ line, column,
/// message }] }` (`line` and `column` are null for a problem of the whole file).
#[wasm_bindgen]
pub fn validate(text: &str) -> Result<JsValue, JsError> {
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
    validation
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|err| JsError::new(&format!("cannot convert the validation: {err}")))
}
