//! The text of new files: the incident `candor new` opens, and the `status.yaml` and example
//! incident `candor init` starts a site with. Their comments teach the format where it is used.
//! Never touches the disk; every text it makes must pass `candor check --strict` (the authoring
//! tests check what `new` and `init` write).

use super::EditError;
use super::stamp;
use super::yaml_text::{block_scalar, parse_mapping, yaml_scalar};
use crate::model::{Impact, Time};
use chrono::{Duration, DurationRound, NaiveDate};
use chrono_tz::Tz;
use yaml_serde::Value;

/// Column at which the templates' comments start, as in format.md.
const COMMENT_COLUMN: usize = 36;

/// `line` with `# comment` after it, at `COMMENT_COLUMN` or one space after a longer line.
fn with_comment(line: String, comment: &str) -> String {
    let width = line.chars().count();
    format!(
        "{line}{}# {comment}",
        " ".repeat(COMMENT_COLUMN.saturating_sub(width).max(1))
    )
}

/// What a new incident file says, its times already written in the site zone.
pub(super) struct NewText<'a> {
    pub title: &'a str,
    pub maintenance: bool,
    /// `minor`, `major` or `critical`; ignored for maintenance.
    pub severity: Option<&'a str>,
    pub start: &'a str,
    pub end: Option<&'a str>,
    pub summary: Option<&'a str>,
    /// `(id, impact, name)` per service hit.
    pub services: &'a [(&'a str, Impact, &'a str)],
    /// The first update: its time and its text (a sentence naming the services when `None`).
    pub posted: &'a str,
    pub message: Option<&'a str>,
}

/// The text of a new incident or maintenance window. Refused if the title would not read back
/// as given, so a quoting slip never reaches a page.
pub(super) fn incident_text(new: &NewText) -> Result<String, EditError> {
    let worst = new.services.iter().map(|s| s.1).max();
    let guessed = if worst == Some(Impact::MajorOutage) {
        "major"
    } else {
        "minor"
    };
    let mut out = vec![
        "# Written by `candor new`. Post updates with `candor update`; run `candor check` after any edit.".to_owned(),
        format!("title: {}", yaml_scalar(new.title)),
    ];
    if new.maintenance {
        out.push("kind: maintenance".into());
    } else {
        out.push(with_comment(
            format!("severity: {}", new.severity.unwrap_or(guessed)),
            "minor | major | critical",
        ));
    }
    out.push(format!("start: {}", new.start));
    match new.end {
        Some(end) => out.push(with_comment(format!("end: {end}"), "the planned end")),
        None => out.push(with_comment(
            "# end:".into(),
            "when it is over; or post an update with `status: resolved`",
        )),
    }
    match new.summary {
        Some(summary) => out.extend(block_scalar("", "summary", summary)),
        None => {
            out.push(with_comment(
                "# summary: |".into(),
                "Markdown: the short public account, in lists and feeds",
            ));
            out.push("#   …".into());
        }
    }
    if !new.maintenance {
        out.push(with_comment(
            "# cause: |".into(),
            "Markdown: what happened, once you know",
        ));
        out.push("#   …".into());
    }
    out.extend(services_lines(new.services, new.maintenance));
    out.push(with_comment(
        "updates:".into(),
        "oldest first; `candor update SLUG --status S --message M`",
    ));
    out.push(format!("  - at: {}", new.posted));
    let names: Vec<&str> = new.services.iter().map(|s| s.2).collect();
    let message = match new.message {
        Some(message) => message.to_owned(),
        None if new.maintenance => maintenance_message(&names),
        None => first_message(&names),
    };
    if new.maintenance {
        out.push(with_comment(
            "    status: scheduled".into(),
            "scheduled | in_progress | completed",
        ));
    } else {
        out.push(with_comment(
            "    status: investigating".into(),
            "investigating | identified | monitoring | resolved",
        ));
    }
    out.extend(block_scalar("    ", "message", &message));
    let text = out.join("\n") + "\n";
    let parsed = parse_mapping(&text)?;
    if parsed.get("title").and_then(Value::as_str) != Some(new.title) {
        return Err(EditError::uneditable(
            "the title does not read back as written",
        ));
    }
    Ok(text)
}

/// The `services:` key of a new incident, with one `id` and `impact` per service hit; in a
/// maintenance window, the one impact it has.
fn services_lines(services: &[(&str, Impact, &str)], maintenance: bool) -> Vec<String> {
    if services.is_empty() {
        return vec![with_comment(
            "services: []".into(),
            "what was hit: `- id:` from status.yaml, `impact:`",
        )];
    }
    let (services_comment, impact_comment) = if maintenance {
        (
            "the services the work touches",
            "planned work: never counted as downtime",
        )
    } else {
        (
            "`candor update SLUG --restored ID` marks one restored",
            "degraded_performance | partial_outage | major_outage",
        )
    };
    let mut out = vec![with_comment("services:".into(), services_comment)];
    for (id, impact, _) in services {
        out.push(format!("  - id: {}", yaml_scalar(id)));
        out.push(with_comment(
            format!("    impact: {}", impact.as_str()),
            impact_comment,
        ));
    }
    out
}

