//! Finds where a field path (`services[2].stages[0].at`) stands in a YAML source, so a
//! check that runs after parsing can still point at file:line:col.
//!
//! It walks the document with serde and fails on purpose at the target node: yaml_serde
//! stamps every error with the position of the node being read, flow style included.

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A 1-based position in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// Splits `services[2].stages[0].at` into its segments; an empty path is the document.
fn segments(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut pieces = part.split('[');
        if let Some(key) = pieces.next().filter(|k| !k.is_empty()) {
            out.push(Seg::Key(key.to_owned()));
        }
        for index in pieces {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                out.push(Seg::Index(i));
            }
        }
    }
    out
}

/// Where `path` stands in `source`: the position of its value. `None` if it is absent.
pub fn locate(source: &str, path: &str) -> Option<Position> {
    let segs = segments(path);
    let deserializer = yaml_serde::Deserializer::from_str(source);
    match (Seek { path: &segs }).deserialize(deserializer) {
        Ok(()) => None,
        Err(err) => err.location().map(|l| Position {
            line: l.line(),
            column: l.column(),
        }),
    }
}

struct Seek<'p> {
    path: &'p [Seg],
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.path.split_first() {
            None => d.deserialize_any(Found),
            Some((Seg::Key(key), rest)) => d.deserialize_any(InMap { key, rest }),
            Some((Seg::Index(index), rest)) => d.deserialize_any(InSeq {
                index: *index,
                rest,
            }),
        }
    }
}

/// A visitor that accepts nothing: reaching the target fails, and the failure has a position.
struct Found;

impl Visitor<'_> for Found {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the located node")
    }
}

struct InMap<'p> {
    key: &'p str,
    rest: &'p [Seg],
}

impl<'de> Visitor<'de> for InMap<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<KeyText>()? {
            if key.0 == self.key {
                return map.next_value_seed(Seek { path: self.rest });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

struct InSeq<'p> {
    index: usize,
    rest: &'p [Seg],
}

impl<'de> Visitor<'de> for InSeq<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sequence")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        while i < self.index {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
            i += 1;
        }
        seq.next_element_seed(Seek { path: self.rest })?;
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

/// A mapping key of any scalar type, as text.
struct KeyText(String);

impl<'de> de::Deserialize<'de> for KeyText {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_owned()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "title: Fire\nservices:\n  - id: talk\n    stages:\n      - at: 2022-10-16\n        impact: partial_outage\n  - { id: pay, impact: major_outage }\n";

    #[test]
    fn finds_block_and_flow_values() {
        assert_eq!(locate(DOC, "title"), Some(Position { line: 1, column: 8 }));
        assert_eq!(
            locate(DOC, "services[0].stages[0].impact"),
            Some(Position {
                line: 6,
                column: 17
            })
        );
        assert_eq!(
            locate(DOC, "services[1].impact"),
            Some(Position {
                line: 7,
                column: 24
            })
        );
    }

    #[test]
    fn an_entry_is_found_at_its_first_key() {
        assert_eq!(
            locate(DOC, "services[0].stages[0]"),
            Some(Position { line: 5, column: 9 })
        );
    }

    #[test]
    fn absent_paths_are_none() {
        assert_eq!(locate(DOC, "services[5].id"), None);
        assert_eq!(locate(DOC, "nothing"), None);
    }
}
