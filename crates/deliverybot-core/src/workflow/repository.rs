//! The repository's workflow files, read for what triggers need: each workflow's name, the check
//! runs its jobs make, its events with their filters, and whether it runs Deliverybot.

use super::filters::{glob_matches, passes};
use crate::diagnostic::Diagnostic;
use crate::yaml::{self, Node, Value};

/// One workflow file, as far as triggers go.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Workflow {
    /// Its path in the repository (`.github/workflows/ci.yml`).
    pub path: String,
    /// What `workflow_run` calls it: its `name`, or, without one, its path (as GitHub shows it).
    pub name: String,
    /// The check runs its jobs make, one per job.
    pub checks: Vec<CheckName>,
    pub events: Events,
    /// Whether a step runs Deliverybot's rules (`uses: deliverybot/deliverybot@...` without `state`).
    pub runs_deliverybot: bool,
}

/// The name of the check runs a job makes: its `name` (or id), with what expressions, a matrix or
/// a called workflow add to it, each such part matching any text.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckName {
    pub job: String,
    parts: Vec<Part>,
    /// The job's name when its check runs only start with it: a matrix adds ` (values)`, a called
    /// workflow ` / job`; no check run has the bare name.
    pub bare: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Any,
}

impl CheckName {
    /// A job's check name: `name (a, b)` for each combination of a matrix whose values the name does
    /// not use, `name / job` for each job of a called workflow, and `${{ }}` expanded to anything.
    fn of_job(id: &str, job: &Node) -> CheckName {
        let name = field(job, "name").and_then(Node::as_str).unwrap_or(id);
        let mut parts = Vec::new();
        let mut rest = name;
        while let Some(start) = rest.find("${{") {
            parts.push(Part::Text(rest[..start].to_string()));
            parts.push(Part::Any);
            let end = rest[start..].find("}}").map_or(rest.len(), |end| start + end + 2);
            rest = &rest[end..];
        }
        parts.push(Part::Text(rest.to_string()));
        let matrix = field(job, "strategy").and_then(|strategy| field(strategy, "matrix")).is_some();
        let suffixed = parts.len();
        if matrix && !name.contains("matrix.") {
            parts.extend([Part::Text(" (".into()), Part::Any, Part::Text(")".into())]);
        }
        if field(job, "uses").is_some() {
            parts.extend([Part::Text(" / ".into()), Part::Any]);
        }
        let bare = (parts.len() > suffixed && !name.contains("${{")).then(|| name.to_string());
        CheckName { job: id.to_string(), parts, bare }
    }

    /// Whether a required context can be one of this job's check runs.
    pub fn matches(&self, context: &str) -> bool {
        fn rest(parts: &[Part], text: &str) -> bool {
            match parts.split_first() {
                None => text.is_empty(),
                Some((Part::Text(start), more)) => text.strip_prefix(start.as_str()).is_some_and(|after| rest(more, after)),
                Some((Part::Any, more)) => text.char_indices().map(|(at, _)| at).chain([text.len()]).any(|at| rest(more, &text[at..])),
            }
        }
        rest(&self.parts, context)
    }
}

/// The events of a workflow's `on:` that matter to Deliverybot, with their filters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Events {
    pub push: Option<Push>,
    /// `pull_request` or `pull_request_target`: its `types` (`None`: GitHub's default ones).
    pub pull_request: Option<Option<Vec<String>>>,
    pub workflow_run: Option<WorkflowRun>,
    pub status: bool,
    /// `deployment_status` (it has no activity types).
    pub deployment_status: bool,
    /// `check_run`: its `types` (`None`: all).
    pub check_run: Option<Option<Vec<String>>>,
    pub schedule: bool,
}

/// A name filter and its `-ignore` counterpart (`branches`, `branches-ignore`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    pub only: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
}

impl Filter {
    fn read(node: &Node, key: &str) -> Filter {
        Filter { only: field(node, key).map(strings), ignore: field(node, &format!("{key}-ignore")).map(strings) }
    }

    pub(super) fn is_set(&self) -> bool {
        self.only.is_some() || self.ignore.is_some()
    }

