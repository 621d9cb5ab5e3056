//! A Statuspage export as candor's input: components as status.yaml's services, each incident
//! and scheduled maintenance as an incident file, component transitions on updates as each
//! service's impact, stages and restoration. Times are kept as Statuspage wrote them (RFC 3339,
//! milliseconds and offset included), so a build's API gives the same instants back.
//!
//! Pure: texts in, texts out. What a Statuspage export can say that candor's format cannot is
//! returned as notes for the person importing, never dropped silently.

use super::statuspage::{Component, Export, Incident, Page, Transition, shown_at};
use crate::model::ids::is_id;
use crate::model::slug::slugify;
use crate::model::time::parse_timestamp;
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::BTreeMap;

/// The site's texts: status.yaml, each incident file as (stem, text), and notes on what could
/// not be carried over.
#[derive(Debug)]
pub struct Converted {
    pub status_yaml: String,
    pub incidents: Vec<(String, String)>,
    pub notes: Vec<String>,
}

/// What could not be carried over, gathered while converting: notes as they are, and the
/// components that transitions name but the export lacks, said once each at the end.
#[derive(Default)]
struct Notes {
    said: Vec<String>,
    /// Per unknown component id: its name, how many updates name it, and in which incidents.
    unknown: BTreeMap<String, (String, usize, Vec<String>)>,
}

impl Notes {
    fn unknown(&mut self, code: &str, name: &str, incident: &str) {
        let entry = (self.unknown.entry(code.to_owned()))
            .or_insert_with(|| (name.to_owned(), 0, Vec::new()));
        entry.1 += 1;
        if !entry.2.iter().any(|i| i == incident) {
            entry.2.push(incident.to_owned());
        }
    }

    fn into_lines(self) -> Vec<String> {
        let unknown = self
            .unknown
            .into_iter()
            .map(|(code, (name, updates, incidents))| {
                format!(
                    "component {code} ({name}) is unknown: {updates} update{} of incident{} {} \
                 name it, and its changes are not imported; import components.json with the \
                 incidents to keep them",
                    if updates == 1 { "" } else { "s" },
                    if incidents.len() == 1 { "" } else { "s" },
                    incidents.join(", ")
                )
            });
        self.said.into_iter().chain(unknown).collect()
    }
}

/// Why the export cannot be turned into a site: which incident and what.
#[derive(Debug)]
pub struct ConvertError(pub String);

#[derive(Serialize)]
struct StatusFile {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    page_id: Option<String>,
    base_url: String,
    timezone: String,
    services: Vec<ServiceEntry>,
}

#[derive(Serialize)]
struct ServiceEntry {
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    component_id: Option<String>,
}

#[derive(Serialize)]
struct IncidentFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    severity: Option<&'static str>,
    start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    services: Vec<Hit>,
    updates: Vec<UpdateEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    postmortem: Option<String>,
}

#[derive(Serialize, Clone)]
struct Hit {
    id: String,
    impact: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    stages: Vec<Stage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    restored: Option<String>,
}

#[derive(Serialize, Clone)]
struct Stage {
    at: String,
    impact: String,
}

#[derive(Serialize)]
struct UpdateEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    at: String,
    status: &'static str,
    message: String,
}

/// The site an export describes.
pub fn convert(export: &Export) -> Result<Converted, ConvertError> {
    let page = export.page.clone().unwrap_or(Page {
        id: None,
        name: None,
        url: None,
        time_zone: None,
    });
    let mut notes = Notes::default();
    let tz = page
        .time_zone
        .as_deref()
        .and_then(|z| z.parse::<Tz>().ok())
        .unwrap_or(Tz::UTC);
    let components = all_components(export);
    let ids = service_ids(&components);
    let status = StatusFile {
        title: page.name.clone().unwrap_or_else(|| "Status".to_owned()),
        // Kept, so the API's ids (and every bot's memory of them) survive the move.
        page_id: page.id.clone().filter(|id| is_id(id)),
        base_url: page
            .url
            .as_deref()
            .map_or_else(|| "https://status.example.com/".to_owned(), with_slash),
        timezone: tz.name().to_owned(),
        services: services(&components, &ids),
    };
    let mut incidents = Vec::new();
    let mut stems: Vec<String> = Vec::new();
    for (incident, window) in (export.incidents.iter().map(|i| (i, false)))
        .chain(export.maintenances.iter().map(|i| (i, true)))
    {
        let file = incident_file(incident, window, &ids, &mut notes)?;
        let stem = unique_stem(&mut stems, &stem_of(incident, &file.start, tz));
        let header = format!(
            "# Imported from Statuspage by `candor import` ({} {}).\n",
            if window {
                "scheduled maintenance"
            } else {
                "incident"
            },
            incident.id
        );
        let body = yaml_serde::to_string(&file)
            .map_err(|e| ConvertError(format!("incident {}: {e}", incident.id)))?;
        incidents.push((stem, header + &body));
    }
    let status_yaml = "# Imported from Statuspage by `candor import`.\n".to_owned()
        + &yaml_serde::to_string(&status).map_err(|e| ConvertError(e.to_string()))?;
    Ok(Converted {
        status_yaml,
        incidents,
        notes: notes.into_lines(),
    })
}

