//! The sample deployed to a folder that nginx serves under a subpath (`/status/`, with the
//! `location` block of docs/deploy.md's recipe as written), crawled as a
//! reader's browser fetches it: every page, asset, feed and API file a page or the sitemap links to
//! answers 200 inside the subpath, no page asks for anything outside the site, and a missing page
//! at any depth gets the 404 page, styled and with links that work from there.

use super::{deploy, servers, site_with};
use crate::support;
use std::collections::{BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use url::Url;

const PREFIX: &str = "/status/";
/// During the outage: restorations still open, so every kind of page and chart is there.
const DURING: &str = "2022-10-16T12:00:00+09:00";

/// One answer of the server.
struct Answer {
    status: u16,
    content_type: String,
    /// The status line and headers, lowercased.
    head: String,
    body: String,
}

fn get(url: &Url) -> Answer {
    let port = url.port().expect("port");
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let request = format!(
        "GET {} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n",
        &url[url::Position::BeforePath..url::Position::AfterQuery]
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = (head.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let content_type = (head.lines())
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type:")
                .map(|v| v.trim().to_owned())
        })
        .unwrap_or_default();
    Answer {
        status,
        content_type,
        head: head.to_ascii_lowercase(),
        body: body.to_owned(),
    }
}

/// A reference found in a file: the value as written, and whether a browser fetches it on its
/// own (a stylesheet, script, image, CSS `url()`) or only when the reader follows it (`<a>`).
struct Reference {
    value: String,
    fetched: bool,
}

/// The `href`/`src` values of HTML tags, `url()` of CSS, `<loc>` of the sitemap.
fn references(answer: &Answer) -> Vec<Reference> {
    let mut out = Vec::new();
    if answer.content_type.starts_with("text/html") {
        for tag in answer.body.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or_default();
            let name: String = tag
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            for attribute in [" href=\"", " src=\""] {
                if let Some(value) = quoted_after(tag, attribute) {
                    let fetched = name != "a"
                        && !tag.contains("rel=\"alternate\"")
                        && !tag.contains("rel=\"canonical\"");
                    out.push(Reference { value, fetched });
                }
            }
        }
    } else if answer.content_type.starts_with("text/css") {
        for part in answer.body.split("url(").skip(1) {
            let value = part.split(')').next().unwrap_or_default();
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            out.push(Reference {
                value: value.to_owned(),
                fetched: true,
            });
        }
    } else if answer.body.contains("<urlset") {
        for part in answer.body.split("<loc>").skip(1) {
            let value = part.split("</loc>").next().unwrap_or_default();
            out.push(Reference {
                value: value.replace("&amp;", "&"),
                fetched: false,
            });
        }
    }
    out
}

fn quoted_after(tag: &str, attribute: &str) -> Option<String> {
    let start = tag.find(attribute)? + attribute.len();
    let value = tag[start..].split('"').next()?;
    Some(value.replace("&amp;", "&"))
}

/// What the crawl found wrong, one line each.
#[derive(Default)]
struct Crawl {
    visited: BTreeSet<String>,
    broken: Vec<String>,
    outside: Vec<String>,
}

/// Follows every reference inside the site from `start`, breadth first.
fn crawl(start: &Url) -> Crawl {
    let site = start.clone();
    let mut result = Crawl::default();
    let mut queue = VecDeque::from([(start.clone(), String::from("(start)"))]);
    while let Some((url, from)) = queue.pop_front() {
        if !result.visited.insert(url.to_string()) {
            continue;
        }
        let answer = get(&url);
        if answer.status != 200 {
            result
                .broken
                .push(format!("{from} → {url}: {}", answer.status));
            continue;
        }
        for reference in references(&answer) {
            if reference.value.starts_with('#') || reference.value.starts_with("mailto:") {
                continue;
            }
            let Ok(mut target) = url.join(&reference.value) else {
                result
                    .broken
                    .push(format!("{url} → {}: not a URL", reference.value));
                continue;
            };
            target.set_fragment(None);
            if target.origin() != site.origin() {
                if reference.fetched {
                    result.outside.push(format!("{url} → {target}"));
                }
                continue;
            }
            if !target.path().starts_with(PREFIX) {
                result
                    .broken
                    .push(format!("{url} → {target}: outside {PREFIX}"));
                continue;
            }
            queue.push_back((target, url.to_string()));
        }
    }
    result
}

/// The ```nginx block of docs/deploy.md, its `root` moved to `parent`.
fn documented_locations(parent: &Path) -> String {
    let block = support::doc_block("docs/deploy.md", "### A plain server", "nginx");
    assert!(block.contains("root /var/www;"), "{block}");
    block.replace("root /var/www;", &format!("root {};", parent.display()))
}

/// nginx on `port` serving the site's `www/` as docs/deploy.md's recipe does.
fn served(
    nginx: &Path,
    logs: &Path,
    site: tempfile::TempDir,
    port: u16,
    base: &str,
) -> (tempfile::TempDir, servers::Server, Url) {
    let locations = documented_locations(&site.path().join("www"));
    let server = servers::nginx(nginx, logs, &locations, port);
    (site, server, Url::parse(base).expect("base URL"))
}

