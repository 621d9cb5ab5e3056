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
    out.extend(services_lines(new.services));
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

/// The `services:` key of a new incident, with one `id` and `impact` per service hit.
fn services_lines(services: &[(&str, Impact, &str)]) -> Vec<String> {
    if services.is_empty() {
        return vec![with_comment(
            "services: []".into(),
            "what was hit: `- id:` from status.yaml, `impact:`",
        )];
    }
    let mut out = vec![with_comment(
        "services:".into(),
        "`candor update SLUG --restored ID` marks one restored",
    )];
    for (id, impact, _) in services {
        out.push(format!("  - id: {}", yaml_scalar(id)));
        out.push(with_comment(
            format!("    impact: {}", impact.as_str()),
            "degraded_performance | partial_outage | major_outage",
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
language: en                            # en | ko | id
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

/// When the example incident of `init` starts: two days before `now`, on the hour.
pub(super) fn example_start(now: Time) -> Time {
    (now - Duration::days(2))
        .duration_trunc(Duration::hours(1))
        .unwrap_or(now - Duration::days(2))
}

/// The example incident of `init`: resolved, two days before `now`, in UTC like STATUS_YAML.
pub(super) fn example_incident(now: Time) -> (String, String) {
    let t0 = example_start(now);
    let at = |minutes: i64| stamp(t0 + Duration::minutes(minutes), Tz::UTC);
    let text = format!(
        "\
# An example incident, written by `candor init`: delete it once you have your own.
# Start one with `candor new \"Title\" --service api --impact partial_outage`.
title: \"Example: slow responses from the API\"
severity: minor                     # minor | major | critical
start: {start}
end: {end}           # present means resolved
summary: |
  Requests to the API were slow or failed for about an hour. No data was lost.
cause: |
  A database index was rebuilt during peak hours. From now on we rebuild indexes only in
  announced maintenance windows.
services:
  - id: api
    impact: partial_outage          # degraded_performance | partial_outage | major_outage
    stages:                         # partial restoration, in time order
      - at: {t30}
        impact: degraded_performance
        note: Most requests succeed again; some are still slow
    restored: {t60}
  - id: website
    impact: degraded_performance
    restored: {t45}
updates:
  - at: {t5}
    status: investigating           # investigating | identified | monitoring | resolved
    message: |
      We are investigating slow responses and errors from the API.
  - at: {t25}
    status: identified
    message: |
      A database maintenance task slowed down the API. We have stopped it.
  - at: {t50}
    status: monitoring
    message: |
      Response times are back to normal. We are watching closely.
  - at: {end}
    status: resolved
    message: |
      This incident has been resolved. Sorry for the trouble.
",
        start = at(0),
        end = at(70),
        t5 = at(5),
        t25 = at(25),
        t30 = at(30),
        t45 = at(45),
        t50 = at(50),
        t60 = at(60),
    );
    (format!("{}-example-slow-api", t0.format("%Y-%m-%d")), text)
}
