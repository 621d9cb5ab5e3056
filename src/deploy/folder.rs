//! A folder target: a web server's root on this machine, a mounted share. Each file is
//! written beside its place and renamed over it, so a reader never gets half a file.
//!
//! Never writes outside the target folder, never writes into the output folder, and never
//! removes a file the built site does not list as gone (`plan`).

use super::{LocalFile, Moved, TargetError, checked_plan, marker_file, md5_hex, moved, relative};
use crate::error::IoError;
use std::collections::BTreeMap;
use std::path::Path;

/// `outs`: the folder `files` were read from and the output folder, when they differ (a
/// mirror's copy): the target may lie in neither.
pub(super) fn publish(
    folder: &Path,
    outs: &[&Path],
    files: &[LocalFile],
    dry_run: bool,
) -> Result<Moved, TargetError> {
    if outs.iter().any(|out| inside(folder, out)) {
        return Err(TargetError::InsideOutput);
    }
    let remote = listing(folder)?;
    let plan = checked_plan(files, &remote)?;
    if !dry_run {
        if !remote.contains_key(super::plan::MARKER) {
            write(folder, &marker_file())?;
        }
        for file in &plan.uploads {
            write(folder, file)?;
        }
        for path in &plan.removals {
            remove(folder, path)?;
        }
    }
    Ok(moved(&plan))
}

/// Whether `folder` is `out` or lies in it (the next build would replace it).
fn inside(folder: &Path, out: &Path) -> bool {
    let (Ok(out), Some(folder)) = (out.canonicalize(), existing_ancestor(folder)) else {
        return false;
    };
    folder.starts_with(out)
}

/// `path` resolved through its nearest existing folder, for a target not created yet.
fn existing_ancestor(path: &Path) -> Option<std::path::PathBuf> {
    let mut rest = Vec::new();
    let mut at = path;
    loop {
        if let Ok(found) = at.canonicalize() {
            return Some(rest.iter().rev().fold(found, |p, name| p.join(name)));
        }
        rest.push(at.file_name()?.to_owned());
        at = at.parent()?;
    }
}

/// Every file in the folder with the MD5 of its bytes; an absent folder is empty. A folder
/// with entries but no marker is refused before anything in it is read (a typo like
/// `folder: /etc` must cost nothing). Symlinks in the target are not followed: a file put
/// at one replaces the link.
fn listing(folder: &Path) -> Result<BTreeMap<String, String>, TargetError> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries.count(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(IoError::new("reading", folder, e).into()),
    };
    if entries > 0 && !folder.join(super::plan::MARKER).is_file() {
        return Err(TargetError::NotOurs(entries));
    }
    let mut remote = BTreeMap::new();
    for entry in walkdir::WalkDir::new(folder)
        .min_depth(1)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(folder).to_path_buf();
            IoError::new("reading", path, e.into())
        })?;
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path())
                .map_err(|e| IoError::new("reading", entry.path(), e))?;
            remote.insert(relative(folder, entry.path()), md5_hex(&bytes));
        }
    }
    Ok(remote)
}

fn write(folder: &Path, file: &LocalFile) -> Result<(), TargetError> {
    let path = folder.join(&file.path);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| IoError::new("creating", parent, e))?;
    }
    let temporary = path.with_file_name(format!(
        ".{}.candor-new",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    std::fs::write(&temporary, &file.bytes).map_err(|e| IoError::new("writing", &temporary, e))?;
    std::fs::rename(&temporary, &path).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        IoError::new("replacing", &path, e).into()
    })
}

/// Removes the file, then each folder above it that it left empty.
fn remove(folder: &Path, path: &str) -> Result<(), TargetError> {
    let full = folder.join(path);
    match std::fs::remove_file(&full) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(IoError::new("removing", &full, e).into()),
    }
    let mut dir = full.parent();
    while let Some(d) = dir.filter(|d| *d != folder && d.starts_with(folder)) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}
