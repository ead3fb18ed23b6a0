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
//!
//! Why every export returns one number at most: each call leaves its text in an output buffer and
//! returns its length (negated for an error's message), and JavaScript reads it at `output_ptr`.
//! wasm-bindgen returns a `String` or a `Result` as several values, and Node 20's V8 cannot call
//! such an export through its generic wrapper: it compiles a wrapper for each of them when it
//! compiles the module, 0.9 ms of every cold start for five exports (the module compiled with and
//! without them: 2.2 vs 1.3 ms). Cold start vs the floor, 300 alternating pairs: Node 20 1.302x ->
//! 1.272x; Node 24, which has no such wrappers, 1.245x -> 1.254x (one more call per step).

// Natively (the tests), the standard allocator is the global one; arena.rs has its own tests.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod arena;

use deliverybot_core::{Invocation, Reply};
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

/// The module's allocator (arena.rs): natively, the tests use the standard one.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: arena::Arena<{ arena::SIZE }> = arena::Arena::new();

thread_local! {
    /// What the last call returned: JSON text, or the message of what was wrong with its input. It
    /// stays until the next call, which frees it once its own output is made: the arena (arena.rs)
    /// then cannot reuse that space, so a long run spends the arena sooner (a push's five steps
    /// leave about 3 KB) and goes on with dlmalloc, which does reuse it.
    static OUTPUT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Leaves `result` in the output buffer; returns its length in bytes, negated for an error's
/// message (a `String` is shorter than 2 GiB on wasm32; messages are never empty).
fn leave(result: Result<String, String>) -> i32 {
    let (text, sign) = match result {
        Ok(text) => (text, 1),
        Err(message) => (message, -1),
    };
    let length = sign * text.len() as i32;
    OUTPUT.with(|output| *output.borrow_mut() = text);
    length
}

/// Where the last call's output starts in the module's memory (UTF-8).
#[wasm_bindgen]
pub fn output_ptr() -> *const u8 {
    OUTPUT.with(|output| output.borrow().as_ptr())
}

/// The length in bytes of the last call's output (for a failed `Engine::start`, which returns none).
#[wasm_bindgen]
pub fn output_len() -> usize {
    OUTPUT.with(|output| output.borrow().len())
}

/// The last call's output, for Rust callers (the tests).
pub fn output() -> String {
    OUTPUT.with(|output| output.borrow().clone())
}

#[wasm_bindgen]
pub struct Engine(deliverybot_core::Engine);

#[wasm_bindgen]
impl Engine {
    /// `invocation`: `{ event_name, inputs: {name: value}, context: {...}, ... }` as JSON; `event`: the
    /// webhook payload's JSON text, passed as it is rather than nested (and escaped) in `invocation`.
    /// Both are UTF-8; a payload that is not is read with U+FFFD for each bad sequence (see `text`),
    /// so that the engine reports the JSON it cannot read rather than the encoding. `None` when the
    /// invocation is not valid: the output says why.
    pub fn start(invocation: &[u8], event: Vec<u8>) -> Option<Engine> {
        let invocation = utf8(invocation, "invocation").and_then(|text| Invocation::from_json(text).map_err(|err| invalid("invocation", err)));
        match invocation {
            Ok(mut invocation) => {
                invocation.event = text(event);
                Some(Engine(deliverybot_core::Engine::new(invocation)))
            }
            Err(message) => {
                leave(Err(message));
                None
            }
        }
    }

    // Each step leaves `{ log, next: { type: "request", ... } | { type: "done", ... } }` as JSON.

    /// The first step: no reply yet.
    pub fn step(&mut self) -> i32 {
        leave(Ok(self.0.step(None).to_json()))
    }

    /// The reply to the last request when GitHub answered: `headers` is a JSON object of lower-case
    /// names to values, `body` the body's bytes as they came (UTF-8; read like the payload). The
    /// body is not wrapped in JSON, so it is neither escaped nor unescaped on its way in. When the
    /// headers are not valid, the output is why (a negative length) and the engine is where it was.
    pub fn answer(&mut self, status: u16, headers: &[u8], body: Vec<u8>) -> i32 {
        let headers = utf8(headers, "reply's headers")
            .and_then(|text| Reply::headers_from_json(text).map_err(|err| invalid("reply's headers", err)));
        leave(headers.map(|headers| self.0.step(Some(Reply::Response { status, headers, body: text(body) })).to_json()))
    }

    /// The reply to the last request when no answer came: what happened instead.
    pub fn lost(&mut self, error: String) -> i32 {
        leave(Ok(self.0.step(Some(Reply::Lost { error })).to_json()))
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

/// Checks a deploy.yml without running anything: leaves `{ targets: [name], problems: [{ line,
/// column, message }] }` as JSON (`line` and `column` are null for a problem of the whole file).
#[wasm_bindgen]
pub fn validate(text: &str) -> i32 {
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
    leave(serde_json::to_string(&validation).map_err(|err| format!("cannot convert the validation: {err}")))
}

/// JSON arrives as UTF-8 bytes and is read from `&str`: the engine reads the payload and GitHub's
/// answers from text, so `from_slice` would compile a second copy of the JSON reader.
fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, String> {
    std::str::from_utf8(bytes).map_err(|err| invalid(what, err))
}

fn invalid(what: &str, err: impl std::fmt::Display) -> String {
    format!("invalid {what}: {err}")
}
