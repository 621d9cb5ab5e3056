//! `serve` under load and bad clients, and `watch` where edits are easy to miss: a real
//! process, raw sockets, no outside tool. Each wait is for an event, with a deadline; nothing
//! is timed. Thread counts and memory are read from /proc (Linux only; elsewhere those
//! assertions are left out).

use crate::support::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

const NOW: &str = "2022-10-25T00:00:00+09:00";
const TAXI: &str = "incidents/2022-09-20-kakao-t-slow-taxi-dispatch.yaml";
const TAXI_PAGE: &str = "incidents/2022-09-20-kakao-t-slow-taxi-dispatch/index.html";

/// `candor serve` on a free port: the process and its `127.0.0.1:PORT`.
fn serve(site: &Path, flags: &[&str]) -> (Running, String) {
    let root = site.to_string_lossy().into_owned();
    let mut args = vec!["serve", "--root", &root, "--now", NOW, "--port", "0"];
    args.extend_from_slice(flags);
    let running = Running::start(&args);
    let line = running.wait_for("serving");
    let url = (line.split_whitespace())
        .find(|w| w.starts_with("http://"))
        .expect("url");
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    (running, addr.to_owned())
}

fn connect(addr: &str) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    stream
}

/// Everything read until the server closes; a write or read it cut short is no error here.
fn read_all(mut stream: TcpStream) -> String {
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

fn exchange(addr: &str, request: &[u8]) -> String {
    let mut stream = connect(addr);
    let _ = stream.write_all(request);
    read_all(stream)
}

/// The status code of a response, or what came instead.
fn status(response: &str) -> &str {
    (response.split(' ').nth(1)).unwrap_or(response)
}

fn get(addr: &str, path: &str) -> String {
    exchange(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// Asks for the front page until it is answered 200, within a deadline.
fn answers(addr: &str, after: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let response = get(addr, "/");
        if status(&response) == "200" {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "after {after}, the front page got {response:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A figure of /proc/PID/status (`Threads`, `VmRSS` in KiB); `None` off Linux.
fn proc_status(pid: u32, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = text.lines().find(|l| l.starts_with(&format!("{key}:")))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn serve_survives_a_flood_and_bad_clients_with_bounded_threads() {
    let site = sample_site();
    let (running, addr) = serve(site.path(), &[]);
    let pid = running.child.id();
    let threads_at_start = proc_status(pid, "Threads");
    let mut most_threads = threads_at_start;
    let mut count_threads = || {
        most_threads = most_threads.max(proc_status(pid, "Threads"));
    };
    std::fs::write(site.path().join("public/big.bin"), vec![b'x'; 8 << 20]).expect("write");
    let page = format!("/{}", TAXI_PAGE.trim_end_matches("index.html"));

    // Endless headers, first, while memory is quiet: refused at 16 KiB, and the process does
    // not grow with them.
    let rss_before = proc_status(pid, "VmRSS");
    let mut endless = connect(&addr);
    let _ = endless.write_all(b"GET / HTTP/1.1\r\n");
    let line = format!("X-Padding: {}\r\n", "a".repeat(1000));
    for _ in 0..20_000 {
        if endless.write_all(line.as_bytes()).is_err() {
            break;
        }
    }
    let refused = read_all(endless);
    assert_eq!(status(&refused), "431", "{refused:.200}");
    if let (Some(before), Some(after)) = (rss_before, proc_status(pid, "VmRSS")) {
        assert!(
            after < before + 8 * 1024,
            "20 MB of headers grew the process from {before} to {after} KiB"
        );
    }

    // 500 connections at once: each is answered, the first 256 at least with the page.
    let request = format!("GET {page} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let burst: Vec<TcpStream> = (0..500)
        .map(|_| {
            let mut stream = connect(&addr);
            let _ = stream.write_all(request.as_bytes());
            stream
        })
        .collect();
    count_threads();
    let answers_to_burst: Vec<String> = burst.into_iter().map(read_all).collect();
    let ok = answers_to_burst
        .iter()
        .filter(|r| status(r) == "200")
        .count();
    for response in &answers_to_burst {
        assert!(
            matches!(status(response), "200" | "503"),
            "burst: {response:.200}"
        );
    }
    assert!(ok >= 256, "only {ok} of 500 got the page");

    // A flood: 8 clients, 200 requests each, one after another: every one gets the page.
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let addr = addr.clone();
            let page = page.clone();
            std::thread::spawn(move || (0..200).all(|_| status(&get(&addr, &page)) == "200"))
        })
        .collect();
    count_threads();
    for client in clients {
        assert!(client.join().expect("client"), "a flooded request failed");
    }

    // 200 live-reload streams opened and dropped: 64 open, the rest are told 503; once they
    // are gone, a new page's stream opens.
    let events =
        format!("GET /__candor/events HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let mut streams = Vec::new();
    for _ in 0..200 {
        let mut stream = connect(&addr);
        let _ = stream.write_all(events.as_bytes());
        streams.push(stream);
    }
    count_threads();
    let mut first_lines = Vec::new();
    for stream in &mut streams {
        let mut line = [0; 12];
        let _ = stream.read_exact(&mut line);
        first_lines.push(String::from_utf8_lossy(&line).into_owned());
    }
    let opened = first_lines.iter().filter(|l| l.contains(" 200")).count();
    let refused = first_lines.iter().filter(|l| l.contains(" 503")).count();
    assert_eq!((opened, refused), (64, 136), "{first_lines:?}");
    drop(streams);
    let mut stream = connect(&addr);
    stream.write_all(events.as_bytes()).expect("send");
    let mut opening = [0; 12];
    stream.read_exact(&mut opening).expect("a stream opens");
    assert!(String::from_utf8_lossy(&opening).contains(" 200"));
    drop(stream);

    // Slow clients: 300 connections send half a head and wait; a page is still answered.
    let slow: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut stream = connect(&addr);
            let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: ");
            stream
        })
        .collect();
    count_threads();
    answers(&addr, "300 slow clients");
    drop(slow);

    // Clients that vanish mid-answer, and clients that stop reading it.
    let big = format!("GET /big.bin HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    for _ in 0..50 {
        let mut stream = connect(&addr);
        let _ = stream.write_all(big.as_bytes());
    }
    let stalled: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut stream = connect(&addr);
            let _ = stream.write_all(big.as_bytes());
            stream
        })
        .collect();
    count_threads();
    answers(&addr, "clients that vanished or stopped reading");
    drop(stalled);

    // Paths that climb out of the output folder: none reaches status.yaml beside it.
    for path in [
        "/../status.yaml",
        "/%2e%2e/status.yaml",
        "/%2E%2E%2Fstatus.yaml",
        "/..\\status.yaml",
        "/..%5cstatus.yaml",
        "/%2e%2e%5cstatus.yaml",
        "/incidents/..%2f..%2fstatus.yaml",
        "/./../status.yaml",
    ] {
        let response = get(&addr, path);
        assert!(
            matches!(status(&response), "400" | "404") && !response.contains("base_url"),
            "{path}: {response:.300}"
        );
    }

    answers(&addr, "every kind of bad client");
    count_threads();
    if let (Some(start), Some(most)) = (threads_at_start, most_threads) {
        assert!(
            most <= start + 2,
            "threads grew from {start} to {most} under load"
        );
    }
}

#[test]
fn serve_answers_only_host_names_it_may_be_opened_at() {
    let site = sample_site();
    let (_running, addr) = serve(site.path(), &["--allow-host", "status.test"]);
    let port = addr.rsplit(':').next().expect("port");
    let host = |name: &str| {
        let request = format!("GET / HTTP/1.1\r\nHost: {name}\r\n\r\n");
        exchange(&addr, request.as_bytes())
    };
    let refused = host(&format!("rebound.example:{port}"));
    assert_eq!(status(&refused), "403", "{refused:.300}");
    assert!(refused.contains("--allow-host"), "{refused}");
    for allowed in [
        format!("localhost:{port}"),
        addr.clone(),
        format!("status.test:{port}"),
    ] {
        assert_eq!(status(&host(&allowed)), "200", "{allowed}");
    }
}

/// Waits until the file at `path` holds `needle`.
fn eventually_holds(path: &Path, needle: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(path)
        .unwrap_or_default()
        .contains(needle)
    {
        assert!(Instant::now() < deadline, "{what}: never showed {needle:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn watch_sees_a_save_made_while_the_first_build_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    copy_dir(&repo().join("incidents"), &site.join("incidents"));
    std::fs::copy(repo().join("status.yaml"), site.join("status.yaml")).expect("copy");
    // Enough incidents that the first build takes a moment to write.
    let taxi = site.join(TAXI);
    let text = read(&taxi);
    for n in 0..600 {
        let copy = site.join(format!("incidents/2022-09-20-copy-{n:03}.yaml"));
        std::fs::write(copy, &text).expect("write");
    }
    let out = dir.path().join("out");
    let (root, output) = (site.to_string_lossy(), out.to_string_lossy());
    let running = Running::start(&["watch", "--root", &root, "--output", &output, "--now", NOW]);
    // The staging folder beside the output stands once every input was read, before the
    // output exists: a save then is one the first build did not see.
    let deadline = Instant::now() + Duration::from_secs(60);
    let staging_seen = || {
        std::fs::read_dir(dir.path()).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.path().is_dir() && e.file_name().to_string_lossy().contains("staging"))
        })
    };
    while !staging_seen() {
        assert!(
            !out.exists(),
            "the first build ended before its staging folder was seen"
        );
        assert!(Instant::now() < deadline, "the first build never started");
        std::thread::sleep(Duration::from_millis(1));
    }
    std::fs::write(
        &taxi,
        text.replacen(
            "title:\n  en: ",
            "title:\n  en: Saved during the first build, ",
            1,
        ),
    )
    .expect("edit");
    running.wait_for("watching");
    eventually_holds(
        &out.join(TAXI_PAGE),
        "Saved during the first build,",
        "a save made while the first build ran",
    );
}

#[cfg(unix)]
#[test]
fn watch_follows_symlinked_inputs_to_their_targets_inside_the_site() {
    let site = sample_site();
    let shared = site.path().join("shared");
    std::fs::create_dir(&shared).expect("mkdir");
    std::fs::rename(site.path().join(TAXI), shared.join("taxi.yaml")).expect("move");
    std::os::unix::fs::symlink("../shared/taxi.yaml", site.path().join(TAXI)).expect("link");
    std::fs::rename(site.path().join("status.yaml"), shared.join("status.yaml")).expect("move");
    std::os::unix::fs::symlink("shared/status.yaml", site.path().join("status.yaml"))
        .expect("link");
    let root = site.path().to_string_lossy().into_owned();
    let running = Running::start(&["watch", "--root", &root, "--now", NOW]);
    running.wait_for("watching");
    let page = site.path().join("public").join(TAXI_PAGE);

    let target = shared.join("taxi.yaml");
    let text = read(&target);
    std::fs::write(
        &target,
        text.replacen("title:\n  en: ", "title:\n  en: Edited target, ", 1),
    )
    .expect("edit");
    eventually_holds(&page, "Edited target,", "an edit of a link's target");

    // An editor's save: a new file renamed over the target.
    let temp = shared.join(".taxi.yaml.tmp");
    std::fs::write(
        &temp,
        text.replacen("title:\n  en: ", "title:\n  en: Renamed over, ", 1),
    )
    .expect("temp");
    std::fs::rename(&temp, &target).expect("rename");
    eventually_holds(
        &page,
        "Renamed over,",
        "a save by rename over a link's target",
    );

    let status = shared.join("status.yaml");
    let config = read(&status).replacen(
        "title:\n  en: Kakao Status\n",
        "title:\n  en: Linked Status\n",
        1,
    );
    std::fs::write(&status, config).expect("edit");
    eventually_holds(
        &site.path().join("public/index.html"),
        "Linked Status",
        "an edit of status.yaml's target",
    );
}
