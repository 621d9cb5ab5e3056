//! The site's languages (`language` or `languages` in status.yaml) and every text a person
//! reads written in them: a plain string in the main language, or a map from language to
//! string (format.md, "Several languages"). Each text's main-language string goes to the model's
//! field as before; its other languages to the file's `Translations`, with what is missing.
//! Never reads a file; the errors and the untranslated-text warning go to the file's `Report`.

use super::raw::RawText;
use super::report::Report;
use super::text;
use crate::error::Code;
use crate::model::Translations;

/// The site's languages, its main one first, from `language` or `languages`, and the field
/// each was written at (`language`, `languages[1]`), for the check against the theme.
pub fn site_languages(
    report: &mut Report,
    language: Option<String>,
    languages: Option<Vec<String>>,
) -> Vec<(String, String)> {
    let Some(list) = languages else {
        let main = language.unwrap_or_else(|| "en".to_owned());
        return vec![(main, "language".to_owned())];
    };
    if language.is_some() {
        report.error(
            Code::LanguageAndLanguages,
            "languages",
            "status.yaml gives both `language` and `languages`",
            Some("keep one: `language: X` is `languages: [X]`; list the site's languages, the main one first, in `languages` and remove `language`".into()),
        );
    }
    let mut out: Vec<(String, String)> = Vec::with_capacity(list.len());
    for (i, l) in list.into_iter().enumerate() {
        let path = format!("languages[{i}]");
        if out.iter().any(|(seen, _)| *seen == l) {
            report.error(
                Code::InvalidLanguages,
                &path,
                format!("`{l}` is listed twice in `languages`"),
                Some("list each language once, the main one first".into()),
            );
        } else {
            out.push((l, path));
        }
    }
    if out.is_empty() {
        report.error(
            Code::InvalidLanguages,
            "languages",
            "`languages` lists no language",
            Some("list the site's languages, the main one first: `languages: [ko, en]`".into()),
        );
        out.push(("en".to_owned(), "languages".to_owned()));
    }
    out
}

/// The languages a file's texts are checked against, the main one first; none when status.yaml
/// could not be read (a map is then taken as written, its first entry as the main text).
#[derive(Clone, Copy)]
pub struct Texts<'a> {
    pub languages: &'a [String],
}

impl Texts<'_> {
    /// A plain text at `path` that may span lines (a description): its main-language string,
    /// each language's text checked for control characters (`text::lines`); its other
    /// languages go to `into`, by path.
    pub fn main(
        self,
        report: &mut Report,
        path: &str,
        raw: RawText,
        into: &mut Translations,
    ) -> String {
        self.checked(report, (path, raw), (into, true), text::lines)
    }

    /// `main` for a text that must be one line (a title, a name, a role): each language's
    /// text checked by `text::one_line`.
    pub fn line(
        self,
        report: &mut Report,
        path: &str,
        raw: RawText,
        into: &mut Translations,
    ) -> String {
        self.checked(report, (path, raw), (into, true), text::one_line)
    }

    /// `line` for a person's name (`by`, `person`): the main language's name is every
    /// language's unless a map gives it in another (남궁훈), so none awaits a translation.
    pub fn name(
        self,
        report: &mut Report,
        path: &str,
        raw: RawText,
        into: &mut Translations,
    ) -> String {
        self.checked(report, (path, raw), (into, false), text::one_line)
    }

    /// The text's main-language string, each language's checked by `check`, the others added
    /// to `into`; what it lacks goes to `into`'s backlog when `backlog`.
    fn checked(
        self,
        report: &mut Report,
        (path, raw): (&str, RawText),
        (into, backlog): (&mut Translations, bool),
        check: fn(&mut Report, &str, &str),
    ) -> String {
        let mut untracked = Translations::default();
        let missing = if backlog { &mut *into } else { &mut untracked };
        let (main, others) = self.split(report, path, raw, missing);
        check(report, path, &main);
        for (language, text) in others {
            check(report, &format!("{path}.{language}"), &text);
            into.add(path, &language, text);
        }
        main
    }

    /// The text at `path` in the main language and in each other language it is written in;
    /// each one it lacks is noted in `backlog`. An unknown language or a map without the main
    /// one is an error at the field, naming the site's languages.
    pub fn split(
        self,
        report: &mut Report,
        path: &str,
        raw: RawText,
        backlog: &mut Translations,
    ) -> (String, Vec<(String, String)>) {
        let others = self.languages.get(1..).unwrap_or_default();
        let entries = match raw {
            RawText::Plain(text) => {
                others.iter().for_each(|l| backlog.miss(l, path));
                return (text, Vec::new());
            }
            RawText::Languages(entries) => entries,
        };
        let Some(main) = self.languages.first() else {
            let mut entries = entries.into_iter();
            let first = entries.next().map(|(_, t)| t).unwrap_or_default();
            return (first, entries.collect());
        };
        let mut main_text = None;
        let mut translated = Vec::new();
        for (language, text) in entries {
            if language == *main {
                main_text = Some(text);
            } else if others.contains(&language) {
                translated.push((language, text));
            } else {
                self.unknown(report, path, &language);
            }
        }
        for l in others
            .iter()
            .filter(|l| !translated.iter().any(|(t, _)| t == *l))
        {
            backlog.miss(l, path);
        }
        let main_text = main_text.unwrap_or_else(|| {
            report.error(
                Code::MainLanguageMissing,
                path,
                format!("the text at `{path}` has no `{main}`, the site's main language"),
                Some(format!(
                    "add `{main}: …` to the map: every text is written in the main language at least (the site's languages: {})",
                    self.languages.join(", ")
                )),
            );
            translated.first().map(|(_, t)| t.clone()).unwrap_or_default()
        });
        (main_text, translated)
    }

    fn unknown(self, report: &mut Report, path: &str, language: &str) {
        report.error(
            Code::UnknownTextLanguage,
            &format!("{path}.{language}"),
            format!("`{language}` in `{path}` is not a language of this site"),
            Some(format!(
                "write the text in one of the site's languages: {} (or add `{language}` to `languages` in status.yaml)",
                self.languages.join(", ")
            )),
        );
    }
}

