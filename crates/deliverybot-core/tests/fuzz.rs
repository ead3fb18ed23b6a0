//! Time-bounded fuzzing of everything the engine reads from outside: the config text, the
//! templates in it, webhook payloads, the action's inputs, and GitHub's replies.
//!
//! ```sh
//! # CI: a minute per target; --nocapture shows each target's rate and where its inputs led
//! DELIVERYBOT_FUZZ_SECONDS=60 cargo test --profile native -p deliverybot-core --test fuzz -- --nocapture
//! # the same inputs again: the seed is printed for each target and written in each failure file
//! DELIVERYBOT_FUZZ_SEED=1234 cargo test -p deliverybot-core --test fuzz config
//! ```
//!
//! Each target draws inputs from proptest strategies in a loop until its time is up (2 seconds by
//! default, so that a plain `cargo test` stays quick). The inputs mix generated structure (YAML
//! configs, `${{ }}` expressions, invocations, misbehaving replies) with mutations of the seed
//! corpus in `tests/fuzz-corpus/<target>/` (bit flips, cuts, splices, repeated lines, inserted
//! YAML/JSON/template punctuation, JSON values removed or swapped for ones of the wrong type).
//!
//! Every input must end in `Ok`/`Err` or `Next::Done`, without a panic, within 1 second, 10,000
//! engine steps and 256 MiB of allocations. A failing input is written to
//! `target/fuzz-failures/<target>-<n>.txt` and the test panics with that path. A crash that ends
//! the process at once (a stack overflow aborts, it does not panic; the message names the thread,
//! `fuzz-<target>`) leaves its input in `target/fuzz-failures/<target>-running.txt`. Proptest's
//! shrinking is not used: the file shows the whole input as it was run.

#[path = "common/mod.rs"]
mod common;

use common::{GitHub, OLD, SHA};
use deliverybot_core::{Config, Engine, Invocation, Next, Outcome, Phase, Reply, Request};
use harness::{Case, Text};
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde_json::{json, Value};
use std::time::Duration;

/// A run that takes more steps than this is a loop, not a long run.
const MAX_STEPS: usize = 10_000;
/// Time for one input: a bound on work, not a benchmark (a 1 MiB config parses in about 100 ms).
/// Unoptimized code is several times slower, and `cargo test` runs the targets side by side.
const SLOW: Duration = Duration::from_secs(if cfg!(debug_assertions) { 5 } else { 1 });
/// Memory one input may allocate at its peak; the largest configs allowed (1 MiB, or a million
/// values through aliases) stay well below it.
const MEMORY: usize = 256 * 1024 * 1024;

// ── config ───────────────────────────────────────────────────────────────────────────────────────

/// `Config::parse` on mutated real configs, generated YAML and arbitrary text.
#[test]
fn config() {
    harness::fuzz(
        "config",
        || {
            prop_oneof![
                6 => mutate::bytes(corpus::configs()),
                3 => gen::config(),
                1 => gen::alias_chain(),
                1 => any::<String>(),
            ]
            .prop_map(Text)
        },
        |Text(text)| Ok(if Config::parse(text).is_ok() { "parsed" } else { "refused" }.to_string()),
    );
}

/// `Config::parse` on lines as long as the size limit allows (a flow list of tens of thousands of
/// items, a long scalar, many keys): reading must stay linear, which the harness's bound of a
/// second per input checks (a position counted from the start of the line for each item would make
/// a long flow list quadratic).
#[test]
fn long_lines() {
    harness::fuzz("long_lines", || gen::long_lines().prop_map(Text), |Text(text)| {
        Ok(if Config::parse(text).is_ok() { "parsed" } else { "refused" }.to_string())
    });
}

// ── templates ────────────────────────────────────────────────────────────────────────────────────

/// Configs whose templates are generated `${{ }}` expressions, run end to end.
#[test]
fn templates() {
    harness::fuzz(
        "templates",
        || {
            let lines = corpus::read("templates").into_iter().flat_map(|(_, text)| text.lines().map(str::to_string).collect::<Vec<_>>());
            template_case(lines.collect())
        },
        |case| {
            let mut github = Chaos::new(GitHub::with_config(&case.config()), Vec::new());
            github.canned.refs.insert("heads/main".into(), SHA.into());
            github.canned.commit = Some(json!({ "sha": SHA, "commit": { "message": case.title }, "author": { "login": "octocat" } }));
            let mut pr = common::pull_request(12, SHA, false, false);
            pr["title"] = json!(case.title);
            github.canned.pulls.insert(12, pr.clone());
            let invocation = match case.event {
                "push" => Invocation::example_push("refs/heads/main"),
                "pull_request" => common::invocation("pull_request", json!({ "action": "opened", "number": 12, "pull_request": pr })),
                _ => common::invocation("workflow_dispatch", json!({ "inputs": { "target": "web", "ref": "main" }, "ref": "refs/heads/main" })),
            };
            github.run(invocation)
        },
    );
}

#[derive(Clone, Debug)]
struct TemplateCase {
    trigger: &'static str,
    /// `environment`, `task`, `description`, and one inside a nested payload value.
    fields: Vec<String>,
    payload: Vec<(String, String)>,
    /// How the templates are quoted in the YAML (see `gen::quoted`).
    style: u8,
    dispatch: bool,
    event: &'static str,
    /// The pull request's title and the commit's message: event text, which stays data.
    title: String,
}

prop_compose! {
    fn template_case(seeds: Vec<String>)(
        trigger in select(vec!["refs/heads/main", "refs/heads/*", "pr", "refs/tags/v*"]),
        mut fields in vec(gen::template(), 4),
        // Most configs compile, to get to rendering; the others have one broken template.
        broken in option::weighted(0.3, (any::<Index>(), prop_oneof![2 => gen::broken_template(), 1 => mutate::bytes(seeds.clone()), 1 => select(seeds)])),
        payload in vec((gen::template(), gen::template()), 0..4),
        style in select(vec![0u8, 0, 0, 1, 1, 2]),
        dispatch in any::<bool>(),
        event in select(vec!["push", "pull_request", "workflow_dispatch"]),
        title in prop_oneof![gen::template(), any::<String>()],
    ) -> TemplateCase {
        if let Some((which, broken)) = broken {
            *which.get_mut(&mut fields) = broken;
        }
        TemplateCase { trigger, fields, payload, style, dispatch, event, title }
    }
}

impl TemplateCase {
    fn config(&self) -> String {
        let q = |text: &str| gen::quoted(text, self.style);
        let [environment, task, description, nested] = [0, 1, 2, 3].map(|i| q(&self.fields[i]));
        let trigger = self.trigger;
        let mut config = format!("web:\n  auto_deploy_on: {trigger}\n  environment: {environment}\n  task: {task}\n  description: {description}\n  payload:\n");
        for (key, value) in &self.payload {
            config.push_str(&format!("    {}: {}\n", q(key), q(value)));
        }
        config.push_str(&format!("    nested: [{nested}, {{ x: {environment} }}]\nother:\n  auto_deploy_on: {trigger}\n  environment: {nested}\n"));
        if self.dispatch {
            config.push_str("settings:\n  dispatch: deploy.yml\n");
        }
        config
    }
}

