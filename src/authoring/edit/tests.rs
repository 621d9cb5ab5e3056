//! Tests of the text edits on files written by hand: comments, odd quoting, CRLF, zero and wide
//! indentation, flow style, and every incident file of the repository.
//! Never write to the repository's files: each edit is made on a copy of the text in memory.

use super::*;
use std::fs;
use std::path::Path;

const AT: &str = "2022-10-20T09:00:00+09:00";

/// A file written by hand under stress: comments everywhere, odd quoting, `#` inside block
/// scalars, a comment between updates, a blank line and a comment before the next key.
const INCIDENT: &str = r##"# Pangyo fire, as posted. Times are KST.
title: 'Kakao services down: "fire" at Pangyo'   # quoted on purpose
severity: critical
start: "2022-10-15T15:30:00+09:00"
services:
  - impact: major_outage    # id is not the first key here
    id: kakaotalk
    stages:
      - at: 2022-10-16T01:30:00+09:00
        impact: partial_outage
        note: "Text: yes; photos: no"
  - id: kakaopay
    impact: partial_outage
    restored: 2022-10-16T12:00:00+09:00 # approximate
    note: |
      Payments
      # not a comment: part of the note
updates:
  - at: 2022-10-15T16:00:00+09:00
    status: investigating
    message: >-
      We are checking.
  # a comment between items
  - at: "2022-10-15T18:00:00+09:00"
    status: identified
    message: |
      Fire at the data center.

      # Not a comment either.

# Apologies follow.
apologies:
  - at: 2022-10-19T10:00:00+09:00
    by: Hong Eun-taek
    statement: Sorry.
"##;

/// `text` with `inserted` right after the first occurrence of `after`.
fn with_inserted(text: &str, after: &str, inserted: &str) -> String {
    let at = text.find(after).expect("anchor in text") + after.len();
    format!("{}{inserted}{}", &text[..at], &text[at..])
}

fn last_update(text: &str) -> Mapping {
    let map = parse_mapping(text).expect("parses");
    let list = map
        .get("updates")
        .and_then(Value::as_sequence)
        .expect("updates");
    list.last()
        .and_then(Value::as_mapping)
        .cloned()
        .expect("an update")
}

#[test]
fn an_update_is_inserted_keeping_every_other_byte() {
    let out =
        edit_append_update(INCIDENT, AT, "monitoring", "Most services are back.").expect("edit");
    let expected = with_inserted(
        INCIDENT,
        "      # Not a comment either.\n",
        "  - at: 2022-10-20T09:00:00+09:00\n    status: monitoring\n    message: |\n      Most services are back.\n",
    );
    assert_eq!(out, expected);
    assert!(
        out.find("apologies:") > out.find("Most services are back."),
        "apologies stay after"
    );
}

#[test]
fn zero_indent_and_wide_lists_keep_their_style() {
    let zero = "title: Zero\nstart: 2024-01-01T00:00:00Z\nupdates:\n- at: 2024-01-01T00:05:00Z\n  status: investigating\n  message: Looking.\napologies: []\n";
    let out =
        edit_append_update(zero, "2024-01-01T01:00:00Z", "identified", "Found it.").expect("edit");
    let inserted =
        "- at: 2024-01-01T01:00:00Z\n  status: identified\n  message: |\n    Found it.\n";
    assert_eq!(out, with_inserted(zero, "  message: Looking.\n", inserted));

    let wide = "title: Wide\nstart: 2024-01-01T00:00:00Z\nupdates:\n    -   at: 2024-01-01T00:05:00Z\n        status: investigating\n        message: Looking.\n";
    let out =
        edit_append_update(wide, "2024-01-01T01:00:00Z", "identified", "Found it.").expect("edit");
    let inserted = "    -   at: 2024-01-01T01:00:00Z\n        status: identified\n        message: |\n          Found it.\n";
    assert_eq!(out, format!("{wide}{inserted}"));
}

#[test]
fn any_message_text_reads_back_exactly() {
    for message in [
        "Status: degraded # not \"fixed\" 'yet'\n\nSecond line: ok\n- a list item\n\n    code: block",
        "  starts with spaces: a code block",
        "{ looks: like, flow: yes } & *alias !tag %directive @ `tick`",
        "---\n...\n# heading",
    ] {
        let out = edit_append_update(INCIDENT, AT, "identified", message).expect("edit");
        let update = last_update(&out);
        assert_eq!(
            update.get("message").and_then(Value::as_str),
            Some(format!("{message}\n").as_str())
        );
        assert!(out.starts_with(&INCIDENT[..INCIDENT.find("\n\n# Apologies").expect("anchor")]));
    }
    let crlf = edit_append_update(INCIDENT, AT, "identified", "one\r\ntwo\r\n\r\n").expect("edit");
    assert_eq!(
        last_update(&crlf).get("message").and_then(Value::as_str),
        Some("one\ntwo\n")
    );
}

