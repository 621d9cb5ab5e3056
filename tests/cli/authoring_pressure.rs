//! An outage run from the command line as a comms team runs it (issue 15): typed times read in
//! the site's zone and checked against it, `new` covering the first minute, `update` covering
//! the rest (stages, restorations, statements, follow-up notes), and every refusal exiting 1 or
//! 2 with nothing written. Each test works on a copy of `tests/fixtures/pressure`.

use crate::support::*;
use std::path::Path;

const SLUG: &str = "2026-11-29-calls-down";
const FILE: &str = "incidents/2026-11-29-calls-down.yaml";

fn site() -> tempfile::TempDir {
    copy_site(&fixture("pressure"))
}

/// `candor COMMAND ARGS --root SITE`.
fn on(site: &Path, command: &str, args: &[&str]) -> Run {
    let root = site.to_string_lossy();
    let mut all = vec![command];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--root", &root]);
    candor(&all)
}

/// Opens the outage: voice down since 05:20 Toronto time, posted 05:40.
fn open_outage(site: &Path) -> String {
    on(
        site,
        "new",
        &[
            "Calls down",
            "--start",
            "2026-11-29 05:20",
            "--service",
            "voice",
            "--service",
            "mobile-data",
            "--impact",
            "major_outage",
            "--impact",
            "partial_outage",
            "--now",
            "2026-11-29 05:40",
        ],
    )
    .exits(0)
    .warns_nothing();
    read(&site.join(FILE))
}

#[test]
fn a_naive_time_typed_anywhere_is_read_in_the_site_zone() {
    let site = site();
    let text = open_outage(site.path());
    assert!(text.contains("start: 2026-11-29T05:20:00-05:00"), "{text}");
    assert!(text.contains("  - at: 2026-11-29T05:40:00-05:00"), "{text}");
    // `--now` of a build: the naive time and the same instant in UTC build the same site.
    let naive = tempfile::tempdir().expect("tempdir");
    let utc = tempfile::tempdir().expect("tempdir");
    build(site.path(), naive.path(), "2026-11-29 06:00").warns_nothing();
    build(site.path(), utc.path(), "2026-11-29T11:00:00Z").warns_nothing();
    assert_same_tree(naive.path(), utc.path(), "--now naive and in UTC");
    // Before the start in Toronto (05:00 there is 10:00 UTC), the incident is not shown yet.
    let early = on(site.path(), "check", &["--now", "2026-11-29 05:00"]);
    early.exits(0);
    let json = tempfile::tempdir().expect("tempdir");
    build(site.path(), json.path(), "2026-11-29 05:10");
    let summary = read(&json.path().join("api/v2/summary.json"));
    assert!(
        !summary.contains("Calls down"),
        "not started yet: {summary}"
    );
    // `replay --from/--to`: 05:00 and 06:00 in Toronto are 10:00 and 11:00 UTC.
    let replayed = tempfile::tempdir().expect("tempdir");
    let output = replayed.path().join("replay");
    let output = output.to_string_lossy();
    let args = ["--from", "2026-11-29 05:00", "--to", "2026-11-29 06:00"];
    on(
        site.path(),
        "replay",
        &[&args[..], &["--every", "1h", "--output", &output]].concat(),
    )
    .exits(0);
    let folders = files(replayed.path());
    assert!(
        folders
            .iter()
            .any(|f| f.starts_with("replay/20261129T100000Z/"))
            && folders
                .iter()
                .any(|f| f.starts_with("replay/20261129T110000Z/")),
        "{folders:?}"
    );
}

#[test]
fn an_offset_that_is_not_the_zones_is_a_warning_naming_the_right_one() {
    let site = site();
    open_outage(site.path());
    // Summer time in November: an hour off.
    let run = on(
        site.path(),
        "update",
        &[
            SLUG,
            "--status",
            "identified",
            "--message",
            "Found it",
            "--now",
            "2026-11-29T06:30:00-04:00",
        ],
    );
    run.exits(0)
        .says("warning: --now: `2026-11-29T06:30:00-04:00` has the offset -04:00, but America/Toronto is at -05:00 then")
        .says("2026-11-29T06:30:00-05:00");
    // The same slip written in the file.
    let text = read(&site.path().join(FILE)).replace(
        "start: 2026-11-29T05:20:00-05:00",
        "start: 2026-11-29T05:20:00-04:00",
    );
    std::fs::write(site.path().join(FILE), text).expect("write");
    on(site.path(), "check", &["--now", "2026-11-29 07:00"])
        .exits(0)
        .says("has the offset -04:00, but America/Toronto is at -05:00 then")
        .says("incidents/2026-11-29-calls-down.yaml:4:8");
}

