//! The sample site built in-process as of many instants (format.md, "As of the build time"):
//! every output tells the same state, and nothing dated after the instant appears anywhere.
//!
//! What is dated comes from the site as written (`candor::check`); what each instant should
//! show is worked out here from the format's rules, never from candor's own `State`.
//!
//! Here: the instants, the build of one, and the tests; `oracle` is what the format says an instant
//! shows, `text` reads an output as a reader sees it, `checks` compares the two at one instant.

mod checks;
mod oracle;
mod text;

use crate::support::*;
use candor::model::{Incident, Site, Time};
use checks::check_instant;
use chrono::{DateTime, Duration, FixedOffset};
use oracle::{Snippet, snippets};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use text::{page_status, section_slugs, slug_of, slugs, unxml, visible};

const FIRE: &str = "2022-10-15-pangyo-data-center-fire";
const WINDOW: &str = "2022-08-23-mail-storage-maintenance";

fn t(s: &str) -> Time {
    DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .to_utc()
}

/// A KST wall-clock time of the sample: `kst("2022-10-15T15:30")`.
fn kst(s: &str) -> Time {
    t(&format!("{s}:00+09:00"))
}

fn seoul() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("KST")
}

/// An instant as messages name it.
fn show(at: Time) -> String {
    at.with_timezone(&seoul())
        .format("%Y-%m-%dT%H:%M%:z")
        .to_string()
}

/// Every 9 hours across the fire and the days after (so the instants fall at every time of
/// day: a build takes a few hundred milliseconds in debug), the maintenance window's
/// announcement and phases, and the minutes around the fire's start and end.
fn instants() -> Vec<Time> {
    let mut out: Vec<Time> = (0..=26)
        .map(|k| kst("2022-10-15T12:00") + Duration::hours(9 * k))
        .collect();
    let edges = [
        "2022-08-16T09:00",
        "2022-08-16T10:00",
        "2022-08-23T01:59",
        "2022-08-23T02:00",
        "2022-08-23T03:00",
        "2022-08-23T04:39",
        "2022-08-23T04:41",
        "2022-08-23T05:00",
        "2022-08-23T05:01",
        "2022-10-15T15:29",
        "2022-10-15T15:30",
        "2022-10-15T15:31",
        "2022-10-20T22:59",
        "2022-10-20T23:00",
        "2022-10-20T23:01",
    ];
    out.extend(edges.map(kst));
    out.sort();
    out.dedup();
    out
}

/// The sample site (a private copy), as written, with the snippets of its dated entries.
struct Sample {
    root: tempfile::TempDir,
    written: Site,
    strings: Value,
    snippets: Vec<Snippet>,
}

/// Built as of `at` into a folder of its own.
struct Built {
    at: Time,
    _dir: tempfile::TempDir,
    out: PathBuf,
}

impl Sample {
    fn new() -> Sample {
        let root = sample_site();
        let late = kst("2023-06-01T00:00");
        let unused = root.path().join("never-written");
        let written = candor::check(&options(root.path(), &unused, late))
            .unwrap_or_else(|e| panic!("the sample loads: {e}"))
            .site;
        let en = read(&repo().join("themes/default/i18n/en.yaml"));
        let strings: Value = yaml_serde::from_str(&en).expect("en.yaml");
        let snippets = snippets(&written, &strings);
        Sample {
            root,
            written,
            strings,
            snippets,
        }
    }

    fn build(&self, at: Time) -> Built {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("public");
        candor::build(&options(self.root.path(), &out, at))
            .unwrap_or_else(|e| panic!("build as of {}: {e}", show(at)));
        Built { at, _dir: dir, out }
    }

    /// A UI string of the default theme's English.
    fn word(&self, key: &str) -> &str {
        self.strings[key]
            .as_str()
            .unwrap_or_else(|| panic!("en.yaml has no {key}"))
    }

    fn incident(&self, slug: &str) -> &Incident {
        (self.written.incidents.iter())
            .find(|i| i.slug == slug)
            .unwrap_or_else(|| panic!("the sample has {slug}"))
    }
}

impl Built {
    fn raw(&self, rel: &str) -> String {
        read(&self.out.join(rel))
    }

    fn json(&self, rel: &str) -> Value {
        serde_json::from_str(&self.raw(rel))
            .unwrap_or_else(|e| panic!("{} {rel}: {e}", show(self.at)))
    }

    fn exists(&self, rel: &str) -> bool {
        self.out.join(rel).exists()
    }
}

// ---------------------------------------------------------------------------------------------

#[test]
fn every_output_tells_the_same_story_at_every_instant() {
    let sample = Sample::new();
    let updates = sample.snippets.iter().filter(|s| s.update).count();
    assert!(
        updates >= 20 && sample.snippets.len() >= 60,
        "{updates} updates, {} snippets",
        sample.snippets.len()
    );
    let mut report = Report::default();
    for at in instants() {
        let built = sample.build(at);
        check_instant(&sample, &built, &mut report);
    }
    report.finish();
}

