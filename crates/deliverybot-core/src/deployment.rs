//! The body of `POST /repos/{owner}/{repo}/deployments` for a target and a commit: the target's
//! templates rendered with the variables of this event.

use crate::config::{ControlCharacter, Payload, Target};
use crate::refs::{short_name, short_sha};
use crate::template::{Lookup, Template, Var};
use crate::diagnostic::Diagnostic;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// GitHub rejects deployment descriptions longer than this.
pub const DESCRIPTION_LIMIT: usize = 140;
/// GitHub's limit on environment names.
pub const ENVIRONMENT_LIMIT: usize = 255;
/// How much of a rendered value a message quotes: a commit message can be long.
const QUOTED_LIMIT: usize = 100;

/// Where a deployment comes from: the commit, the ref and event that chose it, and the run.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub git_ref: &'a str,
    pub sha: &'a str,
    pub event_name: &'a str,
    pub run_url: &'a str,
    pub run_id: &'a str,
    pub owner: &'a str,
    pub repo: &'a str,
    pub actor: &'a str,
    /// The pull request, on pull-request driven deploys.
    pub pull_request: Option<&'a Value>,
    /// The commit as `GET /repos/{owner}/{repo}/commits/{sha}` returns it, when a template uses it.
    pub commit: Option<&'a Value>,
}

/// The variables of one deployment.
struct Vars<'a> {
    source: &'a Source<'a>,
    target: &'a str,
    environment: Option<&'a str>,
}

impl Lookup for Vars<'_> {
    fn lookup(&self, var: &Var) -> Option<Value> {
        let source = self.source;
        let text = |s: &str| Some(Value::String(s.to_string()));
        match var {
            Var::Named("ref") => text(source.git_ref),
            Var::Named("branch") => source.git_ref.strip_prefix("refs/heads/").and_then(text),
            Var::Named("tag") => source.git_ref.strip_prefix("refs/tags/").and_then(text),
            Var::Named("sha") => text(source.sha),
            Var::Named("short_sha") => text(short_sha(source.sha)),
            Var::Named("target") => text(self.target),
            Var::Named("environment") => self.environment.and_then(text),
            Var::Named("owner") => text(source.owner),
            Var::Named("repo") => text(source.repo),
            Var::Named("actor") => Some(source.actor).filter(|a| !a.is_empty()).and_then(text),
            Var::Named("event") => text(source.event_name),
            Var::Named("run_id") => text(source.run_id),
            Var::Named("pr") => source.pull_request.and_then(|pr| pr.get("number")).cloned(),
            Var::Named(_) => None,
            Var::PullRequest(path) => walk(source.pull_request?, path),
            // `commit.message` is the git commit's; `commit.html_url` the API object's own field.
            Var::Commit(path) => {
                let commit = source.commit?;
                commit.get("commit").and_then(|inner| walk(inner, path)).or_else(|| walk(commit, path))
            }
        }
    }

    fn event_name(&self) -> &str {
        self.source.event_name
    }
}

fn walk(value: &Value, path: &[String]) -> Option<Value> {
    path.iter().try_fold(value, |v, key| v.get(key)).cloned()
}

/// A deployment to create: its serde form is the body of GitHub's "create a deployment".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewDeployment {
    /// Always the exact commit (sent as `ref`): a branch name would be resolved by GitHub when the
    /// request arrives, and could by then point to a newer commit than the one that was decided on.
    #[serde(rename = "ref")]
    pub sha: String,
    pub task: String,
    pub auto_merge: bool,
    pub required_contexts: Vec<String>,
    pub payload: Map<String, Value>,
    pub environment: String,
    pub description: String,
    /// `None`: not sent, GitHub's default applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transient_environment: Option<bool>,
    /// `None`: not sent, GitHub's default applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub production_environment: Option<bool>,
}

