//! Live reload: the script put into every page served, and the server-sent events it listens
//! for at `/__candor/events` — `reload` after a good rebuild, `errors` (the overlay) after a
//! failed one; `streams` keeps the open streams and sends them.
//!
//! Never touches a file: the script goes into the response, never into the output folder.

pub(super) const EVENTS_PATH: &str = "/__candor/events";
/// Injected into every HTML page served; reloads on `reload`, shows `errors`, reloads after a restart.
const SCRIPT: &str = r#"<script>
(() => {
  const show = (html) => {
    document.getElementById("candor-overlay")?.remove();
    document.body.insertAdjacentHTML("beforeend", html);
  };
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
</script>"#;

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
    let snippet = format!("{}{SCRIPT}\n", errors.unwrap_or_default());
    html.splice(at..at, snippet.into_bytes());
    html
}
