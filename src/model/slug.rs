//! The slug pattern, `[a-z0-9][a-z0-9-]*`: the one check of an incident slug or a service id,
//! and the one way to make a slug from free text. Both `load` (file names, service ids) and
//! `authoring` (`new`, `update`'s argument) use it, so what `new` names a file `check` accepts.
//!
//! Pure string functions: never touches the disk, never reports (callers word their own errors).

/// Whether `text` matches `[a-z0-9][a-z0-9-]*`: the pattern of incident slugs and service ids.
/// A slug becomes an output folder, and the pattern also keeps `..`, `/` and absolute paths out.
pub fn is_slug(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `text` as a slug: ASCII letters and digits lowercased, every other run of characters one
/// `-`, none leading or trailing; apostrophes vanish (`Can't` → `cant`). `None` when `text` has
/// no ASCII letter or digit, so each caller picks its own fallback. No length limit.
pub fn slugify(text: &str) -> Option<String> {
    let mut slug = String::new();
    for c in text.chars().filter(|c| !matches!(c, '\'' | '’')) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    (!slug.is_empty()).then(|| slug.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lowercase_ascii_words_joined_by_dashes_are_slugs() {
        for good in ["2022-10-15-fire", "a", "0", "kakao-talk", "a--b", "a-"] {
            assert!(is_slug(good), "{good:?}");
        }
        for bad in ["", "-x", "X", "a.b", "..", "a/b", "a\\b", "café", "a b"] {
            assert!(!is_slug(bad), "{bad:?}");
        }
    }

    #[test]
    fn made_slugs_are_slugs() {
        assert_eq!(slugify("Bad Slug").as_deref(), Some("bad-slug"));
        assert_eq!(slugify("Can't log in").as_deref(), Some("cant-log-in"));
        assert_eq!(slugify("  --API--  ").as_deref(), Some("api"));
        assert_eq!(slugify("판교 데이터센터 화재"), None);
        for text in ["Fire at Pangyo!", "-x-", "2022_10_15 Outage"] {
            assert!(slugify(text).is_some_and(|s| is_slug(&s)), "{text:?}");
        }
    }
}
