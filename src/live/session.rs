//! A site kept in memory between rebuilds, for `watch` and `serve`: a change re-reads only the
//! changed files and re-renders only the pages they can affect. The output after any sequence
//! of changes and clock moves is byte-identical to a clean `build` of the same files at the
//! session's instant.
//!
//! The instant (the build time) stays fixed between rebuilds, so an edit re-renders only what
//! it touches. It moves to the clock when something comes due — an entry dated after the
//! instant, a window opening, midnight — or, while an incident is open, each minute, and then
//! only the pages that show time-dependent facts are rendered again (`tick`).
//!
//! Never prints and never reads the clock: each call is handed the time. Writes only through
//! the one writer (`crate::output`), in its staging or in-place mode.

use crate::Options;
use crate::error::{Diagnostic, Error, LoadError};
use crate::load::{self, SiteContext};
use crate::model::state::State;
use crate::model::{Site, Time};
use crate::render::{Job, OutputFile};
use crate::versions::{self, Edition};
use pages::{affected_jobs, changed_history_pages, removed_paths, render_each};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod pages;

/// What changed on disk, as `watch` classifies a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    /// `status.yaml`: every incident is checked against it, so everything is reloaded.
    Status,
    /// A file of the site's theme.
    Theme,
    /// One file of `incidents/` (created, modified, deleted or renamed).
    Incident(PathBuf),
    /// Anything else that may matter (a folder created or removed): reload everything.
    Unknown,
}

/// What one rebuild did: pages rendered, files written, left unchanged and removed, and the
/// warnings of the input as it now stands.
#[derive(Debug, Clone, Default)]
pub struct Rebuild {
    pub full: bool,
    pub rendered: usize,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub warnings: Vec<Diagnostic>,
}

/// The site as last built, what changed since, and when to look at the clock again.
pub struct Session {
    options: Options,
    context: Option<SiteContext>,
    status_diagnostics: Vec<Diagnostic>,
    /// Why `incidents/` could not be listed (a link out of the site, a loop), until it can.
    listing_diagnostics: Vec<Diagnostic>,
    file_diagnostics: BTreeMap<PathBuf, Vec<Diagnostic>>,
    site: Option<Site>,
    /// Each language version's theme and localizer; none until status.yaml and the theme load.
    editions: Vec<Edition>,
    /// What each version's last written output was rendered from (`Renderer::global`).
    last_globals: Vec<String>,
    /// The incidents open or running at the instant the output was last written at: their
    /// pages show a duration or a chart running to the instant.
    last_running: BTreeSet<String>,
    /// When to look at the clock again (`next_tick`).
    next_tick: Option<Time>,
    /// The state the output was last written from: an edit at the same instant reuses what
    /// it did not change.
    last_state: Option<State>,
    /// The slugs in site order (newest first) when the output was last written: history pages
    /// whose slice of this list did not change need no new render.
    last_order: Vec<String>,
    /// Slugs and services changed since the output was last written (edits that failed included).
    pending_slugs: BTreeSet<String>,
    pending_services: BTreeSet<String>,
    /// The site this session last wrote, as `output::site_id` tells it from another build's.
    site_id: Option<crate::output::SiteId>,
}

impl Session {
    /// A session that has built nothing yet: the first `rebuild` builds everything.
    pub fn new(mut options: Options) -> Session {
        // The watcher reports absolute, resolved paths; keep ours in the same form so
        // messages name files relative to the site root.
        options.root = resolved(&options.root);
        options.output = resolved(&options.output);
        Session {
            options,
            context: None,
            status_diagnostics: Vec::new(),
            listing_diagnostics: Vec::new(),
            file_diagnostics: BTreeMap::new(),
            site: None,
            editions: Vec::new(),
            last_globals: Vec::new(),
            last_running: BTreeSet::new(),
            next_tick: None,
            last_state: None,
            last_order: Vec::new(),
            pending_slugs: BTreeSet::new(),
            pending_services: BTreeSet::new(),
            site_id: None,
        }
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The build time the output was (or will next be) written at.
    pub fn instant(&self) -> Time {
        self.options.now
    }

    /// When the published site may next differ from a build at the clock: the next change of
    /// state, or the next minute while an incident is open (its duration runs). `None`: never.
    pub fn next_tick(&self) -> Option<Time> {
        self.next_tick
    }

    /// Applies `changes` and writes what they affect, as of the session's instant; that moves
    /// to `clock` first when something came due by then (a save stamped now, a window opening).
    /// On error nothing is written and the output stays the last good site; the next
    /// successful rebuild catches up.
    pub fn rebuild(&mut self, changes: &[Change], clock: Time) -> Result<Rebuild, Error> {
        self.options.clock = clock;
        if self.site.is_none() {
            self.move_instant(clock);
        }
        let incremental = self.site.is_some()
            && !self.editions.is_empty()
            && changes.iter().all(|c| matches!(c, Change::Incident(_)));
        if incremental {
            self.reload_files(changes)?;
        } else {
            self.reload_all()?;
        }
        let diagnostics = self.diagnostics();
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(LoadError::Invalid(diagnostics).into());
        }
        if self.due(clock) {
            self.move_instant(clock);
        }
        let mut report = self.write(incremental)?;
        report.warnings = diagnostics;
        Ok(report)
    }

