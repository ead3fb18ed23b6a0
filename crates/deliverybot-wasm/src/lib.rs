//! The WebAssembly face of `deliverybot-core`: conversions between JSON text and the engine's types,
//! nothing else. Errors cross the boundary as values (a failed outcome or a thrown `Error` with a
//! message), never as a trap.
//!
//! Why JSON text and not JavaScript objects: each value then crosses in one call (a copy), where
//! converting objects field by field (serde-wasm-bindgen, which this crate used before) makes a call
//! into JavaScript per field and compiles its own converters into every cold start: the change alone
//! took about 2.5 ms off the action's cold start on Node 20 (64.9 → 62.4 ms, median of 25
//! alternating runs). `action/engine.mjs` wraps this in `JSON.stringify`/`JSON.parse`.
//!
//! Why UTF-8 bytes in and not strings: wasm-bindgen copies a string into WebAssembly memory one
//! character at a time in JavaScript that has not warmed up yet, where a byte array is one native
//! copy; the action also hands over the event file's bytes without decoding them. The action's cold
//! start on Node 24 went from 55.1 to 54.1 ms (floor 37.7 ms, 30 alternating pairs); a 4.8 MB push
//! payload now crosses in 12 ms instead of 23 (bench/run.mjs). A reply's body likewise crosses as
//! the bytes that came (`answer`), not escaped inside a JSON reply: no reader for a JSON reply is
//! compiled either (-4 KB compiled on a push).

// Natively (the tests), the standard allocator is the global one; arena.rs has its own tests.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod arena;

use deliverybot_core::{Invocation, Reply};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The module's allocator (arena.rs): natively, the tests use the standard one.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: arena::Arena<{ arena::SIZE }> = arena::Arena::new();

#[wasm_bindgen]
pub struct Engine(deliverybot_core::Engine);

#[wasm_bindgen]
impl Engine {
    /// `invocation`: `{ event_name, inputs: {name: value}, context: {...}, ... }` as JSON; `event`: the
    /// webhook payload's JSON text, passed as it is rather than nested (and escaped) in `invocation`.
    /// Both are UTF-8; a payload that is not is read with U+FFFD for each bad sequence (see `text`),
    /// so that the engine reports the JSON it cannot read rather than the encoding.
    #[wasm_bindgen(constructor)]
    pub fn new(invocation: &[u8], event: Vec<u8>) -> Result<Engine, JsError> {
        let mut invocation = Invocation::from_json(utf8(invocation, "invocation")?).map_err(|err| invalid("invocation", err))?;
        invocation.event = text(event);
        Ok(Engine(deliverybot_core::Engine::new(invocation)))
    }

    // Each step returns `{ log, next: { type: "request", ... } | { type: "done", ... } }` as JSON.

    /// The first step: no reply yet.
    pub fn step(&mut self) -> String {
        self.0.step(None).to_json()
    }

    /// The reply to the last request when GitHub answered: `headers` is a JSON object of lower-case
    /// names to values, `body` the body's bytes as they came (UTF-8; read like the payload). The
    /// body is not wrapped in JSON, so it is neither escaped nor unescaped on its way in.
    pub fn answer(&mut self, status: u16, headers: &[u8], body: Vec<u8>) -> Result<String, JsError> {
        let headers = Reply::headers_from_json(utf8(headers, "reply's headers")?).map_err(|err| invalid("reply's headers", err))?;
        Ok(self.0.step(Some(Reply::Response { status, headers, body: text(body) })).to_json())
    }

    /// The reply to the last request when no answer came: what happened instead.
    pub fn lost(&mut self, error: String) -> String {
        self.0.step(Some(Reply::Lost { error })).to_json()
    }
}

/// UTF-8 bytes as text; each sequence that is not UTF-8 becomes U+FFFD (the maximal subparts, as
/// `TextDecoder` and `Buffer.toString` replace them). A byte-order mark is kept, as `Buffer.toString`
/// keeps it.
fn text(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
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
    to_json(&validation, "the validation")
}

/// JSON arrives as UTF-8 bytes and is read from `&str`: the engine reads the payload and GitHub's
/// answers from text, so `from_slice` would compile a second copy of the JSON reader.
fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, JsError> {
    std::str::from_utf8(bytes).map_err(|err| invalid(what, err))
}

fn invalid(what: &str, err: impl std::fmt::Display) -> JsError {
    JsError::new(&format!("invalid {what}: {err}"))
}

fn to_json(value: &impl Serialize, what: &str) -> Result<String, JsError> {
    serde_json::to_string(value).map_err(|err| JsError::new(&format!("cannot convert {what}: {err}")))
}
