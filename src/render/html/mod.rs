//! The HTML pages: the `Renderer` (computed once per build) turns a `Job` into pages through
//! the theme's Tera templates; `view` and `incident` hold the plain views templates receive,
//! `pagination` the history pages' links.
//!
//! Text reaches a page only through Tera's autoescape or as `SafeHtml` (sanitized Markdown, in
//! the `*_html` fields). Never touches the disk (the caller loads the theme) nor reads the clock
//! (the instant is the state's), and never derives a status: every one comes from `State`.

mod incident;
mod pagination;
mod placement;
mod timeline;
pub mod view;

use super::{HISTORY_PAGE_SIZE, Job, OutputFile, Version, url};
use crate::error::RenderError;
use crate::model::state::{RECENT_DAYS, State};
use crate::model::{Incident, Site, Time};
use crate::model::{headline, localize};
use crate::theme::Theme;
use pagination::page_window;
use serde::Serialize;
use view::{Ctx, GroupView, IncidentSummary};

/// Incidents listed on a service page (the rest are in history).
pub const SERVICE_PAGE_INCIDENTS: usize = 50;
/// At most this many of them, so the front page stays small however busy the fortnight was.
pub const RECENT_LIMIT: usize = 10;

/// Everything rendering needs, computed once per build.
pub struct Renderer<'a> {
    /// The site at the build time: every status shown comes from here.
    pub state: &'a State,
    /// `state.site`: what had been published by the build time.
    pub site: &'a Site,
    pub theme: &'a Theme,
    /// `state.at`, the build time.
    pub now: Time,
    /// The `site` value every page sees. When it changes between two rebuilds (the overall
    /// status, a setting), every page may change: `Session` then renders them all.
    pub global: String,
    /// Per service, by its position in `site.services`: the incidents that hit it, newest first.
    touching: Vec<Vec<&'a Incident>>,
    /// The language version written, and where the others are.
    pub version: Version,
    /// The theme's `asset` names as this version's pages link them: another language's
    /// version is a folder down from the shared `static/`.
    assets: std::collections::BTreeMap<String, String>,
}

/// A link of status.yaml's `links`, as the header shows it.
#[derive(Serialize)]
struct LinkView<'a> {
    title: &'a str,
    title_lang: Option<String>,
    url: &'a str,
}

/// The same page in one language of the site, for the switcher and `hreflang`.
#[derive(Serialize)]
struct LanguageLink {
    code: String,
    /// In the language itself ("한국어").
    name: String,
    /// Relative, like every link between pages.
    url: String,
    /// Absolute, for `<link rel="alternate" hreflang>`.
    absolute: String,
    current: bool,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    /// The main language, when the title is shown in it on another language's page.
    title_lang: Option<String>,
    description: Option<&'a str>,
    description_lang: Option<String>,
    base_url: &'a str,
    language: &'a str,
    timezone: &'a str,
    stale_after_minutes: u32,
    links: Vec<LinkView<'a>>,
    /// Statuspage's indicator: `none`, `maintenance`, `minor`, `major`, `critical`.
    indicator: &'static str,
    /// The headline's colour in the indicator's words: from what is down now (`Headline`).
    banner: &'static str,
    banner_text: String,
}

