//! The interface in Korean and Indonesian (issue 16, item 1): the sample site built with
//! `language: ko` and `language: id` shows no English of the theme, and a theme's translation
//! that lacks keys falls back to English with a warning that `--strict` refuses.

use crate::support::*;
use serde_json::Value;
use std::path::Path;

const NOW: &str = "2022-10-25T00:00:00+09:00";
const WEEKDAYS: [&str; 14] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Mon",
    "Tue",
    "Wed",
    "Thu",
    "Fri",
    "Sat",
    "Sun",
];

fn strings(lang: &str) -> serde_json::Map<String, Value> {
    let path = repo().join(format!("themes/default/i18n/{lang}.yaml"));
    yaml_serde::from_str(&read(&path)).expect("the theme's strings parse")
}

fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(texts).collect(),
        Value::Object(map) => map.values().flat_map(texts).collect(),
        _ => Vec::new(),
    }
}

/// The English a `lang` page must not show: every word run of en.yaml's values (between
/// placeholders) that `lang` does not write the same way, and English month and weekday names
/// that are not also the language's own (Indonesian writes "September" too).
fn english(lang: &str) -> Vec<String> {
    let en = strings("en");
    let ours = strings(lang);
    let mut out = Vec::new();
    for (key, value) in &en {
        // The switcher names each language in itself ("English", with its `lang`) on every page.
        if key.ends_with("_format")
            || ["list_separator", "decimal_separator", "language_name"].contains(&key.as_str())
        {
            continue;
        }
        let theirs = ours.get(key).map(texts).unwrap_or_default();
        for text in texts(value) {
            if theirs.contains(&text) {
                continue;
            }
            for part in without_placeholders(&text).split('\0') {
                let part = part.trim_matches(|c: char| " :,.()%".contains(c));
                if part.chars().filter(char::is_ascii_alphabetic).count() >= 3 {
                    out.push(part.to_owned());
                }
            }
        }
    }
    let own_months: Vec<String> = ["month_long", "month_short"]
        .iter()
        .flat_map(|k| ours.get(*k).map(texts).unwrap_or_default())
        .collect();
    for k in ["month_long", "month_short"] {
        for month in texts(&en[k]) {
            if !own_months.contains(&month) {
                out.push(month);
            }
        }
    }
    out.extend(WEEKDAYS.iter().map(|d| (*d).to_owned()));
    out.sort();
    out.dedup();
    out
}

/// `text` with each `{name}` placeholder replaced by a NUL, where the words around it part.
fn without_placeholders(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                out.push('\0');
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every text scalar of the site's YAML, each with its whitespace collapsed.
fn site_texts(root: &Path) -> Vec<String> {
    let mut files = vec![root.join("status.yaml")];
    files.extend(
        std::fs::read_dir(root.join("incidents"))
            .expect("incidents")
            .map(|e| e.expect("entry").path()),
    );
    let mut out = Vec::new();
    for file in files {
        let value: Value = yaml_serde::from_str(&read(&file)).expect("site YAML");
        out.extend(texts(&value).iter().map(|t| collapse(&t.replace('*', ""))));
    }
    // Longest first, so a title is removed before a name inside it.
    out.sort_by_key(|t| std::cmp::Reverse(t.len()));
    out
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text nodes and the readable attributes of a page, scripts and styles left out.
fn readable(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(open) = rest.find('<') {
        out.push(rest[..open].to_owned());
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open..open + close];
        for attr in ["aria-label=\"", "title=\"", "alt=\"", "content=\""] {
            if let Some(at) = tag.find(attr) {
                let value = &tag[at + attr.len()..];
                out.push(value[..value.find('"').unwrap_or(value.len())].to_owned());
            }
        }
        rest = &rest[open + close + 1..];
        for raw in ["<script", "<style"] {
            if tag.starts_with(raw) {
                let end = format!("</{}", &raw[1..]);
                rest = rest.find(&end).map_or("", |at| &rest[at..]);
            }
        }
    }
    out.iter()
        .map(|t| {
            collapse(
                &t.replace("&amp;", "&")
                    .replace("&quot;", "\"")
                    .replace("&#x27;", "'")
                    .replace("&#39;", "'")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">"),
            )
        })
        .filter(|t| !t.is_empty())
        .collect()
}

fn word_in(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphabetic())
            && !after.is_some_and(|c| c.is_ascii_alphabetic())
    })
}

/// The sample's languages line, its main language first.
const SAMPLE_LANGUAGES: &str = "\nlanguages: [en, ko, id]\n";

