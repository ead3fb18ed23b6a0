//! `freeze:` (in `settings` or on a target): windows of time when nothing deploys but what an
//! admin forces (`/deploy --force`, a dispatch with `force`).
//!
//! ```yaml
//! freeze:
//!   - { from: "Fri 18:00", to: "Mon 06:00", timezone: Europe/Berlin }   # every weekend
//!   - { from: "2026-12-24", to: "2026-12-26", timezone: Europe/Berlin } # both days included
//! ```
//!
//! Times are civil times in the window's IANA time zone, so `Fri 18:00` stays 18:00 across a DST
//! change. The zone's rules are data the host supplies when a run needs them (see `rules::freeze`);
//! here only the name's shape is checked.

use super::value::expected;
use crate::diagnostic::{Diagnostic, Pos};
use crate::yaml::{Node, Value};
use crate::time::{calendar, clock};
use jiff::civil::{Date, DateTime, Time, Weekday};

/// A window of time when deploys wait.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub span: Span,
    /// An IANA time zone name, like `Europe/Berlin`.
    pub zone: String,
    /// Where the window is written, for a zone that turns out to be unknown.
    pub pos: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Span {
    /// Every week, from a weekday and time to the next time the other one comes.
    Weekly { from: WeekTime, to: WeekTime },
    /// Once, from a civil date-time to another; `to` is not part of it (a date alone as `to` ends
    /// with that day, so it is the next midnight).
    Once { from: DateTime, to: DateTime },
}

/// A time on a day of the week: `Fri 18:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekTime {
    pub day: Weekday,
    pub time: Time,
}

/// What `from` and `to` may be.
const MOMENT: &str = "a weekday and time (`Fri 18:00`), a date (`2026-12-24`) or a date and time (`2026-12-24 18:00`)";

/// The keys of a window.
pub const WINDOW_KEYS: &[&str] = &["from", "to", "timezone"];

/// Weekdays as written: short or in full, in any case.
pub const WEEKDAYS: [(&str, &str, Weekday); 7] = [
    ("Mon", "monday", Weekday::Monday),
    ("Tue", "tuesday", Weekday::Tuesday),
    ("Wed", "wednesday", Weekday::Wednesday),
    ("Thu", "thursday", Weekday::Thursday),
    ("Fri", "friday", Weekday::Friday),
    ("Sat", "saturday", Weekday::Saturday),
    ("Sun", "sunday", Weekday::Sunday),
];

/// `freeze`: a list of windows, every problem in it at once.
pub(super) fn windows(node: &Node, errors: &mut Vec<Diagnostic>) -> Vec<Window> {
    let Value::Seq(items) = &node.value else {
        errors.push(expected(node, "freeze", "a list of windows, like `[{ from: \"Fri 18:00\", to: \"Mon 06:00\", timezone: Europe/Berlin }]`"));
        return Vec::new();
    };
    items.iter().filter_map(|item| window(item, errors)).collect()
}

fn window(node: &Node, errors: &mut Vec<Diagnostic>) -> Option<Window> {
    let Value::Map(fields) = &node.value else {
        errors.push(expected(node, "a freeze window", "a map of `from`, `to` and `timezone`"));
        return None;
    };
    let before = errors.len();
    let fields = super::keys::checked(fields.clone(), WINDOW_KEYS, "in a freeze window", errors);
    let field = |name: &str| fields.iter().find(|(key, _)| key.as_str() == Some(name)).map(|(_, value)| value);
    let mut read = |name: &str| -> Option<(Moment, Pos)> {
        let Some(value) = field(name) else {
            errors.push(Diagnostic::at(node.pos, format!("a freeze window needs `{name}`")));
            return None;
        };
        match value.as_str().map(Moment::parse) {
            Some(Ok(moment)) => Some((moment, value.pos)),
            Some(Err(problem)) => {
                errors.push(Diagnostic::at(value.pos, format!("`{name}` {problem}")));
                None
            }
            None => {
                errors.push(expected(value, name, MOMENT));
                None
            }
        }
    };
    let (from, to) = (read("from"), read("to"));
    let zone = match field("timezone") {
        None => {
            errors.push(Diagnostic::at(node.pos, "a freeze window needs `timezone`, an IANA time zone like `Europe/Berlin` or `UTC`"));
            None
        }
        Some(value) => match value.as_str().filter(|name| is_zone_name(name)) {
            Some(name) => Some(name.to_string()),
            None => {
                errors.push(expected(value, "timezone", "an IANA time zone name, like `Europe/Berlin` or `UTC`"));
                None
            }
        },
    };
    let span = match (from?, to?) {
        ((Moment::Weekly(from), _), (Moment::Weekly(to), to_pos)) if from == to => {
            errors.push(Diagnostic::at(to_pos, "`to` is the same time as `from`: the window would be empty"));
            None
        }
        ((Moment::Weekly(from), _), (Moment::Weekly(to), _)) => Some(Span::Weekly { from, to }),
        ((Moment::Weekly(_), _), (_, to_pos)) | ((_, _), (Moment::Weekly(_), to_pos)) => {
            errors.push(Diagnostic::at(to_pos, "`from` and `to` are both weekly (`Fri 18:00`) or both dates (`2026-12-24`)"));
            None
        }
        ((from, _), (to, to_pos)) => {
            let (from, to) = (from.start(), to.end());
            if to <= from {
                errors.push(Diagnostic::at(to_pos, "`to` is not after `from`"));
                None
            } else {
                Some(Span::Once { from, to })
            }
        }
    };
    (errors.len() == before).then_some(Window { span: span?, zone: zone?, pos: node.pos })
}

/// What `from` or `to` says, before the two are put together.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Moment {
    Weekly(WeekTime),
    Date(Date),
    DateTime(DateTime),
}

