//! Reading the few fields the engine needs from a JSON object it is handed (the invocation, a push
//! payload), skipping the rest without keeping it.
//!
//! One reader for every such object rather than a `#[derive(Deserialize)]` per type: V8 compiles
//! each derived reader on a cold start (about 2 to 3 KB of WebAssembly apiece), while this one is
//! small and the JSON values it yields are read by code every run compiles anyway.
//!
//! Unlike a derived reader, `null` counts as absent (GitHub writes `null` for "none"), and a field
//! given twice keeps its last value (as when the object is read whole into a JSON value).

mod plain;
pub mod write;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// The fields of one JSON object that were asked for, by name.
pub struct Object {
    /// The field this object is in, for messages (`repository.full_name`); `None` at the top.
    within: Option<&'static str>,
    names: &'static [&'static str],
    values: Vec<Option<Value>>,
}

impl Object {
    /// Reads the JSON object `text`, keeping the fields in `names`: the others are parsed and
    /// dropped (a push's commit list can be megabytes).
    pub fn parse(text: &str, names: &'static [&'static str]) -> Result<Object, serde_json::Error> {
        let values = match plain::fields(text, names) {
            Some(values) => values,
            None => general_fields(text, names)?,
        };
        Ok(Object { within: None, names, values })
    }

    /// The object in the field `name` of this top-level one, keeping the fields in `names`;
    /// messages about it say `name.field`.
    pub fn nested(&mut self, name: &'static str, names: &'static [&'static str]) -> Result<Object, String> {
        debug_assert!(self.within.is_none(), "one level of nesting");
        match self.take(name) {
            None => Err(self.missing(name)),
            Some(Value::Object(map)) => {
                // Taken apart in one pass: removing the fields one by one would compile the map's
                // removal code into every run.
                let mut values = vec![None; names.len()];
                for (key, value) in map {
                    if let Some(index) = names.iter().position(|name| *name == key) {
                        values[index] = Some(value);
                    }
                }
                Ok(Object { within: Some(name), names, values })
            }
            Some(other) => Err(self.mistyped(name, &other, "an object")),
        }
    }

    /// Takes a field's value; `None` when it is absent, `null` or already taken.
    pub fn take(&mut self, name: &str) -> Option<Value> {
        let index = self.names.iter().position(|n| *n == name);
        debug_assert!(index.is_some(), "`{name}` was not asked for");
        index.and_then(|i| self.values[i].take()).filter(|value| !value.is_null())
    }

    /// A field that must be text.
    pub fn text(&mut self, name: &str) -> Result<String, String> {
        self.optional_text(name)?.ok_or_else(|| self.missing(name))
    }

    /// A field that may be absent, and is text when it is not.
    pub fn optional_text(&mut self, name: &str) -> Result<Option<String>, String> {
        match self.take(name) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(other) => Err(self.mistyped(name, &other, "text")),
        }
    }

    /// A field that may be absent, and is a whole number (0 or more) when it is not.
    pub fn optional_number(&mut self, name: &str) -> Result<Option<u64>, String> {
        match self.take(name) {
            None => Ok(None),
            Some(value) => value.as_u64().map(Some).ok_or_else(|| self.mistyped(name, &value, "a whole number")),
        }
    }

    /// A field that may be absent (false), and is true or false when it is not.
    pub fn flag(&mut self, name: &str) -> Result<bool, String> {
        match self.take(name) {
            None => Ok(false),
            Some(Value::Bool(flag)) => Ok(flag),
            Some(other) => Err(self.mistyped(name, &other, "true or false")),
        }
    }

    /// A field that may be absent, and is an object of texts when it is not (inputs, state).
    pub fn texts(&mut self, name: &str) -> Result<BTreeMap<String, String>, String> {
        match self.take(name) {
            None => Ok(BTreeMap::new()),
            Some(value) => texts(value).map_err(|err| format!("`{}`: {err}", self.path(name))),
        }
    }

    /// A field's name as messages give it: `repository.full_name` in a nested object.
    fn path(&self, name: &str) -> String {
        match self.within {
            Some(within) => format!("{within}.{name}"),
            None => name.to_string(),
        }
    }

    // The messages, out of line: every reader above would otherwise carry its own copy.
    #[inline(never)]
    fn missing(&self, name: &str) -> String {
        format!("it has no `{}`", self.path(name))
    }

    #[inline(never)]
    fn mistyped(&self, name: &str, value: &Value, wanted: &str) -> String {
        format!("`{}` is {}, not {wanted}", self.path(name), describe(value))
    }
}

