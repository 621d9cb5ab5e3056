//! The site as it stood at one instant: what had been published and had happened by then, each
//! incident's status, each service's current impact, the overall indicator, when the page last
//! changed, and the next instant at which any of it changes.
//!
//! The one place that derives anything from the time (format.md, "As of the build time"). Every
//! output reads a `State`; none works out a status of its own. Never reads the clock or the disk,
//! never imports load, render or Markdown.

use super::{Impact, Incident, Kind, Segment, Severity, Site, Status, Time};
use crate::model::time::start_of_day;
use crate::model::uptime::{self, Day, Flat};
use chrono::Duration;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The front page lists incidents that started or ended within this many days.
pub const RECENT_DAYS: i64 = 14;

/// Statuspage's page indicator, ordered from calm to worst: maintenance shows only when no
/// incident outranks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Indicator {
    None,
    Maintenance,
    Minor,
    Major,
    Critical,
}

impl Indicator {
    /// Statuspage's `status.indicator` word.
    pub fn as_str(self) -> &'static str {
        match self {
            Indicator::None => "none",
            Indicator::Maintenance => "maintenance",
            Indicator::Minor => "minor",
            Indicator::Major => "major",
            Indicator::Critical => "critical",
        }
    }

    /// Statuspage's own English `status.description`: clients match on it, so it is never
    /// translated.
    pub fn description(self) -> &'static str {
        match self {
            Indicator::None => "All Systems Operational",
            Indicator::Maintenance => "Service Under Maintenance",
            Indicator::Minor => "Minor Service Outage",
            Indicator::Major => "Partial System Outage",
            Indicator::Critical => "Major System Outage",
        }
    }
}

/// The site at one instant.
#[derive(Debug, Clone)]
pub struct State {
    /// The instant: the build time.
    pub at: Time,
    /// Only what had been published by `at`, and of each incident only what had happened:
    /// entries dated after `at` are gone, an `end` after `at` is `expected_end`, and `status`
    /// is the status at `at`. Newest first, as `Site` keeps them.
    pub site: Site,
    /// Each service's current impact, by its index in `site.services`; `None`: operational.
    pub services: Vec<Option<Impact>>,
    /// Per service (by index): its impact over time up to `at`, overlaps merged (`uptime`).
    pub flat: Vec<Vec<Flat>>,
    /// Per service (by index): the incidents that hit it, newest first, as indexes into
    /// `site.incidents`.
    pub touching: Vec<Vec<usize>>,
    /// Incidents (not windows) not resolved at `at`, newest first, by index.
    pub unresolved: Vec<usize>,
    /// Windows scheduled or in progress at `at`, the soonest first, by index.
    pub open_windows: Vec<usize>,
    /// Incidents and windows over by `at` that started or ended in the last `RECENT_DAYS` days,
    /// newest first, by index.
    pub recent: Vec<usize>,
    /// Of `recent`, the major incidents that ended in the last `major_incident_days` days,
    /// newest first: the front page keeps them above the services (issue 10).
    pub recent_major: Vec<usize>,
    pub indicator: Indicator,
    /// The latest dated thing shown, at or before `at` (`at` itself when nothing is dated):
    /// moves only when what the page shows changes, never with the clock alone.
    pub updated_at: Time,
    /// The next instant after `at` at which anything above changes (an entry comes due, a
    /// window opens or closes, an incident leaves the recent list, a day turns in the site
    /// timezone); `None` when nothing is ever due. Durations of open incidents and uptime
    /// percentages also move continuously in between; `Session` re-renders those each minute.
    pub next_change: Option<Time>,
}

impl State {
    /// When `i` was last posted about, as the feeds and the calendar date it: its last post
    /// (`last_posted`), never later than the latest thing the site shows (`updated_at`). A
    /// planned window nobody has posted about yet has no post: dated by its future start, it
    /// would sit above every other entry of a feed reader until that day, later than the feed.
    pub fn posted_at(&self, i: &Incident) -> Time {
        last_posted(i, self.at).min(self.updated_at)
    }

