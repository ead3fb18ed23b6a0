//! The WebAssembly face of `deliverybot-core`: conversions between JavaScript values and the
//! engine's types (serde-wasm-bindgen), nothing else. Errors cross the boundary as thrown `Error`s
//! with a message, never as a trap.
//!
//! The event payload and a reply's body cross as bytes (`Uint8Array`), apart from the rest: a
//! payload can be megabytes, and the body is the file or JSON text as it came.

use deliverybot_core::{Invocation, Reply};
use js_sys::Uint8Array;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Engine(deliverybot_core::Engine);

#[wasm_bindgen]
impl Engine {
    /// `invocation`: `{ event_name, inputs: {name: value}, context: {...}, phase?, state? }`;
    /// `event`: the webhook payload's JSON text as UTF-8 bytes. A payload that is not UTF-8 is read
    /// with U+FFFD for each bad sequence (see `text`), so that the engine reports the JSON it cannot
    /// read rather than the encoding.
    pub fn start(invocation: JsValue, event: &Uint8Array) -> Result<Engine, JsError> {
        let mut invocation: Invocation = read(invocation).map_err(|err| invalid("invocation", err))?;
        invocation.event = text(event.to_vec());
        Ok(Engine(deliverybot_core::Engine::new(invocation)))
    }

    /// The first step: no reply yet. A step is `{ log, next: { type: "request", ... } | { type:
    /// "done", ... } }` (action/lib.d.ts, `Step`).
    pub fn step(&mut self) -> Result<JsValue, JsError> {
        value(&self.0.step(None))
    }

    /// The reply to the last request when GitHub answered: `headers` is an object of lower-case
    /// names to texts, `body` the body's bytes as they came (read like the payload). When the
    /// headers are not valid, the error says why and the engine is where it was.
    pub fn answer(&mut self, status: u16, headers: JsValue, body: &Uint8Array) -> Result<JsValue, JsError> {
        let headers: BTreeMap<String, String> = read(headers).map_err(|err| invalid("reply's headers", err))?;
        value(&self.0.step(Some(Reply::Response { status, headers, body: text(body.to_vec()) })))
    }

    /// The reply to the last request when no answer came: what happened instead.
    pub fn lost(&mut self, error: String) -> Result<JsValue, JsError> {
        value(&self.0.step(Some(Reply::Lost { error })))
    }

    /// The answer to a `{ type: "zone", name }` step: the zone's TZif bytes, or `undefined` when
    /// the host has no such zone.
    pub fn zone(&mut self, tzif: Option<Uint8Array>) -> Result<JsValue, JsError> {
        value(&self.0.step(Some(Reply::Zone(tzif.map(|bytes| bytes.to_vec())))))
    }
}

/// Checks a deploy.yml without running anything: `{ targets: [name], problems: [{ line, column,
/// message }], warnings: [...] }` (`line` and `column` are null for a problem of the whole file).
/// Warnings are what the config holds that is ignored (what the original Deliverybot accepted).
#[wasm_bindgen]
pub fn validate(text: &str) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Validation {
        targets: Vec<String>,
        problems: Vec<Problem>,
        warnings: Vec<Problem>,
    }
    let problems = |diagnostics: Vec<deliverybot_core::Diagnostic>| -> Vec<Problem> { diagnostics.into_iter().map(Problem::from).collect() };
    let validation = match deliverybot_core::Config::parse(text) {
        Ok(config) => Validation { targets: config.targets.into_iter().map(|t| t.name).collect(), problems: Vec::new(), warnings: problems(config.warnings) },
        Err(errors) => Validation { targets: Vec::new(), problems: problems(errors), warnings: Vec::new() },
    };
    value(&validation)
}

