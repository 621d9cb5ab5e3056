//! One `incidents/SLUG.yaml` → a checked `Incident`, with every rule of format.md.

use super::report::{Report, words_help};
use super::site::{SiteContext, check_url, is_slug, links, shape};
use super::{LoadOptions, parse_yaml};
use crate::error::Diagnostic;
use crate::load::raw::*;
use crate::markdown;
use crate::model::time::{parse_moment, parse_timestamp};
use crate::model::*;
use chrono::Duration;
use chrono_tz::Tz;
use std::collections::HashSet;

fn incident_keys(path: &str) -> &'static [&'static str] {
    match shape(path).as_str() {
        "services" => &["id", "impact", "from", "stages", "restored", "note"],
        "services.stages" => &["at", "impact", "note"],
        "updates" => &["at", "status", "message"],
        "apologies" => &["at", "by", "role", "statement", "link"],
        "leadership" => &["at", "person", "role", "change", "note", "link"],
        "compensation" => &["at", "for", "description"],
        "commitments" => &["what", "due", "status", "note"],
        "sources" => &["title", "url"],
        _ => &[
            "title",
            "kind",
            "severity",
            "start",
            "end",
            "status",
            "summary",
            "cause",
            "services",
            "updates",
            "apologies",
            "leadership",
            "compensation",
            "commitments",
            "postmortem",
            "postmortem_url",
            "sources",
            "draft",
        ],
    }
}

/// Loads one incident file. `context` is `None` when `status.yaml` itself failed to parse;
/// the file is then still checked for everything that does not need the site.
pub fn load_incident(
    file: &str,
    text: &str,
    context: Option<&SiteContext>,
    options: &LoadOptions,
) -> (Option<Incident>, Vec<Diagnostic>) {
    let mut report = Report::new(file, text);
    let slug = slug_of(file);
    if !is_slug(slug) {
        report.diagnostics.push(
            Diagnostic::error(file, format!("`{slug}` is not a valid incident slug")).with_help(
                format!(
                    "the file name becomes the URL: use lowercase letters, digits and `-`, \
                     like `incidents/{}.yaml`",
                    suggest_slug(slug)
                ),
            ),
        );
    }
    let Some(raw) = parse_yaml::<RawIncident>(&mut report, &incident_keys) else {
        return (None, report.diagnostics);
    };
    let mut check = Check {
        report,
        tz: context.map_or(Tz::UTC, |c| c.config.timezone),
        context,
        now: options.now,
        clock: options.clock,
    };
    let incident = check.incident(slug.to_owned(), raw);
    let ok = !check.report.has_errors();
    (incident.filter(|_| ok), check.report.diagnostics)
}

/// "2 h 5 min", "40 min", "12 s": how far ahead a time is, for a warning.
fn ahead(by: Duration) -> String {
    let (h, m, s) = (by.num_hours(), by.num_minutes() % 60, by.num_seconds() % 60);
    match (h, m) {
        (0, 0) => format!("{s} s"),
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m} min"),
    }
}

fn slug_of(file: &str) -> &str {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.strip_suffix(".yaml").unwrap_or(name)
}

fn suggest_slug(stem: &str) -> String {
    let mut out = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "2022-10-15-outage".to_owned()
    } else {
        trimmed.to_owned()
    }
}

struct Check<'a> {
    report: Report<'a>,
    tz: Tz,
    context: Option<&'a SiteContext>,
    /// The build time: the instant the site is built as of.
    now: Time,
    /// The clock, for what only a mistyped date can explain.
    clock: Time,
}

