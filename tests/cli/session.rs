//! Incremental rebuilds: after any sequence of edits, renames and deletes, valid or not,
//! the output equals a clean build of the same files. Edits only a copy of the sample.

use crate::support::*;
use candor::live::session::{Change, Session};
use std::path::{Path, PathBuf};

const NOW: &str = "2022-10-25T00:00:00+09:00";

fn now() -> candor::model::Time {
    chrono::DateTime::parse_from_rfc3339(NOW)
        .expect("now")
        .with_timezone(&chrono::Utc)
}

/// A clean build of `root` into its folder `name`, as of `now()`, to compare with.
fn clean_build(root: &Path, name: &str) -> PathBuf {
    let clean = root.join(name);
    candor::build(&options(root, &clean, now())).expect("clean build");
    clean
}

/// A tiny deterministic generator, so a failing sequence can be replayed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

#[test]
fn hundreds_of_random_edits_end_equal_to_a_clean_build() {
    let site = sample_site();
    let out = site.path().join("public");
    let mut session = Session::new(options(site.path(), &out, now()));
    session
        .rebuild(&[Change::Unknown], now())
        .expect("first build");

    let incidents = site.path().join("incidents");
    let originals: Vec<(PathBuf, String)> = files(&incidents)
        .into_iter()
        .map(|f| (incidents.join(&f), read(&incidents.join(&f))))
        .collect();
    let mut rng = Lcg(20221015);
    let mut failed = 0;
    for step in 0..300 {
        let (path, original) = &originals[rng.next(originals.len())];
        let mut changes = vec![Change::Incident(path.clone())];
        match rng.next(7) {
            0 => std::fs::write(
                path,
                original.replacen("title:\n  en: ", &format!("title:\n  en: Step {step} "), 1),
            )
            .expect("edit"),
            1 => std::fs::write(path, format!("{original}\nbroken: [\n")).expect("break"),
            2 => {
                let _ = std::fs::remove_file(path);
            }
            3 => std::fs::write(path, original).expect("restore"),
            4 => {
                // An editor's save: write a temp file, rename it over the original.
                let temp = incidents.join(".save.tmp");
                std::fs::write(
                    &temp,
                    original.replace(
                        "summary:\n  en: |",
                        "summary:\n  en: |\n    Edited by rename.",
                    ),
                )
                .expect("temp");
                std::fs::rename(&temp, path).expect("rename");
            }
            5 => {
                // A copy under a new slug appears (and later maybe goes).
                let copy = incidents.join(format!("2022-10-2{}-copy.yaml", step % 3));
                std::fs::write(&copy, original).expect("copy");
                changes.push(Change::Incident(copy));
            }
            _ => std::fs::write(path, original.replace("end:", "# end removed\nnot_end:"))
                .expect("unknown key"),
        }
        if session.rebuild(&changes, now()).is_err() {
            failed += 1;
        }
    }
    assert!(failed > 10, "the sequence had invalid states: {failed}");
    // Make every file valid again, then compare with a clean build.
    let mut last = Vec::new();
    for (path, original) in &originals {
        std::fs::write(path, original).expect("restore");
        last.push(Change::Incident(path.clone()));
    }
    session
        .rebuild(&last, now())
        .expect("the restored site builds");
    let clean = clean_build(site.path(), "clean");
    assert_same_tree(&clean, &out, "the session's output against a clean build");
}