/// What a person asked of one deploy by hand, over what the target's templates render. It is data
/// from outside: never rendered, so a `${{ }}` in it stays as written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Asked {
    /// The deployment's task instead of the target's (one line, checked when it was read).
    pub task: Option<String>,
    /// The payload's `params`, as the target accepted them (its defaults filled in): `None` when
    /// none were given to a target that declares none.
    pub params: Option<Map<String, Value>>,
}

/// A rendered deployment, and what the user should know about how it was rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub body: NewDeployment,
    pub notices: Vec<String>,
}

/// The environment a target deploys to for this source (to find its deployments again, or to lock
/// it): every path that names a target's environment renders it here, and so checks it.
pub fn environment_of(target: &Target, source: &Source) -> Result<String, Vec<Diagnostic>> {
    let vars = Vars { source, target: &target.name, environment: None };
    target.environment.render(&vars).and_then(|name| valid_environment(name, &target.environment)).map_err(|e| vec![e])
}

impl NewDeployment {
    /// The body GitHub's "create a deployment" takes, as a JSON value.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("a deployment's fields are JSON")
    }

    /// What was asked of this deploy by hand replaces what the target rendered.
    pub fn ask(&mut self, asked: &Asked) {
        if let Some(task) = &asked.task {
            self.task = task.clone();
        }
        if let Some(params) = &asked.params {
            self.payload.insert("params".to_string(), Value::Object(params.clone()));
        }
    }

    pub fn render(target: &Target, source: &Source) -> Result<Rendered, Vec<Diagnostic>> {
        let mut vars = Vars { source, target: &target.name, environment: None };
        let mut errors = Vec::new();
        let mut notices = Vec::new();

        let environment = environment_of(target, source)?;
        vars.environment = Some(&environment);

        let mut collect = |result: Result<String, Diagnostic>| result.map_err(|e| errors.push(e)).unwrap_or_default();
        let task = collect(target.task.render(&vars).and_then(|task| valid_task(task, &target.task)));
        let description = match &target.description {
            Some(template) => collect(template.render(&vars)),
            None => format!("Deploy {} ({})", short_name(source.git_ref), short_sha(source.sha)),
        };
        let mut payload = render_map(&target.payload, &vars, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let description = match truncate(&description, DESCRIPTION_LIMIT) {
            cut if cut != description => {
                notices.push(format!("{}: the description is longer than GitHub's {DESCRIPTION_LIMIT} characters; it was cut.", target.name));
                cut
            }
            same => same,
        };
        // A target that declares parameters carries their defaults on every deploy (a deploy by hand
        // then gets what was given, by `ask`): its deploy workflow can count on them.
        if let Some(defaults) = target.params.defaults() {
            payload.insert("params".to_string(), Value::Object(defaults));
        }
        // The deploy workflow learns which target it runs for; a `target` set in the config wins.
        payload.entry("target").or_insert_with(|| Value::String(target.name.clone()));
        // The deployment's `ref` is a commit, so the branch or tag it came from travels here, along
        // with the run that decided it; it also marks the deployment as Deliverybot's own.
        payload.entry("deliverybot").or_insert_with(|| {
            let mut marker = json!({ "ref": source.git_ref, "event": source.event_name, "run_url": source.run_url });
            // Pull request deploys say which one, so closing it retires exactly its deployments.
            if let Some(number) = source.pull_request.and_then(|pr| pr.get("number")) {
                marker["pr"] = number.clone();
            }
            marker
        });
        Ok(Rendered {
            body: NewDeployment {
                sha: source.sha.to_string(),
                task,
                auto_merge: target.auto_merge,
                required_contexts: target.required_contexts.clone(),
                payload,
                environment,
                description,
                transient_environment: target.transient_environment,
                production_environment: target.production_environment,
            },
            notices,
        })
    }
}

