#!/usr/bin/env bash
# Fuzzes the content path (fuzz/fuzz_targets/content.rs) for a bounded time:
#   scripts/fuzz.sh [SECONDS]        (default 60)
# Any bytes, as a file of each section, must give a page or diagnostics naming the file, and
# never a panic. A crash stops the run; its input is kept under fuzz/artifacts/content/ and the
# script exits non-zero with the command that replays it.
#
# Installs cargo-fuzz from crates.io if missing. libFuzzer needs compiler flags only a nightly
# toolchain accepts; this project has the stable one, so RUSTC_BOOTSTRAP=1 lets it accept them
# for this build alone (the fuzz package has its own target folder, fuzz/target/).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
case "$seconds" in
  '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;;
esac

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "== Installing cargo-fuzz (crates.io)"
  cargo install cargo-fuzz --locked
fi

# The fuzzed library is built with the versions the project ships: the fuzz package starts from
# the project's lock file, adding only libFuzzer's own crates.
cp Cargo.lock fuzz/Cargo.lock

# Seeds: the sample site's content files, so the fuzzer starts from real front matter and
# Markdown. The corpus grows across runs (fuzz/corpus/ is not committed).
corpus=fuzz/corpus/content
mkdir -p "$corpus"
find content -name '*.md' -type f | while read -r file; do
  cp "$file" "$corpus/seed-$(echo "$file" | tr '/' '-')"
done

export RUSTC_BOOTSTRAP=1
echo "== Fuzzing the content path for ${seconds}s"
status=0
cargo fuzz run content "$corpus" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 || status=$?

if [ "$status" -ne 0 ]; then
  echo
  echo "== The fuzzer found a crash (exit $status). Inputs that failed:"
  ls -1 fuzz/artifacts/content/ 2>/dev/null | sed 's|^|   fuzz/artifacts/content/|'
  echo "Replay one with: RUSTC_BOOTSTRAP=1 cargo fuzz run content fuzz/artifacts/content/<file>"
  exit "$status"
fi
echo "== No crash in ${seconds}s"
