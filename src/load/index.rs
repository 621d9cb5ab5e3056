//! Where each field path (`services[2].stages[0].at`) stands in a YAML source, so a check that
//! runs after parsing can still point at file:line:col.
//!
//! Built from one pass over the file's events, once per file that has something to report, so
//! placing 4,000 problems costs one parse, not 4,000 (walking the document again for each
//! problem took 127 s). Never reads the disk; a source the gate refused is never indexed.

use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::{HashMap, HashSet};

/// A 1-based position in a file; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The place of every value of a document, by field path, and of every repeated key.
#[derive(Debug, Default)]
pub struct Index {
    values: HashMap<String, Position>,
    /// `updates[0].at` → where the second `at:` of `updates[0]` stands.
    repeated_keys: HashMap<String, Position>,
}

/// One open collection: the path of its entries' parent and what comes next in it.
struct Frame {
    /// `None` inside a collection used as a key, which no path names.
    path: Option<String>,
    kind: Kind,
}

enum Kind {
    /// `key`: the path of the value that follows, once a key was read.
    Map {
        expect_key: bool,
        value: Option<String>,
    },
    Seq {
        next: usize,
    },
}

impl Index {
    /// Indexes the first document of `source`; what follows a syntax error is left out.
    pub fn build(source: &str) -> Index {
        let mut index = Index::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut keys: HashSet<String> = HashSet::new();
        let mut cursor = Cursor::new(source);
        let mut previous_end = 0;
        for event in Parser::new_from_str(source) {
            let Ok((event, span)) = event else { break };
            let mut at = Position {
                line: span.start.line(),
                column: span.start.col() + 1,
            };
            if let Event::Scalar(_, ScalarStyle::Literal | ScalarStyle::Folded, ..) = event {
                // A block scalar stands at its `|` or `>`, where yaml_serde places it too,
                // not at its first line of text.
                if let Some(indicator) = cursor.indicator(previous_end, span.start.index()) {
                    at = indicator;
                }
            }
            previous_end = span.end.index();
            let (key_text, opens) = match &event {
                Event::Scalar(text, ..) => (Some(text.as_ref()), false),
                Event::Alias(_) => (None, false),
                Event::SequenceStart(..) | Event::MappingStart(..) => (None, true),
                Event::SequenceEnd | Event::MappingEnd => {
                    stack.pop();
                    continue;
                }
                Event::DocumentEnd => break,
                _ => continue,
            };
            let path = match stack.last_mut() {
                None => Some(String::new()),
                Some(Frame {
                    path,
                    kind: Kind::Map { expect_key, value },
                }) if *expect_key => {
                    // A key: remember the path of the value it introduces.
                    *expect_key = false;
                    *value = match (path.as_deref(), key_text) {
                        (Some(parent), Some(key)) => Some(child(parent, key)),
                        _ => None,
                    };
                    if let Some(value) = value
                        && !keys.insert(value.clone())
                    {
                        index.repeated_keys.entry(value.clone()).or_insert(at);
                    }
                    if opens {
                        stack.push(Frame {
                            path: None,
                            kind: kind_of(&event),
                        });
                    }
                    continue;
                }
                Some(Frame {
                    kind: Kind::Map { expect_key, value },
                    ..
                }) => {
                    *expect_key = true;
                    value.take()
                }
                Some(Frame {
                    path,
                    kind: Kind::Seq { next },
                }) => {
                    *next += 1;
                    path.as_deref().map(|p| format!("{p}[{}]", *next - 1))
                }
            };
            if let Some(path) = &path {
                index.values.entry(path.clone()).or_insert(at);
            }
            if opens {
                stack.push(Frame {
                    path,
                    kind: kind_of(&event),
                });
            }
        }
        index
    }

    /// Where the value at `path` stands; `None` if the document does not have it.
    pub fn get(&self, path: &str) -> Option<Position> {
        self.values.get(path).copied()
    }

    /// Where `path`'s key is written a second time in its mapping, if it is.
    pub fn repeated_key(&self, path: &str) -> Option<Position> {
        self.repeated_keys.get(path).copied()
    }
}

