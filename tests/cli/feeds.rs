//! Feeds as readers find them: every service page links its own Atom and RSS feeds, which hold
//! the incidents that hit the service, and Statuspage's `history.atom`/`history.rss` exist
//! beside `feed.*`. (feedparser reads every one of them served over HTTP: tests/clients/.)

use crate::support::*;

#[test]
fn service_pages_link_their_own_feeds_of_their_incidents() {
    let site = sample_site();
    let out = site.path().join("public");
    build(site.path(), &out, "2022-11-30T00:00:00+09:00");
    let page = read(&out.join("services/kakao-t/index.html"));
    assert!(page.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Kakao T: Atom feed\" href=\"feed.atom\">"
    ));
    assert!(page.contains(
        "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Kakao T: RSS feed\" href=\"feed.rss\">"
    ));
    let atom = read(&out.join("services/kakao-t/feed.atom"));
    assert!(atom.contains("<title type=\"text\">Slow taxi dispatch in Kakao T</title>"));
    assert!(atom.contains("Pangyo"));
    // Kakao T had no part in the transit directions incident of Kakao Map.
    assert!(!atom.contains("Public-transport directions failing"));
    let rss = read(&out.join("services/kakao-t/feed.rss"));
    assert!(rss.contains("<ttl>5</ttl>"));
    for path in ["history.atom", "history.rss", "feed.atom", "feed.rss"] {
        assert!(read(&out.join(path)).contains("Pangyo"), "{path}");
    }
}
