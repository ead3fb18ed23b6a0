//! Pull request commands: `/deploy`, `/lock`, `/unlock`, `/promote`, `/help`.
//!
//! A command is the first line of a new comment on a pull request, starting with `/`; `/deploy` may
//! give parameters (`region=eu`), which the target must take. The run reacts 👀 at once, checks
//! that the commenter may run the command (repository role; `settings.commands` and a target's
//! `permission` can ask for more), does it, and replies once with the outcome. Edited and deleted
//! comments, comments on plain issues, and slash words that are not ours (another bot's `/assign`)
//! are left alone.
//!
//! One request at a time, each [`State`] asks one thing (`next`) and the answer decides the state
//! after it (`absorb`): 👀 → the config → the commenter's permission → the pull request (its head
//! now, not when the comment was written) → the command's own requests → the reply.

mod parse;
mod permission;
mod reply;
mod target;

use crate::config::{Config, Role};
use crate::flows::config_file::{self, ConfigFile};
use crate::flows::deliver::Deliver;
use crate::deployment::{Asked, Source};
use crate::flow::Flow;
use crate::event::{CommentEvent, PullRequest};
use crate::github::{self, answer, encode, Answer};
use crate::invocation::{Repo, RunContext, Settings};
use crate::locks::{self, Lock};
use crate::log::Log;
use crate::markdown::{code, inert};
use crate::protocol::{Outcome, Reply, Request};
use crate::refs::short_sha;
use crate::rules::Decision;
use crate::rules::permission::{rerun_by_another, role_of};
use parse::{parse, Command, Malformed, PROMOTION_CONTEXT};
use permission::Permission;
use serde_json::json;
use target::{Aim, Environment, Unrendered};

pub(crate) struct Commands {
    run: Run,
    state: State,
}

/// What stays the same through the run: where, with which settings, and the comment.
struct Run {
    repo: Repo,
    settings: Settings,
    context: RunContext,
    event: CommentEvent,
}

/// Where the run stands: the request it makes next, and what it carries to the state after.
enum State {
    /// 👀 on the comment, so the commenter sees it was seen (not in a dry run).
    Reacting(Result<Command, Malformed>),
    ReadingConfig(Command),
    CheckingPermission(Command, Config),
    /// The commenter's role is kept: an admin's `--force` also goes past a freeze window.
    ReadingPull(Command, Config, Role),
    /// `/deploy` runs the rules' own flow for its one target.
    Delivering(Box<Deliver>),
    Locking(Locking),
    Unlocking(Environment),
    /// `/promote`: the success status on this head commit.
    Promoting(String),
    Replying(Response),
    Done(Outcome),
}

struct Locking {
    environment: Environment,
    step: LockStep,
}

enum LockStep {
    /// Record who, why and from where in a tag on the head commit.
    Record { lock: Lock, on: String },
    /// Take the lock: create its ref, pointing to the tag. Only one of two at once succeeds.
    Take { tag: String },
    /// The ref exists: read it, to say who holds the lock ...
    ReadHolder,
    /// ... from the tag it points to.
    ReadHolderTag { sha: String },
}

/// What the run says on the pull request, and whether the step fails.
#[derive(Default)]
struct Response {
    text: String,
    failure: Option<String>,
    /// The deploy's own outcome (its outputs and decisions), when the command deployed.
    deployed: Option<Box<Outcome>>,
}

impl Response {
    fn says(text: String) -> Response {
        Response { text, failure: None, deployed: None }
    }

    fn fails(text: String, failure: String) -> Response {
        Response { text, failure: Some(failure), deployed: None }
    }

    /// What could not be done (our words) and why (outside text: inert in the reply, as it came in
    /// the step's failure); the step fails.
    fn could_not(doing: &str, reason: String) -> Response {
        Response::fails(format!("I could not {doing} ({}).", inert(&reason)), reason)
    }