#[test]
fn a_fixed_offset_zone_warns_and_an_unknown_one_is_suggested_by_city() {
    let site = site();
    let status = site.path().join("status.yaml");
    let original = read(&status);
    std::fs::write(&status, original.replace("America/Toronto", "EST")).expect("write");
    on(site.path(), "check", &["--now", "2026-11-29 07:00"])
        .exits(0)
        .says("`EST` is a fixed offset")
        .says("America/Toronto");
    std::fs::write(&status, original.replace("America/Toronto", "Toronto")).expect("write");
    let run = on(site.path(), "check", &["--now", "2026-11-29 07:00"]);
    run.exits(1).says("did you mean `America/Toronto`?");
    assert!(!run.stderr.contains("Asia/Seoul"), "{}", run.stderr);
}

#[test]
fn new_writes_the_first_minute_as_typed() {
    let site = site();
    let run = on(
        site.path(),
        "new",
        &[
            "Calls down",
            "--start",
            "2026-11-29 05:20",
            "--severity",
            "critical",
            "--summary",
            "Calls fail across Canada.",
            "--message",
            "Calls are failing. Next update by 06:30.",
            "--service",
            "voice",
            "--service",
            "mobile-data",
            "--impact",
            "partial_outage",
            "--now",
            "2026-11-29 05:40",
        ],
    );
    run.exits(0).warns_nothing();
    let text = read(&site.path().join(FILE));
    for line in [
        "severity: critical",
        "summary: |\n  Calls fail across Canada.",
        "    message: |\n      Calls are failing. Next update by 06:30.",
        "  - id: voice\n    impact: partial_outage",
        "  - id: mobile-data\n    impact: partial_outage",
    ] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
}

#[test]
fn new_refuses_impacts_it_cannot_pair_and_maintenance_words_in_an_incident() {
    let site = site();
    let now = ["--now", "2026-11-29 05:40"];
    let mut args = vec!["X", "--service", "voice", "--service", "mobile-data"];
    args.extend(["--service", "home-internet", "--impact", "major_outage"]);
    args.extend(["--impact", "partial_outage"]);
    args.extend(now);
    on(site.path(), "new", &args)
        .exits(2)
        .says("3 --service and 2 --impact")
        .says("one --impact per --service");
    let args = [
        "Upgrade",
        "--service",
        "voice",
        "--impact",
        "under_maintenance",
        now[0],
        now[1],
    ];
    on(site.path(), "new", &args)
        .exits(2)
        .says("is for maintenance windows")
        .says("--maintenance --start");
    assert!(
        std::fs::read_dir(site.path().join("incidents"))
            .expect("dir")
            .count()
            == 1
    );
}

#[test]
fn new_maintenance_writes_a_scheduled_window() {
    let site = site();
    let run = on(
        site.path(),
        "new",
        &[
            "Core upgrade",
            "--maintenance",
            "--start",
            "2026-12-03 01:00",
            "--end",
            "2026-12-03 03:00",
            "--service",
            "mobile-data",
            "--now",
            "2026-11-30 15:00",
        ],
    );
    run.exits(0).warns_nothing();
    let text = read(&site.path().join("incidents/2026-12-03-core-upgrade.yaml"));
    for line in [
        "kind: maintenance",
        "start: 2026-12-03T01:00:00-05:00",
        "end: 2026-12-03T03:00:00-05:00",
        "impact: under_maintenance",
        "  - at: 2026-11-30T15:00:00-05:00\n    status: scheduled",
    ] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
    assert!(!text.contains("severity"), "{text}");
}