/// Builds the sample in `lang` and returns every piece of English of the theme found on its
/// pages, with the page it is on.
fn english_on_sample(lang: &str) -> (tempfile::TempDir, Vec<String>) {
    let site = sample_site();
    let status = site.path().join("status.yaml");
    let text = read(&status);
    // The sample is told in en, ko and id: `lang` becomes its main language, shown on every page.
    let others: Vec<&str> = ["en", "ko", "id"]
        .into_iter()
        .filter(|l| *l != lang)
        .collect();
    assert!(text.contains(SAMPLE_LANGUAGES));
    std::fs::write(
        &status,
        text.replace(
            SAMPLE_LANGUAGES,
            &format!("\nlanguages: [{lang}, {}]\n", others.join(", ")),
        ),
    )
    .expect("edit status.yaml");
    let out = site.path().join("public");
    build(site.path(), &out, NOW).warns_nothing();
    let found = english_in(site.path(), &out, "", &others, lang);
    (site, found)
}

/// The English of the theme on the pages of `out` below `folder` (`ko/`, or `` for the main
/// language's, whose pages are all but those of the `others` folders), written in `lang`;
/// texts as written in the YAML of `root` are not the theme's.
fn english_in(root: &Path, out: &Path, folder: &str, others: &[&str], lang: &str) -> Vec<String> {
    let yaml = site_texts(root);
    let whole = collapse(&yaml.join(" "));
    let words = english(lang);
    let mut found = Vec::new();
    let pages = files(out).into_iter().filter(|p| p.ends_with(".html"));
    let in_version = |p: &String| {
        p.starts_with(folder) && !others.iter().any(|o| p.starts_with(&format!("{o}/")))
    };
    for page in pages.filter(in_version) {
        for node in readable(&read(&out.join(&page))) {
            if whole.contains(&node) {
                continue; // a text as written in the YAML, or a piece of one
            }
            let mut rest = without_placeholders(&node);
            for t in &yaml {
                if t.len() > 2 {
                    rest = rest.replace(t.as_str(), " ");
                }
            }
            for word in &words {
                if word_in(&rest, word) {
                    found.push(format!("{page}: {word:?} in {node:?}"));
                }
            }
        }
    }
    found
}

/// The sample as written, English first: its Korean and Indonesian versions under `ko/` and
/// `id/` show no English of the theme and no English text of the sample (it is translated
/// whole), their pages say their language, and each page's switcher leads to the same page in
/// the other languages.
#[test]
fn the_samples_korean_and_indonesian_versions_speak_their_language() {
    let site = sample_site();
    let out = site.path().join("public");
    build(site.path(), &out, NOW).warns_nothing();
    for lang in ["ko", "id"] {
        let folder = format!("{lang}/");
        let found = english_in(site.path(), &out, &folder, &[], lang);
        assert!(
            found.is_empty(),
            "English in {folder}:\n{}",
            found.join("\n")
        );
        let fire = format!("{folder}incidents/2022-10-15-pangyo-data-center-fire/index.html");
        let page = read(&out.join(&fire));
        assert!(page.contains(&format!("<html lang=\"{lang}\">")));
        assert!(
            !page.contains("lang=\"en\"><"),
            "no text falls back to English: {fire}"
        );
        let english_texts = ["Kakao services down after a fire", "Pangyo data center"];
        for text in english_texts {
            assert!(!page.contains(text), "{text:?} on {fire}");
        }
        let back = "href=\"../../../incidents/2022-10-15-pangyo-data-center-fire/index.html\" hreflang=\"en\" lang=\"en\">English</a>";
        assert!(
            page.contains(back),
            "the switcher leads to the English page: {fire}"
        );
        assert!(page.contains(&format!(
            "<link rel=\"alternate\" hreflang=\"{lang}\" href=\"https://status.example.com/{folder}incidents/2022-10-15-pangyo-data-center-fire/\">"
        )));
    }
    // Names and deadlines read in Korean too (남궁훈, not Namkoong Whon).
    let korean = read(&out.join("ko/incidents/2022-10-15-pangyo-data-center-fire/index.html"));
    assert!(korean.contains("남궁훈·홍은택") && !korean.contains("Namkoong"));
    assert!(korean.contains("기한: 2024년(착공)") && !korean.contains("start of construction"));
    let english = read(&out.join("incidents/2022-10-15-pangyo-data-center-fire/index.html"));
    assert!(english.contains(
        "href=\"../../ko/incidents/2022-10-15-pangyo-data-center-fire/index.html\" hreflang=\"ko\" lang=\"ko\">한국어</a>"
    ));
    // The API of each version tells the incidents in its language, with the same ids.
    let titles = [
        "Kakao services down after a fire at the Pangyo data center",
        "판교 데이터센터 화재로 카카오 서비스 장애",
        "Layanan Kakao terhenti akibat kebakaran di pusat data Pangyo",
    ];
    let mut ids = Vec::new();
    for (api, title) in ["", "ko/", "id/"].iter().zip(titles) {
        let path = format!("{api}api/v2/incidents.json");
        let json: Value = serde_json::from_str(&read(&out.join(&path))).expect("JSON");
        let fire = (json["incidents"].as_array().into_iter().flatten())
            .find(|i| {
                i["shortlink"]
                    .as_str()
                    .is_some_and(|l| l.contains("pangyo"))
            })
            .unwrap_or_else(|| panic!("the fire in {path}"));
        assert_eq!(fire["name"], title, "{path}");
        ids.push(fire["id"].clone());
    }
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
    // So do the components, groups included (a group's id comes from its name in the main
    // language, not from the name each language shows).
    let components = |api: &str| -> Vec<(Value, Value)> {
        let path = format!("{api}api/v2/components.json");
        let json: Value = serde_json::from_str(&read(&out.join(path))).expect("JSON");
        (json["components"].as_array().into_iter().flatten())
            .map(|c| (c["id"].clone(), c["group_id"].clone()))
            .collect()
    };
    let english = components("");
    assert!(
        english.iter().any(|(_, group)| !group.is_null()),
        "the sample has groups"
    );
    assert_eq!(components("ko/"), english);
    assert_eq!(components("id/"), english);
}