impl<'a> Renderer<'a> {
    /// The renderer of `version` of the site from `state` (in that version's language,
    /// `model::localize`), with `theme`'s strings in that language.
    pub fn new(
        state: &'a State,
        theme: &'a mut Theme,
        version: Version,
    ) -> Result<Renderer<'a>, RenderError> {
        let (site, now) = (&state.site, state.at);
        let touching = (state.touching.iter())
            .map(|ks| {
                ks.iter()
                    .filter_map(|&n| site.incidents.get(n))
                    .map(|i| i.as_ref())
                    .collect()
            })
            .collect();
        let indicator = state.indicator.as_str();
        let (banner, banner_key) = headline::banner(&state.services, state.indicator);
        let config = &site.config;
        let fallback = |path: &str| localize::fallback(config, &config.translations, path);
        let site_view = SiteView {
            title: &site.config.title,
            title_lang: fallback("title"),
            description: site.config.description.as_deref(),
            description_lang: fallback("description"),
            base_url: &site.config.base_url,
            language: &site.config.language,
            timezone: site.config.timezone.name(),
            stale_after_minutes: site.config.stale_after_minutes,
            links: (site.config.links.iter().enumerate())
                .map(|(k, l)| LinkView {
                    title: &l.title,
                    title_lang: fallback(&format!("links[{k}].title")),
                    url: &l.url,
                })
                .collect(),
            indicator,
            banner: banner.as_str(),
            banner_text: theme.strings.get(&banner_key).to_owned(),
        };
        let global = theme.tera.global_context();
        global.insert("site", &site_view);
        let global_text = serde_json::to_string(&site_view).unwrap_or_default();
        global.insert("t", theme.strings.as_map());
        let theme: &'a Theme = theme;
        let up = if version.is_main() { "" } else { "../" };
        let assets = (theme.assets.iter())
            .map(|(name, hashed)| (name.clone(), format!("{up}{hashed}")))
            .collect();
        Ok(Renderer {
            state,
            site,
            theme,
            now,
            global: global_text,
            touching,
            version,
            assets,
        })
    }

    /// The incidents that hit the service at `k`, newest first.
    fn touching(&self, k: usize) -> &[&'a Incident] {
        self.touching.get(k).map_or(&[][..], Vec::as_slice)
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            state: self.state,
            site: self.site,
            strings: &self.theme.strings,
            tz: self.site.config.timezone,
            now: self.now,
        }
    }

    /// Every job of a full build, in output order (`render::jobs`).
    pub fn jobs(&self) -> Vec<Job> {
        super::jobs(self.site)
    }

    /// How many history pages the site has (`render::history_pages`).
    pub fn history_pages(&self) -> usize {
        super::history_pages(self.site.incidents.len())
    }

    /// The files of `job`, by their paths below the output's root (under this version's
    /// folder).
    pub fn render(&self, job: Job) -> Result<Vec<OutputFile>, RenderError> {
        let mut files = self.render_in_version(job)?;
        self.version.place(&mut files);
        Ok(files)
    }

    fn render_in_version(&self, job: Job) -> Result<Vec<OutputFile>, RenderError> {
        match job {
            // Every version links the main one's: one copy, cached once.
            Job::Static if !self.version.is_main() => Ok(Vec::new()),
            Job::Static => Ok(self
                .theme
                .static_files
                .iter()
                .map(|(path, bytes)| OutputFile {
                    path: path.clone(),
                    bytes: bytes.clone(),
                })
                .collect()),
            Job::Index => self.page("index.html", "index.html", "", self.index_context()),
            Job::NotFound => {
                // A host serves 404.html at any depth: its links start at base_url's path, and
                // its way home is base_url itself, right at any depth, on any host, from disk.
                let root = url::base_path(&self.site.config.base_url);
                let mut context = tera::Context::new();
                context.insert("home", &self.site.config.base_url);
                self.page("404.html", "404.html", &root, context)
            }
            Job::History(n) => {
                let path = url::history_page(n);
                self.page(
                    &path,
                    "history.html",
                    &url::root_prefix(&path),
                    self.history_context(n),
                )
            }
            Job::Service(i) => {
                let service = &self.site.services[i];
                let path = url::service_page(&service.id);
                self.page(
                    &path,
                    "service.html",
                    &url::root_prefix(&path),
                    self.service_context(i),
                )
            }
            Job::Incident(i) => {
                let incident = &self.site.incidents[i];
                let path = url::incident_page(&incident.slug);
                let mut context = tera::Context::new();
                let page = self.ctx().incident_page(incident);
                context.insert("updated", &page.updated);
                context.insert("incident", &page);
                let mut files =
                    self.page(&path, "incident.html", &url::root_prefix(&path), context)?;
                // Written for every incident, chart or not, so the page's folder holds the same
                // files whatever an edit did to its chart (`watch` rewrites a page in place).
                let folder = path.strip_suffix("index.html").unwrap_or(&path);
                files.push(OutputFile::text(
                    format!("{folder}{}", placement::CHART_CSS),
                    placement::stylesheet(page.chart.as_ref()),
                ));
                Ok(files)
            }
        }
    }

    fn page(
        &self,
        path: &str,
        template: &str,
        root: &str,
        mut context: tera::Context,
    ) -> Result<Vec<OutputFile>, RenderError> {
        context.insert("root", root);
        context.insert("asset", &self.assets);
        context.insert("languages", &self.language_links(path, root));
        if !context.contains_key("updated") {
            context.insert("updated", &None::<view::TimeView>);
        }
        context.insert(
            "canonical",
            &url::absolute(&self.site.config.base_url, path),
        );
        let html = self.theme.render(template, &context)?;
        Ok(vec![OutputFile {
            path: path.to_owned(),
            bytes: html.into_bytes(),
        }])
    }

    /// The page at `path` (below this version's folder; `root` leads there) in every language
    /// of the site; none on a site of one. 404.html, served at any depth, leads to each
    /// version's front page.
    fn language_links(&self, path: &str, root: &str) -> Vec<LanguageLink> {
        let version = &self.version;
        if version.languages.len() < 2 {
            return Vec::new();
        }
        let up = if version.is_main() { "" } else { "../" };
        (version.languages.iter())
            .map(|(code, name)| {
                let prefix = version.prefix_of(code);
                let home = format!("{}{prefix}", version.root_url);
                let (url, absolute) = if path == "404.html" {
                    let at = url::base_path(&version.root_url);
                    (format!("{at}{prefix}"), home)
                } else {
                    (
                        format!("{root}{up}{prefix}{path}"),
                        url::absolute(&home, path),
                    )
                };
                LanguageLink {
                    code: code.clone(),
                    name: name.clone(),
                    url,
                    absolute,
                    current: *code == version.language,
                }
            })
            .collect()
    }

    /// The services by group (`render::service_groups`), each with an uptime bar of `days`.
    fn groups(&self, days: u32) -> Vec<GroupView> {
        let ctx = self.ctx();
        (super::service_groups(self.site).into_iter())
            .map(|g| GroupView {
                name: g.name.map(str::to_owned),
                name_lang: (g.name.zip(g.members.first()))
                    .and_then(|(_, (_, s))| ctx.service_lang(&s.id, "group")),
                services: (g.members.into_iter())
                    .map(|(k, s)| ctx.service(k, s, days, self.touching(k)))
                    .collect(),
            })
            .collect()
    }

    fn index_context(&self) -> tera::Context {
        let ctx = self.ctx();
        let summaries = |list: &[usize], limit: usize| -> Vec<IncidentSummary> {
            (list.iter().take(limit))
                .filter_map(|&n| self.site.incidents.get(n))
                .map(|i| ctx.summary(i))
                .collect()
        };
        let state = self.state;
        // A recent major incident is listed once, at the top (issue 10).
        let rest: Vec<usize> = (state.recent.iter().copied())
            .filter(|n| !state.recent_major.contains(n))
            .collect();
        let recent = summaries(&rest, RECENT_LIMIT);
        let recent_total = rest.len();
        let mut context = tera::Context::new();
        context.insert("updated", &ctx.time(state.updated_at));
        context.insert("active", &summaries(&state.unresolved, usize::MAX));
        context.insert("maintenance", &summaries(&state.open_windows, usize::MAX));
        context.insert("groups", &self.groups(self.site.config.uptime_days));
        context.insert("recent_major", &summaries(&state.recent_major, usize::MAX));
        context.insert("weights", &self.weights());
        context.insert("recent", &recent);
        context.insert("recent_days", &RECENT_DAYS);
        context.insert("recent_total", &recent_total);
        context
    }

    fn history_context(&self, n: usize) -> tera::Context {
        let ctx = self.ctx();
        let tz = self.site.config.timezone;
        let slice = self
            .site
            .incidents
            .iter()
            .skip((n - 1) * HISTORY_PAGE_SIZE)
            .take(HISTORY_PAGE_SIZE);
        #[derive(Serialize)]
        struct Month {
            label: String,
            incidents: Vec<IncidentSummary>,
        }
        let mut months: Vec<(String, Month)> = Vec::new();
        for i in slice {
            let local = i.start.with_timezone(&tz);
            let key = local.format("%Y-%m").to_string();
            let summary = ctx.summary(i);
            match months.last_mut() {
                Some((k, m)) if *k == key => m.incidents.push(summary),
                _ => {
                    use chrono::Datelike;
                    let label = self.theme.strings.month(local.year(), local.month0());
                    months.push((
                        key,
                        Month {
                            label,
                            incidents: vec![summary],
                        },
                    ));
                }
            }
        }
        let root = url::root_prefix(&url::history_page(n));
        let total = self.history_pages();
        let link = |k: usize| format!("{root}{}", url::history_page(k));
        let pages: Vec<serde_json::Value> = page_window(n, total)
            .into_iter()
            .map(|k| match k {
                Some(k) => serde_json::json!({ "number": k, "url": link(k), "current": k == n }),
                None => serde_json::json!({ "gap": true }),
            })
            .collect();
        let mut context = tera::Context::new();
        context.insert(
            "months",
            &months.into_iter().map(|(_, m)| m).collect::<Vec<_>>(),
        );
        context.insert(
            "pagination",
            &serde_json::json!({
                "current": n,
                "total": total,
                "prev": (n > 1).then(|| link(n - 1)),
                "next": (n < total).then(|| link(n + 1)),
                "pages": pages,
            }),
        );
        context
    }

    /// The uptime weights as whole percentages, for the sentence that explains the uptime.
    fn weights(&self) -> serde_json::Value {
        let w = &self.site.config.weights;
        let pct = |x: f64| format!("{}", (x * 100.0).round());
        serde_json::json!({
            "major_outage": pct(w.major_outage),
            "partial_outage": pct(w.partial_outage),
            "degraded_performance": pct(w.degraded_performance),
        })
    }

    fn service_context(&self, index: usize) -> tera::Context {
        let ctx = self.ctx();
        let s = &self.site.services[index];
        let touching = self.touching(index);
        let view = ctx.service(index, s, 365, touching);
        let uptimes: Vec<serde_json::Value> = [30, 90, 365]
            .iter()
            .map(|&d| {
                let percent = self
                    .state
                    .uptime(index, d)
                    .map(|f| self.theme.strings.percent(f));
                serde_json::json!({ "days": d, "percent": percent })
            })
            .collect();
        let incidents: Vec<IncidentSummary> = touching
            .iter()
            .take(SERVICE_PAGE_INCIDENTS)
            .map(|i| ctx.summary(i))
            .collect();
        let mut context = tera::Context::new();
        context.insert("service", &view);
        context.insert("uptimes", &uptimes);
        context.insert("weights", &self.weights());
        context.insert("incidents", &incidents);
        context.insert("incidents_total", &touching.len());
        context
    }
}
