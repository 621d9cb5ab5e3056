//! The validated site: what `load` produces and everything after it trusts.
//!
//! Pure data and the arithmetic that follows directly from format.md's "Meaning" section:
//! no file system, no templates, no clock. What depends on the time is `state`'s alone.
//! Never imports load, render or Markdown; never holds HTML (texts are Markdown source).

pub mod changes;
pub mod deploy;
pub mod headline;
pub mod ids;
pub mod localize;
pub mod said;
pub mod slug;
pub mod state;
pub mod text;
pub mod time;
pub mod translations;
pub mod uptime;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::sync::Arc;
pub use text::Text;
pub use translations::Translations;

pub type Time = DateTime<Utc>;

/// How hard a service is hit. Ordered from least to most severe for the public:
/// maintenance is planned and counts as no downtime, so it ranks below every outage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    UnderMaintenance,
    DegradedPerformance,
    PartialOutage,
    MajorOutage,
}

impl Impact {
    pub const ALL: [Impact; 4] = [
        Impact::DegradedPerformance,
        Impact::PartialOutage,
        Impact::MajorOutage,
        Impact::UnderMaintenance,
    ];

    /// The word users write, and Statuspage's component status word.
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::UnderMaintenance => "under_maintenance",
            Impact::DegradedPerformance => "degraded_performance",
            Impact::PartialOutage => "partial_outage",
            Impact::MajorOutage => "major_outage",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Incident,
    Maintenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Minor,
    Major,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Minor, Severity::Major, Severity::Critical];
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
        }
    }
}

/// An incident's or maintenance window's status, as posted in updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
    Scheduled,
    InProgress,
    Completed,
}

impl Status {
    pub const INCIDENT: [Status; 4] = [
        Status::Investigating,
        Status::Identified,
        Status::Monitoring,
        Status::Resolved,
    ];
    pub const MAINTENANCE: [Status; 3] = [Status::Scheduled, Status::InProgress, Status::Completed];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Investigating => "investigating",
            Status::Identified => "identified",
            Status::Monitoring => "monitoring",
            Status::Resolved => "resolved",
            Status::Scheduled => "scheduled",
            Status::InProgress => "in_progress",
            Status::Completed => "completed",
        }
    }

    pub fn allowed(kind: Kind) -> &'static [Status] {
        match kind {
            Kind::Incident => &Status::INCIDENT,
            Kind::Maintenance => &Status::MAINTENANCE,
        }
    }

    /// Whether this status closes the incident or window.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Resolved | Status::Completed)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Resigned,
    Appointed,
    Dismissed,
    SteppedDown,
    Other,
}

impl Change {
    pub const ALL: [Change; 5] = [
        Change::Resigned,
        Change::Appointed,
        Change::Dismissed,
        Change::SteppedDown,
        Change::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Resigned => "resigned",
            Change::Appointed => "appointed",
            Change::Dismissed => "dismissed",
            Change::SteppedDown => "stepped_down",
            Change::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitmentStatus {
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl CommitmentStatus {
    pub const ALL: [CommitmentStatus; 4] = [
        CommitmentStatus::Planned,
        CommitmentStatus::InProgress,
        CommitmentStatus::Done,
        CommitmentStatus::Dropped,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            CommitmentStatus::Planned => "planned",
            CommitmentStatus::InProgress => "in_progress",
            CommitmentStatus::Done => "done",
            CommitmentStatus::Dropped => "dropped",
        }
    }
}

/// A time that may have been written as a bare date (`leadership.at: 2022-10-19`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub at: Time,
    pub date_only: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub major_outage: f64,
    pub partial_outage: f64,
    pub degraded_performance: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            major_outage: 1.0,
            partial_outage: 0.3,
            degraded_performance: 0.0,
        }
    }
}

