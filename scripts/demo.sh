#!/usr/bin/env bash
# The README's main command: installs everything, starts the managed local server, and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
.venv/bin/coordgraph server start
if .venv/bin/coordgraph demo --help >/dev/null 2>&1; then
  exec .venv/bin/coordgraph demo "$@"
fi
