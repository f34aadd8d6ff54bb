#!/usr/bin/env bash
# Create .venv and install coordgraph with its test dependencies (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.coordgraph-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  # pinned to the versions in constraints.txt, so a benchmark run today reads the same cases as yesterday's
  .venv/bin/python -m pip install --quiet -c constraints.txt -e '.[test]'
  touch "$stamp"
fi
# Headless Chromium prints `report --format pdf` and runs the report's browser test. Install Debian's package
# when it is missing and we may (root, e.g. CI); otherwise say how (the browser tests then skip, or fail under CI).
# The emoji font lets Chromium draw flags and other emoji in names instead of empty boxes.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing chromium and an emoji font (for PDF reports and the report browser test) ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
  else
    echo "chromium is not installed: PDF reports and the report browser test need it (apt-get install chromium fonts-noto-color-emoji)." >&2
  fi
fi
