//! The static `api/v2/` as a Statuspage drop-in: every endpoint of the sample (before, during
//! and after the outage, and while a window runs) and of the real-outage fixtures passes the
//! JSON Schemas in `tests/schemas/`, which the real Statuspage responses pass too; updates say
//! what changed for each component; ids survive a domain move; `page_id` and `id:` are checked.

use crate::support::*;
use jsonschema::{Registry, Validator};
use serde_json::Value;
use std::path::Path;

const DURING: &str = "2022-10-16T12:00:00+09:00";
const AFTER: &str = "2022-11-30T00:00:00+09:00";
/// The mail storage window of the sample is in progress.
const WINDOW: &str = "2022-08-23T03:00:00+09:00";

/// The schema of an endpoint, by its path under `api/v2/` (or a sample's endpoint part).
fn schema_name(endpoint: &str) -> &'static str {
    let endpoint = endpoint.trim_end_matches(".json");
    match endpoint {
        "summary" => "summary",
        "status" => "status",
        "components" => "components",
        e if e.starts_with("incidents") => "incidents",
        e if e.starts_with("scheduled-maintenances") => "scheduled-maintenances",
        other => panic!("no schema for endpoint {other}"),
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

struct Schemas {
    validators: Vec<(&'static str, Validator)>,
}

impl Schemas {
    fn load() -> Schemas {
        let dir = repo().join("tests/schemas");
        let common = read_json(&dir.join("common.json"));
        let registry = Registry::new()
            .add("https://candor.invalid/schemas/common.json", common)
            .expect("common.json is a schema")
            .prepare()
            .expect("the registry");
        let names = [
            "summary",
            "status",
            "components",
            "incidents",
            "scheduled-maintenances",
        ];
        let validators = names
            .into_iter()
            .map(|name| {
                let schema = read_json(&dir.join(format!("{name}.json")));
                let validator = jsonschema::options()
                    .with_registry(&registry)
                    .build(&schema)
                    .unwrap_or_else(|e| panic!("{name}.json: {e}"));
                (name, validator)
            })
            .collect();
        Schemas { validators }
    }

    /// Every way `doc` breaks the schema of `endpoint`, one line each.
    fn errors(&self, endpoint: &str, doc: &Value) -> Vec<String> {
        let name = schema_name(endpoint);
        let (_, validator) = (self.validators.iter())
            .find(|(n, _)| *n == name)
            .expect("a validator per schema");
        (validator.iter_errors(doc))
            .map(|e| format!("{endpoint} at {}: {e}", e.instance_path()))
            .take(5)
            .collect()
    }

    /// Every file under `out/api/v2/` passes its endpoint's schema; returns how many.
    fn check_built(&self, out: &Path, what: &str) -> usize {
        let api = out.join("api/v2");
        let endpoints = files(&api);
        assert_eq!(endpoints.len(), 8, "{what}: {endpoints:?}");
        let mut problems = Vec::new();
        for endpoint in &endpoints {
            problems.extend(self.errors(endpoint, &read_json(&api.join(endpoint))));
        }
        assert!(problems.is_empty(), "{what}:\n{}", problems.join("\n"));
        endpoints.len()
    }
}

#[test]
fn the_real_statuspage_responses_pass_the_schemas() {
    let schemas = Schemas::load();
    let dir = fixture("statuspage");
    let mut checked = 0;
    for name in files(&dir).iter().filter(|n| n.ends_with(".json")) {
        // `discord-incidents-unresolved.json` → `incidents-unresolved`.
        let endpoint = name.split_once('-').map_or(name.as_str(), |(_, e)| e);
        let problems = schemas.errors(endpoint, &read_json(&dir.join(name)));
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
        checked += 1;
    }
    assert_eq!(checked, 12);
    // The schemas refuse what no Statuspage client expects.
    let real = read_json(&dir.join("discord-incidents.json"));
    let broken = [
        ("/incidents/0/impact", Value::from("maintenance")),
        ("/incidents/0/status", Value::from("closed")),
        (
            "/incidents/0/created_at",
            Value::from("2022-02-15T13:14:17-08:00"),
        ),
        ("/incidents/0/id", Value::from("2022-02-15-outage")),
        (
            "/incidents/0/incident_updates/0/affected_components",
            Value::Array(vec![]),
        ),
        ("/page/url", Value::from("https://discordstatus.com/")),
    ];
    for (pointer, value) in broken {
        let mut doc = real.clone();
        *doc.pointer_mut(pointer).expect(pointer) = value;
        assert!(
            !schemas.errors("incidents", &doc).is_empty(),
            "{pointer} passed"
        );
    }
}

#[test]
fn every_endpoint_of_the_sample_and_the_real_outages_passes_the_schemas() {
    let schemas = Schemas::load();
    let site = sample_site();
    for now in ["2022-01-01T00:00:00+09:00", WINDOW, DURING, AFTER] {
        let out = site.path().join(format!("public-{}", &now[..10]));
        build(site.path(), &out, now);
        schemas.check_built(&out, &format!("the sample at {now}"));
    }
    let real = [
        "cloudflare-2019",
        "crowdstrike-2024",
        "facebook-2021",
        "fastly-2021",
    ];
    let others = ["escaping/site", "hostile", "themed", "output/small"];
    let cases = (real.iter().map(|c| format!("real/{c}"))).chain(others.map(str::to_owned));
    for case in cases {
        let site = copy_site(&fixture(&case));
        let out = site.path().join("public");
        build(site.path(), &out, "2030-01-01T00:00:00Z");
        schemas.check_built(&out, &case);
    }
}

/// The fire as the API told it: the `affected_components` of its updates, oldest first.
fn fire_updates(out: &Path) -> (Value, Vec<Value>) {
    let incidents = read_json(&out.join("api/v2/incidents.json"));
    let fire = (incidents["incidents"].as_array().expect("a list").iter())
        .find(|i| i["name"].as_str().is_some_and(|n| n.contains("Pangyo")))
        .expect("the fire is listed")
        .clone();
    let mut updates = fire["incident_updates"]
        .as_array()
        .expect("updates")
        .clone();
    updates.reverse();
    (fire, updates)
}

/// `(old, new)` of the component `name` in an update, if it lists it.
fn change(update: &Value, name: &str) -> Option<(String, String)> {
    let list = update["affected_components"].as_array()?;
    let c = list.iter().find(|c| c["name"] == name)?;
    Some((
        c["old_status"].as_str()?.to_owned(),
        c["new_status"].as_str()?.to_owned(),
    ))
}

fn pair(old: &str, new: &str) -> Option<(String, String)> {
    Some((old.to_owned(), new.to_owned()))
}

#[test]
fn updates_tell_each_stage_and_restoration_of_the_fire() {
    let site = sample_site();
    // With a postmortem (undated: shown from the incident's end on).
    let file = site
        .path()
        .join("incidents/2022-10-15-pangyo-data-center-fire.yaml");
    let text = read(&file);
    let postmortem = "postmortem: |\n  Kakao presented its cause report at if(kakao)dev 2022.\n";
    std::fs::write(&file, format!("{text}{postmortem}")).expect("write");
    let during = site.path().join("during");
    build(site.path(), &during, DURING);
    let (fire, updates) = fire_updates(&during);
    assert_eq!(fire["status"], "identified");
    // 16:12, the first notice: KakaoTalk went down with the fire.
    assert_eq!(
        change(&updates[0], "KakaoTalk"),
        pair("operational", "major_outage")
    );
    // Texts came back at 01:31, between the 20:31 and 02:16 updates: told at 02:16.
    assert_eq!(
        change(&updates[1], "KakaoTalk"),
        pair("major_outage", "major_outage")
    );
    assert_eq!(
        change(&updates[2], "KakaoTalk"),
        pair("major_outage", "partial_outage")
    );
    // KakaoPay's 08:00 stage and the 08:00 update are one post.
    assert_eq!(
        change(&updates[4], "KakaoPay"),
        pair("major_outage", "partial_outage")
    );
    // Nothing of the 14:30 stages yet, as of noon.
    assert_eq!(updates.len(), 5);

    let after = site.path().join("after");
    build(site.path(), &after, AFTER);
    let (fire, updates) = fire_updates(&after);
    assert_eq!(fire["status"], "postmortem");
    assert_eq!(
        fire["postmortem_published_at"],
        "2022-10-20T23:00:00.000+09:00"
    );
    assert!(
        fire["postmortem_body"]
            .as_str()
            .is_some_and(|b| b.contains("if(kakao)dev"))
    );
    let last = updates.last().expect("the resolved update");
    assert_eq!(last["status"], "resolved");
    assert_eq!(
        change(last, "Talk Drawer"),
        pair("major_outage", "operational")
    );
    assert_eq!(
        change(last, "Daum"),
        pair("degraded_performance", "operational")
    );
    // KakaoTalk: down, partial at 01:31, degraded at 21:30 on the 16th, back at 15:00 on the
    // 17th: each step is some update's new status, in order.
    let steps: Vec<String> = (updates.iter())
        .filter_map(|u| change(u, "KakaoTalk"))
        .filter(|(old, new)| old != new || old == "operational" && new != "operational")
        .map(|(_, new)| new)
        .collect();
    assert_eq!(
        steps,
        [
            "major_outage",
            "partial_outage",
            "degraded_performance",
            "operational"
        ]
    );
    // The window: its components go under maintenance when it starts and come back at its end.
    let windows = read_json(&after.join("api/v2/scheduled-maintenances.json"));
    let window = &windows["scheduled_maintenances"][0];
    assert_eq!(window["impact"], "none");
    let mut steps = window["incident_updates"]
        .as_array()
        .expect("updates")
        .clone();
    steps.reverse();
    let mail: Vec<_> = steps.iter().map(|u| change(u, "Daum Mail")).collect();
    assert_eq!(
        mail,
        [
            pair("operational", "operational"),
            pair("operational", "under_maintenance"),
            pair("under_maintenance", "operational"),
        ]
    );
}

/// Every id in an API file, in document order.
fn ids(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                match (k.as_str(), x) {
                    ("id" | "page_id" | "incident_id" | "group_id" | "code", Value::String(s)) => {
                        out.push(s.clone())
                    }
                    _ => ids(x, out),
                }
            }
        }
        Value::Array(list) => list.iter().for_each(|x| ids(x, out)),
        _ => {}
    }
}

