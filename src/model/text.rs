//! `Text`: a text a person reads, as written (Markdown source), with its translations, and in a
//! site read in another language, the language it falls back to. Never renders it.

/// A text a person reads, as written: Markdown source. Each output renders it in its own
/// form (`markdown::html` for pages and feeds, `markdown::plain` for the API and the calendar).
/// It carries its own translations; plain-string texts (titles, names) have theirs in their
/// file's `Translations`, by the field's path.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub source: String,
    /// A one-line field (a stage note): rendered without a wrapping paragraph.
    pub inline: bool,
    /// The text in the site's other languages it is written in, as (language, source).
    pub translations: Vec<(String, String)>,
    /// In a site read in another language (`localize`), a text not translated into it: the
    /// language `source` is written in, which every page and feed marks with `lang`.
    pub fallback: Option<String>,
}

impl Text {
    /// A text written in one language.
    pub fn new(source: String, inline: bool) -> Text {
        Text {
            source,
            inline,
            translations: Vec::new(),
            fallback: None,
        }
    }

    /// The source in `language` (not the main one): its translation, else the main language's
    /// (`true`: a fallback, which a page marks with the main language's `lang`).
    pub fn in_language(&self, language: &str) -> (&str, bool) {
        match self.translations.iter().find(|(l, _)| l == language) {
            Some((_, text)) => (text, false),
            None => (&self.source, true),
        }
    }
}
