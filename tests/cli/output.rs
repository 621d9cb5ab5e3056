//! Properties of the written site: deterministic, minimal rewrites, links that resolve,
//! nothing hostile surviving, and never touching a folder candor did not create. Builds only
//! into temporary folders, never into the repository.

use crate::support::*;
use std::path::Path;

const NOW: &str = "2022-10-25T00:00:00+09:00";

#[test]
fn two_builds_with_the_same_now_are_byte_identical() {
    let site = sample_site();
    let (a, b) = (site.path().join("a"), site.path().join("b"));
    build(site.path(), &a, NOW);
    build(site.path(), &b, NOW);
    assert_same_tree(&a, &b, "a second build");
    // SOURCE_DATE_EPOCH is the same build time as --now.
    let c = site.path().join("c");
    let epoch = 1_666_623_600; // 2022-10-25T00:00:00+09:00
    let output = c.to_string_lossy();
    candor_in(site.path(), epoch, &["build", "--output", &output]).exits(0);
    assert_same_tree(&a, &c, "a build at SOURCE_DATE_EPOCH");
}

#[test]
fn a_rebuild_with_no_change_rewrites_no_file() {
    let site = sample_site();
    let out = site.path().join("public");
    build(site.path(), &out, NOW);
    let mtimes = |dir: &Path| -> Vec<(String, std::time::SystemTime)> {
        files(dir)
            .into_iter()
            .map(|f| {
                let m = std::fs::metadata(dir.join(&f))
                    .and_then(|m| m.modified())
                    .expect("mtime");
                (f, m)
            })
            .collect()
    };
    let before = mtimes(&out);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let run = build(site.path(), &out, NOW);
    assert!(run.stdout.contains(" 0 files written"), "{}", run.stdout);
    let after = mtimes(&out);
    // The marker is rewritten each build; every page and asset keeps its mtime.
    let pages = |v: Vec<(String, std::time::SystemTime)>| -> Vec<_> {
        v.into_iter().filter(|(f, _)| f != ".candor").collect()
    };
    assert_eq!(pages(before), pages(after));
}

#[test]
fn a_hand_edited_output_file_is_put_right_by_the_next_build() {
    let site = sample_site();
    let out = site.path().join("public");
    build(site.path(), &out, NOW);
    let index = out.join("index.html");
    let good = read(&index);
    std::fs::write(&index, "defaced").expect("deface");
    let run = build(site.path(), &out, NOW);
    assert!(run.stdout.contains(" 1 files written"), "{}", run.stdout);
    assert_eq!(read(&index), good);
    // A changed input renders again too.
    let status = site.path().join("status.yaml");
    std::fs::write(
        &status,
        read(&status).replace(
            "title:\n  en: Kakao Status\n",
            "title:\n  en: Kakao Status Page\n",
        ),
    )
    .expect("edit");
    let run = build(site.path(), &out, NOW);
    assert!(!run.stdout.contains(" 0 files written"), "{}", run.stdout);
    assert!(read(&index).contains("Kakao Status Page"));
    // And so does an edited incident file.
    let slug = "2022-09-20-kakao-t-slow-taxi-dispatch";
    let file = site.path().join(format!("incidents/{slug}.yaml"));
    let text = read(&file);
    let title = text
        .split_once("title:\n  en: ")
        .and_then(|(_, rest)| rest.lines().next())
        .expect("an English title line")
        .to_owned();
    std::fs::write(
        &file,
        text.replacen(&title, "\"Taxi dispatch slow (edited)\"", 1),
    )
    .expect("edit");
    let run = build(site.path(), &out, NOW);
    assert!(!run.stdout.contains(" 0 files written"), "{}", run.stdout);
    let page = read(&out.join(format!("incidents/{slug}/index.html")));
    assert!(page.contains("Taxi dispatch slow (edited)"), "{page}");
}

#[test]
fn removed_incidents_disappear_from_the_output() {
    let site = sample_site();
    let out = site.path().join("public");
    build(site.path(), &out, NOW);
    let slug = "2022-09-20-kakao-t-slow-taxi-dispatch";
    assert!(out.join(format!("incidents/{slug}/index.html")).exists());
    std::fs::remove_file(site.path().join(format!("incidents/{slug}.yaml"))).expect("rm");
    build(site.path(), &out, NOW);
    assert!(!out.join(format!("incidents/{slug}")).exists());
}

