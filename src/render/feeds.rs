//! Atom and RSS feeds (`feed.atom`, `feed.rss`): the incidents most recently posted about,
//! each with its summary and updates as HTML.
//!
//! Every text from an incident file or status.yaml is escaped by `xml::escape`. Atom says what
//! each text is: titles `type="text"`, entry content `type="html"` (sanitized Markdown, escaped
//! once more as XML text). RSS cannot say, and readers take its titles as text or as HTML: its
//! plain texts are escaped as HTML, then as XML (`rss_text`), so neither reading runs markup
//! from an incident file (docs/decisions.md). Never touches the disk or the clock: `updated`
//! is the state's, never the build time.

use super::OutputFile;
use super::xml;
use crate::model::state::State;
use crate::model::{Incident, Site, Time};
use crate::render::markdown;
use crate::render::url;
use crate::theme::i18n::{Strings, fill};
use chrono::SecondsFormat;

/// Entries per feed: readers only look at the top, and the history page has the rest.
const FEED_ENTRIES: usize = 50;

/// `feed.atom` and `feed.rss`: the `FEED_ENTRIES` incidents most recently posted about as of
/// the state's instant, newest first (ties by slug), with `strings` for status words and times.
pub fn feed_files(state: &State, strings: &Strings) -> Vec<OutputFile> {
    let site = &state.site;
    let mut entries: Vec<(&Incident, Time)> = (site.incidents.iter())
        .map(|i| (i.as_ref(), state.posted_at(i)))
        .collect();
    entries.sort_by(|(a, at), (b, bt)| bt.cmp(at).then_with(|| a.slug.cmp(&b.slug)));
    entries.truncate(FEED_ENTRIES);
    vec![
        atom(site, strings, &entries, state.updated_at),
        rss(site, strings, &entries, state.updated_at),
    ]
}

/// The HTML of one entry: the summary, then the updates and statements newest first, as the
/// page tells them.
fn content(i: &Incident, strings: &Strings, site: &Site) -> String {
    let tz = site.config.timezone;
    let mut html = i
        .summary
        .as_ref()
        .map_or_else(String::new, |s| markdown::html(s).as_str().to_owned());
    let when = |at: Time| {
        format!(
            "<time datetime=\"{}\">{}</time>",
            at.to_rfc3339_opts(SecondsFormat::Secs, true),
            xml::escape(&strings.datetime(at, tz)),
        )
    };
    let mut posts: Vec<(Time, String)> = i
        .updates
        .iter()
        .rev()
        .map(|u| {
            let key = format!("status_{}", u.status.as_str());
            let status = strings.get(&key);
            let head = format!(
                "<p><strong>{}</strong> {}</p>\n",
                xml::escape(status),
                when(u.at)
            );
            (u.at, head + markdown::html(&u.message).as_str())
        })
        .collect();
    // A statement is news to a subscriber as an update is: the words, who said them, when.
    for s in &i.statements {
        let by = fill(strings.get("timeline_statement"), &[("by", &s.by)]);
        let role = s
            .role
            .as_deref()
            .map_or_else(String::new, |r| format!(", {}", xml::escape(r)));
        let head = format!(
            "<p><strong>{}</strong>{role} {}</p>\n",
            xml::escape(&by),
            when(s.at.at)
        );
        let quote = format!(
            "<blockquote>{}</blockquote>\n",
            markdown::html(&s.statement).as_str()
        );
        posts.push((s.at.at, head + &quote));
    }
    // Stable: entries of the same instant keep the order above (updates newest first).
    posts.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    for (_, post) in posts {
        html.push_str(&post);
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
         <title type=\"text\">{title}</title>\n{subtitle}\
         <link href=\"{self_url}\" rel=\"self\" type=\"application/atom+xml\"/>\n\
         <link href=\"{base}\" rel=\"alternate\" type=\"text/html\"/>\n\
         <id>{base}</id>\n<updated>{updated}</updated>\n\
         <author><name>{title}</name></author>\n<generator>candor</generator>\n",
        lang = xml::escape(&site.config.language),
        title = xml::escape(&site.config.title),
        subtitle = (site.config.description.as_deref()).map_or_else(String::new, |d| format!(
            "<subtitle type=\"text\">{}</subtitle>\n",
            xml::escape(d)
        )),
        self_url = xml::escape(&format!("{base}feed.atom")),
        base = xml::escape(base),
        updated = stamp(updated),
    );
    for (i, updated) in entries {
        let link = xml::escape(&url::absolute(base, &url::incident_page(&i.slug)));
        out.push_str(&format!(
            "<entry>\n<title type=\"text\">{}</title>\n<link href=\"{link}\" rel=\"alternate\" type=\"text/html\"/>\n\
             <id>{link}</id>\n<updated>{}</updated>\n<content type=\"html\">{}</content>\n</entry>\n",
            xml::escape(&i.title),
            stamp(*updated),
            xml::escape(&content(i, strings, site)),
        ));
    }
    out.push_str("</feed>\n");
    OutputFile::text("feed.atom", out)
}

