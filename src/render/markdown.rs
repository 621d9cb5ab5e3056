//! Markdown rendering: incident text in, sanitized HTML or plain text out.
//!
//! Incident files come from anyone with commit access, and during an outage people paste
//! from chat: raw HTML goes through ammonia, and links or images whose URL is not
//! http, https, mailto or relative are dropped (their text stays) and reported.
//! `SafeHtml` is made here and nowhere else. Never touches the disk.

use crate::markdown::{SANITIZER, is_safe_url, options};
use crate::model::Text;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

/// HTML that is safe to put into a page as is. Only `markdown::render` makes one, so a
/// template's `| safe` on a `*_html` field never lets incident text through unsanitized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SafeHtml(String);

impl SafeHtml {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The result of rendering one Markdown text.
#[derive(Debug)]
pub struct Rendered {
    pub html: SafeHtml,
    /// URLs of links and images that were dropped as unsafe, in the order they appear.
    pub dropped_urls: Vec<String>,
}

pub fn render(source: &str) -> Rendered {
    let mut dropped_urls = Vec::new();
    // A stack of "is this open link/image dropped?" so the matching end tag is dropped too.
    let mut open: Vec<bool> = Vec::new();
    let events = Parser::new_ext(source, options()).filter_map(|event| match event {
        Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
            let safe = is_safe_url(dest_url);
            if !safe {
                dropped_urls.push(dest_url.to_string());
            }
            open.push(safe);
            safe.then_some(event)
        }
        Event::End(TagEnd::Link | TagEnd::Image) => open.pop().unwrap_or(true).then_some(event),
        other => Some(other),
    });
    let mut raw_html = false;
    let events = events.inspect(|e| raw_html |= matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let mut out = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, events);
    // pulldown-cmark escapes all text and attribute values itself, and unsafe URLs are gone
    // already: only raw HTML written into the Markdown needs ammonia (a fifth of a build's
    // loading time when run on every text).
    let html = if raw_html {
        SANITIZER.clean(&out).to_string()
    } else {
        out
    };
    Rendered {
        html: SafeHtml(html),
        dropped_urls,
    }
}

/// A text of an incident file as sanitized HTML: a paragraph-free fragment for a one-line field.
/// A text shown untranslated on another language's page is wrapped in an element that
/// carries its language (`Text::fallback`).
pub fn html(text: &Text) -> SafeHtml {
    let html = if text.inline {
        render_inline(&text.source).html
    } else {
        render(&text.source).html
    };
    match &text.fallback {
        None => html,
        Some(language) => {
            let element = if text.inline { "span" } else { "div" };
            // A language tag comes from status.yaml: escaped like any attribute value.
            let language = super::xml::escape(language);
            SafeHtml(format!(
                "<{element} lang=\"{language}\">{}</{element}>",
                html.0
            ))
        }
    }
}

/// Renders a one-line Markdown text (a stage note) without the wrapping paragraph.
pub fn render_inline(source: &str) -> Rendered {
    let mut rendered = render(source);
    let html = rendered.html.0.trim();
    if let Some(inner) = html
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
        .filter(|inner| !inner.contains("<p>"))
    {
        rendered.html = SafeHtml(inner.to_owned());
    }
    rendered
}

/// A text of an incident file as plain text (`plain_text`).
pub fn plain(text: &Text) -> String {
    plain_text(&text.source)
}

