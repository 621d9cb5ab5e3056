//! The checks of one instant: every output agrees with the others and with the format, and
//! nothing dated after the instant shows. A mismatch goes into the `Report` rather than
//! stopping the run, so one run lists them all.

use super::oracle::{headline_at, hitting, indicator_at, published, service_status, status_at};
use super::text::{
    between, datetimes, front_services, json_stamps, page_status, parse_time, readable,
    section_slugs, slug_of, slugs, unxml, without_expected,
};
use super::{Built, Sample, seoul, show};
use crate::support::{Report, files};
use candor::model::{Kind, Time};
use chrono::DateTime;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn check_instant(sample: &Sample, b: &Built, r: &mut Report) {
    agreement(sample, b, r);
    nothing_later(sample, b, r);
    times(sample, b, r);
    bars(sample, b, r);
}

/// Every output shows the same indicator, statuses and open incidents, and they are what the
/// format gives for the instant.
fn agreement(sample: &Sample, b: &Built, r: &mut Report) {
    let (site, at, when) = (&sample.written, b.at, show(b.at));
    let status = b.json("api/v2/status.json");
    let summary = b.json("api/v2/summary.json");
    let indicator = status["status"]["indicator"]
        .as_str()
        .unwrap_or("?")
        .to_owned();
    let expected = indicator_at(site, at);
    r.check(indicator == expected, || {
        format!("{when} api/v2/status.json: indicator {indicator}, expected {expected}")
    });
    r.check(summary["status"] == status["status"], || {
        format!(
            "{when} api/v2/summary.json: status {} but status.json says {}",
            summary["status"], status["status"]
        )
    });
    // The headline follows what is down now (issue 10); the API's indicator, severity too.
    let index = b.raw("index.html");
    let (level, key) = headline_at(site, at);
    r.check(
        index.contains(&format!("class=\"banner banner-{level}\"")),
        || format!("{when} index.html: no banner-{level}"),
    );
    let banner = between(&index, "<p class=\"banner-text\">", "</p>").unwrap_or("?");
    let words = sample.word(&key);
    r.check(banner == words, || {
        format!("{when} index.html: banner says {banner:?}, what is down now is {words:?}")
    });
    let badge = b.raw("badge.svg");
    r.check(
        badge.contains(&format!("<title>status: {banner}</title>")),
        || format!("{when} badge.svg does not say {banner:?}: {badge}"),
    );

    // Components: the list, the summary, the front page, the badges, and the format's rules.
    let components = b.json("api/v2/components.json");
    let by_id = |v: &Value| -> BTreeMap<String, String> {
        (v["components"].as_array().into_iter().flatten())
            .map(|c| {
                let id = c["id"].as_str().unwrap_or("?").to_owned();
                (id, c["status"].as_str().unwrap_or("?").to_owned())
            })
            .collect()
    };
    r.check(by_id(&components) == by_id(&summary), || {
        format!("{when} api/v2/components.json and summary.json disagree on component statuses")
    });
    let by_name: BTreeMap<&str, &str> = (components["components"].as_array().into_iter())
        .flatten()
        .filter(|c| c["group"] == false)
        .map(|c| {
            let status = c["status"].as_str().unwrap_or("?");
            (c["name"].as_str().unwrap_or("?"), status)
        })
        .collect();
    let front = front_services(&index);
    for s in &site.services {
        let api = by_name.get(s.name.as_str()).copied().unwrap_or("missing");
        let expected = service_status(site, &s.id, at);
        r.check(api == expected, || {
            format!(
                "{when} api/v2/components.json: {} is {api}, expected {expected}",
                s.name
            )
        });
        let shown = front.get(&s.name).map_or("missing", String::as_str);
        r.check(shown == api, || {
            format!(
                "{when} index.html: {} is lvl-{shown}, components.json says {api}",
                s.name
            )
        });
        let path = format!("services/{}/badge.svg", s.id);
        let words = sample.word(&format!("impact_{api}"));
        let badge = b.raw(&path);
        r.check(
            badge.contains(&format!("<title>{}: {words}</title>", s.name)),
            || format!("{when} {path} does not say {words:?} ({api}): {badge}"),
        );
    }

    // Unresolved incidents: the API, the summary, the front page, the format's rules.
    let unresolved = b.json("api/v2/incidents/unresolved.json");
    let ids = |v: &Value| -> Vec<String> {
        (v.as_array().into_iter().flatten())
            .map(|x| x["id"].as_str().unwrap_or("?").to_owned())
            .collect()
    };
    r.check(
        ids(&unresolved["incidents"]) == ids(&summary["incidents"]),
        || format!("{when} api/v2/incidents/unresolved.json and summary.json list other incidents"),
    );
    for x in unresolved["incidents"].as_array().into_iter().flatten() {
        r.check(
            x["status"] != "resolved" && x["resolved_at"].is_null(),
            || {
                format!(
                    "{when} api/v2/incidents/unresolved.json: {} is {} (resolved_at {})",
                    slug_of(x),
                    x["status"],
                    x["resolved_at"]
                )
            },
        );
    }
    let open: BTreeSet<String> = (site.incidents.iter())
        .filter(|i| i.kind == Kind::Incident && hitting(i, at))
        .map(|i| i.slug.clone())
        .collect();
    let listed = slugs(&unresolved["incidents"]);
    r.check(listed == open, || {
        format!("{when} api/v2/incidents/unresolved.json lists {listed:?}, expected {open:?}")
    });
    let active = section_slugs(&index, "active-h");
    r.check(active == listed, || {
        format!("{when} index.html: current incidents {active:?}, unresolved.json {listed:?}")
    });

    // Maintenance: open windows on the front page; running ones in active.json.
    let windows = slugs(&summary["scheduled_maintenances"]);
    let shown = section_slugs(&index, "maintenance-h");
    r.check(shown == windows, || {
        format!("{when} index.html: maintenance {shown:?}, summary.json {windows:?}")
    });
    let running = b.json("api/v2/scheduled-maintenances/active.json");
    let running = running["scheduled_maintenances"].as_array().cloned();
    let running = running.unwrap_or_default();
    r.check(running.iter().all(|w| w["status"] == "in_progress"), || {
        format!("{when} api/v2/scheduled-maintenances/active.json holds a window not in progress")
    });
    // A running window shows as `maintenance` unless an incident outranks it.
    let agrees = (indicator != "maintenance" || !running.is_empty())
        && (running.is_empty() || indicator != "none");
    r.check(agrees, || {
        let n = running.len();
        format!("{when} scheduled-maintenances/active.json: {n} windows, indicator {indicator}")
    });

    // Each published incident: its status on its page and in the API, as the format says.
    let list = |path: &str, key: &str| -> BTreeMap<String, Value> {
        let v = b.json(path);
        (v[key].as_array().into_iter().flatten())
            .map(|x| (slug_of(x), x.clone()))
            .collect()
    };
    let incidents = list("api/v2/incidents.json", "incidents");
    let maintenances = list(
        "api/v2/scheduled-maintenances.json",
        "scheduled_maintenances",
    );
    for i in site.incidents.iter().filter(|i| published(i, at)) {
        let expected = status_at(i, at);
        let page_path = format!("incidents/{}/index.html", i.slug);
        let Some(page) = b.exists(&page_path).then(|| b.raw(&page_path)) else {
            r.check(false, || format!("{when} {page_path} is missing"));
            continue;
        };
        let on_page = page_status(&page).unwrap_or("none");
        r.check(on_page == expected, || {
            format!("{when} {page_path}: status st-{on_page}, expected {expected}")
        });
        let (file, entries) = match i.kind {
            Kind::Incident => ("api/v2/incidents.json", &incidents),
            Kind::Maintenance => ("api/v2/scheduled-maintenances.json", &maintenances),
        };
        let Some(x) = entries.get(&i.slug) else {
            r.check(false, || format!("{when} {file} does not list {}", i.slug));
            continue;
        };
        // Statuspage's last status of a resolved incident whose postmortem is published.
        let has_postmortem = i.postmortem.is_some() || i.postmortem_url.is_some();
        let in_api = match expected {
            "resolved" if has_postmortem => "postmortem",
            other => other,
        };
        r.check(x["status"] == in_api, || {
            format!(
                "{when} {file}: {} is {}, expected {in_api}",
                i.slug, x["status"]
            )
        });
        let resolved = matches!(expected, "resolved" | "completed");
        r.check(x["resolved_at"].is_null() != resolved, || {
            format!(
                "{when} {file}: {} is {expected} with resolved_at {}",
                i.slug, x["resolved_at"]
            )
        });
    }
}

