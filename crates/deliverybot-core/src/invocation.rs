//! What a run is given: the event, the action's inputs and the workflow run's context. The caller
//! passes raw strings (as the runner provides them); parsing and validating them happens here, so a
//! bad input is reported the same way from the action, the CLI or any other host.

use crate::json::null_as_default;
use jiff::Timestamp;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Its JSON form: `{ event_name, event?, inputs?, context, phase?, state? }`, with the context
/// `{ repository, run_id, server_url, actor?, triggering_actor?, job?, ref_name?, now? }`, every
/// value text; `null` is
/// the same as left out.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Invocation {
    /// `GITHUB_EVENT_NAME`, e.g. `push`.
    pub event_name: String,
    /// The webhook payload as JSON text (the content of `GITHUB_EVENT_PATH`). Optional in the JSON
    /// form because the WebAssembly binding takes it as a separate value (UTF-8 bytes): a payload
    /// can be megabytes, and nesting it in the invocation's JSON would escape and unescape all of it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub event: String,
    /// The action's inputs by name (`config`, `dry-run`, ...), as the runner gives them.
    #[serde(default, deserialize_with = "null_as_default")]
    pub inputs: BTreeMap<String, String>,
    pub context: RunContext,
    /// `main`, or `post` for the action's post step (run at the end of the job).
    #[serde(default, deserialize_with = "null_as_default")]
    pub phase: Phase,
    /// What the main step saved for the post step (`Outcome::state`), as the runner hands it back.
    #[serde(default, deserialize_with = "null_as_default")]
    pub state: BTreeMap<String, String>,
}

impl Invocation {
    /// Reads the JSON form (see the type).
    pub fn from_json(text: &str) -> Result<Invocation, String> {
        crate::json::from_str(text)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    #[default]
    Main,
    Post,
}

/// The `GITHUB_*` variables of the run that the engine uses.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RunContext {
    /// `owner/name`.
    pub repository: String,
    pub run_id: String,
    /// `GITHUB_SERVER_URL`, for links people open (GitHub Enterprise Server has its own).
    pub server_url: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub actor: String,
    /// `GITHUB_TRIGGERING_ACTOR`: who started this run, which on a re-run may be someone else than
    /// `actor` and the event's sender. Empty when the host does not say.
    #[serde(default, deserialize_with = "null_as_default")]
    pub triggering_actor: String,
    /// `GITHUB_JOB`: this job, a running check on the commit that must not wait on itself.
    #[serde(default, deserialize_with = "null_as_default")]
    pub job: String,
    /// `GITHUB_REF_NAME`: the branch the run is on (a schedule's is the default branch).
    #[serde(default, deserialize_with = "null_as_default")]
    pub ref_name: String,
    /// The time of the run (RFC 3339, like `2026-12-06T14:20:00Z`): the engine reads no clock, so
    /// the action passes its own, and tests and `deliverybot plan --now` choose one. `soak`, freeze
    /// windows and stuck deployments need it.
    #[serde(default, deserialize_with = "rfc3339")]
    pub now: Option<Timestamp>,
}

/// `now`: an RFC 3339 time, or nothing.
fn rfc3339<'de, D: serde::Deserializer<'de>>(reader: D) -> Result<Option<Timestamp>, D::Error> {
    let Some(text) = Option::<String>::deserialize(reader)?.filter(|t| !t.trim().is_empty()) else { return Ok(None) };
    crate::time::rfc3339(text.trim())
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("`now` must be a time like 2026-12-06T14:20:00Z (RFC 3339), got {text:?}")))
}

impl RunContext {
    /// `now`, for the rules that depend on the time (freeze windows, stuck deployments).
    pub fn now(&self) -> Result<Timestamp, String> {
        self.now.ok_or_else(|| "the run's time is not given (`context.now`, RFC 3339, like `2026-12-24T17:00:00Z`)".to_string())
    }

    /// This run's page, for links people open.
    pub fn run_url(&self) -> String {
        format!("{}/{}/actions/runs/{}", self.server_url, self.repository, self.run_id)
    }
}

/// A repository, as used in API paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repo {
    pub owner: String,
    pub name: String,
}

