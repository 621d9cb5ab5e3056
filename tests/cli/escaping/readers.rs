//! How a reader sees candor's outputs: Python's strict XML parser and HTML tokenizer (standard
//! library, on every CI machine) over a whole output folder, and a strict iCalendar reader here.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Reads the outputs of a build with Python's strict XML parser and its HTML tokenizer, and
/// prints what a reader would see, as JSON.
const READ_OUTPUTS: &str = r#"
import json, sys, xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

out = Path(sys.argv[1])
A = "{http://www.w3.org/2005/Atom}"

class Page(HTMLParser):
    """Every start tag with its attributes, and the text of the first <title> and <h1>."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.cur, self.all = [], {}, None, ""
    def handle_starttag(self, tag, attrs):
        self.tags.append([tag, [[k, v] for k, v in attrs]])
        if tag in ("title", "h1") and tag not in self.text:
            self.cur = tag
            self.text[tag] = ""
    def handle_endtag(self, tag):
        if tag == self.cur:
            self.cur = None
    def handle_data(self, data):
        self.all += data
        if self.cur:
            self.text[self.cur] += data

def as_html(text):
    """A reader that takes the text as HTML: the tags it would make, and the text it shows."""
    p = Page()
    p.feed(text)
    p.close()
    return {"text": text, "tags": p.tags, "shown": p.all}

pages = {}
for path in sorted(out.rglob("*.html")):
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    pages[path.relative_to(out).as_posix()] = {"tags": p.tags, **p.text}

atom = ET.parse(out / "feed.atom").getroot()
def text_construct(e):
    return {"text": e.text or "", "type": e.get("type")}
feed = {
    "title": text_construct(atom.find(A + "title")),
    "subtitle": text_construct(atom.find(A + "subtitle")),
    "updated": atom.find(A + "updated").text,
    "entries": [
        {
            "title": text_construct(e.find(A + "title")),
            "updated": e.find(A + "updated").text,
            "content_type": e.find(A + "content").get("type"),
        }
        for e in atom.findall(A + "entry")
    ],
}

channel = ET.parse(out / "feed.rss").getroot().find("channel")
rss = {
    "title": as_html(channel.find("title").text or ""),
    "description": as_html(channel.find("description").text or ""),
    "lastBuildDate": channel.find("lastBuildDate").text,
    "items": [
        {"title": as_html(i.find("title").text or ""), "pubDate": i.find("pubDate").text}
        for i in channel.findall("item")
    ],
}

svg = {}
for path in sorted(out.rglob("*.svg")):
    root = ET.parse(path).getroot()
    title = root.find("{http://www.w3.org/2000/svg}title")
    svg[path.relative_to(out).as_posix()] = {
        "title": title.text if title is not None else None,
        "aria": root.get("aria-label"),
    }

S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
sitemap = [u.text for u in ET.parse(out / "sitemap.xml").getroot().iter(S + "loc")]

print(json.dumps({"pages": pages, "atom": feed, "rss": rss, "svg": svg, "sitemap": sitemap}))
"#;

/// What Python's parsers read in the output folder `out` (see `READ_OUTPUTS`).
pub fn read_outputs(out: &Path) -> Value {
    let run = Command::new("python3")
        .args(["-c", READ_OUTPUTS])
        .arg(out)
        .output()
        .expect("python3 runs (CI machines have it)");
    assert!(
        run.status.success(),
        "an output is not well-formed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).expect("the reader prints JSON")
}

pub fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("a string: {v}"))
}

/// The content lines of an iCalendar file, unfolded, as (name, value), after checking what
/// RFC 5545 asks of every physical line: CRLF endings, no bare CR or LF, at most 75 octets.
pub fn ics_lines(ics: &str) -> Vec<(String, String)> {
    assert!(ics.ends_with("\r\n"), "{ics:?}");
    for line in ics.split_terminator("\r\n") {
        assert!(!line.contains(['\r', '\n']), "bare line break in {line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    ics.replace("\r\n ", "")
        .split_terminator("\r\n")
        .map(|line| {
            let (name, value) = line.split_once(':').expect("NAME:value");
            (name.to_owned(), value.to_owned())
        })
        .collect()
}

/// An RFC 5545 TEXT value as a client reads it.
pub fn ics_text(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(c @ ('\\' | ';' | ',')) => out.push(c),
            other => panic!("`\\{other:?}` is not a TEXT escape in {value:?}"),
        }
    }
    out
}

pub fn ics_values<'a>(lines: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    (lines.iter())
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .collect()
}
