//! The random valid sites of the properties: structures a proptest strategy makes, and their
//! YAML as a user would write it (status.yaml and one file per incident). Every generated site
//! is valid by construction (times in order, stages inside their window, statuses that fit).
//!
//! Never writes outside the folder it is given; never reads the clock.

use candor::model::Time;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use std::fmt::Write;
use std::path::Path;

/// Every generated time is a whole minute from here: March 2024 crosses the DST changes of
/// New York (10 March) and Berlin (31 March), and Lord Howe's half hour (7 April).
const BASE: &str = "2024-03-01T00:00:00Z";
/// Zones with whole-minute offsets and no DST change at midnight, so every local midnight
/// exists and every window is a whole number of minutes.
const ZONES: [&str; 6] = [
    "UTC",
    "Asia/Seoul",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
];
const IMPACTS: [&str; 4] = [
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
];
const OPEN: [&str; 3] = ["investigating", "identified", "monitoring"];
const WINDOW: [&str; 3] = ["scheduled", "in_progress", "completed"];
const SEVERITIES: [&str; 3] = ["minor", "major", "critical"];
/// Pieces of text users write: Markdown, HTML, quotes, template syntax, other scripts.
const WORDS: [&str; 14] = [
    "Database",
    "<b>bold</b> & <script>x()</script>",
    "**strong**",
    "\"quoted\" and 'single'",
    "한국어 장애",
    "naïve café",
    "`code`",
    "[docs](https://example.com/x)",
    "# not a heading",
    "line\nbreak",
    ": colon - dash",
    "{{ site.title }} {% raw %}",
    "100 %",
    "emoji 🔥",
];
pub const MINUTES_PER_DAY: i64 = 1440;

