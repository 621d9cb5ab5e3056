//! YAML as text: scalars written so they read back as themselves, and text read back as a
//! mapping to check what was written.
//! Never touches the disk and never decides whether an edit is safe (`readback` does).

use super::EditError;
use yaml_serde::{Mapping, Value};

/// A one-line string as a YAML scalar: plain when it reads back as itself, else double-quoted.
pub(super) fn yaml_scalar(text: &str) -> String {
    let reads_back = |candidate: &str| {
        yaml_serde::from_str::<Value>(&format!("k: {candidate}"))
            .ok()
            .and_then(|v| v.get("k").cloned())
            == Some(Value::String(text.to_owned()))
    };
    if reads_back(text) {
        return text.to_owned();
    }
    double_quoted(text)
}

/// A one-line string as a double-quoted YAML scalar, escaped.
pub(super) fn double_quoted(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// `key: |` and `text` indented below it. Any text of `unwritable`'s characters, with `\n` line
/// ends, is safe in a block scalar. An indentation indicator keeps a first line that starts with
/// spaces (a Markdown code block) or a tab (a pasted stack trace) as written: without it YAML
/// would take the spaces for indentation, and refuses the tab.
pub(super) fn block_scalar(pad: &str, key: &str, text: &str) -> Vec<String> {
    let indicator = if text.starts_with([' ', '\t']) {
        "2"
    } else {
        ""
    };
    let mut out = vec![format!("{pad}{key}: |{indicator}")];
    out.extend(text.split('\n').map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!("{pad}  {l}")
        }
    }));
    out
}

/// The first character of `text` that a file written by candor must not hold: one YAML cannot
/// hold (outside its printable set), or a control character other than tab and line feed, which
/// no page should show (a terminal colour code, a NUL from binary data).
pub(super) fn unwritable(text: &str) -> Option<char> {
    let printable = |c: char| {
        matches!(c, '\t' | '\n' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c >= '\u{10000}'
    };
    text.chars().find(|&c| !printable(c))
}

/// The top-level mapping of a file; an edit refuses any other YAML.
pub(super) fn parse_mapping(text: &str) -> Result<Mapping, EditError> {
    match yaml_serde::from_str::<Value>(text) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(_) => Err(EditError::uneditable(
            "the file is not a YAML mapping of keys",
        )),
        Err(e) => Err(EditError::Unparsable(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_read_back_as_written() {
        for title in [
            "Plain title",
            "Errors: API",
            "# hash",
            "\"quoted\"",
            "true",
            "123",
            "a #b",
            "back\\slash",
            "- dash",
            "it's",
        ] {
            let yaml = format!("title: {}", yaml_scalar(title));
            let value: Value = yaml_serde::from_str(&yaml).expect("parses");
            assert_eq!(
                value.get("title").and_then(Value::as_str),
                Some(title),
                "{yaml}"
            );
        }
        assert_eq!(yaml_scalar("Plain title"), "Plain title");
    }
}
