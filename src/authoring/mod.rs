//! `new`, `update` and `init`: write incident files, and edit them as text so that every byte
//! the team wrote (comments, order, quoting) stays as it was.
//!
//! The text edits (`edit_append_update`, `edit_mark_restored`) are pure functions; the public
//! functions around them read `status.yaml` for the zone, check the words, and write atomically.
//! Every edit is verified before anything is written: the new text must parse to exactly the old
//! YAML plus the intended change, so a layout these edits do not understand is refused, never
//! corrupted.
//!
//! This file holds the public functions; the submodules hold their parts: `error` the error
//! types, `files` reading and writing, `slug` file names, `template` the text of new files,
//! `edit` the text edits, `layout` how those read a file's lines, `yaml_text` YAML scalars.

mod edit;
mod error;
mod files;
mod layout;
mod slug;
mod template;
#[cfg(test)]
mod tests;
mod yaml_text;

pub use edit::{edit_append_update, edit_mark_restored};
pub use error::{AuthoringError, EditError};
pub use slug::{parse_slug, title_slug};

use crate::error::IoError;
use crate::load::words::{IMPACT, did_you_mean};
use crate::model::{Impact, Time};
use chrono::SecondsFormat;
use chrono_tz::Tz;
use files::{SiteInfo, create_new, incident_stems, read_text, write_atomic, write_new};
use std::fs;
use std::path::{Path, PathBuf};

/// The impact of a `--service` given without its `--impact`. Someone who names a service while
/// opening an incident most likely sees it down, and understating an outage on the public page
/// is the worse mistake; the next update or an edit lowers it.
pub const DEFAULT_IMPACT: Impact = Impact::MajorOutage;

/// One change to an incident file, as `candor update` asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit<'a> {
    /// Append an update stamped now.
    Update { status: &'a str, message: &'a str },
    /// Mark a service of the incident restored now.
    Restored { service: &'a str },
}

/// Pairs `--service` and `--impact` in order: the n-th `--impact` goes with the n-th
/// `--service`, and a service without one gets `DEFAULT_IMPACT` (`major_outage`).
pub fn pair_impacts(
    services: &[String],
    impacts: &[String],
) -> Result<Vec<(String, String)>, AuthoringError> {
    if impacts.len() > services.len() {
        return Err(AuthoringError::Invalid {
            message: format!("{} --impact for {} --service", impacts.len(), services.len()),
            help: Some("each --impact goes with the --service before it: `--service api --impact partial_outage`".into()),
        });
    }
    Ok(services
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let impact = impacts
                .get(i)
                .map_or(DEFAULT_IMPACT.as_str(), String::as_str);
            (id.clone(), impact.to_owned())
        })
        .collect())
}

/// Writes `incidents/YYYY-MM-DD-SLUG.yaml` for a new incident starting `now`, with its first
/// `investigating` update, and returns its path. The date is `now`'s in the site timezone; an
/// existing file is never replaced (`-2`, `-3`, … are appended). `services` are (id, impact word)
/// pairs, checked against the impact words and the services of status.yaml. The severity is
/// `major` when a service has a `major_outage`, else `minor`; `critical` is the team's call.
pub fn new_incident(
    root: &Path,
    title: &str,
    services: &[(String, String)],
    now: Time,
) -> Result<PathBuf, AuthoringError> {
    let site = SiteInfo::read(root)?;
    let title = title.trim();
    if title.is_empty() || title.contains(['\n', '\r']) {
        return Err(AuthoringError::Invalid {
            message: "the title must be one line of text".into(),
            help: Some("like `candor new \"Login fails for some users\"`".into()),
        });
    }
    let hit = services_hit(&site, services)?;
    let dir = root.join("incidents");
    let text = template::incident_text(title, &hit, &stamp(now, site.tz))
        .map_err(|error| AuthoringError::in_file(&dir, error))?;
    let stem = format!(
        "{}-{}",
        now.with_timezone(&site.tz).format("%Y-%m-%d"),
        title_slug(title)
    );
    Ok(write_new(&dir, &stem, &text)?)
}

