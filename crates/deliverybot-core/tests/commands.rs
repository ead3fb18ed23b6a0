//! Pull request commands through the engine: parsing, permissions, locks and every reply.

mod common;

use common::{comment, GitHub, OLD, SHA};
use deliverybot_core::Method;
use serde_json::json;

const CONFIG: &str = "\
settings:
  commands:
    default_target: review
review:
  auto_deploy_on: pr
  environment: pr${{ pr }}
staging:
  environment: staging
  required_contexts: [ci]
production:
  environment: production
  required_contexts: [ci, deliverybot/promotion]
  permission: admin
";

fn repo() -> GitHub {
    repo_with(CONFIG)
}

fn repo_with(config: &str) -> GitHub {
    let mut github = GitHub::with_config(config);
    github.pulls.insert(2, common::pull_request(2, SHA, false, false));
    github.roles.insert("writer".into(), "write".into());
    github.roles.insert("reader".into(), "read".into());
    github.roles.insert("boss".into(), "admin".into());
    github
}

fn reply(github: &GitHub) -> &str {
    assert_eq!(github.comments.len(), 1, "one reply per command: {:?}", github.comments);
    &github.comments[0]
}

#[test]
fn deploy_by_a_writer_reacts_deploys_the_head_and_replies_once() {
    let mut github = repo();
    github.statuses = vec![("ci".into(), "success".into())];
    let outcome = github.run(comment("/deploy staging", "writer"));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(github.requests[0].path, "/repos/octo/app/issues/comments/77/reactions", "👀 first");
    let created = github.created();
    assert_eq!(created.len(), 1);
    assert_eq!((created[0]["ref"].as_str(), created[0]["environment"].as_str()), (Some(SHA), Some("staging")));
    assert_eq!(created[0]["payload"]["deliverybot"]["event"], "issue_comment");
    assert_eq!(reply(&github), "@writer 🚀 Deploying `a1b2c3d` to [staging](https://github.com/octo/app/deployments/staging) (deployment 100).");
}

#[test]
fn a_reader_gets_a_polite_no_and_nothing_happens() {
    let mut github = repo();
    let outcome = github.run(comment("/deploy staging", "reader"));
    assert_eq!(outcome.failure, None);
    assert!(github.created().is_empty());
    assert_eq!(reply(&github), "@reader Sorry @reader, `/deploy` needs the **write** role on this repository (you have read). Ask someone who has it.");
    let mut github = repo();
    github.run(comment("/deploy staging", "stranger"));
    assert!(reply(&github).contains("(you have none)"));
}

#[test]
fn a_target_can_ask_for_more_than_the_command() {
    let mut github = repo();
    github.run(comment("/deploy production", "writer"));
    assert!(github.created().is_empty());
    assert!(reply(&github).contains("`/deploy` needs the **admin** role"));
}

#[test]
fn unknown_targets_list_the_valid_ones_and_bare_deploy_uses_the_default() {
    let mut github = repo();
    github.run(comment("/deploy stagign", "writer"));
    // The name is not repeated: a reply quotes a comment at most by its command word.
    assert_eq!(reply(&github), "@writer There is no target of that name. The targets are `review`, `staging`, `production`.");
    let mut github = repo();
    github.run(comment("/deploy", "writer"));
    assert_eq!(github.created()[0]["environment"], "pr2");
}

#[test]
fn waiting_checks_are_named_and_force_skips_them_for_admins_only() {
    let mut github = repo();
    github.run(comment("/deploy staging", "writer"));
    assert!(github.created().is_empty());
    assert!(reply(&github).starts_with("@writer ⏳ Not deployed: `a1b2c3d` is waiting for ci (not reported yet)."), "{}", reply(&github));

    let mut github = repo();
    github.run(comment("/deploy staging --force", "writer"));
    assert!(reply(&github).contains("`/deploy` needs the **admin** role"));

    let mut github = repo();
    let outcome = github.run(comment("/deploy staging --force", "boss"));
    assert_eq!(outcome.failure, None);
    assert_eq!(github.created()[0]["required_contexts"], json!([]), "GitHub must not check them either");
}