#[test]
fn empty_or_control_character_messages_are_refused() {
    for message in ["", "  \n\n "] {
        let err = edit_append_update(INCIDENT, AT, "identified", message).expect_err("refused");
        assert!(matches!(err, EditError::Invalid(_)), "{message:?}: {err:?}");
    }
    for (message, c) in [
        ("bell \u{7}", '\u{7}'),
        ("nul \0 byte", '\0'),
        ("\u{1b}[31mred\u{1b}[0m", '\u{1b}'),
        ("not a character \u{FFFE}", '\u{FFFE}'),
        ("delete \u{7f}", '\u{7f}'),
    ] {
        let err = edit_append_update(INCIDENT, AT, "identified", message).expect_err("refused");
        assert_eq!(
            err,
            EditError::Unwritable {
                field: "message",
                character: c
            },
            "{message:?}"
        );
        assert!(err.to_string().contains(&format!("U+{:04X}", u32::from(c))));
        assert!(err.help().is_some_and(|h| h.contains("remove it")));
    }
}

#[test]
fn a_file_without_updates_gets_the_list_at_its_end() {
    // No trailing newline; the new list borrows the zero indentation of `services:`.
    let text =
        "title: X\nstart: 2024-01-01T00:00:00Z\nservices:\n- id: api\n  impact: major_outage";
    let out = edit_append_update(text, "2024-01-01T00:00:00Z", "investigating", "Looking.")
        .expect("edit");
    let expected = format!(
        "{text}\nupdates:\n- at: 2024-01-01T00:00:00Z\n  status: investigating\n  message: |\n    Looking.\n"
    );
    assert_eq!(out, expected);
}

#[test]
fn an_empty_flow_list_is_replaced_and_a_full_one_refused() {
    let text = "title: X\nstart: 2024-01-01T00:00:00Z\nupdates: [] # none yet\napologies: []\n";
    let out = edit_append_update(text, "2024-01-01T00:00:00Z", "investigating", "Looking.")
        .expect("edit");
    let expected = "title: X\nstart: 2024-01-01T00:00:00Z\nupdates: # none yet\n  - at: 2024-01-01T00:00:00Z\n    status: investigating\n    message: |\n      Looking.\napologies: []\n";
    assert_eq!(out, expected);

    let flow = "title: X\nstart: 2024-01-01T00:00:00Z\nupdates: [{at: 2024-01-01T00:00:00Z, status: investigating, message: m}]\n";
    let err = edit_append_update(flow, AT, "resolved", "Done.").expect_err("flow");
    assert!(
        matches!(err, EditError::FlowStyle { ref key, .. } if key == "updates"),
        "{err:?}"
    );
}

#[test]
fn crlf_files_get_crlf_lines() {
    let text = INCIDENT.replace('\n', "\r\n");
    let out = edit_append_update(&text, AT, "monitoring", "Back.\nMostly.").expect("edit");
    let inserted = "  - at: 2022-10-20T09:00:00+09:00\r\n    status: monitoring\r\n    message: |\r\n      Back.\r\n      Mostly.\r\n";
    assert_eq!(
        out,
        with_inserted(&text, "      # Not a comment either.\r\n", inserted)
    );
}

#[test]
fn status_words_follow_the_kind() {
    let err = edit_append_update(INCIDENT, AT, "resovled", "x").expect_err("typo");
    assert_eq!(err.to_string(), "unknown status `resovled` for an incident");
    let help = err.help().expect("help");
    assert!(help.contains("did you mean `resolved`?"), "{help}");
    assert!(
        help.contains("investigating | identified | monitoring | resolved"),
        "{help}"
    );

    let window = "title: M\nkind: maintenance\nstart: 2024-01-01T00:00:00Z\nend: 2024-01-01T02:00:00Z\nupdates:\n  - at: 2024-01-01T00:00:00Z\n    status: scheduled\n    message: Planned.\n";
    assert!(edit_append_update(window, AT, "in_progress", "Started.").is_ok());
    let err = edit_append_update(window, AT, "resolved", "Done.").expect_err("incident word");
    assert!(
        err.to_string().contains("for a maintenance window"),
        "{err}"
    );
    assert!(
        err.help()
            .is_some_and(|h| h.contains("scheduled | in_progress | completed"))
    );
}

