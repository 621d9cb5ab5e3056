//! `candor serve`'s HTTP side: serves the output folder, injects live reload, pushes rebuilds to open pages.
//!
//! Files are read from disk on every request, since the build swaps the whole folder. Pages served here
//! (never the files `build` writes) get a small script listening on `/__candor/events` (server-sent
//! events): `reload` after a good rebuild, `errors` with the overlay after a failed one. Never prints.

use crate::diagnostic::{self, Color};
use crate::error::Diagnostic;
use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;
use tiny_http::{Header, Method, ReadWrite, Request, Response, ResponseBox};

const EVENTS_PATH: &str = "/__candor/events";
const PING_EVERY: Duration = Duration::from_secs(15);
/// How long a request waits for the folder to reappear when it caught the build's swap.
const SWAP_WAIT: Duration = Duration::from_millis(25);
const TITLE: &str = "candor: the last edit has errors — the page shows the last good build";
const OVERLAY_STYLE: &str = "position:fixed;top:0;left:0;right:0;max-height:100vh;overflow:auto;\
z-index:2147483647;box-sizing:border-box;margin:0;padding:1em 1.5em;background:#1b1b1f;color:#ececec;\
font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 4px 16px #0008";
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    pub bind: IpAddr,
    pub port: u16,
    /// How many ports after `port` to try when it is taken (0: fail at once).
    pub try_next_ports: u16,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            try_next_ports: 10,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("port {port} on {bind} is taken{}; pass --port", tried(*.port, *.last))]
    PortTaken { bind: IpAddr, port: u16, last: u16 },
    #[error("cannot serve on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
}

fn tried(port: u16, last: u16) -> String {
    if last > port {
        format!(" (tried {port}–{last})")
    } else {
        String::new()
    }
}

enum Event {
    Reload,
    Errors(Arc<str>),
}

#[derive(Default)]
struct State {
    /// The overlay HTML while the last rebuild failed.
    errors: Option<Arc<str>>,
    clients: Vec<Sender<Event>>,
    stopping: bool,
}

struct Shared {
    root: PathBuf,
    state: Mutex<State>,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running preview server. Dropping it stops accepting; `stop` also waits for every thread.
pub struct Server {
    handle: Handle,
    http: Arc<tiny_http::Server>,
    accept: Option<JoinHandle<()>>,
}

/// What the watcher needs from the server, cheap to clone and send to another thread.
#[derive(Clone)]
pub struct Handle {
    shared: Arc<Shared>,
    addr: SocketAddr,
}

impl Server {
    /// Binds (trying port, port+1, … up to try_next_ports when taken), spawns the accept thread, returns.
    pub fn start(output: PathBuf, options: &ServeOptions) -> Result<Server, ServeError> {
        let listener = bind(options)?;
        let addr = listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::new(options.bind, options.port));
        let failed = |source| ServeError::Listen { addr, source };
        let http = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| failed(io::Error::other(e.to_string())))?;
        let http = Arc::new(http);
        let shared = Arc::new(Shared {
            root: output,
            state: Mutex::default(),
            workers: Mutex::default(),
        });
        let (accept_http, accept_shared) = (Arc::clone(&http), Arc::clone(&shared));
        let accept = thread::Builder::new()
            .name("candor-serve".into())
            .spawn(move || accept_loop(&accept_http, &accept_shared))
            .map_err(failed)?;
        Ok(Server {
            handle: Handle { shared, addr },
            http,
            accept: Some(accept),
        })
    }

    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }

    pub fn addr(&self) -> SocketAddr {
        self.handle.addr
    }

    pub fn url(&self) -> String {
        self.handle.url()
    }

    pub fn reload(&self) {
        self.handle.reload();
    }

    pub fn show_errors(&self, diagnostics: &[Diagnostic]) {
        self.handle.show_errors(diagnostics);
    }

    /// Stops accepting, closes every events connection and joins every thread the server started.
    pub fn stop(mut self) {
        self.shut_down();
        let workers = std::mem::take(
            &mut *self
                .handle
                .shared
                .workers
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for worker in workers {
            let _ = worker.join();
        }
    }

    fn shut_down(&mut self) {
        {
            let mut state = self.handle.shared.state();
            state.stopping = true;
            state.clients.clear();
        }
        self.http.unblock();
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shut_down();
    }
}

