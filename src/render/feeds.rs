//! Atom and RSS feeds (`feed.atom`, `feed.rss`): the incidents most recently posted about,
//! each with its summary and updates as HTML.
//!
//! Every text from an incident file or status.yaml is escaped by `xml::escape` (the entry HTML
//! is sanitized Markdown, escaped once more as XML text). Never touches the disk or the clock:
//! `updated` is the state's, never the build time.

use super::OutputFile;
use super::xml;
use crate::model::state::State;
use crate::model::state::last_posted;
use crate::model::{Incident, Site, Time};
use crate::render::markdown;
use crate::render::url;
use crate::theme::i18n::Strings;
use chrono::SecondsFormat;

/// Entries per feed: readers only look at the top, and the history page has the rest.
const FEED_ENTRIES: usize = 50;

/// `feed.atom` and `feed.rss`: the `FEED_ENTRIES` incidents most recently posted about as of
/// the state's instant, newest first (ties by slug), with `strings` for status words and times.
pub fn feed_files(state: &State, strings: &Strings) -> Vec<OutputFile> {
    let (site, now) = (&state.site, state.at);
    let mut entries: Vec<(&Incident, Time)> = (site.incidents.iter())
        .map(|i| (i.as_ref(), last_posted(i, now)))
        .collect();
    entries.sort_by(|(a, at), (b, bt)| bt.cmp(at).then_with(|| a.slug.cmp(&b.slug)));
    entries.truncate(FEED_ENTRIES);
    vec![
        atom(site, strings, &entries, state.updated_at),
        rss(site, strings, &entries, state.updated_at),
    ]
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
            xml::escape(strings.get(&format!("status_{}", u.status.as_str()))),
            u.at.to_rfc3339_opts(SecondsFormat::Secs, true),
            xml::escape(&strings.datetime(u.at, tz)),
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
        lang = xml::escape(&site.config.language),
        title = xml::escape(&site.config.title),
        subtitle = (site.config.description.as_deref()).map_or_else(String::new, |d| format!(
            "<subtitle>{}</subtitle>\n",
            xml::escape(d)
        )),
        self_url = xml::escape(&format!("{base}feed.atom")),
        base = xml::escape(base),
        updated = stamp(updated),
    );
    for (i, updated) in entries {
        let link = xml::escape(&url::absolute(base, &url::incident_page(&i.slug)));
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<link href=\"{link}\" rel=\"alternate\" type=\"text/html\"/>\n\
             <id>{link}</id>\n<updated>{}</updated>\n<content type=\"html\">{}</content>\n</entry>\n",
            xml::escape(&i.title),
            stamp(*updated),
            xml::escape(&content(i, strings, site)),
        ));
    }
    out.push_str("</feed>\n");
    OutputFile::text("feed.atom", out)
}

fn rss(site: &Site, strings: &Strings, entries: &[(&Incident, Time)], updated: Time) -> OutputFile {
    let base = &site.config.base_url;
    let title = xml::escape(&site.config.title);
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
            .map_or_else(|| title.clone(), xml::escape),
        lang = xml::escape(&site.config.language),
        updated = updated.to_rfc2822(),
        self_url = xml::escape(&format!("{base}feed.rss")),
    );
    for (i, updated) in entries {
        let link = xml::escape(&url::absolute(base, &url::incident_page(&i.slug)));
        out.push_str(&format!(
            "<item>\n<title>{}</title>\n<link>{link}</link>\n<guid isPermaLink=\"true\">{link}</guid>\n\
             <pubDate>{}</pubDate>\n<description>{}</description>\n</item>\n",
            xml::escape(&i.title),
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

    #[test]
    fn script_in_a_title_is_escaped_everywhere() {
        let files = feed_files(&State::at(&hostile_site(), t(NOW)), &english());
        for path in ["feed.atom", "feed.rss"] {
            let out = text(&files, path);
            assert!(!out.contains("<script"), "{path}: {out}");
            assert!(out.contains("&lt;script&gt;"), "{path}");
        }
        assert!(
            text(&files, "feed.atom")
                .contains("<title>Fire &lt;script&gt;alert(1)&lt;/script&gt;</title>")
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
