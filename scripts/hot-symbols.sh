#!/usr/bin/env bash
# Regenerates scripts/hot-symbols.txt: the functions of kafka-emit's own binary (our code, the
# Swift runtime and stdlib) that typical runs execute, sorted by name (a stable list to diff; any
# order keeps them together).
# `make release` hands the list to lld (--symbol-ordering-file), which lays these functions out
# next to each other, so a run maps ~1 MB fewer pages of code (see README, Benchmarks).
#
# Usage: scripts/hot-symbols.sh [BIN_DIR]   (default .build/release; needs valgrind)
# A stale list is harmless: names that no longer exist are skipped at link time.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "${1:-$ROOT/.build/release}" && pwd)
EMIT="$BIN/kafka-emit"
MOCK="$BIN/kafka-mock-cluster"
OUT="$ROOT/scripts/hot-symbols.txt"
command -v valgrind >/dev/null || { echo "hot-symbols: valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
[ -x "$EMIT" ] && [ -x "$MOCK" ] || { echo "hot-symbols: build first (make release)" >&2; exit 1; }

WORK=$(mktemp -d)
MOCK_PID=""
cleanup() { [ -z "$MOCK_PID" ] || kill "$MOCK_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

mkfifo "$WORK/ctl"
exec 9<>"$WORK/ctl"
"$MOCK" --brokers 3 --topic hot:3 <"$WORK/ctl" >"$WORK/mock.out" 2>"$WORK/mock.err" 9>&- &
MOCK_PID=$!
for _ in $(seq 1 250); do [ -s "$WORK/mock.out" ] && break; sleep 0.02; done
B=$(head -1 "$WORK/mock.out")
[ -n "$B" ] || { echo "hot-symbols: mock cluster did not start: $(cat "$WORK/mock.err")" >&2; exit 1; }

seq -f 'line-%g-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' 1 10000 >"$WORK/lines.txt"
cg() { valgrind --tool=callgrind --demangle=no -q --callgrind-out-file="$WORK/cg.%p" "$EMIT" "$@" >/dev/null 2>&1 </dev/null || true; }
cg -b "$B" -t hot -i "$WORK/lines.txt" -o none -q
cg -b "$B" -t hot -i "$WORK/lines.txt"
cg -b "$B" -t hot -i "$WORK/lines.txt" -o json
cg -b "$B" -t hot -n 5000 --value 'event-{i}-{rand:1000}'
cg -b "$B" -t hot -i "$WORK/lines.txt" --stats-interval 1s --histogram-log "$WORK/h.log"
cg -b "$B" -t hot -n 1
cg --help
cg --mock -t x -n 10

# Every function callgrind saw that kafka-emit's binary defines (our code, the Swift runtime
# and stdlib). (Callgrind's object attribution is not used: it files some of the binary's
# functions under other objects.)
nm --defined-only "$EMIT" | awk '$2 ~ /^[tTwW]$/ { print $3 }' | sort -u >"$WORK/defined.txt"
python3 - "$WORK" >"$OUT" <<'PY'
import glob, os, re, sys
work = sys.argv[1]
defined = set(open(os.path.join(work, "defined.txt")).read().split())
seen = set()
for path in glob.glob(os.path.join(work, "cg.*")):
    for line in open(path, errors="replace"):
        m = re.match(r"^c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
        if m and m.group(1) in defined:
            seen.add(m.group(1))
print("\n".join(sorted(seen)))
PY
echo "hot-symbols: $(wc -l <"$OUT") functions written to ${OUT#"$ROOT"/}" >&2
