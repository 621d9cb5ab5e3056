//! What format.md says each instant shows, worked out from the site as written: what the
//! public sees, each status and the indicator, and a snippet of every dated entry. It never asks
//! candor's own `State`, and never reads an output.

use super::show;
use super::text::{fill, visible};
use candor::model::{Impact, Incident, Kind, Severity, Site, Status, Time};
use serde_json::Value;

/// Whether the public could see `i` at `at`: an incident from its start, a window from its
/// first update (its announcement).
pub(super) fn published(i: &Incident, at: Time) -> bool {
    match i.kind {
        Kind::Incident => i.start <= at,
        Kind::Maintenance => i.updates.first().is_none_or(|u| u.at <= at),
    }
}

/// The status word of `i` at `at`: an incident is resolved once its end has passed, else it
/// has the latest open status posted; a window runs by its own times, and a `completed` post
/// closes it early (the sample's window posts nothing that goes backwards).
pub(super) fn status_at(i: &Incident, at: Time) -> &'static str {
    let posted: Vec<Status> = (i.updates.iter())
        .filter(|u| u.at <= at)
        .map(|u| u.status)
        .collect();
    match i.kind {
        Kind::Incident if i.end.is_some_and(|e| e <= at) => "resolved",
        Kind::Incident => (posted.iter().rev())
            .find(|s| **s != Status::Resolved)
            .map_or("investigating", |s| s.as_str()),
        Kind::Maintenance => {
            if posted.contains(&Status::Completed) || i.end.is_some_and(|e| e <= at) {
                "completed"
            } else if i.start <= at || posted.contains(&Status::InProgress) {
                "in_progress"
            } else {
                "scheduled"
            }
        }
    }
}

/// Whether `i` is unresolved (an incident) or running (a window) at `at`.
pub(super) fn hitting(i: &Incident, at: Time) -> bool {
    published(i, at)
        && match i.kind {
            Kind::Incident => status_at(i, at) != "resolved",
            Kind::Maintenance => status_at(i, at) == "in_progress",
        }
}

/// The current impact of `i` on service `id` at `at`, if it hits it then.
fn impact_of(i: &Incident, id: &str, at: Time) -> Option<Impact> {
    if !hitting(i, at) {
        return None;
    }
    let a = i.services.iter().find(|a| a.id == id)?;
    if a.from > at || a.restored.is_some_and(|r| r <= at) {
        return None;
    }
    let stage = a.stages.iter().rev().find(|s| s.at <= at);
    Some(stage.map_or(a.impact, |s| s.impact))
}

/// A service's status word: the worst impact of what hits it now.
pub(super) fn service_status(site: &Site, id: &str, at: Time) -> &'static str {
    (site.incidents.iter())
        .filter_map(|i| impact_of(i, id, at))
        .max()
        .map_or("operational", Impact::as_str)
}

/// Statuspage's indicator: the worst severity and current impact of the unresolved incidents;
/// `maintenance` when a running window is all that is going on.
pub(super) fn indicator_at(site: &Site, at: Time) -> &'static str {
    let words = ["none", "maintenance", "minor", "major", "critical"];
    let mut worst = 0;
    for i in site.incidents.iter().filter(|i| hitting(i, at)) {
        if i.kind == Kind::Maintenance {
            worst = worst.max(1);
            continue;
        }
        let severity = match i.severity {
            Some(Severity::Critical) => 4,
            Some(Severity::Major) => 3,
            Some(Severity::Minor) => 2,
            None => 0,
        };
        worst = worst.max(severity);
        for a in &i.services {
            worst = worst.max(match impact_of(i, &a.id, at) {
                Some(Impact::MajorOutage) => 3,
                Some(Impact::PartialOutage | Impact::DegradedPerformance) => 2,
                _ => 0,
            });
        }
    }
    words[worst]
}

