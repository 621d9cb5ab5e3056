//! A wrong value typed on the command line (`--impact vocie=partial_outage`, `--status resolvd`),
//! named at the flag and the word typed, with the closest right word, before any file is read
//! for the change: the error points at what the person typed, never at a line of YAML that
//! the command would have written.
//!
//! Never words the list of allowed words itself: `load::words` does, as for `check`.

use super::Edit;
use super::entries;
use super::files::SiteInfo;
use super::yaml_text::parse_mapping;
use crate::load::words::{IMPACT, did_you_mean, statuses, unknown_service_help};
use crate::model::{Kind, Time};
use yaml_serde::{Mapping, Value};

/// A command-line value that cannot be used: `flag value`, the part of `value` at fault
/// (`word`, a byte range), what is wrong and what to type instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagError {
    pub flag: &'static str,
    pub value: String,
    pub word: std::ops::Range<usize>,
    pub message: String,
    pub help: Option<String>,
    /// Refused for what the file says already (a restoration, the end, the level), not for
    /// the word typed: like `--restored` on a restored service, exit 1.
    pub against_file: bool,
}

impl FlagError {
    /// The whole `value` of `flag` is at fault.
    pub(super) fn whole(flag: &'static str, value: &str, message: String, help: String) -> Self {
        FlagError {
            flag,
            value: value.to_owned(),
            word: 0..value.len(),
            message,
            help: Some(help),
            against_file: false,
        }
    }

    /// The line that shows it: `--impact vocie=partial_outage`, and below, the carets under
    /// the word at fault (counted in characters, as a terminal shows them).
    pub fn pointer(&self) -> (String, String) {
        let shown = format!("{} {}", self.flag, self.value);
        let before = self.flag.chars().count() + 1 + self.value[..self.word.start].chars().count();
        let width = self.value[self.word.clone()].chars().count().max(1);
        (
            shown,
            format!("{}{}", " ".repeat(before), "^".repeat(width)),
        )
    }
}

/// `word`, typed as `flag`, is not a service of status.yaml.
pub(super) fn unknown_service(
    flag: &'static str,
    value: &str,
    id: &str,
    known: &[&str],
) -> FlagError {
    let start = value.find(id).unwrap_or(0);
    let help = if known.is_empty() {
        format!("status.yaml lists no services; add `{id}` there first")
    } else {
        unknown_service_help(id, known.iter().copied())
    };
    FlagError {
        flag,
        value: value.to_owned(),
        word: start..start + id.len(),
        message: format!("unknown service `{id}`"),
        help: Some(help),
        against_file: false,
    }
}

/// `word`, typed as `flag`, is not an impact.
pub(super) fn unknown_impact(flag: &'static str, value: &str, word: &str) -> FlagError {
    let start = value.rfind(word).unwrap_or(0);
    FlagError {
        flag,
        value: value.to_owned(),
        word: start..start + word.len(),
        message: format!("unknown impact `{word}`"),
        help: Some(IMPACT.help(word)),
        against_file: false,
    }
}

/// `SERVICE=LEVEL` of `--impact`, its level one of the impact words.
pub(super) fn parse_change(change: &str) -> Result<(&str, &str), FlagError> {
    let Some((service, level)) = change.split_once('=') else {
        return Err(FlagError::whole(
            "--impact",
            change,
            "--impact needs a service and a level".into(),
            format!("like `--impact {}=partial_outage`", change.trim()),
        ));
    };
    let (service, level) = (service.trim(), level.trim());
    if IMPACT.find(level).is_none() {
        if level == "operational" {
            let mut error = unknown_impact("--impact", change, level);
            error.message = format!("`{service}` back to normal is a restoration, not an impact");
            error.help = Some(format!("type `--restored {service}` instead"));
            return Err(error);
        }
        return Err(unknown_impact("--impact", change, level));
    }
    Ok((service, level))
}

