//! One HTTP request of the preview server: the method and path, the file they name inside the
//! output folder, and the response (type, no caching, the reload script in HTML pages).
//!
//! Files are read from disk on every request, since the build swaps the whole folder. Never
//! answers with a file outside the output folder — not through `..`, an escaped `..` or `/`,
//! a backslash, a NUL, nor a symlink pointing out — and never writes.

use super::{Shared, reload};
use percent_encoding::percent_decode_str;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, ResponseBox};

/// How long a request waits for the folder to reappear when it caught the build's swap.
const SWAP_WAIT: Duration = Duration::from_millis(25);

/// Answers `request`: the events stream, a file of the output folder, a redirect or a 404.
pub(super) fn handle_request(shared: &Shared, request: Request) {
    let url = request.url().to_owned();
    let url = url.split('#').next().unwrap_or_default();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let response = match request.method() {
        Method::Get if path == reload::EVENTS_PATH => return reload::events(shared, request),
        Method::Get if path == reload::SCRIPT_PATH => return reload::script(request),
        Method::Get | Method::Head => serve_path(shared, path, query),
        _ => text(405, "405 method not allowed\n").with_header(header("Allow", "GET, HEAD")),
    };
    let _ = request.respond(response);
}

#[derive(Debug, PartialEq, Eq)]
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

fn file_response(status: u16, file: &Path, bytes: Vec<u8>, errors: Option<&str>) -> ResponseBox {
    let kind = content_type(file);
    let bytes = if kind.starts_with("text/html") {
        reload::inject(bytes, errors)
    } else {
        bytes
    };
    Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
        .boxed()
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

/// A plain-text answer (an error, a redirect's body), never cached.
pub(super) fn text(status: u16, body: &str) -> ResponseBox {
    Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
        .boxed()
}

pub(super) fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name, value).expect("header names and values written here are ASCII")
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
