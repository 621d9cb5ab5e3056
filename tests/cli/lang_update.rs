//! `candor update SLUG --lang LANG --message TEXT`: a translation of an update already posted,
//! written into the message and nowhere else, on a site written in English first
//! (tests/fixtures/lang-update) and on the sample, whose messages are translated already.

use crate::support::*;
use std::path::Path;

const API: &str = "incidents/2026-11-20-api-errors.yaml";
const NOW: &str = "2026-11-26T00:00:00+09:00";

fn update(root: &Path, slug: &str, args: &[&str], now: &str) -> Run {
    let root = root.to_string_lossy();
    let mut all = vec!["update", slug, "--root", &root, "--now", now];
    all.extend_from_slice(args);
    candor(&all)
}

/// Asserts that `new` is `old` but for one run of lines, where `old`'s lines (the message as
/// it was, if any) are all kept, moved at most two spaces deeper: nothing outside the message
/// changed.
#[track_caller]
fn only_the_message_changed(old: &str, new: &str) {
    let (a, b): (Vec<&str>, Vec<&str>) = (
        old.split_inclusive('\n').collect(),
        new.split_inclusive('\n').collect(),
    );
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = (a.iter().rev().zip(b.iter().rev()))
        .take_while(|(x, y)| x == y)
        .count()
        .min(a.len() - head);
    let (was, now) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    // A map gets its new entry without a line of it changing.
    assert!(
        was.first().is_none_or(|l| l.contains("message:")),
        "the change starts at a `message:` line: {was:?}\n{new}"
    );
    for line in was.iter().skip(1) {
        let deeper = format!("  {line}");
        assert!(
            now.contains(line) && line.trim().is_empty() || now.contains(&deeper.as_str()),
            "{line:?} kept, two spaces deeper, in {now:?}"
        );
    }
    assert!(now.len() > was.len(), "lines were added: {now:?}");
}

#[test]
fn each_way_of_writing_a_message_gets_its_translation_and_nothing_else_moves() {
    let site = copy_site(&fixture("lang-update"));
    let path = site.path().join(API);
    let slug = "2026-11-20-api-errors";
    for (at, form) in [
        ("2026-11-20 09:05", "a plain line"),
        ("2026-11-20 09:30", "a quoted line with a comment"),
        ("2026-11-20 09:45", "a block scalar"),
        (
            "2026-11-20 10:15",
            "a folded block, `message` first in its entry",
        ),
        ("2026-11-20 11:00", "a map with en and ko"),
    ] {
        let old = read(&path);
        let run = update(
            site.path(),
            slug,
            &[
                "--lang",
                "id",
                "--at",
                at,
                "--message",
                "Sudah diterjemahkan.\n\nBaris dua.",
            ],
            NOW,
        );
        run.exits(0).says("candor: added the id text of update #");
        only_the_message_changed(&old, &read(&path));
        assert!(!run.stderr.contains("error:"), "{form}: {}", run.stderr);
    }
    // Every message has its Indonesian text: only the title is left in the backlog.
    let check = on_site("check", site.path(), NOW);
    check.exits(0);
    let api_warning = check
        .stderr
        .split("\n\n")
        .find(|w| w.contains("2026-11-20-api-errors.yaml"))
        .expect("the file's untranslated-text warning");
    assert!(api_warning.contains("id (1): `title`"), "{api_warning}");
}

#[test]
fn the_latest_update_is_translated_unless_at_names_another() {
    let site = copy_site(&fixture("lang-update"));
    let path = site.path().join(API);
    let run = update(
        site.path(),
        "2026-11-20-api-errors",
        &["--lang", "ko", "--message", "해결"],
        NOW,
    );
    run.exits(0)
        .says("candor: replaced the ko text of update #5 (2026-11-20T11:00:00+09:00, resolved)");
    assert!(
        read(&path).contains("      ko: |\n        해결\n"),
        "{}",
        read(&path)
    );
    // At 10:20 the last update posted was the fourth.
    let run = update(
        site.path(),
        "2026-11-20-api-errors",
        &["--lang", "ko", "--message", "감소"],
        "2026-11-20T10:20:00+09:00",
    );
    run.exits(0)
        .says("added the ko text of update #4 (2026-11-20T10:15:00+09:00, monitoring): \"");
}

#[test]
fn a_crlf_file_stays_crlf() {
    let site = copy_site(&fixture("lang-update"));
    let path = site.path().join(API);
    std::fs::write(&path, read(&path).replace('\n', "\r\n")).expect("write");
    let old = read(&path);
    update(
        site.path(),
        "2026-11-20-api-errors",
        &[
            "--lang",
            "ko",
            "--at",
            "2026-11-20 09:45",
            "--message",
            "롤백 중",
        ],
        NOW,
    )
    .exits(0);
    let new = read(&path);
    assert_eq!(
        new.matches('\n').count(),
        new.matches("\r\n").count(),
        "{new:?}"
    );
    only_the_message_changed(&old, &new);
}

#[test]
fn the_sample_fire_gets_a_new_korean_text_for_the_update_of_the_moment() {
    let site = sample_site();
    let slug = "2022-10-15-pangyo-data-center-fire";
    let path = site.path().join(format!("incidents/{slug}.yaml"));
    let old = read(&path);
    let now = "2022-10-15T20:00:00+09:00";
    let run = update(
        site.path(),
        slug,
        &["--lang", "ko", "--message", "복구 작업 중입니다."],
        now,
    );
    run.exits(0)
        .says("candor: replaced the ko text of update #");
    let new = read(&path);
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let changed: Vec<(&&str, &&str)> = a.iter().zip(&b).filter(|(x, y)| x != y).collect();
    assert!(
        changed
            .first()
            .is_some_and(|(_, y)| y.trim() == "복구 작업 중입니다."),
        "only the Korean text changed: {changed:?}"
    );
    on_site("check", site.path(), now).exits(0);
}

#[test]
fn a_wrong_language_or_a_second_change_is_refused_with_what_to_type() {
    let site = copy_site(&fixture("lang-update"));
    let path = site.path().join(API);
    let old = read(&path);
    let slug = "2026-11-20-api-errors";
    update(site.path(), slug, &["--lang", "kr", "--message", "x"], NOW)
        .exits(2)
        .says("`kr` is not a language of this site")
        .says("did you mean `ko`? the site's other languages: ko, id");
    update(site.path(), slug, &["--lang", "en", "--message", "x"], NOW)
        .exits(2)
        .says("`en` is the site's main language")
        .says("type one of the site's other languages: ko, id");
    update(
        site.path(),
        slug,
        &["--lang", "ko", "--status", "resolved", "--message", "x"],
        NOW,
    )
    .exits(2)
    .says("it cannot go with --status")
    .says("post the update first, without --lang");
    update(
        site.path(),
        slug,
        &["--lang", "ko", "--restored", "api", "--message", "x"],
        NOW,
    )
    .exits(2)
    .says("it cannot go with --restored");
    update(site.path(), slug, &["--lang", "ko"], NOW)
        .exits(2)
        .says("--lang needs the translated text");
    update(
        site.path(),
        slug,
        &["--at", "2026-11-20 09:05", "--message", "x"],
        NOW,
    )
    .exits(2)
    .says("--at picks the update that --lang translates");
    update(
        site.path(),
        slug,
        &["--lang", "ko", "--at", "2026-11-20 09:40", "--message", "x"],
        NOW,
    )
    .exits(1)
    .says("this incident has no update at 2026-11-20 09:40")
    .says("the closest is update #3 (2026-11-20T09:45:00+09:00, identified)");
    assert_eq!(read(&path), old, "nothing was written");
}
