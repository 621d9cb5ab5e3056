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
mod entries;
mod error;
mod files;
mod flag;
mod import;
mod layout;
mod new;
mod readback;
mod slug;
mod template;
#[cfg(test)]
mod tests;
mod translate;
mod verdict;
mod yaml_text;

pub use edit::{edit_append_update, edit_mark_restored};
pub use error::{AuthoringError, EditError};
pub use flag::FlagError;
pub use import::import_statuspage;
pub use new::{DEFAULT_IMPACT, NewIncident, new_incident};
pub use slug::{parse_slug, title_slug};

use crate::error::{Code, Diagnostic, IoError};
use crate::load::words::did_you_mean;
use crate::model::Time;
use chrono::SecondsFormat;
use chrono_tz::Tz;
use entries::Field;
use files::{
    SiteInfo, create_new, free_name, has_bom, incident_stems, read_text, write_atomic, write_new,
};
use std::fs;
use std::path::{Path, PathBuf};
use verdict::{Status, check_files};

/// What a command wrote, and the warnings `candor check` gives those files (errors would have
/// stopped it before it wrote anything).
#[derive(Debug)]
pub struct Written {
    pub paths: Vec<PathBuf>,
    pub warnings: Vec<Diagnostic>,
    /// What it did that the command line did not spell out (which update a translation went
    /// to, a text it replaced), one sentence each.
    pub said: Vec<String>,
}

/// One change to an incident file, as `candor update` asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit<'a> {
    /// Append an update stamped now; without a status, in the incident's current one (after
    /// resolution: a follow-up note, which neither reopens it nor moves its end).
    Update {
        status: Option<&'a str>,
        message: &'a str,
    },
    /// Mark a service of the incident restored now; `force` moves a restoration already written.
    Restored { service: &'a str, force: bool },
    /// `SERVICE=LEVEL`: the service's impact changes now (a stage; a service not listed yet
    /// is added, hit from now).
    Stage {
        change: &'a str,
        note: Option<&'a str>,
    },
    /// A statement (or an apology), stamped now, attributed, with where it was published.
    Statement {
        apology: bool,
        by: &'a str,
        role: Option<&'a str>,
        statement: &'a str,
        link: Option<&'a str>,
    },
    /// The message of an update already posted, in `language` (one of the site's others): the
    /// update at `at` (a time typed as `--at`), else the latest published.
    Translate {
        language: &'a str,
        message: &'a str,
        at: Option<&'a str>,
    },
}

/// What the edits need to know besides the file: the stamp of now, and the site.
struct Context<'a> {
    at: &'a str,
    now: Time,
    site: &'a SiteInfo,
}