impl Case for TemplateCase {
    fn dump(&self) -> String {
        format!("== event ==\n{}\n== pull request title, commit message ==\n{}\n== config ==\n{}", self.event, self.title, self.config())
    }
}

// ── events ───────────────────────────────────────────────────────────────────────────────────────

/// The events of the rules and status modes, and two that the engine does not act on.
const EVENTS: &[&str] = &[
    "push", "pull_request", "pull_request_target", "status", "check_run", "check_suite", "workflow_run", "workflow_dispatch",
    "repository_dispatch", "schedule", "deployment", "gollum", "",
];

/// Mutated real webhook payloads (and garbage) for every event, run to the end against a canned
/// GitHub whose replies are twisted at random.
#[test]
fn events() {
    harness::fuzz(
        "events",
        || {
            let mut configs = corpus::configs_valid();
            configs.push(CATCH_ALL.to_string());
            event_case(corpus::read("events"), configs)
        },
        |case| {
            let mut invocation = Invocation::example_push("refs/heads/main");
            invocation.event_name = case.event_name.clone();
            invocation.event = case.payload.clone();
            if case.dry_run {
                invocation.inputs.insert("dry-run".into(), "true".into());
            }
            Chaos::new(case.world.github(&case.config, &case.payload), case.twists.clone()).run(invocation)
        },
    );
}

/// A config with a target for every kind of event, so that most payloads lead somewhere.
const CATCH_ALL: &str = "\
settings:
  dispatch: deploy.yml
