//! Atom and RSS feeds: the site's (`feed.atom`, `feed.rss`, and the same as `history.atom`,
//! `history.rss`, Statuspage's paths) and one per service (`services/ID/feed.atom`, `.rss`, the
//! incidents that hit it). Each entry is an incident, dated by its latest post, with its summary
//! and updates as HTML.
//!
//! Every text from an incident file or status.yaml is escaped by `xml::escape`. Atom says what
//! each text is: titles `type="text"`, entry content `type="html"` (sanitized Markdown, escaped
//! once more as XML text). RSS cannot say, and readers take its titles as text or as HTML: its
//! plain texts are escaped as XML with every `<` and `&` made inert for HTML (`rss_text`), its
//! descriptions are sanitized HTML in CDATA, so neither reading runs markup from an incident
//! file (docs/decisions.md). Feed and entry ids are the site's (`ids::feed_uuid`), never its
//! address. Never touches the disk or the clock: `updated` is the state's, never the build time.

use super::OutputFile;
use super::xml;
use crate::model::ids;
use crate::model::state::State;
use crate::model::time::day_last;
use crate::model::{Incident, Site, Time};
use crate::render::markdown;
use crate::render::url;
use crate::theme::i18n::{Strings, fill};
use chrono::SecondsFormat;
use std::collections::BTreeMap;

/// Entries per feed: readers only look at the top, and the history page has the rest.
const FEED_ENTRIES: usize = 50;

/// RSS `<ttl>`, in minutes: how long a reader may cache a feed. Short, since a status page
/// changes by the minute during an outage, and a static file costs the host little.
const TTL_MINUTES: u32 = 5;

/// One feed: where it is written (`feed`, `services/api/feed`), what it is called, the page it
/// stands for, and its entries newest first.
struct Channel<'a> {
    stem: String,
    /// Atom's feed `<id>`: the site's identity, never its address (`ids::feed_uuid`).
    id: String,
    title: String,
    page: String,
    entries: Vec<(&'a Incident, Time)>,
    /// When the feed last changed.
    updated: Time,
}

/// Every feed as of the state's instant: the site's as `feed.*` and `history.*`, then one per
/// service, each with the `FEED_ENTRIES` incidents most recently posted about, newest first
/// (ties by slug), with `strings` for status words and times.
pub fn feed_files(state: &State, strings: &Strings) -> Vec<OutputFile> {
    let site = &state.site;
    let base = &site.config.base_url;
    let page_id = ids::page_id(&site.config);
    let newest = |list: &mut dyn Iterator<Item = usize>| {
        let mut entries: Vec<(&Incident, Time)> = list
            .filter_map(|n| site.incidents.get(n))
            .map(|i| (i.as_ref(), state.posted_at(i)))
            .collect();
        entries.sort_by(|(a, at), (b, bt)| bt.cmp(at).then_with(|| a.slug.cmp(&b.slug)));
        entries.truncate(FEED_ENTRIES);
        entries
    };
    let all = newest(&mut (0..site.incidents.len()));
    let mut channels: Vec<Channel> = ["feed", "history"]
        .into_iter()
        .map(|stem| Channel {
            stem: stem.to_owned(),
            id: ids::feed_uuid(&page_id, "site"),
            title: site.config.title.clone(),
            page: base.clone(),
            entries: all.clone(),
            updated: state.updated_at,
        })
        .collect();
    for (k, service) in site.services.iter().enumerate() {
        let touching = state.touching.get(k).map_or(&[][..], Vec::as_slice);
        let entries = newest(&mut touching.iter().copied());
        channels.push(Channel {
            stem: format!("services/{}/feed", service.id),
            id: ids::feed_uuid(&page_id, &format!("service:{}", service.id)),
            title: format!("{} · {}", service.name, site.config.title),
            page: url::absolute(base, &url::service_page(&service.id)),
            // A quiet service's feed changed when the site's last did, never with the clock.
            updated: entries.first().map_or(state.updated_at, |e| e.1),
            entries,
        });
    }
    // An incident's HTML is made once, however many feeds hold it (the fire hits 16 services).
    let mut contents: BTreeMap<&str, String> = BTreeMap::new();
    for (i, _) in channels.iter().flat_map(|c| &c.entries) {
        contents
            .entry(i.slug.as_str())
            .or_insert_with(|| content(i, strings, site));
    }
    let entry_ids: BTreeMap<&str, String> = (channels.iter().flat_map(|c| &c.entries))
        .map(|(i, _)| {
            let key = format!("incident:{}", ids::incident_id(&page_id, i));
            (i.slug.as_str(), ids::feed_uuid(&page_id, &key))
        })
        .collect();
    let entries = Entries {
        contents,
        ids: entry_ids,
    };
    let mut files = Vec::with_capacity(channels.len() * 2);
    for channel in &channels {
        files.push(atom(site, channel, &entries));
        files.push(rss(site, channel, &entries));
    }
    files
}

/// What every feed holding an incident says of it alike, by slug: its HTML and its id.
struct Entries<'a> {
    contents: BTreeMap<&'a str, String>,
    ids: BTreeMap<&'a str, String>,
}

