//! Tests of the API files on the shared sample site: ids, timestamps, order, groups, the
//! maintenance lists and Statuspage's key order. They read the output files, never the disk.

use super::api_files;
use super::shapes::stamp;
use crate::model::state::State;
use crate::render::OutputFile;
use crate::render::fixture::{NOW, sample_site, t};
use chrono_tz::Tz;
use serde_json::Value;

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
    // Moved to another domain and to https: every id stays, so no bot reposts anything.
    let mut moved = site.clone();
    moved.config.base_url = "http://moved.example/status/".to_owned();
    let moved = api_files(&State::at(&moved, t(NOW)));
    let mut again = Vec::new();
    for f in &moved {
        ids(
            &json(&moved, f.path.trim_start_matches("api/v2/")),
            &mut again,
        );
    }
    assert_eq!(found, again);
    // Another site (another title, or another `page_id`) has ids of its own.
    let mut other = site.clone();
    other.config.title = "Another status page".to_owned();
    let other = json(&api_files(&State::at(&other, t(NOW))), "status.json");
    assert_ne!(
        other["page"]["id"],
        json(&files, "status.json")["page"]["id"]
    );
}

#[test]
fn page_id_and_an_incident_id_as_written_are_kept() {
    let mut site = sample_site();
    site.config.page_id = Some("kctbh9vrtdwd".to_owned());
    for i in &mut site.incidents {
        let i = std::sync::Arc::make_mut(i);
        if i.kind == crate::model::Kind::Incident {
            i.id = Some("69sb0f8lydp4".to_owned());
            break;
        }
    }
    let files = api_files(&State::at(&site, t(NOW)));
    let incidents = json(&files, "incidents.json");
    assert_eq!(incidents["page"]["id"], "kctbh9vrtdwd");
    let first = &incidents["incidents"][0];
    assert_eq!(first["id"], "69sb0f8lydp4");
    assert_eq!(first["page_id"], "kctbh9vrtdwd");
    for u in first["incident_updates"].as_array().expect("updates") {
        assert_eq!(u["incident_id"], "69sb0f8lydp4");
    }
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
    assert_eq!(upcoming[0]["impact"], "none");
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
