#!/usr/bin/env bash
# Refresh the vendored cytoscape build used by the HTML report: npm pack from the registry, verify the
# tarball against the registry's integrity field, copy the minified build and its licence.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-3.35.0}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "cytoscape@$version" >/dev/null)
tarball="$work/cytoscape-$version.tgz"
expected="$(npm view "cytoscape@$version" dist.integrity)"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$expected" != "$actual" ]; then
  echo "integrity mismatch for cytoscape@$version: $actual != $expected" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work"
cp "$work/package/dist/cytoscape.min.js" coordgraph/report/vendor/cytoscape.min.js
cp "$work/package/LICENSE" coordgraph/report/vendor/cytoscape.LICENSE
echo "cytoscape $version vendored ($actual); update the version in coordgraph/report/vendor/README.md"
