//! Inputs reached through a symlink — an incident file, `status.yaml`, a theme file, or any file
//! of a linked folder — and the files they lead to. A native file event names the file that
//! changed — for a link, its target, often in a folder nobody watches — so `watch` watches those
//! folders too and reads an event on a target as a change of each input leading to it
//! (hakyll #502, hugo #4592, case 14: the page stayed stale).
//!
//! Only targets inside the site, outside the output: a link leading out is refused by the build
//! (`walk`'s policy), and its target is never watched. Never reads a file's contents.

use crate::walk::{self, Depth};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The inputs of a site reached through a link, by the resolved file each leads to.
#[derive(Debug, Default)]
pub(crate) struct Links {
    by_target: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    inputs: BTreeSet<PathBuf>,
    /// Whether every folder could be listed: when one could not (a theme link leading out),
    /// the build says why, and the links are looked for again at the next change.
    pub(crate) complete: bool,
}

impl Links {
    /// The inputs under `root` (resolved, as the watcher reports paths) that lead to a file
    /// elsewhere inside `root` and outside `output`: `status.yaml`, the files of `incidents/`
    /// (listed one by one, so one link leading out hides none of the others) and of `themes/`.
    pub(crate) fn scan(root: &Path, output: &Path) -> Links {
        let mut links = Links {
            complete: true,
            ..Links::default()
        };
        let incidents = match std::fs::read_dir(root.join("incidents")) {
            Ok(entries) => (entries.flatten())
                .map(|entry| entry.path())
                .filter(|path| crate::load::is_incident_file(path))
                .collect(),
            Err(_) => Vec::new(),
        };
        let themes = walk::files(root, &root.join("themes"), Depth::All);
        links.complete = themes.is_ok();
        let inputs = std::iter::once(root.join("status.yaml"))
            .chain(incidents)
            .chain(themes.unwrap_or_default());
        let mut resolved_dirs = HashMap::new();
        for input in inputs {
            let Some(target) = target(&input, &mut resolved_dirs) else {
                continue;
            };
            if target != input && target.starts_with(root) && !target.starts_with(output) {
                links
                    .by_target
                    .entry(target)
                    .or_default()
                    .insert(input.clone());
                links.inputs.insert(input);
            }
        }
        links
    }

    /// The inputs an event on `path` changes through a link.
    pub(crate) fn inputs_reaching(&self, path: &Path) -> impl Iterator<Item = &PathBuf> {
        self.by_target.get(path).into_iter().flatten()
    }

    /// Whether `input` leads to a target (a change to it may make or break a link).
    pub(crate) fn is_link(&self, input: &Path) -> bool {
        self.inputs.contains(input)
    }

    /// The folders holding a target, except those `covered` says are watched already: a
    /// second inotify watch on one folder would take over the first one's events.
    pub(crate) fn folders(&self, covered: impl Fn(&Path) -> bool) -> BTreeSet<PathBuf> {
        (self.by_target.keys())
            .filter_map(|target| target.parent())
            .filter(|dir| !covered(dir))
            .map(Path::to_path_buf)
            .collect()
    }
}

/// Where `input` really is: resolved when it is a link, else its resolved folder joined with
/// its name (a file of a linked folder leads elsewhere too). Resolving each folder once keeps
/// a site of 10,000 plain files cheap.
fn target(input: &Path, resolved_dirs: &mut HashMap<PathBuf, Option<PathBuf>>) -> Option<PathBuf> {
    if input.symlink_metadata().ok()?.is_symlink() {
        return input.canonicalize().ok();
    }
    let (dir, name) = (input.parent()?, input.file_name()?);
    let dir = resolved_dirs
        .entry(dir.to_path_buf())
        .or_insert_with(|| dir.canonicalize().ok());
    dir.as_ref().map(|dir| dir.join(name))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn reaching(links: &Links, path: &Path) -> Vec<PathBuf> {
        links.inputs_reaching(path).cloned().collect()
    }

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
        let links = Links::scan(&root, &root.join("public"));
        assert_eq!(
            reaching(&links, &root.join("archive/a.yaml")),
            [incidents.join("a.yaml")]
        );
        assert_eq!(
            reaching(&links, &incidents.join("c.yaml")),
            [incidents.join("alias.yaml")]
        );
        assert!(reaching(&links, &top.join("elsewhere/b.yaml")).is_empty());
        assert!(links.is_link(&incidents.join("a.yaml")));
        assert!(!links.is_link(&incidents.join("b.yaml")));
        assert!(!links.is_link(&incidents.join("c.yaml")));
        assert_eq!(
            links.folders(|_| false),
            BTreeSet::from([root.join("archive"), incidents.clone()])
        );
        assert_eq!(
            links.folders(|dir| dir == incidents),
            BTreeSet::from([root.join("archive")])
        );
    }

    #[test]
    fn linked_status_and_theme_files_count_and_targets_in_the_output_do_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("resolved");
        for folder in ["shared", "themes/mine", "public"] {
            std::fs::create_dir_all(root.join(folder)).expect("mkdir");
        }
        for file in ["shared/a.html", "shared/status.yaml", "public/p.yaml"] {
            std::fs::write(root.join(file), "x").expect("write");
        }
        symlink("../../shared/a.html", root.join("themes/mine/a.html")).expect("link");
        symlink("shared/status.yaml", root.join("status.yaml")).expect("link");
        std::fs::create_dir(root.join("incidents")).expect("mkdir");
        symlink("../public/p.yaml", root.join("incidents/p.yaml")).expect("link");
        let links = Links::scan(&root, &root.join("public"));
        assert_eq!(
            reaching(&links, &root.join("shared/a.html")),
            [root.join("themes/mine/a.html")]
        );
        assert_eq!(
            reaching(&links, &root.join("shared/status.yaml")),
            [root.join("status.yaml")]
        );
        assert!(!links.is_link(&root.join("incidents/p.yaml")));
        assert!(links.complete);
    }

    #[test]
    fn files_of_a_linked_folder_lead_to_the_folder_they_are_in() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("resolved");
        std::fs::create_dir_all(root.join("data/incidents")).expect("mkdir");
        std::fs::write(root.join("data/incidents/a.yaml"), "x").expect("write");
        symlink("data/incidents", root.join("incidents")).expect("link");
        let links = Links::scan(&root, &root.join("public"));
        assert_eq!(
            reaching(&links, &root.join("data/incidents/a.yaml")),
            [root.join("incidents/a.yaml")]
        );
    }
}
