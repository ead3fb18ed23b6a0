//! Engine planning time, natively, for the benchmark (bench/run.mjs runs it; see the README).
//!
//!   cargo run --profile native -p deliverybot-core --example plan
//!
//! Prints one JSON object: for each workload, the median time of the engine's own work for a push,
//! from the invocation to the outcome, with GitHub's replies canned (no I/O is timed).
//! The same workloads run inside WebAssembly in bench/run.mjs.

use deliverybot_core::{Engine, Invocation, Next, Reply};
use std::time::Instant;

/// `targets` targets, of which `matching` deploy a push to refs/heads/main.
fn config(targets: usize, matching: usize) -> String {
    let mut text = String::with_capacity(targets * 80);
    for i in 0..targets {
        let pattern = if i < matching { "refs/heads/main".to_string() } else { format!("refs/heads/t{i}") };
        text.push_str(&format!("target-{i}:\n  auto_deploy_on: {pattern}\n  environment: env-{i}\n"));
    }
    text
}

/// A push payload with `commits` commits (GitHub sends up to 2,048), about 1 KB each.
fn push_payload(commits: usize) -> String {
    let commit = serde_json::json!({
        "id": "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
        "message": "Update the thing that needed updating, with a message of a realistic length",
        "author": { "name": "Octo Cat", "email": "octocat@example.com", "username": "octocat" },
        "added": ["src/a.rs"], "removed": [], "modified": ["src/b.rs", "src/c.rs", "README.md"],
        "url": "https://github.com/octo/app/commit/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
        "timestamp": "2026-11-26T10:00:00Z", "distinct": true, "tree_id": "f1e2d3c4b5a6978800112233445566778899aabb"
    });
    let mut invocation = Invocation::example_push("refs/heads/main");
    let mut event: serde_json::Value = serde_json::from_str(&invocation.event).unwrap();
    event["commits"] = serde_json::Value::Array(vec![commit; commits]);
    invocation.event = event.to_string();
    invocation.event
}

/// One full run with canned replies; returns the number of requests made.
fn run(config: &str, event: &str) -> usize {
    let mut invocation = Invocation::example_push("refs/heads/main");
    invocation.event = event.to_string();
    // The branch still points at the pushed commit: the push is not superseded.
    let after = serde_json::from_str::<serde_json::Value>(event).unwrap()["after"].as_str().unwrap().to_string();
    let tip = format!(r#"{{"ref":"refs/heads/main","object":{{"type":"commit","sha":"{after}"}}}}"#);
    let mut engine = Engine::new(invocation);
    let mut reply = None;
    let mut requests = 0;
    let mut next_id = 0u64;
    loop {
        match engine.step(reply.take()).next {
            Next::Request(request) => {
                requests += 1;
                reply = Some(if request.path.ends_with("/contents/.github/deploy.yml") {
                    Reply::ok(200, config)
                } else if request.path.ends_with("/git/ref/heads/main") {
                    Reply::ok(200, tip.as_str())
                } else if request.is_write() {
                    next_id += 1;
                    Reply::ok(201, format!(r#"{{"id":{next_id},"url":"https://api.github.com/repos/octo/app/deployments/{next_id}"}}"#))
                } else {
                    Reply::ok(200, "[]")
                });
            }
            Next::Zone { name } => panic!("the workloads have no freeze window, yet {name} was asked"),
            Next::Done(outcome) => {
                assert!(outcome.failure.is_none(), "{:?}", outcome.failure);
                assert!(next_id > 0, "every workload creates a deployment: {}", outcome.summary);
                return requests;
            }
        }
    }
}

fn median_ms(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    samples[samples.len() / 2]
}

fn measure(config: &str, event: &str) -> (f64, usize) {
    let requests = run(config, event); // warm-up
    let budget = Instant::now();
    let mut samples = Vec::new();
    while samples.len() < 5 || (samples.len() < 50 && budget.elapsed().as_secs_f64() < 2.0) {
        let start = Instant::now();
        run(config, event);
        samples.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    (median_ms(samples), requests)
}

fn main() {
    let small_event = push_payload(1);
    let mut rows = Vec::new();
    for targets in [10, 100, 1_000, 10_000] {
        for (workload, matching) in [("one-matches", 1), ("all-match", targets)] {
            let (ms, requests) = measure(&config(targets, matching), &small_event);
            rows.push(serde_json::json!({ "workload": workload, "targets": targets, "payload_bytes": small_event.len(), "ms": ms, "requests": requests }));
        }
    }
    let one_target = config(1, 1);
    for commits in [10, 100, 1_000, 10_000] {
        let event = push_payload(commits);
        let (ms, requests) = measure(&one_target, &event);
        rows.push(serde_json::json!({ "workload": "payload", "targets": 1, "payload_bytes": event.len(), "ms": ms, "requests": requests }));
    }
    println!("{}", serde_json::Value::Array(rows));
}
