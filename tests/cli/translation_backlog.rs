//! `candor check` ends its text with the translation backlog, one line per language: how many
//! texts still show in the main language, in which incidents (newest first) and in status.yaml.
//! Nothing when everything is translated or the site has one language; the machine formats are
//! unchanged (the per-file warnings carry the facts).

use crate::support::*;
use std::path::Path;

const NOW: &str = "2026-11-26T00:00:00+09:00";

fn check(root: &Path, args: &[&str]) -> Run {
    let root = root.to_string_lossy();
    let mut all = vec!["check", "--root", &root, "--now", NOW];
    all.extend_from_slice(args);
    candor(&all)
}

#[test]
fn each_language_gets_a_line_before_the_count() {
    let site = copy_site(&fixture("lang-update"));
    let run = check(site.path(), &[]);
    run.exits(0);
    assert!(
        run.stderr.ends_with(
            "\ncandor: translation backlog (shown in `en` until translated):\n  \
             ko: 9 texts untranslated in 2 incidents (2026-11-25-website-slow 2, 2026-11-20-api-errors 5) and 2 in status.yaml\n  \
             id: 11 texts untranslated in 2 incidents (2026-11-25-website-slow 3, 2026-11-20-api-errors 6) and 2 in status.yaml\n\
             candor: 0 errors, 3 warnings\n"
        ),
        "{}",
        run.stderr
    );
    // The machine formats say what they said before.
    let json = check(site.path(), &["--format", "json"]);
    assert!(
        json.stderr.is_empty() && !json.stdout.contains("backlog"),
        "{}",
        json.stdout
    );
    let sarif = check(site.path(), &["--format", "sarif"]);
    assert!(!sarif.stdout.contains("backlog"));
}

#[test]
fn the_backlog_shrinks_as_texts_are_translated_and_then_says_nothing() {
    let site = copy_site(&fixture("lang-update"));
    let slow = site.path().join("incidents/2026-11-25-website-slow.yaml");
    // Three more incidents: the line names the newest three, then how many more.
    for day in 21..=23 {
        let text = read(&slow).replace("2026-11-25T", &format!("2026-11-{day}T"));
        let path = site
            .path()
            .join(format!("incidents/2026-11-{day}-website-slow.yaml"));
        std::fs::write(path, text).expect("write");
    }
    let run = check(site.path(), &[]);
    assert!(
        run.stderr.contains(
            "  ko: 15 texts untranslated in 5 incidents (2026-11-25-website-slow 2, 2026-11-23-website-slow 2, 2026-11-22-website-slow 2, and 2 more) and 2 in status.yaml\n"
        ),
        "{}",
        run.stderr
    );

    // Every text translated but status.yaml's title into Korean: the line says so, and
    // Indonesian, done, has none.
    let site = copy_site(&fixture("lang-update"));
    let status = site.path().join("status.yaml");
    let text = read(&status)
        .replace(
            "title: Example Status",
            "title: { en: Example Status, id: Status Contoh }",
        )
        .replace("name: API", "name: { en: API, ko: API, id: API }");
    std::fs::write(&status, text).expect("write");
    for entry in std::fs::read_dir(site.path().join("incidents")).expect("incidents") {
        std::fs::remove_file(entry.expect("entry").path()).expect("remove");
    }
    std::fs::write(
        site.path().join("incidents/2026-11-20-api-errors.yaml"),
        "title: { en: API errors, ko: API 오류, id: Galat API }\nstart: 2026-11-20T09:00:00+09:00\n\
         end: 2026-11-20T10:00:00+09:00\nupdates:\n  - at: 2026-11-20T10:00:00+09:00\n    \
         status: resolved\n    message: { en: Fixed., ko: 해결., id: Beres. }\n",
    )
    .expect("write");
    let run = check(site.path(), &[]);
    assert!(
        run.stderr
            .contains("  ko: 1 text untranslated in status.yaml\ncandor:"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("  id:"), "{}", run.stderr);
}

#[test]
fn a_translated_or_single_language_site_has_no_backlog() {
    let sample = sample_site();
    let run = on_site("check", sample.path(), "2022-10-25T00:00:00+09:00");
    run.exits(0);
    assert!(!run.stderr.contains("backlog"), "{}", run.stderr);
    let site = copy_site(&fixture("lang-update"));
    let status = site.path().join("status.yaml");
    let one = read(&status).replace("languages: [en, ko, id]", "language: en");
    let one = one.replace("{ en: Website, ko: 웹사이트, id: Situs web }", "Website");
    std::fs::write(&status, one).expect("write");
    for entry in std::fs::read_dir(site.path().join("incidents")).expect("incidents") {
        std::fs::remove_file(entry.expect("entry").path()).expect("remove");
    }
    let run = check(site.path(), &[]);
    run.exits(0);
    assert_eq!(run.stderr, "candor: 0 errors, 0 warnings\n");
}
