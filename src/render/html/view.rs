//! The template context: plain serializable views of the model, with every time, duration and
//! label already written in the site's language and zone. `docs/themes.md` documents it.
//!
//! Incident text enters a view only as `SafeHtml` (`*_html` fields, sanitized Markdown) or as
//! plain strings Tera escapes. Never touches the disk or the clock, and never derives a status:
//! statuses, days and uptime are read from `State`.

use crate::model::localize;
use crate::model::uptime::Day;
use crate::model::*;
use crate::render::markdown::{self, SafeHtml};
use crate::render::url;
use crate::theme::i18n::{Strings, fill};
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::HashMap;

/// What every view needs to write times and words.
pub struct Ctx<'a> {
    pub state: &'a crate::model::state::State,
    /// `state.site`.
    pub site: &'a Site,
    pub strings: &'a Strings,
    pub tz: Tz,
    pub now: Time,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimeView {
    /// RFC 3339 in the site zone, for `<time datetime>`.
    pub iso: String,
    pub text: String,
    pub date: String,
    /// The clock time and zone alone ("15:30 KST"), for lists already grouped by day.
    pub time: String,
    pub date_only: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceRef {
    pub id: String,
    pub name: String,
    /// On another language's page, the main language when `name` is shown in it untranslated
    /// (the element's `lang`); likewise every `*_lang` field.
    pub name_lang: Option<String>,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpdateView {
    pub at: TimeView,
    pub status: &'static str,
    pub status_text: String,
    pub message_html: SafeHtml,
}

/// An incident as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentSummary {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub title_lang: Option<String>,
    pub kind: &'static str,
    pub kind_text: String,
    pub severity: Option<&'static str>,
    pub severity_text: Option<String>,
    pub status: &'static str,
    pub status_text: String,
    pub closed: bool,
    /// The worst impact on any service, for colour; `none` when no service is listed.
    pub impact: &'static str,
    pub start: TimeView,
    pub end: Option<TimeView>,
    /// An `end` still ahead of the build time: when the incident is expected to end.
    pub expected_end: Option<TimeView>,
    /// From start to end, or to the build time while open.
    pub duration: String,
    pub summary_html: Option<SafeHtml>,
    pub latest_update: Option<UpdateView>,
    pub services: Vec<ServiceRef>,
    /// While open: each service as it stands, so a reader sees what is still broken (issue 10).
    pub now: Vec<ServiceNow>,
}

/// One service of an open incident at the build time: its impact and the latest stage's note
/// while affected, or when it was restored.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceNow {
    pub service: ServiceRef,
    pub impact: &'static str,
    pub impact_text: String,
    pub note_html: Option<SafeHtml>,
    pub restored: Option<TimeView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DayView {
    pub date: String,
    /// `no_data`, `operational`, or the worst impact word of the day.
    pub level: &'static str,
    /// The whole day in words, shown to screen readers and on hover: never colour alone.
    pub label: String,
    /// The newest of the incidents that touched the day, at most `DAY_INCIDENTS`.
    pub incidents: Vec<IncidentLink>,
    /// How many incidents touched the day.
    pub incident_count: usize,
}

/// Incidents linked from one day of a bar: a busy year puts dozens on a day, and a day links
/// its first; a year of them cost a service page most of its time.
pub const DAY_INCIDENTS: usize = 3;

/// The incidents of one day: how many, and the newest `DAY_INCIDENTS` of them.
#[derive(Debug, Default)]
struct DayIncidents {
    count: usize,
    links: Vec<IncidentLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncidentLink {
    pub title: String,
    pub title_lang: Option<String>,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceView {
    pub id: String,
    pub name: String,
    pub name_lang: Option<String>,
    pub description: Option<String>,
    pub description_lang: Option<String>,
    pub group: Option<String>,
    pub url: String,
    /// `operational` or an impact word.
    pub status: &'static str,
    pub status_text: String,
    /// "99.87" over the bar's days; `None` when there is no data yet.
    pub uptime: Option<String>,
    pub days: Vec<DayView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub name: Option<String>,
    pub name_lang: Option<String>,
    pub services: Vec<ServiceView>,
}

impl Ctx<'_> {
    /// The `lang` of a plain text at `path` of `translations` on this page: the main
    /// language's when the text is shown untranslated (`localize::fallback`).
    pub fn lang_of(&self, translations: &Translations, path: &str) -> Option<String> {
        localize::fallback(&self.site.config, translations, path)
    }

    /// `lang_of` a field of the service `id` in status.yaml (`name`, `group`, `description`).
    pub fn service_lang(&self, id: &str, field: &str) -> Option<String> {
        let config = &self.site.config;
        if config.languages.first() == Some(&config.language) {
            return None;
        }
        let k = self.site.services.iter().position(|s| s.id == id)?;
        self.lang_of(&config.translations, &format!("services[{k}].{field}"))
    }

    pub fn time(&self, t: Time) -> TimeView {
        let written = self.strings.written(t, self.tz);
        TimeView {
            iso: written.iso,
            text: written.datetime,
            date: written.date,
            time: written.clock,
            date_only: false,
        }
    }

    pub fn moment(&self, m: Moment) -> TimeView {
        let mut view = self.time(m.at);
        if m.date_only {
            view.iso = m.at.with_timezone(&self.tz).format("%Y-%m-%d").to_string();
            view.text = view.date.clone();
            view.date_only = true;
        }
        view
    }

    pub fn status_text(&self, s: Status) -> String {
        self.strings
            .get(&format!("status_{}", s.as_str()))
            .to_owned()
    }

    pub fn impact_text(&self, word: &str) -> String {
        self.strings.get(&format!("impact_{word}")).to_owned()
    }

    pub fn service_ref(&self, id: &str) -> ServiceRef {
        ServiceRef {
            id: id.to_owned(),
            name: self
                .site
                .service(id)
                .map_or_else(|| id.to_owned(), |s| s.name.clone()),
            name_lang: self.service_lang(id, "name"),
            url: url::service_page(id),
        }
    }

    pub fn update(&self, u: &Update) -> UpdateView {
        UpdateView {
            at: self.time(u.at),
            status: u.status.as_str(),
            status_text: self.status_text(u.status),
            message_html: markdown::html(&u.message),
        }
    }

    pub fn summary(&self, i: &Incident) -> IncidentSummary {
        let kind = match i.kind {
            Kind::Incident => "incident",
            Kind::Maintenance => "maintenance",
        };
        let (end, expected_end) = self.ends(i);
        // Over: start to end; a window not begun: its planned length; else so far.
        let until = match (end, i.status) {
            (Some(end), _) => end,
            (None, Status::Scheduled) => expected_end.unwrap_or(i.start),
            (None, _) => self.now,
        }
        .max(i.start);
        IncidentSummary {
            slug: i.slug.clone(),
            url: url::incident_page(&i.slug),
            title: i.title.clone(),
            title_lang: self.lang_of(&i.translations, "title"),
            kind,
            kind_text: self.strings.get(&format!("kind_{kind}")).to_owned(),
            severity: i.severity.map(Severity::as_str),
            severity_text: i.severity.map(|s| {
                self.strings
                    .get(&format!("severity_{}", s.as_str()))
                    .to_owned()
            }),
            status: i.status.as_str(),
            status_text: self.status_text(i.status),
            closed: i.is_closed(),
            impact: i.worst_impact().map_or("none", Impact::as_str),
            start: self.time(i.start),
            end: end.map(|e| self.time(e)),
            expected_end: expected_end.map(|e| self.time(e)),
            duration: self.strings.duration((until - i.start).num_seconds()),
            summary_html: i.summary.as_ref().map(markdown::html),
            latest_update: i.updates.last().map(|u| self.update(u)),
            services: i.services.iter().map(|a| self.service_ref(&a.id)).collect(),
            now: if i.is_closed() {
                Vec::new()
            } else {
                i.services.iter().map(|a| self.service_now(i, a)).collect()
            },
        }
    }

    fn service_now(&self, i: &Incident, a: &Affected) -> ServiceNow {
        let restored = i.restored_at(a, self.now);
        let done = restored <= self.now && (a.restored.is_some() || i.end.is_some());
        let segments = i.segments(a, self.now);
        let impact = segments.last().map_or(a.impact, |s| s.impact);
        // Segment k > 0 began at stage k - 1: its note says which part still fails.
        let note = (segments.len().checked_sub(2))
            .and_then(|k| a.stages.get(k))
            .and_then(|s| s.note.as_ref());
        ServiceNow {
            service: self.service_ref(&a.id),
            impact: impact.as_str(),
            impact_text: self.impact_text(impact.as_str()),
            note_html: note.map(markdown::html).filter(|_| !done),
            restored: done.then(|| self.time(restored)),
        }
    }

    /// When `i` ended, or else when it is expected to. A window's written `end` is its plan: it
    /// ended when a `completed` update said so, or at that planned end; until then the plan is
    /// only expected.
    fn ends(&self, i: &Incident) -> (Option<Time>, Option<Time>) {
        let ended = crate::model::state::ended_at(i, self.now);
        let expected = match i.kind {
            Kind::Incident => i.expected_end,
            Kind::Maintenance => i.end.filter(|_| ended.is_none()),
        };
        (ended, expected)
    }

    /// The service at index `k` (`s`) with its current status and an uptime bar of `n` days.
    /// `touching` are the incidents that hit it.
    pub fn service(&self, k: usize, s: &Service, n: u32, touching: &[&Incident]) -> ServiceView {
        let status = self.state.services.get(k).copied().flatten();
        let status_word = status.map_or("operational", Impact::as_str);
        let days = self.state.days(k, n);
        let uptime = self.state.uptime(k, n).map(|f| self.strings.percent(f));
        let mut by_day = self.incidents_by_day(&s.id, touching, &days);
        ServiceView {
            id: s.id.clone(),
            name: s.name.clone(),
            name_lang: self.service_lang(&s.id, "name"),
            description: s.description.clone(),
            description_lang: (s.description.as_ref())
                .and_then(|_| self.service_lang(&s.id, "description")),
            group: s.group.clone(),
            url: url::service_page(&s.id),
            status: status_word,
            status_text: self.impact_text(status_word),
            uptime,
            days: days
                .iter()
                .map(|d| self.day(d, by_day.remove(&d.date).unwrap_or_default()))
                .collect(),
        }
    }

    /// The incidents that hit `service` on each day of `days`, in the order of `touching`:
    /// one pass over the incidents, each placed on the local days it spans.
    fn incidents_by_day(
        &self,
        service: &str,
        touching: &[&Incident],
        days: &[Day],
    ) -> HashMap<NaiveDate, DayIncidents> {
        let mut by_day: HashMap<NaiveDate, DayIncidents> = HashMap::new();
        let (Some(first), Some(last)) = (days.first(), days.last()) else {
            return by_day;
        };
        let window_start = crate::model::time::start_of_day(first.date, self.tz);
        // Most of a busy year's incidents ended before the bar begins: skip them cheaply.
        let in_window = |i: &&&Incident| i.end.is_none_or(|e| e > window_start);
        for i in touching.iter().filter(in_window) {
            for a in i.services.iter().filter(|a| a.id == service) {
                // What had not begun by the build time is on no day yet (a window starting later).
                let end = i.restored_at(a, self.now).min(self.now);
                if end <= a.from {
                    continue;
                }
                let local = |t: Time| t.with_timezone(&self.tz).date_naive();
                let mut date = local(a.from).max(first.date);
                let until = local(end - chrono::Duration::nanoseconds(1)).min(last.date);
                while date <= until {
                    let day = by_day.entry(date).or_default();
                    day.count += 1;
                    if day.links.len() < DAY_INCIDENTS {
                        day.links.push(IncidentLink {
                            title: i.title.clone(),
                            title_lang: self.lang_of(&i.translations, "title"),
                            url: url::incident_page(&i.slug),
                        });
                    }
                    let Some(next) = date.succ_opt() else { break };
                    date = next;
                }
            }
        }
        by_day
    }

    /// "16 Oct 2022: major outage for 1 hour 31 minutes, partial outage for 22 hours 29 minutes":
    /// each impact with the time it was the worst in force, never the day's whole affected time.
    fn impacts_of_day(&self, d: &Day, date: &str) -> String {
        let mut label = String::new();
        for &(impact, secs) in d
            .by_impact
            .iter()
            .filter(|(i, _)| *i != Impact::UnderMaintenance)
        {
            let impact = self.impact_text(impact.as_str()).to_lowercase();
            let duration = self.strings.duration(secs);
            if label.is_empty() {
                label = fill(
                    self.strings.get("day_impact"),
                    &[("date", date), ("impact", &impact), ("duration", &duration)],
                );
            } else {
                label.push_str(self.strings.get("list_separator"));
                label.push_str(&fill(
                    self.strings.get("day_impact_more"),
                    &[("impact", &impact), ("duration", &duration)],
                ));
            }
        }
        if label.is_empty() {
            label = fill(self.strings.get("day_maintenance"), &[("date", date)]);
        }
        label
    }

    fn day(&self, d: &Day, incidents: DayIncidents) -> DayView {
        let date = self
            .strings
            .date(crate::model::time::start_of_day(d.date, self.tz), self.tz);
        let (level, mut label) = match (d.has_data, d.worst) {
            (false, _) => (
                "no_data",
                fill(self.strings.get("day_no_data"), &[("date", &date)]),
            ),
            (true, None) => (
                "operational",
                fill(self.strings.get("day_operational"), &[("date", &date)]),
            ),
            (true, Some(Impact::UnderMaintenance)) => (
                Impact::UnderMaintenance.as_str(),
                fill(self.strings.get("day_maintenance"), &[("date", &date)]),
            ),
            (true, Some(impact)) => (impact.as_str(), self.impacts_of_day(d, &date)),
        };
        if incidents.count > 0 {
            label = format!(
                "{label}{}{}",
                self.strings.get("list_separator"),
                self.strings.plural("day_incidents", incidents.count as i64)
            );
        }
        DayView {
            date: d.date.to_string(),
            level,
            label,
            incidents: incidents.links,
            incident_count: incidents.count,
        }
    }
}

/// "99.87": two decimals, never rounded up to 100 while any downtime counts (in the site's
/// language, the page writes it with `Strings::percent`).
pub fn percent(fraction: f64) -> String {
    crate::theme::i18n::percent(fraction)
}
