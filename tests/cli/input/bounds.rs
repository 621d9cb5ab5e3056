//! What a hostile or careless file can cost: aliases that multiply a value, nesting that
//! slows the parser, lines of a megabyte, thousands of problems, years at the ends of time.
//! Each ends in a short, clear error; none in a panic.

use super::*;
use candor::live::session::{Change, Session};
use candor::model::Time;

/// A file of aliases grows exponentially when expanded (136 KB made 167 MB of output): the
/// first anchor is refused where it stands, before anything is expanded.
#[test]
fn anchors_and_aliases_are_refused_before_they_expand() {
    let mut laughs = String::from("title: &a \"lol lol lol lol lol lol lol lol\"\n");
    let mut previous = "a".to_owned();
    for level in 0..12 {
        let name = format!("l{level}");
        let refs = vec![format!("*{previous}"); 10].join(", ");
        laughs.push_str(&format!("x{level}: &{name} [{refs}]\n"));
        previous = name;
    }
    let site = site_with("title: Website and API errors\n", &laughs);
    let (code, stderr) = check(site.path());
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: YAML anchors are not allowed: `&a`\n --> incidents/2024-03-05-outage.yaml:1:8\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.len() < 1000,
        "a short report: {} bytes",
        stderr.len()
    );

    // An alias alone (its anchor in no file) is refused at the alias.
    let site = site_with("summary: |", "cause: *why\nsummary: |");
    let (code, stderr) = check(site.path());
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: YAML aliases are not allowed: `*why` repeats a value written elsewhere\n --> incidents/2024-03-05-outage.yaml:5:8\n"
        ),
        "{stderr}"
    );
    // status.yaml is read through the same gate.
    let site = copy_site(&fixture("input/site"));
    let status = site.path().join("status.yaml");
    let text = read(&status).replace("name: Website", "name: &n Website");
    std::fs::write(&status, text).expect("write");
    let r = run("build", site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("anchors are not allowed: `&n`\n --> status.yaml:6:11\n"),
        "{}",
        r.stderr
    );
}