    /// A request GitHub refused, or that got no answer: what could not be done, and the step fails.
    /// GitHub's words (or a proxy's page) are outside text: inert in the reply.
    fn trouble(doing: &str, answer: Answer, permission: Option<&str>) -> Response {
        match answer {
            Answer::Success { status, .. } => {
                let reason = format!("could not {doing}: GitHub's answer ({status}) is not one this step expects");
                Response::fails(format!("I {reason}"), reason)
            }
            failed => Response::fails(format!("I could not {doing}: {}", inert(&failed.explain(permission))), failed.refusal(doing, permission)),
        }
    }

    /// The deploy decided: its row is the reply.
    fn from_deploy(deliver: &Deliver, context: &RunContext) -> Response {
        let rows = deliver.rows();
        let failure = rows.iter().find_map(|row| match &row.decision {
            Decision::Failed { reason } => Some(format!("{}: {reason}", row.target)),
            _ => None,
        });
        Response { text: reply::deployed(rows.first(), context), failure, deployed: Some(Box::new(deliver.outcome())) }
    }
}

impl Commands {
    /// `Err`: nothing for the commands to do with this comment (the outcome says why).
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
        let author = &event.comment.user.login;
        if let Some(other) = rerun_by_another(author, &context.triggering_actor) {
            return quiet(&format!("@{other} re-ran the run of @{author}'s command: a command acts once, for whoever wrote it; nothing was done. Comment the command again."));
        }
        let run = Run { repo, settings, context, event };
        log.info(format!("@{} commented `{}` on #{}.", run.user(), run.first_line(), run.event.issue.number));
        let state = if run.settings.dry_run { Run::begin(command) } else { State::Reacting(command) };
        Ok(Commands { run, state })
    }
}

impl Flow for Commands {
    fn next(&mut self, log: &mut Log) -> Result<Request, Outcome> {
        let run = &self.run;
        let repo = &run.repo;
        // Each state asks its request, except two that settle without one: a decided deploy
        // becomes its reply, and a dry run's reply is only logged.
        let after = match &mut self.state {
            State::Reacting(_) => {
                let path = format!("{}/issues/comments/{}/reactions", github::repo_path(repo), run.event.comment.id);
                return Ok(Request::post(path, json!({ "content": "eyes" }), "react to the command with 👀"));
            }
            State::ReadingConfig(_) => return Ok(github::get_file(repo, &run.settings.config_path, Some(run.default_branch()))),
            State::CheckingPermission(..) => return Ok(github::get_permission(repo, run.user())),
            State::ReadingPull(..) => return Ok(github::get_pull(repo, run.event.issue.number)),
            State::Delivering(deliver) => match deliver.next(log) {
                Ok(request) => return Ok(request),
                Err(_) => State::Replying(Response::from_deploy(deliver, &run.context)),
            },
            State::Locking(Locking { environment, step }) => {
                return Ok(match step {
                    LockStep::Record { lock, on } => locks::create_tag(repo, lock, on),
                    LockStep::Take { tag } => locks::create_ref(repo, environment.name(), tag),
                    LockStep::ReadHolder => github::get_ref(repo, &locks::ref_name(environment.name())),
                    LockStep::ReadHolderTag { sha } => github::get_tag(repo, sha),
                });
            }
            State::Unlocking(environment) => return Ok(locks::delete(repo, environment.name())),
            State::Promoting(sha) => {
                let description = format!("Promoted by @{} in #{}", run.user(), run.event.issue.number);
                let body = json!({ "state": "success", "context": PROMOTION_CONTEXT, "description": description, "target_url": run.event.comment.html_url });
                let mut request = Request::post(format!("{}/statuses/{}", github::repo_path(repo), encode(sha)), body, format!("promote {}", short_sha(sha)));
                // The same status twice changes nothing.
                request.idempotent = true;
                return Ok(request);
            }
            State::Replying(response) if run.settings.dry_run => {
                log.info(format!("Dry run: would reply: @{} {}", run.user(), response.text));
                State::Done(run.finish(std::mem::take(response), Ok(())))
            }
            State::Replying(response) => {
                let path = format!("{}/issues/{}/comments", github::repo_path(repo), run.event.issue.number);
                return Ok(Request::post(path, json!({ "body": format!("@{} {}", run.user(), response.text) }), "reply to the command"));
            }
            State::Done(outcome) => return Err(outcome.clone()),
        };
        self.state = after;
        self.next(log)
    }

