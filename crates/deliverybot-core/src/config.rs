//! `.github/deploy.yml`: a map of target name → target, as in the original Deliverybot.
//!
//! ```yaml
//! staging:
//!   auto_deploy_on: refs/heads/main
//!   environment: staging
//! review:
//!   auto_deploy_on: pr
//!   environment: pr${{ pr }}
//!   transient_environment: true
//! ```
//!
//! Reading a config reports every problem in it at once, each at its line and column, with a
//! suggestion where one is likely (`enviroment` → `environment`).

use crate::diagnostic::{closest, Diagnostic, Pos};
use crate::template::{Place, Template, Var};
use crate::yaml::{self, Node, Text, Value};

/// The one top-level key that is not a target: settings that are not about one target. (Keys that
/// start with `.` are not targets either: they hold YAML anchors for targets to share.)
pub const SETTINGS_KEY: &str = "settings";

/// The keys of a target, in the order the docs list them.
pub const TARGET_KEYS: &[&str] = &[
    "auto_deploy_on",
    "environment",
    "task",
    "description",
    "payload",
    "auto_merge",
    "required_contexts",
    "transient_environment",
    "production_environment",
    "deployments",
    "allow_forks",
    "allow_drafts",
    "permission",
];

/// The keys of an entry of the legacy `deployments:` list.
pub const LEGACY_KEYS: &[&str] = &[
    "environment",
    "task",
    "description",
    "payload",
    "auto_merge",
    "required_contexts",
    "transient_environment",
    "production_environment",
];

/// The keys of the `settings` section.
pub const SETTINGS_KEYS: &[&str] = &["dispatch", "commands"];

/// The keys of `settings.commands`.
pub const COMMANDS_KEYS: &[&str] = &["default_target", "deploy", "force", "lock", "unlock", "promote"];

/// A config, every target with its defaults applied.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    pub targets: Vec<Target>,
    pub settings: Settings,
}

/// What is not about one target.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    /// A workflow (file name or id) to start with `workflow_dispatch` for each deployment created,
    /// with the input `deployment_id`: the hand-off that works with the default `GITHUB_TOKEN`.
    pub dispatch: Option<String>,
    pub commands: Commands,
}

/// A repository role, from least to most access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    None,
    Read,
    Triage,
    Write,
    Maintain,
    Admin,
}

impl Role {
    pub const NAMES: &'static [&'static str] = &["read", "triage", "write", "maintain", "admin"];

    pub fn parse(name: &str) -> Option<Role> {
        Some(match name {
            "read" => Role::Read,
            "triage" => Role::Triage,
            "write" => Role::Write,
            "maintain" => Role::Maintain,
            "admin" => Role::Admin,
            "none" => Role::None,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::None => "none",
            Role::Read => "read",
            Role::Triage => "triage",
            Role::Write => "write",
            Role::Maintain => "maintain",
            Role::Admin => "admin",
        }
    }
}

/// Who may run which pull request command: the least role for each.
#[derive(Debug, Clone, PartialEq)]
pub struct Commands {
    /// The target of a bare `/deploy`.
    pub default_target: Option<String>,
    pub deploy: Role,
    /// `/deploy <target> --force`: skips the required checks.
    pub force: Role,
    pub lock: Role,
    pub unlock: Role,
    pub promote: Role,
}

impl Default for Commands {
    fn default() -> Commands {
        Commands { default_target: None, deploy: Role::Write, force: Role::Admin, lock: Role::Write, unlock: Role::Write, promote: Role::Write }
    }
}

/// What deploys a target automatically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    /// A ref, or refs by prefix: `refs/heads/main`, `refs/tags/v*`.
    Ref(String),
    /// Every pull request (`auto_deploy_on: pr`).
    PullRequest,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub name: String,
    /// Where the target is defined (its name), for messages about the whole target.
    pub pos: Pos,
    pub auto_deploy_on: Option<Trigger>,
    pub environment: Template,
    pub task: Template,
    pub description: Option<Template>,
    pub payload: Vec<(Template, Payload)>,
    pub auto_merge: bool,
    pub required_contexts: Vec<String>,
    /// `None`: leave it to GitHub's default (the key is not sent).
    pub transient_environment: Option<bool>,
    /// `None`: leave it to GitHub's default (the key is not sent).
    pub production_environment: Option<bool>,
    /// Deploy pull requests from forks automatically (their code is not the repository's).
    pub allow_forks: bool,
    /// Deploy draft pull requests automatically.
    pub allow_drafts: bool,
    /// The least role to `/deploy` or `/promote` this target (on top of the command's own).
    pub permission: Role,
}