/// The JSON value `text` holds: read by the plain reader (`json/plain.rs`) when it can, by
/// serde_json otherwise, which also says what is wrong.
pub fn parse(text: &str) -> Result<Value, serde_json::Error> {
    match plain::value(text) {
        Some(value) => Ok(value),
        None => general(text),
    }
}

// serde_json's readers, out of line: a run whose JSON the plain reader reads does not compile them
// (engine.rs says why that matters).
#[inline(never)]
fn general(text: &str) -> Result<Value, serde_json::Error> {
    serde_json::from_str(text)
}

#[inline(never)]
fn general_fields(text: &str, names: &'static [&'static str]) -> Result<Vec<Option<Value>>, serde_json::Error> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let values = Fields(names).deserialize(&mut reader)?;
    reader.end()?;
    Ok(values)
}

/// Reads `text` both ways, for the fuzzer (`tests/fuzz.rs`), whole and as an object's fields
/// `names`: `Err` with both results when the plain reader read it either way and found something
/// other than serde_json; otherwise `Ok(true)` when the plain reader read it at least one way,
/// `Ok(false)` when it left it to serde_json both ways.
#[doc(hidden)]
pub fn readers_agree(text: &str, names: &'static [&'static str]) -> Result<bool, String> {
    let whole = plain::value(text).map(|value| (format!("{value:?}"), format!("{:?}", general(text).map_err(|e| e.to_string()))));
    let fields = plain::fields(text, names).map(|values| (format!("{values:?}"), format!("{:?}", general_fields(text, names).map_err(|e| e.to_string()))));
    for (plain, general) in whole.iter().chain(fields.iter()) {
        if format!("Ok({plain})") != *general {
            return Err(format!("plain reader: {plain}\nserde_json: {general}"));
        }
    }
    Ok(whole.is_some() || fields.is_some())
}

/// An object of texts, as a map: the same check as `Object::texts`, for a whole value (headers).
pub fn texts(value: Value) -> Result<BTreeMap<String, String>, String> {
    let Value::Object(map) = value else {
        return Err(format!("it is {}, not an object of texts", describe(&value)));
    };
    // Inserted one by one: collecting into a map would compile a sort of its own.
    let mut texts = BTreeMap::new();
    for (name, value) in map {
        match value {
            Value::String(text) => texts.insert(name, text),
            other => return Err(format!("`{name}` is {}, not text", describe(&other))),
        };
    }
    Ok(texts)
}

/// What a JSON value is, for messages (the config's diagnostics say it the same way).
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(flag) => format!("`{flag}`"),
        Value::Number(number) => format!("the number {number}"),
        Value::String(_) => "text".to_string(),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// Reads an object into the values of the fields named, in that order.
