//! State → output files, one module per output family. Holds only what the families share:
//! `OutputFile`, the list of files a build makes (`jobs` for pages, `summary_files` for the
//! rest), `history_pages` and the one service grouping.
//!
//! The families:
//! - `html/`: the `Renderer` (Tera pages: front page, history, service, incident, 404, the
//!   theme's static files) and the views templates receive;
//! - `api/`: the Statuspage-compatible JSON under `api/v2/`;
//! - `feeds`: Atom and RSS; `badges`: SVG status badges; `calendar`: the maintenance iCalendar;
//!   `sitemap`: sitemap.xml and robots.txt; `hosting`: `_headers`, `_redirects` and the
//!   caching policy `candor deploy` sets;
//! - shared by them: `markdown` (incident text → `SafeHtml` or plain text), `url` (paths and
//!   links), `xml` (escaping for the XML families).
//!
//! Render never touches the disk and never reads the clock: the theme is loaded by the caller,
//! the instant is `State::at`, and files go to the writer as `OutputFile`s, in chunks, so a
//! large site never sits in memory whole. No status is derived here: every output reads `State`.

pub mod api;
pub mod badges;
pub mod calendar;
pub mod embed;
pub mod feeds;
pub mod hosting;
pub mod html;
pub mod markdown;
pub mod sitemap;
pub mod url;
pub mod xml;

#[cfg(test)]
pub(crate) mod fixture;

pub use html::Renderer;

use crate::model::state::State;
use crate::model::{Service, Site};
use crate::theme::Theme;

/// Incidents per history page.
pub const HISTORY_PAGE_SIZE: usize = 100;

/// One file of the site, by its path below the output folder (always `/`-separated, relative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// A text file at `path` (relative, `/`-separated), stored as UTF-8.
    pub fn text(path: impl Into<String>, text: String) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.into_bytes(),
        }
    }
}

/// Which language version of the site a renderer writes (format.md, "Several languages"): the
/// main language at the output's root, each other under `LANG/`, every page linking the same
/// page in the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// This version's language.
    pub language: String,
    /// Every language of the site, the main one first, each with its name in itself (the
    /// `language_name` of its UI strings), as the switcher shows it.
    pub languages: Vec<(String, String)>,
    /// The address of the output's root (`base_url`), where the main version lives.
    pub root_url: String,
    /// The site's own address (`Config::canonical_url`), which `hreflang` links name from any
    /// copy, as canonical links do.
    pub canonical_url: String,
}

impl Version {
    pub fn is_main(&self) -> bool {
        self.languages
            .first()
            .is_none_or(|(l, _)| *l == self.language)
    }

    /// Where `language`'s version lives below the output's root: `ko/`, or nothing for the
    /// main language.
    pub fn prefix_of(&self, language: &str) -> String {
        match self.languages.first() {
            Some((main, _)) if main != language => format!("{language}/"),
            _ => String::new(),
        }
    }

    /// This version's folder below the output's root (`prefix_of` its language).
    pub fn prefix(&self) -> String {
        self.prefix_of(&self.language)
    }

    /// `files` moved into this version's folder (`ko/feed.atom`); the main version's stay.
    pub fn place(&self, files: &mut [OutputFile]) {
        let prefix = self.prefix();
        if !prefix.is_empty() {
            for file in files {
                file.path.insert_str(0, &prefix);
            }
        }
    }

    /// Every version's folder, the main one (``) first: what the sitemap and the hosting
    /// rules list.
    pub fn prefixes(&self) -> Vec<String> {
        (self.languages.iter())
            .map(|(l, _)| self.prefix_of(l))
            .collect()
    }
}

/// One unit of rendering work for `Renderer::render`. Cheap to list; rendering one is
/// independent of the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Index,
    /// The incident at this position in `site.incidents`.
    Incident(usize),
    /// The history page with this number, from 1.
    History(usize),
    /// The service at this position in `site.services`.
    Service(usize),
    NotFound,
    /// The theme's static files.
    Static,
}