impl Target {
    /// Whether any template of the target uses a variable `wanted` accepts.
    pub fn uses(&self, wanted: &dyn Fn(&Var) -> bool) -> bool {
        self.environment.uses(wanted)
            || self.task.uses(wanted)
            || self.description.as_ref().is_some_and(|t| t.uses(wanted))
            || Payload::map_uses(&self.payload, wanted)
    }
}

impl Payload {
    fn uses(&self, wanted: &dyn Fn(&Var) -> bool) -> bool {
        match self {
            Payload::Text(t) => t.uses(wanted),
            Payload::List(items) => items.iter().any(|item| item.uses(wanted)),
            Payload::Map(entries) => Payload::map_uses(entries, wanted),
            Payload::Null | Payload::Bool(_) | Payload::Number(_) => false,
        }
    }

    fn map_uses(entries: &[(Template, Payload)], wanted: &dyn Fn(&Var) -> bool) -> bool {
        entries.iter().any(|(key, value)| key.uses(wanted) || value.uses(wanted))
    }
}

/// A payload value, with templates in its strings (keys and values).
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Text(Template),
    List(Vec<Payload>),
    Map(Vec<(Template, Payload)>),
}

impl Config {
    /// Reads a config; all of its problems when it has any.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let root = yaml::parse(text).map_err(|err| vec![err])?;
        let mut errors = Vec::new();
        let mut settings = Settings::default();
        let targets = match root {
            None => Vec::new(),
            Some(Node { value: Value::Map(entries), .. }) => read_targets(entries, &mut settings, &mut errors),
            Some(other) => {
                errors.push(not_a_map(&other));
                Vec::new()
            }
        };
        if let Some(default) = &settings.commands.default_target {
            check_default_target(default, &targets, &mut errors);
        }
        if errors.is_empty() {
            return Ok(Config { targets, settings });
        }
        Err(in_file_order(errors))
    }

    pub fn target(&self, name: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.name == name)
    }
}

// What `Config::parse` does only for some configs, out of line so that reading a plain valid one
// does not compile it (engine.rs says why that matters).
#[inline(never)]
fn not_a_map(root: &Node) -> Diagnostic {
    Diagnostic::at(
        root.pos,
        format!("a config is a map of target names to targets, like `staging: {{ environment: staging }}`; this is {}", root.describe()),
    )
}

/// Only for configs that set `settings.commands.default_target`.
#[inline(never)]
fn check_default_target(default: &str, targets: &[Target], errors: &mut Vec<Diagnostic>) {
    if !targets.iter().any(|t| t.name == default) {
        errors.push(Diagnostic { pos: None, message: format!("`settings.commands.default_target` is `{default}`, which is not a target") });
    }
}

#[inline(never)]
fn in_file_order(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    errors.sort_by_key(|d| d.pos);
    errors
}

#[inline(never)]
fn read_targets(entries: Vec<(Node, Node)>, settings: &mut Settings, errors: &mut Vec<Diagnostic>) -> Vec<Target> {
    let mut targets = Vec::new();
    for (key, value) in entries {
        let Some(name) = key.as_str().map(str::to_string) else {
            errors.push(Diagnostic::at(key.pos, format!("a target name is text; this is {}", key.describe())));
            continue;
        };
        if name.trim().is_empty() {
            errors.push(Diagnostic::at(key.pos, "a target name cannot be empty"));
            continue;
        }
        if name == SETTINGS_KEY {
            *settings = read_settings(value, errors);
            continue;
        }
        if name.starts_with('.') {
            // Hidden, as in GitLab CI: a place for YAML anchors (`.defaults: &defaults`) that
            // targets merge in with `<<: *defaults`, never a target itself.
            continue;
        }
        let fields = match value.value {
            // `production:` alone is a target with every default.
            Value::Null => Vec::new(),
            Value::Map(fields) => fields,
            _ => {
                errors.push(Diagnostic::at(value.pos, format!("target `{name}` is a map of settings (or empty); this is {}", value.describe())));
                continue;
            }
        };
        if let Some(target) = read_target(name, key.pos, fields, errors) {
            targets.push(target);
        }
    }
    targets
}