    /// The site `written` (as loaded) as it stood at `at`.
    pub fn at(written: &Site, at: Time) -> State {
        State::build(written, at, None)
    }

    /// The state at the same instant as `previous` after edits of incidents that touch only the
    /// services `changed` (before and after the edit): every other service keeps its flattened
    /// impact from `previous`, the costliest part of a large site's state. The result equals
    /// `State::at(written, previous.at)`.
    pub fn after_edit(written: &Site, previous: &State, changed: &BTreeSet<String>) -> State {
        State::build(written, previous.at, Some((previous, changed)))
    }

    fn build(written: &Site, at: Time, reuse: Option<(&State, &BTreeSet<String>)>) -> State {
        // One pass over each incident's times: on a large site almost all of them are past,
        // shared as they are, and cost this pass alone.
        let mut incidents: Vec<Arc<Incident>> = Vec::with_capacity(written.incidents.len());
        let mut updated_at: Option<Time> = None;
        let mut next_change = next_midnight(written, at);
        for i in &written.incidents {
            let (last_past, next_future) = if i.last_dated <= at {
                (Some(i.last_dated), None)
            } else {
                around(i, at)
            };
            let leaves_recent = [Some(i.start), i.end].into_iter().flatten().max();
            let leaves_recent = leaves_recent.map(|t| t + recent()).filter(|&t| t > at);
            let leaves_top = (i.end)
                .map(|t| t + major_days(written) + Duration::seconds(1))
                .filter(|&t| t > at);
            next_change = [next_change, next_future, leaves_recent, leaves_top]
                .into_iter()
                .flatten()
                .min();
            if !published(i, at) {
                continue;
            }
            updated_at = updated_at.max(last_past);
            incidents.push(incident_at(i, at, next_future.is_none()));
        }
        let site = Site {
            config: written.config.clone(),
            services: written.services.clone(),
            incidents,
        };
        let open: Vec<&Incident> = (site.incidents.iter())
            .filter(|i| !i.is_closed())
            .map(|i| i.as_ref())
            .collect();
        let services = (site.services.iter())
            .map(|s| open.iter().filter_map(|i| impact_now(i, &s.id, at)).max())
            .collect();
        let (flat, touching) = by_service(&site, at, reuse);
        let (unresolved, open_windows, recent) = lists(&site, at);
        let recent_major = (recent.iter().copied())
            .filter(|&n| {
                site.incidents
                    .get(n)
                    .is_some_and(|i| stays_on_top(i, &site, at))
            })
            .collect();
        State {
            at,
            indicator: indicator(&open, at),
            updated_at: updated_at.unwrap_or(at),
            next_change,
            services,
            flat,
            touching,
            unresolved,
            open_windows,
            recent,
            recent_major,
            site,
        }
    }

    /// The `n` days of the service at index `k` ending with the day of `at`, in the site zone.
    pub fn days(&self, k: usize, n: u32) -> Vec<Day> {
        let since = self.site.services.get(k).and_then(|s| s.since);
        uptime::days(
            self.flat_of(k),
            self.site.config.timezone,
            self.at,
            n,
            since,
        )
    }

    /// Uptime of the service at index `k` over the last `n` days: from local midnight `n - 1`
    /// days before `at` (or the service's `since`) to `at`. `None` with no time to count.
    pub fn uptime(&self, k: usize, n: u32) -> Option<f64> {
        let tz = self.site.config.timezone;
        let today = self.at.with_timezone(&tz).date_naive();
        let first = today.checked_sub_days(chrono::Days::new(u64::from(n.saturating_sub(1))))?;
        let from = start_of_day(first, tz);
        let since = self.site.services.get(k).and_then(|s| s.since);
        let from = since.map_or(from, |since| since.max(from));
        uptime::uptime(self.flat_of(k), from, self.at)
    }

    fn flat_of(&self, k: usize) -> &[Flat] {
        self.flat.get(k).map_or(&[][..], Vec::as_slice)
    }

