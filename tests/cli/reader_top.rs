//! The top of the page as a worried reader reads it (issue 10, session 4): the headline follows
//! what is down now, an open incident says when it is expected to be over or that no time was
//! given, and 404.html leads home to base_url: right at any depth, on any host and from disk.

use crate::support::{build, read, repo};
use std::fs;
use std::path::Path;

fn banner_text(html: &str) -> &str {
    let start = html.find("class=\"banner-text\">").expect("a banner") + 20;
    let end = html[start..].find('<').expect("banner text ends") + start;
    &html[start..end]
}

/// A two-service site under a subpath, with one open incident hitting `hit` services.
fn site(dir: &Path, hit: &[&str], end: Option<&str>) {
    fs::write(
        dir.join("status.yaml"),
        "title: Tiny\nbase_url: https://org.github.io/status/\ntimezone: UTC\nservices:\n  - { id: web, name: Web }\n  - { id: api, name: API }\n  - { id: mail, name: Mail }\n",
    )
    .expect("write the site");
    fs::create_dir_all(dir.join("incidents")).expect("incidents folder");
    let services: String = hit
        .iter()
        .map(|id| format!("  - {{ id: {id}, impact: major_outage }}\n"))
        .collect();
    let end = end.map_or(String::new(), |e| format!("end: {e}\n"));
    fs::write(
        dir.join("incidents/2026-01-01-down.yaml"),
        format!(
            "title: Down\nseverity: critical\nstart: 2026-01-01T10:00:00Z\n{end}services:\n{services}updates:\n  - at: 2026-01-01T10:05:00Z\n    status: investigating\n    message: Looking.\n"
        ),
    )
    .expect("write the site");
}

/// The tiny site with `hit` down at noon, built: the text of its page `path`.
fn page_of(hit: &[&str], end: Option<&str>, path: &str) -> String {
    let (root, out) = (
        tempfile::tempdir().expect("tempdir"),
        tempfile::tempdir().expect("tempdir"),
    );
    site(root.path(), hit, end);
    build(root.path(), out.path(), "2026-01-01T12:00:00Z");
    read(&out.path().join(path))
}

#[test]
fn the_headline_says_partial_when_most_services_are_back() {
    let out = tempfile::tempdir().expect("tempdir");
    build(&repo(), out.path(), "2022-10-19T12:00:00+09:00");
    let index = read(&out.path().join("index.html"));
    assert_eq!(banner_text(&index), "Partial system outage");
    assert!(read(&out.path().join("badge.svg")).contains("Partial system outage"));
}

#[test]
fn the_headline_says_major_when_at_least_half_the_services_are_down() {
    let most = page_of(&["web", "api"], None, "index.html");
    assert_eq!(banner_text(&most), "Major system outage");
    let one = page_of(&["web"], None, "index.html");
    assert_eq!(banner_text(&one), "Partial system outage");
}

#[test]
fn the_fire_reads_as_a_major_outage_in_its_first_hours() {
    let out = tempfile::tempdir().expect("tempdir");
    build(&repo(), out.path(), "2022-10-15T18:00:00+09:00");
    let index = read(&out.path().join("index.html"));
    assert_eq!(banner_text(&index), "Major system outage");
}

#[test]
fn an_open_incident_says_when_it_is_expected_to_end_or_that_no_time_was_given() {
    let page = page_of(&["web"], None, "incidents/2026-01-01-down/index.html");
    assert!(page.contains("No time has been given for the end or the next update"));
    let page = page_of(&["web"], Some("2026-01-01T18:00:00Z"), "index.html");
    assert!(page.contains("expected to end <time datetime=\"2026-01-01T18:00:00+00:00\">"));
    assert!(!page.contains("No time has been given"));
}

#[test]
fn not_found_leads_home_to_base_url() {
    let page = page_of(&["web"], None, "404.html");
    assert!(page.contains("<a class=\"button\" href=\"https://org.github.io/status/\">"));
    assert!(page.contains("<header><a href=\"https://org.github.io/status/\">"));
    assert!(!page.contains("href=\"/index.html\""));
}

/// With a long list of services still affected, the team's latest word is one tap from the top.
#[test]
fn a_long_list_of_affected_services_links_to_the_latest_update_above_it() {
    let out = tempfile::tempdir().expect("tempdir");
    build(&repo(), out.path(), "2022-10-16T12:00:00+09:00");
    for page in [
        "index.html",
        "incidents/2022-10-15-pangyo-data-center-fire/index.html",
    ] {
        let html = read(&out.path().join(page));
        let anchor = "now-latest-2022-10-15-pangyo-data-center-fire";
        let jump = html
            .find(&format!("<a href=\"#{anchor}\">"))
            .unwrap_or_else(|| panic!("{page}: no link to the latest update"));
        let list = html.find("class=\"now-list\"").expect("the list");
        let target = html.find(&format!("id=\"{anchor}\"")).expect("the target");
        assert!(
            jump < list && list < target,
            "{page}: link, list, update in that order"
        );
    }
}
