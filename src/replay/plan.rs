//! Which instants a replay shows and what their folders are called: durations as people write
//! them (`1h30m`), the list from `--from` to `--to`, and sortable folder names. Never touches
//! the disk, never reads the clock.

use super::ReplayError;
use crate::model::Time;
use chrono::{Duration, NaiveDateTime, SecondsFormat};

/// More instants than this are refused: each is a whole site on disk.
pub const MAX_INSTANTS: usize = 1000;

/// A folder name is the instant in UTC, ISO 8601 basic format (`20221015T030000Z`, as
/// iCalendar writes times): it sorts by name in time order even across a DST change, where
/// local names repeat an hour, and it has no `:`, which Windows refuses in a file name.
const FOLDER_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// Units a duration may use, largest first, in minutes.
const UNITS: [(char, i64); 3] = [('d', 24 * 60), ('h', 60), ('m', 1)];

/// What to write instead, shown with every duration error.
const DURATION_HELP: &str =
    "write a number and a unit, largest unit first, like `30m`, `6h`, `1d` or `1h30m`";

/// Why a duration could not be read, and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` {problem}; {DURATION_HELP}")]
pub struct DurationError {
    pub text: String,
    pub problem: DurationProblem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DurationProblem {
    #[error("is not a duration")]
    NotADuration,
    #[error("is no time at all: a replay must move forward")]
    Zero,
    #[error("is negative: a replay steps forward in time")]
    Negative,
    #[error("is too long")]
    TooLong,
}

/// Reads `30m`, `6h`, `1d`, `1h30m`, `1d12h`: whole numbers of days (24 hours), hours and
/// minutes, each unit at most once, largest first, adding up to more than zero.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let text = text.trim();
    let fail = |problem| DurationError {
        text: text.to_owned(),
        problem,
    };
    if text.starts_with('-') {
        return Err(fail(DurationProblem::Negative));
    }
    if text.is_empty() {
        return Err(fail(DurationProblem::NotADuration));
    }
    let mut minutes: i64 = 0;
    let mut rest = text;
    // Units must come largest first (`1h30m`, not `30m1h`), each once.
    let mut allowed = &UNITS[..];
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(digits);
        if number.is_empty() {
            return Err(fail(DurationProblem::NotADuration));
        }
        // Only digits here, so the one way to fail is a number too large for an i64.
        let number: i64 = number.parse().map_err(|_| fail(DurationProblem::TooLong))?;
        let unit = after.chars().next();
        let at = allowed
            .iter()
            .position(|(u, _)| Some(*u) == unit)
            .ok_or_else(|| fail(DurationProblem::NotADuration))?;
        let (unit, per) = allowed[at];
        allowed = &allowed[at + 1..];
        minutes = number
            .checked_mul(per)
            .and_then(|m| m.checked_add(minutes))
            .ok_or_else(|| fail(DurationProblem::TooLong))?;
        rest = &after[unit.len_utf8()..];
    }
    if minutes == 0 {
        return Err(fail(DurationProblem::Zero));
    }
    Duration::try_minutes(minutes).ok_or_else(|| fail(DurationProblem::TooLong))
}

/// A duration the way `parse_duration` reads it back (`1d6h`, `1h30m`), in whole minutes
/// rounded up, so a suggested step is never shorter than needed.
pub fn format_duration(duration: Duration) -> String {
    let mut minutes = duration.num_minutes();
    if duration > Duration::minutes(minutes) {
        minutes += 1;
    }
    let mut out = String::new();
    for (unit, per) in UNITS {
        let count = minutes / per;
        if count > 0 {
            out.push_str(&format!("{count}{unit}"));
            minutes %= per;
        }
    }
    if out.is_empty() {
        out.push_str("0m");
    }
    out
}

/// `from`, `from + every`, … up to `to`, which is included when it falls on a step.
/// Refuses `to` before `from`, and more than `MAX_INSTANTS` instants, before listing any.
pub fn instants(from: Time, to: Time, every: Duration) -> Result<Vec<Time>, ReplayError> {
    if to < from {
        return Err(ReplayError::Backwards {
            from: rfc3339(from),
            to: rfc3339(to),
        });
    }
    if every <= Duration::zero() {
        // parse_duration never gives one; a caller of the library might.
        return Err(ReplayError::NotForward);
    }
    // Milliseconds cover any span chrono holds. `every` is whole milliseconds (parse_duration
    // gives whole minutes), so flooring the span never moves it across a step.
    let (span, step) = (
        (to - from).num_milliseconds(),
        every.num_milliseconds().max(1),
    );
    let count = span / step + 1;
    if count > MAX_INSTANTS as i64 {
        // The shortest step that stays within the limit: MAX_INSTANTS - 1 gaps.
        let gaps = MAX_INSTANTS as i64 - 1;
        let shortest = Duration::milliseconds(span.saturating_add(gaps - 1) / gaps);
        return Err(ReplayError::TooMany {
            count: group_thousands(count),
            every: format_duration(every),
            suggestion: format_duration(shortest),
        });
    }
    // count ≤ MAX_INSTANTS, so the multiplier fits an i32 and every instant is ≤ `to`.
    Ok((0..count as i32)
        .map_while(|i| {
            every
                .checked_mul(i)
                .and_then(|d| from.checked_add_signed(d))
        })
        .collect())
}

/// The folder one instant is written to, below the replay folder.
pub fn folder_name(at: Time) -> String {
    at.format(FOLDER_FORMAT).to_string()
}