impl Check<'_> {
    fn incident(&mut self, slug: String, raw: RawIncident) -> Option<Incident> {
        let kind = match raw.kind.as_deref() {
            None => Kind::Incident,
            Some("incident") => Kind::Incident,
            Some("maintenance") => Kind::Maintenance,
            Some(other) => {
                let help = words_help(other, &["incident", "maintenance"]);
                self.report
                    .error("kind", format!("unknown kind `{other}`"), Some(help));
                Kind::Incident
            }
        };
        let severity = self.severity(kind, raw.severity.as_deref());
        let start = self.time("start", &raw.start, kind);
        let mut end = raw.end.as_deref().and_then(|t| self.time("end", t, kind));
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            self.report.error(
                "end",
                "`end` is before `start`",
                Some(format!(
                    "the incident starts at {}",
                    s.with_timezone(&self.tz).to_rfc3339()
                )),
            );
        }
        let start = start?;
        let updates = self.updates(kind, start, raw.updates);
        let written_status = self.status(kind, raw.status.as_deref(), &updates, &mut end, start);
        if kind == Kind::Maintenance && end.is_none() {
            self.report.error(
                "start",
                "a maintenance window needs `end`, its planned end",
                Some("add `end:` with the time the window closes".into()),
            );
        }
        let services = self.services(kind, start, end, raw.services);
        let mut incident = Incident {
            slug,
            title: raw.title,
            kind,
            severity,
            start,
            end,
            expected_end: None,
            written_status,
            // Set below, once the incident is whole.
            status: Status::Investigating,
            summary: self.markdown("summary", raw.summary),
            cause: self.markdown("cause", raw.cause),
            services,
            updates,
            apologies: self.apologies(kind, raw.apologies),
            leadership: self.leadership(raw.leadership),
            compensation: self.compensation(raw.compensation),
            commitments: self.commitments(raw.commitments),
            postmortem: self.markdown("postmortem", raw.postmortem),
            postmortem_url: raw.postmortem_url.inspect(|url| {
                check_url(&mut self.report, "postmortem_url", url);
            }),
            sources: links(&mut self.report, "sources", raw.sources),
            draft: raw.draft,
            last_dated: start,
        };
        incident.status = state::status_at(&incident, Time::MAX_UTC);
        incident.last_dated = incident.dated().max().unwrap_or(incident.start);
        let open_at_build = !state::status_at(&incident, self.now).is_closed();
        if kind == Kind::Incident && open_at_build && incident.start <= self.now {
            self.warn_expected_end(incident.end);
        }
        if kind == Kind::Incident && open_at_build && self.now - incident.start > Duration::days(30)
        {
            self.report.warning(
                "start",
                format!(
                    "this incident has been unresolved for {} days",
                    (self.now - incident.start).num_days()
                ),
                Some("add `end:` or a `resolved` update once it is over".into()),
            );
        }
        Some(incident)
    }

    fn severity(&mut self, kind: Kind, word: Option<&str>) -> Option<Severity> {
        let word = word?;
        if kind == Kind::Maintenance {
            self.report.error(
                "severity",
                "a maintenance window has no severity",
                Some("remove `severity:`, or make it `kind: incident`".into()),
            );
            return None;
        }
        let found = parse_word(&Severity::ALL, word, Severity::as_str);
        if found.is_none() {
            let help = words_help(word, &["minor", "major", "critical"]);
            self.report
                .error("severity", format!("unknown severity `{word}`"), Some(help));
        }
        found
    }

    /// Reads a timestamp at `path`; warns when it lies over a day after the build time
    /// (a mistyped year), except the planned times of maintenance, which are ahead on purpose.
    fn time(&mut self, path: &str, text: &str, kind: Kind) -> Option<Time> {
        match parse_timestamp(text, self.tz) {
            Ok(t) => {
                if kind == Kind::Incident || path.starts_with("updates") {
                    self.warn_future(path, t);
                }
                Some(t)
            }
            Err(e) => {
                self.report.error(path, e.message, Some(e.help));
                None
            }
        }
    }

    /// A time after the clock has not happened yet, so what it dates is shown nowhere until
    /// then: over a day ahead it is a mistyped year, less is most often a time zone slip. An
    /// `end` within the day is an expected end (`warn_expected_end`). Measured against the
    /// clock, not the build time: a build of a past instant (`--now`, replay) has a future of
    /// its own.
    fn warn_future(&mut self, path: &str, t: Time) {
        let clock = self
            .clock
            .with_timezone(&self.tz)
            .format("%Y-%m-%d %H:%M %Z");
        if t > self.clock + Duration::days(1) {
            self.report.warning(
                path,
                format!("this time is more than a day after the clock ({clock})"),
                Some("check the year and the date".into()),
            );
        } else if t > self.clock && path != "end" {
            self.report.warning(
                path,
                format!(
                    "this time is {} after the clock ({clock}): what it dates is not shown until then",
                    ahead(t - self.clock)
                ),
                Some(format!(
                    "check the time zone: a time without an offset is read in {}, and `Z` means UTC",
                    self.tz.name()
                )),
            );
        }
    }

    /// An `end` after the build time is an expected end: the incident is still open.
    fn warn_expected_end(&mut self, end: Option<Time>) {
        let Some(end) = end.filter(|&e| e > self.now) else {
            return;
        };
        self.report.warning(
            "end",
            format!(
                "`end` is after the build time ({}): the incident is shown as open, expected to end {}",
                self.now.with_timezone(&self.tz).format("%Y-%m-%d %H:%M %Z"),
                end.with_timezone(&self.tz).format("%Y-%m-%d %H:%M %Z"),
            ),
            Some("the incident shows as resolved at that time whether or not it is over; to give an estimate, say it in an update and write `end:` once it is over".into()),
        );
    }

    fn moment(&mut self, path: &str, text: &str) -> Option<Moment> {
        match parse_moment(text, self.tz) {
            Ok(m) => {
                self.warn_future(path, m.at);
                Some(m)
            }
            Err(e) => {
                self.report.error(path, e.message, Some(e.help));
                None
            }
        }
    }

    fn markdown(&mut self, path: &str, source: Option<String>) -> Option<Text> {
        source.map(|s| self.text(path, s, false))
    }

    fn text(&mut self, path: &str, source: String, inline: bool) -> Text {
        for url in &markdown::unsafe_urls(&source) {
            self.report.warning(
                path,
                format!("unsafe link `{url}` is dropped from the output"),
                Some("links may be http, https, mailto or relative".into()),
            );
        }
        Text { source, inline }
    }

    fn updates(&mut self, kind: Kind, start: Time, raw: Vec<RawUpdate>) -> Vec<Update> {
        let mut out: Vec<Update> = Vec::with_capacity(raw.len());
        let mut warned_order = false;
        for (i, u) in raw.into_iter().enumerate() {
            let path = format!("updates[{i}]");
            let at = self.time(&format!("{path}.at"), &u.at, kind);
            let status = self.status_word(kind, &format!("{path}.status"), &u.status);
            let message = self.text(&format!("{path}.message"), u.message, false);
            let (Some(at), Some(status)) = (at, status) else {
                continue;
            };
            if !warned_order && out.last().is_some_and(|prev| prev.at > at) {
                warned_order = true;
                self.report.warning(
                    &format!("{path}.at"),
                    "updates are not in time order; they are shown sorted",
                    Some("keep updates in the order they were posted".into()),
                );
            }
            let planned = kind == Kind::Maintenance && status == Status::Scheduled;
            if at < start && !planned {
                self.report.warning(
                    &format!("{path}.at"),
                    "this update is before the incident's start",
                    Some("check its date, or move `start` earlier".into()),
                );
            }
            out.push(Update {
                at,
                status,
                message,
            });
        }
        out.sort_by_key(|u| u.at);
        out
    }

    fn status_word(&mut self, kind: Kind, path: &str, word: &str) -> Option<Status> {
        let allowed = Status::allowed(kind);
        let found = parse_word(allowed, word, Status::as_str);
        if found.is_none() {
            let words: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
            let what = match kind {
                Kind::Incident => "an incident",
                Kind::Maintenance => "a maintenance window",
            };
            self.report.error(
                path,
                format!("unknown status `{word}` for {what}"),
                Some(words_help(word, &words)),
            );
        }
        found
    }

    /// The `status:` as written. `resolved` without `end` (written, or the last update's)
    /// takes the time of the last `resolved` update as the end.
    fn status(
        &mut self,
        kind: Kind,
        written: Option<&str>,
        updates: &[Update],
        end: &mut Option<Time>,
        start: Time,
    ) -> Option<Status> {
        let written = written.and_then(|w| self.status_word(kind, "status", w));
        let last = updates.last().map(|u| u.status);
        if kind == Kind::Incident && end.is_none() && written.or(last) == Some(Status::Resolved) {
            match updates.iter().rev().find(|u| u.status == Status::Resolved) {
                Some(u) => *end = Some(u.at.max(start)),
                None => self.report.error(
                    if written.is_some() { "status" } else { "" },
                    "the incident is resolved but has no `end`",
                    Some("add `end:` with the time it was resolved, or an update with `status: resolved`".into()),
                ),
            }
        }
        written
    }

    fn services(
        &mut self,
        kind: Kind,
        start: Time,
        end: Option<Time>,
        raw: Vec<RawAffected>,
    ) -> Vec<Affected> {
        let mut seen = HashSet::new();
        let mut out = Vec::with_capacity(raw.len());
        for (i, a) in raw.into_iter().enumerate() {
            let path = format!("services[{i}]");
            self.known_service(&format!("{path}.id"), &a.id);
            if !seen.insert(a.id.clone()) {
                self.report.error(
                    &format!("{path}.id"),
                    format!("service `{}` is listed twice in this incident", a.id),
                    Some("use `stages` for a service whose impact changed over time".into()),
                );
            }
            let impact = match (a.impact.as_deref(), kind) {
                (Some(word), _) => self.impact(&format!("{path}.impact"), word),
                (None, Kind::Maintenance) => Some(Impact::UnderMaintenance),
                (None, Kind::Incident) => {
                    self.report.error(
                        &path,
                        "missing key `impact`",
                        Some("add `impact:` (degraded_performance | partial_outage | major_outage | under_maintenance)".into()),
                    );
                    None
                }
            };
            let from = match a.from.as_deref() {
                Some(t) => self.time(&format!("{path}.from"), t, kind).inspect(|&f| {
                    self.window_rule(
                        &format!("{path}.from"),
                        f < start,
                        "`from` is before the incident's start",
                    );
                    self.window_rule(
                        &format!("{path}.from"),
                        end.is_some_and(|e| f > e),
                        "`from` is after the incident's end",
                    );
                }),
                None => Some(start),
            };
            let restored = a
                .restored
                .as_deref()
                .and_then(|t| self.time(&format!("{path}.restored"), t, kind));
            if let (Some(f), Some(r)) = (from, restored) {
                self.window_rule(
                    &format!("{path}.restored"),
                    r < f,
                    "`restored` is before the service was hit (`from`)",
                );
            }
            if let (Some(r), Some(e)) = (restored, end) {
                self.window_rule(
                    &format!("{path}.restored"),
                    r > e,
                    "`restored` is after the incident's `end`",
                );
            }
            let window_end = restored.or(end);
            let stages = self.stages(&path, kind, from, window_end, a.stages);
            let note = a.note.map(|n| self.text(&format!("{path}.note"), n, false));
            if let (Some(impact), Some(from)) = (impact, from) {
                out.push(Affected {
                    id: a.id,
                    impact,
                    from,
                    stages,
                    restored,
                    note,
                });
            }
        }
        out
    }

    fn window_rule(&mut self, path: &str, broken: bool, message: &str) {
        if broken {
            self.report.error(
                path,
                message,
                Some("a service's window runs from `from` (not before `start`) to `restored` (not after `end`)".into()),
            );
        }
    }

    fn known_service(&mut self, path: &str, id: &str) {
        let Some(context) = self.context else { return };
        if context.service_ids().any(|s| s == id) {
            return;
        }
        let help = super::report::unknown_service_help(id, context.service_ids());
        self.report
            .error(path, format!("unknown service \"{id}\""), Some(help));
    }

    fn impact(&mut self, path: &str, word: &str) -> Option<Impact> {
        let found = Impact::parse(word);
        if found.is_none() {
            let words: Vec<&str> = Impact::ALL.iter().map(|i| i.as_str()).collect();
            self.report.error(
                path,
                format!("unknown impact `{word}`"),
                Some(words_help(word, &words)),
            );
        }
        found
    }

    fn stages(
        &mut self,
        service_path: &str,
        kind: Kind,
        from: Option<Time>,
        window_end: Option<Time>,
        raw: Vec<RawStage>,
    ) -> Vec<Stage> {
        let mut out: Vec<Stage> = Vec::with_capacity(raw.len());
        for (j, s) in raw.into_iter().enumerate() {
            let path = format!("{service_path}.stages[{j}]");
            let at = self.time(&format!("{path}.at"), &s.at, kind);
            let impact = self.impact(&format!("{path}.impact"), &s.impact);
            let note = s.note.map(|n| self.text(&format!("{path}.note"), n, true));
            let Some(at) = at else { continue };
            let after = out.last().map(|p| p.at).or(from);
            if after.is_some_and(|a| at <= a) {
                let what = if out.is_empty() {
                    "the service's `from`"
                } else {
                    "the stage before it"
                };
                self.report.error(
                    &format!("{path}.at"),
                    format!("stage {} is not after {what}", j + 1),
                    Some("stages lie strictly inside the service's window, in time order".into()),
                );
            } else if window_end.is_some_and(|e| at >= e) {
                self.report.error(
                    &format!("{path}.at"),
                    format!("stage {} is not before the service was restored", j + 1),
                    Some("stages lie strictly inside the service's window; the last one ends at `restored` (or `end`)".into()),
                );
            }
            if let Some(impact) = impact {
                out.push(Stage { at, impact, note });
            }
        }
        out
    }

    fn apologies(&mut self, kind: Kind, raw: Vec<RawApology>) -> Vec<Apology> {
        let mut out = Vec::with_capacity(raw.len());
        for (i, a) in raw.into_iter().enumerate() {
            let path = format!("apologies[{i}]");
            let at = self.time(&format!("{path}.at"), &a.at, kind);
            let statement = self.text(&format!("{path}.statement"), a.statement, false);
            if let Some(link) = &a.link {
                check_url(&mut self.report, &format!("{path}.link"), link);
            }
            if let Some(at) = at {
                out.push(Apology {
                    at,
                    by: a.by,
                    role: a.role,
                    statement,
                    link: a.link,
                });
            }
        }
        out.sort_by_key(|a| a.at);
        out
    }

    fn leadership(&mut self, raw: Vec<RawLeadership>) -> Vec<Leadership> {
        let mut out = Vec::with_capacity(raw.len());
        for (i, l) in raw.into_iter().enumerate() {
            let path = format!("leadership[{i}]");
            let at = self.moment(&format!("{path}.at"), &l.at);
            let change = parse_word(&Change::ALL, &l.change, Change::as_str);
            if change.is_none() {
                let words: Vec<&str> = Change::ALL.iter().map(|c| c.as_str()).collect();
                self.report.error(
                    &format!("{path}.change"),
                    format!("unknown change `{}`", l.change),
                    Some(words_help(&l.change, &words)),
                );
            }
            let note = l.note.map(|n| self.text(&format!("{path}.note"), n, false));
            if let Some(link) = &l.link {
                check_url(&mut self.report, &format!("{path}.link"), link);
            }
            if let (Some(at), Some(change)) = (at, change) {
                out.push(Leadership {
                    at,
                    person: l.person,
                    role: l.role,
                    change,
                    note,
                    link: l.link,
                });
            }
        }
        out.sort_by_key(|l| l.at.at);
        out
    }

    fn compensation(&mut self, raw: Vec<RawCompensation>) -> Vec<Compensation> {
        raw.into_iter()
            .enumerate()
            .map(|(i, c)| {
                let path = format!("compensation[{i}]");
                Compensation {
                    at: c
                        .at
                        .as_deref()
                        .and_then(|t| self.moment(&format!("{path}.at"), t)),
                    for_whom: c.for_whom,
                    description: self.text(&format!("{path}.description"), c.description, false),
                }
            })
            .collect()
    }

    fn commitments(&mut self, raw: Vec<RawCommitment>) -> Vec<Commitment> {
        let mut out = Vec::with_capacity(raw.len());
        for (i, c) in raw.into_iter().enumerate() {
            let path = format!("commitments[{i}]");
            let status = parse_word(&CommitmentStatus::ALL, &c.status, CommitmentStatus::as_str);
            if status.is_none() {
                let words: Vec<&str> = CommitmentStatus::ALL.iter().map(|s| s.as_str()).collect();
                self.report.error(
                    &format!("{path}.status"),
                    format!("unknown commitment status `{}`", c.status),
                    Some(words_help(&c.status, &words)),
                );
            }
            let note = c.note.map(|n| self.text(&format!("{path}.note"), n, false));
            if let Some(status) = status {
                out.push(Commitment {
                    what: c.what,
                    due: c.due.map(|d| d.0),
                    status,
                    note,
                });
            }
        }
        out
    }
}