/// Checks every value typed for `edits` against status.yaml's services (`known`) and the
/// incident file (`text`): the words, the ids, a service `--restored` names that the incident
/// does not list, and an impact the service has already. A file that does not parse is left
/// to the edits, which say so.
pub(super) fn check_edits(
    edits: &[Edit],
    known: &[&str],
    site: &SiteInfo,
    text: &str,
    now: Time,
) -> Result<(), FlagError> {
    for edit in edits {
        if let Edit::Translate { language, .. } = *edit {
            other_language(language, &site.context.config.languages)?;
        }
    }
    let Ok(file) = parse_mapping(text) else {
        return Ok(());
    };
    let kind = match file.get("kind").and_then(Value::as_str) {
        Some("maintenance") => Kind::Maintenance,
        _ => Kind::Incident,
    };
    let listed: Vec<&str> = file
        .get("services")
        .and_then(Value::as_sequence)
        .map(|list| {
            list.iter()
                .filter_map(|s| s.get("id").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    let known_id = |flag, value: &str, id: &str| {
        if known.contains(&id) {
            Ok(())
        } else {
            Err(unknown_service(flag, value, id, known))
        }
    };
    for edit in edits {
        match *edit {
            Edit::Update {
                status: Some(word), ..
            } if statuses(kind).find(word).is_none() => {
                return Err(FlagError::whole(
                    "--status",
                    word,
                    format!("unknown status `{word}`{}", statuses(kind).scope),
                    statuses(kind).help(word),
                ));
            }
            Edit::Stage { change, .. } => {
                let (service, level) = parse_change(change)?;
                known_id("--impact", change, service)?;
                if let Some(over) = over_before(&file, service, now) {
                    return Err(after_the_end("--impact", change, service, over));
                }
                if let Some(current) = entries::impact_now(&file, service)
                    && current == level
                {
                    let start = change.rfind(level).unwrap_or(0);
                    return Err(FlagError {
                        flag: "--impact",
                        value: change.to_owned(),
                        word: start..start + level.len(),
                        message: format!(
                            "`{service}` is at `{level}` already: nothing would change"
                        ),
                        help: Some(format!(
                            "to say more about it, post an update: `--message TEXT`; if it got \
                             better or worse, type the level it is at now, like `--impact \
                             {service}={}`",
                            other_level(level)
                        )),
                        against_file: true,
                    });
                }
            }
            Edit::Restored { service, .. } => {
                known_id("--restored", service, service)?;
                if !listed.contains(&service) {
                    let help = match did_you_mean(service, listed.iter().copied()) {
                        Some(close) => format!(
                            "did you mean `{close}`? this incident lists: {}",
                            listed.join(", ")
                        ),
                        None if listed.is_empty() => format!(
                            "this incident lists no services; if `{service}` is hit, type `--impact {service}=major_outage` (or the level it is at)"
                        ),
                        None => format!(
                            "this incident lists: {}; if `{service}` is hit too, type `--impact {service}=major_outage` (or the level it is at)",
                            listed.join(", ")
                        ),
                    };
                    return Err(FlagError::whole(
                        "--restored",
                        service,
                        format!("service `{service}` is not in this incident"),
                        help,
                    ));
                }
                if let Some(over @ Over::Ended(_)) = over_before(&file, service, now) {
                    return Err(after_the_end("--restored", service, service, over));
                }
            }
            Edit::Translate { language, at, .. } => {
                super::translate::pick(&file, language, at, now, site.tz)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// `--lang LANG`: one of the site's `languages` other than the main one (the first).
fn other_language(language: &str, languages: &[String]) -> Result<(), FlagError> {
    let (main, others) = match languages.split_first() {
        Some((main, others)) => (main.as_str(), others),
        None => ("en", &[][..]),
    };
    let listed = others.join(", ");
    let (message, help) = if others.is_empty() {
        (
            format!("this site is written in `{main}` only"),
            format!(
                "to tell incidents in more languages, list them in status.yaml, the main one \
                 first: `languages: [{main}, {}]`",
                if language == main { "ko" } else { language }
            ),
        )
    } else if language == main {
        (
            format!(
                "`{main}` is the site's main language: the message as posted is its {main} text"
            ),
            format!(
                "to translate it, type one of the site's other languages: {listed}; to correct \
                 the {main} text, edit it in the file"
            ),
        )
    } else if others.iter().any(|l| l == language) {
        return Ok(());
    } else {
        let close = did_you_mean(language, others.iter().map(String::as_str))
            .map(|c| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        (
            format!("`{language}` is not a language of this site"),
            format!(
                "{close}the site's other languages: {listed} (status.yaml's `languages` lists \
                 them, the main one, `{main}`, first)"
            ),
        )
    };
    Err(FlagError::whole("--lang", language, message, help))
}

/// What is over for a service, which no stage can follow, and when (as written).
enum Over {
    Restored(String),
    Ended(String),
}

/// What was over before `now` for `service` in an incident: its restoration, else the
/// incident's end. A maintenance window's times are planned, and a time this cannot read is
/// left to the loader.
fn over_before(file: &Mapping, service: &str, now: Time) -> Option<Over> {
    if file.get("kind").and_then(Value::as_str) == Some("maintenance") {
        return None;
    }
    let passed = |at: &str| {
        let instant = chrono::DateTime::parse_from_rfc3339(at.trim()).ok()?;
        (instant <= now).then(|| at.trim().to_owned())
    };
    if let Some(at) = entries::restored_value(file, service)
        .and_then(Value::as_str)
        .and_then(passed)
    {
        return Some(Over::Restored(at));
    }
    incident_end(file).and_then(passed).map(Over::Ended)
}

/// The incident's end as written: `end`, else the first of the `resolved` updates that close
/// the list (format.md).
fn incident_end(file: &Mapping) -> Option<&str> {
    if let Some(end) = file.get("end") {
        return end.as_str();
    }
    let updates = file.get("updates")?.as_sequence()?;
    let resolved = |u: &Value| u.get("status").and_then(Value::as_str) == Some("resolved");
    let closing = updates.iter().rev().take_while(|u| resolved(u)).last()?;
    closing.get("at")?.as_str()
}

/// The refusal of `flag value` for `service` after `over`, with what to type instead.
fn after_the_end(flag: &'static str, value: &str, service: &str, over: Over) -> FlagError {
    let earlier = "if it happened before that, give its time: add `--now \"YYYY-MM-DD HH:MM\"` \
                   (in the site timezone)";
    let (message, help) = match over {
        Over::Restored(at) => (
            format!("`{service}` was restored at {at}: a later change cannot be a stage of it"),
            format!(
                "{earlier}; if `{service}` is down again, open a new incident: `candor new \"TITLE\" \
                 --service {service}`; if it was marked restored by mistake, delete the line \
                 `restored: {at}` of `- id: {service}`, then run this command again"
            ),
        ),
        Over::Ended(at) if flag == "--restored" => (
            format!("this incident ended at {at}: `{service}` counts as restored then"),
            format!("{earlier}; otherwise there is nothing to change"),
        ),
        Over::Ended(at) => (
            format!("this incident ended at {at}: a later change cannot be a stage of it"),
            format!(
                "{earlier}; if `{service}` is down now, open a new incident: `candor new \"TITLE\" \
                 --service {service}`"
            ),
        ),
    };
    FlagError {
        against_file: true,
        ..FlagError::whole(flag, value, message, help)
    }
}

/// A level other than `level`, for an example the person can type.
fn other_level(level: &str) -> &'static str {
    if level == "partial_outage" {
        "degraded_performance"
    } else {
        "partial_outage"
    }
}
