//! The incident page's views: the restoration chart and the merged timeline.
//!
//! Incident text enters only as `SafeHtml` or as plain strings Tera escapes. Never touches the
//! disk or the clock: "now" is the state's instant.

use super::placement;
use super::view::{Ctx, IncidentSummary, ServiceRef, TimeView, UpdateView};
use crate::model::*;
use crate::render::markdown::{self, SafeHtml};
use crate::theme::i18n::fill;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct IncidentPage {
    #[serde(flatten)]
    pub summary: IncidentSummary,
    /// The latest dated entry shown: when this page last changed.
    pub updated: TimeView,
    pub cause_html: Option<SafeHtml>,
    pub postmortem_html: Option<SafeHtml>,
    pub postmortem_url: Option<String>,
    pub updates: Vec<UpdateView>,
    pub chart: Option<Chart>,
    pub timeline: Vec<TimelineEntry>,
    pub apologies: Vec<ApologyView>,
    pub leadership: Vec<LeadershipView>,
    pub compensation: Vec<CompensationView>,
    pub commitments: Vec<CommitmentView>,
    pub sources: Vec<Link>,
}

/// One row per service, segments placed in percent of the chart's span. Each mark also has a
/// `place`: its class in the page's `chart.css` (`placement`), for themes under a
/// Content-Security-Policy that allows no `style` attribute.
#[derive(Debug, Serialize)]
pub struct Chart {
    pub from: TimeView,
    pub to: TimeView,
    pub ticks: Vec<Tick>,
    pub rows: Vec<ChartRow>,
}

