//! The sample Kakao site at the repository root, built as of a few days after the fire.
//! Builds a copy, never into the repository's own `public/`.

use crate::support::*;

const NOW: &str = "2022-10-25T00:00:00+09:00";
const FIRE: &str = "incidents/2022-10-15-pangyo-data-center-fire/index.html";

fn build_sample() -> tempfile::TempDir {
    let site = sample_site();
    let run = build(site.path(), &site.path().join("public"), NOW);
    assert!(
        run.stderr.is_empty(),
        "the sample builds without warnings: {}",
        run.stderr
    );
    assert!(run.stdout.contains("files written"), "{}", run.stdout);
    site
}

#[test]
fn the_incident_page_tells_the_whole_story() {
    let site = build_sample();
    let page = read(&site.path().join("public").join(FIRE));
    for service in ["KakaoTalk", "KakaoPay", "Kakao T", "Kakao Map", "Daum Mail"] {
        assert!(page.contains(service), "the chart names {service}");
    }
    // Staged restoration: each service's restoration appears in the timeline.
    assert!(
        page.contains("KakaoTalk restored"),
        "KakaoTalk's restoration is on the timeline"
    );
    assert!(page.contains("KakaoPay restored"));
    assert!(
        page.contains("Partial outage"),
        "stages are shown with their impact"
    );
    // The apology, the resignation and the commitments.
    assert!(page.contains("Apology by Hong Eun-taek"));
    assert!(page.contains("Namkoong Whon"));
    assert!(page.contains("resigned"));
    assert!(page.contains("Ansan"));
    assert!(page.contains("Siheung"));
    // Times carry the exact instant and the site zone.
    assert!(page.contains("datetime=\"2022-10-15T15:30:00+09:00\""));
    assert!(page.contains("15 Oct 2022, 15:30 KST"));
    assert!(
        page.contains("5 days 7 hours"),
        "the duration reads like words"
    );
}

#[test]
fn the_front_page_marks_the_outage_days_on_every_bar() {
    let site = build_sample();
    let index = read(&site.path().join("public/index.html"));
    let status = read(&repo().join("status.yaml"));
    let services = status.matches("\n  - id: ").count();
    assert!(
        services >= 10,
        "the sample lists the services the facts name"
    );
    // Every service is hit by the fire, so every bar has a day of 15 Oct marked with words.
    let marked = index.matches("15 Oct 2022: major outage").count()
        + index.matches("15 Oct 2022: partial outage").count();
    // Each marked day's words are written twice: in its hover tip and in the bar's list of days.
    assert_eq!(
        marked,
        2 * services,
        "one marked 15 October per service bar"
    );
    assert!(
        index.contains("16 Oct 2022: "),
        "the days after are labelled too"
    );
    assert!(
        index.contains("24 Oct 2022: no incidents"),
        "quiet days say so in words"
    );
    assert!(
        index.contains("All systems operational"),
        "on 25 October everything is back"
    );
}

#[test]
fn history_and_service_pages_list_the_fire() {
    let site = build_sample();
    let public = site.path().join("public");
    let history = read(&public.join("history/index.html"));
    assert!(history.contains("Kakao services down after a fire at the Pangyo data center"));
    assert!(history.contains("October 2022"));
    let talk = read(&public.join("services/kakaotalk/index.html"));
    assert!(talk.contains("Kakao services down after a fire at the Pangyo data center"));
    assert!(talk.contains('%'), "uptime percentages are shown");
}
