//! The preview server end to end over a real socket: what a page gets, what a path outside
//! the folder gets, a taken port, the events stream and the overlay. Never touches the repository:
//! each test serves its own temporary folder.

use super::overlay::TITLE;
use super::reload::{EVENTS_PATH, SCRIPT_PATH};
use super::*;
use std::io::Read;
use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

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
        page.contains(&format!(
            "<h1>incident x</h1><script src=\"{SCRIPT_PATH}\">"
        )) && page.ends_with("</script>\n</body></html>"),
        "script before </body>, from a file (a page's CSP may refuse inline scripts): {page}"
    );
    let script = fetch(&server, "GET", SCRIPT_PATH);
    assert!(
        script.starts_with("HTTP/1.0 200")
            && script.contains("Content-Type: text/javascript; charset=utf-8\r\n")
            && script.contains(EVENTS_PATH),
        "{script}"
    );
    let on_disk = std::fs::read_to_string(dir.path().join("public/incidents/x/index.html"));
    assert!(
        !on_disk.expect("reads").contains("<script"),
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
        response.starts_with("HTTP/1.0 404") && response.contains("<h1>lost</h1><script src="),
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
        read_until(&mut events, "event: reload\ndata:\n\n").ends_with("event: reload\ndata:\n\n")
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
    assert!(
        !sent.contains(" style=")
            && !page.contains(" style=")
            && page.contains("data-candor-style="),
        "the overlay's styles come through the script: a page's CSP refuses style attributes"
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
