//! `new`, `update` and `init` as a team in a hurry uses them (issue 11): files without a final
//! line break, CRLF, pasted stack traces and other text; and the rule that authoring never
//! writes a file `candor check` would refuse — exit 1, the file's bytes unchanged, and the
//! reason as the same diagnostics `check` prints. Warnings do not block.

use crate::support::*;
use std::path::Path;
use yaml_serde::Value;

const SLUG: &str = "2024-10-30-api-errors";
const FILE: &str = "incidents/2024-10-30-api-errors.yaml";
const LATER: &str = "2024-10-30T12:00:00Z";

fn root(site: &tempfile::TempDir) -> String {
    site.path().to_string_lossy().into_owned()
}

/// `candor update SLUG --root SITE ARGS --now NOW`.
fn update(site: &tempfile::TempDir, args: &[&str], now: &str) -> Run {
    let root = root(site);
    let mut all = vec!["update", SLUG, "--root", &root];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--now", now]);
    candor(&all)
}

/// Posts `message` as an `identified` update at 11:00.
fn post(site: &tempfile::TempDir, message: &str) -> Run {
    update(
        site,
        &["--status", "identified", "--message", message],
        "2024-10-30T11:00:00Z",
    )
}

fn bytes(site: &tempfile::TempDir) -> Vec<u8> {
    std::fs::read(site.path().join(FILE)).expect("read the incident")
}

fn set(site: &tempfile::TempDir, text: &str) {
    std::fs::write(site.path().join(FILE), text).expect("write the incident");
}

/// The `updates` of the incident, as YAML reads them.
fn updates(site: &tempfile::TempDir) -> Vec<Value> {
    let text = read(&site.path().join(FILE));
    let value: Value = yaml_serde::from_str(&text).expect("the file parses");
    value
        .get("updates")
        .and_then(Value::as_sequence)
        .cloned()
        .expect("updates")
}

fn message(update: &Value) -> &str {
    update
        .get("message")
        .and_then(Value::as_str)
        .expect("a message")
}

/// Asserts the exit code and that stderr holds each of `needles`.
#[track_caller]
fn says(run: &Run, code: i32, needles: &[&str]) {
    assert_eq!(run.code, code, "{}", run.stderr);
    for needle in needles {
        assert!(
            run.stderr.contains(needle),
            "{needle:?} in:\n{}",
            run.stderr
        );
    }
}

/// `candor check` passes with no error (warnings allowed).
fn checks(root: &Path) {
    let run = on_site("check", root, LATER);
    assert_eq!(run.code, 0, "check after the command:\n{}", run.stderr);
}

/// The diagnostics `candor check` prints for the site: its stderr without the count line.
fn check_diagnostics(root: &Path) -> String {
    let run = on_site("check", root, LATER);
    let end = run.stderr.rfind("candor: ").expect("a count line");
    run.stderr[..end].to_owned()
}

#[test]
fn update_appends_to_a_file_without_a_final_line_break_lf_and_crlf() {
    for eol in ["\n", "\r\n"] {
        let site = copy_site(&fixture("authoring/no-final-newline"));
        let lf = read(&site.path().join(FILE));
        assert!(
            lf.ends_with("More soon."),
            "the fixture has no final line break"
        );
        set(&site, &lf.replace('\n', eol));
        let before = bytes(&site);
        let old = updates(&site);

        let run = post(&site, "Found the cause: a bad deploy.");
        assert_eq!(run.code, 0, "{eol:?}: {}", run.stderr);
        // The missing line break is added, then the entry: no other byte moves.
        let entry = "  - at: 2024-10-30T11:00:00Z\n    status: identified\n    message: |\n      Found the cause: a bad deploy.\n";
        let mut expected = before.clone();
        expected.extend_from_slice(eol.as_bytes());
        expected.extend_from_slice(entry.replace('\n', eol).as_bytes());
        assert_eq!(
            String::from_utf8_lossy(&bytes(&site)),
            String::from_utf8_lossy(&expected)
        );
        // The old message gains only the final `\n` a `|` block has whenever a line follows.
        let new = updates(&site);
        assert_eq!(message(&old[0]), "We are looking into it.\nMore soon.");
        assert_eq!(message(&new[0]), "We are looking into it.\nMore soon.\n");
        assert_eq!(message(&new[1]), "Found the cause: a bad deploy.\n");
        checks(site.path());
    }
}

