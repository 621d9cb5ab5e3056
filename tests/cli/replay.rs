//! `candor replay`: every instant's folder is exactly what `candor build --now INSTANT` writes,
//! the pages stepping through them link only to files that exist, and bad arguments fail early.
//! Replays a copy of the sample, never the repository's own folders.

use crate::support::*;
use std::path::Path;

const FROM: &str = "2022-10-15T12:00:00+09:00";
const TO: &str = "2022-10-16T12:00:00+09:00";
/// FROM to TO every 6h, and the UTC folder each instant is written to.
const INSTANTS: [(&str, &str); 5] = [
    ("2022-10-15T12:00:00+09:00", "20221015T030000Z"),
    ("2022-10-15T18:00:00+09:00", "20221015T090000Z"),
    ("2022-10-16T00:00:00+09:00", "20221015T150000Z"),
    ("2022-10-16T06:00:00+09:00", "20221015T210000Z"),
    ("2022-10-16T12:00:00+09:00", "20221016T030000Z"),
];

fn replay(root: &Path, output: &Path, from: &str, to: &str, every: &str) -> Run {
    candor(&[
        "replay",
        "--root",
        &root.to_string_lossy(),
        "--from",
        from,
        "--to",
        to,
        "--every",
        every,
        "--output",
        &output.to_string_lossy(),
    ])
}

/// The names directly in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// Every `href="…"` and `src="…"` in a page.
fn links(page: &str) -> Vec<String> {
    ["href=\"", "src=\""]
        .iter()
        .flat_map(|attr| page.split(attr).skip(1))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn each_instant_is_byte_identical_to_a_build_at_that_instant() {
    let site = sample_site();
    let out = site.path().join("replay");
    let run = replay(site.path(), &out, FROM, TO, "6h");
    run.exits(0);
    assert!(run.stdout.contains("replayed 5 instants"), "{}", run.stdout);
    let folders: Vec<String> = names(&out)
        .into_iter()
        .filter(|n| !n.starts_with('.') && n != "index.html" && n != "step")
        .collect();
    let expected: Vec<&str> = INSTANTS.iter().map(|(_, folder)| *folder).collect();
    assert_eq!(folders, expected);
    for (now, folder) in INSTANTS {
        let built = site.path().join(format!("built-{folder}"));
        build(site.path(), &built, now);
        assert_same_tree(&built, &out.join(folder), &format!("build --now {now}"));
    }
}

#[test]
fn the_index_and_step_pages_link_only_to_files_that_exist() {
    let site = sample_site();
    let out = site.path().join("replay");
    replay(site.path(), &out, FROM, TO, "6h").exits(0);
    let index = read(&out.join("index.html"));
    assert!(index.contains("Kakao Status"), "the site's title");
    assert!(
        index.contains("Sat 15 Oct 2022, 12:00 KST"),
        "instants show in the site timezone"
    );
    let index_links = links(&index);
    for (_, folder) in INSTANTS {
        let step = format!("step/{folder}.html");
        assert!(index_links.contains(&step), "the index links {step}");
    }
    for (i, (_, folder)) in INSTANTS.iter().enumerate() {
        let path = out.join("step").join(format!("{folder}.html"));
        let page = read(&path);
        assert!(!page.contains("<script"), "no JavaScript in {folder}");
        assert!(page.contains(&format!("<iframe src=\"../{folder}/index.html\"")));
        let step_links = links(&page);
        for link in &step_links {
            assert!(
                !link.contains("://") && !link.starts_with('/'),
                "relative links only: {link}"
            );
            assert!(
                path.parent().expect("step/").join(link).is_file(),
                "{folder}.html links {link}, which is missing"
            );
        }
        let prev = INSTANTS
            .get(i.wrapping_sub(1))
            .map(|(_, f)| format!("{f}.html"));
        let next = INSTANTS.get(i + 1).map(|(_, f)| format!("{f}.html"));
        for (rel, neighbour) in [("prev", prev), ("next", next)] {
            let link = page
                .split(&format!("rel=\"{rel}\" href=\""))
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(str::to_owned);
            assert_eq!(link, neighbour, "the {rel} link of {folder}");
        }
    }
    for link in &index_links {
        assert!(
            out.join(link).is_file(),
            "the index links {link}, which is missing"
        );
    }
    let status: serde_json::Value =
        serde_json::from_str(&read(&out.join("20221015T090000Z/api/v2/status.json")))
            .expect("status.json");
    let description = status["status"]["description"].as_str().expect("words");
    assert!(
        index.contains(description),
        "the index shows each instant's status as status.json says it"
    );
}

#[test]
fn a_second_replay_keeps_its_folder_and_removes_the_steps_it_no_longer_lists() {
    let site = sample_site();
    let out = site.path().join("replay");
    replay(site.path(), &out, FROM, TO, "6h").exits(0);
    replay(site.path(), &out, FROM, TO, "12h").exits(0);
    let kept = ["20221015T030000Z", "20221015T150000Z", "20221016T030000Z"];
    let mut expected: Vec<String> = kept
        .iter()
        .flat_map(|f| [f.to_string(), format!(".candor-state-{f}")])
        .chain([".candor-replay", "index.html", "step"].map(String::from))
        .collect();
    expected.sort();
    assert_eq!(names(&out), expected);
    let steps: Vec<String> = kept.iter().map(|f| format!("{f}.html")).collect();
    assert_eq!(names(&out.join("step")), steps);
    assert!(!read(&out.join("index.html")).contains("20221015T090000Z"));
}

#[test]
fn a_folder_replay_did_not_make_is_never_written_into() {
    let site = sample_site();
    let out = someone_elses_folder(site.path());
    replay(site.path(), &out, FROM, TO, "6h")
        .exits(2)
        .says("not empty")
        .says("--output");
    assert_eq!(files(&out), ["notes.txt"]);
}

#[test]
fn a_site_with_errors_fails_as_build_does_and_writes_nothing() {
    let site = sample_site();
    std::fs::write(
        site.path().join("incidents/2022-10-30-broken.yaml"),
        "title: Broken\nstart: 2022-10-30T10:00:00+09:00\nservices:\n  - id: kakao-pay\n",
    )
    .expect("write");
    let out = site.path().join("replay");
    replay(site.path(), &out, FROM, TO, "6h")
        .exits(1)
        .says("unknown service \"kakao-pay\"")
        .says("nothing was written");
    assert!(!out.exists());
}

#[test]
fn bad_steps_and_spans_are_usage_errors_that_say_what_to_write() {
    let site = sample_site();
    let out = site.path().join("replay");
    for (from, to, every, says) in [
        (FROM, TO, "0m", "`0m` is no time at all"),
        (FROM, TO, "banana", "`banana` is not a duration"),
        (FROM, TO, "-1h", "`-1h` is negative"),
        (TO, FROM, "1h", "is before --from"),
        (
            "2022-10-01T00:00:00+09:00",
            "2022-11-01T00:00:00+09:00",
            "30m",
            "--every 30m makes 1,489 instants, more than the 1,000 a replay writes; \
             choose --every 45m or longer",
        ),
        (
            FROM,
            "yesterday",
            "1h",
            "--to: `yesterday` is not a timestamp",
        ),
    ] {
        let run = replay(site.path(), &out, from, to, every);
        run.exits(2).says(says);
        if every == "0m" || every == "banana" {
            run.says("`1h30m`");
        }
        assert!(!out.exists(), "nothing written for {every}");
    }
}
