//! The site read in one of its other languages (format.md, "Several languages"): every text
//! swapped for its translation, and each text without one kept in the main language and marked
//! as such (`Text::fallback`; a plain string's by `fallback`), so a page can say which language
//! it is in. Statuses, times, ids and order are the main language's state's: only words change.
//! Never reads a file or the clock.

use super::ids;
use super::state::State;
use super::{Config, Incident, Link, Service, Site, Text, Translations};
use std::collections::HashMap;
use std::sync::Arc;

/// Turns states into one language, keeping what it translated: an incident the next state
/// shares with the last one (the same `Arc`, as `State` shares what an instant or an edit
/// did not change) is not translated again, so a live rebuild translates what it touched.
pub struct Localizer {
    language: String,
    /// By the address of the incident as the state held it (kept alive here, so the address
    /// is not reused): that incident and its translation.
    done: HashMap<usize, (Arc<Incident>, Arc<Incident>)>,
}

impl Localizer {
    /// A localizer into `language`, one of the site's languages other than the main one.
    pub fn new(language: &str) -> Localizer {
        Localizer {
            language: language.to_owned(),
            done: HashMap::new(),
        }
    }

    /// `state` with its site in this language: same statuses, days and order.
    pub fn state(&mut self, state: &State) -> State {
        let language = self.language.as_str();
        let written = &state.site;
        let main = (written.config.languages.first()).unwrap_or(&written.config.language);
        let mut done = HashMap::with_capacity(written.incidents.len());
        let incidents = (written.incidents.iter())
            .map(|i| {
                let translated = match self.done.remove(&address(i)) {
                    Some((_, translated)) => translated,
                    None => Arc::new(incident(i, language, main)),
                };
                done.insert(address(i), (Arc::clone(i), Arc::clone(&translated)));
                translated
            })
            .collect();
        self.done = done;
        let site = Site {
            config: config(&written.config, language),
            services: services(&written.services, &written.config.translations, language),
            incidents,
        };
        // The rest is statuses, days and indexes: the same in every language.
        let mut out = state.clone();
        out.site = site;
        out
    }
}

/// The main language, when the plain-string text at `path` of a site read in another language
/// is shown in it, awaiting its translation (a plain name is every language's): the `lang` its
/// element carries. `None` on a page in the main language, or when the text is translated.
pub fn fallback(config: &Config, translations: &Translations, path: &str) -> Option<String> {
    let main = config.languages.first()?;
    let untranslated = *main != config.language && translations.is_missing(&config.language, path);
    untranslated.then(|| main.clone())
}

fn config(main: &Config, language: &str) -> Config {
    let t = &main.translations;
    Config {
        title: line(t, "title", &main.title, language),
        description: (main.description.as_ref()).map(|d| line(t, "description", d, language)),
        // The language's pages live under `LANG/`: their absolute links (canonical, feeds,
        // the 404 page's way home) start there.
        base_url: format!("{}{language}/", main.base_url),
        canonical_url: format!("{}{language}/", main.canonical_url),
        language: language.to_owned(),
        // The ids every output makes from the site's identity stay the main language's:
        // an incident is the same incident in every language (docs/api.md).
        page_id: Some(ids::page_id(main)),
        links: links(t, "links", &main.links, language),
        ..main.clone()
    }
}

fn services(main: &[Service], t: &Translations, language: &str) -> Vec<Service> {
    (main.iter().enumerate())
        .map(|(k, s)| Service {
            name: line(t, &format!("services[{k}].name"), &s.name, language),
            group: (s.group.as_ref())
                .map(|g| line(t, &format!("services[{k}].group"), g, language)),
            description: (s.description.as_ref())
                .map(|d| line(t, &format!("services[{k}].description"), d, language)),
            ..s.clone()
        })
        .collect()
}

fn links(t: &Translations, key: &str, main: &[Link], language: &str) -> Vec<Link> {
    (main.iter().enumerate())
        .map(|(k, l)| Link {
            title: line(t, &format!("{key}[{k}].title"), &l.title, language),
            url: l.url.clone(),
        })
        .collect()
}

/// The incident `main` in `language`: each text its translation, else the main text marked.
fn incident(main: &Incident, language: &str, main_language: &str) -> Incident {
    let t = &main.translations;
    let text = |x: &Text| text(x, language, main_language);
    let note = |x: &Option<Text>| x.as_ref().map(text);
    let mut out = main.clone();
    out.title = line(t, "title", &main.title, language);
    out.summary = note(&main.summary);
    out.cause = note(&main.cause);
    out.postmortem = note(&main.postmortem);
    for a in &mut out.services {
        a.note = note(&a.note);
        for s in &mut a.stages {
            s.note = note(&s.note);
        }
    }
    for u in &mut out.updates {
        u.message = text(&u.message);
    }
    // An entry's plain texts by its index as written: `apologies[1].role`.
    let entry = |list: &str, k: usize, field: &str, main: &str| {
        line(t, &format!("{list}[{k}].{field}"), main, language)
    };
    for a in &mut out.apologies {
        a.by = entry("apologies", a.index, "by", &a.by);
        a.role = (a.role.as_ref()).map(|r| entry("apologies", a.index, "role", r));
        a.statement = text(&a.statement);
    }
    for s in &mut out.statements {
        s.by = entry("statements", s.index, "by", &s.by);
        s.role = (s.role.as_ref()).map(|r| entry("statements", s.index, "role", r));
        s.statement = text(&s.statement);
    }
    for l in &mut out.leadership {
        l.person = entry("leadership", l.index, "person", &l.person);
        l.role = entry("leadership", l.index, "role", &l.role);
        l.note = note(&l.note);
    }
    for c in &mut out.compensation {
        c.for_whom = entry("compensation", c.index, "for", &c.for_whom);
        c.description = text(&c.description);
    }
    for c in &mut out.commitments {
        c.what = entry("commitments", c.index, "what", &c.what);
        c.due = (c.due.as_ref()).map(|d| entry("commitments", c.index, "due", d));
        c.note = note(&c.note);
    }
    out.sources = links(t, "sources", &main.sources, language);
    out
}

