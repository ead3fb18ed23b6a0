//! Pull request commands: `/deploy`, `/lock`, `/unlock`, `/promote`, `/help`.
//!
//! A command is the first line of a new comment on a pull request, starting with `/`. The run
//! reacts 👀 at once, checks that the commenter may run the command (repository role; `settings.
//! commands` and a target's `permission` can ask for more), does it, and replies once with the
//! outcome. Edited and deleted comments, comments on plain issues, and slash words that are not
//! ours (another bot's `/assign`) are left alone.

use crate::config::{Config, Role};
use crate::flows::config_file::load_config;
use crate::flows::deliver::Deliver;
use crate::deployment::{environment_of, Source};
use crate::flow::Flow;
use crate::event::{CommentEvent, PullRequest};
use crate::github::{self, answer, encode, Answer};
use crate::invocation::{Repo, RunContext, Settings};
use crate::locks::{self, Lock};
use crate::log::Log;
use crate::protocol::{Outcome, Reply, Request};
use crate::report::{Decision, Row};
use serde_json::json;

/// The status context `/promote` sets: production targets list it in `required_contexts`.
pub const PROMOTION_CONTEXT: &str = "deliverybot/promotion";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/deploy [target] [--force]`.
    Deploy { target: Option<String>, force: bool },
    /// `/lock <environment|target> [reason]`.
    Lock { name: String, reason: String },
    /// `/unlock <environment|target>`.
    Unlock { name: String },
    /// `/promote [target]`.
    Promote { target: Option<String> },
    Help,
}

impl Command {
    fn word(&self) -> &'static str {
        match self {
            Command::Deploy { .. } => "deploy",
            Command::Lock { .. } => "lock",
            Command::Unlock { .. } => "unlock",
            Command::Promote { .. } => "promote",
            Command::Help => "help",
        }
    }
}

/// Reads a comment. `None`: not a command of ours (say nothing). `Some(Err)`: ours but malformed
/// (the reply explains).
pub fn parse(body: &str) -> Option<Result<Command, String>> {
    let line = body.lines().next()?.trim();
    let rest_of_comment = || body.lines().skip(1).map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    let mut words = line.strip_prefix('/')?.split_whitespace();
    let word = words.next()?.to_ascii_lowercase();
    let args: Vec<&str> = words.collect();
    let (flags, plain): (Vec<&str>, Vec<&str>) = args.iter().partition(|a| a.starts_with("--"));
    let command = match word.as_str() {
        "deploy" => {
            if let Some(flag) = flags.iter().find(|f| **f != "--force") {
                return Some(Err(format!("`/deploy` has no flag `{flag}`; it takes `--force` (skip the required checks)")));
            }
            if plain.len() > 1 {
                return Some(Err(format!("`/deploy` takes one target; got `{}`", plain.join(" "))));
            }
            Command::Deploy { target: plain.first().map(|s| s.to_string()), force: !flags.is_empty() }
        }
        "lock" | "unlock" | "promote" | "help" if !flags.is_empty() => {
            return Some(Err(format!("`/{word}` has no flags; got `{}`", flags.join(" "))));
        }
        "lock" => match plain.split_first() {
            Some((name, reason)) => {
                let reason = if reason.is_empty() { rest_of_comment() } else { reason.join(" ") };
                Command::Lock { name: name.to_string(), reason: reason.chars().take(200).collect() }
            }
            None => return Some(Err("`/lock` needs an environment or a target: `/lock production [reason]`".to_string())),
        },
        "unlock" => match plain.as_slice() {
            [name] => Command::Unlock { name: name.to_string() },
            [] => return Some(Err("`/unlock` needs an environment or a target: `/unlock production`".to_string())),
            _ => return Some(Err(format!("`/unlock` takes one environment; got `{}`", plain.join(" ")))),
        },
        "promote" => match plain.as_slice() {
            [] => Command::Promote { target: None },
            [target] => Command::Promote { target: Some(target.to_string()) },
            _ => return Some(Err(format!("`/promote` takes one target; got `{}`", plain.join(" ")))),
        },
        "help" => Command::Help,
        _ => return None,
    };
    Some(Ok(command))
}

pub(crate) struct Commands {
    repo: Repo,
    settings: Settings,
    context: RunContext,
    event: CommentEvent,
    command: Result<Command, String>,
    stage: Stage,
    config: Option<Config>,
    role: Option<Role>,
    pr: Option<PullRequest>,
    /// `/deploy` runs the rules' own flow for its one target.
    deliver: Option<Box<Deliver>>,
    /// The reply, once known; then it is posted and the run ends.
    reply: Option<Reply_>,
    /// Whether the reply was posted.
    posted: Result<(), String>,
    /// A request decided while taking in a reply (the lock's next step).
    pending: Option<Request>,
    awaiting: Option<Awaiting>,
}

/// What to say, and whether the step fails.
struct Reply_ {
    text: String,
    failure: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Stage {
    React,
    Config,
    Permission,
    Pull,
    Act,
    Reply,
    Done,
}

#[derive(Debug, Clone, Copy)]
enum Awaiting {
    React,
    Config,
    Permission,
    Pull,
    Deliver,
    LockTag,
    LockRef,
    LockHeld,
    LockHeldTag,
    Unlock,
    Promote,
    Reply,
}

impl Commands {
    /// `Err`: nothing for the commands to do with this comment (the outcome says why).
    #[inline(never)]
    pub fn new(repo: Repo, settings: Settings, context: RunContext, event: CommentEvent, log: &mut Log) -> Result<Commands, Outcome> {
        let mut quiet = |why: &str| {
            log.info(why.to_string());
            Err(Outcome::nothing_to_do(why))
        };
        if event.action != "created" {
            return quiet(&format!("A comment was {}: commands run only from new comments.", event.action));
        }
        if event.issue.pull_request.is_none() {
            return quiet("A comment on an issue, not a pull request: nothing to do.");
        }
        let Some(command) = parse(&event.comment.body) else {
            return quiet("The comment is not a Deliverybot command.");
        };
        log.info(format!("@{} commented `{}` on #{}.", event.comment.user.login, event.comment.body.lines().next().unwrap_or_default().trim(), event.issue.number));
        Ok(Commands {
            repo,
            settings,
            context,
            event,
            command,
            stage: Stage::React,
            config: None,
            role: None,
            pr: None,
            deliver: None,
            reply: None,
            posted: Ok(()),
            pending: None,
            awaiting: None,
        })
    }

    fn say(&mut self, text: impl Into<String>) {
        self.reply = Some(Reply_ { text: text.into(), failure: None });
        self.stage = Stage::Reply;
    }

    fn fail(&mut self, text: impl Into<String>, failure: impl Into<String>) {
        self.reply = Some(Reply_ { text: text.into(), failure: Some(failure.into()) });
        self.stage = Stage::Reply;
    }

    fn user(&self) -> &str {
        &self.event.comment.user.login
    }

    fn config(&self) -> &Config {
        self.config.as_ref().expect("read before acting")
    }

    fn targets_list(&self) -> String {
        let names: Vec<String> = self.config().targets.iter().map(|t| format!("`{}`", t.name)).collect();
        if names.is_empty() { "none (`.github/deploy.yml` has no targets)".to_string() } else { names.join(", ") }
    }

    fn find_target(&self, name: &str) -> Option<usize> {
        let targets = &self.config().targets;
        targets.iter().position(|t| t.name == name).or_else(|| {
            let folded: Vec<usize> = (0..targets.len()).filter(|&i| targets[i].name.eq_ignore_ascii_case(name)).collect();
            (folded.len() == 1).then(|| folded[0])
        })
    }

    /// The least role the command needs (a target's own `permission` adds to `/deploy` and `/promote`).
    fn required_role(&self, command: &Command) -> Role {
        let settings = &self.config().settings.commands;
        let target_role = |name: &Option<String>| {
            name.as_deref().and_then(|n| self.find_target(n)).map(|i| self.config().targets[i].permission).unwrap_or(Role::Read)
        };
        match command {
            Command::Deploy { target, force } => {
                let base = if *force { settings.deploy.max(settings.force) } else { settings.deploy };
                let target = target.clone().or_else(|| settings.default_target.clone());
                base.max(target_role(&target))
            }
            Command::Lock { .. } => settings.lock,
            Command::Unlock { .. } => settings.unlock,
            // The promotion status opens every target that requires it, whichever is named: it
            // needs the strictest of their permissions.
            Command::Promote { target } => {
                let gated = self.config().targets.iter().filter(|t| t.required_contexts.iter().any(|c| c == PROMOTION_CONTEXT)).map(|t| t.permission);
                gated.fold(settings.promote.max(target_role(target)), Role::max)
            }
            Command::Help => Role::None,
        }
    }

    fn source<'a>(&'a self, pr: &'a PullRequest, git_ref: &'a str, run_url: &'a str) -> Source<'a> {
        Source {
            git_ref,
            sha: &pr.head_sha,
            event_name: "issue_comment",
            run_url,
            run_id: &self.context.run_id,
            owner: &self.repo.owner,
            repo: &self.repo.name,
            actor: self.user(),
            pull_request: Some(&pr.object),
            commit: None,
        }
    }

    fn run_url(&self) -> String {
        self.context.run_url()
    }

    /// A target's environment for this pull request, or the name itself as an environment.
    fn environment(&self, name: &str) -> Result<String, String> {
        let Some(index) = self.find_target(name) else { return Ok(name.to_string()) };
        let pr = self.pr.as_ref().expect("read before acting");
        let (git_ref, run_url) = (pr.git_ref(), self.run_url());
        environment_of(&self.config().targets[index], &self.source(pr, &git_ref, &run_url)).map_err(|errors| errors[0].message.clone())
    }

    /// Whether some target deploys to `environment` (names compare as GitHub does: ignoring case).
    fn known_environment(&self, environment: &str) -> bool {
        let pr = self.pr.as_ref().expect("read before acting");
        let (git_ref, run_url) = (pr.git_ref(), self.run_url());
        let source = self.source(pr, &git_ref, &run_url);
        self.config().targets.iter().any(|t| environment_of(t, &source).is_ok_and(|e| e.eq_ignore_ascii_case(environment)))
    }

    // ── the steps ────────────────────────────────────────────────────────────────────────────────

    fn act(&mut self, log: &mut Log) -> Option<Request> {
        let command = self.command.clone().expect("malformed commands are answered before acting");
        match command {
            Command::Help => {
                let text = self.help();
                self.say(text);
                None
            }
            Command::Deploy { target, force } => {
                let Some(name) = target.or_else(|| self.config().settings.commands.default_target.clone()) else {
                    let text = format!("Which target? `/deploy <target>`; the targets are {}. (`settings.commands.default_target` sets the target of a bare `/deploy`.)", self.targets_list());
                    self.say(text);
                    return None;
                };
                let Some(index) = self.find_target(&name) else {
                    let text = format!("There is no target `{name}`. The targets are {}.", self.targets_list());
                    self.say(text);
                    return None;
                };
                let pr = self.pr.clone().expect("read before acting");
                if pr.fork && !self.config().targets[index].allow_forks {
                    // The head is the fork author's to move, even after this comment was written.
                    let text = format!(
                        "This pull request comes from a fork; `{}` does not deploy forks (set `allow_forks: true` on the target to allow it).",
                        self.config().targets[index].name
                    );
                    self.say(text);
                    return None;
                }
                let config = self.config.clone().expect("read before acting");
                let default_branch = self.context_branch();
                let deliver = Deliver::for_command(self.repo.clone(), self.settings.clone(), self.context.clone(), config, pr, index, force, default_branch, log);
                self.deliver = Some(Box::new(deliver));
                self.next_deliver(log)
            }
            Command::Lock { ref name, .. } | Command::Unlock { ref name } if self.settings.dry_run => {
                let word = command.word();
                let name = name.clone();
                let text = match self.environment(&name) {
                    Ok(environment) => format!("Dry run: would {word} **{environment}**."),
                    Err(problem) => format!("Cannot tell which environment `{name}` is for this pull request: {problem}"),
                };
                self.say(text);
                None
            }
            Command::Promote { .. } if self.settings.dry_run => {
                let sha = crate::refs::short_sha(&self.pr.as_ref().expect("read before acting").head_sha).to_string();
                self.say(format!("Dry run: would promote `{sha}` (the `{PROMOTION_CONTEXT}` status)."));
                None
            }
            Command::Lock { name, reason } => match self.environment(&name) {
                Ok(environment) => {
                    let pr = self.pr.as_ref().expect("read before acting");
                    let lock = Lock { environment, by: self.user().to_string(), reason, pr: Some(pr.number), since: String::new() };
                    self.awaiting = Some(Awaiting::LockTag);
                    Some(locks::create_tag(&self.repo, &lock, &pr.head_sha))
                }
                Err(problem) => {
                    self.say(format!("Cannot tell which environment `{name}` is for this pull request: {problem}"));
                    None
                }
            },
            Command::Unlock { name } => match self.environment(&name) {
                Ok(environment) => {
                    self.awaiting = Some(Awaiting::Unlock);
                    Some(locks::delete(&self.repo, &environment))
                }
                Err(problem) => {
                    self.say(format!("Cannot tell which environment `{name}` is for this pull request: {problem}"));
                    None
                }
            },
            Command::Promote { target } => {
                if let Some(name) = &target {
                    if self.find_target(name).is_none() {
                        let text = format!("There is no target `{name}`. The targets are {}.", self.targets_list());
                        self.say(text);
                        return None;
                    }
                }
                let pr = self.pr.as_ref().expect("read before acting");
                let description = format!("Promoted by @{} in #{}", self.user(), pr.number);
                let body = json!({ "state": "success", "context": PROMOTION_CONTEXT, "description": description, "target_url": self.event.comment.html_url });
                let path = format!("{}/statuses/{}", github::repo_path(&self.repo), encode(&pr.head_sha));
                let mut request = Request::post(path, body, format!("promote {}", crate::refs::short_sha(&pr.head_sha)));
                // The same status twice changes nothing.
                request.idempotent = true;
                self.awaiting = Some(Awaiting::Promote);
                Some(request)
            }
        }
    }

    fn next_deliver(&mut self, log: &mut Log) -> Option<Request> {
        let deliver = self.deliver.as_mut().expect("delivering");
        match deliver.next(log) {
            Ok(request) => {
                self.awaiting = Some(Awaiting::Deliver);
                Some(request)
            }
            Err(_) => {
                let rows = deliver.rows();
                let text = self.deploy_reply(&rows);
                let failure = rows.iter().find_map(|r| match &r.decision {
                    Decision::Failed { reason } => Some(format!("{}: {reason}", r.target)),
                    _ => None,
                });
                self.reply = Some(Reply_ { text, failure });
                self.stage = Stage::Reply;
                None
            }
        }
    }

    fn deploy_reply(&self, rows: &[Row]) -> String {
        let Some(row) = rows.first() else { return "Nothing to deploy.".to_string() };
        let sha = crate::refs::short_sha(&row.sha);
        let environment_link = format!("[{}]({}/{}/deployments/{})", row.environment, self.context.server_url, self.context.repository, encode(&row.environment));
        match &row.decision {
            Decision::Created { id, .. } => format!("🚀 Deploying `{sha}` to {environment_link} (deployment {id})."),
            Decision::WouldCreate => format!("Dry run: would deploy `{sha}` to {environment_link}."),
            Decision::Waiting { contexts } => format!(
                "⏳ Not deployed: `{sha}` is waiting for {}. Run `/deploy {}` again once they pass (or `/deploy {} --force` to skip the checks, if you may).",
                contexts.join(", "),
                row.target,
                row.target
            ),
            Decision::Blocked { contexts } => format!("⛔ Not deployed: {} failed on `{sha}`. Fix or re-run them, then `/deploy {}` again.", contexts.join(", "), row.target),
            Decision::Locked { description } => format!("🔒 Not deployed: {description}. `/unlock {}` lifts it.", row.environment),
            Decision::Failed { reason } => format!("❌ Could not deploy `{}`: {reason}", row.target),
            other => format!("Not deployed: {}.", other.reason()),
        }
    }

    fn help(&self) -> String {
        format!(
            "**Deliverybot commands** (the first line of a comment):\n\n\
             | command | does |\n|---|---|\n\
             | `/deploy <target> [--force]` | Deploys this pull request's head to the target; `--force` skips its required checks. |\n\
             | `/lock <environment or target> [reason]` | Stops every deployment to the environment until it is unlocked. |\n\
             | `/unlock <environment or target>` | Lifts the lock. |\n\
             | `/promote [target]` | Marks this head with the `{PROMOTION_CONTEXT}` status, which targets can require. |\n\
             | `/help` | This list. |\n\n\
             Targets: {}.",
            self.targets_list()
        )
    }

    // ── replies ──────────────────────────────────────────────────────────────────────────────────

    fn read_permission(&mut self, reply: Reply) {
        match answer(&reply) {
            Answer::Success { body, .. } => match github::json(body, "read the commenter's permission") {
                // A custom role has its own name; its base permission says what it can do.
                Ok(found) => {
                    let named = github::text(&found, "/role_name").and_then(Role::parse);
                    self.role = Some(named.or_else(|| github::text(&found, "/permission").and_then(Role::parse)).unwrap_or(Role::None));
                }
                Err(reason) => self.fail(format!("I could not check your permission ({reason})."), reason),
            },
            // 404: not a collaborator at all.
            Answer::NotFound { .. } => self.role = Some(Role::None),
            Answer::Refused { status, message } => {
                let reason = github::refusal("read the commenter's permission", status, &message, None);
                self.fail(format!("I could not check your permission: {reason}"), reason);
            }
            Answer::Lost { error } => self.fail(format!("I could not check your permission: {error}"), error.to_string()),
        }
    }

    fn read_pull(&mut self, reply: Reply) {
        match answer(&reply) {
            Answer::Success { body, .. } => {
                match github::json(body, "read the pull request").and_then(|object| PullRequest::from_object(object, 0)) {
                    Ok(pr) => self.pr = Some(pr),
                    Err(reason) => self.fail(format!("I could not read this pull request ({reason})."), reason),
                }
            }
            refused @ (Answer::NotFound { .. } | Answer::Refused { .. }) => {
                let reason = refused.refusal("read the pull request", Some("pull-requests: read"));
                self.fail(format!("I could not read this pull request: {reason}"), reason);
            }
            Answer::Lost { error } => self.fail(format!("I could not read this pull request: {error}"), error.to_string()),
        }
    }

    fn read_lock(&mut self, awaiting: Awaiting, reply: Reply) -> Option<Request> {
        let Ok(Command::Lock { name, .. }) = self.command.clone() else { unreachable!("locking") };
        let environment = self.environment(&name).unwrap_or(name);
        match (awaiting, answer(&reply)) {
            (Awaiting::LockTag, Answer::Success { body, .. }) => {
                let tag = github::json(body, "record the lock").and_then(|v| github::text(&v, "/sha").map(str::to_string).ok_or_else(|| github::missing("record the lock", "sha")));
                match tag {
                    Ok(sha) => {
                        self.awaiting = Some(Awaiting::LockRef);
                        return Some(locks::create_ref(&self.repo, &environment, &sha));
                    }
                    Err(reason) => self.fail(format!("I could not lock {environment} ({reason})."), reason),
                }
            }
            (Awaiting::LockRef, Answer::Success { .. }) => {
                let mut text = format!("🔒 Locked **{environment}**: no deployment reaches it until `/unlock {environment}`.");
                if !self.known_environment(&environment) {
                    text.push_str(&format!(" (No target of this config deploys to an environment called `{environment}` for this pull request: check the name.)"));
                }
                self.say(text);
            }
            // The ref exists: someone holds the lock. Read who, to say so.
            (Awaiting::LockRef, Answer::Refused { status: 422, .. }) => {
                self.awaiting = Some(Awaiting::LockHeld);
                return Some(github::get_ref(&self.repo, &locks::ref_name(&environment)));
            }
            (Awaiting::LockHeld, Answer::Success { body, .. }) => {
                match github::json(body, "read the lock").ok().as_ref().and_then(|v| github::text(v, "/object/sha")) {
                    Some(sha) => {
                        self.awaiting = Some(Awaiting::LockHeldTag);
                        return Some(github::get_tag(&self.repo, sha));
                    }
                    None => self.say(format!("**{environment}** is already locked.")),
                }
            }
            (Awaiting::LockHeldTag, Answer::Success { body, .. }) => {
                let lock = Lock::from_tag(body, &environment);
                self.say(format!("**{environment}** is already {}.", lock.describe()));
            }
            (Awaiting::LockHeld | Awaiting::LockHeldTag, _) => self.say(format!("**{environment}** is already locked.")),
            (_, refused @ (Answer::NotFound { .. } | Answer::Refused { .. })) => {
                let reason = refused.refusal(&format!("lock {environment}"), Some("contents: write"));
                self.fail(format!("I {reason}"), reason);
            }
            (_, Answer::Lost { error }) => self.fail(format!("I could not lock {environment}: {error}"), error.to_string()),
            (_, Answer::Success { .. }) => unreachable!("every success is handled above"),
        }
        None
    }

    fn read_unlock(&mut self, reply: Reply) {
        let Ok(Command::Unlock { name }) = self.command.clone() else { unreachable!("unlocking") };
        let environment = self.environment(&name).unwrap_or(name);
        match answer(&reply) {
            Answer::Success { .. } => self.say(format!("🔓 Unlocked **{environment}**.")),
            Answer::NotFound { .. } | Answer::Refused { status: 422, .. } => self.say(format!("**{environment}** was not locked.")),
            Answer::Refused { status, message } => {
                let reason = github::refusal(&format!("unlock {environment}"), status, &message, Some("contents: write"));
                self.fail(format!("I {reason}"), reason);
            }
            Answer::Lost { error } => self.fail(format!("I could not unlock {environment}: {error}"), error.to_string()),
        }
    }

    fn read_promote(&mut self, reply: Reply) {
        let sha = self.pr.as_ref().map(|pr| crate::refs::short_sha(&pr.head_sha).to_string()).unwrap_or_default();
        match answer(&reply) {
            Answer::Success { .. } => self.say(format!(
                "✅ Promoted `{sha}`: it has the `{PROMOTION_CONTEXT}` status now, so targets that require it deploy it on their next event."
            )),
            refused @ (Answer::NotFound { .. } | Answer::Refused { .. }) => {
                let reason = refused.refusal(&format!("promote {sha}"), Some("statuses: write"));
                self.fail(format!("I {reason}"), reason);
            }
            Answer::Lost { error } => self.fail(format!("I could not promote {sha}: {error}"), error.to_string()),
        }
    }

    fn finish(&self, posted: Result<(), String>) -> Outcome {
        let reply = self.reply.as_ref().expect("a reply before the end");
        let mut outcome = match &self.deliver {
            Some(deliver) => deliver.outcome(),
            None => Outcome::nothing_to_do(""),
        };
        outcome.summary = format!("### Deliverybot\n\n@{}: `{}`\n\n{}\n", self.user(), self.event.comment.body.lines().next().unwrap_or_default().trim(), reply.text);
        outcome.failure = match (&reply.failure, posted) {
            (Some(failure), _) => Some(failure.clone()),
            (None, Err(reason)) => Some(reason),
            (None, Ok(())) => None,
        };
        outcome
    }
}

impl Flow for Commands {
    fn absorb(&mut self, reply: Reply, log: &mut Log) {
        match self.awaiting.take() {
            Some(Awaiting::React) => {
                if let Some((status, message)) = answer(&reply).refused() {
                    log.warning(format!("Could not react to the comment ({status}: {message}); going on."));
                }
                self.stage = Stage::Config;
            }
            Some(Awaiting::Config) => {
                match load_config(&reply, &self.settings.config_path, &self.context_branch(), log) {
                    Ok(config) => {
                        self.config = Some(config);
                        self.stage = Stage::Permission;
                    }
                    Err(end) => {
                        let failure = end.failure.clone();
                        let text = match &failure {
                            Some(problem) if problem.contains("problem") => format!("❌ The deploy config has problems, so I did nothing:\n\n```\n{}```", config_problems(&end.summary)),
                            Some(problem) => format!("❌ I could not read the deploy config: {problem}"),
                            None => format!("There is no `{}` on the default branch: there are no targets to deploy.", self.settings.config_path),
                        };
                        self.reply = Some(Reply_ { text, failure });
                        self.stage = Stage::Reply;
                    }
                }
            }
            Some(Awaiting::Permission) => {
                self.read_permission(reply);
                if self.stage == Stage::Permission {
                    self.stage = Stage::Pull;
                }
            }
            Some(Awaiting::Pull) => {
                self.read_pull(reply);
                if self.stage == Stage::Pull {
                    self.stage = Stage::Act;
                }
            }
            Some(Awaiting::Deliver) => {
                let deliver = self.deliver.as_mut().expect("delivering");
                deliver.absorb(reply, log);
            }
            Some(awaiting @ (Awaiting::LockTag | Awaiting::LockRef | Awaiting::LockHeld | Awaiting::LockHeldTag)) => {
                if let Some(request) = self.read_lock(awaiting, reply) {
                    self.pending = Some(request);
                }
            }
            Some(Awaiting::Unlock) => self.read_unlock(reply),
            Some(Awaiting::Promote) => self.read_promote(reply),
            Some(Awaiting::Reply) => {
                self.stage = Stage::Done;
                self.posted = match answer(&reply) {
                    Answer::Success { .. } => Ok(()),
                    refused @ (Answer::NotFound { .. } | Answer::Refused { .. }) => Err(refused.refusal("reply on the pull request", Some("pull-requests: write"))),
                    Answer::Lost { error } => Err(format!("could not reply on the pull request: {error}")),
                };
            }
            None => {}
        }
    }

    fn next(&mut self, log: &mut Log) -> Result<Request, Outcome> {
        if let Some(request) = self.pending.take() {
            return Ok(request);
        }
        loop {
            match self.stage {
                Stage::React if self.settings.dry_run => self.stage = Stage::Config,
                Stage::React => {
                    self.awaiting = Some(Awaiting::React);
                    let path = format!("{}/issues/comments/{}/reactions", github::repo_path(&self.repo), self.event.comment.id);
                    return Ok(Request::post(path, json!({ "content": "eyes" }), "react to the command with 👀"));
                }
                Stage::Config => {
                    if let Err(problem) = &self.command {
                        let text = format!("{problem}. `/help` lists the commands.");
                        self.say(text);
                        continue;
                    }
                    self.awaiting = Some(Awaiting::Config);
                    return Ok(github::get_file(&self.repo, &self.settings.config_path, Some(&self.context_branch())));
                }
                Stage::Permission => {
                    if self.command == Ok(Command::Help) {
                        self.stage = Stage::Act;
                        continue;
                    }
                    if let Some(role) = self.role {
                        let needed = self.required_role(self.command.as_ref().expect("parsed"));
                        if role < needed {
                            let word = self.command.as_ref().map(Command::word).unwrap_or_default();
                            log.info(format!("@{} ({}) may not run /{word}: it needs {}.", self.user(), role.name(), needed.name()));
                            let text = format!("Sorry @{}, `/{word}` needs the **{}** role on this repository (you have {}). Ask someone who has it.", self.user(), needed.name(), role.name());
                            self.say(text);
                        } else {
                            self.stage = Stage::Pull;
                        }
                        continue;
                    }
                    self.awaiting = Some(Awaiting::Permission);
                    let path = format!("{}/collaborators/{}/permission", github::repo_path(&self.repo), encode(self.user()));
                    return Ok(Request::get(path, format!("check @{}'s permission", self.user())));
                }
                Stage::Pull => {
                    if self.role.is_some_and(|role| role < self.required_role(self.command.as_ref().expect("parsed"))) {
                        self.stage = Stage::Permission;
                        continue;
                    }
                    if self.pr.is_some() || self.command == Ok(Command::Help) {
                        self.stage = Stage::Act;
                        continue;
                    }
                    self.awaiting = Some(Awaiting::Pull);
                    return Ok(github::get_pull(&self.repo, self.event.issue.number));
                }
                Stage::Act => {
                    let request = if self.deliver.is_some() { self.next_deliver(log) } else { self.act(log) };
                    match request {
                        Some(request) => return Ok(request),
                        None if self.stage == Stage::Act => unreachable!("acting ends with a request or a reply"),
                        None => continue,
                    }
                }
                Stage::Reply if self.settings.dry_run => {
                    let text = &self.reply.as_ref().expect("a reply").text;
                    log.info(format!("Dry run: would reply: @{} {text}", self.user()));
                    self.stage = Stage::Done;
                }
                Stage::Reply => {
                    self.awaiting = Some(Awaiting::Reply);
                    let text = self.reply.as_ref().expect("a reply").text.clone();
                    let path = format!("{}/issues/{}/comments", github::repo_path(&self.repo), self.event.issue.number);
                    return Ok(Request::post(path, json!({ "body": format!("@{} {text}", self.user()) }), "reply to the command"));
                }
                Stage::Done => return Err(self.finish(self.posted.clone())),
            }
        }
    }
}

impl Commands {
    fn context_branch(&self) -> String {
        self.event.repository.default_branch.clone()
    }
}

/// The `path:line:column: message` lines of a failed config's summary.
fn config_problems(summary: &str) -> String {
    summary.lines().filter(|l| l.contains(": ") && !l.starts_with('#') && !l.starts_with(':')).map(|l| format!("{l}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> Command {
        parse(body).unwrap().unwrap()
    }

    fn err(body: &str) -> String {
        parse(body).unwrap().unwrap_err()
    }

    #[test]
    fn commands_are_the_first_line_whatever_the_case_and_spacing() {
        assert_eq!(ok("/deploy staging"), Command::Deploy { target: Some("staging".into()), force: false });
        assert_eq!(ok("  /Deploy   staging  --force \nthanks!"), Command::Deploy { target: Some("staging".into()), force: true });
        assert_eq!(ok("/deploy"), Command::Deploy { target: None, force: false });
        assert_eq!(ok("/LOCK production incident 42"), Command::Lock { name: "production".into(), reason: "incident 42".into() });
        assert_eq!(ok("/lock production\nDatabase migration\nrunning"), Command::Lock { name: "production".into(), reason: "Database migration running".into() });
        assert_eq!(ok("/unlock production"), Command::Unlock { name: "production".into() });
        assert_eq!(ok("/promote"), Command::Promote { target: None });
        assert_eq!(ok("/promote production"), Command::Promote { target: Some("production".into()) });
        assert_eq!(ok("/help"), Command::Help);
    }

    #[test]
    fn other_comments_are_not_commands() {
        assert_eq!(parse("please /deploy staging"), None, "not at the start");
        assert_eq!(parse("LGTM\n/deploy staging"), None, "not the first line");
        assert_eq!(parse("/assign @octocat"), None, "another bot's command");
        assert_eq!(parse(""), None);
        assert_eq!(parse("/"), None);
    }

    #[test]
    fn malformed_commands_say_what_is_wrong() {
        assert_eq!(err("/deploy staging --now"), "`/deploy` has no flag `--now`; it takes `--force` (skip the required checks)");
        assert_eq!(err("/deploy staging production"), "`/deploy` takes one target; got `staging production`");
        assert_eq!(err("/lock"), "`/lock` needs an environment or a target: `/lock production [reason]`");
        assert_eq!(err("/unlock"), "`/unlock` needs an environment or a target: `/unlock production`");
        assert_eq!(err("/help --verbose"), "`/help` has no flags; got `--verbose`");
    }
}