#[test]
fn comments_that_are_not_new_commands_on_pull_requests_do_nothing() {
    for invocation in [
        { let mut i = comment("/deploy staging", "writer"); i.event = i.event.replace("\"created\"", "\"edited\""); i },
        { let mut i = comment("/deploy staging", "writer"); i.event = i.event.replace("\"pull_request\":{\"url\":\"https://api.github.com/repos/octo/app/pulls/2\"}", "\"pull_request\":null"); i },
        comment("please /deploy staging", "writer"),
        comment("/assign @octocat", "writer"),
    ] {
        let mut github = repo();
        let outcome = github.run(invocation);
        assert_eq!(outcome.failure, None);
        assert!(github.requests.is_empty(), "{:?}", github.paths());
    }
}

#[test]
fn malformed_commands_are_explained() {
    let mut github = repo();
    github.run(comment("/deploy staging --now", "writer"));
    assert_eq!(reply(&github), "@writer `/deploy` has one flag, `--force` (skip the required checks). `/help` lists the commands.");
    assert!(github.created().is_empty());
}

#[test]
fn help_lists_the_commands_and_targets_for_anyone() {
    let mut github = repo();
    github.run(comment("/help", "stranger"));
    let text = reply(&github);
    assert!(text.contains("`/deploy <target> [--force] [name=value ...]`") && text.contains("Targets: `review`, `staging`, `production`."), "{text}");
    assert!(!github.paths().iter().any(|p| p.contains("/permission")), "no permission needed");
}

#[test]
fn a_lock_blocks_every_path_until_unlocked_and_says_who_holds_it() {
    let mut github = repo();
    github.statuses = vec![("ci".into(), "success".into())];
    github.run(comment("/lock staging incident 42", "writer"));
    assert_eq!(reply(&github), "@writer 🔒 Locked **staging**: no deployment reaches it until `/unlock staging`.");
    assert!(github.refs.contains_key("deliverybot/locks/staging"));

    // A second /lock: exactly one wins, the other says who holds it.
    github.comments.clear();
    github.run(comment("/lock staging", "boss"));
    // The holder is named, not mentioned (a zero-width joiner after `@`).
    assert_eq!(reply(&github), "@boss **staging** is already locked by @\u{200D}writer since 2026-11-26T10:00:00Z (from #2): incident 42.");

    // A command deploy is blocked.
    github.comments.clear();
    github.run(comment("/deploy staging", "writer"));
    assert!(github.created().is_empty());
    assert!(reply(&github).starts_with("@writer 🔒 Not deployed: staging is locked by @\u{200D}writer"), "{}", reply(&github));

    // And so is an automatic deploy.
    let mut auto = GitHub::with_config("staging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\n");
    auto.refs = github.refs.clone();
    auto.refs.insert("heads/main".into(), common::SHA.into());
    auto.tags = github.tags.clone();
    let outcome = auto.run(deliverybot_core::Invocation::example_push("refs/heads/main"));
    assert_eq!(outcome.failure, None);
    assert!(auto.created().is_empty());
    assert!(common::json_output(&outcome, "skipped")[0]["reason"].as_str().unwrap().starts_with("staging is locked by @writer"));

    // Unlocked, it deploys again.
    github.comments.clear();
    github.run(comment("/unlock staging", "writer"));
    assert_eq!(reply(&github), "@writer 🔓 Unlocked **staging**.");
    github.comments.clear();
    github.run(comment("/unlock staging", "writer"));
    assert_eq!(reply(&github), "@writer **staging** was not locked.");
    github.comments.clear();
    github.run(comment("/deploy staging", "writer"));
    assert_eq!(github.created().len(), 1);
}

#[test]
fn promote_marks_the_head_for_targets_that_require_it() {
    let mut github = repo();
    github.run(comment("/promote production", "writer"));
    assert!(reply(&github).contains("needs the **admin** role"), "the target's permission applies");
    let mut github = repo();
    let outcome = github.run(comment("/promote production", "boss"));
    assert_eq!(outcome.failure, None);
    assert_eq!(github.created_statuses, [("deliverybot/promotion".to_string(), SHA.to_string())]);
    let status = github.requests.iter().find(|r| r.path.contains("/statuses/")).unwrap();
    assert_eq!(status.method, Method::Post);
    assert_eq!(status.body.clone().unwrap()["description"], "Promoted by @boss in #2");
    assert!(reply(&github).starts_with("@boss ✅ Promoted `a1b2c3d`"));
}