fn line(t: &Translations, path: &str, main: &str, language: &str) -> String {
    t.get(path, language).unwrap_or(main).to_owned()
}

fn text(main: &Text, language: &str, main_language: &str) -> Text {
    let (source, fallback) = main.in_language(language);
    Text {
        source: source.to_owned(),
        inline: main.inline,
        translations: Vec::new(),
        fallback: fallback.then(|| main_language.to_owned()),
    }
}

/// Where `i` lives: the key of what a `Localizer` translated (a number, so a session holding one
/// may move between threads).
fn address(i: &Arc<Incident>) -> usize {
    Arc::as_ptr(i) as usize
}

#[cfg(test)]
mod tests {
    //! On a small site read through the real loader (only tests import it).
    use super::*;
    use crate::load::{LoadOptions, load};
    use crate::model::Time;
    use chrono::{DateTime, Utc};

    const STATUS: &str = "title: { en: Example, ko: 예시 }
base_url: https://status.example.com/
languages: [en, ko, id]
timezone: Asia/Seoul
services:
  - { id: talk, name: { en: Talk, ko: 톡 }, group: Chat }
";

    /// Apologies written out of time order: the model sorts them, their roles keep their index.
    const FIRE: &str = "title: { en: Fire, ko: 화재, id: Kebakaran }
start: 2022-10-15T15:30:00+09:00
services: [{ id: talk, impact: major_outage }]
updates:
  - { at: 2022-10-15T16:00:00+09:00, status: investigating, message: { en: Down., ko: 장애. } }
apologies:
  - { at: 2022-10-19T11:00:00+09:00, by: Namkoong, role: { en: CEO, ko: 대표 }, statement: Sorry. }
  - { at: 2022-10-15T17:00:00+09:00, by: Hong, role: Spokesperson, statement: { en: We apologise., ko: 사과드립니다. } }
";

    fn t(s: &str) -> Time {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    fn state() -> State {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("status.yaml"), STATUS).expect("write");
        std::fs::create_dir(dir.path().join("incidents")).expect("mkdir");
        std::fs::write(dir.path().join("incidents/fire.yaml"), FIRE).expect("write");
        let now = t("2022-10-20T00:00:00+09:00");
        let options = LoadOptions {
            now,
            clock: now,
            drafts: false,
            languages: crate::theme::languages,
        };
        State::at(&load(dir.path(), &options).expect("loads").site, now)
    }

    #[test]
    fn every_text_reads_in_the_language_and_what_falls_back_is_marked() {
        let main = state();
        let korean = Localizer::new("ko").state(&main);
        let (site, fire) = (&korean.site, &korean.site.incidents[0]);
        assert_eq!(
            (site.config.title.as_str(), site.config.language.as_str()),
            ("예시", "ko")
        );
        assert_eq!(site.config.base_url, "https://status.example.com/ko/");
        assert_eq!(site.services[0].name, "톡");
        assert_eq!(fire.title, "화재");
        assert_eq!(
            (
                fire.updates[0].message.source.as_str(),
                &fire.updates[0].message.fallback
            ),
            ("장애.", &None)
        );
        // Sorted by time: Hong's (written second) first, each with its own role.
        let roles: Vec<_> = fire
            .apologies
            .iter()
            .map(|a| (a.by.as_str(), a.role.as_deref()))
            .collect();
        assert_eq!(
            roles,
            [("Hong", Some("Spokesperson")), ("Namkoong", Some("대표"))]
        );
        assert_eq!(fire.apologies[1].statement.fallback.as_deref(), Some("en"));
        assert_eq!(fire.apologies[0].statement.fallback, None);
        // Plain strings shown untranslated say so by their path; the translated ones do not.
        let t = &fire.translations;
        assert_eq!(
            fallback(&site.config, t, "apologies[1].role"),
            Some("en".to_owned())
        );
        assert_eq!(fallback(&site.config, t, "apologies[0].role"), None);
        assert_eq!(
            fallback(&site.config, &site.config.translations, "services[0].group"),
            Some("en".to_owned())
        );
        // Nothing but words changes, and the site keeps its identity.
        assert_eq!(
            (korean.indicator, korean.updated_at),
            (main.indicator, main.updated_at)
        );
        assert_eq!(ids::page_id(&site.config), ids::page_id(&main.site.config));
        // On the main language's own pages nothing is a fallback.
        assert_eq!(fallback(&main.site.config, t, "apologies[1].role"), None);
    }

    #[test]
    fn an_incident_the_state_still_shares_is_not_translated_again() {
        let main = state();
        let mut localizer = Localizer::new("id");
        let first = localizer.state(&main);
        let again = localizer.state(&main);
        assert!(Arc::ptr_eq(
            &first.site.incidents[0],
            &again.site.incidents[0]
        ));
        assert_eq!(again.site.incidents[0].title, "Kebakaran");
        let mut edited = main.clone();
        let mut fire = (*edited.site.incidents[0]).clone();
        fire.title = "Fire, edited".to_owned();
        fire.translations = Translations::default();
        edited.site.incidents[0] = Arc::new(fire);
        let after = localizer.state(&edited);
        assert_eq!(after.site.incidents[0].title, "Fire, edited");
    }
}
