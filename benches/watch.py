#!/usr/bin/env python3
"""Save-to-page latency of `candor watch`: edit one incident file at a time and time how long
until its page on disk shows the edit (debounce included).

    python3 benches/watch.py                 # 1,000 and 10,000 incidents, 25 edits each
    SIZES="10000" EDITS=40 python3 benches/watch.py
    NOW=2025-12-01T00:00:00Z python3 benches/watch.py   # with the build time pinned instead
    LANGUAGES="en ko id" python3 benches/watch.py        # the site told in three languages

By default watch runs as teams run it: without --now, on the real clock, on a site whose year of
incidents ends at this minute (its newest incident is still open, so the session also re-renders
the pages that show time each minute while the edits run). With NOW set, on the generator's fixed
year and with --now NOW, as earlier figures were taken.

Sites come from ../shared/bench/gen_sites.py (cached in $CANDOR_BENCH_DIR, default
/tmp/candor-bench, shared with benches/build.sh). Prints per size: median, p95, min, max of
the latency, and the time until the whole rebuild (front page, history, the service pages,
feeds and API, written by the same rebuild) is done. With LANGUAGES, the generated site is told
in each (benches/translate.py): an edit changes the title in every language, and its page is on
disk when every language's page shows it. Not part of CI.
"""
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = Path(os.environ.get("GEN", ROOT.parent / "shared" / "bench" / "gen_sites.py"))
CACHE = Path(os.environ.get("CANDOR_BENCH_DIR", "/tmp/candor-bench"))
SIZES = [int(n) for n in os.environ.get("SIZES", "1000 10000").split()]
EDITS = int(os.environ.get("EDITS", "25"))
MINUTE_EDITS = int(os.environ.get("MINUTE_EDITS", "3"))  # saves just after a minute turns (live only)
NOW = os.environ.get("NOW")  # None: the real clock, as teams run it
LANGUAGES = os.environ.get("LANGUAGES", "").split()  # the main one first; none: the site as generated
WORK = []  # folders this run made, deleted when it ends
BIN = Path(os.environ["BIN"]) if os.environ.get("BIN") else ROOT / "target" / "release" / "candor"


def site(n: int) -> Path:
    """The generator's fixed year (pinned runs), or a year ending now (live runs; made anew)."""
    if NOW:
        path, end = CACHE / f"site-{n}", []
    else:
        stamp = time.strftime("%Y-%m-%dT%H:%M:00Z", time.gmtime())
        path, end = CACHE / f"live-site-{n}-{os.getpid()}", ["--end", stamp]
        WORK.append(path)
    if not (path / "status.yaml").exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(GEN), "--format", "candor", "--n", str(n), "--out", str(path), *end],
                       check=True, stdout=subprocess.DEVNULL)
    if not LANGUAGES:
        return path
    told = path.with_name(f"{path.name}-{'-'.join(LANGUAGES)}")
    if not (told / "status.yaml").exists():
        subprocess.run([sys.executable, str(ROOT / "benches" / "translate.py"), str(path), str(told),
                        " ".join(LANGUAGES)], check=True)
    if not NOW:
        WORK.append(told)
    return told


def wait_line(proc, needle: str, timeout: float = 600) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            raise SystemExit(f"candor watch exited before printing {needle!r}")
        if needle in line:
            return line
    raise SystemExit(f"timed out waiting for {needle!r}")


def measure(n: int) -> None:
    src = site(n)
    # A new folder per run, deleted only at the end: on ext4 without a journal, creating files
    # soon after deleting many is slow (benches/README.md), and would be measured as candor's.
    work = CACHE / f"watch-{n}-{os.getpid()}"
    WORK.append(work)
    subprocess.run(["cp", "-r", str(src), str(work)], check=True)
    out = work / "public"
    pinned = ["--now", NOW] if NOW else []
    proc = subprocess.Popen([str(BIN), "watch", "--root", str(work), *pinned],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        wait_line(proc, "watching")
        files = sorted((work / "incidents").glob("*.yaml"))
        step = max(1, len(files) // EDITS)
        picks = files[::step][:EDITS]  # spread over the year: names start with the date
        latencies, done = [], []
        for k, path in enumerate(picks):
            page_ms, done_ms = edit(proc, out, path, f"Bench edit {k}")
            latencies.append(page_ms)
            done.append(done_ms)
            time.sleep(0.05)
        # The first save after a minute turns: with the real clock the session may have to move
        # its instant first (the pages that show time), unless its own tick did already.
        turns = []
        for k in range(MINUTE_EDITS if not NOW else 0):
            time.sleep(60 - time.time() % 60 + 0.05)
            page_ms, done_ms = edit(proc, out, picks[k % len(picks)], f"Minute edit {k}")
            turns.append(page_ms)
            latencies.append(page_ms)
            done.append(done_ms)
        latencies.sort()
        done.sort()
        after_turn = " ".join(f"{t:.1f}" for t in turns) or "–"
        print(f"| {n:,} | {len(latencies)} | {statistics.median(latencies):.1f} ms | {p95(latencies):.1f} ms | "
              f"{latencies[0]:.1f}–{latencies[-1]:.1f} ms | {after_turn} | "
              f"{statistics.median(done):.1f} ms | {p95(done):.1f} ms |")
    finally:
        proc.terminate()
        proc.wait()


def edit(proc, out: Path, path: Path, label: str):
    """Edits the title of `path`; returns ms until its page on disk shows it, and until watch
    printed the line of that rebuild."""
    text = path.read_text()
    marker = f"{label} {time.monotonic_ns()}"
    # Inside the quotes when the title is quoted: the edit must stay valid YAML.
    if LANGUAGES:  # title:\n  en: "…"\n  ko: "…": each language's title
        in_each = lambda m: re.sub(r'^(  \w+: "?)', lambda t: f"{t.group(1)}{marker} ", m.group(0), flags=re.M)
        edited = re.sub(r'^title:\n(?:  \w+: .*\n)+', in_each, text, count=1, flags=re.M)
    else:
        edited = re.sub(r'^title: ("?)', lambda m: f"title: {m.group(1)}{marker} ", text, count=1, flags=re.M)
    folders = [out] + [out / l for l in LANGUAGES[1:]]
    pages = [f / "incidents" / path.stem / "index.html" for f in folders]
    t0 = time.perf_counter()
    path.write_text(edited)
    for page in pages:
        while True:
            try:
                if marker in page.read_text():
                    break
            except FileNotFoundError:
                pass
            if time.perf_counter() - t0 > 30:
                raise SystemExit(f"{page} never showed the edit")
            time.sleep(0.0005)
    page_ms = (time.perf_counter() - t0) * 1000
    # One rebuild writes the page, the front page, history, the services' pages, the feeds and
    # the API, and then prints its line: that is "whole rebuild done".
    wait_line(proc, path.name)
    return page_ms, (time.perf_counter() - t0) * 1000


def p95(sorted_values):
    return sorted_values[min(len(sorted_values) - 1, int(round(0.95 * (len(sorted_values) - 1))))]


def main() -> None:
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    clock = f"--now {NOW}" if NOW else "the real clock (no --now)"
    print(f"candor watch, save to page on disk, {EDITS} edits spread over the year, {clock}")
    print("| incidents | edits | page on disk: median | p95 | min–max | of which just after a minute turned | "
          "whole rebuild done: median | p95 |")
    print("|---|---|---|---|---|---|---|---|")
    try:
        for n in SIZES:
            measure(n)
    finally:
        for work in WORK:
            subprocess.run(["rm", "-rf", str(work)], check=True)


if __name__ == "__main__":
    main()
