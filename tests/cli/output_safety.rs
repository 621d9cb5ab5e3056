//! The output folder under stress, through the binary: builds of one output at the same time
//! (and beside a `watch`), writes that fail half way, an output folder that is a symlink, and
//! the symlink policy of the inputs (links out of the site refused, links inside followed and
//! watched). Each test works in temp folders of its own.

use crate::support::*;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const NOW: &str = "2024-01-19T12:00:00Z";
const LINKED: &str = "incidents/2024-01-18-api-errors.yaml";

fn build(root: &Path, output: &Path, now: &str) -> Run {
    let (root, output) = (root.to_string_lossy(), output.to_string_lossy());
    candor(&["build", "--root", &root, "--output", &output, "--now", now])
}

fn small_site() -> tempfile::TempDir {
    copy_site(&fixture("output/small"))
}

/// A site of `n` closed incidents, one a day from 2023-01-01, over two services.
fn many_incidents(n: usize) -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("tempdir");
    let incidents = site.path().join("incidents");
    std::fs::create_dir_all(&incidents).expect("mkdir");
    std::fs::copy(
        fixture("output/small/status.yaml"),
        site.path().join("status.yaml"),
    )
    .expect("copy");
    let first = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).expect("a date");
    for i in 0..n {
        let day = first + chrono::Days::new(i as u64);
        let service = if i % 2 == 0 { "api" } else { "web" };
        let text = format!(
            "title: Outage {i}\nstart: {day}T10:00:00Z\nend: {day}T11:00:00Z\n\
             services:\n  - id: {service}\n    impact: partial_outage\n\
             updates:\n  - at: {day}T10:00:00Z\n    status: investigating\n    message: Looking.\n\
             \x20 - at: {day}T11:00:00Z\n    status: resolved\n    message: Fixed.\n"
        );
        std::fs::write(incidents.join(format!("{day}-outage-{i}.yaml")), text).expect("write");
    }
    site
}

/// The names in `dir` that a build keeps beside an output folder, other than its record.
fn leftovers(dir: &Path) -> Vec<String> {
    let names = std::fs::read_dir(dir).expect("list").map(|e| {
        let name = e.expect("entry").file_name();
        name.to_string_lossy().into_owned()
    });
    names
        .filter(|n| n.starts_with(".candor-") && !n.starts_with(".candor-state-"))
        .collect()
}

/// Every file below `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let read = |f: String| (std::fs::read(dir.join(&f)).expect("read"), f);
    files(dir)
        .into_iter()
        .map(read)
        .map(|(b, f)| (f, b))
        .collect()
}

fn start(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start candor")
}

/// A running `candor watch`, killed when dropped, its stderr lines on a channel.
struct Watching {
    child: Child,
    lines: Receiver<String>,
}

impl Watching {
    fn start(root: &Path, output: &Path) -> Watching {
        let (root, output) = (root.to_string_lossy(), output.to_string_lossy());
        let mut child = start(&["watch", "--root", &root, "--output", &output, "--now", NOW]);
        let stderr = child.stderr.take().expect("stderr");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watching { child, lines }
    }