#[test]
fn an_invalid_config_is_the_reply() {
    let mut github = GitHub::with_config("staging:\n  auto_merge: yes\n");
    github.roles.insert("writer".into(), "write".into());
    let outcome = github.run(comment("/deploy staging", "writer"));
    assert!(outcome.failure.is_some());
    let text = reply(&github);
    assert!(text.contains("The deploy config has problems") && text.contains(".github/deploy.yml:2:15: `auto_merge` must be true or false"), "{text}");
}

#[test]
fn a_deploy_of_an_old_head_is_not_a_thing_the_head_is_read_fresh() {
    let mut github = repo();
    github.pulls.insert(2, common::pull_request(2, OLD, false, false));
    github.statuses = vec![("ci".into(), "success".into())];
    github.run(comment("/deploy staging", "writer"));
    assert_eq!(github.created()[0]["ref"], OLD, "the pull request's head now, as read");
}

#[test]
fn a_dry_run_writes_nothing_not_even_the_reply() {
    for body in ["/lock staging", "/unlock staging", "/promote", "/deploy review"] {
        let mut github = repo();
        let mut invocation = comment(body, "writer");
        invocation.inputs.insert("dry-run".into(), "true".into());
        let outcome = github.run(invocation);
        assert_eq!(outcome.failure, None, "{body}");
        assert!(github.writes().is_empty(), "{body}: {:?}", github.paths());
        assert!(github.logged("Dry run: would reply: @writer"), "{body}");
    }
}

#[test]
fn a_bare_promote_needs_what_the_targets_that_require_promotion_need() {
    let mut github = repo();
    github.run(comment("/promote", "writer"));
    assert!(reply(&github).contains("`/promote` needs the **admin** role"), "{}", reply(&github));
    assert!(github.created_statuses.is_empty());
}

#[test]
fn a_fork_is_deployed_by_command_only_to_targets_that_allow_forks() {
    let mut github = repo();
    github.pulls.insert(2, common::pull_request(2, SHA, true, false));
    github.run(comment("/deploy review", "writer"));
    assert!(github.created().is_empty());
    assert!(reply(&github).contains("comes from a fork; `review` does not deploy forks"), "{}", reply(&github));
}

#[test]
fn locks_ignore_case_like_environment_names_and_warn_about_unknown_ones() {
    let mut github = repo();
    github.statuses = vec![("ci".into(), "success".into())];
    github.run(comment("/lock Staging", "writer"));
    assert!(github.refs.contains_key("deliverybot/locks/staging"));
    github.comments.clear();
    github.run(comment("/deploy staging", "writer"));
    assert!(reply(&github).starts_with("@writer 🔒 Not deployed"), "{}", reply(&github));
    let mut github = repo();
    github.run(comment("/lock prodution", "writer"));
    assert!(reply(&github).contains("No target of this config deploys to an environment of that name"), "{}", reply(&github));
    assert!(!reply(&github).contains("prodution"), "the commenter's words are not repeated: {}", reply(&github));
}

#[test]
fn a_lock_holds_its_environment_in_every_spelling_beyond_ascii() {
    // (as the config spells it, as `/lock` and `/unlock` are typed, as the deploying config spells it)
    for (spelled, typed, deployed, unlocked) in [
        ("Île-de-France", "ÎLE-DE-FRANCE", "île-de-france", "Île-De-France"),
        ("ÉTÉ", "été", "Été", "éTÉ"),
        ("Straße", "STRAẞE", "straße", "STRAßE"),
        ("İstanbul", "İSTANBUL", "i\u{307}stanbul", "İstanBUL"),
    ] {
        let mut github = repo_with(&format!("region:\n  environment: {spelled}\n"));
        github.run(comment(&format!("/lock {typed} heat wave"), "writer"));
        assert_eq!(reply(&github), format!("@writer 🔒 Locked **{spelled}**: no deployment reaches it until `/unlock {spelled}`."));

        let mut auto = GitHub::with_config(&format!("region:\n  auto_deploy_on: refs/heads/main\n  environment: {deployed}\n"));
        auto.refs = github.refs.clone();
        auto.refs.insert("heads/main".into(), common::SHA.into());
        auto.tags = github.tags.clone();
        let outcome = auto.run(deliverybot_core::Invocation::example_push("refs/heads/main"));
        assert!(auto.created().is_empty(), "a lock on {typed} stops a deploy to {deployed}");
        let reason = common::json_output(&outcome, "skipped")[0]["reason"].as_str().unwrap().to_string();
        assert!(reason.starts_with(&format!("{deployed} is locked by @writer")), "{reason}");

        github.comments.clear();
        github.run(comment(&format!("/lock {deployed}"), "boss"));
        assert!(reply(&github).starts_with(&format!("@boss **{spelled}** is already locked by")), "{}", reply(&github));

        github.comments.clear();
        github.run(comment(&format!("/unlock {unlocked}"), "writer"));
        assert_eq!(reply(&github), format!("@writer 🔓 Unlocked **{spelled}**."));
        assert!(github.refs.is_empty(), "{:?}", github.refs);
        auto.refs.retain(|name, _| !name.starts_with("deliverybot/"));
        auto.run(deliverybot_core::Invocation::example_push("refs/heads/main"));
        assert_eq!(auto.created().len(), 1, "unlocked, {deployed} is deployed");
    }
}

