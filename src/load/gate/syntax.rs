//! A YAML syntax error in plain words: where the problem starts (the tab, the value that needs
//! quotes, the line indented too far) rather than where the parser gave up, and the fix.
//!
//! Reads the error's place and the source lines around it; never parses beyond one line, and
//! never guesses a fix it cannot show: what it does not recognise keeps the parser's words.

use super::Refusal;
use crate::error::{Code, Suggestion};
use crate::load::index::Position;
use crate::load::report::{Lines, line_text};

/// `at`, or the end of the file's last line that holds anything when `at` lies past it: the
/// parser reports an unclosed bracket at the end of the input, which a person cannot see.
pub fn within(source: &str, at: Position) -> Position {
    let body = source.trim_end_matches(['\n', '\r', ' ', '\t']);
    let lines = Lines::new(body);
    let last = lines.count().max(1);
    if at.line <= last {
        return at;
    }
    let column = lines.text(last).map_or(1, |t| t.chars().count() + 1);
    Position { line: last, column }
}

/// A tab in the indentation of the error's line or of the line after it (the parser often
/// stops at the value before the tab): reported at the tab itself.
pub fn tab(source: &str, line: usize) -> Option<Refusal> {
    (line..=line + 1).find_map(|n| {
        let text = line_text(source, n)?;
        let lead = text.len() - text.trim_start_matches([' ', '\t']).len();
        let column = text[..lead].find('\t')? + 1;
        Some(Refusal {
            code: Code::YamlTab,
            at: Position { line: n, column },
            message: "a tab is used for indentation here; YAML indents with spaces only".to_owned(),
            help: "replace the tab with spaces, lining the key up with the others of its list \
                   or block"
                .to_owned(),
            width: Some(1),
            suggestion: None,
        })
    })
}

/// A `key: value` line.
struct KeyLine<'a> {
    /// The key, as written.
    key: &'a str,
    /// The value as written after `key: ` (up to the line's end), and its 1-based column.
    value: &'a str,
    value_column: usize,
}

/// The key and value of `text`, after its indentation and any `- ` list markers; `None` when the
/// line has no `key: ` or the key is quoted (rare, and left to the parser's words).
fn key_line(text: &str) -> Option<KeyLine<'_>> {
    let mut rest = text.trim_start_matches(' ');
    while let Some(after) = rest.strip_prefix("- ") {
        rest = after.trim_start_matches(' ');
    }
    let colon = rest.find(": ")?;
    let key = &rest[..colon];
    if key.is_empty() || key.starts_with(['"', '\'', '{', '[', '#']) {
        return None;
    }
    let after = &rest[colon + 1..];
    let value = after.trim_start_matches(' ').trim_end();
    let start = text.len() - after.trim_start_matches(' ').len();
    (!value.is_empty()).then(|| KeyLine {
        key,
        value,
        value_column: text[..start].chars().count() + 1,
    })
}

/// Why a value on a `key: value` line needs quotes, from the character the parser stopped at
/// or the one the value starts with; `None` when quotes would not help.
fn reason(value: &str, info: &str, offset: usize) -> Option<String> {
    let first = value.chars().next()?;
    if info.contains("mapping values") && offset > 0 {
        return Some("YAML reads the `: ` in this value as the start of a new key".to_owned());
    }
    if info.contains("trailing content") || (first == '"' || first == '\'') && offset > 0 {
        return Some(format!("text follows the closing {first} of this value"));
    }
    match first {
        '-' => Some("YAML reads `- ` at the start of this value as a list".to_owned()),
        '[' | '{' => Some(format!(
            "YAML reads `{first}` at the start of this value as the start of a {}",
            if first == '[' { "list" } else { "set of keys" }
        )),
        '*' | '&' => Some(format!(
            "YAML reads `{first}` at the start of this value as an {}",
            if first == '*' { "alias" } else { "anchor" }
        )),
        '@' | '`' | '%' | '!' | '|' | '>' => Some(format!(
            "a value that starts with `{first}` must be in quotes in YAML"
        )),
        _ => None,
    }
}

/// The error at `at` falls in the value of a `key: value` line that quotes would make plain
/// text: "put this value in quotes", with the quoted value as the replacement.
pub fn needs_quotes(source: &str, at: Position, info: &str) -> Option<Refusal> {
    let text = line_text(source, at.line)?;
    let line = key_line(text)?;
    let offset = at.column.checked_sub(line.value_column)?;
    let why = reason(line.value, info, offset)?;
    // `'It's down'`: an apostrophe ended the quotes early; the value meant is what they hold.
    // (Double quotes inside double quotes are as often meant as text, so they stay.)
    let inner = (line.value.strip_prefix('\''))
        .and_then(|v| v.strip_suffix('\''))
        .filter(|v| v.contains('\''));
    let mut r = needs_quotes_at(at, line, "")?;
    if let (Some(inner), Some(fix)) = (inner, r.suggestion.as_mut()) {
        fix.replacement = quote(inner);
        r.help = format!("write `{}: {}`", key_of(text), fix.replacement);
    }
    r.message = format!("put this value in quotes: {why}");
    Some(r)
}

