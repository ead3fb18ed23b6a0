//! Reading typed values (the invocation, webhook payloads) from JSON text with serde, so that a
//! message about a bad value says where it is, by its line and column (serde_json's messages).

use serde::de::{Deserialize, DeserializeOwned, Deserializer};

/// Reads a `T` from `text`, which must hold that one JSON value.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|err| err.to_string())
}

/// For `#[serde(default, deserialize_with = "null_as_default")]`: GitHub writes `null` for "none",
/// which then means the same as a field left out.
pub fn null_as_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(reader: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(reader)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Push {
        #[serde(rename = "ref")]
        git_ref: String,
        #[serde(default, deserialize_with = "null_as_default")]
        deleted: bool,
        repository: Repository,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Repository {
        #[serde(default, deserialize_with = "null_as_default")]
        id: u64,
        name: String,
    }

    #[test]
    fn reads_the_fields_asked_for_past_the_others() {
        // The others (here a commit list, with an escaped quote) are parsed and dropped.
        let text = r#"{"commits":[{"id":"a","message":"x\"y"}],"ref":"refs/heads/main","repository":{"id":7,"name":"r"},"deleted":true}"#;
        let push: Push = from_str(text).unwrap();
        assert_eq!(push, Push { git_ref: "refs/heads/main".into(), deleted: true, repository: Repository { id: 7, name: "r".into() } });
    }

    #[test]
    fn null_is_absent_and_a_wrong_value_is_named_with_its_position() {
        let push: Push = from_str(r#"{"ref":"x","deleted":null,"repository":{"id":null,"name":"r"}}"#).unwrap();
        assert!(!push.deleted && push.repository.id == 0);
        let read = |text: &str| from_str::<Push>(text).unwrap_err();
        assert_eq!(read(r#"{"ref":3}"#), "invalid type: integer `3`, expected a string at line 1 column 8");
        assert_eq!(read(r#"{"ref":"x","repository":{"id":-1}}"#), "invalid value: integer `-1`, expected u64 at line 1 column 32");
        assert_eq!(read(r#"{"ref":"x","repository":{}}"#), "missing field `name` at line 1 column 26");
        assert_eq!(read(r#""x""#), "invalid type: string \"x\", expected struct Push at line 1 column 3");
        assert_eq!(read(r#"{"ref":"x","repository":{"name":"r"}} {}"#), "trailing characters at line 1 column 39");
    }
}
