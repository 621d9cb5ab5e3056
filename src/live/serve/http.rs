//! One HTTP request of the preview server: the method and path, the file they name inside the
//! output folder, and the response (type, no caching, the reload script in HTML pages), written
//! within a deadline.
//!
//! Files are read from disk on every request, since the build swaps the whole folder. Never
//! answers with a file outside the output folder — not through `..`, an escaped `..` or `/`,
//! a backslash, a NUL, nor a symlink pointing out — and never writes to disk.

use super::head::{Head, Version};
use super::{Shared, reload};
use percent_encoding::percent_decode_str;
use std::borrow::Cow;
use std::io::{self, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

/// How long a request waits for the folder to reappear when it caught the build's swap.
const SWAP_WAIT: Duration = Duration::from_millis(25);
/// How long writing one response may take: a client that stops reading (or reads a byte at a
/// time) frees its worker after this.
pub(super) const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Written in pieces, so the deadline is checked as the client reads.
const WRITE_PIECE: usize = 64 * 1024;

/// A response as the server sends it: every one closes its connection (no keep-alive, so an
/// idle browser connection never holds a worker or a slot).
#[derive(Debug)]
pub(super) struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    /// The status line and headers, as `version` (the request's, or 1.1 before it is known),
    /// then the body unless `head_only` (a HEAD request: its length, but no body).
    pub(super) fn to_bytes(&self, version: Version, head_only: bool) -> Vec<u8> {
        let mut head = format!(
            "{} {} {}\r\n",
            version.as_str(),
            self.status,
            reason(self.status)
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        let mut bytes = head.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        bytes
    }

    /// Writes the whole response on a blocking stream within `WRITE_TIMEOUT`, then closes our
    /// side. A client that went away ends it with an error, which is no one's business.
    pub(super) fn send(&self, stream: &mut TcpStream, version: Version) {
        if write_within(stream, &self.to_bytes(version, false), WRITE_TIMEOUT).is_ok() {
            let _ = stream.shutdown(std::net::Shutdown::Write);
        }
    }
}

/// Writes `bytes` on a blocking stream in pieces, giving up when `timeout` has passed: a client
/// that stops reading, or reads a byte at a time, holds the writer no longer.
pub(super) fn write_within(
    stream: &mut TcpStream,
    bytes: &[u8],
    timeout: Duration,
) -> io::Result<()> {
    let deadline = Instant::now() + timeout;
    for piece in bytes.chunks(WRITE_PIECE) {
        let left = deadline
            .checked_duration_since(Instant::now())
            .filter(|left| !left.is_zero())
            .ok_or(io::ErrorKind::TimedOut)?;
        stream.set_write_timeout(Some(left))?;
        stream.write_all(piece)?;
    }
    Ok(())
}

/// Answers one request: the live-reload script, a file of the output folder, a redirect, a 404
/// or a 405.
pub(super) fn respond(shared: &Shared, head: &Head) -> Response {
    let target = head.target.split('#').next().unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    match head.method.as_str() {
        "GET" | "HEAD" if path == reload::SCRIPT_PATH => reload::script(),
        "GET" | "HEAD" => serve_path(shared, path, query),
        _ => text(405, "405 method not allowed\n").with_header("Allow", "GET, HEAD"),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Found {
    File(PathBuf),
    Redirect(String),
    Missing,
}

fn serve_path(shared: &Shared, path: &str, query: &str) -> Response {
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
                // The target is printable ASCII (`head::parse`), so the header stays one line.
                let location = if query.is_empty() {
                    location
                } else {
                    format!("{location}?{query}")
                };
                return text(302, "302 found\n").with_header("Location", location);
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
        let Some(segment) = decode_segment(raw) else {
            return Found::Missing;
        };
        if segment == ".." || segment.contains(['/', '\\', '\0']) {
            return Found::Missing;
        }
        if !segment.is_empty() && segment != "." {
            file.push(segment.as_ref());
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

/// One path segment, percent-decoded; `None` when it holds a malformed escape (`%` not followed
/// by two hex digits) or decodes to bytes that are not UTF-8. The crate would keep a malformed
/// escape as written; we refuse it, since no page we write links to one.
fn decode_segment(raw: &str) -> Option<Cow<'_, str>> {
    let well_formed = raw.split('%').skip(1).all(|after| {
        (after.as_bytes().get(..2)).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_decode_str(raw).decode_utf8().ok()
}

fn file_response(status: u16, file: &Path, bytes: Vec<u8>, errors: Option<&str>) -> Response {
    let kind = content_type(file);
    let body = if kind.starts_with("text/html") {
        reload::inject(bytes, errors)
    } else {
        bytes
    };
    Response {
        status,
        headers: vec![
            ("Content-Type", kind.to_owned()),
            ("Cache-Control", "no-store".to_owned()),
        ],
        body,
    }
}

/// The media type a file is served with: the one table the hosting rules use too, so `serve`
/// previews what a host sends.
fn content_type(file: &Path) -> &'static str {
    crate::render::hosting::content_type(&file.to_string_lossy())
}

/// A plain-text answer (an error, a redirect's body), never cached.
pub(super) fn text(status: u16, body: &str) -> Response {
    Response {
        status,
        headers: vec![
            ("Content-Type", "text/plain; charset=utf-8".to_owned()),
            ("Cache-Control", "no-store".to_owned()),
        ],
        body: body.as_bytes().to_vec(),
    }
}

/// The answer to a request refused before any worker saw it, saying why.
pub(super) fn refusal(status: u16) -> Response {
    let body = match status {
        403 => {
            "403 this host name is not allowed (DNS rebinding protection): open the preview at \
             localhost or an IP address, or start candor serve with --allow-host NAME\n"
        }
        408 => "408 the request head took too long\n",
        431 => "431 the request head is too large\n",
        503 => "503 too many connections; try again\n",
        505 => "505 HTTP/1.0 and HTTP/1.1 only\n",
        _ => "400 bad request\n",
    };
    text(status, body)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `public/` with `a/index.html`, and `secret.txt` beside it.
    fn folder() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let public = dir.path().join("public");
        std::fs::create_dir_all(public.join("a")).expect("folders");
        std::fs::write(public.join("a/index.html"), "page").expect("write");
        std::fs::write(dir.path().join("secret.txt"), "SECRET").expect("write");
        (dir, public)
    }

    #[test]
    fn a_folder_resolves_to_its_index_and_a_bare_folder_redirects() {
        let (_dir, public) = folder();
        let index = public.join("a/index.html").canonicalize().expect("exists");
        assert_eq!(resolve(&public, "/a/"), Found::File(index.clone()));
        assert_eq!(resolve(&public, "/%61/"), Found::File(index));
        assert_eq!(resolve(&public, "/a"), Found::Redirect("/a/".to_owned()));
    }

    #[test]
    fn dot_dot_is_refused() {
        let (_dir, public) = folder();
        assert_eq!(resolve(&public, "/../secret.txt"), Found::Missing);
        assert_eq!(resolve(&public, "/a/../../secret.txt"), Found::Missing);
    }

    #[test]
    fn escaped_dot_dot_and_slash_are_refused() {
        let (_dir, public) = folder();
        for path in [
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/a/..%2F..%2Fsecret.txt",
        ] {
            assert_eq!(resolve(&public, path), Found::Missing, "{path}");
        }
    }

    #[test]
    fn backslashes_are_refused_raw_or_escaped() {
        let (_dir, public) = folder();
        assert_eq!(resolve(&public, "/..\\secret.txt"), Found::Missing);
        assert_eq!(resolve(&public, "/..%5csecret.txt"), Found::Missing);
        assert_eq!(decode_segment("a%5Cb").as_deref(), Some("a\\b"));
    }

    #[test]
    fn nul_is_refused() {
        let (_dir, public) = folder();
        assert_eq!(resolve(&public, "/a%00b"), Found::Missing);
        assert_eq!(resolve(&public, "/a/index.html%00"), Found::Missing);
    }

    #[test]
    fn malformed_escapes_and_non_utf8_are_refused_not_kept() {
        for raw in ["%", "%2", "%zz", "a%2", "%%41", "%4%41", "%C3", "%ff"] {
            assert_eq!(decode_segment(raw), None, "{raw}");
        }
        assert_eq!(decode_segment("%25").as_deref(), Some("%"));
        assert_eq!(decode_segment("%2541").as_deref(), Some("%41"));
        assert_eq!(decode_segment("caf%C3%A9").as_deref(), Some("café"));
        assert_eq!(decode_segment("plain").as_deref(), Some("plain"));
    }
}
