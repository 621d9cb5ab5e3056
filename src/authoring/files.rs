//! The files `new`, `update` and `init` touch: what they read from `status.yaml`, and writes
//! that a reader never sees half done.

use super::AuthoringError;
use crate::error::IoError;
use chrono_tz::Tz;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use yaml_serde::Value;

/// What the edits need from `status.yaml`: its zone and its services as (id, name).
pub(super) struct SiteInfo {
    pub(super) tz: Tz,
    services: Vec<(String, String)>,
}

impl SiteInfo {
    pub(super) fn read(root: &Path) -> Result<SiteInfo, AuthoringError> {
        let path = root.join("status.yaml");
        if !path.is_file() {
            return Err(AuthoringError::NoSite(root.to_path_buf()));
        }
        let text = read_text(root, &path)?;
        let unreadable = |message: String| AuthoringError::Unreadable {
            path: path.clone(),
            message,
        };
        let value: Value = yaml_serde::from_str(&text).map_err(|e| unreadable(e.to_string()))?;
        let tz = match value.get("timezone") {
            None | Some(Value::Null) => Tz::UTC,
            Some(zone) => zone
                .as_str()
                .and_then(|name| name.parse::<Tz>().ok())
                .ok_or_else(|| unreadable("`timezone` is not an IANA zone name".into()))?,
        };
        let services = value
            .get("services")
            .and_then(Value::as_sequence)
            .map(|list| {
                list.iter()
                    .filter_map(|s| {
                        let id = s.get("id")?.as_str()?.to_owned();
                        let name = s
                            .get("name")
                            .and_then(Value::as_str)
                            .unwrap_or(&id)
                            .to_owned();
                        Some((id, name))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(SiteInfo { tz, services })
    }

    /// The display name of service `id`, which status.yaml must list.
    pub(super) fn service_name(&self, id: &str) -> Result<&str, AuthoringError> {
        match self.services.iter().find(|(known, _)| known == id) {
            Some((_, name)) => Ok(name),
            None => Err(AuthoringError::UnknownService {
                id: id.to_owned(),
                known: self.services.iter().map(|(k, _)| k.clone()).collect(),
            }),
        }
    }
}

/// The text of an input file, with the limits and checks `load` applies to every input.
pub(super) fn read_text(root: &Path, path: &Path) -> Result<String, AuthoringError> {
    crate::load::read_input(root, path)?.map_err(|d| AuthoringError::Unreadable {
        path: path.to_path_buf(),
        message: d.message,
    })
}

/// The slugs in `incidents/`, for a "did you mean"; none when the folder cannot be read.
pub(super) fn incident_stems(root: &Path) -> Vec<String> {
    let Ok(read) = fs::read_dir(root.join("incidents")) else {
        return Vec::new();
    };
    read.filter_map(|e| {
        e.ok()?
            .file_name()
            .to_str()?
            .strip_suffix(".yaml")
            .map(str::to_owned)
    })
    .collect()
}

/// A hidden name beside `path`, unique per process, so the rename stays on one file system.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `text` to `path` and syncs it, so a rename after it never exposes an empty file.
fn write_synced(path: &Path, text: &str) -> Result<(), IoError> {
    let mut file = fs::File::create(path).map_err(|e| IoError::new("writing", path, e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| IoError::new("writing", path, e))
}

/// Replaces `path` by a temp file renamed over it, so a reader (or `serve`) never sees half a
/// file; keeps its permissions, and writes through a symlink to its target.
pub(super) fn write_atomic(path: &Path, text: &str) -> Result<(), IoError> {
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let temp = temp_path(&target);
    write_synced(&temp, text)?;
    if let Ok(meta) = fs::metadata(&target) {
        // Best effort: a file system without permissions keeps the defaults.
        let _ = fs::set_permissions(&temp, meta.permissions());
    }
    fs::rename(&temp, &target).map_err(|e| {
        let _ = fs::remove_file(&temp);
        IoError::new("replacing", &target, e)
    })
}

/// Creates `path` with `text` unless it exists (then `false`), never showing a half-written file.
pub(super) fn create_new(path: &Path, text: &str) -> Result<bool, IoError> {
    let temp = temp_path(path);
    write_synced(&temp, text)?;
    // A hard link fails if the name is taken, so two writers never replace each other.
    let result = match fs::hard_link(&temp, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        // No hard links on this file system: check, then rename.
        Err(_) if path.exists() => Ok(false),
        Err(_) => fs::rename(&temp, path)
            .map(|()| true)
            .map_err(|e| IoError::new("writing", path, e)),
    };
    let _ = fs::remove_file(&temp);
    result
}

/// Writes `dir/STEM.yaml`, or `STEM-2.yaml`, `STEM-3.yaml`, … if taken; returns the path.
pub(super) fn write_new(dir: &Path, stem: &str, text: &str) -> Result<PathBuf, IoError> {
    fs::create_dir_all(dir).map_err(|e| IoError::new("creating", dir, e))?;
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{stem}.yaml")
        } else {
            format!("{stem}-{n}.yaml")
        };
        let path = dir.join(name);
        if !path.exists() && create_new(&path, text)? {
            return Ok(path);
        }
    }
    let taken = std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "999 files with this name exist",
    );
    Err(IoError::new(
        "writing",
        dir.join(format!("{stem}.yaml")),
        taken,
    ))
}
