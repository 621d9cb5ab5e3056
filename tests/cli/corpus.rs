//! The fixture corpora: each broken or warning site says, word for word, what its snapshot
//! file says (`check.txt` beside it), builds as `check` foretold, and real outages build.
//! Runs on copies of the fixtures; never writes a snapshot unless `SNAPSHOTS=overwrite` is set.

use crate::support::*;
use std::path::{Path, PathBuf};

const NOW: &str = "2024-06-01T00:00:00Z";
/// The clock of every run here, as `SOURCE_DATE_EPOCH`: NOW, so "after the clock" is measured
/// against the build time, as on a machine whose clock is right.
const CLOCK: i64 = 1_717_200_000;
/// `candor check` as a user runs it in the site folder.
const CHECK: [&str; 3] = ["check", "--now", NOW];
const BUILD: [&str; 3] = ["build", "--now", NOW];

fn cases(corpus: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(fixture(corpus))
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "{corpus} has cases");
    dirs
}

fn name(case: &Path) -> String {
    case.file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned()
}

/// `check`'s stderr without its closing count (`candor: 1 error, 0 warnings`), and that count:
/// `build` prints the same diagnostics, then says what it wrote.
fn diagnostics_and_count(stderr: &str) -> (&str, Option<&str>) {
    let body = stderr.strip_suffix('\n').unwrap_or(stderr);
    match body.rsplit_once('\n') {
        Some((diagnostics, count)) if count.starts_with("candor: ") => {
            (&stderr[..diagnostics.len() + 1], Some(count))
        }
        _ => (stderr, None),
    }
}

/// Each broken site is refused with the words, places and carets of its snapshot, `build`
/// refuses it with the same diagnostics, and the previous output stays byte for byte.
#[test]
fn every_broken_site_says_what_its_snapshot_says_and_the_old_site_survives() {
    let mut report = Report::default();
    for case in cases("broken") {
        let name = name(&case);
        let site = copy_site(&case);
        let out = site.path().join("public");
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(out.join(".candor"), "").expect("marker");
        std::fs::write(out.join("index.html"), "the previous site").expect("old page");

        let check = candor_in(site.path(), CLOCK, &CHECK);
        report.result(snapshot(&case.join("check.txt"), check.transcript(&CHECK)));
        report.check(check.code != 0, || format!("{name}: check passed"));

        let build = candor_in(site.path(), CLOCK, &BUILD);
        let expected = match diagnostics_and_count(&check.stderr) {
            (diagnostics, Some(count)) => format!("{diagnostics}{count}; nothing was written\n"),
            (usage, None) => usage.to_owned(),
        };
        report.check(build.code == check.code && build.stderr == expected, || {
            format!(
                "{name}: build exited {} and said\n{}\nnot as check foretold:\n{expected}",
                build.code, build.stderr
            )
        });
        report.check(read(&out.join("index.html")) == "the previous site", || {
            format!("{name}: the old page was replaced")
        });
        report.check(files(&out) == [".candor", "index.html"], || {
            format!("{name}: files were added to the old site")
        });
    }
    report.finish();
}

/// Each warning site warns with the words of its snapshot, then builds as a user would see it:
/// the same warnings, every incident's page written; under `--strict` it fails and writes nothing.
#[test]
fn warning_sites_build_with_their_warnings_and_fail_under_strict() {
    let mut report = Report::default();
    for case in cases("warnings") {
        let name = name(&case);
        let site = copy_site(&case);
        let check = candor_in(site.path(), CLOCK, &CHECK);
        report.result(snapshot(&case.join("check.txt"), check.transcript(&CHECK)));

        let strict = candor_in(site.path(), CLOCK, &["check", "--strict", "--now", NOW]);
        report.check(strict.code == 1, || {
            format!("{name}: check --strict passed")
        });
        let strict = candor_in(site.path(), CLOCK, &["build", "--strict", "--now", NOW]);
        report.check(
            strict.code == 1 && strict.stderr.ends_with("; nothing was written\n"),
            || {
                format!(
                    "{name}: build --strict exited {}\n{}",
                    strict.code, strict.stderr
                )
            },
        );
        report.check(!site.path().join("public").exists(), || {
            format!("{name}: build --strict wrote public/")
        });

        let build = candor_in(site.path(), CLOCK, &BUILD);
        let (warnings, _) = diagnostics_and_count(&check.stderr);
        report.check(build.code == 0 && build.stderr == warnings, || {
            format!(
                "{name}: build exited {} and said\n{}\nnot the warnings of check:\n{warnings}",
                build.code, build.stderr
            )
        });
        report.check(build.stdout.contains(" files written"), || {
            format!("{name}: build stdout {:?}", build.stdout)
        });
        // What a user opens next: the front page, and each incident's page with its title.
        let public = site.path().join("public");
        report.check(public.join("index.html").is_file(), || {
            format!("{name}: build wrote no index.html")
        });
        for file in files(&site.path().join("incidents")) {
            let slug = file.strip_suffix(".yaml").expect("incidents/*.yaml");
            let page = public.join(format!("incidents/{slug}/index.html"));
            let yaml = read(&site.path().join("incidents").join(&file));
            let title = yaml.lines().find_map(|l| l.strip_prefix("title: "));
            report.check(
                page.is_file() && title.is_some_and(|t| read(&page).contains(t)),
                || format!("{name}: no page for {slug} with its title {title:?}"),
            );
        }
        // A link the warning says is dropped is gone from every page.
        for html in files(&public).iter().filter(|f| f.ends_with(".html")) {
            let page = read(&public.join(html)).to_ascii_lowercase();
            for scheme in [
                "javascript:",
                "vbscript:",
                "data:image",
                "&#x61;script",
                "&#97;script",
            ] {
                report.check(!page.contains(scheme), || {
                    format!("{name}: {html} holds a {scheme} link")
                });
            }
        }
    }
    report.finish();
}