/// The front page's headline, in Statuspage's top-level words, from every service's status now:
/// its banner colour (an indicator word) and the theme string it shows. Nothing down: the
/// indicator's own.
pub(super) fn headline_at(site: &Site, at: Time) -> (&'static str, String) {
    let statuses: Vec<&str> = (site.services.iter())
        .map(|s| service_status(site, &s.id, at))
        .collect();
    let any = |w: &str| statuses.contains(&w);
    let all = |w: &str| statuses.iter().all(|s| *s == w);
    let down = (statuses.iter())
        .filter(|s| **s == "major_outage" || **s == "partial_outage")
        .count();
    let (level, words) = if any("major_outage") {
        if down * 2 >= statuses.len() {
            ("critical", "major_system_outage")
        } else {
            ("major", "partial_system_outage")
        }
    } else if any("partial_outage") {
        if all("partial_outage") {
            ("major", "partial_system_outage")
        } else {
            ("minor", "minor_service_outage")
        }
    } else if any("degraded_performance") {
        if all("degraded_performance") {
            ("minor", "degraded_system_service")
        } else {
            ("minor", "partially_degraded_service")
        }
    } else if any("under_maintenance") {
        ("maintenance", "service_under_maintenance")
    } else {
        let indicator = indicator_at(site, at);
        return (indicator, format!("indicator_{indicator}"));
    };
    (level, format!("headline_{words}"))
}

// ---------------------------------------------------------------------------------------------
// The dated entries of the written site, and a snippet of each that nothing else says.

/// One dated entry: its prose as rendered, or (`label`) the title its timeline line carries.
struct Dated {
    slug: String,
    at: Time,
    what: String,
    text: String,
    label: bool,
    update: bool,
}

/// A distinctive run of words of one dated entry, as a reader sees it.
pub(super) struct Snippet {
    pub(super) slug: String,
    pub(super) at: Time,
    pub(super) what: String,
    pub(super) text: String,
    pub(super) update: bool,
}

fn dated(site: &Site, strings: &Value) -> Vec<Dated> {
    let word = |key: &str| strings[key].as_str().unwrap_or(key).to_owned();
    let mut out = Vec::new();
    for i in &site.incidents {
        let mut push = |at: Time, what: String, text: String, label: bool, update: bool| {
            out.push(Dated {
                slug: i.slug.clone(),
                at,
                what,
                text,
                label,
                update,
            });
        };
        for u in &i.updates {
            let what = format!("the {} update of {}", u.status.as_str(), show(u.at));
            push(
                u.at,
                what,
                visible(candor::render::markdown::html(&u.message).as_str()),
                false,
                true,
            );
        }
        for a in &i.services {
            let name = site.service(&a.id).map_or(a.id.as_str(), |s| &s.name);
            for s in &a.stages {
                let impact = word(&format!("impact_{}", s.impact.as_str())).to_lowercase();
                let title = fill(
                    &word("timeline_stage"),
                    &[("service", name), ("impact", &impact)],
                );
                let what = format!("{name}'s stage of {}", show(s.at));
                if let Some(note) = &s.note {
                    let text = visible(candor::render::markdown::html(note).as_str());
                    push(s.at, format!("{what} (note)"), text, false, false);
                }
                push(s.at, format!("{what} (title)"), title, true, false);
            }
            if let Some(r) = a.restored {
                let title = fill(&word("timeline_restored"), &[("service", name)]);
                push(r, format!("{name}'s restoration"), title, true, false);
            }
        }
        for a in &i.apologies {
            let what = format!("the apology by {} of {}", a.by, show(a.at));
            let title = fill(&word("timeline_apology"), &[("by", &a.by)]);
            push(
                a.at,
                what.clone(),
                visible(candor::render::markdown::html(&a.statement).as_str()),
                false,
                false,
            );
            push(a.at, format!("{what} (title)"), title, true, false);
        }
        for l in &i.leadership {
            let change = word(&format!("change_{}", l.change.as_str()));
            let title = fill(
                &word("timeline_leadership"),
                &[
                    ("person", &l.person),
                    ("role", &l.role),
                    ("change", &change),
                ],
            );
            let what = format!("{}'s leadership change of {}", l.person, show(l.at.at));
            if let Some(note) = &l.note {
                push(
                    l.at.at,
                    what.clone(),
                    visible(candor::render::markdown::html(note).as_str()),
                    false,
                    false,
                );
            }
            push(l.at.at, format!("{what} (title)"), title, true, false);
        }
        for c in &i.compensation {
            let Some(at) = c.at else { continue };
            let what = format!("the compensation for {} of {}", c.for_whom, show(at.at));
            let title = fill(&word("timeline_compensation"), &[("for", &c.for_whom)]);
            push(
                at.at,
                what.clone(),
                visible(candor::render::markdown::html(&c.description).as_str()),
                false,
                false,
            );
            push(at.at, format!("{what} (title)"), title, true, false);
        }
    }
    out
}

