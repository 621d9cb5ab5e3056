//! `new`, `update` and `init`: write incident files, and edit them as text so that every byte
//! the team wrote (comments, order, quoting) stays as it was.
//!
//! The text edits (`edit_append_update`, `edit_mark_restored`) are pure functions; the public
//! functions around them read `status.yaml` for the zone, check the words, and write atomically.
//! Everything is verified before anything is written, twice: an edit must parse to exactly the
//! old YAML plus the intended change, so a layout the edits do not understand is refused, never
//! corrupted; and every file written must pass the full loader, as `candor check` runs it
//! (`verdict`, one path for all three commands), so authoring never writes a file that the
//! build would refuse.
//!
//! This file holds the public functions; the submodules hold their parts: `error` the error
//! types, `files` reading and writing, `slug` file names, `template` the text of new files,
//! `edit` the text edits, `layout` how those read a file's lines, `readback` how an edit is read
//! back, `yaml_text` YAML scalars, `verdict` the loader's check.

mod edit;
mod error;
mod files;
mod import;
mod layout;
mod readback;
mod slug;
mod template;
#[cfg(test)]
mod tests;
mod verdict;
mod yaml_text;

pub use edit::{edit_append_update, edit_mark_restored};
pub use error::{AuthoringError, EditError};
pub use import::import_statuspage;
pub use slug::{parse_slug, title_slug};

use crate::error::{Diagnostic, IoError};
use crate::load::words::{IMPACT, did_you_mean};
use crate::model::{Impact, Time};
use chrono::SecondsFormat;
use chrono_tz::Tz;
use files::{SiteInfo, create_new, free_name, incident_stems, read_text, write_atomic, write_new};
use std::fs;
use std::path::{Path, PathBuf};
use verdict::{Status, check_files};

/// What a command wrote, and the warnings `candor check` gives those files (errors would have
/// stopped it before it wrote anything).
#[derive(Debug)]
pub struct Written {
    pub paths: Vec<PathBuf>,
    pub warnings: Vec<Diagnostic>,
}

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
) -> Result<Written, AuthoringError> {
    let site = SiteInfo::read(root)?;
    let title = title.trim();
    // Every line break YAML knows, not only `\n`: the title is one line on every page.
    if title.is_empty() || title.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        return Err(AuthoringError::Invalid {
            message: "the title must be one line of text".into(),
            help: Some("like `candor new \"Login fails for some users\"`".into()),
        });
    }
    if let Some(character) = yaml_text::unwritable(title) {
        let error = EditError::Unwritable {
            field: "title",
            character,
        };
        return Err(AuthoringError::Invalid {
            message: error.to_string(),
            help: error.help(),
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
    let name = free_name(&dir, &stem);
    let found = check_files(Status::Loaded(&site.context), &[(&name, &text)], now, root)?;
    let warnings = passing(found, &dir.join(&name), false)?;
    let path = write_new(&dir, &stem, &text)?;
    Ok(Written {
        paths: vec![path],
        warnings,
    })
}

/// The warnings of `found`, the loader's verdict on what a command would write at `path`; or,
/// when any is an error, the refusal with all of them. `before`: the file failed already.
fn passing(
    found: Vec<Diagnostic>,
    path: &Path,
    before: bool,
) -> Result<Vec<Diagnostic>, AuthoringError> {
    if found.iter().any(Diagnostic::is_error) {
        Err(AuthoringError::Refused {
            path: path.to_path_buf(),
            before,
            diagnostics: found,
        })
    } else {
        Ok(found)
    }
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
/// edit is refused, or the result would fail `candor check`, the file stays as it was. `slug`
/// may also be given as `incidents/SLUG.yaml`.
///
/// A file that fails `check` already is refused too, with its errors: a build stops at it, so
/// an update written into it would reach no one, and exit 0 must mean "posted"
/// (docs/decisions.md).
pub fn edit_incident(
    root: &Path,
    slug: &str,
    edits: &[Edit],
    now: Time,
) -> Result<Written, AuthoringError> {
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
    let name = format!("{slug}.yaml");
    let verdict =
        |text: &str| check_files(Status::Loaded(&site.context), &[(&name, text)], now, root);
    let old = read_text(root, &path)?;
    let mut text = old.clone();
    for edit in edits {
        let edited = match *edit {
            Edit::Update { status, message } => edit_append_update(&text, &at, status, message),
            Edit::Restored { service } => edit_mark_restored(&text, service, &at),
        };
        text = match edited {
            Ok(text) => text,
            Err(error) => {
                // An edit refused for the file's sake, on a file that fails `check`: the file
                // must be fixed first, and the loader says where and why, as `check` would.
                // A wrong word or text on the command line is named as such whatever the file.
                if error.is_about_the_file() {
                    passing(verdict(&old)?, &path, true)?;
                }
                return Err(AuthoringError::in_file(&path, error));
            }
        };
    }
    let warnings = match passing(verdict(&text)?, &path, false) {
        Ok(warnings) => warnings,
        Err(refused) => {
            // Name the errors the file had before as such: the fix is then the file's, not the command's.
            passing(verdict(&old)?, &path, true)?;
            return Err(refused);
        }
    };
    write_atomic(&path, &text)?;
    Ok(Written {
        paths: vec![path],
        warnings,
    })
}

/// Scaffolds a site in `dir`: a commented `status.yaml`, one resolved example incident two days
/// before `now` (it builds without warnings at `now`), and a `.gitignore` with `/public` when the
/// folder has none. Refuses a folder that already has a `status.yaml`, and a site that would fail
/// `candor check` (a `now` so early the example falls before the years a site may use).
/// Returns the files written.
pub fn init(dir: &Path, now: Time) -> Result<Written, AuthoringError> {
    let status = dir.join("status.yaml");
    if status.exists() {
        return Err(AuthoringError::SiteExists(dir.to_path_buf()));
    }
    let (stem, text) = template::example_incident(now);
    // The site counts from its example incident's day: a bar of 90 green days before the site
    // existed would claim uptime nobody measured.
    let status_text = template::status_yaml(template::example_start(now).date_naive());
    let incidents = dir.join("incidents");
    let name = free_name(&incidents, &stem);
    let found = check_files(
        Status::Text(&status_text),
        &[(&name, &text)],
        now,
        dir.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    )?;
    let warnings = passing(found, dir, false)?;
    fs::create_dir_all(dir).map_err(|e| IoError::new("creating", dir, e))?;
    if !create_new(&status, &status_text)? {
        return Err(AuthoringError::SiteExists(dir.to_path_buf()));
    }
    let mut paths = vec![status];
    paths.push(write_new(&incidents, &stem, &text)?);
    let gitignore = dir.join(".gitignore");
    // The build output, and the staging folders and build record candor keeps beside it.
    if create_new(&gitignore, "/public\n/.candor-*\n")? {
        paths.push(gitignore);
    }
    Ok(Written { paths, warnings })
}

/// An instant as RFC 3339 in the site zone, whole seconds: `2022-10-15T16:12:00+09:00`.
fn stamp(now: Time, tz: Tz) -> String {
    now.with_timezone(&tz)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}
