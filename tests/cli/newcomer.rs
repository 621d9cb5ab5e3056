//! What a newcomer meets first (issue 15, as a new user tried it): `init` counts uptime from
//! today and shows an example that fits its first day; a maintenance window is written with
//! maintenance words only; `--note` alone says what to add; the incident page tells the end of
//! an incident once.

use crate::support::*;
use std::path::Path;

/// 2026-11-30T23:50:00Z, the clock of the first build.
const NOW_EPOCH: i64 = 1_796_082_600;

#[test]
fn init_counts_uptime_from_today_and_its_example_is_tomorrow() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("status");
    let root_s = root.to_string_lossy().into_owned();
    // Late in the day, when an example "earlier today" or two days back would not fit.
    let now = "2026-11-30T23:50:00Z";
    let run = candor(&["init", &root_s, "--now", now]);
    run.exits(0);
    let status = read(&root.join("status.yaml"));
    assert_eq!(status.matches("since: 2026-11-30 ").count(), 3, "{status}");
    let example = root.join("incidents/2026-12-01-example-maintenance.yaml");
    assert!(
        run.stdout.contains("2026-12-01-example-maintenance.yaml"),
        "{}",
        run.stdout
    );
    let text = read(&example);
    assert!(text.contains("kind: maintenance"), "{text}");
    assert!(
        text.contains("  - at: 2026-11-30T23:50:00Z\n    status: scheduled"),
        "{text}"
    );

    let out = tempfile::tempdir().expect("tempdir");
    let args = [
        "build",
        "--output",
        &out.path().to_string_lossy(),
        "--now",
        now,
    ];
    candor_in(&root, NOW_EPOCH, &args).exits(0).warns_nothing();
    let index = read(&out.path().join("index.html"));
    assert!(
        index.contains("Example: database upgrade"),
        "the window is announced"
    );
    // Today's bar counts (it is the site's first day); the 89 days before it have no data.
    let api = read(&out.path().join("api/v2/components.json"));
    assert!(
        api.contains("\"status\": \"operational\"") || api.contains("\"status\":\"operational\""),
        "{api}"
    );
    check_strict(&root, now);
}

/// `candor check --strict --now NOW` passes on `root`.
fn check_strict(root: &Path, now: &str) {
    candor(&[
        "check",
        "--strict",
        "--root",
        &root.to_string_lossy(),
        "--now",
        now,
    ])
    .exits(0)
    .warns_nothing();
}

#[test]
fn a_maintenance_window_speaks_of_maintenance_only() {
    let site = copy_site(&fixture("said"));
    let window = [
        "Switch upgrade",
        "--maintenance",
        "--start",
        "2026-12-02 01:00",
        "--end",
        "2026-12-02 03:00",
        "--service",
        "voice",
        "--now",
        "2026-11-30 10:00",
    ];
    let before = files(site.path());
    let mut outage = window.to_vec();
    outage.extend_from_slice(&["--impact", "major_outage"]);
    at_root(site.path(), "new", &outage)
        .exits(2)
        .says("a maintenance window's impact is `under_maintenance`, not `major_outage`")
        .says("leave out --impact")
        .says("nothing was written");
    assert_eq!(files(site.path()), before);
    let run = at_root(site.path(), "new", &window);
    run.exits(0).warns_nothing();
    let text = read(&site.path().join("incidents/2026-12-02-switch-upgrade.yaml"));
    assert!(text.contains("impact: under_maintenance"), "{text}");
    for outage_word in ["major_outage", "partial_outage", "degraded_performance"] {
        assert!(!text.contains(outage_word), "{outage_word} in:\n{text}");
    }
}

#[test]
fn a_note_without_an_impact_says_what_to_add() {
    let site = copy_site(&fixture("said"));
    let args = [
        "2026-11-29-calls-down",
        "--note",
        "Ontario only",
        "--now",
        "2026-11-29 08:00",
    ];
    at_root(site.path(), "update", &args)
        .exits(2)
        .says("--note explains a change of impact, and no --impact is given")
        .says("`--impact voice=partial_outage --note TEXT`")
        .says("`--message TEXT`");
}

#[test]
fn the_incident_page_tells_its_resolution_once() {
    let site = copy_site(&fixture("said"));
    let out = tempfile::tempdir().expect("tempdir");
    build(site.path(), out.path(), "2026-11-30 10:00");
    let page = read(
        &out.path()
            .join("incidents/2026-11-29-calls-down/index.html"),
    );
    let timeline = &page[page.find("<ol class=\"timeline\">").expect("a timeline")..];
    let timeline = &timeline[..timeline.find("</ol>").expect("closed")];
    assert!(timeline.contains("tl-update lvl-resolved"), "{timeline}");
    assert!(
        !timeline.contains("tl-end"),
        "one row for the resolution:\n{timeline}"
    );
}

#[test]
fn a_note_after_the_end_reads_as_a_follow_up_not_a_second_resolution() {
    let site = copy_site(&fixture("said"));
    let args = [
        "2026-11-29-calls-down",
        "--message",
        "Our preliminary report is online.",
        "--now",
        "2026-11-30 09:00",
    ];
    at_root(site.path(), "update", &args).exits(0);
    let out = tempfile::tempdir().expect("tempdir");
    build(site.path(), out.path(), "2026-11-30 10:00");
    let page = read(
        &out.path()
            .join("incidents/2026-11-29-calls-down/index.html"),
    );
    let row_of = |text: &str| {
        let at = page.rfind(text).expect("in the timeline");
        page[page[..at].rfind("<li").expect("its row")..at].to_owned()
    };
    let note = row_of("Our preliminary report is online.");
    assert!(note.contains(">Follow-up<"), "{note}");
    let resolution = row_of("Calls work again.");
    assert!(resolution.contains(">Resolved<"), "{resolution}");
}
