//! The texts of a file in the site's other languages (format.md, "Several languages"), beside
//! the main language's, which the model's fields hold as before: a single-language site has
//! none, and every output that reads only the main language reads exactly what it read before.
//! Never reads a file or renders a text; the loader fills it, outputs ask it.

use std::collections::BTreeMap;

/// By field path (`title`, `updates[2].message`, `services[0].name`): its text in each other
/// language it was written in; and by language, the fields still waiting for a translation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Translations {
    texts: BTreeMap<String, Vec<(String, String)>>,
    missing: BTreeMap<String, Vec<String>>,
}

impl Translations {
    pub fn add(&mut self, field: &str, language: &str, text: String) {
        (self.texts.entry(field.to_owned()).or_default()).push((language.to_owned(), text));
    }

    /// `field` has no text in `language`: it shows in the main language there.
    pub fn miss(&mut self, language: &str, field: &str) {
        (self.missing.entry(language.to_owned()).or_default()).push(field.to_owned());
    }

    /// The text of `field` in `language`, or `None` where the main language's shows (the
    /// caller's own field), marked with the main language's `lang`.
    pub fn get(&self, field: &str, language: &str) -> Option<&str> {
        let texts = self.texts.get(field)?;
        texts
            .iter()
            .find(|(l, _)| l == language)
            .map(|(_, t)| t.as_str())
    }

    /// Whether `field` shows in the main language in `language`: a text awaiting its translation.
    pub fn is_missing(&self, language: &str, field: &str) -> bool {
        (self.missing.get(language)).is_some_and(|fields| fields.iter().any(|f| f == field))
    }

    /// By language, the fields not yet translated into it, in the order of the file.
    pub fn untranslated(&self) -> &BTreeMap<String, Vec<String>> {
        &self.missing
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty() && self.missing.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_found_in_the_languages_it_was_written_in_only() {
        let mut t = Translations::default();
        assert!(t.is_empty());
        t.add("updates[0].message", "ko", "복구 중".into());
        t.miss("id", "updates[0].message");
        assert_eq!(t.get("updates[0].message", "ko"), Some("복구 중"));
        assert_eq!(t.get("updates[0].message", "id"), None);
        assert_eq!(t.get("title", "ko"), None);
        assert_eq!(t.untranslated()["id"], ["updates[0].message"]);
    }
}
