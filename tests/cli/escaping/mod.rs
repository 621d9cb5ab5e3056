//! Every output format escapes its own way (issue 11, item 6): `base_url` and `--base-url` are
//! URLs, titles read exactly as written in HTML, Atom, RSS (read as text and as HTML), JSON, the
//! SVG badges and the calendar, no feed entry is dated after its feed, and every page keeps to the
//! default theme's Content-Security-Policy.
//!
//! XML and HTML are read by Python's standard library (strict `xml.etree`, and `html.parser` as a
//! browser tokenizes), which every CI machine has; the calendar by a strict reader here.

mod base_url;
mod readers;

use crate::support::*;
use readers::{ics_lines, ics_text, ics_values, read_outputs, text};
use serde_json::Value;

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
const POLICY_404: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/// The fixture built at `NOW` into `SITE/public`.
fn build_fixture() -> tempfile::TempDir {
    let site = copy_site(&fixture("escaping/site"));
    let run = on_site("build", site.path(), NOW);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
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

    // RSS: a reader taking a title as text and one taking it as HTML both show it as written
    // (issue 12: escaped once, an invisible word joiner after `<` and `&`), and the HTML
    // reading finds no tag.
    let rss = &seen["rss"];
    let mut rss_titles = Vec::new();
    let visible = |field: &Value, key: &str| text(&field[key]).replace('\u{2060}', "");
    for (field, expected) in [
        (&rss["title"], SITE_TITLE),
        (&rss["description"], DESCRIPTION),
    ]
    .into_iter()
    .chain((rss["items"].as_array().expect("items").iter()).map(|i| (&i["title"], "")))
    {
        assert_eq!(field["tags"], serde_json::json!([]), "{field}");
        assert_eq!(visible(field, "text"), visible(field, "shown"), "{field}");
        if expected.is_empty() {
            rss_titles.push(visible(field, "shown"));
        } else {
            assert_eq!(visible(field, "shown"), expected);
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
            // 404.html stands alone with its styles inline, and a policy that allows only them.
            let alone = path == "404.html";
            assert_eq!(
                at(3).1,
                [
                    ("http-equiv", "Content-Security-Policy"),
                    ("content", if alone { POLICY_404 } else { POLICY })
                ],
                "{fixture_path} {path}"
            );
            for k in 0..tags.len() {
                let (tag, attrs) = at(k);
                let place = format!("{fixture_path} {path}: <{tag} {attrs:?}>");
                assert!(tag != "style" || alone, "{place}");
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