impl Handle {
    /// `http://127.0.0.1:1111/`; an unspecified bind address shows as localhost.
    pub fn url(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}/", SocketAddr::new(ip, self.addr.port()))
    }

    /// After a successful rebuild (new output complete on disk): clear any error and tell pages to reload.
    pub fn reload(&self) {
        let mut state = self.shared.state();
        state.errors = None;
        state
            .clients
            .retain(|client| client.send(Event::Reload).is_ok());
    }

    /// After a failed rebuild: remember the errors and push them as an overlay to open pages; the last
    /// good files keep being served, and the next `reload` clears it.
    pub fn show_errors(&self, diagnostics: &[Diagnostic]) {
        let text: Vec<String> = diagnostics
            .iter()
            .map(|d| diagnostic::render(d, Color::Never))
            .collect();
        let html: Arc<str> = format!(
            r#"<div id="candor-overlay" role="alert" style="{OVERLAY_STYLE}"><strong style="color:#ff7b72">{TITLE}</strong><pre style="margin:.75em 0 0;white-space:pre-wrap">{}</pre></div>"#,
            escape_html(&text.join("\n"))
        )
        .into();
        let mut state = self.shared.state();
        state.errors = Some(Arc::clone(&html));
        state
            .clients
            .retain(|client| client.send(Event::Errors(Arc::clone(&html))).is_ok());
    }
}

fn bind(options: &ServeOptions) -> Result<TcpListener, ServeError> {
    let mut port = options.port;
    let last = options.port.saturating_add(options.try_next_ports);
    loop {
        let addr = SocketAddr::new(options.bind, port);
        match TcpListener::bind(addr) {
            Ok(listener) => return Ok(listener),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => {}
            Err(source) => return Err(ServeError::Listen { addr, source }),
        }
        if port >= last {
            return Err(ServeError::PortTaken {
                bind: options.bind,
                port: options.port,
                last,
            });
        }
        port += 1;
    }
}

fn accept_loop(http: &tiny_http::Server, shared: &Arc<Shared>) {
    for request in http.incoming_requests() {
        let worker_shared = Arc::clone(shared);
        // Events connections live long; each request gets its own thread so none waits on another.
        let spawned = thread::Builder::new()
            .name("candor-serve-request".into())
            .spawn(move || handle_request(&worker_shared, request));
        // When no thread can be had, the request was dropped with it, and tiny_http answers 500.
        if let Ok(worker) = spawned {
            let mut workers = shared
                .workers
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            workers.retain(|w| !w.is_finished());
            workers.push(worker);
        }
    }
}

fn handle_request(shared: &Shared, request: Request) {
    let url = request.url().to_owned();
    let url = url.split('#').next().unwrap_or_default();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let response = match request.method() {
        Method::Get if path == EVENTS_PATH => return events(shared, request),
        Method::Get | Method::Head => serve_path(shared, path, query),
        _ => text(405, "405 method not allowed\n").with_header(header("Allow", "GET, HEAD")),
    };
    let _ = request.respond(response);
}

