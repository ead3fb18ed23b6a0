//! A target's `params:`: the parameters a deploy by hand may give, each with its type, maybe an
//! `enum` of the values allowed, and `required` or a `default`. Every problem is reported at its
//! place. (What a declaration accepts, and what a deploy carries, is `crate::params`.)
//!
//! ```yaml
//! params:
//!   region: { type: string, enum: [eu, us], required: true }
//!   replicas: { type: number, default: 2 }
//! ```

use super::keys;
use super::value::expected;
use crate::diagnostic::Diagnostic;
use crate::params::{valid_name, Kind, Param, Params, MAX_PARAMS};
use crate::yaml::{Node, Value};
use serde_json::Value as Json;

/// The keys of one parameter.
pub const PARAM_KEYS: &[&str] = &["type", "enum", "required", "default"];

/// `params:`, all of its problems at once.
pub(super) fn params(node: Node) -> Result<Params, Vec<Diagnostic>> {
    let Value::Map(entries) = node.value else {
        return Err(vec![expected(&node, "params", "a map of parameter names to their types, like `params: { region: { type: string } }`")]);
    };
    let mut errors = Vec::new();
    if entries.len() > MAX_PARAMS {
        errors.push(Diagnostic::at(node.pos, format!("`params` declares {} parameters; a deploy takes at most {MAX_PARAMS}", entries.len())));
    }
    let mut declared = Vec::new();
    for (key, spec) in entries {
        match key.as_str().filter(|name| valid_name(name)) {
            Some(name) => {
                if let Some(param) = param(name, &key, spec, &mut errors) {
                    declared.push(param);
                }
            }
            None => errors.push(Diagnostic::at(
                key.pos,
                format!("a parameter's name is a letter or `_`, then letters, digits, `_`, `.` or `-` (64 at most); this is {}", key.describe()),
            )),
        }
    }
    if errors.is_empty() { Ok(Params::Declared(declared)) } else { Err(errors) }
}

/// One parameter: `region: { type: string, enum: [eu, us] }`, or `region:` alone (any text).
fn param(name: &str, key: &Node, spec: Node, errors: &mut Vec<Diagnostic>) -> Option<Param> {
    let before = errors.len();
    let mut param = Param { name: name.to_string(), kind: Kind::String, allowed: Vec::new(), required: false, default: None, pos: key.pos };
    let fields = match spec.value {
        Value::Null => Vec::new(),
        Value::Map(fields) => keys::checked(fields, PARAM_KEYS, &format!("in parameter `{name}`"), errors),
        _ => {
            errors.push(expected(&spec, name, "a map, like `{ type: string, enum: [eu, us] }`"));
            return None;
        }
    };
    // The type first: `enum` and `default` are values of it.
    for (key, value) in &fields {
        if key.as_str() == Some("type") {
            match value.as_str().and_then(Kind::parse) {
                Some(kind) => param.kind = kind,
                None => errors.push(expected(value, "type", &format!("one of {}", Kind::NAMES.join(", ")))),
            }
        }
    }
    let mut required_at = None;
    for (key, value) in fields {
        match key.as_str().unwrap_or_default() {
            "enum" => match &value.value {
                Value::Seq(items) if !items.is_empty() => {
                    param.allowed = items.iter().filter_map(|item| scalar(item, param.kind, "enum", errors)).collect();
                }
                Value::Seq(_) => errors.push(Diagnostic::at(value.pos, "`enum` lists no value: list the values allowed, like `[eu, us]`, or leave it out")),
                _ => errors.push(expected(&value, "enum", "a list of the values allowed, like `[eu, us]`")),
            },
            "required" => match value.value {
                Value::Bool(required) => {
                    param.required = required;
                    required_at = Some(value.pos);
                }
                _ => errors.push(expected(&value, "required", "true or false")),
            },
            "default" => param.default = scalar(&value, param.kind, "default", errors).map(|default| (default, value.pos)).and_then(|(default, pos)| {
                if !param.allowed.is_empty() && !param.allowed.contains(&default) {
                    errors.push(Diagnostic::at(pos, format!("the `default` of parameter `{name}` is not one of its `enum`")));
                }
                Some(default)
            }),
            _ => {}
        }
    }
    if let (true, Some(_), Some(pos)) = (param.required, &param.default, required_at) {
        errors.push(Diagnostic::at(pos, format!("parameter `{name}` has a `default`, so it is never missing: `required: true` asks for nothing; drop one of them")));
    }
    (errors.len() == before).then_some(param)
}