/// What the edits did that the person should hear of: warnings (with their code and help)
/// about what the public had seen, and plain sentences.
#[derive(Default)]
struct Notes {
    warnings: Vec<(Code, String, String)>,
    said: Vec<String>,
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
    let known: Vec<&str> = site
        .context
        .services
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    flag::check_edits(edits, &known, &site, &old, now)?;
    let mut text = old.clone();
    let mut notes = Notes::default();
    let context = Context {
        at: &at,
        now,
        site: &site,
    };
    for edit in edits {
        let edited = apply(&text, edit, &context, &mut notes);
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
    let bom = if has_bom(&path) { "\u{feff}" } else { "" };
    write_atomic(&path, &format!("{bom}{text}"))?;
    let file = format!("incidents/{name}");
    let mut warnings = warnings;
    warnings
        .extend((notes.warnings.into_iter()).map(|(code, message, help)| {
            Diagnostic::warning(code, &file, message).with_help(help)
        }));
    Ok(Written {
        paths: vec![path],
        warnings,
        said: notes.said,
    })
}

/// One edit applied to `text`, stamped `context.at`; `notes` gets the warnings of what it
/// changed that the public had already seen or may not expect (a restoration moved with
/// `--force`, a resolved incident reopened, a service added by a stage), and which update a
/// translation went to.
fn apply(
    text: &str,
    edit: &Edit,
    context: &Context,
    notes: &mut Notes,
) -> Result<String, EditError> {
    let at = context.at;
    let notices = &mut notes.warnings;
    match *edit {
        Edit::Update { status, message } => {
            let current = entries::current_status(text)?;
            let status = status.unwrap_or(&current);
            if current == "resolved" && status != "resolved" {
                notices.push((
                    Code::Reopened,
                    format!("this update reopens the resolved incident as `{status}`: the page, the API and the badges show it as ongoing again"),
                    "to add a note without reopening it, leave out --status (a follow-up note keeps \
                     `resolved`); if it did break again, say so in the message and add what is down \
                     with --impact SERVICE=LEVEL"
                        .into(),
                ));
            }
            edit_append_update(text, at, status, message)
        }
        Edit::Restored { service, force } => {
            if let Some(was) = entries::restored_of(text, service)? {
                if !force {
                    return Err(EditError::AlreadyRestored {
                        service: service.to_owned(),
                        at: was,
                    });
                }
                notices.push((
                    Code::RestoredMoved,
                    format!("`{service}` was restored at {was}; --force moved that to {at}"),
                    "the public page and feeds showed the earlier time; say why in an update"
                        .into(),
                ));
            }
            edit_mark_restored(text, service, at)
        }
        Edit::Stage { change, note } => {
            let (service, impact) =
                flag::parse_change(change).map_err(|e| EditError::Invalid(e.message))?;
            if !entries::lists_service(text, service)? {
                notices.push((
                    Code::ServiceAdded,
                    format!(
                        "`{service}` was not hit by this incident: it is added, {impact} from now"
                    ),
                    format!(
                        "if you meant a service the incident lists, remove the `- id: {service}` \
                             entry and run the command again with that service's id"
                    ),
                ));
            }
            entries::edit_add_stage(text, service, at, impact, note)
        }
        Edit::Statement {
            apology,
            by,
            role,
            statement,
            link,
        } => {
            let statement = statement.trim();
            if statement.is_empty() || by.trim().is_empty() {
                return Err(EditError::Invalid(
                    "the statement and --by must not be empty".into(),
                ));
            }
            let mut fields = vec![("at", Field::Line(at)), ("by", Field::Line(by.trim()))];
            if let Some(role) = role.map(str::trim).filter(|r| !r.is_empty()) {
                fields.push(("role", Field::Line(role)));
            }
            fields.push(("statement", Field::Block(statement)));
            if let Some(link) = link.map(str::trim).filter(|l| !l.is_empty()) {
                fields.push(("link", Field::Line(link)));
            }
            let list = if apology { "apologies" } else { "statements" };
            entries::edit_append_entry(text, list, &fields)
        }
        Edit::Translate {
            language,
            message,
            at,
        } => {
            let file = yaml_text::parse_mapping(text)?;
            let tz = context.site.tz;
            let target = translate::pick(&file, language, at, context.now, tz)
                .map_err(|e| EditError::Invalid(e.message))?;
            let main = &context.site.context.config.language;
            let (text, done) =
                translate::edit_translate(text, target.index, main, language, message)?;
            let verb = match done {
                translate::Translated::Added => "added",
                translate::Translated::Replaced => "replaced",
            };
            notes.said.push(format!(
                "{verb} the {language} text of {}",
                target.describe_with_text()
            ));
            Ok(text)
        }
    }
}

/// Scaffolds a site in `dir`: a commented `status.yaml` counting uptime from `now`'s day, an
/// example maintenance window tomorrow announced `now` (it builds without warnings at `now`),
/// a `.gitignore` with `/public` and a GitHub Pages workflow (`.github/workflows/status.yml`)
/// where the folder has none. Refuses a folder that already
/// has a `status.yaml`, and a site that would fail `candor check` (a `now` so late the example
/// falls after the years a site may use). Returns the files written.
pub fn init(dir: &Path, now: Time) -> Result<Written, AuthoringError> {
    let status = dir.join("status.yaml");
    if status.exists() {
        return Err(AuthoringError::SiteExists(dir.to_path_buf()));
    }
    let (stem, text) = template::example_incident(now);
    // The site counts from today (in its zone, UTC): a bar of 90 green days before the site
    // existed would claim uptime nobody measured (docs/decisions.md).
    let status_text = template::status_yaml(now.date_naive());
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
    let workflows = dir.join(".github").join("workflows");
    fs::create_dir_all(&workflows).map_err(|e| IoError::new("creating", &workflows, e))?;
    let workflow = workflows.join("status.yml");
    if create_new(&workflow, template::GITHUB_WORKFLOW)? {
        paths.push(workflow);
    }
    Ok(Written {
        paths,
        warnings,
        said: Vec::new(),
    })
}

/// An instant as RFC 3339 in the site zone, whole seconds: `2022-10-15T16:12:00+09:00`.
fn stamp(now: Time, tz: Tz) -> String {
    now.with_timezone(&tz)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}
