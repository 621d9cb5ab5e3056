//! `serve` and `watch` as a user runs them: a real process, real edits, HTTP and live reload.
//! Binds only to loopback, and never times a step: each wait is for an event, with a deadline.

use crate::support::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const NOW: &str = "2022-10-25T00:00:00+09:00";
const TAXI: &str = "incidents/2022-09-20-kakao-t-slow-taxi-dispatch.yaml";
const TAXI_PAGE: &str = "/incidents/2022-09-20-kakao-t-slow-taxi-dispatch/";

impl Running {
    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

/// A plain HTTP/1.0 GET: (status line, body).
fn get(addr: &str, path: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (
        head.lines().next().unwrap_or("").to_owned(),
        body.to_owned(),
    )
}

/// Polls `path` until its body contains `needle`.
fn eventually(addr: &str, path: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, body) = get(addr, path);
        if body.contains(needle) {
            return body;
        }
        assert!(Instant::now() < deadline, "{path} never showed {needle:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Reads the live-reload stream in the background; the text read so far is on the channel.
fn events(addr: &str) -> Receiver<String> {
    let mut stream = TcpStream::connect(addr).expect("connect events");
    write!(
        stream,
        "GET /__candor/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("send");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0
                || tx
                    .send(String::from_utf8_lossy(&buf[..n]).into_owned())
                    .is_err()
            {
                break;
            }
        }
    });
    rx
}

fn wait_event(rx: &Receiver<String>, seen: &mut String, event: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !seen.contains(&format!("event: {event}")) {
        let left = deadline
            .checked_duration_since(Instant::now())
            .expect("event in time");
        seen.push_str(
            &rx.recv_timeout(left)
                .unwrap_or_else(|_| panic!("no {event} event in {seen:?}")),
        );
    }
    seen.clear();
}

fn serve(site: &Path) -> (Running, String) {
    let root = site.to_string_lossy().into_owned();
    let running = Running::start(&["serve", "--root", &root, "--now", NOW, "--port", "0"]);
    let line = running.wait_for("serving");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("url");
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    (running, addr)
}

#[test]
fn serve_shows_each_edit_and_an_overlay_for_a_broken_one() {
    let site = sample_site();
    let (mut running, addr) = serve(site.path());
    assert!(
        addr.starts_with("127.0.0.1:"),
        "binds to loopback by default: {addr}"
    );
    let (status, body) = get(&addr, TAXI_PAGE);
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("Slow taxi dispatch in Kakao T"));
    assert!(
        body.contains("<script src=\"/__candor/reload.js\"></script>"),
        "served pages get the reload script"
    );
    let on_disk = read(
        &site
            .path()
            .join("public")
            .join(TAXI_PAGE.trim_start_matches('/'))
            .join("index.html"),
    );
    assert!(
        !on_disk.contains("__candor"),
        "the files build writes never do"
    );
    let (status, _) = get(&addr, "/no/such/page/");
    assert!(status.contains("404"), "{status}");

    let stream = events(&addr);
    // The stream opens with `retry:`; only then is this client registered for events.
    let mut seen = String::new();
    while !seen.contains("retry:") {
        seen.push_str(
            &stream
                .recv_timeout(Duration::from_secs(20))
                .expect("the stream opens"),
        );
    }
    seen.clear();
    let file = site.path().join(TAXI);
    let original = read(&file);

    // An edit in place.
    std::fs::write(
        &file,
        original.replacen("title:\n  en: ", "title:\n  en: Edited in place, ", 1),
    )
    .expect("edit");
    wait_event(&stream, &mut seen, "reload");
    eventually(&addr, TAXI_PAGE, "Edited in place,");

    // An editor's save: a temp file renamed over the original.
    let temp = site.path().join("incidents/.taxi.yaml.tmp");
    std::fs::write(
        &temp,
        original.replacen("title:\n  en: ", "title:\n  en: Saved by rename, ", 1),
    )
    .expect("temp");
    std::fs::rename(&temp, &file).expect("rename");
    wait_event(&stream, &mut seen, "reload");
    eventually(&addr, TAXI_PAGE, "Saved by rename,");

    // A broken save: the overlay names the place, the last good page stays served.
    std::fs::write(&file, format!("{original}\nseverity: [\n")).expect("break");
    wait_event(&stream, &mut seen, "errors");
    let page = eventually(&addr, TAXI_PAGE, "candor-overlay");
    assert!(
        page.contains("Saved by rename,"),
        "the last good page is still served"
    );
    assert!(page.contains(TAXI), "the overlay names the file");

    // Fixed: the overlay goes, the site recovers.
    std::fs::write(&file, &original).expect("fix");
    wait_event(&stream, &mut seen, "reload");
    let page = eventually(&addr, TAXI_PAGE, "Slow taxi dispatch in Kakao T");
    assert!(
        !page.contains("id=\"candor-overlay\""),
        "the overlay is gone"
    );
    assert!(running.alive());
}

