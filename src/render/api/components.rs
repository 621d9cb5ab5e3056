//! `components.json`'s rows: one per service and one per group, in Statuspage's flat list,
//! each with its status now and when it was created and last changed.
//!
//! Groups come from `render::service_groups`, the grouping the front page shows; statuses come
//! from `State`, never re-derived. Never touches the disk.

use super::shapes::{Component, stamp};
use crate::model::ids;
use crate::model::state::State;
use crate::model::{Impact, Service, Site, Time};
use crate::render::service_groups;
use std::collections::BTreeMap;

/// What the incidents say about one service: first touched, last changed (≤ now), impact now.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Activity {
    first: Option<Time>,
    last: Option<Time>,
    impact: Option<Impact>,
}

/// The component rows in Statuspage's flat list, each tagged with its service id (groups: none).
pub(super) fn component_rows<'a>(
    site: &'a Site,
    page_id: &str,
    activity: &BTreeMap<&str, Activity>,
    origin: Time,
) -> Vec<(Option<&'a str>, Component<'a>)> {
    let tz = site.config.timezone;
    let facts = |s: &Service| {
        let act = activity.get(s.id.as_str()).copied().unwrap_or_default();
        // From the data alone, never the build time: a `since` ahead of it stays as written.
        let created = s.since.or(act.first).unwrap_or(origin);
        (
            created,
            act.last.map_or(created, |l| l.max(created)),
            act.impact,
        )
    };
    let row =
        |name, (created, updated, impact): (Time, Time, Option<Impact>), position| Component {
            id: String::new(),
            name,
            status: impact.map_or("operational", Impact::as_str),
            created_at: stamp(created, tz),
            updated_at: stamp(updated, tz),
            position,
            description: None,
            showcase: true,
            start_date: None,
            group_id: None,
            page_id: page_id.to_owned(),
            group: false,
            only_show_if_degraded: false,
            components: None,
        };
    let service_row = |s: &'a Service, position, group_id| {
        (
            Some(s.id.as_str()),
            Component {
                id: ids::component_id(page_id, s),
                description: s.description.as_deref(),
                start_date: s
                    .since
                    .map(|t| t.with_timezone(&tz).format("%Y-%m-%d").to_string()),
                group_id,
                ..row(&s.name, facts(s), position)
            },
        )
    };
    let mut rows = Vec::with_capacity(site.services.len());
    let mut position = 0;
    for group in service_groups(site) {
        let members: Vec<&Service> = group.members.iter().map(|&(_, s)| s).collect();
        let (Some(name), Some(key)) = (group.name, group.key) else {
            // Ungrouped services are top-level rows, each with its own position.
            for s in members {
                position += 1;
                rows.push(service_row(s, position, None));
            }
            continue;
        };
        position += 1;
        // By the main language's name: one group, one id, in every language.
        let id = ids::id(page_id, &format!("group:{key}"));
        let children: Vec<_> = (members.iter().enumerate())
            .map(|(k, s)| service_row(s, k + 1, Some(id.clone())))
            .collect();
        // A group spans its children: first created, last changed, worst status now.
        let all = members.iter().map(|s| facts(s));
        let rolled = (
            all.clone().map(|f| f.0).min().unwrap_or(origin),
            all.clone().map(|f| f.1).max().unwrap_or(origin),
            all.filter_map(|f| f.2).max(),
        );
        rows.push((
            None,
            Component {
                id,
                // Our groups show no uptime bar of their own.
                showcase: false,
                group: true,
                components: Some(children.iter().map(|(_, c)| c.id.clone()).collect()),
                ..row(name, rolled, position)
            },
        ));
        rows.extend(children);
    }
    // Statuspage sorts the flat list by position alone, so groups and children interleave;
    // the sort is stable, so equal positions keep the page's order.
    rows.sort_by_key(|(_, c)| c.position);
    rows
}

/// One pass over every incident, so components cost O(incidents), not services × incidents.
pub(super) fn activity(state: &State) -> BTreeMap<&str, Activity> {
    let (site, now) = (&state.site, state.at);
    let mut out: BTreeMap<&str, Activity> = BTreeMap::new();
    for i in &site.incidents {
        for a in &i.services {
            let act = out.entry(a.id.as_str()).or_default();
            let since = i.announced();
            act.first = Some(act.first.map_or(since, |f| f.min(since)));
            let changes = std::iter::once(a.from)
                .chain(a.stages.iter().map(|s| s.at))
                .chain(a.restored.or(i.end));
            act.last = act.last.max(changes.filter(|&t| t <= now).max());
        }
    }
    for (s, impact) in site.services.iter().zip(&state.services) {
        if let Some(act) = out.get_mut(s.id.as_str()) {
            act.impact = *impact;
        }
    }
    out
}
