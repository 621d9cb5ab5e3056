//! Control characters in every text field, not only the title: each one-line field (a name, a
//! role, a link, a stage's note …) refuses a line break, a tab, a control character and a
//! bidirectional override with `candor::text-not-one-line`; a multi-line text (Markdown, a
//! description) refuses the same but line breaks and tabs, with `candor::text-control-character`.
//! Each at its file, line and field, with what to write instead.

use crate::support::*;

const NOW: &str = "2024-01-01T00:00:00Z";

const STATUS: &str = "title: \"Example\\u0007 Status\"
base_url: https://status.example.org/
services:
  - id: api
    name: \"API\\tv2\"
    group: \"Core\\u009b\"
    description: \"Public\\u202Eapi\"
links:
  - { title: \"Home\\u001b[31m\", url: https://example.org/ }
";

const INCIDENT: &str = "title: Errors
severity: minor
start: 2023-06-10T10:00:00Z
end: 2023-06-10T11:00:00Z
summary: |
  Two lines,
  \tand a tab: allowed.
cause: \"bell \\a\"
services:
  - id: api
    impact: partial_outage
    stages:
      - at: 2023-06-10T10:30:00Z
        impact: degraded_performance
        note: \"two\\nlines\"
updates:
  - at: 2023-06-10T10:05:00Z
    status: investigating
    message: \"DEL \\x7f\"
statements:
  - at: 2023-06-10
    by: \"Ann \\u2066Lee\"
    role: \"CEO\\r\"
    statement: fine
    link: \"https://example.org/\\u0000\"
leadership:
  - at: 2023-06-10
    person: \"Bo\\u0085\"
    role: CTO
    change: resigned
compensation:
  - for: \"users\\u2028all\"
    description: fine
commitments:
  - what: \"fix\\u0001\"
    due: \"2024\\u0002\"
    status: planned
sources:
  - { title: \"Press\\u007f\", url: https://example.org/press }
postmortem_url: \"https://example.org/pm\\u001b\"
";

#[test]
fn every_text_field_refuses_control_characters_at_its_line() {
    let site = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(site.path().join("incidents")).expect("mkdir");
    std::fs::write(site.path().join("status.yaml"), STATUS).expect("status");
    let incident = site.path().join("incidents/2023-06-10-errors.yaml");
    std::fs::write(&incident, INCIDENT).expect("incident");
    let (one_line, control) = (
        "candor::text-not-one-line",
        "candor::text-control-character",
    );
    let file = "incidents/2023-06-10-errors.yaml";
    let errors = assert_reported(
        site.path(),
        &mut [
            (
                "status.yaml",
                1,
                "`title` holds U+0007 (a control character)",
                one_line,
            ),
            ("status.yaml", 5, "`name` holds U+0009 (a tab)", one_line),
            (
                "status.yaml",
                6,
                "`group` holds U+009B (a control character)",
                one_line,
            ),
            (
                "status.yaml",
                7,
                "`description` holds U+202E (a bidirectional override)",
                control,
            ),
            (
                "status.yaml",
                9,
                "`title` holds U+001B (a control character)",
                one_line,
            ),
            (
                file,
                8,
                "`cause` holds U+0007 (a control character)",
                control,
            ),
            (file, 15, "`note` holds U+000A (a line break)", one_line),
            (
                file,
                19,
                "`message` holds U+007F (a control character)",
                control,
            ),
            (
                file,
                22,
                "`by` holds U+2066 (a bidirectional override)",
                one_line,
            ),
            (file, 23, "`role` holds U+000D (a line break)", one_line),
            (
                file,
                25,
                "`link` holds U+0000 (a control character)",
                one_line,
            ),
            (
                file,
                28,
                "`person` holds U+0085 (a control character)",
                one_line,
            ),
            (file, 32, "`for` holds U+2028 (a line break)", one_line),
            (
                file,
                35,
                "`what` holds U+0001 (a control character)",
                one_line,
            ),
            (
                file,
                36,
                "`due` holds U+0002 (a control character)",
                one_line,
            ),
            (
                file,
                39,
                "`title` holds U+007F (a control character)",
                one_line,
            ),
            (
                file,
                40,
                "`postmortem_url` holds U+001B (a control character)",
                one_line,
            ),
        ],
    );
    // What to write instead: the text without the character.
    let by = (errors.iter())
        .find(|d| d["message"].as_str().is_some_and(|m| m.starts_with("`by`")))
        .map(|d| &d["help"])
        .expect("the error at by");
    assert_eq!(
        by.as_str(),
        Some(
            "write `by` as one line of text, without line breaks, tabs or control characters; \
             to set the direction of a mixed-direction text, use the marks U+200E or U+200F: \
             like `Ann Lee`"
        )
    );
}

/// Checks the site: exit 1, and its errors are exactly `want` (file, line, message, code), in
/// order of file and line (a summary's line breaks and tabs are no error). Returns them.
#[track_caller]
fn assert_reported(
    root: &std::path::Path,
    want: &mut [(&str, u64, &str, &str)],
) -> Vec<serde_json::Value> {
    let root = root.to_string_lossy();
    let run = candor(&["check", "--root", &root, "--now", NOW, "--format", "json"]);
    run.exits(1);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let mut errors: Vec<serde_json::Value> = (report["diagnostics"].as_array())
        .expect("diagnostics")
        .iter()
        .filter(|d| d["level"] == "error")
        .cloned()
        .collect();
    errors.sort_by_key(|d| (d["file"].as_str().map(str::to_owned), d["line"].as_u64()));
    let owned = |(file, line, message, code): (&str, u64, &str, &str)| {
        (file.to_owned(), line, message.to_owned(), code.to_owned())
    };
    let got: Vec<_> = (errors.iter())
        .map(|d| {
            let text = |key: &str| d[key].as_str().unwrap_or("");
            let line = d["line"].as_u64().unwrap_or(0);
            owned((text("file"), line, text("message"), text("code")))
        })
        .collect();
    want.sort_by_key(|w| (w.0, w.1));
    let want: Vec<_> = want.iter().copied().map(owned).collect();
    assert_eq!(got, want);
    errors
}
