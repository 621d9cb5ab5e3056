//! Test inputs shared by the render families' unit tests: a small sample site in Seoul, the
//! same with hostile text, English strings, and a way to read one output file.
//!
//! The sample goes through the real loader, which reads a folder: this test-only module writes
//! one into a temporary directory. Render itself never touches the disk.

use super::OutputFile;
use crate::load::LoadOptions;
use crate::model::{Site, Time};
use crate::theme::i18n::Strings;

/// The instant written in RFC 3339.
pub(crate) fn t(s: &str) -> Time {
    chrono::DateTime::parse_from_rfc3339(s)
        .expect("test time")
        .to_utc()
}

/// The build time of `sample_site`.
pub(crate) const NOW: &str = "2022-10-20T12:00:00+09:00";

const STATUS: &str = "title: Example Status
base_url: https://status.example.com/
timezone: Asia/Seoul
services:
  - { id: talk, name: TALK, group: Messaging, since: 2010-03-18 }
  - { id: pay, name: PAY, description: The pay service }
  - { id: mail, name: MAIL, group: Messaging }
";

/// A resolved critical incident with a `<script>` title, an open one, an upcoming and a
/// running maintenance window, in Seoul, read through the real loader.
const INCIDENTS: [(&str, &str); 4] = [
    (
        "fire",
        "title: Fire <script>alert(1)</script>
severity: critical
start: 2022-10-15 15:30
end: 2022-10-16 12:00
summary: Summary of *this*.
services:
  - id: talk
    impact: major_outage
    stages: [{ at: 2022-10-16 01:30, impact: partial_outage }]
updates:
  - { at: 2022-10-15 16:00, status: investigating, message: A fire; we are *looking*. }
  - { at: 2022-10-16 09:00, status: monitoring, message: Back; watching & waiting. }
  - { at: 2022-10-16 12:00, status: resolved, message: \"Resolved.\\nSorry, everyone; truly.\" }
",
    ),
    (
        "slow-pay",
        "title: Slow payments
start: 2022-10-20 10:00
services: [{ id: pay, impact: partial_outage }]
updates: [{ at: 2022-10-20 10:05, status: investigating, message: Payments are slow. }]
",
    ),
    (
        "db-upgrade",
        "title: Database upgrade
kind: maintenance
start: 2022-10-25 02:00
end: 2022-10-25 04:00
services: [{ id: mail }]
updates: [{ at: 2022-10-18 10:00, status: scheduled, message: Planned. }]
",
    ),
    (
        "net-work",
        "title: Network work
kind: maintenance
start: 2022-10-20 11:00
end: 2022-10-20 13:00
services: [{ id: talk }]
updates: [{ at: 2022-10-20 11:00, status: in_progress, message: Started. }]
",
    ),
];

pub(crate) fn sample_site() -> Site {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text);
    write("status.yaml", STATUS).expect("write");
    std::fs::create_dir(dir.path().join("incidents")).expect("mkdir");
    for (slug, text) in INCIDENTS {
        write(&format!("incidents/{slug}.yaml"), text).expect("write");
    }
    let options = LoadOptions {
        now: t(NOW),
        clock: t(NOW),
        drafts: false,
        languages: crate::theme::languages,
    };
    let loaded = crate::load::load(dir.path(), &options).expect("the sample loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    loaded.site
}

/// The sample site, with hostile text where feeds, badges and the calendar show it.
pub(crate) fn hostile_site() -> Site {
    let mut site = sample_site();
    site.services[0].name = "<script>alert(1)</script>".to_owned();
    for i in site.incidents.iter_mut().filter(|i| i.slug == "db-upgrade") {
        std::sync::Arc::make_mut(i).title =
            "Upgrade <script>x</script>; step 1, step 2\\ok\nnext".to_owned();
    }
    site
}

/// The built-in English strings.
pub(crate) fn english() -> Strings {
    let text = include_str!("../../themes/default/i18n/en.yaml");
    let map: serde_json::Map<String, serde_json::Value> =
        yaml_serde::from_str(text).expect("en.yaml");
    Strings::new(map.clone(), map)
}

/// The text of the file at `path` among `files`.
pub(crate) fn text<'f>(files: &'f [OutputFile], path: &str) -> &'f str {
    let found = files.iter().find(|f| f.path == path).expect(path);
    std::str::from_utf8(&found.bytes).expect("utf-8")
}
