//! The edits `candor update` makes besides updates and restorations: a statement or an
//! apology appended to its list, a stage added to a service (or a service added, hit from
//! now), and what a follow-up needs to know of the file (its current status, a restoration
//! already written). Like `edit`, each checks that the new text reads back as the old YAML
//! plus exactly the change, so a layout it misreads is refused, never written.

use super::EditError;
use super::edit::with_entry;
use super::layout::{Line, find_block, insert_after, items, line_ending, lines, split_comment};
use super::readback::{first_reading_back, read_service_entry, terminated};
use super::yaml_text::{block_scalar, parse_mapping, unwritable, yaml_scalar};
use yaml_serde::{Mapping, Value};

/// A value of a new entry: one line (a scalar) or Markdown written as a block.
pub(super) enum Field<'a> {
    Line(&'a str),
    Block(&'a str),
}

/// Appends an entry of `fields` to the top-level list `list` (`statements`, `apologies`).
pub fn edit_append_entry(
    text: &str,
    list: &str,
    fields: &[(&str, Field)],
) -> Result<String, EditError> {
    let old = parse_mapping(text)?;
    for (name, field) in fields {
        let (Field::Line(value) | Field::Block(value)) = field;
        if let Some(character) = unwritable(value) {
            return Err(EditError::Unwritable {
                field: static_name(name),
                character,
            });
        }
    }
    let (text, old) = terminated(text, old)?;
    let new_lines = |dash: usize, key: usize| entry_lines(dash, key, fields);
    let candidates = with_entry(&text, list, old.contains_key(list), &new_lines)?;
    let mut expected = old;
    push(&mut expected, list, entry_value(fields));
    first_reading_back(candidates, &expected)
}

/// The field names a command writes, as the `'static` names its errors carry.
fn static_name(name: &str) -> &'static str {
    match name {
        "statement" => "statement",
        "by" => "name",
        "role" => "role",
        "note" => "note",
        "link" => "link",
        _ => "text",
    }
}

/// The lines of one entry: the dash at `dash`, its keys at `key`.
fn entry_lines(dash: usize, key: usize, fields: &[(&str, Field)]) -> Vec<String> {
    let key = key.max(dash + 2);
    let pad = " ".repeat(key);
    let mut out = Vec::new();
    for (i, (name, field)) in fields.iter().enumerate() {
        let lead = if i == 0 {
            format!("{}-{}", " ".repeat(dash), " ".repeat(key - dash - 1))
        } else {
            pad.clone()
        };
        match field {
            Field::Line(value) => out.push(format!("{lead}{name}: {}", yaml_scalar(value))),
            Field::Block(value) => {
                let mut block = block_scalar(&pad, name, value);
                if let Some(first) = block.first_mut() {
                    *first = format!("{lead}{}", first.trim_start());
                }
                out.extend(block);
            }
        }
    }
    out
}

/// The entry as the YAML reads it back.
fn entry_value(fields: &[(&str, Field)]) -> Value {
    let mut entry = Mapping::new();
    for (name, field) in fields {
        let value = match field {
            Field::Line(value) => (*value).to_owned(),
            Field::Block(value) => format!("{value}\n"),
        };
        entry.insert((*name).into(), value.into());
    }
    Value::Mapping(entry)
}

/// `value` pushed onto the list `key` of `map` (made a list when missing or empty).
fn push(map: &mut Mapping, key: &str, value: Value) {
    match map.get_mut(key) {
        Some(Value::Sequence(list)) => list.push(value),
        Some(other) => *other = Value::Sequence(vec![value]),
        None => {
            map.insert(key.into(), Value::Sequence(vec![value]));
        }
    }
}

/// The status an update without `--status` keeps: `resolved` once the incident has an `end`
/// (a follow-up note), else the last update's, else the first one of the kind.
pub(super) fn current_status(text: &str) -> Result<String, EditError> {
    let old = parse_mapping(text)?;
    let maintenance = old.get("kind").and_then(Value::as_str) == Some("maintenance");
    let last = old
        .get("updates")
        .and_then(Value::as_sequence)
        .and_then(|list| list.last())
        .and_then(|u| u.get("status"))
        .and_then(Value::as_str);
    Ok(match (maintenance, old.contains_key("end"), last) {
        (false, true, _) => "resolved",
        (_, _, Some(last)) => last,
        (true, _, None) => "scheduled",
        (false, false, None) => "investigating",
    }
    .to_owned())
}

