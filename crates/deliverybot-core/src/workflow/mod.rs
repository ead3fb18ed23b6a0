//! The workflow that runs Deliverybot, derived from the config's own rules: it should start a job
//! after every event that can deploy a target, and after no other.
//!
//! From the config and the repository's workflow files, [`triggers`] derives what can
//! re-evaluate each target (a push of its refs, a pull request, the end of the workflow whose job
//! makes a check it requires, a status from outside Actions, the end of a deployment it waits for,
//! and, for the moments no event marks, a schedule: [`waits`]). [`render`] writes that as
//! `.github/workflows/deliverybot.yml` (`deliverybot workflow`); [`check`] holds it against the
//! workflows that run Deliverybot now and names each target that none of their triggers can
//! re-evaluate (`deliverybot validate --workflows`), and against the generated workflow itself,
//! which has a schedule only when asked for one (`--schedule`).
//!
//! The action does not run the check: it reads nothing but the config, and reading the workflow
//! files would cost a request on every run.

mod check;
mod filters;
mod render;
mod repository;
mod triggers;
mod waits;

pub use render::{ActionPin, Options};
pub use repository::Workflow;

use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// What `deliverybot workflow` and `deliverybot validate --workflows` get from the engine.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Answer {
    /// The config's problems; with any, nothing else is derived.
    pub problems: Vec<Diagnostic>,
    /// The workflow files that cannot be read, each with its problem; they are left out.
    pub unreadable: Vec<(String, Diagnostic)>,
    /// The generated workflow (when there are options to write it with), or why it cannot be.
    pub workflow: Option<Result<String, String>>,
    /// Each target that no trigger of the repository's Deliverybot workflows can re-evaluate.
    pub findings: Vec<Diagnostic>,
    /// Each target that the generated workflow cannot re-evaluate: what only a schedule sees (a
    /// soak, the end of a freeze window) when none was asked for.
    pub notes: Vec<Diagnostic>,
}

/// How the check names the generated workflow.
const GENERATED: &str = "the generated workflow";

/// The config's workflow and the trigger check, from the config's text and the repository's
/// workflow files (path and text each).
pub fn answer(config: &str, files: &[(String, String)], options: Option<&Options>) -> Answer {
    let config = match Config::parse(config) {
        Ok(config) => config,
        Err(problems) => return Answer { problems, ..Answer::default() },
    };
    let mut workflows = Vec::new();
    let mut unreadable = Vec::new();
    for (path, text) in files {
        match Workflow::read(path, text) {
            Ok(workflow) => workflows.push(workflow),
            Err(problem) => unreadable.push((path.clone(), problem)),
        }
    }
    let needs = triggers::needs(&config, &workflows);
    let workflow = options.map(|options| render::render(&triggers::plan(&config, &needs, options.schedule.is_some()), options));
    let notes = match &workflow {
        Some(Ok(text)) => match Workflow::read(GENERATED, text) {
            Ok(generated) => check::check(&needs, &[generated]),
            Err(problem) => vec![problem],
        },
        _ => Vec::new(),
    };
    Answer { problems: Vec::new(), unreadable, workflow, findings: check::check(&needs, &workflows), notes }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = include_str!("../../../../tests/fixtures/workflow/deploy.yml");
    const CI: &str = include_str!("../../../../tests/fixtures/workflow/workflows/ci.yml");

    fn options() -> Options {
        Options { config_path: ".github/deploy.yml".into(), schedule: None, action: ActionPin { sha: "0123456789abcdef0123456789abcdef01234567".into(), version: "v1".into() } }
    }

    fn files(extra: Option<&str>) -> Vec<(String, String)> {
        let mut files = vec![(".github/workflows/ci.yml".to_string(), CI.to_string())];
        files.extend(extra.map(|text| (".github/workflows/deliverybot.yml".to_string(), text.to_string())));
        files
    }

    /// The whole generated workflow for a config that uses every trigger, as it is written.
    #[test]
    fn the_workflow_follows_the_rules() {
        let answer = answer(CONFIG, &files(None), Some(&options()));
        let workflow = answer.workflow.unwrap().unwrap();
        assert_eq!(workflow, include_str!("../../../../tests/fixtures/workflow/deliverybot.yml"));
        // Nothing runs Deliverybot yet: that is what the check says.
        assert_eq!(answer.findings.len(), 1);
        assert_eq!(answer.notes, []);
    }

    /// The generated workflow, read back as the repository's, meets every need it was made for.
    #[test]
    fn the_generated_workflow_passes_the_check() {
        let workflow = answer(CONFIG, &files(None), Some(&options())).workflow.unwrap().unwrap();
        let again = answer(CONFIG, &files(Some(&workflow)), None);
        assert_eq!((again.findings, again.unreadable, again.workflow, again.notes), (vec![], vec![], None, vec![]));
    }

    /// A pipeline with a soak, a freeze and the stuck sweep: `deployment_status` re-evaluates what
    /// a deployment's end can deploy, and only a schedule what no event marks, which the notes
    /// name when none was asked for; with one, the generated workflow passes the check.
    #[test]
    fn what_only_a_schedule_sees_is_noted_unless_there_is_one() {
        const PIPELINE: &str = include_str!("../../../../tests/fixtures/workflow/pipeline.yml");
        let answer_ = answer(PIPELINE, &files(None), Some(&options()));
        let workflow = answer_.workflow.unwrap().unwrap();
        assert_eq!(workflow, include_str!("../../../../tests/fixtures/workflow/pipeline-deliverybot.yml"));
        let notes: Vec<String> = answer_.notes.iter().map(|note| note.to_string()).collect();
        assert_eq!(
            notes,
            [
                "9:1: target `production` soaks after `staging`, and no event marks the end of a soak: only a schedule deploys it then, and the generated workflow has none; `deliverybot workflow --schedule CRON` writes one",
                "9:1: target `production` has freeze windows, and no event marks the end of one: only a schedule deploys what waited, and the generated workflow has none; `deliverybot workflow --schedule CRON` writes one",
                "`settings.stuck_after`: only a schedule marks a deployment that is stuck while no other one ends, and the generated workflow has none; `deliverybot workflow --schedule CRON` writes one",
            ]
        );
        // The same findings for the workflow saved as the repository's.
        let again = answer(PIPELINE, &files(Some(&workflow)), None);
        let findings: Vec<String> = again.findings.iter().map(|finding| finding.to_string().replace(".github/workflows/deliverybot.yml", "the generated workflow")).collect();
        assert_eq!(findings, notes);
        let scheduled = Options { schedule: Some("*/15 * * * *".into()), ..options() };
        let answer_ = answer(PIPELINE, &files(None), Some(&scheduled));
        assert_eq!(answer_.notes, []);
        let again = answer(PIPELINE, &files(Some(&answer_.workflow.unwrap().unwrap())), None);
        assert_eq!(again.findings, []);
    }

    #[test]
    fn problems_of_the_config_or_the_files_are_reported() {
        let answer_ = answer("staging:\n  auto_deploy_on: main\n", &[], Some(&options()));
        assert_eq!((answer_.problems.len(), answer_.workflow), (1, None));
        let answer_ = answer(CONFIG, &[("w.yml".into(), "a: [".into())], None);
        assert_eq!(answer_.unreadable.len(), 1);
        assert_eq!(answer_.unreadable[0].0, "w.yml");
    }
}
