//! Collects the problems of one input file, each pointed at its line through its field path,
//! and reads a word of a fixed set or reports it (the one copy of that pattern).
//!
//! Never reads the disk and never prints: it only fills a list the caller hands on.

use super::words::Words;
use crate::error::{Diagnostic, Level};
use crate::load::locate::locate;

/// The problems found in one file, in the order found.
pub struct Report<'a> {
    pub file: &'a str,
    pub source: &'a str,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Report<'a> {
    pub fn new(file: &'a str, source: &'a str) -> Report<'a> {
        Report {
            file,
            source,
            diagnostics: Vec::new(),
        }
    }

    pub fn error(&mut self, path: &str, message: impl Into<String>, help: Option<String>) {
        self.push(Level::Error, path, message.into(), help);
    }

    pub fn warning(&mut self, path: &str, message: impl Into<String>, help: Option<String>) {
        self.push(Level::Warning, path, message.into(), help);
    }

    /// `text` as one of `words`; else `None` and an error at `path`, "unknown {noun}
    /// `text`{scope}", whose help lists every word and names the closest.
    pub fn one_of<T: Copy>(&mut self, path: &str, text: &str, words: &Words<T>) -> Option<T> {
        let found = words.find(text);
        if found.is_none() {
            let message = format!("unknown {} `{text}`{}", words.noun, words.scope);
            self.error(path, message, Some(words.help(text)));
        }
        found
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    fn push(&mut self, level: Level, path: &str, message: String, help: Option<String>) {
        let mut d = Diagnostic::error(self.file, message);
        d.level = level;
        d.help = help;
        match locate(self.source, path) {
            Some(pos) => place(&mut d, self.source, pos.line, pos.column),
            // A path with no place (a key the user left out) points at the file's top.
            None if path.is_empty() => place(&mut d, self.source, 1, 1),
            None => {}
        }
        self.diagnostics.push(d);
    }
}

/// Fills in line, column, the source line and a caret as wide as the value on that line.
pub fn place(d: &mut Diagnostic, source: &str, line: usize, column: usize) {
    d.line = Some(line);
    d.column = Some(column);
    let Some(text) = source.lines().nth(line.saturating_sub(1)) else {
        return;
    };
    let rest: String = text.chars().skip(column.saturating_sub(1)).collect();
    let value = rest.split(" #").next().unwrap_or("").trim_end();
    // At a `key: value` (an unknown key, an entry missing a key) underline the key alone.
    let key = value.find(": ").map(|i| &value[..i]).filter(|k| {
        k.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    });
    d.span = key.unwrap_or(value).chars().count().max(1);
    d.source_line = Some(text.to_owned());
}
