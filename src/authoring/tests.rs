//! Tests of the public functions on real folders: what they write, that it checks clean with
//! `--strict`, and that a refused command writes nothing. Helpers here serve the submodules too.
//! Never touch the repository's own files: every test works on a copy in a temporary folder.

use super::template::STATUS_YAML;
use super::*;
use chrono::{DateTime, Utc};
use std::fs;

/// An instant from RFC 3339.
pub(super) fn utc(s: &str) -> Time {
    DateTime::parse_from_rfc3339(s)
        .expect("test time")
        .with_timezone(&Utc)
}

/// A site folder holding only `status.yaml` with `status_yaml`.
pub(super) fn site_with(status_yaml: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("tempdir");
    fs::write(site.path().join("status.yaml"), status_yaml).expect("write");
    site
}

/// What `candor new "TITLE" --now NOW` asks for.
pub(super) fn spec(title: &str, now: Time) -> NewIncident<'_> {
    NewIncident {
        title,
        services: &[],
        impacts: &[],
        start: now,
        end: None,
        severity: None,
        summary: None,
        message: None,
        maintenance: false,
    }
}

/// `candor new` with one `--service` and `--impact` per pair.
pub(super) fn new_with(
    root: &Path,
    title: &str,
    pairs: &[(String, String)],
    now: Time,
) -> Result<Written, AuthoringError> {
    let services: Vec<String> = pairs.iter().map(|p| p.0.clone()).collect();
    let impacts: Vec<String> = pairs.iter().map(|p| p.1.clone()).collect();
    new_incident(
        root,
        &NewIncident {
            services: &services,
            impacts: &impacts,
            ..spec(title, now)
        },
        now,
    )
}

/// `candor check --strict` on `root` at `now`.
fn check(root: &Path, now: Time) -> Result<crate::load::Loaded, crate::error::Error> {
    crate::check(&crate::Options {
        root: root.to_path_buf(),
        output: root.join("public"),
        base_url: None,
        now,
        clock: now,
        drafts: false,
        strict: true,
    })
}

#[test]
fn a_new_incident_checks_clean_and_never_replaces_a_file() {
    let site = site_with(STATUS_YAML);
    let now = utc("2024-03-10T23:30:15.5Z");
    let services = [
        ("api".to_owned(), "partial_outage".to_owned()),
        ("website".to_owned(), "major_outage".to_owned()),
    ];
    let title = "API: errors \"500\" # bad";
    let path = new_with(site.path(), title, &services, now)
        .expect("new")
        .paths
        .remove(0);
    assert_eq!(
        path,
        site.path()
            .join("incidents/2024-03-10-api-errors-500-bad.yaml")
    );
    let text = fs::read_to_string(&path).expect("read");
    assert!(
        text.contains("severity: major") && text.contains("start: 2024-03-10T23:30:15Z"),
        "{text}"
    );
    assert!(text.contains("problems with API and Website."), "{text}");
    let loaded = check(site.path(), now).expect("checks with --strict");
    assert_eq!(
        loaded.site.incidents.first().map(|i| i.title.as_str()),
        Some(title)
    );

    let again = new_with(site.path(), title, &[], now)
        .expect("new")
        .paths
        .remove(0);
    assert_eq!(
        again,
        site.path()
            .join("incidents/2024-03-10-api-errors-500-bad-2.yaml")
    );
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        text,
        "the first file is untouched"
    );
    check(site.path(), now).expect("an incident without services checks too");
}

#[test]
fn a_new_incident_uses_the_site_zone_for_name_and_times() {
    let site = site_with(&STATUS_YAML.replace("timezone: UTC", "timezone: Asia/Seoul"));
    let path = new_with(site.path(), "Fire", &[], utc("2022-10-15T06:30:00Z"))
        .expect("new")
        .paths
        .remove(0);
    assert!(path.ends_with("2022-10-15-fire.yaml"));
    let path = new_with(site.path(), "Late", &[], utc("2022-10-15T15:30:00Z"))
        .expect("new")
        .paths
        .remove(0);
    assert!(path.ends_with("2022-10-16-late.yaml"), "{}", path.display());
    assert!(
        fs::read_to_string(path)
            .expect("read")
            .contains("start: 2022-10-16T00:30:00+09:00")
    );
}

