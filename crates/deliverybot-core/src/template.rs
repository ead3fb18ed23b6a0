//! `${{ expression }}` in `environment`, `task`, `description` and anywhere in `payload`.
//!
//! Templates are compiled when the config is read, so an unknown variable or a broken expression is
//! a config error with its position before anything runs. Rendering substitutes values once, as
//! data: nothing is HTML-escaped, and text that comes from the event (a branch name, a pull request
//! title) is never itself read as a template.
//!
//! An expression is a variable, or alternatives separated by `||`, the last of which may be a
//! quoted literal: `${{ pr || 'main' }}` takes the first alternative that has a value.

use crate::diagnostic::{closest, Diagnostic, Pos};
use serde_json::Value;

/// The variables a template may use; `pull_request.*` and `commit.*` take any path below them.
pub const VARIABLES: &[&str] = &[
    "ref", "branch", "tag", "sha", "short_sha", "target", "environment", "owner", "repo", "actor", "event", "run_id", "pr",
    "pull_request", "commit",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Var {
    /// A variable with a single value, by name (`ref`, `sha`, ...).
    Named(&'static str),
    /// `pull_request.head.ref`: the path below the pull request object.
    PullRequest(Vec<String>),
    /// `commit.message`: the path below the commit (fetched only when a template uses it).
    Commit(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Var(Var),
    Literal(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Expr {
    /// The expression as written, for messages.
    source: String,
    alternatives: Vec<Operand>,
    pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Expr(Expr),
}

/// A string of the config, compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
    pub pos: Pos,
}

/// Where a template may stand decides what it may use: `environment` cannot use itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Environment,
    Other,
}

impl Template {
    pub fn literal(text: &str, pos: Pos) -> Template {
        Template { parts: vec![Part::Text(text.to_string())], pos }
    }

    /// Compiles the text of a config value that stands at `pos`. `verbatim_at` is where its first
    /// character stands when the file holds its characters one for one on one line: each
    /// expression is then placed exactly; otherwise its problems are placed at the value.
    pub fn compile(text: &str, pos: Pos, verbatim_at: Option<Pos>, place: Place) -> Result<Template, Vec<Diagnostic>> {
        let mut parts = Vec::new();
        let mut errors = Vec::new();
        let mut rest = text;
        let mut offset = 0; // characters of `text` consumed so far
        let at = |chars: usize| match verbatim_at {
            Some(start) => Pos { line: start.line, column: start.column + chars },
            None => pos,
        };
        while let Some(open) = rest.find("${{") {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            offset += rest[..open].chars().count();
            let after = &rest[open + 3..];
            let Some(close) = after.find("}}") else {
                errors.push(Diagnostic::at(at(offset), "`${{` is not closed: end the expression with `}}`"));
                rest = "";
                break;
            };
            let source = &after[..close];
            let expr_pos = at(offset);
            match parse_expr(source.trim(), place) {
                Ok(alternatives) => {
                    parts.push(Part::Expr(Expr { source: format!("${{{{ {} }}}}", source.trim()), alternatives, pos: expr_pos }))
                }
                Err(message) => errors.push(Diagnostic::at(expr_pos, format!("in `${{{{{source}}}}}`: {message}"))),
            }
            offset += source.chars().count() + 5;
            rest = &after[close + 2..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        if errors.is_empty() { Ok(Template { parts, pos }) } else { Err(errors) }
    }

    pub fn uses(&self, wanted: &dyn Fn(&Var) -> bool) -> bool {
        self.parts.iter().any(|part| match part {
            Part::Expr(expr) => expr.alternatives.iter().any(|op| matches!(op, Operand::Var(var) if wanted(var))),
            Part::Text(_) => false,
        })
    }

    /// The text with every expression replaced by its value.
    pub fn render(&self, vars: &dyn Lookup) -> Result<String, Diagnostic> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Expr(expr) => out.push_str(&as_text(&expr.evaluate(vars)?)),
            }
        }
        Ok(out)
    }

    /// As `render`, but a template that is one expression and nothing else keeps its value's type
    /// (`pr: ${{ pr }}` gives the number 12, not the string "12").
    pub fn render_value(&self, vars: &dyn Lookup) -> Result<Value, Diagnostic> {
        match self.parts.as_slice() {
            [Part::Expr(expr)] => expr.evaluate(vars),
            _ => self.render(vars).map(Value::String),
        }
    }
}

impl Expr {
    fn evaluate(&self, vars: &dyn Lookup) -> Result<Value, Diagnostic> {
        let mut missing = Vec::new();
        for operand in &self.alternatives {
            match operand {
                Operand::Literal(text) => return Ok(Value::String(text.clone())),
                Operand::Var(var) => match vars.lookup(var) {
                    Some(value) if !is_empty(&value) => return Ok(value),
                    _ => missing.push(name_of(var)),
                },
            }
        }
        let event = vars.event_name();
        let message = match missing.as_slice() {
            [one] => format!("`{}`: `{one}` has no value on this `{event}` event; give a default, like `${{{{ {one} || 'none' }}}}`", self.source),
            many => format!("`{}`: none of {} has a value on this `{event}` event; end with a default, like `|| 'none'`", self.source, many.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")),
        };
        Err(Diagnostic::at(self.pos, message))
    }
}

/// What a template can read: the variables of one deployment.
pub trait Lookup {
    fn lookup(&self, var: &Var) -> Option<Value>;
    fn event_name(&self) -> &str;
}

fn is_empty(value: &Value) -> bool {
    matches!(value, Value::Null) || value.as_str() == Some("")
}

fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn name_of(var: &Var) -> String {
    match var {
        Var::Named(name) => name.to_string(),
        Var::PullRequest(path) => std::iter::once("pull_request").chain(path.iter().map(String::as_str)).collect::<Vec<_>>().join("."),
        Var::Commit(path) => std::iter::once("commit").chain(path.iter().map(String::as_str)).collect::<Vec<_>>().join("."),
    }
}

fn parse_expr(source: &str, place: Place) -> Result<Vec<Operand>, String> {
    if source.is_empty() {
        return Err("the expression is empty; write a variable, like `${{ sha }}`".to_string());
    }
    let operands: Vec<&str> = source.split("||").map(str::trim).collect();
    let last = operands.len() - 1;
    let mut parsed = Vec::with_capacity(operands.len());
    for (i, operand) in operands.into_iter().enumerate() {
        if let Some(quoted) = operand.strip_prefix('\'') {
            let literal = quoted.strip_suffix('\'').filter(|inner| !inner.replace("''", "").contains('\''));
            parsed.push(match (literal, i == last) {
                (Some(inner), true) => Operand::Literal(inner.replace("''", "'")),
                (Some(_), false) => return Err("a quoted default must come last".to_string()),
                (None, _) => return Err(format!("{operand} is not a quoted string; write it as 'text'")),
            });
            continue;
        }
        parsed.push(Operand::Var(parse_var(operand, place)?));
    }
    Ok(parsed)
}

fn parse_var(text: &str, place: Place) -> Result<Var, String> {
    let mut path = text.split('.');
    let head = path.next().unwrap_or_default();
    let rest: Vec<String> = path.map(str::to_string).collect();
    let valid = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid(head) || !rest.iter().all(|s| valid(s)) {
        return Err(format!("`{text}` is not a variable name; variables are {}", VARIABLES.join(", ")));
    }
    match (head, rest.is_empty()) {
        ("pull_request", _) => Ok(Var::PullRequest(rest)),
        ("commit", _) => Ok(Var::Commit(rest)),
        ("environment", true) if place == Place::Environment => {
            Err("`environment` cannot be used inside `environment` itself".to_string())
        }
        (name, true) => match VARIABLES.iter().find(|known| **known == name) {
            Some(known) => Ok(Var::Named(known)),
            None => Err(unknown_variable(name)),
        },
        (name, false) => match VARIABLES.contains(&name) {
            true => Err(format!("`{name}` has no fields; only `pull_request` and `commit` do")),
            false => Err(unknown_variable(name)),
        },
    }
}

fn unknown_variable(name: &str) -> String {
    match closest(name, VARIABLES) {
        Some(guess) => format!("unknown variable `{name}`; did you mean `{guess}`?"),
        None => format!("unknown variable `{name}`; variables are {}", VARIABLES.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Vars(Value);

    impl Lookup for Vars {
        fn lookup(&self, var: &Var) -> Option<Value> {
            let (root, path): (&str, &[String]) = match var {
                Var::Named(name) => (name, &[]),
                Var::PullRequest(path) => ("pull_request", path),
                Var::Commit(path) => ("commit", path),
            };
            path.iter().try_fold(self.0.get(root)?, |v, key| v.get(key)).cloned()
        }
        fn event_name(&self) -> &str {
            "push"
        }
    }

    fn vars() -> Vars {
        Vars(json!({
            "ref": "refs/heads/main", "branch": "main", "sha": "abc", "pr": 12, "target": "web",
            "pull_request": { "title": "Fix ${{ sha }} <b>", "head": { "ref": "feature/x" } },
            "commit": { "message": "line one\n\"quoted\"" }
        }))
    }

    const AT: Pos = Pos { line: 3, column: 10 };

    fn compile(value: &str) -> Result<Template, Vec<Diagnostic>> {
        Template::compile(value, AT, Some(AT), Place::Other)
    }

    fn render(value: &str) -> Result<String, Diagnostic> {
        compile(value).unwrap().render(&vars())
    }

    #[test]
    fn text_without_expressions_is_a_literal() {
        for value in ["staging", "staging }} {x}", "é ${ not {{ one", " "] {
            assert_eq!(compile(value), Ok(Template::literal(value, AT)), "{value:?}");
            assert_eq!(compile(value).unwrap().render(&vars()).unwrap(), value);
        }
        assert_eq!(render("").unwrap(), "");
    }

    #[test]
    fn expressions_render_their_values_without_escaping() {
        assert_eq!(render("pr${{ pr }}").unwrap(), "pr12");
        assert_eq!(render("${{ref}} at ${{ sha }}").unwrap(), "refs/heads/main at abc");
        assert_eq!(render("${{ pull_request.head.ref }}").unwrap(), "feature/x");
        assert_eq!(render("no templates & no <escaping>").unwrap(), "no templates & no <escaping>");
    }

    #[test]
    fn event_text_is_data_never_a_template() {
        assert_eq!(render("${{ pull_request.title }}").unwrap(), "Fix ${{ sha }} <b>");
        assert_eq!(render("${{ commit.message }}").unwrap(), "line one\n\"quoted\"");
    }

    #[test]
    fn a_whole_expression_keeps_its_type() {
        let template = compile("${{ pr }}").unwrap();
        assert_eq!(template.render_value(&vars()).unwrap(), json!(12));
        assert_eq!(compile("#${{ pr }}").unwrap().render_value(&vars()).unwrap(), json!("#12"));
    }

    #[test]
    fn defaults_apply_when_a_variable_has_no_value() {
        assert_eq!(render("${{ tag || branch }}").unwrap(), "main");
        assert_eq!(render("${{ tag || 'none' }}").unwrap(), "none");
        assert_eq!(render("${{ tag || 'it''s' }}").unwrap(), "it's");
    }

    #[test]
    fn a_variable_without_value_is_an_error_at_its_position() {
        let err = render("v-${{ tag }}").unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 3, column: 12 }));
        assert_eq!(err.message, "`${{ tag }}`: `tag` has no value on this `push` event; give a default, like `${{ tag || 'none' }}`");
        let err = render("${{ tag || actor }}").unwrap_err();
        assert!(err.message.contains("none of `tag`, `actor` has a value"), "{}", err.message);
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let errors = compile("é日 ${{ sha }}-${{ prr }}").unwrap_err();
        assert_eq!(errors[0].pos, Some(Pos { line: 3, column: 10 + "é日 ${{ sha }}-".chars().count() }));
    }

    #[test]
    fn unknown_variables_are_config_errors_with_a_suggestion() {
        let errors = compile("x ${{ prr }} and ${{ sha.x }}").unwrap_err();
        assert_eq!(errors[0].pos, Some(Pos { line: 3, column: 12 }));
        assert_eq!(errors[0].message, "in `${{ prr }}`: unknown variable `prr`; did you mean `pr`?");
        assert_eq!(errors[1].message, "in `${{ sha.x }}`: `sha` has no fields; only `pull_request` and `commit` do");
    }

    #[test]
    fn broken_expressions_are_config_errors() {
        assert_eq!(compile("${{ sha").unwrap_err()[0].message, "`${{` is not closed: end the expression with `}}`");
        assert!(compile("${{ }}").unwrap_err()[0].message.contains("the expression is empty"));
        assert!(compile("${{ 'x' || sha }}").unwrap_err()[0].message.contains("must come last"));
        assert!(compile("${{ a b }}").unwrap_err()[0].message.contains("is not a variable name"));
    }

    #[test]
    fn environment_cannot_use_itself() {
        let err = Template::compile("${{ environment }}", AT, Some(AT), Place::Environment).unwrap_err();
        assert!(err[0].message.contains("cannot be used inside `environment` itself"));
        assert!(compile("${{ environment }}").is_ok());
    }

    #[test]
    fn templates_tell_which_variables_they_use() {
        assert!(compile("${{ commit.message }}").unwrap().uses(&|v| matches!(v, Var::Commit(_))));
        assert!(!compile("${{ sha }}").unwrap().uses(&|v| matches!(v, Var::Commit(_))));
    }

    #[test]
    fn without_a_verbatim_start_positions_fall_back_to_the_scalar() {
        let template = Template::compile("a ${{ tag }}", Pos { line: 7, column: 3 }, None, Place::Other).unwrap();
        assert_eq!(template.render(&vars()).unwrap_err().pos, Some(Pos { line: 7, column: 3 }));
    }
}
