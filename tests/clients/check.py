"""Real Statuspage clients and feed readers against the built sample, served over HTTP.

Builds the sample site while its maintenance window runs (2022-08-23 03:00 KST), during the
outage (2022-10-16 12:00 KST) and after it, serves each on
127.0.0.1 with a plain static server (python -m http.server) at the root and under /status/, and
runs PyPI's statuspage-prometheus-exporter 2.6.0 (RUN_MODE=once: it exits 0 even on a 404, so the
metrics it writes are read) and npm's statuspage.io 3.1.1 against both, then reads every feed with
feedparser. Asserts what they report. Run by .ci/run (which installs the clients) as

    python tests/clients/check.py CANDOR_BINARY NODE_MODULES_DIR

Exits 1 with every failed check listed; prints "N passed, N failed" last.
"""

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import feedparser

REPO = Path(__file__).resolve().parents[2]
DURING = "2022-10-16T12:00:00+09:00"
# The mail storage window of the sample is in progress.
WINDOW_OPEN = "2022-08-23T03:00:00+09:00"
AFTER = "2022-11-30T00:00:00+09:00"
FIRE = "Kakao services down after a fire at the Pangyo data center"
WINDOW = "Planned maintenance of Daum Mail and Kakao Mail storage"
MOUNTS = {"root": "", "subpath": "status/"}

results = {"passed": 0, "failed": []}


