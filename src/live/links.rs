//! Inputs reached through a symlink (`incidents/a.yaml` → `../shared/a.yaml`, a linked
//! `status.yaml` or theme file): where each points inside the site, so the watcher watches the
//! target's folder and maps an edit of the target back to the input that names it. An editor
//! saves the target, not the link, and native events name the file saved (case 14).
//!
//! Targets outside the site are not watched: the build refuses them. Never reads a file's
//! contents; only lists folders and resolves links.

use crate::walk::{self, Depth};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The symlinked inputs of a site, by the resolved file each reaches.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Links {
    by_target: BTreeMap<PathBuf, Vec<PathBuf>>,
    inputs: BTreeSet<PathBuf>,
    /// Whether every folder could be listed: when one could not, the build reports why, and
    /// the links are looked for again at the next change.
    pub(crate) complete: bool,
}

impl Links {
    /// The inputs under `root` (resolved) that reach a file elsewhere inside `root` and
    /// outside `output`: status.yaml, the files of incidents/ and of themes/, as the build lists them.
    pub(crate) fn of(root: &Path, output: &Path) -> Links {
        let mut resolved_dirs = HashMap::new();
        let mut links = Links {
            complete: true,
            ..Links::default()
        };
        let mut list = |dir: &str, depth| {
            let files = walk::files(&root.join(dir), depth);
            links.complete &= files.is_ok();
            files.unwrap_or_default()
        };
        let inputs: Vec<PathBuf> = std::iter::once(root.join("status.yaml"))
            .chain(list("incidents", Depth::Top))
            .chain(list("themes", Depth::All))
            .collect();
        for input in inputs {
            let Some(target) = target(&input, &mut resolved_dirs) else {
                continue;
            };
            if target != input && target.starts_with(root) && !target.starts_with(output) {
                links
                    .by_target
                    .entry(target)
                    .or_default()
                    .push(input.clone());
                links.inputs.insert(input);
            }
        }
        links
    }

    /// The inputs an event on `path` changes through a link.
    pub(crate) fn inputs_reaching(&self, path: &Path) -> &[PathBuf] {
        self.by_target.get(path).map_or(&[], Vec::as_slice)
    }

    /// Whether `input` was one of the linked inputs.
    pub(crate) fn is_linked(&self, input: &Path) -> bool {
        self.inputs.contains(input)
    }

    /// The folders holding a target, except those `covered` says are watched already (a
    /// second inotify watch on one folder would take over the first one's events).
    pub(crate) fn folders(&self, covered: impl Fn(&Path) -> bool) -> BTreeSet<PathBuf> {
        (self.by_target.keys())
            .filter_map(|target| target.parent())
            .filter(|dir| !covered(dir))
            .map(Path::to_path_buf)
            .collect()
    }
}

/// Where `input` really is: resolved when it is a link, else its resolved folder joined with
/// its name (a file in a linked folder is reached through a link too). Resolving each folder
/// once keeps a site of 10,000 plain files cheap.
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

    #[test]
    fn links_inside_the_site_map_to_their_targets_and_others_are_left_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("site");
        for folder in ["incidents", "shared", "themes/mine", "public"] {
            std::fs::create_dir_all(root.join(folder)).expect("mkdir");
        }
        let root = root.canonicalize().expect("resolved");
        for file in [
            "shared/a.yaml",
            "incidents/plain.yaml",
            "shared/status.yaml",
        ] {
            std::fs::write(root.join(file), "x").expect("write");
        }
        std::fs::write(root.join("public/p.yaml"), "x").expect("write");
        symlink(root.join("shared/a.yaml"), root.join("incidents/a.yaml")).expect("link");
        symlink("../../shared/a.yaml", root.join("themes/mine/a.yaml")).expect("link");
        symlink(root.join("shared/status.yaml"), root.join("status.yaml")).expect("link");
        symlink(root.join("public/p.yaml"), root.join("incidents/p.yaml")).expect("link");
        let links = Links::of(&root, &root.join("public"));
        assert_eq!(
            links.inputs_reaching(&root.join("shared/a.yaml")),
            [
                root.join("incidents/a.yaml"),
                root.join("themes/mine/a.yaml")
            ]
        );
        assert_eq!(
            links.inputs_reaching(&root.join("shared/status.yaml")),
            [root.join("status.yaml")]
        );
        assert!(links.is_linked(&root.join("incidents/a.yaml")));
        for not_linked in ["incidents/plain.yaml", "incidents/p.yaml"] {
            assert!(!links.is_linked(&root.join(not_linked)), "{not_linked}");
        }
        assert!(links.complete);
        let folders = links.folders(|dir| dir == root);
        assert_eq!(folders, BTreeSet::from([root.join("shared")]));
        assert!(links.folders(|dir| dir.ends_with("shared")).is_empty());
    }

    #[test]
    fn a_target_outside_the_site_is_not_watched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = dir.path().canonicalize().expect("resolved");
        let (root, outside) = (base.join("site"), base.join("outside.yaml"));
        std::fs::create_dir_all(root.join("incidents")).expect("mkdir");
        std::fs::write(&outside, "x").expect("write");
        symlink(&outside, root.join("incidents/outside.yaml")).expect("link");
        let links = Links::of(&root, &root.join("public"));
        assert!(!links.is_linked(&root.join("incidents/outside.yaml")));
        assert!(links.inputs_reaching(&outside).is_empty());
        assert!(links.folders(|_| false).is_empty());
    }

    #[test]
    fn files_of_a_linked_folder_reach_the_folder_they_are_in() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("resolved");
        std::fs::create_dir_all(root.join("data/incidents")).expect("mkdir");
        std::fs::write(root.join("data/incidents/a.yaml"), "x").expect("write");
        symlink(root.join("data/incidents"), root.join("incidents")).expect("link");
        let links = Links::of(&root, &root.join("public"));
        assert_eq!(
            links.inputs_reaching(&root.join("data/incidents/a.yaml")),
            [root.join("incidents/a.yaml")]
        );
    }
}
