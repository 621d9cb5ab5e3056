//! Every shape the last value of a file may take when an update is appended after it — each
//! block scalar form, with and without a final line break, LF and CRLF — crossed with messages
//! a team pastes in a hurry; and the causes named when an edit is still refused.
//! Tests only; never touches the disk: each shape is a text in memory.

use super::*;

const AT: &str = "2024-01-01T01:00:00Z";

/// The head of every file: a title, a start, a list of updates whose last message follows.
const HEAD: &str = "title: X\nstart: 2024-01-01T00:00:00Z\nupdates:\n  - at: 2024-01-01T00:05:00Z\n    status: investigating\n    message: Looking.\n  - at: 2024-01-01T00:10:00Z\n    status: identified\n";

/// The last message of the file, in every form YAML has for it.
const LAST_MESSAGES: &[&str] = &[
    "    message: |\n      We are looking into it.\n      More soon.",
    "    message: |-\n      Stripped.\n      Two lines.",
    "    message: |+\n      Kept.\n\n",
    "    message: |+\n      Kept, no blank.",
    "    message: >\n      Folded\n      text.",
    "    message: >-\n      Folded, stripped.",
    "    message: |2\n      \tat com.example.Api.call(Api.java:42)\n      \tat java.lang.Thread.run",
    "    message: |2-\n        indented code\n      back",
    "    message: |\n      Trailing spaces   \n        more indented\n\n      last",
    "    message: Plain\n      continued on a second line",
    "    message: \"\\tquoted with a tab\"",
    "    message: 'single # quoted'",
    "    message: |\n      # not a comment\n    # a comment at the key's indent",
];

/// Messages as typed, and as they must read back.
fn messages() -> Vec<(String, String)> {
    let long = "x".repeat(10_000);
    vec![
        (
            "Found the cause: a bad deploy.".into(),
            "Found the cause: a bad deploy.\n".into(),
        ),
        (
            "\tat com.example.Api.call(Api.java:42)\n\tat java.lang.Thread.run".into(),
            "\tat com.example.Api.call(Api.java:42)\n\tat java.lang.Thread.run\n".into(),
        ),
        (
            "    code block\nthen text".into(),
            "    code block\nthen text\n".into(),
        ),
        (
            "---\n...\n# heading\n- item\nkey: value\n%TAG".into(),
            "---\n...\n# heading\n- item\nkey: value\n%TAG\n".into(),
        ),
        (
            "- a list: first\n- second".into(),
            "- a list: first\n- second\n".into(),
        ),
        (
            "one\r\ntwo\rthree\u{2028}four\u{85}five".into(),
            "one\ntwo\nthree\nfour\nfive\n".into(),
        ),
        (
            "tabs\tinside\n\n\tand a blank line".into(),
            "tabs\tinside\n\n\tand a blank line\n".into(),
        ),
        (
            "line with trailing spaces  \nnext".into(),
            "line with trailing spaces  \nnext\n".into(),
        ),
        ("판교 🔥 \u{feff}".into(), "판교 🔥 \u{feff}\n".into()),
        (long.clone(), format!("{long}\n")),
    ]
}

fn updates(text: &str) -> Vec<Value> {
    let map = parse_mapping(text).unwrap_or_else(|e| panic!("{e}:\n{text}"));
    map.get("updates")
        .and_then(Value::as_sequence)
        .cloned()
        .expect("updates")
}

