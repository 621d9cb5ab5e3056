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

/// `text` as a slug: letters and digits in ASCII, lowercased, every other run of characters one
/// `-`, none leading or trailing; apostrophes vanish (`Can't` → `cant`). Other scripts are
/// transliterated letter by letter (`réseau` → `reseau`, `판교` → `pangyo`, `Ошибка` →
/// `oshibka`), so a title in any language makes a slug its readers can still read; symbols and
/// emoji are separators. `None` when nothing of `text` transliterates to a letter or digit, so
/// each caller picks its own fallback. No length limit.
pub fn slugify(text: &str) -> Option<String> {
    let mut slug = String::new();
    for c in text.chars().filter(|c| !matches!(c, '\'' | '’')) {
        if c.is_ascii() || !c.is_alphanumeric() {
            push_ascii(&mut slug, c);
        } else {
            deunicode::deunicode_char(c)
                .unwrap_or("-")
                .chars()
                .for_each(|c| push_ascii(&mut slug, c));
        }
    }
    let slug = slug.trim_end_matches('-');
    (!slug.is_empty()).then(|| slug.to_owned())
}

/// Appends `c` to a slug being made: a lowercased ASCII letter or digit, else one `-` (none
/// leading, none doubled).
fn push_ascii(slug: &mut String, c: char) {
    if c.is_ascii_alphanumeric() {
        slug.push(c.to_ascii_lowercase());
    } else if !slug.is_empty() && !slug.ends_with('-') {
        slug.push('-');
    }
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
        assert_eq!(slugify("😀 ⚠️ !!"), None);
        for text in [
            "Fire at Pangyo!",
            "-x-",
            "2022_10_15 Outage",
            "東京 障害",
            "Ⅻ ½",
        ] {
            assert!(slugify(text).is_some_and(|s| is_slug(&s)), "{text:?}");
        }
    }

    #[test]
    fn other_scripts_are_transliterated() {
        for (title, slug) in [
            ("Pannes de réseau: été", "pannes-de-reseau-ete"),
            ("판교 데이터센터 화재", "pangyo-deiteosenteo-hwajae"),
            ("KakaoTalk 메시지 장애", "kakaotalk-mesiji-jangae"),
            ("Ошибка входа", "oshibka-vkhoda"),
            ("Straße", "strasse"),
            ("Kakao’s fire 🔥", "kakaos-fire"),
        ] {
            assert_eq!(slugify(title).as_deref(), Some(slug), "{title}");
        }
    }
}
