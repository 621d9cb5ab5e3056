//! A poller for file systems where native events never arrive (WSL2 `/mnt/c`, Docker volumes,
//! NFS): every interval it stats the inputs a build reads and reports what changed.
//!
//! notify's own PollWatcher compares modification times in whole seconds, so a second save
//! within the same second as the first is never seen; this one compares nanoseconds, sizes
//! and inodes.
//!
//! Never reads a file's bytes (metadata only) and never looks outside the inputs a build reads.

use crate::live::watch::Signal;
use crate::walk::{self, Depth};
use notify::event::{Event, EventKind, ModifyKind};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::{Duration, SystemTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    inode: u64,
}

/// Starts polling `root` in a thread of its own; it ends when `events` is dropped.
/// The first look is taken before it returns: every change after that is reported.
pub(crate) fn start(root: PathBuf, interval: Duration, events: Sender<Signal>) {
    let mut before = snapshot(&root);
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(interval);
            let now = snapshot(&root);
            for path in changed(&before, &now) {
                let event = Event::new(EventKind::Modify(ModifyKind::Any)).add_path(path);
                if events.send(Signal::Event(Ok(event))).is_err() {
                    return;
                }
            }
            before = now;
        }
    });
}

/// Every path a build reads: status.yaml, the files of incidents/, and themes/ throughout.
fn snapshot(root: &Path) -> HashMap<PathBuf, Stamp> {
    let mut out = HashMap::new();
    stamp(&root.join("status.yaml"), &mut out);
    // The folder itself by its inode alone: one that goes and comes back is seen, while a file
    // added or removed in it (which changes its mtime) is reported as that file only.
    let incidents = root.join("incidents");
    stamp(&incidents, &mut out);
    if let Some(s) = out.get_mut(&incidents) {
        s.modified = None;
        s.len = 0;
    }
    // Listed as the build lists them (`walk`). A folder the build refuses (a link out of the
    // site, a loop) is still looked at, its links as links: the refusal is reported as soon as
    // the link is made, each edit meanwhile is seen, and so is the fix.
    let listed = [("incidents", Depth::Top), ("themes", Depth::All)];
    for (dir, depth) in listed {
        match walk::files(root, &root.join(dir), depth) {
            Ok(paths) => paths.iter().for_each(|path| stamp(path, &mut out)),
            Err(_) => (walk::entries(&root.join(dir), depth).iter())
                .for_each(|path| stamp_link(path, &mut out)),
        }
    }
    out
}

fn stamp(path: &Path, out: &mut HashMap<PathBuf, Stamp>) {
    insert(path, std::fs::metadata(path), out);
}

/// Stamps a link itself, never what it leads to.
fn stamp_link(path: &Path, out: &mut HashMap<PathBuf, Stamp>) {
    insert(path, std::fs::symlink_metadata(path), out);
}

fn insert(
    path: &Path,
    meta: std::io::Result<std::fs::Metadata>,
    out: &mut HashMap<PathBuf, Stamp>,
) {
    if let Ok(meta) = meta {
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        let stamp = Stamp {
            modified: meta.modified().ok(),
            len: meta.len(),
            inode,
        };
        out.insert(path.to_path_buf(), stamp);
    }
}

/// Paths created, changed or removed between two snapshots, sorted.
fn changed(before: &HashMap<PathBuf, Stamp>, now: &HashMap<PathBuf, Stamp>) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = now
        .iter()
        .filter(|(p, s)| before.get(*p) != Some(s))
        .map(|(p, _)| p.clone())
        .chain(before.keys().filter(|p| !now.contains_key(*p)).cloned())
        .collect();
    paths.sort();
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_save_within_the_same_second_is_seen() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("incidents")).expect("mkdir");
        let file = dir.path().join("incidents/a.yaml");
        std::fs::write(&file, "title: one\n").expect("write");
        let first = snapshot(dir.path());
        std::fs::write(&file, "title: two\n").expect("write");
        assert_eq!(changed(&first, &snapshot(dir.path())), vec![file.clone()]);
        std::fs::remove_file(&file).expect("rm");
        assert_eq!(changed(&first, &snapshot(dir.path())), vec![file]);
    }
}