impl Moment {
    fn parse(text: &str) -> Result<Moment, String> {
        let text = text.trim();
        let bad = || format!("must be {MOMENT}; this is {text:?}");
        if let Some((day, time)) = text.split_once(' ').filter(|(day, _)| day.chars().all(|c| c.is_ascii_alphabetic())) {
            let lower = day.to_ascii_lowercase();
            let day = WEEKDAYS.iter().find(|(short, long, _)| lower == short.to_ascii_lowercase() || lower == *long).ok_or_else(bad)?.2;
            return Ok(Moment::Weekly(WeekTime { day, time: clock(time.trim()).ok_or_else(bad)? }));
        }
        match text.split_once([' ', 'T']) {
            Some((date, time)) => Ok(Moment::DateTime(calendar(date).ok_or_else(bad)?.to_datetime(clock(time.trim()).ok_or_else(bad)?))),
            None => Ok(Moment::Date(calendar(text).ok_or_else(bad)?)),
        }
    }

    /// As the start of a window: a date starts at its midnight.
    fn start(self) -> DateTime {
        match self {
            Moment::Date(date) => date.to_datetime(Time::midnight()),
            Moment::DateTime(at) => at,
            Moment::Weekly(_) => unreachable!("weekly moments are not dates"),
        }
    }

    /// As the end of a window: a date is included, so it ends at the next midnight.
    fn end(self) -> DateTime {
        match self {
            Moment::Date(date) => date.tomorrow().unwrap_or(date).to_datetime(Time::midnight()),
            other => other.start(),
        }
    }
}

/// The shape of an IANA name (`Europe/Berlin`, `America/Argentina/Buenos_Aires`, `UTC`, `Etc/GMT+2`):
/// whether the zone exists is known only from its data.
fn is_zone_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.split('/').all(|part| !part.is_empty() && !part.starts_with('.') && part.chars().all(|c| c.is_ascii_alphanumeric() || "_+-".contains(c)))
}

#[cfg(test)]
mod tests {
    use super::super::{errors, Config};
    use super::*;
    use jiff::civil::date;

    fn one(text: &str) -> Window {
        Config::parse(&format!("settings:\n  freeze:\n    - {text}\n")).unwrap().settings.freeze.remove(0)
    }

    #[test]
    fn weekly_windows_read_a_weekday_and_a_time() {
        let window = one("{ from: \"Fri 18:00\", to: \"monday 6:00\", timezone: Europe/Berlin }");
        let at = |day, hour| WeekTime { day, time: Time::new(hour, 0, 0, 0).unwrap() };
        assert_eq!(window.span, Span::Weekly { from: at(Weekday::Friday, 18), to: at(Weekday::Monday, 6) });
        assert_eq!((window.zone.as_str(), window.pos), ("Europe/Berlin", Pos { line: 3, column: 7 }));
    }

    #[test]
    fn dated_windows_include_a_last_day_given_as_a_date() {
        let window = one("{ from: 2026-12-24, to: 2026-12-26, timezone: UTC }");
        assert_eq!(window.span, Span::Once { from: date(2026, 12, 24).at(0, 0, 0, 0), to: date(2026, 12, 27).at(0, 0, 0, 0) });
        let window = one("{ from: \"2026-12-24 18:00\", to: \"2026-12-27T06:30\", timezone: America/New_York }");
        assert_eq!(window.span, Span::Once { from: date(2026, 12, 24).at(18, 0, 0, 0), to: date(2026, 12, 27).at(6, 30, 0, 0) });
    }

    #[test]
    fn every_problem_of_a_window_is_reported_where_it_stands() {
        assert_eq!(
            errors("settings:\n  freeze:\n    - { from: \"Fry 18:00\", to: 2026-02-30, timezone: Europe/Berlin }\n    - { from: 2026-12-26, to: 2026-12-24, timezone: \"Europe/../x\" }\n    - { from: \"Fri 18:00\", to: 2026-12-24, timezone: UTC, until: x }\n    - { to: \"Mon 06:00\" }\n  stuck_after: 10 minutes\nweb:\n  freeze: weekends\n"),
            [
                "3:15: `from` must be a weekday and time (`Fri 18:00`), a date (`2026-12-24`) or a date and time (`2026-12-24 18:00`); this is \"Fry 18:00\"",
                "3:32: `to` must be a weekday and time (`Fri 18:00`), a date (`2026-12-24`) or a date and time (`2026-12-24 18:00`); this is \"2026-02-30\"",
                "4:31: `to` is not after `from`",
                "4:53: `timezone` must be an IANA time zone name, like `Europe/Berlin` or `UTC`; this is the string \"Europe/../x\"",
                "5:32: `from` and `to` are both weekly (`Fri 18:00`) or both dates (`2026-12-24`)",
                "5:59: unknown key `until` in a freeze window; the keys are `from`, `to`, `timezone`",
                "6:7: a freeze window needs `from`",
                "6:7: a freeze window needs `timezone`, an IANA time zone like `Europe/Berlin` or `UTC`",
                "7:16: `stuck_after: 10 minutes` is a whole number and a unit, s, m, h or d, like `30m`, `2h` or `1d`",
                "9:11: `freeze` must be a list of windows, like `[{ from: \"Fri 18:00\", to: \"Mon 06:00\", timezone: Europe/Berlin }]`; this is the string \"weekends\"",
            ]
        );
        assert_eq!(errors("settings:\n  freeze:\n    - { from: 2026-12-26, to: 2026-12-24, timezone: UTC }\n"), ["3:31: `to` is not after `from`"]);
        assert_eq!(errors("settings:\n  freeze:\n    - { from: Fri 18:00, to: fri 18:00, timezone: UTC }\n"), ["3:30: `to` is the same time as `from`: the window would be empty"]);
    }
}
