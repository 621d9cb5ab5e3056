//! What an installed `candor` tells about itself: `--version` names the version and the git
//! commit it was built from (`build.rs`).

use crate::support::candor;

#[test]
fn version_names_the_package_version_and_the_commit() {
    let run = candor(&["--version"]);
    run.exits(0);
    let line = run.stdout.trim();
    let expected = format!("candor {} (", env!("CARGO_PKG_VERSION"));
    assert!(line.starts_with(&expected), "{line}");
    let commit = line
        .strip_prefix(&expected)
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_default();
    // A checkout gives a hex commit; a build without git says so rather than failing.
    let hex = commit.len() >= 7 && commit.bytes().all(|b| b.is_ascii_hexdigit());
    assert!(hex || commit == "unknown commit", "{line}");
}
