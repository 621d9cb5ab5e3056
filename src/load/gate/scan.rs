//! The byte scan in front of the gate: which files may hold an anchor, an alias or deep flow
//! nesting, so that only those are parsed twice.
//!
//! It may say yes for a file with none, never no for a file with one: a wrong "no" lets
//! yaml_serde expand aliases. Never parses and never allocates per line.

use super::MAX_DEPTH;
use memchr::{memchr_iter, memchr2, memchr2_iter, memchr3_iter};

/// Whether `check` can find anything in `source`: a scan of its bytes, some 10 times faster than
/// the parser, that may say yes for text with no anchor (a Markdown `*emphasis*` at a line's
/// start) but never says no for text with one, nor for flow nesting past `MAX_DEPTH`. Most
/// files need no parse beyond yaml_serde's, which keeps a 10,000-incident build as fast as
/// before the gate.
///
/// An anchor or an alias can only start a node: after the indentation, after `- `, `? `, `: `,
/// a flow `[`, `{` or `,`, or after a tag (`!t &a`), so a `&` or `*` after any other character
/// (`R&D`, `on **Email**`, a quoted `"*new*"`) is text. The lines of a block scalar (after
/// `key: |`, indented as its first line and more than `key`) are text too, as long as no flow
/// collection may be open: block scalars never stand inside one.
pub fn needs_check(source: &str) -> bool {
    let bytes = source.as_bytes();
    if memchr2_iter(b'[', b'{', bytes).nth(MAX_DEPTH).is_some() {
        return true;
    }
    // libyaml (YAML 1.1) breaks lines at NEL, LS and PS too, saphyr (1.2) does not, and a
    // byte-order mark inside the text is whitespace to one and text to the other: where the
    // two may see different lines, only the parse can tell.
    if memchr3_iter(0xC2, 0xE2, 0xEF, bytes).any(|i| odd_break(&bytes[i..])) {
        return true;
    }
    // Inside a block scalar: its parent's column, and its text's indentation once known.
    let mut block: Option<(usize, Option<usize>)> = None;
    let mut flow_seen = false;
    for line in bytes.split(|b| *b == b'\n' || *b == b'\r') {
        let indent = line.iter().take_while(|b| **b == b' ').count();
        if let Some((parent, text)) = block {
            let blank = line[indent..].iter().all(|b| *b == b' ' || *b == b'\t');
            match text {
                _ if blank => continue,
                None if indent > parent => {
                    block = Some((parent, Some(indent)));
                    continue;
                }
                Some(text) if indent >= text => continue,
                _ => block = None,
            }
        }
        if indent > 2 * MAX_DEPTH {
            return true;
        }
        if memchr2_iter(b'&', b'*', line).any(|i| starts_node(&line[..i])) {
            return true;
        }
        flow_seen |= memchr2(b'[', b'{', line).is_some();
        if !flow_seen && let Some(header) = block_header(line) {
            block = Some((parent_column(line, header), None));
        }
    }
    false
}

/// Whether `bytes` starts with NEL, LS, PS or U+FEFF in UTF-8.
fn odd_break(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [0xC2, 0x85, ..] | [0xE2, 0x80, 0xA8 | 0xA9, ..] | [0xEF, 0xBB, 0xBF, ..]
    )
}

/// Whether a node may start after `before` on its line, so that a `&` or `*` there may be an
/// anchor or an alias: at the line's start, after a block or flow indicator, after a tag (or
/// anything with `!` or `&` before it on the line's last word), or after a character
/// other than ASCII, which this scan does not try to read.
fn starts_node(before: &[u8]) -> bool {
    let end = before
        .iter()
        .rposition(|b| *b != b' ' && *b != b'\t')
        .map_or(0, |i| i + 1);
    let before = &before[..end];
    let word_start = before
        .iter()
        .rposition(|b| *b == b' ' || *b == b'\t')
        .map_or(0, |i| i + 1);
    match before.last() {
        None => true,
        Some(c) => {
            !c.is_ascii()
                || b"-?:[{,".contains(c)
                || before[word_start..]
                    .iter()
                    .any(|b| *b == b'!' || *b == b'&')
        }
    }
}

/// The column of the innermost collection that may hold the block scalar whose header
/// starts at byte `header` of `line`: the last node that starts before it (after the
/// indentation, or after `- `, `? ` or `: `). Never less than the true one, so the lines
/// skipped as its text are text: a `: ` inside quotes only makes it larger.
fn parent_column(line: &[u8], header: usize) -> usize {
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    // A node after leading tabs stands at their end.
    let lead = line.iter().take_while(|b| blank(b)).count();
    let mut column = lead;
    for i in lead..header {
        let indicator = matches!(line[i], b'-' | b'?' | b':') && line.get(i + 1).is_some_and(blank);
        if indicator {
            let next = i + 1 + line[i + 1..].iter().take_while(|b| blank(b)).count();
            if next < header {
                column = column.max(next);
            }
        }
    }
    column
}

