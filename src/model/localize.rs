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
    /// By slug: the incident as the state held it, and its translation.
    done: HashMap<String, (Arc<Incident>, Arc<Incident>)>,
}

impl Localizer {
    /// A localizer into `language`, one of the site's languages other than the main one.
    pub fn new(language: &str) -> Localizer {
        Localizer {
            language: language.to_owned(),
            done: HashMap::new(),
        }
    }

    pub fn language(&self) -> &str {
        &self.language
    }

    /// `state` with its site in this language: same statuses, days and order.
    pub fn state(&mut self, state: &State) -> State {
        let language = self.language.as_str();
        let written = &state.site;
        let main = (written.config.languages.first()).unwrap_or(&written.config.language);
        let mut done = HashMap::with_capacity(written.incidents.len());
        let incidents = (written.incidents.iter())
            .map(|i| {
                let translated = match self.done.remove(&i.slug) {
                    Some((source, translated)) if Arc::ptr_eq(&source, i) => translated,
                    _ => Arc::new(incident(i, language, main)),
                };
                done.insert(i.slug.clone(), (Arc::clone(i), Arc::clone(&translated)));
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
/// is shown in it (not translated): the `lang` its element carries. `None` on a page in the
/// main language, or when the text is translated.
pub fn fallback(config: &Config, translations: &Translations, path: &str) -> Option<String> {
    let main = config.languages.first()?;
    let untranslated =
        *main != config.language && translations.get(path, &config.language).is_none();
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
    for a in &mut out.apologies {
        a.role = (a.role.as_ref())
            .map(|r| line(t, &format!("apologies[{}].role", a.index), r, language));
        a.statement = text(&a.statement);
    }
    for s in &mut out.statements {
        s.role = (s.role.as_ref())
            .map(|r| line(t, &format!("statements[{}].role", s.index), r, language));
        s.statement = text(&s.statement);
    }
    for l in &mut out.leadership {
        l.role = line(
            t,
            &format!("leadership[{}].role", l.index),
            &l.role,
            language,
        );
        l.note = note(&l.note);
    }
    for c in &mut out.compensation {
        c.for_whom = line(
            t,
            &format!("compensation[{}].for", c.index),
            &c.for_whom,
            language,
        );
        c.description = text(&c.description);
    }
    for c in &mut out.commitments {
        c.what = line(
            t,
            &format!("commitments[{}].what", c.index),
            &c.what,
            language,
        );
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
