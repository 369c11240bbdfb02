#!/usr/bin/env bash
# What `make e2e` needs besides the Python environment, installed only when missing (idempotent):
# - Debian's Chromium at /usr/bin/chromium. Playwright drives it; it never downloads a browser of its own.
# - axe-core, pinned in package.json/package-lock.json, which the tests inject into every page.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root=()
if [ "$(id -u)" != "0" ]; then
  as_root=(sudo)
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium..." >&2
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq chromium >/dev/null
fi

if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit --loglevel=error
fi

echo "Browser tests ready: $(/usr/bin/chromium --version 2>/dev/null || echo chromium), axe-core $(node -p 'require("./node_modules/axe-core/package.json").version')"