/// The key of a `key: value` line, as `key_line` reads it.
fn key_of(text: &str) -> &str {
    key_line(text).map_or("", |l| l.key)
}

/// The refusal of `line`'s value at `at`, its quoted form as the fix; the message is the
/// caller's.
fn needs_quotes_at(at: Position, line: KeyLine<'_>, message: &str) -> Option<Refusal> {
    let quoted = quote(line.value);
    let width = line.value.chars().count();
    Some(Refusal {
        code: Code::YamlNeedsQuotes,
        at: Position {
            line: at.line,
            column: line.value_column,
        },
        message: message.to_owned(),
        help: format!("write `{}: {quoted}`", line.key),
        width: Some(width),
        suggestion: Some(Box::new(Suggestion {
            line: at.line,
            column: line.value_column,
            end_column: line.value_column + width,
            replacement: quoted,
        })),
    })
}

/// An alias or anchor that is clearly text (`*Update*: fixed`, `*all* calls`, `&amp;`): the
/// value of a key whose name is no name, or an alias with more after it. `None` for a bare
/// `*name`, or `&name` before a value, which are YAML's.
pub fn text_like_alias(source: &str, at: Position, token: &str) -> Option<Refusal> {
    let text = line_text(source, at.line)?;
    let line = key_line(text)?;
    let name = token.get(1..).unwrap_or("");
    let plain_name = name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    let more = token.starts_with('*') && line.value.chars().count() > token.chars().count();
    if at.column != line.value_column || (plain_name && !more) {
        return None;
    }
    needs_quotes(source, at, "")
}

/// A line indented more than the key above it, so YAML read it as the rest of that key's
/// value: the parser stops at its `:`, the first on the line.
pub fn over_indented(source: &str, at: Position, info: &str) -> Option<Refusal> {
    if !info.contains("mapping values") {
        return None;
    }
    let text = line_text(source, at.line)?;
    let indent = text.len() - text.trim_start_matches(' ').len();
    let key = text[indent..].split(": ").next()?;
    if at.column != indent + key.chars().count() + 1 {
        return None;
    }
    let above = (1..at.line)
        .rev()
        .filter_map(|n| line_text(source, n).map(|t| (n, t)))
        .find(|(_, t)| !t.trim().is_empty() && !t.trim_start().starts_with('#'))?;
    let (above_line, above_text) = above;
    let above_indent = above_text.len() - above_text.trim_start_matches(' ').len();
    let above_key = above_text[above_indent..].split(':').next().unwrap_or("");
    Some(Refusal {
        code: Code::YamlIndentation,
        at: Position {
            line: at.line,
            column: indent + 1,
        },
        message: format!(
            "`{key}:` is indented more than the line above, so YAML reads it as part of the \
             value on line {above_line}"
        ),
        help: format!(
            "if `{key}` is a key of its own, indent it as `{above_key}` on line {above_line} \
             ({above_indent} spaces); if this line goes on with the text above, put that text \
             in quotes"
        ),
        width: Some(key.chars().count()),
        suggestion: None,
    })
}

/// Keys whose values are prose, where a ` #` is meant as text: YAML reads it as the start of a
/// comment and drops the rest of the line without a word.
const PROSE: [&str; 9] = [
    "title",
    "summary",
    "cause",
    "message",
    "note",
    "statement",
    "description",
    "what",
    "name",
];

/// Every unquoted prose value that a ` #` cuts short (`message: Restarted # 2 of 3 workers`):
/// at the value, with the whole line's value in quotes as the fix. The lines of block scalars
/// (`|`, `>`) are text and skipped.
pub fn cut_by_comment(source: &str) -> Vec<Refusal> {
    let mut found = Vec::new();
    // The indentation of the key whose block scalar is being read, if one is.
    let mut block: Option<usize> = None;
    // Lines end at CR too, as YAML reads them (`str::lines` would join a CR-only file into one).
    let lines = Lines::new(source);
    for (n, text) in (1..=lines.count()).filter_map(|n| Some((n - 1, lines.text(n)?))) {
        let indent = text.len() - text.trim_start_matches(' ').len();
        if let Some(parent) = block {
            if text.trim().is_empty() || indent > parent {
                continue;
            }
            block = None;
        }
        let Some(line) = key_line(text) else { continue };
        if line.value.starts_with(['|', '>']) {
            block = Some(indent);
            continue;
        }
        let prose = PROSE.contains(&line.key);
        let quoted = line.value.starts_with(['"', '\'', '[', '{', '&', '*', '!']);
        let cut =
            line.value.starts_with('#') || line.value.contains(" #") || line.value.contains("\t#");
        if !prose || quoted || !cut {
            continue;
        }
        let at = Position {
            line: n + 1,
            column: line.value_column,
        };
        if let Some(mut r) = needs_quotes_at(at, line, "") {
            r.code = Code::YamlCommentInText;
            r.message = "the text after ` #` is read as a YAML comment and left out of this value"
                .to_owned();
            found.push(r);
        }
    }
    found
}