/// Nothing dated after the instant appears in any output; what is dated at or before it
/// appears on its incident page (and an update in the feeds and the API too); an incident not
/// yet published appears nowhere.
fn nothing_later(sample: &Sample, b: &Built, r: &mut Report) {
    let (site, at, when) = (&sample.written, b.at, show(b.at));
    let files: Vec<(String, String, String)> = (files(&b.out).into_iter())
        .filter_map(|rel| {
            let raw = std::fs::read_to_string(b.out.join(&rel)).ok()?;
            let text = readable(&rel, &raw)?;
            Some((rel, raw, text))
        })
        .collect();
    let text_of = |rel: &str| -> &str {
        (files.iter().find(|(p, _, _)| p == rel)).map_or("", |(_, _, text)| text.as_str())
    };
    for s in sample.snippets.iter().filter(|s| s.at > at) {
        for (rel, _, text) in &files {
            r.check(!text.contains(&s.text), || {
                format!(
                    "{when} {rel} shows {:?}, from {} of {}",
                    s.text, s.what, s.slug
                )
            });
        }
    }
    for s in sample.snippets.iter().filter(|s| s.at <= at) {
        let page = format!("incidents/{}/index.html", s.slug);
        let mut wanted = vec![page];
        if s.update {
            let api = match sample.incident(&s.slug).kind {
                Kind::Incident => "api/v2/incidents.json",
                Kind::Maintenance => "api/v2/scheduled-maintenances.json",
            };
            wanted.extend(["feed.atom", "feed.rss", api].map(str::to_owned));
        }
        for rel in &wanted {
            r.check(text_of(rel).contains(&s.text), || {
                format!(
                    "{when} {rel} does not show {:?}, from {} of {}",
                    s.text, s.what, s.slug
                )
            });
        }
    }
    for i in site.incidents.iter().filter(|i| !published(i, at)) {
        let folder = format!("incidents/{}", i.slug);
        r.check(!b.exists(&folder), || format!("{when} {folder}/ exists"));
        for (rel, raw, text) in &files {
            r.check(!raw.contains(&i.slug) && !text.contains(&i.title), || {
                format!("{when} {rel} names {}, published later", i.slug)
            });
        }
    }
}

