//! The fixture corpora: broken sites fail with the right place, warnings warn, real outages build.

use crate::support::*;
use std::path::Path;

const NOW: &str = "2024-06-01T00:00:00Z";
/// The clock of the warning runs, pinned to NOW: a mistyped year is measured against it.
const CLOCK: i64 = 1_717_200_000;

struct Expect {
    exit: i32,
    lines: Vec<String>,
}

fn expect(case: &Path) -> Expect {
    let text = read(&case.join("expect.txt"));
    let mut lines = text.lines();
    let exit = lines
        .next()
        .and_then(|l| l.strip_prefix("exit: "))
        .and_then(|n| n.trim().parse().ok())
        .expect("expect.txt starts with `exit: N`");
    Expect {
        exit,
        lines: lines
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect(),
    }
}

fn cases(corpus: &str) -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(fixture(corpus))
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "{corpus} has cases");
    dirs
}

/// Each broken site exits as expected, names the file and line and the field, and a build
/// leaves the previous output byte for byte as it was.
#[test]
fn every_broken_site_is_refused_with_its_place_and_the_old_site_survives() {
    let mut failures = Vec::new();
    for case in cases("broken") {
        let name = case
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let want = expect(&case);
        let site = copy_site(&case);
        let out = site.path().join("public");
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(out.join(".candor"), "").expect("marker");
        std::fs::write(out.join("index.html"), "the previous site").expect("old page");

        let check = on_site("check", site.path(), NOW);
        let build = on_site("build", site.path(), NOW);
        for (what, run) in [("check", &check), ("build", &build)] {
            if run.code != want.exit {
                failures.push(format!(
                    "{name}: {what} exited {} not {}\n{}",
                    run.code, want.exit, run.stderr
                ));
            }
            for line in &want.lines {
                if !run.stderr.contains(line.as_str()) {
                    failures.push(format!(
                        "{name}: {what} stderr lacks {line:?}\n{}",
                        run.stderr
                    ));
                }
            }
        }
        assert_eq!(read(&out.join("index.html")), "the previous site", "{name}");
        assert_eq!(
            files(&out),
            [".candor", "index.html"],
            "{name}: nothing added"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn warnings_build_but_fail_under_strict() {
    for case in cases("warnings") {
        let name = case
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let want = expect(&case);
        let root = case.to_string_lossy().into_owned();
        let check = candor_with_clock(&["check", "--root", &root, "--now", NOW], Some(CLOCK));
        assert_eq!(check.code, 0, "{name}: {}", check.stderr);
        assert!(
            check.stderr.contains("warning:"),
            "{name}: {}",
            check.stderr
        );
        for line in &want.lines {
            assert!(
                check.stderr.contains(line.as_str()),
                "{name}: lacks {line:?}\n{}",
                check.stderr
            );
        }
        let strict = candor_with_clock(
            &["check", "--strict", "--root", &root, "--now", NOW],
            Some(CLOCK),
        );
        assert_eq!(strict.code, 1, "{name}: --strict fails on warnings");
    }
}

/// Outages of other companies, written by someone else, build cleanly and read right.
#[test]
fn real_outages_build_without_warnings_and_read_right() {
    for case in cases("real") {
        let name = case
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let site = copy_site(&case);
        let root = site.path().to_string_lossy().into_owned();
        let run = candor(&["build", "--root", &root, "--now", "2024-09-01T00:00:00Z"]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(!run.stderr.contains("warning"), "{name}: {}", run.stderr);
        let incidents = site.path().join("public/incidents");
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

#[test]
fn a_file_over_one_mebibyte_is_refused_before_it_is_read() {
    let site = copy_site(&fixture("real/fastly-2021"));
    let big = site.path().join("incidents/2021-01-01-huge.yaml");
    let mut text = String::from("title: Huge\nstart: 2021-01-01T00:00:00Z\nsummary: |\n");
    while text.len() <= 1024 * 1024 {
        text.push_str("  padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&big, text).expect("write");
    let run = on_site("check", site.path(), "2024-09-01T00:00:00Z");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("--> incidents/2021-01-01-huge.yaml"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("1 MiB"), "{}", run.stderr);
}

#[test]
fn check_reports_every_problem_of_every_file_at_once() {
    let site = copy_site(&fixture("real/fastly-2021"));
    for (name, body) in [
        (
            "2021-02-01-a",
            "title: A\nstart: 2021-02-01T00:00:00Z\nseverity: huge\n",
        ),
        (
            "2021-02-02-b",
            "title: B\nstart: 2021-02-02T00:00:00Z\nservices:\n  - id: nope\n    impact: major_outage\n",
        ),
    ] {
        std::fs::write(site.path().join(format!("incidents/{name}.yaml")), body).expect("write");
    }
    let run = on_site("check", site.path(), "2024-09-01T00:00:00Z");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("incidents/2021-02-01-a.yaml:3:11"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("incidents/2021-02-02-b.yaml:4:9"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("2 errors"), "{}", run.stderr);
}

#[test]
fn check_speaks_json_for_bots() {
    let case = fixture("broken/unknown-service-id");
    let run = candor(&[
        "check",
        "--format",
        "json",
        "--root",
        &case.to_string_lossy(),
        "--now",
        NOW,
    ]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json on stdout");
    assert_eq!(json["errors"], 1);
    let d = &json["diagnostics"][0];
    assert_eq!(d["level"], "error");
    assert!(
        d["file"]
            .as_str()
            .is_some_and(|f| f.starts_with("incidents/"))
    );
    assert!(d["line"].as_u64().is_some());
}
