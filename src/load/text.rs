//! The characters a text of an input file may hold, for every text field at once.
//!
//! - A **one-line** field (a title, a name, a role, a link's text or address, a stage's note) is
//!   shown on one line in every page, feed, badge and terminal: no line break, no tab, no other
//!   control character. Such a field is typed `OneLine` in `raw.rs`; its text is reached only
//!   through `OneLine::checked`, so no one-line field of the model escapes the check.
//! - A **multi-line** text (Markdown: a message, a summary, a statement; a description) may hold
//!   line breaks (LF, CR: an import's `\r\n`) and tabs, and no other control character.
//! - In both, the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
//!   U+2066–U+2069) are refused: one left open reorders what follows it on the page or in a
//!   feed reader ("Trojan Source"), so `resolved` could be made to read otherwise. The marks
//!   U+200E and U+200F, which mixed-direction text needs, are allowed.
//!
//! Control characters are C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F), and the line
//! and paragraph separators U+2028 and U+2029 count as line breaks. A refused character is an
//! error at the field (`candor::text-not-one-line`, `candor::text-control-character`).
//! Never reads a file and never prints.

use super::report::Report;
use crate::error::Code;
use serde::Deserialize;

/// A text that must be one line. Deserialized as a plain string; its text is reached only
/// through `checked`.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct OneLine(String);

impl OneLine {
    /// The text, after an error at `path` for each character a one-line text must not hold.
    pub fn checked(self, report: &mut Report, path: &str) -> String {
        one_line(report, path, &self.0);
        self.0
    }
}

/// An error at `path` when `text` holds a character a one-line text must not hold.
pub fn one_line(report: &mut Report, path: &str, text: &str) {
    // A folded `title: >` ends in a line break: the text itself is what must be one line.
    let trimmed = text.trim_end_matches('\n');
    if let Some(c) = trimmed.chars().find(|&c| refused(c, false)) {
        let field = field(path);
        let help = format!(
            "write `{field}` as one line of text, without line breaks, tabs or control \
             characters{}{}",
            bidi_help(c),
            instead(text)
        );
        refuse(report, (Code::TextNotOneLine, path), c, help);
    }
}

/// An error at `path` when the multi-line `text` holds a control character other than a line
/// break or a tab, or a bidirectional override.
pub fn lines(report: &mut Report, path: &str, text: &str) {
    if let Some(c) = text.chars().find(|&c| refused(c, true)) {
        let help = format!(
            "remove it: a text may hold line breaks and tabs, but no other control character{}",
            bidi_help(c)
        );
        refuse(report, (Code::TextControlCharacter, path), c, help);
    }
}

/// The error: "`by` holds U+202E (a bidirectional override)", at the field.
fn refuse(report: &mut Report, (code, path): (Code, &str), c: char, help: String) {
    let message = format!("`{}` holds {}", field(path), describe(c));
    report.error(code, path, message, Some(help));
}

/// Whether `c` is refused in a text; `lines`: one that may span lines.
pub fn refused(c: char, lines: bool) -> bool {
    match c {
        '\n' | '\r' | '\t' => !lines,
        '\u{2028}' | '\u{2029}' => !lines,
        c if c.is_control() => true,
        c => is_bidi_control(c),
    }
}

/// The first character YAML's printable set leaves out (C0 but tab and line breaks, DEL, C1
/// but NEL, U+FFFE, U+FFFF), with its byte offset.
pub fn unprintable(source: &str) -> Option<(usize, char)> {
    let printable = |c: char| {
        // U+0085, U+2028 and U+2029 are line breaks to YAML: one inside a text splits it and
        // the parser reports a missing `:` lines away, so they are refused at their place too.
        matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{A0}'..='\u{2027}')
            || matches!(c, '\u{202A}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    };
    source.char_indices().find(|&(_, c)| !printable(c))
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `U+0007 (a control character)` as a message says it.
fn describe(c: char) -> String {
    let kind = match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => "a line break",
        '\t' => "a tab",
        c if is_bidi_control(c) => "a bidirectional override",
        _ => "a control character",
    };
    format!("U+{:04X} ({kind})", u32::from(c))
}

fn bidi_help(c: char) -> &'static str {
    if is_bidi_control(c) {
        "; to set the direction of a mixed-direction text, use the marks U+200E or U+200F"
    } else {
        ""
    }
}

/// `: like `TEXT``, the text with each refused character gone (a line break or tab: a space),
/// when it is short enough to show; else nothing.
fn instead(text: &str) -> String {
    let text = text.trim_end_matches('\n');
    if text.chars().count() > 80 {
        return String::new();
    }
    let fixed: String = (text.chars())
        .filter_map(|c| match c {
            c if !refused(c, false) => Some(c),
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => Some(' '),
            _ => None,
        })
        .collect();
    let fixed = fixed
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    format!(": like `{fixed}`")
}

/// `apologies[0].by` → `by`: the field as a sentence names it.
fn field(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_texts_refuse_breaks_tabs_controls_and_overrides() {
        for c in [
            '\n', '\r', '\t', '\0', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}', '\u{2028}',
        ] {
            assert!(refused(c, false), "{c:?} in one line");
        }
        for c in ['\u{202E}', '\u{2066}', '\0', '\u{1b}', '\u{85}'] {
            assert!(refused(c, true), "{c:?} in lines");
            assert!(refused(c, false), "{c:?} in one line");
        }
        for c in ['a', ' ', 'é', '한', '\u{200E}', '\u{200F}', '\u{A0}'] {
            assert!(!refused(c, false) && !refused(c, true), "{c:?}");
        }
        assert!(!refused('\n', true) && !refused('\r', true) && !refused('\t', true));
    }

    #[test]
    fn the_error_names_the_character_and_the_field() {
        let source = "statements:\n  - by: \"Ann\\u202E\"\n";
        let mut report = Report::new("incidents/a.yaml", source);
        one_line(&mut report, "statements[0].by", "Ann\u{202E}");
        lines(&mut report, "summary", "ok\nok\ttoo");
        one_line(&mut report, "title", "Folded title\n");
        let [d] = &report.diagnostics[..] else {
            panic!("{:?}", report.diagnostics)
        };
        assert_eq!(d.code, Code::TextNotOneLine);
        assert_eq!(d.line, Some(2));
        assert!(
            d.message
                .contains("`by` holds U+202E (a bidirectional override)")
        );
        let help = d.help.as_deref().unwrap_or("");
        assert!(
            help.contains("U+200E") && help.ends_with(": like `Ann`"),
            "{help}"
        );
    }
}