    /// The current impact on the service `id`; `None`: operational (or unknown).
    pub fn service_impact(&self, id: &str) -> Option<Impact> {
        let k = self.site.services.iter().position(|s| s.id == id)?;
        self.services.get(k).copied().flatten()
    }
}

/// Per service (by index): the flattened impact up to `at`, and the incidents that hit it.
/// A BTreeMap of a few ids costs a few string compares, where hashing every id took a quarter
/// of this.
/// `reuse`: a state at the same instant and the services whose incidents changed since; the
/// others keep its flattened impact.
fn by_service(
    site: &Site,
    at: Time,
    reuse: Option<(&State, &BTreeSet<String>)>,
) -> (Vec<Vec<Flat>>, Vec<Vec<usize>>) {
    let position: BTreeMap<&str, usize> = (site.services.iter().enumerate())
        .map(|(k, s)| (s.id.as_str(), k))
        .collect();
    // The previous flattening of each service that nothing changed, where there is one.
    let kept: Vec<Option<&Vec<Flat>>> = (site.services.iter().enumerate())
        .map(|(k, s)| {
            let (previous, changed) = reuse?;
            let same = previous.at == at
                && previous.site.services.get(k).is_some_and(|p| p.id == s.id)
                && !changed.contains(&s.id);
            same.then(|| previous.flat.get(k)).flatten()
        })
        .collect();
    let mut segments: Vec<Vec<Segment>> = vec![Vec::new(); site.services.len()];
    let mut touching: Vec<Vec<usize>> = vec![Vec::new(); site.services.len()];
    for (n, incident) in site.incidents.iter().enumerate() {
        for a in &incident.services {
            if let Some(&k) = position.get(a.id.as_str()) {
                if kept[k].is_none() {
                    segments[k].extend(incident.segments(a, at));
                }
                touching[k].push(n);
            }
        }
    }
    let flat = (segments.iter().zip(kept))
        .map(|(segs, kept)| match kept {
            Some(flat) => flat.clone(),
            None => uptime::flatten(segs, &site.config.weights),
        })
        .collect();
    (flat, touching)
}

/// What the front page and the API list: unresolved incidents (newest first), open windows
/// (soonest first), and what is over but recent (newest first).
fn lists(site: &Site, at: Time) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
    let since = at - Duration::days(RECENT_DAYS);
    let mut unresolved = Vec::new();
    let mut open_windows = Vec::new();
    let mut recent = Vec::new();
    for (n, i) in site.incidents.iter().enumerate() {
        match (i.kind, i.is_closed()) {
            (Kind::Incident, false) => unresolved.push(n),
            (Kind::Maintenance, false) => open_windows.push(n),
            (_, true) if i.start >= since || i.end.is_some_and(|e| e >= since) => recent.push(n),
            _ => {}
        }
    }
    open_windows.reverse();
    (unresolved, open_windows, recent)
}

fn major_days(site: &Site) -> Duration {
    Duration::days(i64::from(site.config.major_incident_days))
}

/// A major incident (a major outage of any service, or a major or critical severity) that ended
/// no more than `major_incident_days` before `at`.
fn stays_on_top(i: &Incident, site: &Site, at: Time) -> bool {
    let major = i.worst_impact() == Some(Impact::MajorOutage)
        || matches!(i.severity, Some(Severity::Major | Severity::Critical));
    i.kind == Kind::Incident && major && i.end.is_some_and(|e| e + major_days(site) >= at)
}

/// Whether the public could see `i` at `at`: an incident from its start; a maintenance window
/// from its first update (its announcement), or always when it has none.
pub fn published(i: &Incident, at: Time) -> bool {
    match i.kind {
        Kind::Incident => i.start <= at,
        Kind::Maintenance => i.updates.first().is_none_or(|u| u.at <= at),
    }
}

/// The latest of the times `i` names (`Incident::dated`) at or before `at`, and the first
/// after it. Only incidents with something after `at` come here (`last_dated` tells the rest).
fn around(i: &Incident, at: Time) -> (Option<Time>, Option<Time>) {
    let past = i.dated().filter(|&t| t <= at).max();
    let future = i.dated().filter(|&t| t > at).min();
    (past, future)
}