#[test]
fn every_internal_link_and_asset_resolves() {
    let site = sample_site();
    let out = site.path().join("public");
    build(site.path(), &out, NOW);
    let mut broken = Vec::new();
    let mut checked = 0;
    for name in files(&out)
        .iter()
        .filter(|f| f.ends_with(".html") && *f != "404.html")
    {
        let html = read(&out.join(name));
        let dir = Path::new(name).parent().unwrap_or(Path::new(""));
        for target in attribute_values(&html, &["href", "src"]) {
            if target.contains("://") || target.starts_with("mailto:") || target.starts_with('#') {
                continue;
            }
            let path = target.split(['#', '?']).next().unwrap_or("");
            if path.is_empty() {
                continue;
            }
            checked += 1;
            let resolved = normalize(&dir.join(path));
            let file = if path.ends_with('/') {
                resolved.join("index.html")
            } else {
                resolved
            };
            if !out.join(&file).is_file() {
                broken.push(format!("{name} -> {target}"));
            }
        }
    }
    assert!(checked > 100, "the site links a lot: {checked}");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_404_page_links_from_the_base_path() {
    let site = sample_site();
    let out = site.path().join("public");
    candor(&[
        "build",
        "--root",
        &site.path().to_string_lossy(),
        "--base-url",
        "https://org.github.io/status/",
        "--now",
        NOW,
    ])
    .exits(0);
    let page = read(&out.join("404.html"));
    let links = attribute_values(&page, &["href", "src"]);
    // Self-contained (issue 10): styles inline, no asset asked for, so it reads right from disk.
    assert!(!links.iter().any(|l| l.contains("static/")), "{links:?}");
    // The way home is base_url itself: right at any depth, on any host and from disk (issue 10).
    assert!(
        links.iter().any(|l| l == "https://org.github.io/status/"),
        "{links:?}"
    );
    for l in links
        .iter()
        .filter(|l| !l.contains("://") && !l.starts_with('#'))
    {
        assert!(
            l.starts_with("/status/"),
            "404 link {l} starts at the base path"
        );
    }
}

#[test]
fn nothing_hostile_from_incident_files_survives_into_any_output() {
    let site = copy_site(&fixture("hostile"));
    let out = site.path().join("public");
    build(site.path(), &out, "2024-06-01T00:00:00Z");
    let names = files(&out);
    assert!(
        names.iter().any(|n| n.ends_with(".json")),
        "the API is written"
    );
    for name in &names {
        let text =
            String::from_utf8_lossy(&std::fs::read(out.join(name)).expect("read")).to_lowercase();
        // iCalendar has no markup: titles (the calendar's name is the site's) are text there and
        // read as written; tests/cli/escaping.rs reads them back. Everything else is checked.
        let text = if name == "maintenance.ics" {
            (text.replace("\r\n ", "").lines())
                .filter(|l| !l.starts_with("x-wr-calname:") && !l.starts_with("summary:"))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            text
        };
        for needle in ["<script>alert", "<iframe", "<svg onload"] {
            assert!(!text.contains(needle), "{name} contains {needle}");
        }
        if !name.ends_with(".html") {
            // Outside HTML an unsafe URL has no attribute to hide in: it must be gone.
            for needle in ["javascript:", "vbscript:", "data:text/html"] {
                assert!(!text.contains(needle), "{name} contains {needle}");
            }
        }
        if name.ends_with(".html") || name.ends_with(".svg") {
            for url in attribute_values(&text, &["href", "src", "action", "formaction"]) {
                let url: String = url.chars().filter(|c| !c.is_whitespace()).collect();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!url.starts_with(scheme), "{name}: a link to {url}");
                }
            }
            for tag in tags(&text) {
                for a in attribute_names(tag) {
                    assert!(
                        !a.starts_with("on"),
                        "{name}: live event handler in <{tag}>"
                    );
                }
                if tag.starts_with("script") {
                    assert!(tag.contains(" src="), "{name}: inline <{tag}>");
                }
            }
        }
    }
    let page = read(&out.join("incidents/2024-05-01-hostile/index.html"));
    assert!(
        page.contains("&lt;script&gt;"),
        "the title is shown, escaped"
    );
}

