//! SVG status badges: `badge.svg` for the whole site and `services/ID/badge.svg` per service,
//! in the site's language and a colour per current impact.
//!
//! Service names and status words are escaped by `xml::escape`. Never touches the disk, and
//! never derives a status: each badge shows the headline (`model::headline`) or a service's impact.

use super::OutputFile;
use super::xml;
use crate::model::Impact;
use crate::model::headline;
use crate::model::state::{Indicator, State};
use crate::theme::i18n::Strings;

/// The site's badge, then one per service in status.yaml's order, each with the words of
/// `strings`.
pub fn badge_files(state: &State, strings: &Strings) -> Vec<OutputFile> {
    let site = &state.site;
    // The site's badge says what the front page's headline says: what is down now.
    let (indicator, key) = headline::banner(&state.services, state.indicator);
    let text = strings.get(&key).to_owned();
    let fill = colour_of(indicator);
    let mut files = Vec::with_capacity(site.services.len() + 1);
    files.push(badge(
        "badge.svg".to_owned(),
        strings.get("badge_label"),
        &text,
        fill,
    ));
    for (s, &impact) in site.services.iter().zip(&state.services) {
        let word = impact.map_or("operational", Impact::as_str);
        let text = strings.get(&format!("impact_{word}")).to_owned();
        files.push(badge(
            format!("services/{}/badge.svg", s.id),
            &s.name,
            &text,
            colour(impact),
        ));
    }
    files
}

/// The colour of the site's status: that of the impact each indicator stands for.
pub(super) fn colour_of(indicator: Indicator) -> &'static str {
    colour(match indicator {
        Indicator::None => None,
        Indicator::Maintenance => Some(Impact::UnderMaintenance),
        Indicator::Minor => Some(Impact::DegradedPerformance),
        Indicator::Major => Some(Impact::PartialOutage),
        Indicator::Critical => Some(Impact::MajorOutage),
    })
}

/// A background for white text with WCAG AA contrast (≥ 4.5:1), by current impact.
fn colour(impact: Option<Impact>) -> &'static str {
    match impact {
        None => "#2e7d32",
        Some(Impact::DegradedPerformance) => "#9a6700",
        Some(Impact::PartialOutage) => "#c2410c",
        Some(Impact::MajorOutage) => "#b91c1c",
        Some(Impact::UnderMaintenance) => "#1d4ed8",
    }
}

/// A flat two-part badge. Widths are estimated from the characters (no font metrics at
/// build time); `textLength` makes the text fit the estimate, so a wrong guess never spills.
fn badge(path: String, label: &str, value: &str, colour: &str) -> OutputFile {
    let width = |s: &str| -> u32 { s.chars().map(glyph_width).sum() };
    let (lt, vt) = (width(label), width(value));
    let (lw, vw) = (lt + 10, vt + 10);
    let (label, value) = (xml::escape(label), xml::escape(value));
    let text = |x: f64, length: u32, s: &str| {
        format!(
            "<text x=\"{x:.1}\" y=\"14\" textLength=\"{length}\" lengthAdjust=\"spacingAndGlyphs\">{s}</text>"
        )
    };
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"20\" role=\"img\" \
         aria-label=\"{label}: {value}\"><title>{label}: {value}</title>\
         <clipPath id=\"r\"><rect width=\"{w}\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath>\
         <g clip-path=\"url(#r)\"><rect width=\"{lw}\" height=\"20\" fill=\"#555\"/>\
         <rect x=\"{lw}\" width=\"{vw}\" height=\"20\" fill=\"{colour}\"/></g>\
         <g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" \
         font-size=\"11\">{}{}</g></svg>\n",
        text(f64::from(lw) / 2.0, lt, &label),
        text(f64::from(lw) + f64::from(vw) / 2.0, vt, &value),
        w = lw + vw,
    );
    OutputFile::text(path, svg)
}

/// Roughly Verdana's advance at 11px, in whole pixels: close enough for `textLength`.
fn glyph_width(c: char) -> u32 {
    match c {
        'f' | 'i' | 'j' | 'l' | 'r' | 't' | 'I' | ' ' | '.' | ',' | ':' | ';' | '!' | '|' => 4,
        '\'' | '(' | ')' | '[' | ']' => 5,
        'm' | 'w' | 'M' | 'W' => 10,
        'A'..='Z' => 8,
        '\u{1100}'.. => 11,
        _ => 7,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixture::{NOW, english, hostile_site, sample_site, t, text};

    #[test]
    fn script_in_a_service_name_is_escaped() {
        let files = badge_files(&State::at(&hostile_site(), t(NOW)), &english());
        let out = text(&files, "services/talk/badge.svg");
        assert!(!out.contains("<script"), "{out}");
        assert!(out.contains("&lt;script&gt;"));
    }

    #[test]
    fn badges_show_the_current_status_in_words_and_colour() {
        let files = badge_files(&State::at(&sample_site(), t(NOW)), &english());
        let site = text(&files, "badge.svg");
        assert!(
            site.contains("<title>status: Minor service outage</title>")
                && site.contains("#9a6700")
        );
        let pay = text(&files, "services/pay/badge.svg");
        assert!(pay.contains("<title>PAY: Partial outage</title>") && pay.contains("#c2410c"));
        let talk = text(&files, "services/talk/badge.svg");
        assert!(talk.contains(">Under maintenance</text>") && talk.contains("#1d4ed8"));
        assert!(text(&files, "services/mail/badge.svg").contains(">Operational</text>"));
    }
}
