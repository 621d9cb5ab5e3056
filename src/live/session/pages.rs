//! Which pages an edit can change (the edited incidents', the lists holding them, the services
//! they hit), which output folders it leaves without a page, and rendering a list of jobs for
//! every language version at once. Never writes: `Session::write` does.

use super::poisoned;
use crate::error::Error;
use crate::model::Site;
use crate::render::{Job, OutputFile, Renderer, url};
use std::collections::BTreeSet;
use std::sync::Mutex;

/// The files of `jobs[k]` rendered by `renderers[k]`, for every version.
pub(super) fn render_each<'a>(
    renderers: &[Renderer],
    jobs: impl Iterator<Item = &'a Vec<Job>>,
) -> Result<Vec<OutputFile>, Error> {
    let files = Mutex::new(Vec::new());
    for (renderer, jobs) in renderers.iter().zip(jobs) {
        crate::render_jobs(renderer, jobs, &|file: OutputFile| {
            files.lock().map_err(|_| poisoned())?.push(file);
            Ok(())
        })?;
    }
    files.into_inner().map_err(|_| poisoned())
}

/// The history pages (1-based) whose content a change can alter: those holding a changed
/// incident, and those whose slice of the newest-first order moved. When the number of pages
/// changes, every page's pagination does too.
pub(super) fn changed_history_pages(
    site: &Site,
    last_order: &[String],
    slugs: &BTreeSet<String>,
    pages: usize,
) -> BTreeSet<usize> {
    let size = crate::render::HISTORY_PAGE_SIZE;
    if crate::render::history_pages(last_order.len()) != pages {
        return (1..=pages).collect();
    }
    let order: Vec<&str> = site.incidents.iter().map(|i| i.slug.as_str()).collect();
    let mut positions: BTreeSet<usize> = order
        .iter()
        .enumerate()
        .filter(|(_, s)| slugs.contains(**s))
        .map(|(k, _)| k)
        .collect();
    let moved = |k: &usize| order.get(*k).copied() != last_order.get(*k).map(String::as_str);
    let longest = order.len().max(last_order.len());
    if let Some(first) = (0..longest).find(moved) {
        let last = (0..longest).rev().find(moved).unwrap_or(first);
        positions.extend(first..=last);
    }
    positions
        .into_iter()
        .map(|k| k / size + 1)
        .filter(|p| *p <= pages)
        .collect()
}

/// The pages a change to `slugs` (touching `services`) can affect: the incidents' own pages,
/// the front page, the history pages given, the services' pages, and 404.html (it shares the
/// layout).
pub(super) fn affected_jobs(
    site: &Site,
    history_pages: &BTreeSet<usize>,
    slugs: &BTreeSet<String>,
    services: &BTreeSet<String>,
) -> Vec<Job> {
    let mut jobs = vec![Job::Index, Job::NotFound];
    jobs.extend(history_pages.iter().copied().map(Job::History));
    jobs.extend(
        site.services
            .iter()
            .enumerate()
            .filter(|(_, s)| services.contains(&s.id))
            .map(|(i, _)| Job::Service(i)),
    );
    jobs.extend(
        site.incidents
            .iter()
            .enumerate()
            .filter(|(_, i)| slugs.contains(&i.slug))
            .map(|(i, _)| Job::Incident(i)),
    );
    jobs
}

/// Output folders of pages that no longer exist: removed incidents, history pages past the end.
pub(super) fn removed_paths(
    site: &Site,
    slugs: &BTreeSet<String>,
    pages: usize,
    last_pages: usize,
) -> Vec<String> {
    let mut remove: Vec<String> = slugs
        .iter()
        .filter(|s| !site.incidents.iter().any(|i| &i.slug == *s))
        .filter(|s| crate::model::slug::is_slug(s))
        .map(|s| format!("incidents/{s}"))
        .collect();
    remove.extend((pages + 1..=last_pages).map(|n| {
        let page = url::history_page(n);
        page.trim_end_matches("/index.html").to_owned()
    }));
    remove
}