#[test]
fn a_folder_candor_did_not_create_is_never_replaced() {
    let site = sample_site();
    let out = someone_elses_folder(site.path());
    candor(&[
        "build",
        "--root",
        &site.path().to_string_lossy(),
        "--output",
        &out.to_string_lossy(),
        "--now",
        NOW,
    ])
    .exits(2)
    .says("candor did not create");
    assert_eq!(files(&out), ["notes.txt"]);
}

#[test]
fn a_folder_without_status_yaml_is_a_usage_error_with_a_hint() {
    let dir = tempfile::tempdir().expect("tempdir");
    on_site("build", dir.path(), NOW)
        .exits(2)
        .says("candor init");
}

/// The raw tags of an HTML text: escaped text never holds a raw `<`, so each one opens a tag.
fn tags(html: &str) -> Vec<&str> {
    html.split('<')
        .skip(1)
        .filter_map(|rest| rest.split_once('>').map(|(tag, _)| tag))
        .collect()
}

/// The attribute names of one tag's text (`a href="x" title='y'`), quotes respected.
fn attribute_names(tag: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut chars = tag.chars().skip_while(|c| !c.is_whitespace()).peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == '/').is_some() {}
        let name: String =
            std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace() && *c != '=')).collect();
        if name.is_empty() {
            break;
        }
        names.push(name);
        if chars.next_if_eq(&'=').is_some() {
            match chars.next() {
                Some(q @ ('"' | '\'')) => while chars.next().is_some_and(|c| c != q) {},
                _ => while chars.next_if(|c| !c.is_whitespace()).is_some() {},
            }
        }
    }
    names
}

/// The values of the named attributes in an HTML text (enough for our own pages).
fn attribute_values(html: &str, names: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for name in names {
        let needle = format!(" {name}=\"");
        let mut rest = html;
        while let Some(i) = rest.find(&needle) {
            rest = &rest[i + needle.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
            }
        }
    }
    out
}