#[test]
fn ids_survive_a_move_to_another_domain_and_to_https() {
    let site = sample_site();
    let api_ids = |base: &str| {
        let out = site.path().join(base.replace([':', '/'], "_"));
        let run = candor(&[
            "build",
            "--root",
            &site.path().to_string_lossy(),
            "--output",
            &out.to_string_lossy(),
            "--now",
            AFTER,
            "--base-url",
            base,
        ]);
        run.exits(0);
        let mut found = Vec::new();
        for endpoint in files(&out.join("api/v2")) {
            ids(&read_json(&out.join("api/v2").join(&endpoint)), &mut found);
        }
        let calendar = read(&out.join("maintenance.ics"));
        let uids: Vec<String> = (calendar.lines())
            .filter(|l| l.starts_with("UID:"))
            .map(str::to_owned)
            .collect();
        (found, uids)
    };
    let (old, old_uids) = api_ids("http://status.example.com/");
    let (new, new_uids) = api_ids("https://status.example.org/kakao/");
    assert!(old.len() > 100, "{}", old.len());
    assert_eq!(old, new);
    assert_eq!(old_uids, new_uids);
}

#[test]
fn page_id_and_incident_ids_are_checked_and_kept() {
    let site = sample_site();
    let status = site.path().join("status.yaml");
    let text = read(&status).replace(
        "\ntitle:\n  en: Kakao Status\n",
        "\npage_id: Kakao\ntitle:\n  en: Kakao Status\n",
    );
    std::fs::write(&status, &text).expect("write");
    let fire = site
        .path()
        .join("incidents/2022-10-15-pangyo-data-center-fire.yaml");
    let incident = read(&fire);
    std::fs::write(&fire, format!("id: 69sb0f8lydp\n{incident}")).expect("write");
    let map = site
        .path()
        .join("incidents/2022-10-11-kakao-map-transit-directions.yaml");
    let other = read(&map);
    std::fs::write(&map, format!("id: 69sb0f8lydp4\n{other}")).expect("write");
    let taxi = site
        .path()
        .join("incidents/2022-09-20-kakao-t-slow-taxi-dispatch.yaml");
    let third = read(&taxi);
    std::fs::write(&taxi, format!("id: 69sb0f8lydp4\n{third}")).expect("write");
    let run = on_site("check", site.path(), AFTER);
    run.exits(1)
        .says("`Kakao` is not a Statuspage id")
        .says("status.yaml:9:10")
        .says("`69sb0f8lydp` is not a Statuspage id")
        .says("write 12 lowercase letters and digits")
        .says("`id: 69sb0f8lydp4` is already the id of incidents/2022-09-20-kakao-t-slow-taxi-dispatch.yaml");

    std::fs::write(
        &status,
        text.replace("page_id: Kakao", "page_id: kctbh9vrtdwd"),
    )
    .expect("write");
    std::fs::write(&fire, format!("id: 69sb0f8lydp4\n{incident}")).expect("write");
    std::fs::write(&map, &other).expect("write");
    std::fs::write(&taxi, &third).expect("write");
    let out = site.path().join("public");
    build(site.path(), &out, AFTER);
    let (fire, _) = fire_updates(&out);
    assert_eq!(fire["id"], "69sb0f8lydp4");
    assert_eq!(fire["page_id"], "kctbh9vrtdwd");
    let status = read_json(&out.join("api/v2/status.json"));
    assert_eq!(status["page"]["id"], "kctbh9vrtdwd");
}