fn nginx_serving_the_deployed_sample(
    nginx: &Path,
    logs: &Path,
) -> (tempfile::TempDir, servers::Server, Url) {
    let site = site_with("  - name: web\n    folder: www/status\n");
    let port = servers::free_port();
    let base = format!("http://127.0.0.1:{port}{PREFIX}");
    support::candor(&[
        "build",
        "--root",
        &site.path().to_string_lossy(),
        "--now",
        DURING,
        "--base-url",
        &base,
    ])
    .exits(0);
    deploy(site.path(), &[], &[]).exits(0);
    served(nginx, logs, site, port, &base)
}

#[test]
fn under_a_subpath_every_link_works_and_nothing_is_fetched_from_outside() {
    let Some(nginx) = servers::present(Path::new("/usr/sbin/nginx"), "nginx") else {
        return;
    };
    let logs = tempfile::tempdir().expect("tempdir");
    let (site, _server, base) = nginx_serving_the_deployed_sample(&nginx, logs.path());

    let mut found = crawl(&base);
    found
        .visited
        .extend(crawl(&base.join("sitemap.xml").expect("url")).visited);
    assert!(
        found.broken.is_empty(),
        "broken links:\n{}",
        found.broken.join("\n")
    );
    assert!(
        found.outside.is_empty(),
        "fetched from outside the site:\n{}",
        found.outside.join("\n")
    );
    // Every page of the site is reached from the front page or the sitemap: none is an orphan.
    let reached: BTreeSet<String> = (found.visited.iter())
        .map(|url| url.trim_end_matches("index.html").to_owned())
        .collect();
    for page in support::files(&site.path().join("www/status")) {
        // Each language version's 404 page is served by the host, never linked.
        if page.ends_with(".html") && page.rsplit('/').next() != Some("404.html") {
            let url = base.join(page.trim_end_matches("index.html")).expect("url");
            assert!(
                reached.contains(url.as_str()),
                "{url} is linked from no page"
            );
        }
    }
    for page in [
        "incidents/2022-10-15-pangyo-data-center-fire/",
        "history/",
        "services/kakaotalk/",
        "api/v2/summary.json",
        "feed.atom",
        "ko/incidents/2022-10-15-pangyo-data-center-fire/",
        "id/api/v2/summary.json",
    ] {
        let url = base.join(page).expect("url").to_string();
        assert!(
            found.visited.contains(&url),
            "{url} was reached by the crawl"
        );
    }
}

#[test]
fn a_missing_page_at_any_depth_gets_the_styled_404_page_with_working_links() {
    let Some(nginx) = servers::present(Path::new("/usr/sbin/nginx"), "nginx") else {
        return;
    };
    let logs = tempfile::tempdir().expect("tempdir");
    let (_site, _server, base) = nginx_serving_the_deployed_sample(&nginx, logs.path());
    not_found_pages_work(&base);
}

/// A missing page at any depth answers 404 with the 404 page: styled by its own `<style>`,
/// fetching nothing, and every link of it a page of the site under `base`'s path.
fn not_found_pages_work(base: &Url) {
    for missing in [
        "nothing-here",
        "incidents/no-such-incident/",
        "a/b/c/d/e.html",
        "incidents/",
        ".candor-deploy",
    ] {
        let url = base.join(missing).expect("url");
        let answer = get(&url);
        assert_eq!(answer.status, 404, "{url}");
        assert!(
            answer.body.contains("<style"),
            "{url}: the 404 page carries its styles"
        );
        let references = references(&answer);
        assert!(
            !references.iter().any(|r| r.fetched),
            "{url}: the 404 page fetches nothing"
        );
        for reference in references.iter().filter(|r| !r.value.starts_with('#')) {
            let target = url.join(&reference.value).expect("link");
            assert!(
                target.path().starts_with(PREFIX) && get(&target).status == 200,
                "{url}: its link {} leads to {target}, which is not a page of the site",
                reference.value
            );
        }
    }
}

