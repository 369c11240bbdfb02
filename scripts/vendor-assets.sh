#!/usr/bin/env bash
# Copy the front-end assets pinned in package-lock.json into supervisione/static/vendor (git-ignored).
# Idempotent: npm ci runs only when node_modules is missing or older than the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit --loglevel=error
fi

vendor=supervisione/static/vendor
rm -rf "$vendor.tmp"
mkdir -p "$vendor.tmp/bootstrap-italia" "$vendor.tmp/htmx" "$vendor.tmp/chart.js"
bi=node_modules/bootstrap-italia/dist
cp -r "$bi/css" "$bi/js" "$bi/fonts" "$bi/svg" "$vendor.tmp/bootstrap-italia/"
cp node_modules/htmx.org/dist/htmx.min.js "$vendor.tmp/htmx/"
cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map node_modules/chart.js/LICENSE.md "$vendor.tmp/chart.js/"
rm -rf "$vendor"
mv "$vendor.tmp" "$vendor"
echo "Static assets ready in $vendor"