// ── markup from strangers ────────────────────────────────────────────────────────────────────────

const HOSTILE: &str = "![x](http://evil) @org/team [link](http://x)";

/// Whether a reply carries any of `HOSTILE`'s markup (an image, a link, a team mention).
fn carries_markup(text: &str) -> bool {
    ["evil", "@org/team", "[link]", "http://x"].iter().any(|bit| text.contains(bit))
}

#[test]
fn a_command_full_of_markup_is_answered_without_it_whoever_wrote_it() {
    for (login, body) in [
        ("writer", format!("/deploy {HOSTILE}")),
        ("reader", format!("/deploy {HOSTILE}")),
        ("stranger", format!("/deploy {HOSTILE}")),
        ("writer", "/deploy ![x](http://evil)".to_string()),
        ("reader", format!("/lock {HOSTILE}")),
        ("writer", format!("/promote {HOSTILE}")),
        ("writer", format!("/unlock {HOSTILE}")),
    ] {
        let mut github = repo();
        let outcome = github.run(comment(&body, login));
        let text = reply(&github);
        assert!(text.starts_with(&format!("@{login} ")), "{text}");
        assert!(!carries_markup(text), "{login}: {body}: {text}");
        assert!(github.created().is_empty());
        // The job summary shows the command, as code (nothing in it renders).
        assert!(outcome.summary.contains(&format!("@{login}: `{body}`\n")), "{}", outcome.summary);
    }
}

#[test]
fn someone_without_permission_gets_nothing_of_theirs_back() {
    let mut github = repo();
    github.run(comment(&format!("/lock {HOSTILE}"), "reader"));
    assert_eq!(reply(&github), "@reader Sorry @reader, `/lock` needs the **write** role on this repository (you have read). Ask someone who has it.");
    assert!(github.refs.is_empty());
}

#[test]
fn a_malformed_lock_with_markup_is_explained_by_its_word_alone() {
    for login in ["writer", "stranger"] {
        let mut github = repo();
        let outcome = github.run(comment(&format!("/lock --now {HOSTILE}\n{HOSTILE}"), login));
        assert_eq!(reply(&github), format!("@{login} `/lock` takes no flags. `/help` lists the commands."));
        assert_eq!(outcome.failure, None);
        // 👀 and the reply: the config and the permission are not even read.
        assert_eq!(github.requests.len(), 2, "{:?}", github.paths());
    }
}

#[test]
fn a_lock_reason_with_markup_is_shown_inert_to_the_next_comer() {
    let mut github = repo();
    github.statuses = vec![("ci".into(), "success".into())];
    github.run(comment(&format!("/lock staging {HOSTILE}"), "writer"));
    assert_eq!(reply(&github), "@writer 🔒 Locked **staging**: no deployment reaches it until `/unlock staging`.");
    github.comments.clear();
    github.run(comment("/lock staging", "boss"));
    assert_eq!(
        reply(&github),
        "@boss **staging** is already locked by @\u{200D}writer since 2026-11-26T10:00:00Z (from #2): !\\[x\\](http://evil) @\u{200D}org/team \\[link\\](http://x)."
    );
    github.comments.clear();
    github.run(comment("/deploy staging", "writer"));
    assert!(reply(&github).contains("@\u{200D}org/team \\[link\\](http://x). `/unlock staging` lifts it."), "{}", reply(&github));
}