/// `[[[[…` a megabyte deep made libyaml work for minutes (quadratic in the depth); deep
/// block nesting too is refused, each with one short message.
#[test]
fn deep_nesting_is_refused_quickly_and_shortly() {
    let deep = format!("{}{}", "[".repeat(400_000), "]".repeat(400_000));
    let site = site_with("summary: |", &format!("cause: {deep}\nsummary: |"));
    let (code, stderr) = check(site.path());
    assert_eq!(code, 1);
    assert!(
        stderr.contains("the YAML nests deeper than 20 levels"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> incidents/2024-03-05-outage.yaml:5:"),
        "{stderr}"
    );
    assert!(
        stderr.len() < 1000,
        "the megabyte line is shown as a window: {stderr}"
    );

    let mut block = String::new();
    for depth in 0..40 {
        block.push_str(&format!("{}k{depth}:\n", "  ".repeat(depth)));
    }
    let site = site_with("summary: |", &format!("cause:\n{block}summary: |"));
    let (code, stderr) = check(site.path());
    assert_eq!(code, 1);
    assert!(
        stderr.contains("the YAML nests deeper than 20 levels"),
        "{stderr}"
    );
}

/// A diagnostic on a line of a megabyte shows a window of it around the caret.
#[test]
fn a_long_line_is_shown_around_its_caret() {
    let note = "x".repeat(300_000);
    let entry = format!("  - {{ note: {note}, id: web, impact: bad }}");
    let column = 1 + entry.find("bad").expect("bad");
    let site = site_with(
        "  - id: web\n    impact: major_outage\n    restored: 2024-03-05T11:30:00Z",
        &entry,
    );
    let (code, stderr) = check(site.path());
    assert_eq!(code, 1);
    assert!(stderr.len() < 1000, "{}", &stderr[..stderr.len().min(2000)]);
    assert!(
        stderr.contains(&format!(":8:{column}\n")),
        "the true column: {stderr}"
    );
    let shown: Vec<&str> = stderr.lines().filter(|l| l.starts_with("8 | ")).collect();
    assert_eq!(shown.len(), 1, "{stderr}");
    assert!(
        shown[0].starts_with("8 | …xxx") && shown[0].ends_with("bad }"),
        "{stderr}"
    );
    let caret = stderr.lines().find(|l| l.contains('^')).expect("a caret");
    assert_eq!(
        caret.find('^'),
        shown[0].find("bad").map(|i| i - "…".len() + 1),
        "under `bad`: {stderr}"
    );
}

/// Thousands of problems in one file are each placed at their own line (they are placed from
/// one parse of the file, so `check` stays linear in their number).
#[test]
fn thousands_of_problems_in_one_file_are_each_at_their_line() {
    let services: String = (0..3000)
        .map(|i| format!("  - id: nope-{i}\n    impact: major_outage\n"))
        .collect();
    let site = site_with("updates:\n", &format!("{services}updates:\n"));
    let (code, stderr) = check(site.path());
    assert_eq!(code, 1);
    for i in [0, 1, 1500, 2999] {
        let line = 17 + 2 * i;
        let pad = " ".repeat(line.to_string().len());
        let at = format!(
            "error: unknown service \"nope-{i}\"\n{pad}--> incidents/2024-03-05-outage.yaml:{line}:9\n"
        );
        assert!(stderr.contains(&at), "{at}");
    }
    assert!(stderr.ends_with("candor: 3000 errors, 0 warnings\n"));
}

/// Every kind of date and time a file holds, as (what the fixture has, how to rewrite it).
const DATED: [(&str, &str); 10] = [
    ("start: 2024-03-05T10:00:00Z", "start: {T}"),
    ("end: 2024-03-05T12:00:00Z", "end: {T}"),
    ("restored: 2024-03-05T11:30:00Z", "restored: {T}"),
    ("from: 2024-03-05T10:05:00Z", "from: {T}"),
    ("      - at: 2024-03-05T11:00:00Z", "      - at: {T}"),
    ("  - at: 2024-03-05T10:10:00Z", "  - at: {T}"),
    ("  - at: 2024-03-06T09:00:00Z", "  - at: {T}"),
    ("  - at: 2024-03-07", "  - at: {D}"),
    ("  - at: 2024-03-08", "  - at: {D}"),
    ("  - at: 2024-03-08", "  - at: {T}"),
];

/// The number of the line of `text` that reads `line` (indentation aside).
fn line_of(text: &str, line: &str) -> usize {
    1 + text
        .lines()
        .position(|l| l.trim_start() == line.trim_start())
        .expect("the file has the line")
}

/// A year outside 1900–9999 in any field is an error at that field's line, in `check` and in
/// `build` (+262142 panicked in the day arithmetic: `end + 14 days` overflowed).
#[test]
fn years_outside_1900_to_9999_are_errors_at_the_field() {
    let mut failures = Vec::new();
    for (year, time) in [
        ("0001", "0001-01-01T00:00:00Z"),
        ("1899", "1899-12-31 23:59"),
        ("+262142", "+262142-12-31 23:59"),
    ] {
        for (from, to) in DATED {
            let date = format!("{year}-12-31");
            let edited = to.replace("{T}", time).replace("{D}", &date);
            let site = site_with(from, &edited);
            let line = line_of(&read(&site.path().join(INCIDENT)), &edited);
            let want = format!("--> {INCIDENT}:{line}:");
            for command in ["check", "build"] {
                let r = run(command, site.path());
                let clear = r.stderr.contains("candor reads years 1900 to 9999")
                    && r.stderr.contains(&want);
                if r.code != 1 || !clear {
                    failures.push(format!("{command} {edited}: exit {}\n{}", r.code, r.stderr));
                }
            }
        }
    }
    // `since` in status.yaml too.
    let site = copy_site(&fixture("input/site"));
    let status = site.path().join("status.yaml");
    std::fs::write(
        &status,
        read(&status).replace("since: 2020-01-01", "since: 0001-01-01"),
    )
    .expect("write");
    let (code, stderr) = check(site.path());
    if code != 1 || !stderr.contains("--> status.yaml:9:12") {
        failures.push(format!("since: exit {code}\n{stderr}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The edges: every time must show a year from 1900 to 9999 in every timezone, so the first
/// and last day of that span are refused (9999-12-31 UTC is already the year 10000 east of
/// UTC, which broke the theme's day bars) and a day inside them builds, in a site zone east
/// of UTC (Seoul) and as of the last instant, so pages show 9999-12-31 local time.
#[test]
fn the_last_day_of_9999_and_the_first_of_1900_are_refused_in_every_zone() {
    for (start, end) in [
        ("1900-01-02T00:00:00Z", "9999-12-30T23:59:00Z"),
        ("1900-01-02T09:00:00+09:00", "9999-12-30T11:59:00-12:00"),
        ("1900-01-02 09:00", "9999-12-31 08:59"),
    ] {
        let site = site_with("end: 2024-03-05T12:00:00Z", &format!("end: {end}"));
        let path = site.path().join(INCIDENT);
        std::fs::write(&path, read(&path).replace("2024-03-05T10:00:00Z", start)).expect("write");
        let root = site.path().to_string_lossy().into_owned();
        let r = candor(&["build", "--root", &root, "--now", "9999-12-30T23:59:59Z"]);
        assert_eq!(r.code, 0, "{end}: {}", r.stderr);
        let index = read(&site.path().join("public/index.html"));
        assert!(index.contains("9999"), "the page shows the year 9999");
        assert!(!index.contains("10000"), "no page shows the year 10000");
    }
    for (field, time) in [
        ("end", "9999-12-31T00:00:00Z"),
        ("end", "9999-12-31T23:59:00-12:00"),
        ("end", "9999-12-31 09:00"),
        ("start", "1900-01-01T23:59:00Z"),
        ("start", "1900-01-01T11:59:00-12:00"),
    ] {
        let site = if field == "end" {
            site_with("end: 2024-03-05T12:00:00Z", &format!("end: {time}"))
        } else {
            site_with("2024-03-05T10:00:00Z", time)
        };
        let r = run("check", site.path());
        assert_eq!(r.code, 1, "{field}: {time}: {}", r.stderr);
        assert!(
            r.stderr.contains("candor reads years 1900 to 9999")
                && r.stderr.contains("from 1900-01-02 to 9999-12-30 23:59 UTC"),
            "{field}: {time}: {}",
            r.stderr
        );
    }
    let site = copy_site(&fixture("input/site"));
    let root = site.path().to_string_lossy().into_owned();
    // `--now` is read with the same rule.
    for now in ["+262142-12-31 23:59", "9999-12-31T00:00:00Z"] {
        let r = candor(&["build", "--root", &root, "--now", now]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains("candor reads years 1900 to 9999"),
            "{}",
            r.stderr
        );
    }
    // And so is a pinned clock (it panicked near chrono's end, broke the theme in 10000).
    for epoch in [
        8_210_266_876_799,
        253_402_300_800,
        253_402_214_400,
        -2_208_988_800_000,
    ] {
        let r = candor_with_clock(&["build", "--root", &root], Some(epoch));
        assert_eq!(r.code, 2, "{epoch}: {}", r.stderr);
        assert!(
            r.stderr.contains("SOURCE_DATE_EPOCH is out of range"),
            "{}",
            r.stderr
        );
    }
}

fn at(text: &str) -> Time {
    chrono::DateTime::parse_from_rfc3339(text)
        .expect("test time")
        .with_timezone(&chrono::Utc)
}

/// In `watch` and `serve` a far year arrives as an edit: the session reports it as an error
/// at the field and keeps the last good site, its clock keeps ticking, and the fix heals it.
#[test]
fn a_live_session_refuses_a_far_year_and_keeps_running() {
    let site = copy_site(&fixture("input/site"));
    let path = site.path().join(INCIDENT);
    let good = read(&path);
    let now = at(NOW);
    let mut session = Session::new(options(site.path(), &site.path().join("public"), now));
    session
        .rebuild(&[Change::Unknown], now)
        .expect("first build");
    let index = read(&site.path().join("public/index.html"));

    for (from, to) in DATED {
        let edited = to
            .replace("{T}", "+262142-12-31 23:59")
            .replace("{D}", "+262142-12-31");
        std::fs::write(&path, good.replacen(from, &edited, 1)).expect("edit");
        let err = session
            .rebuild(&[Change::Incident(path.clone())], now)
            .expect_err(&edited);
        let message = err.to_string();
        assert!(message.contains("error"), "{edited}: {message}");
        let line = line_of(&read(&path), &edited);
        match err {
            candor::error::Error::Load(candor::error::LoadError::Invalid(found)) => assert!(
                found.iter().any(|d| d.line == Some(line)
                    && d.message.contains("candor reads years 1900 to 9999")),
                "{edited}: {found:?}"
            ),
            other => panic!("{edited}: {other}"),
        }
        for days in [1, 400] {
            let later = now + chrono::Duration::days(days);
            assert!(
                session.tick(later).is_err(),
                "the broken file is still reported"
            );
        }
        assert_eq!(
            read(&site.path().join("public/index.html")),
            index,
            "{edited}"
        );
    }
    std::fs::write(&path, &good).expect("fix");
    let later = now + chrono::Duration::days(400);
    session
        .rebuild(&[Change::Incident(path.clone())], later)
        .expect("healed");
    assert!(session.next_tick().is_some_and(|t| t > later));
}
