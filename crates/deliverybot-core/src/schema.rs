//! The JSON Schema of `deploy.yml`, generated from these types (`scripts/schema.sh` writes
//! `schema/deploy.schema.json`). Editors use it through yaml-language-server to complete and check
//! the file. The validator in `config/` reads the same language with positions; a test keeps the
//! two in step, key for key.

use schemars::JsonSchema;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Deliverybot's `.github/deploy.yml`: a map of target name to target.
#[derive(JsonSchema)]
#[schemars(title = "Deliverybot deploy.yml")]
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
    dispatch: Option<String>,
    /// Pull request commands (`/deploy`, `/lock`, `/unlock`, `/promote`, `/help`).
    commands: Option<CommandsSpec>,
    /// Windows when no target deploys automatically or by a plain `/deploy`; an admin's
    /// `/deploy <target> --force` still does. Each target may add its own.
    freeze: Option<Vec<WindowSpec>>,
    /// Mark a deployment Deliverybot created `error` once it is still `queued`, `pending` or
    /// `in_progress` this long after its last status: `30m`, `2h`, `1d`. Swept by schedules and
    /// `deployment_status` events.
    #[schemars(regex(pattern = r"^[0-9]+[smhd]$"))]
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
    default_target: Option<String>,
    deploy: Option<RoleSpec>,
    /// `/deploy <target> --force`, which skips the required checks.
    force: Option<RoleSpec>,
    lock: Option<RoleSpec>,
    unlock: Option<RoleSpec>,
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
    auto_deploy_on: Option<String>,
    #[serde(flatten)]
    deployment: DeploymentSpec,
    /// The legacy form of the original Deliverybot: one entry whose keys apply to the target. Of
    /// more entries, Deliverybot uses the first and warns, as the original ignored the others.
    #[schemars(length(max = 1))]
    deployments: Option<Vec<DeploymentSpec>>,
    /// Deploy pull requests from forks automatically. Default `false`: a fork's code is not the
    /// repository's.
    allow_forks: Option<bool>,
    /// Deploy draft pull requests automatically. Default `false`.
    allow_drafts: Option<bool>,
    /// The least role to `/deploy` or `/promote` this target, on top of the command's own.
    permission: Option<RoleSpec>,
    /// Windows when this target does not deploy, besides `settings.freeze`.
    freeze: Option<Vec<WindowSpec>>,
}

/// The deployment a target creates. Text may use `${{ expression }}` templates.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct DeploymentSpec {
    /// The deployment's environment (default `production`). A template, like `pr${{ pr }}`.
    #[schemars(length(min = 1))]
    environment: Option<String>,
    /// The deployment's task (default `deploy`). A template.
    #[schemars(length(min = 1))]
    task: Option<String>,
    /// Shown with the deployment; cut to 140 characters. A template. Default: `Deploy <ref> (<sha>)`.
    description: Option<String>,
    /// Data for the deploy workflow (`github.event.deployment.payload`); templates in keys and text
    /// values. `target` and `deliverybot` are added unless set here.
    payload: Option<Map<String, Value>>,
    /// Let GitHub merge the default branch into the ref before deploying. Default `false`.
    auto_merge: Option<bool>,
    /// Checks that must be green on the commit before it deploys. Default `[]`.
    required_contexts: Option<Vec<String>>,
    /// Whether the environment goes away (review apps). Sent only when set.
    transient_environment: Option<bool>,
    /// Whether this is a production environment. Sent only when set.
    production_environment: Option<bool>,
}

/// The schema as pretty JSON, as committed in `schema/deploy.schema.json`.
pub fn json() -> String {
    let schema = schemars::schema_for!(ConfigSpec);
    format!("{}\n", serde_json::to_string_pretty(&schema).expect("a schema is JSON"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::freeze::WINDOW_KEYS;
    use crate::config::keys::{COMMANDS_KEYS, LEGACY_KEYS, SETTINGS_KEYS, SETTINGS_KEY, TARGET_KEYS};
    use std::collections::BTreeSet;

    fn keys(schema: &Value, pointer: &str) -> BTreeSet<String> {
        schema.pointer(pointer).and_then(Value::as_object).map(|o| o.keys().cloned().collect()).unwrap_or_default()
    }

    #[test]
    fn the_schema_has_the_keys_the_validator_knows() {
        let schema: Value = serde_json::from_str(&json()).unwrap();
        let set = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        let deployment = keys(&schema, "/$defs/DeploymentSpec/properties");
        let target: BTreeSet<_> = keys(&schema, "/$defs/TargetSpec/properties").union(&deployment).cloned().collect();
        assert_eq!(target, set(TARGET_KEYS));
        assert_eq!(deployment, set(LEGACY_KEYS));
        assert_eq!(keys(&schema, "/$defs/SettingsSpec/properties"), set(SETTINGS_KEYS));
        assert_eq!(keys(&schema, "/$defs/CommandsSpec/properties"), set(COMMANDS_KEYS));
        assert_eq!(keys(&schema, "/$defs/WindowSpec/properties"), set(WINDOW_KEYS));
        assert_eq!(keys(&schema, "/properties"), set(&[SETTINGS_KEY]));
    }

    #[test]
    fn the_committed_schema_is_up_to_date() {
        let committed = include_str!("../../../schema/deploy.schema.json");
        assert!(committed == json(), "schema/deploy.schema.json is stale: run scripts/schema.sh");
    }
}
