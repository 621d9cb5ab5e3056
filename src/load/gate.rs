//! The first look at every input file, before yaml_serde builds anything from it: one pass over
//! its YAML events (saphyr-parser, which gives every event its place) that decides whether the
//! text is YAML at all and refuses what candor never reads:
//!
//! - anchors and aliases (`&name`, `*name`): yaml_serde copies an aliased value at every alias,
//!   so a 136 KB file of aliases grew into 167 MB of output and 487 MB of memory;
//! - nesting deeper than `MAX_DEPTH`: no file of ours nests past 5 levels, and libyaml's
//!   scanner slows quadratically with the depth of `[[[…`, 129 s for a 400 KB line.
//!
//! A syntax error is reported from here too, at the first line the parser cannot read (libyaml,
//! under yaml_serde, reads some broken files on and then reports a missing key instead), so
//! yaml_serde only ever sees text that is plain YAML.
//!
//! `scan` decides, from the bytes alone, which files need this pass at all.
//!
//! Never builds a value and never reads the disk: events and their places only.

mod scan;
mod shape;
mod syntax;

pub use scan::needs_check;
pub use syntax::cut_by_comment;

use super::index::Position;
use crate::error::Code;
use saphyr_parser::{Event, Parser, ScanError};

/// How deep collections may nest. An incident file needs 5 (the file, `services`, a service,
/// `stages`, a stage); the margin keeps room for the format to grow.
pub const MAX_DEPTH: usize = 20;

/// Why a file is not handed to yaml_serde: what the user reads, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: Code,
    pub at: Position,
    pub message: String,
    pub help: String,
    /// How many characters to underline: the `&name` or `*name`; `None` for the value there.
    pub width: Option<usize>,
    /// The text to write instead, where there is one sure fix (a value put in quotes).
    pub suggestion: Option<Box<crate::error::Suggestion>>,
}

/// Reads `source` as YAML events and refuses it at the first syntax error, anchor, alias or
/// nesting past `MAX_DEPTH`. Linear in the size of the text.
pub fn check(source: &str) -> Result<(), Refusal> {
    let mut depth = 0usize;
    for event in Parser::new_from_str(source) {
        let (event, span) = event.map_err(|e| syntax(source, &e))?;
        let at = Position {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        let anchor = match event {
            Event::Alias(_) => return Err(alias(source, at)),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(nesting(at));
                }
                anchor
            }
            Event::SequenceEnd | Event::MappingEnd => {
                depth = depth.saturating_sub(1);
                0
            }
            Event::Scalar(_, _, anchor, _) => anchor,
            _ => 0,
        };
        if anchor != 0 {
            return Err(anchor_refusal(source, at));
        }
    }
    Ok(())
}

fn nesting(at: Position) -> Refusal {
    Refusal {
        code: Code::YamlTooDeep,
        at,
        message: format!("the YAML nests deeper than {MAX_DEPTH} levels"),
        width: None,
        suggestion: None,
        help: "candor's files nest at most 5 levels (an incident, `services`, a service, \
               `stages`, a stage): check the brackets and the indentation"
            .to_owned(),
    }
}

fn alias(source: &str, at: Position) -> Refusal {
    aliasing(source, at, |name| {
        (
            format!("YAML aliases are not allowed: `{name}` repeats a value written elsewhere"),
            "write the value out in full here; candor refuses anchors and aliases, so a small \
             file can never expand into a huge one",
        )
    })
}

fn anchor_refusal(source: &str, at: Position) -> Refusal {
    aliasing(source, at, |name| {
        (
            format!("YAML anchors are not allowed: `{name}`"),
            "remove the anchor and write out each value where it is used; candor refuses \
             anchors and aliases, so a small file can never expand into a huge one",
        )
    })
}

