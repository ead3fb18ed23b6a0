//! The binding, exercised inside WebAssembly in Node (`wasm-bindgen-test-runner`): JavaScript values
//! in and out, the payload and bodies as bytes, and errors as thrown `Error`s, never traps.
#![cfg(target_arch = "wasm32")]

use deliverybot_wasm::{validate, workflow, Engine};
use js_sys::Uint8Array;
use serde::Serialize;
use serde_json::{json, Value};
use wasm_bindgen::{JsError, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn invocation() -> Value {
    json!({ "event_name": "push", "inputs": { "dry-run": "false" },
        "context": { "repository": "octo/app", "run_id": "7", "server_url": "https://github.example", "actor": "octocat" } })
}

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

/// A JSON value as JavaScript has it (objects, not `Map`s).
fn js(value: &Value) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

fn bytes(bytes: &[u8]) -> Uint8Array {
    Uint8Array::from(bytes)
}

/// What the binding returned, as JSON.
fn parsed(value: Result<JsValue, JsError>) -> Value {
    serde_wasm_bindgen::from_value(value.expect("a value, not an error")).expect("the binding returns JSON-like values")
}

fn message(err: JsError) -> String {
    js_sys::Error::from(JsValue::from(err)).message().into()
}

fn engine() -> Engine {
    Engine::start(js(&invocation()), &bytes(&event())).expect("a valid invocation")
}

#[wasm_bindgen_test]
fn requests_come_out_as_plain_objects() {
    let step = engine().step().unwrap();
    // A plain object, as JSON.parse would give: `JSON.stringify` sees every field.
    let text: String = js_sys::JSON::stringify(&step).unwrap().into();
    assert!(text.starts_with(r#"{"log":["#), "{text}");
    let step: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(step["next"]["type"], "request");
    assert_eq!(step["next"]["method"], "GET");
    assert_eq!(step["next"]["path"], "/repos/octo/app/contents/.github/deploy.yml");
    // Query pairs are arrays of two, in the order they are sent.
    assert_eq!(step["next"]["query"], json!([["ref", "main"]]));
}

#[wasm_bindgen_test]
fn replies_go_in_and_the_outcome_comes_out() {
    let mut engine = engine();
    engine.step().unwrap();
    let done = parsed(engine.answer(404, js(&json!({})), &bytes(br#"{"message":"Not Found"}"#)));
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
    engine.step().unwrap();
    let done = parsed(engine.lost("ECONNRESET".into()));
    assert_eq!(done["next"]["failure"], "Could not read .github/deploy.yml from main: ECONNRESET");
}

#[wasm_bindgen_test]
fn a_time_zone_is_asked_as_a_step_and_answered_with_its_bytes() {
    let mut engine = engine();
    engine.step().unwrap();
    let config = "settings:\n  freeze:\n    - { from: Sat 00:00, to: Mon 00:00, timezone: Etc/UTC }\nweb:\n  auto_deploy_on: refs/heads/main\n";
    let step = parsed(engine.answer(200, js(&json!({})), &bytes(config.as_bytes())));
    assert_eq!(step["next"], json!({ "type": "zone", "name": "Etc/UTC" }));
    // The end of a TZif file: its rule.
    let step = parsed(engine.zone(Some(bytes(b"TZif2 (the transitions)\nUTC0\n"))));
    assert_eq!(step["next"]["type"], "request");
}

#[wasm_bindgen_test]
fn a_payload_that_is_not_json_fails_the_run_with_a_message() {
    let mut engine = Engine::start(js(&invocation()), &bytes(b"{not json")).unwrap();
    let done = parsed(engine.step());
    let failure = done["next"]["failure"].as_str().unwrap();
    assert!(failure.starts_with("the `push` event payload cannot be read"), "{failure}");
}

#[wasm_bindgen_test]
fn a_payload_that_is_not_utf8_is_read_with_replacement_characters() {
    // A Latin-1 "é" in the payload: the run goes on, with U+FFFD where the byte was.
    let mut payload = event();
    let at = payload.windows(4).rposition(|w| w == b"main").unwrap(); // the default branch
    payload.splice(at..at + 4, *b"m\xe9in");
    let mut engine = Engine::start(js(&invocation()), &bytes(&payload)).unwrap();
    let step = parsed(engine.step());
    assert_eq!(step["next"]["query"], json!([["ref", "m\u{fffd}in"]]));
}

/// The binding says what is wrong with a value; the facade (action/engine.mjs, tests/library.test.mjs)
/// checks the shape before it calls and names a wrong value by its path.
#[wasm_bindgen_test]
fn malformed_values_are_errors_not_traps() {
    let err = Engine::start(js(&json!({ "event_name": 3 })), &bytes(&event())).err().unwrap();
    assert_eq!(message(err), "invalid invocation: invalid type: floating point `3.0`, expected a string");
    let mut invocation = invocation();
    invocation["inputs"]["dry-run"] = json!(true);
    let err = Engine::start(js(&invocation), &bytes(&event())).err().unwrap();
    assert_eq!(message(err), "invalid invocation: invalid type: boolean `true`, expected a string");
    let err = Engine::start(js(&json!({ "event_name": "push" })), &bytes(&event())).err().unwrap();
    assert_eq!(message(err), "invalid invocation: missing field `context`");
    assert!(Engine::start(JsValue::from_str("not an object"), &bytes(&event())).is_err());

    let mut engine = engine();
    engine.step().unwrap();
    let err = engine.answer(200, js(&json!({ "link": 3 })), &bytes(b"")).err().unwrap();
    assert_eq!(message(err), "invalid reply's headers: invalid type: floating point `3.0`, expected a string");
    // The engine is where it was: a good answer still goes in.
    assert_eq!(parsed(engine.answer(404, js(&json!({})), &bytes(b"")))["next"]["type"], "done");
}

/// `validate` as the golden wire file shared with the JavaScript tests has it (tests/package.test.mjs
/// compiles it against action/lib.d.ts): targets, or every problem with its position, `null` (not
/// left out) for a problem of the whole file.
#[wasm_bindgen_test]
fn a_number_javascript_cannot_hold_exactly_is_an_error_not_a_rounded_number() {
    let mut engine = engine();
    engine.step().unwrap();
    let config = b"staging:\n  auto_deploy_on: refs/heads/main\n  payload: { id: 9007199254740993 }\n";
    parsed(engine.answer(200, js(&json!({})), &bytes(config)));
    // Where main points now: still the pushed commit.
    let tip = br#"{"object":{"sha":"6113728f27ae82c7b1a177c8d03f9e96e0adf246","type":"commit"}}"#;
    let mut step = parsed(engine.answer(200, js(&json!({})), &bytes(tip)));
    while step["next"]["method"] == "GET" {
        step = match engine.answer(200, js(&json!({})), &bytes(b"[]")) {
            Ok(value) => serde_wasm_bindgen::from_value(value).unwrap(),
            Err(err) => {
                assert_eq!(message(err), "cannot convert the engine's answer: 9007199254740993 can't be represented as a JavaScript number");
                return;
            }
        };
    }
    panic!("the create request came out: {step}");
}

#[wasm_bindgen_test]
fn validate_returns_what_the_golden_wire_file_has() {
    let golden: Vec<Value> = serde_json::from_str(include_str!("../../../tests/fixtures/wire/validation.json")).unwrap();
    let configs = [
        "staging:\n  environment: staging\nproduction:\n".to_string(),
        "staging:\n  enviroment: x\n  auto_merge: 3\n".to_string(),
        "staging:\n  enviroment: x\n".to_string(),
        "#".repeat(1024 * 1024 + 1),
    ];
    assert_eq!(golden.len(), configs.len());
    for (config, golden) in configs.iter().zip(golden) {
        let validation = validate(config).unwrap();
        let text: String = js_sys::JSON::stringify(&validation).unwrap().into();
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), golden);
    }
}

/// What JavaScript gets is the serde form of the engine's steps (tests/fixtures/wire/steps.json):
/// the same run natively and through the binding gives the same JSON, field order included.
#[wasm_bindgen_test]
fn steps_cross_as_their_serde_form() {
    let mut native = deliverybot_core::Engine::new(serde_json::from_value::<deliverybot_core::Invocation>(invocation()).map(|mut run| {
        run.event = String::from_utf8(event()).unwrap();
        run
    }).unwrap());
    let mut engine = engine();
    let config = "staging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\n  payload: { port: 80, ratio: 0.5 }\n";
    let replies = [(200, config.to_string()), (200, "[]".to_string()), (200, "[]".to_string()), (201, r#"{"id":7,"url":"u"}"#.to_string())];
    let text = |value: JsValue| -> String { js_sys::JSON::stringify(&value).unwrap().into() };
    assert_eq!(text(engine.step().unwrap()), serde_json::to_string(&native.step(None)).unwrap());
    for (status, body) in replies {
        let step = native.step(Some(deliverybot_core::Reply::ok(status, body.clone())));
        assert_eq!(text(engine.answer(status, js(&json!({})), &bytes(body.as_bytes())).unwrap()), serde_json::to_string(&step).unwrap());
    }
}

#[wasm_bindgen_test]
fn a_body_crosses_as_bytes_and_is_read_as_utf8() {
    let mut engine = engine();
    engine.step().unwrap();
    // The config's bytes as they came, one of them not UTF-8: read with U+FFFD, as the payload is.
    let config = b"staging:\n  auto_deploy_on: refs/heads/main\n  environment: st\xe9ging\n";
    parsed(engine.answer(200, js(&json!({})), &bytes(config)));
    // Where main points now: still the pushed commit.
    let tip = br#"{"object":{"sha":"6113728f27ae82c7b1a177c8d03f9e96e0adf246","type":"commit"}}"#;
    let step = parsed(engine.answer(200, js(&json!({})), &bytes(tip)));
    let query = step["next"]["query"].as_array().unwrap();
    assert!(query.contains(&json!(["environment", "st\u{fffd}ging"])), "{query:?}");
}

/// `workflow`: the generated text, why it cannot be written, the files not read and the trigger
/// check's findings, as plain values; a malformed request is an error that names the field.
#[wasm_bindgen_test]
fn workflow_answers_with_the_text_and_the_findings() {
    let config = "staging:\n  auto_deploy_on: refs/heads/main\n  required_contexts: [test]\n";
    let ci = "name: CI\non: push\njobs:\n  test:\n    runs-on: x\n    steps: [{ run: make }]\n";
    let action = json!({ "sha": "0123456789abcdef0123456789abcdef01234567", "version": "v1" });
    let request = json!({ "config": config, "workflows": [{ "path": ".github/workflows/ci.yml", "text": ci }, { "path": "bad.yml", "text": "- x\n" }],
        "options": { "config_path": ".github/deploy.yml", "schedule": null, "action": action } });
    let answer = parsed(workflow(js(&request)));
    assert!(answer["workflow"].as_str().unwrap().contains("    workflows: [CI]\n"), "{answer}");
    assert_eq!(answer["error"], Value::Null);
    assert_eq!(answer["problems"], json!([]));
    assert_eq!(answer["unreadable"], json!([{ "path": "bad.yml", "line": 1, "column": 1, "message": "a workflow is a map; this is a list" }]));
    assert_eq!(answer["findings"][0]["line"], Value::Null, "nothing runs Deliverybot yet");
    let no_options = parsed(workflow(js(&json!({ "config": config, "workflows": [] }))));
    assert_eq!((&no_options["workflow"], &no_options["error"]), (&Value::Null, &Value::Null));
    let bad_cron = parsed(workflow(js(&json!({ "config": config, "workflows": [], "options": { "config_path": "d.yml", "schedule": "often", "action": action } }))));
    assert!(bad_cron["error"].as_str().unwrap().starts_with("`often` is not a cron schedule"));
    let err = workflow(js(&json!({ "config": config }))).unwrap_err();
    assert!(message(err).starts_with("invalid workflow request: missing field `workflows`"));
}
