//! The ids machines key on: Statuspage-shaped 12-character `[a-z0-9]` ids for the page, its
//! components, incidents and updates, and the calendar's UIDs, made from the site's identity
//! (`page_id`) and a key — never from `base_url`, so a domain move or a switch to https keeps
//! every id and no bot reposts an incident (docs/api.md says how they are made).
//!
//! Pure functions of their inputs; never reads the clock, never imports load or render.

use super::{Config, Incident, Service};

/// How long a Statuspage id is.
pub const ID_LEN: usize = 12;

/// Whether `text` is an id as Statuspage writes them: 12 characters of `[a-z0-9]`.
pub fn is_id(text: &str) -> bool {
    text.len() == ID_LEN
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// The page's id: `page_id` from status.yaml, else made from the site's title, the name
/// people know it by (a domain moves more often than a name changes). A site renamed keeps
/// its ids by writing the old `page.id` into status.yaml as `page_id`.
pub fn page_id(config: &Config) -> String {
    match &config.page_id {
        Some(id) => id.clone(),
        None => id("", &format!("page:{}", config.title)),
    }
}

/// An incident's id: its `id:` as written (an imported incident keeps Statuspage's), else
/// made from the page and the slug.
pub fn incident_id(page: &str, i: &Incident) -> String {
    match &i.id {
        Some(id) => id.clone(),
        None => id(page, &format!("incident:{}", i.slug)),
    }
}

/// A service's component id: its `component_id:` as written (an imported component keeps
/// Statuspage's), else made from the page and the service id.
pub fn component_id(page: &str, s: &Service) -> String {
    match &s.component_id {
        Some(id) => id.clone(),
        None => id(page, &format!("component:{}", s.id)),
    }
}

/// A 12-character `[a-z0-9]` id, the same on every build: FNV-1a 64 of the page id and a
/// namespaced key (`component:api`), spread by splitmix64's finalizer, in base 36.
pub fn id(page: &str, key: &str) -> String {
    let mut n = hash(page, key) % 36u64.pow(ID_LEN as u32);
    let mut digits = ['0'; ID_LEN];
    for d in digits.iter_mut().rev() {
        *d = char::from_digit((n % 36) as u32, 36).unwrap_or('0');
        n /= 36;
    }
    digits.iter().collect()
}

/// FNV-1a 64 of the page id, a zero byte and the key, spread by splitmix64's finalizer.
fn hash(page: &str, key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in page.bytes().chain([0]).chain(key.bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    // FNV-1a moves few bits for a change in the last byte (`update:x:1` vs `:2`);
    // splitmix64's finalizer spreads it so neighbouring ids do not look alike.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// A feed's or a feed entry's `urn:uuid:` (RFC 4122 URN; a version 8 UUID, RFC 9562's form for
/// ids made by one's own recipe), the same on every build and across a domain move: the
/// 128 bits are the hashes of `feed:KEY` and `feed2:KEY` (page id first, as for `id`), with
/// the version and variant bits set. Feed readers key entries on it, so an id made from
/// `base_url` would re-show every entry after a move.
pub fn feed_uuid(page: &str, key: &str) -> String {
    let hi = (hash(page, &format!("feed:{key}")) & !0xf000) | 0x8000;
    let lo = (hash(page, &format!("feed2:{key}")) & !(0b11 << 62)) | (0b10 << 62);
    format!(
        "urn:uuid:{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_twelve_base36_characters_and_depend_on_page_and_key() {
        let a = id("abc", "incident:fire");
        assert!(is_id(&a), "{a}");
        assert_eq!(a, id("abc", "incident:fire"));
        assert_ne!(a, id("abd", "incident:fire"));
        assert_ne!(id("p", "update:x:1"), id("p", "update:x:2"));
    }

    #[test]
    fn feed_uuids_are_version_8_rfc_9562_uuids_of_page_and_key() {
        let u = feed_uuid("kctbh9vrtdwd", "incident:69sb0f8lydp4");
        let hex: Vec<&str> = u.trim_start_matches("urn:uuid:").split('-').collect();
        let lens: Vec<usize> = hex.iter().map(|h| h.len()).collect();
        assert_eq!(lens, [8, 4, 4, 4, 12], "{u}");
        assert!(hex[2].starts_with('8'), "version 8: {u}");
        assert!(
            matches!(&hex[3][..1], "8" | "9" | "a" | "b"),
            "RFC variant: {u}"
        );
        assert_eq!(u, feed_uuid("kctbh9vrtdwd", "incident:69sb0f8lydp4"));
        assert_ne!(u, feed_uuid("kctbh9vrtdwe", "incident:69sb0f8lydp4"));
        assert_ne!(u, feed_uuid("kctbh9vrtdwd", "incident:69sb0f8lydp5"));
    }

    #[test]
    fn only_twelve_lowercase_letters_and_digits_are_an_id() {
        assert!(is_id("kctbh9vrtdwd"));
        for bad in [
            "kctbh9vrtdw",
            "kctbh9vrtdwdd",
            "KCTBH9VRTDWD",
            "kctbh9vrtdw-",
            "",
        ] {
            assert!(!is_id(bad), "{bad}");
        }
    }
}