/// A rendered environment GitHub takes, on one line (see [`ControlCharacter`]).
fn valid_environment(name: String, template: &Template) -> Result<String, Diagnostic> {
    let problem = if name.trim().is_empty() {
        "is empty".to_string()
    } else if name.chars().count() > ENVIRONMENT_LIMIT {
        format!("is longer than GitHub's {ENVIRONMENT_LIMIT} characters")
    } else if let Some((_, found)) = ControlCharacter::find(&name) {
        format!("contains {found}")
    } else {
        return Ok(name);
    };
    Err(Diagnostic::at(
        template.pos,
        format!("the environment renders to {:?}, which {problem}; an environment is a name of 1 to {ENVIRONMENT_LIMIT} characters (GitHub's limit) on one line, without control characters", truncate(&name, QUOTED_LIMIT)),
    ))
}

/// A rendered task on one line (see [`ControlCharacter`]).
fn valid_task(task: String, template: &Template) -> Result<String, Diagnostic> {
    match ControlCharacter::find(&task) {
        None => Ok(task),
        Some((_, found)) => Err(Diagnostic::at(
            template.pos,
            format!("the task renders to {:?}, which contains {found}; a task is one line of text, without control characters", truncate(&task, QUOTED_LIMIT)),
        )),
    }
}

fn render_map(entries: &[(Template, Payload)], vars: &dyn Lookup, errors: &mut Vec<Diagnostic>) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in entries {
        match key.render(vars) {
            Ok(key) => {
                out.insert(key, render_value(value, vars, errors));
            }
            Err(e) => errors.push(e),
        }
    }
    out
}

fn render_value(value: &Payload, vars: &dyn Lookup, errors: &mut Vec<Diagnostic>) -> Value {
    match value {
        Payload::Null => Value::Null,
        Payload::Bool(b) => Value::Bool(*b),
        Payload::Number(n) => Value::Number(n.clone()),
        Payload::Text(template) => template.render_value(vars).unwrap_or_else(|e| {
            errors.push(e);
            Value::Null
        }),
        Payload::List(items) => Value::Array(items.iter().map(|item| render_value(item, vars, errors)).collect()),
        Payload::Map(entries) => Value::Object(render_map(entries, vars, errors)),
    }
}

