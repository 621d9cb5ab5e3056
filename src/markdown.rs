//! Markdown as incident files write it: the parser options every reader uses, and which link
//! targets are safe. Shared by the loader (which reports unsafe links) and the renderer (which
//! drops them), so both agree; the HTML sanitizer render cleans with, and what it drops. Never
//! renders anything; never imports anything of candor's.

mod html;

use pulldown_cmark::{Event, Options, Parser, Tag};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

/// The CommonMark extensions incident texts may use.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// A link or image whose URL rendering drops: what `load` warns about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsafeLink {
    /// The URL as a browser would read it (entities decoded).
    pub url: String,
    pub image: bool,
    /// Where it is written in the Markdown source, in bytes: the link's markup (`[text](url)`)
    /// or the raw HTML attribute (`href="…"`).
    pub at: Range<usize>,
}

/// The links and images rendering drops as unsafe, in order: Markdown links and images, and
/// the URL attributes of raw HTML (`<a href>`, `<img src>` …), which ammonia drops. Renders
/// nothing.
pub fn unsafe_links(source: &str) -> Vec<UnsafeLink> {
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) if !is_safe_url(&dest_url) => {
                found.push(UnsafeLink {
                    url: dest_url.to_string(),
                    image: false,
                    at: range,
                });
            }
            Event::Start(Tag::Image { dest_url, .. }) if !is_safe_url(&dest_url) => {
                found.push(UnsafeLink {
                    url: dest_url.to_string(),
                    image: true,
                    at: range,
                });
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                // The event's text is the source's, from the range's start.
                for (name, value, at) in html::url_attributes(&html) {
                    let url = html::decode(value);
                    if !is_safe_url(&url) {
                        let start = range.start + at.start;
                        found.push(UnsafeLink {
                            url,
                            image: name == "src" || name == "poster",
                            at: start..range.start + at.end,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// The one HTML sanitizer: ammonia's default tags and attributes, URLs limited to the safe
/// schemes. Render cleans raw HTML with it; `dropped_html` reads its lists, so `check` warns
/// about exactly what it drops.
pub static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder.url_schemes(["http", "https", "mailto"].into_iter().collect());
    builder
});

/// What the sanitizer keeps, read once from it.
struct Kept {
    tags: HashSet<&'static str>,
    by_tag: HashMap<&'static str, HashSet<&'static str>>,
    generic: HashSet<&'static str>,
}

static KEPT: LazyLock<Kept> = LazyLock::new(|| Kept {
    tags: SANITIZER.clone_tags(),
    by_tag: SANITIZER.clone_tag_attributes(),
    generic: SANITIZER.clone_generic_attributes(),
});

/// A tag or an attribute of raw HTML that the sanitizer drops (`<iframe>`, `<img srcset>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedHtml {
    pub tag: String,
    /// The attribute dropped; `None`: the whole tag.
    pub attribute: Option<String>,
    /// Where `<tag` or `name=value` is written in the Markdown source, in bytes.
    pub at: Range<usize>,
}

/// The tags and attributes of raw HTML that the sanitizer drops, in order: a tag it drops is
/// named once, without its attributes; URL attributes whose URL is unsafe are `unsafe_links`'.
pub fn dropped_html(source: &str) -> Vec<DroppedHtml> {
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        let (Event::Html(html) | Event::InlineHtml(html)) = event else {
            continue;
        };
        for tag in html::tags(&html) {
            let shift = |at: Range<usize>| range.start + at.start..range.start + at.end;
            if !KEPT.tags.contains(tag.name.as_str()) {
                found.push(DroppedHtml {
                    tag: tag.name,
                    attribute: None,
                    at: shift(tag.at),
                });
                continue;
            }
            let kept = KEPT.by_tag.get(tag.name.as_str());
            for (name, _, at) in tag.attributes {
                let name = name.as_str();
                if !(KEPT.generic.contains(name) || kept.is_some_and(|k| k.contains(name))) {
                    found.push(DroppedHtml {
                        tag: tag.name.clone(),
                        attribute: Some(name.to_owned()),
                        at: shift(at),
                    });
                }
            }
        }
    }
    found
}

/// Whether a link target may appear in output: relative, or an allowed scheme.
/// Browsers ignore ASCII whitespace and control characters inside a scheme
/// (`java\tscript:`), so those are removed before looking.
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect();
    match scheme_of(&cleaned) {
        None => true,
        Some(scheme) => ["http", "https", "mailto"]
            .iter()
            .any(|s| s.eq_ignore_ascii_case(scheme)),
    }
}

/// The scheme of an absolute URL, or `None` for a relative one.
pub fn scheme_of(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let candidate = &url[..colon];
    let first_is_alpha = candidate
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic());
    let all_scheme_chars = candidate
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (first_is_alpha && all_scheme_chars).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obfuscated_schemes_are_unsafe() {
        assert!(!is_safe_url("java\tscript:alert(1)"));
        assert!(!is_safe_url(" JAVASCRIPT:alert(1)"));
        assert!(!is_safe_url("data:text/html,hi"));
        assert!(!is_safe_url("vbscript:x"));
        assert!(is_safe_url("/relative/path"));
        assert!(is_safe_url("#anchor"));
        assert!(is_safe_url("MAILTO:a@b.c"));
    }

    #[test]
    fn every_unsafe_link_is_found_where_it_is_written() {
        let source = "See [a](javascript:x) and\n![i](data:image/png;base64,AA) then \
                      [b](jav&#x61;script:y) and <a href=\"jav&#97;script:z\">c</a>\n\n\
                      <img src='vbscript:w'>\n";
        let found = unsafe_links(source);
        let urls: Vec<_> = found.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "javascript:x",
                "data:image/png;base64,AA",
                "javascript:y",
                "javascript:z",
                "vbscript:w"
            ]
        );
        let written: Vec<_> = found.iter().map(|l| &source[l.at.clone()]).collect();
        assert_eq!(written[0], "[a](javascript:x)");
        assert_eq!(written[3], "href=\"jav&#97;script:z\"");
        assert_eq!(written[4], "src='vbscript:w'");
        assert!(found[1].image && found[4].image && !found[3].image);
        assert!(
            unsafe_links("[ok](https://x) <a href=\"/rel\">r</a> <b title=\"javascript:\">")
                .is_empty()
        );
    }
}
