//! One `incidents/SLUG.yaml` → a checked `Incident`, with every rule of format.md: here the
//! file as a whole (its slug, keys, kind, severity, texts) and the incident assembled from its
//! parts; `times` reads and warns about times, `timeline` the updates and status, `services`
//! the services hit and their windows, `accountability` apologies, statements, leadership, compensation
//! and commitments.
//!
//! Never reads the disk or the clock (the caller hands in the text and the instants), never
//! renders Markdown (a `Text` keeps its source), and stops at no first error: every problem of
//! the file is reported.

mod accountability;
mod services;
mod timeline;
mod times;

use super::ids::api_id;
use super::report::Report;
use super::site::{SiteContext, check_url, links, shape};
use super::text;
use super::words::{KIND, SEVERITY};
use super::{LoadOptions, parse_yaml};
use crate::error::{Code, Diagnostic};
use crate::load::languages::{self, Texts};
use crate::load::raw::{RawIncident, RawText};
use crate::markdown;
use crate::model::slug::{is_slug, slugify};
use crate::model::{Incident, Kind, Severity, Status, Text, Time, Translations, Written, state};
use chrono_tz::Tz;

fn incident_keys(path: &str) -> &'static [&'static str] {
    match shape(path).as_str() {
        "services" => &["id", "impact", "from", "stages", "restored", "note"],
        "services.stages" => &["at", "impact", "note"],
        "updates" => &["at", "status", "message", "id"],
        "apologies" | "statements" => &["at", "by", "role", "statement", "link"],
        "leadership" => &["at", "person", "role", "change", "note", "link"],
        "compensation" => &["at", "for", "description"],
        "commitments" => &["what", "due", "status", "note"],
        "sources" => &["title", "url"],
        _ => &[
            "id",
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
            "statements",
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
            Diagnostic::error(
                Code::InvalidSlug,
                file,
                format!("`{slug}` is not a valid incident slug"),
            )
            .with_help(format!(
                "the file name becomes the URL: use lowercase letters, digits and `-`, \
                     like `incidents/{}.yaml`",
                // A stem with no ASCII letter or digit gets an example of the pattern.
                slugify(slug).unwrap_or_else(|| "2022-10-15-outage".to_owned())
            )),
        );
    }
    let Some(raw) = parse_yaml::<RawIncident>(&mut report, &incident_keys) else {
        return (None, report.diagnostics);
    };
    let mut check = Check {
        report,
        tz: context.map_or(Tz::UTC, |c| c.config.timezone),
        texts: Texts {
            languages: context.map_or(&[], |c| &c.config.languages),
        },
        translations: Translations::default(),
        context,
        now: options.now,
        clock: options.clock,
    };
    let incident = check.incident(slug.to_owned(), raw);
    let ok = !check.report.has_errors();
    (incident.filter(|_| ok), check.report.diagnostics)
}

fn slug_of(file: &str) -> &str {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.strip_suffix(".yaml").unwrap_or(name)
}

/// One file being checked: its report, and what its rules are checked against.
struct Check<'a> {
    report: Report<'a>,
    tz: Tz,
    /// The site's languages, which the file's texts are checked against.
    texts: Texts<'a>,
    /// The file's plain-string texts in the other languages, and what awaits translation.
    translations: Translations,
    context: Option<&'a SiteContext>,
    /// The build time: the instant the site is built as of.
    now: Time,
    /// The clock, for what only a mistyped date can explain.
    clock: Time,
}

