//! Times as the engine reads and writes them: RFC 3339 text (the run's `now`, GitHub's
//! `created_at`), civil dates and clock times (`2026-12-24`, `18:00`), and days counted on a
//! calendar. jiff does the calendar and the time zones; these few readers stand in for its
//! general parser, whose code (with its error messages) would not fit the action's size budget.

use jiff::civil::{Date, Time};
use jiff::tz::Offset;
use jiff::Timestamp;

/// `2026-12-24T17:00:00Z`, `2026-12-24T18:00:00.123+01:00` (RFC 3339; a space may stand for `T`).
pub fn rfc3339(text: &str) -> Option<Timestamp> {
    let (date, rest) = text.split_once(['T', 't', ' '])?;
    let split = rest.find(['Z', 'z', '+', '-'])?;
    let (clock_text, zone) = rest.split_at(split);
    let (whole, fraction) = clock_text.split_once('.').unwrap_or((clock_text, "0"));
    let (hour_minute, second) = whole.rsplit_once(':')?;
    if second.len() != 2 || fraction.is_empty() || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let at = calendar(date)?.to_datetime(clock(hour_minute)?.with().second(second.parse().ok()?).build().ok()?);
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (hours, minutes) = zone[1..].split_once(':')?;
            if hours.len() != 2 || minutes.len() != 2 {
                return None;
            }
            sign * (hours.parse::<i32>().ok()? * 3600 + minutes.parse::<i32>().ok()? * 60)
        }
    };
    Offset::from_seconds(offset).ok()?.to_timestamp(at).ok()
}

/// `2026-12-24`.
pub fn calendar(text: &str) -> Option<Date> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?).ok()
}

/// `18:00` (or `6:00`), on a 24-hour clock.
pub fn clock(text: &str) -> Option<Time> {
    let (hour, minute) = text.split_once(':')?;
    if hour.is_empty() || hour.len() > 2 || minute.len() != 2 {
        return None;
    }
    Time::new(hour.parse().ok()?, minute.parse().ok()?, 0, 0).ok()
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
        for bad in ["2026-12-24", "2026-12-24T17:00Z", "2026-12-24T17:00:00", "2026-13-24T17:00:00Z", "2026-12-24T17:00:00+1:00", "yesterday", "2026-12-24T17:00:00.Z"] {
            assert_eq!(rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_are_counted_on_the_calendar() {
        assert_eq!(days_after(date(2026, 12, 30), 3), Some(date(2027, 1, 2)));
        assert_eq!(days_after(date(2026, 3, 1), -1), Some(date(2026, 2, 28)));
        assert_eq!(written(date(2026, 12, 24).at(6, 5, 0, 0)), "2026-12-24 06:05");
    }
}