impl Entries<'_> {
    fn content(&self, i: &Incident) -> &str {
        self.contents
            .get(i.slug.as_str())
            .map_or("", String::as_str)
    }

    fn id(&self, i: &Incident) -> &str {
        self.ids.get(i.slug.as_str()).map_or("", String::as_str)
    }
}

/// The HTML of one entry: the summary, then the updates, apologies and statements newest
/// first, as the page tells them.
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
    // A statement or an apology is news to a subscriber as an update is: the words, who said
    // them, when. A bare date sorts as the page sorts it, after that day's timed posts, and
    // shows as the date alone (docs/decisions.md).
    for said in i.said() {
        let (at, role) = (said.at, said.role);
        let by = fill(strings.get(said.kind.string_key()), &[("by", said.by)]);
        let role = role.map_or_else(String::new, |r| format!(", {}", xml::escape(r)));
        let shown = if at.date_only {
            let date = at.at.with_timezone(&tz);
            format!(
                "<time datetime=\"{}\">{}</time>",
                date.format("%Y-%m-%d"),
                xml::escape(&strings.written(at.at, tz).date),
            )
        } else {
            when(at.at)
        };
        let head = format!(
            "<p><strong>{}</strong>{role} {shown}</p>\n",
            xml::escape(&by)
        );
        let quote = format!(
            "<blockquote>{}</blockquote>\n",
            markdown::html(said.statement).as_str()
        );
        posts.push((day_last(at, tz), head + &quote));
    }
    // Stable: entries of the same instant keep the order above (updates newest first).
    posts.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    for (_, post) in posts {
        html.push_str(&post);
    }
    html
}

/// `updated`: when the feed last changed (`State::updated_at`), never the clock.
fn atom(site: &Site, channel: &Channel, entries: &Entries) -> OutputFile {
    let base = &site.config.base_url;
    let stamp = |t: Time| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let path = format!("{}.atom", channel.stem);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title type=\"text\">{title}</title>\n{subtitle}\
         <link href=\"{self_url}\" rel=\"self\" type=\"application/atom+xml\"/>\n\
         <link href=\"{page}\" rel=\"alternate\" type=\"text/html\"/>\n\
         <id>{id}</id>\n<updated>{updated}</updated>\n\
         <author><name>{author}</name></author>\n<generator>candor</generator>\n",
        lang = xml::escape(&site.config.language),
        title = xml::escape(&channel.title),
        author = xml::escape(&site.config.title),
        subtitle = (site.config.description.as_deref()).map_or_else(String::new, |d| format!(
            "<subtitle type=\"text\">{}</subtitle>\n",
            xml::escape(d)
        )),
        self_url = xml::escape(&format!("{base}{path}")),
        page = xml::escape(&channel.page),
        id = channel.id,
        updated = stamp(channel.updated),
    );
    for (i, updated) in &channel.entries {
        let link = xml::escape(&url::absolute(base, &url::incident_page(&i.slug)));
        out.push_str(&format!(
            "<entry>\n<title type=\"text\">{}</title>\n<link href=\"{link}\" rel=\"alternate\" type=\"text/html\"/>\n\
             <id>{}</id>\n<updated>{}</updated>\n<content type=\"html\">{}</content>\n</entry>\n",
            xml::escape(&i.title),
            entries.id(i),
            stamp(*updated),
            xml::escape(entries.content(i)),
        ));
    }
    out.push_str("</feed>\n");
    OutputFile::text(&path, out)
}

/// Plain text for an RSS element that readers show either as text or as HTML (titles, the
/// channel's description): escaped once as XML, so a text reading shows it as written, with a
/// word joiner (U+2060, invisible, no line break) after each `<` and `&`, so an HTML reading
/// finds no tag and no character reference in it either and shows the same characters
/// (`<db-01>`, `AT&T`, `<script>` as text). Escaping twice read right only as HTML: feedparser
/// showed `AT&amp;T` (docs/decisions.md).
fn rss_text(text: &str) -> String {
    let mut joined = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        joined.push(c);
        if matches!(c, '<' | '&') {
            joined.push(WORD_JOINER);
        }
    }
    xml::escape(&joined)
}

/// Breaks a tag or a character reference for an HTML parser without showing anything.
const WORD_JOINER: char = '\u{2060}';