#[inline(never)]
fn read_settings(node: Node, errors: &mut Vec<Diagnostic>) -> Settings {
    let mut settings = Settings::default();
    let entries = match node.value {
        Value::Null => return settings,
        Value::Map(entries) => entries,
        _ => {
            errors.push(Diagnostic::at(node.pos, format!("`settings` is a map; this is {}", node.describe())));
            return settings;
        }
    };
    for (key, value) in checked_keys(entries, SETTINGS_KEYS, "in `settings`", errors) {
        match (key.as_str(), &value.value) {
            (_, Value::Null) => {}
            (Some("dispatch"), Value::Str(text)) if !text.value.trim().is_empty() => settings.dispatch = Some(text.value.trim().to_string()),
            (Some("dispatch"), Value::Int(id)) => settings.dispatch = Some(id.to_string()),
            (Some("dispatch"), _) => errors.push(expected(&value, "dispatch", "a workflow file name, like `deploy.yml`")),
            (Some("commands"), Value::Map(entries)) => settings.commands = read_commands(entries.clone(), errors),
            _ => errors.push(expected(&value, "commands", "a map, like `commands: { deploy: write }`")),
        }
    }
    settings
}

fn read_commands(entries: Vec<(Node, Node)>, errors: &mut Vec<Diagnostic>) -> Commands {
    let mut commands = Commands::default();
    for (key, value) in checked_keys(entries, COMMANDS_KEYS, "in `settings.commands`", errors) {
        let field = key.as_str().unwrap_or_default();
        if matches!(value.value, Value::Null) {
            continue;
        }
        if field == "default_target" {
            match value.as_str() {
                Some(name) if !name.trim().is_empty() => commands.default_target = Some(name.trim().to_string()),
                _ => errors.push(expected(&value, field, "a target name")),
            }
            continue;
        }
        let Ok(role) = role(&value, field) else {
            errors.push(expected(&value, field, &format!("a role: {}", Role::NAMES.join(", "))));
            continue;
        };
        match field {
            "deploy" => commands.deploy = role,
            "force" => commands.force = role,
            "lock" => commands.lock = role,
            "unlock" => commands.unlock = role,
            _ => commands.promote = role,
        }
    }
    commands
}

// The readers of keys a plain target does not have, and the builders of problems, are kept out of
// line: `read_target` runs on every event and would otherwise compile them all (engine.rs says why).
#[inline(never)]
fn role(node: &Node, field: &str) -> Result<Role, Vec<Diagnostic>> {
    node.as_str()
        .and_then(Role::parse)
        .filter(|r| *r != Role::None)
        .ok_or_else(|| vec![expected(node, field, &format!("a role: {}", Role::NAMES.join(", ")))])
}

/// A target's fields, with the legacy `deployments: [...]` entry's folded in.
#[inline(never)]
fn read_target(name: String, pos: Pos, fields: Vec<(Node, Node)>, errors: &mut Vec<Diagnostic>) -> Option<Target> {
    let before = errors.len();
    let mut fields = checked_keys(fields, TARGET_KEYS, &format!("in target `{name}`"), errors);
    if let Some(at) = fields.iter().position(|(key, _)| key.as_str() == Some("deployments")) {
        let (key, list) = fields.remove(at);
        fields.extend(legacy_entry(&name, key, list, &fields, errors));
    }
    let mut target = Target {
        name,
        pos,
        auto_deploy_on: None,
        environment: Template::literal("production", pos),
        task: Template::literal("deploy", pos),
        description: None,
        payload: Vec::new(),
        // GitHub's default is to merge the default branch into the ref first; deploying something
        // other than what was pushed surprises people, so Deliverybot's default is off.
        auto_merge: false,
        required_contexts: Vec::new(),
        transient_environment: None,
        production_environment: None,
        allow_forks: false,
        allow_drafts: false,
        permission: Role::Read,
    };
    for (key, value) in fields {
        let field = key.as_str().unwrap_or_default();
        if matches!(value.value, Value::Null) {
            // `environment:` with nothing after it leaves the default, as the schema allows.
            continue;
        }
        let result = match field {
            "auto_deploy_on" => trigger(&value).map(|t| target.auto_deploy_on = Some(t)),
            "environment" => template(&value, field, Place::Environment).map(|t| target.environment = t),
            "task" => template(&value, field, Place::Other).map(|t| target.task = t),
            "description" => template(&value, field, Place::Other).map(|t| target.description = Some(t)),
            "payload" => match value.value {
                Value::Map(entries) => payload_map(entries).map(|p| target.payload = p),
                Value::Null => Ok(()),
                _ => Err(vec![expected(&value, field, "a map, like `payload: { region: eu }`")]),
            },
            "auto_merge" => boolean(&value, field).map(|b| target.auto_merge = b),
            "required_contexts" => strings(&value, field).map(|list| target.required_contexts = list),
            "transient_environment" => boolean(&value, field).map(|b| target.transient_environment = Some(b)),
            "production_environment" => boolean(&value, field).map(|b| target.production_environment = Some(b)),
            "allow_forks" => boolean(&value, field).map(|b| target.allow_forks = b),
            "allow_drafts" => boolean(&value, field).map(|b| target.allow_drafts = b),
            "permission" => role(&value, field).map(|r| target.permission = r),
            _ => unreachable!("checked_keys keeps known keys only"),
        };
        if let Err(found) = result {
            errors.extend(found);
        }
    }
    (errors.len() == before).then_some(target)
}

