//! The Statuspage-compatible public API v2 (`api/v2/*.json`): our model in Statuspage's
//! field names, order, value words and timestamp format, so existing clients read it unchanged.
//!
//! These structs are the contract with those clients; they never reuse model structs, so
//! renaming a model field cannot break a client (style.md, "The JSON API has its own structs").

use super::OutputFile;
use crate::model::state::{self, State};
use crate::model::{Impact, Incident, Kind, Service, Site, Status, Time};
use crate::render::url;
use chrono::Offset;
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::BTreeMap;

/// Statuspage caps `incidents.json` and `scheduled-maintenances.json` at 50 (its docs).
const LIST_LIMIT: usize = 50;

#[derive(Serialize)]
struct Page<'a> {
    id: String,
    name: &'a str,
    url: &'a str,
    time_zone: &'a str,
    updated_at: String,
}

#[derive(Serialize)]
struct PageStatus {
    indicator: &'static str,
    description: &'static str,
}

/// A component or a component group: Statuspage lists both in one flat array.
#[derive(Serialize)]
struct Component<'a> {
    id: String,
    name: &'a str,
    status: &'static str,
    created_at: String,
    updated_at: String,
    position: usize,
    description: Option<&'a str>,
    showcase: bool,
    start_date: Option<String>,
    group_id: Option<String>,
    page_id: String,
    group: bool,
    only_show_if_degraded: bool,
    /// Only group rows carry their children's ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    components: Option<Vec<String>>,
}

#[derive(Serialize)]
struct IncidentUpdate {
    id: String,
    status: &'static str,
    /// Plain text, as Statuspage's bodies are: Markdown markup and unsafe URLs are gone.
    body: String,
    incident_id: String,
    created_at: String,
    updated_at: String,
    display_at: String,
    /// We do not know which component an update changed, so we say nothing rather than guess.
    affected_components: Option<Vec<()>>,
    deliver_notifications: bool,
    custom_tweet: Option<String>,
    tweet_id: Option<String>,
}

/// The fields incidents and scheduled maintenances share, in Statuspage's order.
#[derive(Serialize)]
struct Core<'a> {
    id: String,
    name: &'a str,
    status: &'static str,
    created_at: String,
    updated_at: String,
    monitoring_at: Option<String>,
    resolved_at: Option<String>,
    impact: &'static str,
    shortlink: String,
    started_at: String,
    page_id: &'a str,
    incident_updates: Vec<IncidentUpdate>,
    components: Vec<&'a Component<'a>>,
}

#[derive(Serialize)]
struct IncidentJson<'a> {
    #[serde(flatten)]
    core: Core<'a>,
    /// A field Statuspage leaks from its management model (githubstatus, 2024); always null.
    reminder_intervals: Option<Vec<u32>>,
}

#[derive(Serialize)]
struct MaintenanceJson<'a> {
    #[serde(flatten)]
    core: Core<'a>,
    scheduled_for: String,
    scheduled_until: String,
}

