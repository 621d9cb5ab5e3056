//! The error overlay a page shows while the last rebuild failed: the diagnostics as the
//! terminal shows them (without colour), HTML-escaped, in a fixed box over the last good page.
//!
//! Never lets text from an input file through unescaped: a diagnostic quotes the source line.

use crate::diagnostic::{self, Color};
use crate::error::Diagnostic;

pub(super) const TITLE: &str =
    "candor: the last edit has errors — the page shows the last good build";
const STYLE: &str = "position:fixed;top:0;left:0;right:0;max-height:100vh;overflow:auto;\
z-index:2147483647;box-sizing:border-box;margin:0;padding:1em 1.5em;background:#1b1b1f;color:#ececec;\
font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 4px 16px #0008";

/// The overlay's HTML: one `<div id="candor-overlay">`, on one line but for the diagnostics'.
pub(super) fn html(diagnostics: &[Diagnostic]) -> String {
    let text: Vec<String> = diagnostics
        .iter()
        .map(|d| diagnostic::render(d, Color::Never))
        .collect();
    format!(
        r#"<div id="candor-overlay" role="alert" style="{STYLE}"><strong style="color:#ff7b72">{TITLE}</strong><pre style="margin:.75em 0 0;white-space:pre-wrap">{}</pre></div>"#,
        escape_html(&text.join("\n"))
    )
}

fn escape_html(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    // Writing into a Vec cannot fail; the escaped text of UTF-8 stays UTF-8.
    let _ = tera::escape_html(text, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}
