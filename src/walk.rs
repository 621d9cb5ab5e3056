//! The one folder walker. Every folder candor lists — `incidents/`, a theme's folders, the whole
//! of `themes/` for the build fingerprint, the output tree — is listed here, on `walkdir`, with
//! one policy:
//!
//! - **Files only**, each as `dir` joined with its path below it, in one stable order: by path,
//!   component by component (depth first, names sorted byte-wise), whatever the file system's.
//! - **Symlinks are followed**, to files and to folders alike, as if the target stood there; the
//!   path returned is the link's, not the target's.
//! - **A link must stay inside the site.** Each walk is confined to a folder (the site root for
//!   `incidents/` and `themes/`, the output folder for the output tree): a link, or a folder on
//!   the way to `dir`, whose target lies outside it ends the walk with an error naming the link
//!   and its target. A pull request must not publish `~/.ssh/id_rsa` through
//!   `themes/x/static/key`, nor print a line of `/etc/shadow` in a YAML error. The root itself
//!   may be a link (`--root current`, git-sync style): the confinement is to what it resolves to.
//! - **A loop is an error naming the link** (a link to a folder that holds it, or to itself):
//!   walkdir compares each followed folder with the folders above it, so a walk never hangs;
//!   the walk goes on past each loop, so the error names every one.
//! - **A link to nothing is skipped**, as a missing file would be: editors leave such links as
//!   locks beside the file being edited (Emacs `.#NAME.yaml`), and a save must not break a build.
//!   A file removed while the walk runs is skipped the same way.
//! - A `dir` that does not exist (or is not a folder) holds no files; one that cannot be read,
//!   or any folder below it, is an error naming that folder.
//!
//! A leaf, like `markdown.rs`: load, theme and output all use it, and it imports only `error`.
//! It never reads a file's contents and never writes.

use crate::error::{IoError, Outside, SymlinkLoop, WalkError};
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
/// error, and no link leading out of `within` (the site root; the output folder for the output
/// tree). The error names the folder that could not be read, or the link that loops or leads out.
pub fn files(within: &Path, dir: &Path, depth: Depth) -> Result<Vec<PathBuf>, WalkError> {
    let bounds = Bounds::new(within);
    bounds
        .check_way(dir)
        .map_err(|out| WalkError::Outside(vec![out]))?;
    let walk = WalkDir::new(dir)
        .follow_links(true)
        .min_depth(1)
        .max_depth(match depth {
            Depth::Top => 1,
            Depth::All => usize::MAX,
        })
        .sort_by_file_name();
    let (mut files, mut loops, mut outside) = (Vec::new(), Vec::new(), Vec::new());
    let mut walk = walk.into_iter();
    while let Some(entry) = walk.next() {
        match entry {
            Ok(entry) => {
                // Checked before walkdir descends into a linked folder: it yields the folder
                // first. Every link out is named, not only the first; none is followed.
                if entry.path_is_symlink()
                    && let Err(out) = bounds.check(entry.path())
                {
                    outside.push(out);
                    if entry.file_type().is_dir() {
                        walk.skip_current_dir();
                    }
                    continue;
                }
                if entry.file_type().is_file() {
                    files.push(entry.into_path());
                }
            }
            Err(e) if e.io_error().map(io::Error::kind) == Some(io::ErrorKind::NotFound) => {}
            // Every loop is named, not only the first: the walk goes on past each.
            Err(e) => match walk_error(dir, e) {
                WalkError::Loops(found) => loops.extend(found),
                other => return Err(other),
            },
        }
    }
    // Links out first: a loop among them is named once those are fixed.
    if !outside.is_empty() {
        return Err(WalkError::Outside(outside));
    }
    match loops.is_empty() {
        true => Ok(files),
        false => Err(WalkError::Loops(loops)),
    }
}

/// Every entry below `dir` (folders and links too), links never followed: what a poller looks
/// at while `files` refuses the folder, to see the refused link go and the edits meanwhile,
/// without looking outside. Unreadable entries are left out.
pub fn entries(dir: &Path, depth: Depth) -> Vec<PathBuf> {
    let walk = WalkDir::new(dir).min_depth(1).max_depth(match depth {
        Depth::Top => 1,
        Depth::All => usize::MAX,
    });
    walk.into_iter()
        .flatten()
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// The symlinks directly in `dir`, from the folder's listing alone (no file is opened or
/// followed): what a live rebuild checks against the policy of `files` besides the paths that
/// changed, at a fraction of a full walk's cost. Unreadable entries are left out.
pub fn symlinks(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut links: Vec<PathBuf> = (entries.flatten())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_symlink()))
        .map(|e| e.path())
        .collect();
    links.sort();
    links
}

