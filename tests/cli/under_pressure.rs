//! docs/under-pressure.md stays true: every command of its ```sh blocks runs, in order, on a
//! temporary site, each at the time its block's `# YYYY-MM-DD HH:MM` line gives (as `--now`, a
//! naive time read in the site's zone, as a person types it); the ```yaml block that starts with
//! `# status.yaml` becomes the site's status.yaml, and `rm incidents/…` removes `init`'s example. Each command must succeed without a warning,
//! and the last `check` must be clean.

use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One step of the checklist, in document order.
#[derive(Debug)]
pub(crate) enum Step {
    /// `# 2025-11-29 05:40`: the clock of the commands that follow.
    Clock(String),
    /// `cd DIR`.
    Cd(String),
    /// A `candor …` command line (continuations joined).
    Candor(String),
    /// `rm FILES` of the site (the example incident of `init`).
    Remove(String),
    /// The text of status.yaml.
    StatusYaml(String),
}

/// The steps of `doc`'s ```sh and ```yaml blocks.
pub(crate) fn steps(doc: &str) -> Vec<Step> {
    let mut out = Vec::new();
    let mut block: Option<(String, Vec<String>)> = None;
    for line in doc.lines() {
        match (&mut block, line.strip_prefix("```")) {
            (None, Some(lang)) => block = Some((lang.trim().to_owned(), Vec::new())),
            (Some(_), Some(_)) => {
                let (lang, lines) = block.take().expect("open block");
                out.extend(block_steps(&lang, &lines));
            }
            (Some((_, lines)), None) => lines.push(line.to_owned()),
            (None, None) => {}
        }
    }
    assert!(block.is_none(), "a code block is not closed");
    out
}