impl Repo {
    pub fn parse(full_name: &str) -> Result<Repo, String> {
        match full_name.split_once('/') {
            Some((owner, name)) if !owner.is_empty() && !name.is_empty() && !name.contains('/') => {
                Ok(Repo { owner: owner.to_string(), name: name.to_string() })
            }
            _ => Err(format!("GITHUB_REPOSITORY must be `owner/name`, got {full_name:?}")),
        }
    }
}

/// The inputs of the rules mode, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub config_path: String,
    pub dry_run: bool,
}

pub const DEFAULT_CONFIG_PATH: &str = ".github/deploy.yml";

impl Settings {
    pub fn from_inputs(inputs: &BTreeMap<String, String>) -> Result<Settings, String> {
        let config_path = match input(inputs, "config") {
            Some(path) => normalize_config_path(path)?,
            None => DEFAULT_CONFIG_PATH.to_string(),
        };
        let dry_run = match input(inputs, "dry-run") {
            Some(text) => parse_bool("dry-run", text)?,
            None => false,
        };
        Ok(Settings { config_path, dry_run })
    }
}

/// An input as the user meant it: surrounding white space dropped, empty meaning "not given"
/// (the runner passes every declared input, empty when unset and without default).
pub(crate) fn input<'a>(inputs: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    inputs.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// Booleans as the YAML 1.2 core schema spells them, which is what `@actions/core` accepts too.
pub(crate) fn parse_bool(name: &str, text: &str) -> Result<bool, String> {
    match text {
        "true" | "True" | "TRUE" => Ok(true),
        "false" | "False" | "FALSE" => Ok(false),
        _ => Err(format!("input `{name}` must be `true` or `false`, got {text:?}")),
    }
}

/// The config is read from the repository through the Contents API, so its path is relative to the
/// repository root. A leading `./` or `/` is accepted; anything that escapes the root is not.
fn normalize_config_path(path: &str) -> Result<String, String> {
    let mut trimmed = path;
    while let Some(rest) = trimmed.strip_prefix("./") {
        trimmed = rest;
    }
    let trimmed = trimmed.trim_start_matches('/');
    let bad = trimmed.is_empty()
        || trimmed.split('/').any(|part| part.is_empty() || part == "." || part == "..");
    if bad {
        return Err(format!("input `config` must be a file path inside the repository, like {DEFAULT_CONFIG_PATH}, got {path:?}"));
    }
    Ok(trimmed.to_string())
}

