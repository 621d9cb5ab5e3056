//! The sample site at the repository root is told in each of its languages (en, ko, id): `check
//! --strict` finds no untranslated text in it. Reads the repository's own sample, never writes it.

use crate::support::*;

/// After the last dated entry of the sample (29 December 2022), so that no time is in the future.
const AFTER_THE_STORY: &str = "2023-01-01T00:00:00+09:00";
/// The instant the sample's other tests build it at, with updates still to come.
const NOW: &str = "2022-10-25T00:00:00+09:00";
const UNTRANSLATED: &str = "not yet translated";

fn check_strict(root: &std::path::Path, now: &str) -> Run {
    at_root(root, "check", &["--strict", "--now", now])
}

#[test]
fn the_sample_is_fully_translated() {
    let run = check_strict(&repo(), AFTER_THE_STORY);
    run.exits(0)
        .warns_nothing()
        .says("candor: 0 errors, 0 warnings");
    assert!(
        !check_strict(&repo(), NOW).stderr.contains(UNTRANSLATED),
        "no untranslated text at the instant the sample is shown at"
    );
}

/// The check above can fail: the same sample with one Korean text taken out is refused.
#[test]
fn a_missing_korean_text_in_the_sample_is_refused() {
    let site = sample_site();
    let file = site
        .path()
        .join("incidents/2022-09-20-kakao-t-slow-taxi-dispatch.yaml");
    let text = read(&file);
    let korean = "  ko: 카카오T 택시 배차 지연\n";
    assert!(text.contains(korean), "the taxi incident's Korean title");
    std::fs::write(&file, text.replacen(korean, "", 1)).expect("edit");
    check_strict(site.path(), AFTER_THE_STORY)
        .exits(1)
        .says("1 text(s) not yet translated, shown in `en` instead: ko (1): `title`");
}