fn block_steps(lang: &str, lines: &[String]) -> Vec<Step> {
    match lang {
        "yaml" if lines.first().is_some_and(|l| l == "# status.yaml") => {
            vec![Step::StatusYaml(lines.join("\n") + "\n")]
        }
        "sh" => {
            let joined = lines.join("\n").replace("\\\n", " ");
            joined
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| {
                    if let Some(time) = l.strip_prefix("# ") {
                        Step::Clock(time.to_owned())
                    } else if let Some(dir) = l.strip_prefix("cd ") {
                        Step::Cd(dir.to_owned())
                    } else if l.starts_with("rm incidents/") {
                        Step::Remove(l.to_owned())
                    } else {
                        assert!(l.starts_with("candor "), "not a candor command: {l}");
                        Step::Candor(l.to_owned())
                    }
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// `sh -c LINE --now CLOCK` in `dir`, with this build's candor first on the PATH.
fn shell(dir: &Path, line: &str, clock: &str) -> Command {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_candor"));
    let path = std::env::join_paths(
        std::iter::once(bin.parent().expect("bin dir").to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .expect("PATH");
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(with_clock(line, clock))
        .current_dir(dir)
        .env("PATH", path)
        .env_remove("SOURCE_DATE_EPOCH");
    command
}

/// `LINE --now 'CLOCK'`, or LINE alone for a command that never reads the clock (`deploy`
/// publishes what `build` wrote).
fn with_clock(line: &str, clock: &str) -> String {
    if line.starts_with("candor deploy") {
        line.to_owned()
    } else {
        format!("{line} --now '{clock}'")
    }
}

/// `candor serve`: it must build and start serving; then it is stopped.
fn serve_starts(dir: &Path, line: &str, clock: &str) {
    use std::io::BufRead;
    // `exec`: the child is candor itself, so stopping it stops the server.
    let mut child = shell(dir, &format!("exec {line} --port 18411"), clock)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut said = String::new();
    for line in std::io::BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
    {
        said.push_str(&line);
        said.push('\n');
        if line.contains("serving") || line.contains("error") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(said.contains("serving"), "{line}:\n{said}");
    assert!(!said.contains("warning:"), "{line}:\n{said}");
}

/// Runs `steps` in a new temporary folder: returns the folder (kept while the `TempDir`
/// lives), the folder the steps ended in, the last clock, and the last candor command.
pub(crate) fn play(steps: &[Step]) -> (tempfile::TempDir, PathBuf, String, Option<String>) {
    let temp = tempfile::tempdir().expect("tempdir");
    let mut dir = temp.path().to_path_buf();
    let mut clock = String::new();
    let mut last = None;
    for step in steps {
        match step {
            Step::Clock(time) => clock.clone_from(time),
            Step::Cd(to) => dir = dir.join(to),
            Step::StatusYaml(text) => {
                std::fs::write(dir.join("status.yaml"), text).expect("write status.yaml")
            }
            Step::Remove(line) => {
                let status = Command::new("sh")
                    .args(["-c", line])
                    .current_dir(&dir)
                    .status()
                    .expect("rm");
                assert!(status.success(), "{line}");
            }
            Step::Candor(line) if line.starts_with("candor serve") => {
                serve_starts(&dir, line, &clock)
            }
            Step::Candor(line) => {
                assert!(!clock.is_empty(), "a time is given before {line}");
                let run = run(shell(&dir, line, &clock), None);
                assert_eq!(run.code, 0, "{line}\n{}", run.stderr);
                assert!(!run.stderr.contains("warning:"), "{line}\n{}", run.stderr);
                last = Some(line.clone());
            }
        }
    }
    (temp, dir, clock, last)
}

/// The README's quick start, as a newcomer with only the binary runs it: every command
/// succeeds, the last is `build`, and the site shows the incident resolved.
#[test]
fn the_readme_quick_start_runs() {
    let readme = read(&repo().join("README.md"));
    let start = readme.find("## Quick start").expect("a quick start");
    let end = start
        + 3
        + readme[start + 3..]
            .find("\n## ")
            .unwrap_or(readme.len() - start - 3);
    let steps = steps(&readme[start..end]);
    let (_temp, dir, clock, last) = play(&steps);
    assert_eq!(last.as_deref(), Some("candor build"));
    let check = candor(&["check", "--root", &dir.to_string_lossy(), "--now", &clock]);
    check.exits(0).warns_nothing();
    let page = read(&dir.join("public/incidents/2026-11-29-login-fails-for-some-users/index.html"));
    assert!(page.contains("Logins work again for everyone."), "{page}");
}

#[test]
fn every_command_of_the_checklist_runs_and_the_site_checks_clean() {
    let doc = read(&repo().join("docs/under-pressure.md"));
    let steps = steps(&doc);
    let commands = steps
        .iter()
        .filter(|s| matches!(s, Step::Candor(_)))
        .count();
    assert!(commands >= 12, "the checklist has its commands: {steps:?}");
    let (_temp, dir, clock, last) = play(&steps);
    assert_eq!(last.as_deref(), Some("candor build"));
    let check = candor(&["check", "--root", &dir.to_string_lossy(), "--now", &clock]);
    check.exits(0).warns_nothing();

    // What the steps wrote is what the page says, in the site's zone.
    let incident =
        read(&dir.join("incidents/2025-11-29-calls-and-mobile-data-down-across-canada.yaml"));
    assert!(
        incident.contains("start: 2025-11-29T05:20:00-05:00"),
        "{incident}"
    );
    assert!(incident.contains("statements:"), "{incident}");
    let page =
        read(&dir.join(
            "public/incidents/2025-11-29-calls-and-mobile-data-down-across-canada/index.html",
        ));
    assert!(page.contains("Alex Martin"), "the statement is on the page");
    assert!(page.contains("Calls work again in Ontario and Quebec"));
    let window = read(&dir.join("incidents/2025-12-03-core-network-upgrade.yaml"));
    assert!(window.contains("kind: maintenance") && window.contains("status: scheduled"));
}