fn with_slash(url: &str) -> String {
    format!("{}/", url.trim_end_matches('/'))
}

/// The components of `components.json` in position order, then those only incidents name.
fn all_components(export: &Export) -> Vec<Component> {
    let mut all: Vec<Component> = export.components.clone();
    all.sort_by_key(|c| c.position.unwrap_or(i64::MAX));
    let named = (export.incidents.iter().chain(&export.maintenances))
        .flat_map(|i| i.components.iter().flatten());
    for c in named {
        if !all.iter().any(|k| k.id == c.id) {
            all.push(c.clone());
        }
    }
    all
}

/// A service id per Statuspage component id (groups included, so members find their group):
/// the slug of its name, numbered when names repeat, the Statuspage id when the name has none.
fn service_ids(components: &[Component]) -> BTreeMap<String, String> {
    let mut taken: Vec<String> = Vec::new();
    let mut ids = BTreeMap::new();
    for c in components {
        let base = slugify(&c.name).unwrap_or_else(|| c.id.to_lowercase());
        let id = unique_stem(&mut taken, &base);
        ids.insert(c.id.clone(), id);
    }
    ids
}

fn services(components: &[Component], ids: &BTreeMap<String, String>) -> Vec<ServiceEntry> {
    let group_name = |id: &str| {
        components
            .iter()
            .find(|g| g.group && g.id == id)
            .map(|g| g.name.clone())
    };
    (components.iter().filter(|c| !c.group))
        .map(|c| ServiceEntry {
            id: ids[&c.id].clone(),
            name: c.name.clone(),
            group: c.group_id.as_deref().and_then(group_name),
            description: c.description.clone().filter(|d| !d.trim().is_empty()),
            // `created_at` is the instant the API gives back; `start_date` is only its day.
            since: c.created_at.clone().or_else(|| c.start_date.clone()),
            // Kept, so the API's component ids (a bot's, an aggregator's keys) survive.
            component_id: Some(c.id.clone()).filter(|id| is_id(id)),
        })
        .collect()
}

fn incident_file(
    i: &Incident,
    window: bool,
    ids: &BTreeMap<String, String>,
    notes: &mut Notes,
) -> Result<IncidentFile, ConvertError> {
    let what = |field: &str| format!("incident {} (\"{}\"): {field}", i.id, i.name);
    let start = if window {
        i.scheduled_for.clone()
    } else {
        i.started_at.clone()
    }
    .unwrap_or_else(|| i.created_at.clone());
    let end = if window {
        i.scheduled_until.clone()
    } else {
        matches!(i.status.as_str(), "resolved" | "postmortem")
            .then(|| i.resolved_at.clone())
            .flatten()
    };
    for (field, time) in [("start", Some(&start)), ("end", end.as_ref())] {
        if let Some(time) = time {
            parse_timestamp(time, Tz::UTC)
                .map_err(|e| ConvertError(format!("{}: {}", what(field), e.message)))?;
        }
    }
    let mut updates: Vec<_> = i.incident_updates.iter().collect();
    updates.sort_by_key(|u| instant(shown_at(u)));
    let mut entries = Vec::new();
    for u in &updates {
        let status = status_word(&u.status, window)
            .ok_or_else(|| ConvertError(what(&format!("unknown update status `{}`", u.status))))?;
        let message = if u.body.trim().is_empty() {
            format!("(Posted without text; status: {}.)", u.status)
        } else {
            hard_breaks(&line_breaks(&u.body))
        };
        entries.push(UpdateEntry {
            id: u.id.clone().filter(|id| is_id(id)),
            at: shown_at(u).to_owned(),
            status,
            message,
        });
    }
    let transitions = updates.iter().map(|u| {
        (
            shown_at(u).to_owned(),
            u.affected_components.clone().unwrap_or_default(),
        )
    });
    let services = hits(transitions, &start, ids, notes, i);
    if services.is_empty() && i.components.as_ref().is_some_and(|c| !c.is_empty()) {
        notes.said.push(format!(
            "{}names components but no status changes: no service impact imported",
            what("")
        ));
    }
    Ok(IncidentFile {
        id: Some(i.id.clone()).filter(|id| is_id(id)),
        title: i.name.clone(),
        kind: window.then_some("maintenance"),
        severity: if window {
            None
        } else {
            severity(i.impact.as_deref())
        },
        start,
        end,
        services,
        updates: entries,
        postmortem: i.postmortem_body.clone().filter(|p| !p.trim().is_empty()),
    })
}

