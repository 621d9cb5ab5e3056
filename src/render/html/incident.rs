//! The incident page's views: the restoration chart and the merged timeline.
//!
//! Incident text enters only as `SafeHtml` or as plain strings Tera escapes. Never touches the
//! disk or the clock: "now" is the state's instant.

use super::placement;
use super::view::{Ctx, IncidentSummary, ServiceRef, TimeView, UpdateView};
use crate::model::*;
use crate::render::markdown::{self, SafeHtml};
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
    /// Statements that are not apologies, shown as apologies are: a quotation, attributed.
    pub statements: Vec<ApologyView>,
    pub leadership: Vec<LeadershipView>,
    pub compensation: Vec<CompensationView>,
    pub commitments: Vec<CommitmentView>,
    pub sources: Vec<SourceView>,
}

/// A source of the incident (`sources:`): a title and its address.
#[derive(Debug, Serialize)]
pub struct SourceView {
    pub title: String,
    /// Like every `*_lang` field: the main language, when `title` is shown in it untranslated
    /// on another language's page.
    pub title_lang: Option<String>,
    pub url: String,
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
    /// `start`, `update`, `stage`, `restored`, `apology`, `statement`, `leadership`,
    /// `compensation`, `end`.
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
    pub by_lang: Option<String>,
    pub role: Option<String>,
    pub role_lang: Option<String>,
    pub statement_html: SafeHtml,
    pub link: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct LeadershipView {
    pub at: TimeView,
    pub person: String,
    pub person_lang: Option<String>,
    pub role: String,
    pub role_lang: Option<String>,
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
    pub for_lang: Option<String>,
    pub description_html: SafeHtml,
}

#[derive(Debug, Serialize)]
pub struct CommitmentView {
    pub what: String,
    pub what_lang: Option<String>,
    pub due: Option<String>,
    pub due_lang: Option<String>,
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
        let lang = |path: &str| self.lang_of(&i.translations, path);
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
                    by_lang: lang(&format!("apologies[{}].by", a.index)),
                    role: a.role.clone(),
                    role_lang: lang(&format!("apologies[{}].role", a.index)),
                    statement_html: markdown::html(&a.statement),
                    link: a.link.clone(),
                })
                .collect(),
            statements: i
                .statements
                .iter()
                .map(|s| ApologyView {
                    at: self.moment(s.at),
                    by: s.by.clone(),
                    by_lang: lang(&format!("statements[{}].by", s.index)),
                    role: s.role.clone(),
                    role_lang: lang(&format!("statements[{}].role", s.index)),
                    statement_html: markdown::html(&s.statement),
                    link: s.link.clone(),
                })
                .collect(),
            leadership: i
                .leadership
                .iter()
                .map(|l| LeadershipView {
                    at: self.moment(l.at),
                    person: l.person.clone(),
                    person_lang: lang(&format!("leadership[{}].person", l.index)),
                    role: l.role.clone(),
                    role_lang: lang(&format!("leadership[{}].role", l.index)),
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
                    for_lang: lang(&format!("compensation[{}].for", c.index)),
                    description_html: markdown::html(&c.description),
                })
                .collect(),
            commitments: i
                .commitments
                .iter()
                .map(|c| CommitmentView {
                    what: c.what.clone(),
                    what_lang: lang(&format!("commitments[{}].what", c.index)),
                    due: c.due.clone(),
                    due_lang: lang(&format!("commitments[{}].due", c.index)),
                    status: c.status.as_str(),
                    status_text: self
                        .strings
                        .get(&format!("commitment_{}", c.status.as_str()))
                        .to_owned(),
                    note_html: c.note.as_ref().map(markdown::html),
                })
                .collect(),
            sources: (i.sources.iter().enumerate())
                .map(|(k, l)| SourceView {
                    title: l.title.clone(),
                    title_lang: lang(&format!("sources[{k}].title")),
                    url: l.url.clone(),
                })
                .collect(),
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
                label: self.strings.chart_date(t, self.tz),
                place: placement::tick(out.len()),
                label_place: None,
                label_width: None,
            });
            date = next;
        }
        placement::label_ticks(&mut out);
        out
    }
}
