//! Incidents and scheduled maintenances as Statuspage shows them: the shared core (status,
//! impact, times, shortlink, affected components) and the updates, newest first.
//!
//! Update bodies are plain text (`markdown::plain`), JSON-escaped by serde; statuses and end
//! times come from the model and `state::ended_at`, never re-derived. Never touches the disk.

use super::Api;
use super::shapes::{Core, IncidentJson, IncidentUpdate, MaintenanceJson, api_id, stamp};
use crate::model::state;
use crate::model::{Impact, Incident, Kind, Status, Time};
use crate::render::url;

impl<'a> Api<'a> {
    pub(super) fn incidents(
        &self,
        list: impl Iterator<Item = &'a Incident>,
    ) -> Vec<IncidentJson<'_>> {
        list.map(|i| IncidentJson {
            core: self.core(i),
            reminder_intervals: None,
        })
        .collect()
    }

    pub(super) fn maintenances(
        &self,
        list: impl Iterator<Item = &'a Incident>,
    ) -> Vec<MaintenanceJson<'_>> {
        list.map(|i| MaintenanceJson {
            core: self.core(i),
            scheduled_for: stamp(i.start, self.tz),
            // load requires a maintenance `end`; the start is only a fallback that never fires.
            scheduled_until: stamp(i.end.unwrap_or(i.start), self.tz),
        })
        .collect()
    }

    fn core(&self, i: &'a Incident) -> Core<'_> {
        let (tz, now) = (self.tz, self.now);
        let id = api_id(self.site, &format!("incident:{}", i.slug));
        let first = |status: Status| i.updates.iter().find(|u| u.status == status).map(|u| u.at);
        let (impact, created) = match i.kind {
            Kind::Incident => (incident_impact(i), i.start),
            // A window nobody has posted about yet is announced by its future start: dated
            // no later than the page itself, as the feeds date it (`State::posted_at`).
            Kind::Maintenance => ("maintenance", i.announced().min(self.state.updated_at)),
        };
        let (status, resolved) = (i.status, state::ended_at(i, now));
        Core {
            name: &i.title,
            status: status.as_str(),
            created_at: stamp(created, tz),
            updated_at: stamp(self.state.posted_at(i).max(created), tz),
            monitoring_at: first(Status::Monitoring).map(|t| stamp(t, tz)),
            resolved_at: resolved.map(|t| stamp(t, tz)),
            impact,
            shortlink: url::absolute(&self.site.config.base_url, &url::incident_page(&i.slug)),
            started_at: stamp(created, tz),
            page_id: &self.page.id,
            incident_updates: self.updates(i, &id),
            components: (i.services.iter())
                .filter_map(|a| self.row_of.get(a.id.as_str()))
                .filter_map(|&k| self.components.get(k))
                .collect(),
            id,
        }
    }

    /// Newest first. An update's id comes from its time (and its rank among updates at that
    /// same time), not its index: a backdated update inserted later re-keys no other update,
    /// so clients that notify per update id do not notify twice.
    fn updates(&self, i: &'a Incident, incident_id: &str) -> Vec<IncidentUpdate> {
        let mut out = Vec::with_capacity(i.updates.len());
        let mut previous: Option<(Time, usize)> = None;
        for u in &i.updates {
            let rank = match previous {
                Some((at, rank)) if at == u.at => rank + 1,
                _ => 0,
            };
            previous = Some((u.at, rank));
            let key = format!("update:{}:{}:{rank}", i.slug, u.at.timestamp_millis());
            let at = stamp(u.at, self.tz);
            out.push(IncidentUpdate {
                id: api_id(self.site, &key),
                status: u.status.as_str(),
                body: crate::render::markdown::plain(&u.message),
                incident_id: incident_id.to_owned(),
                created_at: at.clone(),
                updated_at: at.clone(),
                display_at: at,
                affected_components: None,
                deliver_notifications: true,
                custom_tweet: None,
                tweet_id: None,
            });
        }
        out.reverse();
        out
    }
}

/// Statuspage's incident impact: the severity, or else what the worst impact suggests.
fn incident_impact(i: &Incident) -> &'static str {
    match (i.severity, i.worst_impact()) {
        (Some(severity), _) => severity.as_str(),
        (None, Some(Impact::MajorOutage)) => "major",
        (None, Some(Impact::PartialOutage | Impact::DegradedPerformance)) => "minor",
        (None, _) => "none",
    }
}
