//! One build at a time per output folder: an advisory lock on `.candor-lock-NAME` beside it,
//! held by every writer — `build`, each rebuild of `watch` and `serve`, each step of `replay` —
//! from before it reads the old site until its own is swapped in. Two builds that shared the
//! staging folder once left the live site 24 pages short while both reported success.
//!
//! The operating system drops the lock when its holder dies, so a killed build never leaves
//! a stale lock. The file holds the holder's pid, for the message of the one that waits. It is
//! removed by its holder before the lock is let go, and a waiter that finds its file gone or
//! replaced starts over: so the lock file exists only while a build runs.
//!
//! Never waits without telling the caller first (`on_wait`), and never prints.

use super::place;
use crate::error::{IoError, WriteError};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// How often `acquire` starts over on a lock file its holder removed meanwhile.
const MAX_ATTEMPTS: u32 = 100;

/// The right to write one output folder, until dropped.
#[derive(Debug)]
pub struct OutputLock {
    /// The folder to write: the output folder, or where it leads when it is a symlink.
    out: PathBuf,
    path: PathBuf,
    /// `None` where the file system has no locks (some network and FUSE file systems): the
    /// build goes on unguarded, as every build did before there was a lock.
    file: Option<File>,
}

/// Another build holds the output; the caller is told once, before the wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    /// The output folder as the caller named it.
    pub output: PathBuf,
    /// The process holding it, when its pid could be read.
    pub pid: Option<u32>,
}

impl OutputLock {
    /// Locks the output folder `out`; when another build holds it, tells `on_wait` and waits
    /// until that build ends (as cargo waits for its build folder: a build takes seconds, and
    /// a person can stop the wait with Ctrl-C, where a timeout would fail a deploy for nothing).
    pub fn acquire(
        out: &Path,
        on_wait: &mut dyn FnMut(&Waiting),
    ) -> Result<OutputLock, WriteError> {
        let resolved = place::resolve(out)?;
        let path = place::sibling(&resolved, "lock");
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| IoError::new("creating", parent, e))?;
        }
        let mut told = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| IoError::new("creating", &path, e))?;
            let locked = match file.try_lock() {
                Ok(()) => Ok(()),
                Err(TryLockError::WouldBlock) => {
                    if !told {
                        told = true;
                        on_wait(&Waiting {
                            output: out.to_path_buf(),
                            pid: holder(&mut file),
                        });
                    }
                    file.lock()
                }
                Err(TryLockError::Error(e)) => Err(e),
            };
            match locked {
                // Bounded, should a file system report unstable inode numbers.
                Ok(()) if attempt < MAX_ATTEMPTS && !same_file(&file, &path) => continue,
                Ok(()) => {
                    let _ = write_pid(&mut file);
                    return Ok(OutputLock {
                        out: resolved,
                        path,
                        file: Some(file),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::Unsupported => {
                    return Ok(OutputLock {
                        out: resolved,
                        path,
                        file: None,
                    });
                }
                Err(e) => return Err(IoError::new("locking", &path, e).into()),
            }
        }
    }

    /// The folder to write: the output folder, or its target when it is a symlink.
    pub fn output(&self) -> &Path {
        &self.out
    }

    /// Whether the lock is really held (false where the file system has no locks): only then
    /// may a build remove what other builds left beside the output.
    pub fn is_held(&self) -> bool {
        self.file.is_some()
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked: a waiter that then gets the lock on the removed file
        // sees it is gone and starts over on a new one. Where an open file cannot be removed
        // (Windows) the file stays, and the next build reuses it.
        if self.file.is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Whether `path` still names the file that was locked: its holder may have removed it.
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

/// The pid the holder wrote, if it has written it yet.
fn holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

fn write_pid(file: &mut File) -> std::io::Result<()> {
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    writeln!(file, "{}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn a_second_writer_is_told_who_holds_the_output_and_waits_for_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("public");
        let first = OutputLock::acquire(&out, &mut |_| panic!("nobody holds it")).expect("lock");
        assert!(dir.path().join(".candor-lock-public").is_file());
        let (told, heard) = mpsc::channel();
        let (done, finished) = mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(|| {
                let second = OutputLock::acquire(&out, &mut |w| {
                    told.send(w.clone()).expect("send");
                })
                .expect("lock");
                done.send(()).expect("send");
                drop(second);
            });
            let waiting = heard.recv().expect("the second build is told");
            assert_eq!(waiting.output, out);
            assert_eq!(waiting.pid, Some(std::process::id()));
            assert!(
                finished.try_recv().is_err(),
                "the second writer got the output while the first held it"
            );
            drop(first);
            finished.recv().expect("the second writer goes on");
        });
        assert!(
            !dir.path().join(".candor-lock-public").exists(),
            "the lock file goes with the last holder"
        );
    }
}
