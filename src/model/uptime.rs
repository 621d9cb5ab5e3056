//! Impact intervals per service, weighted uptime over a window, and the worst impact per
//! day in the site timezone. Pure arithmetic: the build time is always passed in; never reads
//! the clock or the disk.

use crate::model::time::start_of_day;
use crate::model::{Impact, Segment, Time, Weights};
use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;

/// A stretch of a service's time with no overlap: the worst impact in force and the
/// largest weight among the impacts in force (overlapping incidents never count twice).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flat {
    pub from: Time,
    pub to: Time,
    pub impact: Impact,
    pub weight: f64,
}

/// Merges possibly overlapping segments into sorted, disjoint `Flat` stretches.
pub fn flatten(segments: &[Segment], weights: &Weights) -> Vec<Flat> {
    let mut events: Vec<(Time, bool, Impact)> = Vec::with_capacity(segments.len() * 2);
    for s in segments.iter().filter(|s| s.to > s.from) {
        events.push((s.from, true, s.impact));
        events.push((s.to, false, s.impact));
    }
    events.sort_by_key(|e| e.0);
    let mut active = [0u32; 4];
    let mut out: Vec<Flat> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let t = events[i].0;
        while i < events.len() && events[i].0 == t {
            let slot = &mut active[events[i].2 as usize];
            if events[i].1 {
                *slot += 1;
            } else {
                *slot = slot.saturating_sub(1);
            }
            i += 1;
        }
        let Some(next) = events.get(i).map(|e| e.0) else {
            break;
        };
        let in_force = Impact::ALL
            .into_iter()
            .filter(|imp| active[*imp as usize] > 0);
        let worst = in_force.clone().max();
        let weight = in_force.map(|imp| weights.of(imp)).fold(0.0, f64::max);
        if let Some(impact) = worst {
            match out.last_mut() {
                Some(last) if last.to == t && last.impact == impact && last.weight == weight => {
                    last.to = next;
                }
                _ => out.push(Flat {
                    from: t,
                    to: next,
                    impact,
                    weight,
                }),
            }
        }
    }
    out
}

/// Uptime over `[from, to)`: 1 − weighted downtime / window length. `None` for an empty window.
pub fn uptime(flat: &[Flat], from: Time, to: Time) -> Option<f64> {
    if to <= from {
        return None;
    }
    let window = (to - from).num_milliseconds() as f64;
    let down: f64 = overlapping(flat, from, to)
        .map(|(f, len)| len.num_milliseconds() as f64 * f.weight)
        .sum();
    Some((1.0 - down / window).clamp(0.0, 1.0))
}

/// The flat stretches that overlap `[from, to)`, each with the length of the overlap.
fn overlapping(flat: &[Flat], from: Time, to: Time) -> impl Iterator<Item = (&Flat, Duration)> {
    let first = flat.partition_point(|f| f.to <= from);
    flat[first..]
        .iter()
        .take_while(move |f| f.from < to)
        .map(move |f| (f, f.to.min(to) - f.from.max(from)))
}

/// One day of a service's uptime bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub date: NaiveDate,
    /// False for days before the service's `since` or after the build time.
    pub has_data: bool,
    pub worst: Option<Impact>,
    /// Time with any impact other than maintenance, and the weighted downtime, in seconds.
    pub affected_secs: i64,
    pub downtime_secs: i64,
    pub uptime: Option<f64>,
    /// How long each impact was the worst in force that day, worst first: a label says "major
    /// outage for 1 h 31 min" only for the time the major outage lasted (issue 10).
    pub by_impact: Vec<(Impact, i64)>,
}

/// The `n` days ending with the build time's day, in `tz`. Days have 23 or 25 hours
/// across DST changes; each is measured from its own local midnight to the next.
pub fn days(flat: &[Flat], tz: Tz, now: Time, n: u32, since: Option<Time>) -> Vec<Day> {
    let today = now.with_timezone(&tz).date_naive();
    (0..n)
        .rev()
        .filter_map(|back| today.checked_sub_days(chrono::Days::new(u64::from(back))))
        .map(|date| day(flat, tz, date, now, since))
        .collect()
}

