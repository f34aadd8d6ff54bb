#!/usr/bin/env bash
# The README's main command: installs everything, starts the managed local server, and runs the demo
# (generate a scenario with a known answer, ingest, mark targets, detect, impact, HTML report, summary).
# Arguments go to `coordgraph demo`, e.g. `scripts/demo.sh --seed 3 --scale 1.0 --difficulty medium`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
.venv/bin/coordgraph server start
exec .venv/bin/coordgraph demo "$@"