#[test]
fn unknown_services_and_impacts_are_named() {
    let site = site_with(STATUS_YAML);
    let now = utc("2024-01-01T00:00:00Z");
    let err = new_with(
        site.path(),
        "X",
        &[("apii".into(), "major_outage".into())],
        now,
    )
    .expect_err("service");
    assert!(err.help().is_some_and(
        |h| h.contains("did you mean `api`?") && h.contains("website, api, dashboard")
    ));
    let err =
        new_with(site.path(), "X", &[("api".into(), "down".into())], now).expect_err("impact");
    assert!(
        err.help().is_some_and(|h| h.contains("partial_outage")),
        "{:?}",
        err.help()
    );
    let err = new::pair_impacts(&NewIncident {
        services: &["api".into()],
        impacts: &["major_outage".into(), "partial_outage".into()],
        ..spec("X", now)
    });
    assert!(matches!(err, Err(AuthoringError::Invalid { .. })));
    assert!(
        !site.path().join("incidents").exists(),
        "nothing was written"
    );
}

#[test]
fn update_and_restored_edit_the_file_once_and_it_still_checks() {
    let site = site_with(STATUS_YAML);
    let start = utc("2024-03-10T10:00:00Z");
    let path = new_with(
        site.path(),
        "Slow API",
        &[("api".into(), "partial_outage".into())],
        start,
    )
    .expect("new")
    .paths
    .remove(0);
    let slug = path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("stem")
        .to_owned();
    let before = fs::read_to_string(&path).expect("read");
    let later = utc("2024-03-10T11:00:00Z");
    let bad = [
        Edit::Restored {
            service: "api",
            force: false,
        },
        Edit::Update {
            status: Some("fixed"),
            message: "x",
        },
    ];
    assert!(edit_incident(site.path(), &slug, &bad, later).is_err());
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        before,
        "a refused edit writes nothing"
    );
    let edits = [
        Edit::Restored {
            service: "api",
            force: false,
        },
        Edit::Update {
            status: Some("resolved"),
            message: "Fixed.",
        },
    ];
    edit_incident(site.path(), &slug, &edits, later).expect("edit");
    let after = fs::read_to_string(&path).expect("read");
    assert!(
        after.contains("    restored: 2024-03-10T11:00:00Z\n"),
        "{after}"
    );
    let loaded = check(site.path(), later).expect("checks");
    assert_eq!(
        loaded.site.incidents.first().and_then(|i| i.end),
        Some(later),
        "resolved by the update"
    );
}

#[test]
fn init_makes_a_site_that_checks_without_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("status");
    let now = utc("2024-03-01T00:20:00Z");
    let written = init(&root, now).expect("init").paths;
    assert_eq!(written.len(), 4, "{written:?}");
    assert!(root.join(".github/workflows/status.yml").is_file());
    assert_eq!(
        fs::read_to_string(root.join(".gitignore")).expect("read"),
        "/public\n/.candor-*\n"
    );
    assert!(
        root.join("incidents/2024-03-02-example-maintenance.yaml")
            .is_file()
    );
    let loaded = check(&root, now).expect("checks with --strict");
    assert_eq!(loaded.site.incidents.len(), 1);
    assert!(matches!(
        init(&root, now),
        Err(AuthoringError::SiteExists(_))
    ));

    let other = dir.path().join("other");
    fs::create_dir_all(&other).expect("mkdir");
    fs::write(other.join(".gitignore"), "target\n").expect("write");
    assert_eq!(
        init(&other, now).expect("init").paths.len(),
        3,
        "an existing .gitignore is kept"
    );
    assert_eq!(
        fs::read_to_string(other.join(".gitignore")).expect("read"),
        "target\n"
    );
}

#[test]
fn a_status_yaml_with_errors_is_refused_and_nothing_is_written() {
    let site = site_with(&STATUS_YAML.replace("timezone: UTC", "timezone: Asia/Seol"));
    let err = new_with(site.path(), "Fire", &[], utc("2024-01-01T00:00:00Z"))
        .expect_err("a wrong zone would date the file wrongly");
    assert!(
        matches!(&err, AuthoringError::Refused { before: true, diagnostics, .. }
            if diagnostics.iter().any(|d| d.message == "unknown timezone `Asia/Seol`")),
        "{err}"
    );
    assert!(!site.path().join("incidents").exists(), "nothing written");
}