#[test]
fn the_fire_at_its_worst() {
    let sample = Sample::new();
    let b = sample.build(kst("2022-10-16T12:00"));
    assert_eq!(
        b.json("api/v2/status.json")["status"]["indicator"],
        "critical"
    );
    let page = b.raw(&format!("incidents/{FIRE}/index.html"));
    assert!(
        page.contains("<span class=\"ongoing\">ongoing</span>"),
        "the fire page says ongoing"
    );
    let expected = "<span class=\"expected\">expected to end \
                    <time datetime=\"2022-10-20T23:00:00+09:00\">20 Oct 2022, 23:00 KST</time></span>";
    assert!(
        page.contains(expected),
        "the fire page shows its expected end"
    );
    assert_eq!(page_status(&page), Some("identified"));
    let unresolved = b.json("api/v2/incidents/unresolved.json");
    assert_eq!(
        slugs(&unresolved["incidents"]),
        BTreeSet::from([FIRE.to_owned()])
    );
    let fire = &unresolved["incidents"][0];
    assert_eq!(fire["resolved_at"], Value::Null);
    assert_eq!(fire["impact"], "critical");
    let components = b.json("api/v2/components.json");
    let talk = (components["components"].as_array().into_iter().flatten())
        .find(|c| c["name"] == "KakaoTalk")
        .expect("KakaoTalk is a component");
    assert_eq!(talk["status"], "partial_outage", "texts back since 01:31");
    assert!(section_slugs(&b.raw("index.html"), "active-h").contains(FIRE));
}

#[test]
fn before_the_fire_nothing_of_it_and_after_its_end_resolved_everywhere() {
    let sample = Sample::new();
    let fire = sample.incident(FIRE);
    let before = sample.build(kst("2022-10-15T15:29"));
    assert!(!before.exists(&format!("incidents/{FIRE}")));
    assert_eq!(
        before.json("api/v2/status.json")["status"]["indicator"],
        "none"
    );
    for rel in files(&before.out) {
        let raw = std::fs::read(before.out.join(&rel)).expect("read");
        let raw = String::from_utf8_lossy(&raw);
        assert!(!raw.contains(FIRE) && !raw.contains(&fire.title), "{rel}");
    }

    let open = sample.build(kst("2022-10-20T22:59"));
    let x = &open.json("api/v2/incidents.json")["incidents"][0];
    assert_eq!(
        (slug_of(x), &x["status"]),
        (FIRE.to_owned(), &"monitoring".into())
    );
    assert_eq!(
        open.json("api/v2/status.json")["status"]["indicator"],
        "critical"
    );

    for at in ["2022-10-20T23:00", "2022-10-20T23:01", "2022-10-25T12:00"] {
        let b = sample.build(kst(at));
        let incidents = b.json("api/v2/incidents.json");
        let x = (incidents["incidents"].as_array().into_iter().flatten())
            .find(|x| slug_of(x) == FIRE)
            .expect("the fire is listed");
        assert_eq!(x["status"], "resolved", "{at}");
        assert_eq!(x["resolved_at"], "2022-10-20T23:00:00.000+09:00", "{at}");
        for path in ["api/v2/incidents/unresolved.json", "api/v2/summary.json"] {
            let listed = slugs(&b.json(path)["incidents"]);
            assert!(listed.is_empty(), "{at} {path}: {listed:?}");
        }
        let status = b.json("api/v2/status.json");
        assert_eq!(status["status"]["indicator"], "none", "{at}");
        let components = b.json("api/v2/components.json");
        for c in components["components"].as_array().into_iter().flatten() {
            assert_eq!(c["status"], "operational", "{at} {}", c["name"]);
        }
        let page = b.raw(&format!("incidents/{FIRE}/index.html"));
        assert_eq!(page_status(&page), Some("resolved"), "{at}");
        assert!(!page.contains("class=\"ongoing\""), "{at}");
        assert!(!page.contains("class=\"expected\""), "{at}");
        assert!(
            page.contains(
                "<dt>Ended</dt><dd><time datetime=\"2022-10-20T23:00:00+09:00\">20 Oct 2022, 23:00 KST</time>"
            ),
            "{at}: the page states the end"
        );
        let index = b.raw("index.html");
        assert!(index.contains("class=\"banner banner-none\""), "{at}");
        assert!(section_slugs(&index, "active-h").is_empty(), "{at}");
        // A major incident just over stays at the top, above the services (issue 10).
        assert!(
            section_slugs(&index, "recent-major-h").contains(FIRE),
            "{at}"
        );
        let atom = unxml(&b.raw("feed.atom"));
        let entry = (atom.split("<entry>").skip(1))
            .find(|e| e.contains(FIRE))
            .expect("the fire is in the feed");
        assert!(entry.contains("<strong>Resolved</strong>"), "{at}");
        for s in &sample.written.services {
            let badge = b.raw(&format!("services/{}/badge.svg", s.id));
            assert!(badge.contains(">Operational</text>"), "{at} {}", s.id);
        }
    }
}

