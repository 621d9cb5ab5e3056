//! Live reload: the script every page served loads (`/__candor/reload.js`, a file, so a page's
//! Content-Security-Policy need not allow inline script), and the server-sent events it listens
//! for at `/__candor/events` — `reload` after a good rebuild, `errors` (the overlay) after a
//! failed one; `streams` keeps the open streams and sends them.
//!
//! Never touches a file: the script goes into the response, never into the output folder.

use super::http::Response;

pub(super) const EVENTS_PATH: &str = "/__candor/events";
/// Where the page fetches the script: a file of the page's own origin, as the default theme's
/// Content-Security-Policy (`script-src 'self'`) allows, where an inline script is refused.
pub(super) const SCRIPT_PATH: &str = "/__candor/reload.js";
/// Put into every HTML page served.
const SCRIPT_TAG: &str = r#"<script src="/__candor/reload.js"></script>"#;
/// Reloads on `reload`, shows `errors`, reloads after a restart. The overlay comes with its
/// styles as `data-candor-style` (`unstyled`), applied here through the CSSOM, which a
/// Content-Security-Policy without `'unsafe-inline'` allows where it refuses (and reports) a
/// `style` attribute.
const SCRIPT: &str = r##"(() => {
  const style = () => {
    for (const el of document.querySelectorAll("#candor-overlay, #candor-overlay [data-candor-style]")) {
      el.style.cssText = el.dataset.candorStyle || "";
    }
  };
  const show = (html) => {
    document.getElementById("candor-overlay")?.remove();
    document.body.insertAdjacentHTML("beforeend", html);
    style();
  };
  style();
  let opened = false;
  let lost = false;
  const events = new EventSource("/__candor/events");
  events.addEventListener("open", () => {
    if (lost) location.reload();
    opened = true;
  });
  events.addEventListener("error", () => {
    if (opened) lost = true;
  });
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("errors", (e) => show(e.data));
})();
"##;

/// The overlay with its `style` attributes renamed `data-candor-style`, for the script to apply.
/// The overlay escapes every quote of the diagnostics it shows, so ` style="` only ever starts
/// one of its own attributes.
pub(super) fn unstyled(html: &str) -> String {
    html.replace(" style=\"", " data-candor-style=\"")
}

/// The live-reload script, never cached.
pub(super) fn script() -> Response {
    Response {
        status: 200,
        headers: vec![
            ("Content-Type", "text/javascript; charset=utf-8".to_owned()),
            ("Cache-Control", "no-store".to_owned()),
        ],
        body: SCRIPT.as_bytes().to_vec(),
    }
}

/// One server-sent event; every line of `data` gets its own `data:` field, which the client rejoins.
pub(super) fn sse(event: &str, data: &str) -> String {
    let mut out = format!("event: {event}\n");
    for line in data.replace('\r', "").split('\n') {
        out.push_str("data:");
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push('\n');
    out
}

/// Puts the overlay (while errors are current) and the live-reload script before `</body>`.
pub(super) fn inject(mut html: Vec<u8>, errors: Option<&str>) -> Vec<u8> {
    let end = b"</body>";
    let at = html
        .windows(end.len())
        .rposition(|w| w.eq_ignore_ascii_case(end))
        .unwrap_or(html.len());
    let snippet = format!("{}{SCRIPT_TAG}\n", unstyled(errors.unwrap_or_default()));
    html.splice(at..at, snippet.into_bytes());
    html
}
