//! Two YAML syntax errors named where they start, in plain words: a list entry whose `-` is
//! not lined up with the entry above it, and a `[` or `{` that is never closed (the parser
//! gives up lines later, at a line that is fine).
//!
//! Reads the source lines up to the error; never parses, and never guesses a fix it cannot
//! name: what it does not recognise keeps the parser's words.

use super::Refusal;
use crate::error::Code;
use crate::load::index::Position;
use crate::load::report::line_text;

/// A list entry whose `-` is not lined up with the entries above it (3 spaces where they have
/// 2): the parser stops at its dash, expecting one at the list's own indentation.
pub fn misaligned_entry(source: &str, at: Position) -> Option<Refusal> {
    let text = line_text(source, at.line)?;
    let indent = indent_of(text);
    if !(text[indent..].starts_with("- ") || &text[indent..] == "-") {
        return None;
    }
    // The nearest line above that is less indented: the list's previous entry, when a dash.
    let (above_line, above_text) = (1..at.line)
        .rev()
        .filter_map(|n| line_text(source, n).map(|t| (n, t)))
        .filter(|(_, t)| !t.trim().is_empty() && !t.trim_start().starts_with('#'))
        .find(|(_, t)| indent_of(t) < indent)?;
    let above = indent_of(above_text);
    if !above_text[above..].starts_with('-') {
        return None;
    }
    let spaces = |n: usize| {
        if n == 1 {
            "1 space".to_owned()
        } else {
            format!("{n} spaces")
        }
    };
    Some(Refusal {
        code: Code::YamlListIndentation,
        at: Position {
            line: at.line,
            column: indent + 1,
        },
        message: format!(
            "this list entry is indented {}, the entry above it (line {above_line}) {}",
            spaces(indent),
            spaces(above)
        ),
        help: format!(
            "line the `-` up with the one on line {above_line}: indent it {} (and the keys below \
             it {} less too)",
            spaces(above),
            spaces(indent - above)
        ),
        width: Some(1),
        suggestion: None,
    })
}

/// A `[` or `{` list that is still open where the parser gave up (a `stages: [` never closed):
/// reported at the bracket, the place to fix, rather than lines later.
pub fn unclosed_bracket(source: &str, at: Position) -> Option<Refusal> {
    let mut open: Vec<(usize, usize, char)> = Vec::new();
    for n in 1..=at.line {
        let text = line_text(source, n)?;
        let mut quote: Option<char> = None;
        for (column, (byte, c)) in text.char_indices().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if open.last().is_some() => quote = Some(c),
                (None, '#') if byte == 0 || text[..byte].ends_with(' ') => break,
                (None, '[' | '{') if open.last().is_some() || opens_value(&text[..byte]) => {
                    open.push((n, column + 1, c));
                }
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    let &(line, column, bracket) = open.first()?;
    let close = if bracket == '[' { ']' } else { '}' };
    Some(Refusal {
        code: Code::YamlUnclosedBracket,
        at: Position { line, column },
        message: format!(
            "the `{bracket}` that starts here is never closed, so YAML reads the lines below as \
             part of it"
        ),
        help: format!(
            "end it with `{close}` on the same line (like `[a, b]`), or write it as a block list, \
             each entry on its own line starting with `- `"
        ),
        width: Some(1),
        suggestion: None,
    })
}

/// Whether a `[` or `{` after `before` (its line up to it) starts the value of a `key: ` or a
/// `- ` (a flow list as YAML reads it), not a bracket inside plain text.
fn opens_value(before: &str) -> bool {
    let before = before.trim_end_matches(' ');
    before.ends_with(':') || before.ends_with('-') && before.trim_start() == "-"
}

fn indent_of(text: &str) -> usize {
    text.len() - text.trim_start_matches(' ').len()
}

#[cfg(test)]
mod tests {
    use super::super::check;
    use super::*;

    const HEAD: &str = "title: A\nstart: 2024-03-05T10:00:00Z\n";

    fn refusal(text: &str) -> Refusal {
        check(text).expect_err("refused")
    }

    #[test]
    fn a_list_entry_out_of_line_is_named_with_the_indentation_to_use() {
        let body = "updates:\n  - at: x\n    status: y\n   - at: z\n     status: y\n";
        let r = refusal(&format!("{HEAD}{body}"));
        assert_eq!(r.code, Code::YamlListIndentation);
        assert_eq!(r.at, Position { line: 6, column: 4 });
        assert_eq!(
            r.message,
            "this list entry is indented 3 spaces, the entry above it (line 4) 2 spaces"
        );
        assert!(
            r.help
                .starts_with("line the `-` up with the one on line 4: indent it 2 spaces")
        );
    }

    #[test]
    fn an_unclosed_bracket_is_named_where_it_opens() {
        for (body, line, column) in [
            (
                "services:\n  - id: web\n    stages: [\n    restored: x\n",
                5,
                13,
            ),
            ("links: [a, b\nseverity: major\n", 3, 8),
            (
                "summary: 판교 # 화재\nlinks: [판교, \"b]\"\nseverity: major\n",
                4,
                8,
            ),
            (
                "services:\n  - { id: web, impact: major_outage\n  - id: api\n",
                4,
                5,
            ),
        ] {
            let r = refusal(&format!("{HEAD}{body}"));
            assert_eq!(r.code, Code::YamlUnclosedBracket, "{body:?}: {r:?}");
            assert_eq!(r.at, Position { line, column }, "{body:?}");
            assert!(r.help.starts_with("end it with"), "{body:?}");
        }
        // A list that goes on to the next line and closes there is YAML's, and passes.
        assert_eq!(check(&format!("{HEAD}links: [a,\n  b]\n")), Ok(()));
    }
}