#[test]
fn an_edit_re_renders_only_the_pages_it_touches() {
    let site = sample_site();
    let out = site.path().join("public");
    let mut session = Session::new(options(site.path(), &out, now()));
    let first = session
        .rebuild(&[Change::Unknown], now())
        .expect("first build");
    assert!(first.full);

    let path = site
        .path()
        .join("incidents/2022-09-20-kakao-t-slow-taxi-dispatch.yaml");
    let text = read(&path).replacen("title:\n  en: ", "title:\n  en: Edited ", 1);
    std::fs::write(&path, text).expect("edit");
    let second = session
        .rebuild(&[Change::Incident(path.clone())], now())
        .expect("rebuild");
    assert!(!second.full, "one incident edited: no full render");
    // Its page, the front page, 404, one history page, and Kakao T's service page, in each
    // of the sample's three languages.
    assert_eq!(second.rendered, 5 * 3);
    assert!(
        read(&out.join("incidents/2022-09-20-kakao-t-slow-taxi-dispatch/index.html"))
            .contains("Edited")
    );
    // The translations show the main language's edit where they lack their own.
    let korean = read(&out.join("ko/incidents/2022-09-20-kakao-t-slow-taxi-dispatch/index.html"));
    assert!(!korean.contains("Edited") && korean.contains("<html lang=\"ko\">"));

    // A broken save leaves the last good page; fixing it catches up.
    std::fs::write(&path, "title: [").expect("break");
    assert!(
        session
            .rebuild(&[Change::Incident(path.clone())], now())
            .is_err()
    );
    assert!(
        read(&out.join("incidents/2022-09-20-kakao-t-slow-taxi-dispatch/index.html"))
            .contains("Edited")
    );
    // The translations show the main language's edit where they lack their own.
    let korean = read(&out.join("ko/incidents/2022-09-20-kakao-t-slow-taxi-dispatch/index.html"));
    assert!(!korean.contains("Edited") && korean.contains("<html lang=\"ko\">"));
    std::fs::write(
        &path,
        read(&repo().join("incidents/2022-09-20-kakao-t-slow-taxi-dispatch.yaml")),
    )
    .expect("fix");
    session
        .rebuild(&[Change::Incident(path)], now())
        .expect("fixed");
    let clean = clean_build(site.path(), "clean");
    assert_same_tree(&clean, &out, "the session's output against a clean build");
}

/// A site of `n` small incidents, one a day back from the build time: several history pages.
fn many_incidents(root: &Path, n: usize) {
    std::fs::write(
        root.join("status.yaml"),
        "title: Many\nbase_url: https://status.example.com/\nservices:\n  - { id: web, name: Web }\n  - { id: api, name: API }\n",
    )
    .expect("status.yaml");
    std::fs::create_dir_all(root.join("incidents")).expect("incidents/");
    for k in 0..n {
        write_incident(root, k, k, "web");
    }
}

fn write_incident(root: &Path, k: usize, days_ago: usize, service: &str) {
    let start = now() - chrono::Duration::days(days_ago as i64 + 1);
    let text = format!(
        "title: Incident {k}\nstart: {}\nend: {}\nservices:\n  - {{ id: {service}, impact: partial_outage }}\n",
        start.to_rfc3339(),
        (start + chrono::Duration::hours(2)).to_rfc3339()
    );
    std::fs::write(root.join(format!("incidents/incident-{k:04}.yaml")), text).expect("incident");
}

#[test]
fn moving_incidents_across_history_pages_stays_equal_to_a_clean_build() {
    let site = tempfile::tempdir().expect("tempdir");
    many_incidents(site.path(), 250);
    let out = site.path().join("public");
    let mut session = Session::new(options(site.path(), &out, now()));
    session
        .rebuild(&[Change::Unknown], now())
        .expect("first build");
    let mut rng = Lcg(42);
    for step in 0..120 {
        let k = rng.next(260);
        let path = site.path().join(format!("incidents/incident-{k:04}.yaml"));
        match rng.next(4) {
            // Move it in time: it changes place in the newest-first order.
            0 | 1 => write_incident(site.path(), k, rng.next(400), ["web", "api"][step % 2]),
            2 => {
                let _ = std::fs::remove_file(&path);
            }
            _ => write_incident(site.path(), k, k, "web"),
        }
        session
            .rebuild(&[Change::Incident(path)], now())
            .expect("valid edits build");
    }
    let clean = clean_build(site.path(), "clean");
    assert!(
        files(&clean).iter().any(|f| f == "history/3/index.html"),
        "several pages"
    );
    assert_same_tree(&clean, &out, "the session's output against a clean build");

    // Single moves, each checked at once: the newest goes (every later entry shifts up a
    // place), then the oldest becomes the newest (every entry shifts down).
    let newest = site.path().join("incidents/incident-0000.yaml");
    write_incident(site.path(), 0, 0, "web");
    session
        .rebuild(&[Change::Incident(newest.clone())], now())
        .expect("newest");
    std::fs::remove_file(&newest).expect("rm");
    session
        .rebuild(&[Change::Incident(newest)], now())
        .expect("removed");
    let clean = clean_build(site.path(), "clean-2");
    assert_same_tree(&clean, &out, "the session's output against a clean build");
    let oldest = site.path().join("incidents/incident-0249.yaml");
    write_incident(site.path(), 249, 0, "api");
    session
        .rebuild(&[Change::Incident(oldest)], now())
        .expect("moved");
    let clean = clean_build(site.path(), "clean-3");
    assert_same_tree(&clean, &out, "the session's output against a clean build");
}
