#!/usr/bin/env bash
# Install Dari and run the demo: SQLite under ./var, migrations, the Ulsan–San Diego scenario,
# the demo login printed, the server on http://127.0.0.1:8000. Extra arguments go to `dari demo`
# (e.g. --no-serve, --addrport 0.0.0.0:8000).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_environment.sh
bash scripts/system-packages.sh || echo "setup: could not install system packages; the demo runs without them" >&2
exec .venv/bin/dari demo "$@"