/// The `(id, impact, name)` of each (id, impact word) pair, in order; refuses an unknown impact,
/// a service status.yaml does not list, and a service given twice.
fn services_hit<'a>(
    site: &'a SiteInfo,
    services: &'a [(String, String)],
) -> Result<Vec<(&'a str, Impact, &'a str)>, AuthoringError> {
    let mut hit: Vec<(&str, Impact, &str)> = Vec::with_capacity(services.len());
    for (id, word) in services {
        let impact = IMPACT
            .find(word)
            .ok_or_else(|| AuthoringError::UnknownImpact(word.clone()))?;
        let name = site.service_name(id)?;
        if hit.iter().any(|(seen, _, _)| *seen == id.as_str()) {
            return Err(AuthoringError::Invalid {
                message: format!("--service {id} is given twice"),
                help: None,
            });
        }
        hit.push((id.as_str(), impact, name));
    }
    Ok(hit)
}

/// Applies `edits` in order to `incidents/SLUG.yaml` and writes the file once, atomically: if any
/// edit is refused, the file stays as it was. `slug` may also be given as `incidents/SLUG.yaml`.
pub fn edit_incident(
    root: &Path,
    slug: &str,
    edits: &[Edit],
    now: Time,
) -> Result<PathBuf, AuthoringError> {
    let slug = parse_slug(slug)?;
    if edits.is_empty() {
        return Err(AuthoringError::Invalid {
            message: "nothing to change".into(),
            help: Some("give --status and --message, or --restored SERVICE".into()),
        });
    }
    let site = SiteInfo::read(root)?;
    let path = root.join("incidents").join(format!("{slug}.yaml"));
    if !path.is_file() {
        let stems = incident_stems(root);
        let similar = did_you_mean(slug, stems.iter().map(String::as_str)).map(str::to_owned);
        return Err(AuthoringError::NoIncident {
            slug: slug.to_owned(),
            path,
            similar,
        });
    }
    let at = stamp(now, site.tz);
    let mut text = read_text(root, &path)?;
    for edit in edits {
        let edited = match *edit {
            Edit::Update { status, message } => edit_append_update(&text, &at, status, message),
            Edit::Restored { service } => edit_mark_restored(&text, service, &at),
        };
        text = edited.map_err(|error| AuthoringError::in_file(&path, error))?;
    }
    write_atomic(&path, &text)?;
    Ok(path)
}

/// Scaffolds a site in `dir`: a commented `status.yaml`, one resolved example incident two days
/// before `now` (it builds without warnings at `now`), and a `.gitignore` with `/public` when the
/// folder has none. Refuses a folder that already has a `status.yaml`. Returns the files written.
pub fn init(dir: &Path, now: Time) -> Result<Vec<PathBuf>, AuthoringError> {
    let status = dir.join("status.yaml");
    if status.exists() {
        return Err(AuthoringError::SiteExists(dir.to_path_buf()));
    }
    fs::create_dir_all(dir).map_err(|e| IoError::new("creating", dir, e))?;
    if !create_new(&status, template::STATUS_YAML)? {
        return Err(AuthoringError::SiteExists(dir.to_path_buf()));
    }
    let mut written = vec![status];
    let (stem, text) = template::example_incident(now);
    written.push(write_new(&dir.join("incidents"), &stem, &text)?);
    let gitignore = dir.join(".gitignore");
    // The build output, and the staging folders and build record candor keeps beside it.
    if create_new(&gitignore, "/public\n/.candor-*\n")? {
        written.push(gitignore);
    }
    Ok(written)
}

/// An instant as RFC 3339 in the site zone, whole seconds: `2022-10-15T16:12:00+09:00`.
fn stamp(now: Time, tz: Tz) -> String {
    now.with_timezone(&tz)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}
