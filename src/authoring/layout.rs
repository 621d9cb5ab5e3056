//! The layout of a YAML file, read line by line: where a top-level key's value lies, where each
//! entry of a block list starts and ends, and how deep it is indented. The edits use it to put
//! new lines where a person would have, leaving every other byte alone.
//! Never edits anything itself and never parses YAML's values: it only says where lines are.

use super::EditError;

/// One line: its text without the line ending, where it starts and where the next one starts.
pub(super) struct Line<'t> {
    pub(super) text: &'t str,
    start: usize,
    end: usize,
    /// The last line of a file may have no line ending.
    terminated: bool,
}

impl Line<'_> {
    pub(super) fn indent(&self) -> usize {
        self.text.len() - self.rest().len()
    }
    /// Where the line starts in the text, and where the next one starts.
    pub(super) fn span(&self) -> (usize, usize) {
        (self.start, self.end)
    }
    pub(super) fn rest(&self) -> &str {
        self.text.trim_start_matches(' ')
    }
    pub(super) fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
    fn is_comment(&self) -> bool {
        self.rest().starts_with('#')
    }
    pub(super) fn is_content(&self) -> bool {
        !self.is_blank() && !self.is_comment()
    }
    /// A block sequence entry: `- …` (a tab may separate too) or a bare `-`.
    fn is_entry(&self) -> bool {
        let rest = self.rest();
        rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t")
    }
}

/// The lines of `text`, each with its byte offsets.
pub(super) fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let body = raw.strip_suffix('\n').unwrap_or(raw);
        out.push(Line {
            text: body.strip_suffix('\r').unwrap_or(body),
            start,
            end: start + raw.len(),
            terminated: raw.ends_with('\n'),
        });
        start += raw.len();
    }
    out
}

/// The line ending of the file's first line, for the lines an edit adds.
pub(super) fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if text[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

/// A top-level key and the lines of its value.
pub(super) struct Block<'t> {
    pub(super) key_line: usize,
    /// The text after `key:` on the key's own line.
    pub(super) value: &'t str,
    /// The last line of the value that is not blank and not a comment at column 0 (those belong
    /// to what follows); `key_line` when the value has no lines below the key.
    last: usize,
}

/// The value of the top-level `key`, if a line starts with `key:`.
pub(super) fn find_block<'t>(lines: &[Line<'t>], key: &str) -> Option<Block<'t>> {
    let value_of = |line: &Line<'t>| {
        let after = line.text.strip_prefix(key)?.strip_prefix(':')?;
        (after.is_empty() || after.starts_with([' ', '\t'])).then_some(after)
    };
    let (key_line, value) = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| value_of(l).map(|v| (i, v)))?;
    let mut last = key_line;
    for (i, line) in lines.iter().enumerate().skip(key_line + 1) {
        if line.is_blank() || (line.indent() == 0 && line.is_comment()) {
            continue;
        }
        // A list may sit at column 0 under its key (`updates:\n- at: …`); anything else there ends it.
        if line.indent() == 0 && !line.is_entry() {
            break;
        }
        last = i;
    }
    Some(Block {
        key_line,
        value,
        last,
    })
}

/// One entry of a block list.
pub(super) struct Item {
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) dash: usize,
    /// The indentation of the entry's keys; `None` for a flow entry (`- { id: x }`).
    pub(super) key_indent: Option<usize>,
}

/// The entries of the block list under `block`; refused when the lines are not one list.
pub(super) fn items(lines: &[Line], block: &Block, key: &str) -> Result<Vec<Item>, EditError> {
    let body = block.key_line + 1..block.last + 1;
    let content = || {
        body.clone()
            .filter(|&i| lines.get(i).is_some_and(Line::is_content))
    };
    let Some(first) = content().next().and_then(|i| lines.get(i)) else {
        return Ok(Vec::new());
    };
    if !first.is_entry() {
        return Err(EditError::uneditable(format!("`{key}` is not a list")));
    }
    let dash = first.indent();
    let starts: Vec<usize> = content()
        .filter(|&i| lines.get(i).is_some_and(|l| l.indent() <= dash))
        .collect();
    let stray = starts.iter().find_map(|&i| {
        lines
            .get(i)
            .filter(|l| l.indent() < dash || !l.is_entry())
            .map(|l| (i, l))
    });
    if let Some((i, line)) = stray {
        return Err(EditError::uneditable(format!(
            "in the `{key}` list, line {} (`{}`) is indented no deeper than the list's `-`, \
             so this command cannot tell where an entry ends",
            i + 1,
            line.text.trim()
        )));
    }
    let ends = starts.iter().skip(1).copied().chain([block.last + 1]);
    Ok(starts
        .iter()
        .zip(ends)
        .map(|(&start, next)| item(lines, start, next, dash))
        .collect())
}