#[derive(Debug, Clone)]
pub struct Site {
    pub zone: &'static str,
    /// Minutes from BASE around which its incidents happen.
    pub origin: i64,
    pub days: u32,
    /// Twentieths for major, partial, degraded; `None`: the defaults (1.0, 0.3, 0.0).
    pub weights: Option<[u8; 3]>,
    pub services: Vec<Service>,
    pub incidents: Vec<Incident>,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    pub group: Option<u8>,
    /// A bare date, in days from BASE.
    pub since: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Incident {
    pub maintenance: bool,
    pub severity: Option<usize>,
    /// Minutes from BASE; `len` minutes long up to its end, written or not.
    pub start: i64,
    pub len: i64,
    pub end: End,
    /// Times written with the site zone's offset instead of `Z`.
    pub local: bool,
    pub hits: Vec<Hit>,
    /// Minutes from `start`, and the status word.
    pub updates: Vec<(i64, &'static str)>,
    pub draft: bool,
    pub title: String,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum End {
    /// No end: unresolved, its services down until restored.
    Open,
    /// `end:` at start + len.
    Written,
    /// No `end:`, a last update `resolved` at start + len (format.md: that is the end).
    ByUpdate,
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub service: usize,
    /// Into IMPACTS; `None`: not written (a window's default, under_maintenance).
    pub impact: Option<usize>,
    /// Minutes from the incident's start.
    pub from: i64,
    pub restored: Option<i64>,
    /// Minutes from the incident's start, strictly inside the window, in order.
    pub stages: Vec<(i64, usize)>,
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(&WORDS[..]), 1..4).prop_map(|w| w.join(" "))
}

/// A title or a name: the same words on one line (a line break there is an error at the field).
fn line() -> impl Strategy<Value = String> {
    text().prop_map(|t| t.replace('\n', " "))
}

/// A point of `0..=span` from a random fraction, so shrinking moves it towards 0.
fn scale(fraction: u16, span: i64) -> i64 {
    span * i64::from(fraction) / i64::from(u16::MAX)
}

type RawHit = (usize, usize, u16, Option<u16>, Vec<(u16, usize)>);

fn hit(raw: RawHit, len: i64, end: End, maintenance: bool) -> Hit {
    let (service, impact, from, restored, stages) = raw;
    let from = scale(from, len);
    let restored = restored.map(|r| from + scale(r, len - from));
    // Stages lie strictly inside the window; an open one has no end to stay before.
    let window_end = restored.or((end != End::Open).then_some(len));
    let (low, high) = (from + 1, window_end.map_or(from + len, |e| e - 1));
    let mut points: Vec<(i64, usize)> = (stages.into_iter())
        .filter(|_| high >= low)
        .map(|(f, i)| (low + scale(f, high - low), i % 4))
        .collect();
    points.sort_by_key(|p| p.0);
    points.dedup_by_key(|p| p.0);
    Hit {
        service,
        // 4: a window's default impact, or (for an incident) a second chance of a major outage.
        impact: match (impact, maintenance) {
            (4, true) => None,
            (4, false) => Some(2),
            (i, _) => Some(i),
        },
        from,
        restored,
        stages: points,
    }
}

fn incident(services: usize) -> impl Strategy<Value = Incident> {
    let raw_hit = (
        0..services,
        0..5usize,
        any::<u16>(),
        prop::option::of(any::<u16>()),
        prop::collection::vec((any::<u16>(), 0..4usize), 0..3),
    );
    (
        (
            any::<bool>(),
            0..4usize,
            0..3 * MINUTES_PER_DAY,
            1..2 * MINUTES_PER_DAY,
        ),
        (0..3usize, any::<bool>(), prop::bool::weighted(0.15)),
        prop::collection::vec(raw_hit, 1..=services),
        prop::collection::vec((any::<u16>(), 0..3usize), 0..4),
        (line(), prop::option::of(text())),
    )
        .prop_map(
            |((maintenance, severity, start, len), (end, local, draft), hits, updates, texts)| {
                let end = match end {
                    _ if maintenance => End::Written,
                    0 => End::Open,
                    1 => End::Written,
                    _ => End::ByUpdate,
                };
                // A service is listed once per incident: keep the first entry of each.
                let mut seen = std::collections::BTreeSet::new();
                let hits = (hits.into_iter())
                    .filter(|h| seen.insert(h.0))
                    .map(|h| hit(h, len, end, maintenance))
                    .collect();
                // A window is announced up to a day before it starts, or once it runs.
                let earliest = if maintenance { -MINUTES_PER_DAY } else { 0 };
                // The first update anywhere in that span (a window announced late is hidden
                // until then), the others after it.
                let mut first = None;
                let mut updates: Vec<(i64, &str)> = (updates.into_iter())
                    .map(|(f, s)| {
                        let after = *first.get_or_insert(earliest + scale(f, len - earliest));
                        let at = after + scale(f, len - after);
                        (at, if maintenance { WINDOW[s] } else { OPEN[s] })
                    })
                    .collect();
                updates.sort_by_key(|u| u.0);
                if end == End::ByUpdate {
                    updates.push((len, "resolved"));
                }
                Incident {
                    maintenance,
                    severity: (!maintenance && severity < 3).then_some(severity),
                    start,
                    len,
                    end,
                    local,
                    hits,
                    updates,
                    draft,
                    title: texts.0,
                    summary: texts.1,
                }
            },
        )
}

/// A site whose incidents start within three days of its `origin`, so that they overlap
/// often; the origin moves over five weeks, across the DST changes of the zones.
fn site() -> impl Strategy<Value = Site> {
    let service = (
        line(),
        prop::option::of(0..2u8),
        prop::option::of(-10..10i64),
    )
        .prop_map(|(name, group, since)| Service { name, group, since });
    (
        prop::sample::select(&ZONES[..]),
        0..35i64,
        1..120u32,
        prop::option::weighted(0.8, [0..=20u8, 0..=20u8, 0..=20u8]),
        prop::collection::vec(service, 1..4),
    )
        .prop_flat_map(|(zone, origin, days, weights, services)| {
            let incidents = prop::collection::vec(incident(services.len()), 1..6);
            (Just((zone, origin, days, weights, services)), incidents)
        })
        .prop_map(
            |((zone, origin, days, weights, services), incidents)| Site {
                zone,
                origin: origin * MINUTES_PER_DAY,
                days,
                weights,
                services: (services.into_iter())
                    .map(|s| Service {
                        since: s.since.map(|d| origin + d),
                        ..s
                    })
                    .collect(),
                incidents: (incidents.into_iter())
                    .map(|i| Incident {
                        start: origin * MINUTES_PER_DAY + i.start,
                        ..i
                    })
                    .collect(),
            },
        )
}

/// A site and an instant: anywhere in `span` (minutes from the site's origin), during one of its
/// incidents or the day after, or in the hour before a window's first update (a window is
/// shown only from its announcement).
pub fn site_at(span: std::ops::Range<i64>) -> impl Strategy<Value = (Site, i64)> {
    site().prop_flat_map(move |site| {
        let span = site.origin + span.start..site.origin + span.end;
        let near: Vec<(i64, i64)> = (site.incidents.iter())
            .map(|i| (i.start, i.len + MINUTES_PER_DAY))
            .collect();
        let announced: Vec<(i64, i64)> = (site.incidents.iter())
            .filter(|i| i.maintenance)
            .filter_map(|i| i.updates.first().map(|u| (i.start + u.0 - 60, 60)))
            .collect();
        let within = |spans: Vec<(i64, i64)>| {
            (prop::sample::select(spans), any::<u16>())
                .prop_map(|((from, span), f)| from + scale(f, span))
        };
        let now = match (near.is_empty(), announced.is_empty()) {
            (true, _) => span.clone().boxed(),
            (false, true) => prop_oneof![span.clone(), within(near)].boxed(),
            (false, false) => prop_oneof![span.clone(), within(near), within(announced)].boxed(),
        };
        (Just(site), now)
    })
}

pub fn base() -> Time {
    DateTime::parse_from_rfc3339(BASE)
        .expect("BASE")
        .with_timezone(&Utc)
}

pub fn minute(m: i64) -> Time {
    base() + Duration::minutes(m)
}

fn quoted(text: &str) -> String {
    // A JSON string is a YAML double-quoted scalar.
    serde_json::to_string(text).expect("a string")
}

pub fn weights(site: &Site) -> [f64; 3] {
    site.weights
        .map_or([1.0, 0.3, 0.0], |w| w.map(|t| f64::from(t) / 20.0))
}

pub fn write_site(site: &Site, root: &Path) {
    let mut s = format!(
        "title: Property\nbase_url: https://status.example.com/\ntimezone: {}\nuptime:\n  days: {}\n",
        site.zone, site.days
    );
    if site.weights.is_some() {
        let [major, partial, degraded] = weights(site);
        let _ = write!(
            s,
            "  weights:\n    major_outage: {major}\n    partial_outage: {partial}\n    degraded_performance: {degraded}\n"
        );
    }
    s.push_str("services:\n");
    for (k, service) in site.services.iter().enumerate() {
        let _ = writeln!(s, "  - id: s{k}\n    name: {}", quoted(&service.name));
        if let Some(g) = service.group {
            let _ = writeln!(s, "    group: Group {g}");
        }
        if let Some(day) = service.since {
            let date = base().date_naive() + Duration::days(day);
            let _ = writeln!(s, "    since: {date}");
        }
    }
    std::fs::create_dir_all(root.join("incidents")).expect("mkdir");
    std::fs::write(root.join("status.yaml"), s).expect("write status.yaml");
    let tz: Tz = site.zone.parse().expect("zone");
    for (n, incident) in site.incidents.iter().enumerate() {
        let text = incident_yaml(incident, tz);
        std::fs::write(root.join(format!("incidents/incident-{n}.yaml")), text).expect("write");
    }
}

fn incident_yaml(i: &Incident, tz: Tz) -> String {
    let stamp = |offset: i64| {
        let t = minute(i.start + offset);
        if i.local {
            t.with_timezone(&tz).to_rfc3339()
        } else {
            t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        }
    };
    let mut s = format!("title: {}\nstart: {}\n", quoted(&i.title), stamp(0));
    if i.maintenance {
        s.push_str("kind: maintenance\n");
    }
    if let Some(severity) = i.severity {
        let _ = writeln!(s, "severity: {}", SEVERITIES[severity]);
    }
    if i.end == End::Written {
        let _ = writeln!(s, "end: {}", stamp(i.len));
    }
    if let Some(summary) = &i.summary {
        let _ = writeln!(s, "summary: {}", quoted(summary));
    }
    if i.draft {
        s.push_str("draft: true\n");
    }
    if !i.hits.is_empty() {
        s.push_str("services:\n");
    }
    for h in &i.hits {
        let _ = writeln!(s, "  - id: s{}\n    from: {}", h.service, stamp(h.from));
        if let Some(impact) = h.impact {
            let _ = writeln!(s, "    impact: {}", IMPACTS[impact]);
        }
        if let Some(r) = h.restored {
            let _ = writeln!(s, "    restored: {}", stamp(r));
        }
        if !h.stages.is_empty() {
            s.push_str("    stages:\n");
        }
        for (at, impact) in &h.stages {
            let _ = writeln!(
                s,
                "      - at: {}\n        impact: {}",
                stamp(*at),
                IMPACTS[*impact]
            );
        }
    }
    if !i.updates.is_empty() {
        s.push_str("updates:\n");
    }
    for (at, status) in &i.updates {
        let _ = writeln!(
            s,
            "  - at: {}\n    status: {status}\n    message: Posted.",
            stamp(*at)
        );
    }
    s
}
