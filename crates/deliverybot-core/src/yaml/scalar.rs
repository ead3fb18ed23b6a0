//! What a scalar means: the YAML 1.2 core schema's reading of a plain scalar (`true`, `3`, `~`,
//! `.inf`), and the core schema's tags (`!!str 42`). Other tags are refused: a config is data, and
//! a tag that names a type would mean something only to the program that defined it.

use super::Value;
use crate::diagnostic::{Diagnostic, Pos};
use saphyr_parser::Tag;

/// The YAML 1.2 core schema's reading of a plain scalar; `None` means it is a string (as YAML 1.1's
/// `yes`, `off` and a version like `1.2.3` are).
pub(super) fn resolve_plain(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(Value::Float(f64::INFINITY)),
        "-.inf" | "-.Inf" | "-.INF" => return Some(Value::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => return Some(Value::Float(f64::NAN)),
        _ => {}
    }
    let digits = |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    if let Some(hex) = text.strip_prefix("0x") {
        return digits(hex, 16).then(|| i64::from_str_radix(hex, 16).ok().map(Value::Int)).flatten();
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return digits(octal, 8).then(|| i64::from_str_radix(octal, 8).ok().map(Value::Int)).flatten();
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits(unsigned, 10) {
        // An integer past 64 bits is still a number: the nearest float.
        return Some(text.parse::<i64>().map(Value::Int).unwrap_or_else(|_| Value::Float(text.parse().unwrap_or(f64::NAN))));
    }
    is_float(unsigned).then(|| text.parse::<f64>().ok().map(Value::Float)).flatten()
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction),
        Some((whole, fraction)) => digits(whole) && (fraction.is_empty() || digits(fraction)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// A tagged scalar: the value its core schema tag says (`None`: a string, for `!!str`), or why not.
pub(super) fn tagged(value: &str, tag: &Tag, pos: Pos) -> Result<Option<Value>, Diagnostic> {
    if !tag.is_yaml_core_schema() {
        return Err(Diagnostic::at(pos, format!("YAML tags like `{tag}` are not supported")));
    }
    match tag.suffix.as_str() {
        "str" => Ok(None),
        "null" | "bool" | "int" | "float" => match resolve_plain(value) {
            Some(resolved) if kind_of(&resolved) == tag.suffix => Ok(Some(resolved)),
            _ => Err(Diagnostic::at(pos, format!("{value:?} is not a valid !!{}", tag.suffix))),
        },
        _ => Err(Diagnostic::at(pos, format!("the YAML tag `{tag}` is not supported"))),
    }
}

/// A tag on a list or map: only the core schema's own (`!!seq`, `!!map`) is accepted.
pub(super) fn collection_tag(tag: &Tag, pos: Pos, kind: &str) -> Result<(), Diagnostic> {
    if tag.is_yaml_core_schema() && matches!(tag.suffix.as_str(), "seq" | "map") {
        return Ok(());
    }
    Err(Diagnostic::at(pos, format!("YAML tags like `{tag}` are not supported on a {kind}")))
}

/// The core schema's name for the kind of a scalar value, as its tags spell it.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float",
        _ => "str",
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    fn value(text: &str) -> Result<Value, Diagnostic> {
        match parse(&format!("k: {text}\n"))?.map(|root| root.value) {
            Some(Value::Map(mut entries)) => Ok(entries.remove(0).1.value),
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn plain_scalars_follow_the_yaml_1_2_core_schema() {
        let cases = [
            ("~", Value::Null),
            ("null", Value::Null),
            ("True", Value::Bool(true)),
            ("FALSE", Value::Bool(false)),
            ("42", Value::Int(42)),
            ("-7", Value::Int(-7)),
            ("0x1F", Value::Int(31)),
            ("0o17", Value::Int(15)),
            ("1.5", Value::Float(1.5)),
            ("1e3", Value::Float(1000.0)),
            (".inf", Value::Float(f64::INFINITY)),
        ];
        for (text, expected) in cases {
            assert_eq!(value(text).unwrap(), expected, "{text}");
        }
        // YAML 1.1's yes/no/on/off are strings in 1.2, as are quoted scalars and versions.
        for text in ["yes", "off", "'true'", "\"42\"", "1.2.3", "0x", "v1"] {
            assert!(matches!(value(text).unwrap(), Value::Str(_)), "{text}");
        }
    }

    #[test]
    fn every_spelling_of_the_core_schema_is_typed_and_nothing_else() {
        let typed = [
            "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", ".inf", ".Inf", ".INF", "+.inf", "-.Inf", ".nan", ".NaN",
            ".NAN", "0x1F", "0o17", "42", "-7", "+3", "1.5", ".5", "1e3", "-1.0e-3", "123456789012345678901234567890",
        ];
        for text in typed {
            assert!(resolve_plain(text).is_some(), "{text}");
        }
        let strings = ["nULL", "tRUE", "yes", "No", "on", ".", "+", "-", "1_000", "0b1", "0x", "0o8", "1e", "e3", ".inf.", "1.2.3", "Infinity", "NaN", "main"];
        for text in strings {
            assert_eq!(resolve_plain(text), None, "{text}");
        }
    }

    #[test]
    fn tags_other_than_the_core_schema_are_refused() {
        assert!(value("!custom x").unwrap_err().message.contains("not supported"));
        assert!(matches!(value("!!str 42").unwrap(), Value::Str(_)));
        assert_eq!(value("!!int 42").unwrap(), Value::Int(42));
        assert!(value("!!int nope").unwrap_err().message.contains("not a valid !!int"));
        assert!(value("!!binary aGk=").unwrap_err().message.contains("not supported"));
        assert!(value("!!map {a: 1}").is_ok());
        assert!(value("!!set {a: 1}").unwrap_err().message.ends_with("are not supported on a map"));
    }
}
