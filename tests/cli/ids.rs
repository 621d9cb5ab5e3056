//! The API's ids as a user meets them: two incident files claiming one id are an error at the
//! second file's `id:` line, naming the first; and an id computed by hand from docs/api.md's
//! recipe is the id the built API gives.

use crate::support::*;
use serde_json::Value;

const AFTER: &str = "2022-11-30T00:00:00+09:00";

#[test]
fn a_duplicate_incident_id_points_at_the_second_files_id_line_and_names_the_first() {
    let site = sample_site();
    let first = site
        .path()
        .join("incidents/2022-09-20-kakao-t-slow-taxi-dispatch.yaml");
    let text = read(&first);
    std::fs::write(&first, format!("id: 69sb0f8lydp4\n{text}")).expect("write");
    let second = site
        .path()
        .join("incidents/2022-10-11-kakao-map-transit-directions.yaml");
    let text = read(&second);
    std::fs::write(&second, format!("# imported\nid:   69sb0f8lydp4\n{text}")).expect("write");
    on_site("check", site.path(), AFTER)
        .exits(1)
        .says("--> incidents/2022-10-11-kakao-map-transit-directions.yaml:2:7")
        .says("2 | id:   69sb0f8lydp4")
        .says("is already the id of incidents/2022-09-20-kakao-t-slow-taxi-dispatch.yaml (line 1)");
}

/// docs/api.md's recipe, written from the text alone: FNV-1a 64 over the page id, a zero byte
/// and the key; splitmix64's finalizer; the value modulo 36^12 in base 36, padded to 12.
fn documented_id(page: &str, key: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in page.bytes().chain([0u8]).chain(key.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d049bb133111eb);
    h ^= h >> 31;
    let mut n = h % 36u64.pow(12);
    let mut out = Vec::new();
    for _ in 0..12 {
        out.push(char::from_digit((n % 36) as u32, 36).expect("digit"));
        n /= 36;
    }
    out.iter().rev().collect()
}

#[test]
fn ids_computed_from_the_documented_recipe_are_the_apis() {
    let site = sample_site();
    let out = site.path().join("public");
    build(site.path(), &out, AFTER);
    let json = |p: &str| -> Value {
        serde_json::from_str(&read(&out.join("api/v2").join(p))).expect("json")
    };
    let title = "Kakao Status";
    assert!(read(&site.path().join("status.yaml")).contains(&format!("title:\n  en: {title}\n")));
    let page = documented_id("", &format!("page:{title}"));
    let status = json("status.json");
    assert_eq!(status["page"]["id"], page.as_str());
    let incidents = json("incidents.json");
    let fire = (incidents["incidents"].as_array().expect("list").iter())
        .find(|i| {
            i["shortlink"]
                .as_str()
                .is_some_and(|s| s.ends_with("/2022-10-15-pangyo-data-center-fire/"))
        })
        .expect("the fire");
    let fire_id = documented_id(&page, "incident:2022-10-15-pangyo-data-center-fire");
    assert_eq!(fire["id"], fire_id.as_str());
    let update = &fire["incident_updates"][0];
    let at = chrono::DateTime::parse_from_rfc3339(update["created_at"].as_str().expect("time"))
        .expect("rfc 3339")
        .timestamp_millis();
    assert_eq!(
        update["id"],
        documented_id(&page, &format!("update:{fire_id}:{at}:0")).as_str()
    );
    let components = json("components.json");
    let talk = (components["components"].as_array().expect("list").iter())
        .find(|c| c["name"] == "KakaoTalk")
        .expect("KakaoTalk");
    assert_eq!(
        talk["id"],
        documented_id(&page, "component:kakaotalk").as_str()
    );
}