#[test]
fn update_follows_every_block_shape_of_the_last_message() {
    let head = "title: API errors\nstart: 2024-10-30T10:00:00Z\nupdates:\n  - at: 2024-10-30T10:05:00Z\n    status: investigating\n";
    for (last, reads) in [
        (
            "    message: |2\n      \tat com.example.Api.call(Api.java:42)\n      \tat java.lang.Thread.run(Thread.java:829)",
            "\tat com.example.Api.call(Api.java:42)\n\tat java.lang.Thread.run(Thread.java:829)\n",
        ),
        ("    message: |+\n      Kept.\n\n\n", "Kept.\n\n\n"),
        ("    message: |-\n      Stripped.", "Stripped."),
        (
            "    message: >\n      Folded\n      lines.",
            "Folded lines.\n",
        ),
        (
            "    message: >-\n      Folded,\n      stripped.",
            "Folded, stripped.",
        ),
    ] {
        for eol in ["\n", "\r\n"] {
            let site = copy_site(&fixture("authoring/no-final-newline"));
            set(&site, &format!("{head}{last}").replace('\n', eol));
            let before = bytes(&site);
            let run = post(
                &site,
                "\tat the top of a pasted stack trace\n\tat the next line",
            );
            assert_eq!(run.code, 0, "{last:?} {eol:?}: {}", run.stderr);
            let after = bytes(&site);
            assert!(after.starts_with(&before), "only an insertion at the end");
            let updates = updates(&site);
            assert_eq!(message(&updates[0]), reads, "{last:?} {eol:?}");
            assert_eq!(
                message(&updates[1]),
                "\tat the top of a pasted stack trace\n\tat the next line\n"
            );
            checks(site.path());
        }
    }
}

#[test]
fn messages_a_team_pastes_are_posted_exactly_or_refused_clearly() {
    let long = "0123456789".repeat(1_000);
    let posted: &[(&str, &str)] = &[
        (
            "---\nA rule above, a heading below\n# Heading",
            "---\nA rule above, a heading below\n# Heading\n",
        ),
        ("# Not a YAML comment", "# Not a YAML comment\n"),
        (
            "Cause: a bad deploy; status: fixed",
            "Cause: a bad deploy; status: fixed\n",
        ),
        (
            "- API is back\n- Web is back",
            "- API is back\n- Web is back\n",
        ),
        ("--- a dash rule first", "--- a dash rule first\n"),
        (
            "col1\tcol2\n\tindented by a tab",
            "col1\tcol2\n\tindented by a tab\n",
        ),
        // Markdown reads CR, LF and CRLF alike as line ends; YAML does too, so the file says `\n`.
        ("first\rsecond\r\nthird", "first\nsecond\nthird\n"),
        ("판교 데이터센터 🔥 복구 중", "판교 데이터센터 🔥 복구 중\n"),
        (
            "    indented code block\nthen text",
            "    indented code block\nthen text\n",
        ),
        (&long, ""),
    ];
    let site = copy_site(&fixture("authoring/no-final-newline"));
    for (i, (typed, reads)) in posted.iter().enumerate() {
        let run = post(&site, typed);
        assert_eq!(run.code, 0, "{typed:?}: {}", run.stderr);
        let updates = updates(&site);
        let expected = if reads.is_empty() {
            format!("{typed}\n")
        } else {
            (*reads).to_owned()
        };
        assert_eq!(message(&updates[i + 1]), expected, "{typed:?}");
    }
    checks(site.path());

    // A NUL byte cannot reach a program's arguments; the library refuses it like these
    // (`empty_or_control_character_messages_are_refused`).
    let before = bytes(&site);
    for (typed, named) in [
        (
            "\u{1b}[31mred from a terminal\u{1b}[0m",
            "U+001B (a control character)",
        ),
        (
            "not a character \u{FFFF}",
            "U+FFFF (a character YAML files cannot hold)",
        ),
    ] {
        let named = format!("the message contains {named}");
        says(&post(&site, typed), 2, &[&named, "nothing was written"]);
        assert_eq!(bytes(&site), before, "a refused message writes nothing");
    }
}