impl Weights {
    pub fn of(&self, impact: Impact) -> f64 {
        match impact {
            Impact::MajorOutage => self.major_outage,
            Impact::PartialOutage => self.partial_outage,
            Impact::DegradedPerformance => self.degraded_performance,
            Impact::UnderMaintenance => 0.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// The site's identity (`page_id:`), as written: every API id is made from it
    /// (`ids::page_id`), so ids survive a change of `base_url`.
    pub page_id: Option<String>,
    pub description: Option<String>,
    /// The address this copy of the site is built for (status.yaml's, or `--base-url`, or a
    /// mirror's): absolute, always ending in `/`.
    pub base_url: String,
    /// status.yaml's `base_url`, the site's own copy, which canonical links name from every
    /// copy (a mirror's, a preview's), so search engines rank one. Absolute, ending in `/`.
    pub canonical_url: String,
    /// The main language: the one at the output's root, and of every plain-string text.
    pub language: String,
    /// Every language of the site, the main one first (`languages:`, or `[language]`).
    pub languages: Vec<String>,
    /// The site's own texts (`title`, `description`, `services[0].name`, `links[0].title`) in
    /// its other languages.
    pub translations: Translations,
    pub timezone: Tz,
    pub theme: String,
    pub uptime_days: u32,
    pub weights: Weights,
    /// How many days a major incident stays at the top of the front page after it ends.
    pub major_incident_days: u32,
    /// After how many minutes without news an open incident's page warns that it may be out of
    /// date (the theme's script; 0: never).
    pub stale_after_minutes: u32,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub id: String,
    /// Its component's API id as written (`component_id:`, an imported component's
    /// Statuspage id); else made from the page and the service id.
    pub component_id: Option<String>,
    pub name: String,
    pub group: Option<String>,
    /// The group as the main language names it: what makes services one group, and the group
    /// component's API id, the same in every language (`group` is the name shown).
    pub group_key: Option<String>,
    pub description: Option<String>,
    pub since: Option<Time>,
}

#[derive(Debug, Clone)]
pub struct Stage {
    pub at: Time,
    pub impact: Impact,
    pub note: Option<Text>,
}

/// One service hit by an incident: when, how hard, and when it came back.
#[derive(Debug, Clone)]
pub struct Affected {
    pub id: String,
    pub impact: Impact,
    pub from: Time,
    pub stages: Vec<Stage>,
    /// As written; `None` means "with the incident's end" or "still down".
    pub restored: Option<Time>,
    pub note: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct Update {
    /// The API id as written (`id:`, an imported update's Statuspage id); else made from the
    /// incident's id and the update's time.
    pub id: Option<String>,
    pub at: Time,
    pub status: Status,
    pub message: Text,
}

#[derive(Debug, Clone)]
pub struct Apology {
    /// Its position in the file's list, which its texts' translations are keyed by
    /// (`apologies[2].role`): the model sorts and a `State` filters the list.
    pub index: usize,
    pub at: Time,
    pub by: String,
    pub role: Option<String>,
    pub statement: Text,
    pub link: Option<String>,
}

/// A public statement that is not an apology (a plan announced, a position taken).
#[derive(Debug, Clone)]
pub struct Statement {
    /// Its position in the file's list, which its texts' translations are keyed by
    /// (`apologies[2].role`): the model sorts and a `State` filters the list.
    pub index: usize,
    pub at: Moment,
    pub by: String,
    pub role: Option<String>,
    pub statement: Text,
    pub link: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Leadership {
    /// Its position in the file's list, which its texts' translations are keyed by
    /// (`apologies[2].role`): the model sorts and a `State` filters the list.
    pub index: usize,
    pub at: Moment,
    pub person: String,
    pub role: String,
    pub change: Change,
    pub note: Option<Text>,
    pub link: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Compensation {
    /// Its position in the file's list, which its texts' translations are keyed by
    /// (`apologies[2].role`): the model sorts and a `State` filters the list.
    pub index: usize,
    pub at: Option<Moment>,
    pub for_whom: String,
    pub description: Text,
}

#[derive(Debug, Clone)]
pub struct Commitment {
    /// Its position in the file's list, which its texts' translations are keyed by
    /// (`apologies[2].role`): the model sorts and a `State` filters the list.
    pub index: usize,
    pub what: String,
    pub due: Option<String>,
    pub status: CommitmentStatus,
    pub note: Option<Text>,
}

/// A place in an input file: 1-based line and column, and that line's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub line: usize,
    pub column: usize,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Incident {
    pub slug: String,
    /// The API id as written (`id:`, an imported incident's Statuspage id); else made from
    /// the slug (`ids::incident_id`).
    pub id: Option<String>,
    /// Where that `id:` is written in the file, for the check that spans files (two files,
    /// one id), which has no file's text at hand.
    pub id_written: Option<Written>,
    pub title: String,
    pub kind: Kind,
    pub severity: Option<Severity>,
    pub start: Time,
    /// Written, or the time of the last `resolved` update when only `status: resolved` was given.
    /// In a `State`'s site: only when it lies at or before the state's instant.
    pub end: Option<Time>,
    /// In a `State`'s site, an incident's written `end` that lies after the instant: the
    /// incident is still open and expected to end then. Always `None` as loaded.
    pub expected_end: Option<Time>,
    /// The `status:` key as written, if it was.
    pub written_status: Option<Status>,
    /// The status at a `State`'s instant; as loaded, the status once everything in the file
    /// has happened.
    pub status: Status,
    pub summary: Option<Text>,
    pub cause: Option<Text>,
    pub services: Vec<Affected>,
    /// Sorted by time (the order as written is only warned about).
    pub updates: Vec<Update>,
    pub apologies: Vec<Apology>,
    pub statements: Vec<Statement>,
    pub leadership: Vec<Leadership>,
    pub compensation: Vec<Compensation>,
    pub commitments: Vec<Commitment>,
    pub postmortem: Option<Text>,
    pub postmortem_url: Option<String>,
    pub sources: Vec<Link>,
    pub draft: bool,
    /// The incident's texts in the site's other languages, by field path.
    pub translations: Translations,
    /// The latest of the times the file names (`Incident::dated`), kept by `load` so that the
    /// state at an instant knows the past incidents at a glance.
    pub last_dated: Time,
}

/// A stretch of time during which one service had one impact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub from: Time,
    pub to: Time,
    pub impact: Impact,
}

impl Incident {
    /// Whether the incident is resolved or the window completed (at a `State`'s instant).
    pub fn is_closed(&self) -> bool {
        self.status.is_closed()
    }

    /// When a service's impact ends: its `restored`, else the incident's end, else the build time.
    pub fn restored_at(&self, affected: &Affected, now: Time) -> Time {
        affected
            .restored
            .or(self.end)
            .unwrap_or(now)
            .max(affected.from)
    }

    /// The impact segments of one affected service, clipped to the build time:
    /// what has not happened yet is not shown as having happened.
    pub fn segments(&self, affected: &Affected, now: Time) -> Vec<Segment> {
        let end = self.restored_at(affected, now).min(now);
        let mut out = Vec::with_capacity(affected.stages.len() + 1);
        let mut from = affected.from;
        let mut impact = affected.impact;
        for stage in &affected.stages {
            push_segment(&mut out, from, stage.at.min(end), impact);
            from = stage.at;
            impact = stage.impact;
        }
        push_segment(&mut out, from, end, impact);
        out
    }

    /// When the public first heard of it: a window is announced before it starts, and its
    /// first (`scheduled`) update says when.
    pub fn announced(&self) -> Time {
        self.updates
            .first()
            .map_or(self.start, |u| u.at.min(self.start))
    }

    /// The worst impact this incident has on any service at any time.
    pub fn worst_impact(&self) -> Option<Impact> {
        self.services
            .iter()
            .flat_map(|a| std::iter::once(a.impact).chain(a.stages.iter().map(|s| s.impact)))
            .max()
    }
}

fn push_segment(out: &mut Vec<Segment>, from: Time, to: Time, impact: Impact) {
    if to > from {
        out.push(Segment { from, to, impact });
    }
}

/// The whole validated site. Incidents are sorted newest first (by start, then slug),
/// the order every list on the site uses.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub services: Vec<Service>,
    /// Shared, so a `State` copies only the incidents that the instant changes.
    pub incidents: Vec<Arc<Incident>>,
}

impl Site {
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn sort_incidents(&mut self) {
        self.incidents
            .sort_by(|a, b| b.start.cmp(&a.start).then_with(|| a.slug.cmp(&b.slug)));
    }
}
