//! Renders a `Diagnostic` rustc style: `error: …`, `--> file:line:col`, the line, a caret, a hint.
//!
//! Returns strings; never prints, and never decides on colour: the binary decides where the
//! strings go and whether they are coloured.

pub mod code;

use crate::error::{Diagnostic, Level};
use std::fmt::Write;
use unicode_width::UnicodeWidthChar;

/// ANSI colours, or none. Only the binary decides, from the terminal and `NO_COLOR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Never,
    Always,
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// `d` as rustc shows a problem: the message, `--> file:line:col`, the source line with a caret
/// under the span, the help; every line ends in `\n`. Coloured with ANSI codes only on `Always`.
pub fn render(d: &Diagnostic, color: Color) -> String {
    let paint = Paint {
        on: color == Color::Always,
    };
    let (word, code) = match d.level {
        Level::Error => ("error", "1;31"),
        Level::Warning => ("warning", "1;33"),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{}",
        paint.wrap(code, word),
        paint.wrap("1", &format!(": {}", escaped(&d.message)))
    );
    let gutter = d.line.map_or(1, |l| l.to_string().len());
    let pad = " ".repeat(gutter);
    let file = escaped(&d.file);
    let location = match (d.line, d.column) {
        (Some(line), Some(col)) => format!("{file}:{line}:{col}"),
        (Some(line), None) => format!("{file}:{line}"),
        _ => file.into_owned(),
    };
    let _ = writeln!(out, "{pad}{} {location}", paint.wrap("1;34", "-->"));
    if let (Some(line), Some(text)) = (d.line, &d.source_line) {
        let text = &pictured(text);
        let bar = paint.wrap("1;34", "|");
        let (lead, width) = caret(d, text);
        let _ = writeln!(out, "{pad} {bar}");
        let _ = writeln!(
            out,
            "{} {bar} {text}",
            paint.wrap("1;34", &line.to_string())
        );
        let carets = "^".repeat(width);
        let _ = writeln!(out, "{pad} {bar} {lead}{}", paint.wrap(code, &carets));
    }
    if let Some(help) = &d.help {
        let help = escaped(help);
        let _ = writeln!(out, "{pad} {} help: {help}", paint.wrap("1;34", "="));
    }
    if d.promoted_from == Some(Level::Warning) {
        let note = "note: a warning, counted as an error by --strict";
        let _ = writeln!(out, "{pad} {} {note}", paint.wrap("1;34", "="));
    }
    out
}

/// `text` with each character that would act on a terminal rather than show — a line break, an
/// escape, a bidirectional override — written as an escape (`\n`, `\u{1b}`): a message quotes
/// what an input file holds (`java&#x0A;script:` decodes to a line break), and a quoted
/// `\x1b[2J` must not clear the screen of whoever runs `check`.
fn escaped(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(acts) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if acts(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.into()
}

/// A source line as a terminal may show it: a tab stays (the caret line keeps it too), every
/// other character of `acts` becomes one visible cell (U+2400's pictures; `�` beyond C0), so
/// the caret still stands under its column.
fn pictured(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c != '\t' && acts(c)) {
        return text.into();
    }
    (text.chars())
        .map(|c| match c {
            '\t' => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{FFFD}'),
            '\u{7f}' => '\u{2421}',
            c if acts(c) => '\u{FFFD}',
            c => c,
        })
        .collect::<String>()
        .into()
}

/// Whether a terminal acts on `c` instead of showing it: control characters (C0, DEL, C1), the
/// line separators and the bidirectional controls.
/// A CI log viewer acts on them too (`report::github`).
pub(crate) fn acts(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What goes before the caret so that it stands under the column, and how many `^` cover the
/// span, both as the text shows on screen: a CJK character takes two cells, a combining mark
/// none, and a tab stays a tab so the terminal lines it up as in the line above.
fn caret(d: &Diagnostic, text: &str) -> (String, usize) {
    let col = d.column.unwrap_or(1).saturating_sub(d.source_from.max(1));
    let mut chars = text.chars();
    let mut lead = String::new();
    for c in chars.by_ref().take(col) {
        match c {
            '\t' => lead.push('\t'),
            c => lead.extend(std::iter::repeat_n(' ', cells(c))),
        }
    }
    let width: usize = chars.take(d.span.max(1)).map(cells).sum();
    (lead, width.max(1))
}

/// The cells a character takes on a terminal; a control character is shown as one.
fn cells(c: char) -> usize {
    c.width().unwrap_or(1)
}

/// The closing line of a check: how many errors and warnings (`1 error, 2 warnings`).
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_rustc_style_with_caret_under_the_value() {
        let mut d = Diagnostic::error(
            code::Code::UnknownService,
            "incidents/a.yaml",
            "unknown service \"kakaopay\"",
        )
        .with_help("known services: kakaotalk, kakao-t");
        d.line = Some(14);
        d.column = Some(9);
        d.source_line = Some("  - id: kakaopay".to_owned());
        d.span = 8;
        let expected = [
            "error: unknown service \"kakaopay\"",
            "  --> incidents/a.yaml:14:9",
            "   |",
            "14 |   - id: kakaopay",
            "   |         ^^^^^^^^",
            "   = help: known services: kakaotalk, kakao-t",
            "",
        ];
        assert_eq!(render(&d, Color::Never), expected.join("\n"));
    }

    #[test]
    fn the_caret_counts_cells_not_characters() {
        let mut d = Diagnostic::error(
            code::Code::UnknownImpact,
            "incidents/a.yaml",
            "unknown impact `전면장애`",
        );
        d.line = Some(6);
        d.column = Some(28);
        d.source_line = Some("  - { note: 판교 화재, impact: 전면장애 }".to_owned());
        d.span = 4;
        let shown = render(&d, Color::Never);
        let caret = shown.lines().nth(4).expect("caret line");
        // `  - { note: 판교 화재, impact: ` is 31 cells wide; the value takes 8.
        assert_eq!(caret, format!("  | {}{}", " ".repeat(31), "^".repeat(8)));
    }

    #[test]
    fn a_window_of_a_long_line_keeps_the_caret_under_its_column() {
        let mut d = Diagnostic::error(code::Code::YamlSyntax, "a.yaml", "m");
        d.line = Some(1);
        d.column = Some(1000);
        d.source_from = 990;
        d.source_line = Some("…123456789bad…".to_owned());
        d.span = 3;
        let shown = render(&d, Color::Never);
        let expected = format!("1 | …123456789bad…\n  | {}^^^\n", " ".repeat(10));
        assert!(shown.contains(&expected), "{shown}");
    }
}
