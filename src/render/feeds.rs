//! The site's machine-read files besides the API: Atom and RSS feeds, status badges, the
//! maintenance calendar (iCalendar), the sitemap and robots.txt.
//!
//! Every text from an incident file passes through `xml` (feeds, badges, sitemap) or
//! `ics_text` (the calendar): incident text comes from anyone with commit access.

use super::OutputFile;
use super::api::last_posted;
use crate::model::state::{Indicator, State};
use crate::model::{Impact, Incident, Kind, Site, Time};
use crate::render::markdown::{self, plain_text};
use crate::render::url;
use crate::theme::i18n::Strings;
use chrono::SecondsFormat;

/// Entries per feed: readers only look at the top, and the history page has the rest.
const FEED_ENTRIES: usize = 50;
/// Events in the calendar: enough for years of windows, small enough for calendar apps.
const CALENDAR_EVENTS: usize = 200;
/// The sitemaps protocol's limit per file; past it, `sitemap.xml` becomes an index.
const SITEMAP_URLS: usize = 50_000;

pub fn feed_files(state: &State, strings: &Strings) -> Vec<OutputFile> {
    let (site, now) = (&state.site, state.at);
    let mut entries: Vec<(&Incident, Time)> = (site.incidents.iter())
        .map(|i| (i.as_ref(), last_posted(i, now)))
        .collect();
    entries.sort_by(|(a, at), (b, bt)| bt.cmp(at).then_with(|| a.slug.cmp(&b.slug)));
    entries.truncate(FEED_ENTRIES);
    let mut files = vec![
        atom(site, strings, &entries, state.updated_at),
        rss(site, strings, &entries, state.updated_at),
    ];
    let indicator = state.indicator;
    let text = strings
        .get(&format!("indicator_{}", indicator.as_str()))
        .to_owned();
    let fill = colour(match indicator {
        Indicator::None => None,
        Indicator::Maintenance => Some(Impact::UnderMaintenance),
        Indicator::Minor => Some(Impact::DegradedPerformance),
        Indicator::Major => Some(Impact::PartialOutage),
        Indicator::Critical => Some(Impact::MajorOutage),
    });
    files.push(badge("badge.svg".to_owned(), "status", &text, fill));
    for (s, &impact) in site.services.iter().zip(&state.services) {
        let word = impact.map_or("operational", Impact::as_str);
        let text = strings.get(&format!("impact_{word}")).to_owned();
        files.push(badge(
            format!("services/{}/badge.svg", s.id),
            &s.name,
            &text,
            colour(impact),
        ));
    }
    files.push(calendar(site, now));
    files
}

/// The HTML of one entry: the summary, then the updates newest first, as the page tells them.
fn content(i: &Incident, strings: &Strings, site: &Site) -> String {
    let tz = site.config.timezone;
    let mut html = i
        .summary
        .as_ref()
        .map_or_else(String::new, |s| markdown::html(s).as_str().to_owned());
    for u in i.updates.iter().rev() {
        html.push_str(&format!(
            "<p><strong>{}</strong> <time datetime=\"{}\">{}</time></p>\n{}",
            xml(strings.get(&format!("status_{}", u.status.as_str()))),
            u.at.to_rfc3339_opts(SecondsFormat::Secs, true),
            xml(&strings.datetime(u.at, tz)),
            markdown::html(&u.message).as_str(),
        ));
    }
    html
}

/// `updated`: when the feed last changed (`State::updated_at`), never the clock.
fn atom(
    site: &Site,
    strings: &Strings,
    entries: &[(&Incident, Time)],
    updated: Time,
) -> OutputFile {
    let base = &site.config.base_url;
    let stamp = |t: Time| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title>{title}</title>\n{subtitle}\
         <link href=\"{self_url}\" rel=\"self\" type=\"application/atom+xml\"/>\n\
         <link href=\"{base}\" rel=\"alternate\" type=\"text/html\"/>\n\
         <id>{base}</id>\n<updated>{updated}</updated>\n\
         <author><name>{title}</name></author>\n<generator>candor</generator>\n",
        lang = xml(&site.config.language),
        title = xml(&site.config.title),
        subtitle = (site.config.description.as_deref()).map_or_else(String::new, |d| format!(
            "<subtitle>{}</subtitle>\n",
            xml(d)
        )),
        self_url = xml(&format!("{base}feed.atom")),
        base = xml(base),
        updated = stamp(updated),
    );
    for (i, updated) in entries {
        let link = xml(&url::absolute(base, &url::incident_page(&i.slug)));
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<link href=\"{link}\" rel=\"alternate\" type=\"text/html\"/>\n\
             <id>{link}</id>\n<updated>{}</updated>\n<content type=\"html\">{}</content>\n</entry>\n",
            xml(&i.title),
            stamp(*updated),
            xml(&content(i, strings, site)),
        ));
    }
    out.push_str("</feed>\n");
    file("feed.atom", out)
}