/// Whether the incident lists `service` under `services:`.
pub(super) fn lists_service(text: &str, service: &str) -> Result<bool, EditError> {
    let old = parse_mapping(text)?;
    Ok(old
        .get("services")
        .and_then(Value::as_sequence)
        .is_some_and(|list| {
            list.iter()
                .any(|s| s.get("id").and_then(Value::as_str) == Some(service))
        }))
}

/// The `restored:` already written for `service`, if any.
pub(super) fn restored_of(text: &str, service: &str) -> Result<Option<String>, EditError> {
    let old = parse_mapping(text)?;
    Ok(service_entry(&old, service)
        .and_then(|s| s.get("restored"))
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => yaml_serde::to_string(other)
                .unwrap_or_default()
                .trim()
                .to_owned(),
        }))
}

fn service_entry<'m>(map: &'m Mapping, service: &str) -> Option<&'m Mapping> {
    map.get("services")?
        .as_sequence()?
        .iter()
        .filter_map(Value::as_mapping)
        .find(|s| s.get("id").and_then(Value::as_str) == Some(service))
}

/// Adds a stage (`at`, `impact`, `note`) to the service's `stages:`; a service the incident
/// does not list is added to `services:`, hit with `impact` from `at`.
pub fn edit_add_stage(
    text: &str,
    service: &str,
    at: &str,
    impact: &str,
    note: Option<&str>,
) -> Result<String, EditError> {
    let old = parse_mapping(text)?;
    if let Some(character) = note.and_then(unwritable) {
        return Err(EditError::Unwritable {
            field: "note",
            character,
        });
    }
    let mut fields = vec![("at", Field::Line(at)), ("impact", Field::Line(impact))];
    if let Some(note) = note {
        fields.push(("note", Field::Line(note)));
    }
    let Some(index) = old
        .get("services")
        .and_then(Value::as_sequence)
        .and_then(|list| {
            list.iter()
                .position(|s| s.get("id").and_then(Value::as_str) == Some(service))
        })
    else {
        let mut fields = vec![
            ("id", Field::Line(service)),
            ("impact", Field::Line(impact)),
            ("from", Field::Line(at)),
        ];
        if let Some(note) = note {
            fields.push(("note", Field::Line(note)));
        }
        return edit_append_entry(text, "services", &fields);
    };
    let by_hand = || {
        format!(
            "add this stage under `stages:` of the entry `- id: {service}` (after the stages it has):\n{}",
            entry_lines(6, 8, &fields).join("\n")
        )
    };
    let (text, old) = terminated(text, old).map_err(|e| e.or_by_hand(by_hand))?;
    let candidates = with_stage(&text, index, &fields).map_err(|e| e.or_by_hand(by_hand))?;
    let mut expected = old;
    let entry = read_service_entry(&mut expected, index)?;
    push(entry, "stages", entry_value(&fields));
    first_reading_back(candidates, &expected).map_err(|e| e.or_by_hand(by_hand))
}

/// `text` with the stage's lines at the end of the `stages:` of the `index`-th service, or
/// under a new `stages:` key at the end of that entry.
fn with_stage(
    text: &str,
    index: usize,
    fields: &[(&str, Field)],
) -> Result<Vec<String>, EditError> {
    let lines = lines(text);
    let eol = line_ending(text);
    let block = find_block(&lines, "services")
        .filter(|b| split_comment(b.value).0.is_empty())
        .ok_or_else(|| EditError::uneditable("`services:` is not a block list"))?;
    let items = items(&lines, &block, "services")?;
    let item = items.get(index).ok_or_else(|| {
        EditError::uneditable("the `services:` list has a layout this command cannot follow")
    })?;
    let key = item
        .key_indent
        .ok_or_else(|| EditError::uneditable("the service's entry is written in flow style"))?;
    let at_key = |l: &Line| l.indent() == key && l.is_content();
    let stages = (item.first + 1..=item.last).find(|&i| {
        lines
            .get(i)
            .is_some_and(|l| at_key(l) && l.rest().starts_with("stages:"))
    });
    let Some(stages) = stages else {
        let mut new = vec![format!("{}stages:", " ".repeat(key))];
        new.extend(entry_lines(key + 2, key + 4, fields));
        return Ok(vec![insert_after(text, &lines, item.last, None, &new, eol)]);
    };
    let after_key = lines
        .get(stages)
        .and_then(|l| l.rest().strip_prefix("stages:"))
        .unwrap_or("");
    let (value, comment) = split_comment(after_key);
    // The stages run to the next key of the entry: lines deeper than its keys, or dashes at
    // their depth (YAML lets a list sit at its key's indentation).
    let in_list = |l: &Line| l.indent() > key || l.rest().starts_with("- ") || l.rest() == "-";
    let last = (stages + 1..=item.last)
        .take_while(|&i| lines.get(i).is_some_and(|l| !l.is_content() || in_list(l)))
        .filter(|&i| lines.get(i).is_some_and(Line::is_content))
        .last();
    let dash = (stages + 1..=last.unwrap_or(stages))
        .filter_map(|i| lines.get(i))
        .find(|l| l.is_content())
        .map_or(key + 2, Line::indent);
    let (after, replacement) = match (value, last) {
        ("", Some(last)) => (last, None),
        // `stages: []` (or `~`): the list starts here.
        ("[]" | "~" | "null", None) => {
            (stages, Some(format!("{}stages:{comment}", " ".repeat(key))))
        }
        _ => {
            return Err(EditError::FlowStyle {
                key: "stages".into(),
                help: "write it as a block list, each stage starting with `- at:` on its own line"
                    .into(),
            });
        }
    };
    let new = entry_lines(dash, dash + 2, fields);
    Ok(vec![insert_after(
        text,
        &lines,
        after,
        replacement.as_deref(),
        &new,
        eol,
    )])
}