/// Walks the source forward once, from character indexes (what the parser gives) to bytes,
/// lines and columns, so finding every block scalar's indicator stays linear.
struct Cursor<'a> {
    source: &'a str,
    /// Character index, byte index, line and column (both 1-based) of the same place.
    chars: usize,
    bytes: usize,
    line: usize,
    column: usize,
}

impl Cursor<'_> {
    fn new(source: &str) -> Cursor<'_> {
        Cursor {
            source,
            chars: 0,
            bytes: 0,
            line: 1,
            column: 1,
        }
    }

    /// The first `|` or `>` from character `from` up to `to`: a block scalar's indicator.
    fn indicator(&mut self, from: usize, to: usize) -> Option<Position> {
        self.advance_to(from);
        while self.chars < to {
            let c = self.source[self.bytes..].chars().next()?;
            if c == '|' || c == '>' {
                return Some(Position {
                    line: self.line,
                    column: self.column,
                });
            }
            self.step(c);
        }
        None
    }

    fn advance_to(&mut self, to: usize) {
        while self.chars < to {
            let Some(c) = self.source[self.bytes..].chars().next() else {
                return;
            };
            self.step(c);
        }
    }

    fn step(&mut self, c: char) {
        let crlf = c == '\r' && self.source[self.bytes + 1..].starts_with('\n');
        self.chars += 1;
        self.bytes += c.len_utf8();
        if c == '\n' || (c == '\r' && !crlf) {
            self.line += 1;
            self.column = 1;
        } else if !crlf {
            self.column += 1;
        }
    }
}

fn kind_of(event: &Event) -> Kind {
    match event {
        Event::SequenceStart(..) => Kind::Seq { next: 0 },
        _ => Kind::Map {
            expect_key: true,
            value: None,
        },
    }
}

fn child(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "title: Fire\nservices:\n  - id: talk\n    stages:\n      - at: 2022-10-16\n        impact: partial_outage\n  - { id: pay, impact: major_outage }\n";

    fn at(line: usize, column: usize) -> Option<Position> {
        Some(Position { line, column })
    }

    #[test]
    fn finds_block_and_flow_values() {
        let index = Index::build(DOC);
        assert_eq!(index.get("title"), at(1, 8));
        assert_eq!(index.get("services[0].stages[0].impact"), at(6, 17));
        assert_eq!(index.get("services[1].impact"), at(7, 24));
        assert_eq!(index.get(""), at(1, 1));
    }

    #[test]
    fn an_entry_is_found_at_its_first_key() {
        let index = Index::build(DOC);
        assert_eq!(index.get("services[0].stages[0]"), at(5, 9));
        assert_eq!(index.get("services[0]"), at(3, 5));
    }

    #[test]
    fn absent_paths_are_none() {
        let index = Index::build(DOC);
        assert_eq!(index.get("services[5].id"), None);
        assert_eq!(index.get("nothing"), None);
    }

    #[test]
    fn a_repeated_key_is_found_the_second_time() {
        let index = Index::build("title: A\nupdates:\n  - at: x\n    at: y\ntitle: B\n");
        assert_eq!(index.repeated_key("title"), at(5, 1));
        assert_eq!(index.repeated_key("updates[0].at"), at(4, 5));
        assert_eq!(index.get("title"), at(1, 8), "the first value counts");
        assert_eq!(index.repeated_key("updates"), None);
    }

    #[test]
    fn block_texts_stand_at_their_indicator_with_any_line_ends() {
        for end in ["\n", "\r\n", "\r"] {
            let doc =
                "title: 판교\nsummary: |\n  text\nlist:\n  - >-\n    folded\n".replace('\n', end);
            let index = Index::build(&doc);
            assert_eq!(index.get("summary"), at(2, 10), "{end:?}");
            assert_eq!(index.get("list[0]"), at(5, 5), "{end:?}");
        }
    }

    #[test]
    fn collections_as_keys_name_no_path() {
        let index = Index::build("? [a, b]\n: 1\nc: 2\n");
        assert_eq!(index.get("c"), at(3, 4));
        assert_eq!(index.get("a"), None);
    }
}
