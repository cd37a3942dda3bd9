#!/usr/bin/env bash
# Watch-and-serve benchmark: `waymark serve` against `hugo server` on the same generated site.
#
#   scripts/bench_serve.sh [N=10000] [EDITS=10]
#
# For each server, in the same run: the time from starting it to the home page being served,
# then, EDITS times each, the time from saving one meeting file to the rebuilt page being served
# over HTTP (the page is polled until the change appears): once editing the text of the
# minutes, once editing the meeting's title. Medians, minimum and maximum are printed.
# Needs python3 and hugo (`apt-get install -y hugo`). Not a test: numbers depend on the machine.
set -euo pipefail
N=${1:-10000}
EDITS=${2:-10}
HERE=$(cd "$(dirname "$0")/.." && pwd)
GEN=${GEN_CORPUS:-/work/shared/bench/gen_corpus.py}
command -v hugo >/dev/null || { echo "hugo not found: apt-get install -y hugo" >&2; exit 2; }
[ -f "$GEN" ] || { echo "corpus generator not found: set GEN_CORPUS" >&2; exit 2; }

(cd "$HERE" && cargo build --release --quiet)
WAYMARK="$HERE/target/release/waymark"
WORK=$(mktemp -d /tmp/bench-serve.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
python3 "$GEN" --pages "$N" --out "$WORK/waymark" --layout neutral >/dev/null 2>&1
python3 "$GEN" --pages "$N" --out "$WORK/hugo" --layout hugo >/dev/null 2>&1

python3 - "$WAYMARK" "$WORK" "$EDITS" <<'PY'
import os, re, socket, statistics, subprocess, sys, time, urllib.request

waymark, work, edits = sys.argv[1], sys.argv[2], int(sys.argv[3])

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status, reply.read().decode("utf-8", "replace")
    except Exception:
        return None, ""

def wait_for(url, wanted, limit=120.0):
    started = time.monotonic()
    while time.monotonic() - started < limit:
        status, body = fetch(url)
        if status == 200 and wanted(body):
            return
        time.sleep(0.002)
    raise SystemExit(f"timed out waiting for {url}")

def meeting(site):
    folder = os.path.join(site, "content", "meetings")
    name = sorted(os.listdir(folder))[len(os.listdir(folder)) // 2]
    return os.path.join(folder, name), name[:-3]

def run(name, command, site, page_path):
    port = free_port()
    home = f"http://127.0.0.1:{port}/"
    path, slug = meeting(site)
    page = home + page_path.format(slug=slug)
    original = open(path, encoding="utf-8").read()
    started = time.monotonic()
    server = subprocess.Popen(command(port), cwd=site, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait_for(home, lambda body: "</html>" in body)
        first_page = time.monotonic() - started
        wait_for(page, lambda body: "</html>" in body)
        results = {"text": [], "title": []}
        # Each kind of edit in its own series, so a text edit never also undoes a title edit.
        for kind in ("text", "title"):
            for i in range(edits + 1):
                marker = f"Benchmark{kind}{i}x{os.getpid()}"
                if kind == "text":
                    edited = original.rstrip("\n") + f"\n\nSaved with {marker}.\n"
                else:
                    edited = re.sub(r'^title: "?', lambda m: m.group(0) + marker + " ",
                                    original, count=1, flags=re.M)
                saved = time.monotonic()
                with open(path, "w", encoding="utf-8") as f:
                    f.write(edited)
                wait_for(page, lambda body: marker in body)
                if i > 0:  # the first round warms up
                    results[kind].append(time.monotonic() - saved)
                time.sleep(0.3)
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        server.terminate()
        server.wait()
    return first_page, results

def ms(seconds):
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"

servers = [
    ("waymark serve", lambda port: [waymark, "serve", "--port", str(port)],
     os.path.join(work, "waymark"), "meetings/{slug}/"),
    ("hugo server", lambda port: ["hugo", "server", "--port", str(port), "--bind", "127.0.0.1",
                                  "--quiet"],
     os.path.join(work, "hugo"), "meetings/{slug}/"),
]
content = os.path.join(work, "waymark", "content")
total = sum(len(os.listdir(os.path.join(content, section))) for section in os.listdir(content))
print(f"site: {total} pages; {edits} edits of each kind; {os.cpu_count()} cores")
for name, command, site, page_path in servers:
    first_page, results = run(name, command, site, page_path)
    line = f"{name:14} start to first page {ms(first_page):>8}"
    for kind, times in results.items():
        line += (f" | {kind} edit served: median {ms(statistics.median(times))}"
                 f" (min {ms(min(times))}, max {ms(max(times))})")
    print(line)
PY
