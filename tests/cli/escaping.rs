//! Every output format escapes its own way (issue 11, item 6): `base_url` and `--base-url` are
//! URLs, titles read exactly as written in HTML, Atom, RSS (read as text and as HTML), JSON, the
//! SVG badges and the calendar, no feed entry is dated after its feed, and every page keeps to the
//! default theme's Content-Security-Policy.
//!
//! XML and HTML are read by Python's standard library (strict `xml.etree`, and `html.parser` as a
//! browser tokenizes), which every CI machine has; the calendar by a strict reader here.

use crate::support::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const NOW: &str = "2023-10-28T00:00:00Z";
const SITE_TITLE: &str = "Tom & Jerry's <Status>";
const DESCRIPTION: &str = "Status of \"Login & Billing\" <services>";
const SERVICE: &str = "Login & Billing <API>";
const GROUP: &str = "Payments & finance";
const TITLES: [(&str, &str); 4] = [
    (
        "2023-10-27-billing-errors",
        "Login & Billing <API> errors — \"v2\" 결제 오류 🔥",
    ),
    (
        "2023-10-26-img-title",
        "<img src=x onerror=alert(1)> & <script>alert(2)</script> &amp; a<b",
    ),
    ("2023-11-01-db-upgrade", "DB upgrade & reindex <primary>"),
    ("2023-11-02-db-reboot", "Reboot of <db-01> and <db-02>"),
];
const WINDOWS: [&str; 2] = [
    "Reboot of <db-01> and <db-02>",
    "DB upgrade & reindex <primary>",
];
const POLICY: &str = "default-src 'self'; img-src 'self' http: https:; object-src 'none'; \
                      base-uri 'none'; form-action 'none'";

/// Reads the outputs of a build with Python's strict XML parser and its HTML tokenizer, and
/// prints what a reader would see, as JSON.
const READ_OUTPUTS: &str = r#"
import json, sys, xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

out = Path(sys.argv[1])
A = "{http://www.w3.org/2005/Atom}"

