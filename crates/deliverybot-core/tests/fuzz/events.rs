//! The `events` fuzz target.

use super::*;

/// The events of the rules and status modes, and two that the engine does not act on.
pub(crate) const EVENTS: &[&str] = &[
    "push", "pull_request", "pull_request_target", "status", "check_run", "check_suite", "workflow_run", "workflow_dispatch",
    "repository_dispatch", "schedule", "deployment", "deployment_status", "gollum", "",
];

/// Mutated real webhook payloads (and garbage) for every event, run to the end against a canned
/// GitHub whose replies are twisted at random.
#[test]
pub(crate) fn events() {
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
pub(crate) const CATCH_ALL: &str = "\
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
promoted:
  auto_deploy_on: refs/heads/main
  environment: promoted
  after: main
  soak: 1m
  serialize: true
";

#[derive(Clone, Debug)]
pub(crate) struct EventCase {
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
pub(crate) struct World {
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
pub(crate) fn shas_in(text: &str) -> Vec<String> {
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