/// One entry under the policy of `files`, for a caller that knows which paths changed: whether
/// it is a file (`false`: gone, or a folder); a link leading out of `within`, or looping (to
/// itself, or to a folder that holds it), is the error `files` gives.
pub fn entry(within: &Path, path: &Path) -> Result<bool, WalkError> {
    Bounds::new(within)
        .check_way(path)
        .map_err(|out| WalkError::Outside(vec![out]))?;
    let looping = |back_to| {
        WalkError::Loops(vec![SymlinkLoop {
            link: path.to_path_buf(),
            back_to,
        }])
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            let target = path.canonicalize().ok();
            let holder = path.parent().and_then(|p| p.canonicalize().ok());
            match (target, holder) {
                (Some(target), Some(holder)) if holder.starts_with(&target) => {
                    Err(looping(Some(target)))
                }
                _ => Ok(false),
            }
        }
        Ok(meta) => Ok(meta.is_file()),
        // A link that resolves to neither a file nor nothing: ELOOP.
        Err(e)
            if e.kind() != io::ErrorKind::NotFound
                && path.symlink_metadata().is_ok_and(|m| m.is_symlink()) =>
        {
            Err(looping(None))
        }
        Err(_) => Ok(false),
    }
}

/// Whether `path`, or a folder between `within` and it, is a link leading out of `within`: the
/// check of `files`, for a file read without a walk (status.yaml, the file `update` edits).
pub fn inside(within: &Path, path: &Path) -> Result<(), Outside> {
    Bounds::new(within).check_way(path)
}

/// Where a walk may lead: `within`, resolved when a link is first met (most walks meet none).
struct Bounds<'a> {
    within: &'a Path,
    resolved: std::cell::OnceCell<PathBuf>,
}

impl<'a> Bounds<'a> {
    fn new(within: &'a Path) -> Bounds<'a> {
        Bounds {
            within,
            resolved: std::cell::OnceCell::new(),
        }
    }

    fn resolved(&self) -> &Path {
        self.resolved.get_or_init(|| {
            (self.within.canonicalize())
                .or_else(|_| std::path::absolute(self.within))
                .unwrap_or_else(|_| self.within.to_path_buf())
        })
    }

    /// An error when `link` resolves to a place outside the bounds. A link that resolves to
    /// nothing (removed meanwhile) is let through: the walk skips what is not there.
    fn check(&self, link: &Path) -> Result<(), Outside> {
        match link.canonicalize() {
            Ok(target) if !target.starts_with(self.resolved()) => Err(Outside {
                link: link.to_path_buf(),
                target,
                within: self.within.to_path_buf(),
            }),
            _ => Ok(()),
        }
    }

    /// Checks each folder from the bounds down to `dir` that is a link (`themes/` may be one).
    fn check_way(&self, dir: &Path) -> Result<(), Outside> {
        let Ok(rel) = dir.strip_prefix(self.within) else {
            return Ok(());
        };
        let mut path = self.within.to_path_buf();
        for part in rel.components() {
            path.push(part);
            if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                self.check(&path)?;
            }
        }
        Ok(())
    }
}

fn walk_error(dir: &Path, e: walkdir::Error) -> WalkError {
    let path = e.path().unwrap_or(dir).to_path_buf();
    if let Some(ancestor) = e.loop_ancestor() {
        return WalkError::Loops(vec![SymlinkLoop {
            link: path,
            back_to: Some(ancestor.to_path_buf()),
        }]);
    }
    let source = e
        .into_io_error()
        .unwrap_or_else(|| io::Error::other("the walk failed"));
    // A file link that leads to itself, or two that lead to each other: the system stops
    // resolving them (ELOOP); a user fixes that in the site, as with a folder loop.
    if is_link_loop(&source) {
        return WalkError::Loops(vec![SymlinkLoop {
            link: path,
            back_to: None,
        }]);
    }
    IoError::new("listing", path, source).into()
}