/// The message of the first `investigating` update, naming the services hit.
fn first_message(names: &[&str]) -> String {
    let problem = match names.split_last() {
        None => "We are investigating reports of a problem.".to_owned(),
        Some((last, [])) => format!("We are investigating reports of problems with {last}."),
        Some((last, rest)) => format!(
            "We are investigating reports of problems with {} and {last}.",
            rest.join(", ")
        ),
    };
    format!("{problem} We will post an update soon.")
}

/// The announcement of a maintenance window, naming the services it touches.
fn maintenance_message(names: &[&str]) -> String {
    match names.split_last() {
        None => "We will carry out scheduled maintenance.".to_owned(),
        Some((last, [])) => format!("We will carry out scheduled maintenance on {last}."),
        Some((last, rest)) => format!(
            "We will carry out scheduled maintenance on {} and {last}.",
            rest.join(", ")
        ),
    }
}

/// The `status.yaml` of `init`: three services, every setting explained where it is set.
pub(super) const STATUS_YAML: &str = "\
# The settings and services of this status site, written by `candor init`.
# `candor check` explains any mistake; `candor build` writes the site to public/;
# `candor serve` previews it and rebuilds on every save.
title: Example Status
description: Live status of Example's services
base_url: https://status.example.com/   # where the site is published: feeds and sitemap use it
language: en                            # en | ko | id; or `languages: [en, ko]`: the site in each, the first at the root
timezone: UTC                           # an IANA name like Europe/Berlin; times are shown in it
services:                               # in display order; incidents name them by `id`
  - id: website                         # a-z, 0-9 and -
    name: Website
    group: Example
  - id: api
    name: API
    group: Example
    description: The public REST API
  - id: dashboard
    name: Dashboard
    group: Example
";

/// The `status.yaml` of `init`: `STATUS_YAML` with every service counted from `since`, so the
/// bars show no uptime for the days before the site existed.
pub(super) fn status_yaml(since: NaiveDate) -> String {
    // Aligned with the comments of STATUS_YAML, which sit further right than an incident's.
    let line = format!(
        "{:<40}# no uptime is counted before this day",
        format!("    since: {since}")
    );
    STATUS_YAML.replace(
        "    group: Example\n",
        &format!("    group: Example\n{line}\n"),
    )
}

/// When the example window of `init` starts: the next day at 02:00 UTC (STATUS_YAML's zone),
/// a quiet hour, always after `now`; it ends two hours later.
pub(super) fn example_start(now: Time) -> Time {
    let next_day = now.date_naive().succ_opt().unwrap_or(now.date_naive());
    next_day.and_hms_opt(2, 0, 0).map_or(now, |t| t.and_utc())
}

/// The example of `init`: a maintenance window tomorrow, announced `now` (to the minute), so
/// the first build shows it as upcoming and today's bars as they are. In UTC like STATUS_YAML.
pub(super) fn example_incident(now: Time) -> (String, String) {
    let start = example_start(now);
    let posted = now.duration_trunc(Duration::minutes(1)).unwrap_or(now);
    let utc = |t: Time| stamp(t, Tz::UTC);
    let text = format!(
        "\
# An example, written by `candor init`: a maintenance window announced today. Delete it once
# you have your own; start an incident with `candor new \"Title\" --service api --impact partial_outage`,
# a window with `candor new \"Title\" --maintenance --start TIME --end TIME --service api`.
title: \"Example: database upgrade\"
kind: maintenance                   # incident (default) | maintenance
start: {start}         # the planned window
end: {end}
summary: |
  We will upgrade the API's database. The API may be slow or refuse writes for a few minutes.
services:                           # the services the work touches
  - id: api
    impact: under_maintenance       # planned work: never counted as downtime
updates:
  - at: {posted}
    status: scheduled               # scheduled | in_progress | completed
    message: |
      We will upgrade the API's database tomorrow from {from_time} to {to_time} UTC.
",
        start = utc(start),
        end = utc(start + Duration::hours(2)),
        posted = utc(posted),
        from_time = start.format("%H:%M"),
        to_time = (start + Duration::hours(2)).format("%H:%M"),
    );
    (
        format!("{}-example-maintenance", start.format("%Y-%m-%d")),
        text,
    )
}

/// The GitHub Actions workflow `init` writes to `.github/workflows/status.yml`: builds and
/// publishes to GitHub Pages on every push and every hour. docs/deploy.md shows the same text
/// (a test compares them).
pub(super) const GITHUB_WORKFLOW: &str = include_str!("github-workflow.yml");
