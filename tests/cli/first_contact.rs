//! A newcomer's first minutes: `init` leaves a site that counts uptime only from its first day
//! and says what to do next; candor run from inside a site's folder names the site's root
//! instead of offering to start a new site there.

use crate::support::*;
use std::path::Path;
use std::process::Command;

const NOW: &str = "2026-11-29T23:00:00Z";

/// `candor ARGS` run in `dir`, no clock pinned (every command here takes `--now` or needs none).
fn candor_at(dir: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_candor"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH");
    run(command, None)
}

#[test]
fn init_counts_uptime_from_the_sites_first_day_and_prints_next_steps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let init = candor_at(dir.path(), &["init", "status", "--now", NOW]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let site = dir.path().join("status");
    let status = read(&site.join("status.yaml"));
    let since: Vec<&str> = status
        .lines()
        .filter(|l| l.trim_start().starts_with("since:"))
        .collect();
    let services = status.lines().filter(|l| l.contains("- id:")).count();
    assert_eq!(
        since.len(),
        services,
        "every service has `since`:\n{status}"
    );
    assert!(
        since.iter().all(|l| l.contains("since: 2026-11-29")),
        "today, in the site's zone:\n{status}"
    );
    // Next steps, each a command a newcomer can type, in order.
    let steps = ["cd status", "candor serve", "candor new", "candor build"];
    let at: Vec<usize> = steps
        .iter()
        .map(|s| {
            init.stderr
                .find(s)
                .unwrap_or_else(|| panic!("{s}:\n{}", init.stderr))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{}", init.stderr);
    assert!(init.stderr.contains("publish"), "{}", init.stderr);

    // The bars: no green day before the site existed. 3 services × 90 days, of which the
    // first 89 of each come before `since` (today).
    let build = candor_at(&site, &["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let index = read(&site.join("public/index.html"));
    let count = |class: &str| index.matches(&format!("class=\"day lvl-{class}\"")).count();
    assert_eq!(count("no_data"), 3 * 89, "days before `since` have no data");
    assert!(count("operational") > 0);
}

#[test]
fn run_from_inside_a_site_candor_names_its_root() {
    let site = copy_site(&fixture("input/site"));
    let deep = site.path().join("incidents");
    std::fs::create_dir_all(deep.join("drafts")).expect("mkdir");
    for (dir, root) in [(deep.clone(), ".."), (deep.join("drafts"), "../..")] {
        for args in [
            &["check"][..],
            &["build", "--now", NOW],
            &["new", "Login fails", "--now", NOW],
            &["update", "x", "--status", "resolved", "--message", "ok"],
        ] {
            let r = candor_at(&dir, args);
            assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
            let help =
                format!("inside the site at `{root}`: run candor there, or pass `--root {root}`");
            assert!(
                r.stderr.contains(&help),
                "{args:?} in {dir:?}:\n{}",
                r.stderr
            );
            assert!(!r.stderr.contains("candor init"), "{}", r.stderr);
        }
    }
    // Outside any site, the help is still how to start one.
    let empty = tempfile::tempdir().expect("tempdir");
    let r = candor_at(empty.path(), &["check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("run `candor init .`"), "{}", r.stderr);
}

/// A second incident of the same title on the same day gets `-2`, and `new` says so: every
/// later command names it by that slug.
#[test]
fn a_repeated_title_is_announced_with_its_new_slug() {
    let site = copy_site(&fixture("input/site"));
    let args = ["new", "API errors", "--service", "api", "--now", NOW];
    let first = candor_at(site.path(), &args);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(!first.stderr.contains("already exists"), "{}", first.stderr);
    let second = candor_at(site.path(), &args);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second.stdout.contains("2026-11-30-api-errors-2.yaml"),
        "{}",
        second.stdout
    );
    assert!(
        second.stderr.contains(
            "`incidents/2026-11-30-api-errors.yaml` already exists, so this incident is `2026-11-30-api-errors-2`"
        ),
        "{}",
        second.stderr
    );
}

/// A title written by hand with a line break or a control character is an error at `title:`,
/// as `candor new` refuses it: it would reach every page as it is.
#[test]
fn a_title_with_control_characters_is_an_error_at_the_field() {
    let site = copy_site(&fixture("input/site"));
    let incidents = site.path().join("incidents");
    let file = std::fs::read_dir(&incidents)
        .expect("incidents")
        .flatten()
        .next()
        .expect("an incident")
        .path();
    let text = read(&file);
    let title = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .expect("a title line")
        .to_owned();
    for bad in ["\"a\\r\\nb\"", "\"a \\0 b\"", "\"a\\u2028b\""] {
        std::fs::write(&file, text.replacen(&title, &format!("title: {bad}"), 1)).expect("write");
        let r = candor_at(site.path(), &["check", "--now", NOW]);
        assert_eq!(r.code, 1, "{bad}: {}", r.stderr);
        assert!(r.stderr.contains("`title` holds U+"), "{bad}: {}", r.stderr);
        assert!(
            r.stderr.contains(":1:8"),
            "at the title's value: {}",
            r.stderr
        );
    }
}
