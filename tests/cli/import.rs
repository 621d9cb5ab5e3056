//! `candor import statuspage` on real Statuspage exports (`../shared/reference/statuspage/`, kept
//! in `tests/fixtures/statuspage/`): the imported site passes `check`, and its built API lists
//! the same incidents and maintenances with the same statuses, times and updates.

use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const NOW: &str = "2026-11-29T00:00:00Z";

fn export(names: &[&str]) -> Vec<PathBuf> {
    names
        .iter()
        .map(|n| fixture("statuspage").join(n))
        .collect()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn instant(v: &Value) -> Option<chrono::DateTime<chrono::Utc>> {
    v.as_str().map(|s| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .with_timezone(&chrono::Utc)
    })
}

/// `candor import statuspage SOURCE --root OUT` at `NOW`.
fn import_into(source: &Path, out: &Path) -> Run {
    candor(&[
        "import",
        "statuspage",
        &source.to_string_lossy(),
        "--root",
        &out.to_string_lossy(),
        "--now",
        NOW,
    ])
}

/// Imports `files` into a new folder and builds it; returns the site folder.
fn import_and_build(files: &[PathBuf]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_string_lossy().into_owned();
    let mut args = vec!["import", "statuspage"];
    let names: Vec<String> = files
        .iter()
        .map(|f| f.to_string_lossy().into_owned())
        .collect();
    args.extend(names.iter().map(String::as_str));
    args.extend(["--root", &root, "--now", NOW]);
    let r = candor(&args);
    assert_eq!(r.code, 0, "import {names:?}: {}", r.stderr);
    let check = candor(&["check", "--root", &root, "--now", NOW]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let build = candor(&["build", "--root", &root, "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    dir
}

/// Statuspage's status of the source as candor shows it: `postmortem` is a resolved incident,
/// a maintenance's `verifying` is still in progress.
fn shown_status(status: &str) -> &str {
    match status {
        "postmortem" => "resolved",
        "verifying" => "in_progress",
        other => other,
    }
}

/// Every component of `source` (groups aside: status.yaml has no place for a group's id) is
/// in `built` with the same id, name and creation time.
fn same_components(source: &Value, built: &Value, failures: &mut Vec<String>) {
    let built_list = built["components"].as_array().expect("list");
    for s in source["components"].as_array().expect("list") {
        if s["group"] == true {
            continue;
        }
        let name = s["name"].as_str().expect("name");
        let Some(b) = built_list.iter().find(|b| b["id"] == s["id"]) else {
            failures.push(format!("component `{name}` lost its id {}", s["id"]));
            continue;
        };
        if b["name"] != s["name"] || instant(&b["created_at"]) != instant(&s["created_at"]) {
            failures.push(format!(
                "component `{name}`: name and created_at {} {} became {} {}",
                s["name"], s["created_at"], b["name"], b["created_at"]
            ));
        }
    }
}

/// Every incident of `source[key]` is in `built[key]` under its name and start, with the same
/// id, status, resolution and updates (time, status, text), newest update first as Statuspage lists.
fn same_incidents(source: &Value, built: &Value, key: &str, failures: &mut Vec<String>) {
    let built_list = built[key].as_array().expect("list");
    for s in source[key].as_array().expect("list") {
        let name = s["name"].as_str().expect("name");
        let start = |v: &Value| {
            let at = if key == "incidents" {
                instant(&v["started_at"]).or_else(|| instant(&v["created_at"]))
            } else {
                instant(&v["scheduled_for"])
            };
            at.map(|t| t.to_rfc3339())
        };
        // Names repeat (Emma was "currently down" twice): an incident is its name and start.
        let Some(b) = built_list
            .iter()
            .find(|b| b["name"] == name && start(b) == start(s))
        else {
            failures.push(format!(
                "{key}: `{name}` starting {:?} is missing",
                start(s)
            ));
            continue;
        };
        let checks = [
            (
                "id",
                s["id"].as_str().map(str::to_owned),
                b["id"].as_str().map(str::to_owned),
            ),
            (
                "status",
                Some(shown_status(s["status"].as_str().unwrap_or_default()).to_owned()),
                b["status"].as_str().map(str::to_owned),
            ),
            (
                "resolved_at",
                instant(&s["resolved_at"]).map(|t| t.to_rfc3339()),
                instant(&b["resolved_at"]).map(|t| t.to_rfc3339()),
            ),
        ];
        for (what, want, got) in checks {
            if want != got {
                failures.push(format!("{key}: `{name}` {what}: {want:?} became {got:?}"));
            }
        }
        let updates = |v: &Value| -> Vec<(String, Option<String>, String, String)> {
            v["incident_updates"]
                .as_array()
                .expect("updates")
                .iter()
                .map(|u| {
                    let at = instant(&u["display_at"]).or_else(|| instant(&u["created_at"]));
                    (
                        u["id"].as_str().unwrap_or_default().to_owned(),
                        at.map(|t| t.to_rfc3339()),
                        shown_status(u["status"].as_str().unwrap_or_default()).to_owned(),
                        as_read(u["body"].as_str().unwrap_or_default()),
                    )
                })
                .collect()
        };
        let (mut want, mut got) = (updates(s), updates(b));
        want.sort();
        got.sort();
        if want != got {
            failures.push(format!(
                "{key}: `{name}` updates:\n  {want:?}\n  became\n  {got:?}"
            ));
        }
    }
}

/// A body as a reader reads it: Statuspage's `<br />` a line break, spaces at line ends (a
/// Markdown hard break before a blank line) dropped, as candor's plain text drops them.
fn as_read(body: &str) -> String {
    let body = body.replace("<br />", "\n");
    let lines: Vec<&str> = body.trim().lines().map(str::trim_end).collect();
    lines.join("\n")
}

#[test]
fn real_exports_import_build_and_list_the_same_incidents() {
    let mut failures = Vec::new();
    for (files, components, incidents, maintenances) in [
        (
            &[
                "githubstatus-components.json",
                "githubstatus-incidents.json",
            ][..],
            Some("githubstatus-components.json"),
            Some("githubstatus-incidents.json"),
            None,
        ),
        (
            &["emma-incidents.json"][..],
            None,
            Some("emma-incidents.json"),
            None,
        ),
        (
            &[
                "discord-components.json",
                "discord-incidents.json",
                "discord-scheduled-maintenances.json",
                "discord-summary.json",
            ][..],
            Some("discord-components.json"),
            Some("discord-incidents.json"),
            Some("discord-scheduled-maintenances.json"),
        ),
    ] {
        let site = import_and_build(&export(files));
        let api = site.path().join("public/api/v2");
        if let Some(source) = components {
            let source = json(&fixture("statuspage").join(source));
            same_components(&source, &json(&api.join("components.json")), &mut failures);
        }
        if let Some(source) = incidents {
            let source = json(&fixture("statuspage").join(source));
            same_incidents(
                &source,
                &json(&api.join("incidents.json")),
                "incidents",
                &mut failures,
            );
        }
        if let Some(source) = maintenances {
            let source = json(&fixture("statuspage").join(source));
            let built = json(&api.join("scheduled-maintenances.json"));
            same_incidents(&source, &built, "scheduled_maintenances", &mut failures);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Components become services in their order, grouped as Statuspage grouped them, counted from
/// their creation (kept with their ids); a transition of a component becomes that service's impact, stages and
/// restoration.
#[test]
fn components_and_their_transitions_become_services() {
    let site = import_and_build(&export(&["hashicorp-components.json"]));
    let status: Value =
        yaml_serde::from_str(&read(&site.path().join("status.yaml"))).expect("yaml");
    let services = status["services"].as_array().expect("services");
    let consul = services
        .iter()
        .find(|s| s["name"].as_str() == Some("Consul"))
        .expect("Consul");
    assert_eq!(
        consul["group"].as_str(),
        Some("HashiCorp Cloud Platform (HCP)")
    );
    assert_eq!(consul["since"].as_str(), Some("2021-01-14T17:04:09.051Z"));
    assert_eq!(consul["component_id"].as_str(), Some("b4pr9x7288zy"));
    assert!(
        !services
            .iter()
            .any(|s| s["name"].as_str() == Some("HashiCorp Cloud Platform (HCP)")),
        "a group is not a service"
    );
    let site = import_and_build(&export(&[
        "githubstatus-components.json",
        "githubstatus-incidents.json",
    ]));
    let fire = site
        .path()
        .join("incidents/2024-09-16-incident-with-pages-and-actions.yaml");
    let incident: Value = yaml_serde::from_str(&read(&fire)).expect("yaml");
    let actions = incident["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["id"].as_str() == Some("actions"))
        .expect("actions");
    assert_eq!(actions["impact"].as_str(), Some("partial_outage"));
    let stages: Vec<&str> = actions["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .filter_map(|s| s["impact"].as_str())
        .collect();
    assert_eq!(stages, ["major_outage", "partial_outage"]);
    assert_eq!(
        actions["restored"].as_str(),
        Some("2024-09-16T22:08:39.333Z")
    );
}

#[test]
fn a_site_is_never_overwritten_and_bad_exports_are_refused() {
    let site = copy_site(&fixture("input/site"));
    let root = site.path().to_string_lossy().into_owned();
    let before = read(&site.path().join("status.yaml"));
    let file = fixture("statuspage/emma-incidents.json")
        .to_string_lossy()
        .into_owned();
    let r = candor(&["import", "statuspage", &file, "--root", &root, "--now", NOW]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("already has a status.yaml"),
        "{}",
        r.stderr
    );
    assert_eq!(read(&site.path().join("status.yaml")), before);

    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("incidents.json");
    std::fs::write(&bad, "{\"incidents\": [{\"name\": 1}]}").expect("write");
    let out = dir.path().join("site");
    let r = import_into(&bad, &out);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("incidents.json") && r.stderr.contains("line 1"),
        "{}",
        r.stderr
    );
    assert!(!out.exists(), "nothing written");
}

/// A folder holding several pages' exports is refused, naming each page and its files, and
/// saying how to import one; nothing is written.
#[test]
fn several_pages_exports_are_refused_not_merged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("site");
    let r = import_into(&fixture("statuspage"), &out);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for said in [
        "4 different pages",
        "`GitHub` (id kctbh9vrtdwd: githubstatus-components.json, githubstatus-incidents.json)",
        "`Emma` (id 4lzycl8t1x0c: emma-incidents.json)",
        "import one page at a time",
    ] {
        assert!(r.stderr.contains(said), "{said}: {}", r.stderr);
    }
    assert!(!out.exists(), "nothing written");
}

/// A transition naming a component the export lacks is said once per component, with how many
/// updates name it, not once per update.
#[test]
fn an_unknown_component_is_reported_once_with_its_count() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut export = json(&fixture("statuspage/githubstatus-incidents.json"));
    for i in export["incidents"].as_array_mut().expect("incidents") {
        i.as_object_mut().expect("incident").remove("components");
    }
    let file = dir.path().join("incidents.json");
    std::fs::write(&file, export.to_string()).expect("write");
    let out = dir.path().join("site");
    let r = import_into(&file, &out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let actions: Vec<&str> = (r.stderr.lines())
        .filter(|l| l.contains("component br0l2tvcx85d (Actions) is unknown"))
        .collect();
    assert_eq!(actions.len(), 1, "{}", r.stderr);
    assert!(
        actions[0].contains("6 updates of incident 69sb0f8lydp4 name it"),
        "{}",
        r.stderr
    );
}
