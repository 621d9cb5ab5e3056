//! YAML text to a raw struct, and every way that can fail as a diagnostic: the gate's refusals,
//! an empty file, yaml_serde's errors in candor's words (an unknown key with "did you mean",
//! a key written twice at its second place, list entries counted from 1), and the warning for a
//! text a ` #` cuts short.
//!
//! Never reads the disk and never checks a rule of format.md beyond YAML types and key names.

use super::gate;
use super::report::{self, Report, line_text, place};
use super::words::did_you_mean;
use crate::error::{Code, Diagnostic};
use serde::de::DeserializeOwned;

/// Parses YAML into a raw struct; a failure becomes one diagnostic at its line. The gate reads
/// the text first wherever it may find something (`gate::needs_check`), so yaml_serde never
/// expands an alias nor reads deep nesting; and it reads a file yaml_serde failed on, so a
/// syntax error is reported as such even where yaml_serde first met a missing key.
pub(super) fn parse_yaml<T: DeserializeOwned>(
    report: &mut Report,
    allowed_keys: &dyn Fn(&str) -> &'static [&'static str],
) -> Option<T> {
    if is_empty(report.source) {
        report
            .diagnostics
            .push(empty_file(report.file, report.source));
        return None;
    }
    let gated = gate::needs_check(report.source);
    if gated && refused(report) {
        return None;
    }
    match yaml_serde::from_str::<T>(report.source) {
        Ok(value) => {
            comments_in_text(report);
            Some(value)
        }
        Err(err) => {
            if !gated && refused(report) {
                return None;
            }
            let d = yaml_diagnostic(report, &err, allowed_keys);
            report.diagnostics.push(d);
            None
        }
    }
}

/// Whether a YAML text holds no document: nothing but blank lines, comments and `---`/`...`.
fn is_empty(source: &str) -> bool {
    source.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    })
}

/// An empty file, at its first line: what it must hold at least, rather than the first key
/// serde found missing, which it places past the file's end.
fn empty_file(file: &str, source: &str) -> Diagnostic {
    let (message, help) = if file == "status.yaml" {
        (
            "status.yaml is empty",
            "write at least `title: …` and `base_url: https://…` (`candor init` writes a whole one)",
        )
    } else {
        (
            "this incident file is empty",
            "write at least `title: …` and `start: …` (`candor new \"TITLE\"` writes a whole one)",
        )
    };
    let mut d = Diagnostic::error(Code::EmptyFile, file, message).with_help(help);
    place(
        &mut d,
        line_text(source, 1).filter(|_| !source.is_empty()),
        1,
        1,
    );
    d.span = 1;
    d
}

/// The number of the last line of `source` that holds anything, a line break ending it or not.
fn last_line(source: &str) -> usize {
    let body = source.trim_end_matches(['\n', '\r', ' ', '\t']);
    report::Lines::new(body).count().max(1)
}

/// A warning for each prose value a ` #` cuts short; a file without `#` is not read again.
fn comments_in_text(report: &mut Report) {
    if !report.source.contains('#') {
        return;
    }
    for cut in gate::cut_by_comment(report.source) {
        let mut d = Diagnostic::warning(cut.code, report.file, cut.message).with_help(cut.help);
        let (line, column) = (cut.at.line, cut.at.column);
        place(&mut d, line_text(report.source, line), line, column);
        d.span = cut.width.unwrap_or(d.span);
        d.suggestion = cut.suggestion.map(|s| *s);
        report.diagnostics.push(d);
    }
}

/// Runs the gate over the report's file; a refusal becomes its diagnostic.
fn refused(report: &mut Report) -> bool {
    let Err(refusal) = gate::check(report.source) else {
        return false;
    };
    let mut d =
        Diagnostic::error(refusal.code, report.file, refusal.message).with_help(refusal.help);
    let (line, column) = (refusal.at.line, refusal.at.column);
    place(&mut d, line_text(report.source, line), line, column);
    d.span = refusal.width.unwrap_or(d.span);
    d.suggestion = refusal.suggestion.map(|s| *s);
    report.diagnostics.push(d);
    true
}

