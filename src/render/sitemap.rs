//! `sitemap.xml` (an index of `sitemap-N.xml` files past the protocol's 50,000 URLs) and
//! `robots.txt`: every public page by its absolute URL, incidents with their last change.
//!
//! `base_url` is escaped by `xml::escape`; the other parts of a URL are our own paths, slugs and
//! service ids (`[a-z0-9-/.]`). Never touches the disk or the clock.

use super::OutputFile;
use super::xml;
use crate::model::state::State;
use crate::model::state::last_posted;
use crate::render::url;

/// The sitemaps protocol's limit per file; past it, `sitemap.xml` becomes an index.
const SITEMAP_URLS: usize = 50_000;

/// `sitemap.xml` (an index of `sitemap-N.xml` past 50,000 URLs) and `robots.txt`, last.
/// `history_paths` are the output paths of the history pages; every URL is absolute, from
/// `base_url`, once in each language's folder (`versions`: `""` for the main one, `ko/`).
pub fn sitemap_files(
    state: &State,
    history_paths: &[String],
    versions: &[String],
) -> Vec<OutputFile> {
    use chrono::Datelike;
    use std::fmt::Write;
    let (site, now) = (&state.site, state.at);
    let base = &site.config.base_url;
    let tz = site.config.timezone;
    // Paths (below base_url) and last changes. Slugs, service ids and our own paths are
    // `[a-z0-9-/.]`: only base_url needs escaping, once.
    let page = |path: &str| path.strip_suffix("index.html").unwrap_or(path).to_owned();
    let mut urls: Vec<(String, Option<chrono::NaiveDate>)> = vec![(page("index.html"), None)];
    urls.extend(history_paths.iter().map(|p| (page(p), None)));
    urls.extend((site.services.iter()).map(|s| (page(&url::service_page(&s.id)), None)));
    urls.extend(site.incidents.iter().map(|i| {
        let lastmod = last_posted(i, now).with_timezone(&tz).date_naive();
        (page(&url::incident_page(&i.slug)), Some(lastmod))
    }));
    if let [_, others @ ..] = versions {
        let main = urls.len();
        for prefix in others {
            let again = (urls[..main].iter()).map(|(p, d)| (format!("{prefix}{p}"), *d));
            urls.extend(again.collect::<Vec<_>>());
        }
    }
    let base_xml = xml::escape(base);
    let urlset = |chunk: &[(String, Option<chrono::NaiveDate>)]| {
        let mut out = String::with_capacity(chunk.len() * (base_xml.len() + 80));
        out.push_str(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (path, lastmod) in chunk {
            let _ = write!(out, "<url><loc>{base_xml}{path}</loc>");
            if let Some(d) = lastmod {
                let (y, m, d) = (d.year(), d.month(), d.day());
                let _ = write!(out, "<lastmod>{y:04}-{m:02}-{d:02}</lastmod>");
            }
            out.push_str("</url>\n");
        }
        out.push_str("</urlset>\n");
        out
    };
    let chunks: Vec<_> = urls.chunks(SITEMAP_URLS).collect();
    let mut files = Vec::with_capacity(chunks.len() + 2);
    if let [one] = chunks.as_slice() {
        files.push(OutputFile::text("sitemap.xml", urlset(one)));
    } else {
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (k, chunk) in chunks.iter().enumerate() {
            let path = format!("sitemap-{}.xml", k + 1);
            index.push_str(&format!(
                "<sitemap><loc>{}</loc></sitemap>\n",
                xml::escape(&url::absolute(base, &path))
            ));
            files.push(OutputFile::text(path, urlset(chunk)));
        }
        index.push_str("</sitemapindex>\n");
        files.push(OutputFile::text("sitemap.xml", index));
    }
    let robots = format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n");
    files.push(OutputFile::text("robots.txt", robots));
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixture::{NOW, sample_site, t, text};

    #[test]
    fn sitemap_lists_every_page_with_absolute_urls() {
        let site = sample_site();
        let files = sitemap_files(
            &State::at(&site, t(NOW)),
            &["history/index.html".to_owned()],
            &[String::new()],
        );
        let map = text(&files, "sitemap.xml");
        let locs: Vec<&str> = map
            .split("<loc>")
            .skip(1)
            .filter_map(|s| s.split("</loc>").next())
            .collect();
        assert_eq!(locs.len(), 1 + 1 + 3 + 4);
        assert_eq!(
            locs[..3],
            [
                "https://status.example.com/",
                "https://status.example.com/history/",
                "https://status.example.com/services/talk/"
            ]
        );
        assert!(map.contains(
            "<loc>https://status.example.com/incidents/fire/</loc><lastmod>2022-10-16</lastmod>"
        ));
        let robots = text(&files, "robots.txt");
        assert_eq!(
            robots,
            "User-agent: *\nAllow: /\nSitemap: https://status.example.com/sitemap.xml\n"
        );
        assert!(files.iter().all(|f| !f.path.starts_with('/')));
    }

    #[test]
    fn every_language_version_of_every_page_is_listed() {
        let site = sample_site();
        let versions = [String::new(), "ko/".to_owned(), "id/".to_owned()];
        let state = State::at(&site, t(NOW));
        let files = sitemap_files(&state, &["history/index.html".to_owned()], &versions);
        let map = text(&files, "sitemap.xml");
        assert_eq!(map.matches("<loc>").count(), 3 * (1 + 1 + 3 + 4));
        for page in ["", "history/", "services/talk/"] {
            for v in &versions {
                let loc = format!("<loc>https://status.example.com/{v}{page}</loc>");
                assert_eq!(map.matches(&loc).count(), 1, "{loc}");
            }
        }
        assert!(map.contains(
            "<loc>https://status.example.com/ko/incidents/fire/</loc><lastmod>2022-10-16</lastmod>"
        ));
    }
}
