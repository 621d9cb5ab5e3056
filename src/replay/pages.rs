//! The pages that step through a replay: `index.html` listing every instant with its overall
//! status, and one `step/FOLDER.html` per instant framing that instant's site between
//! previous/next links. Plain HTML with inline CSS: no script, no external asset, relative
//! links only, so it works from `file://`. Every text is escaped. No disk.

use super::plan::{folder_name, rfc3339};
use crate::model::Time;
use chrono_tz::Tz;
use std::fmt::Write;

/// The folder of the step pages, below the replay folder.
pub const STEP_FOLDER: &str = "step";

/// One instant of the replay and the overall status its site showed.
#[derive(Debug, Clone)]
pub struct Step {
    pub at: Time,
    /// Statuspage's words, from that instant's `api/v2/status.json`: `none`, `minor`, …
    pub indicator: String,
    pub description: String,
}

/// What every page says about the whole replay.
pub struct Context<'a> {
    pub title: &'a str,
    pub timezone: Tz,
    pub every: &'a str,
}

/// `index.html` and every step page, as (path below the replay folder, text).
pub fn pages(context: &Context, steps: &[Step]) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(steps.len() + 1);
    out.push(("index.html".to_owned(), index(context, steps)));
    for (i, step) in steps.iter().enumerate() {
        let path = format!("{STEP_FOLDER}/{}.html", folder_name(step.at));
        let before = i.checked_sub(1).and_then(|b| steps.get(b));
        out.push((
            path,
            step_page(context, steps.len(), i, before, step, steps.get(i + 1)),
        ));
    }
    out
}

fn index(context: &Context, steps: &[Step]) -> String {
    let title = format!("{}: replay", context.title);
    let mut body = format!("<main>\n<h1>{}</h1>\n", escape(&title));
    let (first, last) = (steps.first(), steps.last());
    if let (Some(first), Some(last)) = (first, last) {
        let _ = writeln!(
            body,
            "<p>The site as it stood at {} instants, every {}, from {} to {} ({}). \
             Open an instant to step through them.</p>",
            steps.len(),
            escape(context.every),
            time(first.at, context.timezone),
            time(last.at, context.timezone),
            escape(context.timezone.name()),
        );
    }
    body.push_str(
        "<table>\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">Instant</th>\
         <th scope=\"col\">Overall status</th><th scope=\"col\">Site</th></tr></thead>\n<tbody>\n",
    );
    let mut previous: Option<&str> = None;
    for (i, step) in steps.iter().enumerate() {
        let folder = folder_name(step.at);
        // A change of status is what a review looks for first.
        let changed = previous.is_some_and(|p| p != step.indicator);
        let _ = writeln!(
            body,
            "<tr{}><td>{}</td><td><a href=\"{}\">{}</a></td><td>{}{}</td>\
             <td><a href=\"{}/index.html\">open alone</a></td></tr>",
            if changed { " class=\"changed\"" } else { "" },
            i + 1,
            escape(&format!("{STEP_FOLDER}/{folder}.html")),
            time(step.at, context.timezone),
            status(step),
            if changed {
                " <small>(changed)</small>"
            } else {
                ""
            },
            escape(&folder),
        );
        previous = Some(&step.indicator);
    }
    body.push_str("</tbody>\n</table>\n</main>\n");
    page(&title, "index", &body)
}

fn step_page(
    context: &Context,
    count: usize,
    i: usize,
    before: Option<&Step>,
    step: &Step,
    after: Option<&Step>,
) -> String {
    let tz = context.timezone;
    let folder = folder_name(step.at);
    // Step pages sit in step/, beside each other; the sites and the index one folder up.
    let site = escape(&format!("../{folder}/index.html"));
    let neighbour = |other: Option<&Step>, rel: &str, label: &str| match other {
        Some(o) => format!(
            "<a rel=\"{rel}\" href=\"{}.html\" title=\"{}\">{label}</a>",
            escape(&folder_name(o.at)),
            escape(&plain_time(o.at, tz)),
        ),
        None => format!("<span class=\"off\">{label}</span>"),
    };
    let body = format!(
        "<nav aria-label=\"Replay\">\n{}\n<a href=\"../index.html\">All instants</a>\n{}\n\
         <span class=\"here\">Step {} of {}: {} {}</span>\n\
         <a href=\"{site}\">Open alone</a>\n</nav>\n\
         <iframe src=\"{site}\" title=\"{}\"></iframe>\n",
        neighbour(before, "prev", "&larr; Previous"),
        neighbour(after, "next", "Next &rarr;"),
        i + 1,
        count,
        time(step.at, tz),
        status(step),
        escape(&format!("{} at {}", context.title, plain_time(step.at, tz))),
    );
    let title = format!("{}: {}", plain_time(step.at, tz), context.title);
    page(&title, "step", &body)
}