/// Keeps the known keys; every unknown one is an error with the closest known key.
fn checked_keys(fields: Vec<(Node, Node)>, known: &[&str], place: &str, errors: &mut Vec<Diagnostic>) -> Vec<(Node, Node)> {
    let mut kept = Vec::with_capacity(fields.len());
    for (key, value) in fields {
        if key.as_str().is_some_and(|k| known.contains(&k)) {
            kept.push((key, value));
        } else {
            errors.push(unknown_key(&key, known, place));
        }
    }
    kept
}

/// The original's legacy form: `deployments: [ { environment: ..., ... } ]` inside a target. The
/// entry's keys all apply (the original dropped some of them silently); more than one entry is an
/// error, as a target is one deployment.
#[inline(never)]
fn legacy_entry(target: &str, key: Node, list: Node, fields: &[(Node, Node)], errors: &mut Vec<Diagnostic>) -> Vec<(Node, Node)> {
    let items = match list.value {
        Value::Seq(items) => items,
        _ => {
            errors.push(expected(&list, "deployments", "a list with one entry (the legacy form)"));
            return Vec::new();
        }
    };
    if items.len() > 1 {
        errors.push(Diagnostic::at(
            items[1].pos,
            format!(
                "target `{target}` lists {} deployments; a target is one deployment. Make each entry a target of its own (for example `{target}-{}:`), with its keys directly under the target name",
                items.len(),
                2
            ),
        ));
        return Vec::new();
    }
    let Some(entry) = items.into_iter().next() else {
        errors.push(Diagnostic::at(key.pos, "`deployments` is empty; remove it, and put the deployment's keys directly under the target"));
        return Vec::new();
    };
    let entry_fields = match entry.value {
        Value::Map(entries) => entries,
        _ => {
            errors.push(expected(&entry, "deployments", "a list of maps (the legacy form)"));
            return Vec::new();
        }
    };
    checked_keys(entry_fields, LEGACY_KEYS, "in a `deployments` entry", errors)
        .into_iter()
        .filter(|(entry_key, _)| {
            let name = entry_key.as_str().unwrap_or_default();
            let clash = fields.iter().any(|(k, _)| k.as_str() == Some(name));
            if clash {
                errors.push(Diagnostic::at(entry_key.pos, format!("`{name}` is set both on target `{target}` and in its `deployments` entry; keep one")));
            }
            !clash
        })
        .collect()
}

#[inline(never)]
fn unknown_key(key: &Node, known: &[&str], place: &str) -> Diagnostic {
    let Some(name) = key.as_str() else {
        return Diagnostic::at(key.pos, format!("keys are text; this is {}", key.describe()));
    };
    let message = match closest(name, known) {
        Some(guess) => format!("unknown key `{name}` {place}; did you mean `{guess}`?"),
        None => format!("unknown key `{name}` {place}; the keys are {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")),
    };
    Diagnostic::at(key.pos, message)
}

