//! Statements and apologies where a subscriber reads them, and "now" as the person gave it
//! (issue 15, as a new user tried it): both kinds of quotation are in the feed entries, dated
//! and sorted as the page shows them (a bare date after that day's timed posts, shown as the
//! date alone), and in neither of the API's update lists; `check --now T` measures "after the
//! clock" from T, whatever the system clock or `SOURCE_DATE_EPOCH` says.

use crate::support::*;

/// The text of the first entry's `<content>` in an Atom feed, unescaped once.
fn first_content(feed: &str) -> String {
    let start = feed.find("<content type=\"html\">").expect("an entry") + 21;
    let end = start + feed[start..].find("</content>").expect("closed");
    unescape(&feed[start..end])
}

/// XML text as the HTML it holds.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[test]
fn apologies_and_statements_are_in_the_feeds_in_the_pages_order() {
    let site = copy_site(&fixture("said"));
    let out = tempfile::tempdir().expect("tempdir");
    build(site.path(), out.path(), "2026-11-30 10:00");
    for feed in ["feed.atom", "feed.rss"] {
        let text = read(&out.path().join(feed));
        let content = if feed.ends_with("atom") {
            first_content(&text)
        } else {
            unescape(&text)
        };
        let at = |needle: &str| {
            content
                .find(needle)
                .unwrap_or_else(|| panic!("{feed} lacks {needle:?}:\n{content}"))
        };
        // Newest first: the bare date follows that day's timed posts, so it comes first.
        let order = [
            at("Statement by Dana Reyes"),
            at("Calls work again."),
            at("Apology by Dana Reyes"),
            at("We are sorry for the day without calls."),
            at("Calls fail across the country."),
        ];
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{feed}:\n{content}");
        // A date written without a time is shown as that date, never as its midnight.
        assert!(
            content.contains("<time datetime=\"2026-11-29\">29 Nov 2026</time>"),
            "{feed}:\n{content}"
        );
        assert!(!content.contains(", 00:00"), "{feed}:\n{content}");
    }
}

#[test]
fn check_now_measures_after_the_clock_from_the_time_given() {
    let site = copy_site(&fixture("said"));
    // The system clock (pinned here) is a year later: the resolution at 21:00 is still ahead
    // of the 20:00 the person asked about.
    let a_year_later = 1_827_000_000;
    let args = ["check", "--now", "2026-11-29 20:00"];
    let run = candor_in(site.path(), a_year_later, &args);
    run.exits(0)
        .says("this time is 1 h 0 min after the clock (2026-11-29 20:00 EST)");
    // A clock before the file's times does not count either, when a time is given.
    let a_month_before = 1_762_000_000;
    let args = ["check", "--now", "2026-11-30 10:00"];
    candor_in(site.path(), a_month_before, &args)
        .exits(0)
        .warns_nothing();
}

/// Statuspage has no place for a statement: each is told in the body of the update it fits,
/// the first posted at or after it (the last update for words said after every update).
#[test]
fn apologies_and_statements_are_in_the_api_update_bodies_they_fit() {
    let out = tempfile::tempdir().expect("tempdir");
    build(&fixture("said"), out.path(), "2026-11-30 10:00");
    let text = read(&out.path().join("api/v2/incidents.json"));
    let json: serde_json::Value = serde_json::from_str(&text).expect("incidents.json");
    let updates = json["incidents"][0]["incident_updates"]
        .as_array()
        .expect("updates");
    let body = |status: &str| {
        let update = (updates.iter())
            .find(|u| u["status"] == status)
            .unwrap_or_else(|| panic!("a {status} update"));
        update["body"].as_str().expect("a body").to_owned()
    };
    let resolved = body("resolved");
    assert!(resolved.starts_with("Calls work again.\n\n"), "{resolved}");
    assert!(
        resolved.contains(
            "Apology by Dana Reyes (CEO), 2026-11-29 12:00 EST: We are sorry for the day without calls."
        ),
        "{resolved}"
    );
    assert!(
        resolved.contains("Statement by Dana Reyes (CEO), 2026-11-29: We will build a second data center next year."),
        "{resolved}"
    );
    assert!(!body("investigating").contains("Dana Reyes"));
}
