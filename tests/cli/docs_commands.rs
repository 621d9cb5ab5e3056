//! The docs stay true: docs/getting-started.md runs from `init` to a page deployed to two folders,
//! and every `candor …` command written in a code block of the README or of `docs/` names a
//! subcommand and flags that exist (a reader copies them as they are).

use crate::support::*;
use crate::under_pressure::{Step, play, steps};
use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn getting_started_publishes_one_incident_to_both_folders() {
    let doc = read(&repo().join("docs/getting-started.md"));
    let steps = steps(&doc);
    let deploys = steps
        .iter()
        .filter(|s| matches!(s, Step::Candor(line) if line == "candor deploy"))
        .count();
    assert_eq!(
        deploys, 2,
        "the guide deploys, then deploys the update: {steps:?}"
    );
    let (_temp, dir, clock, last) = play(&steps);
    assert_eq!(last.as_deref(), Some("candor deploy"));
    candor(&["check", "--root", &dir.to_string_lossy(), "--now", &clock])
        .exits(0)
        .warns_nothing();

    let page = "incidents/2026-11-29-api-errors-for-some-requests/index.html";
    let built = read(&dir.join("public").join(page));
    assert!(built.contains("All API requests succeed again."), "{built}");
    for target in ["www", "mirror"] {
        let published = dir.join("..").join(target);
        assert_eq!(
            read(&published.join(page)),
            built,
            "{target} has the resolved page"
        );
        assert_eq!(
            read(&published.join("index.html")),
            read(&dir.join("public/index.html")),
            "{target} has the front page of the last build"
        );
    }
}

#[test]
fn a_second_deploy_moves_only_what_the_update_changed() {
    let doc = read(&repo().join("docs/getting-started.md"));
    let (_temp, dir, _clock, _last) = play(&steps(&doc));
    // Deploying the same build again moves nothing: the guide's promise that later deploys are small.
    let again = run(deploy_in(&dir), None);
    assert_eq!(again.code, 0, "{}", again.stderr);
    for target in ["main (folder ../www)", "mirror (folder ../mirror)"] {
        let line = again
            .stdout
            .lines()
            .find(|l| l.contains(target))
            .unwrap_or_else(|| panic!("{target} is reported:\n{}", again.stdout));
        assert!(line.contains(": 0 uploaded, 0 removed,"), "{line}");
    }
}

fn deploy_in(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_candor"));
    command.arg("deploy").current_dir(dir);
    command
}

/// Every `candor …` command of a code block in README.md and docs/*.md, as written (quotes and
/// trailing comments as a shell reads them), parses: `--help` appended makes the command print its
/// help instead of running, after the subcommand and every flag before it were accepted.
#[test]
fn every_command_in_the_docs_parses() {
    let mut files = vec![repo().join("README.md")];
    files.extend(markdown_files(&repo().join("docs")));
    let mut checked = 0;
    for file in &files {
        for line in candor_commands(&read(file)) {
            let run = run(parse_only(&line), None);
            assert_eq!(
                run.code,
                0,
                "{}: `{line}` does not parse:\n{}",
                file.display(),
                run.stderr
            );
            checked += 1;
        }
    }
    assert!(checked >= 40, "the docs' commands were found: {checked}");
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("docs/")
        .map(|entry| entry.expect("docs entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

/// The command lines of `doc`'s fenced code blocks that run candor (continuations joined, a YAML
/// `run:` prefix removed): those that start with `candor`, or with `cd` and go on to candor.
fn candor_commands(doc: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut block: Option<Vec<&str>> = None;
    for line in doc.lines() {
        match (&mut block, line.starts_with("```")) {
            (None, true) => block = Some(Vec::new()),
            (Some(lines), true) => {
                let joined = lines.join("\n").replace("\\\n", " ");
                commands.extend(
                    joined
                        .lines()
                        .map(|l| {
                            l.trim()
                                .trim_start_matches("- ")
                                .trim_start_matches("run: ")
                        })
                        .filter(|l| runs_candor(l))
                        .map(str::to_owned),
                );
                block = None;
            }
            (Some(lines), false) => lines.push(line),
            (None, false) => {}
        }
    }
    commands
}

/// `candor build`, `cd site && candor check`: not prose that starts with the name.
fn runs_candor(line: &str) -> bool {
    let is_command = |part: &str| {
        part.strip_prefix("candor ")
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_lowercase() || c == '-')
    };
    let first = line.split("&&").next().unwrap_or_default().trim();
    (is_command(first) || first.starts_with("cd "))
        && line.split("&&").any(|part| is_command(part.trim()))
}

/// `sh -c LINE` with `candor` a function that runs this build's binary with `--help` appended,
/// and `cd` one that stays (the folders of the docs' examples do not exist here).
fn parse_only(line: &str) -> Command {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!(
            r#"cd() {{ :; }}; candor() {{ "$CANDOR_BIN" "$@" --help >/dev/null; }}; {line}"#
        ))
        .env("CANDOR_BIN", env!("CARGO_BIN_EXE_candor"))
        .current_dir(std::env::temp_dir());
    command
}
