//! The site's language versions (format.md, "Several languages") as `build` and a live session
//! render them: for each language, the theme with its UI strings, and for each language but the
//! main one the `Localizer` that reads a state in it. A site of one language has one version,
//! rendered exactly as before versions existed.
//!
//! Loads the theme once per language (it reads the disk, as `Theme::load` does); never reads the
//! clock.

use crate::error::RenderError;
use crate::model::localize::Localizer;
use crate::model::state::State;
use crate::model::{Config, Site};
use crate::render::{Renderer, Version};
use crate::theme::Theme;
use std::borrow::Cow;
use std::path::Path;

/// One language's version: what renders it.
pub struct Edition {
    pub version: Version,
    pub theme: Theme,
    /// `None` for the main language, whose state is the site's own.
    localizer: Option<Localizer>,
}

impl Edition {
    /// `state` in this version's language.
    pub fn state<'s>(&mut self, state: &'s State) -> Cow<'s, State> {
        match &mut self.localizer {
            None => Cow::Borrowed(state),
            Some(localizer) => Cow::Owned(localizer.state(state)),
        }
    }

    /// The renderer of this version from `state`, as `Edition::state` read it in this language.
    pub fn renderer<'a>(&'a mut self, state: &'a State) -> Result<Renderer<'a>, RenderError> {
        Renderer::new(state, &mut self.theme, self.version.clone())
    }
}

/// Every version of the site, the main language's first.
pub fn load(root: &Path, site: &Site) -> Result<Vec<Edition>, RenderError> {
    let config = &site.config;
    let themes = (languages(config).iter())
        .map(|l| Theme::load(root, &config.theme, l))
        .collect::<Result<Vec<Theme>, RenderError>>()?;
    let names: Vec<(String, String)> = (languages(config).iter().zip(&themes))
        .map(|(l, t)| (l.clone(), t.strings.language_name().unwrap_or(l).to_owned()))
        .collect();
    Ok((themes.into_iter().zip(&names))
        .enumerate()
        .map(|(k, (theme, (language, _)))| Edition {
            version: Version {
                language: language.clone(),
                languages: names.clone(),
                root_url: config.base_url.clone(),
                canonical_url: config.canonical_url.clone(),
            },
            theme,
            localizer: (k > 0).then(|| Localizer::new(language)),
        })
        .collect())
}

/// The site's languages, the main one first; `[language]` for a site of one.
fn languages(config: &Config) -> &[String] {
    if config.languages.is_empty() {
        std::slice::from_ref(&config.language)
    } else {
        &config.languages
    }
}