fn yaml_diagnostic(
    report: &mut Report,
    err: &yaml_serde::Error,
    allowed_keys: &dyn Fn(&str) -> &'static [&'static str],
) -> Diagnostic {
    let text = strip_marks(&err.to_string());
    let (path, message) = match text.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') => (path.to_owned(), rest.to_owned()),
        _ => (String::new(), text.clone()),
    };
    let mut d = Diagnostic::error(Code::YamlSyntax, report.file, String::new());
    let at = if path.is_empty() || path == "." {
        String::new()
    } else {
        format!(" in {}", entry_name(&path))
    };
    if let Some(key) = between(&message, "unknown field `", "`") {
        let allowed = allowed_keys(&path);
        d.code = Code::UnknownField;
        d.message = format!("unknown key `{key}`{at}");
        d.help = Some(match did_you_mean(key, allowed.iter().copied()) {
            Some(close) => format!(
                "did you mean `{close}`? allowed here: {}",
                allowed.join(", ")
            ),
            None => format!("allowed here: {}", allowed.join(", ")),
        });
    } else if let Some(key) = between(&message, "duplicate field `", "`") {
        // yaml_serde places this at the entry (1:1 for the file's own keys): find the second one.
        let full = if path.is_empty() || path == "." {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        };
        d.code = Code::DuplicateKey;
        d.message = format!("`{key}` is written twice{at}");
        if let Some(second) = report.repeated_key(&full) {
            d.help = Some(match report_value_line(report, &full) {
                Some(first) => format!("keep one: the first `{key}:` is on line {first}"),
                None => format!("keep one `{key}:`"),
            });
            report.place(&mut d, second);
            return d;
        }
        d.help = Some(format!("keep one `{key}:`"));
    } else if let Some(key) = between(&message, "missing field `", "`") {
        d.code = Code::MissingField;
        d.message = format!("missing key `{key}`{at}");
        d.help = Some(format!("add `{key}:` to this entry"));
    } else if message.starts_with("invalid type") {
        d.code = Code::WrongType;
        d.message = format!(
            "wrong type{at}: {}",
            readable_type(message.trim_start_matches("invalid type: "))
        );
    } else {
        // yaml_serde's other errors are values it could not read as the type (`-1` for days).
        if !message.contains("while ") && !message.contains("expected key") {
            d.code = Code::WrongType;
        }
        d.message = if at.is_empty() {
            message
        } else {
            format!("{message}{at}")
        };
    }
    if d.message.contains("did not find expected") || d.message.contains("mapping values") {
        d.help = Some("check the indentation and quoting of this line and the one above".into());
    }
    let (mut line, mut column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
    // libyaml places some errors at the end of the input, past its last line: show that line.
    let last = last_line(report.source);
    if line > last {
        line = last;
        column = line_text(report.source, line).map_or(1, |t| t.chars().count().max(1));
    }
    place(&mut d, line_text(report.source, line), line, column);
    d
}

/// A field path as people count: `services[0].stages[1]` is "stage #2 of service #1", and a
/// path with no list in it stays a path (`` `uptime.weights` ``). Entries count from 1, as
/// docs/decisions.md says, in every message.
pub fn entry_name(path: &str) -> String {
    if !path.contains('[') {
        return format!("`{path}`");
    }
    let parts: Vec<String> = path
        .split('.')
        .map(|segment| match segment.split_once('[') {
            Some((list, index)) => {
                let n = index
                    .trim_end_matches(']')
                    .parse::<usize>()
                    .map_or(0, |i| i + 1);
                format!("{} #{n}", singular(list))
            }
            None => format!("`{segment}`"),
        })
        .collect();
    parts.into_iter().rev().collect::<Vec<_>>().join(" of ")
}