/// Cuts `text` to at most `limit` characters, ending with `…` when something was cut.
pub fn truncate(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(limit - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use crate::config::{Config, CONTROLS};
    use crate::diagnostic::Pos;

    const SHA: &str = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

    fn source<'a>(pull_request: Option<&'a Value>, commit: Option<&'a Value>) -> Source<'a> {
        Source {
            git_ref: "refs/heads/main",
            sha: SHA,
            event_name: "push",
            run_url: "https://github.com/o/r/actions/runs/1",
            run_id: "1",
            owner: "o",
            repo: "r",
            actor: "octocat",
            pull_request,
            commit,
        }
    }

    fn render(config: &str) -> Result<Rendered, Vec<Diagnostic>> {
        let config = Config::parse(config).unwrap();
        NewDeployment::render(&config.targets[0], &source(None, None))
    }

    #[test]
    fn the_body_deploys_the_exact_commit_with_defaults() {
        let body = render("production:\n").unwrap().body.to_json();
        assert_eq!(
            body,
            json!({
                "ref": SHA,
                "task": "deploy",
                "auto_merge": false,
                "required_contexts": [],
                "payload": {
                    "target": "production",
                    "deliverybot": { "ref": "refs/heads/main", "event": "push", "run_url": "https://github.com/o/r/actions/runs/1" }
                },
                "environment": "production",
                "description": "Deploy main (6113728)"
            })
        );
    }

    #[test]
    fn configured_values_win_and_optional_flags_are_sent_when_set() {
        let body = render("web:\n  environment: staging\n  payload: { target: custom, port: 80 }\n  transient_environment: true\n  production_environment: false\n").unwrap().body;
        assert_eq!(body.payload["target"], json!("custom"));
        assert_eq!(body.payload["port"], json!(80));
        assert_eq!(body.transient_environment, Some(true));
        assert_eq!(body.production_environment, Some(false));
    }

    #[test]
    fn templates_render_in_every_place_they_may_stand() {
        let config = "\
web:
  environment: ${{ branch }}-${{ short_sha }}
  task: deploy:${{ target }}
  description: ${{ actor }} ships ${{ ref }} to ${{ environment }}
  payload:
    ${{ repo }}-key: ${{ owner }}/${{ repo }}
    nested: ['${{ event }}', { run: '${{ run_id }}' }]
    message: ${{ commit.message }}
";
        let commit = json!({ "sha": SHA, "commit": { "message": "Fix <it> & \"quote\"\nsecond line" } });
        let config = Config::parse(config).unwrap();
        let body = NewDeployment::render(&config.targets[0], &source(None, Some(&commit))).unwrap().body;
        assert_eq!(body.environment, "main-6113728");
        assert_eq!(body.task, "deploy:web");
        assert_eq!(body.description, "octocat ships refs/heads/main to main-6113728");
        assert_eq!(body.payload["r-key"], json!("o/r"));
        assert_eq!(body.payload["nested"], json!(["push", { "run": "1" }]));
        assert_eq!(body.payload["message"], json!("Fix <it> & \"quote\"\nsecond line"));
    }

    #[test]
    fn pull_request_variables_come_from_the_pull_request() {
        let pr = json!({ "number": 12, "title": "Add ${{ sha }}", "head": { "ref": "feature/x" }, "user": { "login": "hubot" } });
        let config = Config::parse("review:\n  environment: pr${{ pr }}\n  payload: { title: '${{ pull_request.title }}', pr: '${{ pr }}', by: '${{ pull_request.user.login }}' }\n").unwrap();
        let body = NewDeployment::render(&config.targets[0], &source(Some(&pr), None)).unwrap().body;
        assert_eq!(body.environment, "pr12");
        assert_eq!(body.payload["title"], json!("Add ${{ sha }}"), "event text is never expanded");
        assert_eq!(body.payload["pr"], json!(12), "a whole expression keeps its type");
        assert_eq!(body.payload["by"], json!("hubot"));
        assert_eq!(body.payload["deliverybot"]["pr"], json!(12), "the marker names the pull request");
    }

    #[test]
    fn a_variable_without_a_value_is_an_error_at_its_position() {
        let errors = render("review:\n  environment: pr${{ pr }}\n").unwrap_err();
        assert_eq!(errors[0].to_string(), "2:18: `${{ pr }}`: `pr` has no value on this `push` event; give a default, like `${{ pr || 'none' }}`");
        let errors = render("web:\n  payload:\n    a: ${{ tag }}\n    b: x${{ pr }}\n").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[1].pos.unwrap().line, 4);
    }

    #[test]
    fn the_rendered_environment_must_be_a_valid_name() {
        let long = "x".repeat(300);
        let errors = render(&format!("web:\n  environment: {long}\n")).unwrap_err();
        assert_eq!(errors[0].to_string(), format!("2:16: the environment renders to \"{}…\", which is longer than GitHub's 255 characters; an environment is a name of 1 to 255 characters (GitHub's limit) on one line, without control characters", "x".repeat(99)));
        let commit = json!({ "commit": { "message": "two\nlines" } });
        let config = Config::parse("web:\n  environment: ${{ commit.message }}\n").unwrap();
        let errors = NewDeployment::render(&config.targets[0], &source(None, Some(&commit))).unwrap_err();
        assert_eq!(errors[0].to_string(), "2:16: the environment renders to \"two\\nlines\", which contains a line feed (U+000A); an environment is a name of 1 to 255 characters (GitHub's limit) on one line, without control characters");
    }

    #[test]
    fn a_rendered_environment_or_task_with_a_control_character_fails_at_its_template() {
        let config = Config::parse("review:\n  environment: review-${{ pull_request.title }}\nreview-task:\n  environment: pr${{ pr }}\n  task: deploy:${{ pull_request.head.ref }}\n").unwrap();
        for &(control, named) in CONTROLS {
            let pr = json!({ "number": 12, "title": format!("Fix{control}::save-state name=x::1"), "head": { "ref": format!("feature{control}$(id)") } });
            let source = source(Some(&pr), None);
            let errors = NewDeployment::render(&config.targets[0], &source).unwrap_err();
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].pos, Some(Pos { line: 2, column: 16 }), "{named}");
            assert!(errors[0].message.ends_with(&format!("which contains {named}; an environment is a name of 1 to 255 characters (GitHub's limit) on one line, without control characters")), "{}", errors[0]);
            assert!(!errors[0].message.contains(control), "the message quotes the name escaped, on one line: {}", errors[0]);
            assert_eq!(environment_of(&config.targets[0], &source), Err(errors), "locks and retiring render it the same way");

            let errors = NewDeployment::render(&config.targets[1], &source).unwrap_err();
            assert_eq!(errors[0].to_string(), format!("5:9: the task renders to {:?}, which contains {named}; a task is one line of text, without control characters", format!("deploy:feature{control}$(id)")));
            assert_eq!(environment_of(&config.targets[1], &source), Ok("pr12".to_string()));
        }
    }

    #[test]
    fn shell_syntax_and_other_unicode_are_data_in_an_environment_and_a_task() {
        // GitHub allows them; a deploy workflow passes these values to its shell through `env:`.
        let pr = json!({ "number": 12, "title": "$(curl x | sh); `id` && echo 'a\"b' — Île\u{a0}de\u{3000}France \u{200b}\u{202e}", "head": { "ref": "feature/x" } });
        let config = Config::parse("review:\n  environment: ${{ pull_request.title }}\n  task: ${{ pull_request.title }}\n").unwrap();
        let body = NewDeployment::render(&config.targets[0], &source(Some(&pr), None)).unwrap().body;
        assert_eq!(body.environment, pr["title"].as_str().unwrap());
        assert_eq!(body.task, body.environment);
    }

    #[test]
    fn a_task_asked_for_replaces_the_targets_and_is_never_rendered() {
        let mut body = render("web:\n  task: deploy:${{ target }}\n").unwrap().body;
        body.ask(&Asked::default());
        assert_eq!(body.task, "deploy:web");
        body.ask(&Asked { task: Some("migrate ${{ sha }}".into()), params: None });
        assert_eq!(body.task, "migrate ${{ sha }}");
        assert_eq!(body.payload.get("params"), None);
    }

    #[test]
    fn parameters_land_in_the_payload_as_data_and_declared_defaults_always_do() {
        let mut body = render("web:\n  payload: { params: mine }\n").unwrap().body;
        let given = json!({ "note": "${{ sha }}" }).as_object().unwrap().clone();
        body.ask(&Asked { task: None, params: Some(given) });
        assert_eq!(body.payload["params"], json!({ "note": "${{ sha }}" }), "never rendered; over the config's own `params`");
        let body = render("web:\n  params:\n    replicas: { type: number, default: 2 }\n    region:\n").unwrap().body;
        assert_eq!(body.payload["params"], json!({ "replicas": 2 }), "an automatic deploy carries the defaults");
    }

    #[test]
    fn long_descriptions_are_cut_to_githubs_limit_with_a_notice() {
        let rendered = render(&format!("web:\n  description: {}\n", "é".repeat(200))).unwrap();
        assert_eq!(rendered.body.description.chars().count(), 140);
        assert!(rendered.body.description.ends_with('…'));
        assert_eq!(rendered.notices, ["web: the description is longer than GitHub's 140 characters; it was cut."]);
        assert_eq!(truncate("short", DESCRIPTION_LIMIT), "short");
    }
}
