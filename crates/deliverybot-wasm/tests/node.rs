//! The binding, exercised from JavaScript values in Node (`wasm-bindgen-test-runner`).
#![cfg(target_arch = "wasm32")]

use deliverybot_wasm::{validate, Engine};
use js_sys::{Reflect, JSON};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn js(text: &str) -> JsValue {
    JSON::parse(text).expect("valid JSON")
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| Reflect::get(&v, &key.into()).unwrap())
}

fn invocation() -> JsValue {
    let event = r#"{\"ref\":\"refs/heads/main\",\"after\":\"6113728f27ae82c7b1a177c8d03f9e96e0adf246\",\"deleted\":false,\"repository\":{\"full_name\":\"octo/app\",\"default_branch\":\"main\"}}"#;
    js(&format!(
        r#"{{"event_name":"push","event":"{event}","inputs":{{"dry-run":"false"}},
            "context":{{"repository":"octo/app","run_id":"7","server_url":"https://github.example","actor":"octocat"}}}}"#
    ))
}

#[wasm_bindgen_test]
fn requests_come_out_as_plain_javascript_objects() {
    let mut engine = Engine::new(invocation()).unwrap();
    let step = engine.step(JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&step, "next.type").as_string().unwrap(), "request");
    assert_eq!(get(&step, "next.method").as_string().unwrap(), "GET");
    assert_eq!(get(&step, "next.path").as_string().unwrap(), "/repos/octo/app/contents/.github/deploy.yml");
    // Query pairs are arrays, not Maps, so JSON.stringify shows them.
    assert_eq!(JSON::stringify(&get(&step, "next.query")).unwrap().as_string().unwrap(), r#"[["ref","main"]]"#);
}

#[wasm_bindgen_test]
fn replies_go_in_and_the_outcome_comes_out() {
    let mut engine = Engine::new(invocation()).unwrap();
    engine.step(JsValue::UNDEFINED).unwrap();
    let done = engine.step(js(r#"{"status":404,"headers":{},"body":"{\"message\":\"Not Found\"}"}"#)).unwrap();
    assert_eq!(get(&done, "next.type").as_string().unwrap(), "done");
    assert!(get(&done, "next.failure").is_undefined());
    let outputs = JSON::stringify(&get(&done, "next.outputs")).unwrap().as_string().unwrap();
    assert_eq!(outputs, r#"[["deployments","[]"],["deployment-id",""],["environment",""],["skipped","[]"],["waiting","[]"]]"#);
    let log = JSON::stringify(&get(&done, "log")).unwrap().as_string().unwrap();
    assert!(log.contains("No .github/deploy.yml on main"), "{log}");
}

#[wasm_bindgen_test]
fn a_lost_answer_is_a_reply_too() {
    let mut engine = Engine::new(invocation()).unwrap();
    engine.step(JsValue::UNDEFINED).unwrap();
    let done = engine.step(js(r#"{"error":"ECONNRESET"}"#)).unwrap();
    assert_eq!(get(&done, "next.failure").as_string().unwrap(), "Could not read .github/deploy.yml from main: ECONNRESET");
}

#[wasm_bindgen_test]
fn malformed_values_are_errors_not_traps() {
    let err = Engine::new(js(r#"{"event_name": 3}"#)).err().expect("an error");
    let message = get(&JsValue::from(err), "message").as_string().unwrap();
    assert!(message.starts_with("invalid invocation:"), "{message}");

    let mut engine = Engine::new(invocation()).unwrap();
    engine.step(JsValue::UNDEFINED).unwrap();
    assert!(engine.step(js(r#"{"status":"nope"}"#)).is_err());
}

#[wasm_bindgen_test]
fn validate_returns_targets_or_every_problem_with_its_position() {
    let valid = validate("staging:\n  environment: staging\nproduction:\n").unwrap();
    assert_eq!(JSON::stringify(&valid).unwrap().as_string().unwrap(), r#"{"targets":["staging","production"],"problems":[]}"#);
    let invalid = validate("staging:\n  enviroment: x\n  auto_merge: 3\n").unwrap();
    assert_eq!(
        JSON::stringify(&get(&invalid, "problems")).unwrap().as_string().unwrap(),
        r#"[{"line":2,"column":3,"message":"unknown key `enviroment` in target `staging`; did you mean `environment`?"},{"line":3,"column":15,"message":"`auto_merge` must be true or false; this is the number 3"}]"#
    );
}