/// Whether an error is the system's "too many levels of symbolic links".
fn is_link_loop(e: &io::Error) -> bool {
    #[cfg(unix)]
    const ELOOP: i32 = 40;
    #[cfg(not(unix))]
    const ELOOP: i32 = -1;
    e.raw_os_error() == Some(ELOOP)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// One entry meets the policy of the whole walk: a file, a gone path, a link out, a loop.
    #[cfg(unix)]
    #[test]
    fn one_entry_is_refused_as_the_walk_refuses_it() {
        use std::os::unix::fs::symlink;
        let (top, outside) = (
            tempfile::tempdir().expect("tempdir"),
            tempfile::tempdir().expect("tempdir"),
        );
        let dir = top.path().join("incidents");
        fs::create_dir_all(&dir).expect("mkdir");
        fs::write(dir.join("a.yaml"), "x").expect("write");
        fs::write(outside.path().join("b.yaml"), "x").expect("write");
        assert!(entry(top.path(), &dir.join("a.yaml")).expect("a file"));
        assert!(!entry(top.path(), &dir.join("gone.yaml")).expect("gone"));
        symlink(outside.path().join("b.yaml"), dir.join("b.yaml")).expect("symlink");
        assert!(matches!(
            entry(top.path(), &dir.join("b.yaml")),
            Err(WalkError::Outside(_))
        ));
        symlink(".", dir.join("up")).expect("symlink");
        assert!(matches!(
            entry(top.path(), &dir.join("up")),
            Err(WalkError::Loops(_))
        ));
        symlink("self", dir.join("self")).expect("symlink");
        assert!(matches!(
            entry(top.path(), &dir.join("self")),
            Err(WalkError::Loops(_))
        ));
    }

    fn names(dir: &Path, depth: Depth) -> Vec<String> {
        files(dir, dir, depth)
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
    fn symlinks_inside_are_followed_and_dangling_ones_skipped() {
        use std::os::unix::fs::symlink;
        let site = tempfile::tempdir().expect("tempdir");
        let dir = site.path().join("incidents");
        let elsewhere = site.path().join("shared");
        fs::create_dir_all(&dir).expect("mkdir");
        fs::create_dir_all(&elsewhere).expect("mkdir");
        fs::write(elsewhere.join("x.css"), "x").expect("write");
        fs::write(dir.join("real.yaml"), "x").expect("write");
        symlink("../shared", dir.join("linked")).expect("symlink");
        symlink(dir.join("real.yaml"), dir.join("alias.yaml")).expect("symlink");
        symlink("user@host.123", dir.join(".#real.yaml")).expect("symlink");
        let names = |depth| {
            let found = files(site.path(), &dir, depth).expect("walk");
            let rel = |p: &PathBuf| p.strip_prefix(&dir).expect("below").to_owned();
            found.iter().map(rel).collect::<Vec<_>>()
        };
        let want: [PathBuf; 3] = [
            "alias.yaml".into(),
            "linked/x.css".into(),
            "real.yaml".into(),
        ];
        assert_eq!(names(Depth::All), want);
        assert_eq!(names(Depth::Top), [want[0].clone(), want[2].clone()]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_leading_out_of_the_site_is_an_error_naming_it_and_its_target() {
        use std::os::unix::fs::symlink;
        let top = tempfile::tempdir().expect("tempdir");
        let (site, secret) = (top.path().join("site"), top.path().join("secret"));
        fs::create_dir_all(site.join("incidents")).expect("mkdir");
        fs::create_dir_all(&secret).expect("mkdir");
        fs::write(secret.join("key"), "x").expect("write");
        let resolved = secret.canonicalize().expect("resolve");
        let walk = |dir: &Path| files(&site, dir, Depth::All).expect_err("refused");
        let incidents = site.join("incidents");

        // A file, a folder, and a folder on the way to the walked one.
        symlink("../../secret/key", incidents.join("a.yaml")).expect("symlink");
        let WalkError::Outside(mut out) = walk(&incidents) else {
            panic!("not refused as outside")
        };
        let out = out.remove(0);
        assert_eq!(
            (out.link, out.target),
            (incidents.join("a.yaml"), resolved.join("key"))
        );
        fs::remove_file(incidents.join("a.yaml")).expect("rm");
        symlink(&secret, incidents.join("b")).expect("symlink");
        let WalkError::Outside(mut out) = walk(&incidents) else {
            panic!("not refused as outside")
        };
        let out = out.remove(0);
        assert_eq!(out.link, incidents.join("b"));
        symlink(&secret, site.join("themes")).expect("symlink");
        let WalkError::Outside(mut out) = walk(&site.join("themes/x/static")) else {
            panic!("not refused as outside")
        };
        let out = out.remove(0);
        assert_eq!(out.link, site.join("themes"));
        let message = out.to_string();
        assert!(
            message.contains(&resolved.display().to_string()),
            "{message}"
        );

        // The site itself through a link: what lies in it is inside.
        fs::remove_file(incidents.join("b")).expect("rm");
        fs::write(site.join("real.yaml"), "x").expect("write");
        symlink("../real.yaml", incidents.join("c.yaml")).expect("symlink");
        symlink(&site, top.path().join("current")).expect("symlink");
        let current = top.path().join("current");
        let found = files(&current, &current.join("incidents"), Depth::All).expect("walk");
        assert_eq!(found, [current.join("incidents/c.yaml")]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_an_error_naming_the_link() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir_all(dir.path().join("a/b")).expect("mkdir");
        symlink(dir.path().join("a"), dir.path().join("a/b/up")).expect("symlink");
        let loops = |depth| match files(dir.path(), dir.path(), depth) {
            Err(WalkError::Loops(loops)) => loops,
            other => panic!("not loops: {other:?}"),
        };
        let up = SymlinkLoop {
            link: dir.path().join("a/b/up"),
            back_to: Some(dir.path().join("a")),
        };
        assert_eq!(loops(Depth::All), std::slice::from_ref(&up));
        // Each loop of a folder is named, not only the first (two links to `.` too).
        symlink("self", dir.path().join("self")).expect("symlink");
        symlink(".", dir.path().join("a/b/here")).expect("symlink");
        let this = |name: &str| SymlinkLoop {
            link: dir.path().join(name),
            back_to: None,
        };
        assert_eq!(loops(Depth::Top), [this("self")]);
        let all = loops(Depth::All);
        assert_eq!(all.len(), 3, "{all:?}");
        assert!(all.contains(&up) && all.contains(&this("self")), "{all:?}");
    }
}