    fn absorb(&mut self, reply: Reply, log: &mut Log) {
        let state = std::mem::replace(&mut self.state, State::Done(Outcome::default()));
        self.state = self.run.absorb(state, reply, log);
    }

    fn zone_wanted(&mut self) -> Option<String> {
        match &mut self.state {
            State::Delivering(deliver) => deliver.zone_wanted(),
            _ => None,
        }
    }

    fn take_zone(&mut self, name: String, tzif: Option<Vec<u8>>) {
        if let State::Delivering(deliver) = &mut self.state {
            deliver.take_zone(name, tzif);
        }
    }
}

impl Run {
    fn user(&self) -> &str {
        &self.event.comment.user.login
    }

    fn first_line(&self) -> &str {
        self.event.comment.body.lines().next().unwrap_or_default().trim()
    }

    fn default_branch(&self) -> &str {
        &self.event.repository.default_branch
    }

    /// After the 👀: a malformed command is answered at once; the others need the config.
    fn begin(command: Result<Command, Malformed>) -> State {
        match command {
            Ok(command) => State::ReadingConfig(command),
            Err(malformed) => State::Replying(Response::says(reply::malformed(malformed))),
        }
    }

    /// The state a reply to the current state's request leads to.
    fn absorb(&self, state: State, answered: Reply, log: &mut Log) -> State {
        match state {
            State::Reacting(command) => {
                if let Some((status, message)) = answer(&answered).refused() {
                    log.warning(format!("Could not react to the comment ({status}: {message}); going on."));
                }
                Run::begin(command)
            }
            State::ReadingConfig(command) => match self.read_config(&answered, log) {
                // Anyone may ask for help, and the answer needs no pull request.
                Ok(config) if command == Command::Help => State::Replying(Response::says(reply::help(&config))),
                Ok(config) => State::CheckingPermission(command, config),
                Err(response) => State::Replying(response),
            },
            State::CheckingPermission(command, config) => match answer(&answered) {
                Answer::Success { body, .. } => match github::json(body, "read the commenter's permission") {
                    Ok(found) => self.permit(command, config, role_of(&found), log),
                    Err(reason) => State::Replying(Response::could_not("check your permission", reason)),
                },
                // 404: not a collaborator at all.
                Answer::NotFound { .. } => self.permit(command, config, Role::None, log),
                trouble => State::Replying(Response::trouble("read the commenter's permission", trouble, None)),
            },
            State::ReadingPull(command, config, role) => match answer(&answered) {
                Answer::Success { body, .. } => match github::json(body, "read the pull request").and_then(|object| PullRequest::from_object(object, 0)) {
                    Ok(pr) => self.act(command, config, pr, role, log),
                    Err(reason) => State::Replying(Response::could_not("read this pull request", reason)),
                },
                trouble => State::Replying(Response::trouble("read the pull request", trouble, Some("pull-requests: read"))),
            },
            State::Delivering(mut deliver) => {
                deliver.absorb(answered, log);
                State::Delivering(deliver)
            }
            State::Locking(Locking { environment, step }) => lock(environment, step, answer(&answered)),
            State::Unlocking(environment) => State::Replying(match answer(&answered) {
                Answer::Success { .. } => Response::says(reply::unlocked(&environment)),
                Answer::NotFound { .. } | Answer::Refused { status: 422, .. } => Response::says(reply::not_locked(&environment)),
                trouble => Response::trouble(&format!("unlock {}", reply::called(&environment)), trouble, Some("contents: write")),
            }),
            State::Promoting(sha) => State::Replying(match answer(&answered) {
                Answer::Success { .. } => Response::says(reply::promoted(&sha)),
                trouble => Response::trouble(&format!("promote {}", code(short_sha(&sha))), trouble, Some("statuses: write")),
            }),
            State::Replying(response) => {
                let posted = match answer(&answered) {
                    Answer::Success { .. } => Ok(()),
                    failed => Err(failed.refusal("reply on the pull request", Some("pull-requests: write"))),
                };
                State::Done(self.finish(response, posted))
            }
            State::Done(outcome) => State::Done(outcome),
        }
    }

