//! The two text edits of `candor update`: append an update, mark a service restored. Each
//! changes only the lines it adds or the one value it sets, then checks that the new text reads
//! back as the old YAML plus that change, so a layout it misreads is refused, never written.

use super::EditError;
use super::layout::{
    Item, Line, find_block, insert_after, items, line_ending, lines, list_style, split_comment,
};
use super::yaml_text::{block_scalar, parse_mapping};
use crate::load::words::statuses;
use crate::model::Kind;
use yaml_serde::{Mapping, Value};

#[cfg(test)]
mod tests;

/// Appends an update (`at`, `status`, `message` as a block scalar) at the end of the `updates:`
/// list, in the list's own indentation, leaving every other byte of `text` as it was.
pub fn edit_append_update(
    text: &str,
    at: &str,
    status: &str,
    message: &str,
) -> Result<String, EditError> {
    let old = parse_mapping(text)?;
    check_status(&old, status)?;
    let message = normalize_message(message)?;
    let new_text = with_update(text, old.contains_key("updates"), at, status, &message)?;
    let mut expected = old;
    let mut update = Mapping::new();
    update.insert("at".into(), at.into());
    update.insert("status".into(), status.into());
    update.insert("message".into(), format!("{message}\n").into());
    match expected.get_mut("updates") {
        Some(Value::Sequence(list)) => list.push(Value::Mapping(update)),
        Some(other) => *other = Value::Sequence(vec![Value::Mapping(update)]),
        None => {
            expected.insert(
                "updates".into(),
                Value::Sequence(vec![Value::Mapping(update)]),
            );
        }
    }
    verify(&new_text, &expected)
}

/// Refuses a status word that is not one of the file's kind (incident or maintenance).
fn check_status(old: &Mapping, status: &str) -> Result<(), EditError> {
    let kind = match old.get("kind").and_then(Value::as_str) {
        Some("maintenance") => Kind::Maintenance,
        _ => Kind::Incident,
    };
    match statuses(kind).find(status) {
        Some(_) => Ok(()),
        None => Err(EditError::UnknownStatus {
            word: status.to_owned(),
            kind,
        }),
    }
}

/// `text` with the update's lines after the last entry of `updates:`, or under a new
/// `updates:` key at the end. `has_updates` says whether the parsed file has the key.
fn with_update(
    text: &str,
    has_updates: bool,
    at: &str,
    status: &str,
    message: &str,
) -> Result<String, EditError> {
    let lines = lines(text);
    let eol = line_ending(text);
    let (dash, key) = list_style(&lines);
    let new_lines = |dash, key| update_lines(dash, key, at, status, message);
    let Some(block) = find_block(&lines, "updates") else {
        if has_updates {
            return Err(EditError::Uneditable(
                "`updates:` is not at the start of a line".into(),
            ));
        }
        let mut out = text.to_owned();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(eol);
        }
        out.push_str("updates:");
        out.push_str(eol);
        for line in new_lines(dash, key) {
            out.push_str(&line);
            out.push_str(eol);
        }
        return Ok(out);
    };
    let (value, comment) = split_comment(block.value);
    match value {
        "" => {
            let items = items(&lines, &block, "updates")?;
            // A new entry copies the last one's indentation, so the list keeps its own style.
            let (dash, key) = match items.last() {
                Some(item) => (item.dash, item.key_indent.unwrap_or(item.dash + 2)),
                None => (dash, key),
            };
            let after = items.last().map_or(block.key_line, |item| item.last);
            Ok(insert_after(
                text,
                &lines,
                after,
                None,
                &new_lines(dash, key),
                eol,
            ))
        }
        "[]" | "~" | "null" => {
            let key_line = format!("updates:{comment}");
            let new = new_lines(dash, key);
            Ok(insert_after(
                text,
                &lines,
                block.key_line,
                Some(&key_line),
                &new,
                eol,
            ))
        }
        _ => Err(EditError::FlowStyle {
            key: "updates".into(),
            help: "write it as a block list, each update starting with `- at:` on its own line"
                .into(),
        }),
    }
}