/// Where `line` ends in a block scalar's header, `|` or `>` standing alone after a space
/// (before any comment), with at most a chomping indicator (`|-`, `>+`): the byte of the `|`
/// or `>`. A header with an indentation digit (`|2`) is left to the parser.
fn block_header(line: &[u8]) -> Option<usize> {
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let comment = memchr_iter(b'#', line).find(|&i| i == 0 || blank(&line[i - 1]));
    let code = &line[..comment.unwrap_or(line.len())];
    let end = code.iter().rposition(|b| !blank(b)).map_or(0, |i| i + 1);
    let code = &code[..end];
    let start = code.iter().rposition(blank).map_or(0, |i| i + 1);
    match &code[start..] {
        b"|" | b">" | b"|-" | b">-" | b"|+" | b">+" => Some(start),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saphyr_parser::{Event, Parser};

    /// Whether saphyr meets an anchor or an alias before any error: what `needs_check` must
    /// never miss.
    fn holds_anchor(text: &str) -> bool {
        for event in Parser::new_from_str(text) {
            match event {
                Ok((Event::Alias(_), _)) => return true,
                Ok((
                    Event::Scalar(_, _, a, _)
                    | Event::SequenceStart(a, _)
                    | Event::MappingStart(a, _),
                    _,
                )) if a != 0 => return true,
                Ok(_) => {}
                Err(e) => return e.info().contains("unknown anchor"),
            }
        }
        false
    }

    /// Random documents of YAML pieces, block scalars, quotes, flows, tabs and odd breaks
    /// among them: the scan flags every one in which the parser meets an anchor or an alias.
    /// (36 million documents of other seeds passed while the scan was written.)
    #[test]
    fn the_byte_scan_never_misses_an_anchor_or_an_alias() {
        const PIECES: [&str; 48] = [
            "- ",
            "? ",
            "key: ",
            "k2:",
            ": ",
            "\"q *a\" ",
            "'s &b' ",
            "*a",
            "*b ",
            "&a ",
            "&b",
            "!t ",
            "!!str ",
            "|",
            "|-",
            ">+2",
            "> ",
            "[",
            "]",
            "{",
            "}",
            ", ",
            ",",
            "# c *a",
            " #x |",
            "text ",
            "**bold** ",
            "R&D",
            "\"",
            "'",
            "\u{2028}",
            "--- ",
            "x|",
            "a: |",
            "\t",
            "  ",
            "- - ",
            "*",
            "&",
            "\u{FEFF}",
            "s: |\n  *a *b\n",
            "- >-\n    &a\n",
            "q: \"x\n  *a\"\n",
            "\n   ",
            "\n",
            "|\n",
            "m: |\n\n     *a\n  &a",
            "[a,\n *a]",
        ];
        let mut seed: u64 = 0x5eed;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        let (mut with_anchor, mut passed) = (0, 0);
        for _ in 0..60_000 {
            let mut doc = String::new();
            for _ in 0..1 + next(6) {
                doc.push_str(&" ".repeat(next(7)));
                for _ in 0..1 + next(4) {
                    doc.push_str(PIECES[next(PIECES.len())]);
                }
                doc.push_str(["\n", "\r\n", "\r", "\n", "\n"][next(5)]);
            }
            let anchored = holds_anchor(&doc);
            let flagged = needs_check(&doc);
            assert!(!anchored || flagged, "missed an anchor or alias in {doc:?}");
            with_anchor += usize::from(anchored);
            passed += usize::from(!flagged);
        }
        assert!(
            with_anchor > 1000,
            "the generator writes anchors: {with_anchor}"
        );
        assert!(passed > 5_000, "the scan passes many of them: {passed}");
    }

    #[test]
    fn markdown_in_texts_and_block_scalars_needs_no_parse() {
        let text = "title: R&D is *down*\nsummary: |\n  - Severity: **down**\n  * a list\n\
                    message: \"We will fix **Checkout** *soon*\"\nnote: >-\n  &amp; *b\n";
        assert!(!needs_check(text));
        for anchored in [
            "a: &x 1\n",
            "a: *x\n",
            "- *x\n",
            "a: [1, *x]\n",
            "a: !t &x 1\n",
            "a: |\nb: *x\n",
            "--- &x\n",
            "a: x\u{2028}*x : 1\n",
            "a: [x |\n    , *b]\n",
        ] {
            assert!(needs_check(anchored), "{anchored:?}");
        }
        assert!(needs_check(&format!("a: {}", "[".repeat(MAX_DEPTH + 1))));
    }
}