/// Takes the socket over after the headers (tiny_http buffers a streamed body in its chunk encoder,
/// so a blocking body reader would not reach the page until 8 KiB piled up) and writes each event
/// from this client's channel, flushed; a ping every 15 s notices a closed page, whose channel then
/// fails the next send and is dropped from the list.
fn events(shared: &Shared, request: Request) {
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
        current.map_or_else(String::new, |html| sse("errors", &html))
    );
    if !send(&first) {
        return;
    }
    loop {
        let message = match events.recv_timeout(PING_EVERY) {
            Ok(Event::Reload) => sse("reload", ""),
            Ok(Event::Errors(html)) => sse("errors", &html),
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

enum Found {
    File(PathBuf),
    Redirect(String),
    Missing,
}

fn serve_path(shared: &Shared, path: &str, query: &str) -> ResponseBox {
    let errors = shared.state().errors.clone();
    let errors = errors.as_deref();
    // One retry: a request can fall between the build's two renames, when the folder is missing.
    for attempt in 0..2 {
        match resolve(&shared.root, path) {
            Found::File(file) => match std::fs::read(&file) {
                Ok(bytes) => return file_response(200, &file, bytes, errors),
                Err(_) if attempt == 0 => {}
                Err(_) => break,
            },
            Found::Redirect(location) => {
                let location = if query.is_empty() {
                    location
                } else {
                    format!("{location}?{query}")
                };
                return match Header::from_bytes("Location", location) {
                    Ok(h) => text(302, "302 found\n").with_header(h),
                    Err(()) => text(404, "404 not found\n"),
                };
            }
            Found::Missing if attempt == 0 && !shared.root.is_dir() => {}
            Found::Missing => break,
        }
        thread::sleep(SWAP_WAIT);
    }
    let page = shared.root.join("404.html");
    match std::fs::read(&page) {
        Ok(bytes) => file_response(404, &page, bytes, errors),
        Err(_) => text(404, "404 not found\n"),
    }
}

/// Maps a URL path to a file inside `root`, or says why not; never a path outside it.
fn resolve(root: &Path, path: &str) -> Found {
    let Some(relative) = path.strip_prefix('/') else {
        return Found::Missing;
    };
    let mut file = root.to_path_buf();
    let mut clean = Vec::new();
    for raw in relative.split('/') {
        let Some(segment) = percent_decode(raw) else {
            return Found::Missing;
        };
        if segment == ".." || segment.contains(['/', '\\', '\0']) {
            return Found::Missing;
        }
        if !segment.is_empty() && segment != "." {
            file.push(segment);
            clean.push(raw);
        }
    }
    let Ok(root) = root.canonicalize() else {
        return Found::Missing;
    };
    let inside = |p: &Path| p.canonicalize().ok().filter(|real| real.starts_with(&root));
    let Some(mut real) = inside(&file) else {
        return Found::Missing;
    };
    if real.is_dir() {
        if !path.ends_with('/') {
            let folder = clean.iter().map(|s| format!("/{s}")).collect::<String>();
            return Found::Redirect(format!("{folder}/"));
        }
        match inside(&real.join("index.html")) {
            Some(index) => real = index,
            None => return Found::Missing,
        }
    }
    if real.is_file() {
        Found::File(real)
    } else {
        Found::Missing
    }
}

fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = raw
                .get(i + 1..i + 3)
                .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn file_response(status: u16, file: &Path, bytes: Vec<u8>, errors: Option<&str>) -> ResponseBox {
    let kind = content_type(file);
    let bytes = if kind.starts_with("text/html") {
        inject(bytes, errors)
    } else {
        bytes
    };
    Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
        .boxed()
}

/// Puts the overlay (while errors are current) and the live-reload script before `</body>`.
fn inject(mut html: Vec<u8>, errors: Option<&str>) -> Vec<u8> {
    let end = b"</body>";
    let at = html
        .windows(end.len())
        .rposition(|w| w.eq_ignore_ascii_case(end))
        .unwrap_or(html.len());
    let snippet = format!("{}{SCRIPT}\n", errors.unwrap_or_default());
    html.splice(at..at, snippet.into_bytes());
    html
}

fn content_type(file: &Path) -> &'static str {
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "rss" => "application/rss+xml; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn text(status: u16, body: &str) -> ResponseBox {
    Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
        .boxed()
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name, value).expect("header names and values written here are ASCII")
}

