//! Reading the timestamps users write: RFC 3339, or naive times read in the site timezone,
//! in the years `YEARS`.
//! Never reads the clock: "now" is always an argument.

use chrono::{
    DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc,
};
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
    parse_typed(text).map_err(|e| in_zone(e, tz))?.resolve(tz)
}

/// An unreadable time's hint, its example in `tz`'s own offset and naming the zone, once the
/// zone is known.
pub fn in_zone(e: TimeError, tz: Tz) -> TimeError {
    match e.kind {
        ErrorKind::Unreadable => TimeError {
            help: format!(
                "write RFC 3339 like `{}`, or `2022-10-15 15:30` for the site timezone ({tz})",
                example(tz)
            ),
            ..e
        },
        _ => e,
    }
}

/// A timestamp as a person typed it, before the zone it is read in is known: the command
/// line reads one before it has read status.yaml, and every naive time, typed or written in
/// YAML, must be read in the site's zone the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typed {
    /// With its own offset (RFC 3339).
    Offset(DateTime<FixedOffset>),
    /// Without one: a wall-clock time of the site's zone.
    Naive(NaiveDateTime),
}

/// Reads a timestamp without resolving it: RFC 3339 or one of the naive forms, in `YEARS`.
pub fn parse_typed(text: &str) -> Result<Typed, TimeError> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        in_years(text, t.year())?;
        in_instants(text, t.with_timezone(&Utc))?;
        return Ok(Typed::Offset(t));
    }
    let naive = NAIVE_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .ok_or_else(|| TimeError {
            message: format!("`{text}` is not a timestamp"),
            help: "write RFC 3339 like `2022-10-15T15:30:00+09:00`, or `2022-10-15 15:30` \
                   for the site timezone"
                .to_owned(),
            kind: ErrorKind::Unreadable,
        })?;
    in_years(text, naive.year())?;
    Ok(Typed::Naive(naive))
}

/// A written offset that is the site zone's in another season, not at that instant (`-04:00`
/// in November for America/Toronto): a slip, summer time typed in winter or the reverse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetSlip {
    pub message: String,
    pub help: String,
}

impl Typed {
    /// The instant: a naive time read in `tz`, which must have it exactly once.
    pub fn resolve(&self, tz: Tz) -> Result<Time, TimeError> {
        match self {
            Typed::Offset(t) => Ok(t.with_timezone(&Utc)),
            Typed::Naive(naive) => resolve_local(*naive, tz)
                .and_then(|at| in_instants(&naive.format("%Y-%m-%d %H:%M:%S").to_string(), at)),
        }
    }

    /// A note when the written offset is not `tz`'s at that instant (`Z` included): what it is
    /// there, for a time a command writes into a file whose page shows `tz`'s time. `None` for
    /// a naive time or the zone's own offset.
    pub fn elsewhere(&self, tz: Tz) -> Option<OffsetSlip> {
        let Typed::Offset(t) = self else { return None };
        let expected = tz.offset_from_utc_datetime(&t.naive_utc()).fix();
        if t.offset().fix() == expected {
            return None;
        }
        let local = t.with_timezone(&tz);
        Some(OffsetSlip {
            message: format!(
                "`{}` is {} in {} (the site's offset then is {expected}, not {})",
                t.to_rfc3339(),
                local.format("%Y-%m-%d %H:%M"),
                tz.name(),
                t.offset().fix()
            ),
            help: format!(
                "that is what the incident file and the page will say; if you meant {} in {}, write `{}`",
                t.naive_local().format("%H:%M"),
                tz.name(),
                t.naive_local().format("%Y-%m-%d %H:%M"),
            ),
        })
    }

    /// A slip when the written offset is not `tz`'s at that instant but is its offset in
    /// another season of the year around it. Any other offset says another place's time on
    /// purpose (a colleague in Vancouver, `Z` from a log): the instant is exact, and warning
    /// about it on every build would drown the slips.
    pub fn offset_slip(&self, tz: Tz) -> Option<OffsetSlip> {
        let Typed::Offset(t) = self else { return None };
        let written = t.offset().fix();
        let at = t.naive_utc();
        let expected = tz.offset_from_utc_datetime(&at).fix();
        let mut seasons = (-12..=12).filter_map(|months: i64| {
            let probe = at.checked_add_signed(chrono::Duration::days(30 * months))?;
            Some(tz.offset_from_utc_datetime(&probe).fix())
        });
        // `Z` (or `+00:00`) is UTC on purpose, even where it is also winter time (London).
        let utc = written.local_minus_utc() == 0;
        if written == expected || utc || !seasons.any(|o| o == written) {
            return None;
        }
        let local = t.with_timezone(&tz);
        let same_wall = expected
            .from_local_datetime(&t.naive_local())
            .single()
            .map(|t| t.to_rfc3339());
        Some(OffsetSlip {
            message: format!(
                "`{}` has the offset {written}, but {} is at {expected} then",
                t.to_rfc3339(),
                tz.name()
            ),
            help: format!(
                "as written it is {} in {}; if you meant {} there, write `{}` or `{}` (read in the site timezone)",
                local.format("%Y-%m-%d %H:%M"),
                tz.name(),
                t.naive_local().format("%H:%M"),
                same_wall.unwrap_or_default(),
                t.naive_local().format("%Y-%m-%d %H:%M"),
            ),
        })
    }
}

/// An example timestamp in `tz`'s own offset, so a hint shows the offset the site's people use.
pub fn example(tz: Tz) -> String {
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

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Where an entry sorts: its instant; a bare date just before the next day starts, so it
/// follows the events of its day that have a time (the timeline and the feeds sort so).
pub fn day_last(m: Moment, tz: Tz) -> Time {
    if !m.date_only {
        return m.at;
    }
    let next = m.at.with_timezone(&tz).date_naive().succ_opt();
    next.map_or(m.at, |d| {
        start_of_day(d, tz) - chrono::Duration::nanoseconds(1)
    })
}

#[cfg(test)]
#[path = "time_tests.rs"]
mod tests;
