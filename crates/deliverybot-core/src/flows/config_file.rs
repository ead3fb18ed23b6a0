//! The deploy config as a flow reads it from the repository: the file, or why there is none to use.

use crate::config::Config;
use crate::github::{answer, Answer};
use crate::log::Log;
use crate::markdown;
use crate::protocol::{Annotation, Level, Outcome, Reply};
use crate::report::plural;
use crate::diagnostic::Diagnostic;

/// What reading `path` from a branch gave.
#[derive(Debug)]
pub enum ConfigFile {
    Read(Config),
    /// There is no config on the branch: the repository does not use Deliverybot (yet).
    Missing,
    /// Each problem of the config, at its place in the file.
    Invalid(Vec<Diagnostic>),
    /// GitHub would not give it, or did not answer: why, as "could not read ...".
    Unreadable(String),
}

impl ConfigFile {
    /// The config from the Contents API's reply to [`github::get_file`](crate::github::get_file).
    pub fn from_reply(reply: &Reply, path: &str, branch: &str) -> ConfigFile {
        match answer(reply) {
            Answer::Success { body, .. } => match Config::parse(body) {
                Ok(config) => ConfigFile::Read(config),
                Err(errors) => ConfigFile::Invalid(errors),
            },
            Answer::NotFound { .. } => ConfigFile::Missing,
            failed => ConfigFile::Unreadable(failed.refusal(&format!("read {path} from {branch}"), Some("contents: read"))),
        }
    }

    /// The config, logged as read; or the outcome that ends a run without one: nothing to do when
    /// there is no config, a failure naming each problem (logged with its annotation) or GitHub's
    /// refusal otherwise.
    pub fn into_config(self, path: &str, branch: &str, log: &mut Log) -> Result<Config, Outcome> {
        match self {
            ConfigFile::Read(config) => {
                log_read(&config, path, branch, log);
                Ok(config)
            }
            ConfigFile::Missing => {
                log.info(format!("No {path} on {branch}: nothing to deploy. Add one to define deploy targets."));
                Err(Outcome::nothing_to_do(format!("No {} on {}: nothing to deploy.", markdown::code(path), markdown::code(branch))))
            }
            ConfigFile::Invalid(errors) => Err(invalid(path, &errors, log)),
            ConfigFile::Unreadable(reason) => Err(Outcome::failed(capitalized(&reason))),
        }
    }
}

/// "Read .github/deploy.yml from main (3 targets).", then each of the config's warnings (what the
/// original Deliverybot accepted and this one ignores), annotated at its place in the file.
pub fn log_read(config: &Config, path: &str, branch: &str, log: &mut Log) {
    log.info(format!("Read {path} from {branch} ({} target{}).", config.targets.len(), plural(config.targets.len())));
    log_located(Level::Warning, path, &config.warnings, log);
}

/// Why the run failed when the config has problems: "deploy.yml has 2 problems; nothing was deployed."
pub fn problems_failure(path: &str, count: usize) -> String {
    let problems = if count == 1 { "a problem".to_string() } else { format!("{count} problems") };
    format!("{path} has {problems}; nothing was deployed.")
}

/// Every problem of the config as an error line with its annotation; the run fails, creating nothing.
fn invalid(path: &str, errors: &[Diagnostic], log: &mut Log) -> Outcome {
    log_problems(path, errors, log);
    let mut outcome = Outcome::failed(problems_failure(path, errors.len()));
    // Shown as written, in a block no line of a problem can close (one may quote any text).
    let lines: String = errors.iter().map(|error| format!("{}\n", error.located(path))).collect();
    outcome.summary.push_str(&format!("\n{}\n", markdown::fenced(&lines)));
    outcome
}

/// Each problem as an error line, annotated at its place in the config so that GitHub shows it there.
pub fn log_problems(path: &str, errors: &[Diagnostic], log: &mut Log) {
    log_located(Level::Error, path, errors, log);
}

fn log_located(level: Level, path: &str, diagnostics: &[Diagnostic], log: &mut Log) {
    for diagnostic in diagnostics {
        let annotation = diagnostic.pos.map(|pos| Annotation { file: path.to_string(), line: pos.line, column: pos.column });
        log.annotated(level, diagnostic.located(path), annotation);
    }
}


fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(reply: Reply) -> ConfigFile {
        ConfigFile::from_reply(&reply, ".github/deploy.yml", "main")
    }

    #[test]
    fn a_config_is_read_missing_invalid_or_unreadable() {
        assert!(matches!(read(Reply::ok(200, "staging:\n  auto_deploy_on: refs/heads/main\n")), ConfigFile::Read(config) if config.targets.len() == 1));
        assert!(matches!(read(Reply::ok(404, r#"{"message":"Not Found"}"#)), ConfigFile::Missing));
        assert!(matches!(read(Reply::ok(200, "staging:\n  auto_deploy_on: [\n")), ConfigFile::Invalid(errors) if !errors.is_empty()));
        match read(Reply::ok(403, r#"{"message":"Resource not accessible by integration"}"#)) {
            ConfigFile::Unreadable(reason) => assert!(reason.starts_with("could not read .github/deploy.yml from main: GitHub answered 403"), "{reason}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(read(Reply::Lost { error: "timed out".into() }), ConfigFile::Unreadable(reason) if reason == "could not read .github/deploy.yml from main: timed out"));
    }

    #[test]
    fn a_config_is_logged_as_read_with_each_warning_at_its_place() {
        let ConfigFile::Read(config) = read(Reply::ok(200, "web:\n  enviroment: staging\n")) else { panic!("read") };
        let mut log = Log::default();
        let config = ConfigFile::Read(config).into_config("deploy.yml", "main", &mut log).unwrap();
        assert_eq!(config.targets.len(), 1);
        let lines = log.take();
        assert_eq!(lines[0].message, "Read deploy.yml from main (1 target).");
        assert_eq!(lines[1].level, Level::Warning);
        assert_eq!(lines[1].message, "deploy.yml:2:3: unknown key `enviroment` in target `web` is ignored; did you mean `environment`?");
        assert_eq!(lines[1].annotation, Some(Annotation { file: "deploy.yml".into(), line: 2, column: 3 }));
    }

    #[test]
    fn without_a_config_there_is_nothing_to_do_and_a_bad_one_fails_naming_each_problem() {
        let mut log = Log::default();
        let missing = ConfigFile::Missing.into_config("deploy.yml", "main", &mut log).unwrap_err();
        assert_eq!((missing.failure, missing.summary.as_str()), (None, "### Deliverybot\n\nNo `deploy.yml` on `main`: nothing to deploy.\n"));
        let errors = vec![Diagnostic { message: "unknown key `enviroment`".into(), pos: None }];
        let invalid = ConfigFile::Invalid(errors).into_config("deploy.yml", "main", &mut log).unwrap_err();
        assert_eq!(invalid.failure.as_deref(), Some("deploy.yml has a problem; nothing was deployed."));
        assert!(invalid.summary.ends_with("\n```\ndeploy.yml: unknown key `enviroment`\n```\n"));
        let unreadable = ConfigFile::Unreadable("could not read it: timed out".into()).into_config("deploy.yml", "main", &mut log).unwrap_err();
        assert_eq!(unreadable.failure.as_deref(), Some("Could not read it: timed out"));
    }
}
