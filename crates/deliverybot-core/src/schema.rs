//! The JSON Schema of `deploy.yml`, generated from these types (`scripts/schema.sh` writes
//! `schema/deploy.schema.json`). Editors use it through yaml-language-server to complete and check
//! the file. The validator in `config/` reads the same language with positions; a test keeps the
//! two in step, key for key.
//!
//! It is written as SchemaStore asks of a catalogue entry: draft-07 (what most editors' validators
//! implement), an `$id` at the URL the `v1` tag serves, a `default` where Deliverybot has one,
//! `examples`, and descriptions on one line (doc comments wrap; editors show a hard break as one).

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Where the `v1` tag serves the schema: the `$id`, and the README's yaml-language-server modeline.
pub const ID: &str = "https://raw.githubusercontent.com/deliverybot/deliverybot/v1/schema/deploy.schema.json";

/// Deliverybot's `.github/deploy.yml`: a map of target name to target.
#[derive(JsonSchema)]
#[schemars(title = "Deliverybot deploy.yml")]
#[schemars(example = config_example())]
// Keys starting with `.` hold YAML anchors for targets to merge in; they are not targets.
#[schemars(extend("patternProperties" = { "^\\.": {} }))]
#[allow(dead_code)]
pub struct ConfigSpec {
    /// Settings that are not about one target (the one top-level key that is not a target).
    settings: Option<SettingsSpec>,
    /// Every other key is a target: its name is what `/deploy <target>` uses, and what the
    /// deployment's `payload.target` says.
    #[serde(flatten)]
    targets: BTreeMap<String, Option<TargetSpec>>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SettingsSpec {
    /// A workflow (file name, like `deploy.yml`, or id) to start with `workflow_dispatch` for each
    /// deployment created, with the input `deployment_id`.
    #[schemars(example = &"deploy.yml")]
    dispatch: Option<String>,
    /// Pull request commands (`/deploy`, `/lock`, `/unlock`, `/promote`, `/help`).
    commands: Option<CommandsSpec>,
    /// Windows when no target deploys, automatically, by a dispatch or by a plain `/deploy`; an
    /// admin's `/deploy <target> --force`, or a dispatch of theirs with `force`, still does. Each
    /// target may add its own.
    freeze: Option<Vec<WindowSpec>>,
    /// Mark a deployment Deliverybot created `error` once it is still `queued`, `pending` or
    /// `in_progress` this long after its last status: `30m`, `2h`, `1d`. Swept by schedules and by
    /// `deployment_status` events that end a deployment.
    #[schemars(regex(pattern = crate::config::duration::DURATION_PATTERN))]
    stuck_after: Option<String>,
}

/// A freeze window: weekly (`from: "Fri 18:00"`, `to: "Mon 06:00"`) or dated (`from: 2026-12-24`,
/// `to: 2026-12-26`, both days included; or `"2026-12-24 18:00"`), in an IANA time zone.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct WindowSpec {
    /// Where the window starts: `Fri 18:00`, `2026-12-24` or `2026-12-24 18:00`.
    #[schemars(regex(pattern = r"^([A-Za-z]+ [0-9]{1,2}:[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{1,2}:[0-9]{2})?)$"))]
    from: String,
    /// Where it ends: the same forms as `from` (a date alone includes that day).
    #[schemars(regex(pattern = r"^([A-Za-z]+ [0-9]{1,2}:[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{1,2}:[0-9]{2})?)$"))]
    to: String,
    /// An IANA time zone, like `Europe/Berlin` or `UTC`.
    timezone: String,
}

/// The least repository role for each command (default `write`; `force` default `admin`).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct CommandsSpec {
    /// The target of a bare `/deploy`.
    #[schemars(example = &"staging")]
    default_target: Option<String>,
    /// `/deploy <target>`.
    #[schemars(extend("default" = "write"))]
    deploy: Option<RoleSpec>,
    /// `/deploy <target> --force`, which skips the required checks.
    #[schemars(extend("default" = "admin"))]
    force: Option<RoleSpec>,
    /// `/lock <environment or target> [reason]`.
    #[schemars(extend("default" = "write"))]
    lock: Option<RoleSpec>,
    /// `/unlock <environment or target>`.
    #[schemars(extend("default" = "write"))]
    unlock: Option<RoleSpec>,
    /// `/promote [target]`.
    #[schemars(extend("default" = "write"))]
    promote: Option<RoleSpec>,
}

/// A repository role.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum RoleSpec {
    Read,
    Triage,
    Write,
    Maintain,
    Admin,
}