/// The impact `service` is at after its last stage, when the incident lists it and it is not
/// restored: the level a new stage would change.
pub(super) fn impact_now(file: &Mapping, service: &str) -> Option<String> {
    let entry = service_entry(file, service)?;
    if entry.contains_key("restored") {
        return None;
    }
    let last_stage = entry
        .get("stages")
        .and_then(Value::as_sequence)
        .and_then(|stages| stages.last())
        .and_then(|s| s.get("impact"));
    last_stage
        .or_else(|| entry.get("impact"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The `restored:` value of `service`'s entry, as written.
pub(super) fn restored_value<'m>(file: &'m Mapping, service: &str) -> Option<&'m Value> {
    service_entry(file, service)?.get("restored")
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: &str = "2026-11-29T07:15:00-05:00";

    fn incident(services: &str) -> String {
        format!("title: T\nstart: 2026-11-29T05:20:00-05:00\nservices:\n{services}updates: []\n")
    }

    #[test]
    fn a_stage_goes_after_the_last_stage_in_its_indentation() {
        let text = incident(
            "  - id: voice\n    impact: major_outage\n    stages:\n    - at: 2026-11-29T06:00:00-05:00\n      impact: partial_outage # first\n    note: kept\n  - id: data\n    impact: major_outage\n",
        );
        let out = edit_add_stage(
            &text,
            "voice",
            AT,
            "degraded_performance",
            Some("Nearly there"),
        )
        .expect("edit");
        assert!(
            out.contains("      impact: partial_outage # first\n    - at: 2026-11-29T07:15:00-05:00\n      impact: degraded_performance\n      note: Nearly there\n    note: kept\n"),
            "{out}"
        );
    }

    #[test]
    fn a_first_stage_opens_the_list_even_after_an_empty_one() {
        let text = incident("  - id: voice\n    impact: major_outage\n    stages: []\n");
        let out = edit_add_stage(&text, "voice", AT, "partial_outage", None).expect("edit");
        assert!(
            out.contains("    stages:\n      - at: 2026-11-29T07:15:00-05:00\n        impact: partial_outage\n"),
            "{out}"
        );
        let text = incident("  - id: voice\n    impact: major_outage\n");
        let out = edit_add_stage(&text, "voice", AT, "partial_outage", None).expect("edit");
        assert!(
            out.contains("    impact: major_outage\n    stages:\n      - at:"),
            "{out}"
        );
    }

    #[test]
    fn a_flow_entry_is_refused_with_what_to_write() {
        let text = incident("  - { id: voice, impact: major_outage }\n");
        let err = edit_add_stage(&text, "voice", AT, "partial_outage", None).expect_err("flow");
        assert!(
            err.help()
                .is_some_and(|h| h.contains("- at: 2026-11-29T07:15:00-05:00")),
            "{err:?}"
        );
    }

    #[test]
    fn a_statement_keeps_markdown_and_quotes_what_needs_it() {
        let text = incident("  - id: voice\n    impact: major_outage\n");
        let fields = [
            ("at", Field::Line(AT)),
            ("by", Field::Line("Alex: CEO # really")),
            ("statement", Field::Block("- one\n- two")),
        ];
        let out = edit_append_entry(&text, "statements", &fields).expect("edit");
        let read = parse_mapping(&out).expect("yaml");
        let entry = &read["statements"][0];
        assert_eq!(entry["by"].as_str(), Some("Alex: CEO # really"));
        assert_eq!(entry["statement"].as_str(), Some("- one\n- two\n"));
    }
}
