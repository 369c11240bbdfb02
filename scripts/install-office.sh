#!/usr/bin/env bash
# What the exports' print test (`make e2e`, supervisione/e2e/tests/test_exports_print.py) needs, installed only when
# missing (idempotent): Debian's LibreOffice Calc and Writer without the GUI, which convert the workbooks and the
# Word report to PDF as ATS staff would print them.
set -euo pipefail

as_root=()
if [ "$(id -u)" != "0" ]; then
  as_root=(sudo)
fi

missing=()
for package in libreoffice-calc-nogui libreoffice-writer-nogui; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian's ${missing[*]}..." >&2
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "Office conversions ready: $(soffice --version 2>/dev/null | head -1 || echo soffice)"