fn normalize(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn a_site_theme_overrides_the_built_in_one_file_by_file() {
    let site = copy_site(&fixture("themed"));
    let out = site.path().join("public");
    build(site.path(), &out, "2024-06-01T00:00:00Z");
    let page = read(&out.join("404.html"));
    assert!(
        page.contains("Our own lost-page text for Themed Status."),
        "the override renders"
    );
    assert!(
        page.contains("</html>"),
        "and extends the built-in layout through builtin/"
    );
    assert!(
        read(&out.join("static/style.css")).contains("#123456"),
        "static files override too"
    );
    let incident = read(&out.join("incidents/2024-05-01-outage/index.html"));
    assert!(
        incident.contains("Web outage"),
        "templates it does not override stay built in"
    );

    // A theme error names the template, line and column (its words pinned in a snapshot), and
    // the old site stays.
    std::fs::write(
        site.path().join("themes/mine/templates/404.html"),
        "{% extends \"builtin/404.html\" %}\n{% block content %}{{ site.title | nonesuch }}{% endblock content %}\n",
    )
    .expect("break the theme");
    let args = ["build", "--now", "2024-06-02T00:00:00Z"];
    let run = candor_in(site.path(), 1_717_286_400, &args);
    let pinned = repo().join("tests/cli/snapshots/theme-error.txt");
    assert_snapshot(&pinned, run.transcript(&args));
    assert!(
        read(&out.join("404.html")).contains("Our own lost-page text"),
        "the old site stays"
    );
}

#[test]
fn history_reaches_every_incident_and_its_pages_stay_small() {
    // 730 incidents: eight history pages, so the page links are a window with gaps.
    let site = sample_site();
    let incidents = site.path().join("incidents");
    std::fs::remove_dir_all(&incidents).expect("rm");
    std::fs::create_dir(&incidents).expect("mkdir");
    let first = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("date");
    let mut slugs = Vec::new();
    for k in 0..730u64 {
        let day = first + chrono::Days::new(k);
        let slug = format!("{day}-incident-{k:03}");
        let text = format!(
            "title: Incident {k:03}\nstart: {day}T12:00:00+09:00\nend: {day}T13:00:00+09:00\n\
             services:\n  - id: kakaotalk\n    impact: partial_outage\n"
        );
        std::fs::write(incidents.join(format!("{slug}.yaml")), text).expect("write");
        slugs.push(slug);
    }
    let out = site.path().join("public");
    build(site.path(), &out, NOW);

    // Follow every link between history pages from the first one, as a reader (or a crawler)
    // would, and collect the incident pages they link.
    let mut seen_pages = std::collections::BTreeSet::new();
    let mut queue = vec!["history/index.html".to_owned()];
    let mut reached = std::collections::BTreeSet::new();
    let mut largest = 0;
    while let Some(page) = queue.pop() {
        if !seen_pages.insert(page.clone()) {
            continue;
        }
        let html = read(&out.join(&page));
        largest = largest.max(attribute_values(&html, &["href"]).len());
        let dir = Path::new(&page).parent().unwrap_or(Path::new(""));
        for target in attribute_values(&html, &["href"]) {
            let resolved = normalize(&dir.join(&target));
            let resolved = resolved.to_string_lossy().replace('\\', "/");
            if let Some(slug) = resolved
                .strip_prefix("incidents/")
                .and_then(|r| r.strip_suffix("/index.html"))
            {
                reached.insert(slug.to_owned());
            } else if resolved.starts_with("history/") && resolved.ends_with("index.html") {
                queue.push(resolved);
            }
        }
    }
    assert_eq!(seen_pages.len(), 8, "{seen_pages:?}");
    let all: std::collections::BTreeSet<String> = slugs.into_iter().collect();
    let missing: Vec<_> = all.difference(&reached).collect();
    assert!(
        missing.is_empty(),
        "not reachable from history: {missing:?}"
    );
    // A page links its 100 incidents (each twice at most: title and "full story") plus the
    // layout and a bounded window of page numbers, not every page.
    let page_one = read(&out.join("history/index.html"));
    assert!(page_one.contains(">…</li>"), "a gap in the page links");
    assert!(
        !page_one.contains("history/5/index.html"),
        "page 5 is outside page 1's window"
    );
    assert!(largest < 260, "links on a history page: {largest}");
}

#[test]
fn a_site_theme_can_bring_a_language_of_its_own() {
    let site = copy_site(&fixture("themed"));
    let status = site.path().join("status.yaml");
    std::fs::write(
        &status,
        read(&status).replace("theme: mine\n", "theme: mine\nlanguage: fr\n"),
    )
    .expect("edit");
    // Without strings for it, the language is refused, naming what there is (issue 16: the
    // built-in theme speaks en, id and ko, so this test asks for French).
    on_site("check", site.path(), "2024-06-01T00:00:00Z")
        .exits(1)
        .says("language `fr`")
        .says("available: en, id, ko");
    // The theme's own i18n/fr.yaml makes it a language of this site; missing keys fall back
    // to English, with a warning that names them.
    let i18n = site.path().join("themes/mine/i18n");
    std::fs::create_dir_all(&i18n).expect("mkdir");
    std::fs::write(i18n.join("fr.yaml"), "nav_history: Historique\n").expect("write");
    let out = site.path().join("public");
    let run = build(site.path(), &out, "2024-06-01T00:00:00Z");
    run.says("lacks").says("`active_heading`");
    let index = read(&out.join("index.html"));
    assert!(index.contains("Historique"), "the theme's string");
    assert!(index.contains("lang=\"fr\""), "the page's language");
}

/// `check` refuses a theme that `build` would refuse, at `theme:`: a folder that is not there,
/// and a theme that is a link to outside the site. Before, check passed and build failed.
#[cfg(unix)]
#[test]
fn check_refuses_the_themes_build_refuses_at_the_field() {
    let site = copy_site(&fixture("themed"));
    let status = site.path().join("status.yaml");
    let text = read(&status);
    std::fs::write(&status, text.replace("theme: mine\n", "theme: nosuch\n")).expect("edit");
    let line = 1 + read(&status)
        .lines()
        .position(|l| l.starts_with("theme:"))
        .expect("theme line");
    on_site("check", site.path(), "2024-06-01T00:00:00Z")
        .exits(1)
        .says("theme `nosuch` not found")
        .says(&format!("--> status.yaml:{line}:8"));
    let outside = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(outside.path(), site.path().join("themes/evil")).expect("link");
    std::fs::write(&status, text.replace("theme: mine\n", "theme: evil\n")).expect("edit");
    on_site("check", site.path(), "2024-06-01T00:00:00Z")
        .exits(1)
        .says("it is a symlink to")
        .says(&format!("--> status.yaml:{line}:8"));
}