#[derive(Debug, Serialize)]
pub struct Tick {
    pub left: String,
    pub label: String,
    pub place: String,
    /// The class of this tick's date label (left and width), on the ticks that show one.
    pub label_place: Option<String>,
    /// The label's width in percent: the room before the next labelled tick.
    pub label_width: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ChartRow {
    pub service: ServiceRef,
    pub segments: Vec<ChartSegment>,
    pub restored: Option<TimeView>,
    /// Where the restoration mark stands, in percent; `None` while still down.
    pub restored_left: Option<String>,
    pub restored_place: Option<String>,
    /// "4 days 7 hours": from the service being hit to it being restored (or now).
    pub down_for: String,
    pub note_html: Option<SafeHtml>,
}

#[derive(Debug, Serialize)]
pub struct ChartSegment {
    pub left: String,
    pub width: String,
    pub place: String,
    pub impact: &'static str,
    pub impact_text: String,
    pub from: TimeView,
    pub to: TimeView,
    pub note_html: Option<SafeHtml>,
    /// "Partial outage from … to … (5 hours)", for screen readers and hover.
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct TimelineEntry {
    pub at: TimeView,
    /// `start`, `update`, `stage`, `restored`, `apology`, `leadership`, `compensation`, `end`.
    pub kind: &'static str,
    /// The status or impact word this entry carries, for colour (`resolved`, `partial_outage`…).
    pub level: &'static str,
    pub title: String,
    pub html: Option<SafeHtml>,
    pub link: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ApologyView {
    pub at: TimeView,
    pub by: String,
    pub role: Option<String>,
    pub statement_html: SafeHtml,
    pub link: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct LeadershipView {
    pub at: TimeView,
    pub person: String,
    pub role: String,
    pub change: &'static str,
    pub change_text: String,
    pub note_html: Option<SafeHtml>,
    pub link: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CompensationView {
    pub at: Option<TimeView>,
    #[serde(rename = "for")]
    pub for_whom: String,
    pub description_html: SafeHtml,
}

#[derive(Debug, Serialize)]
pub struct CommitmentView {
    pub what: String,
    pub due: Option<String>,
    pub status: &'static str,
    pub status_text: String,
    pub note_html: Option<SafeHtml>,
}

impl Ctx<'_> {
    pub fn incident_page(&self, i: &Incident) -> IncidentPage {
        let updated = i
            .dated()
            .filter(|&t| t <= self.now)
            .max()
            .unwrap_or(i.start);
        IncidentPage {
            updated: self.time(updated),
            summary: self.summary(i),
            cause_html: i.cause.as_ref().map(markdown::html),
            postmortem_html: i.postmortem.as_ref().map(markdown::html),
            postmortem_url: i.postmortem_url.clone(),
            updates: i.updates.iter().rev().map(|u| self.update(u)).collect(),
            chart: self.chart(i),
            timeline: self.timeline(i),
            apologies: i
                .apologies
                .iter()
                .map(|a| ApologyView {
                    at: self.time(a.at),
                    by: a.by.clone(),
                    role: a.role.clone(),
                    statement_html: markdown::html(&a.statement),
                    link: a.link.clone(),
                })
                .collect(),
            leadership: i
                .leadership
                .iter()
                .map(|l| LeadershipView {
                    at: self.moment(l.at),
                    person: l.person.clone(),
                    role: l.role.clone(),
                    change: l.change.as_str(),
                    change_text: self
                        .strings
                        .get(&format!("change_{}", l.change.as_str()))
                        .to_owned(),
                    note_html: l.note.as_ref().map(markdown::html),
                    link: l.link.clone(),
                })
                .collect(),
            compensation: i
                .compensation
                .iter()
                .map(|c| CompensationView {
                    at: c.at.map(|m| self.moment(m)),
                    for_whom: c.for_whom.clone(),
                    description_html: markdown::html(&c.description),
                })
                .collect(),
            commitments: i
                .commitments
                .iter()
                .map(|c| CommitmentView {
                    what: c.what.clone(),
                    due: c.due.clone(),
                    status: c.status.as_str(),
                    status_text: self
                        .strings
                        .get(&format!("commitment_{}", c.status.as_str()))
                        .to_owned(),
                    note_html: c.note.as_ref().map(markdown::html),
                })
                .collect(),
            sources: i.sources.clone(),
        }
    }

    fn chart(&self, i: &Incident) -> Option<Chart> {
        if i.services.is_empty() || i.start >= self.now {
            return None;
        }
        let from = i.services.iter().map(|a| a.from).min().unwrap_or(i.start);
        let to = i
            .services
            .iter()
            .map(|a| i.restored_at(a, self.now).min(self.now))
            .max()
            .unwrap_or(self.now)
            .max(from + chrono::Duration::minutes(1));
        let span = (to - from).num_seconds() as f64;
        let pos = |t: Time| {
            format!(
                "{:.3}",
                ((t - from).num_seconds() as f64 / span * 100.0).clamp(0.0, 100.0)
            )
        };
        let rows = (i.services.iter().enumerate())
            .map(|(r, a)| {
                let restored = i.restored_at(a, self.now);
                let done = restored <= self.now && (a.restored.is_some() || i.end.is_some());
                let notes = std::iter::once(&a.note).chain(a.stages.iter().map(|s| &s.note));
                let segments = i
                    .segments(a, self.now)
                    .iter()
                    .zip(notes)
                    .enumerate()
                    .map(|(k, (s, note))| {
                        let impact_text = self.impact_text(s.impact.as_str());
                        let (from, to) = (self.time(s.from), self.time(s.to));
                        ChartSegment {
                            place: placement::segment(r, k),
                            left: pos(s.from),
                            width: format!(
                                "{:.3}",
                                ((s.to - s.from).num_seconds() as f64 / span * 100.0)
                                    .clamp(0.0, 100.0)
                            ),
                            impact: s.impact.as_str(),
                            label: format!(
                                "{impact_text}: {} – {} ({})",
                                from.text,
                                to.text,
                                self.strings.duration((s.to - s.from).num_seconds())
                            ),
                            impact_text,
                            from,
                            to,
                            note_html: note.as_ref().map(markdown::html),
                        }
                    })
                    .collect();
                ChartRow {
                    service: self.service_ref(&a.id),
                    segments,
                    restored: done.then(|| self.time(restored)),
                    restored_left: done.then(|| pos(restored)),
                    restored_place: done.then(|| placement::restored(r)),
                    down_for: self
                        .strings
                        .duration((restored.min(self.now) - a.from).num_seconds()),
                    note_html: a.note.as_ref().map(markdown::html),
                }
            })
            .collect();
        Some(Chart {
            from: self.time(from),
            to: self.time(to),
            ticks: self.ticks(from, to, span),
            rows,
        })
    }

    /// A tick at each local midnight inside the span (or each of the span's ends when it is short).
    fn ticks(&self, from: Time, to: Time, span: f64) -> Vec<Tick> {
        let mut out = Vec::new();
        let mut date = from.with_timezone(&self.tz).date_naive();
        while let Some(next) = date.succ_opt() {
            let t = crate::model::time::start_of_day(next, self.tz);
            if t >= to || out.len() > 60 {
                break;
            }
            out.push(Tick {
                left: format!("{:.3}", (t - from).num_seconds() as f64 / span * 100.0),
                label: self.strings.day_month(t, self.tz),
                place: placement::tick(out.len()),
                label_place: None,
                label_width: None,
            });
            date = next;
        }
        placement::label_ticks(&mut out);
        out
    }

    /// "KakaoTalk: partial outage", in the words of the i18n string `key`.
    fn impact_title(&self, key: &str, service: &str, impact: Impact) -> String {
        let impact = self.impact_text(impact.as_str()).to_lowercase();
        fill(
            self.strings.get(key),
            &[("service", service), ("impact", &impact)],
        )
    }

    /// Every dated event of the incident in one list, oldest first.
    fn timeline(&self, i: &Incident) -> Vec<TimelineEntry> {
        let maintenance = i.kind == Kind::Maintenance;
        let mut entries: Vec<(Time, TimelineEntry)> = Vec::new();
        let mut push = |t: Time,
                        at: TimeView,
                        kind,
                        level,
                        title: String,
                        html: Option<SafeHtml>,
                        link: Option<String>| {
            entries.push((
                t,
                TimelineEntry {
                    at,
                    kind,
                    level,
                    title,
                    html,
                    link,
                },
            ));
        };
        let start_key = if maintenance {
            "timeline_start_maintenance"
        } else {
            "timeline_start"
        };
        push(
            i.start,
            self.time(i.start),
            "start",
            i.worst_impact().map_or("none", Impact::as_str),
            self.strings.get(start_key).to_owned(),
            None,
            None,
        );
        for u in &i.updates {
            push(
                u.at,
                self.time(u.at),
                "update",
                u.status.as_str(),
                self.status_text(u.status),
                Some(markdown::html(&u.message)),
                None,
            );
        }
        for a in &i.services {
            let name = self.service_ref(&a.id).name;
            if a.from > i.start && a.from <= self.now {
                let title = self.impact_title("timeline_hit", &name, a.impact);
                push(
                    a.from,
                    self.time(a.from),
                    "stage",
                    a.impact.as_str(),
                    title,
                    None,
                    None,
                );
            }
            for s in a.stages.iter().filter(|s| s.at <= self.now) {
                let title = self.impact_title("timeline_stage", &name, s.impact);
                push(
                    s.at,
                    self.time(s.at),
                    "stage",
                    s.impact.as_str(),
                    title,
                    s.note.as_ref().map(markdown::html),
                    None,
                );
            }
            if let Some(r) = a.restored.filter(|r| *r <= self.now) {
                let title = fill(self.strings.get("timeline_restored"), &[("service", &name)]);
                push(
                    r,
                    self.time(r),
                    "restored",
                    "operational",
                    title,
                    None,
                    None,
                );
            }
        }
        for a in &i.apologies {
            let title = fill(self.strings.get("timeline_apology"), &[("by", &a.by)]);
            push(
                a.at,
                self.time(a.at),
                "apology",
                "none",
                title,
                Some(markdown::html(&a.statement)),
                a.link.clone(),
            );
        }
        for l in &i.leadership {
            let change_key = format!("change_{}", l.change.as_str());
            let change = self.strings.get(&change_key);
            let title = fill(
                self.strings.get("timeline_leadership"),
                &[("person", &l.person), ("role", &l.role), ("change", change)],
            );
            push(
                l.at.at,
                self.moment(l.at),
                "leadership",
                "none",
                title,
                l.note.as_ref().map(markdown::html),
                l.link.clone(),
            );
        }
        for c in &i.compensation {
            if let Some(at) = c.at {
                let title = fill(
                    self.strings.get("timeline_compensation"),
                    &[("for", &c.for_whom)],
                );
                push(
                    at.at,
                    self.moment(at),
                    "compensation",
                    "none",
                    title,
                    Some(markdown::html(&c.description)),
                    None,
                );
            }
        }
        if let Some(end) = i.end.filter(|e| *e <= self.now) {
            let key = if maintenance {
                "timeline_end_maintenance"
            } else {
                "timeline_end"
            };
            push(
                end,
                self.time(end),
                "end",
                "resolved",
                self.strings.get(key).to_owned(),
                None,
                None,
            );
        }
        // A stable sort keeps the written order of entries at the same minute.
        entries.sort_by_key(|(t, _)| *t);
        entries.into_iter().map(|(_, e)| e).collect()
    }
}
