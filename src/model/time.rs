//! Reading the timestamps users write: RFC 3339, or naive times read in the site timezone,
//! in the years `YEARS`.
//! Never reads the clock: "now" is always an argument.

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::ops::RangeInclusive;

use crate::model::{Moment, Time};

const NAIVE_FORMATS: [&str; 4] = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
];

/// The years a written time may fall in. chrono ends at the year 262143, and a time near
/// that end made the day arithmetic of a build or a live session overflow and panic (a year
/// of +262142 stopped `watch` and `serve`); no status page dates anything outside these.
pub const YEARS: RangeInclusive<i32> = 1900..=9999;

/// The instants candor reads: `YEARS` less a day at each end, so that a time shown in any
/// timezone (offsets are under a day) still falls in `YEARS`. A site dated 9999-12-31 UTC
/// showed the year 10000 east of UTC, which no date format of the theme, the feeds or the
/// calendar can write.
pub fn instants() -> RangeInclusive<Time> {
    let first = NaiveDate::from_ymd_opt(*YEARS.start(), 1, 2).expect("a valid date");
    let last = NaiveDate::from_ymd_opt(*YEARS.end(), 12, 30).expect("a valid date");
    let first = Utc.from_utc_datetime(&first.and_time(chrono::NaiveTime::MIN));
    let last = Utc.from_utc_datetime(&last.and_hms_opt(23, 59, 59).expect("a valid time"));
    first..=last
}

/// `at` if it lies in `instants()`; else an error saying which times candor reads.
pub fn in_instants(text: &str, at: Time) -> Result<Time, TimeError> {
    let range = instants();
    if range.contains(&at) {
        return Ok(at);
    }
    Err(TimeError {
        message: format!(
            "`{text}` is {}; candor reads years {} to {} and, so that every timezone shows \
             them, times from {} to {}",
            at.format("%Y-%m-%dT%H:%MZ"),
            YEARS.start(),
            YEARS.end(),
            range.start().format("%Y-%m-%d"),
            range.end().format("%Y-%m-%d %H:%M UTC"),
        ),
        help: "check the year".to_owned(),
        kind: ErrorKind::OutOfRange,
    })
}

/// Why a written time could not be read; the message and a hint for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    pub message: String,
    pub help: String,
    pub kind: ErrorKind,
}

/// What kind of mistake a `TimeError` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Not a timestamp (or date) in any form we read.
    Unreadable,
    /// A time outside `YEARS`.
    OutOfRange,
    /// A naive time that the zone skips or repeats.
    NotInZone,
}

/// Reads a timestamp: RFC 3339 (`2022-10-15T15:30:00+09:00`, `Z` allowed) or naive
/// (`2022-10-15 15:30`) in `tz`.
pub fn parse_timestamp(text: &str, tz: Tz) -> Result<Time, TimeError> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        in_years(text, t.year())?;
        return in_instants(text, t.with_timezone(&Utc));
    }
    NAIVE_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .ok_or_else(|| TimeError {
            message: format!("`{text}` is not a timestamp"),
            help: format!(
                "write RFC 3339 like `{}`, or `2022-10-15 15:30` for the site timezone ({tz})",
                example(tz)
            ),
            kind: ErrorKind::Unreadable,
        })
        .and_then(|naive| {
            in_years(text, naive.year())?;
            resolve_local(naive, tz).and_then(|at| in_instants(text, at))
        })
}

/// An example timestamp in `tz`'s own offset, so a hint shows the offset the site's people use.
fn example(tz: Tz) -> String {
    let naive = NaiveDate::from_ymd_opt(2022, 10, 15).and_then(|d| d.and_hms_opt(15, 30, 0));
    naive
        .and_then(|n| tz.from_local_datetime(&n).earliest())
        .map_or_else(
            || "2022-10-15T15:30:00Z".to_owned(),
            |t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        )
}