impl Check<'_> {
    fn incident(&mut self, slug: String, raw: RawIncident) -> Option<Incident> {
        // First, so the translation backlog lists the title first, as the file does.
        let title = self.words("title", raw.title);
        // An unknown kind is reported, and the rest checked as an incident's.
        let kind = raw
            .kind
            .as_deref()
            .map_or(Some(Kind::Incident), |w| {
                self.report.one_of("kind", w, &KIND)
            })
            .unwrap_or(Kind::Incident);
        let severity = self.severity(kind, raw.severity.as_deref());
        let start = self.time("start", &raw.start, kind);
        let mut end = raw.end.as_deref().and_then(|t| self.time("end", t, kind));
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            self.report.error(
                Code::EndBeforeStart,
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
                Code::MaintenanceWithoutEnd,
                "start",
                "a maintenance window needs `end`, its planned end",
                Some("add `end:` with the time the window closes".into()),
            );
        }
        let services = self.services(kind, start, end, raw.services);
        let id = raw.id.filter(|id| api_id(&mut self.report, "id", id));
        let id_written = id.as_ref().and_then(|_| written_id(self.report.source));
        let sources = links(
            &mut self.report,
            "sources",
            raw.sources,
            (self.texts, &mut self.translations),
        );
        let mut incident = Incident {
            slug,
            id,
            id_written,
            title,
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
            statements: self.statements(raw.statements),
            leadership: self.leadership(raw.leadership),
            compensation: self.compensation(raw.compensation),
            commitments: self.commitments(raw.commitments),
            postmortem: self.markdown("postmortem", raw.postmortem),
            postmortem_url: raw.postmortem_url.map(|url| {
                let url = url.checked(&mut self.report, "postmortem_url");
                check_url(&mut self.report, "postmortem_url", &url);
                url
            }),
            sources,
            draft: raw.draft,
            translations: std::mem::take(&mut self.translations),
            last_dated: start,
        };
        // Every text is read by now, the Markdown ones too (they keep their translations).
        let main = self.texts.languages.first().map_or("en", String::as_str);
        languages::untranslated(&mut self.report, main, &incident.translations);
        incident.status = state::status_at(&incident, Time::MAX_UTC);
        incident.last_dated = incident.dated().max().unwrap_or(incident.start);
        let open_at_build = !state::status_at(&incident, self.now).is_closed();
        if kind == Kind::Incident && open_at_build && incident.start <= self.now {
            self.warn_expected_end(incident.end);
        }
        // A file that says `status: resolved` without an `end` has its error already; telling
        // its author it has been unresolved for weeks as well would contradict them.
        let said_resolved = incident.written_status.is_some_and(Status::is_closed);
        if kind == Kind::Incident && open_at_build && !said_resolved {
            self.warn_long_open(incident.start);
        }
        Some(incident)
    }

    fn severity(&mut self, kind: Kind, word: Option<&str>) -> Option<Severity> {
        let word = word?;
        if kind == Kind::Maintenance {
            self.report.error(
                Code::MaintenanceWithSeverity,
                "severity",
                "a maintenance window has no severity",
                Some("remove `severity:`, or make it `kind: incident`".into()),
            );
            return None;
        }
        self.report.one_of("severity", word, &SEVERITY)
    }

    /// An optional Markdown text of the incident (summary, cause, postmortem).
    fn markdown(&mut self, path: &str, source: Option<RawText>) -> Option<Text> {
        source.map(|s| self.text(path, s, false))
    }

    /// A one-line text at `path` (a title, a role) in the main language, each language's
    /// text checked to be one line; its other languages go to the file's `Translations`.
    fn words(&mut self, path: &str, raw: RawText) -> String {
        (self.texts).line(&mut self.report, path, raw, &mut self.translations)
    }

    /// A person's name at `path` (`Texts::name`: a plain one awaits no translation).
    fn name(&mut self, path: &str, raw: RawText) -> String {
        (self.texts).name(&mut self.report, path, raw, &mut self.translations)
    }

    /// A Markdown text at `path`, with its other languages.
    fn text(&mut self, path: &str, raw: RawText, inline: bool) -> Text {
        let (source, translations) =
            (self.texts).split(&mut self.report, path, raw, &mut self.translations);
        self.checked_markdown(path, &source, inline);
        for (language, text) in &translations {
            self.checked_markdown(&format!("{path}.{language}"), text, inline);
        }
        Text {
            source,
            inline,
            translations,
            fallback: None,
        }
    }

    /// A Markdown text in one language (`inline`: one line): a control character in it is an
    /// error; each unsafe link and each piece of raw HTML the sanitizer drops is a warning.
    fn checked_markdown(&mut self, path: &str, source: &str, inline: bool) {
        match inline {
            true => text::one_line(&mut self.report, path, source),
            false => text::lines(&mut self.report, path, source),
        }
        let mut from = 0;
        for link in markdown::unsafe_links(source) {
            let written = source.get(link.at.clone()).unwrap_or("");
            let what = if link.image { "image" } else { "link" };
            from = self.report.warning_in_text(
                (Code::UnsafeLink, path),
                (written.lines().next().unwrap_or("").trim_end(), from),
                format!("unsafe {what} `{}` is dropped from the output", link.url),
                Some(format!("{what}s may be http, https, mailto or relative")),
            );
        }
        let mut from = 0;
        for dropped in markdown::dropped_html(source) {
            let written = source.get(dropped.at.clone()).unwrap_or("");
            let what = match &dropped.attribute {
                Some(name) => format!("attribute `{name}` of `<{}>`", dropped.tag),
                None => format!("`<{}>`", dropped.tag),
            };
            from = self.report.warning_in_text(
                (Code::DroppedHtml, path),
                (written.lines().next().unwrap_or("").trim_end(), from),
                format!("{what} is dropped from the output"),
                Some(
                    "raw HTML keeps only plain formatting (docs/format.md lists it): write \
                      it in Markdown, or link to the page that shows it"
                        .into(),
                ),
            );
        }
    }
}

/// Where the top-level `id:` stands, found by a scan of the lines rather than the field index,
/// which would be built for every imported file (all have `id:`) only for a rare duplicate.
fn written_id(source: &str) -> Option<Written> {
    let (k, text) = (source.lines().enumerate()).find(|(_, l)| l.starts_with("id:"))?;
    let value = text["id:".len()..]
        .chars()
        .take_while(|c| *c == ' ')
        .count();
    Some(Written {
        line: k + 1,
        column: "id:".len() + value + 1,
        text: text.to_owned(),
    })
}
