//! Input as editors save it and as a hostile hand writes it: a byte-order mark, CRLF or CR
//! line ends, wide characters, broken YAML reported where it breaks, anchors, aliases and deep
//! nesting refused before they cost anything, years outside 1900–9999 refused at the field, in
//! `check`, `build` and a live session alike.

mod bounds;
mod text;

use crate::support::*;
use std::path::Path;

const NOW: &str = "2024-06-01T00:00:00Z";
/// The clock of every run, pinned to NOW: warnings about times ahead are measured against it.
const CLOCK: i64 = 1_717_200_000;
const INCIDENT: &str = "incidents/2024-03-05-outage.yaml";

/// `candor ARGS` with its clock pinned to `epoch` (seconds, as `SOURCE_DATE_EPOCH`).
fn candor_with_clock(args: &[&str], epoch: Option<i64>) -> Run {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_candor"));
    command.args(args).env_remove("SOURCE_DATE_EPOCH");
    if let Some(epoch) = epoch {
        command.env("SOURCE_DATE_EPOCH", epoch.to_string());
    }
    crate::support::run(command, epoch)
}

/// `candor COMMAND --root ROOT --now NOW` under the pinned clock.
fn run(command: &str, root: &Path) -> Run {
    let root = root.to_string_lossy();
    candor_with_clock(&[command, "--root", &root, "--now", NOW], Some(CLOCK))
}

/// What `check` says about a site: its exit code and its whole stderr.
fn check(root: &Path) -> (i32, String) {
    let r = run("check", root);
    (r.code, r.stderr)
}

/// A copy of the valid site `input/site` whose incident file had `from` replaced by `to`.
fn site_with(from: &str, to: &str) -> tempfile::TempDir {
    let site = copy_site(&fixture("input/site"));
    let path = site.path().join(INCIDENT);
    let text = read(&path);
    assert!(text.contains(from), "the fixture has {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    site
}

/// Every file of the output folder but candor's own bookkeeping (`.candor*`), which digests
/// the input bytes.
fn site_files(out: &Path) -> Vec<(String, Vec<u8>)> {
    files(out)
        .into_iter()
        .filter(|f| !f.starts_with(".candor"))
        .map(|f| {
            let bytes = std::fs::read(out.join(&f)).expect("read output");
            (f, bytes)
        })
        .collect()
}

/// Builds `root` into `root/public` and returns what it wrote.
fn build(root: &Path) -> Vec<(String, Vec<u8>)> {
    let r = run("build", root);
    assert_eq!(r.code, 0, "{}", r.stderr);
    site_files(&root.join("public"))
}