/// When `i`, as it stood at `at`, ended: an incident at its `end`; a window when a `completed`
/// update said so, else at its planned end, never after `at`. `None` while it is not over.
pub fn ended_at(i: &Incident, at: Time) -> Option<Time> {
    match i.kind {
        Kind::Incident => i.end,
        Kind::Maintenance if i.is_closed() => {
            let completed = (i.updates.iter())
                .find(|u| u.status == Status::Completed && u.at <= at)
                .map(|u| u.at);
            completed.or(i.end).map(|t| t.min(at))
        }
        Kind::Maintenance => None,
    }
}

/// `i` (published by `at`) as it stood at `at`. `complete`: nothing of it lies after `at` —
/// the past, almost every incident of a large site — and then `i` is shared as it is, since
/// its status at `at` is the one it has once everything in it has happened.
fn incident_at(i: &Arc<Incident>, at: Time, complete: bool) -> Arc<Incident> {
    if complete {
        return Arc::clone(i);
    }
    let status = status_at(i, at);
    let mut x = Incident::clone(i);
    x.status = status;
    x.updates.retain(|u| u.at <= at);
    if i.kind == Kind::Incident {
        x.services.retain(|a| a.from <= at);
        if let Some(end) = x.end.filter(|&e| e > at) {
            x.end = None;
            x.expected_end = Some(end);
        }
    }
    for a in &mut x.services {
        a.stages.retain(|s| s.at <= at);
        a.restored = a.restored.filter(|&r| r <= at);
    }
    x.apologies.retain(|a| a.at <= at);
    x.statements.retain(|s| s.at.at <= at);
    x.leadership.retain(|l| l.at.at <= at);
    // Undated entries (commitments, compensation without `at`, the postmortem) belong to the
    // story as written: shown once the incident is over, or once every dated entry of its
    // file has happened (a file being written during the outage).
    let undated = complete || status.is_closed();
    x.compensation
        .retain(|c| c.at.map_or(undated, |m| m.at <= at));
    if !undated {
        x.commitments.clear();
        x.postmortem = None;
        x.postmortem_url = None;
    }
    Arc::new(x)
}

/// The status of `i` at `at`. An incident is resolved once its `end` has passed, else it has
/// the latest open status posted by then (the written `status:` counts as posted with the last
/// update). A maintenance window runs scheduled → in progress → completed by its own times,
/// unless an update (or the written status) posted later says otherwise.
pub fn status_at(i: &Incident, at: Time) -> Status {
    // The written `status:` carries no time of its own: it is the state after the last update.
    let written_at = i.updates.last().map_or(i.start, |u| u.at);
    let written = i.written_status.filter(|_| written_at <= at);
    match i.kind {
        Kind::Incident => {
            if i.end.is_some_and(|e| e <= at) {
                return Status::Resolved;
            }
            let posted = i.updates.iter().filter(|u| u.at <= at).map(|u| u.status);
            posted
                .chain(written)
                .rfind(|s| !s.is_closed())
                .unwrap_or(Status::Investigating)
        }
        Kind::Maintenance => {
            // The latest event by `at`; at equal times the schedule first, then what the team
            // posted (updates in order, the written status last).
            let schedule = [
                Some((i.start, Status::InProgress)),
                i.end.map(|e| (e, Status::Completed)),
            ];
            let posted = (i.updates.iter().map(|u| (u.at, u.status)))
                .chain(written.map(|s| (written_at, s)));
            let mut latest: Option<(Time, Status)> = None;
            for (t, status) in schedule.into_iter().flatten().chain(posted) {
                if t <= at && latest.is_none_or(|(l, _)| t >= l) {
                    latest = Some((t, status));
                }
            }
            latest.map_or(Status::Scheduled, |(_, s)| s)
        }
    }
}

