//! The site as it stood at one instant: what had been published and had happened by then, each
//! incident's status, each service's current impact, the overall indicator, when the page last
//! changed, and the next instant at which any of it changes.
//!
//! The one place that derives anything from the time (format.md, "As of the build time"). Every
//! output reads a `State`; none works out a status of its own. Pure: no clock, no disk.

use super::{Impact, Incident, Kind, Severity, Site, Status, Time};
use crate::time::start_of_day;
use chrono::Duration;
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
    pub indicator: Indicator,
    /// The latest dated thing shown, at or before `at` (`at` itself when nothing is dated):
    /// moves only when what the page shows changes, never with the clock alone.
    pub updated_at: Time,
    /// The next instant after `at` at which anything above changes (an entry comes due, a
    /// window opens or closes, an incident leaves the recent list, a day turns in the site
    /// timezone); `None` when nothing is ever due. Durations of open incidents and uptime
    /// percentages also move continuously in between; `live` re-renders those each minute.
    pub next_change: Option<Time>,
}

impl State {
    /// The site `written` (as loaded) as it stood at `at`.
    pub fn at(written: &Site, at: Time) -> State {
        let incidents: Vec<Arc<Incident>> = written
            .incidents
            .iter()
            .filter_map(|i| incident_at(i, at))
            .collect();
        let site = Site {
            config: written.config.clone(),
            services: written.services.clone(),
            incidents,
        };
        let services = site
            .services
            .iter()
            .map(|s| {
                site.incidents
                    .iter()
                    .filter_map(|i| impact_now(i, &s.id, at))
                    .max()
            })
            .collect();
        let indicator = indicator(&site, at);
        let updated_at = site
            .incidents
            .iter()
            .filter_map(|i| i.dated().filter(|&t| t <= at).max())
            .max()
            .unwrap_or(at);
        State {
            at,
            indicator,
            updated_at,
            next_change: next_change(written, at),
            services,
            site,
        }
    }

    /// The current impact on the service `id`; `None`: operational (or unknown).
    pub fn service_impact(&self, id: &str) -> Option<Impact> {
        let k = self.site.services.iter().position(|s| s.id == id)?;
        self.services.get(k).copied().flatten()
    }
}

/// Whether the public could see `i` at `at`: an incident from its start; a maintenance window
/// from its first update (its announcement), or always when it has none.
pub fn published(i: &Incident, at: Time) -> bool {
    match i.kind {
        Kind::Incident => i.start <= at,
        Kind::Maintenance => i.updates.first().is_none_or(|u| u.at <= at),
    }
}

/// `i` as it stood at `at`, or `None` before it was published. Shares `i` when nothing of it
/// lies after `at` (the past: almost every incident of a large site).
fn incident_at(i: &Arc<Incident>, at: Time) -> Option<Arc<Incident>> {
    if !published(i, at) {
        return None;
    }
    let status = status_at(i, at);
    let complete = i.dated().all(|t| t <= at);
    if complete && status == i.status && i.expected_end.is_none() {
        return Some(Arc::clone(i));
    }
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
    Some(Arc::new(x))
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
            // Schedule first, then posts: at equal times what the team posted wins.
            let mut events: Vec<(Time, u8, Status)> = Vec::with_capacity(i.updates.len() + 3);
            events.push((i.start, 0, Status::InProgress));
            events.extend(i.end.map(|e| (e, 0, Status::Completed)));
            events.extend(i.updates.iter().map(|u| (u.at, 1, u.status)));
            events.extend(written.map(|s| (written_at, 2, s)));
            events.retain(|e| e.0 <= at);
            events.sort_by_key(|e| (e.0, e.1));
            events.last().map_or(Status::Scheduled, |e| e.2)
        }
    }
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
fn indicator(site: &Site, at: Time) -> Indicator {
    let mut worst = Indicator::None;
    for i in site.incidents.iter().filter(|i| !i.status.is_closed()) {
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

/// The first instant after `at` at which `State::at` gives another answer, apart from the
/// continuous drift of durations and percentages.
fn next_change(written: &Site, at: Time) -> Option<Time> {
    let recent = Duration::days(RECENT_DAYS) + Duration::seconds(1);
    let tz = written.config.timezone;
    let midnight = at
        .with_timezone(&tz)
        .date_naive()
        .succ_opt()
        .map(|d| start_of_day(d, tz));
    written
        .incidents
        .iter()
        .flat_map(|i| {
            let leaves_recent = [Some(i.start), i.end].into_iter().flatten().max();
            i.dated()
                .chain(i.updates.first().map(|u| u.at))
                .chain(leaves_recent.map(|t| t + recent))
        })
        .chain(midnight)
        .filter(|&t| t > at)
        .min()
}

impl Incident {
    /// Every instant the incident's file names: start, end, updates, each service's window,
    /// stages and restoration, apologies, leadership changes and dated compensation.
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
            .chain(self.leadership.iter().map(|l| l.at.at))
            .chain(self.compensation.iter().filter_map(|c| c.at.map(|m| m.at)))
    }
}

#[cfg(test)]
mod tests;