    /// The lines up to and including the first that contains `needle`. The deadline only
    /// keeps a broken watch from hanging the test run.
    fn until(&self, needle: &str) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            let Ok(line) = self.lines.recv_timeout(left) else {
                break;
            };
            seen.push(line);
            if seen.last().is_some_and(|l| l.contains(needle)) {
                return seen;
            }
        }
        panic!("watch never printed {needle:?}; it printed {seen:#?}");
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn two_builds_of_one_output_at_once_always_leave_the_whole_site() {
    let site = many_incidents(200);
    let reference = tempfile::tempdir().expect("tempdir");
    let expected = files(&{
        let out = reference.path().join("out");
        assert_eq!(build(site.path(), &out, "2024-06-01T00:00:00Z").code, 0);
        out
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let root = site.path().to_string_lossy();
    let output = out.to_string_lossy();
    for round in 0..20 {
        // Two build times, so that both builds write pages rather than find the site current.
        let children = [round * 2, round * 2 + 1].map(|minute| {
            let now = format!("2024-06-01T00:{minute:02}:00Z");
            start(&["build", "--root", &root, "--output", &output, "--now", &now])
        });
        for child in children {
            let done = child.wait_with_output().expect("wait");
            let stderr = String::from_utf8_lossy(&done.stderr);
            assert!(done.status.success(), "round {round}: {stderr}");
        }
        assert_eq!(
            files(&out),
            expected,
            "round {round}: the site is not whole"
        );
        assert_eq!(leftovers(dir.path()), Vec::<String>::new(), "round {round}");
    }
}

#[test]
fn a_build_waits_for_the_one_holding_the_output_and_says_so() {
    let site = small_site();
    let out = site.path().join("public");
    // Hold the output as another build would: the lock beside it.
    let lock = std::fs::File::create(site.path().join(".candor-lock-public")).expect("lock file");
    lock.lock().expect("lock");
    std::fs::write(site.path().join(".candor-lock-public"), "4242\n").expect("pid");
    let root = site.path().to_string_lossy();
    let output = out.to_string_lossy();
    let mut child = start(&["build", "--root", &root, "--output", &output, "--now", NOW]);
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    stderr.read_line(&mut line).expect("a line");
    assert_eq!(
        line,
        format!("candor: waiting for another build of {output} (pid 4242) to finish…\n")
    );
    assert!(
        !out.exists(),
        "it wrote while another build held the output"
    );
    drop(lock);
    let done = child.wait_with_output().expect("wait");
    assert!(done.status.success());
    assert!(out.join("index.html").is_file());
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
}

#[test]
fn builds_beside_a_watch_leave_the_whole_site_and_the_watch_keeps_it_current() {
    let site = many_incidents(100);
    let (root, out) = (site.path(), site.path().join("public"));
    let watch = Watching::start(root, &out);
    watch.until("watching");
    let expected = files(&out);
    let edited = root.join("incidents/2023-01-01-outage-0.yaml");
    let text = read(&edited);
    for round in 0..8 {
        // An edit for the watch to write in place while a build swaps in a site of its own.
        std::fs::write(
            &edited,
            text.replace("Outage 0", &format!("Outage 0 r{round}")),
        )
        .expect("edit");
        let now = format!("2024-06-01T00:{round:02}:00Z");
        let run = build(root, &out, &now);
        assert_eq!(run.code, 0, "round {round}: {}", run.stderr);
        assert_eq!(
            files(&out),
            expected,
            "round {round}: the site is not whole"
        );
    }
    // A last edit of another file: the watch writes it on whatever site the builds left.
    let last = root.join("incidents/2023-01-02-outage-1.yaml");
    std::fs::write(&last, read(&last).replace("Outage 1", "Outage one, last")).expect("edit");
    watch.until("2023-01-02-outage-1.yaml");
    assert_eq!(files(&out), expected);
    let page = read(&out.join("incidents/2023-01-02-outage-1/index.html"));
    assert!(page.contains("Outage one, last"));
    assert_eq!(leftovers(root), Vec::<String>::new());
}

/// `candor build` under `sh -c 'ulimit -f BLOCKS'`: a write past BLOCKS × 512 bytes fails.
#[cfg(unix)]
fn build_with_file_limit(root: &Path, output: &Path, now: &str, blocks: u32) -> Run {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("ulimit -f {blocks} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_candor"))
        .args(["build", "--root"])
        .args([root, Path::new("--output"), output])
        .args(["--now", now]);
    run(command, None)
}

#[cfg(unix)]
#[test]
fn a_write_past_the_file_size_limit_fails_with_its_path_and_leaves_the_site() {
    let site = small_site();
    let out = site.path().join("public");
    assert_eq!(build(site.path(), &out, NOW).code, 0);
    let before = snapshot(&out);
    // 8 KiB: small files are written, then the first page over it fails (half way).
    let run = build_with_file_limit(site.path(), &out, "2024-01-20T12:00:00Z", 16);
    assert_eq!(
        run.code, 2,
        "killed by SIGXFSZ, or did not fail: {}",
        run.stderr
    );
    assert!(run.stderr.contains("File too large"), "{}", run.stderr);
    let staging = format!("writing {}/.candor-staging-public.", site.path().display());
    assert!(
        run.stderr.contains(&staging),
        "names no file: {}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("candor: the new site was not swapped in; the previous one is untouched\n"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&out), before, "the previous site changed");
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
    // Without the limit, the same build goes through.
    assert_eq!(build(site.path(), &out, "2024-01-20T12:00:00Z").code, 0);
    assert_ne!(snapshot(&out), before);
}

#[cfg(unix)]
#[test]
fn a_read_only_output_parent_is_reported_and_the_site_stays() {
    use std::os::unix::fs::PermissionsExt;
    let site = small_site();
    let parent = site.path().join("www");
    let out = parent.join("public");
    assert_eq!(build(site.path(), &out, NOW).code, 0);
    let before = snapshot(&out);
    let mode = |m| std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(m));
    mode(0o555).expect("chmod");
    let root_ignores_permissions = std::fs::write(parent.join("probe"), "").is_ok();
    let run = if root_ignores_permissions {
        // Root writes anywhere: build as `nobody` instead, who may read the site but not write
        // beside its output (CI runs as root).
        let _ = std::fs::remove_file(parent.join("probe"));
        let Some(run) = build_as_nobody(site.path(), &out, "2024-01-20T12:00:00Z") else {
            mode(0o755).expect("chmod");
            eprintln!("skipped: running as root and `setpriv` is not installed");
            return;
        };
        run
    } else {
        build(site.path(), &out, "2024-01-20T12:00:00Z")
    };
    mode(0o755).expect("chmod");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&parent.display().to_string()),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Permission denied"), "{}", run.stderr);
    assert_eq!(snapshot(&out), before);
}

