//! `check --format github`: one GitHub Actions workflow command per diagnostic
//! (`::error file=…,line=…,col=…,endColumn=…,title=…::message`), which the runner turns into an
//! annotation on the file's line in a pull request, escaped as the Actions toolkit escapes them.
//!
//! Never prints; the paths it is given are the ones the annotations name.

use super::Failed;
use super::json::end_column;
use crate::error::{Diagnostic, Level};
use std::fmt::Write;

/// The commands for `found`, one a line; `path` turns a diagnostic's file (relative to the
/// site root) into the path from the repository's root that GitHub matches.
pub fn annotations(found: &[Diagnostic], path: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    for d in found {
        let mut properties = vec![format!("file={}", property(&path(&d.file)))];
        if let Some(line) = d.line {
            properties.push(format!("line={line}"));
            properties.push(format!("endLine={line}"));
        }
        if let (Some(col), Some(end)) = (d.column, end_column(d)) {
            properties.push(format!("col={col}"));
            properties.push(format!("endColumn={end}"));
        }
        properties.push(format!("title={}", property(&d.code.id())));
        let mut text = d.message.clone();
        if let Some(help) = &d.help {
            let _ = write!(text, "\nhelp: {help}");
        }
        if d.promoted_from.is_some() {
            text.push_str("\n(a warning, made an error by --strict)");
        }
        let _ = writeln!(
            out,
            "::{} {}::{}",
            command(d.level),
            properties.join(","),
            data(&text)
        );
    }
    out
}

/// The command for a run that could not check (exit 2): an error with no file.
pub fn failed(failure: &Failed) -> String {
    let mut text = failure.message.clone();
    if let Some(help) = &failure.help {
        let _ = write!(text, "\nhelp: {help}");
    }
    format!(
        "::error title={}::{}\n",
        property(&failure.code.id()),
        data(&text)
    )
}

fn command(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
    }
}

/// A command's message, escaped as the toolkit's `escapeData`; any other character that would
/// act on the log viewer (an escape, a bidirectional override, from a file's name or text) is
/// written as `\u{1b}`, as the terminal output writes it.
fn data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if crate::diagnostic::acts(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// A property value, escaped as the toolkit's `escapeProperty`: `:` and `,` would end it.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    #[test]
    fn a_file_name_or_text_cannot_act_on_the_log() {
        let d = Diagnostic::error(
            Code::UnknownImpact,
            "incidents/a\n::error file=x::pwned\u{1b}[2J\u{202e}.yaml",
            "bad",
        );
        let out = annotations(&[d], &|f| f.to_owned());
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}'),
            "{out:?}"
        );
        assert!(out.contains("pwned\\u{1b}[2J\\u{202e}.yaml"), "{out}");
    }

    #[test]
    fn annotations_are_escaped_as_the_toolkit_escapes_them() {
        let mut d = Diagnostic::error(Code::UnknownImpact, "incidents/a,b.yaml", "100% down:\nx")
            .with_help("did you mean `major_outage`?");
        d.line = Some(8);
        d.column = Some(13);
        d.span = 13;
        let out = annotations(&[d], &|f| format!("site/{f}"));
        assert_eq!(
            out,
            "::error file=site/incidents/a%2Cb.yaml,line=8,endLine=8,col=13,endColumn=26,\
             title=candor%3A%3Aunknown-impact::100%25 down:%0Ax%0Ahelp: did you mean `major_outage`?\n"
        );
        let w = Diagnostic::warning(Code::LongUnresolved, "status.yaml", "m");
        assert_eq!(
            annotations(&[w], &|f| f.to_owned()),
            "::warning file=status.yaml,title=candor%3A%3Along-unresolved::m\n"
        );
    }
}