#[test]
fn the_recipe_sends_the_headers_of_the_hosting_rules() {
    let Some(nginx) = servers::present(Path::new("/usr/sbin/nginx"), "nginx") else {
        return;
    };
    let logs = tempfile::tempdir().expect("tempdir");
    let (_site, _server, base) = nginx_serving_the_deployed_sample(&nginx, logs.path());
    let answer = |path: &str| {
        let answer = get(&base.join(path).expect("url"));
        assert_eq!(answer.status, 200, "{path}");
        answer
    };
    // The main language's and another language's (the sample is told in three).
    for api in ["api/v2/summary.json", "ko/api/v2/summary.json"] {
        let api = answer(api);
        assert!(
            api.head.contains("access-control-allow-origin: *"),
            "{}",
            api.head
        );
        assert!(
            api.content_type.starts_with("application/json"),
            "{}",
            api.head
        );
    }
    for calendar in ["maintenance.ics", "id/maintenance.ics"] {
        let calendar = answer(calendar);
        assert!(
            calendar.content_type.starts_with("text/calendar"),
            "{}",
            calendar.head
        );
    }
    for feed in [
        "feed.atom",
        "history.rss",
        "services/kakaotalk/feed.atom",
        "ko/feed.atom",
    ] {
        let feed = answer(feed);
        assert!(
            feed.head.contains("cache-control: public, max-age=60"),
            "{}",
            feed.head
        );
        assert!(feed.content_type.contains("xml"), "{}", feed.head);
    }
    // Pages link to the stylesheet by its content-hashed name, cached for a year; the plain
    // name stays for other sites, cached for an hour.
    let front = answer("");
    // Pages are asked for again on every view: a browser never shows a stale status from cache.
    for page in ["", "ko/incidents/2022-10-15-pangyo-data-center-fire/"] {
        let page = answer(page);
        assert!(
            page.head.contains("cache-control: no-cache"),
            "{}",
            page.head
        );
    }
    let stylesheet = (references(&front).into_iter())
        .find(|r| r.value.contains("static/style.") && r.value.ends_with(".css"))
        .expect("a stylesheet");
    assert_ne!(stylesheet.value, "static/style.css");
    for short in ["badge.svg", "services/kakaotalk/badge.svg", "embed.js"] {
        let short = answer(short);
        assert!(
            short.head.contains("cache-control: public, max-age=60"),
            "{}",
            short.head
        );
    }
    let bare = get(&base.join("/status").expect("url"));
    assert_eq!(bare.status, 301, "{}", bare.head);
    assert!(bare.head.contains("/status/"), "{}", bare.head);
    let style = answer(&stylesheet.value);
    assert!(
        style.head.contains("max-age=31536000, immutable"),
        "{}",
        style.head
    );
    let plain = answer("static/style.css");
    assert!(plain.head.contains("max-age=3600"), "{}", plain.head);
}

/// A mirror: status.yaml's `base_url` stays the primary's (`https://status.example.com/`, a
/// host that never answers here), and the target nginx serves under the subpath has a
/// `base_url` of its own.
fn nginx_serving_a_mirror(nginx: &Path, logs: &Path) -> (tempfile::TempDir, servers::Server, Url) {
    let port = servers::free_port();
    let base = format!("http://127.0.0.1:{port}{PREFIX}");
    let site = site_with(&format!(
        "  - name: primary\n    folder: primary\n  - name: mirror\n    folder: www/status\n    base_url: {base}\n"
    ));
    let root = site.path().to_string_lossy().into_owned();
    support::candor(&["build", "--root", &root, "--now", DURING]).exits(0);
    let run = deploy(site.path(), &[], &["--now", DURING]);
    run.exits(0);
    assert!(
        run.stdout.contains(&format!("served at {base}")),
        "{}",
        run.stdout
    );
    served(nginx, logs, site, port, &base)
}

#[test]
fn a_mirror_at_its_own_address_never_needs_the_primary() {
    let Some(nginx) = servers::present(Path::new("/usr/sbin/nginx"), "nginx") else {
        return;
    };
    let logs = tempfile::tempdir().expect("tempdir");
    let (site, _server, base) = nginx_serving_a_mirror(&nginx, logs.path());
    let found = crawl(&base);
    assert!(found.broken.is_empty(), "{}", found.broken.join("\n"));
    assert!(found.outside.is_empty(), "{}", found.outside.join("\n"));
    assert!(found.visited.len() > 50, "{:?}", found.visited);
    not_found_pages_work(&base);
    // Feeds, the API, embed.js, the calendar, the sitemap, the 404 page: everything absolute
    // names the mirror. Only the canonical links and their `hreflang` alternates (the same
    // page in the site's other languages) name the primary, for search engines.
    let mirror = site.path().join("www/status");
    for file in support::files(&mirror) {
        let text =
            String::from_utf8_lossy(&std::fs::read(mirror.join(&file)).expect("read")).into_owned();
        for line in text.lines().filter(|l| l.contains("status.example.com")) {
            let primary = " href=\"https://status.example.com/";
            let for_search = line.starts_with(&format!("<link rel=\"canonical\"{primary}"))
                || line.starts_with("<link rel=\"alternate\" hreflang=") && line.contains(primary);
            assert!(for_search, "{file} names the primary host: {line}");
        }
    }
    let front = support::read(&mirror.join("index.html"));
    assert!(front.contains("<link rel=\"canonical\" href=\"https://status.example.com/\">"));
    let feed = support::read(&mirror.join("feed.atom"));
    assert!(feed.contains(&format!("href=\"{base}incidents/")), "{feed}");
    // The primary's target gets the site built for the primary, and the mirror's copy is
    // built beside the output, not inside it.
    let primary = support::read(&site.path().join("primary/feed.atom"));
    assert!(primary.contains("href=\"https://status.example.com/incidents/"));
    assert!(
        !support::files(&site.path().join("public"))
            .iter()
            .any(|f| f.contains("127.0.0.1"))
    );
}