/// Every page job of a full build of `site`, in output order.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Static, Job::Index, Job::NotFound];
    jobs.extend((1..=history_pages(site.incidents.len())).map(Job::History));
    jobs.extend((0..site.services.len()).map(Job::Service));
    jobs.extend((0..site.incidents.len()).map(Job::Incident));
    jobs
}

/// The number of history pages for `incidents` incidents (one, empty, when there are none).
pub fn history_pages(incidents: usize) -> usize {
    incidents.div_ceil(HISTORY_PAGE_SIZE).max(1)
}

/// The files that summarize the whole site, besides the pages: JSON API, feeds, badges, embed.js,
/// calendar, sitemap and robots.txt, in that order, and the hosting rules. `history_pages` is
/// how many history pages the build makes (the sitemap lists them). Another language's version
/// has its own API, feeds, badges, embed.js and calendar under its folder; the sitemap, robots.txt
/// and the hosting rules are the main version's, for every version.
pub fn summary_files(
    state: &State,
    theme: &Theme,
    history_pages: usize,
    version: &Version,
) -> Vec<OutputFile> {
    let strings = &theme.strings;
    let main = version.is_main();
    // Badges and the calendar are small: they share the feeds' task rather than spawn their own.
    let (mut files, (feeds, sitemap)) = rayon::join(
        || api::api_files(state),
        || {
            rayon::join(
                || {
                    let mut files = feeds::feed_files(state, strings);
                    files.extend(badges::badge_files(state, strings));
                    files.push(calendar::calendar_file(state));
                    files.push(embed::embed_file(state, strings));
                    files
                },
                || {
                    main.then(|| {
                        let history: Vec<_> = (1..=history_pages).map(url::history_page).collect();
                        sitemap::sitemap_files(state, &history, &version.prefixes())
                    })
                },
            )
        },
    );
    files.extend(feeds);
    let Some(sitemap) = sitemap else {
        version.place(&mut files);
        return files;
    };
    files.extend(sitemap);
    files.extend(hosting::hosting_files(
        state,
        theme.static_files.keys().map(String::as_str),
        &version.prefixes(),
    ));
    files
}

/// One group of services as the front page and `components.json` show them.
#[derive(Debug)]
pub struct ServiceGroup<'a> {
    /// `None` for the services without a group.
    pub name: Option<&'a str>,
    /// What makes it one group in every language (`Service::group_key`): its API id's key.
    pub key: Option<&'a str>,
    /// Each with its position in `site.services`, in that order.
    pub members: Vec<(usize, &'a Service)>,
}

/// Services by group, the one grouping every output shows: groups keep the order their first
/// service has in status.yaml, and the ungrouped services form one run where the first of
/// them appears.
pub fn service_groups(site: &Site) -> Vec<ServiceGroup<'_>> {
    let mut groups: Vec<ServiceGroup> = Vec::new();
    for (k, s) in site.services.iter().enumerate() {
        let key = s.group_key.as_deref();
        match groups.iter_mut().find(|g| g.key == key) {
            Some(g) => g.members.push((k, s)),
            None => groups.push(ServiceGroup {
                name: s.group.as_deref(),
                key,
                members: vec![(k, s)],
            }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::fixture::sample_site;
    use super::service_groups;

    #[test]
    fn groups_keep_first_seen_order_and_ungrouped_services_run_together() {
        let mut site = sample_site();
        // talk (Messaging), pay (none), mail (Messaging), plus a second ungrouped one.
        let mut extra = site.services[1].clone();
        extra.id = "web".to_owned();
        site.services.push(extra);
        let shown: Vec<(Option<&str>, Vec<usize>)> = service_groups(&site)
            .into_iter()
            .map(|g| (g.name, g.members.iter().map(|(k, _)| *k).collect()))
            .collect();
        assert_eq!(shown, [(Some("Messaging"), vec![0, 2]), (None, vec![1, 3])]);
    }
}