/// The entry whose dash is on line `start`, before line `next` where the next entry starts.
fn item(lines: &[Line], start: usize, next: usize, dash: usize) -> Item {
    let inside = |i: &usize| {
        lines
            .get(*i)
            .is_some_and(|l| !l.is_blank() && l.indent() > dash)
    };
    let last = (start + 1..next).rev().find(inside).unwrap_or(start);
    let after_dash = lines
        .get(start)
        .and_then(|l| l.rest().get(1..))
        .unwrap_or("");
    let body = after_dash.trim_start();
    let key_indent = if body.starts_with(['{', '[']) {
        None
    } else if body.is_empty() || body.starts_with('#') {
        let below = (start + 1..next)
            .filter_map(|i| lines.get(i))
            .find(|l| l.is_content());
        Some(below.map_or(dash + 2, Line::indent))
    } else {
        Some(dash + 1 + after_dash.len() - body.len())
    };
    Item {
        first: start,
        last,
        dash,
        key_indent,
    }
}

/// The line of the entry `item` (keys at indentation `key`) that holds the key `name:`, on its
/// dash line or below: its index, the line up to the colon, and what follows the colon.
pub(super) fn key_line<'t>(
    lines: &[Line<'t>],
    item: &Item,
    key: usize,
    name: &str,
) -> Option<(usize, &'t str, &'t str)> {
    (item.first..=item.last).find_map(|i| {
        let line = lines.get(i)?;
        let text = line.text;
        let rest = text.trim_start_matches(' ');
        let keyed = if i == item.first {
            rest.get(1..).map(str::trim_start)
        } else {
            (line.indent() == key).then_some(rest)
        };
        let after = keyed?.strip_prefix(name)?.strip_prefix(':')?;
        (after.is_empty() || after.starts_with([' ', '\t']))
            .then(|| (i, &text[..text.len() - after.len()], after))
    })
}

/// The last of the blank lines right below line `after`; `after` itself when none follow.
pub(super) fn blank_run_end(lines: &[Line], after: usize) -> usize {
    let mut end = after;
    while lines.get(end + 1).is_some_and(Line::is_blank) {
        end += 1;
    }
    end
}

/// The list indentation a new list should use: the one of `services:` if it has entries, else
/// two spaces (`  - at:`, keys at 4).
pub(super) fn list_style(lines: &[Line]) -> (usize, usize) {
    find_block(lines, "services")
        .and_then(|b| items(lines, &b, "services").ok())
        .and_then(|items| {
            items
                .into_iter()
                .find_map(|i| i.key_indent.map(|k| (i.dash, k)))
        })
        .unwrap_or((2, 4))
}

/// Splits ` value  # comment` into `value` and `  # comment` (with its leading space).
pub(super) fn split_comment(after_colon: &str) -> (&str, &str) {
    let body = after_colon.trim_start();
    let len = match body.chars().next() {
        Some(q @ ('"' | '\'')) => body[1..].find(q).map_or(body.len(), |i| i + 2),
        Some('#') | None => 0,
        _ => body
            .find(" #")
            .or_else(|| body.find("\t#"))
            .unwrap_or(body.len()),
    };
    let value = body[..len].trim_end();
    let offset = after_colon.len() - body.len();
    (value, &after_colon[offset + value.len()..])
}

/// `text` with line `index` replaced by `replacement` (if any) and `new` lines inserted after it.
pub(super) fn insert_after(
    text: &str,
    lines: &[Line],
    index: usize,
    replacement: Option<&str>,
    new: &[String],
    eol: &str,
) -> String {
    let Some(line) = lines.get(index) else {
        return text.to_owned();
    };
    // Line offsets lie just after a `\n` or at the ends of the text: always char boundaries.
    let mut out =
        String::with_capacity(text.len() + new.iter().map(|l| l.len() + 2).sum::<usize>());
    match replacement {
        Some(r) => {
            out.push_str(&text[..line.start]);
            out.push_str(r);
            out.push_str(&text[line.start + line.text.len()..line.end]);
        }
        None => out.push_str(&text[..line.end]),
    }
    if !line.terminated && !new.is_empty() {
        out.push_str(eol);
    }
    for l in new {
        out.push_str(l);
        out.push_str(eol);
    }
    out.push_str(&text[line.end..]);
    out
}