fn rss(site: &Site, strings: &Strings, entries: &[(&Incident, Time)], updated: Time) -> OutputFile {
    let base = &site.config.base_url;
    let title = xml(&site.config.title);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n\
         <title>{title}</title>\n<link>{base}</link>\n<description>{description}</description>\n\
         <language>{lang}</language>\n<lastBuildDate>{updated}</lastBuildDate>\n\
         <atom:link href=\"{self_url}\" rel=\"self\" type=\"application/rss+xml\"/>\n\
         <generator>candor</generator>\n",
        base = xml(base),
        description = site
            .config
            .description
            .as_deref()
            .map_or_else(|| title.clone(), xml),
        lang = xml(&site.config.language),
        updated = updated.to_rfc2822(),
        self_url = xml(&format!("{base}feed.rss")),
    );
    for (i, updated) in entries {
        let link = xml(&url::absolute(base, &url::incident_page(&i.slug)));
        out.push_str(&format!(
            "<item>\n<title>{}</title>\n<link>{link}</link>\n<guid isPermaLink=\"true\">{link}</guid>\n\
             <pubDate>{}</pubDate>\n<description>{}</description>\n</item>\n",
            xml(&i.title),
            updated.to_rfc2822(),
            xml(&content(i, strings, site)),
        ));
    }
    out.push_str("</channel>\n</rss>\n");
    file("feed.rss", out)
}

/// A background for white text with WCAG AA contrast (≥ 4.5:1), by current impact.
fn colour(impact: Option<Impact>) -> &'static str {
    match impact {
        None => "#2e7d32",
        Some(Impact::DegradedPerformance) => "#9a6700",
        Some(Impact::PartialOutage) => "#c2410c",
        Some(Impact::MajorOutage) => "#b91c1c",
        Some(Impact::UnderMaintenance) => "#1d4ed8",
    }
}

/// A flat two-part badge. Widths are estimated from the characters (no font metrics at
/// build time); `textLength` makes the text fit the estimate, so a wrong guess never spills.
fn badge(path: String, label: &str, value: &str, colour: &str) -> OutputFile {
    let width = |s: &str| -> u32 { s.chars().map(glyph_width).sum() };
    let (lt, vt) = (width(label), width(value));
    let (lw, vw) = (lt + 10, vt + 10);
    let (label, value) = (xml(label), xml(value));
    let text = |x: f64, length: u32, s: &str| {
        format!(
            "<text x=\"{x:.1}\" y=\"14\" textLength=\"{length}\" lengthAdjust=\"spacingAndGlyphs\">{s}</text>"
        )
    };
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"20\" role=\"img\" \
         aria-label=\"{label}: {value}\"><title>{label}: {value}</title>\
         <clipPath id=\"r\"><rect width=\"{w}\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath>\
         <g clip-path=\"url(#r)\"><rect width=\"{lw}\" height=\"20\" fill=\"#555\"/>\
         <rect x=\"{lw}\" width=\"{vw}\" height=\"20\" fill=\"{colour}\"/></g>\
         <g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" \
         font-size=\"11\">{}{}</g></svg>\n",
        text(f64::from(lw) / 2.0, lt, &label),
        text(f64::from(lw) + f64::from(vw) / 2.0, vt, &value),
        w = lw + vw,
    );
    file(&path, svg)
}

/// Roughly Verdana's advance at 11px, in whole pixels: close enough for `textLength`.
fn glyph_width(c: char) -> u32 {
    match c {
        'f' | 'i' | 'j' | 'l' | 'r' | 't' | 'I' | ' ' | '.' | ',' | ':' | ';' | '!' | '|' => 4,
        '\'' | '(' | ')' | '[' | ']' => 5,
        'm' | 'w' | 'M' | 'W' => 10,
        'A'..='Z' => 8,
        '\u{1100}'.. => 11,
        _ => 7,
    }
}