/// Sets `restored: at` in the `services:` entry whose `id` is `service`: replaces the value of
/// an existing `restored:` line, or adds the line after the entry's last line.
pub fn edit_mark_restored(text: &str, service: &str, at: &str) -> Result<String, EditError> {
    let old = parse_mapping(text)?;
    let services = old.get("services").and_then(Value::as_sequence);
    let listed: Vec<String> = services
        .map(|list| {
            list.iter()
                .filter_map(|s| s.get("id").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let count = services.map_or(0, Vec::len);
    let Some(index) = listed.iter().position(|id| id == service) else {
        return Err(EditError::ServiceNotListed {
            service: service.to_owned(),
            listed,
        });
    };
    let lines = lines(text);
    let block = find_block(&lines, "services")
        .ok_or_else(|| EditError::Uneditable("`services:` is not at the start of a line".into()))?;
    if !split_comment(block.value).0.is_empty() {
        return Err(EditError::FlowStyle {
            key: "services".into(),
            help: "write it as a block list, each service starting with `- id:` on its own line"
                .into(),
        });
    }
    let items = items(&lines, &block, "services")?;
    // The lines must split into as many entries as the YAML has, or `index` could name another.
    let Some(item) = items.get(index).filter(|_| items.len() == count) else {
        return Err(EditError::Uneditable(
            "the `services:` list has a layout this command cannot follow".into(),
        ));
    };
    let Some(key) = item.key_indent else {
        return Err(EditError::FlowStyle {
            key: format!("services[{index}]"),
            help: format!(
                "write the entry as a block, one key per line:\n    - id: {service}\n      impact: …\n  then run this again"
            ),
        });
    };
    let new_text = with_restored(text, &lines, item, key, at);
    let mut expected = old;
    let entry = expected
        .get_mut("services")
        .and_then(|s| s.get_mut(index))
        .and_then(Value::as_mapping_mut)
        .ok_or_else(|| EditError::Uneditable("the service entry is not a mapping".into()))?;
    entry.insert("restored".into(), at.into());
    verify(&new_text, &expected)
}

/// `text` with the value of the entry's `restored:` key (at indentation `key`) set to `at`,
/// keeping its comment; the key is added after the entry's last line when it has none.
fn with_restored(text: &str, lines: &[Line], item: &Item, key: usize, at: &str) -> String {
    let eol = line_ending(text);
    for i in item.first..=item.last {
        let Some(line) = lines.get(i) else { break };
        let keyed = if i == item.first {
            line.rest().get(1..).map(str::trim_start)
        } else {
            (line.indent() == key).then(|| line.rest())
        };
        let Some(after) = keyed.and_then(|k| k.strip_prefix("restored:")) else {
            continue;
        };
        if !(after.is_empty() || after.starts_with([' ', '\t'])) {
            continue;
        }
        let head = &line.text[..line.text.len() - after.len()];
        let (value, _) = split_comment(after);
        let replaced = if value.is_empty() {
            format!("{head} {at}{after}")
        } else {
            let start = after.len() - after.trim_start().len();
            let tail = &after[start + value.len()..];
            format!("{head}{}{at}{tail}", &after[..start])
        };
        return insert_after(text, lines, i, Some(&replaced), &[], eol);
    }
    let line = format!("{}restored: {at}", " ".repeat(key));
    insert_after(text, lines, item.last, None, &[line], eol)
}

/// The lines of one update entry: the dash at `dash`, its keys at `key`.
fn update_lines(dash: usize, key: usize, at: &str, status: &str, message: &str) -> Vec<String> {
    let key = key.max(dash + 2);
    let pad = " ".repeat(key);
    let mut out = vec![
        format!(
            "{}-{}at: {at}",
            " ".repeat(dash),
            " ".repeat(key - dash - 1)
        ),
        format!("{pad}status: {status}"),
    ];
    out.extend(block_scalar(&pad, "message", message));
    out
}

/// One form for every message: `\n` line ends, no leading blank lines, no trailing whitespace.
fn normalize_message(message: &str) -> Result<String, EditError> {
    let unified = message.replace("\r\n", "\n").replace('\r', "\n");
    if let Some(c) = unified
        .chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(EditError::Invalid(format!(
            "the message contains a control character (U+{:04X})",
            u32::from(c)
        )));
    }
    let kept: Vec<&str> = unified
        .split('\n')
        .skip_while(|l| l.trim().is_empty())
        .collect();
    let text = kept.join("\n").trim_end().to_owned();
    if text.is_empty() {
        return Err(EditError::Invalid("the message is empty".into()));
    }
    Ok(text)
}

/// The edited text, if it reads back as exactly `expected`.
fn verify(text: &str, expected: &Mapping) -> Result<String, EditError> {
    match parse_mapping(text) {
        Ok(m) if m == *expected => Ok(text.to_owned()),
        _ => Err(EditError::Uneditable(
            "the edited file would not read back as the old one plus this change".into(),
        )),
    }
}
