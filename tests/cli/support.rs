//! What every test file shares, one helper per shape: running the binary (or the library) on a
//! copy of a site, the assertions on a run, comparing output trees, and snapshot files.
//! Tests never write inside the repository; the one exception is `SNAPSHOTS=overwrite`, which
//! rewrites a snapshot file on purpose (see `tests/fixtures/broken/README.md`).

use candor::model::Time;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of the binary did: its exit code and both streams, colour off.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// `SOURCE_DATE_EPOCH` of the run, if it was pinned.
    clock: Option<i64>,
}

impl Run {
    /// Asserts the exit code; a failure shows stderr, where candor says why.
    #[track_caller]
    pub fn exits(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "exit code; stderr:\n{}", self.stderr);
        self
    }

    /// Asserts that stderr holds `needle`.
    #[track_caller]
    pub fn says(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    /// Asserts that stderr holds no warning.
    #[track_caller]
    pub fn warns_nothing(&self) -> &Run {
        assert!(!self.stderr.contains("warning:"), "{}", self.stderr);
        self
    }

    /// The whole run as a snapshot file holds it: the command line (`args` after `candor`, with
    /// its environment), the exit code, then stdout and stderr verbatim.
    pub fn transcript(&self, args: &[&str]) -> String {
        let clock = self
            .clock
            .map(|epoch| format!("SOURCE_DATE_EPOCH={epoch} "))
            .unwrap_or_default();
        let stream = |text: &str| match text {
            "" => String::new(),
            t if t.ends_with('\n') => t.to_owned(),
            t => format!("{t}\n[no newline at the end]\n"),
        };
        format!(
            "$ {clock}NO_COLOR=1 candor {}\nexit: {}\n----- stdout\n{}----- stderr\n{}",
            args.join(" "),
            self.code,
            stream(&self.stdout),
            stream(&self.stderr),
        )
    }
}

/// `candor ARGS` with the real clock, colour off.
pub fn candor(args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_candor"));
    command.args(args).env_remove("SOURCE_DATE_EPOCH");
    run(command, None)
}

/// `candor ARGS` run inside `dir` as a user runs it (no `--root`), its clock pinned to `clock`
/// (seconds, as `SOURCE_DATE_EPOCH`): what it prints names paths relative to the site, never a
/// temporary folder.
pub fn candor_in(dir: &Path, clock: i64, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_candor"));
    command
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", clock.to_string());
    run(command, Some(clock))
}

/// Runs `command` (candor, or a shell that runs it) without colour, and collects what it printed.
pub fn run(mut command: Command, clock: Option<i64>) -> Run {
    let out = command.env("NO_COLOR", "1").output().expect("run candor");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        clock,
    }
}

/// `candor COMMAND --root ROOT --now NOW`, the shape of most runs in these tests.
pub fn on_site(command: &str, root: &Path, now: &str) -> Run {
    candor(&[command, "--root", &root.to_string_lossy(), "--now", now])
}

/// `candor COMMAND ARGS --root SITE`, with the real clock (ARGS give `--now`).
pub fn at_root(site: &Path, command: &str, args: &[&str]) -> Run {
    let root = site.to_string_lossy();
    let mut all = vec![command];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--root", &root]);
    candor(&all)
}

/// `candor build --root ROOT --output OUTPUT --now NOW`, asserted to succeed.
#[track_caller]
pub fn build(root: &Path, output: &Path, now: &str) -> Run {
    let run = candor(&[
        "build",
        "--root",
        &root.to_string_lossy(),
        "--output",
        &output.to_string_lossy(),
        "--now",
        now,
    ]);
    run.exits(0);
    run
}

