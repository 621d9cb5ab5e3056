//! Live mode under a clock the test controls and moves: after every move and every edit, the
//! output equals a clean build at the session's instant; a running watch follows the clock
//! with no file event at all. Never reads the real clock: every instant is the test's.

use crate::support::*;
use candor::live::session::{Change, Session};
use candor::model::Time;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

fn kst(s: &str) -> Time {
    chrono::DateTime::parse_from_rfc3339(&format!("{s}+09:00"))
        .expect("test time")
        .with_timezone(&chrono::Utc)
}

/// The session's output equals a clean build at its instant, byte for byte.
fn assert_clean_at_instant(session: &Session, site: &Path, out: &Path, step: &str) {
    let clean = tempfile::tempdir().expect("tempdir");
    let clean = clean.path().join("public");
    candor::build(&options(site, &clean, session.instant())).expect("clean build");
    assert_same_tree(
        &clean,
        out,
        &format!("{step}: a clean build at the instant"),
    );
}

fn indicator(out: &Path) -> String {
    let text = read(&out.join("api/v2/status.json"));
    let value: serde_json::Value = serde_json::from_str(&text).expect("json");
    value["status"]["indicator"]
        .as_str()
        .expect("indicator")
        .to_owned()
}

#[test]
fn a_moving_clock_keeps_the_output_equal_to_a_clean_build() {
    let site = sample_site();
    let out = site.path().join("public");
    let start = kst("2022-08-23T01:50:00");
    let mut session = Session::new(options(site.path(), &out, start));
    session
        .rebuild(&[Change::Unknown], start)
        .expect("first build");
    assert_eq!(session.next_tick(), Some(kst("2022-08-23T02:00:00")));
    assert_clean_at_instant(&session, site.path(), &out, "01:50");

    // Nothing is due before the window opens: the instant stays, nothing is rendered.
    let idle = session.tick(kst("2022-08-23T01:55:00")).expect("tick");
    assert_eq!((idle.rendered, session.instant()), (0, start));

    // The window opens. The banner's colour is on every page's logo, so all are rendered.
    session.tick(kst("2022-08-23T02:00:30")).expect("tick");
    assert_eq!(session.instant(), kst("2022-08-23T02:00:30"));
    assert_eq!(indicator(&out), "maintenance");
    assert_clean_at_instant(&session, site.path(), &out, "02:00:30");
    assert_eq!(
        session.next_tick(),
        Some(kst("2022-08-23T02:01:00")),
        "a running window: each minute"
    );

    // A minute later: the running window's page and the front page, not every incident.
    let minute = session.tick(kst("2022-08-23T02:01:10")).expect("tick");
    // (In each of the sample's three languages.)
    assert!(minute.rendered < 30 * 3, "{} pages", minute.rendered);
    assert_clean_at_instant(&session, site.path(), &out, "02:01:10");

    // An edit between ticks keeps the instant: only what it touches is rendered.
    let taxi = site
        .path()
        .join("incidents/2022-09-20-kakao-t-slow-taxi-dispatch.yaml");
    std::fs::write(
        &taxi,
        read(&taxi).replacen("title:\n  en: ", "title:\n  en: Edited ", 1),
    )
    .expect("edit");
    let edit = session
        .rebuild(&[Change::Incident(taxi)], kst("2022-08-23T02:01:40"))
        .expect("edit");
    assert_eq!(session.instant(), kst("2022-08-23T02:01:10"));
    assert!(edit.rendered <= 5 * 3, "{} pages", edit.rendered);
    assert_clean_at_instant(&session, site.path(), &out, "edit at 02:01:40");

    session.tick(kst("2022-08-23T05:00:00")).expect("tick");
    assert_eq!(indicator(&out), "none");
    assert_clean_at_instant(&session, site.path(), &out, "05:00");

    // Across weeks, into the fire.
    session.tick(kst("2022-10-16T12:00:00")).expect("tick");
    assert_eq!(indicator(&out), "critical");
    assert_clean_at_instant(&session, site.path(), &out, "16 Oct 12:00");

    // An update stamped a moment ago (as `candor update` does) is due: the instant moves to
    // the clock and the update shows at once.
    let fire = site
        .path()
        .join("incidents/2022-10-15-pangyo-data-center-fire.yaml");
    let text = read(&fire).replacen(
        "updates:\n",
        "updates:\n  - at: 2022-10-16T12:00:20+09:00\n    status: identified\n    message: A note posted just now.\n",
        1,
    );
    std::fs::write(&fire, text).expect("edit");
    session
        .rebuild(&[Change::Incident(fire)], kst("2022-10-16T12:00:30"))
        .expect("update");
    assert_eq!(session.instant(), kst("2022-10-16T12:00:30"));
    let page = read(&out.join("incidents/2022-10-15-pangyo-data-center-fire/index.html"));
    assert!(page.contains("A note posted just now."));
    assert_clean_at_instant(&session, site.path(), &out, "update at 12:00:30");

    // The end typed in ahead passes: resolved everywhere.
    session.tick(kst("2022-10-21T00:00:00")).expect("tick");
    assert_eq!(indicator(&out), "none");
    assert_clean_at_instant(&session, site.path(), &out, "21 Oct");

    // A clock set back (a test, a replay by hand) is followed too.
    session.tick(kst("2022-10-15T12:00:00")).expect("tick");
    assert!(
        !out.join("incidents/2022-10-15-pangyo-data-center-fire")
            .exists()
    );
    assert_clean_at_instant(&session, site.path(), &out, "back to 15 Oct noon");
}

#[test]
fn a_running_watch_follows_the_clock_without_any_file_event() {
    let site = sample_site();
    let out = site.path().join("public");
    let seconds = Arc::new(AtomicI64::new(kst("2022-08-23T01:58:00").timestamp()));
    let clock = {
        let seconds = Arc::clone(&seconds);
        move || chrono::DateTime::from_timestamp(seconds.load(Ordering::SeqCst), 0).expect("time")
    };
    let mut session = Session::new(options(site.path(), &out, clock()));
    session
        .rebuild(&[Change::Unknown], clock())
        .expect("first build");
    assert_eq!(indicator(&out), "none");
    let mut watch =
        candor::live::watch::Watch::start(site.path(), &out, Default::default()).expect("watch");
    // The watch loop runs until the process ends.
    std::thread::spawn(move || {
        candor::live::watch::run(
            &mut session,
            &mut watch,
            candor::live::watch::Clock::Running(&clock),
            &mut |_| {},
        );
    });
    let wait_for = |want: &str| {
        for _ in 0..100 {
            if indicator(&out) == want {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("status.json never said {want}: {}", indicator(&out));
    };
    seconds.store(kst("2022-08-23T02:00:30").timestamp(), Ordering::SeqCst);
    wait_for("maintenance");
    assert!(read(&out.join("index.html")).contains("banner-maintenance"));
    seconds.store(kst("2022-08-23T05:00:30").timestamp(), Ordering::SeqCst);
    wait_for("none");
}