fn day(flat: &[Flat], tz: Tz, date: NaiveDate, now: Time, since: Option<Time>) -> Day {
    let start = start_of_day(date, tz);
    let end = date
        .succ_opt()
        .map_or(start + Duration::days(1), |next| start_of_day(next, tz));
    let from = since.map_or(start, |s| s.max(start));
    let to = end.min(now);
    let mut affected = Duration::zero();
    let mut down = 0.0;
    let mut worst = None;
    let mut by_impact: Vec<(Impact, i64)> = Vec::new();
    for (f, len) in overlapping(flat, from, to) {
        worst = worst.max(Some(f.impact));
        match by_impact.iter_mut().find(|(i, _)| *i == f.impact) {
            Some((_, secs)) => *secs += len.num_seconds(),
            None => by_impact.push((f.impact, len.num_seconds())),
        }
        if f.impact != Impact::UnderMaintenance {
            affected += len;
        }
        down += len.num_milliseconds() as f64 * f.weight;
    }
    by_impact.sort_by_key(|b| std::cmp::Reverse(b.0));
    Day {
        date,
        has_data: to > from,
        worst,
        by_impact,
        affected_secs: affected.num_seconds(),
        downtime_secs: (down / 1000.0).round() as i64,
        uptime: uptime(flat, from, to),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn t(s: &str) -> Time {
        DateTime::parse_from_rfc3339(s)
            .expect("test time")
            .with_timezone(&Utc)
    }

    fn seg(from: &str, to: &str, impact: Impact) -> Segment {
        Segment {
            from: t(from),
            to: t(to),
            impact,
        }
    }

    #[test]
    fn overlapping_incidents_on_one_service_never_count_twice() {
        let w = Weights::default();
        let flat = flatten(
            &[
                seg(
                    "2022-10-15T00:00:00Z",
                    "2022-10-15T12:00:00Z",
                    Impact::MajorOutage,
                ),
                seg(
                    "2022-10-15T06:00:00Z",
                    "2022-10-15T18:00:00Z",
                    Impact::MajorOutage,
                ),
            ],
            &w,
        );
        assert_eq!(flat.len(), 1);
        let u = uptime(&flat, t("2022-10-15T00:00:00Z"), t("2022-10-16T00:00:00Z"));
        assert_eq!(u, Some(0.25), "18 of 24 hours down");
    }

    #[test]
    fn worst_impact_wins_where_incidents_overlap() {
        let w = Weights::default();
        let flat = flatten(
            &[
                seg(
                    "2022-10-15T00:00:00Z",
                    "2022-10-15T10:00:00Z",
                    Impact::PartialOutage,
                ),
                seg(
                    "2022-10-15T02:00:00Z",
                    "2022-10-15T04:00:00Z",
                    Impact::MajorOutage,
                ),
            ],
            &w,
        );
        let impacts: Vec<Impact> = flat.iter().map(|f| f.impact).collect();
        assert_eq!(
            impacts,
            [
                Impact::PartialOutage,
                Impact::MajorOutage,
                Impact::PartialOutage
            ]
        );
        // 2 h × 1.0 + 8 h × 0.3 = 4.4 h of 24 h.
        let u =
            uptime(&flat, t("2022-10-15T00:00:00Z"), t("2022-10-16T00:00:00Z")).expect("window");
        assert!((u - (1.0 - 4.4 / 24.0)).abs() < 1e-9, "{u}");
    }

    #[test]
    fn maintenance_never_counts_as_downtime() {
        let flat = flatten(
            &[seg(
                "2022-10-15T00:00:00Z",
                "2022-10-15T12:00:00Z",
                Impact::UnderMaintenance,
            )],
            &Weights::default(),
        );
        let u = uptime(&flat, t("2022-10-15T00:00:00Z"), t("2022-10-16T00:00:00Z"));
        assert_eq!(u, Some(1.0));
    }

    #[test]
    fn days_split_at_local_midnight() {
        let seoul: Tz = "Asia/Seoul".parse().expect("zone");
        // 23:00 to 01:00 KST touches two local days (14:00–16:00 UTC is one UTC day).
        let flat = flatten(
            &[seg(
                "2022-10-15T23:00:00+09:00",
                "2022-10-16T01:00:00+09:00",
                Impact::MajorOutage,
            )],
            &Weights::default(),
        );
        let bar = days(&flat, seoul, t("2022-10-17T12:00:00+09:00"), 3, None);
        let dates: Vec<String> = bar.iter().map(|d| d.date.to_string()).collect();
        assert_eq!(dates, ["2022-10-15", "2022-10-16", "2022-10-17"]);
        assert_eq!(bar[0].affected_secs, 3600);
        assert_eq!(bar[1].affected_secs, 3600);
        assert_eq!(bar[2].worst, None);
        assert_eq!(bar[0].worst, Some(Impact::MajorOutage));
    }

    #[test]
    fn a_day_counts_each_impact_for_its_own_time() {
        // Issue 10: a day of 1 h 31 min major outage then partial outage is not "major for 1 day".
        let seoul: Tz = "Asia/Seoul".parse().expect("zone");
        let flat = flatten(
            &[
                seg(
                    "2022-10-15T15:30:00+09:00",
                    "2022-10-16T01:31:00+09:00",
                    Impact::MajorOutage,
                ),
                seg(
                    "2022-10-16T01:31:00+09:00",
                    "2022-10-17T00:00:00+09:00",
                    Impact::PartialOutage,
                ),
            ],
            &Weights::default(),
        );
        // The build time one second before midnight: the day's last second has not happened.
        let bar = days(&flat, seoul, t("2022-10-16T23:59:59+09:00"), 1, None);
        assert_eq!(
            bar[0].by_impact,
            [
                (Impact::MajorOutage, 91 * 60),
                (Impact::PartialOutage, 22 * 3600 + 28 * 60 + 59)
            ]
        );
    }

    #[test]
    fn dst_day_has_23_hours() {
        let berlin: Tz = "Europe/Berlin".parse().expect("zone");
        // Down all of 27 March 2022 local time: a 23-hour day, so uptime is exactly 0.
        let flat = flatten(
            &[seg(
                "2022-03-27T00:00:00+01:00",
                "2022-03-28T00:00:00+02:00",
                Impact::MajorOutage,
            )],
            &Weights::default(),
        );
        let bar = days(&flat, berlin, t("2022-03-28T12:00:00+02:00"), 2, None);
        assert_eq!(bar[0].date.to_string(), "2022-03-27");
        assert_eq!(bar[0].affected_secs, 23 * 3600);
        assert_eq!(bar[0].uptime, Some(0.0));
        assert_eq!(bar[1].worst, None);
    }

    #[test]
    fn since_clips_the_window_and_marks_days_without_data() {
        let flat = flatten(
            &[seg(
                "2022-10-10T00:00:00Z",
                "2022-10-10T12:00:00Z",
                Impact::MajorOutage,
            )],
            &Weights::default(),
        );
        let since = Some(t("2022-10-10T06:00:00Z"));
        let bar = days(&flat, Tz::UTC, t("2022-10-11T00:00:00Z"), 3, since);
        assert!(!bar[0].has_data, "the 9th is before since");
        assert!(bar[1].has_data);
        // Only 06:00–12:00 counts, of the 18 hours from since to midnight.
        assert_eq!(bar[1].affected_secs, 6 * 3600);
        let u = bar[1].uptime.expect("window");
        assert!((u - (1.0 - 6.0 / 18.0)).abs() < 1e-9, "{u}");
    }

    #[test]
    fn the_future_has_no_data() {
        let bar = days(&[], Tz::UTC, t("2022-10-11T00:00:00Z"), 1, None);
        assert!(
            !bar[0].has_data,
            "the build time is midnight: today has not begun"
        );
    }
}
