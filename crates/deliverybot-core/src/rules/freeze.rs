//! Freeze windows: whether a target may deploy now, and until when it waits.
//!
//! Each window is civil time in its own time zone: `Fri 18:00` is 18:00 on the wall clock there,
//! before and after a DST change, so the window's length in hours may change. "Now" is the run's
//! (its invocation's `now`), never a clock read here.

use super::decide::Gate;
use crate::config::{Span, WeekTime, Window, WEEKDAYS};
use crate::rules::Decision;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use crate::time::{days_after, written};
use jiff::Timestamp;

/// One occurrence of a window, in its time zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    pub start: Timestamp,
    pub end: Timestamp,
    /// How the end reads: `Mon 06:00 Europe/Berlin`, `2026-12-27 00:00 UTC`.
    pub until: String,
    /// The whole occurrence in words: `Fri 2026-12-11 18:00 → Mon 2026-12-14 06:00 Europe/Berlin`.
    pub text: String,
}

/// Where `now` stands with regard to a target's windows.
#[derive(Debug, Clone, PartialEq)]
pub enum Standing {
    /// Inside a window; windows that overlap or touch it extend it.
    Frozen(Occurrence),
    /// Outside every window; the next one that starts, if one ever does.
    Open { next: Option<Occurrence> },
}

/// `windows` with their zones' rules.
pub fn standing(windows: &[(&Window, &TimeZone)], now: Timestamp) -> Standing {
    let active = |at: Timestamp| windows.iter().filter_map(|(window, zone)| around(window, zone, at)).filter(|o| o.start <= at && at < o.end).max_by_key(|o| o.end);
    let Some(mut current) = active(now) else {
        let next = windows.iter().filter_map(|(window, zone)| after(window, zone, now)).min_by_key(|o| o.start);
        return Standing::Open { next };
    };
    // Back-to-back or overlapping windows (a weekend, then a holiday) are one wait. Each step moves
    // the end to a later one, so this ends after at most one step per window.
    for _ in 0..windows.len() {
        match active(current.end) {
            Some(later) if later.end > current.end => current = Occurrence { start: current.start, text: format!("{} → {}", before_arrow(&current.text), after_arrow(&later.text)), ..later },
            _ => break,
        }
    }
    Standing::Frozen(current)
}

/// The gate: a frozen target waits, unless an admin forced the deploy (`/deploy --force`, a dispatch's `force`).
pub fn frozen(standing: &Standing, forced_by_admin: bool) -> Gate {
    match standing {
        Standing::Frozen(occurrence) if !forced_by_admin => Gate::Stop(Decision::Frozen { until: occurrence.until.clone() }),
        _ => Gate::Pass,
    }
}

/// The occurrence of `window` that starts at or before `at` (the latest one), if any.
fn around(window: &Window, zone: &TimeZone, at: Timestamp) -> Option<Occurrence> {
    match window.span {
        Span::Weekly { from, to } => {
            let local = zone.to_datetime(at);
            let back = from.day.until(local.weekday());
            let mut start = days_after(local.date(), -i64::from(back))?.to_datetime(from.time);
            if zone.to_timestamp(start).ok()? > at {
                start = days_after(start.date(), -7)?.to_datetime(from.time);
            }
            weekly(start, to, zone, &window.zone)
        }
        Span::Once { from, to } => once(from, to, zone, &window.zone).filter(|o| o.start <= at),
    }
}

/// The first occurrence of `window` that starts after `at`, if any.
fn after(window: &Window, zone: &TimeZone, at: Timestamp) -> Option<Occurrence> {
    match window.span {
        Span::Weekly { to, .. } => {
            let latest = around(window, zone, at)?;
            let start = zone.to_datetime(latest.start);
            weekly(days_after(start.date(), 7)?.to_datetime(start.time()), to, zone, &window.zone)
        }
        Span::Once { from, to } => once(from, to, zone, &window.zone).filter(|o| o.start > at),
    }
}

/// A weekly window's occurrence that starts at `start` (civil), ending when `to` next comes.
fn weekly(start: DateTime, to: WeekTime, zone: &TimeZone, name: &str) -> Option<Occurrence> {
    let mut end = days_after(start.date(), start.weekday().until(to.day).into())?.to_datetime(to.time);
    if end <= start {
        end = days_after(end.date(), 7)?.to_datetime(to.time);
    }
    Some(Occurrence {
        start: zone.to_timestamp(start).ok()?,
        end: zone.to_timestamp(end).ok()?,
        until: format!("{} {name}", clock_on_day(end)),
        text: format!("{} {} → {} {} {name}", day(start), written(start), day(end), written(end)),
    })
}

fn once(from: DateTime, to: DateTime, zone: &TimeZone, name: &str) -> Option<Occurrence> {
    Some(Occurrence {
        start: zone.to_timestamp(from).ok()?,
        end: zone.to_timestamp(to).ok()?,
        until: format!("{} {name}", written(to)),
        text: format!("{} → {} {name}", written(from), written(to)),
    })
}

fn day(at: DateTime) -> &'static str {
    WEEKDAYS.iter().find(|(_, _, weekday)| *weekday == at.weekday()).map_or("?", |(short, _, _)| short)
}

/// `Mon 06:00`.
fn clock_on_day(at: DateTime) -> String {
    format!("{} {:02}:{:02}", day(at), at.hour(), at.minute())
}


fn before_arrow(text: &str) -> &str {
    text.split(" → ").next().unwrap_or(text)
}

