//! How a host should serve each output file: its content type and `Cache-Control`, one policy
//! that `candor deploy` sets on object storage and the build writes as `_headers` and
//! `_redirects` for hosts that read them (Netlify, Cloudflare Pages).
//!
//! Never touches the disk, and never decides per site: the rules follow from the output's
//! paths, which are the same for every site.

use super::OutputFile;
use crate::model::ids;
use crate::model::state::State;
use std::fmt::Write;

/// What changes with every update: pages, the API, feeds, badges, the calendar. A minute
/// bounds how stale a reader's copy can be during an incident, and still spares the origin.
pub const SHORT: &str = "public, max-age=60";
/// The theme's `static/` files under their plain names (pages link to the hashed ones, but
/// other sites and custom themes may link here): a theme change reaches them within the hour.
pub const STATIC: &str = "public, max-age=3600";
/// A file whose name carries a content hash (`style.3f9a1c2e.css`, `theme::assets`): its bytes
/// never change under that name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The media type of an output file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "rss" => "application/rss+xml; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        _ if path.ends_with("_headers") || path.ends_with("_redirects") => {
            "text/plain; charset=utf-8"
        }
        _ => "application/octet-stream",
    }
}

/// The `Cache-Control` of an output file.
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if has_content_hash(name) {
        IMMUTABLE
    } else if path.starts_with("static/") {
        STATIC
    } else {
        SHORT
    }
}

/// A name like `app.3f9a1c2e.js`: a part between dots of at least 8 hex digits.
fn has_content_hash(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|p| p.len() >= 8 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `_headers` and `_redirects`. Paths are from the root of the host the folder is published
/// at, as those hosts read them.
/// `static_files` are the theme's output paths (`static/…`), each given its own rule;
/// `versions` the folders of the site's languages (`""` for the main one, `ko/`), whose API,
/// feeds, calendar and badges each get the rules.
pub fn hosting_files<'a>(
    state: &State,
    static_files: impl IntoIterator<Item = &'a str>,
    versions: &[String],
) -> Vec<OutputFile> {
    vec![
        OutputFile::text("_headers", headers(static_files, versions)),
        OutputFile::text("_redirects", redirects(state)),
    ]
}

/// Netlify and Cloudflare Pages join the values of one header from every rule that matches
/// a path, so no two rules here that can match one path set the same header: pages keep the
/// hosts' default (revalidate on every view), which is already short; each static file has
/// a rule of its own, as a hashed name is cached for a year and a plain one for an hour.
/// Paths below a version's folder, and the headers they get besides `Cache-Control`.
type Rule<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);

fn headers<'a>(static_files: impl IntoIterator<Item = &'a str>, versions: &[String]) -> String {
    let (atom, rss) = (content_type("feed.atom"), content_type("feed.rss"));
    let ics = content_type("maintenance.ics");
    // The site's feeds under both names, and each service's (render::feeds).
    let rules: [Rule; 5] = [
        (&["api/*"], &[("Access-Control-Allow-Origin", "*")]),
        (
            &["feed.atom", "history.atom", "services/:id/feed.atom"],
            &[("Content-Type", atom)],
        ),
        (
            &["feed.rss", "history.rss", "services/:id/feed.rss"],
            &[("Content-Type", rss)],
        ),
        (&["maintenance.ics"], &[("Content-Type", ics)]),
        (&["badge.svg", "services/:id/badge.svg"], &[]),
    ];
    let mut out = String::from(
        "# Written by candor for Netlify and Cloudflare Pages (docs/deploy.md).\n\
         # Pages keep the host's default caching: revalidated on every view.\n",
    );
    for version in versions {
        for (paths, extra) in rules {
            for path in paths {
                let _ = writeln!(out, "/{version}{path}");
                for (name, value) in extra {
                    let _ = writeln!(out, "  {name}: {value}");
                }
                let _ = writeln!(out, "  Cache-Control: {SHORT}");
            }
        }
    }
    for path in static_files {
        out.push_str(&format!(
            "/{path}\n  Cache-Control: {}\n",
            cache_control(path)
        ));
    }
    out
}

