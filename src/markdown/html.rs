//! Just enough of HTML to find the URL attributes of raw HTML written into Markdown, and to
//! read their values as a browser would (character references decoded), so `check` warns about
//! every URL ammonia drops.
//!
//! Never sanitizes or renders: ammonia does, on the rendered page; this only reads.

use std::ops::Range;

/// The attributes ammonia reads as URLs (its `is_url_attr`), whatever the element: a warning
/// too many on an element ammonia drops whole is still a true warning.
const URL_ATTRIBUTES: [&str; 8] = [
    "href",
    "xlink:href",
    "src",
    "action",
    "data",
    "formaction",
    "ping",
    "poster",
];

/// Each URL attribute in the tags of `html`: its name (lowercase), its value as written, and
/// where the whole `name=value` stands in `html`, in bytes.
pub fn url_attributes(html: &str) -> Vec<(String, &str, Range<usize>)> {
    (tags(html).into_iter())
        .flat_map(|tag| tag.attributes)
        .filter(|(name, _, _)| URL_ATTRIBUTES.contains(&name.as_str()))
        .collect()
}

/// An opening tag of raw HTML: its name (lowercase), where `<name` stands, and its attributes
/// (name in lowercase, value as written, where `name=value` stands), in bytes of the html.
#[derive(Debug)]
pub struct OpenTag<'a> {
    pub name: String,
    pub at: Range<usize>,
    pub attributes: Vec<(String, &'a str, Range<usize>)>,
}

/// The opening tags of `html` (closing tags, comments and doctypes are left out).
pub fn tags(html: &str) -> Vec<OpenTag<'_>> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        let open = i + lt;
        i = open + 1;
        // The tag's name, then its attributes up to `>`.
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
            i += 1;
        }
        let name = html[open + 1..i].trim_end_matches('/').to_ascii_lowercase();
        let mut tag = OpenTag {
            name,
            at: open..i,
            attributes: Vec::new(),
        };
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let start = i;
            while i < bytes.len() && !b" \t\r\n/>=".contains(&bytes[i]) {
                i += 1;
            }
            let name = html[start..i].to_ascii_lowercase();
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if bytes.get(j) != Some(&b'=') {
                if i == start {
                    i += 1;
                } else {
                    tag.attributes.push((name, "", start..i));
                }
                continue;
            }
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let (value, end) = match bytes.get(j) {
                Some(q @ (b'"' | b'\'')) => {
                    let close = html[j + 1..]
                        .find(*q as char)
                        .map_or(html.len(), |k| j + 1 + k);
                    (&html[j + 1..close], (close + 1).min(html.len()))
                }
                _ => {
                    let stop = html[j..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(html.len(), |k| j + k);
                    (&html[j..stop], stop)
                }
            };
            tag.attributes.push((name, value, start..end));
            i = end;
        }
        let is_tag = tag.name.starts_with(|c: char| c.is_ascii_alphabetic());
        if is_tag {
            found.push(tag);
        }
    }
    found
}

/// `value` with its character references decoded as a browser reads an attribute: numeric
/// ones (`&#106;`, `&#x6A;`, with or without `;`) and the named ones that can hide a scheme's
/// colon or split it with whitespace. No named reference stands for a letter, so a scheme
/// cannot hide behind any other.
pub fn decode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let (decoded, used) = reference(rest).unwrap_or(('&', 1));
        out.push(decoded);
        rest = &rest[used..];
    }
    out.push_str(rest);
    out
}

/// The character a reference at the start of `text` (`&…`) stands for, and its length.
fn reference(text: &str) -> Option<(char, usize)> {
    if let Some(num) = text.strip_prefix("&#") {
        let (hex, digits) = match num.strip_prefix(['x', 'X']) {
            Some(h) => (true, h),
            None => (false, num),
        };
        let len = digits
            .find(|c: char| {
                !(if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                })
            })
            .unwrap_or(digits.len());
        let code = u32::from_str_radix(&digits[..len], if hex { 16 } else { 10 }).ok()?;
        let semi = usize::from(digits[len..].starts_with(';'));
        let used = 2 + usize::from(hex) + len + semi;
        return Some((char::from_u32(code).unwrap_or('\u{FFFD}'), used));
    }
    for (name, c) in [
        ("&colon;", ':'),
        ("&Tab;", '\t'),
        ("&NewLine;", '\n'),
        ("&amp;", '&'),
        ("&sol;", '/'),
    ] {
        if text.starts_with(name) {
            return Some((c, name.len()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_that_hide_a_scheme_are_decoded() {
        assert_eq!(decode("jav&#x61;script&colon;x"), "javascript:x");
        assert_eq!(decode("&#106avascript:x"), "javascript:x");
        assert_eq!(decode("java&Tab;script:x"), "java\tscript:x");
        assert_eq!(decode("a&b&#;"), "a&b&#;");
    }

    #[test]
    fn url_attributes_in_any_quoting() {
        let html = "<a class=x HREF = \"j:1\" data-x='y'><img src=j:2 alt=''/><p>href=no</p>";
        let found = url_attributes(html);
        let pairs: Vec<_> = found.iter().map(|(n, v, _)| (n.as_str(), *v)).collect();
        assert_eq!(pairs, [("href", "j:1"), ("src", "j:2")]);
        assert_eq!(&html[found[0].2.clone()], "HREF = \"j:1\"");
    }
}
