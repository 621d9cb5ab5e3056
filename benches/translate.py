#!/usr/bin/env python3
"""Copies a site made by ../shared/bench/gen_sites.py as a site told in several languages, for the
speed of issue 16: `languages: [en, ko, id]` in status.yaml and every text a map of them, each
translation the English text marked `(ko) `, so every page of every language differs and nothing
falls back.

    python3 benches/translate.py SITE OUT [LANGUAGES]     # LANGUAGES default "en ko id"

Works on the generator's own layout (one text per line, `key: "…"` or `key: |` with its block),
not on any YAML. Standard library only.
"""
import json
import re
import shutil
import sys
from pathlib import Path

TEXT = re.compile(
    r'^(?P<lead>\s*(?:- )?)(?P<key>title|description|name|group|summary|cause|message|note): (?P<value>.+)$'
)


def marked(language: str, value: str) -> str:
    """The one-line YAML value `value` with `(language) ` in front, double-quoted (no bracket:
    a `[` in a text sends every file through the YAML gate, which real translations do not)."""
    text = json.loads(value) if value.startswith('"') else value
    return json.dumps(f"({language}) {text}", ensure_ascii=False)


def translate(text: str, languages: list) -> str:
    main, out, lines, i = languages[0], [], text.split("\n"), 0
    while i < len(lines):
        m = TEXT.match(lines[i])
        i += 1
        if not m:
            out.append(lines[i - 1])
            continue
        lead, value = m["lead"], m["value"]
        inner = " " * (len(lead) + 2)
        out.append(f"{lead}{m['key']}:")
        if value not in ("|", ">"):
            out.extend(f"{inner}{l}: {value if l == main else marked(l, value)}" for l in languages)
            continue
        block = []
        while i < len(lines) and (lines[i].startswith(" " * (len(lead) + 1)) or not lines[i].strip()):
            block.append(lines[i])
            i += 1
        trailing = []
        while block and not block[-1].strip():
            trailing.append(block.pop())
        for l in languages:
            out.append(f"{inner}{l}: {value}")
            for k, b in enumerate(block):
                b = b if l == main or k > 0 else re.sub(r"^(\s*)", rf"\1({l}) ", b, count=1)
                out.append(f"  {b}" if b.strip() else b)
        out.extend(trailing)
    return "\n".join(out)


def main():
    site, dest = Path(sys.argv[1]), Path(sys.argv[2])
    languages = (sys.argv[3] if len(sys.argv) > 3 else "en ko id").split()
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "incidents").mkdir(parents=True)
    status = translate((site / "status.yaml").read_text(), languages)
    status = re.sub(r"(?m)^language: \S+$", f"languages: [{', '.join(languages)}]", status)
    (dest / "status.yaml").write_text(status)
    for f in sorted((site / "incidents").iterdir()):
        (dest / "incidents" / f.name).write_text(translate(f.read_text(), languages))


if __name__ == "__main__":
    main()