fn escape_html(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    // Writing into a Vec cannot fail; the escaped text of UTF-8 stays UTF-8.
    let _ = tera::escape_html(text, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpStream;
    use std::time::Instant;

    const ANY_PORT: ServeOptions = ServeOptions {
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 0,
        try_next_ports: 0,
    };

    /// A site in `public/` with a secret beside it, and a server on a free port.
    fn site(with_404: bool) -> (tempfile::TempDir, Server) {
        let dir = tempfile::tempdir().expect("temp dir");
        let public = dir.path().join("public");
        std::fs::create_dir_all(public.join("incidents/x")).expect("folders");
        let page = |title: &str| format!("<html><body><h1>{title}</h1></body></html>");
        std::fs::write(public.join("index.html"), page("home")).expect("write");
        std::fs::write(public.join("incidents/x/index.html"), page("incident x")).expect("write");
        std::fs::write(public.join("style.css"), "body{}").expect("write");
        std::fs::write(dir.path().join("secret.txt"), "SECRET").expect("write");
        if with_404 {
            std::fs::write(public.join("404.html"), page("lost")).expect("write");
        }
        let server = Server::start(public, &ANY_PORT).expect("server starts");
        (dir, server)
    }

    fn connect(server: &Server, request: &str) -> TcpStream {
        let mut stream = TcpStream::connect(server.addr()).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .expect("timeout");
        stream.write_all(request.as_bytes()).expect("sends");
        stream
    }

    /// Status line, headers and body of one HTTP/1.0 request.
    fn fetch(server: &Server, method: &str, path: &str) -> String {
        let mut stream = connect(server, &format!("{method} {path} HTTP/1.0\r\n\r\n"));
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .expect("reads the response");
        response
    }

    /// Reads an open stream until `needle` arrives (or two seconds pass), returning all read so far.
    fn read_until(stream: &mut TcpStream, needle: &str) -> String {
        let (mut seen, mut buf, deadline) = (
            String::new(),
            [0; 4096],
            Instant::now() + Duration::from_secs(2),
        );
        while !seen.contains(needle) && Instant::now() < deadline {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            }
        }
        seen
    }

    #[test]
    fn serves_a_folders_index_with_its_type_and_the_reload_script() {
        let (dir, server) = site(true);
        let page = fetch(&server, "GET", "/incidents/x/");
        assert!(page.starts_with("HTTP/1.0 200"), "{page}");
        assert!(
            page.contains("Content-Type: text/html; charset=utf-8\r\n"),
            "{page}"
        );
        assert!(page.contains("Cache-Control: no-store\r\n"), "{page}");
        assert!(
            page.contains("<h1>incident x</h1><script>"),
            "script before </body>: {page}"
        );
        assert!(
            page.contains(EVENTS_PATH) && page.ends_with("</script>\n</body></html>"),
            "{page}"
        );
        let on_disk = std::fs::read_to_string(dir.path().join("public/incidents/x/index.html"));
        assert!(
            !on_disk.expect("reads").contains("<script>"),
            "the file on disk stays as built"
        );
        let redirect = fetch(&server, "GET", "/incidents/x?a=1");
        assert!(
            redirect.starts_with("HTTP/1.0 302")
                && redirect.contains("Location: /incidents/x/?a=1\r\n")
        );
        let css = fetch(&server, "GET", "/style.css");
        assert!(
            css.contains("Content-Type: text/css; charset=utf-8\r\n") && css.ends_with("body{}"),
            "{css}"
        );
        assert!(
            fetch(&server, "HEAD", "/").ends_with("\r\n\r\n"),
            "HEAD sends no body"
        );
        assert!(fetch(&server, "POST", "/").starts_with("HTTP/1.0 405"));
        server.stop();
    }

    #[test]
    fn paths_escaping_the_folder_get_404_not_the_file() {
        let (dir, server) = site(false);
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            dir.path().join("secret.txt"),
            dir.path().join("public/link.txt"),
        )
        .expect("link");
        for path in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/x/..%2F..%2Fsecret.txt",
            "/..%5csecret.txt",
            "/link.txt",
            "/a%00b",
        ] {
            let response = fetch(&server, "GET", path);
            assert!(
                response.starts_with("HTTP/1.0 404") && !response.contains("SECRET"),
                "{path}: {response}"
            );
        }
        server.stop();
    }

    #[test]
    fn unknown_paths_get_the_sites_404_page_with_status_404() {
        let (_dir, server) = site(true);
        let response = fetch(&server, "GET", "/nope/");
        assert!(
            response.starts_with("HTTP/1.0 404") && response.contains("<h1>lost</h1><script>"),
            "{response}"
        );
        server.stop();
        let (_dir, server) = site(false);
        assert!(fetch(&server, "GET", "/nope").ends_with("404 not found\n"));
        server.stop();
    }

    #[test]
    fn a_taken_port_moves_to_the_next_one_or_fails_clearly() {
        let (_dir, first) = site(false);
        let port = first.addr().port();
        let options = ServeOptions {
            port,
            try_next_ports: 10,
            ..ANY_PORT
        };
        let second = Server::start(PathBuf::from("."), &options).expect("a next port is free");
        assert!((port + 1..=port + 10).contains(&second.addr().port()));
        assert_eq!(
            second.url(),
            format!("http://127.0.0.1:{}/", second.addr().port())
        );
        second.stop();
        let options = ServeOptions { port, ..ANY_PORT };
        let error = Server::start(PathBuf::from("."), &options)
            .err()
            .expect("the port is taken");
        assert_eq!(
            error.to_string(),
            format!("port {port} on 127.0.0.1 is taken; pass --port")
        );
        let error = ServeError::PortTaken {
            bind: ANY_PORT.bind,
            port: 1111,
            last: 1120,
        };
        assert_eq!(
            error.to_string(),
            "port 1111 on 127.0.0.1 is taken (tried 1111–1120); pass --port"
        );
        first.stop();
    }

    #[test]
    fn events_carry_reload_and_escaped_errors_and_pages_show_the_overlay() {
        let (_dir, server) = site(true);
        let mut events = connect(
            &server,
            &format!("GET {EVENTS_PATH} HTTP/1.1\r\nHost: x\r\n\r\n"),
        );
        let opened = read_until(&mut events, "retry: 500\n\n");
        assert!(
            opened.contains("Content-Type: text/event-stream"),
            "{opened}"
        );
        server.reload();
        assert!(
            read_until(&mut events, "event: reload\ndata:\n\n")
                .ends_with("event: reload\ndata:\n\n")
        );
        let mut bad = Diagnostic::error(
            "incidents/a.yaml",
            "unknown service \"<script>alert(1)</script>\"",
        );
        bad.line = Some(3);
        bad.source_line = Some("  - id: <script>".to_owned());
        server.show_errors(&[bad]);
        let sent = read_until(&mut events, "\n\n");
        assert!(
            sent.starts_with("event: errors\ndata: <div id=\"candor-overlay\""),
            "{sent}"
        );
        assert!(
            sent.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                && !sent.contains("alert(1)</script>"),
            "{sent}"
        );
        assert!(
            sent.contains("\ndata: 3 |   - id: &lt;script&gt;\n"),
            "one data line per text line: {sent}"
        );
        let page = fetch(&server, "GET", "/");
        assert!(
            page.contains("<h1>home</h1><div id=\"candor-overlay\"") && page.contains(TITLE),
            "{page}"
        );
        let mut late = connect(
            &server,
            &format!("GET {EVENTS_PATH} HTTP/1.1\r\nHost: x\r\n\r\n"),
        );
        assert!(
            read_until(&mut late, "event: errors\n").contains("event: errors\n"),
            "a late page gets the errors at once"
        );
        server.reload();
        assert!(read_until(&mut events, "event: reload\n").contains("event: reload\n"));
        assert!(
            !fetch(&server, "GET", "/").contains("<div id=\"candor-overlay\""),
            "a good rebuild clears the overlay"
        );
        server.stop();
    }
}
