//! The binding, exercised inside WebAssembly in Node (`wasm-bindgen-test-runner`): UTF-8 JSON in,
//! JSON text out through the output buffer, and errors as messages there, never traps.
#![cfg(target_arch = "wasm32")]

use deliverybot_wasm::{output, output_len, output_ptr, validate, Engine};
use serde_json::{json, Value};
use wasm_bindgen_test::wasm_bindgen_test;

const INVOCATION: &str = r#"{"event_name":"push","inputs":{"dry-run":"false"},
    "context":{"repository":"octo/app","run_id":"7","server_url":"https://github.example","actor":"octocat"}}"#;

fn event() -> Vec<u8> {
    json!({
        "ref": "refs/heads/main",
        "after": "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
        "deleted": false,
        "repository": { "full_name": "octo/app", "default_branch": "main" },
    })
    .to_string()
    .into_bytes()
}

fn engine() -> Engine {
    Engine::start(INVOCATION.as_bytes(), event()).expect("a valid invocation")
}

/// The last call's output as JSON.
fn parsed() -> Value {
    serde_json::from_str(&output()).expect("the binding leaves JSON")
}

#[wasm_bindgen_test]
fn the_output_is_where_output_ptr_says_and_as_long_as_the_call_says() {
    let length = engine().step();
    assert_eq!(length as usize, output_len());
    // What JavaScript reads (action/engine.mjs): `length` bytes at output_ptr.
    let bytes = unsafe { std::slice::from_raw_parts(output_ptr(), length as usize) };
    assert_eq!(std::str::from_utf8(bytes).unwrap(), output());
    assert!(output().starts_with(r#"{"log":"#), "{}", output());
}

#[wasm_bindgen_test]
fn requests_come_out_as_json() {
    let mut engine = engine();
    engine.step();
    let step = parsed();
    assert_eq!(step["next"]["type"], "request");
    assert_eq!(step["next"]["method"], "GET");
    assert_eq!(step["next"]["path"], "/repos/octo/app/contents/.github/deploy.yml");
    // Query pairs are arrays of two, in the order they are sent.
    assert_eq!(step["next"]["query"], json!([["ref", "main"]]));
}

#[wasm_bindgen_test]
fn replies_go_in_and_the_outcome_comes_out() {
    let mut engine = engine();
    engine.step();
    assert!(engine.answer(404, b"{}", br#"{"message":"Not Found"}"#.to_vec()) > 0);
    let done = parsed();
    assert_eq!(done["next"]["type"], "done");
    assert!(done["next"].get("failure").is_none());
    assert_eq!(
        done["next"]["outputs"],
        json!([["deployments", "[]"], ["deployment-id", ""], ["environment", ""], ["skipped", "[]"], ["waiting", "[]"]])
    );
    assert!(done["log"].to_string().contains("No .github/deploy.yml on main"), "{}", done["log"]);
}

#[wasm_bindgen_test]
fn a_lost_answer_is_a_reply_too() {
    let mut engine = engine();
    engine.step();
    engine.lost("ECONNRESET".into());
    let done = parsed();
    assert_eq!(done["next"]["failure"], "Could not read .github/deploy.yml from main: ECONNRESET");
}

#[wasm_bindgen_test]
fn a_payload_that_is_not_json_fails_the_run_with_a_message() {
    let mut engine = Engine::start(INVOCATION.as_bytes(), "{not json".into()).unwrap();
    engine.step();
    let done = parsed();
    let failure = done["next"]["failure"].as_str().unwrap();
    assert!(failure.starts_with("the `push` event payload cannot be read"), "{failure}");
}

#[wasm_bindgen_test]
fn a_payload_that_is_not_utf8_is_read_with_replacement_characters() {
    // A Latin-1 "é" in the payload: the run goes on, with U+FFFD where the byte was.
    let mut payload = event();
    let at = payload.windows(4).rposition(|w| w == b"main").unwrap(); // the default branch
    payload.splice(at..at + 4, *b"m\xe9in");
    let mut engine = Engine::start(INVOCATION.as_bytes(), payload).unwrap();
    engine.step();
    let step = parsed();
    assert_eq!(step["next"]["query"], json!([["ref", "m\u{fffd}in"]]));
}

#[wasm_bindgen_test]
fn malformed_values_are_errors_not_traps() {
    assert!(Engine::start(br#"{"event_name": 3}"#, event()).is_none());
    assert!(output().starts_with("invalid invocation:"), "{}", output());
    assert!(Engine::start(b"not json", event()).is_none());

    let mut engine = engine();
    engine.step();
    // An error leaves its message, and returns its length negated.
    assert_eq!(engine.answer(200, br#"{"link": 3}"#, Vec::new()), -(output().len() as i32));
    assert_eq!(output(), "invalid reply's headers: `link` is the number 3, not text");
    assert!(engine.answer(200, b"{\"link\": \"\xff\"}", Vec::new()) < 0);
    assert!(output().starts_with("invalid reply's headers: invalid utf-8"), "{}", output());
    // The engine is where it was: a good answer still goes in.
    assert_eq!(engine.answer(404, b"{}", Vec::new()), output().len() as i32);
    assert_eq!(parsed()["next"]["type"], "done");
}

#[wasm_bindgen_test]
fn validate_returns_targets_or_every_problem_with_its_position() {
    assert!(validate("staging:\n  environment: staging\nproduction:\n") > 0);
    assert_eq!(parsed(), json!({ "targets": ["staging", "production"], "problems": [] }));
    assert!(validate("staging:\n  enviroment: x\n  auto_merge: 3\n") > 0);
    let invalid = parsed();
    assert_eq!(
        invalid["problems"],
        json!([
            { "line": 2, "column": 3, "message": "unknown key `enviroment` in target `staging`; did you mean `environment`?" },
            { "line": 3, "column": 15, "message": "`auto_merge` must be true or false; this is the number 3" },
        ])
    );
}

#[wasm_bindgen_test]
fn a_body_crosses_as_bytes_and_is_read_as_utf8() {
    let mut engine = engine();
    engine.step();
    // The config's bytes as they came, one of them not UTF-8: read with U+FFFD, as the payload is.
    let config = b"staging:\n  auto_deploy_on: refs/heads/main\n  environment: st\xe9ging\n".to_vec();
    assert!(engine.answer(200, b"{}", config) > 0);
    // Where main points now: still the pushed commit.
    assert!(engine.answer(200, b"{}", br#"{"object":{"sha":"6113728f27ae82c7b1a177c8d03f9e96e0adf246","type":"commit"}}"#.to_vec()) > 0);
    let step = parsed();
    let query = step["next"]["query"].as_array().unwrap();
    assert!(query.contains(&json!(["environment", "st\u{fffd}ging"])), "{query:?}");
}
