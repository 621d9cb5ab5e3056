//! Stamps the binary with the git commit it was built from, for `candor --version`.
//!
//! Never fails a build: without git or a `.git` (a tarball, `cargo install` from a
//! registry, a Docker context without it) the commit is `CANDOR_COMMIT` when set, else
//! "unknown commit".

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=CANDOR_COMMIT");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    // Rebuilt when HEAD moves (a commit, a checkout), not on every source change.
    let branch = git(&["symbolic-ref", "-q", "HEAD"]);
    for path in ["HEAD", "packed-refs"].into_iter().chain(branch.as_deref()) {
        if let Some(file) = git(&["rev-parse", "--git-path", path]) {
            println!("cargo:rerun-if-changed={file}");
        }
    }
    let commit = std::env::var("CANDOR_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown commit".to_owned());
    println!("cargo:rustc-env=CANDOR_COMMIT={commit}");
}