/// Every endpoint's top level: a subset of `summary.json`'s keys, in its order.
#[derive(Serialize)]
struct Envelope<'a> {
    page: &'a Page<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    components: Option<&'a [Component<'a>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    incidents: Option<&'a [IncidentJson<'a>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheduled_maintenances: Option<&'a [MaintenanceJson<'a>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a PageStatus>,
}

/// Everything computed once per build: the page and the component rows.
struct Api<'a> {
    site: &'a Site,
    now: Time,
    tz: Tz,
    page: Page<'a>,
    components: Vec<Component<'a>>,
    /// Service id → its row in `components`, for the snapshots inside incidents.
    row_of: BTreeMap<&'a str, usize>,
}

/// What the incidents say about one service: first touched, last changed (≤ now), impact now.
#[derive(Debug, Default, Clone, Copy)]
struct Activity {
    first: Option<Time>,
    last: Option<Time>,
    impact: Option<Impact>,
}

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
        let page = Page {
            id: api_id(site, "page"),
            name: &site.config.title,
            url: site.config.base_url.trim_end_matches('/'),
            time_zone: tz.name(),
            updated_at: stamp(state.updated_at, tz),
        };
        // A service with no `since` and no incident yet: as old as the first thing the page
        // published, so its stamps do not move with the clock.
        let origin = site.incidents.iter().map(|i| announced(i)).min();
        let origin = origin.unwrap_or(now);
        let rows = component_rows(site, &page.id, &activity(state), origin, now);
        let row_of = (rows.iter().enumerate())
            .filter_map(|(k, (service, _))| service.map(|id| (id, k)))
            .collect();
        Api {
            site,
            now,
            tz,
            page,
            components: rows.into_iter().map(|(_, row)| row).collect(),
            row_of,
        }
    }

    fn incidents(&self, list: impl Iterator<Item = &'a Incident>) -> Vec<IncidentJson<'_>> {
        list.map(|i| IncidentJson {
            core: self.core(i),
            reminder_intervals: None,
        })
        .collect()
    }

    fn maintenances(&self, list: impl Iterator<Item = &'a Incident>) -> Vec<MaintenanceJson<'_>> {
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
            Kind::Maintenance => ("maintenance", announced(i)),
        };
        let (status, resolved) = (i.status, state::ended_at(i, now));
        Core {
            name: &i.title,
            status: status.as_str(),
            created_at: stamp(created, tz),
            updated_at: stamp(last_posted(i, now).max(created), tz),
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

/// The component rows in Statuspage's flat list, each tagged with its service id (groups: none).
fn component_rows<'a>(
    site: &'a Site,
    page_id: &str,
    activity: &BTreeMap<&str, Activity>,
    origin: Time,
    now: Time,
) -> Vec<(Option<&'a str>, Component<'a>)> {
    let tz = site.config.timezone;
    let facts = |s: &Service| {
        let act = activity.get(s.id.as_str()).copied().unwrap_or_default();
        // Never in the future: a `since` ahead of the build time is not a creation yet.
        let created = s.since.or(act.first).unwrap_or(origin).min(now);
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
                id: api_id(site, &format!("component:{}", s.id)),
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
    for (group, members) in buckets(site) {
        let Some(name) = group else {
            // Ungrouped services are top-level rows, each with its own position.
            for s in members {
                position += 1;
                rows.push(service_row(s, position, None));
            }
            continue;
        };
        position += 1;
        let id = api_id(site, &format!("group:{name}"));
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

/// Services by group in the front page's order: groups keep first-seen order, and the
/// ungrouped services form one run where the first of them appears (as `render::groups`).
fn buckets(site: &Site) -> Vec<(Option<&str>, Vec<&Service>)> {
    let mut out: Vec<(Option<&str>, Vec<&Service>)> = Vec::new();
    for s in &site.services {
        match out.iter_mut().find(|(g, _)| *g == s.group.as_deref()) {
            Some((_, members)) => members.push(s),
            None => out.push((s.group.as_deref(), vec![s])),
        }
    }
    out
}

/// One pass over every incident, so components cost O(incidents), not services × incidents.
fn activity(state: &State) -> BTreeMap<&str, Activity> {
    let (site, now) = (&state.site, state.at);
    let mut out: BTreeMap<&str, Activity> = BTreeMap::new();
    for i in &site.incidents {
        for a in &i.services {
            let act = out.entry(a.id.as_str()).or_default();
            let since = announced(i);
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

/// Statuspage's incident impact: the severity, or else what the worst impact suggests.
fn incident_impact(i: &Incident) -> &'static str {
    match (i.severity, i.worst_impact()) {
        (Some(severity), _) => severity.as_str(),
        (None, Some(Impact::MajorOutage)) => "major",
        (None, Some(Impact::PartialOutage | Impact::DegradedPerformance)) => "minor",
        (None, _) => "none",
    }
}

/// When the public first heard of `i`: a window is announced before it starts, and its
/// first (`scheduled`) update says when.
fn announced(i: &Incident) -> Time {
    i.updates.first().map_or(i.start, |u| u.at.min(i.start))
}

/// The last time anything was posted about `i` as of `now`: its latest update, end or start.
/// A planned window's future start and end are not posts, so they count only when nothing
/// has been posted yet; a future `updated_at` would tell clients nonsense.
pub(crate) fn last_posted(i: &Incident, now: Time) -> Time {
    // Updates are sorted: the latest one by `now` is found from the end, at once for the past.
    let update = i.updates.iter().rev().map(|u| u.at).find(|&t| t <= now);
    let others = [i.end, Some(i.start)].into_iter().flatten();
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

/// Incidents of one kind, newest first by start (ties by slug), as every Statuspage list is:
/// the order `Site` keeps them in (`Site::sort_incidents`).
fn select(site: &Site, kind: Kind) -> impl Iterator<Item = &Incident> {
    (site.incidents.iter().map(|i| i.as_ref())).filter(move |i| i.kind == kind)
}

/// Statuspage's timestamp: milliseconds, and the page zone's offset at that instant,
/// `Z` when it is zero (`2022-10-15T15:30:00.000+09:00`, `2024-09-16T21:31:02.719Z`).
fn stamp(t: Time, tz: Tz) -> String {
    let local = t.with_timezone(&tz);
    if local.offset().fix().local_minus_utc() == 0 {
        t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    } else {
        local.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string()
    }
}

/// A 12-character `[a-z0-9]` id like Statuspage's, the same on every build: FNV-1a 64 of the
/// site's base URL and a namespaced key (`component:api`), so two candor sites never share ids.
fn api_id(site: &Site, key: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = site.config.base_url.bytes().chain([0]).chain(key.bytes());
    for b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    // FNV-1a moves few bits for a change in the last byte (`update:x:1` vs `:2`);
    // splitmix64's finalizer spreads it so neighbouring ids do not look alike.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    let mut n = h % 36u64.pow(12);
    let mut digits = ['0'; 12];
    for d in digits.iter_mut().rev() {
        *d = char::from_digit((n % 36) as u32, 36).unwrap_or('0');
        n /= 36;
    }
    digits.iter().collect()
}

fn json_file(path: &str, value: &impl Serialize) -> OutputFile {
    let json = serde_json::to_string(value)
        .expect("API structs hold only strings, numbers, bools and lists");
    // `<`, `>` and `&` only occur inside strings, where `\u003c` means the same: a JSON file
    // pasted into a page can then never open a tag.
    let mut bytes = json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .into_bytes();
    bytes.push(b'\n');
    OutputFile {
        path: format!("api/v2/{path}"),
        bytes,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::load::LoadOptions;
    use serde_json::Value;

    pub(crate) fn t(s: &str) -> Time {
        chrono::DateTime::parse_from_rfc3339(s)
            .expect("test time")
            .to_utc()
    }

    /// The build time of `sample_site`.
    pub(crate) const NOW: &str = "2022-10-20T12:00:00+09:00";

    const STATUS: &str = "title: Example Status
base_url: https://status.example.com/
timezone: Asia/Seoul
services:
  - { id: talk, name: TALK, group: Messaging, since: 2010-03-18 }
  - { id: pay, name: PAY, description: The pay service }
  - { id: mail, name: MAIL, group: Messaging }
";

    /// A resolved critical incident with a `<script>` title, an open one, an upcoming and a
    /// running maintenance window, in Seoul, read through the real loader.
    const INCIDENTS: [(&str, &str); 4] = [
        (
            "fire",
            "title: Fire <script>alert(1)</script>
severity: critical
start: 2022-10-15 15:30
end: 2022-10-16 12:00
summary: Summary of *this*.
services:
  - id: talk
    impact: major_outage
    stages: [{ at: 2022-10-16 01:30, impact: partial_outage }]
updates:
  - { at: 2022-10-15 16:00, status: investigating, message: A fire; we are *looking*. }
  - { at: 2022-10-16 09:00, status: monitoring, message: Back; watching & waiting. }
  - { at: 2022-10-16 12:00, status: resolved, message: \"Resolved.\\nSorry, everyone; truly.\" }
",
        ),
        (
            "slow-pay",
            "title: Slow payments
start: 2022-10-20 10:00
services: [{ id: pay, impact: partial_outage }]
updates: [{ at: 2022-10-20 10:05, status: investigating, message: Payments are slow. }]
",
        ),
        (
            "db-upgrade",
            "title: Database upgrade
kind: maintenance
start: 2022-10-25 02:00
end: 2022-10-25 04:00
services: [{ id: mail }]
updates: [{ at: 2022-10-18 10:00, status: scheduled, message: Planned. }]
",
        ),
        (
            "net-work",
            "title: Network work
kind: maintenance
start: 2022-10-20 11:00
end: 2022-10-20 13:00
services: [{ id: talk }]
updates: [{ at: 2022-10-20 11:00, status: in_progress, message: Started. }]
",
        ),
    ];

    pub(crate) fn sample_site() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text);
        write("status.yaml", STATUS).expect("write");
        std::fs::create_dir(dir.path().join("incidents")).expect("mkdir");
        for (slug, text) in INCIDENTS {
            write(&format!("incidents/{slug}.yaml"), text).expect("write");
        }
        let options = LoadOptions {
            now: t(NOW),
            clock: t(NOW),
            drafts: false,
            languages: crate::theme::languages,
        };
        let loaded = crate::load::load(dir.path(), &options).expect("the sample loads");
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        loaded.site
    }

    fn file<'f>(files: &'f [OutputFile], path: &str) -> &'f str {
        let found = files
            .iter()
            .find(|f| f.path == format!("api/v2/{path}"))
            .expect("file exists");
        std::str::from_utf8(&found.bytes).expect("utf-8")
    }

    fn json(files: &[OutputFile], path: &str) -> Value {
        serde_json::from_str(file(files, path)).expect("valid JSON")
    }

    fn strings(v: &Value, key: &str) -> Vec<String> {
        let list = v.as_array().expect("a list");
        list.iter()
            .map(|x| x[key].as_str().expect("a string").to_owned())
            .collect()
    }

    /// Every id-like value anywhere in a JSON document.
    fn ids(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    if let ("id" | "page_id" | "incident_id" | "group_id", Value::String(s)) =
                        (k.as_str(), x)
                    {
                        out.push(s.clone());
                    } else if let ("components", Value::Array(list)) = (k.as_str(), x) {
                        out.extend(list.iter().filter_map(Value::as_str).map(str::to_owned));
                    }
                    ids(x, out);
                }
            }
            Value::Array(list) => list.iter().for_each(|x| ids(x, out)),
            _ => {}
        }
    }

    #[test]
    fn ids_are_twelve_base36_chars_and_stable() {
        let site = sample_site();
        let files = api_files(&State::at(&site, t(NOW)));
        assert_eq!(
            files,
            api_files(&State::at(&site, t(NOW))),
            "same input, same bytes"
        );
        let mut found = Vec::new();
        for f in &files {
            assert!(f.bytes.ends_with(b"}\n"), "{}", f.path);
            ids(
                &json(&files, f.path.trim_start_matches("api/v2/")),
                &mut found,
            );
        }
        assert!(found.len() > 20, "{found:?}");
        let is_id = |s: &String| {
            s.len() == 12
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        };
        assert!(found.iter().all(is_id), "{found:?}");
        assert_ne!(
            api_id(&site, "update:fire:1:0"),
            api_id(&site, "update:fire:2:0")
        );
        let mut elsewhere = site.clone();
        elsewhere.config.base_url = "https://other.example/".to_owned();
        assert_ne!(
            api_id(&site, "page"),
            api_id(&elsewhere, "page"),
            "sites never share ids"
        );
    }

    #[test]
    fn timestamps_have_milliseconds_and_the_zone_offset() {
        let (seoul, berlin): (Tz, Tz) = (
            "Asia/Seoul".parse().expect("zone"),
            "Europe/Berlin".parse().expect("zone"),
        );
        assert_eq!(
            stamp(t("2022-10-15T15:30:00+09:00"), seoul),
            "2022-10-15T15:30:00.000+09:00"
        );
        assert_eq!(
            stamp(t("2024-09-16T21:31:02.719Z"), Tz::UTC),
            "2024-09-16T21:31:02.719Z"
        );
        assert_eq!(
            stamp(t("2022-07-01T12:00:00Z"), berlin),
            "2022-07-01T14:00:00.000+02:00"
        );
        assert_eq!(
            stamp(t("2022-12-01T12:00:00Z"), berlin),
            "2022-12-01T13:00:00.000+01:00"
        );
        let page = &json(
            &api_files(&State::at(&sample_site(), t(NOW))),
            "status.json",
        )["page"];
        // The last thing posted (an update at 11:00), not the build time (12:00).
        assert_eq!(page["updated_at"], "2022-10-20T11:00:00.000+09:00");
        assert_eq!(
            (&page["time_zone"], &page["url"]),
            (&"Asia/Seoul".into(), &"https://status.example.com".into())
        );
    }

    #[test]
    fn incidents_are_newest_first_with_updates_newest_first() {
        let files = api_files(&State::at(&sample_site(), t(NOW)));
        let incidents = &json(&files, "incidents.json")["incidents"];
        assert_eq!(
            strings(incidents, "name"),
            ["Slow payments", "Fire <script>alert(1)</script>"]
        );
        let fire = &incidents[1];
        assert_eq!(
            strings(&fire["incident_updates"], "status"),
            ["resolved", "monitoring", "investigating"]
        );
        // A line break inside a paragraph is the YAML's wrap, not the author's: joined.
        assert_eq!(
            fire["incident_updates"][0]["body"],
            "Resolved. Sorry, everyone; truly."
        );
        assert_eq!(fire["incident_updates"][0]["incident_id"], fire["id"]);
        assert_eq!(fire["monitoring_at"], "2022-10-16T09:00:00.000+09:00");
        assert_eq!(fire["resolved_at"], "2022-10-16T12:00:00.000+09:00");
        assert_eq!(
            (&fire["impact"], &incidents[0]["impact"]),
            (&"critical".into(), &"minor".into())
        );
        assert_eq!(
            fire["shortlink"],
            "https://status.example.com/incidents/fire/"
        );
        assert_eq!(fire["reminder_intervals"], Value::Null);
        assert_eq!(strings(&fire["components"], "name"), ["TALK"]);
        assert_eq!(incidents[0]["resolved_at"], Value::Null);
        let unresolved = json(&files, "incidents/unresolved.json");
        assert_eq!(strings(&unresolved["incidents"], "name"), ["Slow payments"]);
    }

    #[test]
    fn components_list_groups_with_their_children() {
        let files = api_files(&State::at(&sample_site(), t(NOW)));
        let list = &json(&files, "components.json")["components"];
        assert_eq!(strings(list, "name"), ["Messaging", "TALK", "MAIL", "PAY"]);
        let positions: Vec<u64> = (0..4)
            .filter_map(|k| list[k]["position"].as_u64())
            .collect();
        assert_eq!(
            positions,
            [1, 1, 2, 2],
            "by position, groups and children interleaved"
        );
        let (group, talk, mail, pay) = (&list[0], &list[1], &list[2], &list[3]);
        assert_eq!(group["group"], true);
        assert_eq!(
            group["components"],
            serde_json::json!([talk["id"], mail["id"]])
        );
        assert_eq!(
            (&talk["group_id"], &pay["group_id"]),
            (&group["id"], &Value::Null)
        );
        assert!(
            talk.get("components").is_none(),
            "only groups list children"
        );
        let statuses = [
            "under_maintenance",
            "under_maintenance",
            "operational",
            "partial_outage",
        ];
        assert_eq!(strings(list, "status"), statuses);
        assert_eq!(
            (&talk["start_date"], &mail["start_date"]),
            (&"2010-03-18".into(), &Value::Null)
        );
        assert_eq!(talk["created_at"], "2010-03-18T00:00:00.000+09:00");
        assert_eq!(
            talk["updated_at"], "2022-10-20T11:00:00.000+09:00",
            "the window began"
        );
        assert_eq!(pay["description"], "The pay service");
        let announced = "2022-10-18T10:00:00.000+09:00";
        assert_eq!(
            (&mail["created_at"], &mail["updated_at"]),
            (&announced.into(), &announced.into())
        );
    }

    #[test]
    fn maintenance_is_split_into_upcoming_and_active() {
        let files = api_files(&State::at(&sample_site(), t(NOW)));
        let list = |path| json(&files, path)["scheduled_maintenances"].clone();
        let (upcoming, active) = (
            list("scheduled-maintenances/upcoming.json"),
            list("scheduled-maintenances/active.json"),
        );
        assert_eq!(strings(&upcoming, "status"), ["scheduled"]);
        assert_eq!(strings(&active, "name"), ["Network work"]);
        assert_eq!(strings(&active, "status"), ["in_progress"]);
        assert_eq!(upcoming[0]["impact"], "maintenance");
        assert_eq!(
            upcoming[0]["scheduled_for"],
            "2022-10-25T02:00:00.000+09:00"
        );
        assert_eq!(
            upcoming[0]["created_at"], "2022-10-18T10:00:00.000+09:00",
            "announced"
        );
        assert_eq!(
            upcoming[0]["updated_at"], "2022-10-18T10:00:00.000+09:00",
            "never the future"
        );
        let summary = json(&files, "summary.json");
        assert_eq!(
            strings(&summary["scheduled_maintenances"], "name"),
            ["Network work", "Database upgrade"]
        );
        assert_eq!(
            summary["status"],
            serde_json::json!({"indicator": "minor", "description": "Minor Service Outage"})
        );
        // Key order, for clients that read positionally: Statuspage's, checked on the raw text.
        let raw = file(&files, "scheduled-maintenances.json");
        let keys = [
            "\"components\":[",
            "\"scheduled_for\":",
            "\"scheduled_until\":",
        ];
        assert!(
            keys.windows(2).all(|w| raw.find(w[0]) < raw.find(w[1])),
            "{raw}"
        );
        let raw = file(&files, "summary.json");
        let keys = [
            "{\"page\":{",
            "\"components\":[",
            "\"incidents\":[",
            "\"scheduled_maintenances\":[",
            "\"status\":{\"indicator\"",
        ];
        assert!(
            keys.windows(2).all(|w| raw.find(w[0]) < raw.find(w[1])),
            "{raw}"
        );
    }

    #[test]
    fn empty_lists_are_empty_arrays() {
        let mut site = sample_site();
        site.incidents.clear();
        let files = api_files(&State::at(&site, t(NOW)));
        assert!(file(&files, "incidents/unresolved.json").ends_with("\"incidents\":[]}\n"));
        assert!(
            file(&files, "scheduled-maintenances/active.json")
                .ends_with("\"scheduled_maintenances\":[]}\n")
        );
        assert!(
            file(&files, "summary.json").contains("\"incidents\":[],\"scheduled_maintenances\":[]")
        );
        assert_eq!(
            json(&files, "status.json")["status"]["description"],
            "All Systems Operational"
        );
    }
}
