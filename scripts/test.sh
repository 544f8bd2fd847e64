#!/usr/bin/env bash
# Install Dari with its test dependencies and run the whole test suite on SQLite, browser tests
# included (Debian's Chromium, installed by scripts/system-packages.sh). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
DARI_EXTRAS="[test]" source scripts/_environment.sh
bash scripts/system-packages.sh --browser
unset DARI_DATABASE_URL
exec .venv/bin/pytest "$@"
