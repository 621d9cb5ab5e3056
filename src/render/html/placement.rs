//! Where the restoration chart's marks stand, as a stylesheet beside the incident page
//! (`incidents/SLUG/chart.css`) instead of `style` attributes: the default theme's
//! Content-Security-Policy allows no inline style (docs/themes.md), and a file on the site's
//! own origin is what `style-src 'self'` allows. Each mark gets a class (`place` in the view)
//! and this file one rule per class.
//!
//! Pure text from the chart's own numbers: no incident text ever reaches the stylesheet, and
//! nothing here touches the disk.

use super::incident::{Chart, Tick};
use std::fmt::Write;

/// The stylesheet's name, beside the page (the template links it relatively).
pub const CHART_CSS: &str = "chart.css";

/// The class of the tick (and the grid lines under it) at `k`.
pub fn tick(k: usize) -> String {
    format!("p-k{k}")
}

/// The class of the label of the tick at `k`.
pub fn tick_label(k: usize) -> String {
    format!("p-kl{k}")
}

/// The class of segment `s` of row `r`.
pub fn segment(r: usize, s: usize) -> String {
    format!("p-s{r}-{s}")
}

/// The class of the restoration mark of row `r`.
pub fn restored(r: usize) -> String {
    format!("p-r{r}")
}

/// Which ticks carry a date, and how wide: about six labels whatever the span, each as wide
/// as the room before the next labelled tick (or the chart's end), and none in less than 6 %
/// of the width, where it could not be read.
pub fn label_ticks(ticks: &mut [Tick]) {
    let n = ticks.len();
    let step = n.div_ceil(6).max(1);
    let at = |t: &Tick| t.left.parse::<f64>().unwrap_or(0.0);
    for k in (0..n).step_by(step) {
        let until = ticks.get(k + step).map_or(100.0, at);
        let room = until - at(&ticks[k]);
        if room >= 6.0 {
            ticks[k].label_width = Some(format!("{room:.3}"));
            ticks[k].label_place = Some(tick_label(k));
        }
    }
}

/// The chart's stylesheet: one rule per placed mark, in the order the page shows them (only
/// the comment for a page without a chart).
pub fn stylesheet(chart: Option<&Chart>) -> String {
    let mut css = String::from(
        "/* The restoration chart of this page: where each mark stands (written by candor). */\n",
    );
    let Some(chart) = chart else {
        return css;
    };
    for t in &chart.ticks {
        let _ = writeln!(css, ".{}{{left:{}%}}", t.place, t.left);
        if let (Some(place), Some(width)) = (&t.label_place, &t.label_width) {
            let _ = writeln!(css, ".{place}{{left:{}%;width:{width}%}}", t.left);
        }
    }
    for row in &chart.rows {
        for s in &row.segments {
            let _ = writeln!(css, ".{}{{left:{}%;width:{}%}}", s.place, s.left, s.width);
        }
        if let (Some(place), Some(left)) = (&row.restored_place, &row.restored_left) {
            let _ = writeln!(css, ".{place}{{left:{left}%}}");
        }
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticks(lefts: &[&str]) -> Vec<Tick> {
        (lefts.iter().enumerate())
            .map(|(k, left)| Tick {
                left: (*left).to_owned(),
                label: format!("day {k}"),
                place: tick(k),
                label_place: None,
                label_width: None,
            })
            .collect()
    }

    #[test]
    fn about_six_ticks_are_labelled_where_there_is_room() {
        let lefts: Vec<String> = (0..12)
            .map(|k| format!("{:.3}", 2.0 + 8.0 * k as f64))
            .collect();
        let mut t = ticks(&lefts.iter().map(String::as_str).collect::<Vec<_>>());
        label_ticks(&mut t);
        let labelled: Vec<usize> = (0..12).filter(|&k| t[k].label_place.is_some()).collect();
        assert_eq!(labelled, [0, 2, 4, 6, 8, 10]);
        assert_eq!(t[0].label_width.as_deref(), Some("16.000"));
        // The last: from 82 % to the end.
        assert_eq!(t[10].label_width.as_deref(), Some("18.000"));
        let mut tight = ticks(&["10.000", "97.000"]);
        label_ticks(&mut tight);
        assert!(
            tight[1].label_place.is_none(),
            "3 % is too narrow for a date"
        );
        assert_eq!(tight[0].label_place.as_deref(), Some("p-kl0"));
    }
}
