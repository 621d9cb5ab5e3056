//! The incident page's timeline: every dated event of an incident (updates, service changes,
//! restorations, statements, leadership and compensation) in one list, oldest first, a bare
//! date after the timed events of its day.
//!
//! Never derives a status: the incident comes as it stood at the page's instant.

use super::incident::TimelineEntry;
use super::view::{Ctx, TimeView};
use crate::model::time::day_last;
use crate::model::*;
use crate::render::markdown::{self, SafeHtml};
use crate::theme::i18n::fill;

impl Ctx<'_> {
    /// "KakaoTalk: partial outage", in the words of the i18n string `key`.
    fn impact_title(&self, key: &str, service: &str, impact: Impact) -> String {
        let impact = self.impact_text(impact.as_str()).to_lowercase();
        fill(
            self.strings.get(key),
            &[("service", service), ("impact", &impact)],
        )
    }

    /// Every dated event of the incident in one list, oldest first.
    pub(super) fn timeline(&self, i: &Incident) -> Vec<TimelineEntry> {
        let maintenance = i.kind == Kind::Maintenance;
        let mut entries: Vec<(Time, TimelineEntry)> = Vec::new();
        let mut push = |t: Moment,
                        at: TimeView,
                        kind,
                        level,
                        title: String,
                        html: Option<SafeHtml>,
                        link: Option<String>| {
            entries.push((
                day_last(t, self.tz),
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
            timed(i.start),
            self.time(i.start),
            "start",
            i.worst_impact().map_or("none", Impact::as_str),
            self.strings.get(start_key).to_owned(),
            None,
            None,
        );
        for u in &i.updates {
            // A note posted after the end keeps the closing status but is not a second
            // resolution: it reads as a follow-up.
            let title = if i.end.is_some_and(|end| u.at > end) && u.status.is_closed() {
                self.strings.get("timeline_follow_up").to_owned()
            } else {
                self.status_text(u.status)
            };
            push(
                timed(u.at),
                self.time(u.at),
                "update",
                u.status.as_str(),
                title,
                Some(markdown::html(&u.message)),
                None,
            );
        }
        for a in &i.services {
            let name = self.service_ref(&a.id).name;
            if a.from > i.start && a.from <= self.now {
                let title = self.impact_title("timeline_hit", &name, a.impact);
                push(
                    timed(a.from),
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
                    timed(s.at),
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
                    timed(r),
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
                timed(a.at),
                self.time(a.at),
                "apology",
                "none",
                title,
                Some(markdown::html(&a.statement)),
                a.link.clone(),
            );
        }
        for s in &i.statements {
            let title = fill(self.strings.get("timeline_statement"), &[("by", &s.by)]);
            push(
                s.at,
                self.moment(s.at),
                "statement",
                "none",
                title,
                Some(markdown::html(&s.statement)),
                s.link.clone(),
            );
        }
        for l in &i.leadership {
            let change_key = format!("change_{}", l.change.as_str());
            let change = self.strings.get(&change_key);
            // `other` names no change: the entry says a change in leadership, and its note what.
            let key = match l.change {
                Change::Other => "timeline_leadership_other",
                _ => "timeline_leadership",
            };
            let title = fill(
                self.strings.get(key),
                &[("person", &l.person), ("role", &l.role), ("change", change)],
            );
            push(
                l.at,
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
                    at,
                    self.moment(at),
                    "compensation",
                    "none",
                    title,
                    Some(markdown::html(&c.description)),
                    None,
                );
            }
        }
        // The update that closed it says the same at the same minute: one row, not two alike.
        let closed_by_update =
            |end: Time| (i.updates.iter()).any(|u| u.at == end && u.status.is_closed());
        if let Some(end) = i.end.filter(|e| *e <= self.now && !closed_by_update(*e)) {
            let key = if maintenance {
                "timeline_end_maintenance"
            } else {
                "timeline_end"
            };
            push(
                timed(end),
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

/// A timestamp as a timeline entry's time.
fn timed(at: Time) -> Moment {
    Moment {
        at,
        date_only: false,
    }
}
