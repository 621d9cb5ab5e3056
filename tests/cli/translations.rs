//! A site told in several languages (issue 16, item 2): texts as a plain string or a map of
//! languages, the map rules' errors at file, line and field, and the untranslated-text warning
//! that lists, per incident and language, what is left to translate. Fixtures in
//! tests/fixtures/languages/, each with the `check.txt` it must print.

use crate::support::*;
use std::path::Path;

const NOW: &str = "2024-06-01T00:00:00Z";
const CLOCK: i64 = 1_717_200_000;
const CHECK: [&str; 3] = ["check", "--now", NOW];

fn checked(case: &str) -> (tempfile::TempDir, Run) {
    let site = copy_site(&fixture(&format!("languages/{case}")));
    let _ = std::fs::remove_file(site.path().join("check.txt"));
    let run = candor_in(site.path(), CLOCK, &CHECK);
    (site, run)
}

fn pinned(case: &str, run: &Run) {
    let path = fixture(&format!("languages/{case}/check.txt"));
    assert_snapshot(&path, run.transcript(&CHECK));
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "{from:?} in {}", path.display());
    std::fs::write(path, text.replace(from, to)).expect("edit the site");
}

#[test]
fn a_half_translated_site_warns_what_is_left_per_language_until_nothing_is() {
    let (site, run) = checked("translated");
    run.exits(0)
        .says("warning: 1 text(s) not yet translated, shown in `en` instead: id (1): `services[1].name`")
        .says("incidents/2024-01-01-api-outage.yaml:7:")
        .says("id (2): `summary`, `updates[1].message`");
    pinned("translated", &run);
    on_site("check", site.path(), NOW).exits(0);
    candor_in(site.path(), CLOCK, &["check", "--strict", "--now", NOW])
        .exits(1)
        .says("not yet translated")
        .says("a warning, counted as an error by --strict");

    // The main language's pages as they were before any translation came in...
    let before = site.path().join("before");
    build(site.path(), &before, NOW);
    // ...then the rest translated, field by field: no warning left, the same pages.
    edit(
        &site.path().join("status.yaml"),
        "{ en: Website, ko: 웹사이트 }",
        "{ en: Website, ko: 웹사이트, id: Situs web }",
    );
    edit(
        &site.path().join("incidents/2024-01-01-api-outage.yaml"),
        "한 시간 동안 중단되었습니다.\" }",
        "한 시간 동안 중단되었습니다.\", id: \"API mati selama satu jam.\" }",
    );
    edit(
        &site.path().join("incidents/2024-01-01-api-outage.yaml"),
        "      ko: API가 복구되었습니다.\n",
        "      ko: API가 복구되었습니다.\n      id: API sudah pulih.\n",
    );
    let after = site.path().join("after");
    build(site.path(), &after, NOW).warns_nothing();
    // The Indonesian version now shows what was translated, marked as Indonesian...
    let api = "id/incidents/2024-01-01-api-outage/index.html";
    let (was, now) = (read(&before.join(api)), read(&after.join(api)));
    assert!(was.contains("<div lang=\"en\"><p>A bad deploy") && !was.contains("API mati"));
    assert!(now.contains("API mati selama satu jam.") && !now.contains("lang=\"en\"><p>"));
    // ...and the main language's output at the root did not change by a byte.
    for folder in [&before, &after] {
        for other in ["ko", "id"] {
            std::fs::remove_dir_all(folder.join(other)).expect("remove a version");
        }
    }
    assert_same_tree(&before, &after, "the main language's output");
}

#[test]
fn broken_text_maps_are_refused_at_their_field_naming_the_sites_languages() {
    let (_site, run) = checked("broken");
    run.exits(1)
        .says("error: the text at `title` has no `en`, the site's main language")
        .says("error: `fr` in `updates[0].message` is not a language of this site")
        .says("one of the site's languages: en, ko, id")
        .says("incidents/2024-01-02-broken-maps.yaml:10:");
    pinned("broken", &run);
}

#[test]
fn language_and_languages_together_are_refused() {
    let (_site, run) = checked("both");
    run.exits(1)
        .says("error: status.yaml gives both `language` and `languages`")
        .says("status.yaml:4:");
    pinned("both", &run);
}

/// A single-language site may write a text as a map of its one language: the same site.
#[test]
fn a_map_of_the_main_language_alone_is_the_plain_string() {
    // The sample speaks three languages; a site of one language shows the rule.
    let site = copy_site(&fixture("input/site"));
    let plain = site.path().join("plain");
    build(site.path(), &plain, NOW).warns_nothing();
    edit(
        &site.path().join("status.yaml"),
        "title: Example Status\n",
        "title: { en: Example Status }\n",
    );
    let mapped = site.path().join("mapped");
    build(site.path(), &mapped, NOW).warns_nothing();
    assert_same_tree(&plain, &mapped, "the site with its title as a map");
    edit(
        &site.path().join("status.yaml"),
        "title: { en: Example Status }\n",
        "title: { en: Example Status, ko: 예시 상태 }\n",
    );
    on_site("check", site.path(), NOW)
        .exits(1)
        .says("`ko` in `title` is not a language of this site")
        .says("the site's languages: en");
}