#[test]
fn the_sample_in_korean_shows_no_english_of_the_theme() {
    let (site, found) = english_on_sample("ko");
    assert!(
        found.is_empty(),
        "English on Korean pages:\n{}",
        found.join("\n")
    );
    let out = site.path().join("public");
    let index = read(&out.join("index.html"));
    assert!(index.contains("<html lang=\"ko\">"));
    assert!(
        index.contains("모든 시스템 정상"),
        "the overall status in Korean"
    );
    let fire = read(&out.join("incidents/2022-10-15-pangyo-data-center-fire/index.html"));
    assert!(
        fire.contains("2022년 10월 15일 오후 3:30 KST"),
        "a Korean date and time"
    );
    assert!(fire.contains("5일 7시간"), "a Korean duration");
}

#[test]
fn the_sample_in_indonesian_shows_no_english_of_the_theme() {
    let (site, found) = english_on_sample("id");
    assert!(
        found.is_empty(),
        "English on Indonesian pages:\n{}",
        found.join("\n")
    );
    let out = site.path().join("public");
    let index = read(&out.join("index.html"));
    assert!(index.contains("<html lang=\"id\">"));
    assert!(index.contains("Semua sistem beroperasi normal"));
    assert!(
        index.contains("\u{a0}% waktu aktif"),
        "uptime written the Indonesian way: 99,25 %, never broken before the sign"
    );
    let fire = read(&out.join("incidents/2022-10-15-pangyo-data-center-fire/index.html"));
    assert!(
        fire.contains("15 Oktober 2022 15.30 KST"),
        "an Indonesian date and time"
    );
    assert!(fire.contains("5 hari 7 jam"), "an Indonesian duration");
    let talk = read(&out.join("services/kakaotalk/index.html"));
    assert!(
        talk.contains(",") && !talk.contains("99."),
        "decimal commas in uptime"
    );
    let stats: Vec<&str> = talk.split("<span class=\"unit\">").skip(1).collect();
    assert!(
        !stats.is_empty() && stats.iter().all(|s| s.starts_with("\u{a0}%</span>")),
        "the service page's percentages as 99,25 %"
    );
    assert!(
        talk.contains("dihitung 100\u{a0}% mati"),
        "the weighting's percentages too"
    );
}

#[test]
fn a_translation_lacking_keys_warns_and_strict_refuses_it() {
    let site = sample_site();
    let status = site.path().join("status.yaml");
    std::fs::write(
        &status,
        read(&status).replace(SAMPLE_LANGUAGES, "\nlanguages: [ko, en, id]\ntheme: mine\n"),
    )
    .expect("edit status.yaml");
    let i18n = site.path().join("themes/mine/i18n");
    std::fs::create_dir_all(&i18n).expect("theme folder");
    let ko = read(&repo().join("themes/default/i18n/ko.yaml"));
    let without: String = ko
        .lines()
        .filter(|l| !l.starts_with("nav_history:") && !l.starts_with("legend:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(i18n.join("ko.yaml"), without).expect("ko.yaml");
    let out = site.path().join("public");
    build(site.path(), &out, NOW)
        .says("warning: theme `mine` lacks 2 UI string(s) in `ko`, shown in English: `legend`, `nav_history`")
        .says("status.yaml");
    let index = read(&out.join("index.html"));
    assert!(
        index.contains(">History<"),
        "the missing key falls back to English"
    );
    assert!(index.contains("모든 시스템 정상"), "the rest stays Korean");
    candor(&[
        "check",
        "--strict",
        "--root",
        &site.path().to_string_lossy(),
        "--now",
        NOW,
    ])
    .exits(1)
    .says("error: theme `mine` lacks 2 UI string(s)");
}