    /// The config, or the reply that says why there is none (each problem logged at its place).
    fn read_config(&self, answered: &Reply, log: &mut Log) -> Result<Config, Response> {
        let path = &self.settings.config_path;
        let branch = self.default_branch();
        match ConfigFile::from_reply(answered, path, branch) {
            ConfigFile::Read(config) => {
                config_file::log_read(&config, path, branch, log);
                Ok(config)
            }
            ConfigFile::Missing => Err(Response::says(reply::no_config(path))),
            ConfigFile::Invalid(problems) => {
                config_file::log_problems(path, &problems, log);
                let located: String = problems.iter().map(|problem| format!("{}\n", problem.located(path))).collect();
                Err(Response::fails(reply::config_problems(&located), config_file::problems_failure(path, problems.len())))
            }
            ConfigFile::Unreadable(reason) => Err(Response::fails(reply::config_unreadable(&reason), reason)),
        }
    }

    fn permit(&self, command: Command, config: Config, role: Role, log: &mut Log) -> State {
        match permission::check(&command, &config, role) {
            Permission::Granted => State::ReadingPull(command, config, role),
            Permission::Denied { needed } => {
                log.info(format!("@{} ({}) may not run /{}: it needs {}.", self.user(), role.name(), command.word(), needed.name()));
                State::Replying(Response::says(reply::denied(self.user(), command.word(), needed, role)))
            }
        }
    }

    /// The command, with what it needs known: the config, and the pull request as it is now.
    fn act(&self, command: Command, config: Config, pr: PullRequest, role: Role, log: &mut Log) -> State {
        let says = |text| State::Replying(Response::says(text));
        let dry_run = self.settings.dry_run;
        match command {
            Command::Help => says(reply::help(&config)),
            Command::Deploy { target, force, params } => match target::aim(&config, target.as_deref(), pr.fork) {
                // Parameters the target does not take are refused, saying what it takes. An admin's
                // --force goes past a freeze window too, whatever `settings.commands.force` allows.
                Aim::Target(index) => match config.targets[index].params.accept(&params) {
                    Ok(params) => State::Delivering(Box::new(self.deliver(config, pr, index, force, Asked { task: None, params }, role >= Role::Admin, log))),
                    Err(refused) => says(reply::params_refused(&config.targets[index], &refused)),
                },
                Aim::NotNamed => says(reply::which_target(&config)),
                Aim::Unknown => says(reply::no_such_target(&config)),
                Aim::Fork(index) => says(reply::fork(&config.targets[index].name)),
            },
            Command::Lock { name, reason } => match self.environment(&config, &pr, &name) {
                Err(unrendered) => says(reply::unrendered(&unrendered)),
                Ok(environment) if dry_run => says(reply::dry_run("lock", &environment)),
                Ok(environment) => {
                    let lock = Lock { environment: environment.name().to_string(), by: self.user().to_string(), reason, pr: Some(pr.number), since: String::new() };
                    State::Locking(Locking { environment, step: LockStep::Record { lock, on: pr.head_sha } })
                }
            },
            Command::Unlock { name } => match self.environment(&config, &pr, &name) {
                Err(unrendered) => says(reply::unrendered(&unrendered)),
                Ok(environment) if dry_run => says(reply::dry_run("unlock", &environment)),
                Ok(environment) => State::Unlocking(environment),
            },
            Command::Promote { target: Some(name) } if target::find_target(&config.targets, &name).is_none() => says(reply::no_such_target(&config)),
            Command::Promote { .. } if dry_run => says(reply::dry_run_promote(&pr.head_sha)),
            Command::Promote { .. } => State::Promoting(pr.head_sha),
        }
    }

    /// `/deploy`: the deliver flow for one target and this pull request's head.
    fn deliver(&self, config: Config, pr: PullRequest, target: usize, force: bool, asked: Asked, admin: bool, log: &mut Log) -> Deliver {
        let (repo, settings, context) = (self.repo.clone(), self.settings.clone(), self.context.clone());
        Deliver::for_command(repo, settings, context, config, pr, target, force, asked, admin, self.default_branch().to_string(), log)
    }