/// A deploy target. Every key is optional: a target with no keys is deployed on request only.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct TargetSpec {
    /// What deploys this target automatically: a full ref (`refs/heads/main`), a prefix ending in
    /// `*` (`refs/tags/v*`: everything from the `*` on matches), or `pr` for every pull request. A
    /// pattern that can select pull requests' refs (`refs/pull/*`, `refs/*`) is refused: use `pr`.
    #[schemars(regex(pattern = r"^(pr|refs/.*)$"))]
    #[schemars(example = &"refs/heads/main", example = &"refs/tags/v*", example = &"pr")]
    auto_deploy_on: Option<String>,
    #[serde(flatten)]
    deployment: DeploymentSpec,
    /// The legacy form of the original Deliverybot: one entry whose keys apply to the target. Of
    /// more entries, Deliverybot uses the first and warns, as the original ignored the others.
    #[schemars(length(max = 1))]
    deployments: Option<Vec<DeploymentSpec>>,
    /// Deploy pull requests from forks automatically. Default `false`: a fork's code is not the
    /// repository's.
    #[schemars(extend("default" = false))]
    allow_forks: Option<bool>,
    /// Deploy draft pull requests automatically. Default `false`.
    #[schemars(extend("default" = false))]
    allow_drafts: Option<bool>,
    /// The least role to `/deploy` or `/promote` this target, on top of the command's own.
    #[schemars(extend("default" = "read"))]
    permission: Option<RoleSpec>,
    /// Deploy automatically only when one of these files changed since the commit this target last
    /// deployed to its environment. GitHub's filter patterns, as in a workflow's `on.push.paths`:
    /// `*` (not `/`), `**` (anything; `**/` also no directory), `?` and `+` (zero or one, one or
    /// more of the character before), `[a-z0-9]`, and `!` first to leave files out again.
    #[schemars(length(min = 1))]
    paths: Option<Vec<String>>,
    /// Files whose changes never deploy this target automatically, even when `paths` names them.
    /// Same patterns as `paths`.
    paths_ignore: Option<Vec<String>>,
    /// A promotion pipeline: deploy a commit of `auto_deploy_on`'s ref automatically only once its
    /// deployment to this other target's environment succeeded; the newest such commit deploys.
    #[schemars(length(min = 1))]
    after: Option<String>,
    /// With `after`: how long that success must be old first, like `30m`, `2h` or `1d`.
    #[schemars(regex(pattern = crate::config::duration::DURATION_PATTERN))]
    soak: Option<String>,
    /// One deploy at a time: no new deployment while the environment has one in progress (queued,
    /// pending or in progress). Default `false`.
    serialize: Option<bool>,
    /// The parameters a deploy by hand may give (`/deploy staging region=eu`, a dispatch's `params`),
    /// which the deployment's payload carries under `params`, as data (never rendered). Without this
    /// key, any parameters are taken as text; with it, these only, and their defaults fill in.
    #[schemars(extend("propertyNames" = { "pattern": "^[A-Za-z_][A-Za-z0-9_.-]*$", "maxLength": 64 }, "maxProperties" = 20))]
    params: Option<BTreeMap<String, Option<ParamSpec>>>,
    /// Windows when this target does not deploy, besides `settings.freeze`.
    freeze: Option<Vec<WindowSpec>>,
}

/// A parameter of a deploy by hand. Alone (`region:`), any text.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ParamSpec {
    /// The value's type (default `string`).
    #[serde(rename = "type")]
    kind: Option<ParamType>,
    /// The values allowed, of the type.
    #[serde(rename = "enum")]
    #[schemars(length(min = 1))]
    allowed: Option<Vec<ParamValue>>,
    /// A deploy without it is refused (not with a `default`, nor on a target that deploys
    /// automatically).
    required: Option<bool>,
    /// Its value when a deploy does not give it, automatic deploys included; of the type, and one of
    /// the `enum`.
    default: Option<ParamValue>,
}

/// A parameter's type.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum ParamType {
    String,
    Number,
    Boolean,
}

/// A parameter's value: text, a number or a boolean.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum ParamValue {
    Text(String),
    Number(serde_json::Number),
    Boolean(bool),
}

/// The deployment a target creates. Text may use `${{ expression }}` templates.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct DeploymentSpec {
    /// The deployment's environment (default `production`). A template, like `pr${{ pr }}`.
    #[schemars(length(min = 1), extend("default" = "production"))]
    #[schemars(example = &"staging", example = &"pr${{ pr }}")]
    environment: Option<String>,
    /// The deployment's task (default `deploy`). A template.
    #[schemars(length(min = 1), extend("default" = "deploy"))]
    #[schemars(example = &"deploy:migrations")]
    task: Option<String>,
    /// Shown with the deployment; cut to 140 characters. A template. Default: `Deploy <ref> (<sha>)`.
    #[schemars(example = &"${{ pull_request.title }}")]
    description: Option<String>,
    /// Data for the deploy workflow (`github.event.deployment.payload`); templates in keys and text
    /// values. `target` and `deliverybot` are added unless set here.
    #[schemars(extend("default" = {}), example = json!({ "pr": "${{ pr }}", "team": "web" }))]
    payload: Option<Map<String, Value>>,
    /// Let GitHub merge the default branch into the ref before deploying. Default `false`.
    #[schemars(extend("default" = false))]
    auto_merge: Option<bool>,
    /// Checks that must be green on the commit before it deploys. Default `[]`.
    #[schemars(extend("default" = []), example = json!(["ci", "lint"]))]
    required_contexts: Option<Vec<String>>,
    /// Whether the environment goes away (review apps). Sent only when set.
    transient_environment: Option<bool>,
    /// Whether this is a production environment. Sent only when set.
    production_environment: Option<bool>,
}