/// Plain text for an RSS element that readers show either as text or as HTML (titles, the
/// channel's description): escaped as HTML, then as XML. The HTML reading shows the text as
/// written; the text reading shows `&lt;` for `<`, never a tag (the RSS Advisory Board's
/// profile: titles must not carry markup, and readers differ in how they take them).
fn rss_text(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            c => html.push(c),
        }
    }
    xml::escape(&html)
}

fn rss(site: &Site, strings: &Strings, entries: &[(&Incident, Time)], updated: Time) -> OutputFile {
    let base = &site.config.base_url;
    let title = rss_text(&site.config.title);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n\
         <title>{title}</title>\n<link>{base}</link>\n<description>{description}</description>\n\
         <language>{lang}</language>\n<lastBuildDate>{updated}</lastBuildDate>\n\
         <atom:link href=\"{self_url}\" rel=\"self\" type=\"application/rss+xml\"/>\n\
         <generator>candor</generator>\n",
        base = xml::escape(base),
        description = site
            .config
            .description
            .as_deref()
            .map_or_else(|| title.clone(), rss_text),
        lang = xml::escape(&site.config.language),
        updated = updated.to_rfc2822(),
        self_url = xml::escape(&format!("{base}feed.rss")),
    );
    for (i, updated) in entries {
        let link = xml::escape(&url::absolute(base, &url::incident_page(&i.slug)));
        out.push_str(&format!(
            "<item>\n<title>{}</title>\n<link>{link}</link>\n<guid isPermaLink=\"true\">{link}</guid>\n\
             <pubDate>{}</pubDate>\n<description>{}</description>\n</item>\n",
            rss_text(&i.title),
            updated.to_rfc2822(),
            xml::escape(&content(i, strings, site)),
        ));
    }
    out.push_str("</channel>\n</rss>\n");
    OutputFile::text("feed.rss", out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixture::{NOW, english, hostile_site, sample_site, t, text};

    /// One level of XML (or HTML) character references undone: what a reader's parser gives.
    fn unescape(text: &str) -> String {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    #[test]
    fn script_in_a_title_is_escaped_everywhere() {
        let files = feed_files(&State::at(&hostile_site(), t(NOW)), &english());
        for path in ["feed.atom", "feed.rss"] {
            let out = text(&files, path);
            assert!(!out.contains("<script"), "{path}: {out}");
        }
        let title = "Fire <script>alert(1)</script>";
        // Atom says `type="text"`: one level of escaping, read as text.
        let atom = text(&files, "feed.atom");
        assert!(atom.contains(&format!(
            "<title type=\"text\">{}</title>",
            xml::escape(title)
        )));
        // RSS: as text, the reader shows `&lt;…`; as HTML, the characters as written. Neither
        // reading finds a tag.
        let rss = text(&files, "feed.rss");
        let item = rss.split("<item>").nth(4).expect("fire is the fourth item");
        let raw = item
            .split("<title>")
            .nth(1)
            .and_then(|s| s.split("</title>").next());
        let as_text = unescape(raw.expect("item title"));
        assert!(!as_text.contains('<'), "{as_text}");
        assert_eq!(unescape(&as_text), title);
    }

    #[test]
    fn rss_text_is_html_escaped_then_xml_escaped() {
        assert_eq!(
            rss_text("<img src=x onerror=alert(1)> AT&T \"q\""),
            "&amp;lt;img src=x onerror=alert(1)&amp;gt; AT&amp;amp;T &quot;q&quot;"
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
}
