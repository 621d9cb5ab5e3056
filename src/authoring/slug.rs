//! Incident slugs as `new` and `update` meet them: reading one from the command line, and the
//! slug of a new incident's title. The pattern and the character rules are `model::slug`'s, the
//! one copy `check` also uses; this file adds only the command line's forms and a length limit.
//!
//! Never touches the disk.

use super::AuthoringError;
use crate::model::slug::{is_slug, slugify};

/// Longest slug part made from a title; the date prefix comes on top.
const MAX_SLUG: usize = 60;

/// Reads a slug argument: `SLUG`, `SLUG.yaml` or `incidents/SLUG.yaml`, and checks it against
/// `[a-z0-9][a-z0-9-]*`, which also keeps `../` and absolute paths out.
pub fn parse_slug(arg: &str) -> Result<&str, AuthoringError> {
    let slug = arg.strip_prefix("incidents/").unwrap_or(arg);
    let slug = slug.strip_suffix(".yaml").unwrap_or(slug);
    if is_slug(slug) {
        Ok(slug)
    } else {
        Err(AuthoringError::BadSlug(arg.to_owned()))
    }
}

/// A title as a slug of `[a-z0-9-]`, at most `MAX_SLUG` long, cut at a word; `incident` when
/// the title has no letter or digit in any script.
pub fn title_slug(title: &str) -> String {
    let Some(mut slug) = slugify(title) else {
        return "incident".to_owned();
    };
    if slug.len() > MAX_SLUG {
        // Only ASCII is in a slug, so any byte index is a char boundary.
        let cut = slug[..=MAX_SLUG]
            .rfind('-')
            .filter(|&i| i > 0)
            .unwrap_or(MAX_SLUG);
        slug.truncate(cut);
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authoring::template::STATUS_YAML;
    use crate::authoring::tests::{site_with, utc};
    use crate::authoring::{Edit, edit_incident};
    use std::fs;

    #[test]
    fn slugs_that_leave_the_incidents_folder_are_refused() {
        for bad in [
            "../x",
            "incidents/../x.yaml",
            "/etc/passwd",
            "a/b",
            "",
            "-x",
            "X",
            "a.b",
            "..",
            "a\\b",
        ] {
            assert!(
                matches!(parse_slug(bad), Err(AuthoringError::BadSlug(_))),
                "{bad:?}"
            );
        }
        for good in [
            "2022-10-15-fire",
            "2022-10-15-fire.yaml",
            "incidents/2022-10-15-fire.yaml",
        ] {
            assert_eq!(parse_slug(good).expect("slug"), "2022-10-15-fire");
        }
        let site = site_with(STATUS_YAML);
        let update = Edit::Update {
            status: Some("identified"),
            message: "x",
        };
        let err = edit_incident(
            site.path(),
            "../status",
            &[update],
            utc("2024-01-01T00:00:00Z"),
        );
        assert!(matches!(err, Err(AuthoringError::BadSlug(_))));
        assert_eq!(
            fs::read_to_string(site.path().join("status.yaml")).expect("read"),
            STATUS_YAML
        );
    }

    #[test]
    fn titles_become_short_ascii_slugs() {
        assert_eq!(
            title_slug("Kakao services down: fire at Pangyo!"),
            "kakao-services-down-fire-at-pangyo"
        );
        assert_eq!(title_slug("Can't log in"), "cant-log-in");
        assert_eq!(title_slug("  --API--  "), "api");
        assert_eq!(
            title_slug("판교 데이터센터 화재"),
            "pangyo-deiteosenteo-hwajae"
        );
        assert_eq!(title_slug("🔥🔥"), "incident");
        let long = title_slug(&"word ".repeat(30));
        assert!(long.len() <= MAX_SLUG && long.ends_with("word"), "{long}");
    }
}
