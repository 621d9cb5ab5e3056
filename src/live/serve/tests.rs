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
    allowed_hosts: Vec::new(),
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
    // A whole answer is expected: the timeout only stops a hung test, and a loaded machine
    // (CI, several builds at once) can take more than `connect`'s two seconds.
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
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
        &format!("GET {EVENTS_PATH} HTTP/1.1\r\nHost: localhost\r\n\r\n"),
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
        crate::error::Code::UnknownService,
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
        &format!("GET {EVENTS_PATH} HTTP/1.1\r\nHost: localhost\r\n\r\n"),
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

/// Everything the server sends back to a raw request until it closes; what it refused to read
/// (a write that fails) is no error here.
fn exchange(server: &Server, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(server.addr()).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let _ = stream.write_all(request);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

fn get_host(server: &Server, host: &str) -> String {
    let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n");
    exchange(server, request.as_bytes())
}

#[test]
fn heads_that_break_the_rules_get_their_status_and_the_server_goes_on() {
    let (_dir, server) = site(false);
    let huge = format!(
        "GET / HTTP/1.0\r\nX-Big: {}\r\n\r\n",
        "a".repeat(head::HEAD_LIMIT)
    );
    let endless: String = (0..50_000).map(|i| format!("X-{i}: {i}\r\n")).collect();
    let endless = format!("GET / HTTP/1.0\r\n{endless}");
    let cases: [(&[u8], &str); 6] = [
        (b"GET / HTTP/2.0\r\n\r\n", "HTTP/1.1 505 "),
        (b"nonsense\r\n\r\n", "HTTP/1.1 400 "),
        (b"GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 400 "),
        (b"GET /a\x01b HTTP/1.0\r\n\r\n", "HTTP/1.1 400 "),
        (huge.as_bytes(), "HTTP/1.1 431 "),
        (endless.as_bytes(), "HTTP/1.1 431 "),
    ];
    for (request, status) in cases {
        let response = exchange(&server, request);
        let shown = String::from_utf8_lossy(&request[..request.len().min(40)]);
        assert!(response.starts_with(status), "{shown:?}: {response}");
        assert!(
            fetch(&server, "GET", "/").starts_with("HTTP/1.0 200"),
            "after {shown:?}"
        );
    }
    server.stop();
}

#[test]
fn a_host_name_other_than_an_address_or_localhost_is_refused() {
    let (_dir, server) = site(false);
    let port = server.addr().port();
    let refused = get_host(&server, &format!("evil.example:{port}"));
    assert!(refused.starts_with("HTTP/1.1 403 "), "{refused}");
    assert!(
        refused.contains("--allow-host") && !refused.contains("<h1>home"),
        "{refused}"
    );
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        assert!(
            get_host(&server, &host).starts_with("HTTP/1.1 200 "),
            "{host}"
        );
    }
    server.stop();
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("index.html"), "<p>hi</p>").expect("write");
    let options = ServeOptions {
        allowed_hosts: vec!["status.test".to_owned()],
        ..ANY_PORT
    };
    let server = Server::start(dir.path().to_path_buf(), &options).expect("starts");
    assert!(get_host(&server, "status.test:1111").starts_with("HTTP/1.1 200 "));
    assert!(get_host(&server, "other.test").starts_with("HTTP/1.1 403 "));
    server.stop();
}

#[test]
fn slow_silent_and_vanishing_clients_hold_no_worker() {
    let (dir, server) = site(false);
    let big = vec![b'x'; 16 << 20];
    std::fs::write(dir.path().join("public/big.bin"), &big).expect("write");
    let mut held = Vec::new();
    for n in 0..3 * WORKERS {
        let mut slow = TcpStream::connect(server.addr()).expect("connects");
        if n % 2 == 0 {
            slow.write_all(b"GET / HTTP/1.1\r\nHost: loc")
                .expect("half a head");
        }
        held.push(slow);
    }
    assert!(
        fetch(&server, "GET", "/").starts_with("HTTP/1.0 200"),
        "slow heads"
    );
    for _ in 0..WORKERS + 2 {
        // Asks for 16 MiB and reads none of it.
        held.push(connect(&server, "GET /big.bin HTTP/1.0\r\n\r\n"));
    }
    for _ in 0..20 {
        drop(connect(&server, "GET /big.bin HTTP/1.0\r\n\r\n"));
    }
    assert!(
        fetch(&server, "GET", "/").starts_with("HTTP/1.0 200"),
        "clients that stopped reading"
    );
    let whole = exchange(&server, b"GET /big.bin HTTP/1.0\r\n\r\n");
    assert!(whole.ends_with(&"x".repeat(1000)) && whole.len() > big.len());
    drop(held);
    server.stop();
}

#[test]
fn live_reload_streams_are_capped_and_closed_ones_make_room() {
    let (_dir, server) = site(false);
    let open = || {
        let mut stream = connect(
            &server,
            &format!("GET {EVENTS_PATH} HTTP/1.1\r\nHost: localhost\r\n\r\n"),
        );
        let seen = read_until(&mut stream, "retry: 500\n\n");
        (stream, seen)
    };
    let mut streams = Vec::new();
    for _ in 0..streams::MAX_STREAMS {
        let (stream, seen) = open();
        assert!(seen.ends_with("retry: 500\n\n"), "{seen}");
        streams.push(stream);
    }
    let (_, refused) = open();
    assert!(refused.starts_with("HTTP/1.1 503 "), "{refused}");
    streams.truncate(streams.len() - 2);
    let (stream, seen) = open();
    assert!(
        seen.ends_with("retry: 500\n\n"),
        "a closed page makes room: {seen}"
    );
    streams.push(stream);
    server.reload();
    for stream in &mut streams {
        assert!(read_until(stream, "event: reload\n").contains("event: reload\n"));
    }
    server.stop();
}
