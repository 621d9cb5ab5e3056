//! The state at an instant, on small sites read through the real loader (Seoul time). Only
//! these tests import the loader: the model itself never does.

use super::*;
use crate::load::{LoadOptions, load};
use chrono::{DateTime, Utc};

const STATUS: &str = "title: Example
base_url: https://status.example.com/
timezone: Asia/Seoul
services:
  - { id: talk, name: Talk }
  - { id: mail, name: Mail }
";

/// A fire with an end typed in ahead, a stage, a restoration, an apology, undated
/// commitments and a postmortem; and a maintenance window announced a week ahead.
const FIRE: &str = "title: Fire
severity: critical
start: 2022-10-15 15:30
end: 2022-10-20 23:00
services:
  - id: talk
    impact: major_outage
    stages: [{ at: 2022-10-16 01:30, impact: partial_outage }]
    restored: 2022-10-17 15:00
  - id: mail
    impact: partial_outage
    from: 2022-10-15 18:00
updates:
  - { at: 2022-10-15 16:00, status: investigating, message: Down. }
  - { at: 2022-10-16 09:00, status: identified, message: Power. }
  - { at: 2022-10-20 23:00, status: resolved, message: Back. }
apologies:
  - { at: 2022-10-19 11:00, by: CEO, statement: Sorry. }
commitments:
  - { what: Own data centers, status: planned }
postmortem: What went wrong.
";

const WINDOW: &str = "title: Mail work
kind: maintenance
start: 2022-10-25 02:00
end: 2022-10-25 04:00
services: [{ id: mail }]
updates:
  - { at: 2022-10-18 10:00, status: scheduled, message: Planned. }
";

fn t(s: &str) -> Time {
    DateTime::parse_from_rfc3339(&format!("{s}:00+09:00"))
        .expect("test time")
        .with_timezone(&Utc)
}

fn site(incidents: &[(&str, &str)]) -> Site {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("status.yaml"), STATUS).expect("write");
    std::fs::create_dir(dir.path().join("incidents")).expect("mkdir");
    for (slug, text) in incidents {
        std::fs::write(dir.path().join(format!("incidents/{slug}.yaml")), text).expect("write");
    }
    let options = LoadOptions {
        now: t("2022-11-01T00:00"),
        clock: t("2022-11-01T00:00"),
        drafts: false,
        languages: crate::theme::languages,
    };
    load(dir.path(), &options).expect("loads").site
}

fn fire_at(site: &Site, at: &str) -> (State, Arc<Incident>) {
    let state = State::at(site, t(at));
    let fire = state
        .site
        .incidents
        .iter()
        .find(|i| i.slug == "fire")
        .cloned()
        .expect("the fire is published");
    (state, fire)
}

#[test]
fn nothing_is_published_before_it_starts() {
    let site = site(&[("fire", FIRE)]);
    assert!(
        State::at(&site, t("2022-10-15T15:29"))
            .site
            .incidents
            .is_empty()
    );
    assert_eq!(
        State::at(&site, t("2022-10-15T15:30")).site.incidents.len(),
        1
    );
}

#[test]
fn an_end_after_the_instant_is_expected_and_the_incident_open() {
    let site = site(&[("fire", FIRE)]);
    let (state, fire) = fire_at(&site, "2022-10-16T12:00");
    assert_eq!(fire.status, Status::Identified);
    assert_eq!(fire.end, None);
    assert_eq!(fire.expected_end, Some(t("2022-10-20T23:00")));
    assert_eq!(fire.updates.len(), 2, "the resolved update is still ahead");
    assert!(fire.apologies.is_empty());
    assert_eq!(state.indicator, Indicator::Critical);
    assert_eq!(state.service_impact("talk"), Some(Impact::PartialOutage));
    assert_eq!(state.service_impact("mail"), Some(Impact::PartialOutage));
    let talk = &fire.services[0];
    assert_eq!(talk.restored, None, "restored 17 Oct: not yet");
    assert_eq!(talk.stages.len(), 1);
}

#[test]
fn a_service_hit_later_is_not_hit_yet() {
    let site = site(&[("fire", FIRE)]);
    let (state, fire) = fire_at(&site, "2022-10-15T17:00");
    assert_eq!(fire.services.len(), 1, "mail is hit from 18:00");
    assert_eq!(state.service_impact("mail"), None);
    assert_eq!(state.service_impact("talk"), Some(Impact::MajorOutage));
    assert_eq!(fire.services[0].stages.len(), 0);
}