/// A time as written (its own offset or the site's zone) in `YEARS`; else an error saying so.
fn in_years(text: &str, year: i32) -> Result<(), TimeError> {
    if YEARS.contains(&year) {
        return Ok(());
    }
    Err(TimeError {
        message: format!(
            "`{text}` is in the year {year}; candor reads years {} to {}",
            YEARS.start(),
            YEARS.end()
        ),
        help: "check the year".to_owned(),
        kind: ErrorKind::OutOfRange,
    })
}

/// Reads "a date or a timestamp": a bare `2022-10-19` is that day's start in `tz`.
pub fn parse_moment(text: &str, tz: Tz) -> Result<Moment, TimeError> {
    let trimmed = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
        in_years(trimmed, date.year())?;
        return Ok(Moment {
            at: in_instants(trimmed, start_of_day(date, tz))?,
            date_only: true,
        });
    }
    parse_timestamp(trimmed, tz)
        .map(|at| Moment {
            at,
            date_only: false,
        })
        .map_err(|e| match e.kind {
            // Read, but out of range or not in the zone: that message says more.
            ErrorKind::Unreadable => TimeError {
                message: format!("`{trimmed}` is neither a date nor a timestamp"),
                help: format!(
                    "write a date like `2022-10-19`, or {}",
                    lowercase_first(&e.help)
                ),
                kind: ErrorKind::Unreadable,
            },
            _ => e,
        })
}

/// The first instant of a local day. Where midnight does not exist (a DST gap at 00:00,
/// as in some zones), the day starts at the first instant after the gap.
pub fn start_of_day(date: NaiveDate, tz: Tz) -> Time {
    let mut naive = date.and_time(chrono::NaiveTime::MIN);
    for _ in 0..48 {
        if let Some(t) = tz.from_local_datetime(&naive).earliest() {
            return t.with_timezone(&Utc);
        }
        naive += chrono::Duration::minutes(30);
    }
    // No zone has a gap over a day; fall back to reading the date as UTC.
    Utc.from_utc_datetime(&date.and_time(chrono::NaiveTime::MIN))
}

fn resolve_local(naive: NaiveDateTime, tz: Tz) -> Result<Time, TimeError> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => Err(TimeError {
            message: format!("`{naive}` happens twice in {tz} (the clocks go back)"),
            help: format!(
                "write the offset you mean: `{}` or `{}`",
                a.to_rfc3339(),
                b.to_rfc3339()
            ),
            kind: ErrorKind::NotInZone,
        }),
        LocalResult::None => {
            // Read with the offsets in force just before and just after the gap.
            let hour = chrono::Duration::hours(3);
            let readings: Vec<String> = [naive - hour, naive + hour]
                .iter()
                .filter_map(|probe| tz.from_local_datetime(probe).earliest())
                .map(|near| {
                    let offset = near.offset().fix();
                    offset
                        .from_local_datetime(&naive)
                        .single()
                        .map_or_else(String::new, |t| t.to_rfc3339())
                })
                .collect();
            Err(TimeError {
                message: format!("`{naive}` does not exist in {tz} (the clocks go forward)"),
                help: format!("write the offset you mean: `{}`", readings.join("` or `")),
                kind: ErrorKind::NotInZone,
            })
        }
    }
}

