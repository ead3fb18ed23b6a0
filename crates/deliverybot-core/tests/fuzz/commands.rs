//! The `commands` fuzz target.

use super::*;

/// Pull request comments: generated commands (words, case, arguments, flags, white space, more
/// lines) and arbitrary text, by commenters of every role, run end to end against `Chaos`.
#[test]
pub(crate) fn commands() {
    harness::fuzz("commands", commands_case, |case| {
        let mut canned = GitHub::with_config(COMMANDS_CONFIG);
        canned.pulls.insert(2, common::pull_request(2, SHA, case.fork, false));
        for (login, role) in [("admin", "admin"), ("writer", "write"), ("reader", "read")] {
            canned.roles.insert(login.into(), role.into());
        }
        canned.statuses = vec![("ci".into(), "success".into())];
        let mut github = Chaos::new(canned, case.twists.clone());
        let mut invocation = common::comment(&case.body, &case.login);
        if case.dry_run {
            invocation.inputs.insert("dry-run".into(), "true".into());
        }
        github.run(invocation)
    });
}

pub(crate) const COMMANDS_CONFIG: &str = "settings:\n  commands:\n    default_target: review\nreview:\n  auto_deploy_on: pr\n  environment: pr${{ pr }}\n  transient_environment: true\nstaging:\n  environment: staging\n  required_contexts: [ci]\n  params:\n    region: { enum: [eu, us] }\nproduction:\n  required_contexts: [ci, deliverybot/promotion]\n  permission: admin\n";

pub(crate) const COMMAND_WORDS: &[&str] = &["deploy", "lock", "unlock", "promote", "help", "Deploy", "LOCK", "assign", "", "deploy-now"];
pub(crate) const COMMAND_ARGS: &[&str] = &["review", "staging", "production", "Production", "pr2", "prod", "--force", "--now", "-f", "incident", "é", "${{ sha }}", "::error::x", "a/b", "x.lock", "region=eu", "n=\"two words\"", "x='y", "a=\\q", "=", "region=eu region=us"];

#[derive(Clone, Debug)]
pub(crate) struct CommandsCase {
    body: String,
    login: String,
    fork: bool,
    dry_run: bool,
    twists: Vec<Twist>,
}

prop_compose! {
    fn commands_case()(
        body in prop_oneof![
            6 => ("[ \t]{0,2}", select(COMMAND_WORDS), vec(select(COMMAND_ARGS), 0..4), "[ \t]{0,3}", option::of("\n[^\u{0}]{0,40}"))
                .prop_map(|(lead, word, args, gap, more)| format!("{lead}/{word} {}{gap}{}", args.join(" "), more.unwrap_or_default())),
            1 => any::<String>(),
            1 => "/[a-z]{0,8}( [^\n]{0,20}){0,3}",
        ],
        login in select(vec!["admin", "writer", "reader", "stranger"]).prop_map(str::to_string),
        fork in any::<bool>(),
        dry_run in any::<bool>(),
        twists in twists(),
    ) -> CommandsCase {
        CommandsCase { body, login, fork, dry_run, twists }
    }
}

impl Case for CommandsCase {
    fn dump(&self) -> String {
        format!("== comment by {} (fork: {}, dry run: {}) ==\n{}\n== replies twisted ==\n{:#?}", self.login, self.fork, self.dry_run, self.body, self.twists)
    }
}
