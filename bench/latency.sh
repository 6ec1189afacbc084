#!/usr/bin/env bash
# Latency over time under load (the README's plot), run by `make bench` after the rounds:
# 4 shards (--shard K/4, 4 processes) of one paced workload against one standalone mock cluster
# (3 brokers, 6 partitions), each writing an HdrHistogram log and windowed progress lines. From
# 40 % to 65 % of the run, broker 1 answers 25 ms late (the mock's `rtt` command). The 4 logs are
# merged by examples/merge-histograms.py into 500 ms rows (p50/p99/p99.9/max across all shards) and
# plotted by bench/latency.gp.
#
# usage: bench/latency.sh BIN_DIR RESULTS_DIR [SECONDS] [RATE]     (defaults: 20 s at 20000/s)
# writes RESULTS_DIR/latency-over-time.{png,dat,txt} (txt: shard 0's progress lines, merged totals)
set -euo pipefail
BIN=$(cd "${1:?usage: bench/latency.sh BIN_DIR RESULTS_DIR [SECONDS] [RATE]}" && pwd)
RESULTS=${2:?usage: bench/latency.sh BIN_DIR RESULTS_DIR [SECONDS] [RATE]}
SECONDS_TOTAL=${3:-20}
RATE=${4:-20000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=$((SECONDS_TOTAL * RATE))
WORK=$(mktemp -d)
MOCK_PID=""
PIDS=()
cleanup() {
  exec 9>&- 2>/dev/null || true
  for p in "${PIDS[@]}" $MOCK_PID; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}" $MOCK_PID; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
die() { echo "bench/latency: $*" >&2; exit 1; }
PY=$("$ROOT/scripts/test-python.sh") || die "cannot set up the Python helpers (hdrhistogram)"

mkfifo "$WORK/ctl"
exec 9<>"$WORK/ctl"
"$BIN/kafka-mock-cluster" --brokers 3 --topic lat:6 <"$WORK/ctl" >"$WORK/mock.out" 2>&1 9>&- &
MOCK_PID=$!
for _ in $(seq 1 200); do [ -s "$WORK/mock.out" ] && break; sleep 0.05; done
BOOTSTRAP=$(head -1 "$WORK/mock.out")
[ -n "$BOOTSTRAP" ] || die "mock cluster did not start"

for k in 0 1 2 3; do
  "$BIN/kafka-emit" -b "$BOOTSTRAP" -t lat -n "$N" --rate "$RATE" --record-size 100 --shard "$k/4" \
    --warmup 1000 --stats-interval 500ms --histogram-log "$WORK/s$k.hlog" -o none \
    2> "$WORK/s$k.err" 9>&- &
  PIDS+=($!)
done
slow_from=$(awk -v s="$SECONDS_TOTAL" 'BEGIN {print s * 0.40}')
slow_for=$(awk -v s="$SECONDS_TOTAL" 'BEGIN {print s * 0.25}')
sleep "$slow_from"; echo "rtt 1 25" >&9
sleep "$slow_for"; echo "rtt 1 0" >&9
for p in "${PIDS[@]}"; do wait "$p" || die "a shard exited $?: $(cat "$WORK"/s?.err | tail -5)"; done
PIDS=()

"$PY" "$ROOT/examples/merge-histograms.py" --timeline 0.5 "$WORK"/s?.hlog > "$RESULTS/latency-over-time.dat"
merged=$("$PY" "$ROOT/examples/merge-histograms.py" "$WORK"/s?.hlog)
want=$((N - 1000))   # --warmup counts global record numbers: i < 1000, across the shards
echo "$merged" | grep -q "^records=$want " || die "merged logs hold '$merged', expected $want records"
{
  echo "\$ kafka-emit -b \$B -t lat -n $N --rate $RATE --record-size 100 --shard 0/4 --warmup 1000 --stats-interval 500ms --histogram-log s0.hlog -o none"
  cat "$WORK/s0.err"
  echo "\$ examples/merge-histograms.py s0.hlog s1.hlog s2.hlog s3.hlog"
  echo "$merged"
} > "$RESULTS/latency-over-time.txt"
if command -v gnuplot > /dev/null; then
  gnuplot -e "datafile='$RESULTS/latency-over-time.dat'; outfile='$RESULTS/latency-over-time.png'; slow_from=$slow_from; slow_to=$(awk -v a="$slow_from" -v b="$slow_for" 'BEGIN {print a + b}'); subtitle='4 shards x $((RATE / 4))/s, 100 B records, $(nproc) CPUs, $(date -u +%Y-%m-%d)'" \
    "$ROOT/bench/latency.gp"
fi
echo "bench/latency: $merged; wrote $RESULTS/latency-over-time.{dat,txt,png}" >&2
