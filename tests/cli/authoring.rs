//! `candor init`, `new` and `update`: each writes a file that checks, and `update` keeps every
//! byte it did not add.

use crate::support::*;
use std::path::{Path, PathBuf};

const FASTLY: &str = "incidents/2021-06-08-global-cdn-outage.yaml";

fn root_arg(site: &tempfile::TempDir) -> String {
    site.path().to_string_lossy().into_owned()
}

/// The one path a command printed on stdout.
fn written(run: &Run) -> PathBuf {
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = PathBuf::from(run.stdout.trim());
    assert!(
        path.is_file(),
        "stdout names the file written: {:?}",
        run.stdout
    );
    path
}

fn check_passes(root: &Path, now: &str) {
    let run = candor(&["check", "--root", &root.to_string_lossy(), "--now", now]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning:"), "{}", run.stderr);
}

#[test]
fn init_makes_a_site_that_builds_without_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("status");
    let root_s = root.to_string_lossy().into_owned();
    let now = "2024-03-01T08:00:00Z";
    let run = candor(&["init", &root_s, "--now", now]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("status.yaml"), "{}", run.stdout);
    assert!(
        run.stdout.contains("example-slow-api.yaml"),
        "{}",
        run.stdout
    );
    let run = candor(&["build", "--root", &root_s, "--now", now]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "no warnings: {}", run.stderr);
    assert!(root.join("public/index.html").is_file());

    let again = candor(&["init", &root_s, "--now", now]);
    assert_eq!(again.code, 2, "an existing site is refused");
    assert!(
        again.stderr.contains("already has a status.yaml"),
        "{}",
        again.stderr
    );
}

#[test]
fn new_writes_an_incident_that_checks() {
    let site = copy_site(&fixture("real/fastly-2021"));
    let title = "CDN errors: \"EU\" edge #2";
    let now = "2021-06-10T08:15:30Z";
    let run = candor(&[
        "new",
        title,
        "--root",
        &root_arg(&site),
        "--service",
        "delivery",
        "--impact",
        "partial_outage",
        "--service",
        "config-api",
        "--now",
        now,
    ]);
    let path = written(&run);
    assert_eq!(
        path,
        site.path()
            .join("incidents/2021-06-10-cdn-errors-eu-edge-2.yaml")
    );
    let text = read(&path);
    assert!(
        text.contains(r#"title: "CDN errors: \"EU\" edge #2""#),
        "{text}"
    );
    assert!(text.contains("start: 2021-06-10T08:15:30Z"), "{text}");
    assert!(
        text.contains("  - id: config-api\n    impact: major_outage"),
        "the default impact: {text}"
    );
    assert!(text.contains("severity: major"), "{text}");
    check_passes(site.path(), now);

    let unknown = candor(&[
        "new",
        "X",
        "--root",
        &root_arg(&site),
        "--service",
        "cdn",
        "--now",
        now,
    ]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains("unknown service `cdn`"),
        "{}",
        unknown.stderr
    );
    assert!(
        unknown
            .stderr
            .contains("known services: delivery, image-optimizer"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn update_appends_and_keeps_every_other_byte() {
    let site = copy_site(&fixture("real/fastly-2021"));
    let path = site.path().join(FASTLY);
    let before = read(&path);
    let message =
        "Post-incident note: caches are \"warm\" again # all regions\n\nNo action needed.";
    let run = candor(&[
        "update",
        "2021-06-08-global-cdn-outage",
        "--root",
        &root_arg(&site),
        "--status",
        "resolved",
        "--message",
        message,
        "--now",
        "2021-06-08T13:05:00Z",
    ]);
    assert_eq!(written(&run), path);
    let after = read(&path);
    // The new update goes at the end of `updates:`, before `apologies:`, and nothing else moves.
    let split = before.find("apologies:").expect("fixture has apologies");
    let inserted = "  - at: 2021-06-08T13:05:00Z\n    status: resolved\n    message: |\n      \
                    Post-incident note: caches are \"warm\" again # all regions\n\n      No action needed.\n";
    assert_eq!(
        after,
        format!("{}{inserted}{}", &before[..split], &before[split..])
    );
    check_passes(site.path(), "2021-06-09T00:00:00Z");
}

#[test]
fn update_restored_marks_the_service_and_still_checks() {
    let site = copy_site(&fixture("real/fastly-2021"));
    let start = "2021-06-10T08:00:00Z";
    let run = candor(&[
        "new",
        "Image errors",
        "--root",
        &root_arg(&site),
        "--service",
        "delivery",
        "--impact",
        "degraded_performance",
        "--service",
        "image-optimizer",
        "--impact",
        "major_outage",
        "--now",
        start,
    ]);
    let path = written(&run);
    let slug = path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("stem")
        .to_owned();
    let before = read(&path);
    let run = candor(&[
        "update",
        &slug,
        "--root",
        &root_arg(&site),
        "--restored",
        "image-optimizer",
        "--status",
        "monitoring",
        "--message",
        "Images load again.",
        "--now",
        "2021-06-10T09:30:00Z",
    ]);
    assert_eq!(written(&run), path);
    // One line added to the service's entry, one update at the end; every other byte as it was.
    let impact = "  - id: image-optimizer\n    impact: major_outage            \
                  # degraded_performance | partial_outage | major_outage\n";
    let expected = before.replacen(
        impact,
        &format!("{impact}    restored: 2021-06-10T09:30:00Z\n"),
        1,
    ) + "  - at: 2021-06-10T09:30:00Z\n    status: monitoring\n    message: |\n      Images load again.\n";
    assert_eq!(read(&path), expected);
    check_passes(site.path(), "2021-06-10T10:00:00Z");
}

#[test]
fn update_refuses_bad_slugs_and_words_and_writes_nothing() {
    let site = copy_site(&fixture("real/fastly-2021"));
    let status_before = read(&site.path().join("status.yaml"));
    let escape = candor(&[
        "update",
        "../status",
        "--root",
        &root_arg(&site),
        "--status",
        "identified",
        "--message",
        "x",
        "--now",
        "2021-06-08T13:00:00Z",
    ]);
    assert_eq!(escape.code, 2, "{}", escape.stderr);
    assert!(
        escape.stderr.contains("not an incident slug"),
        "{}",
        escape.stderr
    );
    assert_eq!(read(&site.path().join("status.yaml")), status_before);

    let before = read(&site.path().join(FASTLY));
    let word = candor(&[
        "update",
        "2021-06-08-global-cdn-outage",
        "--root",
        &root_arg(&site),
        "--restored",
        "delivery",
        "--status",
        "fixed",
        "--message",
        "x",
        "--now",
        "2021-06-08T13:00:00Z",
    ]);
    assert_eq!(word.code, 2, "{}", word.stderr);
    assert!(
        word.stderr
            .contains("unknown status `fixed` for an incident"),
        "{}",
        word.stderr
    );
    assert!(
        word.stderr
            .contains("investigating | identified | monitoring | resolved"),
        "{}",
        word.stderr
    );
    assert_eq!(
        read(&site.path().join(FASTLY)),
        before,
        "a refused update writes nothing"
    );

    let missing = candor(&[
        "update",
        "2021-06-08-global-cdn-outag",
        "--root",
        &root_arg(&site),
        "--status",
        "identified",
        "--message",
        "x",
        "--now",
        "2021-06-08T13:00:00Z",
    ]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing
            .stderr
            .contains("did you mean `2021-06-08-global-cdn-outage`?"),
        "{}",
        missing.stderr
    );
}