#[test]
fn the_maintenance_window_runs_by_its_own_times() {
    let sample = Sample::new();
    let unannounced = sample.build(kst("2022-08-16T09:00"));
    assert!(!unannounced.exists(&format!("incidents/{WINDOW}")));
    let all = unannounced.json("api/v2/scheduled-maintenances.json");
    assert_eq!(all["scheduled_maintenances"], serde_json::json!([]));

    // (instant, status, indicator)
    let phases = [
        ("2022-08-16T10:00", "scheduled", "none"),
        ("2022-08-23T01:59", "scheduled", "none"),
        ("2022-08-23T02:00", "in_progress", "maintenance"),
        ("2022-08-23T03:00", "in_progress", "maintenance"),
        ("2022-08-23T04:39", "in_progress", "maintenance"),
        // The `completed` update of 04:40 closes the window twenty minutes early.
        ("2022-08-23T04:41", "completed", "none"),
        ("2022-08-23T05:00", "completed", "none"),
        ("2022-08-23T05:01", "completed", "none"),
    ];
    for (at, status, indicator) in phases {
        let b = sample.build(kst(at));
        let page = b.raw(&format!("incidents/{WINDOW}/index.html"));
        assert_eq!(page_status(&page), Some(status), "{at}: the window's page");
        let list = |path: &str| b.json(path)["scheduled_maintenances"].clone();
        let window = &list("api/v2/scheduled-maintenances.json")[0];
        assert_eq!(slug_of(window), WINDOW, "{at}");
        assert_eq!(window["status"], status, "{at}");
        let upcoming = list("api/v2/scheduled-maintenances/upcoming.json");
        let active = list("api/v2/scheduled-maintenances/active.json");
        let (want_upcoming, want_active) = match status {
            "scheduled" => (1, 0),
            "in_progress" => (0, 1),
            _ => (0, 0),
        };
        assert_eq!(
            upcoming.as_array().map(Vec::len),
            Some(want_upcoming),
            "{at}"
        );
        assert_eq!(active.as_array().map(Vec::len), Some(want_active), "{at}");
        if want_upcoming == 1 {
            assert_eq!(upcoming[0]["status"], "scheduled", "{at}");
        }
        if want_active == 1 {
            assert_eq!(active[0]["status"], "in_progress", "{at}");
        }
        let page_status = b.json("api/v2/status.json")["status"].clone();
        assert_eq!(page_status["indicator"], indicator, "{at}");
        let description = match indicator {
            "maintenance" => "Service Under Maintenance",
            _ => "All Systems Operational",
        };
        assert_eq!(page_status["description"], description, "{at}");
        let components = b.json("api/v2/components.json");
        let mail = match status {
            "in_progress" => "under_maintenance",
            _ => "operational",
        };
        for name in ["Daum Mail", "Kakao Mail"] {
            let c = (components["components"].as_array().into_iter().flatten())
                .find(|c| c["name"] == name)
                .expect("mail components");
            assert_eq!(c["status"], mail, "{at} {name}");
        }
        let resolved_at = match status {
            "completed" => "2022-08-23T04:40:00.000+09:00".into(),
            _ => Value::Null,
        };
        assert_eq!(window["resolved_at"], resolved_at, "{at}");
        let index = b.raw("index.html");
        let listed = section_slugs(&index, "maintenance-h");
        assert_eq!(
            listed.contains(WINDOW),
            status != "completed",
            "{at}: {listed:?}"
        );
    }
}

#[test]
fn the_window_page_says_when_it_starts_ends_and_ended() {
    let sample = Sample::new();
    let facts = |at: &str| {
        let b = sample.build(kst(at));
        let page = visible(&b.raw(&format!("incidents/{WINDOW}/index.html")));
        let from = page.find("Start").expect("the facts");
        page[from..].chars().take(150).collect::<String>()
    };
    // A week ahead: when it starts and is planned to end, not "Started … Ended".
    let ahead = facts("2022-08-16T12:00");
    assert!(
        ahead.starts_with("Starts 23 Aug 2022, 02:00 KST Ends Scheduled"),
        "{ahead}"
    );
    assert!(
        ahead.contains("expected to end 23 Aug 2022, 05:00 KST Duration 3 hours"),
        "{ahead}"
    );
    // Running: ongoing so far, the planned end expected.
    let running = facts("2022-08-23T03:00");
    assert!(
        running.starts_with("Started 23 Aug 2022, 02:00 KST Ends ongoing"),
        "{running}"
    );
    // Completed twenty minutes early: it ended then, as its chart and the API say.
    let over = facts("2022-08-23T05:01");
    assert!(
        over.starts_with("Started 23 Aug 2022, 02:00 KST Ended 23 Aug 2022, 04:40 KST Duration 2 hours 40 minutes"),
        "{over}"
    );
}