fn rss(site: &Site, channel: &Channel, entries: &Entries) -> OutputFile {
    let base = &site.config.base_url;
    let path = format!("{}.rss", channel.stem);
    let title = rss_text(&channel.title);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n\
         <title>{title}</title>\n<link>{page}</link>\n<description>{description}</description>\n\
         <language>{lang}</language>\n<lastBuildDate>{updated}</lastBuildDate>\n<ttl>{TTL_MINUTES}</ttl>\n\
         <atom:link href=\"{self_url}\" rel=\"self\" type=\"application/rss+xml\"/>\n\
         <generator>candor</generator>\n",
        page = xml::escape(&channel.page),
        description = site
            .config
            .description
            .as_deref()
            .map_or_else(|| title.clone(), rss_text),
        lang = xml::escape(&site.config.language),
        updated = channel.updated.to_rfc2822(),
        self_url = xml::escape(&format!("{base}{path}")),
    );
    for (i, updated) in &channel.entries {
        let link = xml::escape(&url::absolute(base, &url::incident_page(&i.slug)));
        out.push_str(&format!(
            "<item>\n<title>{}</title>\n<link>{link}</link>\n<guid isPermaLink=\"false\">{}</guid>\n\
             <pubDate>{}</pubDate>\n<description>{}</description>\n</item>\n",
            rss_text(&i.title),
            entries.id(i),
            updated.to_rfc2822(),
            xml::cdata(entries.content(i)),
        ));
    }
    out.push_str("</channel>\n</rss>\n");
    OutputFile::text(&path, out)
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
        // As HTML, `<` and `&` are followed by a word joiner: no tag, no reference.
        assert!(
            !as_text.contains("<s") && !as_text.contains("</"),
            "{as_text}"
        );
        assert_eq!(as_text.replace(WORD_JOINER, ""), title);
    }

    /// Feed readers key entries on Atom's `<id>` and RSS's `<guid>`: a move to another domain
    /// must not change them, or every reader shows every entry again.
    #[test]
    fn entry_and_feed_ids_survive_a_domain_move() {
        let site = sample_site();
        let mut moved = sample_site();
        moved.config.base_url = "https://status.elsewhere.example/new/".to_owned();
        let ids_of = |site: &Site, path: &str, open: &str, close: &str| -> Vec<String> {
            let files = feed_files(&State::at(site, t(NOW)), &english());
            let out = text(&files, path);
            (out.split(open).skip(1))
                .filter_map(|s| Some(s.split(close).next()?.to_owned()))
                .collect()
        };
        for (path, open, close) in [
            ("feed.atom", "<id>", "</id>"),
            ("feed.rss", "<guid isPermaLink=\"false\">", "</guid>"),
            ("services/talk/feed.atom", "<id>", "</id>"),
        ] {
            let before = ids_of(&site, path, open, close);
            assert!(before.len() > 1, "{path}");
            assert!(
                before.iter().all(|id| id.starts_with("urn:uuid:")),
                "{before:?}"
            );
            assert_eq!(before, ids_of(&moved, path, open, close), "{path}");
        }
    }

    #[test]
    fn rss_text_is_xml_escaped_with_tags_and_references_broken() {
        assert_eq!(
            rss_text("<img src=x onerror=alert(1)> AT&T \"q\""),
            "&lt;\u{2060}img src=x onerror=alert(1)&gt; AT&amp;\u{2060}T &quot;q&quot;"
        );
    }

    #[test]
    fn entries_are_most_recently_updated_first_with_updates_newest_first() {
        let files = feed_files(&State::at(&sample_site(), t(NOW)), &english());
        let atom = text(&files, "feed.atom");
        let ids: Vec<&str> = atom
            .split("<entry>")
            .skip(1)
            .filter_map(|s| s.split("<link href=\"").nth(1)?.split('"').next())
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
        let fire_item = rss.split("<item>").last().expect("fire item");
        assert!(
            fire_item.contains("<description><![CDATA[<p>"),
            "{fire_item}"
        );
        assert!(rss.contains("<pubDate>Sun, 16 Oct 2022 03:00:00 +0000</pubDate>"));
    }

    #[test]
    fn every_service_has_feeds_of_its_own_incidents_and_history_is_the_site_feed() {
        let site = sample_site();
        let state = State::at(&site, t(NOW));
        let files = feed_files(&state, &english());
        assert_eq!(
            text(&files, "history.atom").replace("history.atom", "feed.atom"),
            text(&files, "feed.atom")
        );
        assert_eq!(
            text(&files, "history.rss").replace("history.rss", "feed.rss"),
            text(&files, "feed.rss")
        );
        assert_eq!(files.len(), 4 + 2 * site.services.len());
        for (k, service) in site.services.iter().enumerate() {
            let atom = text(&files, &format!("services/{}/feed.atom", service.id));
            let rss = text(&files, &format!("services/{}/feed.rss", service.id));
            let page = format!("https://status.example.com/services/{}/", service.id);
            let id = ids::feed_uuid(
                &ids::page_id(&site.config),
                &format!("service:{}", service.id),
            );
            assert!(atom.contains(&format!("<id>{id}</id>")), "{atom}");
            assert!(rss.contains(&format!("<link>{page}</link>")), "{rss}");
            assert!(rss.contains("<ttl>5</ttl>"));
            // Exactly the incidents that hit it.
            let slugs: Vec<&str> = atom
                .split("<entry>")
                .skip(1)
                .filter_map(|e| e.split("/incidents/").nth(1)?.split('/').next())
                .collect();
            let mut touching: Vec<&str> = (state.touching[k].iter())
                .map(|&n| state.site.incidents[n].slug.as_str())
                .collect();
            touching.sort();
            let mut sorted = slugs.clone();
            sorted.sort();
            assert_eq!(sorted, touching, "{}", service.id);
        }
    }
}
