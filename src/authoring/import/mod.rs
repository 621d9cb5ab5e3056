//! `candor import statuspage`: a new site from a saved Statuspage export — status.yaml's
//! services from the components, an incident file per incident and scheduled maintenance.
//!
//! Like `init`, it only creates a site: a folder that already has a status.yaml is refused.
//! Everything it would write goes through the full loader first (`verdict`), so an export
//! candor cannot represent is refused with check's diagnostics and nothing is written.

mod convert;
mod statuspage;

use super::files::{create_new, write_new};
use super::verdict::{Status, check_files};
use super::{AuthoringError, Written, passing};
use crate::error::{Diagnostic, IoError};
use crate::model::Time;
use std::fs;
use std::path::{Path, PathBuf};

/// Writes into `dir` the site that the Statuspage export in `sources` (files, or folders of
/// `*.json`) describes, checked as of `now`. The returned warnings include what the export
/// said that candor's format cannot (as warnings on status.yaml).
pub fn import_statuspage(
    dir: &Path,
    sources: &[PathBuf],
    now: Time,
) -> Result<Written, AuthoringError> {
    let status = dir.join("status.yaml");
    if status.exists() {
        return Err(AuthoringError::SiteExists(dir.to_path_buf()));
    }
    let export = statuspage::read(sources).map_err(|e| AuthoringError::Invalid {
        message: format!("{}: {}", e.path.display(), e.message),
        help: Some(e.help.unwrap_or_else(|| {
            "give the JSON of Statuspage's public API v2 as saved: components.json, \
             incidents.json, scheduled-maintenances.json or summary.json (files, or folders of them)"
                .to_owned()
        })),
    })?;
    let site = convert::convert(&export).map_err(|e| AuthoringError::Invalid {
        message: format!("the export cannot be imported: {}", e.0),
        help: None,
    })?;
    let files: Vec<(String, &str)> = (site.incidents.iter())
        .map(|(stem, text)| (format!("{stem}.yaml"), text.as_str()))
        .collect();
    let named: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    let near = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let found = check_files(Status::Text(&site.status_yaml), &named, now, near)?;
    let mut warnings = passing(found, dir, false)?;
    warnings.extend((site.notes.iter()).map(|note| {
        Diagnostic::warning(crate::error::Code::ImportNote, "status.yaml", note.clone())
    }));
    fs::create_dir_all(dir).map_err(|e| IoError::new("creating", dir, e))?;
    if !create_new(&status, &site.status_yaml)? {
        return Err(AuthoringError::SiteExists(dir.to_path_buf()));
    }
    let mut paths = vec![status];
    let incidents = dir.join("incidents");
    for (stem, text) in &site.incidents {
        paths.push(write_new(&incidents, stem, text)?);
    }
    let gitignore = dir.join(".gitignore");
    if create_new(&gitignore, "/public\n/.candor-*\n")? {
        paths.push(gitignore);
    }
    Ok(Written {
        paths,
        warnings,
        said: Vec::new(),
    })
}
