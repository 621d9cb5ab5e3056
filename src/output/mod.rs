//! The one writer. Files go into a staging folder beside the output folder, which is swapped
//! in only when the whole site is there: a failed build leaves the old site whole, and a
//! reader never sees half a site. A file whose bytes did not change is hard-linked from the
//! old site, so its mtime stays and `rsync`/`s3 sync` upload only what changed.
//!
//! Every write holds the output's lock (`lock.rs`), so builds of one output take turns; an
//! output folder that is a symlink is written in its target (`place.rs`).
//!
//! Never writes outside the output folder and its `.candor-*` siblings (staging, the record,
//! the lock), and never replaces a folder candor did not create.

pub mod fingerprint;
mod lock;
mod place;

pub use lock::{OutputLock, Waiting};
pub use place::{owner, sibling};

use crate::error::{IoError, WriteError};
use crate::render::OutputFile;
use fingerprint::{Fingerprint, Stamp};
use rayon::prelude::*;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The file that marks a folder as candor's own, so it may be replaced.
pub const MARKER: &str = ".candor";
const MARKER_TEXT: &str = "This folder is written by candor and replaced on every build.\n";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
}

/// A site swapped in: what was written, and the fingerprint of the output as it now stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Committed {
    pub stats: WriteStats,
    pub outputs: Fingerprint,
}

/// A build's files on their way to the output; the lock it borrows is held until it is done.
pub struct Writer<'a> {
    /// The folder written (`OutputLock::output`).
    out: &'a Path,
    staging: PathBuf,
    /// Whether there is an old site to keep unchanged files from (a clean build skips the look).
    has_old: bool,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    /// Every file in the staging folder, for the output fingerprint.
    stamps: Mutex<Vec<Stamp>>,
    committed: bool,
}

impl<'a> Writer<'a> {
    /// Starts a build into the output `lock` holds, refusing a folder that candor did not create.
    pub fn begin(lock: &'a OutputLock) -> Result<Writer<'a>, WriteError> {
        let out = lock.output();
        check_ownership(out)?;
        if lock.is_held() {
            // Left by builds that were killed, never visible as the site; no build but this
            // one writes the output now.
            place::remove_leftovers(out)?;
        }
        let staging = place::unique_sibling(out, "staging");
        std::fs::create_dir(&staging).map_err(|e| IoError::new("creating", &staging, e))?;
        Ok(Writer {
            has_old: out.is_dir(),
            out,
            staging,
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            stamps: Mutex::new(Vec::new()),
            committed: false,
        })
    }

    /// Writes one file into the staging folder. Safe to call from several threads.
    pub fn write(&self, file: &OutputFile) -> Result<(), WriteError> {
        let rel = safe_relative(&file.path)?;
        let target = self.staging.join(&rel);
        let old = self.out.join(&rel);
        let unchanged = self
            .has_old
            .then(|| same_bytes(&old, &file.bytes))
            .flatten();
        let meta = match unchanged.filter(|_| link(&old, &target)) {
            // A hard link is the same inode: the old file's size and mtime are the new one's.
            Some(meta) => {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                meta
            }
            None => {
                let written = write_file(&target, &file.bytes)?;
                self.written.fetch_add(1, Ordering::Relaxed);
                written
                    .metadata()
                    .map_err(|e| IoError::new("reading the metadata of", &target, e))?
            }
        };
        self.stamps
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(Stamp::new(rel, &meta));
        Ok(())
    }

    /// Swaps the complete new site in place of the old one.
    pub fn commit(mut self) -> Result<Committed, WriteError> {
        forget(self.out)?;
        let marker = self.staging.join(MARKER);
        std::fs::write(&marker, MARKER_TEXT).map_err(|e| IoError::new("writing", &marker, e))?;
        if self.out.is_dir() && exchange(&self.staging, self.out).is_ok() {
            // One atomic step; the staging path now holds the old site. The new site is in
            // place whatever follows: an old site that will not go is a leftover the next
            // build removes, never a failure of this one.
            self.committed = true;
            let _ = std::fs::remove_dir_all(&self.staging);
            return Ok(self.committed_site());
        }
        // No atomic exchange here (another OS, an old kernel, a file system without it): two
        // renames, with an instant between them when the output folder is missing.
        let old = place::unique_sibling(self.out, "old");
        let had_old = self.out.exists();
        if had_old {
            rename(self.out, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.staging, self.out) {
            let failed = IoError::new("renaming", &self.staging, e);
            if had_old && std::fs::rename(&old, self.out).is_err() {
                return Err(WriteError::Stranded {
                    out: self.out.to_path_buf(),
                    old,
                    source: failed,
                });
            }
            return Err(failed.into());
        }
        self.committed = true;
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(self.committed_site())
    }

    fn committed_site(&mut self) -> Committed {
        let stamps = std::mem::take(
            self.stamps
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        Committed {
            stats: WriteStats {
                written: self.written.load(Ordering::Relaxed),
                unchanged: self.unchanged.load(Ordering::Relaxed),
            },
            outputs: fingerprint::of_stamps(stamps),
        }
    }
}

/// Swaps two folders in one step (renameat2 with RENAME_EXCHANGE).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

impl Drop for Writer<'_> {
    /// A build that did not commit leaves nothing behind but the old site.
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Records, beside the output, what the complete site in it was built from and how its files
/// stand now, so the next build with the same inputs can leave it alone. The record lives
/// outside the site so that the site itself stays byte-identical from build to build. Without
/// `inputs` (a folder could not be walked) nothing is recorded, and the next build renders again.
///
/// Called after the swap, so it never fails the build: a record that cannot be written (a full
/// disk) is no record, and the next build renders again. Written whole or not at all.
pub fn record(lock: &OutputLock, inputs: Option<Fingerprint>, outputs: Fingerprint, files: usize) {
    // The commit removed any older record.
    let Some(inputs) = inputs else { return };
    let state = place::sibling(lock.output(), "state");
    let temp = place::unique_sibling(lock.output(), "state");
    let text = format!("inputs: {inputs}\noutputs: {outputs}\nfiles: {files}\n");
    if std::fs::write(&temp, text).is_err() || std::fs::rename(&temp, &state).is_err() {
        let _ = std::fs::remove_file(&temp);
    }
}

/// The number of files of the site in `out` when it was built from exactly `inputs` and its
/// files still stand as recorded (`outputs`, as `fingerprint::outputs` finds them); `None` when it must
/// be built again, and whenever either fingerprint could not be taken.
pub fn up_to_date(
    lock: &OutputLock,
    inputs: Option<Fingerprint>,
    outputs: Option<Fingerprint>,
) -> Option<usize> {
    let (inputs, outputs) = (inputs?, outputs?);
    let out = lock.output();
    if !out.join(MARKER).is_file() {
        return None;
    }
    let text = std::fs::read_to_string(place::sibling(out, "state")).ok()?;
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name).and_then(|v| v.strip_prefix(": ")))
    };
    let same = field("inputs")? == inputs.to_string() && field("outputs")? == outputs.to_string();
    same.then(|| field("files")?.parse().ok()).flatten()
}

