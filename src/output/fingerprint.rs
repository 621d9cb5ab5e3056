//! Fingerprints that let a rebuild with nothing changed skip rendering and writing: one of
//! every input the build reads, one of the output tree as it was left.
//!
//! SipHash-1-3 at 128 bits (`siphasher`): specified, so stable across Rust versions (unlike
//! `DefaultHasher`); with no adversary in the loop, fixed keys are enough to notice a change.
//! The values are cache keys only: they are kept in the build record beside the output folder
//! (`output::record`), never in the site, so changing the hash changes no output byte.
//!
//! Never writes, and never fails a build: a folder that cannot be walked gives no fingerprint,
//! and the build then renders (whatever is wrong is reported by whoever reads it for real).

use crate::Options;
use crate::walk::{self, Depth};
use siphasher::sip128::{Hasher128, SipHasher13};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(pub u128);

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// A hash fed in pieces, each closed by its length, so ("ab", "c") and ("a", "bc") differ.
struct Digest(SipHasher13);

impl Digest {
    fn new() -> Digest {
        // Any fixed keys: the fingerprint must be the same from run to run.
        Digest(SipHasher13::new_with_keys(
            0x6361_6e64_6f72,
            0x6669_6e67_6572,
        ))
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
        self.0.write(&(bytes.len() as u64).to_le_bytes());
    }

    fn finish(self) -> Fingerprint {
        Fingerprint(self.0.finish128().as_u128())
    }
}

/// Everything a build's output depends on: candor's version and built-in theme, the options,
/// the input files the build read (`read`: status.yaml and the incident files, with the digests
/// `load` took of them) and every file of the site's theme folders. `None` when `themes/`
/// cannot be walked (a symlink loop, an unreadable folder).
pub fn inputs(options: &Options, read: &[(PathBuf, Fingerprint)]) -> Option<Fingerprint> {
    let mut h = Digest::new();
    h.bytes(env!("CARGO_PKG_VERSION").as_bytes());
    // The built-in theme too: a candor built with other templates but the same version number
    // must not take an old site for current.
    for (name, bytes) in crate::theme::BUILTIN {
        h.bytes(name.as_bytes());
        h.bytes(bytes);
    }
    h.bytes(options.now.to_rfc3339().as_bytes());
    h.bytes(options.base_url.as_deref().unwrap_or("").as_bytes());
    h.bytes(&[u8::from(options.drafts)]);
    for (path, digest) in read {
        h.bytes(path.to_string_lossy().as_bytes());
        h.bytes(&digest.0.to_le_bytes());
    }
    for path in walk::files(&options.root, &options.root.join("themes"), Depth::All).ok()? {
        h.bytes(path.to_string_lossy().as_bytes());
        h.bytes(&std::fs::read(&path).ok()?);
    }
    Some(h.finish())
}

/// Of one input file's bytes.
pub fn digest(bytes: &[u8]) -> Fingerprint {
    let mut h = Digest::new();
    h.bytes(bytes);
    h.finish()
}

/// One file of an output tree as its fingerprint sees it: where it is, its size, its mtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Relative to the output folder.
    pub path: PathBuf,
    pub len: u64,
    pub modified_ns: u128,
}

impl Stamp {
    pub fn new(path: PathBuf, meta: &std::fs::Metadata) -> Stamp {
        let modified = meta
            .modified()
            .ok()
            .and_then(|m| m.duration_since(UNIX_EPOCH).ok());
        Stamp {
            path,
            len: meta.len(),
            modified_ns: modified.map_or(0, |d| d.as_nanos()),
        }
    }
}

/// The output tree as it stands: every file's path, size and modification time, but `skip`
/// (the marker, which the writer adds after its stamps). A file edited, added or removed by
/// hand changes it, and the next build renders again. `None` when the tree cannot be walked:
/// the build then renders, and the swap replaces the tree whole.
pub fn outputs(dir: &Path, skip: &str) -> Option<Fingerprint> {
    let stamps = walk::files(dir, dir, Depth::All)
        .ok()?
        .into_iter()
        .filter_map(|path| {
            let meta = std::fs::metadata(&path).ok()?;
            let rel = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
            (rel.as_os_str() != skip).then(|| Stamp::new(rel, &meta))
        })
        .collect();
    Some(of_stamps(stamps))
}

/// The fingerprint of an output tree from the stamps of its files, in any order: the writer
/// keeps them as it writes, so a build need not walk its own output again to record it.
pub fn of_stamps(mut stamps: Vec<Stamp>) -> Fingerprint {
    stamps.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let mut h = Digest::new();
    for stamp in stamps {
        h.bytes(stamp.path.to_string_lossy().as_bytes());
        h.bytes(&stamp.len.to_le_bytes());
        h.bytes(&stamp.modified_ns.to_le_bytes());
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_keep_concatenations_apart() {
        let mut a = Digest::new();
        a.bytes(b"ab");
        a.bytes(b"c");
        let mut b = Digest::new();
        b.bytes(b"a");
        b.bytes(b"bc");
        assert_ne!(a.finish(), b.finish());
    }

    #[test]
    fn a_touched_output_file_changes_the_output_fingerprint() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.html"), "one").expect("write");
        let before = outputs(dir.path(), ".candor");
        assert!(before.is_some(), "the tree walks");
        std::fs::write(dir.path().join(".candor"), "marker").expect("write");
        assert_eq!(
            before,
            outputs(dir.path(), ".candor"),
            "the marker itself does not count"
        );
        std::fs::write(dir.path().join("a.html"), "two!").expect("write");
        assert_ne!(before, outputs(dir.path(), ".candor"));
    }
}
