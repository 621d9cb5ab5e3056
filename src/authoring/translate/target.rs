//! Which update a translation goes to: the latest one published, or the one `--at` names, and
//! how a message names it (its number, time, status and first words). Never edits the file.

use crate::authoring::flag::FlagError;
use crate::model::Time;
use crate::model::time::parse_typed;
use chrono_tz::Tz;
use yaml_serde::{Mapping, Value};

/// The update a translation goes to: its place in `updates:` and its time and status as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::authoring) struct Target {
    pub(in crate::authoring) index: usize,
    pub(in crate::authoring) at: String,
    pub(in crate::authoring) status: String,
    /// The first words of its message in the main language, so the person translating sees
    /// which text the translation went to (a colleague may have posted a newer one meanwhile).
    pub(in crate::authoring) opening: String,
}

impl Target {
    /// `update #3 (2022-10-15T16:12:00+09:00, identified)`: the words messages count entries in.
    pub(in crate::authoring) fn describe(&self) -> String {
        format!("update #{} ({}, {})", self.index + 1, self.at, self.status)
    }

    /// `describe` and the message's first words: `update #3 (…, identified): "Power is back…"`.
    pub(in crate::authoring) fn describe_with_text(&self) -> String {
        format!("{}: \"{}\"", self.describe(), self.opening)
    }
}

/// The update `--at` names (its time, typed as `at`), or without it the latest one published by
/// `now`: the one the page shows first. Refused, naming the updates' times, when none or several
/// match.
pub(in crate::authoring) fn pick(
    file: &Mapping,
    language: &str,
    at: Option<&str>,
    now: Time,
    tz: Tz,
) -> Result<Target, FlagError> {
    let updates: Vec<(Target, Option<Time>)> = file
        .get("updates")
        .and_then(Value::as_sequence)
        .map(|list| {
            list.iter()
                .enumerate()
                .map(|(i, u)| target(i, u, tz))
                .collect()
        })
        .unwrap_or_default();
    let Some(typed) = at else {
        let latest = updates
            .iter()
            .filter(|(_, t)| t.is_some_and(|t| t <= now))
            .max_by_key(|(t, instant)| (*instant, t.index))
            .or_else(|| {
                updates
                    .iter()
                    .max_by_key(|(t, instant)| (*instant, t.index))
            });
        return latest.map(|(t, _)| t.clone()).ok_or_else(|| FlagError {
            against_file: true,
            ..FlagError::whole(
                "--lang",
                language,
                "this incident has no update to translate".into(),
                "post the update first (`candor update SLUG --message TEXT`), then translate it"
                    .into(),
            )
        });
    };
    let wanted = parse_typed(typed)
        .and_then(|t| t.resolve(tz))
        .map_err(|e| {
            FlagError::whole(
                "--at",
                typed,
                format!("cannot read `{typed}` as a time: {}", e.message),
                "type the update's date and time as `2022-10-15 16:12` (in the site timezone, as the page shows it in numbers) or as the file writes it (`2022-10-15T16:12:00+09:00`)".into(),
            )
        })?;
    let exact: Vec<&Target> = (updates.iter())
        .filter(|(_, t)| *t == Some(wanted))
        .map(|(t, _)| t)
        .collect();
    // The page shows minutes: `--at 16:12` finds an update stamped 16:12:37.
    let minute = |t: Time| t.timestamp().div_euclid(60);
    let found = if exact.is_empty() {
        (updates.iter())
            .filter(|(_, t)| t.is_some_and(|t| minute(t) == minute(wanted)))
            .map(|(t, _)| t)
            .collect()
    } else {
        exact
    };
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(no_update_at(typed, &updates, wanted)),
        several => Err(FlagError {
            against_file: true,
            ..FlagError::whole(
                "--at",
                typed,
                format!("{} updates are at {typed}", several.len()),
                format!(
                    "they are {}; type the time with its seconds as the file writes it, or add \
                     the translation by hand",
                    several
                        .iter()
                        .map(|t| t.describe())
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            )
        }),
    }
}

/// An update as a target, and its instant when its `at` reads as one.
fn target(index: usize, update: &Value, tz: Tz) -> (Target, Option<Time>) {
    let text = |key: &str| {
        update
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let at = text("at");
    let instant = parse_typed(&at).and_then(|t| t.resolve(tz)).ok();
    let status = text("status");
    // A map's first entry is the main language's as a rule (the loader checks which it is).
    let message = update.get("message");
    let main = match message {
        Some(Value::Mapping(map)) => map.values().next(),
        other => other,
    };
    let opening = opening(main.and_then(Value::as_str).unwrap_or_default());
    let target = Target {
        index,
        at,
        status,
        opening,
    };
    (target, instant)
}

/// The first 40 characters of `message` on one line, with `…` when there is more.
fn opening(message: &str) -> String {
    let flat = message.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

/// `--at` names no update: the closest one, and the times of the last few.
fn no_update_at(typed: &str, updates: &[(Target, Option<Time>)], wanted: Time) -> FlagError {
    let closest = (updates.iter())
        .filter_map(|(t, instant)| instant.map(|i| (t, (i - wanted).num_seconds().abs())))
        .min_by_key(|(_, distance)| *distance)
        .map(|(t, _)| t);
    let help = match closest {
        Some(t) => format!(
            "the closest is {}; type its time, or leave out --at for the latest update",
            t.describe()
        ),
        None => "this incident has no update to translate".into(),
    };
    FlagError {
        against_file: true,
        ..FlagError::whole(
            "--at",
            typed,
            format!("this incident has no update at {typed}"),
            help,
        )
    }
}
