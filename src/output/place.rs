//! Where the writer works: the folder a build writes (an output folder that is a symlink is
//! written in its target, and stays a link), and the `.candor-KIND-NAME` files and folders it
//! keeps beside it — the record, the lock, and the staging and old copies of the site, whose
//! names are unique per build so that two builds never share one.
//!
//! Never removes anything but a staging or old copy, and only when the caller holds the lock.

use crate::error::{IoError, WriteError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many links `resolve` follows before it calls the chain a loop (as Linux does).
const MAX_LINKS: usize = 40;

/// The folder to write for `out`: `out` itself, or, when `out` is a symlink (a common way to
/// point at a web root), the folder it leads to, even one not made yet. The site is swapped in
/// there, so the link stays what it was and keeps pointing at the same place.
pub fn resolve(out: &Path) -> Result<PathBuf, WriteError> {
    let mut path = out.to_path_buf();
    for _ in 0..MAX_LINKS {
        let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            return Ok(path);
        }
        if let Ok(target) = path.canonicalize() {
            return Ok(target);
        }
        // A link to a folder not made yet: its target, from the folder the link stands in.
        let target = std::fs::read_link(&path).map_err(|e| IoError::new("reading", &path, e))?;
        let base = path.parent().unwrap_or(Path::new("."));
        path = base.join(target);
    }
    Err(IoError::new(
        "resolving",
        out,
        std::io::Error::other("too many levels of symbolic links"),
    )
    .into())
}

/// `.candor-KIND-NAME` beside `out`, on the same file system so renames and links work.
pub fn sibling(out: &Path, kind: &str) -> PathBuf {
    parent(out).join(format!(".candor-{kind}-{}", name(out)))
}

/// `.candor-KIND-NAME.PID-N`: a name no other build, and no other write of this process, uses.
pub fn unique_sibling(out: &Path, kind: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let pid = std::process::id();
    parent(out).join(format!(".candor-{kind}-{}.{pid}-{n}", name(out)))
}

/// The output folder a name beside it belongs to: `public` for `.candor-state-public`,
/// `.candor-lock-public` or `.candor-staging-public.123-0`; `None` for any other name.
pub fn owner(name: &str) -> Option<&str> {
    let (kind, rest) = name.strip_prefix(".candor-")?.split_once('-')?;
    match kind {
        "state" | "lock" => Some(rest),
        "staging" | "old" => Some(match rest.rsplit_once('.') {
            Some((owner, suffix)) if is_build_suffix(suffix) => owner,
            _ => rest,
        }),
        _ => None,
    }
}

/// `PID-N`, as `unique_sibling` writes it.
fn is_build_suffix(suffix: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    suffix
        .split_once('-')
        .is_some_and(|(pid, n)| digits(pid) && digits(n))
}

/// Removes the staging and old copies of `out` that earlier builds left: a build that was
/// killed, or an old site whose removal failed after the swap. Only under the lock: then no
/// other build is writing one of them.
pub fn remove_leftovers(out: &Path) -> Result<(), WriteError> {
    let dir = parent(out);
    let Ok(entries) = std::fs::read_dir(dir) else {
        // No folder yet, so nothing left in it; creating the staging folder reports the rest.
        return Ok(());
    };
    let own = name(out);
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let copy = name.starts_with(".candor-staging-") || name.starts_with(".candor-old-");
        if copy && owner(name) == Some(own.as_str()) {
            let path = entry.path();
            // A link is removed as a link; its target is nothing of ours.
            let result = match entry.file_type() {
                Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
                _ => std::fs::remove_file(&path),
            };
            result.map_err(|e| IoError::new("removing", &path, e))?;
        }
    }
    Ok(())
}

fn name(out: &Path) -> String {
    out.file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned())
}

fn parent(out: &Path) -> &Path {
    out.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_beside_an_output_name_their_owner_and_no_other() {
        assert_eq!(owner(".candor-state-public"), Some("public"));
        assert_eq!(owner(".candor-lock-public.v2"), Some("public.v2"));
        assert_eq!(owner(".candor-staging-public.123-0"), Some("public"));
        assert_eq!(owner(".candor-old-public.v2.9-14"), Some("public.v2"));
        // From before staging names were unique.
        assert_eq!(owner(".candor-staging-public"), Some("public"));
        assert_eq!(owner(".candor-staging-public.1-2-3"), Some("public.1-2-3"));
        assert_eq!(owner(".candor-replay"), None);
        assert_eq!(owner("public"), None);
        let unique = unique_sibling(Path::new("site/public.1-2"), "staging");
        let name = unique.file_name().and_then(|n| n.to_str()).expect("a name");
        assert_eq!(owner(name), Some("public.1-2"));
        assert_ne!(
            unique,
            unique_sibling(Path::new("site/public.1-2"), "staging")
        );
    }

    #[test]
    fn leftovers_of_this_output_go_and_those_of_others_stay() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("public");
        let keep = [
            "public",
            ".candor-state-public",
            ".candor-lock-public",
            ".candor-staging-public2.1-1",
            ".candor-staging-other.1-1",
            "mine.txt",
        ];
        let gone = [
            ".candor-staging-public.77-0",
            ".candor-old-public.77-1",
            ".candor-staging-public",
        ];
        for name in keep.iter().chain(&gone) {
            std::fs::create_dir_all(dir.path().join(name).join("x")).expect("mkdir");
        }
        remove_leftovers(&out).expect("removed");
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut want: Vec<String> = keep.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(left, want);
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_output_resolves_to_its_target_made_or_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let www = dir.path().join("www");
        std::fs::create_dir(&www).expect("mkdir");
        let link = dir.path().join("public");
        std::os::unix::fs::symlink("www/site", &link).expect("symlink");
        let resolved = resolve(&link).expect("resolves");
        assert_eq!(resolved.file_name(), Some("site".as_ref()));
        assert_eq!(
            resolved.parent().map(Path::canonicalize).transpose().ok(),
            Some(Some(www.canonicalize().expect("www")))
        );
        std::fs::create_dir(www.join("site")).expect("mkdir");
        assert_eq!(
            resolve(&link).expect("resolves"),
            www.join("site").canonicalize().expect("site")
        );
        let plain = dir.path().join("plain");
        assert_eq!(resolve(&plain).expect("resolves"), plain);
        std::os::unix::fs::symlink("loop", dir.path().join("loop")).expect("symlink");
        assert!(resolve(&dir.path().join("loop")).is_err());
    }
}
