//! `candor new`: the file of a new incident, or of a maintenance window, as the first minute
//! needs it — its start, severity, summary, first message and the services hit, each with
//! its impact — checked by the loader before it is written.
//!
//! Never replaces a file, and never writes one that `candor check` would refuse.

use super::files::{SiteInfo, free_name, write_new};
use super::flag::{self, FlagError};
use super::template::{self, NewText};
use super::verdict::{Status, check_files};
use super::{AuthoringError, EditError, Written, passing, stamp, title_slug, yaml_text};
use crate::error::Diagnostic;
use crate::load::words::{IMPACT, SEVERITY};
use crate::model::{Impact, Time};
use std::path::Path;

/// The impact of a `--service` given without an `--impact` in an incident. Someone who names
/// a service while opening an incident most likely sees it down, and understating an outage on
/// the public page is the worse mistake; the next update lowers it.
pub const DEFAULT_IMPACT: Impact = Impact::MajorOutage;

/// What `candor new` was asked to write. Times are instants: the command line read them in
/// the site zone.
#[derive(Debug, Clone)]
pub struct NewIncident<'a> {
    pub title: &'a str,
    pub services: &'a [String],
    /// One per service in order, or one for all, or none (the default impact).
    pub impacts: &'a [String],
    pub start: Time,
    /// A maintenance window's planned end.
    pub end: Option<Time>,
    pub severity: Option<&'a str>,
    pub summary: Option<&'a str>,
    /// The first update's text.
    pub message: Option<&'a str>,
    pub maintenance: bool,
}

/// Writes `incidents/YYYY-MM-DD-SLUG.yaml` (the date of its start in the site zone; an
/// existing file is never replaced: `-2`, `-3`, … are appended) with its first update posted
/// `now`: `investigating`, or a maintenance window's `scheduled` announcement. The severity,
/// when not given, is `major` when a service has a `major_outage`, else `minor`.
pub fn new_incident(root: &Path, new: &NewIncident, now: Time) -> Result<Written, AuthoringError> {
    let site = SiteInfo::read(root)?;
    let title = checked_title(new.title)?;
    let pairs = pair_impacts(new)?;
    let hit = services_hit(&site, &pairs)?;
    if let Some(word) = new.severity.filter(|w| SEVERITY.find(w).is_none()) {
        return Err(FlagError::whole(
            "--severity",
            word,
            format!("unknown severity `{word}`"),
            SEVERITY.help(word),
        )
        .into());
    }
    if let Some(end) = new.end.filter(|end| *end <= new.start) {
        return Err(FlagError::whole(
            "--end",
            &stamp(end, site.tz),
            format!(
                "the window would end before it starts (`--start {}`)",
                stamp(new.start, site.tz)
            ),
            "give an `--end` after `--start`, as a time in the site's zone: \
             `--end \"YYYY-MM-DD HH:MM\"`"
                .into(),
        )
        .into());
    }
    for (field, text) in [("summary", new.summary), ("message", new.message)] {
        if let Some(character) = text.and_then(yaml_text::unwritable) {
            return Err(invalid(EditError::Unwritable { field, character }));
        }
    }

    let (start, end, posted) = (
        stamp(new.start, site.tz),
        new.end.map(|end| stamp(end, site.tz)),
        stamp(now, site.tz),
    );
    let dir = root.join("incidents");
    let text = template::incident_text(&NewText {
        title,
        maintenance: new.maintenance,
        severity: new.severity,
        start: &start,
        end: end.as_deref(),
        summary: text_of(new.summary),
        services: &hit,
        posted: &posted,
        message: text_of(new.message),
    })
    .map_err(|error| AuthoringError::in_file(&dir, error))?;
    let stem = format!(
        "{}-{}",
        new.start.with_timezone(&site.tz).format("%Y-%m-%d"),
        title_slug(title)
    );
    let name = free_name(&dir, &stem);
    let found = check_files(Status::Loaded(&site.context), &[(&name, &text)], now, root)?;
    let mut warnings = passing(found, &dir.join(&name), false)?;
    let path = write_new(&dir, &stem, &text)?;
    if let Some(taken) = renamed(&path, &stem) {
        warnings.push(taken);
    }
    Ok(Written {
        paths: vec![path],
        warnings,
        said: Vec::new(),
    })
}

