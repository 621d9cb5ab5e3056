//! XML escaping for the XML families (feeds, badges, sitemap; replay's plain pages reuse it):
//! every text from an incident file or status.yaml passes through `escape` before it lands in
//! one of them. Never touches the disk.

/// Escapes text for XML content and attribute values, and drops the characters XML 1.0
/// forbids: one control character pasted from a terminal would make the whole feed unreadable.
pub(crate) fn escape(text: &str) -> String {
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

/// HTML for an element readers take as HTML (RSS `<description>`), as a CDATA section: the
/// markup as written, so an HTML reader shows `&amp;` as `&` (a text reader shows the markup as
/// text; neither runs it, as the HTML is sanitized). A `]]>` inside is split across two
/// sections; characters XML forbids are dropped, as `escape` drops them.
pub(crate) fn cdata(html: &str) -> String {
    let kept: String = (html.chars())
        .filter(|c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect();
    format!("<![CDATA[{}]]>", kept.replace("]]>", "]]]]><![CDATA[>"))
}

#[cfg(test)]
mod tests {
    use super::{cdata, escape};

    #[test]
    fn cdata_keeps_markup_and_splits_its_own_end() {
        assert_eq!(
            cdata("<p>AT&amp;T a]]>b\u{1}</p>"),
            "<![CDATA[<p>AT&amp;T a]]]]><![CDATA[>b</p>]]>"
        );
    }

    #[test]
    fn xml_escape_drops_characters_xml_forbids() {
        assert_eq!(
            escape("a\u{1}b\u{b}\u{1b}[31m<&>\"'\tz\u{ffff}"),
            "ab[31m&lt;&amp;&gt;&quot;&#39;\tz"
        );
    }
}