branches:
  auto_deploy_on: refs/heads/*
  environment: ${{ branch || 'main' }}
  required_contexts: [ci]
  payload: { message: '${{ commit.commit.message || ''none'' }}' }
tags:
  auto_deploy_on: refs/tags/*
  environment: release
review:
  auto_deploy_on: pr
  environment: pr${{ pr }}
  description: ${{ pull_request.title || 'x' }}
  transient_environment: true
  allow_forks: true
  allow_drafts: true
main:
  auto_deploy_on: refs/heads/main
";

#[derive(Clone, Debug)]
struct EventCase {
    event_name: String,
    payload: String,
    config: String,
    dry_run: bool,
    world: World,
    twists: Vec<Twist>,
}

prop_compose! {
    /// `seeds` are `(file stem, payload)`: `pull_request-opened` is a `pull_request` payload.
    fn event_case(seeds: Vec<(String, String)>, configs: Vec<String>)(
        // A payload mostly goes with its own event (to get far), sometimes with another.
        (event_name, seed) in prop_oneof![
            5 => select(seeds.clone()).prop_map(|(stem, text)| (stem.split('-').next().unwrap_or_default().to_string(), text)),
            1 => (select(EVENTS).prop_map(str::to_string), select(seeds.iter().map(|(_, text)| text.clone()).collect::<Vec<_>>())),
        ],
        // `None`: the seed as it is.
        payload in prop_oneof![
            6 => mutate::json(seeds.iter().map(|(_, text)| text.clone()).collect()).prop_map(Some),
            2 => Just(None),
            1 => mutate::bytes(seeds.iter().map(|(_, text)| text.clone()).collect()).prop_map(Some),
            1 => prop_oneof![any::<String>(), mutate::interesting_json().prop_map(|v| v.to_string())].prop_map(Some),
        ],
        config in select(configs),
        dry_run in any::<bool>(),
        world in world(),
        twists in twists(),
    ) -> EventCase {
        EventCase { event_name, payload: payload.unwrap_or(seed), config, dry_run, world, twists }
    }
}

impl Case for EventCase {
    fn dump(&self) -> String {
        format!(
            "== event ==\n{:?} (dry run: {})\n== payload ==\n{}\n== config ==\n{}\n== repository ==\n{:#?}\n== replies twisted ==\n{:#?}",
            self.event_name, self.dry_run, self.payload, self.config, self.world, self.twists
        )
    }
}

/// What the canned GitHub holds besides the config: where refs point, checks, pull requests.
#[derive(Clone, Debug)]
struct World {
    /// Each ref points to one of the commits the payload names (or to SHA or OLD).
    refs: Vec<(&'static str, Index)>,
    statuses: Vec<(&'static str, &'static str)>,
    runs: Vec<(&'static str, &'static str, Option<&'static str>)>,
    /// Pull requests 1, 2, 3 and the payload's, as (fork, draft).
    pulls: Vec<(bool, bool)>,
    /// A deployment of the payload's first commit to production exists already.
    deployed: bool,
}

prop_compose! {
    fn world()(
        refs in vec((select(vec!["heads/main", "heads/master", "heads/changes", "heads/feature", "tags/simple-tag", "tags/v1.0.0"]), any::<Index>()), 0..5),
        statuses in vec((select(vec!["ci", "lint", "deliver"]), select(vec!["success", "pending", "failure", "error"])), 0..3),
        runs in vec((
            select(vec!["ci", "lint", "deliver"]),
            select(vec!["completed", "in_progress", "queued"]),
            option::of(select(vec!["success", "failure", "skipped", "neutral", "cancelled"])),
        ), 0..3),
        pulls in vec(any::<(bool, bool)>(), 4),
        deployed in any::<bool>(),
    ) -> World {
        World { refs, statuses, runs, pulls, deployed }
    }
}

impl World {
    fn github(&self, config: &str, payload: &str) -> GitHub {
        let mut shas = shas_in(payload);
        shas.extend([SHA.to_string(), OLD.to_string()]);
        let mut github = GitHub::with_config(config);
        for (name, which) in &self.refs {
            github.refs.insert(name.to_string(), which.get(&shas).clone());
        }
        github.statuses = self.statuses.iter().map(|(c, s)| (c.to_string(), s.to_string())).collect();
        github.runs = self.runs.iter().map(|(n, s, c)| (n.to_string(), s.to_string(), c.map(str::to_string))).collect();
        let number = serde_json::from_str::<Value>(payload).ok().and_then(|p| p["number"].as_u64()).unwrap_or(4);
        for (n, (fork, draft)) in [1, 2, 3, number].into_iter().zip(&self.pulls) {
            github.pulls.insert(n, common::pull_request(n, &shas[0], *fork, *draft));
        }
        if self.deployed {
            github.deployments.push(json!({ "id": 7, "sha": shas[0], "environment": "production", "payload": {}, "transient_environment": false }));
        }
        github
    }
}

/// The 40-hex-digit strings of a payload: the commits it names.
fn shas_in(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut run = 0;
    for (i, byte) in bytes.iter().enumerate() {
        run = if byte.is_ascii_hexdigit() { run + 1 } else { 0 };
        if run == 40 && bytes.get(i + 1).is_none_or(|b| !b.is_ascii_hexdigit()) {
            found.push(text[i + 1 - 40..=i].to_string());
        }
    }
    found
}

// ── inputs ───────────────────────────────────────────────────────────────────────────────────────

/// Random action inputs, phases, saved state and run context, on top of the seed invocations.
#[test]
fn inputs() {
    harness::fuzz(
        "inputs",
        || {
            let invocations = corpus::read("inputs").into_iter().map(|(name, text)| corpus::invocation(&name, &text)).collect();
            let payloads = corpus::read("events").into_iter().map(|(_, text)| text).collect();
            inputs_case(invocations, payloads)
        },
        |case| {
            let mut github = Chaos::new(GitHub::with_config(CATCH_ALL), case.twists.clone());
            github.canned.refs.insert("heads/main".into(), SHA.into());
            github.run(case.invocation.clone())
        },
    );
}

const INPUT_NAMES: &[&str] = &[
    "state", "deployment-id", "dry-run", "config", "description", "job-status", "auto-inactive", "environment", "environment-url",
    "log-url", "token",
];

/// Values that mean something to some input, and some that almost do.
const INPUT_VALUES: &[&str] = &[
    "auto", "success", "failure", "error", "inactive", "in_progress", "queued", "pending", "cancelled", "canceled", "SUCCESS", "Auto",
    "true", "false", "TRUE", "False", "yes", "1", "0", "42", "-1", " 7 ", "18446744073709551615", "18446744073709551616", "", " ",
    ".github/deploy.yml", "./deploy/rules.yml", "/x.yml", "../x.yml", "a//b", ".", "https://example.com/logs", "${{ job.status }}",
    "staging", "pr12", "line\nbreak", "\u{0}",
];

fn input_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(INPUT_VALUES).prop_map(str::to_string),
        1 => any::<String>(),
        1 => "é{100,200}",
        1 => (select(INPUT_VALUES), "[ \t\n]{0,3}").prop_map(|(value, pad)| format!("{pad}{value}{pad}")),
    ]
}

#[derive(Clone, Debug)]
struct InputsCase {
    invocation: Invocation,
    twists: Vec<Twist>,
}

prop_compose! {
    fn inputs_case(invocations: Vec<Invocation>, payloads: Vec<String>)(
        mut invocation in select(invocations),
        // Either added to the seed's inputs (keeping its meaning), or instead of them.
        keep in any::<bool>(),
        inputs in btree_map(prop_oneof![6 => select(INPUT_NAMES).prop_map(str::to_string), 1 => "[a-z-]{0,12}"], input_value(), 0..7),
        state in option::of(btree_map(prop_oneof![4 => Just("finish-deployment-id".to_string()), 1 => "[a-z-]{0,20}"], input_value(), 0..3)),
        phase in option::of(select(vec![Phase::Main, Phase::Post])),
        event in option::of((select(EVENTS), prop_oneof![2 => select(payloads.clone()), 1 => mutate::json(payloads)])),
        context in option::of((
            prop_oneof![4 => Just("octo/app".to_string()), 1 => select(vec!["octo", "/app", "octo/", "a/b/c", "ö/ä", "o/r%2F", ""]).prop_map(str::to_string), 1 => any::<String>()],
            select(vec!["42", "", "0", "x y"]),
            select(vec!["https://github.com", "", "https://ghe.example.com/"]),
            input_value(),
            input_value(),
        )),
        twists in twists(),
    ) -> InputsCase {
        if !keep {
            invocation.inputs.clear();
        }
        invocation.inputs.extend(inputs);
        invocation.state = state.unwrap_or(invocation.state);
        invocation.phase = phase.unwrap_or(invocation.phase);
        if let Some((name, payload)) = event {
            (invocation.event_name, invocation.event) = (name.to_string(), payload);
        }
        if let Some((repository, run_id, server_url, actor, job)) = context {
            let c = &mut invocation.context;
            (c.repository, c.run_id, c.server_url, c.actor, c.job) = (repository, run_id.into(), server_url.into(), actor, job);
        }
        InputsCase { invocation, twists }
    }
}

impl Case for InputsCase {
    fn dump(&self) -> String {
        format!("== invocation ==\n{:#?}\n== event payload ==\n{}\n== replies twisted ==\n{:#?}", self.invocation, self.invocation.event, self.twists)
    }
}

// ── commands ─────────────────────────────────────────────────────────────────────────────────────

/// Pull request comments: generated commands (words, case, arguments, flags, white space, more
/// lines) and arbitrary text, by commenters of every role, run end to end against `Chaos`.
#[test]
fn commands() {
    harness::fuzz("commands", commands_case, |case| {
        let mut canned = GitHub::with_config(COMMANDS_CONFIG);
        canned.pulls.insert(2, common::pull_request(2, SHA, case.fork, false));
        for (login, role) in [("admin", "admin"), ("writer", "write"), ("reader", "read")] {
            canned.roles.insert(login.into(), role.into());
        }
        canned.statuses = vec![("ci".into(), "success".into())];
        let mut github = Chaos::new(canned, case.twists.clone());
        let mut invocation = common::comment(&case.body, &case.login);
        if case.dry_run {
            invocation.inputs.insert("dry-run".into(), "true".into());
        }
        github.run(invocation)
    });
}

const COMMANDS_CONFIG: &str = "settings:\n  commands:\n    default_target: review\nreview:\n  auto_deploy_on: pr\n  environment: pr${{ pr }}\n  transient_environment: true\nstaging:\n  environment: staging\n  required_contexts: [ci]\nproduction:\n  required_contexts: [ci, deliverybot/promotion]\n  permission: admin\n";

const COMMAND_WORDS: &[&str] = &["deploy", "lock", "unlock", "promote", "help", "Deploy", "LOCK", "assign", "", "deploy-now"];
const COMMAND_ARGS: &[&str] = &["review", "staging", "production", "Production", "pr2", "prod", "--force", "--now", "-f", "incident", "é", "${{ sha }}", "::error::x", "a/b", "x.lock"];

#[derive(Clone, Debug)]
struct CommandsCase {
    body: String,
    login: String,
    fork: bool,
    dry_run: bool,
    twists: Vec<Twist>,
}

prop_compose! {
    fn commands_case()(
        body in prop_oneof![
            6 => ("[ \t]{0,2}", select(COMMAND_WORDS), vec(select(COMMAND_ARGS), 0..4), "[ \t]{0,3}", option::of("\n[^\u{0}]{0,40}"))
                .prop_map(|(lead, word, args, gap, more)| format!("{lead}/{word} {}{gap}{}", args.join(" "), more.unwrap_or_default())),
            1 => any::<String>(),
            1 => "/[a-z]{0,8}( [^\n]{0,20}){0,3}",
        ],
        login in select(vec!["admin", "writer", "reader", "stranger"]).prop_map(str::to_string),
        fork in any::<bool>(),
        dry_run in any::<bool>(),
        twists in twists(),
    ) -> CommandsCase {
        CommandsCase { body, login, fork, dry_run, twists }
    }
}

impl Case for CommandsCase {
    fn dump(&self) -> String {
        format!("== comment by {} (fork: {}, dry run: {}) ==\n{}\n== replies twisted ==\n{:#?}", self.login, self.fork, self.dry_run, self.body, self.twists)
    }
}

// ── a GitHub that misbehaves ─────────────────────────────────────────────────────────────────────

/// How one reply departs from what the canned GitHub would answer.
#[derive(Clone, Debug)]
enum Twist {
    Keep,
    /// The same body under another status.
    Status(u16),
    /// The body cut short.
    Cut(Index),
    /// Another body: arbitrary text, or a JSON value of the wrong shape.
    Body(String),
    /// A `link` header says the list goes on (the canned GitHub answers the next page as it has it).
    NextPage,
    /// A primary rate limit, lifting at this Unix time.
    RateLimited(u64),
    Lost,
}

const STATUSES: &[u16] = &[0, 100, 200, 201, 202, 204, 301, 304, 400, 401, 403, 404, 409, 410, 422, 429, 500, 502, 503, 504, 999];

/// Twists for the first replies of a run (most replies kept, so that runs get far); the replies
/// after them are the canned GitHub's.
fn twists() -> impl Strategy<Value = Vec<Twist>> {
    let twist = prop_oneof![
        30 => Just(Twist::Keep),
        2 => select(STATUSES).prop_map(Twist::Status),
        1 => any::<Index>().prop_map(Twist::Cut),
        1 => mutate::interesting_json().prop_map(|v| Twist::Body(v.to_string())),
        1 => any::<String>().prop_map(Twist::Body),
        1 => Just(Twist::NextPage),
        1 => any::<u64>().prop_map(Twist::RateLimited),
        1 => Just(Twist::Lost),
    ];
    vec(twist, 0..12)
}

/// The canned GitHub of the other tests, its replies twisted one by one.
struct Chaos {
    canned: GitHub,
    twists: Vec<Twist>,
    replies: usize,
}

impl Chaos {
    fn new(canned: GitHub, twists: Vec<Twist>) -> Chaos {
        Chaos { canned, twists, replies: 0 }
    }

    fn answer(&mut self, request: &Request) -> Reply {
        // The canned GitHub knows only octo/app and the requests of the usual flows, and panics on
        // anything else: here that is a 404 (the panic is the test's, not the engine's).
        let canned = harness::quietly(|| self.canned.answer(request)).unwrap_or_else(|| Reply::ok(404, r#"{"message":"Not Found"}"#));
        let twist = self.twists.get(self.replies).cloned().unwrap_or(Twist::Keep);
        self.replies += 1;
        let Reply::Response { status, mut headers, body } = canned else { return canned };
        match twist {
            Twist::Keep => Reply::Response { status, headers, body },
            Twist::Status(status) => Reply::Response { status, headers, body },
            Twist::Cut(at) => {
                let end = body.char_indices().map(|(i, _)| i).nth(at.index(body.chars().count() + 1)).unwrap_or(body.len());
                Reply::Response { status, headers, body: body[..end].to_string() }
            }
            Twist::Body(body) => Reply::Response { status, headers, body },
            Twist::NextPage => {
                headers.insert("link".into(), format!("<https://api.github.com{}?page=2>; rel=\"next\"", request.path));
                Reply::Response { status, headers, body }
            }
            Twist::RateLimited(reset) => {
                headers.insert("x-ratelimit-remaining".into(), "0".into());
                headers.insert("x-ratelimit-reset".into(), reset.to_string());
                Reply::Response { status: 403, headers, body: r#"{"message":"API rate limit exceeded"}"#.into() }
            }
            Twist::Lost => Reply::Lost { error: "connection reset".into() },
        }
    }

    /// Runs the engine to its outcome, checking the protocol on the way; says how far it went.
    fn run(&mut self, invocation: Invocation) -> Result<String, String> {
        let dry_run = invocation.inputs.get("dry-run").is_some_and(|v| matches!(v.trim(), "true" | "True" | "TRUE"));
        let mut engine = Engine::new(invocation);
        let mut reply = None;
        for requests in 0..MAX_STEPS {
            let step = engine.step(reply.take());
            // Each step crosses the WebAssembly boundary by its derived `Serialize`.
            serde_json::to_string(&step).map_err(|e| format!("a step does not serialize: {e}"))?;
            match step.next {
                Next::Request(request) if dry_run && request.is_write() => {
                    return Err(format!("a dry run writes: {:?} {}", request.method, request.path));
                }
                Next::Request(request) => reply = Some(self.answer(&request)),
                // After the outcome, a step is a misuse, answered with a failure, never a panic.
                Next::Done(outcome) => match engine.step(None).next {
                    Next::Done(after) if after.failure.is_some() => return Ok(reached(requests, &outcome)),
                    other => return Err(format!("a step after the outcome gave {other:?}")),
                },
            }
        }
        Err(format!("no outcome after {MAX_STEPS} steps"))
    }
}

/// Where a run got to, counted by the driver to show that inputs get past the first checks.
fn reached(requests: usize, outcome: &Outcome) -> String {
    let requests = if requests < 8 { requests.to_string() } else { "8+".to_string() };
    format!("{requests} requests, {}", if outcome.failure.is_some() { "failed" } else { "succeeded" })
}

// ── generated structure ──────────────────────────────────────────────────────────────────────────

/// Generators of the languages the engine reads: YAML configs and `${{ }}` templates.
mod gen {
    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::select;

    /// The variables with one value (`environment` is left out: it is an error in `environment`).
    const VARIABLES: &[&str] = &["ref", "branch", "tag", "sha", "short_sha", "target", "owner", "repo", "actor", "event", "run_id", "pr"];

    /// A variable, or a path below `pull_request` or `commit`.
    fn variable() -> impl Strategy<Value = String> {
        let segment = select(vec!["head", "ref", "title", "number", "user", "login", "commit", "message", "draft", "0", "x-y"]);
        prop_oneof![
            2 => select(VARIABLES).prop_map(str::to_string),
            1 => (select(vec!["pull_request", "commit"]), vec(segment, 0..4)).prop_map(|(root, path)| [vec![root], path].concat().join(".")),
        ]
    }

    /// `${{ a || b || 'default' }}`: well formed, though it may have no value when rendered.
    fn expression() -> impl Strategy<Value = String> {
        let default = proptest::option::of("[a-z' ]{0,8}".prop_map(|text| format!("'{}'", text.replace('\'', "''"))));
        (vec(variable(), 1..3), default, select(vec![" ", ""])).prop_map(|(variables, default, pad)| {
            let operands: Vec<String> = variables.into_iter().chain(default).collect();
            format!("${{{{{pad}{}{pad}}}}}", operands.join(" || "))
        })
    }

    /// An expression that does not compile: unclosed, empty, misquoted, an unknown name, ...
    fn broken() -> impl Strategy<Value = String> {
        prop_oneof![
            expression().prop_map(|e| e.trim_end_matches('}').to_string()),
            expression().prop_map(|e| e.replacen(" || ", " | ", 1).replacen("${{", "${", 1)),
            select(vec!["${{}}", "${{ environment }}", "${{ 'x' || sha }}", "${{ sha.x }}", "${{ prr }}", "${{ 'it's' }}", "${{ || }}", "${{ pull_request..x }}"])
                .prop_map(str::to_string),
            "[a-zA-Z0-9_ .|'${}-]{0,10}".prop_map(|inner| format!("${{{{ {inner} }}}}")),
        ]
    }

    /// Text with well-formed expressions in it.
    pub fn template() -> impl Strategy<Value = String> {
        let text = prop_oneof![6 => "[a-z0-9 ./:#-]{1,8}", 1 => any::<String>().prop_map(|s| s.chars().filter(|c| !c.is_control()).take(8).collect())];
        vec(prop_oneof![expression(), text], 1..4).prop_map(|parts| parts.concat())
    }

    /// Text with a broken expression in it.
    pub fn broken_template() -> impl Strategy<Value = String> {
        (template(), broken(), template()).prop_map(|(before, broken, after)| format!("{before}{broken}{after}"))
    }

    /// `text` as a YAML scalar: single-quoted (always valid), double-quoted, or plain (maybe not).
    pub fn quoted(text: &str, style: u8) -> String {
        match style {
            0 => format!("'{}'", text.replace('\'', "''").replace('\n', "\n\n")),
            1 => serde_json::to_string(text).expect("a string is JSON"),
            _ => text.to_string(),
        }
    }

    /// A YAML value, written in block style where it is a non-empty list or map.
    #[derive(Clone, Debug)]
    enum Node {
        Scalar(String),
        Seq(Vec<Node>),
        Map(Vec<(String, Node)>),
        /// The same value in flow style: `[a, {b: c}]`.
        Flow(Box<Node>),
        Anchored(u8, Box<Node>),
        Alias(u8),
    }

    /// Mostly the keys of a config, some misspelt, some arbitrary.
    fn key() -> impl Strategy<Value = String> {
        let known = vec![
            "auto_deploy_on", "environment", "task", "description", "payload", "auto_merge", "required_contexts", "transient_environment",
            "production_environment", "deployments", "allow_forks", "allow_drafts", "<<", "settings", "dispatch", "permission", "commands",
        ];
        let odd = vec!["enviroment", "auto_deploy", "payloads", "Environment", ".hidden", "? x", "'q'", "\"d\"", "1", "~"];
        prop_oneof![6 => select(known).prop_map(str::to_string), 1 => select(odd).prop_map(str::to_string), 1 => "[a-z_]{1,10}"]
    }

    fn scalar() -> impl Strategy<Value = String> {
        let special = vec![
            "~", "null", "", "true", "false", "yes", "0", "-1", "0x1F", "0o17", "1.5", ".inf", "-.nan", "1e999", "123456789012345678901234567890",
            "''", "\"\"", "!!str 1", "!!int x", "!!bool maybe", "!binary aGk=", "!!map {}", "refs/heads/main", "refs/tags/v*", "pr", "*",
            "refs/heads/*", "deploy.yml", "admin", "maintain", "|\n  block", ">-\n  folded",
        ];
        prop_oneof![
            4 => (template(), 0u8..3).prop_map(|(t, style)| quoted(&t, style)),
            3 => select(special).prop_map(str::to_string),
            1 => "[a-z0-9 _./*-]{0,12}",
        ]
    }

    fn node() -> impl Strategy<Value = Node> {
        let leaf = prop_oneof![8 => scalar().prop_map(Node::Scalar), 1 => (0u8..3).prop_map(Node::Alias)];
        leaf.prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                vec(inner.clone(), 0..5).prop_map(Node::Seq),
                vec((key(), inner.clone()), 0..6).prop_map(Node::Map),
                inner.clone().prop_map(|n| Node::Flow(Box::new(n))),
                (0u8..3, inner).prop_map(|(a, n)| Node::Anchored(a, Box::new(n))),
            ]
        })
    }

    /// A config: targets (and maybe `settings`, hidden anchors) with keys mostly the real ones.
    pub fn config() -> impl Strategy<Value = String> {
        let name = prop_oneof![
            4 => select(vec!["staging", "production", "review", "settings", ".defaults", "web"]).prop_map(str::to_string),
            1 => "[a-z]{1,8}",
        ];
        let target = prop_oneof![4 => vec((key(), node()), 0..8).prop_map(Node::Map), 1 => node()];
        vec((name, target), 0..5).prop_map(|targets| {
            let mut out = String::new();
            write(&Node::Map(targets), 0, &mut out);
            out.push('\n');
            out
        })
    }

    /// Long lines: a flow list of up to 80,000 items, a long plain or quoted scalar, many keys.
    pub fn long_lines() -> impl Strategy<Value = String> {
        let item = select(vec!["x", "'é'", "\"a b\"", "ci/test"]);
        (item, 1usize..80_000, 0u8..3).prop_map(|(item, n, shape)| match shape {
            0 => format!("web:\n  required_contexts: [{}{item}]\n", format!("{item}, ").repeat(n)),
            1 => format!("web:\n  description: {}\n", item.repeat(n)),
            _ => (0..n / 10).map(|i| format!("t{i}:\n  environment: {item}\n")).collect(),
        })
    }

    /// Anchors that each nest the one before `levels` deeper: aliases copy whole trees, so a short
    /// text can stand for a large or a deep value.
    pub fn alias_chain() -> impl Strategy<Value = String> {
        let key = select(vec!["payload:\n    chain", "required_contexts", "auto_deploy_on", "unknown"]);
        (1usize..100, 1usize..64, key, any::<bool>()).prop_map(|(anchors, levels, key, maps)| {
            let (open, close) = if maps { ("{k: ", "}") } else { ("[", "]") };
            let mut out = format!("web:\n  {key}:\n    - &c0 x\n");
            for n in 1..anchors {
                out.push_str(&format!("    - &c{n} {}*c{}{}\n", open.repeat(levels), n - 1, close.repeat(levels)));
            }
            out
        })
    }

    /// Writes `node` after a `key:` or a `-`: a block on the lines below it, or flow style on its line.
    fn write(node: &Node, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match node {
            Node::Seq(items) if !items.is_empty() => {
                for item in items {
                    out.push_str(&format!("\n{pad}-"));
                    write(item, indent + 2, out);
                }
            }
            Node::Map(entries) if !entries.is_empty() => {
                for (key, value) in entries {
                    out.push_str(&format!("\n{pad}{key}:"));
                    write(value, indent + 2, out);
                }
            }
            Node::Anchored(anchor, inner) if matches!(**inner, Node::Seq(_) | Node::Map(_)) => {
                out.push_str(&format!(" &a{anchor}"));
                write(inner, indent, out);
            }
            other => {
                out.push(' ');
                out.push_str(&flow(other));
            }
        }
    }

    fn flow(node: &Node) -> String {
        match node {
            Node::Scalar(text) => text.clone(),
            Node::Seq(items) => format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", ")),
            Node::Map(entries) => format!("{{{}}}", entries.iter().map(|(k, v)| format!("{k}: {}", flow(v))).collect::<Vec<_>>().join(", ")),
            Node::Flow(inner) => flow(inner),
            Node::Anchored(anchor, inner) => format!("&a{anchor} {}", flow(inner)),
            Node::Alias(anchor) => format!("*a{anchor}"),
        }
    }
}

// ── mutations ────────────────────────────────────────────────────────────────────────────────────

/// Mutations of seed inputs: byte-level for any text, value-level for JSON payloads.
mod mutate {
    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::{select, Index};
    use serde_json::Value;
    use std::ops::Range;

    /// What YAML, JSON and templates give meaning to, inserted where it does not belong.
    const TOKENS: &[&str] = &[
        ":", ": ", "- ", "-", "? ", ",", "[", "]", "{", "}", "\"", "'", "''", "\\", "\\u0000", "\\ud800", "#", "&a ", "*a", "&a0 ", "*a0", "<<: ",
        "!!str ", "!!binary ", "!tag ", "|", ">-", "---\n", "...\n", "%YAML 1.2\n", "\n", "\r\n", "\r", "\n  ", "\n    - ", "\t", " ", "~", "null",
        "true", "1e999", "-0", "0x", ".inf", "${{", "}}", "${{ ", " }}", "${{ sha }}", "${{ pr || 'x' }}", "||", "pull_request.", "commit.",
        "refs/heads/", "refs/tags/v*", "*", "\u{0}", "\u{7f}", "\u{feff}", "\u{2028}", "é", "🚀", "\u{10ffff}", "\"number\":", "\"ref\":", "{}", "[]",
    ];

    /// Inputs grown past this stop growing: big enough for every bound, small enough to run fast.
    const MAX_LEN: usize = 256 * 1024;

    #[derive(Clone, Debug)]
    enum Op {
        FlipBit(Index, u8),
        SetByte(Index, u8),
        Delete(Index, u8),
        Truncate(Index),
        Insert(Index, &'static str),
        Replace(Index, u8, &'static str),
        /// Copies a chunk elsewhere in the same input.
        Duplicate(Index, u8, Index),
        /// Inserts a chunk of another seed.
        Splice(Index, Index, u8, Index),
        /// Repeats a chunk after itself: long scalars, deep nesting.
        Repeat(Index, u8, u16),
        /// Repeats a line after itself: many targets, keys, templates.
        RepeatLine(Index, u16),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            2 => (any::<Index>(), 0u8..8).prop_map(|(at, bit)| Op::FlipBit(at, bit)),
            1 => (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Op::SetByte(at, byte)),
            2 => (any::<Index>(), 1u8..32).prop_map(|(at, len)| Op::Delete(at, len)),
            1 => any::<Index>().prop_map(Op::Truncate),
            4 => (any::<Index>(), select(TOKENS)).prop_map(|(at, token)| Op::Insert(at, token)),
            2 => (any::<Index>(), 1u8..8, select(TOKENS)).prop_map(|(at, len, token)| Op::Replace(at, len, token)),
            1 => (any::<Index>(), 1u8..64, any::<Index>()).prop_map(|(from, len, to)| Op::Duplicate(from, len, to)),
            2 => (any::<Index>(), any::<Index>(), 1u8..128, any::<Index>()).prop_map(|(seed, from, len, to)| Op::Splice(seed, from, len, to)),
            1 => (any::<Index>(), 1u8..128, 2u16..600).prop_map(|(from, len, times)| Op::Repeat(from, len, times)),
            1 => (any::<Index>(), 2u16..3_000).prop_map(|(line, times)| Op::RepeatLine(line, times)),
        ]
    }

    /// A position in `0..=len`.
    fn at(index: Index, len: usize) -> usize {
        index.index(len + 1)
    }

    /// `len` bytes from `index`, cut to the input.
    fn chunk(index: Index, len: u8, bytes: &[u8]) -> Range<usize> {
        let start = at(index, bytes.len());
        start..(start + len as usize).min(bytes.len())
    }

    /// Inserts `piece` at the position `index` picks.
    fn insert(bytes: &mut Vec<u8>, index: Index, piece: &[u8]) {
        let at = at(index, bytes.len());
        bytes.splice(at..at, piece.iter().copied());
    }

    fn repeat(bytes: &mut Vec<u8>, range: Range<usize>, times: u16) {
        let piece = bytes[range.clone()].to_vec();
        let copies = (times as usize).min(MAX_LEN.saturating_sub(bytes.len()) / piece.len().max(1));
        bytes.splice(range.end..range.end, piece.repeat(copies));
    }

    fn apply(mut bytes: Vec<u8>, ops: &[Op], seeds: &[String]) -> String {
        for op in ops {
            match *op {
                Op::FlipBit(i, bit) if !bytes.is_empty() => {
                    let i = i.index(bytes.len());
                    bytes[i] ^= 1 << bit;
                }
                Op::SetByte(i, byte) if !bytes.is_empty() => *i.get_mut(&mut bytes) = byte,
                Op::Delete(i, len) => drop(bytes.drain(chunk(i, len, &bytes))),
                Op::Truncate(i) => bytes.truncate(at(i, bytes.len())),
                Op::Insert(i, token) => insert(&mut bytes, i, token.as_bytes()),
                Op::Replace(i, len, token) => drop(bytes.splice(chunk(i, len, &bytes), token.bytes())),
                Op::Duplicate(from, len, to) => {
                    let piece = bytes[chunk(from, len, &bytes)].to_vec();
                    insert(&mut bytes, to, &piece);
                }
                Op::Splice(seed, from, len, to) => {
                    let other = seed.get(seeds).as_bytes();
                    insert(&mut bytes, to, &other[chunk(from, len, other)]);
                }
                Op::Repeat(from, len, times) => {
                    let range = chunk(from, len, &bytes);
                    repeat(&mut bytes, range, times);
                }
                Op::RepeatLine(line, times) => {
                    let starts: Vec<usize> = std::iter::once(0).chain(bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1)).collect();
                    let start = *line.get(&starts);
                    let end = bytes[start..].iter().position(|b| *b == b'\n').map_or(bytes.len(), |i| start + i + 1);
                    repeat(&mut bytes, start..end, times);
                }
                Op::FlipBit(..) | Op::SetByte(..) => {}
            }
        }
        // The engine is handed text: broken UTF-8 becomes U+FFFD, as a host would make it.
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// A seed with 1 to 8 byte-level mutations.
    pub fn bytes(seeds: Vec<String>) -> impl Strategy<Value = String> {
        (select(seeds.clone()), vec(op(), 1..8)).prop_map(move |(seed, ops)| apply(seed.into_bytes(), &ops, &seeds))
    }

    /// JSON values at the edges of what a field may hold.
    pub fn interesting_json() -> impl Strategy<Value = Value> {
        let numbers = vec!["0", "1", "-1", "42", "18446744073709551615", "18446744073709551616", "9007199254740993", "-9223372036854775808", "1.5", "1e308", "-0.0"];
        let strings = vec![
            "", " ", "main", "master", "refs/heads/main", "refs/heads/", "refs/tags/v1.0.0", "refs/pull/1/head", "heads/*", "*", "completed", "opened",
            "closed", "synchronize", "success", "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "production", "${{ sha }}", "../..", "a/b", "%2F", "\u{0}",
            "é", "\n", "x y",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            select(numbers).prop_map(|n| serde_json::from_str(n).expect("a JSON number")),
            select(strings).prop_map(|s| Value::String(s.to_string())),
            "[a-z]{200,300}".prop_map(Value::String),
        ];
        let keys = vec!["ref", "sha", "number", "id", "name", "action", "head", "repo", "target"];
        leaf.prop_recursive(3, 12, 4, move |inner| {
            prop_oneof![
                vec(inner.clone(), 0..4).prop_map(Value::Array),
                vec((select(keys.clone()), inner), 0..4).prop_map(|entries| Value::Object(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
            ]
        })
    }

    /// A change to one value of a JSON document, picked by its place in document order.
    #[derive(Clone, Debug)]
    enum JsonOp {
        Remove(Index),
        Set(Index, Value),
        /// The value in a list: `"x"` → `["x"]`.
        Wrap(Index),
        /// The value as a string: `12` → `"12"`.
        Stringify(Index),
    }

    fn json_op() -> impl Strategy<Value = JsonOp> {
        prop_oneof![
            2 => any::<Index>().prop_map(JsonOp::Remove),
            4 => (any::<Index>(), interesting_json()).prop_map(|(at, v)| JsonOp::Set(at, v)),
            1 => any::<Index>().prop_map(JsonOp::Wrap),
            1 => any::<Index>().prop_map(JsonOp::Stringify),
        ]
    }

    /// The JSON pointer of every value in `value`, the root (`""`) last.
    fn pointers(value: &Value, here: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => map.iter().for_each(|(key, child)| pointers(child, format!("{here}/{}", key.replace('~', "~0").replace('/', "~1")), out)),
            Value::Array(items) => items.iter().enumerate().for_each(|(i, child)| pointers(child, format!("{here}/{i}"), out)),
            _ => {}
        }
        out.push(here);
    }

    fn apply_json(value: &mut Value, op: &JsonOp) {
        let mut all = Vec::new();
        pointers(value, String::new(), &mut all);
        let (JsonOp::Remove(at) | JsonOp::Set(at, _) | JsonOp::Wrap(at) | JsonOp::Stringify(at)) = op;
        let pointer = at.get(&all).clone();
        if let JsonOp::Remove(_) = op {
            let Some((parent, last)) = pointer.rsplit_once('/') else { return *value = Value::Null };
            let last = last.replace("~1", "/").replace("~0", "~");
            match value.pointer_mut(parent) {
                Some(Value::Object(map)) => drop(map.remove(&last)),
                Some(Value::Array(items)) => drop(last.parse::<usize>().ok().filter(|i| *i < items.len()).map(|i| items.remove(i))),
                _ => {}
            }
            return;
        }
        let Some(target) = value.pointer_mut(&pointer) else { return };
        *target = match op {
            JsonOp::Set(_, new) => new.clone(),
            JsonOp::Wrap(_) => Value::Array(vec![target.take()]),
            _ => match target.take() {
                Value::String(text) => Value::String(text),
                other => Value::String(other.to_string()),
            },
        };
    }

    /// A JSON seed with 1 to 5 values removed, replaced or retyped: what serde must refuse, or
    /// accept, without the engine tripping over it.
    pub fn json(seeds: Vec<String>) -> impl Strategy<Value = String> {
        (select(seeds), vec(json_op(), 1..6)).prop_map(|(seed, ops)| {
            let mut value: Value = serde_json::from_str(&seed).unwrap_or(Value::Null);
            for op in &ops {
                apply_json(&mut value, op);
            }
            value.to_string()
        })
    }
}

// ── the seed corpus ──────────────────────────────────────────────────────────────────────────────

mod corpus {
    use deliverybot_core::{Config, Invocation};
    use serde_json::Value;
    use std::path::{Path, PathBuf};

    fn crate_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        for path in std::fs::read_dir(dir).into_iter().flatten().flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                files(&path, out);
            } else {
                out.push(path);
            }
        }
    }

    fn texts(mut paths: Vec<PathBuf>) -> Vec<(String, String)> {
        paths.sort();
        paths
            .iter()
            .map(|path| {
                let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
                let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                (stem, String::from_utf8_lossy(&bytes).into_owned())
            })
            .collect()
    }

    /// `(file stem, text)` of every file in `tests/fuzz-corpus/<target>/`, in name order.
    pub fn read(target: &str) -> Vec<(String, String)> {
        let mut paths = Vec::new();
        files(&crate_dir().join("tests/fuzz-corpus").join(target), &mut paths);
        let corpus = texts(paths);
        assert!(!corpus.is_empty(), "no seeds in tests/fuzz-corpus/{target}");
        corpus
    }

    /// Every `.yml` of the repository's `examples/` and `tests/fixtures/configs/` (invalid ones too),
    /// and the config corpus.
    pub fn configs() -> Vec<String> {
        let root = crate_dir().join("../..");
        let mut paths = Vec::new();
        files(&root.join("examples"), &mut paths);
        files(&root.join("tests/fixtures/configs"), &mut paths);
        paths.retain(|p| p.extension().is_some_and(|e| e == "yml"));
        texts(paths).into_iter().chain(read("config")).map(|(_, text)| text).collect()
    }

    /// The configs that are valid: runs with them get past the config to the rules.
    pub fn configs_valid() -> Vec<String> {
        configs().into_iter().filter(|text| Config::parse(text).is_ok()).collect()
    }

    /// A seed invocation: the JSON a host passes, the event payload as an object for readability
    /// rather than as JSON text.
    pub fn invocation(name: &str, text: &str) -> Invocation {
        let mut value: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("inputs/{name}: {e}"));
        if !value["event"].is_string() {
            value["event"] = Value::String(value["event"].to_string());
        }
        Invocation::from_json(&value.to_string()).unwrap_or_else(|e| panic!("inputs/{name}: {e}"))
    }
}

// ── the driver ───────────────────────────────────────────────────────────────────────────────────

mod harness {
    use super::{MEMORY, SLOW};
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::{Config, RngSeed, TestRunner};
    use std::cell::{Cell, RefCell};
    use std::collections::BTreeMap;
    use std::fmt::Debug;
    use std::fs::File;
    use std::io::{Seek, SeekFrom, Write};
    use std::panic::{self, AssertUnwindSafe};
    use std::path::PathBuf;
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::sync::{Arc, Mutex, Once};
    use std::time::{Duration, Instant, SystemTime};

    /// An input, and how to show it in a failure file.
    pub trait Case: Clone + Debug + Send + 'static {
        fn dump(&self) -> String;
    }

    /// A text input, shown as it is.
    #[derive(Clone, Debug)]
    pub struct Text(pub String);

    impl Case for Text {
        fn dump(&self) -> String {
            self.0.clone()
        }
    }

    /// An input that never returns is reported this long after the target's time is up.
    const HANG: Duration = Duration::from_secs(30);

    fn budget() -> Duration {
        let seconds = std::env::var("DELIVERYBOT_FUZZ_SECONDS").map(|s| s.trim().parse::<f64>().expect("DELIVERYBOT_FUZZ_SECONDS is a number of seconds"));
        Duration::from_secs_f64(seconds.unwrap_or(2.0))
    }

    fn seed() -> u64 {
        match std::env::var("DELIVERYBOT_FUZZ_SEED") {
            Ok(seed) => seed.trim().parse().expect("DELIVERYBOT_FUZZ_SEED is a number"),
            Err(_) => SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64),
        }
    }

    /// Draws inputs from the strategy `make` builds and checks each until the time is up. `check`
    /// says where an input led (counted, and printed at the end) or what is wrong with it. The
    /// inputs run on a thread of their own, so that one that never returns is still reported.
    pub fn fuzz<T: Case, S: Strategy<Value = T>>(target: &'static str, make: impl FnOnce() -> S + Send + 'static, check: fn(&T) -> Result<String, String>) {
        let (budget, seed) = (budget(), seed());
        let running = Running::open(target, seed);
        let current: Arc<Mutex<Option<T>>> = Arc::default();
        let shared = Arc::clone(&current);
        let (done, result) = mpsc::channel();
        std::thread::Builder::new()
            .name(format!("fuzz-{target}"))
            .spawn(move || drop(done.send(draw(make(), check, seed, budget, &shared, running))))
            .expect("a thread");
        match result.recv_timeout(budget + HANG) {
            Ok(Ok(reached)) => {
                let count: u64 = reached.values().sum();
                println!("fuzz {target}: {count} inputs in {:.0} s ({:.0}/s), seed {seed}", budget.as_secs_f64(), count as f64 / budget.as_secs_f64().max(1e-9));
                for (label, n) in reached {
                    println!("  {:>5.1}% {label}", n as f64 * 100.0 / count as f64);
                }
            }
            Ok(Err((input, problem))) => fail(target, seed, &problem, &input),
            Err(RecvTimeoutError::Timeout) => {
                let input = current.lock().map(|c| c.clone()).unwrap_or(None).expect("an input was running");
                fail(target, seed, &format!("no answer after {} s: a hang", HANG.as_secs()), &input)
            }
            Err(RecvTimeoutError::Disconnected) => panic!("the thread of fuzz target `{target}` died: see its panic above"),
        }
    }

    fn draw<T: Case, S: Strategy<Value = T>>(
        strategy: S,
        check: fn(&T) -> Result<String, String>,
        seed: u64,
        budget: Duration,
        current: &Mutex<Option<T>>,
        mut running: Running,
    ) -> Result<BTreeMap<String, u64>, (T, String)> {
        install_panic_hook();
        let mut runner = TestRunner::new(Config { rng_seed: RngSeed::Fixed(seed), ..Config::default() });
        let deadline = Instant::now() + budget;
        let mut reached = BTreeMap::new();
        while Instant::now() < deadline {
            let input = strategy.new_tree(&mut runner).expect("the strategies never reject").current();
            *current.lock().expect("not poisoned") = Some(input.clone());
            running.record(&input);
            let (baseline, started) = (memory::start(), Instant::now());
            let result = panic::catch_unwind(AssertUnwindSafe(|| check(&input)));
            let (elapsed, peak) = (started.elapsed(), memory::peak_since(baseline));
            let problem = match result {
                Err(_) => format!("panic: {}", LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_default()),
                Ok(Err(problem)) => problem,
                Ok(Ok(_)) if elapsed > SLOW => format!("took {elapsed:?}; the bound is {SLOW:?}"),
                Ok(Ok(_)) if peak > MEMORY => format!("allocated {} MiB at its peak; the bound is {} MiB", peak >> 20, MEMORY >> 20),
                Ok(Ok(label)) => {
                    *reached.entry(label).or_insert(0) += 1;
                    continue;
                }
            };
            return Err((input, problem));
        }
        running.finish();
        Ok(reached)
    }

    /// `target/fuzz-failures`, where failing inputs are kept.
    fn failures() -> PathBuf {
        let dir = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
            .join("fuzz-failures");
        std::fs::create_dir_all(&dir).expect("target/fuzz-failures can be made");
        dir
    }

    /// `target/fuzz-failures/<target>-running.txt`: the input being run, rewritten for each one, so
    /// that a crash that ends the process at once leaves its input behind; removed at the end.
    struct Running {
        path: PathBuf,
        file: File,
        header: String,
    }

    impl Running {
        fn open(target: &str, seed: u64) -> Running {
            let path = failures().join(format!("{target}-running.txt"));
            let file = File::create(&path).expect("the running input can be written");
            Running { path, file, header: format!("fuzz target `{target}`, seed {seed}: this input was running when the process ended\n\n") }
        }

        fn record<T: Case>(&mut self, input: &T) {
            let text = format!("{}{}\n", self.header, input.dump());
            let written = self.file.set_len(0).and_then(|()| self.file.seek(SeekFrom::Start(0))).and_then(|_| self.file.write_all(text.as_bytes()));
            written.expect("the running input can be written");
        }

        fn finish(self) {
            let _ = std::fs::remove_file(self.path);
        }
    }

    /// Writes the input to `target/fuzz-failures/<target>-<n>.txt` and fails the test.
    fn fail<T: Case>(target: &str, seed: u64, problem: &str, input: &T) -> ! {
        let dir = failures();
        let _ = std::fs::remove_file(dir.join(format!("{target}-running.txt")));
        let path = (1..).map(|n| dir.join(format!("{target}-{n}.txt"))).find(|p| !p.exists()).expect("a free name");
        std::fs::write(&path, format!("fuzz target `{target}`, seed {seed}\nproblem: {problem}\n\n{}\n", input.dump())).expect("the failure can be written");
        panic!("fuzz target `{target}` found a problem: {problem}\ninput: {}", path.display());
    }

    thread_local! {
        static QUIET: Cell<bool> = const { Cell::new(false) };
        static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    }

    /// Keeps the message of each thread's last panic (for the failure file), and keeps the
    /// expected panics of the canned GitHub out of the output.
    fn install_panic_hook() {
        static ONCE: Once = Once::new();
        ONCE.call_once(|| {
            let default = panic::take_hook();
            panic::set_hook(Box::new(move |info| {
                let _ = LAST_PANIC.try_with(|p| *p.borrow_mut() = Some(info.to_string()));
                if !QUIET.with(Cell::get) {
                    default(info);
                }
            }));
        });
    }

    /// Runs `f`; `None` if it panics, without printing the panic.
    pub fn quietly<R>(f: impl FnOnce() -> R) -> Option<R> {
        QUIET.with(|q| q.set(true));
        let result = panic::catch_unwind(AssertUnwindSafe(f));
        QUIET.with(|q| q.set(false));
        result.ok()
    }

    /// Counts the bytes each thread has allocated, to bound one input's memory.
    mod memory {
        use std::alloc::{GlobalAlloc, Layout, System};
        use std::cell::Cell;

        struct Counting;

        thread_local! {
            static LIVE: Cell<usize> = const { Cell::new(0) };
            static PEAK: Cell<usize> = const { Cell::new(0) };
        }

        fn grew(bytes: usize) {
            let _ = LIVE.try_with(|live| {
                live.set(live.get() + bytes);
                let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
            });
        }

        fn shrank(bytes: usize) {
            // Freed on another thread than it was allocated on: the counts drift, never wrap.
            let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(bytes)));
        }

        unsafe impl GlobalAlloc for Counting {
            unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
                let p = unsafe { System.alloc(layout) };
                if !p.is_null() {
                    grew(layout.size());
                }
                p
            }

            unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
                let p = unsafe { System.alloc_zeroed(layout) };
                if !p.is_null() {
                    grew(layout.size());
                }
                p
            }

            unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
                unsafe { System.dealloc(p, layout) };
                shrank(layout.size());
            }

            unsafe fn realloc(&self, p: *mut u8, layout: Layout, size: usize) -> *mut u8 {
                let q = unsafe { System.realloc(p, layout, size) };
                if !q.is_null() {
                    shrank(layout.size());
                    grew(size);
                }
                q
            }
        }

        #[global_allocator]
        static ALLOCATOR: Counting = Counting;

        /// Starts a measure on this thread: the bytes live now.
        pub fn start() -> usize {
            let live = LIVE.with(Cell::get);
            PEAK.with(|peak| peak.set(live));
            live
        }

        /// The most bytes live at once on this thread since `start`, beyond those live then.
        pub fn peak_since(start: usize) -> usize {
            PEAK.with(Cell::get).saturating_sub(start)
        }
    }
}
