//! `candor init`, `new` and `update`: each writes a file that checks, and `update` keeps every
//! byte it did not add. Every command runs on a copy of a fixture, never on the repository.

use crate::support::*;
use std::path::{Path, PathBuf};

const FASTLY: &str = "incidents/2021-06-08-global-cdn-outage.yaml";

fn root_arg(site: &tempfile::TempDir) -> String {
    site.path().to_string_lossy().into_owned()
}

/// The one path a command printed on stdout.
fn written(run: &Run) -> PathBuf {
    run.exits(0);
    let path = PathBuf::from(run.stdout.trim());
    assert!(
        path.is_file(),
        "stdout names the file written: {:?}",
        run.stdout
    );
    path
}

/// `candor update SLUG --root SITE ARGS --now NOW`.
fn update(site: &tempfile::TempDir, slug: &str, args: &[&str], now: &str) -> Run {
    let root = root_arg(site);
    let mut all = vec!["update", slug, "--root", &root];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--now", now]);
    candor(&all)
}

fn check_passes(root: &Path, now: &str) {
    on_site("check", root, now).exits(0).warns_nothing();
}

#[test]
fn init_makes_a_site_that_builds_without_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("status");
    let root_s = root.to_string_lossy().into_owned();
    let now = "2024-03-01T08:00:00Z";
    let run = candor(&["init", &root_s, "--now", now]);
    run.exits(0);
    assert!(run.stdout.contains("status.yaml"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("incidents/2024-03-02-example-maintenance.yaml"),
        "{}",
        run.stdout
    );
    let run = build(&root, &root.join("public"), now);
    assert!(run.stderr.is_empty(), "no warnings: {}", run.stderr);
    assert!(root.join("public/index.html").is_file());

    // An existing site is refused.
    candor(&["init", &root_s, "--now", now])
        .exits(2)
        .says("already has a status.yaml");
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
        text.contains("  - id: config-api\n    impact: partial_outage"),
        "one --impact goes with every --service: {text}"
    );
    assert!(text.contains("severity: minor"), "{text}");
    check_passes(site.path(), now);

    candor(&[
        "new",
        "X",
        "--root",
        &root_arg(&site),
        "--service",
        "cdn",
        "--now",
        now,
    ])
    .exits(2)
    .says("unknown service `cdn`")
    .says("known services: delivery, image-optimizer");
}

#[test]
fn update_appends_and_keeps_every_other_byte() {
    let site = copy_site(&fixture("real/fastly-2021"));
    let path = site.path().join(FASTLY);
    let before = read(&path);
    let message =
        "Post-incident note: caches are \"warm\" again # all regions\n\nNo action needed.";
    let run = update(
        &site,
        "2021-06-08-global-cdn-outage",
        &["--status", "resolved", "--message", message],
        "2021-06-08T13:05:00Z",
    );
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
    let run = update(
        &site,
        &slug,
        &[
            "--restored",
            "image-optimizer",
            "--status",
            "monitoring",
            "--message",
            "Images load again.",
        ],
        "2021-06-10T09:30:00Z",
    );
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
    let at = "2021-06-08T13:00:00Z";
    let status_before = read(&site.path().join("status.yaml"));
    let identified = ["--status", "identified", "--message", "x"];
    update(&site, "../status", &identified, at)
        .exits(2)
        .says("not an incident slug");
    assert_eq!(read(&site.path().join("status.yaml")), status_before);

    let before = read(&site.path().join(FASTLY));
    let fixed = [
        "--restored",
        "delivery",
        "--status",
        "fixed",
        "--message",
        "x",
    ];
    update(&site, "2021-06-08-global-cdn-outage", &fixed, at)
        .exits(2)
        .says("unknown status `fixed` for an incident")
        .says("investigating | identified | monitoring | resolved");
    assert_eq!(
        read(&site.path().join(FASTLY)),
        before,
        "a refused update writes nothing"
    );

    update(&site, "2021-06-08-global-cdn-outag", &identified, at)
        .exits(2)
        .says("did you mean `2021-06-08-global-cdn-outage`?");
}