use chrono::Offset;

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Time {
        DateTime::parse_from_rfc3339(s)
            .expect("test time")
            .with_timezone(&Utc)
    }

    #[test]
    fn rfc3339_and_naive_forms() {
        let seoul: Tz = "Asia/Seoul".parse().expect("zone");
        let expected = utc("2022-10-15T06:30:00Z");
        for text in [
            "2022-10-15T15:30:00+09:00",
            "2022-10-15T06:30:00Z",
            "2022-10-15 15:30",
            "2022-10-15 15:30:00",
            "2022-10-15T15:30",
        ] {
            assert_eq!(parse_timestamp(text, seoul), Ok(expected), "{text}");
        }
    }

    #[test]
    fn naive_time_in_a_dst_gap_names_both_readings() {
        let berlin: Tz = "Europe/Berlin".parse().expect("zone");
        let err = parse_timestamp("2022-03-27 02:30", berlin).expect_err("gap");
        assert!(err.message.contains("does not exist"), "{}", err.message);
        assert!(
            err.help.contains("2022-03-27T02:30:00+01:00"),
            "{}",
            err.help
        );
        assert!(
            err.help.contains("2022-03-27T02:30:00+02:00"),
            "{}",
            err.help
        );
    }

    #[test]
    fn naive_time_repeated_by_dst_names_both_readings() {
        let berlin: Tz = "Europe/Berlin".parse().expect("zone");
        let err = parse_timestamp("2022-10-30 02:30", berlin).expect_err("fold");
        assert!(
            err.help.contains("+02:00") && err.help.contains("+01:00"),
            "{}",
            err.help
        );
    }

    #[test]
    fn bare_date_is_local_midnight() {
        let seoul: Tz = "Asia/Seoul".parse().expect("zone");
        let m = parse_moment("2022-10-19", seoul).expect("date");
        assert!(m.date_only);
        assert_eq!(m.at, utc("2022-10-18T15:00:00Z"));
    }

    #[test]
    fn times_outside_1900_to_9999_in_any_zone_are_refused() {
        let seoul: Tz = "Asia/Seoul".parse().expect("zone");
        for text in [
            "0001-01-01T00:00:00Z",
            "1899-12-31T23:59:00Z",
            "0000-06-01 12:00",
            "+262142-12-31 23:59",
            "-0044-03-15T12:00",
        ] {
            let err = parse_timestamp(text, seoul).expect_err(text);
            assert_eq!(err.kind, ErrorKind::OutOfRange, "{text}: {}", err.message);
            assert!(err.message.contains("1900 to 9999"), "{}", err.message);
            let err = parse_moment(text, seoul).expect_err(text);
            assert_eq!(err.kind, ErrorKind::OutOfRange, "{text}: {}", err.message);
        }
        for text in ["+262142-12-31", "0999-01-01", "10000-01-01"] {
            let err = parse_moment(text, seoul).expect_err(text);
            assert_ne!(err.kind, ErrorKind::NotInZone, "{text}");
            assert!(err.message.contains(text), "{}", err.message);
        }
        // And a day inside them, so that every zone shows those years.
        for text in [
            "9999-12-31T23:59:00-12:00",
            "9999-12-31T00:00:00Z",
            "1900-01-01T00:00:00+14:00",
            "1900-01-01T23:59:59Z",
        ] {
            let err = parse_timestamp(text, seoul).expect_err(text);
            assert_eq!(err.kind, ErrorKind::OutOfRange, "{text}: {}", err.message);
        }
        assert!(parse_moment("9999-12-31", Tz::UTC).is_err());
        assert!(
            parse_moment("9999-12-31", seoul).is_ok(),
            "9999-12-30 15:00 UTC"
        );
        for text in [
            "9999-12-30T23:59:59Z",
            "1900-01-02T00:00:00Z",
            "9999-12-31 08:59",
        ] {
            assert!(parse_timestamp(text, seoul).is_ok(), "{text}");
        }
        assert!(parse_moment("9999-12-30", seoul).is_ok());
    }

    #[test]
    fn garbage_is_an_error_with_a_hint() {
        let err = parse_timestamp("2022-13-45T99:00", Tz::UTC).expect_err("bad");
        assert!(err.help.contains("RFC 3339"));
    }

    #[test]
    fn the_example_in_a_hint_has_the_site_zone_offset() {
        let toronto: Tz = "America/Toronto".parse().expect("zone");
        let err = parse_timestamp("5:20 am", toronto).expect_err("unreadable");
        assert!(
            err.help.contains("2022-10-15T15:30:00-04:00"),
            "{}",
            err.help
        );
        assert!(err.help.contains("America/Toronto"), "{}", err.help);
        let err = parse_timestamp("soon", Tz::UTC).expect_err("unreadable");
        assert!(err.help.contains("2022-10-15T15:30:00Z"), "{}", err.help);
    }
}
