//! The Statuspage-compatible public API v2 (`api/v2/*.json`): our model in Statuspage's
//! field names, order, value words and timestamp format, so existing clients read it unchanged.
//!
//! `api_files` makes every endpoint (summary, status, components, incidents, scheduled
//! maintenances); `shapes` holds the JSON structs, `components` the component rows and
//! `incidents` incidents and windows. JSON goes through serde_json, never a template; every
//! status comes from `State`. Never touches the disk.

mod components;
mod incidents;
mod said;
mod shapes;
#[cfg(test)]
mod tests;

use super::OutputFile;
use crate::model::ids;
use crate::model::state::State;
use crate::model::{Incident, Kind, Site, Status, Time};
use chrono_tz::Tz;
use components::{activity, component_rows};
use shapes::{Component, Envelope, Page, PageStatus};
use shapes::{json_file, stamp};
use std::collections::BTreeMap;

/// Statuspage caps `incidents.json` and `scheduled-maintenances.json` at 50 (its docs).
const LIST_LIMIT: usize = 50;

/// Everything computed once per build: the page and the component rows.
struct Api<'a> {
    site: &'a Site,
    now: Time,
    /// When the page last changed, from the data alone (`page.updated_at`): no incident is
    /// dated later.
    updated: Time,
    tz: Tz,
    page: Page<'a>,
    components: Vec<Component<'a>>,
    /// Service id → its row in `components`, for the snapshots inside incidents.
    row_of: BTreeMap<&'a str, usize>,
}

/// Every endpoint under `api/v2/`, as of the state's instant: `summary.json`, `status.json`,
/// `components.json`, `incidents.json`, `incidents/unresolved.json`,
/// `scheduled-maintenances.json` and its `upcoming` and `active` lists, in that order.
pub fn api_files(state: &State) -> Vec<OutputFile> {
    let site = &state.site;
    let api = Api::new(state);
    let status = PageStatus {
        indicator: state.indicator.as_str(),
        description: state.indicator.description(),
    };
    let incidents = api.incidents(select(site, Kind::Incident).take(LIST_LIMIT));
    let windows = api.maintenances(select(site, Kind::Maintenance).take(LIST_LIMIT));
    // The state's lists: unresolved newest first; open windows soonest first, the order a
    // reader plans by.
    let listed = |list: &[usize]| -> Vec<&Incident> {
        (list.iter().filter_map(|&n| site.incidents.get(n)))
            .map(|i| i.as_ref())
            .collect()
    };
    let unresolved = api.incidents(listed(&state.unresolved).into_iter());
    let open = listed(&state.open_windows);
    let phase = |want: Status| open.iter().copied().filter(move |i| i.status == want);
    let upcoming = api.maintenances(phase(Status::Scheduled));
    let active = api.maintenances(phase(Status::InProgress));
    let open = api.maintenances(open.iter().copied());
    let page = &api.page;
    let all = Some(api.components.as_slice());
    let status = Some(&status);
    let file = |path, components, incidents, scheduled_maintenances, status| {
        let envelope = Envelope {
            page,
            components,
            incidents,
            scheduled_maintenances,
            status,
        };
        json_file(path, &envelope)
    };
    let (unresolved, open) = (Some(&unresolved[..]), Some(&open[..]));
    vec![
        file("summary.json", all, unresolved, open, status),
        file("status.json", None, None, None, status),
        file("components.json", all, None, None, None),
        file("incidents.json", None, Some(&incidents), None, None),
        file("incidents/unresolved.json", None, unresolved, None, None),
        file(
            "scheduled-maintenances.json",
            None,
            None,
            Some(&windows),
            None,
        ),
        file(
            "scheduled-maintenances/upcoming.json",
            None,
            None,
            Some(&upcoming),
            None,
        ),
        file(
            "scheduled-maintenances/active.json",
            None,
            None,
            Some(&active),
            None,
        ),
    ]
}

impl<'a> Api<'a> {
    fn new(state: &'a State) -> Api<'a> {
        let (site, now) = (&state.site, state.at);
        let tz = site.config.timezone;
        // The first thing the site names: what a service with no `since` and no incident yet
        // was created at, so no stamp comes from the build time. A site that names no time at
        // all is dated at the Unix epoch.
        let announced = site.incidents.iter().map(|i| i.announced());
        let origin = (announced.chain(site.services.iter().filter_map(|s| s.since)))
            .min()
            .unwrap_or(Time::UNIX_EPOCH);
        // `State::updated_at` is the build time when nothing shown is dated yet.
        let dated = (site.incidents.iter()).any(|i| i.dated().any(|t| t <= now));
        let updated = if dated { state.updated_at } else { origin };
        let page = Page {
            id: ids::page_id(&site.config),
            name: &site.config.title,
            url: site.config.base_url.trim_end_matches('/'),
            time_zone: tz.name(),
            updated_at: stamp(updated, tz),
        };
        let rows = component_rows(site, &page.id, &activity(state), origin);
        let row_of = (rows.iter().enumerate())
            .filter_map(|(k, (service, _))| service.map(|id| (id, k)))
            .collect();
        Api {
            site,
            now,
            updated,
            tz,
            page,
            components: rows.into_iter().map(|(_, row)| row).collect(),
            row_of,
        }
    }
}

/// Incidents of one kind, newest first by start (ties by slug), as every Statuspage list is:
/// the order `Site` keeps them in (`Site::sort_incidents`).
fn select(site: &Site, kind: Kind) -> impl Iterator<Item = &Incident> {
    (site.incidents.iter().map(|i| i.as_ref())).filter(move |i| i.kind == kind)
}