/// What the site may show at any instant: titles, summaries, causes, notes, and what is shown
/// once an incident is over (commitments, postmortem, undated compensation).
fn undated(site: &Site) -> String {
    let mut out = vec![site.config.title.clone()];
    out.extend(site.config.description.iter().cloned());
    for s in &site.services {
        out.push(s.name.clone());
        out.extend(s.group.iter().cloned());
        out.extend(s.description.iter().cloned());
    }
    for i in &site.incidents {
        out.push(i.title.clone());
        let texts = [&i.summary, &i.cause, &i.postmortem]
            .into_iter()
            .flatten()
            .chain(i.services.iter().filter_map(|a| a.note.as_ref()))
            .chain(i.commitments.iter().filter_map(|c| c.note.as_ref()))
            .chain((i.compensation.iter().filter(|c| c.at.is_none())).map(|c| &c.description));
        out.extend(texts.map(|x| visible(candor::render::markdown::html(x).as_str())));
        out.extend(i.commitments.iter().map(|c| c.what.clone()));
        out.extend(i.compensation.iter().map(|c| c.for_whom.clone()));
        out.extend(i.sources.iter().map(|s| s.title.clone()));
    }
    out.join(" ¦ ")
}

/// For each dated entry, a run of 3 to 6 plain words (letters and digits only, so Markdown,
/// escaping and punctuation cannot change them) that neither the undated text nor any entry
/// dated earlier contains; for a timeline title, the title itself. Entries with no such run
/// are left out, but every update must have one.
pub(super) fn snippets(site: &Site, strings: &Value) -> Vec<Snippet> {
    let entries = dated(site, strings);
    let always = undated(site);
    let mut out = Vec::new();
    for e in &entries {
        let earlier: Vec<&str> = (entries.iter())
            .filter(|x| x.at < e.at)
            .map(|x| x.text.as_str())
            .collect();
        let seen = format!("{always} ¦ {}", earlier.join(" ¦ "));
        let fresh = |s: &str| !seen.contains(s);
        let text = if e.label {
            fresh(&e.text).then(|| e.text.clone())
        } else {
            let words: Vec<&str> = e.text.split(' ').collect();
            let plain = |w: &&str| !w.is_empty() && w.chars().all(char::is_alphanumeric);
            (3..=6)
                .rev()
                .flat_map(|n| words.windows(n).map(|w| w.to_vec()).collect::<Vec<_>>())
                .filter(|w| w.iter().all(plain))
                .map(|w| w.join(" "))
                .find(|s| fresh(s))
        };
        assert!(
            text.is_some() || !e.update,
            "{}: {} has no words of its own: {}",
            e.slug,
            e.what,
            e.text
        );
        if let Some(text) = text {
            out.push(Snippet {
                slug: e.slug.clone(),
                at: e.at,
                what: e.what.clone(),
                text,
                update: e.update,
            });
        }
    }
    out
}
