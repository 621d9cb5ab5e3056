//! Output paths and the links between pages: relative everywhere, absolute only from `base_url`.
//! Pure string arithmetic on `base_url` and our own paths: never touches the disk, and never
//! escapes (each family escapes a URL the way its format needs).

/// The page of one incident, relative to the site root.
pub fn incident_page(slug: &str) -> String {
    format!("incidents/{slug}/index.html")
}

pub fn service_page(id: &str) -> String {
    format!("services/{id}/index.html")
}

/// History page `n` (1-based): the first is `history/index.html`.
pub fn history_page(n: usize) -> String {
    if n <= 1 {
        "history/index.html".to_owned()
    } else {
        format!("history/{n}/index.html")
    }
}

/// The prefix that leads from a page at `path` back to the site root: `../../` for
/// `incidents/x/index.html`. Relative links work at a domain root, under a subpath and from `file://`.
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The absolute URL of an output path, for feeds, the sitemap and canonical links.
/// Links name folders (`incidents/x/`), as a host serves their `index.html`.
pub fn absolute(base_url: &str, path: &str) -> String {
    format!(
        "{base_url}{}",
        path.strip_suffix("index.html").unwrap_or(path)
    )
}

/// The path part of `base_url` (`/status/` for `https://org.github.io/status/`): the root of
/// `404.html`, the one page a host serves at any depth.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_owned(),
        None => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_lead_back_to_the_root() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("history/index.html"), "../");
        assert_eq!(root_prefix(&incident_page("fire")), "../../");
    }

    #[test]
    fn base_path_of_a_subpath_site() {
        assert_eq!(base_path("https://org.github.io/status/"), "/status/");
        assert_eq!(base_path("https://status.example.com/"), "/");
        assert_eq!(
            absolute("https://s.example/", "incidents/fire/index.html"),
            "https://s.example/incidents/fire/"
        );
    }
}