/// Outages of other companies, written by someone else, build cleanly and read right.
#[test]
fn real_outages_build_without_warnings_and_read_right() {
    for case in cases("real") {
        let name = name(&case);
        let site = copy_site(&case);
        let out = site.path().join("public");
        build(site.path(), &out, "2024-09-01T00:00:00Z").warns_nothing();
        let incidents = out.join("incidents");
        let pages: String = files(&incidents)
            .iter()
            .map(|f| read(&incidents.join(f)))
            .collect();
        for line in read(&case.join("expect.txt"))
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            assert!(
                pages.contains(line.trim()),
                "{name}: no {line:?} in its incident pages"
            );
        }
    }
}

/// A site from the real corpus with `extra` incident files added: the shape of the generated
/// broken cases, whose snapshots live in `tests/cli/snapshots/`.
fn fastly_with(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let site = copy_site(&fixture("real/fastly-2021"));
    for (name, body) in extra {
        std::fs::write(site.path().join(format!("incidents/{name}.yaml")), body).expect("write");
    }
    site
}

#[test]
fn a_file_over_one_mebibyte_is_refused_before_it_is_read() {
    let mut text = String::from("title: Huge\nstart: 2021-01-01T00:00:00Z\nsummary: |\n");
    while text.len() <= 1024 * 1024 {
        text.push_str("  padding padding padding padding padding padding padding padding\n");
    }
    let site = fastly_with(&[("2021-01-01-huge", &text)]);
    let run = candor_in(site.path(), CLOCK, &CHECK);
    let pinned = repo().join("tests/cli/snapshots/file-over-one-mebibyte.txt");
    assert_snapshot(&pinned, run.transcript(&CHECK));
}

#[test]
fn check_reports_every_problem_of_every_file_at_once() {
    let site = fastly_with(&[
        (
            "2021-02-01-a",
            "title: A\nstart: 2021-02-01T00:00:00Z\nseverity: huge\n",
        ),
        (
            "2021-02-02-b",
            "title: B\nstart: 2021-02-02T00:00:00Z\n\
             services:\n  - id: nope\n    impact: major_outage\n",
        ),
    ]);
    let run = candor_in(site.path(), CLOCK, &CHECK);
    let pinned = repo().join("tests/cli/snapshots/every-problem-at-once.txt");
    assert_snapshot(&pinned, run.transcript(&CHECK));
}

/// `--format json` for bots, pinned whole for an error with help, one without a line, one with
/// a suggested replacement, a warning and a usage error; whatever is on stdout parses as JSON.
#[test]
fn check_speaks_json_for_bots() {
    let json = ["check", "--format", "json", "--now", NOW];
    let mut report = Report::default();
    for case in [
        "broken/unknown-impact",
        "broken/bad-slug",
        "broken/no-status-yaml",
        "broken/yaml-syntax-colon-in-value",
        "warnings/unresolved-over-30-days",
    ] {
        let site = copy_site(&fixture(case));
        let run = candor_in(site.path(), CLOCK, &json);
        report.result(snapshot(
            &fixture(case).join("check-json.txt"),
            run.transcript(&json),
        ));
        report.check(
            run.stdout.is_empty() || serde_json::from_str::<serde_json::Value>(&run.stdout).is_ok(),
            || format!("{case}: stdout is not JSON: {}", run.stdout),
        );
    }
    report.finish();
}
