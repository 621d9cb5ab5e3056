//! `candor init` writes the GitHub Pages workflow of docs/deploy.md, byte for byte, and keeps
//! one a repository already has.

use crate::support::*;

/// The ```yaml block under "### GitHub Pages" in docs/deploy.md.
fn documented_workflow() -> String {
    doc_block("docs/deploy.md", "### GitHub Pages", "yaml")
}

#[test]
fn init_writes_the_documented_github_pages_workflow() {
    let temp = tempfile::tempdir().expect("tempdir");
    let site = temp.path().join("status");
    let run = candor(&["init", &site.to_string_lossy(), "--now", "2026-11-29 09:00"]);
    run.exits(0);
    let workflow = site.join(".github/workflows/status.yml");
    assert!(
        run.stdout.contains("status.yml"),
        "init lists it: {}",
        run.stdout
    );
    assert!(
        run.stderr.contains(".github/workflows/status.yml"),
        "{}",
        run.stderr
    );
    let written = read(&workflow);
    assert_eq!(written, documented_workflow());
    // What it runs is what the docs promise: a build of public/, published by Pages; not a
    // strict one, which a warning typed during an outage would stop.
    assert!(written.contains("- run: candor build\n") && !written.contains("build --strict"));
    assert!(written.contains("with: { path: public }"));
}

#[test]
fn init_keeps_a_workflow_the_repository_has() {
    let temp = tempfile::tempdir().expect("tempdir");
    let workflows = temp.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).expect("mkdir");
    std::fs::write(workflows.join("status.yml"), "name: ours\n").expect("write");
    candor(&[
        "init",
        &temp.path().to_string_lossy(),
        "--now",
        "2026-11-29 09:00",
    ])
    .exits(0);
    assert_eq!(read(&workflows.join("status.yml")), "name: ours\n");
}
