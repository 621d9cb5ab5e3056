//! Collects the problems of one input file, each pointed at its line through its field path,
//! and reads a word of a fixed set or reports it (the one copy of that pattern).
//!
//! Never reads the disk and never prints: it only fills a list the caller hands on.

use super::words::Words;
use crate::error::{Code, Diagnostic};
use crate::load::index::{Index, Position};

/// The problems found in one file, in the order found.
pub struct Report<'a> {
    pub file: &'a str,
    pub source: &'a str,
    pub diagnostics: Vec<Diagnostic>,
    /// Built at the first problem with a place, then reused for every other.
    index: Option<(Index, Lines<'a>)>,
}

impl<'a> Report<'a> {
    pub fn new(file: &'a str, source: &'a str) -> Report<'a> {
        Report {
            file,
            source,
            diagnostics: Vec::new(),
            index: None,
        }
    }

    pub fn error(
        &mut self,
        code: Code,
        path: &str,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.push(Diagnostic::error(code, self.file, message), path, help);
    }

    pub fn warning(
        &mut self,
        code: Code,
        path: &str,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.push(Diagnostic::warning(code, self.file, message), path, help);
    }

    /// `text` as one of `words`; else `None` and an error at `path`, "unknown {noun}
    /// `text`{scope}", whose help lists every word and names the closest.
    pub fn one_of<T: Copy>(&mut self, path: &str, text: &str, words: &Words<T>) -> Option<T> {
        let found = words.find(text);
        if found.is_none() {
            let message = format!("unknown {} `{text}`{}", words.noun, words.scope);
            self.error(words.code, path, message, Some(words.help(text)));
        }
        found
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    fn push(&mut self, mut d: Diagnostic, path: &str, help: Option<String>) {
        d.help = help;
        let (index, lines) = self.index();
        match index.get(path) {
            Some(pos) => place(&mut d, lines.text(pos.line), pos.line, pos.column),
            // A path with no place (a key the user left out) points at the file's top.
            None if path.is_empty() => place(&mut d, lines.text(1), 1, 1),
            None => {}
        }
        self.diagnostics.push(d);
    }

    /// A warning about a piece of the text at `path` (a link in a message): at the first place,
    /// from byte `from` of the file on (and never before the value), where `written` (the
    /// piece's first line as the Markdown source has it) stands; else at the value. Returns
    /// the byte after the place found, where the next piece of the same text is looked for.
    pub fn warning_in_text(
        &mut self,
        (code, path): (Code, &str),
        (written, from): (&str, usize),
        message: String,
        help: Option<String>,
    ) -> usize {
        let (source, file) = (self.source, self.file);
        let (index, lines) = self.index();
        let Some(value) = index.get(path) else {
            self.warning(code, path, message, help);
            return from;
        };
        let start = lines.offset(value).unwrap_or(0).max(from);
        let found = (!written.is_empty())
            .then(|| source.get(start..)?.find(written))
            .flatten();
        let Some(at) = found.map(|i| start + i) else {
            self.warning(code, path, message, help);
            return from;
        };
        let pos = lines.position(at);
        let mut d = Diagnostic::warning(code, file, message);
        d.help = help;
        place(&mut d, lines.text(pos.line), pos.line, pos.column);
        d.span = written.chars().count();
        self.diagnostics.push(d);
        at + written.len()
    }

    /// Where the key at `path` is written a second time, if it is.
    pub fn repeated_key(&mut self, path: &str) -> Option<Position> {
        self.index().0.repeated_key(path)
    }

    /// Where the value at `path` stands, if the file has it.
    pub fn value_at(&mut self, path: &str) -> Option<Position> {
        self.index().0.get(path)
    }

    /// Places `d` at `pos` of this file.
    pub fn place(&mut self, d: &mut Diagnostic, pos: Position) {
        let text = self.index().1.text(pos.line);
        place(d, text, pos.line, pos.column);
    }

    fn index(&mut self) -> &(Index, Lines<'a>) {
        let source = self.source;
        self.index
            .get_or_insert_with(|| (Index::build(source), Lines::new(source)))
    }
}

/// How many characters of a source line a diagnostic shows: a window around the column, so a
/// file written on one long line cannot make every message a megabyte.
const SHOWN: usize = 160;
/// Of those, how many before the column.
const BEFORE: usize = 60;

/// The value that starts `rest`: a quoted text to its closing quote; in a flow collection
/// (`{ id: web, impact: … }`) up to the next `,`, `]` or `}`; else to a comment or the end.
fn value_at(rest: &str, in_flow: bool) -> &str {
    let value = rest.split(" #").next().unwrap_or("");
    if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'')
        && let Some(end) = rest[1..].find(quote)
    {
        return &rest[..end + 2];
    }
    if in_flow {
        return value.split([',', ']', '}']).next().unwrap_or("").trim_end();
    }
    value.trim_end()
}

