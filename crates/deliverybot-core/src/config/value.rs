//! The value of one key: what its key expects (true or false, a list of check names, a template,
//! a ref pattern, a role, a payload), or the problems that say what it got instead.

use super::{ControlCharacter, Payload, Role, Trigger};
use crate::diagnostic::{Diagnostic, Pos};
use crate::refs::{self, PULL_REQUEST_REFS};
use crate::template::{Place, Template};
use crate::yaml::{Node, Text, Value};

/// The problem of a value that is not what its key expects.
pub(super) fn expected(node: &Node, field: &str, what: &str) -> Diagnostic {
    Diagnostic::at(node.pos, format!("`{field}` must be {what}; this is {}", node.describe()))
}

pub(super) fn boolean(node: &Node, field: &str) -> Result<bool, Vec<Diagnostic>> {
    match node.value {
        Value::Bool(b) => Ok(b),
        _ => Err(vec![expected(node, field, "true or false")]),
    }
}

/// A role a command or target requires; `none` is not one to require.
pub(super) fn role(node: &Node, field: &str) -> Result<Role, Vec<Diagnostic>> {
    node.as_str()
        .and_then(Role::parse)
        .filter(|r| *r != Role::None)
        .ok_or_else(|| vec![expected(node, field, &format!("a role: {}", Role::NAMES.join(", ")))])
}

/// `required_contexts`: check names, each of them text.
pub(super) fn strings(node: &Node, field: &str) -> Result<Vec<String>, Vec<Diagnostic>> {
    let want = "a list of check names, like `[ci, security]`";
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_string).ok_or_else(|| vec![expected(item, field, want)]))
            .collect(),
        _ => Err(vec![expected(node, field, want)]),
    }
}

fn text<'n>(node: &'n Node, field: &str) -> Result<&'n Text, Vec<Diagnostic>> {
    match &node.value {
        Value::Str(text) => Ok(text),
        _ => Err(vec![expected(node, field, "text")]),
    }
}

/// `environment`, `task`, `description`: text that is not blank, compiled as a template.
pub(super) fn template(node: &Node, field: &str, place: Place) -> Result<Template, Vec<Diagnostic>> {
    let text = text(node, field)?;
    if text.value.trim().is_empty() {
        return Err(vec![Diagnostic::at(node.pos, format!("`{field}` cannot be empty"))]);
    }
    Template::compile(&text.value, node.pos, text.verbatim_at, place)
}

/// `environment` and `task`: as [`template`], and one line without control characters (see
/// [`ControlCharacter`]), its quoted defaults included. The first such character is reported where
/// it stands when the file holds the value one for one, else at the value.
pub(super) fn one_line_template(node: &Node, field: &str, place: Place) -> Result<Template, Vec<Diagnostic>> {
    let text = text(node, field)?;
    if let Some((index, found)) = ControlCharacter::find(&text.value) {
        let pos = text.verbatim_at.map_or(node.pos, |at| Pos { line: at.line, column: at.column + index });
        return Err(vec![Diagnostic::at(pos, format!("`{field}` contains {found}; an environment or a task is one line without control characters"))]);
    }
    template(node, field, place)
}

/// `auto_deploy_on`: `pr`, or a full ref (a pattern like `main` would never match one). Pull
/// requests deploy through `pr` only, under the fork and draft rules: a pattern that can select
/// their refs (`refs/pull/12/head`, `refs/pull/12/merge`) would deploy a fork's code on a
/// schedule or a check without them.
pub(super) fn trigger(node: &Node) -> Result<Trigger, Vec<Diagnostic>> {
    let pattern = &text(node, "auto_deploy_on")?.value;
    if pattern == "pr" {
        return Ok(Trigger::PullRequest);
    }
    if refs::has_dot_or_empty_parts(pattern) {
        return Err(vec![Diagnostic::at(
            node.pos,
            format!("`auto_deploy_on: {pattern}` is not a ref: git refs have no `..`, no empty part and no part that starts with `.`, and a request for it would read another ref"),
        )]);
    }
    if refs::pattern_selects_pull_requests(pattern) {
        let others = if pattern.to_ascii_lowercase().starts_with(PULL_REQUEST_REFS) { "" } else { "; for branches or tags, `refs/heads/*` or `refs/tags/*`" };
        return Err(vec![Diagnostic::at(
            node.pos,
            format!("`auto_deploy_on: {pattern}` would select pull requests' refs (`refs/pull/<number>/head` and `/merge`), forks' and drafts' too; use `auto_deploy_on: pr`, which follows `allow_forks` and `allow_drafts`{others}"),
        )]);
    }
    if pattern.starts_with("refs/") {
        return Ok(Trigger::Ref(pattern.clone()));
    }
    let hint = if pattern.starts_with('v') || pattern.contains('.') { "tags/" } else { "heads/" };
    Err(vec![Diagnostic::at(node.pos, format!("`auto_deploy_on` is a full ref (like `refs/{hint}{pattern}`) or `pr`; `{pattern}` would never match"))])
}