fn page(title: &str, class: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body class=\"{class}\">\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// An instant in the site timezone, with the exact instant in `datetime`.
fn time(at: Time, tz: Tz) -> String {
    format!(
        "<time datetime=\"{}\">{}</time>",
        escape(&rfc3339(at)),
        escape(&plain_time(at, tz))
    )
}

/// `Sat 15 Oct 2022, 12:00 KST`: the weekday helps when reviewing hour by hour.
fn plain_time(at: Time, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%a %-d %b %Y, %H:%M %Z")
        .to_string()
}

/// The status in words, after a mark coloured by indicator (words, so not colour alone).
fn status(step: &Step) -> String {
    // Only the known words become a class name; anything else is shown, escaped, uncoloured.
    let class = match step.indicator.as_str() {
        known @ ("none" | "minor" | "major" | "critical" | "maintenance") => known,
        _ => "unknown",
    };
    format!(
        "<span class=\"status {class}\"><span class=\"mark\" aria-hidden=\"true\"></span>{}</span>",
        escape(&step.description)
    )
}

/// Escapes text for HTML content and double-quoted attributes (the feeds' escaper: it leaves
/// `/` alone, so links read as written, and drops control characters).
fn escape(text: &str) -> String {
    crate::render::xml::escape(text)
}

const CSS: &str = "
:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--line:#d0d7de;--link:#0a58ca}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--line:#30363d;--link:#6cb6ff}}
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
main{max-width:56rem;margin:0 auto;padding:1rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid var(--line)}
tr.changed td{font-weight:600}
.mark{display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.4em;background:#8c959f}
.none .mark{background:#1a7f37}.minor .mark{background:#bf8700}.major .mark{background:#d4560b}
.critical .mark{background:#cf222e}.maintenance .mark{background:#0969da}
body.step{display:flex;flex-direction:column;height:100vh}
nav{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center;padding:.5rem 1rem;border-bottom:1px solid var(--line)}
nav .off{opacity:.5}
nav .here{flex:1}
iframe{flex:1;width:100%;border:0}
@media print{body.step{height:auto}iframe{height:100vh}}
";

#[cfg(test)]
mod tests {
    use super::*;

    fn step(at: &str, indicator: &str, description: &str) -> Step {
        Step {
            at: chrono::DateTime::parse_from_rfc3339(at)
                .expect("test time")
                .with_timezone(&chrono::Utc),
            indicator: indicator.to_owned(),
            description: description.to_owned(),
        }
    }

    fn context() -> Context<'static> {
        Context {
            title: "<Kakao> & \"Status\"",
            timezone: "Asia/Seoul".parse().expect("zone"),
            every: "6h",
        }
    }

    #[test]
    fn every_text_is_escaped_and_no_script_is_written() {
        let steps = [step(
            "2022-10-15T12:00:00+09:00",
            "<script>",
            "<img src=x onerror=alert(1)>",
        )];
        for (path, text) in pages(&context(), &steps) {
            assert!(!text.contains("<Kakao>"), "{path}");
            assert!(!text.contains("<img"), "{path}");
            assert!(!text.contains("<script"), "{path}");
            assert!(
                text.contains("&lt;Kakao&gt; &amp; &quot;Status&quot;"),
                "{path}"
            );
            assert!(text.contains("class=\"status unknown\""), "{path}");
        }
    }

    #[test]
    fn steps_link_their_neighbours_and_the_first_and_last_stop() {
        let steps = [
            step(
                "2022-10-15T12:00:00+09:00",
                "none",
                "All Systems Operational",
            ),
            step(
                "2022-10-15T18:00:00+09:00",
                "critical",
                "Major System Outage",
            ),
            step(
                "2022-10-16T00:00:00+09:00",
                "critical",
                "Major System Outage",
            ),
        ];
        let pages = pages(&context(), &steps);
        let paths: Vec<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "index.html",
                "step/20221015T030000Z.html",
                "step/20221015T090000Z.html",
                "step/20221015T150000Z.html"
            ]
        );
        let (index, first, middle, last) = (&pages[0].1, &pages[1].1, &pages[2].1, &pages[3].1);
        assert!(index.contains("Sat 15 Oct 2022, 12:00 KST"), "{index}");
        assert!(
            index.contains("datetime=\"2022-10-15T03:00:00Z\""),
            "{index}"
        );
        assert_eq!(index.matches("(changed)").count(), 1, "{index}");
        assert!(first.contains("<span class=\"off\">&larr; Previous</span>"));
        assert!(first.contains("rel=\"next\" href=\"20221015T090000Z.html\""));
        assert!(middle.contains("rel=\"prev\" href=\"20221015T030000Z.html\""));
        assert!(middle.contains("rel=\"next\" href=\"20221015T150000Z.html\""));
        assert!(middle.contains("<iframe src=\"../20221015T090000Z/index.html\""));
        assert!(middle.contains("Step 2 of 3"));
        assert!(last.contains("<span class=\"off\">Next &rarr;</span>"));
    }
}