#[test]
fn update_adds_a_stage_and_a_service_hit_later() {
    let site = site();
    open_outage(site.path());
    let args = [
        SLUG,
        "--impact",
        "voice=partial_outage",
        "--note",
        "Calls back in Ontario only",
        "--message",
        "Calls work again in Ontario.",
        "--now",
        "2026-11-29 07:15",
    ];
    on(site.path(), "update", &args).exits(0).warns_nothing();
    let text = read(&site.path().join(FILE));
    assert!(
        text.contains("    stages:\n      - at: 2026-11-29T07:15:00-05:00\n        impact: partial_outage\n        note: Calls back in Ontario only\n"),
        "{text}"
    );
    assert!(
        text.contains("  - at: 2026-11-29T07:15:00-05:00\n    status: investigating\n"),
        "a message without --status keeps the status: {text}"
    );
    let args = [SLUG, "--impact", "home-internet=degraded_performance"];
    on(
        site.path(),
        "update",
        &[&args[..], &["--now", "2026-11-29 07:30"]].concat(),
    )
    .exits(0)
    .says("warning: `home-internet` was not hit by this incident: it is added, degraded_performance from now");
    let text = read(&site.path().join(FILE));
    assert!(
        text.contains("  - id: home-internet\n    impact: degraded_performance\n    from: 2026-11-29T07:30:00-05:00\n"),
        "{text}"
    );
    let out = tempfile::tempdir().expect("tempdir");
    build(site.path(), out.path(), "2026-11-29 07:45");
    let page = read(&out.path().join(format!("incidents/{SLUG}/index.html")));
    assert!(page.contains("Calls back in Ontario only"));
    on(
        site.path(),
        "update",
        &[
            SLUG,
            "--impact",
            "voice=operational",
            "--now",
            "2026-11-29 08:00",
        ],
    )
    .exits(2)
    .says("--restored voice");
}

#[test]
fn restored_twice_is_refused_and_after_resolution_nothing_is_written() {
    let site = site();
    open_outage(site.path());
    let update = |args: &[&str], now: &str| {
        on(
            site.path(),
            "update",
            &[&[SLUG], args, &["--now", now]].concat(),
        )
    };
    update(&["--restored", "mobile-data"], "2026-11-29 07:00").exits(0);
    let before = read(&site.path().join(FILE));
    update(&["--restored", "mobile-data"], "2026-11-29 07:30")
        .exits(1)
        .says("`mobile-data` is already restored (at 2026-11-29T07:00:00-05:00)")
        .says("--force")
        .says("nothing was written");
    assert_eq!(read(&site.path().join(FILE)), before);
    update(&["--restored", "mobile-data", "--force"], "2026-11-29 07:30")
        .exits(0)
        .says("warning: `mobile-data` was restored at 2026-11-29T07:00:00-05:00; --force moved that to 2026-11-29T07:30:00-05:00");
    update(
        &["--status", "resolved", "--message", "Fixed."],
        "2026-11-29 08:00",
    )
    .exits(0);
    // Restoring a service after the incident's end would make the file fail `check`.
    let resolved = read(&site.path().join(FILE));
    update(&["--restored", "voice"], "2026-11-29 09:00")
        .exits(1)
        .says("this incident ended at 2026-11-29T08:00:00-05:00: `voice` counts as restored then")
        .says("nothing was written");
    assert_eq!(read(&site.path().join(FILE)), resolved);
    on(site.path(), "check", &["--now", "2026-11-29 09:00"])
        .exits(0)
        .warns_nothing();
}

#[test]
fn a_follow_up_note_keeps_the_status_and_the_end() {
    let site = site();
    open_outage(site.path());
    let update = |args: &[&str], now: &str| {
        on(
            site.path(),
            "update",
            &[&[SLUG], args, &["--now", now]].concat(),
        )
    };
    update(
        &["--status", "resolved", "--message", "Fixed."],
        "2026-11-29 08:00",
    )
    .exits(0);
    let out = tempfile::tempdir().expect("tempdir");
    build(site.path(), out.path(), "2026-11-30 15:00");
    let before = read(&out.path().join("api/v2/incidents.json"));
    update(&["--message", "Our report is out."], "2026-11-30 14:00")
        .exits(0)
        .warns_nothing();
    let text = read(&site.path().join(FILE));
    assert!(
        text.ends_with("  - at: 2026-11-30T14:00:00-05:00\n    status: resolved\n    message: |\n      Our report is out.\n"),
        "{text}"
    );
    build(site.path(), out.path(), "2026-11-30 15:00");
    let after = read(&out.path().join("api/v2/incidents.json"));
    let resolved_at = |json: &str| {
        let v: serde_json::Value = serde_json::from_str(json).expect("json");
        v["incidents"][0]["resolved_at"].clone()
    };
    assert_eq!(resolved_at(&after), resolved_at(&before), "the end stays");
    assert!(after.contains("Our report is out."));
    // A status typed after resolution reopens the incident: allowed, never silent.
    update(
        &[
            "--status",
            "investigating",
            "--message",
            "Calls failing again.",
        ],
        "2026-11-30 16:00",
    )
    .exits(0)
    .says("warning: this update reopens the resolved incident as `investigating`")
    .says("leave out --status");
}

