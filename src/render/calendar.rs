//! The maintenance calendar (`maintenance.ics`, iCalendar, RFC 5545): one event per window.
//!
//! Titles (the site's and each window's) are plain text and go in as written; Markdown (a
//! window's summary) is made plain first (`markdown::plain`: calendar clients show text as they
//! please, some as HTML, so its raw HTML is dropped). Both are escaped by `ics_text`.
//! Never touches the disk or the clock: `DTSTAMP` is the window's last post.

use super::OutputFile;
use crate::model::state::State;
use crate::model::{Incident, Kind, Time, ids};
use crate::render::markdown;
use crate::render::url;

/// Events in the calendar: enough for years of windows, small enough for calendar apps.
const CALENDAR_EVENTS: usize = 200;

/// `maintenance.ics`: the newest `CALENDAR_EVENTS` maintenance windows of the state's site as
/// events, newest first by start (ties by slug), for people who plan around them.
pub fn calendar_file(state: &State) -> OutputFile {
    let site = &state.site;
    let base = &site.config.base_url;
    // The UID is the window's API id at the page's: never the host, so a domain move or
    // https does not duplicate every event in the calendars that subscribed.
    let page = ids::page_id(&site.config);
    let utc = |t: Time| t.format("%Y%m%dT%H%M%SZ").to_string();
    let mut windows: Vec<&Incident> = (site.incidents.iter().map(|i| i.as_ref()))
        .filter(|i| i.kind == Kind::Maintenance)
        .collect();
    windows.sort_by(|a, b| b.start.cmp(&a.start).then_with(|| a.slug.cmp(&b.slug)));
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//candor//candor status page//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("X-WR-CALNAME:{}", ics_text(&site.config.title)),
    ];
    for i in windows.into_iter().take(CALENDAR_EVENTS) {
        lines.push("BEGIN:VEVENT".to_owned());
        lines.push(format!("UID:{}@{page}", ids::incident_id(&page, i)));
        // When this window was last posted about: the calendar changes only with the windows.
        lines.push(format!("DTSTAMP:{}", utc(state.posted_at(i))));
        lines.push(format!("DTSTART:{}", utc(i.start)));
        lines.push(format!("DTEND:{}", utc(i.end.unwrap_or(i.start))));
        lines.push(format!("SUMMARY:{}", ics_text(&i.title)));
        if let Some(summary) = &i.summary {
            lines.push(format!(
                "DESCRIPTION:{}",
                ics_text(&markdown::plain(summary))
            ));
        }
        lines.push(format!(
            "URL:{}",
            url::absolute(base, &url::incident_page(&i.slug))
        ));
        // We publish no cancelled windows: a dropped window's file is removed.
        lines.push("STATUS:CONFIRMED".to_owned());
        lines.push("END:VEVENT".to_owned());
    }
    lines.push("END:VCALENDAR".to_owned());
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    OutputFile::text("maintenance.ics", out)
}

/// An RFC 5545 TEXT value from plain text: `\`, `;` and `,` escaped, line breaks as `\n`,
/// other control characters dropped (the grammar has no place for them).
fn ics_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.replace("\r\n", "\n").chars() {
        match c {
            '\\' | ';' | ',' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded after at most 75 octets (RFC 5545 §3.1) and never inside
/// a UTF-8 character, each physical line ending in CRLF.
fn fold(line: &str, out: &mut String) {
    let mut octets = 0;
    for c in line.chars() {
        if octets + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(c);
        octets += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixture::{NOW, hostile_site, t};

    fn ics(site: &crate::model::Site) -> String {
        let file = calendar_file(&State::at(site, t(NOW)));
        assert_eq!(file.path, "maintenance.ics");
        String::from_utf8(file.bytes).expect("utf-8")
    }

    #[test]
    fn a_title_is_text_as_written_and_escaped() {
        let ics = ics(&hostile_site()).replace("\r\n ", "");
        assert!(
            ics.contains("SUMMARY:Upgrade <script>x</script>\\; step 1\\, step 2\\\\ok\\nnext\r\n"),
            "{ics}"
        );
    }

    #[test]
    fn ics_text_escapes_separators_and_line_breaks() {
        assert_eq!(
            ics_text("a; b, c\\d\n\n- e\r\u{1}f"),
            "a\\; b\\, c\\\\d\\n\\n- ef"
        );
    }

    #[test]
    fn ics_lines_are_short_crlf_terminated_and_escaped() {
        let mut site = hostile_site();
        for i in site
            .incidents
            .iter_mut()
            .filter(|i| i.kind == Kind::Maintenance)
        {
            let long = "데이터베이스 업그레이드 작업, with a long tail of ASCII text; ".repeat(6);
            std::sync::Arc::make_mut(i).summary = Some(crate::model::Text::new(long, false));
        }
        let ics = ics(&site);
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for line in ics.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
            assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains("\r\nDESCRIPTION:데이터베이스 업그레이드 작업\\, with a long tail")
        );
        // The UID is the window's API id at the page's, the same wherever the site is served.
        let page = crate::model::ids::page_id(&site.config);
        let window = crate::model::ids::id(&page, "incident:db-upgrade");
        assert!(unfolded.contains(&format!("\r\nUID:{window}@{page}\r\n")));
        site.config.base_url = "https://elsewhere.example/status/".to_owned();
        let moved = super::tests::ics(&site).replace("\r\n ", "");
        assert!(moved.contains(&format!("\r\nUID:{window}@{page}\r\n")));
        assert!(unfolded.contains("\r\nDTSTART:20221024T170000Z\r\nDTEND:20221024T190000Z\r\n"));
        // The window's own last post (its announcement), not the build time.
        assert!(unfolded.contains("\r\nDTSTAMP:20221018T010000Z\r\n"));
        assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 2);
    }
}