/// The workflow that runs Deliverybot for a config, and the trigger check (core `workflow`).
/// `request`: `{ config, workflows: [{ path, text }], options?: { config_path, schedule?, action:
/// { sha, version } } }`; the answer: `{ problems, unreadable: [{ path, line, column, message }],
/// workflow, error, findings, notes }`, where `workflow` is the generated text (null without
/// `options` or when it cannot be written, and then `error` says why), `findings` the targets that
/// no trigger of the workflows running Deliverybot can re-evaluate, and `notes` those the generated
/// workflow cannot (what only a schedule sees, without `--schedule`). Problems are `validate`'s.
#[wasm_bindgen]
pub fn workflow(request: JsValue) -> Result<JsValue, JsError> {
    #[derive(Deserialize)]
    struct File {
        path: String,
        text: String,
    }
    #[derive(Deserialize)]
    struct Options {
        config_path: String,
        schedule: Option<String>,
        action: Pin,
    }
    #[derive(Deserialize)]
    struct Pin {
        sha: String,
        version: String,
    }
    #[derive(Deserialize)]
    struct Request {
        config: String,
        workflows: Vec<File>,
        options: Option<Options>,
    }
    #[derive(Serialize)]
    struct Unreadable {
        path: String,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    }
    #[derive(Serialize)]
    struct Answer {
        problems: Vec<Problem>,
        unreadable: Vec<Unreadable>,
        workflow: Option<String>,
        error: Option<String>,
        findings: Vec<Problem>,
        notes: Vec<Problem>,
    }
    let request: Request = read(request).map_err(|err| invalid("workflow request", err))?;
    let files: Vec<(String, String)> = request.workflows.into_iter().map(|file| (file.path, file.text)).collect();
    let options = request.options.map(|o| deliverybot_core::workflow::Options {
        config_path: o.config_path,
        schedule: o.schedule,
        action: deliverybot_core::workflow::ActionPin { sha: o.action.sha, version: o.action.version },
    });
    let answer = deliverybot_core::workflow::answer(&request.config, &files, options.as_ref());
    let (workflow, error) = match answer.workflow {
        Some(Ok(text)) => (Some(text), None),
        Some(Err(why)) => (None, Some(why)),
        None => (None, None),
    };
    value(&Answer {
        problems: answer.problems.into_iter().map(Problem::from).collect(),
        unreadable: answer.unreadable.into_iter().map(|(path, d)| Unreadable { path, line: d.pos.map(|pos| pos.line), column: d.pos.map(|pos| pos.column), message: d.message }).collect(),
        workflow,
        error,
        findings: answer.findings.into_iter().map(Problem::from).collect(),
        notes: answer.notes.into_iter().map(Problem::from).collect(),
    })
}

/// A problem at its place in a file: `line` and `column` are null for one of the whole file.
#[derive(Serialize)]
struct Problem {
    line: Option<usize>,
    column: Option<usize>,
    message: String,
}

impl From<deliverybot_core::Diagnostic> for Problem {
    fn from(d: deliverybot_core::Diagnostic) -> Problem {
        Problem { line: d.pos.map(|pos| pos.line), column: d.pos.map(|pos| pos.column), message: d.message }
    }
}

/// A value as JavaScript sees JSON: objects (not `Map`s) for maps, `null` for `None`.
/// A whole number past 2^53 (one a config's payload may hold) has no exact JavaScript number: an error.
fn value(value: &impl Serialize) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(|err| JsError::new(&format!("cannot convert the engine's answer: {}", message(err))))
}

/// A JavaScript value as a `T`. The facade (action/engine.mjs) checks the shape of what it passes
/// and names a wrong value by its path; what is left to say here is what is wrong.
fn read<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(message)
}

/// What a conversion error says, without the `Error: ` its `Display` puts first.
fn message(err: serde_wasm_bindgen::Error) -> String {
    js_sys::Error::from(JsValue::from(err)).message().into()
}

/// UTF-8 bytes as text; each sequence that is not UTF-8 becomes U+FFFD (the maximal subparts, as
/// `TextDecoder` and `Buffer.toString` replace them). A byte-order mark is kept, as `Buffer.toString`
/// keeps it.
pub fn text(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
    }
}

fn invalid(what: &str, err: String) -> JsError {
    JsError::new(&format!("invalid {what}: {err}"))
}