    /// Whether a name passes the filter (no filter passes every name).
    pub fn passes(&self, name: &str) -> bool {
        match (&self.only, &self.ignore) {
            (Some(only), _) => passes(only, name),
            (None, Some(ignore)) => !ignore.iter().any(|pattern| glob_matches(pattern, name)),
            (None, None) => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Push {
    pub branches: Filter,
    pub tags: Filter,
    /// A `paths` or `paths-ignore` filter: some pushes start nothing, whatever their ref.
    pub paths: bool,
}

impl Push {
    /// Whether a push of this branch starts the workflow, as far as ref filters go: with only tag
    /// filters, no branch push does (and the other way round).
    pub fn branch(&self, name: &str) -> bool {
        (self.branches.is_set() || !self.tags.is_set()) && self.branches.passes(name)
    }

    pub fn tag(&self, name: &str) -> bool {
        (self.tags.is_set() || !self.branches.is_set()) && self.tags.passes(name)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct WorkflowRun {
    pub workflows: Vec<String>,
    pub types: Option<Vec<String>>,
    pub branches: Filter,
}

impl Workflow {
    /// Reads a workflow file; a file that is not YAML, or not a map, is its problem.
    pub fn read(path: &str, text: &str) -> Result<Workflow, Diagnostic> {
        let root = yaml::parse(text)?.ok_or_else(|| Diagnostic { pos: None, message: "the file is empty".into() })?;
        if !matches!(root.value, Value::Map(_)) {
            return Err(Diagnostic::at(root.pos, format!("a workflow is a map; this is {}", root.describe())));
        }
        let jobs = match field(&root, "jobs").map(|jobs| &jobs.value) {
            Some(Value::Map(jobs)) => jobs.iter().filter_map(|(id, job)| Some((id.as_str()?, job))).collect(),
            _ => Vec::new(),
        };
        Ok(Workflow {
            path: path.to_string(),
            name: field(&root, "name").and_then(Node::as_str).unwrap_or(path).to_string(),
            checks: jobs.iter().map(|(id, job)| CheckName::of_job(id, job)).collect(),
            events: field(&root, "on").map(read_events).unwrap_or_default(),
            runs_deliverybot: jobs.iter().any(|(_, job)| runs_deliverybot(job)),
        })
    }

    /// The job whose check runs a required context can be.
    pub fn job_for(&self, context: &str) -> Option<&CheckName> {
        self.checks.iter().find(|check| check.matches(context))
    }
}

/// `on:` as one event (`on: push`), a list of them, or a map of events to their settings.
fn read_events(on: &Node) -> Events {
    let mut events = Events::default();
    let entries: Vec<(&str, Option<&Node>)> = match &on.value {
        Value::Str(text) => vec![(text.value.as_str(), None)],
        Value::Seq(items) => items.iter().filter_map(|item| Some((item.as_str()?, None))).collect(),
        Value::Map(entries) => entries.iter().filter_map(|(key, value)| Some((key.as_str()?, Some(value)))).collect(),
        _ => Vec::new(),
    };
    let empty = Node { value: Value::Null, pos: on.pos };
    for (event, settings) in entries {
        let settings = settings.unwrap_or(&empty);
        let types = || field(settings, "types").map(strings);
        match event {
            "push" => {
                let paths = field(settings, "paths").is_some() || field(settings, "paths-ignore").is_some();
                events.push = Some(Push { branches: Filter::read(settings, "branches"), tags: Filter::read(settings, "tags"), paths });
            }
            "pull_request" | "pull_request_target" => events.pull_request = Some(types()),
            "workflow_run" => {
                let workflows = field(settings, "workflows").map(strings).unwrap_or_default();
                events.workflow_run = Some(WorkflowRun { workflows, types: types(), branches: Filter::read(settings, "branches") });
            }
            "status" => events.status = true,
            "deployment_status" => events.deployment_status = true,
            "check_run" => events.check_run = Some(types()),
            "schedule" => events.schedule = true,
            _ => {}
        }
    }
    events
}

/// Whether a job has a step that runs Deliverybot's rules: its action, without `state` (which is
/// the status mode of a deploy workflow).
fn runs_deliverybot(job: &Node) -> bool {
    let Some(Value::Seq(steps)) = field(job, "steps").map(|steps| &steps.value) else {
        return false;
    };
    steps.iter().any(|step| {
        let action = field(step, "uses").and_then(Node::as_str).unwrap_or_default().to_ascii_lowercase();
        action.starts_with("deliverybot/deliverybot@") && field(step, "with").and_then(|with| field(with, "state")).is_none()
    })
}

/// The value of a key of a map (`None` for anything else).
fn field<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    match &node.value {
        Value::Map(entries) => entries.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, value)| value),
        _ => None,
    }
}

/// A list of texts, or one text as a list of one (numbers as written).
fn strings(node: &Node) -> Vec<String> {
    let text = |node: &Node| match &node.value {
        Value::Str(text) => Some(text.value.clone()),
        Value::Int(i) => Some(i.to_string()),
        _ => None,
    };
    match &node.value {
        Value::Seq(items) => items.iter().filter_map(text).collect(),
        _ => text(node).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CI: &str = "\
name: CI
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix: { node: [20, 24] }
    steps: [{ run: npm test }]
  lint:
    name: Lint ${{ github.ref_name }}
    runs-on: ubuntu-latest
    steps: [{ run: npm run lint }]
  build:
    name: build (${{ matrix.os }})
    strategy: { matrix: { os: [a, b] } }
    runs-on: ${{ matrix.os }}
    steps: [{ run: make }]
  e2e:
    uses: ./.github/workflows/e2e.yml
  security:
    runs-on: ubuntu-latest
    steps: [{ run: audit }]
";

    #[test]
    fn jobs_name_their_check_runs() {
        let ci = Workflow::read(".github/workflows/ci.yml", CI).unwrap();
        assert_eq!(ci.name, "CI");
        let job = |context: &str| ci.job_for(context).map(|check| check.job.as_str());
        assert_eq!(job("security"), Some("security"));
        assert_eq!(job("test"), None, "a matrix job's check runs carry the matrix values");
        let bare: Vec<_> = ci.checks.iter().filter_map(|check| check.bare.as_deref()).collect();
        assert_eq!(bare, ["test", "e2e"]);
        assert_eq!(job("test (20)"), Some("test"));
        assert_eq!(job("Lint main"), Some("lint"));
        assert_eq!(job("lint"), None);
        assert_eq!(job("build (a)"), Some("build"));
        assert_eq!(job("e2e / chrome"), Some("e2e"));
        assert_eq!(job("deploy"), None);
        assert!(!ci.runs_deliverybot);
    }

    #[test]
    fn events_are_read_in_each_of_their_forms() {
        let read = |on: &str| Workflow::read("w.yml", &format!("on: {on}\njobs: {{}}\n")).unwrap().events;
        assert!(read("push").push.is_some());
        let events = read("[push, status, schedule]");
        assert!(events.push.is_some() && events.status && events.schedule && !events.deployment_status);
        assert!(read("{ deployment_status: }").deployment_status);
        let events = read("{ push: { tags: ['v*'], paths: [src/**] }, workflow_run: { workflows: CI, types: [completed], branches-ignore: [wip] } }");
        let push = events.push.unwrap();
        assert!(push.tag("v1") && !push.branch("main") && push.paths);
        let run = events.workflow_run.unwrap();
        assert_eq!((run.workflows, run.types), (vec!["CI".to_string()], Some(vec!["completed".to_string()])));
        assert!(run.branches.passes("main") && !run.branches.passes("wip"));
        assert_eq!(read("{ pull_request_target: { types: [closed] } }").pull_request, Some(Some(vec!["closed".to_string()])));
        let unnamed = Workflow::read(".github/workflows/ci.yml", "on: push\n").unwrap();
        assert_eq!(unnamed.name, ".github/workflows/ci.yml");
    }

    #[test]
    fn a_workflow_runs_deliverybot_in_rules_mode_only() {
        let workflow = |with: &str| format!("on: push\njobs:\n  d:\n    steps:\n      - uses: deliverybot/deliverybot@0123 # v1\n        with: {with}\n");
        assert!(Workflow::read("w.yml", &workflow("{ token: x }")).unwrap().runs_deliverybot);
        assert!(!Workflow::read("w.yml", &workflow("{ state: auto }")).unwrap().runs_deliverybot);
    }

    #[test]
    fn files_that_are_not_workflows_say_why() {
        assert_eq!(Workflow::read("w.yml", "- a\n").unwrap_err().to_string(), "1:1: a workflow is a map; this is a list");
        assert_eq!(Workflow::read("w.yml", "").unwrap_err().to_string(), "the file is empty");
        assert!(Workflow::read("w.yml", "a: [").is_err());
    }
}