/// Markdown as plain text, for the JSON API and iCalendar, which clients show as text: the
/// YAML's line wraps joined, paragraphs apart by a blank line, list items on lines of their own
/// with their marker (`- `, `1. `, indented two spaces per level), hard breaks kept. Raw HTML
/// is dropped; a safe link keeps its URL in brackets after its text, an unsafe one its text.
pub fn plain_text(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut links: Vec<Option<String>> = Vec::new();
    // Per open list: the next number of an ordered list, `None` for a bulleted one.
    let mut lists: Vec<Option<u64>> = Vec::new();
    // Right after an item's marker: its first paragraph starts on the marker's line.
    let mut after_marker = false;
    for event in Parser::new_ext(source, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                out.push_str(&t);
                after_marker = false;
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push(is_safe_url(&dest_url).then(|| dest_url.to_string()));
            }
            Event::End(TagEnd::Link) => {
                if let Some(Some(url)) = links.pop() {
                    out.push_str(&format!(" ({url})"));
                }
            }
            Event::Start(Tag::List(first)) => {
                if lists.is_empty() {
                    block_break(&mut out);
                } else {
                    line_break(&mut out);
                }
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                line_break(&mut out);
                out.push_str(&"  ".repeat(lists.len().saturating_sub(1)));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("- "),
                }
                after_marker = true;
            }
            Event::Start(
                Tag::Paragraph | Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::BlockQuote(_),
            ) if !after_marker => {
                if lists.is_empty() {
                    block_break(&mut out);
                } else {
                    // A later paragraph of a list item: under its text.
                    line_break(&mut out);
                    out.push_str(&"  ".repeat(lists.len()));
                }
            }
            _ => {}
        }
    }
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    lines.join("\n").trim().to_owned()
}

/// Ends the text so far with a blank line (nothing at the very start).
fn block_break(out: &mut String) {
    if out.is_empty() {
        return;
    }
    while !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// Ends the text so far with a line break (nothing at the very start).
fn line_break(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_tags_are_removed() {
        let out = render("hello <script>alert(1)</script> world");
        assert!(
            !out.html.as_str().contains("<script"),
            "{}",
            out.html.as_str()
        );
        assert!(out.html.as_str().contains("hello"));
    }

    #[test]
    fn javascript_links_are_dropped_and_reported() {
        let out = render("[click](javascript:alert(1)) and [ok](https://example.com)");
        assert_eq!(out.dropped_urls, vec!["javascript:alert(1)"]);
        assert!(!out.html.as_str().contains("javascript"));
        assert!(out.html.as_str().contains("click"));
        assert!(out.html.as_str().contains("https://example.com"));
    }

    #[test]
    fn entity_encoded_schemes_are_caught_after_decoding() {
        let out = render("[x](&#106;avascript:alert(1)) [y](java&#x09;script:alert(2))");
        assert_eq!(out.dropped_urls.len(), 2, "{:?}", out.dropped_urls);
        assert!(
            !out.html.as_str().contains("script:"),
            "{}",
            out.html.as_str()
        );
    }

    #[test]
    fn raw_html_attributes_are_sanitized() {
        let out =
            render("<a href=\"javascript:x\" onclick=\"y\">a</a><img src=x onerror=alert(1)>");
        let html = out.html.as_str();
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
    }

    #[test]
    fn plain_text_keeps_words_and_safe_urls_only() {
        let text =
            plain_text("Hi <b>there</b> [a](https://x.example) [b](javascript:alert(1))\n\nNext");
        assert_eq!(text, "Hi there a (https://x.example) b\n\nNext");
    }

    #[test]
    fn plain_text_joins_wraps_and_keeps_paragraphs_and_list_markers() {
        let source = "Where things stand\nat 08:00:\n\n- **KakaoTalk:** texts work;\n  photos do not.\n- Kakao Map: opens\n  1. search fails\n  2. routes fail\n\nSorry.  \nThe team";
        assert_eq!(
            plain_text(source),
            "Where things stand at 08:00:\n\n- KakaoTalk: texts work; photos do not.\n\
             - Kakao Map: opens\n  1. search fails\n  2. routes fail\n\nSorry.\nThe team"
        );
        let loose = "1. First\n\n   more\n\n2. Second";
        assert_eq!(plain_text(loose), "1. First\n  more\n2. Second");
    }

    #[test]
    fn inline_render_has_no_paragraph() {
        assert_eq!(
            render_inline("Texts *back*").html.as_str(),
            "Texts <em>back</em>"
        );
    }
}
