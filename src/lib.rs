//! candor: a folder of YAML incident logs in, a static status site out.
//!
//! `build` reads as its steps: load and check the input, load the theme, render every page,
//! hand each file to the one writer, swap the new site in.

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod diagnostic;
pub mod error;
pub mod i18n;
pub mod load;
mod locate;
pub mod markdown;
pub mod model;
pub mod output;
pub mod raw;
pub mod render;
pub mod theme;
pub mod time;
pub mod uptime;
pub mod url;

use error::{Diagnostic, Error, LoadError};
use model::Time;
use rayon::prelude::*;
use std::path::PathBuf;

/// What `build` and `check` take; the binary fills it from the command line and the clock.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub output: PathBuf,
    /// Overrides `base_url` of status.yaml (for previews under another address).
    pub base_url: Option<String>,
    pub now: Time,
    pub drafts: bool,
    /// Warnings count as errors.
    pub strict: bool,
}

#[derive(Debug)]
pub struct BuildReport {
    pub written: usize,
    pub unchanged: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Loads and checks the site; returns its warnings, or every problem when there are errors.
pub fn check(options: &Options) -> Result<load::Loaded, Error> {
    let theme_name = theme::requested_theme(&options.root);
    let load_options = load::LoadOptions {
        now: options.now,
        drafts: options.drafts,
        languages: theme::languages(&options.root, &theme_name),
    };
    let mut loaded = load::load(&options.root, &load_options)?;
    if options.strict && !loaded.warnings.is_empty() {
        for w in &mut loaded.warnings {
            w.level = error::Level::Error;
        }
        return Err(LoadError::Invalid(loaded.warnings).into());
    }
    if let Some(base_url) = &options.base_url {
        loaded.site.config.base_url = if base_url.ends_with('/') {
            base_url.clone()
        } else {
            format!("{base_url}/")
        };
    }
    Ok(loaded)
}

/// Builds the whole site into `options.output`. On any error the old output stays untouched.
pub fn build(options: &Options) -> Result<BuildReport, Error> {
    let loaded = check(options)?;
    let site = &loaded.site;
    let mut theme = theme::Theme::load(&options.root, &site.config.theme, &site.config.language)?;
    let renderer = render::Renderer::new(site, &mut theme, options.now)?;
    let writer = output::Writer::begin(&options.output)?;
    let jobs = renderer.jobs();
    jobs.par_chunks(32).try_for_each(|chunk| -> Result<(), Error> {
        for job in chunk {
            for file in renderer.render(*job)? {
                writer.write(&file)?;
            }
        }
        Ok(())
    })?;
    let history: Vec<String> = (1..=renderer.history_pages()).map(url::history_page).collect();
    let extra = render::api::api_files(site, options.now)
        .into_iter()
        .chain(render::feeds::feed_files(site, &renderer.theme.strings, options.now))
        .chain(render::feeds::sitemap_files(site, &history, options.now));
    for file in extra {
        writer.write(&file)?;
    }
    let stats = writer.commit()?;
    Ok(BuildReport {
        written: stats.written,
        unchanged: stats.unchanged,
        warnings: loaded.warnings,
    })
}
