//! Reading an edit back: the file as the edits start from it (with the final line break an
//! editor may have left out), and the check that an edited text reads as exactly the old YAML
//! plus the intended change, naming the first value that differs when it does not.
//!
//! Never writes, and never accepts a text that reads back as anything but the intended change.

use super::EditError;
use super::layout::line_ending;
use super::yaml_text::parse_mapping;
use yaml_serde::{Mapping, Value};

/// `text` ending in a line break, and the mapping it reads as.
///
/// A file whose last line has no line break (many editors and web forms save so) gets one, in
/// the file's own line ending, so that new lines can follow. That changes one value at most: a
/// block scalar (`|`, `>`) that ends the file gains the final `\n` it has anyway whenever a line
/// follows it. That value counts as the same (docs/decisions.md); any other change is refused.
/// `old` is what `text` reads as.
pub(super) fn terminated(text: &str, old: Mapping) -> Result<(String, Mapping), EditError> {
    if text.is_empty() || text.ends_with('\n') {
        return Ok((text.to_owned(), old));
    }
    let mut out = text.to_owned();
    // A lone `\r` at the end is half of a CRLF: complete it rather than start a second line.
    out.push_str(if text.ends_with('\r') {
        "\n"
    } else {
        line_ending(text)
    });
    let new = parse_mapping(&out).map_err(|_| {
        EditError::uneditable("the file does not end with a line break, and adding one breaks it")
    })?;
    let mut gained = Value::Mapping(old.clone());
    if let Some(last) = last_string(&mut gained) {
        last.push('\n');
    }
    if new == old || Value::Mapping(new.clone()) == gained {
        Ok((out, new))
    } else {
        let path = first_difference(&Value::Mapping(old), &Value::Mapping(new), "");
        Err(EditError::uneditable(format!(
            "the file does not end with a line break, and adding one would change {}; \
             add the line break at the end yourself and check the file reads as you meant",
            path.map_or("it".to_owned(), |p| format!("`{p}`"))
        )))
    }
}

/// The last value of the document, in file order, if it is a string.
fn last_string(value: &mut Value) -> Option<&mut String> {
    match value {
        Value::Mapping(map) => map.values_mut().last().and_then(last_string),
        Value::Sequence(list) => list.last_mut().and_then(last_string),
        Value::Tagged(tagged) => last_string(&mut tagged.value),
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// The first of `candidates` (the same edit, its lines placed in different spots) that reads
/// back as exactly `expected`; else the cause, found on the first candidate.
pub(super) fn first_reading_back(
    candidates: Vec<String>,
    expected: &Mapping,
) -> Result<String, EditError> {
    let mut cause = None;
    for text in candidates {
        match parse_mapping(&text) {
            Ok(read) if read == *expected => return Ok(text),
            Ok(read) => {
                cause.get_or_insert_with(|| {
                    let expected = Value::Mapping(expected.clone());
                    match first_difference(&expected, &Value::Mapping(read), "") {
                        Some(path) => format!(
                            "after the edit, `{path}` would read differently from what the file \
                             says now (a layout this command does not follow)"
                        ),
                        None => "the edited file would read differently".to_owned(),
                    }
                });
            }
            Err(e) => {
                cause.get_or_insert_with(|| format!("the edited file would not parse: {e}"));
            }
        }
    }
    Err(EditError::uneditable(cause.unwrap_or_else(|| {
        "there is no place for the new lines".to_owned()
    })))
}

/// The path (`updates[2].message`) of the first value where `a` and `b` differ.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    if a == b {
        return None;
    }
    let here = || {
        Some(if path.is_empty() {
            ".".to_owned()
        } else {
            path.to_owned()
        })
    };
    match (a, b) {
        (Value::Mapping(x), Value::Mapping(y)) => {
            let child = |key: &Value| {
                let name = key
                    .as_str()
                    .map_or_else(|| format!("{key:?}"), str::to_owned);
                if path.is_empty() {
                    name
                } else {
                    format!("{path}.{name}")
                }
            };
            for (key, value) in x {
                match y.get(key) {
                    Some(other) => {
                        if let Some(found) = first_difference(value, other, &child(key)) {
                            return Some(found);
                        }
                    }
                    None => return Some(child(key)),
                }
            }
            y.keys().find(|key| !x.contains_key(*key)).map(child)
        }
        (Value::Sequence(x), Value::Sequence(y)) => {
            let found = (0..x.len().max(y.len())).find_map(|i| match (x.get(i), y.get(i)) {
                (Some(p), Some(q)) => first_difference(p, q, &format!("{path}[{i}]")),
                _ => Some(format!("{path}[{i}]")),
            });
            found.or_else(here)
        }
        _ => here(),
    }
}

/// Service entry `index` of an incident as read back, where an edit puts what it expects to
/// find; an error when the entry is not a mapping (a flow list the edit cannot extend).
pub(super) fn read_service_entry(
    incident: &mut Mapping,
    index: usize,
) -> Result<&mut Mapping, EditError> {
    incident
        .get_mut("services")
        .and_then(|s| s.get_mut(index))
        .and_then(Value::as_mapping_mut)
        .ok_or_else(|| EditError::uneditable("the service entry is not a mapping"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        yaml_serde::from_str(text).expect("yaml")
    }

    #[test]
    fn a_missing_final_line_break_changes_only_a_final_block_scalar() {
        for (text, added) in [
            ("a: |\n  x\n  y", "\n"),
            ("a: |\r\n  x\r\n  y", "\r\n"),
            ("a: |\r\n  x\r", "\n"),
            ("a: x\nb: [1, 2]", "\n"),
            ("a: |-\n  x", "\n"),
            ("a: >\n  x\n  y", "\n"),
            ("a: |+\n  x", "\n"),
            ("a: x # no break after this comment", "\n"),
            ("u:\n  - m: |2\n      \tat x", "\n"),
        ] {
            let old = parse_mapping(text).expect(text);
            let (out, read) = terminated(text, old).expect(text);
            assert_eq!(out, format!("{text}{added}"));
            assert_eq!(Some(read), value(&out).as_mapping().cloned(), "{text:?}");
        }
        let old = parse_mapping("a: 1\n").expect("parses");
        let (out, _) = terminated("a: 1\n", old).expect("terminated");
        assert_eq!(out, "a: 1\n", "a terminated file is left alone");
    }

    #[test]
    fn the_first_difference_is_named_by_its_path() {
        let a = value("updates:\n  - at: 1\n    message: x\n  - at: 2\n    message: y\n");
        let b = value("updates:\n  - at: 1\n    message: x\n  - at: 2\n    message: z\n");
        assert_eq!(
            first_difference(&a, &b, "").as_deref(),
            Some("updates[1].message")
        );
        let c = value("updates:\n  - at: 1\n    message: x\n");
        assert_eq!(first_difference(&a, &c, "").as_deref(), Some("updates[1]"));
        assert_eq!(first_difference(&a, &a, ""), None);
    }

    #[test]
    fn a_candidate_that_changes_old_text_is_passed_over() {
        let expected = value("a: \"x\\n\\n\"\nb: 1\n")
            .as_mapping()
            .cloned()
            .expect("map");
        let wrong = "a: |+\n  x\nb: 1\n\n".to_owned();
        let right = "a: |+\n  x\n\nb: 1\n".to_owned();
        assert_eq!(
            first_reading_back(vec![wrong.clone(), right.clone()], &expected),
            Ok(right)
        );
        let err = first_reading_back(vec![wrong], &expected).expect_err("changes `a`");
        assert!(
            err.to_string().contains("`a` would read differently"),
            "{err}"
        );
    }
}
