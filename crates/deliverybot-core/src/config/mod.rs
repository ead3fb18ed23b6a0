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
//! This module is the config's model. `Config::parse` (in `read`) builds it from the YAML tree and
//! reports every problem at once, each at its line and column, with a suggestion where one is
//! likely (`enviroment` → `environment`): `keys` checks the keys, `legacy` folds in the original's
//! `deployments:` list, `settings` reads the `settings:` section and `value` the value of each key.
//!
//! What the original Deliverybot accepted is accepted here too, and read as it read it: an unknown
//! key is ignored, and of a legacy `deployments:` list the first entry is used. Each such thing is a
//! warning in [`Config::warnings`] rather than an error, so a config written for the original keeps
//! working while its author is told what is ignored.

pub(crate) mod duration;
pub(crate) mod freeze;
pub(crate) mod keys;
mod legacy;
mod params;
pub(crate) mod pipeline;
mod paths;
mod read;
mod settings;
mod value;

use crate::diagnostic::{Diagnostic, Pos};
use crate::params::Params;
#[cfg(all(test, feature = "schema"))]
pub(crate) use params::PARAM_KEYS;
use crate::template::{Template, Var};
use std::fmt;
use std::time::Duration;

pub use freeze::{Span, WeekTime, Window, WEEKDAYS};
pub use paths::Paths;

/// A config, every target with its defaults applied.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    pub targets: Vec<Target>,
    pub settings: Settings,
    /// What is ignored, in file order, each at its position: the config is read without it.
    pub warnings: Vec<Diagnostic>,
}

/// What is not about one target.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    /// A workflow (file name or id) to start with `workflow_dispatch` for each deployment created,
    /// with the input `deployment_id`: the hand-off that works with the default `GITHUB_TOKEN`.
    pub dispatch: Option<String>,
    pub commands: Commands,
    /// Windows when no target deploys (each target may add its own).
    pub freeze: Vec<Window>,
    /// A deployment of Deliverybot's still unfinished this long after its last status is marked
    /// `error` by a later run; `None`: never.
    pub stuck_after: Option<Duration>,
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
    /// `paths`, `paths_ignore`: the files whose changes deploy the target automatically.
    pub paths: Paths,
    /// The parameters a deploy by hand may give (`params:`), or any, as text.
    pub params: Params,
    /// `after: staging`: a commit deploys here automatically only once it succeeded there.
    pub after: Option<After>,
    /// `serialize: true`: no new deployment while the environment has one in progress.
    pub serialize: bool,
    /// Windows when this target does not deploy, besides `settings.freeze`.
    pub freeze: Vec<Window>,
}

/// A promotion: the target whose environment a commit must have succeeded in first, and how long
/// that success must be old (`soak`).
#[derive(Debug, Clone, PartialEq)]
pub struct After {
    pub target: String,
    pub soak: Option<Duration>,
    /// Where `after` is written.
    pub pos: Pos,
}

