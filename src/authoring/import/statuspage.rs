//! What a saved Statuspage export holds, as its public API v2 serves it (`components.json`,
//! `incidents.json`, `scheduled-maintenances.json`, or `summary.json`, which holds all three):
//! the fields `candor import` reads, every one optional, since exports of different years differ
//! (2019 incidents have no `started_at` and no `components`). Field names are Statuspage's.
//!
//! Reads the files it is given and nothing else; never writes.

use serde::Deserialize;
use std::path::PathBuf;

/// Everything read from the export's files, merged.
#[derive(Debug, Default)]
pub struct Export {
    pub page: Option<Page>,
    pub components: Vec<Component>,
    pub incidents: Vec<Incident>,
    pub maintenances: Vec<Incident>,
}

/// One file of the export: whichever of the lists it holds.
#[derive(Debug, Deserialize)]
struct File {
    page: Option<Page>,
    components: Option<Vec<Component>>,
    incidents: Option<Vec<Incident>>,
    scheduled_maintenances: Option<Vec<Incident>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Page {
    pub id: Option<String>,
    pub name: Option<String>,
    pub url: Option<String>,
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Component {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// A component that groups others (`components` lists their ids).
    #[serde(default)]
    pub group: bool,
    pub group_id: Option<String>,
    /// When the component was made; the API's `created_at`.
    pub created_at: Option<String>,
    /// The day uptime is counted from (`2021-01-14`).
    pub start_date: Option<String>,
    pub position: Option<i64>,
}

/// An incident, or a scheduled maintenance (which adds `scheduled_for`/`scheduled_until`).
#[derive(Debug, Clone, Deserialize)]
pub struct Incident {
    pub id: String,
    pub name: String,
    pub status: String,
    /// `none`, `minor`, `major`, `critical` (`maintenance` for windows).
    pub impact: Option<String>,
    pub created_at: String,
    pub started_at: Option<String>,
    pub resolved_at: Option<String>,
    pub scheduled_for: Option<String>,
    pub scheduled_until: Option<String>,
    #[serde(default)]
    pub incident_updates: Vec<Update>,
    /// The components the incident names (full objects); absent in older exports.
    pub components: Option<Vec<Component>>,
    pub postmortem_body: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Update {
    pub id: Option<String>,
    pub status: String,
    #[serde(default)]
    pub body: String,
    pub created_at: String,
    pub display_at: Option<String>,
    pub affected_components: Option<Vec<Transition>>,
}

/// One component's status change on an update.
#[derive(Debug, Clone, Deserialize)]
pub struct Transition {
    /// Absent on the placeholder older exports write ("No components were affected").
    pub code: Option<String>,
    #[serde(default)]
    pub name: String,
    pub new_status: Option<String>,
}

/// Why an export could not be read: the file and what is wrong with it.
#[derive(Debug)]
pub struct ReadError {
    pub path: PathBuf,
    pub message: String,
    /// What to do instead, when there is more to say than "give Statuspage's JSON".
    pub help: Option<String>,
}

/// Reads `sources` — files, or folders whose `*.json` files are read — into one `Export`.
/// Incidents and components met in several files (`summary.json` beside `incidents.json`) are
/// kept once, by id.
pub fn read(sources: &[PathBuf]) -> Result<Export, ReadError> {
    let mut export = Export::default();
    let mut pages: Vec<(Page, Vec<PathBuf>)> = Vec::new();
    for path in json_files(sources)? {
        let text = std::fs::read_to_string(&path).map_err(|e| ReadError {
            path: path.clone(),
            message: e.to_string(),
            help: None,
        })?;
        let file: File = serde_json::from_str(&text).map_err(|e| ReadError {
            path: path.clone(),
            message: format!("not a Statuspage API response: {e}"),
            help: None,
        })?;
        if let Some(page) = &file.page {
            match pages.iter_mut().find(|(p, _)| p.id == page.id) {
                Some((_, files)) => files.push(path.clone()),
                None => pages.push((page.clone(), vec![path.clone()])),
            }
        }
        merge(&mut export, file);
    }
    if pages.len() > 1 {
        return Err(several_pages(sources, &pages));
    }
    if export.components.is_empty() && export.incidents.is_empty() && export.maintenances.is_empty()
    {
        return Err(ReadError {
            path: sources.first().cloned().unwrap_or_default(),
            message: "no components, incidents or scheduled maintenances found".to_owned(),
            help: None,
        });
    }
    Ok(export)
}

/// Several pages' exports read together would merge into one site that is neither page:
/// refused, naming each page and its files.
fn several_pages(sources: &[PathBuf], pages: &[(Page, Vec<PathBuf>)]) -> ReadError {
    let listed: Vec<String> = (pages.iter())
        .map(|(page, files)| {
            let names: Vec<String> = (files.iter())
                .map(|f| {
                    f.file_name()
                        .unwrap_or(f.as_os_str())
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
            format!(
                "`{}` (id {}: {})",
                page.name.as_deref().unwrap_or("unnamed"),
                page.id.as_deref().unwrap_or("none"),
                names.join(", ")
            )
        })
        .collect();
    let example = pages.first().map(|(_, files)| {
        let paths: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        paths.join(" ")
    });
    ReadError {
        path: sources.first().cloned().unwrap_or_default(),
        message: format!(
            "these files are the exports of {} different pages: {}",
            pages.len(),
            listed.join("; ")
        ),
        help: Some(format!(
            "import one page at a time: name its files (`candor import statuspage {}`), \
             or put them in a folder of their own",
            example.unwrap_or_default()
        )),
    }
}

fn merge(export: &mut Export, file: File) {
    if export.page.is_none() {
        export.page = file.page;
    }
    for c in file.components.unwrap_or_default() {
        if !export.components.iter().any(|k| k.id == c.id) {
            export.components.push(c);
        }
    }
    for (list, found) in [
        (&mut export.incidents, file.incidents),
        (&mut export.maintenances, file.scheduled_maintenances),
    ] {
        for i in found.unwrap_or_default() {
            if !list.iter().any(|k| k.id == i.id) {
                list.push(i);
            }
        }
    }
}

/// The JSON files named, a folder standing for its `*.json` files in name order.
fn json_files(sources: &[PathBuf]) -> Result<Vec<PathBuf>, ReadError> {
    let mut files = Vec::new();
    for source in sources {
        if source.is_dir() {
            let entries = std::fs::read_dir(source).map_err(|e| ReadError {
                path: source.clone(),
                message: e.to_string(),
                help: None,
            })?;
            let mut found: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(source.clone());
        }
    }
    Ok(files)
}

/// The time an update was shown to readers: `display_at`, else `created_at`.
pub fn shown_at(update: &Update) -> &str {
    update.display_at.as_deref().unwrap_or(&update.created_at)
}
