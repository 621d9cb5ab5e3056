//! `candor update SLUG --lang LANG --message TEXT`: an update's message in one more language.
//! A plain message becomes a map of its languages (`{main: as it was, LANG: new}`), the text it
//! had moved under the main language's key as written (a block scalar stays one, re-indented);
//! a map gets the language added, or its text replaced. Like the other edits, the result must
//! read back as the old YAML with exactly that message changed, or nothing is written.
//!
//! Never posts an update, never touches another update or field, and never picks an update the
//! person did not mean without saying which one it took (`Target::describe`).

use super::EditError;
use super::edit::{normalize_message, placements};
use super::layout::{Line, find_block, items, key_line, line_ending, lines, split_comment};
use super::readback::{first_reading_back, terminated};
use super::yaml_text::{block_scalar, double_quoted, parse_mapping, yaml_scalar};
use yaml_serde::{Mapping, Value};

mod target;
#[cfg(test)]
mod tests;

pub(super) use target::pick;

/// How the new text is written: as the main language's text is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Block,
    Plain,
    Double,
    Single,
}

impl Style {
    /// The style of a value as written after its key's colon.
    fn of(after_colon: &str) -> Style {
        match after_colon.trim_start().chars().next() {
            Some('|' | '>') | None => Style::Block,
            Some('"') => Style::Double,
            Some('\'') => Style::Single,
            _ => Style::Plain,
        }
    }

    /// `key: text` in this style at `pad` (a block scalar for a text of several lines), and
    /// the string it reads back as.
    fn entry(self, pad: &str, key: &str, text: &str) -> (Vec<String>, String) {
        let one = |scalar: String| (vec![format!("{pad}{key}: {scalar}")], text.to_owned());
        match self {
            _ if text.contains('\n') => (block_scalar(pad, key, text), format!("{text}\n")),
            Style::Block => (block_scalar(pad, key, text), format!("{text}\n")),
            Style::Plain => one(yaml_scalar(text)),
            Style::Double => one(double_quoted(text)),
            Style::Single => one(format!("'{}'", text.replace('\'', "''"))),
        }
    }
}

/// What a translation did: added the language, or replaced the text it had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Translated {
    Added,
    Replaced,
}

/// Sets the `language` text of the message of update `index` to `message`; `main` is the
/// site's main language, the key a plain message moves under.
pub(super) fn edit_translate(
    text: &str,
    index: usize,
    main: &str,
    language: &str,
    message: &str,
) -> Result<(String, Translated), EditError> {
    let old = parse_mapping(text)?;
    let message = normalize_message(message)?;
    let by_hand = || {
        let (entry, _) = Style::Block.entry("      ", language, &message);
        format!(
            "write the message of update #{} as a map of its languages, the {main} text as it is \
             and this one beside it:\n    message:\n      {main}: …\n{}",
            index + 1,
            entry.join("\n")
        )
    };
    let (text, old) = terminated(text, old).map_err(|e| e.or_by_hand(by_hand))?;
    let current = (old.get("updates"))
        .and_then(|u| u.get(index))
        .and_then(|u| u.get("message"))
        .cloned();
    let (candidates, expected, done) = match current {
        Some(Value::String(was)) => {
            let (candidates, new) = wrapped(&text, index, main, language, &message)?;
            let mut map = Mapping::new();
            map.insert(main.into(), was.into());
            map.insert(language.into(), new.into());
            (candidates, Value::Mapping(map), Translated::Added)
        }
        Some(Value::Mapping(mut map)) => {
            let (candidates, new, done) = in_map(&text, index, main, language, &message)?;
            map.insert(language.into(), new.into());
            (candidates, Value::Mapping(map), done)
        }
        _ => {
            return Err(EditError::uneditable(format!(
                "update #{} has no `message:` text to translate",
                index + 1
            ))
            .or_by_hand(by_hand));
        }
    };
    let mut expected_file = old;
    if let Some(update) = (expected_file.get_mut("updates"))
        .and_then(|u| u.get_mut(index))
        .and_then(Value::as_mapping_mut)
    {
        update.insert("message".into(), expected);
    }
    let edited =
        first_reading_back(candidates, &expected_file).map_err(|e| e.or_by_hand(by_hand))?;
    Ok((edited, done))
}