/// `value` in quotes, as plain text: double quotes unless it holds `"` or `\` (single quotes
/// then, which escape nothing but `'`).
pub fn quote(value: &str) -> String {
    if !value.contains(['"', '\\']) {
        format!("\"{value}\"")
    } else if !value.contains('\'') {
        format!("'{value}'")
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::check;
    use super::*;

    fn refusal(text: &str) -> Refusal {
        check(text).expect_err("refused")
    }

    const HEAD: &str = "title: A\nstart: 2024-03-05T10:00:00Z\n";

    #[test]
    fn a_tab_is_reported_where_it_stands() {
        for (body, line, column) in [
            ("updates:\n  - at: x\n\tstatus: y\n", 5, 1),
            ("services:\n  - id: web\n  \timpact: major_outage\n", 5, 3),
            ("services:\n\t- id: web\n", 4, 1),
            ("summary: |\n  text\n\tmore\n", 5, 1),
        ] {
            let r = refusal(&format!("{HEAD}{body}"));
            assert_eq!(r.at, Position { line, column }, "{body:?}");
            assert!(
                r.help.starts_with("replace the tab with spaces"),
                "{body:?}"
            );
        }
    }

    #[test]
    fn a_value_that_needs_quotes_gets_them_as_the_fix() {
        for (line, quoted, column) in [
            ("title: Outage: API down", "\"Outage: API down\"", 8),
            (
                "    message: Root cause: a bad deploy",
                "\"Root cause: a bad deploy\"",
                14,
            ),
            ("summary: \"Fixed\" in 5 min", "'\"Fixed\" in 5 min'", 10),
            ("summary: - partly", "\"- partly\"", 10),
            ("summary: @user said", "\"@user said\"", 10),
            ("summary: {team} fixed it", "\"{team} fixed it\"", 10),
            ("summary: `code` fixed", "\"`code` fixed\"", 10),
            ("summary: *Update*: fixed", "\"*Update*: fixed\"", 10),
            ("summary: [Update] the API", "\"[Update] the API\"", 10),
            ("summary: 'It's down'", "\"It's down\"", 10),
            ("summary: [a, b", "\"[a, b\"", 10),
        ] {
            let text = if line.starts_with("title") {
                format!("{line}\nstart: x\n")
            } else if line.starts_with(' ') {
                format!("{HEAD}updates:\n  - at: x\n    status: y\n{line}\n")
            } else {
                format!("{HEAD}{line}\n")
            };
            let r = refusal(&text);
            assert!(
                r.message.starts_with("put this value in quotes"),
                "{line}: {}",
                r.message
            );
            let s = r.suggestion.expect("a replacement");
            assert_eq!(
                (s.replacement.as_str(), s.column),
                (quoted, column),
                "{line}"
            );
            assert_eq!(r.at.column, column, "{line}");
        }
    }

    #[test]
    fn a_key_indented_too_far_names_the_line_above() {
        let r = refusal("title: A\nseverity: major\n  start: 2024\n");
        assert_eq!(r.at, Position { line: 3, column: 3 });
        assert!(
            r.message.starts_with("`start:` is indented more"),
            "{}",
            r.message
        );
        assert!(
            r.help.contains("`severity` on line 2 (0 spaces)"),
            "{}",
            r.help
        );
    }

    #[test]
    fn a_plain_alias_stays_an_alias() {
        let r = refusal("title: x\nsummary: *t\n");
        assert!(
            r.message.contains("aliases are not allowed"),
            "{}",
            r.message
        );
    }

    #[test]
    fn a_comment_that_cuts_a_text_short_is_found() {
        let text = "title: Fire # at the data center\nseverity: major # was minor\n\
                    summary: |\n  note: see # 5\nupdates:\n  - at: x\n    status: y\n\
                    \x20   message: Restarted # 2 of 3 workers\n    note: \"# quoted\"\n";
        for end in ["\r\n", "\r"] {
            let other = cut_by_comment(&text.replace('\n', end));
            assert_eq!(other.len(), 2, "{end:?}");
        }
        let found = cut_by_comment(text);
        let places: Vec<_> = found.iter().map(|r| (r.at.line, r.at.column)).collect();
        assert_eq!(places, [(1, 8), (8, 14)]);
        let fix = found[1].suggestion.as_ref().expect("a fix");
        assert_eq!(fix.replacement, "\"Restarted # 2 of 3 workers\"");
        assert_eq!(found[1].code, Code::YamlCommentInText);
    }

    #[test]
    fn quoting_keeps_the_text() {
        assert_eq!(quote("a: b"), "\"a: b\"");
        assert_eq!(quote("say \"hi\""), "'say \"hi\"'");
        assert_eq!(quote("it's \"x\""), "'it''s \"x\"'");
    }
}
