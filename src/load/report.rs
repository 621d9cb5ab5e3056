//! Collects the problems of one input file, each pointed at its line through its field path.

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

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A help line listing the allowed words, with a "did you mean" when one is close.
pub fn words_help(word: &str, allowed: &[&str]) -> String {
    let list = allowed.join(" | ");
    match did_you_mean(word, allowed.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? allowed: {list}"),
        None => format!("allowed: {list}"),
    }
}

/// The help for an id that status.yaml does not list: the closest one, and all of them.
pub fn unknown_service_help<'k>(id: &str, known: impl IntoIterator<Item = &'k str>) -> String {
    let known: Vec<&str> = known.into_iter().collect();
    match did_you_mean(id, known.iter().copied()) {
        Some(close) => format!(
            "did you mean `{close}`? known services: {}",
            known.join(", ")
        ),
        None => format!(
            "known services: {} (add it to status.yaml first)",
            known.join(", ")
        ),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let keys = ["id", "impact", "from", "stages", "restored", "note"];
        assert_eq!(did_you_mean("restord", keys), Some("restored"));
        assert_eq!(did_you_mean("impcat", keys), Some("impact"));
        assert_eq!(did_you_mean("weather", keys), None);
    }
}