/// A value of the parameter's type (an `enum` item, a `default`).
fn scalar(node: &Node, kind: Kind, field: &str, errors: &mut Vec<Diagnostic>) -> Option<Json> {
    let value = match (kind, &node.value) {
        (Kind::String, Value::Str(text)) => Some(Json::String(text.value.clone())),
        (Kind::Number, Value::Int(i)) => Some(Json::from(*i)),
        (Kind::Number, Value::Float(x)) => serde_json::Number::from_f64(*x).map(Json::Number),
        (Kind::Boolean, Value::Bool(yes)) => Some(Json::Bool(*yes)),
        _ => None,
    };
    if value.is_none() {
        errors.push(expected(node, field, &format!("{} (the parameter's `type`)", kind.describe())));
    }
    value
}

#[cfg(test)]
mod tests {
    use super::super::{errors, Config};
    use super::*;
    use serde_json::json;

    #[test]
    fn declared_parameters_are_read_in_order_with_their_types() {
        let config = Config::parse("web:\n  params:\n    region: { type: string, enum: [eu, us], required: true }\n    replicas: { type: number, default: 2 }\n    canary:\n      type: boolean\n    note:\n").unwrap();
        let declared = config.targets[0].params.declared();
        let summary: Vec<_> = declared.iter().map(|p| (p.name.as_str(), p.kind, p.allowed.clone(), p.required, p.default.clone())).collect();
        assert_eq!(
            summary,
            [
                ("region", Kind::String, vec![json!("eu"), json!("us")], true, None),
                ("replicas", Kind::Number, vec![], false, Some(json!(2))),
                ("canary", Kind::Boolean, vec![], false, None),
                ("note", Kind::String, vec![], false, None),
            ]
        );
        assert_eq!((declared[1].pos.line, declared[1].pos.column), (4, 5));
        assert_eq!(Config::parse("web:\n").unwrap().targets[0].params, Params::Any);
    }

    #[test]
    fn every_problem_is_reported_at_its_place() {
        let text = "\
web:
  params:
    region: { type: text, enum: [eu, 3] }
    replicas: { type: number, default: two, requird: true }
    1x: {}
    size: { enum: [s, m], default: l }
    flag: { type: boolean, required: true, default: false }
    list: [a]
    empty: { enum: [] }
";
        assert_eq!(
            errors(text),
            [
                "3:21: `type` must be one of string, number, boolean; this is the string \"text\"",
                "3:38: `enum` must be text (the parameter's `type`); this is the number 3",
                "4:40: `default` must be a number (the parameter's `type`); this is the string \"two\"",
                "4:45: unknown key `requird` in parameter `replicas`; did you mean `required`?",
                "5:5: a parameter's name is a letter or `_`, then letters, digits, `_`, `.` or `-` (64 at most); this is the string \"1x\"",
                "6:36: the `default` of parameter `size` is not one of its `enum`",
                "7:38: parameter `flag` has a `default`, so it is never missing: `required: true` asks for nothing; drop one of them",
                "8:11: `list` must be a map, like `{ type: string, enum: [eu, us] }`; this is a list",
                "9:20: `enum` lists no value: list the values allowed, like `[eu, us]`, or leave it out",
            ]
        );
        assert_eq!(errors("web:\n  params: x\n"), ["2:11: `params` must be a map of parameter names to their types, like `params: { region: { type: string } }`; this is the string \"x\""]);
    }

    #[test]
    fn a_required_parameter_cannot_be_given_to_an_automatic_deploy() {
        assert_eq!(
            errors("web:\n  auto_deploy_on: refs/heads/main\n  params:\n    region: { required: true }\n"),
            ["4:5: parameter `region` is required, but target `web` also deploys automatically (`auto_deploy_on`), where no one gives parameters: give it a `default` instead"]
        );
        assert!(Config::parse("web:\n  auto_deploy_on: refs/heads/main\n  params:\n    region: { default: eu }\n").is_ok());
    }
}
