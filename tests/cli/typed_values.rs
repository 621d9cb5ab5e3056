//! Values typed on the command line (issue 15, as a new user tried it): a wrong service id or
//! word is named at the flag, with the closest right one, never at a YAML line the command
//! would have written; a refusal for what the file says already (a service restored, the
//! incident over, the level it is at) names what to type instead. Nothing is written.

use crate::support::*;
use std::path::Path;

const SLUG: &str = "2026-11-29-calls-down";
const FILE: &str = "incidents/2026-11-29-calls-down.yaml";

/// A copy of the pressure site with voice down since 05:20 (Toronto), posted 05:40.
fn outage() -> tempfile::TempDir {
    let site = copy_site(&fixture("pressure"));
    let args = [
        "Calls down",
        "--start",
        "2026-11-29 05:20",
        "--service",
        "voice",
        "--now",
        "2026-11-29 05:40",
    ];
    at_root(site.path(), "new", &args).exits(0);
    site
}

/// Runs `update SLUG ARGS`, expects `code` and nothing written, and returns stderr.
#[track_caller]
fn refused(site: &Path, args: &[&str], code: i32) -> String {
    let before = read(&site.join(FILE));
    let mut all = vec![SLUG];
    all.extend_from_slice(args);
    let run = at_root(site, "update", &all);
    run.exits(code).says("nothing was written");
    assert_eq!(read(&site.join(FILE)), before, "the file changed");
    run.stderr.clone()
}

#[test]
fn a_wrong_id_or_word_is_shown_where_it_was_typed_with_the_closest_one() {
    let site = outage();
    let now = ["--now", "2026-11-29 06:00"];
    let cases: [(&[&str], &str, &str, &str); 5] = [
        (
            &["--impact", "vocie=partial_outage"],
            "unknown service `vocie`",
            "vocie",
            "did you mean `voice`?",
        ),
        (
            &["--impact", "voice=partial"],
            "unknown impact `partial`",
            "partial",
            "did you mean `partial_outage`?",
        ),
        (
            &["--restored", "vocie"],
            "unknown service `vocie`",
            "vocie",
            "did you mean `voice`?",
        ),
        (
            &["--restored", "mobile-data"],
            "service `mobile-data` is not in this incident",
            "mobile-data",
            "type `--impact mobile-data=major_outage`",
        ),
        (
            &["--status", "resolvd", "--message", "Fixed"],
            "unknown status `resolvd`",
            "resolvd",
            "did you mean `resolved`?",
        ),
    ];
    for (args, message, word, help) in cases {
        let mut all = args.to_vec();
        all.extend_from_slice(&now);
        let stderr = refused(site.path(), &all, 2);
        assert!(stderr.contains(&format!("error: {message}")), "{stderr}");
        let typed = format!("--> on the command line: {} {}", args[0], args[1]);
        assert_eq!(underlined(&stderr, &typed), word, "{stderr}");
        assert!(stderr.contains(help), "{stderr}");
        // No line of YAML the command would have written is shown as if it were the file's.
        let source_line = |l: &str| {
            (l.trim_start().split_once(" |")).is_some_and(|(n, _)| n.parse::<u32>().is_ok())
        };
        assert!(!stderr.lines().any(source_line), "{stderr}");
    }
}

/// The part of the line ending in `typed` that the carets of the next line underline.
#[track_caller]
fn underlined<'s>(stderr: &'s str, typed: &str) -> &'s str {
    let mut lines = stderr.lines();
    let line = lines
        .find(|l| l.ends_with(typed))
        .expect("the typed value is shown");
    let carets = lines.next().expect("a line of carets");
    let start = carets.find('^').expect("carets");
    let end = carets.rfind('^').expect("carets") + 1;
    assert!(carets[start..end].chars().all(|c| c == '^'), "{carets}");
    &line[start..end]
}