/// `payload`: JSON data, with templates in its keys and text; every problem in it at once.
pub(super) fn payload_map(entries: Vec<(Node, Node)>) -> Result<Vec<(Template, Payload)>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (key, value) in entries {
        let key = match &key.value {
            Value::Str(text) => Template::compile(&text.value, key.pos, text.verbatim_at, Place::Other),
            // JSON object keys are text: a number key becomes its text, as in JSON.
            Value::Int(i) => Ok(Template::literal(&i.to_string(), key.pos)),
            _ => Err(vec![Diagnostic::at(key.pos, format!("payload keys are text; this is {}", key.describe()))]),
        };
        match (key, payload(value)) {
            (Ok(key), Ok(value)) => out.push((key, value)),
            (key, value) => errors.extend(key.err().into_iter().chain(value.err()).flatten()),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

fn payload(node: Node) -> Result<Payload, Vec<Diagnostic>> {
    Ok(match node.value {
        Value::Null => Payload::Null,
        Value::Bool(b) => Payload::Bool(b),
        Value::Int(i) => Payload::Number(i.into()),
        Value::Float(x) => match serde_json::Number::from_f64(x) {
            Some(number) => Payload::Number(number),
            None => return Err(vec![Diagnostic::at(node.pos, "payload numbers must be finite (JSON has no .inf or .nan)")]),
        },
        Value::Str(text) => Payload::Text(Template::compile(&text.value, node.pos, text.verbatim_at, Place::Other)?),
        Value::Seq(items) => {
            let (mut list, mut errors) = (Vec::new(), Vec::new());
            for item in items {
                match payload(item) {
                    Ok(value) => list.push(value),
                    Err(found) => errors.extend(found),
                }
            }
            if !errors.is_empty() {
                return Err(errors);
            }
            Payload::List(list)
        }
        Value::Map(entries) => Payload::Map(payload_map(entries)?),
    })
}

#[cfg(test)]
mod tests {
    use super::super::{errors, Config};
    use super::*;

    #[test]
    fn templates_are_checked_when_the_config_is_read() {
        assert_eq!(
            errors("review:\n  environment: pr-${{ prr }}\n  payload:\n    ${{ sha }}: ${{ bad name }}\n"),
            [
                "2:19: in `${{ prr }}`: unknown variable `prr`; did you mean `pr`?",
                "4:17: in `${{ bad name }}`: `bad name` is not a variable name; variables are ref, branch, tag, sha, short_sha, target, environment, owner, repo, actor, event, run_id, pr, pull_request, commit",
            ]
        );
        // In quotes, an expression stands after the quote; after an escape, only the value's place is known.
        assert_eq!(errors("a:\n  task: 'x ${{ prr }}'\n")[0], "2:12: in `${{ prr }}`: unknown variable `prr`; did you mean `pr`?");
        assert_eq!(errors("a:\n  description: \"\\tx ${{ prr }}\"\n")[0], "2:16: in `${{ prr }}`: unknown variable `prr`; did you mean `pr`?");
    }

    #[test]
    fn an_environment_or_a_task_written_with_a_control_character_is_refused_where_it_stands() {
        let rule = "an environment or a task is one line without control characters";
        for &(control, named) in super::super::CONTROLS {
            // Written with a YAML escape, it is placed at the value; `\u` spells every character.
            let escaped = format!("\\u{:04X}", control as u32);
            assert_eq!(errors(&format!("a:\n  environment: \"x{escaped}\"\nb:\n  task: \"deploy:{escaped}\"\n")), [
                format!("2:16: `environment` contains {named}; {rule}"),
                format!("4:9: `task` contains {named}; {rule}"),
            ]);
        }
        // Where the file holds the value one for one, at the character itself.
        assert_eq!(errors("a:\n  environment: stag\ting\n"), [format!("2:20: `environment` contains a tab (U+0009); {rule}")]);
        assert_eq!(errors("a:\n  task: 'deploy \u{85}::x'\n"), [format!("2:17: `task` contains a next line (U+0085); {rule}")]);
        // A block scalar's line breaks, and a quoted default, are in the value too.
        assert_eq!(errors("a:\n  environment: |\n    staging\n"), [format!("3:5: `environment` contains a line feed (U+000A); {rule}")]);
        assert_eq!(errors("a:\n  task: \"${{ tag || 'x\\ny' }}\"\n"), [format!("2:9: `task` contains a line feed (U+000A); {rule}")]);
        // The description and the payload are free text.
        assert!(Config::parse("a:\n  environment: >-\n    staging\n  description: \"two\\nlines\"\n  payload: { notes: \"\\u001b[31m\" }\n").is_ok());
    }

    #[test]
    fn a_wrong_item_of_a_list_is_reported_where_it_stands() {
        let problem = "`required_contexts` must be a list of check names, like `[ci, security]`";
        assert_eq!(errors("web:\n  required_contexts: [ci, 'x', 1]\n"), [format!("2:32: {problem}; this is the number 1")]);
        assert_eq!(errors("web:\n  required_contexts:\n  - ci\n  - [y]\n"), [format!("4:5: {problem}; this is a list")]);
    }

    #[test]
    fn payloads_are_json_with_templates_in_their_text() {
        let target = Config::parse("web:\n  payload:\n    1: x\n    list: [true, ~, 2.5, \"${{ sha }}\"]\n").unwrap().targets.remove(0);
        assert_eq!(target.payload[0].0, Template::literal("1", Pos { line: 3, column: 5 }));
        assert!(matches!(&target.payload[1].1, Payload::List(items) if items.len() == 4));
        assert_eq!(
            errors("web:\n  payload:\n    a: .inf\n    ~: x\n    b: [.nan, ok]\n"),
            [
                "3:8: payload numbers must be finite (JSON has no .inf or .nan)",
                "4:5: payload keys are text; this is nothing (null)",
                "5:9: payload numbers must be finite (JSON has no .inf or .nan)",
            ]
        );
    }

    #[test]
    fn patterns_that_can_select_pull_request_refs_are_refused_and_point_to_pr() {
        let pull = "would select pull requests' refs (`refs/pull/<number>/head` and `/merge`), forks' and drafts' too; use `auto_deploy_on: pr`, which follows `allow_forks` and `allow_drafts`";
        let broad = "; for branches or tags, `refs/heads/*` or `refs/tags/*`";
        assert_eq!(
            errors("a:\n  auto_deploy_on: refs/pull/*\nb:\n  auto_deploy_on: refs/*\nc:\n  auto_deploy_on: refs/pu*\nd:\n  auto_deploy_on: refs/pull/12/head\ne:\n  auto_deploy_on: refs/PULL/*\n"),
            [
                format!("2:19: `auto_deploy_on: refs/pull/*` {pull}"),
                format!("4:19: `auto_deploy_on: refs/*` {pull}{broad}"),
                format!("6:19: `auto_deploy_on: refs/pu*` {pull}{broad}"),
                format!("8:19: `auto_deploy_on: refs/pull/12/head` {pull}"),
                format!("10:19: `auto_deploy_on: refs/PULL/*` {pull}"),
            ]
        );
        // Patterns beside `refs/pull/` stay valid.
        let config = Config::parse("a:\n  auto_deploy_on: refs/pulls/*\nb:\n  auto_deploy_on: refs/heads/pull/*\nc:\n  auto_deploy_on: refs/pull\n").unwrap();
        assert_eq!(config.targets.len(), 3);
    }

    #[test]
    fn patterns_with_parts_a_url_resolves_are_refused() {
        assert_eq!(
            errors("a:\n  auto_deploy_on: refs/heads/../pull/1/head\nb:\n  auto_deploy_on: refs//pull/*\n"),
            [
                "2:19: `auto_deploy_on: refs/heads/../pull/1/head` is not a ref: git refs have no `..`, no empty part and no part that starts with `.`, and a request for it would read another ref",
                "4:19: `auto_deploy_on: refs//pull/*` is not a ref: git refs have no `..`, no empty part and no part that starts with `.`, and a request for it would read another ref",
            ]
        );
        assert!(Config::parse("a:\n  auto_deploy_on: refs/tags/v1.2.*\n").is_ok());
    }

    #[test]
    fn auto_deploy_on_is_a_full_ref_or_pr() {
        assert_eq!(errors("web:\n  auto_deploy_on: v1.0\n"), ["2:19: `auto_deploy_on` is a full ref (like `refs/tags/v1.0`) or `pr`; `v1.0` would never match"]);
        assert_eq!(errors("web:\n  auto_deploy_on: [pr]\n"), ["2:19: `auto_deploy_on` must be text; this is a list"]);
        assert_eq!(errors("web:\n  auto_deploy_on: '*'\n")[0], "2:19: `auto_deploy_on: *` would select pull requests' refs (`refs/pull/<number>/head` and `/merge`), forks' and drafts' too; use `auto_deploy_on: pr`, which follows `allow_forks` and `allow_drafts`; for branches or tags, `refs/heads/*` or `refs/tags/*`");
        assert_eq!(errors("web:\n  permission: none\n"), ["2:15: `permission` must be a role: read, triage, write, maintain, admin; this is the string \"none\""]);
    }
}
