//! What one deploy does to one target: which files to upload, in which order, and which to
//! remove, from the built files' digests and the target's.
//!
//! Pure: never touches the disk or the network, so the order is unit-tested.

use super::LocalFile;
use std::collections::BTreeMap;

/// The file in each target that says candor publishes there. A target that holds files but
/// not this one is someone else's folder: candor removes nothing from it.
pub const MARKER: &str = ".candor-deploy";
pub const MARKER_TEXT: &str = "This folder is published by `candor deploy`: files here that the \
                               site does not have are removed at the next deploy.\n";

/// Files that link to pages (feeds, the API, the sitemap) or tell a host how to serve them:
/// they go after the pages, so a link in them never leads to a page not yet there.
pub const LINKING: &[&str] = &["atom", "rss", "json", "xml", "ics", "txt"];

/// Uploads in the order they must happen, then removals.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan<'a> {
    pub uploads: Vec<&'a LocalFile>,
    pub removals: Vec<String>,
    pub unchanged: usize,
}

/// `remote` maps each path in the target to the MD5 of its bytes (hex), the marker included.
pub fn plan<'a>(local: &'a [LocalFile], remote: &BTreeMap<String, String>) -> Plan<'a> {
    let mut uploads: Vec<&LocalFile> = (local.iter())
        .filter(|f| remote.get(&f.path) != Some(&f.md5))
        .collect();
    uploads.sort_by(|a, b| order(&a.path).cmp(&order(&b.path)));
    let ours: std::collections::HashSet<&str> = local.iter().map(|f| f.path.as_str()).collect();
    let removals = (remote.keys())
        .filter(|path| *path != MARKER && !ours.contains(path.as_str()))
        .cloned()
        .collect();
    Plan {
        unchanged: local.len() - uploads.len(),
        uploads,
        removals,
    }
}

/// Why the order: what pages embed (styles, scripts, badges, images) first; then pages,
/// deepest first, so the front page is the last to link to a new incident page; then what
/// links to pages (feeds, the API, the sitemap, hosting rules).
fn order(path: &str) -> (u8, std::cmp::Reverse<usize>, &str) {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    let name = path.rsplit('/').next().unwrap_or(path);
    let rank = if extension == "html" {
        1
    } else if LINKING.contains(&extension) || name.starts_with('_') {
        2
    } else {
        0
    };
    let depth = if rank == 1 {
        path.matches('/').count()
    } else {
        0
    };
    (rank, std::cmp::Reverse(depth), path)
}

/// Whether a target that lists `remote` may be published to: it is empty, or it has the marker.
pub fn is_ours(remote: &BTreeMap<String, String>) -> bool {
    remote.is_empty() || remote.contains_key(MARKER)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, md5: &str) -> LocalFile {
        LocalFile {
            path: path.to_owned(),
            bytes: Vec::new(),
            md5: md5.to_owned(),
        }
    }

    #[test]
    fn assets_then_pages_deepest_first_then_feeds_and_the_api() {
        let local = [
            "index.html",
            "api/v2/summary.json",
            "feed.atom",
            "incidents/a/index.html",
            "static/style.css",
            "incidents/a/chart.css",
            "history/index.html",
            "_headers",
            "services/web/badge.svg",
        ]
        .map(|p| file(p, "new"));
        let order: Vec<&str> = (plan(&local, &BTreeMap::new()).uploads.iter())
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(
            order,
            [
                "incidents/a/chart.css",
                "services/web/badge.svg",
                "static/style.css",
                "incidents/a/index.html",
                "history/index.html",
                "index.html",
                "_headers",
                "api/v2/summary.json",
                "feed.atom",
            ]
        );
    }

    #[test]
    fn only_changed_files_move_and_files_the_site_lost_are_removed() {
        let local = [
            file("index.html", "1"),
            file("a.css", "2"),
            file("b.css", "3"),
        ];
        let remote: BTreeMap<String, String> = [
            ("index.html", "1"),
            ("a.css", "old"),
            ("gone.html", "4"),
            (MARKER, "5"),
        ]
        .into_iter()
        .map(|(p, m)| (p.to_owned(), m.to_owned()))
        .collect();
        let plan = plan(&local, &remote);
        let uploads: Vec<&str> = plan.uploads.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(uploads, ["a.css", "b.css"]);
        assert_eq!(plan.removals, ["gone.html"]);
        assert_eq!(plan.unchanged, 1);
    }

    #[test]
    fn a_target_with_files_but_no_marker_is_not_ours() {
        let mut remote = BTreeMap::new();
        assert!(is_ours(&remote));
        remote.insert("notes.txt".to_owned(), "1".to_owned());
        assert!(!is_ours(&remote));
        remote.insert(MARKER.to_owned(), "2".to_owned());
        assert!(is_ours(&remote));
    }
}