#[test]
fn a_component_without_since_is_dated_by_the_data_not_the_build_time() {
    let site = sample_site();
    let mut stamps = Vec::new();
    // Both long after everything the sample names: only the clock differs.
    for now in ["2030-01-01T00:00:00+09:00", "2031-05-05T00:00:00+09:00"] {
        let out = site.path().join(format!("public-{}", &now[..4]));
        build(site.path(), &out, now);
        let components = read_json(&out.join("api/v2/components.json"));
        let account = (components["components"].as_array().expect("rows").iter())
            .find(|c| c["name"] == "Kakao Account")
            .expect("Kakao Account")
            .clone();
        stamps.push((
            account["created_at"].clone(),
            account["updated_at"].clone(),
            components["page"]["updated_at"].clone(),
        ));
    }
    assert_eq!(stamps[0], stamps[1], "no stamp moves with the clock");
}

#[test]
fn a_site_with_nothing_dated_yet_has_the_same_api_at_any_instant_before_it() {
    let site = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        site.path().join("status.yaml"),
        "title: Quiet\nbase_url: https://quiet.example/\nservices:\n  - { id: web, name: Web }\n",
    )
    .expect("write");
    std::fs::create_dir(site.path().join("incidents")).expect("mkdir");
    std::fs::write(
        site.path().join("incidents/2030-01-01-upgrade.yaml"),
        "title: Upgrade\nkind: maintenance\nstart: 2030-01-01T02:00:00Z\nend: 2030-01-01T04:00:00Z\n\
         services:\n  - { id: web }\n",
    )
    .expect("write");
    let api = |now: &str| {
        let out = site.path().join(format!("public-{}", &now[..4]));
        build(site.path(), &out, now);
        (files(&out.join("api/v2")).into_iter())
            .map(|f| read(&out.join("api/v2").join(&f)))
            .collect::<Vec<_>>()
    };
    let first = api("2025-06-01T00:00:00Z");
    assert_eq!(
        first,
        api("2027-03-04T05:06:07Z"),
        "no stamp comes from the build time"
    );
    assert!(!first.concat().contains("2025-06-01"));
}