#[test]
fn watch_survives_a_storm_of_edits_and_ends_equal_to_a_clean_build() {
    let site = sample_site();
    let root = site.path().to_string_lossy().into_owned();
    let mut running = Running::start(&["watch", "--root", &root, "--now", NOW]);
    running.wait_for("watching");
    let incidents = site.path().join("incidents");
    let originals: Vec<(std::path::PathBuf, String)> = files(&incidents)
        .into_iter()
        .map(|f| (incidents.join(&f), read(&incidents.join(&f))))
        .collect();
    let mut seed: u64 = 7;
    let mut pick = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    for step in 0..200 {
        let (path, original) = &originals[pick(originals.len())];
        match pick(5) {
            0 => std::fs::write(
                path,
                original.replacen("title:\n  en: ", &format!("title:\n  en: {step} "), 1),
            )
            .expect("edit"),
            1 => std::fs::write(path, "title: [\n").expect("break"),
            2 => {
                let _ = std::fs::remove_file(path);
            }
            3 => {
                let temp = incidents.join(format!("{step}.tmp"));
                std::fs::write(&temp, original).expect("temp");
                std::fs::rename(&temp, path).expect("rename");
            }
            _ => {
                let moved = incidents.join(format!("2022-10-2{}-moved.yaml", step % 4));
                let _ = std::fs::rename(path, &moved);
            }
        }
        if step % 20 == 0 {
            std::thread::sleep(Duration::from_millis(30));
        }
    }
    for entry in files(&incidents) {
        std::fs::remove_file(incidents.join(entry)).expect("clear");
    }
    for (path, original) in &originals {
        std::fs::write(path, original).expect("restore");
    }
    // The final state differs from the first build, so only a working watcher can match it.
    std::fs::remove_file(
        site.path()
            .join("incidents/2022-10-11-kakao-map-transit-directions.yaml"),
    )
    .expect("rm");
    let taxi = site.path().join(TAXI);
    std::fs::write(
        &taxi,
        read(&taxi).replacen("title:\n  en: ", "title:\n  en: Final state, ", 1),
    )
    .expect("edit");
    let clean = site.path().join("clean");
    build(site.path(), &clean, NOW);
    let out = site.path().join("public");
    let deadline = Instant::now() + Duration::from_secs(30);
    while let Some(difference) = tree_difference(&clean, &out) {
        assert!(
            Instant::now() < deadline,
            "watch's output never matched a clean build: {difference}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(running.alive(), "watch is still running");
}

#[test]
fn watch_polls_where_events_do_not_arrive_and_survives_a_recreated_folder() {
    edit_and_recreate(&["--poll", "--poll-interval", "50"]);
}

#[test]
fn watch_survives_a_recreated_folder_with_native_events() {
    edit_and_recreate(&[]);
}

/// Edits one incident, then deletes incidents/ and makes it again with one incident less.
fn edit_and_recreate(flags: &[&str]) {
    let site = sample_site();
    let root = site.path().to_string_lossy().into_owned();
    let mut args = vec!["watch", "--root", &root, "--now", NOW];
    args.extend_from_slice(flags);
    let running = Running::start(&args);
    running.wait_for("watching");
    let file = site.path().join(TAXI);
    std::fs::write(
        &file,
        read(&file).replacen("title:\n  en: ", "title:\n  en: Polled, ", 1),
    )
    .expect("edit");
    let page = site
        .path()
        .join("public")
        .join(TAXI_PAGE.trim_start_matches('/'))
        .join("index.html");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(&page)
        .unwrap_or_default()
        .contains("Polled,")
    {
        assert!(Instant::now() < deadline, "the watcher never saw the edit");
        std::thread::sleep(Duration::from_millis(50));
    }
    let incidents = site.path().join("incidents");
    let saved = tempfile::tempdir().expect("tempdir");
    copy_dir(&incidents, saved.path());
    std::fs::remove_dir_all(&incidents).expect("rm incidents/");
    std::thread::sleep(Duration::from_millis(300));
    copy_dir(saved.path(), &incidents);
    std::fs::remove_file(incidents.join("2022-10-11-kakao-map-transit-directions.yaml"))
        .expect("rm one");
    let gone = site
        .path()
        .join("public/incidents/2022-10-11-kakao-map-transit-directions");
    let deadline = Instant::now() + Duration::from_secs(20);
    while gone.exists()
        || !std::fs::read_to_string(&page)
            .unwrap_or_default()
            .contains("Polled,")
    {
        assert!(
            Instant::now() < deadline,
            "the recreated folder was never rebuilt"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // And later edits in the new folder are still seen.
    std::fs::write(&file, read(&file).replacen("Polled, ", "Again, ", 1)).expect("edit");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(&page)
        .unwrap_or_default()
        .contains("Again,")
    {
        assert!(
            Instant::now() < deadline,
            "edits in the recreated folder are missed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
