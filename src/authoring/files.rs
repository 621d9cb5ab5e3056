//! The files `new`, `update` and `init` touch: what they need from `status.yaml` (read by the
//! loader, its one reader), the incident files they edit, and writes that a reader never sees
//! half done.
//!
//! Never writes anything but the file it was asked to, and never leaves a half-written one.

use super::AuthoringError;
use crate::error::{IoError, LoadError};
use crate::load::SiteContext;
use crate::walk::{self, Depth};
use chrono_tz::Tz;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What the edits need from `status.yaml`: its zone, its services, and the whole of it to
/// check the files written against.
pub(super) struct SiteInfo {
    pub(super) tz: Tz,
    pub(super) context: SiteContext,
}

impl SiteInfo {
    /// Reads `status.yaml` as `check` does (`load::load_status`). One with errors is refused
    /// with all of them, as `check` shows them: its zone or a service may be what is wrong, and
    /// an incident written against it would be dated or named wrongly.
    pub(super) fn read(root: &Path) -> Result<SiteInfo, AuthoringError> {
        let path = root.join("status.yaml");
        let refused = |diagnostics| AuthoringError::Refused {
            path: path.clone(),
            before: true,
            diagnostics,
        };
        let status =
            crate::load::load_status(root, crate::theme::languages).map_err(|e| match e {
                LoadError::NoSite(root) => AuthoringError::NoSite(root),
                LoadError::Io(e) => AuthoringError::Io(e),
                LoadError::Invalid(diagnostics) => refused(diagnostics),
            })?;
        if status.diagnostics.iter().any(|d| d.is_error()) {
            return Err(refused(status.diagnostics));
        }
        // The loader reports why whenever it has no context, so this is a fallback only.
        let context = status.context.ok_or_else(|| AuthoringError::Unreadable {
            path: path.clone(),
            message: "the file does not parse".into(),
        })?;
        Ok(SiteInfo {
            tz: context.config.timezone,
            context,
        })
    }

    /// The display name of service `id`, typed as `--service`, which status.yaml must list.
    pub(super) fn service_name(&self, id: &str) -> Result<&str, AuthoringError> {
        let services = &self.context.services;
        match services.iter().find(|s| s.id == id) {
            Some(service) => Ok(&service.name),
            None => {
                let known: Vec<&str> = services.iter().map(|s| s.id.as_str()).collect();
                Err(super::flag::unknown_service("--service", id, id, &known).into())
            }
        }
    }
}

/// The text of an input file, with the limits and checks `load` applies to every input; a file
/// they refuse (too large, not UTF-8) fails `check` already.
pub(super) fn read_text(root: &Path, path: &Path) -> Result<String, AuthoringError> {
    crate::load::read_input(root, path)?.map_err(|d| AuthoringError::Refused {
        path: path.to_path_buf(),
        before: true,
        diagnostics: vec![d],
    })
}

/// The slugs in `incidents/`, for a "did you mean"; none when the folder cannot be read.
pub(super) fn incident_stems(root: &Path) -> Vec<String> {
    let files = walk::files(root, &root.join("incidents"), Depth::Top).unwrap_or_default();
    files
        .iter()
        .filter_map(|path| path.file_name()?.to_str()?.strip_suffix(".yaml"))
        .map(str::to_owned)
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
/// Whether the file at `path` starts with a UTF-8 byte-order mark, which the loader drops and
/// an edit must write back: some Windows editors add it and expect it kept.
pub(super) fn has_bom(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 3];
    fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head == *b"\xEF\xBB\xBF")
}

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

/// The names a new file `STEM` may take in turn: `STEM.yaml`, `STEM-2.yaml`, … `STEM-999.yaml`.
fn names(stem: &str) -> impl Iterator<Item = String> + '_ {
    (1..1000).map(move |n| match n {
        1 => format!("{stem}.yaml"),
        n => format!("{stem}-{n}.yaml"),
    })
}

/// The name `write_new` would give a file `STEM` in `dir` now (another writer may take it
/// first; the next differs only by its `-N`, which keeps a slug a slug).
pub(super) fn free_name(dir: &Path, stem: &str) -> String {
    names(stem)
        .find(|name| !dir.join(name).exists())
        .unwrap_or_else(|| format!("{stem}.yaml"))
}

/// Writes `dir/STEM.yaml`, or `STEM-2.yaml`, `STEM-3.yaml`, … if taken; returns the path.
pub(super) fn write_new(dir: &Path, stem: &str, text: &str) -> Result<PathBuf, IoError> {
    fs::create_dir_all(dir).map_err(|e| IoError::new("creating", dir, e))?;
    for name in names(stem) {
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