#[test]
fn leftovers_of_killed_builds_are_removed_and_those_of_other_outputs_kept() {
    let site = small_site();
    let out = site.path().join("public");
    assert_eq!(build(site.path(), &out, NOW).code, 0);
    for name in [
        ".candor-staging-public.999999-3",
        ".candor-staging-public",
        ".candor-old-public.999999-4",
    ] {
        std::fs::create_dir_all(site.path().join(name).join("incidents")).expect("mkdir");
        std::fs::write(site.path().join(name).join("index.html"), "half a site").expect("write");
    }
    let other = site.path().join(".candor-staging-public2.999999-0");
    std::fs::create_dir_all(&other).expect("mkdir");
    let run = build(site.path(), &out, "2024-01-20T12:00:00Z");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(leftovers(site.path()), [".candor-staging-public2.999999-0"]);
}

#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_symlink_stays_one_and_its_target_gets_the_site() {
    let site = small_site();
    let www = tempfile::tempdir().expect("tempdir");
    let link = site.path().join("public");
    // The web root does not exist yet at the first build.
    std::os::unix::fs::symlink(www.path().join("html"), &link).expect("symlink");
    for now in [NOW, "2024-01-20T12:00:00Z"] {
        let run = build(site.path(), &link, now);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let meta = std::fs::symlink_metadata(&link).expect("the link");
        assert!(meta.file_type().is_symlink(), "the link was replaced");
        assert_eq!(
            std::fs::read_link(&link).expect("link"),
            www.path().join("html")
        );
        let page = read(
            &www.path()
                .join("html/incidents/2024-01-18-api-errors/index.html"),
        );
        assert!(page.contains("API errors VERSION1"));
    }
    assert_eq!(leftovers(www.path()), Vec::<String>::new());
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
    // Unchanged since: the record beside the target is found through the link.
    let run = build(site.path(), &link, "2024-01-20T12:00:00Z");
    assert!(
        run.stdout.starts_with("candor: 0 files written"),
        "{}",
        run.stdout
    );
}

/// `site/` (from the small fixture) beside `files/`, which is outside it.
#[cfg(unix)]
fn site_beside_files() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let top = tempfile::tempdir().expect("tempdir");
    let (site, files) = (top.path().join("site"), top.path().join("files"));
    copy_dir(&fixture("output/small"), &site);
    std::fs::create_dir_all(&files).expect("mkdir");
    (top, site, files)
}

#[cfg(unix)]
#[test]
fn an_incident_linked_from_outside_the_site_is_refused_naming_link_and_target() {
    let (_top, site, outside) = site_beside_files();
    std::fs::rename(site.join(LINKED), outside.join("api.yaml")).expect("move");
    std::os::unix::fs::symlink("../../files/api.yaml", site.join(LINKED)).expect("symlink");
    let target = outside.canonicalize().expect("resolve").join("api.yaml");
    let out = site.join("public");
    let run = build(&site, &out, NOW);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = format!(
        "error: this is a symlink to `{}`, outside the site folder\n --> {LINKED}\n  = help: candor \
         reads no file outside the site folder `{}`: copy the file into it, or point the link at \
         a file inside it\n",
        target.display(),
        site.display()
    );
    assert!(run.stderr.starts_with(&expected), "{}", run.stderr);
    assert!(!out.exists());
    // `watch` shows the same error, not a stale page.
    let watch = Watching::start(&site, &out);
    let lines = watch.until("watching").join("\n");
    assert!(lines.contains(&target.display().to_string()), "{lines}");
    assert!(!out.join("incidents/2024-01-18-api-errors").exists());
}