/// `maintenance.ics`: the windows as events, for people who plan around them.
fn calendar(site: &Site, now: Time) -> OutputFile {
    let base = &site.config.base_url;
    let after_scheme = base
        .split_once("://")
        .map_or(base.as_str(), |(_, rest)| rest);
    let host = after_scheme
        .split(['/', ':'])
        .next()
        .unwrap_or(after_scheme);
    let utc = |t: Time| t.format("%Y%m%dT%H%M%SZ").to_string();
    let mut windows: Vec<&Incident> = (site.incidents.iter().map(|i| i.as_ref()))
        .filter(|i| i.kind == Kind::Maintenance)
        .collect();
    windows.sort_by(|a, b| b.start.cmp(&a.start).then_with(|| a.slug.cmp(&b.slug)));
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//candor//candor status page//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("X-WR-CALNAME:{}", ics_text(&plain_text(&site.config.title))),
    ];
    for i in windows.into_iter().take(CALENDAR_EVENTS) {
        lines.push("BEGIN:VEVENT".to_owned());
        lines.push(format!("UID:{}@{host}", i.slug));
        // When this window was last posted about: the calendar changes only with the windows.
        lines.push(format!("DTSTAMP:{}", utc(last_posted(i, now))));
        lines.push(format!("DTSTART:{}", utc(i.start)));
        lines.push(format!("DTEND:{}", utc(i.end.unwrap_or(i.start))));
        lines.push(format!("SUMMARY:{}", ics_text(&plain_text(&i.title))));
        if let Some(summary) = &i.summary {
            lines.push(format!(
                "DESCRIPTION:{}",
                ics_text(&markdown::plain(summary))
            ));
        }
        lines.push(format!(
            "URL:{}",
            url::absolute(base, &url::incident_page(&i.slug))
        ));
        // We publish no cancelled windows: a dropped window's file is removed.
        lines.push("STATUS:CONFIRMED".to_owned());
        lines.push("END:VEVENT".to_owned());
    }
    lines.push("END:VCALENDAR".to_owned());
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    file("maintenance.ics", out)
}

