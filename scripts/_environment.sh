# Sourced by demo.sh and test.sh: makes .venv with Dari and its pinned dependencies installed.
# Set DARI_EXTRAS (e.g. "[test]") before sourcing to add optional dependencies.
# Re-installs only when pyproject.toml, constraints.txt or the extras changed since the last install.
set -euo pipefail

python_bin="${DARI_PYTHON:-}"
if [[ -z "$python_bin" ]]; then
  for candidate in python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      python_bin="$candidate"; break
    fi
  done
fi
if [[ -z "$python_bin" ]]; then
  echo "Dari needs Python 3.11 (set DARI_PYTHON to its path)." >&2
  exit 1
fi

if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv with $python_bin"
  "$python_bin" -m venv .venv
fi

stamp=.venv/.dari-installed
extras="${DARI_EXTRAS:-}"
wanted="$( (cat pyproject.toml constraints.txt; echo "$extras") | sha256sum | cut -c1-16)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
  echo "setup: installing Dari and its dependencies into .venv (pinned by constraints.txt)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".${extras}"
  echo "$wanted" > "$stamp"
fi
