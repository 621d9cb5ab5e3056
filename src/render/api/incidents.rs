//! Incidents and scheduled maintenances as Statuspage shows them: the shared core (status,
//! impact, times, shortlink, affected components) and the updates, newest first.
//!
//! Update bodies are plain text (`markdown::plain`), with the apologies and statements that fit
//! them (`said`), JSON-escaped by serde; statuses and end
//! times come from the model and `state::ended_at`, never re-derived. Never touches the disk.

use super::Api;
use super::said::{said_by_update, with_said};
use super::shapes::{
    AffectedComponent, Core, IncidentJson, IncidentUpdate, MaintenanceJson, stamp,
};
use crate::model::changes::{ServiceChange, update_changes};
use crate::model::{Impact, Incident, Kind, Status, Time};
use crate::model::{ids, state};
use crate::render::{markdown, url};

impl<'a> Api<'a> {
    pub(super) fn incidents(
        &self,
        list: impl Iterator<Item = &'a Incident>,
    ) -> Vec<IncidentJson<'_>> {
        list.map(|i| {
            let postmortem = self.postmortem(i);
            let mut core = self.core(i);
            // Statuspage's last incident status: resolved, and the postmortem published.
            if postmortem.is_some() && i.is_closed() {
                core.status = "postmortem";
            }
            let (postmortem_body, postmortem_published_at) = postmortem.unzip();
            IncidentJson {
                core,
                postmortem_body,
                postmortem_published_at,
                reminder_intervals: None,
            }
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
        let id = ids::incident_id(&self.page.id, i);
        let first = |status: Status| i.updates.iter().find(|u| u.status == status).map(|u| u.at);
        let (impact, created) = match i.kind {
            Kind::Incident => (incident_impact(i), i.start),
            // A window nobody has posted about yet is announced by its future start: dated
            // no later than the page itself, as the feeds date it (`State::posted_at`), and the
            // page by the data, never by the build time.
            // Statuspage's impact words are none, minor, major and critical (the clients'
            // enums say so); planned work counts as no outage here, as in the uptime.
            Kind::Maintenance => ("none", i.announced().min(self.updated)),
        };
        let (status, resolved) = (i.status, state::ended_at(i, now));
        Core {
            name: &i.title,
            status: status.as_str(),
            created_at: stamp(created, tz),
            updated_at: stamp(
                state::last_posted(i, now).min(self.updated).max(created),
                tz,
            ),
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
    fn updates(&self, i: &'a Incident, incident_id: &str) -> Vec<IncidentUpdate<'_>> {
        let mut out = Vec::with_capacity(i.updates.len());
        let mut previous: Option<(Time, usize)> = None;
        let changes = update_changes(i, self.now);
        let said = said_by_update(i, self.tz);
        for ((u, changed), said) in i.updates.iter().zip(changes).zip(&said) {
            let rank = match previous {
                Some((at, rank)) if at == u.at => rank + 1,
                _ => 0,
            };
            previous = Some((u.at, rank));
            let key = format!("update:{incident_id}:{}:{rank}", u.at.timestamp_millis());
            let at = stamp(u.at, self.tz);
            let affected: Vec<_> = changed.iter().filter_map(|c| self.affected(c)).collect();
            out.push(IncidentUpdate {
                id: (u.id.clone()).unwrap_or_else(|| ids::id(&self.page.id, &key)),
                status: u.status.as_str(),
                body: with_said(markdown::plain(&u.message), said),
                incident_id: incident_id.to_owned(),
                created_at: at.clone(),
                updated_at: at.clone(),
                display_at: at,
                affected_components: (!affected.is_empty()).then_some(affected),
                deliver_notifications: true,
                custom_tweet: None,
                tweet_id: None,
            });
        }
        out.reverse();
        out
    }
}

impl<'a> Api<'a> {
    /// A service's change as Statuspage's `affected_components` item: its component's id and
    /// name (a service status.yaml no longer lists is left out).
    fn affected(&self, c: &ServiceChange<'a>) -> Option<AffectedComponent<'a>> {
        let row = self.components.get(*self.row_of.get(c.service)?)?;
        let word = |status: Option<Impact>| status.map_or("operational", Impact::as_str);
        Some(AffectedComponent {
            code: row.id.clone(),
            name: row.name,
            old_status: word(c.old),
            new_status: word(c.new),
        })
    }

    /// An incident's postmortem as Statuspage's `postmortem_body` (plain text, the
    /// `postmortem_url` after it) and `postmortem_published_at`: when the page first showed it,
    /// at the incident's end, or once every dated entry of a file still open had happened
    /// (`state::incident_at`). `None` without a postmortem, or before it is shown.
    fn postmortem(&self, i: &Incident) -> Option<(String, String)> {
        if i.kind != Kind::Incident || (i.postmortem.is_none() && i.postmortem_url.is_none()) {
            return None;
        }
        let body: Vec<String> = [
            i.postmortem.as_ref().map(markdown::plain),
            i.postmortem_url.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        let shown = state::ended_at(i, self.now).map_or(i.last_dated, |e| e.min(i.last_dated));
        Some((body.join("\n\n"), stamp(shown, self.tz)))
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