    /// The environment a `/lock` or `/unlock` name stands for on this pull request.
    fn environment(&self, config: &Config, pr: &PullRequest, name: &str) -> Result<Environment, Unrendered> {
        let (git_ref, run_url) = (pr.git_ref(), self.context.run_url());
        let source = Source {
            git_ref: &git_ref,
            sha: &pr.head_sha,
            event_name: "issue_comment",
            run_url: &run_url,
            run_id: &self.context.run_id,
            owner: &self.repo.owner,
            repo: &self.repo.name,
            actor: self.user(),
            pull_request: Some(&pr.object),
            commit: None,
        };
        target::environment(config, name, &source)
    }

    fn finish(&self, response: Response, posted: Result<(), String>) -> Outcome {
        let mut outcome = response.deployed.map_or_else(|| Outcome::nothing_to_do(""), |outcome| *outcome);
        outcome.summary = reply::summary(self.user(), self.first_line(), &response.text);
        outcome.failure = response.failure.or(posted.err());
        outcome
    }
}

/// The lock's next step, or the reply, after the answer to the current step.
fn lock(environment: Environment, step: LockStep, answer: Answer) -> State {
    let next = |environment, step| State::Locking(Locking { environment, step });
    match (step, answer) {
        (LockStep::Record { .. }, Answer::Success { body, .. }) => {
            let tag = github::json(body, "record the lock").and_then(|v| github::text(&v, "/sha").map(str::to_string).ok_or_else(|| github::missing("record the lock", "sha")));
            match tag {
                Ok(tag) => next(environment, LockStep::Take { tag }),
                Err(reason) => State::Replying(Response::could_not(&format!("lock {}", reply::called(&environment)), reason)),
            }
        }
        (LockStep::Take { .. }, Answer::Success { .. }) => State::Replying(Response::says(reply::locked(&environment))),
        // The ref exists: someone holds the lock. Read who, to say so.
        (LockStep::Take { .. }, Answer::Refused { status: 422, .. }) => next(environment, LockStep::ReadHolder),
        (LockStep::ReadHolder, Answer::Success { body, .. }) => match github::json(body, "read the lock").ok().as_ref().and_then(|v| github::text(v, "/object/sha")) {
            Some(sha) => next(environment, LockStep::ReadHolderTag { sha: sha.to_string() }),
            None => State::Replying(Response::says(reply::already_locked(&environment, None))),
        },
        (LockStep::ReadHolderTag { .. }, Answer::Success { body, .. }) => {
            let lock = Lock::from_tag(body, environment.name());
            State::Replying(Response::says(reply::already_locked(&environment, Some(&lock))))
        }
        // Whoever holds it, it is held.
        (LockStep::ReadHolder | LockStep::ReadHolderTag { .. }, _) => State::Replying(Response::says(reply::already_locked(&environment, None))),
        (LockStep::Record { .. } | LockStep::Take { .. }, trouble) => {
            State::Replying(Response::trouble(&format!("lock {}", reply::called(&environment)), trouble, Some("contents: write")))
        }
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn githubs_words_in_a_reply_are_inert_and_the_failure_keeps_them_as_they_are() {
        let refused = Reply::ok(403, r#"{"message":"see [x](http://evil) @org/team"}"#);
        let response = Response::trouble("read the pull request", answer(&refused), Some("pull-requests: read"));
        assert_eq!(
            response.text,
            "I could not read the pull request: GitHub answered 403: see \\[x\\](http://evil) @\u{200D}org/team. The token may lack the permission: give the workflow \\`permissions: pull-requests: read\\` (or use a token that has it)."
        );
        assert_eq!(
            response.failure.as_deref(),
            Some("could not read the pull request: GitHub answered 403: see [x](http://evil) @org/team. The token may lack the permission: give the workflow `permissions: pull-requests: read` (or use a token that has it).")
        );
    }
}