/// Where the message of update `index` is written: its key's line, the text before and after
/// the colon, the last line of its value, and the indentation of the entry's keys.
struct Message<'t> {
    line: usize,
    head: &'t str,
    after: &'t str,
    last: usize,
    key: usize,
}

fn message_lines<'t>(lines: &'t [Line<'t>], index: usize) -> Result<Message<'t>, EditError> {
    let block = find_block(lines, "updates").ok_or_else(|| {
        EditError::uneditable("`updates:` does not start a line (a file written in flow style?)")
    })?;
    if !split_comment(block.value).0.is_empty() {
        return Err(EditError::uneditable("`updates:` is written in flow style"));
    }
    let items = items(lines, &block, "updates")?;
    let item = items.get(index).ok_or_else(|| {
        EditError::uneditable("the `updates:` list has a layout this command cannot follow")
    })?;
    let key = item.key_indent.ok_or_else(|| {
        EditError::uneditable(format!("update #{} is written in flow style", index + 1))
    })?;
    let Some((i, head, after)) = key_line(lines, item, key, "message") else {
        return Err(EditError::uneditable(format!(
            "the `message:` of update #{} is not on a line of its own",
            index + 1
        )));
    };
    let last = (i + 1..=item.last)
        .take_while(|&j| {
            lines
                .get(j)
                .is_some_and(|l| l.is_blank() || l.indent() > key)
        })
        .filter(|&j| lines.get(j).is_some_and(|l| !l.is_blank()))
        .last()
        .unwrap_or(i);
    Ok(Message {
        line: i,
        head,
        after,
        last,
        key,
    })
}

/// A plain message made a map: its key's line split in two (`message:`, then `MAIN:` with what
/// followed the colon), each line of its value indented two more, and the new entry after it.
fn wrapped(
    text: &str,
    index: usize,
    main: &str,
    language: &str,
    message: &str,
) -> Result<(Vec<String>, String), EditError> {
    let lines = lines(text);
    let eol = line_ending(text);
    let m = message_lines(&lines, index)?;
    let pad = " ".repeat(m.key + 2);
    let (entry, new) = Style::of(split_comment(m.after).0).entry(&pad, language, message);
    let mut splices = Vec::new();
    if let Some(line) = lines.get(m.line) {
        let start = line.span().0;
        splices.push((
            start..start + line.text.len(),
            format!("{}{eol}{pad}{main}:{}", m.head, m.after),
        ));
    }
    for line in lines.get(m.line + 1..=m.last).unwrap_or_default() {
        if !line.text.is_empty() {
            let start = line.span().0;
            splices.push((start..start, "  ".to_owned()));
        }
    }
    let added: String = entry.iter().map(|l| format!("{l}{eol}")).collect();
    let candidates = placements(&lines, m.last)
        .filter_map(|after| lines.get(after))
        .map(|after| {
            let mut all = splices.clone();
            let end = after.span().1;
            all.push((end..end, added.clone()));
            spliced(text, &all)
        })
        .collect();
    Ok((candidates, new))
}

/// A message already a map: the entry of `language` replaced, or added after the last one, in
/// the style of the main language's entry.
fn in_map(
    text: &str,
    index: usize,
    main: &str,
    language: &str,
    message: &str,
) -> Result<(Vec<String>, String, Translated), EditError> {
    let lines = lines(text);
    let eol = line_ending(text);
    let m = message_lines(&lines, index)?;
    let flow = split_comment(m.after).0;
    if !flow.is_empty() {
        if let Some(added) = in_flow_map(text, &lines, &m, flow, language, message) {
            return Ok((vec![added], message.to_owned(), Translated::Added));
        }
        return Err(EditError::FlowStyle {
            key: format!("updates[{index}].message"),
            help: format!(
                "to change a text of a one-line map `{{ … }}`, edit it in the file; or write the \
                 map as a block, one language per line, and run this again:\n    message:\n      \
                 {main}: …\n      {language}: …"
            ),
        });
    }
    let body = m.line + 1..=m.last;
    let content = |j: &usize| lines.get(*j).is_some_and(|l| l.is_content());
    let indent = body
        .clone()
        .find(content)
        .and_then(|j| lines.get(j))
        .map_or(m.key + 2, Line::indent);
    let entry_of = |name: &str| {
        body.clone().find(|&j| {
            lines.get(j).is_some_and(|l| {
                l.indent() == indent
                    && l.rest()
                        .strip_prefix(name)
                        .and_then(|r| r.strip_prefix(':'))
                        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
            })
        })
    };
    let after_key = |j: usize, name: &str| {
        lines
            .get(j)
            .map_or("", |l| l.rest().get(name.len() + 1..).unwrap_or(""))
    };
    let style = entry_of(main)
        .map(|j| Style::of(split_comment(after_key(j, main)).0))
        .unwrap_or(Style::Block);
    let (entry, new) = style.entry(&" ".repeat(indent), language, message);
    let added: String = entry.iter().map(|l| format!("{l}{eol}")).collect();
    if let Some(first) = entry_of(language) {
        let last = (first + 1..=m.last)
            .take_while(|&j| {
                lines
                    .get(j)
                    .is_some_and(|l| !l.is_content() || l.indent() > indent)
            })
            .filter(|&j| lines.get(j).is_some_and(|l| !l.is_blank()))
            .last()
            .unwrap_or(first);
        let (Some(start), Some(end)) = (lines.get(first), lines.get(last)) else {
            return Err(EditError::uneditable("the message's lines cannot be found"));
        };
        let splice = (start.span().0..end.span().1, added);
        return Ok((vec![spliced(text, &[splice])], new, Translated::Replaced));
    }
    let candidates = placements(&lines, m.last)
        .filter_map(|after| lines.get(after))
        .map(|after| {
            let end = after.span().1;
            spliced(text, &[(end..end, added.clone())])
        })
        .collect();
    Ok((candidates, new, Translated::Added))
}

/// A one-line flow map (`message: { en: …, ko: … }`) with `, LANG: "…"` added before its `}`;
/// `None` when it has the language already or spans lines (the caller refuses it).
fn in_flow_map(
    text: &str,
    lines: &[Line],
    m: &Message,
    flow: &str,
    language: &str,
    message: &str,
) -> Option<String> {
    let inner = flow.strip_prefix('{')?.strip_suffix('}')?;
    let has = |entry: &str| {
        let key = entry.split(':').next().unwrap_or("").trim();
        key.trim_matches(['"', '\'']) == language
    };
    if m.last != m.line || inner.split(',').any(has) {
        return None;
    }
    let line = lines.get(m.line)?;
    // The `}` closing the map: the value's end, as the line holds it.
    let close = line.span().0 + m.head.len() + m.after.find(flow)? + flow.len() - 1;
    let at = close - (inner.len() - inner.trim_end().len());
    let entry = format!(", {language}: {}", double_quoted(message));
    Some(spliced(text, &[(at..at, entry)]))
}

/// `text` with each byte range replaced by its string; the ranges in order and apart.
fn spliced(text: &str, splices: &[(std::ops::Range<usize>, String)]) -> String {
    let mut out =
        String::with_capacity(text.len() + splices.iter().map(|s| s.1.len()).sum::<usize>());
    let mut from = 0;
    for (range, new) in splices {
        out.push_str(&text[from..range.start]);
        out.push_str(new);
        from = range.end;
    }
    out.push_str(&text[from..]);
    out
}
