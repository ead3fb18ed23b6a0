//! Parameters of a deploy by hand: `/deploy staging region=eu replicas=3`, or a dispatch's
//! `params` input. They land in the deployment's payload under `params`, as data: never rendered,
//! so a `${{ }}` in a value stays as written. A target without `params:` takes any of them, as
//! text. A target that declares them (`params:` in deploy.yml, read by `config`) takes those only,
//! each of its type and, with an `enum`, one of its values; its defaults fill in what is not given
//! (on every deploy, automatic ones too), and a deploy without a required one is refused.

pub mod words;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;
use words::Problem;

/// The most parameters one deploy takes, or a target declares.
pub const MAX_PARAMS: usize = 20;
/// The longest name, in characters.
pub const MAX_NAME: usize = 64;
/// The longest text value, in characters.
pub const MAX_VALUE: usize = 256;

/// A value as given: text (a comment, `name=value` words), or a typed JSON value (a dispatch's JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    Text(String),
    Number(Number),
    Bool(bool),
}

/// Parameters as given, in order: each name valid, none twice.
pub type GivenParams = Vec<(String, Given)>;

/// The type of a declared parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Number,
    Boolean,
}

impl Kind {
    pub const NAMES: &'static [&'static str] = &["string", "number", "boolean"];

    pub fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "string" => Kind::String,
            "number" => Kind::Number,
            "boolean" => Kind::Boolean,
            _ => return None,
        })
    }

    /// What a value of the type is, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::String => "text",
            Kind::Number => "a number",
            Kind::Boolean => "`true` or `false`",
        }
    }
}

/// One declared parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub kind: Kind,
    /// `enum`: the values allowed (any of the type when empty).
    pub allowed: Vec<Value>,
    pub required: bool,
    pub default: Option<Value>,
    /// Where it is declared.
    pub pos: crate::diagnostic::Pos,
}

/// A target's `params:`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Params {
    /// No `params:`: any parameters, taken as text.
    #[default]
    Any,
    Declared(Vec<Param>),
}

/// Why a target refuses the parameters given; each names the parameter (a valid name: letters,
/// digits, `_`, `.`, `-`), never the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Unknown(String),
    Missing(String),
    Mistyped(String),
    NotAllowed(String),
}

/// Whether `name` can name a parameter: a letter or `_`, then letters, digits, `_`, `.` or `-`
/// (safe to show anywhere: no markup, no mention).
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= MAX_NAME
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// The rules every given parameter follows, however it was given.
fn check(params: &[(String, Given)]) -> Result<(), Problem> {
    if params.len() > MAX_PARAMS {
        return Err(Problem::TooMany);
    }
    for (index, (name, value)) in params.iter().enumerate() {
        if !valid_name(name) {
            return Err(Problem::BadName);
        }
        if params[..index].iter().any(|(other, _)| other == name) {
            return Err(Problem::Twice);
        }
        if let Given::Text(text) = value {
            if text.chars().count() > MAX_VALUE {
                return Err(Problem::TooLong);
            }
            if text.chars().any(char::is_control) {
                return Err(Problem::Control);
            }
        }
    }
    Ok(())
}

/// A dispatch's `params`: a JSON object (as text, or as it stands in a `client_payload`), or
/// `name=value` words on one line or several. Blank: none.
pub fn from_input(value: &Value) -> Result<GivenParams, String> {
    let given = match value {
        Value::Object(object) => typed(object.iter().map(|(k, v)| (k.clone(), v.clone())).collect())?,
        Value::String(text) if text.trim_start().starts_with('{') => {
            let Pairs(pairs) = serde_json::from_str(text).map_err(|err| format!("is not a JSON object: {err}"))?;
            typed(pairs)?
        }
        Value::String(text) => return words::params(text).map_err(|problem| format!("cannot be read: {problem}")),
        _ => return Err("must be a JSON object, or `name=value` pairs".to_string()),
    };
    check(&given).map_err(|problem| format!("cannot be read: {problem}"))?;
    Ok(given)
}

/// JSON values as given values: text, numbers and booleans only.
fn typed(pairs: Vec<(String, Value)>) -> Result<GivenParams, String> {
    pairs
        .into_iter()
        .map(|(name, value)| {
            let given = match value {
                Value::String(text) => Given::Text(text),
                Value::Number(number) => Given::Number(number),
                Value::Bool(yes) => Given::Bool(yes),
                _ if !valid_name(&name) => return Err(format!("cannot be read: {}", Problem::BadName)),
                _ => return Err(format!("has `{name}` set to neither text, a number nor a boolean")),
            };
            Ok((name, given))
        })
        .collect()
}

/// A JSON object's entries as written, so that a name given twice is seen (and refused).
struct Pairs(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: Deserializer<'de>>(reader: D) -> Result<Pairs, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Pairs;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                let mut pairs = Vec::new();
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    pairs.push(entry);
                }
                Ok(Pairs(pairs))
            }
        }
        reader.deserialize_map(Entries)
    }
}

