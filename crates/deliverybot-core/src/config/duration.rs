//! Durations as the config writes them (`soak: 30m`, `settings.stuck_after: 2h`): a whole number
//! and a unit, one grammar for every key that takes one.

use super::value::expected;
use crate::diagnostic::Diagnostic;
use crate::yaml::Node;
use std::time::Duration;

/// How a duration is written: a whole number and a unit, `s`, `m`, `h` or `d` (`30m`, `2h`, `1d`).
pub const DURATION_FORMAT: &str = "a whole number and a unit, s, m, h or d, like `30m`, `2h` or `1d`";

/// The schema's pattern for [`DURATION_FORMAT`].
#[cfg(feature = "schema")]
pub const DURATION_PATTERN: &str = "^[1-9][0-9]*[smhd]$";

/// `30m` → 30 minutes; the problem in words otherwise. A duration is never zero: waiting for nothing
/// is said by leaving the key out.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let unit = text.chars().last().unwrap_or(' ');
    let seconds = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        _ => return Err(format!("is {DURATION_FORMAT}")),
    };
    let number = &text[..text.len() - 1];
    match number.parse::<u64>() {
        Ok(n) if n > 0 && number.bytes().all(|b| b.is_ascii_digit()) && !number.starts_with('0') => {
            n.checked_mul(seconds).map(Duration::from_secs).ok_or_else(|| "is too long".to_string())
        }
        Ok(0) => Err(format!("cannot be zero; leave the key out to wait for nothing ({DURATION_FORMAT})")),
        _ => Err(format!("is {DURATION_FORMAT}")),
    }
}

/// A key whose value is a duration (`soak`, `stuck_after`).
pub(super) fn duration(node: &Node, field: &str) -> Result<Duration, Vec<Diagnostic>> {
    let Some(text) = node.as_str() else { return Err(vec![expected(node, field, DURATION_FORMAT)]) };
    parse_duration(text.trim()).map_err(|problem| vec![Diagnostic::at(node.pos, format!("`{field}: {text}` {problem}"))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_a_number_and_a_unit() {
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1_800)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7_200)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("45s"), Ok(Duration::from_secs(45)));
        for bad in ["30", "m", "1.5h", "-1h", "1w", "1h30m", "+1h", "01h", ""] {
            assert_eq!(parse_duration(bad), Err(format!("is {DURATION_FORMAT}")), "{bad}");
        }
        assert!(parse_duration("0m").unwrap_err().starts_with("cannot be zero"));
        assert_eq!(parse_duration("99999999999999999d"), Err("is too long".into()));
    }
}
