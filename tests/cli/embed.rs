//! `embed.js` on a page of another origin, in Chromium: the site and the page that embeds it
//! are served by two plain static servers (no CORS headers), and the page forbids inline
//! script and style. Chromium is needed: the test says it skips without it, unless
//! `CANDOR_REQUIRE_BROWSER` is set (as `.ci/run` does), where a missing browser fails it.

use crate::support::*;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};

const CHROMIUM: &str = "/usr/bin/chromium";

/// A static file server (Python's) on 127.0.0.1, killed when dropped.
struct Static(Child);

impl Static {
    fn serve(dir: &Path, port: u16) -> Static {
        let server = Static(
            Command::new("python3")
                .args([
                    "-m",
                    "http.server",
                    &port.to_string(),
                    "--bind",
                    "127.0.0.1",
                ])
                .current_dir(dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("python3 -m http.server"),
        );
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("the static server on {port} never listened");
    }
}

impl Drop for Static {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// The DOM Chromium ends with after loading `url` and running its scripts.
fn rendered_dom(url: &str) -> String {
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--virtual-time-budget=5000",
            "--dump-dom",
            url,
        ])
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn browser_present() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    assert!(
        std::env::var_os("CANDOR_REQUIRE_BROWSER").is_none(),
        "CANDOR_REQUIRE_BROWSER is set and {CHROMIUM} is missing"
    );
    eprintln!("skipped: {CHROMIUM} is not installed (apt-get install chromium)");
    false
}

#[test]
fn the_embed_shows_the_status_on_a_page_of_another_origin() {
    if !browser_present() {
        return;
    }
    let (site_port, page_port) = (free_port(), free_port());
    let base = format!("http://127.0.0.1:{site_port}/");
    let page = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        page.path().join("index.html"),
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Elsewhere</title>\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src {base}\">\
             </head><body><p id=\"status\">Status: <script src=\"{base}embed.js\" async></script></p></body></html>"
        ),
    )
    .expect("write page");
    let _page = Static::serve(page.path(), page_port);
    for (now, words, href) in [
        (
            "2022-10-16T12:00:00+09:00",
            "Major system outage: Kakao services down after a fire at the Pangyo data center",
            format!("{base}incidents/2022-10-15-pangyo-data-center-fire/"),
        ),
        (
            "2022-12-31T00:00:00+09:00",
            "All systems operational",
            base.clone(),
        ),
    ] {
        let out = tempfile::tempdir().expect("tempdir");
        let output = out.path().join("public");
        let root = repo().to_string_lossy().into_owned();
        let r = candor(&[
            "build",
            "--root",
            &root,
            "--now",
            now,
            "--base-url",
            &base,
            "--output",
            &output.to_string_lossy(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let _site = Static::serve(&output, site_port);
        let dom = rendered_dom(&format!("http://127.0.0.1:{page_port}/"));
        let link = dom
            .split("<a class=\"candor-embed\"")
            .nth(1)
            .unwrap_or_else(|| panic!("{now}: no embed in the page:\n{dom}"));
        assert!(link.contains(&format!("href=\"{href}\"")), "{now}: {link}");
        assert!(
            link.contains(&format!("<span>{words}</span>")),
            "{now}: {link}"
        );
    }
}