/// The refusal of an anchor or alias at `at` (`words` gives its message and help from its
/// name), or the quoting hint when the `&`/`*` was meant as text.
fn aliasing(
    source: &str,
    at: Position,
    words: impl FnOnce(&str) -> (String, &'static str),
) -> Refusal {
    let name = token_at(source, at);
    if let Some(text) = syntax::text_like_alias(source, at, &name) {
        return text;
    }
    let (message, help) = words(&name);
    Refusal {
        code: Code::YamlAlias,
        suggestion: None,
        at,
        width: Some(name.chars().count()),
        message,
        help: help.to_owned(),
    }
}

/// The `&name` or `*name` token that starts at `at`, for the message.
fn token_at(source: &str, at: Position) -> String {
    let line = super::report::line_text(source, at.line).unwrap_or("");
    let token: String = line
        .chars()
        .skip(at.column.saturating_sub(1))
        .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
        .take(60)
        .collect();
    token
}

/// A scan error as users read it: libyaml's word order ("did not find expected key, while
/// parsing a block mapping"), which earlier versions showed, and a hint.
fn syntax(source: &str, e: &ScanError) -> Refusal {
    let at = syntax::within(
        source,
        Position {
            line: e.marker().line(),
            column: e.marker().col() + 1,
        },
    );
    let info = e.info();
    if info.contains("unknown anchor") {
        return alias(source, at);
    }
    if info.contains("recursion limit exceeded") {
        return nesting(at);
    }
    if info.contains("quoted scalar") && !info.contains("trailing content") {
        // The parser reports these at the opening quote.
        let quote = super::report::line_text(source, at.line)
            .and_then(|l| l.chars().nth(at.column.saturating_sub(1)))
            .filter(|c| *c == '\'' || *c == '"')
            .unwrap_or('"');
        let message = if info.contains("invalid indentation") {
            format!(
                "the quoted text that starts here goes on to a line indented less than it: \
                 is its closing {quote} missing?"
            )
        } else if info.contains("unexpected") {
            format!("the quoted text that starts here never ends: its closing {quote} is missing")
        } else {
            info.trim_start_matches("while parsing a quoted scalar, ")
                .to_owned()
        };
        return Refusal {
            code: Code::YamlUnclosedQuote,
            at,
            message,
            width: None,
            suggestion: None,
            help: format!(
                "end the text with {quote} on the line where it ends, and indent any line it goes on to"
            ),
        };
    }
    if let Some(plain) = syntax::tab(source, at.line)
        .or_else(|| syntax::needs_quotes(source, at, info))
        .or_else(|| shape::unclosed_bracket(source, at))
        .or_else(|| shape::misaligned_entry(source, at))
        .or_else(|| syntax::over_indented(source, at, info))
    {
        return plain;
    }
    let message = match info.split_once(", ") {
        Some((context, problem)) if context.starts_with("while ") => {
            format!("{problem}, {context}")
        }
        _ => info.to_owned(),
    };
    Refusal {
        code: Code::YamlSyntax,
        at,
        message,
        help: "check the indentation and quoting of this line and the one above".to_owned(),
        width: None,
        suggestion: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(text: &str) -> Refusal {
        check(text).expect_err("refused")
    }

    #[test]
    fn plain_yaml_passes() {
        let text =
            "title: A & B * C\nsummary: \"**bold** & *it*\"\nlist:\n  - [a, b]\n  - {k: v}\n";
        assert_eq!(check(text), Ok(()));
    }

    #[test]
    fn an_alias_is_refused_where_it_stands() {
        let r = refusal("title: x\nsummary: x\nmessage:\n  - a\n  - *b\n");
        // `*b` names an anchor that does not exist: still an alias, still refused there.
        assert_eq!(r.at, Position { line: 5, column: 5 });
        let r = refusal("a: &big [1, 2]\n");
        assert_eq!(r.at, Position { line: 1, column: 4 });
        assert!(r.message.contains("`&big`"), "{}", r.message);
    }

    #[test]
    fn an_alias_after_its_anchor_is_reported_at_the_anchor_first() {
        let r = refusal("title: &t Fire\nsummary: *t\n");
        assert_eq!(r.at, Position { line: 1, column: 8 });
        assert!(r.message.contains("anchors"), "{}", r.message);
    }

    #[test]
    fn deep_nesting_is_refused_early() {
        let deep = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let r = refusal(&deep);
        assert_eq!(r.at.line, 1);
        assert!(r.message.contains("nests deeper"), "{}", r.message);
        let mut block = String::new();
        for i in 0..=MAX_DEPTH {
            block.push_str(&" ".repeat(i));
            block.push_str("a:\n");
        }
        block.push_str(&" ".repeat(MAX_DEPTH + 1));
        block.push_str("b\n");
        assert!(refusal(&block).message.contains("nests deeper"));
    }

    #[test]
    fn a_syntax_error_reads_in_libyaml_order() {
        let r = refusal("updates:\n  - at: x\n    status: y\n  message: \"open\n");
        assert_eq!(r.at.line, 4);
        assert!(
            r.message.starts_with("did not find expected"),
            "{}",
            r.message
        );
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opens() {
        let r = refusal("title: x\nmessage: 'All good\nstatus: resolved\n");
        assert_eq!(
            r.at,
            Position {
                line: 2,
                column: 10
            }
        );
        assert!(r.message.contains("closing ' missing"), "{}", r.message);
        let r = refusal("title: x\nupdates:\n  - message: \"All good\n");
        assert_eq!(
            r.at,
            Position {
                line: 3,
                column: 14
            }
        );
        assert!(r.message.contains("closing \" is missing"), "{}", r.message);
    }
}