/// A Statuspage body as Markdown: its `<br>` tags (the editor's line breaks, in any spelling)
/// as the line breaks they are; any other markup stays, for the sanitizer to judge.
fn line_breaks(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let tag_end = tail.find('>').map(|e| e + 1);
        let tag: String = tail[..tag_end.unwrap_or(1)]
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '/')
            .collect();
        match tag_end {
            Some(end) if tag.eq_ignore_ascii_case("<br>") => {
                out.push('\n');
                rest = &tail[end..];
            }
            _ => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Statuspage shows each line break of a body; Markdown joins lines of a paragraph. A single
/// break becomes a Markdown hard break (`\` at the line's end), blank lines stay paragraphs.
fn hard_breaks(body: &str) -> String {
    let body = body.replace("\r\n", "\n");
    let lines: Vec<&str> = body.split('\n').map(str::trim_end).collect();
    let mut out = String::with_capacity(body.len() + 8);
    for (k, line) in lines.iter().enumerate() {
        out.push_str(line);
        if let Some(next) = lines.get(k + 1) {
            if !line.is_empty() && !next.is_empty() {
                out.push('\\');
            }
            out.push('\n');
        }
    }
    out
}

/// Each component's impact from its transitions, oldest first: the first status other than
/// operational is the impact (from that update on), later ones are stages, the return to
/// operational is the restoration.
fn hits(
    transitions: impl Iterator<Item = (String, Vec<Transition>)>,
    start: &str,
    ids: &BTreeMap<String, String>,
    notes: &mut Notes,
    incident: &Incident,
) -> Vec<Hit> {
    let what = format!("incident {} (\"{}\"): ", incident.id, incident.name);
    let mut hits: Vec<Hit> = Vec::new();
    for (at, changes) in transitions {
        for t in changes {
            let (Some(code), Some(new_status)) = (&t.code, &t.new_status) else {
                continue;
            };
            let Some(id) = ids.get(code) else {
                notes.unknown(code, &t.name, &incident.id);
                continue;
            };
            let operational = new_status == "operational";
            match hits.iter_mut().find(|h| &h.id == id) {
                None if !operational => hits.push(Hit {
                    id: id.clone(),
                    impact: new_status.clone(),
                    from: (instant(&at) != instant(start)).then(|| at.clone()),
                    stages: Vec::new(),
                    restored: None,
                }),
                None => {}
                Some(hit) if operational && hit.restored.is_none() => {
                    hit.restored = Some(at.clone());
                }
                Some(_) if operational => {}
                Some(hit) => {
                    if hit.restored.take().is_some() {
                        notes.said.push(format!(
                            "{what}{} failed again after it was restored; candor keeps one \
                             impact span per service, so it counts as impaired in between",
                            t.name
                        ));
                    }
                    let current = hit.stages.last().map_or(&hit.impact, |s| &s.impact);
                    if current != new_status {
                        hit.stages.push(Stage {
                            at: at.clone(),
                            impact: new_status.clone(),
                        });
                    }
                }
            }
        }
    }
    hits
}

/// A sortable instant for a Statuspage time; unreadable times sort first (and are refused by
/// the loader afterwards, naming the field).
fn instant(text: &str) -> Option<crate::model::Time> {
    parse_timestamp(text, Tz::UTC).ok()
}

/// candor's status word for a Statuspage one: `postmortem` is a resolved incident with its
/// postmortem; a maintenance's `verifying` is still in progress.
fn status_word(status: &str, window: bool) -> Option<&'static str> {
    Some(match (status, window) {
        ("investigating", false) => "investigating",
        ("identified", false) => "identified",
        ("monitoring", false) => "monitoring",
        ("resolved" | "postmortem", false) => "resolved",
        ("scheduled", true) => "scheduled",
        ("in_progress" | "verifying", true) => "in_progress",
        ("completed", true) => "completed",
        _ => return None,
    })
}

/// candor's severity for Statuspage's incident impact; `none` has none.
fn severity(impact: Option<&str>) -> Option<&'static str> {
    match impact? {
        "minor" => Some("minor"),
        "major" => Some("major"),
        "critical" => Some("critical"),
        _ => None,
    }
}

/// `date-slug` of an incident, the date its start's in the site zone.
fn stem_of(i: &Incident, start: &str, tz: Tz) -> String {
    let date = instant(start).map_or_else(
        || start.chars().take(10).collect(),
        |t| t.with_timezone(&tz).format("%Y-%m-%d").to_string(),
    );
    format!("{date}-{}", crate::authoring::title_slug(&i.name))
}

/// `base`, or `base-2`, `base-3`… whichever is not yet in `taken` (which it joins).
fn unique_stem(taken: &mut Vec<String>, base: &str) -> String {
    let mut name = base.to_owned();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::{hard_breaks, line_breaks};

    #[test]
    fn single_line_breaks_stay_breaks_and_blank_lines_paragraphs() {
        assert_eq!(hard_breaks("a!\nb"), "a!\\\nb");
        assert_eq!(hard_breaks("a  \n\nb\r\nc"), "a\n\nb\\\nc");
        assert_eq!(hard_breaks("one line"), "one line");
    }

    #[test]
    fn br_tags_become_line_breaks_and_other_markup_stays() {
        assert_eq!(line_breaks("a.<br /><br />b"), "a.\n\nb");
        assert_eq!(line_breaks("a<BR>b<br/>c"), "a\nb\nc");
        assert_eq!(
            line_breaks("1 < 2 <a href=\"x\">y</a>"),
            "1 < 2 <a href=\"x\">y</a>"
        );
        assert_eq!(line_breaks("<"), "<");
    }
}