/// Statuspage's address of each incident published by the build time, `/incidents/ID`, to its
/// page here, so links and shortlinks to a page that moved from Statuspage (incidents imported
/// with their `id:`) keep working. Ids and slugs are `[a-z0-9-]`: nothing to escape.
fn redirects(state: &State) -> String {
    let page = ids::page_id(&state.site.config);
    let mut out =
        "# Written by candor for Netlify and Cloudflare Pages (docs/deploy.md).\n".to_owned();
    for i in &state.site.incidents {
        let id = ids::incident_id(&page, i);
        if id != i.slug {
            let _ = writeln!(out, "/incidents/{id} /incidents/{}/ 301", i.slug);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixture::{NOW, sample_site, t};

    #[test]
    fn statuspage_addresses_of_published_incidents_lead_to_their_pages() {
        let mut site = sample_site();
        let last = site.incidents.len() - 1;
        std::sync::Arc::make_mut(&mut site.incidents[last]).id = Some("69sb0f8lydp4".to_owned());
        let state = State::at(&site, t(NOW));
        let out = redirects(&state);
        let imported = &site.incidents[last];
        assert!(
            out.contains(&format!(
                "/incidents/69sb0f8lydp4 /incidents/{}/ 301\n",
                imported.slug
            )),
            "{out}"
        );
        let page = ids::page_id(&state.site.config);
        for i in &state.site.incidents {
            let line = format!(
                "/incidents/{} /incidents/{}/ 301",
                ids::incident_id(&page, i),
                i.slug
            );
            assert!(out.contains(&line), "{line}");
        }
        assert_eq!(
            out.lines().filter(|l| l.starts_with('/')).count(),
            state.site.incidents.len()
        );
        // Before the newest incident started, its address is not listed.
        let newest = site
            .incidents
            .iter()
            .filter(|i| i.kind == crate::model::Kind::Incident)
            .max_by_key(|i| i.start)
            .expect("an incident");
        let before = State::at(&site, newest.start - chrono::Duration::seconds(1));
        assert!(!redirects(&before).contains(&format!("/incidents/{}/", newest.slug)));
    }

    #[test]
    fn what_changes_is_cached_briefly_and_hashed_names_for_a_year() {
        for path in [
            "index.html",
            "incidents/a/index.html",
            "incidents/a/chart.css",
            "api/v2/summary.json",
            "feed.atom",
            "badge.svg",
            "services/web/badge.svg",
            "maintenance.ics",
        ] {
            assert_eq!(cache_control(path), SHORT, "{path}");
        }
        assert_eq!(cache_control("static/style.css"), STATIC);
        assert_eq!(cache_control("static/app.3f9a1c2e.js"), IMMUTABLE);
        assert_eq!(cache_control("static/v1.2.3.js"), STATIC);
    }

    #[test]
    fn feeds_and_the_api_get_their_types_and_cors() {
        assert_eq!(
            content_type("feed.atom"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("feed.rss"),
            "application/rss+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("maintenance.ics"),
            "text/calendar; charset=utf-8"
        );
    }

    /// Hosts join a header's values across every rule matching a path: no header may be set
    /// twice for any path the build writes.
    #[test]
    fn no_path_gets_a_header_twice() {
        let versions = [String::new(), "ko/".to_owned()];
        let text = headers(["static/style.css", "static/style.0123abcd.css"], &versions);
        let mut rules: Vec<(&str, Vec<&str>)> = Vec::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            if line.starts_with('/') {
                rules.push((line, Vec::new()));
            } else if let Some((_, names)) = rules.last_mut() {
                names.push(line.trim().split(':').next().unwrap_or(""));
            }
        }
        for path in [
            "/",
            "/index.html",
            "/api/v2/summary.json",
            "/feed.atom",
            "/feed.rss",
            "/history.atom",
            "/services/web/feed.rss",
            "/maintenance.ics",
            "/badge.svg",
            "/services/web/badge.svg",
            "/services/web/",
            "/static/style.css",
            "/static/style.0123abcd.css",
            "/incidents/a/chart.css",
            "/ko/api/v2/summary.json",
            "/ko/feed.atom",
            "/ko/services/web/badge.svg",
            "/ko/incidents/a/",
        ] {
            let mut seen: Vec<&str> = Vec::new();
            for (pattern, names) in rules.iter().filter(|(p, _)| matches(p, path)) {
                for name in names {
                    assert!(!seen.contains(name), "{name} twice for {path} ({pattern})");
                    seen.push(name);
                }
            }
        }
        assert!(text.contains("\n/api/*\n  Access-Control-Allow-Origin: *\n"));
        assert!(text.contains("\n/ko/api/*\n  Access-Control-Allow-Origin: *\n"));
        assert!(text.contains("\n/ko/feed.atom\n  Content-Type: application/atom+xml"));
    }

    /// The hosts' matching: `*` takes the rest, `:name` one segment.
    fn matches(pattern: &str, path: &str) -> bool {
        if let Some(prefix) = pattern.strip_suffix('*') {
            return path.starts_with(prefix);
        }
        let (p, q): (Vec<&str>, Vec<&str>) =
            (pattern.split('/').collect(), path.split('/').collect());
        p.len() == q.len() && p.iter().zip(&q).all(|(a, b)| a.starts_with(':') || a == b)
    }
}