/// The last time anything was posted about `i` as of `now`: its latest update, end or start.
/// A planned window's future start and end are not posts, so they count only when nothing
/// has been posted yet; a future `updated_at` would tell clients nonsense.
pub fn last_posted(i: &Incident, now: Time) -> Time {
    // Updates are sorted: the latest one by `now` is found from the end, at once for the past.
    let update = i.updates.iter().rev().map(|u| u.at).find(|&t| t <= now);
    // A window's `end` is its plan: one completed early was last posted about at its
    // `completed` update, as Statuspage's `updated_at` says (`ended_at`).
    let end = match i.kind {
        Kind::Incident => i.end,
        Kind::Maintenance => ended_at(i, now),
    };
    let others = [end, Some(i.start)].into_iter().flatten();
    let posted = others.filter(|&t| t <= now).chain(update).max();
    posted.unwrap_or_else(|| {
        let first = i.updates.first().map(|u| u.at);
        [first, i.end, Some(i.start)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(i.start)
    })
}

/// The impact `i` (as it stood at `at`) has on service `id` at `at`, if it hits it then.
/// Scheduled and completed windows hit nothing; an incident hits from a service's `from`
/// until it is restored or the incident ends.
fn impact_now(i: &Incident, id: &str, at: Time) -> Option<Impact> {
    if i.status.is_closed() || i.status == Status::Scheduled {
        return None;
    }
    let a = i.services.iter().find(|a| a.id == id)?;
    if a.from > at || a.restored.is_some_and(|r| r <= at) {
        return None;
    }
    let stage = a.stages.iter().rev().find(|s| s.at <= at);
    Some(stage.map_or(a.impact, |s| s.impact))
}

/// The page's indicator: the worst of the open incidents' severities and current impacts;
/// `maintenance` when a running window is all that is going on.
fn indicator(open: &[&Incident], at: Time) -> Indicator {
    let mut worst = Indicator::None;
    for i in open {
        if i.kind == Kind::Maintenance {
            if i.status == Status::InProgress {
                worst = worst.max(Indicator::Maintenance);
            }
            continue;
        }
        worst = worst.max(match i.severity {
            Some(Severity::Critical) => Indicator::Critical,
            Some(Severity::Major) => Indicator::Major,
            Some(Severity::Minor) => Indicator::Minor,
            None => Indicator::None,
        });
        for a in &i.services {
            worst = worst.max(match impact_now(i, &a.id, at) {
                Some(Impact::MajorOutage) => Indicator::Major,
                Some(Impact::PartialOutage | Impact::DegradedPerformance) => Indicator::Minor,
                _ => Indicator::None,
            });
        }
    }
    worst
}

/// An incident leaves the front page's recent list this long after its start or end.
fn recent() -> Duration {
    Duration::days(RECENT_DAYS) + Duration::seconds(1)
}

/// The next local midnight after `at` in the site zone: the uptime bars turn a day.
fn next_midnight(site: &Site, at: Time) -> Option<Time> {
    let tz = site.config.timezone;
    let today = at.with_timezone(&tz).date_naive();
    today.succ_opt().map(|d| start_of_day(d, tz))
}

impl Incident {
    /// Every instant the incident's file names: start, end, updates, each service's window,
    /// stages and restoration, apologies, statements, leadership changes and dated compensation.
    pub fn dated(&self) -> impl Iterator<Item = Time> + '_ {
        let services = self.services.iter().flat_map(|a| {
            std::iter::once(a.from)
                .chain(a.stages.iter().map(|s| s.at))
                .chain(a.restored)
        });
        [Some(self.start), self.end, self.expected_end]
            .into_iter()
            .flatten()
            .chain(self.updates.iter().map(|u| u.at))
            .chain(services)
            .chain(self.apologies.iter().map(|a| a.at))
            .chain(self.statements.iter().map(|s| s.at.at))
            .chain(self.leadership.iter().map(|l| l.at.at))
            .chain(self.compensation.iter().filter_map(|c| c.at.map(|m| m.at)))
    }
}

#[cfg(test)]
mod tests;