#[test]
fn new_names_a_wrong_service_impact_or_severity_at_its_flag() {
    let site = copy_site(&fixture("pressure"));
    let before = files(site.path());
    let cases: [(&[&str], &str); 3] = [
        (
            &["--service", "vocie"],
            "--> on the command line: --service vocie",
        ),
        (
            &["--service", "voice", "--impact", "major"],
            "did you mean `major_outage`?",
        ),
        (
            &["--service", "voice", "--severity", "critcal"],
            "did you mean `critical`?",
        ),
    ];
    for (args, says) in cases {
        let mut all = vec!["Calls down"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--now", "2026-11-29 05:40"]);
        at_root(site.path(), "new", &all).exits(2).says(says);
    }
    assert_eq!(files(site.path()), before);
}

#[test]
fn a_stage_after_the_service_came_back_says_what_to_type() {
    let site = outage();
    let restored = [SLUG, "--restored", "voice", "--now", "2026-11-29 06:10"];
    at_root(site.path(), "update", &restored).exits(0);
    let stderr = refused(
        site.path(),
        &[
            "--impact",
            "voice=partial_outage",
            "--now",
            "2026-11-29 06:30",
        ],
        1,
    );
    assert!(
        stderr.contains("`voice` was restored at 2026-11-29T06:10:00-05:00"),
        "{stderr}"
    );
    assert!(stderr.contains("--now \"YYYY-MM-DD HH:MM\""), "{stderr}");
    assert!(
        stderr.contains("candor new \"TITLE\" --service voice"),
        "{stderr}"
    );
    // Given the earlier time it names, the same change is a stage.
    let earlier = [
        SLUG,
        "--impact",
        "voice=partial_outage",
        "--now",
        "2026-11-29 06:00",
    ];
    at_root(site.path(), "update", &earlier).exits(0);
}

#[test]
fn after_resolution_a_stage_or_restoration_says_what_to_type() {
    let site = outage();
    let resolve = [
        SLUG,
        "--status",
        "resolved",
        "--message",
        "Fixed",
        "--now",
        "2026-11-29 07:00",
    ];
    at_root(site.path(), "update", &resolve).exits(0);
    let later = ["--now", "2026-11-29 07:30"];
    let stderr = refused(
        site.path(),
        &[&["--impact", "mobile-data=partial_outage"][..], &later].concat(),
        1,
    );
    assert!(
        stderr.contains("this incident ended at 2026-11-29T07:00:00-05:00"),
        "{stderr}"
    );
    assert!(
        stderr.contains("candor new \"TITLE\" --service mobile-data"),
        "{stderr}"
    );
    let stderr = refused(
        site.path(),
        &[&["--restored", "voice"][..], &later].concat(),
        1,
    );
    assert!(
        stderr.contains("`voice` counts as restored then"),
        "{stderr}"
    );
    assert!(stderr.contains("add `--now"), "{stderr}");
    // A service the incident never listed is named as such, ended or not.
    let stderr = refused(
        site.path(),
        &[&["--restored", "mobile-data"][..], &later].concat(),
        2,
    );
    assert!(
        stderr.contains("service `mobile-data` is not in this incident"),
        "{stderr}"
    );
}

#[test]
fn a_stage_that_changes_nothing_is_refused() {
    let site = outage();
    let stderr = refused(
        site.path(),
        &[
            "--impact",
            "voice=major_outage",
            "--now",
            "2026-11-29 06:00",
        ],
        1,
    );
    assert!(
        stderr.contains("`voice` is at `major_outage` already: nothing would change"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`--impact voice=partial_outage`"),
        "{stderr}"
    );
    // After a stage, the level to compare with is the stage's.
    let stage = [
        SLUG,
        "--impact",
        "voice=partial_outage",
        "--now",
        "2026-11-29 06:00",
    ];
    at_root(site.path(), "update", &stage).exits(0);
    refused(
        site.path(),
        &[
            "--impact",
            "voice=partial_outage",
            "--now",
            "2026-11-29 06:10",
        ],
        1,
    );
    let back = [
        SLUG,
        "--impact",
        "voice=major_outage",
        "--now",
        "2026-11-29 06:20",
    ];
    at_root(site.path(), "update", &back).exits(0);
}

#[test]
fn a_window_ending_before_it_starts_is_shown_at_end_and_nothing_is_written() {
    let site = copy_site(&fixture("pressure"));
    let args = [
        "Core upgrade",
        "--maintenance",
        "--start",
        "2026-12-03 03:00",
        "--end",
        "2026-12-03 01:00",
        "--service",
        "voice",
        "--now",
        "2026-11-29 09:00",
    ];
    let before = files(&site.path().join("incidents"));
    let run = at_root(site.path(), "new", &args);
    run.exits(2)
        .says("the window would end before it starts")
        .says("--> on the command line: --end 2026-12-03T01:00:00-05:00")
        .says("give an `--end` after `--start`");
    assert_eq!(files(&site.path().join("incidents")), before);
}

#[test]
fn an_incident_word_for_a_window_names_the_window_word() {
    let site = copy_site(&fixture("pressure"));
    let window = [
        "Core upgrade",
        "--maintenance",
        "--start",
        "2026-12-03 01:00",
        "--end",
        "2026-12-03 03:00",
        "--service",
        "voice",
        "--now",
        "2026-11-29 09:00",
    ];
    at_root(site.path(), "new", &window).exits(0);
    let args = [
        "2026-12-03-core-upgrade",
        "--status",
        "resolved",
        "--message",
        "Done.",
        "--now",
        "2026-12-03 03:10",
    ];
    at_root(site.path(), "update", &args)
        .exits(2)
        .says("help: write `completed`: `resolved` is not said for a maintenance window")
        .says("nothing was written");
}