/// Where each line of a source starts, found once per file so placing many problems stays
/// linear. Lines end at `\n`, `\r\n` or a lone `\r`, as YAML counts them.
pub struct Lines<'a> {
    source: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(source: &'a str) -> Lines<'a> {
        let bytes = source.as_bytes();
        let mut starts = vec![0];
        for (i, b) in bytes.iter().enumerate() {
            let ends_line = *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        Lines { source, starts }
    }

    /// How many lines the source has, counting the empty one after a final line break.
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// The byte offset of `pos`, if the source has it.
    pub fn offset(&self, pos: Position) -> Option<usize> {
        let start = *self.starts.get(pos.line.checked_sub(1)?)?;
        let text = self.text(pos.line)?;
        let within = text
            .char_indices()
            .nth(pos.column.saturating_sub(1))
            .map_or(text.len(), |(i, _)| i);
        Some(start + within)
    }

    /// The line and column of byte `at` of the source.
    pub fn position(&self, at: usize) -> Position {
        let line = self.starts.partition_point(|&s| s <= at).max(1);
        let start = self.starts[line - 1];
        let column = self
            .source
            .get(start..at)
            .map_or(1, |t| t.chars().count() + 1);
        Position { line, column }
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn text(&self, line: usize) -> Option<&'a str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).copied().unwrap_or(self.source.len());
        let text = self.source.get(start..end)?;
        Some(text.trim_end_matches('\n').trim_end_matches('\r'))
    }
}

/// The text of 1-based line `line` of `source`, for a one-off lookup (a file's single YAML
/// error); `Lines` serves many.
pub fn line_text(source: &str, line: usize) -> Option<&str> {
    let mut rest = source;
    for _ in 1..line {
        let end = rest.find(['\n', '\r'])?;
        let skip = if rest[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = &rest[end + skip..];
    }
    Some(&rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())])
}

/// Fills in line, column, the source line (a window of it when it is long) and a caret as
/// wide as the value on that line.
pub fn place(d: &mut Diagnostic, text: Option<&str>, line: usize, column: usize) {
    d.line = Some(line);
    d.column = Some(column);
    let Some(text) = text else {
        return;
    };
    let col = column.saturating_sub(1);
    let long = text.len() > SHOWN && text.chars().nth(SHOWN).is_some();
    let from = if long { col.saturating_sub(BEFORE) } else { 0 };
    // Columns count characters; an ASCII line (most are) is cut by bytes, without a walk.
    let tail = if text.is_ascii() {
        text.get(from..).unwrap_or("")
    } else {
        text.char_indices()
            .nth(from)
            .map_or("", |(i, _)| &text[i..])
    };
    let mut window: Vec<char> = tail.chars().take(SHOWN + 1).collect();
    let cut_end = window.len() > SHOWN;
    window.truncate(SHOWN);
    let rest: String = window
        .iter()
        .skip(col - from)
        .take(
            window
                .len()
                .saturating_sub(col - from + usize::from(cut_end)),
        )
        .collect();
    let before: String = window.iter().take(col - from).collect();
    let value = value_at(&rest, before.contains(['[', '{']));
    // At a `key: value` (an unknown key, an entry missing a key) underline the key alone.
    let key = value.find(": ").map(|i| &value[..i]).filter(|k| {
        k.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    });
    d.span = key.unwrap_or(value).chars().count().max(1);
    if from > 0 {
        window[0] = '…';
    }
    if cut_end && let Some(last) = window.last_mut() {
        *last = '…';
    }
    d.source_line = Some(window.into_iter().collect());
    d.source_from = from + 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_positions_agree() {
        let source = "a: 한글\r\nb: |\n  x [l](j:1)\n";
        let lines = Lines::new(source);
        let at = source.find("[l]").expect("there");
        let pos = lines.position(at);
        assert_eq!(pos, Position { line: 3, column: 5 });
        assert_eq!(lines.offset(pos), Some(at));
        assert_eq!(lines.position(source.find('글').expect("there")).column, 5);
    }

    #[test]
    fn lines_end_at_lf_crlf_and_cr_alike() {
        for source in ["a\nb\n\nd", "a\r\nb\r\n\r\nd", "a\rb\r\rd"] {
            let lines = Lines::new(source);
            let found: Vec<_> = (1..=5).map(|n| lines.text(n)).collect();
            assert_eq!(found, [Some("a"), Some("b"), Some(""), Some("d"), None]);
            assert_eq!(line_text(source, 4), Some("d"), "{source:?}");
            assert_eq!(line_text(source, 2), Some("b"), "{source:?}");
        }
    }

    fn placed(text: &str, column: usize) -> Diagnostic {
        let mut d = Diagnostic::error(Code::YamlSyntax, "a.yaml", "m");
        place(&mut d, Some(text), 3, column);
        d
    }

    #[test]
    fn the_caret_covers_the_value_or_the_key() {
        assert_eq!(placed("  id: kakao-pay # a comment", 7).span, 9);
        assert_eq!(placed("  restord: 2024-01-01", 3).span, 7);
        assert_eq!(placed("  - { id: 카카오, impact: x }", 11).span, 3);
        assert_eq!(placed("message: \"a, b\" # c", 10).span, 6);
        assert_eq!(placed("short", 40).span, 1);
    }

    #[test]
    fn a_long_line_is_kept_as_a_window_around_the_column() {
        let line = format!("{}value{}", "a".repeat(5000), "z".repeat(5000));
        let d = placed(&line, 5001);
        let shown = d.source_line.expect("shown");
        assert_eq!(shown.chars().count(), SHOWN);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(d.source_from, 5001 - BEFORE);
        assert_eq!(d.column, Some(5001), "the column stays the file's");
        let d = placed(&format!("한{line}"), 1);
        assert_eq!(d.source_from, 1);
        assert!(d.source_line.expect("shown").starts_with("한aaa"));
    }
}
