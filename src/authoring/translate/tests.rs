//! The text edit of `--lang` on each way a message is written, and which update it picks.

use super::target::Target;
use super::*;
use crate::authoring::flag::FlagError;

fn file(updates: &str) -> String {
    format!("title: T\nstart: 2026-11-20T09:00:00+09:00\nupdates:\n{updates}")
}

fn translated(updates: &str, index: usize, text: &str) -> (String, Translated) {
    edit_translate(&file(updates), index, "en", "ko", text).expect("edits")
}

#[test]
fn a_plain_message_becomes_a_map_with_the_text_as_written() {
    let (out, done) = translated(
        "  - at: 2026-11-20T09:05:00+09:00\n    message: \"Some: fail\" # phone\n    status: investigating\n",
        0,
        "일부 실패",
    );
    assert_eq!(done, Translated::Added);
    assert_eq!(
        out,
        file(
            "  - at: 2026-11-20T09:05:00+09:00\n    message:\n      en: \"Some: fail\" # phone\n      ko: \"일부 실패\"\n    status: investigating\n"
        )
    );
}

#[test]
fn a_block_message_stays_a_block_indented_below_its_language() {
    let (out, _) = translated(
        "- at: 2026-11-20T09:05:00+09:00\n  message: |\n    One.\n\n    - two\n\n- at: 2026-11-20T09:06:00+09:00\n  message: x\n",
        0,
        "하나.\n\n- 둘",
    );
    assert_eq!(
        out,
        file(
            "- at: 2026-11-20T09:05:00+09:00\n  message:\n    en: |\n      One.\n\n      - two\n    ko: |\n      하나.\n\n      - 둘\n\n- at: 2026-11-20T09:06:00+09:00\n  message: x\n"
        )
    );
}

#[test]
fn a_map_gets_the_language_added_or_its_text_replaced() {
    let map = "  - at: 2026-11-20T09:05:00+09:00\n    message:\n      en: Fine.\n      ko: 이전\n    status: resolved\n";
    let (out, done) = translated(map, 0, "좋아요");
    assert_eq!(done, Translated::Replaced);
    assert_eq!(out, file(&map.replace("ko: 이전", "ko: 좋아요")));
    let (out, done) = edit_translate(&file(map), 0, "en", "id", "Baik.").expect("edits");
    assert_eq!(done, Translated::Added);
    assert_eq!(
        out,
        file(&map.replace("ko: 이전\n", "ko: 이전\n      id: Baik.\n"))
    );
}

#[test]
fn a_one_line_flow_map_gets_the_language_before_its_brace() {
    let (out, _) = translated(
        "  - at: 2026-11-20T09:05:00+09:00\n    message: { en: Fine. }  # kept\n",
        0,
        "좋아요",
    );
    assert!(
        out.contains("message: { en: Fine., ko: \"좋아요\" }  # kept\n"),
        "{out}"
    );
    let twice = edit_translate(&out, 0, "en", "ko", "다시");
    assert!(
        matches!(twice, Err(EditError::FlowStyle { .. })),
        "{twice:?}"
    );
}

#[test]
fn crlf_lines_stay_crlf() {
    let text = file("  - at: 2026-11-20T09:05:00+09:00\n    message: |\n      One\n      Two\n")
        .replace('\n', "\r\n");
    let (out, _) = edit_translate(&text, 0, "en", "ko", "하나\n둘").expect("edits");
    assert_eq!(out.matches('\n').count(), out.matches("\r\n").count());
    assert!(
        out.ends_with("      en: |\r\n        One\r\n        Two\r\n      ko: |\r\n        하나\r\n        둘\r\n"),
        "{out:?}"
    );
}

fn targets(updates: &str, at: Option<&str>, now: &str) -> Result<Target, FlagError> {
    let map = parse_mapping(&file(updates)).expect("yaml");
    let now = chrono::DateTime::parse_from_rfc3339(now)
        .expect("now")
        .to_utc();
    pick(&map, "ko", at, now, chrono_tz::Asia::Seoul)
}

const THREE: &str = "  - at: 2026-11-20T09:05:00+09:00\n    status: investigating\n    message: a\n  - at: 2026-11-20 09:30:20\n    status: identified\n    message: b\n  - at: 2026-11-20T10:00:00+09:00\n    status: resolved\n    message: c\n";

#[test]
fn the_latest_published_update_is_the_default() {
    let late = targets(THREE, None, "2026-11-21T00:00:00+09:00").expect("found");
    assert_eq!(late.index, 2);
    let before_the_last = targets(THREE, None, "2026-11-20T09:59:00+09:00").expect("found");
    assert_eq!(
        before_the_last.describe(),
        "update #2 (2026-11-20 09:30:20, identified)"
    );
}

#[test]
fn at_finds_an_update_by_its_time_or_its_minute() {
    let now = "2026-11-21T00:00:00+09:00";
    assert_eq!(
        targets(THREE, Some("2026-11-20 09:05"), now).map(|t| t.index),
        Ok(0)
    );
    assert_eq!(
        targets(THREE, Some("2026-11-20 09:30"), now).map(|t| t.index),
        Ok(1)
    );
    assert_eq!(
        targets(THREE, Some("2026-11-20T01:00:00Z"), now).map(|t| t.index),
        Ok(2)
    );
    let none = targets(THREE, Some("2026-11-20 09:40"), now).expect_err("no update then");
    assert_eq!(
        none.message,
        "this incident has no update at 2026-11-20 09:40"
    );
    assert!(
        none.help
            .as_deref()
            .is_some_and(|h| h.contains("update #2")),
        "{none:?}"
    );
    assert!(targets(THREE, Some("soon"), now).is_err());
}
