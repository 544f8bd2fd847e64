#!/usr/bin/env bash
# Install Dari and run the demo: SQLite under ./var, migrations, the Ulsan–San Diego scenario,
# the demo login printed, the server on http://127.0.0.1:8000. Extra arguments go to `dari demo`
# (e.g. --no-serve, --addrport 0.0.0.0:8000).
# Another port: --port 8001, or DARI_PORT=8001 (the option wins over the variable).
set -euo pipefail
cd "$(dirname "$0")/.."

port="${DARI_PORT:-8000}"
demo_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) port="${2:-}"; shift $(( $# > 1 ? 2 : 1 )) ;;
    --port=*) port="${1#--port=}"; shift ;;
    *) demo_args+=("$1"); shift ;;
  esac
done
if ! [[ "$port" =~ ^[0-9]+$ ]] || (( port < 1 || port > 65535 )); then
  echo "demo: the port must be a number from 1 to 65535 (got '${port}')" >&2
  exit 2
fi

# Links in e-mails point at the same port, unless the site's address is set.
export DARI_SITE_URL="${DARI_SITE_URL:-http://127.0.0.1:${port}}"

source scripts/_environment.sh
bash scripts/system-packages.sh || echo "setup: could not install system packages; the demo runs without them" >&2
# --addrport first, so that one given among the extra arguments still wins.
exec .venv/bin/dari demo --addrport "127.0.0.1:${port}" ${demo_args[@]+"${demo_args[@]}"}
