//! YAML as text: scalars written so they read back as themselves, and text read back as a
//! mapping to check what was written.

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

/// `key: |` and `text` indented below it. Any text is safe in a block scalar; an indentation
/// indicator keeps a first line that starts with spaces (a Markdown code block) as written.
pub(super) fn block_scalar(pad: &str, key: &str, text: &str) -> Vec<String> {
    let indicator = if text.starts_with(' ') { "2" } else { "" };
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

/// The top-level mapping of a file; an edit refuses any other YAML.
pub(super) fn parse_mapping(text: &str) -> Result<Mapping, EditError> {
    match yaml_serde::from_str::<Value>(text) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(_) => Err(EditError::Uneditable(
            "the file is not a YAML mapping of keys".into(),
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