impl Params {
    /// What a deploy's payload gets under `params` for what was given: `None` (no `params` key)
    /// when nothing was given to a target that declares nothing.
    pub fn accept(&self, given: &[(String, Given)]) -> Result<Option<Map<String, Value>>, Refusal> {
        let declared = match self {
            Params::Any if given.is_empty() => return Ok(None),
            Params::Any => return Ok(Some(given.iter().map(|(name, value)| (name.clone(), Value::String(value.text()))).collect())),
            Params::Declared(declared) => declared,
        };
        if let Some((name, _)) = given.iter().find(|(name, _)| !declared.iter().any(|p| p.name == *name)) {
            return Err(Refusal::Unknown(name.clone()));
        }
        let mut accepted = Map::new();
        for param in declared {
            let value = match given.iter().find(|(name, _)| *name == param.name) {
                Some((_, value)) => param.read(value)?,
                None if param.required => return Err(Refusal::Missing(param.name.clone())),
                None => match &param.default {
                    Some(default) => default.clone(),
                    None => continue,
                },
            };
            accepted.insert(param.name.clone(), value);
        }
        Ok(Some(accepted))
    }

    /// The declared defaults: what a deploy no one gave parameters to (an automatic one) carries.
    pub fn defaults(&self) -> Option<Map<String, Value>> {
        match self {
            Params::Any => None,
            Params::Declared(declared) => Some(declared.iter().filter_map(|p| Some((p.name.clone(), p.default.clone()?))).collect()),
        }
    }

    pub fn declared(&self) -> &[Param] {
        match self {
            Params::Any => &[],
            Params::Declared(declared) => declared,
        }
    }

    /// Why `refused`, and what the target takes instead, each name and value shown by `code`.
    pub fn explain(&self, target: &str, refused: &Refusal, code: &dyn Fn(&str) -> String) -> String {
        let why = match refused {
            Refusal::Unknown(name) => format!("{} takes no parameter {}", code(target), code(name)),
            Refusal::Missing(name) => format!("{} needs the parameter {}", code(target), code(name)),
            Refusal::Mistyped(name) | Refusal::NotAllowed(name) => {
                let param = self.declared().iter().find(|p| p.name == *name).expect("refused for a declared parameter");
                format!("the parameter {} of {} must be {}", code(name), code(target), param.expects(code))
            }
        };
        let takes: Vec<String> = self.declared().iter().map(|p| p.describe(code)).collect();
        format!("{why}; it takes {}", takes.join(", "))
    }
}

impl Param {
    /// A given value as this parameter's type, if it is one (and one of its `enum`).
    fn read(&self, given: &Given) -> Result<Value, Refusal> {
        let value = match (self.kind, given) {
            (Kind::String, Given::Text(text)) => Value::String(text.clone()),
            (Kind::Number, Given::Number(number)) => Value::Number(number.clone()),
            // JSON's grammar: `3`, `-2.5`, `1e3`; not ` 3`, `0x10` or `NaN`.
            (Kind::Number, Given::Text(text)) => serde_json::from_str::<Number>(text).ok().filter(|_| text.trim() == text).map(Value::Number).ok_or_else(|| self.mistyped())?,
            (Kind::Boolean, Given::Bool(yes)) => Value::Bool(*yes),
            (Kind::Boolean, Given::Text(text)) if text == "true" || text == "false" => Value::Bool(text == "true"),
            _ => return Err(self.mistyped()),
        };
        if self.allowed.is_empty() || self.allowed.iter().any(|allowed| same(allowed, &value)) {
            Ok(value)
        } else {
            Err(Refusal::NotAllowed(self.name.clone()))
        }
    }

    fn mistyped(&self) -> Refusal {
        Refusal::Mistyped(self.name.clone())
    }

    /// What a value of it must be: `one of eu, us`, `a number`.
    fn expects(&self, code: &dyn Fn(&str) -> String) -> String {
        if self.allowed.is_empty() {
            return self.kind.describe().to_string();
        }
        let values: Vec<String> = self.allowed.iter().map(|v| code(&shown(v))).collect();
        format!("one of {}", values.join(", "))
    }

    /// The parameter and what it takes: `region` (one of `eu`, `us`; required).
    fn describe(&self, code: &dyn Fn(&str) -> String) -> String {
        let mut notes = vec![self.expects(code)];
        if self.required {
            notes.push("required".to_string());
        }
        if let Some(default) = &self.default {
            notes.push(format!("default {}", code(&shown(default))));
        }
        format!("{} ({})", code(&self.name), notes.join("; "))
    }
}

impl Given {
    /// The value as text: a target that declares no parameters takes them all as text.
    fn text(&self) -> String {
        match self {
            Given::Text(text) => text.clone(),
            Given::Number(number) => number.to_string(),
            Given::Bool(yes) => yes.to_string(),
        }
    }
}

/// Two values the same: numbers by value (`2` is `2.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => a == b,
    }
}