#[test]
fn an_incident_is_resolved_from_its_end_on() {
    let site = site(&[("fire", FIRE)]);
    let (before, fire) = fire_at(&site, "2022-10-20T22:59");
    assert!(!fire.is_closed());
    assert_eq!(
        before.service_impact("talk"),
        None,
        "talk was restored on the 17th"
    );
    assert_eq!(before.service_impact("mail"), Some(Impact::PartialOutage));
    let (after, fire) = fire_at(&site, "2022-10-20T23:00");
    assert_eq!(fire.status, Status::Resolved);
    assert_eq!(fire.end, Some(t("2022-10-20T23:00")));
    assert_eq!(fire.expected_end, None);
    assert_eq!(after.indicator, Indicator::None);
    assert_eq!(after.service_impact("mail"), None);
}

#[test]
fn undated_entries_wait_until_the_story_is_told() {
    let site = site(&[("fire", FIRE)]);
    let (_, open) = fire_at(&site, "2022-10-19T12:00");
    assert!(open.commitments.is_empty() && open.postmortem.is_none());
    let (_, over) = fire_at(&site, "2022-10-21T00:00");
    assert_eq!(over.commitments.len(), 1);
    assert!(over.postmortem.is_some());
}

#[test]
fn a_file_told_while_it_happens_shows_all_it_says() {
    // No end yet, every entry in the past: the team is writing it now.
    let live = FIRE
        .replace("end: 2022-10-20 23:00\n", "")
        .replace(
            "  - { at: 2022-10-20 23:00, status: resolved, message: Back. }\n",
            "",
        )
        .replace("2022-10-19 11:00", "2022-10-16 10:00");
    let site = site(&[("fire", &live)]);
    let (_, fire) = fire_at(&site, "2022-10-18T00:00");
    assert!(!fire.is_closed());
    assert_eq!(fire.commitments.len(), 1);
    assert!(fire.postmortem.is_some());
}

#[test]
fn a_window_runs_scheduled_in_progress_completed_by_its_times() {
    let site = site(&[("window", WINDOW)]);
    assert!(
        State::at(&site, t("2022-10-18T09:59"))
            .site
            .incidents
            .is_empty()
    );
    let phase = |at: &str| {
        let state = State::at(&site, t(at));
        let status = state.site.incidents[0].status;
        (status, state.indicator, state.service_impact("mail"))
    };
    assert_eq!(
        phase("2022-10-18T10:00"),
        (Status::Scheduled, Indicator::None, None)
    );
    assert_eq!(
        phase("2022-10-25T02:00"),
        (
            Status::InProgress,
            Indicator::Maintenance,
            Some(Impact::UnderMaintenance)
        )
    );
    assert_eq!(
        phase("2022-10-25T04:00"),
        (Status::Completed, Indicator::None, None)
    );
}

#[test]
fn a_posted_update_outranks_the_schedule() {
    let early =
        format!("{WINDOW}  - {{ at: 2022-10-25 03:00, status: completed, message: Done. }}\n");
    let site = site(&[("window", &early)]);
    let status = |at: &str| State::at(&site, t(at)).site.incidents[0].status;
    assert_eq!(status("2022-10-25T02:59"), Status::InProgress);
    assert_eq!(status("2022-10-25T03:00"), Status::Completed);
}

/// Statuspage dates a completed window by its last update (discord-scheduled-maintenances.json:
/// `updated_at` is the `completed` update's time), not by its planned end.
#[test]
fn a_window_completed_early_was_last_posted_at_its_completion() {
    let early =
        format!("{WINDOW}  - {{ at: 2022-10-25 03:00, status: completed, message: Done. }}\n");
    let completed = site(&[("window", &early)]);
    let at = t("2022-10-26T00:00");
    let state = State::at(&completed, at);
    assert_eq!(
        last_posted(&state.site.incidents[0], at),
        t("2022-10-25T03:00")
    );
    let planned = site(&[("window", WINDOW)]);
    let state = State::at(&planned, at);
    assert_eq!(
        last_posted(&state.site.incidents[0], at),
        t("2022-10-25T04:00"),
        "a window nobody closed by an update ends as planned"
    );
}

#[test]
fn an_incident_outranks_a_running_window() {
    let site = site(&[
        ("fire", FIRE),
        ("window", &WINDOW.replace("10-25", "10-16")),
    ]);
    let state = State::at(&site, t("2022-10-16T03:00"));
    assert_eq!(state.indicator, Indicator::Critical);
    assert_eq!(state.service_impact("mail"), Some(Impact::PartialOutage));
}

#[test]
fn the_written_status_counts_from_the_last_update_on() {
    let monitoring = FIRE
        .replace("end: 2022-10-20 23:00\n", "status: monitoring\n")
        .replace(
            "  - { at: 2022-10-20 23:00, status: resolved, message: Back. }\n",
            "",
        );
    let site = site(&[("fire", &monitoring)]);
    assert_eq!(
        fire_at(&site, "2022-10-16T08:00").1.status,
        Status::Investigating
    );
    assert_eq!(
        fire_at(&site, "2022-10-16T09:00").1.status,
        Status::Monitoring
    );
}