#[inline(never)]
fn expected(node: &Node, field: &str, what: &str) -> Diagnostic {
    Diagnostic::at(node.pos, format!("`{field}` must be {what}; this is {}", node.describe()))
}

#[inline(never)]
fn boolean(node: &Node, field: &str) -> Result<bool, Vec<Diagnostic>> {
    match node.value {
        Value::Bool(b) => Ok(b),
        _ => Err(vec![expected(node, field, "true or false")]),
    }
}

#[inline(never)]
fn strings(node: &Node, field: &str) -> Result<Vec<String>, Vec<Diagnostic>> {
    let want = "a list of check names, like `[ci, security]`";
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_string).ok_or_else(|| vec![expected(item, field, want)]))
            .collect(),
        _ => Err(vec![expected(node, field, want)]),
    }
}

fn text<'n>(node: &'n Node, field: &str) -> Result<&'n Text, Vec<Diagnostic>> {
    match &node.value {
        Value::Str(text) => Ok(text),
        _ => Err(vec![expected(node, field, "text")]),
    }
}

#[inline(never)]
fn empty(pos: Pos, field: &str) -> Diagnostic {
    Diagnostic::at(pos, format!("`{field}` cannot be empty"))
}

fn template(node: &Node, field: &str, place: Place) -> Result<Template, Vec<Diagnostic>> {
    let text = text(node, field)?;
    if text.value.trim().is_empty() {
        return Err(vec![empty(node.pos, field)]);
    }
    Template::compile(&text.value, node.pos, text.verbatim_at, place)
}

fn trigger(node: &Node) -> Result<Trigger, Vec<Diagnostic>> {
    let pattern = &text(node, "auto_deploy_on")?.value;
    if pattern == "pr" {
        return Ok(Trigger::PullRequest);
    }
    if pattern.starts_with("refs/") {
        return Ok(Trigger::Ref(pattern.clone()));
    }
    Err(vec![not_a_ref(node.pos, pattern)])
}

#[inline(never)]
fn not_a_ref(pos: Pos, pattern: &str) -> Diagnostic {
    let hint = if pattern.starts_with('v') || pattern.contains('.') { "tags/" } else { "heads/" };
    Diagnostic::at(pos, format!("`auto_deploy_on` is a full ref (like `refs/{hint}{pattern}`) or `pr`; `{pattern}` would never match"))
}

