//! Times as the engine reads and writes them: RFC 3339 text (the run's `now`, GitHub's
//! `created_at`), civil dates and clock times (`2026-12-24`, `18:00`), days counted on a calendar,
//! and a time zone's rules from its TZif file. jiff does the calendar and the time zones; these few
//! readers stand in for its general parsers, whose code, error messages and tables would not fit the
//! action's size budget.

use jiff::civil::{Date, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;

/// A zone's current rules from its TZif file (`/usr/share/zoneinfo/Europe/Berlin`): the POSIX TZ
/// rule the tz database writes at the end of every version 2+ file (`CET-1CEST,M3.5.0,M10.5.0/3`),
/// which jiff applies. It holds from the zone's last change of rules on, so for the freeze windows
/// of now and the coming months it is the zone; a change announced for a later date is applied as
/// soon as the host's tzdata carries it, rather than from its date. (Reading the whole file with jiff's TZif parser would add its
/// checksum tables, 17 KB, to the .wasm.)
pub fn zone_rules(tzif: &[u8]) -> Option<TimeZone> {
    if !tzif.starts_with(b"TZif") || tzif.get(4).is_none_or(|version| *version < b'2') {
        return None;
    }
    let body = tzif.strip_suffix(b"\n")?;
    let start = body.iter().rposition(|byte| *byte == b'\n')? + 1;
    let rule = std::str::from_utf8(&body[start..]).ok().filter(|rule| !rule.is_empty())?;
    TimeZone::posix(rule).ok()
}

/// `2026-12-24T17:00:00Z`, `2026-12-24T18:00:00.123+01:00` (RFC 3339; a space may stand for `T`).
pub fn rfc3339(text: &str) -> Option<Timestamp> {
    let (date, rest) = text.split_once(['T', 't', ' '])?;
    let split = rest.find(['Z', 'z', '+', '-'])?;
    let (clock_text, zone) = rest.split_at(split);
    let (whole, fraction) = clock_text.split_once('.').unwrap_or((clock_text, "0"));
    let (hour_minute, second) = whole.rsplit_once(':')?;
    digits(fraction, 1, 9)?;
    let minute = clock(hour_minute)?;
    let at = calendar(date)?.to_datetime(Time::new(minute.hour(), minute.minute(), digits(second, 2, 2)? as i8, 0).ok()?);
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (hours, minutes) = zone[1..].split_once(':')?;
            sign * (digits(hours, 2, 2)? * 3600 + digits(minutes, 2, 2)? * 60)
        }
    };
    Offset::from_seconds(offset).ok()?.to_timestamp(at).ok()
}

/// `2026-12-24`.
pub fn calendar(text: &str) -> Option<Date> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Date::new(digits(year, 4, 4)? as i16, digits(month, 2, 2)? as i8, digits(day, 2, 2)? as i8).ok()
}

/// `18:00` (or `6:00`), on a 24-hour clock.
pub fn clock(text: &str) -> Option<Time> {
    let (hour, minute) = text.split_once(':')?;
    Time::new(digits(hour, 1, 2)? as i8, digits(minute, 2, 2)? as i8, 0, 0).ok()
}

/// A number of `min` to `max` ASCII digits, nothing else (no sign, no space); at most 9 digits.
pub fn digits(text: &str, min: usize, max: usize) -> Option<i32> {
    if text.len() < min || text.len() > max.min(9) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(text.bytes().fold(0, |n, b| n * 10 + i32::from(b - b'0')))
}

/// The date `days` days later (earlier when negative), day by day: a week at the most here.
pub fn days_after(mut date: Date, days: i64) -> Option<Date> {
    for _ in 0..days.unsigned_abs() {
        date = if days > 0 { date.tomorrow() } else { date.yesterday() }.ok()?;
    }
    Some(date)
}

/// `2026-12-24 18:00`.
pub fn written(at: jiff::civil::DateTime) -> String {
    format!("{:04}-{:02}-{:02} {:02}:{:02}", at.year(), at.month(), at.day(), at.hour(), at.minute())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn rfc3339_times_read_with_their_offset() {
        assert_eq!(rfc3339("2026-12-24T17:00:00Z"), Some(Timestamp::from_second(1_798_131_600).unwrap()));
        assert_eq!(rfc3339("2026-12-24T18:00:00.250+01:00"), rfc3339("2026-12-24T17:00:00Z"));
        assert_eq!(rfc3339("2026-12-24 12:00:00-05:00"), rfc3339("2026-12-24T17:00:00Z"));
        for bad in ["2026-12-24", "2026-12-24T17:00Z", "+026-12-24T17:00:00Z", "2026-12-24T17:00:0Z", "2026-12-24T17:00:00", "2026-13-24T17:00:00Z", "2026-12-24T17:00:00+1:00", "yesterday", "2026-12-24T17:00:00.Z"] {
            assert_eq!(rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_zone_is_its_tzif_files_current_rule() {
        let berlin = zone_rules(&std::fs::read("/usr/share/zoneinfo/Europe/Berlin").expect("tzdata installed")).unwrap();
        let summer = rfc3339("2026-07-01T12:00:00Z").unwrap();
        assert_eq!(berlin.to_datetime(summer), date(2026, 7, 1).at(14, 0, 0, 0));
        assert_eq!(berlin.to_datetime(rfc3339("2026-12-01T12:00:00Z").unwrap()), date(2026, 12, 1).at(13, 0, 0, 0));
        let mut v1 = b"TZif\0".to_vec();
        v1.extend_from_slice(b"rest\nCET-1\n");
        assert!(zone_rules(&v1).is_none(), "a version 1 file has no rule");
        assert!(zone_rules(b"TZif2 no footer").is_none());
        assert!(zone_rules(b"<html>not a zone</html>\nCET-1\n").is_none());
        assert!(zone_rules(b"TZif2....\nnot a rule\n").is_none());
    }

    #[test]
    fn days_are_counted_on_the_calendar() {
        assert_eq!(days_after(date(2026, 12, 30), 3), Some(date(2027, 1, 2)));
        assert_eq!(days_after(date(2026, 3, 1), -1), Some(date(2026, 2, 28)));
        assert_eq!(written(date(2026, 12, 24).at(6, 5, 0, 0)), "2026-12-24 06:05");
    }
}