/// No time after the instant is stated as having happened: on incident pages (but for the
/// expected end), in the API's stamps, the feeds and the sitemap.
fn times(sample: &Sample, b: &Built, r: &mut Report) {
    let (site, at, when) = (&sample.written, b.at, show(b.at));
    let mut not_after = |rel: &str, what: &str, value: &str, time: Option<Time>| {
        r.check(time.is_some_and(|x| x <= at), || {
            format!("{when} {rel}: {what} {value} is after the instant (or unreadable)")
        });
    };
    for i in site.incidents.iter().filter(|i| published(i, at)) {
        let rel = format!("incidents/{}/index.html", i.slug);
        if i.kind != Kind::Incident || !b.exists(&rel) {
            continue;
        }
        for (value, time) in datetimes(&without_expected(&b.raw(&rel))) {
            not_after(&rel, "<time datetime>", &value, time);
        }
    }
    for rel in files(&b.out.join("api/v2")) {
        let path = format!("api/v2/{rel}");
        let mut stamps = Vec::new();
        json_stamps(&b.json(&path), &mut stamps);
        for (key, value) in stamps {
            not_after(&path, &key, &value, parse_time(&value));
        }
    }
    let atom = b.raw("feed.atom");
    for value in (atom.split("<updated>").skip(1)).filter_map(|s| s.split('<').next()) {
        not_after("feed.atom", "<updated>", value, parse_time(value));
    }
    let rss = b.raw("feed.rss");
    for tag in ["pubDate", "lastBuildDate"] {
        let open = format!("<{tag}>");
        for value in (rss.split(open.as_str()).skip(1)).filter_map(|s| s.split('<').next()) {
            let time = DateTime::parse_from_rfc2822(value).ok().map(|t| t.to_utc());
            not_after("feed.rss", tag, value, time);
        }
    }
    for (rel, feed) in [("feed.atom", &atom), ("feed.rss", &rss)] {
        for (value, time) in datetimes(&unxml(feed)) {
            not_after(rel, "<time datetime> in an entry", &value, time);
        }
    }
    let today = at.with_timezone(&seoul()).format("%Y-%m-%d").to_string();
    let sitemap = b.raw("sitemap.xml");
    for value in (sitemap.split("<lastmod>").skip(1)).filter_map(|s| s.split('<').next()) {
        r.check(value <= today.as_str(), || {
            format!("{when} sitemap.xml: lastmod {value} is after {today}")
        });
    }
}

