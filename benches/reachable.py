#!/usr/bin/env python3
"""Crawls a built site's history from history/index.html, following only the links on its pages,
and checks that every incident page is reached: history paging complete, no page left out.

    python3 benches/reachable.py OUTPUT_DIR

Prints one line; exits 1 when an incident is unreachable or a link is broken."""
import os
import posixpath
import re
import sys


def main(out):
    seen, queue, reached, broken, most = set(), ["history/index.html"], set(), set(), 0
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        with open(os.path.join(out, page), encoding="utf-8") as f:
            hrefs = re.findall(r'href="([^"#?]+)', f.read())
        most = max(most, len(hrefs))
        here = posixpath.dirname(page)
        for href in hrefs:
            if "://" in href or href.startswith("mailto:"):
                continue
            target = posixpath.normpath(posixpath.join(here, href))
            if not os.path.isfile(os.path.join(out, target)):
                broken.add(f"{page} -> {href}")
            elif target.startswith("incidents/") and target.endswith("/index.html"):
                reached.add(target)
            elif target.startswith("history/") and target.endswith("index.html"):
                queue.append(target)
    incidents_dir = os.path.join(out, "incidents")
    every = {f"incidents/{slug}/index.html" for slug in os.listdir(incidents_dir)} if os.path.isdir(incidents_dir) else set()
    missing = every - reached
    print(f"history: {len(seen)} pages, {len(reached)} of {len(every)} incidents reachable, "
          f"at most {most} links on a history page, {len(broken)} broken links")
    for line in sorted(missing)[:5] + sorted(broken)[:5]:
        print(f"  {line}")
    return 0 if not missing and not broken else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