def check(ok, what):
    if ok:
        results["passed"] += 1
    else:
        results["failed"].append(what)
        print(f"FAILED: {what}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(candor, out, now, base_url):
    subprocess.run(
        [candor, "build", "--root", str(REPO), "--output", str(out), "--now", now,
         "--base-url", base_url],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
        env={**os.environ, "NO_COLOR": "1"},
    ).check_returncode()


@contextlib.contextmanager
def serve(folder, port):
    """A plain static server over `folder`, the way a static host serves a site."""
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait()


def metrics(text):
    """Prometheus text format → {(name, frozenset(labels)): value}."""
    out = {}
    for line in text.splitlines():
        m = re.match(r'^([a-z_]+)(?:\{(.*)\})? (\S+)$', line)
        if not m:
            continue
        labels = frozenset(re.findall(r'([a-z_]+)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
        out[(m.group(1), labels)] = float(m.group(3))
    return out


def series(found, name, **want):
    return [(dict(labels), value) for (n, labels), value in found.items()
            if n == name and all((k, v) in labels for k, v in want.items())]


def run_exporter(base, work):
    """statuspage-prometheus-exporter once against both mounts and a missing page."""
    services = {
        mount: {"name": f"candor-{mount}", "url": f"{base}{path}api/v2/summary.json"}
        for mount, path in MOUNTS.items()
    }
    services["missing"] = {"name": "candor-missing", "url": f"{base}nowhere/api/v2/summary.json"}
    work.mkdir(parents=True)
    (work / "services.json").write_text(json.dumps(services))
    prom = work / "metrics.prom"
    exporter = Path(sys.executable).parent / "statuspage-prometheus-exporter"
    run = subprocess.run(
        [str(exporter)], cwd=work, capture_output=True, text=True,
        env={**os.environ, "RUN_MODE": "once", "SERVICES_JSON_PATH": str(work / "services.json"),
             "METRICS_TEXTFILE_PATH": str(prom), "CLEAR_CACHE": "true"},
    )
    check(run.returncode == 0, f"exporter exits 0: {run.stderr[-2000:]}")
    return metrics(prom.read_text()) if prom.exists() else {}


def exporter_checks(found, when):
    # The missing page is the control: a 404 is a failed probe, so a pass below means something.
    check(series(found, "statuspage_probe_check", service_name="candor-missing") == [({"service_name": "candor-missing"}, 0.0)],
          f"{when}: the exporter reports the 404 page as a failed probe")
    for mount in MOUNTS:
        name = f"candor-{mount}"
        probe = series(found, "statuspage_probe_check", service_name=name)
        check([v for _, v in probe] == [1.0], f"{when} {mount}: probe succeeded: {probe}")
        status = [v for _, v in series(found, "statuspage_service_status", service_name=name)]
        # With no active incident the exporter writes one placeholder series (`incident_id="none"`).
        incidents = [(labels, v) for labels, v in series(found, "statuspage_incident_info", service_name=name)
                     if labels.get("incident_id") != "none"]
        talk = [v for _, v in series(found, "statuspage_component_status", service_name=name,
                                     component_name="KakaoTalk")]
        components = series(found, "statuspage_component_status", service_name=name)
        if when == "window":
            windows = series(found, "statuspage_maintenance_info", service_name=name)
            names = [labels.get("maintenance_name") for labels, _ in windows]
            check(WINDOW in names, f"{when} {mount}: the window is the active maintenance: {names}")
            mail = [v for _, v in series(found, "statuspage_component_status", service_name=name,
                                         component_name="Daum Mail")]
            check(mail == [0.0] and talk == [1.0], f"{when} {mount}: Daum Mail under maintenance, KakaoTalk up")
            check(incidents == [], f"{when} {mount}: no active incident, got {incidents}")
        elif when == "during":
            check(status == [0.0], f"{when} {mount}: service status 0 (incident), got {status}")
            names = [labels.get("incident_name") for labels, _ in incidents]
            check(FIRE in " ".join(n or "" for n in names), f"{when} {mount}: the fire is the active incident: {names}")
            impacts = [labels.get("impact") for labels, _ in incidents]
            check("critical" in impacts, f"{when} {mount}: impact critical: {impacts}")
            links = [labels.get("shortlink", "") for labels, _ in incidents]
            check(any(f"{MOUNTS[mount]}incidents/2022-10-15-pangyo-data-center-fire/" in l for l in links),
                  f"{when} {mount}: the incident links to its page: {links}")
            affected = " ".join(labels.get("affected_components", "") for labels, _ in incidents)
            check("KakaoTalk" in affected, f"{when} {mount}: affected components named: {affected!r}")
            check(talk == [0.0], f"{when} {mount}: KakaoTalk component down, got {talk}")
        else:
            check(status == [1.0], f"{when} {mount}: service status 1 (operational), got {status}")
            check(incidents == [], f"{when} {mount}: no active incident, got {incidents}")
            check(talk == [1.0], f"{when} {mount}: KakaoTalk operational, got {talk}")
        check(len(components) >= 16, f"{when} {mount}: every component reported ({len(components)})")


def run_statuspage_io(node_modules, url):
    script = REPO / "tests/clients/statuspage_io.js"
    run = subprocess.run(["node", str(script), url], capture_output=True, text=True,
                         env={**os.environ, "NODE_PATH": str(node_modules)})
    check(run.returncode == 0, f"statuspage.io against {url}: {run.stderr[-2000:]}")
    return json.loads(run.stdout) if run.returncode == 0 else {}


def statuspage_io_checks(got, when, mount):
    where = f"{when} {mount} statuspage.io"
    if not got:
        return
    check(re.fullmatch(r"[a-z0-9]{12}", got["page_id"] or "") is not None, f"{where}: page id {got['page_id']}")
    check(got["components"] >= 16 + 5, f"{where}: components and groups: {got['components']}")
    names = [i[0] for i in got["incidents"]]
    check(FIRE in names, f"{where}: the fire is listed: {names}")
    fire = next((i for i in got["incidents"] if i[0] == FIRE), None)
    if when == "during":
        check(got["indicator"] == "critical" == got["summary_indicator"], f"{where}: indicator {got['indicator']}")
        check(got["unresolved"] == [FIRE] == got["summary_unresolved"], f"{where}: unresolved {got['unresolved']}")
        check(fire == [FIRE, "identified", "critical"], f"{where}: fire {fire}")
        check("KakaoTalk" in got["down"], f"{where}: KakaoTalk is down: {got['down']}")
        check(got["latest_update"] == "identified", f"{where}: latest update {got['latest_update']}")
        check(["KakaoPay", "major_outage", "partial_outage"] in (got["latest_affected"] or []),
              f"{where}: the 08:00 update says KakaoPay went partial: {got['latest_affected']}")
    else:
        check(got["indicator"] == "none", f"{where}: indicator {got['indicator']}")
        check(got["unresolved"] == [] == got["summary_unresolved"], f"{where}: unresolved {got['unresolved']}")
        check(fire == [FIRE, "resolved", "critical"], f"{where}: fire {fire}")
        check(got["down"] == [], f"{where}: nothing down: {got['down']}")
        check(got["latest_update"] == "resolved", f"{where}: latest update {got['latest_update']}")
        check(["Talk Drawer", "major_outage", "operational"] in (got["latest_affected"] or []),
              f"{where}: the resolving update restores Talk Drawer: {got['latest_affected']}")
    # statuspage.io 3.1.1's scheduledMaintenances.getAll() fetches upcoming.json (its own bug),
    # and the sample's only window was in August: nothing is upcoming.
    check(got["windows"] == [] and got["upcoming"] == 0, f"{where}: no upcoming window: {got['windows']}")


def window_checks(got, mount):
    where = f"window {mount} statuspage.io"
    if not got:
        return
    check(got["indicator"] == "maintenance", f"{where}: indicator {got['indicator']}")
    check(sorted(got["down"]) == ["Daum Mail", "Kakao Mail"], f"{where}: under maintenance: {got['down']}")
    check(got["unresolved"] == [], f"{where}: no incident: {got['unresolved']}")


def feed_checks(base, when, mount):
    """Every feed of the site parses cleanly in feedparser and tells the incidents."""
    prefix = f"{base}{MOUNTS[mount]}"
    paths = ["feed.atom", "feed.rss", "history.atom", "history.rss",
             "services/kakaotalk/feed.atom", "services/kakaotalk/feed.rss",
             "services/kakao-games/feed.atom", "services/kakao-games/feed.rss"]
    for path in paths:
        where = f"{when} {mount} {path}"
        feed = feedparser.parse(f"{prefix}{path}")
        check(not feed.bozo, f"{where}: well-formed ({feed.get('bozo_exception')})")
        check(feed.get("status") == 200, f"{where}: served ({feed.get('status')})")
        titles = [e.get("title") for e in feed.entries]
        check(FIRE in titles, f"{where}: the fire is an entry: {titles}")
        fire = next((e for e in feed.entries if e.get("title") == FIRE), None)
        if fire is None:
            continue
        updated = fire.get("updated_parsed") or fire.get("published_parsed")
        # In UTC: the 08:00 KST update during the outage, the 23:00 KST resolution after it.
        want = (2022, 10, 15, 23, 0) if when == "during" else (2022, 10, 20, 14, 0)
        check(updated is not None and tuple(updated[:5]) == want,
              f"{where}: dated by its latest update: {updated and tuple(updated[:5])}")
        check(fire.get("link", "").startswith(f"{prefix}incidents/2022-10-15-pangyo-data-center-fire"),
              f"{where}: links the incident page: {fire.get('link')}")
        if path.endswith(".rss"):
            check(feed.feed.get("ttl") is not None, f"{where}: has <ttl>")
    games = feedparser.parse(f"{prefix}services/kakao-games/feed.atom")
    titles = [e.get("title") for e in games.entries]
    check("Slow taxi dispatch in Kakao T" not in titles, f"{when} {mount}: a service feed holds only its incidents: {titles}")


HOSTILE_TITLE = "AT&T link down: reboot of <db-01> <script>alert(1)</script>"


def text_feed_checks(candor, tmp):
    """Ordinary text (`&`, `<db-01>`) reads right in feedparser's RSS and Atom, markup from an
    incident file never runs, and entry ids are the same after a domain move."""
    site = tmp / "text-site"
    (site / "incidents").mkdir(parents=True)
    (site / "status.yaml").write_text(
        "title: Text\nbase_url: https://status.example.com/\nservices:\n  - { id: db, name: DB }\n")
    (site / "incidents" / "db.yaml").write_text(
        f"title: {json.dumps(HOSTILE_TITLE)}\nstart: 2022-10-15T10:00:00Z\n"
        "end: 2022-10-15T11:00:00Z\nupdates:\n  - at: 2022-10-15T10:00:00Z\n"
        "    status: investigating\n    message: |\n"
        "      AT&T is down; rebooting `<db-01>`. <script>alert(1)</script>"
        "<img src=x onerror=alert(1)>\n")
    ids = {}
    for host in ["https://status.example.com/", "https://elsewhere.example/status/"]:
        out = tmp / "text-out" / str(len(ids))
        subprocess.run(
            [candor, "build", "--root", str(site), "--output", str(out), "--now",
             "2022-10-16T00:00:00Z", "--base-url", host],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        for path in ["feed.rss", "feed.atom"]:
            feed = feedparser.parse(str(out / path))
            where = f"text feed {path}"
            check(not feed.bozo, f"{where}: well-formed ({feed.get('bozo_exception')})")
            entry = feed.entries[0] if feed.entries else {}
            # RSS titles carry an invisible word joiner after `<` and `&` (docs/decisions.md).
            title = entry.get("title", "").replace("\u2060", "")
            check(title == HOSTILE_TITLE, f"{where}: title reads as written: {entry.get('title')!r}")
            body = entry.get("summary", "")
            check("AT&amp;T is down" in body and "&lt;db-01&gt;" in body,
                  f"{where}: `&` and `<db-01>` read right in the HTML: {body!r}")
            check("<script" not in body and "onerror" not in body, f"{where}: no markup runs: {body!r}")
            check(entry.get("id", "").startswith("urn:uuid:"), f"{where}: id is the site's: {entry.get('id')!r}")
            ids.setdefault(path, []).append(entry.get("id"))
    for path, found in ids.items():
        check(len(set(found)) == 1, f"text feed {path}: the entry id survives a domain move: {found}")


def main():
    candor, node_modules = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        text_feed_checks(candor, tmp)
        for when, now in [("window", WINDOW_OPEN), ("during", DURING), ("after", AFTER)]:
            port = free_port()
            base = f"http://127.0.0.1:{port}/"
            www = tmp / when / "www"
            build(candor, www, now, base)
            build(candor, www / "status", now, f"{base}status/")
            with serve(www, port):
                exporter_checks(run_exporter(base, tmp / when / "exporter"), when)
                for mount, path in MOUNTS.items():
                    got = run_statuspage_io(node_modules, f"{base}{path}")
                    if when == "window":
                        window_checks(got, mount)
                        continue
                    statuspage_io_checks(got, when, mount)
                    feed_checks(base, when, mount)
    failed = results["failed"]
    print(f"clients: {results['passed']} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
