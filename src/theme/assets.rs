//! Content-hashed names for the theme's `static/` files: `static/style.css` is also written as
//! `static/style.3f9a1c2e.css`, whose name changes whenever its bytes do, so a host may cache it
//! for a year (`immutable`, see `render::hosting`) and a reader never mixes a new page with an old
//! stylesheet. The plain name stays too, for themes and pages elsewhere that link to it.
//!
//! Never reads files; the theme hands it the bytes.

use md5::{Digest, Md5};
use std::collections::BTreeMap;

/// Hex digits of the hash in a name: 32 bits tell a file's versions apart, which is all a
/// cache needs (the name is not a checksum).
const HASH_DIGITS: usize = 8;

/// `static/NAME.EXT` → `static/NAME.HASH.EXT` for every file of `static_files`, with the bytes
/// under the hashed names added to it.
pub fn fingerprint(static_files: &mut BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    let assets: BTreeMap<String, String> = (static_files.iter())
        .map(|(path, bytes)| (path.clone(), hashed_name(path, bytes)))
        .collect();
    for (path, hashed) in &assets {
        if let Some(bytes) = static_files.get(path).cloned() {
            static_files.insert(hashed.clone(), bytes);
        }
    }
    assets
}

/// The hash goes before the last extension (`app.min.js` → `app.min.1a2b3c4d.js`), so hosts
/// still see the file's type; a name without an extension gets it at the end.
fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let hash: String = (Md5::digest(bytes).iter())
        .map(|b| format!("{b:02x}"))
        .collect::<String>()[..HASH_DIGITS]
        .to_owned();
    let (folder, file) = path.rsplit_once('/').unwrap_or(("", path));
    let named = match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{hash}.{ext}"),
        _ => format!("{file}.{hash}"),
    };
    if folder.is_empty() {
        named
    } else {
        format!("{folder}/{named}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_sits_before_the_extension_and_follows_the_bytes() {
        let a = hashed_name("static/style.css", b"body{}");
        let b = hashed_name("static/style.css", b"body{color:red}");
        assert!(a.starts_with("static/style.") && a.ends_with(".css"), "{a}");
        assert_eq!(a.len(), "static/style..css".len() + HASH_DIGITS);
        assert_ne!(a, b);
        assert_eq!(a, hashed_name("static/style.css", b"body{}"));
        assert!(hashed_name("static/app.min.js", b"x").starts_with("static/app.min."));
        assert!(hashed_name("static/LICENSE", b"x").starts_with("static/LICENSE."));
        assert!(hashed_name("static/.hidden", b"x").starts_with("static/.hidden."));
    }

    #[test]
    fn both_names_are_written() {
        let mut files = BTreeMap::from([("static/a.js".to_owned(), b"1".to_vec())]);
        let assets = fingerprint(&mut files);
        let hashed = &assets["static/a.js"];
        assert_eq!(files.len(), 2);
        assert_eq!(files[hashed], b"1");
        assert_eq!(files["static/a.js"], b"1");
    }
}
