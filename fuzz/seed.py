#!/usr/bin/env python3
"""Writes the fuzz target's seed corpus: every site folder of the repository (the sample site
at its root and each folder of tests/fixtures/ holding a status.yaml or incident files), joined
in the target's input format: status.yaml, NUL, an incident file, NUL, another incident file.

Usage: python3 fuzz/seed.py [OUT]   (default OUT: fuzz/seeds; emptied first)
Never writes outside OUT.
"""

import hashlib
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEP = b"\0"


def sites():
    """Every folder that is a site or a broken one: status.yaml and/or incidents/."""
    yield REPO
    for d in sorted((REPO / "tests" / "fixtures").rglob("*")):
        if d.is_dir() and ((d / "status.yaml").is_file() or (d / "incidents").is_dir()):
            yield d


def seeds(site):
    status = (site / "status.yaml").read_bytes() if (site / "status.yaml").is_file() else b""
    folder = site / "incidents"
    incidents = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    texts = [p.read_bytes() for p in incidents if p.suffix in (".yaml", ".yml")]
    yield status
    for text in texts:
        yield status + SEP + text
    if len(texts) >= 2:
        yield status + SEP + texts[0] + SEP + texts[1]


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "fuzz" / "seeds"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    seen = set()
    for site in sites():
        name = str(site.relative_to(REPO)).replace("/", "_") or "sample"
        if site == REPO:
            name = "sample"
        for n, data in enumerate(seeds(site)):
            digest = hashlib.sha1(data).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            (out / f"{name}-{n}").write_bytes(data)
    print(f"{len(seen)} seeds in {out}")


if __name__ == "__main__":
    main()
