//! The times of an incident file: reading a timestamp or a date in the site zone, and the
//! warnings about a time that lies ahead (a mistyped year, a zone slip, an expected end).
//!
//! Never reads the clock: the build time and the clock come in `Check`.

use super::Check;
use crate::error::Code;
use crate::model::time::{Typed, in_zone, parse_moment, parse_typed};
use crate::model::{Kind, Moment, Time};
use chrono::Duration;

impl Check<'_> {
    /// Reads a timestamp at `path`; warns when it lies over a day after the build time
    /// (a mistyped year), except the planned times of maintenance, which are ahead on purpose.
    pub(super) fn time(&mut self, path: &str, text: &str, kind: Kind) -> Option<Time> {
        match parse_typed(text).and_then(|typed| {
            self.warn_slip(path, &typed);
            typed.resolve(self.tz)
        }) {
            Ok(t) => {
                if kind == Kind::Incident || path.starts_with("updates") {
                    self.warn_future(path, t);
                }
                Some(t)
            }
            Err(e) => {
                let e = in_zone(e, self.tz);
                self.report
                    .error(e.kind.into(), path, e.message, Some(e.help));
                None
            }
        }
    }

    /// Reads a date or a timestamp at `path` (leadership changes, compensation).
    pub(super) fn moment(&mut self, path: &str, text: &str) -> Option<Moment> {
        match parse_moment(text, self.tz) {
            Ok(m) => {
                match parse_typed(text) {
                    Ok(typed) if !m.date_only => self.warn_slip(path, &typed),
                    _ => {}
                }
                self.warn_future(path, m.at);
                Some(m)
            }
            Err(e) => {
                self.report
                    .error(e.kind.into(), path, e.message, Some(e.help));
                None
            }
        }
    }

    /// An offset that is not the site zone's at that instant: the page shows the time in the
    /// site zone, so a slip moves it by the difference, silently.
    fn warn_slip(&mut self, path: &str, typed: &Typed) {
        if let Some(slip) = typed.offset_slip(self.tz) {
            let code = Code::OffsetNotSiteZone;
            self.report
                .warning(code, path, slip.message, Some(slip.help));
        }
    }

    /// A time after the clock has not happened yet, so what it dates is shown nowhere until
    /// then: over a day ahead it is a mistyped year, less is most often a time zone slip. An
    /// `end` within the day is an expected end (`warn_expected_end`). Measured against the
    /// clock, not the build time: a build of a past instant (`--now`, replay) has a future of
    /// its own.
    fn warn_future(&mut self, path: &str, t: Time) {
        let clock = self
            .clock
            .with_timezone(&self.tz)
            .format("%Y-%m-%d %H:%M %Z");
        // Checked: a clock pinned near chrono's last year has no "a day later".
        let day_after = self.clock.checked_add_signed(Duration::days(1));
        if day_after.is_some_and(|limit| t > limit) {
            self.report.warning(
                Code::TimeFarAhead,
                path,
                format!("this time is more than a day after the clock ({clock})"),
                Some("check the year and the date".into()),
            );
        } else if t > self.clock && path != "end" {
            self.report.warning(
                Code::TimeAhead,
                path,
                format!(
                    "this time is {} after the clock ({clock}): what it dates is not shown until then",
                    ahead(t - self.clock)
                ),
                Some(format!(
                    "check the time zone: a time without an offset is read in {}, and `Z` means UTC",
                    self.tz.name()
                )),
            );
        }
    }

    /// An `end` after the build time is an expected end: the incident is still open.
    pub(super) fn warn_expected_end(&mut self, end: Option<Time>) {
        let Some(end) = end.filter(|&e| e > self.now) else {
            return;
        };
        self.report.warning(
            Code::EndAfterBuildTime,
            "end",
            format!(
                "`end` is after the build time ({}): the incident is shown as open, expected to end {}",
                self.now.with_timezone(&self.tz).format("%Y-%m-%d %H:%M %Z"),
                end.with_timezone(&self.tz).format("%Y-%m-%d %H:%M %Z"),
            ),
            Some("the incident shows as resolved at that time whether or not it is over; to give an estimate, say it in an update and write `end:` once it is over".into()),
        );
    }

    /// An incident open at the build time and started over 30 days before it is most likely
    /// one whose end was never written.
    pub(super) fn warn_long_open(&mut self, start: Time) {
        if self.now - start > Duration::days(30) {
            self.report.warning(
                Code::LongUnresolved,
                "start",
                format!(
                    "this incident has been unresolved for {} days",
                    (self.now - start).num_days()
                ),
                Some("add `end:` or a `resolved` update once it is over".into()),
            );
        }
    }
}

impl From<crate::model::time::ErrorKind> for Code {
    fn from(kind: crate::model::time::ErrorKind) -> Code {
        use crate::model::time::ErrorKind;
        match kind {
            ErrorKind::Unreadable => Code::InvalidTime,
            ErrorKind::OutOfRange => Code::TimeOutOfRange,
            ErrorKind::NotInZone => Code::TimeNotInZone,
        }
    }
}

/// "2 h 5 min", "40 min", "12 s": how far ahead a time is, for a warning.
fn ahead(by: Duration) -> String {
    let (h, m, s) = (by.num_hours(), by.num_minutes() % 60, by.num_seconds() % 60);
    match (h, m) {
        (0, 0) => format!("{s} s"),
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m} min"),
    }
}