#[test]
fn a_lock_on_a_name_no_target_has_does_not_repeat_it() {
    let mut github = repo();
    github.run(comment("/lock ![x](http://evil)", "writer"));
    assert!(reply(&github).starts_with("@writer 🔒 Locked the environment you named: "), "{}", reply(&github));
    assert!(github.refs.contains_key("deliverybot/locks/%21%5Bx%5D%28http%3A%2F%2Fevil%29"), "{:?}", github.refs.keys());
    github.comments.clear();
    github.run(comment("/lock ![x](http://evil)", "boss"));
    assert!(reply(&github).starts_with("@boss The environment you named is already locked"), "{}", reply(&github));
    let mut github = repo();
    github.run(comment("/unlock prodution", "writer"));
    assert_eq!(reply(&github), "@writer The environment you named was not locked.");
}

const PARAMETERISED: &str = "\
canary:
  environment: canary
  params:
    region: { type: string, enum: [eu, us], required: true }
    replicas: { type: number, default: 2 }
anything:
  environment: anything
";

#[test]
fn deploy_with_parameters_puts_them_in_the_payload_typed_with_defaults() {
    let mut github = repo_with(PARAMETERISED);
    let outcome = github.run(comment(r#"/deploy canary region=eu"#, "writer"));
    assert_eq!(outcome.failure, None, "{:?}", github.log);
    assert_eq!(github.created()[0]["payload"]["params"], json!({ "region": "eu", "replicas": 2 }));

    let mut github = repo_with(PARAMETERISED);
    github.run(comment(r#"/deploy anything note="two words" n=3 t='${{ sha }}'"#, "writer"));
    assert_eq!(github.created()[0]["payload"]["params"], json!({ "note": "two words", "n": "3", "t": "${{ sha }}" }), "any, as text, never rendered");
}

#[test]
fn parameters_the_target_does_not_take_are_refused_naming_what_it_takes() {
    let takes = "it takes `region` (one of `eu`, `us`; required), `replicas` (a number; default `2`).";
    for (body, why) in [
        ("/deploy canary region=asia", "the parameter `region` of `canary` must be one of `eu`, `us`"),
        ("/deploy canary region=eu replicas=many", "the parameter `replicas` of `canary` must be a number"),
        ("/deploy canary replicas=3", "`canary` needs the parameter `region`"),
        ("/deploy canary region=eu regoin=us", "`canary` takes no parameter `regoin`"),
    ] {
        let mut github = repo_with(PARAMETERISED);
        let outcome = github.run(comment(body, "writer"));
        assert_eq!(outcome.failure, None);
        assert!(github.created().is_empty());
        assert_eq!(reply(&github), format!("@writer Not deployed: {why}; {takes}"));
    }
}

#[test]
fn parameters_that_cannot_be_read_are_explained_without_repeating_them() {
    let mut github = repo_with(PARAMETERISED);
    github.run(comment(r#"/deploy canary region="![x](http://evil)"#, "writer"));
    assert!(github.created().is_empty());
    assert_eq!(reply(&github), "@writer `/deploy` parameters are `name=value` or `name=\"two words\"`, and a quote is not closed. `/help` lists the commands.");
}

#[test]
fn parameters_need_the_role_deploy_needs() {
    let mut github = repo_with(PARAMETERISED);
    github.run(comment("/deploy canary region=eu", "reader"));
    assert!(github.created().is_empty());
    assert!(reply(&github).starts_with("@reader Sorry @reader, `/deploy` needs the **write** role"));
}

#[test]
fn a_rerun_by_someone_else_does_not_act_on_the_authors_role() {
    // GitHub re-runs with the privileges of whoever triggered the run first: @boss's role would be
    // read for @writer, who re-ran it.
    let mut github = repo();
    let mut rerun = comment("/deploy production", "boss");
    rerun.context.triggering_actor = "writer".into();
    let outcome = github.run(rerun);
    assert_eq!(outcome.failure, None);
    assert!(github.requests.is_empty(), "not even a reaction: {:?}", github.paths());
    assert!(outcome.summary.contains("@writer re-ran the run of @boss's command: a command acts once, for whoever wrote it; nothing was done."), "{}", outcome.summary);

    // The author's own re-run acts (logins ignore case).
    let mut github = repo();
    let mut own = comment("/deploy review", "boss");
    own.context.triggering_actor = "Boss".into();
    github.run(own);
    assert_eq!(github.created().len(), 1);
}