/// When a same-day incident of the same title took `STEM.yaml`, this one is `STEM-2`: a warning
/// saying so, since every later command names it by that slug.
fn renamed(path: &Path, stem: &str) -> Option<Diagnostic> {
    let slug = path.file_stem()?.to_str()?;
    (slug != stem).then(|| {
        Diagnostic::warning(
            crate::error::Code::SlugRenamed,
            &format!("incidents/{slug}.yaml"),
            format!("`incidents/{stem}.yaml` already exists, so this incident is `{slug}`"),
        )
        .with_help(format!(
            "name it `{slug}` in `candor update`; if it is the same incident, delete this file \
             and post to `{stem}` instead"
        ))
    })
}

fn invalid(error: EditError) -> AuthoringError {
    AuthoringError::Invalid {
        message: error.to_string(),
        help: error.help(),
    }
}

/// The title, trimmed: one line that a YAML file can hold.
fn checked_title(title: &str) -> Result<&str, AuthoringError> {
    let title = title.trim();
    // Every line break YAML knows, not only `\n`: the title is one line on every page.
    if title.is_empty() || title.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        return Err(AuthoringError::Invalid {
            message: "the title must be one line of text".into(),
            help: Some("like `candor new \"Login fails for some users\"`".into()),
        });
    }
    if let Some(character) = yaml_text::unwritable(title) {
        return Err(invalid(EditError::Unwritable {
            field: "title",
            character,
        }));
    }
    Ok(title)
}

/// Pairs `--service` and `--impact`: the n-th `--impact` goes with the n-th `--service`, one
/// `--impact` goes with all of them, and none gives each the default (`major_outage`, or
/// `under_maintenance` in a maintenance window). Any other count is refused: a guess would
/// put a wrong status on the public page.
pub fn pair_impacts(new: &NewIncident) -> Result<Vec<(String, String)>, AuthoringError> {
    let (services, impacts) = (new.services, new.impacts);
    let default = if new.maintenance {
        Impact::UnderMaintenance
    } else {
        DEFAULT_IMPACT
    };
    if let Some(word) = impacts.iter().find(|w| w.as_str() == "under_maintenance")
        && !new.maintenance
    {
        return Err(AuthoringError::Invalid {
            message: format!("`--impact {word}` is for maintenance windows, and this is an incident"),
            help: Some("for planned work, write a maintenance window: `candor new \"Title\" --maintenance --start \"2026-12-01 01:00\" --end \"2026-12-01 03:00\" --service ID`".into()),
        });
    }
    if let Some(word) = impacts.iter().find(|w| w.as_str() != "under_maintenance")
        && new.maintenance
    {
        return Err(FlagError::whole(
            "--impact",
            word,
            format!("a maintenance window's impact is `under_maintenance`, not `{word}`"),
            "leave out --impact (a window's services are under maintenance); if the work \
             broke something, that is an incident: `candor new \"Title\" --service ID --impact LEVEL`"
                .into(),
        )
        .into());
    }
    let impact_of = |i: usize| match impacts {
        [] => default.as_str().to_owned(),
        [one] => one.clone(),
        many => many[i].clone(),
    };
    if impacts.len() > 1 && impacts.len() != services.len()
        || services.is_empty() && !impacts.is_empty()
    {
        return Err(AuthoringError::Invalid {
            message: format!(
                "{} --service and {} --impact",
                services.len(),
                impacts.len()
            ),
            help: Some("give one --impact per --service, in the same order (`--service api --impact partial_outage --service web --impact major_outage`), or one --impact for all of them".into()),
        });
    }
    Ok(services
        .iter()
        .enumerate()
        .map(|(i, id)| (id.clone(), impact_of(i)))
        .collect())
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
            .ok_or_else(|| flag::unknown_impact("--impact", word, word))?;
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

/// A text given on the command line, trimmed; `None` when empty.
fn text_of(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|s| !s.is_empty())
}