#[inline(never)]
fn payload_map(entries: Vec<(Node, Node)>) -> Result<Vec<(Template, Payload)>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (key, value) in entries {
        let key = match &key.value {
            Value::Str(text) => Template::compile(&text.value, key.pos, text.verbatim_at, Place::Other),
            // JSON object keys are text: a number key becomes its text, as in JSON.
            Value::Int(i) => Ok(Template::literal(&i.to_string(), key.pos)),
            _ => Err(vec![Diagnostic::at(key.pos, format!("payload keys are text; this is {}", key.describe()))]),
        };
        match (key, payload(value)) {
            (Ok(key), Ok(value)) => out.push((key, value)),
            (key, value) => errors.extend(key.err().into_iter().chain(value.err()).flatten()),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

fn payload(node: Node) -> Result<Payload, Vec<Diagnostic>> {
    Ok(match node.value {
        Value::Null => Payload::Null,
        Value::Bool(b) => Payload::Bool(b),
        Value::Int(i) => Payload::Number(i.into()),
        Value::Float(x) => match serde_json::Number::from_f64(x) {
            Some(number) => Payload::Number(number),
            None => return Err(vec![Diagnostic::at(node.pos, "payload numbers must be finite (JSON has no .inf or .nan)")]),
        },
        Value::Str(text) => Payload::Text(Template::compile(&text.value, node.pos, text.verbatim_at, Place::Other)?),
        Value::Seq(items) => {
            let (ok, errors): (Vec<_>, Vec<_>) = items.into_iter().map(payload).partition(Result::is_ok);
            if !errors.is_empty() {
                return Err(errors.into_iter().flat_map(Result::unwrap_err).collect());
            }
            Payload::List(ok.into_iter().map(Result::unwrap).collect())
        }
        Value::Map(entries) => Payload::Map(payload_map(entries)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        Config::parse(text).unwrap_err().into_iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn targets_keep_file_order_and_defaults() {
        let config = Config::parse("staging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\nproduction:\n").unwrap();
        let names: Vec<_> = config.targets.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["staging", "production"]);
        let production = config.target("production").unwrap();
        assert_eq!(production.environment, Template::literal("production", Pos { line: 4, column: 1 }));
        assert_eq!(production.task, Template::literal("deploy", Pos { line: 4, column: 1 }));
        assert_eq!(production.auto_deploy_on, None);
        assert!(!production.auto_merge);
        assert!(production.required_contexts.is_empty());
        assert!(production.payload.is_empty());
        assert_eq!(production.description, None);
        assert_eq!((production.transient_environment, production.production_environment), (None, None));
    }

    #[test]
    fn every_key_is_read() {
        let text = "\
canary:
  auto_deploy_on: refs/heads/main
  environment: prod-canary
  task: deploy:canary
  description: Canary rollout
  payload:
    weight: 10
    regions: [eu, us]
  auto_merge: true
  required_contexts: [ci, security]
  transient_environment: true
  production_environment: false
review:
  auto_deploy_on: pr
";
        let config = Config::parse(text).unwrap();
        let canary = &config.targets[0];
        assert_eq!(canary.auto_deploy_on, Some(Trigger::Ref("refs/heads/main".into())));
        assert_eq!(canary.environment, Template::literal("prod-canary", Pos { line: 3, column: 16 }));
        assert_eq!(canary.task, Template::literal("deploy:canary", Pos { line: 4, column: 9 }));
        assert!(canary.description.is_some());
        assert_eq!(canary.payload.len(), 2);
        assert!(canary.auto_merge);
        assert_eq!(canary.required_contexts, ["ci", "security"]);
        assert_eq!((canary.transient_environment, canary.production_environment), (Some(true), Some(false)));
        assert_eq!(config.targets[1].auto_deploy_on, Some(Trigger::PullRequest));
    }

    #[test]
    fn an_empty_file_has_no_targets() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
        assert_eq!(Config::parse("# nothing yet\n").unwrap(), Config::default());
    }

    #[test]
    fn every_problem_is_reported_with_its_position() {
        let text = "\
staging:
  enviroment: staging
  auto_merge: sometimes
production:
  required_contexts: ci
  auto_deploy_on: main
  colour: blue
";
        assert_eq!(
            errors(text),
            [
                "2:3: unknown key `enviroment` in target `staging`; did you mean `environment`?",
                "3:15: `auto_merge` must be true or false; this is the string \"sometimes\"",
                "5:22: `required_contexts` must be a list of check names, like `[ci, security]`; this is the string \"ci\"",
                "6:19: `auto_deploy_on` is a full ref (like `refs/heads/main`) or `pr`; `main` would never match",
                "7:3: unknown key `colour` in target `production`; the keys are `auto_deploy_on`, `environment`, `task`, `description`, `payload`, `auto_merge`, `required_contexts`, `transient_environment`, `production_environment`, `deployments`, `allow_forks`, `allow_drafts`, `permission`",
            ]
        );
    }

    #[test]
    fn shapes_that_are_not_a_config_say_what_they_are() {
        assert_eq!(errors("- staging\n"), ["1:1: a config is a map of target names to targets, like `staging: { environment: staging }`; this is a list"]);
        assert_eq!(errors("staging: yes\n"), ["1:10: target `staging` is a map of settings (or empty); this is the string \"yes\""]);
        assert_eq!(errors("1: {}\n"), ["1:1: a target name is text; this is the number 1"]);
        assert_eq!(errors("a:\n  environment: ''\n"), ["2:16: `environment` cannot be empty"]);
    }

    #[test]
    fn templates_are_checked_when_the_config_is_read() {
        assert_eq!(
            errors("review:\n  environment: pr-${{ prr }}\n  payload:\n    ${{ sha }}: ${{ bad name }}\n"),
            [
                "2:19: in `${{ prr }}`: unknown variable `prr`; did you mean `pr`?",
                "4:17: in `${{ bad name }}`: `bad name` is not a variable name; variables are ref, branch, tag, sha, short_sha, target, environment, owner, repo, actor, event, run_id, pr, pull_request, commit",
            ]
        );
    }

    #[test]
    fn the_legacy_deployments_list_applies_all_its_keys() {
        let text = "\
production:
  auto_deploy_on: refs/heads/main
  deployments:
    - environment: prod
      required_contexts: [ci]
      transient_environment: true
      production_environment: true
      payload: { a: 1 }
";
        let target = Config::parse(text).unwrap().targets.remove(0);
        assert_eq!(target.environment, Template::literal("prod", Pos { line: 4, column: 20 }));
        assert_eq!(target.required_contexts, ["ci"]);
        assert_eq!((target.transient_environment, target.production_environment), (Some(true), Some(true)));
        assert_eq!(target.payload.len(), 1);
    }

    #[test]
    fn the_legacy_form_with_several_entries_explains_the_modern_form() {
        let text = "web:\n  deployments:\n    - environment: a\n    - environment: b\n";
        assert_eq!(
            errors(text),
            ["4:7: target `web` lists 2 deployments; a target is one deployment. Make each entry a target of its own (for example `web-2:`), with its keys directly under the target name"]
        );
        assert_eq!(
            errors("web:\n  environment: x\n  deployments:\n    - environment: y\n      tsk: deploy\n"),
            [
                "4:7: `environment` is set both on target `web` and in its `deployments` entry; keep one",
                "5:7: unknown key `tsk` in a `deployments` entry; did you mean `task`?",
            ]
        );
    }

    #[test]
    fn a_key_without_a_value_keeps_its_default() {
        let target = Config::parse("web:\n  environment:\n  auto_merge: ~\n").unwrap().targets.remove(0);
        assert_eq!(target.environment, Template::literal("production", Pos { line: 1, column: 1 }));
        assert!(!target.auto_merge);
    }

    #[test]
    fn keys_starting_with_a_dot_hold_shared_settings_and_are_not_targets() {
        let text = ".defaults: &defaults\n  task: ship\n  colour: any\nweb:\n  <<: *defaults\n  environment: web\n";
        let err = errors(text);
        assert_eq!(err, ["3:3: unknown key `colour` in target `web`; the keys are `auto_deploy_on`, `environment`, `task`, `description`, `payload`, `auto_merge`, `required_contexts`, `transient_environment`, `production_environment`, `deployments`, `allow_forks`, `allow_drafts`, `permission`"]);
        let config = Config::parse(".defaults: &d\n  task: ship\nweb:\n  <<: *d\n").unwrap();
        assert_eq!(config.targets.len(), 1);
        assert_eq!(config.targets[0].task, Template::literal("ship", Pos { line: 2, column: 9 }));
    }

    #[test]
    fn commands_settings_set_roles_and_a_default_target() {
        let config = Config::parse("settings:\n  commands:\n    default_target: review\n    deploy: maintain\n    force: admin\nreview:\nproduction:\n  permission: admin\n").unwrap();
        assert_eq!(config.settings.commands.default_target.as_deref(), Some("review"));
        assert_eq!(config.settings.commands.deploy, Role::Maintain);
        assert_eq!(config.settings.commands.lock, Role::Write);
        assert_eq!(config.target("production").unwrap().permission, Role::Admin);
        assert_eq!(
            errors("settings:\n  commands:\n    deploy: everyone\n    default_target: nope\n"),
            ["`settings.commands.default_target` is `nope`, which is not a target", "3:13: `deploy` must be a role: read, triage, write, maintain, admin; this is the string \"everyone\""]
        );
    }

    #[test]
    fn the_settings_key_is_reserved() {
        assert_eq!(Config::parse("settings:\nweb:\n").unwrap().targets.len(), 1);
        assert_eq!(errors("settings:\n  dispatchh: deploy.yml\n"), ["2:3: unknown key `dispatchh` in `settings`; did you mean `dispatch`?"]);
        assert_eq!(Config::parse("settings:\n  dispatch: deploy.yml\n").unwrap().settings.dispatch.as_deref(), Some("deploy.yml"));
        assert_eq!(errors("settings:\n  dispatch: [a]\n"), ["2:13: `dispatch` must be a workflow file name, like `deploy.yml`; this is a list"]);
    }

    #[test]
    fn yaml_problems_come_through_with_their_position() {
        assert_eq!(errors("a: 1\na: 2\n"), ["2:1: `a` is set twice in this map"]);
        assert!(errors("a: [\n")[0].contains("invalid YAML"));
    }
}