/// Whether `name` is exactly a name `folder_name` gives.
pub fn is_folder_name(name: &str) -> bool {
    NaiveDateTime::parse_from_str(name, FOLDER_FORMAT)
        .is_ok_and(|t| t.format(FOLDER_FORMAT).to_string() == name)
}

pub(super) fn rfc3339(t: Time) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `1441` → `1,441`: a count read at a glance.
pub(super) fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Time {
        chrono::DateTime::parse_from_rfc3339(s)
            .expect("test time")
            .with_timezone(&chrono::Utc)
    }

    #[test]
    fn durations_read_as_written() {
        for (text, minutes) in [
            ("30m", 30),
            ("1h", 60),
            ("6h", 360),
            ("1d", 1440),
            ("1h30m", 90),
            ("1d12h", 2160),
            ("2d3h4m", 2 * 1440 + 184),
            (" 90m ", 90),
            ("1h0m", 60),
        ] {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::minutes(minutes)),
                "{text}"
            );
        }
    }

    #[test]
    fn zero_negative_and_garbage_durations_say_what_to_write() {
        for (text, problem) in [
            ("0m", DurationProblem::Zero),
            ("0h0m", DurationProblem::Zero),
            ("-1h", DurationProblem::Negative),
            ("banana", DurationProblem::NotADuration),
            ("", DurationProblem::NotADuration),
            ("6", DurationProblem::NotADuration),
            ("h", DurationProblem::NotADuration),
            ("1x", DurationProblem::NotADuration),
            ("30m1h", DurationProblem::NotADuration),
            ("1h1h", DurationProblem::NotADuration),
            ("1.5h", DurationProblem::NotADuration),
            ("1 h", DurationProblem::NotADuration),
            ("1H", DurationProblem::NotADuration),
            ("99999999999999999999d", DurationProblem::TooLong),
            ("9999999999999999d", DurationProblem::TooLong),
        ] {
            let err = parse_duration(text).expect_err(text);
            assert_eq!(err.problem, problem, "{text}");
            assert!(err.to_string().contains("`1h30m`"), "{err}");
        }
    }

    #[test]
    fn durations_format_as_they_are_read() {
        for text in ["30m", "1h", "1d", "1h30m", "1d6h", "2d3h4m"] {
            let d = parse_duration(text).expect(text);
            assert_eq!(format_duration(d), text);
        }
        assert_eq!(format_duration(Duration::seconds(61)), "2m", "rounded up");
    }

    #[test]
    fn instants_include_to_when_it_falls_on_a_step() {
        let from = t("2022-10-15T12:00:00+09:00");
        let every = Duration::hours(6);
        let on_step = instants(from, t("2022-10-16T12:00:00+09:00"), every).expect("plan");
        assert_eq!(on_step.len(), 5);
        assert_eq!(on_step.first(), Some(&from));
        assert_eq!(on_step.last(), Some(&t("2022-10-16T12:00:00+09:00")));
        let off_step = instants(from, t("2022-10-16T11:59:00+09:00"), every).expect("plan");
        assert_eq!(off_step.len(), 4);
        assert_eq!(off_step.last(), Some(&t("2022-10-16T06:00:00+09:00")));
        assert_eq!(instants(from, from, every).expect("one"), vec![from]);
    }

    #[test]
    fn to_before_from_is_refused() {
        let err = instants(
            t("2022-10-16T00:00:00Z"),
            t("2022-10-15T00:00:00Z"),
            Duration::hours(1),
        )
        .expect_err("backwards");
        assert!(matches!(err, ReplayError::Backwards { .. }), "{err}");
    }

    #[test]
    fn more_than_a_thousand_instants_are_refused_with_a_step_that_fits() {
        let from = t("2022-10-01T00:00:00Z");
        let to = t("2022-11-01T00:00:00Z");
        let err = instants(from, to, Duration::minutes(30)).expect_err("too many");
        let ReplayError::TooMany {
            count, suggestion, ..
        } = &err
        else {
            panic!("{err}")
        };
        assert_eq!(count, "1,489");
        assert!(err.to_string().contains("--every"), "{err}");
        let fits = instants(from, to, parse_duration(suggestion).expect("suggestion"));
        assert!(fits.is_ok_and(|v| v.len() <= MAX_INSTANTS), "{suggestion}");
        // Exactly the limit is fine.
        let edge = from + Duration::hours(MAX_INSTANTS as i64 - 1);
        assert_eq!(
            instants(from, edge, Duration::hours(1))
                .map(|v| v.len())
                .ok(),
            Some(MAX_INSTANTS)
        );
        assert!(instants(from, edge + Duration::hours(1), Duration::hours(1)).is_err());
    }

    #[test]
    fn folder_names_sort_in_time_order_across_a_dst_change() {
        // Berlin's clocks went back at 03:00 CEST on 30 Oct 2022: local names would repeat.
        let from = t("2022-10-30T00:00:00+02:00");
        let all = instants(from, from + Duration::hours(5), Duration::minutes(30)).expect("plan");
        let names: Vec<String> = all.iter().map(|&a| folder_name(a)).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert_eq!(folder_name(from), "20221029T220000Z");
        assert!(names.iter().all(|n| is_folder_name(n) && !n.contains(':')));
        for not in [
            "index.html",
            "step",
            "20221029T2200Z",
            "20221329T220000Z",
            ".candor",
        ] {
            assert!(!is_folder_name(not), "{not}");
        }
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(5_256_001), "5,256,001");
    }
}
