//! The pages as a worried reader meets them (issue 10), checked in their HTML: a recent major
//! incident at the top of the front page for `major_incident_days`, what is still broken first,
//! every update once. The browser tests (tests/browser/) check the same pages drawn.

use crate::support::*;

const AFTER: &str = "2022-10-25T00:00:00+09:00";
const DURING: &str = "2022-10-16T12:00:00+09:00";
const FIRE: &str = "incidents/2022-10-15-pangyo-data-center-fire/index.html";

fn built(days: Option<&str>, now: &str) -> (tempfile::TempDir, String) {
    let site = sample_site();
    if let Some(days) = days {
        let status = site.path().join("status.yaml");
        let text = read(&status).replace(
            "timezone: Asia/Seoul\n",
            &format!("timezone: Asia/Seoul\nmajor_incident_days: {days}\n"),
        );
        std::fs::write(&status, text).expect("write status.yaml");
    }
    build(site.path(), &site.path().join("public"), now);
    let front = read(&site.path().join("public/index.html"));
    (site, front)
}

fn position(page: &str, needle: &str) -> usize {
    page.find(needle)
        .unwrap_or_else(|| panic!("the page has {needle:?}"))
}

#[test]
fn a_recent_major_incident_stays_above_the_services() {
    // Four days after the fire ended (20 Oct 23:00): within the default 7 days.
    let (_site, front) = built(None, AFTER);
    assert!(
        position(&front, "pangyo-data-center-fire") < position(&front, "id=\"services-h\""),
        "the fire is named above the services"
    );
    assert!(
        front.contains("a partial outage counts as 30%"),
        "the weighting is said"
    );
}

#[test]
fn major_incident_days_sets_how_long_it_stays_on_top() {
    let (_site, front) = built(Some("3"), AFTER);
    assert!(
        position(&front, "pangyo-data-center-fire") > position(&front, "id=\"services-h\""),
        "after 3 days the fire is listed with the recent incidents, below the services"
    );
}

#[test]
fn major_incident_days_past_the_recent_list_is_refused() {
    let site = sample_site();
    let status = site.path().join("status.yaml");
    let text = read(&status).replace(
        "timezone: Asia/Seoul\n",
        "timezone: Asia/Seoul\nmajor_incident_days: 30\n",
    );
    std::fs::write(&status, text).expect("write status.yaml");
    on_site("check", site.path(), AFTER)
        .exits(1)
        .says("major_incident_days is 30")
        .says("from 0 (off) to 14");
}

#[test]
fn what_is_still_broken_comes_first_and_no_update_is_printed_twice() {
    let (site, _) = built(None, DURING);
    let page = read(&site.path().join("public").join(FIRE));
    let still = position(&page, "class=\"now\"");
    assert!(still < position(&page, "id=\"timeline\""));
    assert!(
        page[still..]
            .contains("photos, videos, files, the PC version and the wallet still failing")
    );
    assert!(
        !page.contains("id=\"updates\""),
        "no second list of the updates"
    );
    let service = read(&site.path().join("public/services/kakaotalk/index.html"));
    assert!(position(&service, "class=\"now\"") < position(&service, "class=\"calendar\""));
}

#[test]
fn stale_after_minutes_is_checked_and_handed_to_the_script() {
    let site = sample_site();
    let status = site.path().join("status.yaml");
    let original = read(&status);
    let with = |line: &str| {
        original.replace(
            "timezone: Asia/Seoul\n",
            &format!("timezone: Asia/Seoul\n{line}\n"),
        )
    };
    std::fs::write(&status, with("stale_after_minutes: 99999")).expect("write");
    on_site("check", site.path(), AFTER)
        .exits(1)
        .says("stale_after_minutes is 99999")
        .says("from 0 (never warn) to 10080");
    std::fs::write(&status, with("stale_after_minutes: 45")).expect("write");
    build(site.path(), &site.path().join("public"), AFTER);
    assert!(read(&site.path().join("public/index.html")).contains("data-stale=\"45\""));
}