/// An RFC 5545 TEXT value (callers pass plain text: calendar clients show text as they
/// please, some as HTML, so raw tags and unsafe URLs are removed first by `plain_text`): `\`, `;` and `,` escaped, line breaks as `\n`, other control
/// characters dropped (the grammar has no place for them).
fn ics_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.replace("\r\n", "\n").chars() {
        match c {
            '\\' | ';' | ',' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded after at most 75 octets (RFC 5545 §3.1) and never inside
/// a UTF-8 character, each physical line ending in CRLF.
fn fold(line: &str, out: &mut String) {
    let mut octets = 0;
    for c in line.chars() {
        if octets + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(c);
        octets += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// `sitemap.xml` (an index of `sitemap-N.xml` past 50,000 URLs) and `robots.txt`.
/// `history_paths` are the output paths of the history pages.
pub fn sitemap_files(state: &State, history_paths: &[String]) -> Vec<OutputFile> {
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
    let base_xml = xml(base);
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
        files.push(file("sitemap.xml", urlset(one)));
    } else {
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (k, chunk) in chunks.iter().enumerate() {
            let path = format!("sitemap-{}.xml", k + 1);
            index.push_str(&format!(
                "<sitemap><loc>{}</loc></sitemap>\n",
                xml(&url::absolute(base, &path))
            ));
            files.push(file(&path, urlset(chunk)));
        }
        index.push_str("</sitemapindex>\n");
        files.push(file("sitemap.xml", index));
    }
    let robots = format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n");
    files.push(file("robots.txt", robots));
    files
}

/// Escapes text for XML content and attribute values, and drops the characters XML 1.0
/// forbids: one control character pasted from a terminal would make the whole feed unreadable.
pub(crate) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // `&#39;`, not `&apos;`: the same helper escapes HTML inside feed content.
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.to_owned(),
        bytes: text.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::api::tests::{NOW, sample_site, t};

    fn english() -> Strings {
        let text = include_str!("../../themes/default/i18n/en.yaml");
        let map: serde_json::Map<String, serde_json::Value> =
            yaml_serde::from_str(text).expect("en.yaml");
        Strings::new(map.clone(), map)
    }

    fn text<'f>(files: &'f [OutputFile], path: &str) -> &'f str {
        let found = files.iter().find(|f| f.path == path).expect(path);
        std::str::from_utf8(&found.bytes).expect("utf-8")
    }

    /// The sample site, with hostile text where feeds, badges and the calendar show it.
    fn hostile_site() -> Site {
        let mut site = sample_site();
        site.services[0].name = "<script>alert(1)</script>".to_owned();
        for i in site.incidents.iter_mut().filter(|i| i.slug == "db-upgrade") {
            std::sync::Arc::make_mut(i).title =
                "Upgrade <script>x</script>; step 1, step 2\\ok\nnext".to_owned();
        }
        site
    }

    #[test]
    fn script_in_a_title_is_escaped_everywhere() {
        let files = feed_files(&State::at(&hostile_site(), t(NOW)), &english());
        for path in ["feed.atom", "feed.rss", "services/talk/badge.svg"] {
            let out = text(&files, path);
            assert!(!out.contains("<script"), "{path}: {out}");
            assert!(out.contains("&lt;script&gt;"), "{path}");
        }
        assert!(
            text(&files, "feed.atom")
                .contains("<title>Fire &lt;script&gt;alert(1)&lt;/script&gt;</title>")
        );
        let ics = text(&files, "maintenance.ics").replace("\r\n ", "");
        assert!(
            ics.contains("SUMMARY:Upgrade x\\; step 1\\, step 2\\\\ok next\r\n"),
            "{ics}"
        );
    }

    #[test]
    fn ics_text_escapes_separators_and_line_breaks() {
        assert_eq!(
            ics_text("a; b, c\\d\n\n- e\r\u{1}f"),
            "a\\; b\\, c\\\\d\\n\\n- ef"
        );
    }

    #[test]
    fn xml_escape_drops_characters_xml_forbids() {
        assert_eq!(
            xml("a\u{1}b\u{b}\u{1b}[31m<&>\"'\tz\u{ffff}"),
            "ab[31m&lt;&amp;&gt;&quot;&#39;\tz"
        );
    }

    #[test]
    fn entries_are_most_recently_updated_first_with_updates_newest_first() {
        let files = feed_files(&State::at(&sample_site(), t(NOW)), &english());
        let atom = text(&files, "feed.atom");
        let ids: Vec<&str> = atom
            .split("<id>")
            .skip(2)
            .filter_map(|s| s.split("</id>").next())
            .collect();
        let expected = ["net-work", "slow-pay", "db-upgrade", "fire"]
            .map(|s| format!("https://status.example.com/incidents/{s}/"));
        assert_eq!(ids, expected);
        assert!(
            atom.contains("<updated>2022-10-20T02:00:00Z</updated>"),
            "feed updated = the last thing posted (11:00 KST), not the build time"
        );
        assert!(atom.contains("rel=\"self\" type=\"application/atom+xml\""));
        let fire = atom.split("<entry>").last().expect("fire entry");
        assert!(fire.contains("<updated>2022-10-16T03:00:00Z</updated>"));
        let at = |word: &str| {
            fire.find(&format!("&lt;strong&gt;{word}&lt;/strong&gt;"))
                .expect(word)
        };
        assert!(at("Resolved") < at("Monitoring") && at("Monitoring") < at("Investigating"));
        assert!(
            fire.contains("16 Oct 2022, 09:00 KST"),
            "update times in the site zone"
        );
        assert!(
            fire.contains("we are &lt;em&gt;looking&lt;/em&gt;"),
            "HTML content, escaped once"
        );
        let rss = text(&files, "feed.rss");
        assert!(rss.contains(
            "<guid isPermaLink=\"true\">https://status.example.com/incidents/fire/</guid>"
        ));
        assert!(rss.contains("<pubDate>Sun, 16 Oct 2022 03:00:00 +0000</pubDate>"));
    }

    #[test]
    fn ics_lines_are_short_crlf_terminated_and_escaped() {
        let mut site = hostile_site();
        for i in site
            .incidents
            .iter_mut()
            .filter(|i| i.kind == Kind::Maintenance)
        {
            let long = "데이터베이스 업그레이드 작업, with a long tail of ASCII text; ".repeat(6);
            std::sync::Arc::make_mut(i).summary = Some(crate::model::Text {
                source: long,
                inline: false,
            });
        }
        let files = feed_files(&State::at(&site, t(NOW)), &english());
        let ics = text(&files, "maintenance.ics");
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for line in ics.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
            assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains("\r\nDESCRIPTION:데이터베이스 업그레이드 작업\\, with a long tail")
        );
        assert!(unfolded.contains("\r\nUID:db-upgrade@status.example.com\r\n"));
        assert!(unfolded.contains("\r\nDTSTART:20221024T170000Z\r\nDTEND:20221024T190000Z\r\n"));
        // The window's own last post (its announcement), not the build time.
        assert!(unfolded.contains("\r\nDTSTAMP:20221018T010000Z\r\n"));
        assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 2);
    }

    #[test]
    fn badges_show_the_current_status_in_words_and_colour() {
        let files = feed_files(&State::at(&sample_site(), t(NOW)), &english());
        let site = text(&files, "badge.svg");
        assert!(
            site.contains("<title>status: Minor service outage</title>")
                && site.contains("#9a6700")
        );
        let pay = text(&files, "services/pay/badge.svg");
        assert!(pay.contains("<title>PAY: Partial outage</title>") && pay.contains("#c2410c"));
        let talk = text(&files, "services/talk/badge.svg");
        assert!(talk.contains(">Under maintenance</text>") && talk.contains("#1d4ed8"));
        assert!(text(&files, "services/mail/badge.svg").contains(">Operational</text>"));
    }

    #[test]
    fn sitemap_lists_every_page_with_absolute_urls() {
        let site = sample_site();
        let files = sitemap_files(
            &State::at(&site, t(NOW)),
            &["history/index.html".to_owned()],
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
}