/// A value as the config writes it: text without quotes.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Pos;
    use serde_json::json;

    fn declared() -> Params {
        let param = |name: &str, kind, allowed: Vec<Value>, required, default: Option<Value>| Param { name: name.into(), kind, allowed, required, default, pos: Pos { line: 1, column: 1 } };
        Params::Declared(vec![
            param("region", Kind::String, vec![json!("eu"), json!("us")], true, None),
            param("replicas", Kind::Number, vec![], false, Some(json!(2))),
            param("canary", Kind::Boolean, vec![], false, None),
        ])
    }

    fn text(pairs: &[(&str, &str)]) -> GivenParams {
        pairs.iter().map(|(n, v)| (n.to_string(), Given::Text(v.to_string()))).collect()
    }

    fn plain(text: &str) -> String {
        format!("`{text}`")
    }

    #[test]
    fn a_target_that_declares_nothing_takes_anything_as_text() {
        assert_eq!(Params::Any.accept(&[]), Ok(None));
        let given = from_input(&json!({ "note": "two words", "n": 3, "dry": true })).unwrap();
        assert_eq!(Params::Any.accept(&given), Ok(Some(json!({ "note": "two words", "n": "3", "dry": "true" }).as_object().unwrap().clone())));
        assert_eq!(Params::Any.defaults(), None);
    }

    #[test]
    fn declared_parameters_are_typed_and_defaults_fill_in() {
        let params = declared();
        let accepted = params.accept(&text(&[("region", "eu"), ("canary", "true")])).unwrap().unwrap();
        assert_eq!(Value::Object(accepted), json!({ "region": "eu", "replicas": 2, "canary": true }));
        let accepted = params.accept(&from_input(&json!({ "region": "us", "replicas": 2.0 })).unwrap()).unwrap().unwrap();
        assert_eq!(Value::Object(accepted), json!({ "region": "us", "replicas": 2.0 }));
        let accepted = params.accept(&text(&[("region", "us"), ("replicas", "-1.5e1")])).unwrap().unwrap();
        assert_eq!(accepted["replicas"], json!(-15.0));
        assert_eq!(Value::Object(params.defaults().unwrap()), json!({ "replicas": 2 }));
    }

    #[test]
    fn anything_else_is_refused_naming_what_the_target_takes() {
        let params = declared();
        for (given, refusal) in [
            (text(&[("region", "eu"), ("regoin", "us")]), Refusal::Unknown("regoin".into())),
            (text(&[("replicas", "3")]), Refusal::Missing("region".into())),
            (text(&[("region", "asia")]), Refusal::NotAllowed("region".into())),
            (text(&[("region", "eu"), ("replicas", "three")]), Refusal::Mistyped("replicas".into())),
            (text(&[("region", "eu"), ("replicas", " 3")]), Refusal::Mistyped("replicas".into())),
            (text(&[("region", "eu"), ("canary", "yes")]), Refusal::Mistyped("canary".into())),
            (vec![("region".into(), Given::Number(1.into()))], Refusal::Mistyped("region".into())),
        ] {
            assert_eq!(params.accept(&given), Err(refusal));
        }
        let takes = "it takes `region` (one of `eu`, `us`; required), `replicas` (a number; default `2`), `canary` (`true` or `false`)";
        assert_eq!(params.explain("web", &Refusal::Unknown("regoin".into()), &plain), format!("`web` takes no parameter `regoin`; {takes}"));
        assert_eq!(params.explain("web", &Refusal::Missing("region".into()), &plain), format!("`web` needs the parameter `region`; {takes}"));
        assert_eq!(params.explain("web", &Refusal::NotAllowed("region".into()), &plain), format!("the parameter `region` of `web` must be one of `eu`, `us`; {takes}"));
        assert_eq!(params.explain("web", &Refusal::Mistyped("replicas".into()), &plain), format!("the parameter `replicas` of `web` must be a number; {takes}"));
    }

    #[test]
    fn a_dispatch_gives_json_or_words() {
        let expected = vec![("region".to_string(), Given::Text("eu".into())), ("replicas".to_string(), Given::Number(3.into()))];
        assert_eq!(from_input(&json!(r#" {"region": "eu", "replicas": 3} "#)).unwrap(), expected);
        assert_eq!(from_input(&json!({ "region": "eu", "replicas": 3 })).unwrap(), expected);
        assert_eq!(from_input(&json!("region=eu\nnote=\"two words\"")).unwrap()[1], ("note".to_string(), Given::Text("two words".into())));
        assert_eq!(from_input(&json!("  ")).unwrap(), []);
        assert_eq!(from_input(&json!(r#"{"a": 1, "a": 2}"#)).unwrap_err(), "cannot be read: a parameter is given twice");
        assert_eq!(from_input(&json!(r#"{"a": [1]}"#)).unwrap_err(), "has `a` set to neither text, a number nor a boolean");
        assert_eq!(from_input(&json!(r#"{"a b": [1]}"#)).unwrap_err(), format!("cannot be read: {}", Problem::BadName));
        assert_eq!(from_input(&json!(r#"{"a": "x\ny"}"#)).unwrap_err(), format!("cannot be read: {}", Problem::Control));
        assert!(from_input(&json!("{nope")).unwrap_err().starts_with("is not a JSON object: "));
        assert_eq!(from_input(&json!(7)).unwrap_err(), "must be a JSON object, or `name=value` pairs");
    }
}