struct Fields(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Fields {
    type Value = Vec<Option<Value>>;

    fn deserialize<D: Deserializer<'de>>(self, reader: D) -> Result<Self::Value, D::Error> {
        reader.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Fields {
    type Value = Vec<Option<Value>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut values = vec![None; self.0.len()];
        while let Some(index) = map.next_key_seed(Key(self.0))? {
            match index {
                // A repeated field: the last one wins, as when a value is read whole.
                Some(index) => values[index] = Some(map.next_value()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(values)
    }
}

/// A key, as the index of the field it names (`None`: not asked for); never copied.
struct Key(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, reader: D) -> Result<Self::Value, D::Error> {
        reader.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| *name == key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NAMES: &[&str] = &["ref", "deleted", "repository"];

    #[test]
    fn reads_the_fields_asked_for_past_the_others() {
        // The others (here a commit list, with an escaped quote) are parsed and dropped: `Fields`
        // never stores a value it was not asked for.
        let text = r#"{"commits":[{"id":"a","message":"x\"y"}],"ref":"refs/heads/main","repository":{"id":7},"deleted":true}"#;
        let mut object = Object::parse(text, NAMES).unwrap();
        assert_eq!(object.text("ref").unwrap(), "refs/heads/main");
        assert!(object.flag("deleted").unwrap());
        assert_eq!(object.nested("repository", &["id"]).unwrap().optional_number("id").unwrap(), Some(7));
        assert_eq!(object.take("ref"), None, "taken already");
    }

    #[test]
    fn absent_and_null_are_the_same_and_a_wrong_type_is_named() {
        let mut object = Object::parse(r#"{"ref":3,"deleted":null,"repository":{"id":-1}}"#, NAMES).unwrap();
        assert_eq!(object.text("ref").unwrap_err(), "`ref` is the number 3, not text");
        assert!(!object.flag("deleted").unwrap());
        let mut repository = object.nested("repository", &["id", "name"]).unwrap();
        assert_eq!(repository.optional_number("id").unwrap_err(), "`repository.id` is the number -1, not a whole number");
        assert_eq!(repository.text("name").unwrap_err(), "it has no `repository.name`");
        assert_eq!(Object::parse("{}", NAMES).unwrap().text("ref").unwrap_err(), "it has no `ref`");
        let mut object = Object::parse(r#"{"repository":[]}"#, NAMES).unwrap();
        assert_eq!(object.nested("repository", &[]).err().unwrap(), "`repository` is a list, not an object");
    }

    #[test]
    fn json_as_github_writes_it_is_read_without_serde_json() {
        let push = include_str!("../../../examples/push.json");
        assert_eq!(readers_agree(push, NAMES), Ok(true));
        let answer = r#"[{"id":1,"sha":"a\u00e9\ud83d\ude80\n","payload":{},"task":null,"transient_environment":false,"n":-9223372036854775808}]"#;
        assert_eq!(readers_agree(answer, NAMES), Ok(true));
        // Fractions, exponents, -0, numbers past 64 bits, lone surrogates, errors: serde_json's.
        for text in ["1.5", "[1e3]", "-0", "18446744073709551616", r#""\ud800""#, "[1,]", "{} x", ""] {
            assert_eq!(readers_agree(text, NAMES), Ok(false), "{text}");
        }
        // A field that is skipped may hold what the plain reader does not build.
        assert_eq!(readers_agree(r#"{"ref":"main","size":1.5,"x":"\ud800"}"#, NAMES), Ok(true));
    }

    #[test]
    fn text_that_is_not_one_object_is_a_parse_error_with_its_position() {
        let err = Object::parse("[1]", NAMES).err().unwrap().to_string();
        assert_eq!(err, "invalid type: sequence, expected a JSON object at line 1 column 0");
        let err = Object::parse(r#"{"ref":"x"} {}"#, NAMES).err().unwrap().to_string();
        assert_eq!(err, "trailing characters at line 1 column 13");
    }

    #[test]
    fn objects_of_texts_name_the_entry_that_is_not_text() {
        assert_eq!(texts(json!({ "a": "1" })).unwrap(), BTreeMap::from([("a".to_string(), "1".to_string())]));
        assert_eq!(texts(json!({ "a": 1 })).unwrap_err(), "`a` is the number 1, not text");
        assert_eq!(texts(json!([])).unwrap_err(), "it is a list, not an object of texts");
    }
}
