//! The `inputs` fuzz target.

use super::*;

/// Random action inputs, phases, saved state and run context, on top of the seed invocations.
#[test]
pub(crate) fn inputs() {
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

pub(crate) const INPUT_NAMES: &[&str] = &[
    "state", "deployment-id", "dry-run", "config", "description", "job-status", "auto-inactive", "environment", "environment-url",
    "log-url", "token",
];

/// Values that mean something to some input, and some that almost do.
pub(crate) const INPUT_VALUES: &[&str] = &[
    "auto", "success", "failure", "error", "inactive", "in_progress", "queued", "pending", "cancelled", "canceled", "SUCCESS", "Auto",
    "true", "false", "TRUE", "False", "yes", "1", "0", "42", "-1", " 7 ", "18446744073709551615", "18446744073709551616", "", " ",
    ".github/deploy.yml", "./deploy/rules.yml", "/x.yml", "../x.yml", "a//b", ".", "https://example.com/logs", "${{ job.status }}",
    "staging", "pr12", "line\nbreak", "\u{0}",
];

pub(crate) fn input_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(INPUT_VALUES).prop_map(str::to_string),
        1 => any::<String>(),
        1 => "é{100,200}",
        1 => (select(INPUT_VALUES), "[ \t\n]{0,3}").prop_map(|(value, pad)| format!("{pad}{value}{pad}")),
    ]
}

#[derive(Clone, Debug)]
pub(crate) struct InputsCase {
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
