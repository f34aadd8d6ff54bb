#!/usr/bin/env bash
# The README's test command: installs everything (venv, Python packages, Neo4j + GDS from Maven Central),
# starts a separate test server (own home and ports), runs the tests, and stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/python -m pytest "$@"