#[cfg(unix)]
#[test]
fn theme_files_and_status_yaml_linked_from_outside_are_refused() {
    let (_top, site, outside) = site_beside_files();
    std::fs::write(outside.join("id_rsa"), "SECRET").expect("write");
    let static_dir = site.join("themes/mine/static");
    std::fs::create_dir_all(&static_dir).expect("mkdir");
    std::os::unix::fs::symlink(outside.join("id_rsa"), static_dir.join("key.txt")).expect("link");
    let status = read(&site.join("status.yaml"));
    std::fs::write(site.join("status.yaml"), format!("{status}theme: mine\n")).expect("write");
    let out = site.join("public");
    let run = build(&site, &out, NOW);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("key.txt: it is a symlink to"),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "the secret may have been published");

    std::fs::rename(site.join("status.yaml"), outside.join("status.yaml")).expect("move");
    std::os::unix::fs::symlink(outside.join("status.yaml"), site.join("status.yaml"))
        .expect("link");
    let run = build(&site, &out, NOW);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(" --> status.yaml\n"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn an_incident_linked_from_inside_the_site_builds_and_watch_sees_its_edits() {
    let site = small_site();
    let archive = site.path().join("archive");
    std::fs::create_dir_all(&archive).expect("mkdir");
    std::fs::rename(site.path().join(LINKED), archive.join("api.yaml")).expect("move");
    std::os::unix::fs::symlink("../archive/api.yaml", site.path().join(LINKED)).expect("link");
    let out = site.path().join("public");
    let page = out.join("incidents/2024-01-18-api-errors/index.html");
    let watch = Watching::start(site.path(), &out);
    watch.until("watching");
    assert!(read(&page).contains("API errors VERSION1"));
    // Edited as `sed -i` does: a new file renamed over the target.
    let text = read(&archive.join("api.yaml")).replace("VERSION1", "VERSION2");
    std::fs::write(archive.join("api.tmp"), text).expect("write");
    std::fs::rename(archive.join("api.tmp"), archive.join("api.yaml")).expect("rename");
    watch.until(LINKED);
    assert!(read(&page).contains("API errors VERSION2"));
}

/// A symlink loop in `incidents/` is the site's to fix, like any input: exit 1, the link named,
/// what to do, and the previous site left as it was. Three shapes: two file links leading to each
/// other, a folder link back to a folder above it, and `incidents` linking to itself.
#[cfg(unix)]
#[test]
fn symlink_loops_in_the_site_are_input_errors_naming_the_link() {
    use std::os::unix::fs::symlink;
    type Make = fn(&Path);
    let shapes: [(&str, Make, &str); 3] = [
        (
            "two file links",
            |root| {
                symlink("b.yaml", root.join("incidents/a.yaml")).expect("symlink");
                symlink("a.yaml", root.join("incidents/b.yaml")).expect("symlink");
            },
            "incidents/a.yaml",
        ),
        (
            "a folder link back up",
            |root| symlink("..", root.join("incidents/up")).expect("symlink"),
            "leads back to",
        ),
        (
            "incidents linking to itself",
            |root| {
                std::fs::remove_dir_all(root.join("incidents")).expect("remove incidents");
                symlink("incidents", root.join("incidents")).expect("symlink");
            },
            "--> incidents",
        ),
    ];
    for (what, make, names) in shapes {
        let site = copy_site(&fixture("real/fastly-2021"));
        let out = site.path().join("public");
        build(site.path(), &out, "2021-06-09T00:00:00Z");
        let before = tempfile::tempdir().expect("tempdir");
        copy_dir(&out, before.path());
        make(site.path());
        let run = candor(&[
            "build",
            "--root",
            &site.path().to_string_lossy(),
            "--output",
            &out.to_string_lossy(),
            "--now",
            "2021-06-09T00:00:00Z",
        ]);
        assert_eq!(run.code, 1, "{what}: exit code; stderr:\n{}", run.stderr);
        assert!(run.stderr.contains("loop"), "{what}: {}", run.stderr);
        assert!(run.stderr.contains(names), "{what}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("help: point the link at a file or folder, or remove it"),
            "{what}: {}",
            run.stderr
        );
        assert_same_tree(before.path(), &out, what);
    }
}

/// `candor build` run as the user `nobody` through util-linux's `setpriv`, the site made
/// readable to everyone first; `None` where `setpriv` is missing.
#[cfg(unix)]
fn build_as_nobody(root: &Path, output: &Path, now: &str) -> Option<Run> {
    use std::os::unix::fs::PermissionsExt;
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| Path::new(p).exists())?;
    for dir in walkdir::WalkDir::new(root).into_iter().flatten() {
        let mode = if dir.file_type().is_dir() {
            0o755
        } else {
            0o644
        };
        let perms = std::fs::Permissions::from_mode(mode);
        if dir.path() != output.parent().unwrap_or(output) {
            std::fs::set_permissions(dir.path(), perms).expect("chmod");
        }
    }
    let mut command = Command::new(setpriv);
    command
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_candor"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .args(["--now", now])
        .env_remove("SOURCE_DATE_EPOCH");
    Some(run(command, None))
}