    /// Moves the instant to `clock` and writes the pages whose content depends on it, when
    /// anything is due by then (else does nothing). Like `rebuild`, it keeps the last good site
    /// when the files on disk are broken: their next fix catches up.
    pub fn tick(&mut self, clock: Time) -> Result<Rebuild, Error> {
        self.options.clock = clock;
        if !self.due(clock) {
            return Ok(Rebuild::default());
        }
        let diagnostics = self.diagnostics();
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(LoadError::Invalid(diagnostics).into());
        }
        self.move_instant(clock);
        let mut report = self.write(true)?;
        report.warnings = diagnostics;
        Ok(report)
    }

    /// Whether the site at `clock` may differ from the site at the instant: a tick came due,
    /// or an edit added something dated between the two (an update stamped now).
    fn due(&self, clock: Time) -> bool {
        let now = self.options.now;
        if clock == now {
            return false;
        }
        let tick_due = self.next_tick.is_some_and(|t| t <= clock);
        let (from, to) = (now.min(clock), now.max(clock));
        let edited_due = self.site.as_ref().is_some_and(|site| {
            site.incidents
                .iter()
                .filter(|i| self.pending_slugs.contains(&i.slug))
                .any(|i| changes_between(i, from, to))
        });
        tick_due || edited_due || clock < now
    }

    /// Sets the instant to `clock`, marking as pending every page that can differ between the
    /// two instants: incidents with something dated in between or open until now, and every
    /// service (uptime bars and percentages move with time).
    fn move_instant(&mut self, clock: Time) {
        let now = self.options.now;
        let (from, to) = (now.min(clock), now.max(clock));
        if let Some(site) = &self.site {
            for i in site.incidents.iter() {
                if self.last_running.contains(&i.slug) || changes_between(i, from, to) {
                    self.pending_slugs.insert(i.slug.clone());
                }
            }
            self.pending_services
                .extend(site.services.iter().map(|s| s.id.clone()));
        }
        self.options.now = clock;
    }

    fn reload_all(&mut self) -> Result<(), Error> {
        let status = load::load_status(&self.options.root, crate::theme::languages)?;
        self.status_diagnostics = status.diagnostics;
        self.site = None;
        self.editions = Vec::new();
        self.context = status.context;
        self.file_diagnostics.clear();
        let listed = self.list_incidents()?;
        let outcomes = load::load_listed(
            &self.options.root,
            listed,
            self.context.as_ref(),
            &crate::load_options(&self.options),
        )?;
        let mut incidents = Vec::with_capacity(outcomes.len());
        for (path, outcome) in outcomes {
            self.file_diagnostics.insert(path, outcome.diagnostics);
            incidents.extend(outcome.incident);
        }
        let Some(context) = &self.context else {
            return Ok(());
        };
        let mut site = context.site(incidents);
        crate::override_base_url(&mut site, &self.options);
        self.editions = versions::load(&self.options.root, &site)?;
        self.site = Some(site);
        self.last_globals = Vec::new();
        Ok(())
    }

    /// `incidents/` listed by the one walker at every rebuild, as `build` lists it: a link made
    /// while the session runs meets the build's policy. A refusal stays among the diagnostics
    /// until a listing succeeds; the next rebuild is then a full one, so no edit is missed.
    fn list_incidents(&mut self) -> Result<Vec<PathBuf>, Error> {
        let listed = load::incident_files(&self.options.root);
        self.listed(listed)
    }

    /// A listing's refusal kept among the diagnostics (none once a listing succeeds), and the
    /// error that reports them with the rest.
    fn listed(&mut self, listed: Result<Vec<PathBuf>, LoadError>) -> Result<Vec<PathBuf>, Error> {
        self.listing_diagnostics = match &listed {
            Err(LoadError::Invalid(refused)) => refused.clone(),
            _ => Vec::new(),
        };
        listed.map_err(|e| {
            self.site = None;
            match e {
                LoadError::Invalid(_) => LoadError::Invalid(self.diagnostics()).into(),
                other => other.into(),
            }
        })
    }

    /// The changed paths under the listing policy, without listing 10,000 files at every save:
    /// each changed path checked alone, and every symlink of the folder (new links included,
    /// whatever their name) checked as the walk checks it. While a refusal is pending, the whole
    /// folder is listed again, so its fix is seen.
    fn list_changed(&mut self, paths: &BTreeSet<&PathBuf>) -> Result<Vec<PathBuf>, Error> {
        if !self.listing_diagnostics.is_empty() {
            return self.list_incidents();
        }
        let root = &self.options.root;
        let links = crate::walk::symlinks(&root.join("incidents"));
        let checked = (|| {
            let mut listed = Vec::new();
            for path in paths {
                listed.extend(load::incident_file(root, path)?);
            }
            for link in &links {
                load::incident_file(root, link)?;
            }
            Ok(listed)
        })();
        self.listed(checked)
    }

    fn reload_files(&mut self, changes: &[Change]) -> Result<(), Error> {
        let options = &crate::load_options(&self.options);
        let paths: BTreeSet<&PathBuf> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Incident(p) => Some(p),
                _ => None,
            })
            .collect();
        let listed = self.list_changed(&paths)?;
        let (Some(site), Some(context)) = (self.site.as_mut(), self.context.as_ref()) else {
            return Ok(());
        };
        for path in paths {
            let slug = slug_of(path);
            if let Some(pos) = site.incidents.iter().position(|i| i.slug == slug) {
                let old = site.incidents.remove(pos);
                self.pending_services
                    .extend(old.services.iter().map(|a| a.id.clone()));
            }
            self.pending_slugs.insert(slug);
            self.file_diagnostics.remove(path);
            // What the walk skips (removed, a link to nothing) is gone, as for a build.
            let Some(listed) = listed.iter().find(|p| p.file_name() == path.file_name()) else {
                continue;
            };
            let outcome = load::load_file(&self.options.root, listed, Some(context), options)
                .map_err(LoadError::from)?;
            self.file_diagnostics
                .insert(path.clone(), outcome.diagnostics);
            if let Some(incident) = outcome.incident {
                self.pending_services
                    .extend(incident.services.iter().map(|a| a.id.clone()));
                site.incidents.push(std::sync::Arc::new(incident));
            }
        }
        site.sort_incidents();
        Ok(())
    }

    fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all = self.status_diagnostics.clone();
        all.extend(self.listing_diagnostics.iter().cloned());
        all.extend(self.file_diagnostics.values().flatten().cloned());
        if let Some(site) = &self.site {
            all.extend(load::duplicate_ids(
                site.incidents.iter().map(|i| i.as_ref()),
            ));
        }
        if self.context.is_none() && !all.iter().any(Diagnostic::is_error) {
            all.push(Diagnostic::error(
                crate::error::Code::YamlSyntax,
                "status.yaml",
                "status.yaml could not be read",
            ));
        }
        all
    }

    /// Renders and writes: everything through the staging writer after a full reload, else
    /// only the pages the pending changes can affect, in place.
    fn write(&mut self, incremental: bool) -> Result<Rebuild, Error> {
        let Some(written) = self.site.as_ref().filter(|_| !self.editions.is_empty()) else {
            return Err(LoadError::Invalid(self.diagnostics()).into());
        };
        // Held until the output is written: a `build` beside the watch waits, and so do we.
        let lock = crate::output::OutputLock::acquire(&self.options.output, &mut |_| {})?;
        // A site another build swapped in since ours is not the one our pages patch.
        let incremental = incremental && self.site_id == crate::output::site_id(&lock);
        let state = match self.last_state.take() {
            Some(previous) if incremental && previous.at == self.options.now => {
                State::after_edit(written, &previous, &self.pending_services)
            }
            _ => State::at(written, self.options.now),
        };
        let site = &state.site;
        let pages = crate::render::history_pages(site.incidents.len());
        let mut report = Rebuild::default();
        if !incremental {
            let (written, globals) = crate::write_all(&state, &mut self.editions, &lock)?;
            report.full = true;
            report.rendered = crate::render::jobs(site).len() * self.editions.len();
            report.written = written.stats.written;
            report.unchanged = written.stats.unchanged;
            self.last_globals = globals;
        } else {
            let history = changed_history_pages(site, &self.last_order, &self.pending_slugs, pages);
            let affected =
                affected_jobs(site, &history, &self.pending_slugs, &self.pending_services);
            let last_pages = crate::render::history_pages(self.last_order.len());
            let gone = removed_paths(site, &self.pending_slugs, pages, last_pages);
            let states: Vec<_> = (self.editions.iter_mut())
                .map(|e| e.state(&state))
                .collect();
            let renderers = (self.editions.iter_mut().zip(&states))
                .map(|(edition, state)| edition.renderer(state))
                .collect::<Result<Vec<_>, _>>()?;
            let (mut plans, mut remove) = (Vec::new(), Vec::new());
            let mut globals = Vec::with_capacity(renderers.len());
            for (k, renderer) in renderers.iter().enumerate() {
                let same_global = self.last_globals.get(k) == Some(&renderer.global);
                let jobs = if same_global {
                    affected.clone()
                } else {
                    renderer.jobs()
                };
                report.full |= !same_global;
                report.rendered += jobs.len();
                // The edited incidents' own pages first, in every language: the page the person
                // who saved is looking at is on disk while the lists that show it render.
                let edited = |job: &Job| match job {
                    Job::Incident(n) => (site.incidents.get(*n))
                        .is_some_and(|i| self.pending_slugs.contains(&i.slug)),
                    _ => false,
                };
                plans.push(jobs.into_iter().partition::<Vec<Job>, _>(edited));
                let prefix = renderer.version.prefix();
                remove.extend(gone.iter().map(|path| format!("{prefix}{path}")));
                globals.push(renderer.global.clone());
            }
            let first = render_each(&renderers, plans.iter().map(|(first, _)| first))?;
            let first_written = crate::output::write_in_place(&lock, &first, &[])?;
            let rest = render_each(&renderers, plans.iter().map(|(_, rest)| rest))?;
            let rest_written = crate::output::write_in_place(&lock, &rest, &remove)
                .map_err(|e| e.after(first_written.written > 0))?;
            // The pages first: they are on disk while the summary files render.
            let pages_touched = first_written.written + rest_written.written + remove.len() > 0;
            let extras: Vec<OutputFile> = renderers.iter().flat_map(crate::extra_files).collect();
            let extras_written = crate::output::write_in_place(&lock, &extras, &[])
                .map_err(|e| e.after(pages_touched))?;
            report.written = first_written.written + rest_written.written + extras_written.written;
            report.unchanged =
                first_written.unchanged + rest_written.unchanged + extras_written.unchanged;
            report.removed = remove.len();
            self.last_globals = globals;
        }
        self.site_id = crate::output::site_id(&lock);
        self.last_order = site.incidents.iter().map(|i| i.slug.clone()).collect();
        // Open incidents and running windows: their durations and charts run to the instant,
        // and so do the uptime figures of what they hit. Look again each minute meanwhile.
        let running: BTreeSet<String> = (site.incidents.iter())
            .filter(|i| !i.is_closed() && i.status != crate::model::Status::Scheduled)
            .map(|i| i.slug.clone())
            .collect();
        let minute = (!running.is_empty()).then(|| next_minute(state.at));
        self.next_tick = [state.next_change, minute].into_iter().flatten().min();
        self.last_running = running;
        self.last_state = Some(state);
        self.pending_slugs.clear();
        self.pending_services.clear();
        Ok(report)
    }
}

/// Whether anything dated in the written incident `i` lies in `(from, to]`: its page, and the
/// lists holding it, differ between the two instants.
fn changes_between(i: &crate::model::Incident, from: Time, to: Time) -> bool {
    // A window's announcement is its first update: among these times too.
    i.dated().any(|t| from < t && t <= to)
}

/// The first whole minute after `t`.
fn next_minute(t: Time) -> Time {
    use chrono::DurationRound;
    let minute = chrono::TimeDelta::minutes(1);
    t.duration_trunc(minute).unwrap_or(t) + minute
}

/// `path` made absolute and resolved where it exists (the output folder may not yet).
pub fn resolved(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

fn slug_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn poisoned() -> Error {
    crate::error::RenderError::Theme("a rendering thread panicked".to_owned()).into()
}
