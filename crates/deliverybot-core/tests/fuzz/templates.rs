//! The `templates` fuzz target.

use super::*;

/// Configs whose templates are generated `${{ }}` expressions, run end to end.
#[test]
pub(crate) fn templates() {
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
pub(crate) struct TemplateCase {
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
