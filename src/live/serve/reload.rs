//! Live reload: the script every page served loads (`/__candor/reload.js`, a file, so a page's
//! Content-Security-Policy need not allow inline script), and the server-sent event stream at
//! `/__candor/events` it listens on — `reload` after a good rebuild, `errors` (the overlay)
//! after a failed one, a ping to notice closed pages.
//!
//! Never touches a file: the script goes into the response, never into the output folder.

use super::Shared;
use super::http::{header, text};
use std::io::Write;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;
use tiny_http::{ReadWrite, Request, Response};

pub(super) const EVENTS_PATH: &str = "/__candor/events";
/// Where the page fetches the script: a file of the page's own origin, as the default theme's
/// Content-Security-Policy (`script-src 'self'`) allows, where an inline script is refused.
pub(super) const SCRIPT_PATH: &str = "/__candor/reload.js";
const PING_EVERY: Duration = Duration::from_secs(15);
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
fn unstyled(html: &str) -> String {
    html.replace(" style=\"", " data-candor-style=\"")
}

/// The live-reload script, never cached.
pub(super) fn script(request: Request) {
    let response = Response::from_string(SCRIPT)
        .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
}

/// What the watcher pushes to each open page.
pub(super) enum Event {
    Reload,
    /// The overlay's HTML.
    Errors(Arc<str>),
}

/// Takes the socket over after the headers (tiny_http buffers a streamed body in its chunk encoder,
/// so a blocking body reader would not reach the page until 8 KiB piled up) and writes each event
/// from this client's channel, flushed; a ping every 15 s notices a closed page, whose channel then
/// fails the next send and is dropped from the list.
pub(super) fn events(shared: &Shared, request: Request) {
    let (sender, receiver) = mpsc::channel();
    let current = {
        let mut state = shared.state();
        if state.stopping {
            let _ = request.respond(text(503, "503 stopping\n"));
            return;
        }
        state.clients.push(sender);
        state.errors.clone()
    };
    let response = Response::empty(200)
        .with_header(header("Content-Type", "text/event-stream; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"));
    let stream = request.upgrade("candor-events", response);
    stream_events(stream, &receiver, current);
}

fn stream_events(
    mut stream: Box<dyn ReadWrite + Send>,
    events: &Receiver<Event>,
    current: Option<Arc<str>>,
) {
    let mut send = |text: &str| {
        stream
            .write_all(text.as_bytes())
            .and_then(|()| stream.flush())
            .is_ok()
    };
    // A short retry makes a restarted server's pages reconnect, and so reload, within a second.
    let first = format!(
        "retry: 500\n\n{}",
        current.map_or_else(String::new, |html| sse("errors", &unstyled(&html)))
    );
    if !send(&first) {
        return;
    }
    loop {
        let message = match events.recv_timeout(PING_EVERY) {
            Ok(Event::Reload) => sse("reload", ""),
            Ok(Event::Errors(html)) => sse("errors", &unstyled(&html)),
            Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_owned(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if !send(&message) {
            return;
        }
    }
}

/// One server-sent event; every line of `data` gets its own `data:` field, which the client rejoins.
fn sse(event: &str, data: &str) -> String {
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