/// `candor::Options` for an in-process build of `root` into `output` as of `now` (the clock too).
pub fn options(root: &Path, output: &Path, now: Time) -> candor::Options {
    candor::Options {
        root: root.to_path_buf(),
        output: output.to_path_buf(),
        base_url: None,
        now,
        clock: now,
        drafts: false,
        strict: false,
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(path: &str) -> PathBuf {
    repo().join("tests/fixtures").join(path)
}

/// A private copy of the sample site at the repository root (`status.yaml`, `incidents/`).
pub fn sample_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("tempdir");
    copy_dir(&repo().join("incidents"), &site.path().join("incidents"));
    std::fs::copy(repo().join("status.yaml"), site.path().join("status.yaml")).expect("copy");
    site
}

/// A fresh copy of a site folder in a temporary directory, so tests never write into the repo.
pub fn copy_site(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(from, dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            if entry.file_name() != "public" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A folder `mine/` in `dir` holding a file of the user's, `notes.txt`: an output folder that
/// candor must refuse, since it did not create it. Tests assert `files(&mine) == ["notes.txt"]`.
pub fn someone_elses_folder(dir: &Path) -> PathBuf {
    let mine = dir.join("mine");
    std::fs::create_dir_all(&mine).expect("mkdir");
    std::fs::write(mine.join("notes.txt"), "precious").expect("write");
    mine
}

/// Every file below `dir`, as sorted relative paths.
pub fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("read output") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).expect("below root");
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The first fenced block of language `lang` (```` ```yaml ````) after the line `heading` of the
/// repository's document `doc` (`docs/deploy.md`), as the reader copies it.
pub fn doc_block(doc: &str, heading: &str, lang: &str) -> String {
    let text = read(&repo().join(doc));
    let section = &text[text
        .find(heading)
        .unwrap_or_else(|| panic!("{doc} has {heading:?}"))..];
    let fence = format!("```{lang}\n");
    let start = section
        .find(&fence)
        .unwrap_or_else(|| panic!("{doc}: a {lang} block after {heading:?}"))
        + fence.len();
    let block = &section[start..];
    block[..block.find("```").expect("a closed block")].to_owned()
}

/// How the tree at `b` differs from the one at `a` (other file names, or the first file whose
/// bytes differ), or `None` when they hold the same files byte for byte.
pub fn tree_difference(a: &Path, b: &Path) -> Option<String> {
    let names = files(a);
    let other = files(b);
    if names != other {
        return Some(format!("other files: {names:?} against {other:?}"));
    }
    names
        .into_iter()
        .find(|name| std::fs::read(a.join(name)).ok() != std::fs::read(b.join(name)).ok())
        .map(|name| format!("{name} differs"))
}

/// Asserts that `a` and `b` hold the same files byte for byte; `what` names the comparison.
#[track_caller]
pub fn assert_same_tree(a: &Path, b: &Path, what: &str) {
    if let Some(difference) = tree_difference(a, b) {
        panic!("{what}: {difference}");
    }
}

/// Compares `actual` with the snapshot file at `path` exactly (no wildcards, no redactions):
/// `Err` with a diff when they differ or the file is missing. With `SNAPSHOTS=overwrite` in the
/// environment the file is written instead and the comparison passes; nothing else writes it.
pub fn snapshot(path: &Path, actual: String) -> Result<(), String> {
    let expected = snapbox::Data::read_from(path, None).raw();
    // snapbox's own variable also takes `skip` and `ignore`, which would pass every snapshot:
    // only `overwrite` is honoured here, anything else compares.
    let overwrite = std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite");
    let action = if overwrite {
        snapbox::assert::Action::Overwrite
    } else {
        snapbox::assert::Action::Verify
    };
    snapbox::Assert::new()
        .action(action)
        .try_eq(
            Some(&"what candor printed"),
            snapbox::Data::text(actual),
            expected,
        )
        .map_err(|e| e.to_string())
}

/// [`snapshot`] for a test of one case: fails at once, with the diff.
#[track_caller]
pub fn assert_snapshot(path: &Path, actual: String) {
    if let Err(diff) = snapshot(path, actual) {
        panic!("{diff}");
    }
}

/// Failures collected over a test, so one run reports all of them.
#[derive(Default)]
pub struct Report(Vec<String>);

impl Report {
    /// Records `what` when `ok` is false.
    pub fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }

    /// Records the failure of a comparison that returns one.
    pub fn result(&mut self, result: Result<(), String>) {
        if let Err(e) = result {
            self.0.push(e);
        }
    }

    /// Fails the test listing the first 60 failures, if there were any.
    #[track_caller]
    pub fn finish(self) {
        let shown: Vec<&str> = self.0.iter().take(60).map(String::as_str).collect();
        assert!(
            self.0.is_empty(),
            "{} failed checks (first {}):\n{}",
            self.0.len(),
            shown.len(),
            shown.join("\n")
        );
    }
}

/// A running `candor` (`watch`, `serve`), killed when dropped, with its stderr lines on a channel.
pub struct Running {
    pub child: std::process::Child,
    pub lines: std::sync::mpsc::Receiver<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    /// Starts `candor ARGS` without colour, its stdout dropped.
    pub fn start(args: &[&str]) -> Running {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start candor");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running { child, lines }
    }

    /// Waits for a stderr line containing `needle`, and returns it. The deadline (60 s) only
    /// keeps a broken run from hanging the test suite on a loaded machine.
    #[track_caller]
    pub fn wait_for(&self, needle: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        panic!("candor never printed {needle:?}");
    }
}
