//! The binding, exercised inside WebAssembly in Node (`wasm-bindgen-test-runner`): UTF-8 JSON in,
//! JSON text out, and errors as thrown values.
#![cfg(target_arch = "wasm32")]

use deliverybot_wasm::{validate, Engine};
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
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
    Engine::new(INVOCATION.as_bytes(), event()).unwrap()
}

fn parse(text: String) -> Value {
    serde_json::from_str(&text).expect("the binding returns JSON")
}

fn message(err: wasm_bindgen::JsError) -> String {
    js_sys::Reflect::get(&JsValue::from(err), &"message".into()).unwrap().as_string().unwrap()
}

#[wasm_bindgen_test]
fn requests_come_out_as_json() {
    let mut engine = engine();
    let step = parse(engine.step());
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
    let done = parse(engine.answer(404, b"{}", br#"{"message":"Not Found"}"#.to_vec()).unwrap());
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
    let done = parse(engine.lost("ECONNRESET".into()));
    assert_eq!(done["next"]["failure"], "Could not read .github/deploy.yml from main: ECONNRESET");
}

#[wasm_bindgen_test]
fn a_payload_that_is_not_json_fails_the_run_with_a_message() {
    let mut engine = Engine::new(INVOCATION.as_bytes(), "{not json".into()).unwrap();
    let done = parse(engine.step());
    let failure = done["next"]["failure"].as_str().unwrap();
    assert!(failure.starts_with("the `push` event payload cannot be read"), "{failure}");
}

#[wasm_bindgen_test]
fn a_payload_that_is_not_utf8_is_read_with_replacement_characters() {
    // A Latin-1 "é" in the payload: the run goes on, with U+FFFD where the byte was.
    let mut payload = event();
    let at = payload.windows(4).rposition(|w| w == b"main").unwrap(); // the default branch
    payload.splice(at..at + 4, *b"m\xe9in");
    let mut engine = Engine::new(INVOCATION.as_bytes(), payload).unwrap();
    let step = parse(engine.step());
    assert_eq!(step["next"]["query"], json!([["ref", "m\u{fffd}in"]]));
}

#[wasm_bindgen_test]
fn malformed_values_are_errors_not_traps() {
    let err = Engine::new(br#"{"event_name": 3}"#, event()).err().expect("an error");
    assert!(message(err).starts_with("invalid invocation:"));
    assert!(Engine::new(b"not json", event()).is_err());

    let mut engine = engine();
    engine.step();
    let err = engine.answer(200, br#"{"link": 3}"#, Vec::new()).err().expect("an error");
    let text = message(err);
    assert_eq!(text, "invalid reply's headers: `link` is the number 3, not text");
    let err = engine.answer(200, b"{\"link\": \"\xff\"}", Vec::new()).err().expect("an error");
    let text = message(err);
    assert!(text.starts_with("invalid reply's headers: invalid utf-8"), "{text}");
}

#[wasm_bindgen_test]
fn validate_returns_targets_or_every_problem_with_its_position() {
    let valid = parse(validate("staging:\n  environment: staging\nproduction:\n").unwrap());
    assert_eq!(valid, json!({ "targets": ["staging", "production"], "problems": [] }));
    let invalid = parse(validate("staging:\n  enviroment: x\n  auto_merge: 3\n").unwrap());
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
    let step = parse(engine.answer(200, b"{}", config).unwrap());
    let query = step["next"]["query"].as_array().unwrap();
    assert!(query.contains(&json!(["environment", "st\u{fffd}ging"])), "{query:?}");
}