/// What one entry of a list of format.md is called.
fn singular(list: &str) -> String {
    match list {
        "updates" => "update".to_owned(),
        "services" => "service".to_owned(),
        "stages" => "stage".to_owned(),
        "apologies" => "apology".to_owned(),
        "statements" => "statement".to_owned(),
        "leadership" => "leadership change".to_owned(),
        "compensation" => "compensation entry".to_owned(),
        "commitments" => "commitment".to_owned(),
        "links" => "link".to_owned(),
        "sources" => "source".to_owned(),
        other => format!("entry of `{other}`"),
    }
}

/// The line of the value at `path`, which stands on its key's line in a block mapping.
fn report_value_line(report: &mut Report, path: &str) -> Option<usize> {
    report.value_at(path).map(|p| p.line)
}

/// serde names our structs (`expected struct RawIncident`); users wrote a mapping of keys.
fn readable_type(message: &str) -> String {
    match message.find("expected struct Raw") {
        Some(i) => format!(
            "{}expected keys and values (`key: value` lines)",
            &message[..i]
        ),
        None => message.to_owned(),
    }
}

/// Removes yaml_serde's " at line N column M" (the diagnostic shows the place itself).
fn strip_marks(text: &str) -> String {
    let mut out = text.to_owned();
    while let Some(start) = out.find(" at line ") {
        let tail = &out[start + " at line ".len()..];
        let end = tail
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .unwrap_or(tail.len());
        out.replace_range(start..start + " at line ".len() + end, "");
    }
    out
}

fn between<'t>(text: &'t str, open: &str, close: &str) -> Option<&'t str> {
    let start = text.find(open)? + open.len();
    let len = text[start..].find(close)?;
    Some(&text[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_struct_names_never_reach_users() {
        let d = yaml_diagnostic_of("[]\n");
        assert_eq!(
            d.message,
            "wrong type: sequence, expected keys and values (`key: value` lines)"
        );
        assert_eq!((d.line, d.column), (Some(1), Some(1)));
    }

    fn yaml_diagnostic_of(text: &str) -> Diagnostic {
        let mut report = Report::new("incidents/a.yaml", text);
        let parsed = parse_yaml::<crate::load::raw::RawIncident>(&mut report, &|_| &[]);
        assert!(parsed.is_none());
        report.diagnostics.remove(0)
    }

    #[test]
    fn entries_count_from_one() {
        assert_eq!(entry_name("updates[7]"), "update #8");
        assert_eq!(
            entry_name("services[0].stages[1]"),
            "stage #2 of service #1"
        );
        assert_eq!(entry_name("uptime.weights"), "`uptime.weights`");
        let d = yaml_diagnostic_of("title: A\nstart: x\nupdates:\n  - at: x\n    mesage: y\n");
        assert_eq!(d.message, "unknown key `mesage` in update #1");
    }

    #[test]
    fn an_empty_status_yaml_names_what_it_needs() {
        let mut report = Report::new("status.yaml", "# to do\n");
        let parsed = parse_yaml::<crate::load::raw::RawSite>(&mut report, &|_| &[]);
        assert!(parsed.is_none());
        let d = &report.diagnostics[0];
        assert_eq!(d.message, "status.yaml is empty");
        assert!(d.help.as_deref().is_some_and(|h| h.contains("base_url")));
        assert_eq!((d.line, d.code), (Some(1), Code::EmptyFile));
    }

    #[test]
    fn an_empty_file_says_so_at_its_first_line() {
        for text in ["", "# nothing yet\n", "\n\n---\n"] {
            let d = yaml_diagnostic_of(text);
            assert_eq!(d.message, "this incident file is empty", "{text:?}");
            assert_eq!((d.line, d.column), (Some(1), Some(1)));
        }
    }

    #[test]
    fn marks_are_stripped() {
        assert_eq!(
            strip_marks("services[0]: unknown field `x` at line 3 column 5"),
            "services[0]: unknown field `x`"
        );
        assert_eq!(
            strip_marks(
                "did not find expected key at line 4 column 1, while parsing a block mapping at line 1 column 1"
            ),
            "did not find expected key, while parsing a block mapping"
        );
    }
}