/// Forgets the record: the site in `out` was changed in place and is no longer what it said.
fn forget(out: &Path) -> Result<(), WriteError> {
    let state = place::sibling(out, "state");
    match std::fs::remove_file(&state) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(IoError::new("removing", &state, e).into())
        }
        _ => Ok(()),
    }
}

/// The fast path of `serve` and `watch`: writes files straight into an output folder that a
/// full build created, each atomically (temp file and rename) and only when its bytes changed,
/// and removes the given folders of pages that no longer exist. A failure after the first file
/// was written is `WriteError::Partly`: the folder then mixes new pages with old ones.
pub fn write_in_place(
    lock: &OutputLock,
    files: &[OutputFile],
    remove: &[String],
) -> Result<WriteStats, WriteError> {
    let out = lock.output();
    if !out.join(MARKER).is_file() {
        return Err(WriteError::NotOurs(out.to_path_buf()));
    }
    let touched = std::sync::atomic::AtomicBool::new(false);
    let partly = |e: WriteError| e.after(touched.load(Ordering::Relaxed));
    // In parallel: most of the time goes into reading each old file to compare it.
    let written: Vec<bool> = files
        .par_iter()
        .map(|file| {
            let wrote = write_if_changed(out, file)?;
            if wrote {
                touched.store(true, Ordering::Relaxed);
            }
            Ok(wrote)
        })
        .collect::<Result<_, WriteError>>()
        .map_err(partly)?;
    let stats = WriteStats {
        written: written.iter().filter(|w| **w).count(),
        unchanged: written.iter().filter(|w| !**w).count(),
    };
    for dir in remove {
        let path = out.join(safe_relative(dir).map_err(partly)?);
        if path.exists() {
            remove_dir(&path).map_err(partly)?;
            touched.store(true, Ordering::Relaxed);
        }
    }
    // The site no longer is what the recorded inputs built: the next `build` renders again.
    forget(out).map_err(partly)?;
    Ok(stats)
}