class Page(HTMLParser):
    """Every start tag with its attributes, and the text of the first <title> and <h1>."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.cur, self.all = [], {}, None, ""
    def handle_starttag(self, tag, attrs):
        self.tags.append([tag, [[k, v] for k, v in attrs]])
        if tag in ("title", "h1") and tag not in self.text:
            self.cur = tag
            self.text[tag] = ""
    def handle_endtag(self, tag):
        if tag == self.cur:
            self.cur = None
    def handle_data(self, data):
        self.all += data
        if self.cur:
            self.text[self.cur] += data

def as_html(text):
    """A reader that takes the text as HTML: the tags it would make, and the text it shows."""
    p = Page()
    p.feed(text)
    p.close()
    return {"text": text, "tags": p.tags, "shown": p.all}

pages = {}
for path in sorted(out.rglob("*.html")):
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    pages[path.relative_to(out).as_posix()] = {"tags": p.tags, **p.text}

atom = ET.parse(out / "feed.atom").getroot()
def text_construct(e):
    return {"text": e.text or "", "type": e.get("type")}
feed = {
    "title": text_construct(atom.find(A + "title")),
    "subtitle": text_construct(atom.find(A + "subtitle")),
    "updated": atom.find(A + "updated").text,
    "entries": [
        {
            "title": text_construct(e.find(A + "title")),
            "updated": e.find(A + "updated").text,
            "content_type": e.find(A + "content").get("type"),
        }
        for e in atom.findall(A + "entry")
    ],
}

channel = ET.parse(out / "feed.rss").getroot().find("channel")
rss = {
    "title": as_html(channel.find("title").text or ""),
    "description": as_html(channel.find("description").text or ""),
    "lastBuildDate": channel.find("lastBuildDate").text,
    "items": [
        {"title": as_html(i.find("title").text or ""), "pubDate": i.find("pubDate").text}
        for i in channel.findall("item")
    ],
}

svg = {}
for path in sorted(out.rglob("*.svg")):
    root = ET.parse(path).getroot()
    title = root.find("{http://www.w3.org/2000/svg}title")
    svg[path.relative_to(out).as_posix()] = {
        "title": title.text if title is not None else None,
        "aria": root.get("aria-label"),
    }

S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
sitemap = [u.text for u in ET.parse(out / "sitemap.xml").getroot().iter(S + "loc")]

print(json.dumps({"pages": pages, "atom": feed, "rss": rss, "svg": svg, "sitemap": sitemap}))
"#;

/// The fixture built at `NOW` into `SITE/public`.
fn build_fixture() -> tempfile::TempDir {
    let site = copy_site(&fixture("escaping/site"));
    let run = on_site("build", site.path(), NOW);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

/// What Python's parsers read in the output folder `out` (see `READ_OUTPUTS`).
fn read_outputs(out: &Path) -> Value {
    let run = Command::new("python3")
        .args(["-c", READ_OUTPUTS])
        .arg(out)
        .output()
        .expect("python3 runs (CI machines have it)");
    assert!(
        run.status.success(),
        "an output is not well-formed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).expect("the reader prints JSON")
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("a string: {v}"))
}

/// The content lines of an iCalendar file, unfolded, as (name, value), after checking what
/// RFC 5545 asks of every physical line: CRLF endings, no bare CR or LF, at most 75 octets.
fn ics_lines(ics: &str) -> Vec<(String, String)> {
    assert!(ics.ends_with("\r\n"), "{ics:?}");
    for line in ics.split_terminator("\r\n") {
        assert!(!line.contains(['\r', '\n']), "bare line break in {line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    ics.replace("\r\n ", "")
        .split_terminator("\r\n")
        .map(|line| {
            let (name, value) = line.split_once(':').expect("NAME:value");
            (name.to_owned(), value.to_owned())
        })
        .collect()
}

/// An RFC 5545 TEXT value as a client reads it.
fn ics_text(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(c @ ('\\' | ';' | ',')) => out.push(c),
            other => panic!("`\\{other:?}` is not a TEXT escape in {value:?}"),
        }
    }
    out
}

fn ics_values<'a>(lines: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    (lines.iter())
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// Regression: case 03-ampersand-feed (the calendar dropped `<db-01>`), hugo#11615.
#[test]
fn every_title_reads_as_written_in_every_format() {
    let site = build_fixture();
    let out = site.path().join("public");
    let seen = read_outputs(&out);

    // HTML: the page's heading and <title>, as a browser reads them.
    for (slug, title) in TITLES {
        let page = &seen["pages"][format!("incidents/{slug}/index.html")];
        assert_eq!(text(&page["h1"]), title, "{slug}");
        assert_eq!(text(&page["title"]), format!("{title} · {SITE_TITLE}"));
    }
    assert_eq!(text(&seen["pages"]["index.html"]["title"]), SITE_TITLE);
    assert_eq!(
        text(&seen["pages"]["services/billing/index.html"]["h1"]),
        SERVICE
    );

    // Atom: text constructs say so, and read as written.
    let atom = &seen["atom"];
    assert_eq!(
        atom["title"],
        serde_json::json!({"text": SITE_TITLE, "type": "text"})
    );
    assert_eq!(atom["subtitle"]["text"], DESCRIPTION);
    let mut titles: Vec<&str> = (atom["entries"].as_array().expect("entries").iter())
        .map(|e| {
            assert_eq!(e["title"]["type"], "text");
            assert_eq!(e["content_type"], "html");
            text(&e["title"]["text"])
        })
        .collect();
    titles.sort_unstable();
    let mut want: Vec<&str> = TITLES.iter().map(|(_, t)| *t).collect();
    want.sort_unstable();
    assert_eq!(titles, want);

    // RSS: a reader taking a title as HTML finds no tag and shows it as written; one taking it as
    // text shows no tag either (`<` arrives as `&lt;`).
    let rss = &seen["rss"];
    let mut rss_titles = Vec::new();
    for (field, expected) in [
        (&rss["title"], SITE_TITLE),
        (&rss["description"], DESCRIPTION),
    ]
    .into_iter()
    .chain((rss["items"].as_array().expect("items").iter()).map(|i| (&i["title"], "")))
    {
        assert!(!text(&field["text"]).contains('<'), "{field}");
        assert_eq!(field["tags"], serde_json::json!([]), "{field}");
        if expected.is_empty() {
            rss_titles.push(text(&field["shown"]));
        } else {
            assert_eq!(text(&field["shown"]), expected);
        }
    }
    rss_titles.sort_unstable();
    assert_eq!(rss_titles, want);

    // JSON: serde's escapes decode to the text.
    let api = |path: &str| -> Value {
        serde_json::from_str(&read(&out.join("api/v2").join(path))).expect(path)
    };
    let incidents = api("incidents.json");
    let windows = api("scheduled-maintenances.json");
    assert_eq!(incidents["page"]["name"], SITE_TITLE);
    let mut names: Vec<&str> = (incidents["incidents"].as_array().expect("list").iter())
        .chain(windows["scheduled_maintenances"].as_array().expect("list"))
        .map(|i| text(&i["name"]))
        .collect();
    names.sort_unstable();
    assert_eq!(names, want);
    let components = api("components.json").to_string();
    assert!(components.contains(&serde_json::json!(SERVICE).to_string()));
    assert!(components.contains(&serde_json::json!(GROUP).to_string()));

    // Badges: the service's name as its accessible name and tooltip.
    let badge = &seen["svg"]["services/billing/badge.svg"];
    assert_eq!(text(&badge["title"]), format!("{SERVICE}: Operational"));
    assert_eq!(text(&badge["aria"]), format!("{SERVICE}: Operational"));

    // iCalendar: titles as written (escaped for TEXT, never stripped of what looks like a tag).
    let ics = read(&out.join("maintenance.ics"));
    let lines = ics_lines(&ics);
    let calname = ics_values(&lines, "X-WR-CALNAME");
    assert_eq!(
        calname.iter().map(|v| ics_text(v)).collect::<Vec<_>>(),
        [SITE_TITLE]
    );
    let summaries: Vec<String> = ics_values(&lines, "SUMMARY")
        .into_iter()
        .map(ics_text)
        .collect();
    assert_eq!(summaries, WINDOWS);

    // The sitemap: every page under base_url.
    let locs = seen["sitemap"].as_array().expect("locs");
    assert_eq!(
        locs.len(),
        1 + 1 + 1 + TITLES.len(),
        "front page, history, service, incidents"
    );
    assert!(
        locs.iter()
            .all(|l| text(l).starts_with("https://status.example.com/"))
    );
}

/// Regression: case 03-ampersand-feed's side note — a window with no update yet was dated by its
/// future start, above every entry of a feed reader until that day.
#[test]
fn no_entry_is_dated_after_the_feed_that_carries_it() {
    let site = build_fixture();
    let out = site.path().join("public");
    let seen = read_outputs(&out);
    let atom = &seen["atom"];
    let feed_updated = text(&atom["updated"]);
    assert_eq!(feed_updated, "2023-10-27T12:00:00Z", "the last post");
    for e in atom["entries"].as_array().expect("entries") {
        assert!(text(&e["updated"]) <= feed_updated, "{e}");
    }
    let rfc2822 = |v: &Value| chrono::DateTime::parse_from_rfc2822(text(v)).expect("RFC 2822");
    let rss = &seen["rss"];
    let built = rfc2822(&rss["lastBuildDate"]);
    for i in rss["items"].as_array().expect("items") {
        assert!(rfc2822(&i["pubDate"]) <= built, "{i}");
    }
    let lines = ics_lines(&read(&out.join("maintenance.ics")));
    for stamp in ics_values(&lines, "DTSTAMP") {
        assert!(stamp <= "20231027T120000Z", "DTSTAMP:{stamp}");
    }
    let json: Value =
        serde_json::from_str(&read(&out.join("api/v2/scheduled-maintenances.json"))).expect("json");
    let stamp = |v: &Value| chrono::DateTime::parse_from_rfc3339(text(v)).expect("RFC 3339");
    let page_updated = stamp(&json["page"]["updated_at"]);
    for m in json["scheduled_maintenances"].as_array().expect("list") {
        assert!(stamp(&m["created_at"]) <= page_updated, "{m}");
        assert!(stamp(&m["updated_at"]) <= page_updated, "{m}");
        assert!(
            stamp(&m["scheduled_for"]) > page_updated,
            "still planned: {m}"
        );
    }
}

/// What the default theme writes into `<head>` and nothing more: its policy first, its own
/// script from a file, no inline script or style, no event handler, no `style` attribute —
/// whatever the incident files say (the hostile corpus and the escaping fixture).
#[test]
fn every_page_keeps_to_the_content_security_policy() {
    for (fixture_path, now) in [("escaping/site", NOW), ("hostile", "2024-06-01T00:00:00Z")] {
        let site = copy_site(&fixture(fixture_path));
        let run = on_site("build", site.path(), now);
        assert_eq!(run.code, 0, "{fixture_path}: {}", run.stderr);
        let out = site.path().join("public");
        let seen = read_outputs(&out);
        let pages = seen["pages"].as_object().expect("pages");
        assert!(pages.len() >= 5, "{fixture_path}");
        for (path, page) in pages {
            let tags = page["tags"].as_array().expect("tags");
            let at = |k: usize| -> (&str, Vec<(&str, &str)>) {
                let tag = &tags[k];
                let attrs = (tag[1].as_array().expect("attrs").iter())
                    .map(|a| (text(&a[0]), a[1].as_str().unwrap_or("")))
                    .collect();
                (text(&tag[0]), attrs)
            };
            // The policy is the first thing after the charset, before anything it governs.
            assert_eq!(at(2).0, "meta", "{path}");
            assert_eq!(at(2).1, [("charset", "utf-8")], "{path}");
            assert_eq!(
                at(3).1,
                [
                    ("http-equiv", "Content-Security-Policy"),
                    ("content", POLICY)
                ],
                "{fixture_path} {path}"
            );
            for k in 0..tags.len() {
                let (tag, attrs) = at(k);
                let place = format!("{fixture_path} {path}: <{tag} {attrs:?}>");
                assert_ne!(tag, "style", "{place}");
                assert!(
                    tag != "script" || attrs.iter().any(|(n, _)| *n == "src"),
                    "inline script: {place}"
                );
                for (name, value) in attrs {
                    assert!(!name.starts_with("on"), "handler: {place}");
                    assert_ne!(name, "style", "{place}");
                    assert!(
                        !value
                            .trim_start()
                            .to_ascii_lowercase()
                            .starts_with("javascript:"),
                        "{place}"
                    );
                }
            }
        }
    }
}

/// The chart's marks are placed by classes, and their positions are in a stylesheet beside
/// the page, which the policy allows (`style-src 'self'`).
#[test]
fn the_chart_is_placed_by_its_own_stylesheet() {
    let site = build_fixture();
    let folder = site
        .path()
        .join("public/incidents/2023-10-27-billing-errors");
    let page = read(&folder.join("index.html"));
    assert!(page.contains("<link rel=\"stylesheet\" href=\"chart.css\">"));
    assert!(
        page.contains("<li class=\"seg lvl-partial_outage p-s0-0\""),
        "{page}"
    );
    let css = read(&folder.join("chart.css"));
    assert!(
        css.contains("\n.p-s0-0{left:0.000%;width:100.000%}\n"),
        "{css}"
    );
    assert!(css.contains("\n.p-r0{left:100.000%}\n"), "{css}");
    // A window not started yet has no chart: its stylesheet is only the comment, not linked.
    let window = site.path().join("public/incidents/2023-11-02-db-reboot");
    assert_eq!(read(&window.join("chart.css")).lines().count(), 1);
    assert!(!read(&window.join("index.html")).contains("chart.css"));
}

/// docs/themes.md's recipe for an extra stylesheet (a `base.html` filling `head`) keeps the
/// policy and the chart's stylesheet on incident pages.
#[test]
fn a_theme_filling_head_keeps_the_policy_and_the_chart() {
    let site = copy_site(&fixture("escaping/site"));
    let templates = site.path().join("themes/acme/templates");
    std::fs::create_dir_all(&templates).expect("mkdir");
    std::fs::write(
        templates.join("base.html"),
        "{% extends \"builtin/base.html\" %}\n\
         {% block head %}<link rel=\"stylesheet\" href=\"{{ root }}static/acme.css\">{% endblock head %}\n",
    )
    .expect("theme");
    let status = site.path().join("status.yaml");
    std::fs::write(&status, format!("{}theme: acme\n", read(&status))).expect("status");
    let run = on_site("build", site.path(), NOW);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = read(
        &site
            .path()
            .join("public/incidents/2023-10-27-billing-errors/index.html"),
    );
    assert!(page.contains(&format!("content=\"{POLICY}\"")), "{page}");
    assert!(
        page.contains("<link rel=\"stylesheet\" href=\"chart.css\">"),
        "{page}"
    );
    assert!(page.contains("static/acme.css"), "{page}");
}

#[test]
fn a_base_url_with_a_line_break_is_refused_at_its_line_and_the_old_site_stays() {
    let site = copy_site(&fixture("escaping/site"));
    let status = site.path().join("status.yaml");
    let yaml = read(&status).replace(
        "base_url: https://status.example.com/",
        "base_url: \"https://status.example.com/\\r\\nDisallow: /\"",
    );
    std::fs::write(&status, yaml).expect("write");
    let check = on_site("check", site.path(), NOW);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains("error: the address contains a line break\n --> status.yaml:3:11\n"),
        "{}",
        check.stderr
    );
    assert!(
        check
            .stderr
            .contains("= help: write the address on one line")
    );
    let out = site.path().join("public");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(out.join(".candor"), "").expect("marker");
    std::fs::write(out.join("robots.txt"), "the previous site").expect("old file");
    let build = on_site("build", site.path(), NOW);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert_eq!(read(&out.join("robots.txt")), "the previous site");
}

#[test]
fn a_bad_base_url_flag_is_a_usage_error_naming_the_flag() {
    let site = copy_site(&fixture("escaping/site"));
    let root = site.path().to_string_lossy().into_owned();
    for (flag, says) in [
        (
            "https://status.example.com/\nDisallow: /",
            "contains a line break",
        ),
        ("https://status.example.com/\r", "contains a line break"),
        (
            "ftp://status.example.com/",
            "is not an http or https address",
        ),
        (
            "https://ops:hunter2@status.example.com/",
            "user name or password",
        ),
        ("status.example.com", "is not a full address"),
        ("https://status.example.com/?preview=1", "a query"),
    ] {
        let run = candor(&["build", "--root", &root, "--now", NOW, "--base-url", flag]);
        assert_eq!(run.code, 2, "{flag:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("error: --base-url: ") && run.stderr.contains(says),
            "{flag:?}: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("hunter2"),
            "the password is not echoed"
        );
        assert!(
            !site.path().join("public").exists(),
            "{flag:?}: nothing written"
        );
    }
}

#[test]
fn a_base_url_without_its_final_slash_gets_one_everywhere() {
    let site = copy_site(&fixture("escaping/site"));
    let root = site.path().to_string_lossy().into_owned();
    let base = "https://Example.ORG/status";
    let run = candor(&["build", "--root", &root, "--now", NOW, "--base-url", base]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = site.path().join("public");
    assert_eq!(
        read(&out.join("robots.txt")),
        "User-agent: *\nAllow: /\nSitemap: https://example.org/status/sitemap.xml\n"
    );
    let lines = ics_lines(&read(&out.join("maintenance.ics")));
    assert_eq!(
        ics_values(&lines, "URL")[0],
        "https://example.org/status/incidents/2023-11-02-db-reboot/"
    );
    assert_eq!(
        ics_values(&lines, "UID")[0],
        "2023-11-02-db-reboot@example.org"
    );
    let atom = read(&out.join("feed.atom"));
    assert!(atom.contains("<link href=\"https://example.org/status/feed.atom\" rel=\"self\""));
}