#[test]
fn restored_is_inserted_after_the_entry_or_replaced_in_place() {
    // `id` is the second key and the entry ends in a nested list.
    let out = edit_mark_restored(INCIDENT, "kakaotalk", AT).expect("insert");
    let expected = with_inserted(
        INCIDENT,
        "        note: \"Text: yes; photos: no\"\n",
        "    restored: 2022-10-20T09:00:00+09:00\n",
    );
    assert_eq!(out, expected);

    // An existing value is replaced; its comment stays.
    let out = edit_mark_restored(INCIDENT, "kakaopay", AT).expect("replace");
    let expected = INCIDENT.replacen(
        "    restored: 2022-10-16T12:00:00+09:00 # approximate\n",
        "    restored: 2022-10-20T09:00:00+09:00 # approximate\n",
        1,
    );
    assert_eq!(out, expected);
}

#[test]
fn restored_in_zero_indent_lists_and_empty_values() {
    let text = "title: X\nstart: 2024-01-01T00:00:00Z\nservices:\n- id: api\n  impact: major_outage\n- id: web\n  restored:   # not yet\n  impact: partial_outage\nupdates: []\n";
    let out = edit_mark_restored(text, "api", "2024-01-01T03:00:00Z").expect("insert");
    assert_eq!(
        out,
        text.replacen(
            "major_outage\n",
            "major_outage\n  restored: 2024-01-01T03:00:00Z\n",
            1
        )
    );
    let out = edit_mark_restored(text, "web", "2024-01-01T03:00:00Z").expect("replace");
    assert_eq!(
        out,
        text.replacen(
            "restored:   # not yet",
            "restored: 2024-01-01T03:00:00Z   # not yet",
            1
        )
    );
}

#[test]
fn restoring_a_service_not_in_the_incident_lists_those_that_are() {
    let err = edit_mark_restored(INCIDENT, "kakaomap", AT).expect_err("not listed");
    assert_eq!(
        err.to_string(),
        "service `kakaomap` is not in this incident"
    );
    assert!(
        err.help()
            .is_some_and(|h| h.contains("kakaotalk, kakaopay")),
        "{:?}",
        err.help()
    );
}

#[test]
fn a_flow_service_entry_is_refused_with_the_block_form() {
    let text =
        "title: X\nstart: 2024-01-01T00:00:00Z\nservices:\n  - { id: api, impact: major_outage }\n";
    let err = edit_mark_restored(text, "api", AT).expect_err("flow");
    assert!(matches!(err, EditError::FlowStyle { .. }), "{err:?}");
    assert!(
        err.help().is_some_and(|h| h.contains("- id: api")),
        "{:?}",
        err.help()
    );
}

/// The lines of `new` are those of `old` with one line inserted or one line replaced.
fn one_line_changed(old: &str, new: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (
        old.split_inclusive('\n').collect(),
        new.split_inclusive('\n').collect(),
    );
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let kept = prefix + suffix.min(a.len() - prefix);
    b.len() - kept == 1 && a.len() - kept <= 1
}

#[test]
fn every_incident_of_the_repository_can_be_updated_and_restored() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut folders = vec![repo.join("incidents")];
    for entry in fs::read_dir(repo.join("tests/fixtures/real"))
        .expect("fixtures")
        .flatten()
    {
        folders.push(entry.path().join("incidents"));
    }
    let mut seen = 0;
    for file in folders
        .iter()
        .flat_map(|f| fs::read_dir(f).into_iter().flatten().flatten())
    {
        let text = fs::read_to_string(file.path()).expect("read");
        let name = file.path().display().to_string();
        let map = parse_mapping(&text).expect("fixture parses");
        let status = if map.get("kind").and_then(Value::as_str) == Some("maintenance") {
            "in_progress"
        } else {
            "monitoring"
        };
        let out = edit_append_update(&text, AT, status, "Still: \"here\" # ok")
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let prefix = text
            .bytes()
            .zip(out.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        assert!(out.ends_with(&text[prefix..]), "{name}: only an insertion");
        for service in map
            .get("services")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            let id = service.get("id").and_then(Value::as_str).expect("id");
            match edit_mark_restored(&text, id, AT) {
                Ok(out) => assert!(one_line_changed(&text, &out), "{name} {id}"),
                Err(EditError::FlowStyle { .. }) => {}
                Err(e) => panic!("{name} {id}: {e}"),
            }
        }
        seen += 1;
    }
    assert!(seen >= 8, "found {seen} incident files");
}