impl Target {
    /// The freeze windows that hold this target: the settings' and its own.
    pub fn freeze_windows<'a>(&'a self, settings: &'a Settings) -> impl Iterator<Item = &'a Window> {
        settings.freeze.iter().chain(&self.freeze)
    }

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

/// A character an environment or a task may not contain, as written in the config or as rendered:
/// a control character (Unicode's Cc: C0, DEL and C1, U+0085 NEXT LINE among them) or the line and
/// paragraph separators (U+2028, U+2029). Together these are every character Unicode says ends a
/// line, so both values stay one line wherever they go: a log line, the job summary, and the deploy
/// workflow that reads them from the deployment. Shell syntax (`$(...)`, backticks, `;`) is not
/// refused: GitHub documents no rule for an environment name's characters beyond its length, a task
/// is free text, and a deploy workflow keeps any value out of its shell's syntax by passing it
/// through `env:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlCharacter(pub char);

impl ControlCharacter {
    /// The first one in `text`, with its index in characters.
    pub fn find(text: &str) -> Option<(usize, ControlCharacter)> {
        text.chars().enumerate().find(|(_, c)| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')).map(|(i, c)| (i, ControlCharacter(c)))
    }
}

/// `a line feed (U+000A)`, `the control character U+001B`.
impl fmt::Display for ControlCharacter {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let code = self.0 as u32;
        let name = match self.0 {
            '\t' => "a tab",
            '\n' => "a line feed",
            '\r' => "a carriage return",
            '\u{85}' => "a next line",
            '\u{2028}' => "a line separator",
            '\u{2029}' => "a paragraph separator",
            _ => return write!(f, "the control character U+{code:04X}"),
        };
        write!(f, "{name} (U+{code:04X})")
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
    pub fn target(&self, name: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.name == name)
    }
}

/// A config's problems as `line:column: message`, for the tests of each part of the reader.
#[cfg(test)]
fn errors(text: &str) -> Vec<String> {
    Config::parse(text).unwrap_err().into_iter().map(|d| d.to_string()).collect()
}

/// One character of each class [`ControlCharacter`] finds (C0, DEL, C1, the separators), as text
/// from outside (a pull request title, a commit message, a fork's branch name) can carry it, and
/// how messages name it: for the tests of the config and of rendering.
#[cfg(test)]
pub(crate) const CONTROLS: &[(char, &str)] = &[
    ('\0', "the control character U+0000"),
    ('\t', "a tab (U+0009)"),
    ('\n', "a line feed (U+000A)"),
    ('\u{b}', "the control character U+000B"),
    ('\u{c}', "the control character U+000C"),
    ('\r', "a carriage return (U+000D)"),
    ('\u{1b}', "the control character U+001B"),
    ('\u{7f}', "the control character U+007F"),
    ('\u{80}', "the control character U+0080"),
    ('\u{85}', "a next line (U+0085)"),
    ('\u{9b}', "the control character U+009B"),
    ('\u{9f}', "the control character U+009F"),
    ('\u{2028}', "a line separator (U+2028)"),
    ('\u{2029}', "a paragraph separator (U+2029)"),
];

/// A valid config's warnings as `line:column: message`, for the same tests.
#[cfg(test)]
fn warnings(text: &str) -> Vec<String> {
    Config::parse(text).unwrap_or_else(|e| panic!("{e:?}")).warnings.iter().map(|d| d.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_as_they_are_named() {
        for role in [Role::None, Role::Read, Role::Triage, Role::Write, Role::Maintain, Role::Admin] {
            assert_eq!(Role::parse(role.name()), Some(role));
        }
        assert_eq!(Role::NAMES.iter().map(|name| Role::parse(name).unwrap()).collect::<Vec<_>>(), [Role::Read, Role::Triage, Role::Write, Role::Maintain, Role::Admin]);
        assert!(Role::Read < Role::Write && Role::Write < Role::Admin, "from least to most access");
        assert_eq!(Role::parse("owner"), None);
    }

    #[test]
    fn control_characters_are_those_that_end_a_line_or_control_a_terminal() {
        for &(control, named) in CONTROLS {
            assert_eq!(ControlCharacter::find(&format!("ab{control}c{control}")), Some((2, ControlCharacter(control))));
            assert_eq!(ControlCharacter(control).to_string(), named);
        }
        // Shell syntax, spaces beyond ASCII, format characters (U+200B, U+202E) are text.
        assert_eq!(ControlCharacter::find("staging-eu $(x) `y`; Île-de-France\u{a0}\u{3000}\u{2027}\u{200b}\u{202e}\u{fffd}"), None);
    }

    #[test]
    fn a_target_tells_which_variables_its_templates_use() {
        let config = Config::parse("web:\n  environment: pr-${{ pr }}\n  payload:\n    notes: [\"${{ commit.message }}\"]\napi:\n").unwrap();
        let commit = |var: &Var| matches!(var, Var::Commit(_));
        assert!(config.target("web").unwrap().uses(&commit));
        assert!(!config.target("api").unwrap().uses(&commit));
        assert!(config.target("web").unwrap().uses(&|var| *var == Var::Named("pr")));
    }
}