/// The schema as pretty JSON, as committed in `schema/deploy.schema.json`.
pub fn json() -> String {
    let generator = SchemaSettings::draft07().with_transform(RecursiveTransform(one_line as fn(&mut Schema))).into_generator();
    let mut schema = generator.into_root_schema_for::<ConfigSpec>();
    // `$id` first, where a reader (and SchemaStore's checks) look for it.
    let fields = schema.as_object_mut().expect("the root schema is an object");
    let mut ordered = Map::from_iter([("$id".to_string(), Value::from(ID))]);
    ordered.append(fields);
    *fields = ordered;
    format!("{}\n", serde_json::to_string_pretty(&schema).expect("a schema is JSON"))
}

/// A description on one line: doc comments wrap at the source's width, which is no place to break.
fn one_line(schema: &mut Schema) {
    if let Some(Value::String(text)) = schema.get_mut("description") {
        *text = text.lines().map(str::trim).filter(|line| !line.is_empty()).collect::<Vec<_>>().join(" ");
    }
}

/// The schema's example: a staging target and a production target behind checks.
fn config_example() -> Value {
    json!({
        "staging": { "auto_deploy_on": "refs/heads/main", "environment": "staging" },
        "production": {
            "auto_deploy_on": "refs/tags/v*",
            "environment": "production",
            "required_contexts": ["ci"],
            "production_environment": true
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::freeze::WINDOW_KEYS;
    use crate::config::keys::{COMMANDS_KEYS, LEGACY_KEYS, SETTINGS_KEYS, SETTINGS_KEY, TARGET_KEYS};
    use crate::config::PARAM_KEYS;
    use std::collections::BTreeSet;

    fn keys(schema: &Value, pointer: &str) -> BTreeSet<String> {
        schema.pointer(pointer).and_then(Value::as_object).map(|o| o.keys().cloned().collect()).unwrap_or_default()
    }

    #[test]
    fn the_schema_has_the_keys_the_validator_knows() {
        let schema: Value = serde_json::from_str(&json()).unwrap();
        let set = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        let deployment = keys(&schema, "/definitions/DeploymentSpec/properties");
        let target: BTreeSet<_> = keys(&schema, "/definitions/TargetSpec/properties").union(&deployment).cloned().collect();
        assert_eq!(target, set(TARGET_KEYS));
        assert_eq!(deployment, set(LEGACY_KEYS));
        assert_eq!(keys(&schema, "/definitions/SettingsSpec/properties"), set(SETTINGS_KEYS));
        assert_eq!(keys(&schema, "/definitions/CommandsSpec/properties"), set(COMMANDS_KEYS));
        assert_eq!(keys(&schema, "/definitions/ParamSpec/properties"), set(PARAM_KEYS));
        assert_eq!(keys(&schema, "/definitions/WindowSpec/properties"), set(WINDOW_KEYS));
        assert_eq!(keys(&schema, "/properties"), set(&[SETTINGS_KEY]));
    }

    #[test]
    fn the_schema_is_draft_07_at_its_id_with_descriptions_on_one_line() {
        let schema: Value = serde_json::from_str(&json()).unwrap();
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        assert_eq!(schema["$id"], ID);
        fn descriptions<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
            match value {
                Value::Object(fields) => fields.iter().for_each(|(key, value)| match value {
                    Value::String(text) if key == "description" => found.push(text),
                    _ => descriptions(value, found),
                }),
                Value::Array(items) => items.iter().for_each(|item| descriptions(item, found)),
                _ => {}
            }
        }
        let mut found = Vec::new();
        descriptions(&schema, &mut found);
        assert!(found.len() > 20);
        assert!(found.iter().any(|text| text.contains("templates in keys and text values")), "a wrapped doc comment, joined");
        assert!(found.iter().all(|text| !text.contains('\n')), "{found:#?}");
    }

    #[test]
    fn the_committed_schema_is_up_to_date() {
        let committed = include_str!("../../../schema/deploy.schema.json");
        assert!(committed == json(), "schema/deploy.schema.json is stale: run scripts/schema.sh");
    }
}