/// What tells one site in `out` from another: the marker each full build writes anew. A
/// session that finds another build's site there (`build` run beside `watch`) writes all of
/// its own again rather than patching a site it did not write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteId {
    inode: u64,
    modified: Option<std::time::SystemTime>,
}

/// The `SiteId` of the site in the output `lock` holds; `None` when there is none.
pub fn site_id(lock: &OutputLock) -> Option<SiteId> {
    let meta = std::fs::metadata(lock.output().join(MARKER)).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some(SiteId {
        inode,
        modified: meta.modified().ok(),
    })
}

/// Writes `file` below `out` unless its bytes are there already (then its mtime stays);
/// whether it wrote. Through a temporary file and a rename, so a reader never sees half a file.
fn write_if_changed(out: &Path, file: &OutputFile) -> Result<bool, WriteError> {
    let target = out.join(safe_relative(&file.path)?);
    if same_bytes(&target, &file.bytes).is_some() {
        return Ok(false);
    }
    if let Some(parent) = target.parent() {
        create_dir(parent)?;
    }
    // The whole name and a suffix: `feed.atom` and `feed.rss` are written at the same time.
    let mut temp = target.clone().into_os_string();
    temp.push(".candor-tmp");
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, &file.bytes).map_err(|e| IoError::new("writing", &temp, e))?;
    rename(&temp, &target)?;
    Ok(true)
}

/// An output path as a relative path that cannot leave the output folder.
pub fn safe_relative(path: &str) -> Result<PathBuf, WriteError> {
    let unsafe_path = || WriteError::UnsafePath(path.to_owned());
    if path.is_empty() || path.contains('\\') || path.contains('\0') {
        return Err(unsafe_path());
    }
    let p = Path::new(path);
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(part) => out.push(part),
            _ => return Err(unsafe_path()),
        }
    }
    if out.as_os_str().is_empty() {
        return Err(unsafe_path());
    }
    Ok(out)
}

fn check_ownership(out: &Path) -> Result<(), WriteError> {
    if !out.exists() {
        return Ok(());
    }
    if out.is_dir() {
        let ours = out.join(MARKER).is_file();
        let empty = std::fs::read_dir(out)
            .map_err(|e| IoError::new("reading", out, e))?
            .next()
            .is_none();
        if ours || empty {
            return Ok(());
        }
    }
    Err(WriteError::NotOurs(out.to_path_buf()))
}

/// The metadata of `old` when it holds exactly `new`.
fn same_bytes(old: &Path, new: &[u8]) -> Option<std::fs::Metadata> {
    let meta = std::fs::metadata(old).ok()?;
    let same = meta.is_file()
        && meta.len() == new.len() as u64
        && std::fs::read(old).is_ok_and(|bytes| bytes == new);
    same.then_some(meta)
}

/// Writes a new file and hands it back open, for its metadata.
fn write_file(path: &Path, bytes: &[u8]) -> Result<std::fs::File, WriteError> {
    use std::io::Write;
    let mut file = in_folder(path, || std::fs::File::create(path))
        .map_err(|e| IoError::new("creating", path, e))?;
    file.write_all(bytes)
        .map_err(|e| IoError::new("writing", path, e))?;
    Ok(file)
}

/// Hard-links `old` at `new`; false when the file system will not.
fn link(old: &Path, new: &Path) -> bool {
    in_folder(new, || std::fs::hard_link(old, new)).is_ok()
}

/// Runs `make` (which creates `path`), making `path`'s folder first if it is missing. Trying
/// first costs nothing when the folder exists, where an up-front mkdir would take the lock of
/// its parent folder, which every page's writer shares (incidents/).
fn in_folder<T>(path: &Path, make: impl Fn() -> std::io::Result<T>) -> std::io::Result<T> {
    match make() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match path.parent() {
            Some(parent) => {
                std::fs::create_dir_all(parent)?;
                make()
            }
            None => Err(e),
        },
        result => result,
    }
}

fn create_dir(path: &Path) -> Result<(), WriteError> {
    std::fs::create_dir_all(path).map_err(|e| IoError::new("creating", path, e).into())
}

fn remove_dir(path: &Path) -> Result<(), WriteError> {
    std::fs::remove_dir_all(path).map_err(|e| IoError::new("removing", path, e).into())
}

fn rename(from: &Path, to: &Path) -> Result<(), WriteError> {
    std::fs::rename(from, to).map_err(|e| IoError::new("renaming", from, e).into())
}

#[cfg(test)]
mod tests;