/// `../shared/cases/16-update-exceeds-size-limit`: a legal file of 1,040,001 bytes, the shape
/// of a long pasted log.
fn big_incident() -> String {
    let mut text = String::from(
        "title: Big log pasted\nstart: 2024-10-30T10:00:00Z\nservices:\n  - id: api\n    impact: partial_outage\nupdates:\n  - at: 2024-10-30T10:05:00Z\n    status: investigating\n    message: |\n",
    );
    let mut i = 0;
    while text.len() < 1_040_000 {
        text.push_str(&format!(
            "      2024-10-30T10:00:{:02} ERROR upstream timeout on shard {i:05}\n",
            i % 60
        ));
        i += 1;
    }
    text.truncate(1_040_000);
    text.push('\n');
    text
}

#[test]
fn an_update_that_would_pass_the_size_limit_is_refused_and_writes_nothing() {
    let site = copy_site(&fixture("authoring/no-final-newline"));
    set(&site, &big_incident());
    checks(site.path());
    let before = bytes(&site);
    assert_eq!(before.len(), 1_040_001);

    let run = post(&site, &"E".repeat(21_000));
    let size = format!(
        "error: file is {} bytes; the limit is 1048576 (1 MiB)\n --> {FILE}\n",
        1_040_001 + 21_000 + 74
    );
    let whole = format!(
        "error: this would make {} fail `candor check` (the error above)",
        site.path().join(FILE).display()
    );
    let help = "= help: split it, or move long texts to a postmortem_url";
    says(&run, 1, &[&whole, help]);
    assert!(run.stderr.starts_with(&size), "{}", run.stderr);
    assert!(run.stderr.ends_with("candor: nothing was written\n"));
    assert_eq!(bytes(&site), before, "nothing was written");
    checks(site.path());

    // What still fits is posted.
    let run = post(
        &site,
        "Found the cause; the full log is linked from the postmortem.",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    checks(site.path());
}

#[test]
fn an_edit_the_loader_would_refuse_is_refused_with_checks_own_diagnostic() {
    let site = copy_site(&fixture("authoring/no-final-newline"));
    assert_eq!(post(&site, "Fixed.").code, 0);
    let run = update(
        &site,
        &["--status", "resolved", "--message", "Resolved."],
        "2024-10-30T11:30:00Z",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = bytes(&site);
    // A stage at the very start of the service's impact: not strictly inside its window.
    let run = update(
        &site,
        &["--impact", "api=degraded_performance"],
        "2024-10-30T10:00:00Z",
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let diagnostic = "error: stage #1 is not after the start of the service's impact (its `from`, else the incident's `start`)\n --> incidents/2024-10-30-api-errors.yaml:8:13\n  |\n8 |       - at: 2024-10-30T10:00:00Z\n  |             ^^^^^^^^^^^^^^^^^^^^\n";
    assert!(run.stderr.contains(diagnostic), "{}", run.stderr);
    assert!(
        run.stderr.ends_with("candor: nothing was written\n"),
        "{}",
        run.stderr
    );
    assert_eq!(bytes(&site), before, "nothing was written");
    checks(site.path());
}

#[test]
fn update_on_a_file_that_already_fails_check_is_refused_with_its_errors() {
    let site = copy_site(&fixture("authoring/broken-incident"));
    let before = bytes(&site);
    let broken = check_diagnostics(site.path());
    assert!(broken.contains("unknown service"), "{broken}");

    let run = post(&site, "Found the cause.");
    let already = format!(
        "{} already fails `candor check` (the error above)",
        site.path().join(FILE).display()
    );
    says(&run, 1, &[&already, "they were there before this command"]);
    assert!(
        run.stderr.starts_with(&broken),
        "as `check`:\n{}",
        run.stderr
    );
    assert_eq!(bytes(&site), before, "nothing was written");

    // A mistake on the command line is named as such, whatever the file.
    let run = update(&site, &["--status", "fixd", "--message", "x"], LATER);
    says(&run, 2, &["unknown status `fixd`"]);
}

#[test]
fn warnings_do_not_block_and_are_printed_as_check_prints_them() {
    let site = copy_site(&fixture("authoring/no-final-newline"));
    // Posted before the last update: out of time order, a warning.
    let run = update(
        &site,
        &["--status", "identified", "--message", "Late entry."],
        "2024-10-30T10:01:00Z",
    );
    says(&run, 0, &[&format!("--> {FILE}:")]);
    assert!(run.stderr.starts_with("warning: "), "{}", run.stderr);
    assert!(!run.stderr.contains("nothing was written"));
    let path = site.path().join(FILE);
    assert_eq!(run.stdout.trim(), path.display().to_string());
    assert_eq!(updates(&site).len(), 2, "written");
}

#[test]
fn a_layout_update_cannot_follow_is_refused_naming_the_cause_and_the_lines_to_add() {
    let site = copy_site(&fixture("authoring/no-final-newline"));
    set(
        &site,
        "{title: API errors, start: 2024-10-30T10:00:00Z, updates: [{at: 2024-10-30T10:05:00Z, status: investigating, message: Looking.}]}\n",
    );
    checks(site.path());
    let before = bytes(&site);
    let entry =
        "  - at: 2024-10-30T11:00:00Z\n    status: identified\n    message: |\n      Found it.\n";
    let cause = "`updates:` does not start a line";
    says(
        &post(&site, "Found it."),
        2,
        &[cause, "make this change by hand", entry],
    );
    assert_eq!(bytes(&site), before, "nothing was written");
}

#[test]
fn new_posts_titles_of_only_cjk_or_emoji_and_refuses_control_characters() {
    let site = copy_site(&fixture("authoring/no-final-newline"));
    let root = root(&site);
    for (title, file) in [
        (
            "판교 데이터센터 화재",
            "incidents/2024-10-30-pangyo-deiteosenteo-hwajae.yaml",
        ),
        ("🔥🔥🔥", "incidents/2024-10-30-incident.yaml"),
        ("⚠️", "incidents/2024-10-30-incident-2.yaml"),
    ] {
        let run = candor(&[
            "new",
            title,
            "--root",
            &root,
            "--now",
            "2024-10-30T10:30:00Z",
        ]);
        assert_eq!(run.code, 0, "{title}: {}", run.stderr);
        assert_eq!(
            run.stdout.trim(),
            site.path().join(file).display().to_string()
        );
        let value: Value = yaml_serde::from_str(&read(&site.path().join(file))).expect("yaml");
        assert_eq!(value.get("title").and_then(Value::as_str), Some(title));
    }
    checks(site.path());
    let listed = files(site.path());
    let run = candor(&[
        "new",
        "Red \u{1b}[31malert",
        "--root",
        &root,
        "--now",
        LATER,
    ]);
    says(
        &run,
        2,
        &["the title contains U+001B (a control character)"],
    );
    assert_eq!(files(site.path()), listed, "nothing was written");
}

#[test]
fn new_refuses_a_site_whose_status_yaml_fails_check_with_its_diagnostics() {
    let site = copy_site(&fixture("authoring/no-final-newline"));
    let status = site.path().join("status.yaml");
    std::fs::write(&status, read(&status) + "timezone: Asia/Seol\n").expect("write");
    let broken = check_diagnostics(site.path());
    let run = candor(&["new", "Outage", "--root", &root(&site), "--now", LATER]);
    says(&run, 1, &["status.yaml already fails `candor check`"]);
    assert!(run.stderr.starts_with(&broken), "{}", run.stderr);
    assert!(
        !site
            .path()
            .join("incidents/2024-10-30-outage.yaml")
            .exists()
    );
}

#[test]
fn init_writes_a_site_that_checks_or_nothing_at_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    for now in [
        "2024-03-01T08:00:00Z",
        "1900-01-02T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "9999-12-30T23:59:59Z",
    ] {
        let site = dir.path().join(now.replace(':', "-"));
        let run = candor(&["init", &site.to_string_lossy(), "--now", now]);
        match run.code {
            0 => {
                let check = on_site("check", &site, now);
                assert_eq!(
                    check.code, 0,
                    "init at {now} wrote a site check refuses:\n{}",
                    check.stderr
                );
            }
            1 => {
                assert!(run.stderr.contains("fail `candor check`"), "{}", run.stderr);
                assert!(
                    !site.join("status.yaml").exists(),
                    "init at {now} wrote after refusing"
                );
            }
            code => panic!("init at {now}: exit {code}\n{}", run.stderr),
        }
    }
}

#[test]
fn update_checks_beside_the_site_when_the_temp_dir_is_unusable() {
    let site = copy_site(&fixture("authoring/no-final-newline"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["update", SLUG, "--root", &root(&site)])
        .args(["--status", "identified", "--message", "Found it."])
        .args(["--now", "2024-10-30T11:00:00Z"])
        .env("TMPDIR", site.path().join("no-such-folder"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run candor");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(updates(&site).len(), 2);
    assert_eq!(
        files(site.path()),
        ["incidents/2024-10-30-api-errors.yaml", "status.yaml"],
        "no scratch folder left behind"
    );
}
