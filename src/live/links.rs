//! The incident files that are symlinks, and the files they lead to. A native file event names
//! the file that changed — for a link, its target, often in a folder nobody watches — so
//! `watch` watches those folders too and reads an event on a target as a change of each link to
//! it (hakyll #502, hugo #4592: the page stayed stale).
//!
//! Only targets inside the site: a link leading out is refused by the build (`walk`'s policy),
//! and its target is never watched. Never reads a file's contents.

use crate::live::session::Change;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct Links {
    /// Each target (resolved) → the links in `incidents/` that lead to it.
    by_target: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
}

impl Links {
    /// The links in `root/incidents/` (`root` resolved, as the watcher reports paths) whose
    /// targets lie inside `root`.
    pub fn scan(root: &Path) -> Links {
        let mut links = Links::default();
        let Ok(entries) = std::fs::read_dir(root.join("incidents")) else {
            return links;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
            if !is_link || !crate::load::is_incident_file(&path) {
                continue;
            }
            if let Ok(target) = path.canonicalize()
                && target.starts_with(root)
                && target != path
            {
                links.by_target.entry(target).or_default().insert(path);
            }
        }
        links
    }

    /// The changes an event on `path` means through the links that lead to it.
    pub fn changes(&self, path: &Path) -> impl Iterator<Item = Change> + '_ {
        (self.by_target.get(path).into_iter().flatten()).map(|link| Change::Incident(link.clone()))
    }

    /// Whether `path` is one of the links (a change to it may make or break one).
    pub fn is_link(&self, path: &Path) -> bool {
        self.by_target.values().any(|links| links.contains(path))
    }

    /// The folders holding a target: the ones to watch besides `incidents/`.
    pub fn folders(&self) -> BTreeSet<PathBuf> {
        (self.by_target.keys())
            .filter_map(|target| target.parent().map(Path::to_path_buf))
            .collect()
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_link_inside_the_site_maps_its_target_back_to_it_and_one_outside_is_left_out() {
        let top = tempfile::tempdir().expect("tempdir");
        let top = top.path().canonicalize().expect("resolved");
        let root = top.join("site");
        for dir in ["site/incidents", "site/archive", "elsewhere"] {
            std::fs::create_dir_all(top.join(dir)).expect("mkdir");
        }
        for file in [
            "site/archive/a.yaml",
            "elsewhere/b.yaml",
            "site/incidents/c.yaml",
        ] {
            std::fs::write(top.join(file), "x").expect("write");
        }
        let incidents = root.join("incidents");
        symlink("../archive/a.yaml", incidents.join("a.yaml")).expect("symlink");
        symlink("../../elsewhere/b.yaml", incidents.join("b.yaml")).expect("symlink");
        symlink("c.yaml", incidents.join("alias.yaml")).expect("symlink");
        let links = Links::scan(&root);
        let changes = |p: &Path| links.changes(p).collect::<Vec<_>>();
        assert_eq!(
            changes(&root.join("archive/a.yaml")),
            [Change::Incident(incidents.join("a.yaml"))]
        );
        assert_eq!(
            changes(&incidents.join("c.yaml")),
            [Change::Incident(incidents.join("alias.yaml"))]
        );
        assert!(changes(&top.join("elsewhere/b.yaml")).is_empty());
        assert!(links.is_link(&incidents.join("a.yaml")));
        assert!(!links.is_link(&incidents.join("b.yaml")));
        assert_eq!(
            links.folders(),
            BTreeSet::from([root.join("archive"), incidents.clone()])
        );
    }
}
