//! Properties over random valid sites, through the library: every such site loads without an
//! error and builds (every page and file rendered and written), and each service's uptime is a
//! share that equals a naive count, minute by minute, of the weighted downtime format.md
//! describes. Sites are generated as structures, written out as YAML, and read back by the
//! real loader; proptest shrinks a failure to a small site and prints it.
//!
//! Never writes inside the repository (each case has its own temporary folder, and proptest
//! keeps no regression file), never reads the clock: every instant is generated.

mod sites;

use candor::load::{self, LoadOptions};
use candor::model::Time;
use candor::model::state::State;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::test_runner::Config;
use sites::{End, Incident, MINUTES_PER_DAY, Site, base, minute, site_at, weights, write_site};
use std::path::Path;

/// Loads the site as `candor build --now at` would; any error fails the property.
fn load(root: &Path, at: Time) -> Result<load::Loaded, TestCaseError> {
    let options = LoadOptions {
        now: at,
        clock: at,
        drafts: false,
        languages: candor::theme::languages,
    };
    load::load(root, &options).map_err(|e| match e {
        candor::error::LoadError::Invalid(found) => TestCaseError::fail(
            candor::report::diagnostics(&found, candor::diagnostic::Color::Never),
        ),
        other => TestCaseError::fail(other.to_string()),
    })
}

/// format.md: an incident appears from its start; a window from its first update (its
/// announcement), or always when it has none. Drafts never (no `--drafts`).
fn shown(i: &Incident, at: i64) -> bool {
    !i.draft
        && if i.maintenance {
            i.updates.first().is_none_or(|u| i.start + u.0 <= at)
        } else {
            i.start <= at
        }
}

/// The weighted downtime share of service `k` over `[from, to)` (minutes from BASE), counted
/// one minute at a time: in each minute, the largest weight among the impacts in force.
fn naive_uptime(site: &Site, k: usize, from: i64, to: i64) -> Option<f64> {
    if to <= from {
        return None;
    }
    let [major, partial, degraded] = weights(site);
    let weight = [degraded, partial, major, 0.0];
    let mut down = 0.0;
    for m in from..to {
        let mut worst: f64 = 0.0;
        for i in site.incidents.iter().filter(|i| shown(i, to)) {
            let end = (i.end != End::Open).then_some(i.start + i.len);
            for h in i.hits.iter().filter(|h| h.service == k) {
                let until = h.restored.map(|r| i.start + r).or(end).unwrap_or(i64::MAX);
                if m < i.start + h.from || m >= until {
                    continue;
                }
                let stage = h.stages.iter().rev().find(|s| i.start + s.0 <= m);
                let impact = stage.map_or(h.impact.unwrap_or(3), |s| s.1);
                worst = worst.max(weight[impact]);
            }
        }
        down += worst;
    }
    Some(1.0 - down / (to - from) as f64)
}

/// Minutes from BASE of a whole-minute instant.
fn minutes(t: Time) -> i64 {
    let d = t - base();
    assert_eq!(d.num_seconds() % 60, 0, "{t} is a whole minute");
    d.num_minutes()
}

fn local_midnight(date: NaiveDate, tz: Tz) -> Time {
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight");
    let local = tz.from_local_datetime(&midnight).earliest();
    local
        .expect("these zones have every midnight")
        .with_timezone(&Utc)
}

/// 64 cases each, a few seconds in debug; `PROPTEST_CASES=5000` for a longer search.
fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok();
    Config {
        cases: cases.and_then(|n| n.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_valid_sites_always_build((site, now) in site_at(MINUTES_PER_DAY..8 * MINUTES_PER_DAY)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let (root, output) = (dir.path().join("site"), dir.path().join("public"));
        write_site(&site, &root);
        let at = minute(now);
        load(&root, at)?;
        let options = crate::support::options(&root, &output, at);
        let report = candor::build(&options).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(report.written > 0);
        prop_assert!(output.join("index.html").is_file());
        for (n, i) in site.incidents.iter().enumerate() {
            let page = output.join(format!("incidents/incident-{n}/index.html"));
            prop_assert_eq!(page.is_file(), shown(i, now), "{}", page.display());
        }
    }

    #[test]
    fn uptime_equals_a_minute_by_minute_count(
        (site, now) in site_at(MINUTES_PER_DAY..8 * MINUTES_PER_DAY),
        days in 1..21u32,
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        write_site(&site, dir.path());
        let at = minute(now);
        let loaded = load(dir.path(), at)?;
        let state = State::at(&loaded.site, at);
        let tz: Tz = site.zone.parse().expect("zone");
        // The window: from local midnight `days - 1` days before the day of `at`, or from
        // the service's `since` when later, to `at`.
        let today = at.with_timezone(&tz).date_naive();
        let first = local_midnight(today - Duration::days(i64::from(days) - 1), tz);
        for (k, service) in site.services.iter().enumerate() {
            let since = service
                .since
                .map(|d| local_midnight(base().date_naive() + Duration::days(d), tz));
            let from = since.map_or(first, |s| s.max(first));
            let expected = naive_uptime(&site, k, minutes(from), now);
            let got = state.uptime(k, days);
            match (got, expected) {
                (Some(u), Some(e)) => {
                    prop_assert!((0.0..=1.0).contains(&u), "uptime {u} of s{k}");
                    prop_assert!((u - e).abs() < 1e-9, "s{k}: {u} against a count of {e}");
                }
                (u, e) => prop_assert_eq!(u, e, "s{}: a window of no time", k),
            }
        }
    }
}

/// What the fuzzer crashed on (`fuzz/crashes-found/*.min`: status.yaml, NUL, incident files)
/// ends in a clear error, never a panic (exit 101) or a theme error: a year candor cannot write
/// in a feed or a calendar day is refused at load, at its line.
#[test]
fn fuzz_findings_end_in_a_clear_error() {
    let found = crate::support::repo().join("fuzz/crashes-found");
    let mut inputs: Vec<_> = std::fs::read_dir(&found)
        .expect("fuzz/crashes-found")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "min"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no .min input in {}", found.display());
    for input in inputs {
        let dir = tempfile::tempdir().expect("tempdir");
        let bytes = std::fs::read(&input).expect("read input");
        let mut files = bytes.split(|&b| b == 0);
        std::fs::write(
            dir.path().join("status.yaml"),
            files.next().unwrap_or_default(),
        )
        .expect("write");
        std::fs::create_dir(dir.path().join("incidents")).expect("mkdir");
        // The names the fuzz target gives its incident files (fuzz/src/lib.rs).
        for (name, text) in ["2024-05-01-first", "2024-05-02-second"].iter().zip(files) {
            let path = dir.path().join(format!("incidents/{name}.yaml"));
            std::fs::write(path, text).expect("write");
        }
        let output = dir.path().join("public");
        let root = dir.path().to_string_lossy();
        let run = crate::support::candor(&[
            "build",
            "--root",
            &root,
            "--output",
            &output.to_string_lossy(),
            "--now",
            "2024-06-01T00:00:00Z",
        ]);
        let name = input.display();
        assert_eq!(run.code, 1, "{name}: exit code; stderr:\n{}", run.stderr);
        assert!(
            run.stderr.contains("candor reads years 1900 to 9999"),
            "{name}:\n{}",
            run.stderr
        );
        assert!(!output.exists(), "{name}: nothing is written");
    }
}
