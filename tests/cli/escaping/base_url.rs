//! `base_url` and `--base-url` are URLs: a line break, credentials, a query or another scheme is
//! refused where it was written; a missing final `/` is added everywhere.

use super::NOW;
use super::readers::{ics_lines, ics_values};
use crate::support::*;

#[test]
fn a_base_url_with_a_line_break_is_refused_at_its_line_and_the_old_site_stays() {
    let site = copy_site(&fixture("escaping/site"));
    let status = site.path().join("status.yaml");
    let yaml = read(&status).replace(
        "base_url: https://status.example.com/",
        "base_url: \"https://status.example.com/\\r\\nDisallow: /\"",
    );
    std::fs::write(&status, yaml).expect("write");
    let check = on_site("check", site.path(), NOW);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains("error: the address contains a line break\n --> status.yaml:3:11\n"),
        "{}",
        check.stderr
    );
    assert!(
        check
            .stderr
            .contains("= help: write the address on one line")
    );
    let out = site.path().join("public");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(out.join(".candor"), "").expect("marker");
    std::fs::write(out.join("robots.txt"), "the previous site").expect("old file");
    let build = on_site("build", site.path(), NOW);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert_eq!(read(&out.join("robots.txt")), "the previous site");
}

#[test]
fn a_bad_base_url_flag_is_a_usage_error_naming_the_flag() {
    let site = copy_site(&fixture("escaping/site"));
    let root = site.path().to_string_lossy().into_owned();
    for (flag, says) in [
        (
            "https://status.example.com/\nDisallow: /",
            "contains a line break",
        ),
        ("https://status.example.com/\r", "contains a line break"),
        (
            "ftp://status.example.com/",
            "is not an http or https address",
        ),
        (
            "https://ops:hunter2@status.example.com/",
            "user name or password",
        ),
        ("status.example.com", "is not a full address"),
        ("https://status.example.com/?preview=1", "a query"),
    ] {
        let run = candor(&["build", "--root", &root, "--now", NOW, "--base-url", flag]);
        assert_eq!(run.code, 2, "{flag:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("error: --base-url: ") && run.stderr.contains(says),
            "{flag:?}: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("hunter2"),
            "the password is not echoed"
        );
        assert!(
            !site.path().join("public").exists(),
            "{flag:?}: nothing written"
        );
    }
}

#[test]
fn a_base_url_without_its_final_slash_gets_one_everywhere() {
    let site = copy_site(&fixture("escaping/site"));
    let root = site.path().to_string_lossy().into_owned();
    let base = "https://Example.ORG/status";
    let run = candor(&["build", "--root", &root, "--now", NOW, "--base-url", base]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = site.path().join("public");
    assert_eq!(
        read(&out.join("robots.txt")),
        "User-agent: *\nAllow: /\nSitemap: https://example.org/status/sitemap.xml\n"
    );
    let lines = ics_lines(&read(&out.join("maintenance.ics")));
    assert_eq!(
        ics_values(&lines, "URL")[0],
        "https://example.org/status/incidents/2023-11-02-db-reboot/"
    );
    // The UID is the window's API id at the page's: no host in it, so a move keeps it.
    let uid = ics_values(&lines, "UID")[0].to_owned();
    let (event, page) = uid.split_once('@').expect("an id@page UID");
    assert!(!uid.contains("example.org"), "{uid}");
    let status: serde_json::Value =
        serde_json::from_str(&read(&out.join("api/v2/status.json"))).expect("json");
    assert_eq!(page, status["page"]["id"]);
    assert_eq!(event.len(), 12, "{uid}");
    let atom = read(&out.join("feed.atom"));
    assert!(atom.contains("<link href=\"https://example.org/status/feed.atom\" rel=\"self\""));
}
