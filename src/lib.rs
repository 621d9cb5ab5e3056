//! candor: a folder of YAML incident logs in, a static status site out.
//!
//! `build` reads as its steps: take the output's lock, load and check the input, load the
//! theme, render every page, hand each file to the one writer, swap the new site in.
//! ARCHITECTURE.md is the map.
//!
//! The library never prints (the lints below) and never reads the clock: `Options` carries the
//! instant, and `main.rs` alone reads it.

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod authoring;
pub mod deploy;
pub mod diagnostic;
pub mod error;
pub mod live;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod replay;
pub mod report;
pub mod theme;
pub mod typed;
pub mod versions;
pub mod walk;

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
    /// The build time: the site is built as it stood at this instant.
    pub now: Time,
    /// The clock when the command started (equal to `now` unless `--now` was given): only the
    /// warning about a mistyped year reads it.
    pub clock: Time,
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
    let mut loaded = match load::load(&options.root, &load_options(options)) {
        // With errors too, --strict still counts every warning as one.
        Err(LoadError::Invalid(found)) if options.strict => {
            let promoted = found
                .into_iter()
                .map(|d| if d.is_error() { d } else { d.promoted() });
            return Err(LoadError::Invalid(promoted.collect()).into());
        }
        loaded => loaded?,
    };
    if options.strict && !loaded.warnings.is_empty() {
        let promoted = loaded.warnings.into_iter().map(error::Diagnostic::promoted);
        return Err(LoadError::Invalid(promoted.collect()).into());
    }
    override_base_url(&mut loaded.site, options);
    Ok(loaded)
}

/// What loading needs from the options.
pub(crate) fn load_options(options: &Options) -> load::LoadOptions {
    load::LoadOptions {
        now: options.now,
        clock: options.clock,
        drafts: options.drafts,
        languages: theme::languages,
    }
}

/// `--base-url` replaces status.yaml's, always ending in `/` so page paths join onto it.
pub(crate) fn override_base_url(site: &mut model::Site, options: &Options) {
    if let Some(base_url) = &options.base_url {
        site.config.base_url = if base_url.ends_with('/') {
            base_url.clone()
        } else {
            format!("{base_url}/")
        };
    }
}

/// Builds the whole site into `options.output`. On any error the old output stays untouched.
pub fn build(options: &Options) -> Result<BuildReport, Error> {
    build_waiting(options, &mut |_| {})
}

/// `build`, first telling `on_wait` when another build holds the output: this one then waits
/// for it to end, and builds on what it left.
pub fn build_waiting(
    options: &Options,
    on_wait: &mut dyn FnMut(&output::Waiting),
) -> Result<BuildReport, Error> {
    // Before the old site is read: another build may be swapping its own in.
    let lock = output::OutputLock::acquire(&options.output, on_wait)?;
    // The old output's fingerprint stats every file of it: beside the check, which reads and
    // digests every input.
    let (loaded, outputs) = rayon::join(
        || check(options),
        || output::fingerprint::outputs(lock.output(), output::MARKER),
    );
    let loaded = loaded?;
    let inputs = output::fingerprint::inputs(options, &loaded.files);
    // Same inputs, output untouched since: nothing to render or write (the warnings still show).
    if let Some(files) = output::up_to_date(&lock, inputs, outputs) {
        return Ok(BuildReport {
            written: 0,
            unchanged: files,
            warnings: loaded.warnings,
        });
    }
    let site = &loaded.site;
    let mut editions = versions::load(&options.root, site)?;
    let state = model::state::State::at(site, options.now);
    let (site_written, _) = write_all(&state, &mut editions, &lock)?;
    let stats = site_written.stats;
    let files = stats.written + stats.unchanged;
    output::record(&lock, inputs, site_written.outputs, files);
    Ok(BuildReport {
        written: stats.written,
        unchanged: stats.unchanged,
        warnings: loaded.warnings,
    })
}

/// Renders every page and file of every language version of the site from `state` through the
/// staging writer and swaps it in; also returns each version's `Renderer::global`.
pub(crate) fn write_all(
    state: &model::state::State,
    editions: &mut [versions::Edition],
    lock: &output::OutputLock,
) -> Result<(output::Committed, Vec<String>), Error> {
    let writer = output::Writer::begin(lock)?;
    let mut globals = Vec::with_capacity(editions.len());
    for edition in editions {
        let state = edition.state(state);
        let renderer = edition.renderer(&state)?;
        render_jobs(&renderer, &renderer.jobs(), &|file| {
            writer.write(&file).map_err(Error::from)
        })?;
        for file in extra_files(&renderer) {
            writer.write(&file)?;
        }
        globals.push(renderer.global);
    }
    Ok((writer.commit()?, globals))
}

/// Renders `jobs` in parallel, in chunks, handing each file to `sink` as soon as it exists,
/// so a large site never sits in memory whole.
pub(crate) fn render_jobs(
    renderer: &render::Renderer,
    jobs: &[render::Job],
    sink: &(dyn Fn(render::OutputFile) -> Result<(), Error> + Sync),
) -> Result<(), Error> {
    // Chunks keep a large build's files flowing to the writer in order; a small rebuild
    // still spreads its few pages over every core.
    let chunk = (jobs.len() / (rayon::current_num_threads() * 4)).clamp(1, 32);
    jobs.par_chunks(chunk).try_for_each(|chunk| {
        for job in chunk {
            for file in renderer.render(*job)? {
                sink(file)?;
            }
        }
        Ok(())
    })
}

/// The files that summarize the whole site: JSON API, feeds, badges, calendar, sitemap
/// (`render::summary_files`).
pub(crate) fn extra_files(renderer: &render::Renderer) -> Vec<render::OutputFile> {
    render::summary_files(
        renderer.state,
        renderer.theme,
        renderer.history_pages(),
        &renderer.version,
    )
}
