#!/usr/bin/env bash
# Install Dari with its test dependencies and run the whole test suite on SQLite, browser tests
# included (Debian's Chromium, installed by scripts/system-packages.sh). Extra arguments go to pytest.
# The tests run in one process per core (pytest-xdist; each has its own test database) unless the
# arguments choose: `-n 0` runs them in this one process, `-n 4` in four.
set -euo pipefail
cd "$(dirname "$0")/.."
DARI_EXTRAS="[test]" source scripts/_environment.sh
bash scripts/system-packages.sh --browser
unset DARI_DATABASE_URL
workers=(-n auto)
for argument in "$@"; do
  case "$argument" in -n | -n[0-9]* | --numprocesses* | no:xdist) workers=() ;; esac
done
exec .venv/bin/pytest "${workers[@]}" "$@"
