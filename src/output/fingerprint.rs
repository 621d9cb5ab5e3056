//! Fingerprints that let a rebuild with nothing changed skip rendering and writing: one of
//! every input the build reads, one of the output tree as it was left.
//!
//! A small 128-bit hash of our own: stable across Rust versions (unlike `DefaultHasher`),
//! and with no adversary in the loop a non-cryptographic hash is enough to notice a change.

use crate::Options;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(pub u128);

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// Two 64-bit lanes fed 8 bytes at a time: FNV-1a's idea at a word's stride, so hashing
/// every input of a 10,000-incident site costs milliseconds, not a noticeable share of a check.
struct Fnv(u64, u64);

const P1: u64 = 0x0000_0100_0000_01b3;
const P2: u64 = 0x9e37_79b9_7f4a_7c15;

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325, 0x6c62_272e_07bb_0142)
    }

    fn word(&mut self, w: u64) {
        self.0 = (self.0 ^ w).wrapping_mul(P1).rotate_left(29);
        self.1 = (self.1 ^ w).wrapping_mul(P2).rotate_left(31);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            self.word(u64::from_le_bytes(w));
        }
        let mut last = [0u8; 8];
        last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.word(u64::from_le_bytes(last));
        // The length ends each piece, so ("ab", "c") and ("a", "bc") differ.
        self.word(bytes.len() as u64);
    }

    fn finish(self) -> Fingerprint {
        Fingerprint((u128::from(self.0) << 64) | u128::from(self.1))
    }
}

/// Everything a build's output depends on: candor's version and built-in theme, the options,
/// the input files the build read (`read`: status.yaml and the incident files, with the digests
/// `load` took of them) and every file of the site's theme folders.
pub fn inputs(options: &Options, read: &[(PathBuf, Fingerprint)]) -> Fingerprint {
    let mut h = Fnv::new();
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
    let mut theme_files = Vec::new();
    walk(&options.root.join("themes"), &mut theme_files);
    theme_files.sort();
    for path in theme_files {
        h.bytes(path.to_string_lossy().as_bytes());
        h.bytes(&std::fs::read(&path).unwrap_or_default());
    }
    h.finish()
}

/// Of one input file's bytes.
pub fn digest(bytes: &[u8]) -> Fingerprint {
    let mut h = Fnv::new();
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

/// The output tree as it stands: every file's path, size and modification time. A file
/// edited, added or removed by hand changes it, and the next build renders again.
pub fn outputs(dir: &Path, skip: &str) -> Fingerprint {
    let mut files = Vec::new();
    walk(dir, &mut files);
    let stamps = files
        .into_iter()
        .filter_map(|path| {
            let meta = std::fs::metadata(&path).ok()?;
            let rel = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
            (rel.as_os_str() != skip).then(|| Stamp::new(rel, &meta))
        })
        .collect();
    of_stamps(stamps)
}

/// The fingerprint of an output tree from the stamps of its files, in any order: the writer
/// keeps them as it writes, so a build need not walk its own output again to record it.
pub fn of_stamps(mut stamps: Vec<Stamp>) -> Fingerprint {
    stamps.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let mut h = Fnv::new();
    for stamp in stamps {
        h.bytes(stamp.path.to_string_lossy().as_bytes());
        h.bytes(&stamp.len.to_le_bytes());
        h.bytes(&stamp.modified_ns.to_le_bytes());
    }
    h.finish()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, out),
            Ok(_) => out.push(path),
            Err(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_keep_concatenations_apart() {
        let mut a = Fnv::new();
        a.bytes(b"ab");
        a.bytes(b"c");
        let mut b = Fnv::new();
        b.bytes(b"a");
        b.bytes(b"bc");
        assert_ne!(a.finish(), b.finish());
    }

    #[test]
    fn a_touched_output_file_changes_the_output_fingerprint() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.html"), "one").expect("write");
        let before = outputs(dir.path(), ".candor");
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