#[test]
fn an_update_follows_every_shape_of_last_message_and_the_old_ones_read_the_same() {
    for last in LAST_MESSAGES {
        for eol in ["\n", "\r\n"] {
            for final_break in [true, false] {
                let mut text = format!("{HEAD}{last}").replace('\n', eol);
                let ends = text.ends_with(eol);
                if final_break && !ends {
                    text.push_str(eol);
                } else if !final_break && ends && !last.ends_with("\n\n") {
                    text.truncate(text.len() - eol.len());
                }
                let before = updates(&text);
                for (message, expected) in messages() {
                    let out = edit_append_update(&text, AT, "monitoring", &message)
                        .unwrap_or_else(|e| panic!("{last:?} {eol:?} {final_break}: {e}"));
                    let after = updates(&out);
                    assert_eq!(after.len(), before.len() + 1);
                    assert_eq!(after[..before.len() - 1], before[..before.len() - 1]);
                    // The one change allowed: a final block scalar gains the `\n` it lacked.
                    let (old, new) = (&before[before.len() - 1], &after[before.len() - 1]);
                    let gained = |v: &Value| {
                        v.get("message")
                            .and_then(Value::as_str)
                            .map(|m| format!("{m}\n"))
                    };
                    assert!(
                        old == new
                            || (!text.ends_with('\n')
                                && gained(old).as_deref()
                                    == new.get("message").and_then(Value::as_str)),
                        "{last:?} {eol:?}: {old:?} became {new:?}"
                    );
                    let added = after.last().expect("added");
                    assert_eq!(
                        added.get("message").and_then(Value::as_str),
                        Some(expected.as_str()),
                        "{message:?} after {last:?}"
                    );
                    assert!(
                        out.starts_with(text.trim_end()),
                        "only an insertion at the end"
                    );
                    assert!(
                        out.split_inclusive('\n')
                            .all(|l| l.ends_with(eol) || !l.ends_with('\n')),
                        "every line ends in {eol:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn restored_follows_a_final_block_scalar_without_a_line_break() {
    let text = "title: X\nstart: 2024-01-01T00:00:00Z\nservices:\n  - id: api\n    impact: major_outage\n    note: |\n      Slow.";
    let out = edit_mark_restored(text, "api", AT).expect("restored");
    assert_eq!(out, format!("{text}\n    restored: {AT}\n"));
    let kept = "title: X\nstart: 2024-01-01T00:00:00Z\nservices:\n  - id: api\n    impact: major_outage\n    note: |+\n      Slow.\n\nupdates: []\n";
    let out = edit_mark_restored(kept, "api", AT).expect("restored");
    assert_eq!(
        out,
        kept.replacen("Slow.\n\n", &format!("Slow.\n\n    restored: {AT}\n"), 1)
    );
}

#[test]
fn a_refusal_names_its_cause_and_what_to_write_by_hand() {
    let flow = "{title: X, start: 2024-01-01T00:00:00Z, updates: [{at: 2024-01-01T00:05:00Z, status: investigating, message: m}]}\n";
    let low = "title: X\nstart: 2024-01-01T00:00:00Z\nupdates:\n  - at: 2024-01-01T00:05:00Z\n    status: investigating\n    message: \"first\n  second\"\n";
    for (text, cause) in [
        (
            flow,
            "`updates:` does not start a line (a file written in flow style",
        ),
        (
            low,
            "line 7 (`second\"`) is indented no deeper than the list's `-`",
        ),
    ] {
        let err = edit_append_update(text, AT, "monitoring", "Back.").expect_err("refused");
        let EditError::Uneditable {
            cause: said,
            by_hand,
        } = &err
        else {
            panic!("{err:?}");
        };
        assert!(said.contains(cause), "{said}");
        let by_hand = by_hand.as_deref().expect("what to write by hand");
        let entry = format!("  - at: {AT}\n    status: monitoring\n    message: |\n      Back.");
        assert!(by_hand.ends_with(&entry), "{by_hand}");
        assert!(
            err.help()
                .is_some_and(|h| h.starts_with("make this change by hand")),
            "{:?}",
            err.help()
        );
    }
    let services =
        "{title: X, start: 2024-01-01T00:00:00Z, services: [{id: api, impact: major_outage}]}\n";
    let err = edit_mark_restored(services, "api", AT).expect_err("flow file");
    assert!(
        err.help().is_some_and(|h| h.ends_with(&format!(
            "add `restored: {AT}` to the entry `- id: api` under `services:`"
        ))),
        "{:?}",
        err.help()
    );
}
