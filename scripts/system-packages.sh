#!/usr/bin/env bash
# Installs the Debian packages Dari needs, only those that are missing, with apt-get.
#   chromium          browser tests (Playwright drives Debian's /usr/bin/chromium; no browser download)
#   fonts-noto-cjk    Korean text in PDFs and screenshots
#   libpango-1.0-0 libpangoft2-1.0-0   WeasyPrint's text layout (PDF reports)
#   libharfbuzz-subset0  WeasyPrint cuts fonts down to the glyphs a PDF uses with it; without it,
#                     with fontTools: 14 s instead of 0.3 s for a Korean agreement (benchmarks/pdf_render.py)
#   poppler-utils     pdftotext / pdftoppm to check generated PDFs
#   gettext           msgfmt, to compile the translation catalogs after editing them
#   libgomp1          OpenMP runtime of LightGBM (the matching engine's learned re-ranking)
# Usage: scripts/system-packages.sh [--browser]   (--browser adds chromium; the demo does not need it)
set -euo pipefail

packages=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils gettext libgomp1)
if [[ "${1:-}" == "--browser" ]]; then
  packages+=(chromium)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-packages: not a Debian/Ubuntu system; please install: ${missing[*]}" >&2
  exit 0
fi
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "system-packages: run as root (or install sudo) to install: ${missing[*]}" >&2
    exit 0
  fi
fi
echo "system-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
