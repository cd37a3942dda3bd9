#!/usr/bin/env bash
# Validates the open data (/data/) of the bundled sample site and of the open-data test fixture
# with the real validators: every JSON file against its JSON Schema (python jsonschema, formats
# checked) and datapackage.json with every CSV file against its Table Schema, keys, foreign
# keys, sizes and hashes (`frictionless validate`). Exits non-zero on any problem.
#
# Needs the validators of tests/data/requirements.txt on PATH (.ci/run installs them in a
# virtual environment) and a built waymark: WAYMARK_BIN, default target/release/waymark.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${WAYMARK_BIN:-target/release/waymark}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# The day the test suite builds on, so the fixture's upcoming and overdue items are the same.
export SOURCE_DATE_EPOCH=1795392000
"$bin" build --quiet --root . --output "$out/sample"
"$bin" build --quiet --root tests/testsuite/data/rich --output "$out/rich"

python3 tests/data/validate_json.py "$out/sample" "$out/rich"
for site in sample rich; do
  echo "frictionless validate $site/data/datapackage.json"
  (cd "$out/$site/data" && frictionless validate datapackage.json)
done