/// The front page's uptime bars end on the instant's day, and that day shows no impact that
/// had not begun by the instant.
fn bars(sample: &Sample, b: &Built, r: &mut Report) {
    let (site, at, when) = (&sample.written, b.at, show(b.at));
    let local = at.with_timezone(&seoul());
    let today = local.format("%-d %b %Y").to_string();
    let midnight = (local.date_naive().and_hms_opt(0, 0, 0))
        .and_then(|m| m.and_local_timezone(seoul()).single())
        .map_or(at, |m| m.to_utc());
    let index = b.raw("index.html");
    for chunk in index
        .split("<a class=\"service-name\" href=\"services/")
        .skip(1)
    {
        let id = chunk.split('/').next().unwrap_or("?");
        let chunk = &chunk[..chunk.find("class=\"bar-scale\"").unwrap_or(chunk.len())];
        let Some(last) = chunk.split("<span class=\"day ").last() else {
            continue;
        };
        let label = between(last, "<span class=\"tip\">", "</span>").unwrap_or("?");
        r.check(label.starts_with(&format!("{today}: ")), || {
            format!("{when} index.html: {id}'s bar ends on {label:?}, not on {today}")
        });
        // Hit since midnight, for longer than nothing, by what had begun by the instant.
        let hits = |strictly: bool| {
            site.incidents.iter().any(|i| {
                (i.services.iter().filter(|a| a.id == id)).any(|a| {
                    let until = a.restored.or(i.end);
                    let begun = if strictly { a.from < at } else { a.from <= at };
                    begun && until.is_none_or(|u| u > midnight)
                })
            })
        };
        if !hits(false) {
            // At midnight itself nothing of the day has been seen yet: no data is right too.
            let quiet = format!("{today}: no incidents");
            let unseen = format!("{today}: no data");
            r.check(label == quiet || at == midnight && label == unseen, || {
                format!("{when} index.html: {id}'s bar says {label:?} for a quiet day")
            });
        } else if hits(true) {
            r.check(!label.contains("no incidents"), || {
                format!("{when} index.html: {id}'s bar says {label:?}, but it was hit today")
            });
        }
    }
}
