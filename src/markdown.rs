//! Markdown as incident files write it: the parser options every reader uses, and which link
//! targets are safe. Shared by the loader (which reports unsafe links) and the renderer (which
//! drops them), so both agree. Never renders anything; never imports anything of candor's.

use pulldown_cmark::{Event, Options, Parser, Tag};

/// The CommonMark extensions incident texts may use.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// The URLs of the links and images rendering drops as unsafe, in order: what `load`
/// warns about, without rendering anything.
pub fn unsafe_urls(source: &str) -> Vec<String> {
    Parser::new_ext(source, options())
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if !is_safe_url(&dest_url) =>
            {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect()
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
}