fn after_arrow(text: &str) -> &str {
    text.split(" → ").nth(1).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// Europe/Berlin as the machine's tz database has it, read as the engine reads the file the
    /// action hands it; the tests need a zone with DST changes.
    pub(crate) fn berlin() -> TimeZone {
        crate::time::zone_rules(&std::fs::read("/usr/share/zoneinfo/Europe/Berlin").expect("tzdata installed")).unwrap()
    }

    fn windows(yaml: &str) -> Vec<Window> {
        Config::parse(&format!("settings:\n  freeze:\n{yaml}")).unwrap().settings.freeze
    }

    fn at(text: &str) -> Timestamp {
        crate::time::rfc3339(text).unwrap()
    }

    fn standing_at(windows: &[Window], zone: &TimeZone, now: &str) -> Standing {
        let pairs: Vec<_> = windows.iter().map(|w| (w, zone)).collect();
        standing(&pairs, at(now))
    }

    fn until(standing: Standing) -> String {
        match standing {
            Standing::Frozen(o) => o.until,
            open => panic!("not frozen: {open:?}"),
        }
    }

    #[test]
    fn a_weekend_window_freezes_from_friday_evening_to_monday_morning_local_time() {
        let weekend = windows("    - { from: \"Fri 18:00\", to: \"Mon 06:00\", timezone: Europe/Berlin }\n");
        let berlin = berlin();
        // Friday 2026-03-27 17:59 CET (UTC+1) is open; 18:00 is frozen.
        assert!(matches!(standing_at(&weekend, &berlin, "2026-03-27T16:59:00Z"), Standing::Open { .. }));
        assert_eq!(until(standing_at(&weekend, &berlin, "2026-03-27T17:00:00Z")), "Mon 06:00 Europe/Berlin");
        // DST starts on Sunday 2026-03-29: Monday 06:00 is CEST (UTC+2), 04:00 UTC.
        assert_eq!(until(standing_at(&weekend, &berlin, "2026-03-30T03:59:00Z")), "Mon 06:00 Europe/Berlin");
        assert!(matches!(standing_at(&weekend, &berlin, "2026-03-30T04:00:00Z"), Standing::Open { .. }));
        // In the autumn, DST ends on Sunday 2026-10-25: Monday 06:00 is CET again, 05:00 UTC.
        assert_eq!(until(standing_at(&weekend, &berlin, "2026-10-26T04:30:00Z")), "Mon 06:00 Europe/Berlin");
        assert!(matches!(standing_at(&weekend, &berlin, "2026-10-26T05:00:00Z"), Standing::Open { .. }));
        // Mid-week, the next window is the coming weekend, in local time.
        let Standing::Open { next: Some(next) } = standing_at(&weekend, &berlin, "2026-03-25T12:00:00Z") else { panic!() };
        assert_eq!(next.text, "Fri 2026-03-27 18:00 → Mon 2026-03-30 06:00 Europe/Berlin");
        assert_eq!((next.start, next.end), (at("2026-03-27T17:00:00Z"), at("2026-03-30T04:00:00Z")));
    }

    #[test]
    fn dated_windows_include_their_last_day_and_chain_with_weekly_ones() {
        let holidays = windows("    - { from: 2026-12-24, to: 2026-12-26, timezone: Europe/Berlin }\n    - { from: \"Sat 00:00\", to: \"Mon 06:00\", timezone: Europe/Berlin }\n");
        let berlin = berlin();
        // Saturday 2026-12-26 is the last day of the holidays and the start of the weekend: one wait.
        let Standing::Frozen(frozen) = standing_at(&holidays, &berlin, "2026-12-24T10:00:00Z") else { panic!() };
        assert_eq!(frozen.until, "Mon 06:00 Europe/Berlin");
        assert_eq!(frozen.text, "2026-12-24 00:00 → Mon 2026-12-28 06:00 Europe/Berlin");
        assert_eq!(frozen.end, at("2026-12-28T05:00:00Z"));
        let holidays = windows("    - { from: 2026-12-24, to: 2026-12-25, timezone: Europe/Berlin }\n");
        assert_eq!(until(standing_at(&holidays, &berlin, "2026-12-25T22:59:00Z")), "2026-12-26 00:00 Europe/Berlin");
        assert_eq!(standing_at(&holidays, &berlin, "2026-12-25T23:00:00Z"), Standing::Open { next: None }, "a window in the past never comes again");
    }

    #[test]
    fn a_window_over_the_dst_change_ends_at_the_wall_clock_time() {
        // 2026-10-25 02:00–03:00 happens twice in Berlin; the window ends at the later 03:00 (CET).
        let night = windows("    - { from: \"2026-10-24 22:00\", to: \"2026-10-25 03:00\", timezone: Europe/Berlin }\n");
        let Standing::Frozen(frozen) = standing_at(&night, &berlin(), "2026-10-25T00:30:00Z") else { panic!() };
        assert_eq!((frozen.start, frozen.end), (at("2026-10-24T20:00:00Z"), at("2026-10-25T02:00:00Z")));
    }

    #[test]
    fn the_gate_stops_a_frozen_target_unless_an_admin_forces_it() {
        let weekend = windows("    - { from: \"Fri 18:00\", to: \"Mon 06:00\", timezone: UTC }\n");
        let standing = standing_at(&weekend, &TimeZone::UTC, "2026-12-05T12:00:00Z");
        assert_eq!(frozen(&standing, false), Gate::Stop(Decision::Frozen { until: "Mon 06:00 UTC".into() }));
        assert_eq!(frozen(&standing, true), Gate::Pass);
        assert_eq!(frozen(&standing_at(&weekend, &TimeZone::UTC, "2026-12-07T06:00:00Z"), false), Gate::Pass);
    }
}
