#!/usr/bin/env bash
# The Debian libraries the Python environment needs at run time, installed only when missing (idempotent):
# WeasyPrint's Pango and HarfBuzz (with its subsetter: without it WeasyPrint warns, and warnings are errors in
# the tests), and the DejaVu fonts the PDFs are set in.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" != "0" ]; then
  as_root=(sudo)
fi
echo "Installing Debian packages: ${missing[*]}" >&2
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