/// A time typed with another place's offset is written as the site's time: `new` and `update`
/// say what it becomes (the day may change), and a time candor cannot read gets an example in
/// the site's own zone.
#[test]
fn a_foreign_offset_typed_into_a_file_says_what_it_becomes() {
    let site = site();
    on(
        site.path(),
        "new",
        &[
            "Calls down",
            "--start",
            "2026-11-29T05:20:00+09:00",
            "--service",
            "voice",
            "--now",
            "2026-11-29 05:40",
        ],
    )
    .exits(0)
    .says("warning: --start: `2026-11-29T05:20:00+09:00` is 2026-11-28 15:20 in America/Toronto")
    .says("if you meant 05:20 in America/Toronto, write `2026-11-29 05:20`");
    let r = on(
        site.path(),
        "new",
        &[
            "Calls down",
            "--start",
            "03/12/2026 1am",
            "--service",
            "voice",
        ],
    );
    r.exits(2)
        .says("write `2022-10-15 15:30` (read in America/Toronto), or RFC 3339 like `2022-10-15T15:30:00-04:00`");
}

#[test]
fn statements_and_apologies_carry_their_author() {
    let site = site();
    open_outage(site.path());
    let args = [
        SLUG,
        "--statement",
        "We will build a second data centre.",
        "--by",
        "Alex Martin",
        "--role",
        "CEO",
        "--link",
        "https://news.northwind.example/plan",
        "--now",
        "2026-11-29 09:30",
    ];
    on(site.path(), "update", &args).exits(0).warns_nothing();
    let args = [
        SLUG,
        "--apology",
        "We are sorry.",
        "--by",
        "Alex Martin",
        "--now",
        "2026-11-29 09:40",
    ];
    on(site.path(), "update", &args).exits(0).warns_nothing();
    let text = read(&site.path().join(FILE));
    assert!(
        text.contains("statements:\n  - at: 2026-11-29T09:30:00-05:00\n    by: Alex Martin\n    role: CEO\n    statement: |\n      We will build a second data centre.\n    link: https://news.northwind.example/plan\n"),
        "{text}"
    );
    assert!(
        text.contains("apologies:\n  - at: 2026-11-29T09:40:00-05:00\n    by: Alex Martin\n    statement: |\n      We are sorry.\n"),
        "{text}"
    );
    on(
        site.path(),
        "update",
        &[SLUG, "--statement", "x", "--now", "2026-11-29 09:50"],
    )
    .exits(2)
    .says("--by");

    // On the page, in the timeline, and in the feed; a change of leadership that the fixed
    // words do not name, dated by its day only, follows that day's timed events.
    let leadership = "leadership:\n  - at: 2026-11-29\n    person: Sam Lee\n    role: CTO\n    change: other\n    note: Now leads network reliability.\n";
    std::fs::write(site.path().join(FILE), text + leadership).expect("write");
    let out = tempfile::tempdir().expect("tempdir");
    build(site.path(), out.path(), "2026-11-29 12:00").warns_nothing();
    let page = read(&out.path().join(format!("incidents/{SLUG}/index.html")));
    assert!(page.contains("id=\"statements\""), "a section of its own");
    let statement = page
        .find("Statement by Alex Martin")
        .expect("on the timeline");
    let change = page
        .find("Leadership change: Sam Lee (CTO)")
        .expect("says a change of leadership");
    // The timeline reads newest first (issue 10): the date-only change, placed after the day's
    // timed events, is read before them.
    assert!(
        change < statement,
        "the day's timed events come after it, newest first"
    );
    assert!(!page.contains("changed role"));
    let feed = read(&out.path().join("feed.atom"));
    assert!(feed.contains("Statement by Alex Martin"), "{feed}");
    assert!(
        feed.contains("We will build a second data centre."),
        "{feed}"
    );
}

#[test]
fn update_keeps_a_byte_order_mark() {
    let site = site();
    open_outage(site.path());
    let path = site.path().join(FILE);
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), read(&path).as_bytes()].concat();
    std::fs::write(&path, &with_bom).expect("write");
    let args = [SLUG, "--status", "identified", "--message", "Found it."];
    on(
        site.path(),
        "update",
        &[&args[..], &["--now", "2026-11-29 06:30"]].concat(),
    )
    .exits(0);
    let bytes = std::fs::read(&path).expect("read");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF# Written by"),
        "the mark is kept"
    );
    assert!(
        bytes.starts_with(&with_bom),
        "every byte before the new update is kept"
    );
}
