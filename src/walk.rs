//! The one folder walker. Every folder candor lists — `incidents/`, a theme's folders, the whole
//! of `themes/` for the build fingerprint, the output tree — is listed here, on `walkdir`, with
//! one policy:
//!
//! - **Files only**, each as `dir` joined with its path below it, in one stable order: by path,
//!   component by component (depth first, names sorted byte-wise), whatever the file system's.
//! - **Symlinks are followed**, to files and to folders alike, as if the target stood there; the
//!   path returned is the link's, not the target's.
//! - **A loop ends the walk with an error naming the link** (a link to a folder that holds it):
//!   walkdir compares each followed folder with the folders above it, so a walk never hangs.
//! - **A link to nothing is skipped**, as a missing file would be: editors leave such links as
//!   locks beside the file being edited (Emacs `.#NAME.yaml`), and a save must not break a build.
//!   A file removed while the walk runs is skipped the same way.
//! - A `dir` that does not exist (or is not a folder) holds no files; one that cannot be read,
//!   or any folder below it, is an error naming that folder.
//!
//! A leaf, like `markdown.rs`: load, theme and output all use it, and it imports only `error`.
//! It never reads a file's contents and never writes.

use crate::error::IoError;
use std::io;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// How deep a walk goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// The files directly in the folder (`incidents/*.yaml`).
    Top,
    /// The files in the folder and in every folder below it (a theme's `static/`).
    All,
}

/// The files under `dir`, as the module's policy says: sorted, symlinks followed, a loop an
/// error. The error names the folder that could not be read, or the link that loops.
pub fn files(dir: &Path, depth: Depth) -> Result<Vec<PathBuf>, IoError> {
    let walk = WalkDir::new(dir)
        .follow_links(true)
        .min_depth(1)
        .max_depth(match depth {
            Depth::Top => 1,
            Depth::All => usize::MAX,
        })
        .sort_by_file_name();
    let mut files = Vec::new();
    for entry in walk {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
            Ok(_) => {}
            Err(e) if e.io_error().map(io::Error::kind) == Some(io::ErrorKind::NotFound) => {}
            Err(e) => return Err(walk_error(dir, e)),
        }
    }
    Ok(files)
}

fn walk_error(dir: &Path, e: walkdir::Error) -> IoError {
    let path = e.path().unwrap_or(dir).to_path_buf();
    let source = match e.loop_ancestor() {
        Some(ancestor) => io::Error::other(format!(
            "a symlink loop: it leads back to {}, which holds it",
            ancestor.display()
        )),
        None => e
            .into_io_error()
            .unwrap_or_else(|| io::Error::other("the walk failed")),
    };
    IoError::new("listing", path, source)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(dir: &Path, depth: Depth) -> Vec<String> {
        files(dir, depth)
            .expect("walk")
            .iter()
            .map(|p| {
                let rel = p.strip_prefix(dir).expect("below dir");
                rel.to_string_lossy().replace('\\', "/")
            })
            .collect()
    }

    #[test]
    fn files_come_sorted_by_path_and_folders_are_not_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["b.yaml", "a/z.txt", "a/b/c.txt", "a.txt", "A.txt"] {
            let path = dir.path().join(name);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(path, "x").expect("write");
        }
        assert_eq!(
            names(dir.path(), Depth::All),
            ["A.txt", "a/b/c.txt", "a/z.txt", "a.txt", "b.yaml"]
        );
        assert_eq!(names(dir.path(), Depth::Top), ["A.txt", "a.txt", "b.yaml"]);
    }

    #[test]
    fn a_missing_folder_holds_no_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(names(&dir.path().join("nowhere"), Depth::All).is_empty());
        fs::write(dir.path().join("file"), "x").expect("write");
        assert!(names(&dir.path().join("file"), Depth::All).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed_and_dangling_ones_skipped() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().expect("tempdir");
        let elsewhere = tempfile::tempdir().expect("tempdir");
        fs::write(elsewhere.path().join("x.css"), "x").expect("write");
        fs::write(dir.path().join("real.yaml"), "x").expect("write");
        symlink(elsewhere.path(), dir.path().join("linked")).expect("symlink");
        symlink(dir.path().join("real.yaml"), dir.path().join("alias.yaml")).expect("symlink");
        symlink("user@host.123", dir.path().join(".#real.yaml")).expect("symlink");
        assert_eq!(
            names(dir.path(), Depth::All),
            ["alias.yaml", "linked/x.css", "real.yaml"]
        );
        assert_eq!(names(dir.path(), Depth::Top), ["alias.yaml", "real.yaml"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_an_error_naming_the_link() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir_all(dir.path().join("a/b")).expect("mkdir");
        symlink(dir.path().join("a"), dir.path().join("a/b/up")).expect("symlink");
        let err = files(dir.path(), Depth::All).expect_err("a loop");
        assert_eq!(err.path, dir.path().join("a/b/up"));
        assert!(err.to_string().contains("symlink loop"), "{err}");
        symlink("self", dir.path().join("self")).expect("symlink");
        let err = files(dir.path(), Depth::Top).expect_err("a link to itself");
        assert_eq!(err.path, dir.path().join("self"));
    }
}
