//! The two text edits of `candor update`: append an update, mark a service restored. Each
//! changes only the lines it adds or the one value it sets, then checks that the new text reads
//! back as the old YAML plus that change, so a layout it misreads is refused, never written;
//! a refusal names its cause and what to write by hand instead.

use super::EditError;
use super::layout::{
    Item, Line, blank_run_end, find_block, insert_after, items, key_line, line_ending, lines,
    list_style, split_comment,
};
use super::readback::{first_reading_back, read_service_entry, terminated};
use super::yaml_text::{block_scalar, parse_mapping, unwritable};
use crate::load::words::statuses;
use crate::model::Kind;
use yaml_serde::{Mapping, Value};

#[cfg(test)]
mod shapes;
#[cfg(test)]
mod tests;

/// Appends an update (`at`, `status`, `message` as a block scalar) at the end of the `updates:`
/// list, in the list's own indentation, leaving every other byte of `text` as it was (but for
/// a missing final line break, which it adds: see `readback::terminated`).
pub fn edit_append_update(
    text: &str,
    at: &str,
    status: &str,
    message: &str,
) -> Result<String, EditError> {
    let old = parse_mapping(text)?;
    check_status(&old, status)?;
    let message = normalize_message(message)?;
    let by_hand = || update_by_hand(at, status, &message);
    let (text, old) = terminated(text, old).map_err(|e| e.or_by_hand(by_hand))?;
    let new_lines = |dash, key| update_lines(dash, key, at, status, &message);
    let candidates = with_entry(&text, "updates", old.contains_key("updates"), &new_lines)
        .map_err(|e| e.or_by_hand(by_hand))?;
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
    first_reading_back(candidates, &expected).map_err(|e| e.or_by_hand(by_hand))
}

/// What to write by hand when the update cannot be appended: the entry, as this command
/// would have written it in a list at two spaces.
fn update_by_hand(at: &str, status: &str, message: &str) -> String {
    format!(
        "add this entry at the end of `updates:`, indented like the entries above it:\n{}",
        update_lines(2, 4, at, status, message).join("\n")
    )
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

/// `text` with an entry's lines after the last entry of the top-level list `list`, or under
/// a new `list:` key at the end. `has_list` says whether the parsed file has the key;
/// `new_lines` makes the entry's lines for a dash and key indentation. The candidates place the
/// lines right after the last entry, then after the blank lines that follow it (which belong
/// to a last text written `|+`); the first that reads back wins.
pub(super) fn with_entry(
    text: &str,
    list: &str,
    has_list: bool,
    new_lines: &dyn Fn(usize, usize) -> Vec<String>,
) -> Result<Vec<String>, EditError> {
    let lines = lines(text);
    let eol = line_ending(text);
    let (dash, key) = list_style(&lines);
    let Some(block) = find_block(&lines, list) else {
        if has_list {
            return Err(EditError::uneditable(format!(
                "`{list}:` does not start a line (a file written in flow style, `{{ … }}`?), \
                 so this command cannot find where its list ends"
            )));
        }
        let mut out = text.to_owned();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(eol);
        }
        out.push_str(list);
        out.push(':');
        out.push_str(eol);
        for line in new_lines(dash, key) {
            out.push_str(&line);
            out.push_str(eol);
        }
        return Ok(vec![out]);
    };
    let (value, comment) = split_comment(block.value);
    match value {
        "" => {
            let items = items(&lines, &block, list)?;
            // A new entry copies the last one's indentation, so the list keeps its own style.
            let (dash, key) = match items.last() {
                Some(item) => (item.dash, item.key_indent.unwrap_or(item.dash + 2)),
                None => (dash, key),
            };
            let after = items.last().map_or(block.key_line, |item| item.last);
            let new = new_lines(dash, key);
            Ok(placements(&lines, after)
                .map(|line| insert_after(text, &lines, line, None, &new, eol))
                .collect())
        }
        "[]" | "~" | "null" => {
            let key_line = format!("{list}:{comment}");
            let new = new_lines(dash, key);
            Ok(vec![insert_after(
                text,
                &lines,
                block.key_line,
                Some(&key_line),
                &new,
                eol,
            )])
        }
        _ => Err(EditError::FlowStyle {
            key: list.into(),
            help: "write it as a block list, each entry starting with `- ` on its own line".into(),
        }),
    }
}

/// Where new lines may go after line `after`: right below it, or below the blank lines that
/// follow it.
pub(super) fn placements(lines: &[Line], after: usize) -> impl Iterator<Item = usize> {
    let below_blanks = Some(blank_run_end(lines, after)).filter(|&end| end != after);
    [after].into_iter().chain(below_blanks)
}

/// Sets `restored: at` in the `services:` entry whose `id` is `service`: replaces the value of
/// an existing `restored:` line, or adds the line after the entry's last line.
pub fn edit_mark_restored(text: &str, service: &str, at: &str) -> Result<String, EditError> {
    let by_hand =
        || format!("add `restored: {at}` to the entry `- id: {service}` under `services:`");
    mark_restored(text, service, at).map_err(|e| e.or_by_hand(by_hand))
}

fn mark_restored(text: &str, service: &str, at: &str) -> Result<String, EditError> {
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
    let (text, old) = terminated(text, old)?;
    let text = text.as_str();
    let lines = lines(text);
    let block = find_block(&lines, "services").ok_or_else(|| {
        EditError::uneditable(
            "`services:` does not start a line (a file written in flow style, `{ … }`?), \
                 so this command cannot find the service's entry",
        )
    })?;
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
        return Err(EditError::uneditable(
            "the `services:` list has a layout this command cannot follow",
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
    let candidates = with_restored(text, &lines, item, key, at);
    let mut expected = old;
    let entry = read_service_entry(&mut expected, index)?;
    entry.insert("restored".into(), at.into());
    first_reading_back(candidates, &expected)
}

/// `text` with the value of the entry's `restored:` key (at indentation `key`) set to `at`,
/// keeping its comment; the key is added after the entry's last line (or after the blank lines
/// below it) when it has none.
fn with_restored(text: &str, lines: &[Line], item: &Item, key: usize, at: &str) -> Vec<String> {
    let eol = line_ending(text);
    if let Some((i, head, after)) = key_line(lines, item, key, "restored") {
        let (value, _) = split_comment(after);
        let replaced = if value.is_empty() {
            format!("{head} {at}{after}")
        } else {
            let start = after.len() - after.trim_start().len();
            let tail = &after[start + value.len()..];
            format!("{head}{}{at}{tail}", &after[..start])
        };
        return vec![insert_after(text, lines, i, Some(&replaced), &[], eol)];
    }
    let line = [format!("{}restored: {at}", " ".repeat(key))];
    placements(lines, item.last)
        .map(|after| insert_after(text, lines, after, None, &line, eol))
        .collect()
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
/// Every line break YAML reads as one (CRLF, CR, NEL, LS, PS) becomes `\n`, as it would in a
/// file written by hand; Markdown reads them all as line ends too.
pub(super) fn normalize_message(message: &str) -> Result<String, EditError> {
    let unified = message
        .replace("\r\n", "\n")
        .replace(['\r', '\u{85}', '\u{2028}', '\u{2029}'], "\n");
    if let Some(character) = unwritable(&unified) {
        return Err(EditError::Unwritable {
            field: "message",
            character,
        });
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