impl Invocation {
    /// A push to `git_ref` of `octo/app` at commit `a1b2c3d…`, for examples and tests.
    pub fn example_push(git_ref: &str) -> Invocation {
        let event = serde_json::json!({
            "ref": git_ref,
            "after": "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
            "deleted": false,
            "repository": { "full_name": "octo/app", "default_branch": "main" },
            "sender": { "login": "octocat" }
        });
        Invocation {
            event_name: "push".to_string(),
            event: event.to_string(),
            inputs: BTreeMap::new(),
            phase: Phase::Main,
            state: BTreeMap::new(),
            context: RunContext {
                repository: "octo/app".to_string(),
                run_id: "42".to_string(),
                server_url: "https://github.com".to_string(),
                actor: "octocat".to_string(),
                triggering_actor: String::new(),
                job: "deliver".to_string(),
                ref_name: "main".to_string(),
                now: Some(Timestamp::from_second(1_796_212_800).expect("a time")),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    const CONTEXT: &str = r#""context":{"repository":"o/r","run_id":"7","server_url":"https://github.com"}"#;

    #[test]
    fn the_json_form_reads_with_defaults_for_what_is_left_out() {
        let run = Invocation::from_json(&format!(r#"{{"event_name":"push",{CONTEXT}}}"#)).unwrap();
        assert_eq!((run.event_name.as_str(), run.event.as_str(), run.phase), ("push", "", Phase::Main));
        assert!(run.inputs.is_empty() && run.state.is_empty());
        assert_eq!((run.context.run_url(), run.context.actor.as_str()), ("https://github.com/o/r/actions/runs/7".to_string(), ""));
        assert!(run.context.now().unwrap_err().contains("not given"));

        let text = format!(r#"{{"event_name":"status","phase":"post","inputs":{{"dry-run":"true"}},"state":{{"id":"4"}},{CONTEXT},"unknown":[1],"event":null}}"#);
        let run = Invocation::from_json(&text).unwrap();
        assert_eq!((run.phase, run.inputs["dry-run"].as_str(), run.state["id"].as_str()), (Phase::Post, "true", "4"));
    }

    #[test]
    fn the_json_form_names_what_is_wrong() {
        let read = |text: &str| Invocation::from_json(text).unwrap_err();
        assert_eq!(read(r#"{"event_name":"push"}"#), "missing field `context` at line 1 column 21");
        assert_eq!(read(&format!(r#"{{{CONTEXT}}}"#)), "missing field `event_name` at line 1 column 79");
        assert_eq!(read(&format!(r#"{{"event_name":"push","phase":"pre",{CONTEXT}}}"#)), "unknown variant `pre`, expected `main` or `post` at line 1 column 34");
        assert_eq!(
            read(&format!(r#"{{"event_name":"push","inputs":{{"dry-run":true}},{CONTEXT}}}"#)),
            "invalid type: boolean `true`, expected a string at line 1 column 45"
        );
        assert_eq!(read(r#"{"event_name":"push","context":{"repository":"o/r"}}"#), "missing field `run_id` at line 1 column 51");
        let now = |value: &str| Invocation::from_json(&format!(r#"{{"event_name":"push","context":{{"repository":"o/r","run_id":"7","server_url":"s","now":{value}}}}}"#)).map(|run| run.context.now);
        assert_eq!(now(r#""2026-12-06T14:20:00Z""#).unwrap(), crate::time::rfc3339("2026-12-06T14:20:00Z"));
        assert_eq!(now(r#""2026-12-06T15:20:00+01:00""#).unwrap(), crate::time::rfc3339("2026-12-06T14:20:00Z"));
        assert_eq!(now("null").unwrap(), None);
        assert_eq!(now(r#""14:20""#).unwrap_err(), "`now` must be a time like 2026-12-06T14:20:00Z (RFC 3339), got \"14:20\" at line 1 column 95");
        assert_eq!(read(r#"{"event_name":"push","context":"o/r"}"#), "invalid type: string \"o/r\", expected struct RunContext at line 1 column 36");
        assert_eq!(read("3"), "invalid type: integer `3`, expected struct Invocation at line 1 column 1");
    }

    #[test]
    fn now_is_the_run_time_when_given() {
        let mut context = Invocation::example_push("refs/heads/main").context;
        assert_eq!(context.now().unwrap(), Timestamp::from_second(1_796_212_800).unwrap());
        context.now = None;
        assert!(context.now().unwrap_err().contains("not given"));
    }

    #[test]
    fn defaults_apply_when_inputs_are_missing_or_empty() {
        let expected = Settings { config_path: ".github/deploy.yml".into(), dry_run: false };
        assert_eq!(Settings::from_inputs(&inputs(&[])).unwrap(), expected);
        assert_eq!(Settings::from_inputs(&inputs(&[("config", " "), ("dry-run", "")])).unwrap(), expected);
    }

    #[test]
    fn dry_run_accepts_yaml_booleans_only() {
        assert!(Settings::from_inputs(&inputs(&[("dry-run", "TRUE")])).unwrap().dry_run);
        assert!(!Settings::from_inputs(&inputs(&[("dry-run", "False")])).unwrap().dry_run);
        let err = Settings::from_inputs(&inputs(&[("dry-run", "yes")])).unwrap_err();
        assert_eq!(err, "input `dry-run` must be `true` or `false`, got \"yes\"");
    }

    #[test]
    fn config_path_is_relative_to_the_repository_root() {
        let path = |p| Settings::from_inputs(&inputs(&[("config", p)])).map(|s| s.config_path);
        assert_eq!(path("./deploy/rules.yml").unwrap(), "deploy/rules.yml");
        assert_eq!(path("././deploy/rules.yml").unwrap(), "deploy/rules.yml");
        assert_eq!(path("/.github/deploy.yml").unwrap(), ".github/deploy.yml");
        assert!(path("../other/deploy.yml").unwrap_err().contains("inside the repository"));
        assert!(path(".github//deploy.yml").is_err());
    }

    #[test]
    fn repository_must_be_owner_slash_name() {
        assert_eq!(Repo::parse("octo/app").unwrap(), Repo { owner: "octo".into(), name: "app".into() });
        assert!(Repo::parse("octo").is_err());
        assert!(Repo::parse("octo/app/x").is_err());
        assert!(Repo::parse("/app").is_err());
    }
}