/// One warning per file listing, by language, the texts that show in the main language there:
/// the file's translation backlog. Never an error: the first update of an outage goes out in
/// one language, and the translation follows.
pub fn untranslated(report: &mut Report, main: &str, translations: &Translations) {
    let mut backlog = translations.untranslated().clone();
    // In the order of the file: the loader reads fields in another order than they are written.
    for fields in backlog.values_mut() {
        fields.sort_by_cached_key(|f| report.value_at(f).map(|p| (p.line, p.column)));
    }
    let Some(first) = backlog
        .values()
        .flatten()
        .min_by_key(|f| report.value_at(f).map(|p| (p.line, p.column)))
    else {
        return;
    };
    let first = first.clone();
    const SHOWN: usize = 6;
    let count: usize = backlog.values().map(Vec::len).sum();
    let per_language = backlog
        .iter()
        .map(|(language, fields)| {
            let list = first_few(fields, SHOWN);
            format!("{language} ({}): {list}", fields.len())
        })
        .collect::<Vec<_>>()
        .join("; ");
    report.warning(
        Code::UntranslatedText,
        &first,
        format!("{count} text(s) not yet translated, shown in `{main}` instead: {per_language}"),
        Some("write each as a map of its languages, like `message: { en: …, ko: … }`".into()),
    );
}

/// A theme's language file that lacks keys of `en.yaml`: those show in English, so the page
/// mixes two languages. A warning, as a half-translated theme still works; `--strict` refuses it.
pub fn missing_ui_strings(report: &mut Report, theme: &str, language: &str, missing: &[String]) {
    if missing.is_empty() {
        return;
    }
    let keys = first_few(missing, 8);
    report.warning(
        Code::MissingUiStrings,
        "language",
        format!(
            "theme `{theme}` lacks {} UI string(s) in `{language}`, shown in English: {keys}",
            missing.len()
        ),
        Some(format!(
            "add them to themes/{theme}/i18n/{language}.yaml (en.yaml has every key)"
        )),
    );
}

/// "`a`, `b` and 3 more": the first `shown` of `names` in backticks, and how many more.
fn first_few<S: AsRef<str>>(names: &[S], shown: usize) -> String {
    let mut list = (names.iter().take(shown))
        .map(|n| format!("`{}`", n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > shown {
        list.push_str(&format!(" and {} more", names.len() - shown));
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn languages(
        text: &str,
        language: Option<&str>,
        list: Option<&[&str]>,
    ) -> (Vec<String>, Vec<String>) {
        let mut report = Report::new("status.yaml", text);
        let found = site_languages(
            &mut report,
            language.map(str::to_owned),
            list.map(|l| l.iter().map(|s| (*s).to_owned()).collect()),
        );
        let said = report
            .diagnostics
            .iter()
            .map(|d| d.message.clone())
            .collect();
        (found.into_iter().map(|(l, _)| l).collect(), said)
    }

    #[test]
    fn the_main_language_comes_first_and_each_is_listed_once() {
        assert_eq!(languages("", None, None), (vec!["en".to_owned()], vec![]));
        assert_eq!(languages("", Some("ko"), None).0, ["ko"]);
        assert_eq!(languages("", None, Some(&["ko", "en"])).0, ["ko", "en"]);
        let (found, said) = languages("languages: [ko, en, ko]\n", None, Some(&["ko", "en", "ko"]));
        assert_eq!(found, ["ko", "en"]);
        assert_eq!(said, ["`ko` is listed twice in `languages`"]);
        let (found, said) = languages("languages: []\n", None, Some(&[]));
        assert_eq!((found, said.len()), (vec!["en".to_owned()], 1));
    }

    #[test]
    fn a_map_gives_its_main_text_and_its_translations_in_order() {
        let all = ["en".to_owned(), "ko".to_owned(), "id".to_owned()];
        let texts = Texts { languages: &all };
        let mut report = Report::new("x.yaml", "title: x\n");
        let mut backlog = Translations::default();
        let raw = RawText::Languages(vec![("ko".into(), "가".into()), ("en".into(), "A".into())]);
        let (main, others) = texts.split(&mut report, "title", raw, &mut backlog);
        assert_eq!(
            (main.as_str(), others),
            ("A", vec![("ko".to_owned(), "가".to_owned())])
        );
        assert_eq!(backlog.untranslated()["id"], ["title"]);
        assert!(report.diagnostics.is_empty());
    }
}