#[test]
fn the_next_change_is_the_next_dated_entry_or_midnight() {
    let site = site(&[("fire", FIRE), ("window", WINDOW)]);
    let next = |at: &str| State::at(&site, t(at)).next_change;
    assert_eq!(next("2022-10-15T15:00"), Some(t("2022-10-15T15:30")));
    assert_eq!(next("2022-10-15T16:00"), Some(t("2022-10-15T18:00")));
    assert_eq!(
        next("2022-10-15T21:00"),
        Some(t("2022-10-16T00:00")),
        "midnight"
    );
    assert_eq!(next("2022-10-24T23:00"), Some(t("2022-10-25T00:00")));
    assert_eq!(next("2022-10-25T00:00"), Some(t("2022-10-25T02:00")));
}

#[test]
fn updated_at_is_the_latest_entry_shown_not_the_instant() {
    let site = site(&[("fire", FIRE), ("window", WINDOW)]);
    let state = State::at(&site, t("2022-10-16T12:00"));
    assert_eq!(state.updated_at, t("2022-10-16T09:00"));
    let later = State::at(&site, t("2022-10-17T12:00"));
    assert_eq!(
        later.updated_at,
        t("2022-10-16T09:00"),
        "nothing new on the 17th by noon"
    );
}

#[test]
fn a_past_incident_is_shared_not_copied() {
    let site = site(&[("fire", FIRE)]);
    let state = State::at(&site, t("2022-11-01T00:00"));
    assert!(Arc::ptr_eq(&state.site.incidents[0], &site.incidents[0]));
    let during = State::at(&site, t("2022-10-16T00:00"));
    assert!(!Arc::ptr_eq(&during.site.incidents[0], &site.incidents[0]));
}

#[test]
fn the_lists_hold_what_is_open_upcoming_and_recently_over() {
    let site = site(&[("fire", FIRE), ("window", WINDOW)]);
    let slugs = |state: &State, list: &[usize]| -> Vec<String> {
        list.iter()
            .map(|&n| state.site.incidents[n].slug.clone())
            .collect()
    };
    let during = State::at(&site, t("2022-10-19T00:00"));
    assert_eq!(slugs(&during, &during.unresolved), ["fire"]);
    assert_eq!(slugs(&during, &during.open_windows), ["window"]);
    assert!(during.recent.is_empty());
    let after = State::at(&site, t("2022-10-26T00:00"));
    assert!(after.unresolved.is_empty() && after.open_windows.is_empty());
    assert_eq!(slugs(&after, &after.recent), ["window", "fire"]);
    // Fourteen days after its end, the fire leaves the recent list.
    let later = State::at(&site, t("2022-11-04T00:00"));
    assert_eq!(slugs(&later, &later.recent), ["window"]);
}

#[test]
fn uptime_counts_to_the_instant_and_not_beyond() {
    let site = site(&[("fire", FIRE)]);
    // Talk: major from 15:30 on the 15th; at 15:30 on the 16th, 10 hours major (to 01:30),
    // then 14 hours partial (weight 0.3) of the 39.5 hours since midnight of the 15th.
    let state = State::at(&site, t("2022-10-16T15:30"));
    let uptime = state.uptime(0, 2).expect("a window");
    let expected = 1.0 - (10.0 + 14.0 * 0.3) / 39.5;
    assert!((uptime - expected).abs() < 1e-9, "{uptime} vs {expected}");
    // The worst of each day, the last one so far: the 17th has been partial since midnight.
    let days = State::at(&site, t("2022-10-17T12:00")).days(0, 4);
    let worst: Vec<Option<Impact>> = days.iter().map(|d| d.worst).collect();
    let (major, partial) = (Some(Impact::MajorOutage), Some(Impact::PartialOutage));
    assert_eq!(worst, [None, major, major, partial]);
}

#[test]
fn after_an_edit_only_the_named_services_are_flattened_again() {
    let before = site(&[("fire", FIRE)]);
    let edited = site(&[(
        "fire",
        &FIRE.replace("2022-10-16 01:30", "2022-10-16 03:30"),
    )]);
    let at = t("2022-10-17T00:00");
    let previous = State::at(&before, at);
    let talk: BTreeSet<String> = ["talk".to_owned()].into();
    let next = State::after_edit(&edited, &previous, &talk);
    assert_eq!(
        next.flat,
        State::at(&edited, at).flat,
        "the same as from scratch"
    );
    assert_ne!(next.flat[0], previous.flat[0], "talk's stage moved");
    // Mail was not named: its flattening is the previous one (the session names every
    // service an edited incident touches, before and after).
    assert_eq!(next.flat[1], previous.flat[1]);
    let unnamed = State::after_edit(&edited, &previous, &BTreeSet::new());
    assert_eq!(unnamed.flat[0], previous.flat[0], "not named: kept");
}
