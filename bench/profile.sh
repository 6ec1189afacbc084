#!/usr/bin/env bash
# A rate profile under load (the README's "Shapes of load" plot), run by `make bench`: one
# kafka-emit against a standalone mock cluster (3 brokers, 6 partitions) with
#   --rate-profile 'ramp 0..20000 8s, hold 20000 8s, burst 50000 for 1s every 4s over 5000 for 8s'
# writing an HdrHistogram log (500 ms windows, one tagged interval per stage). The log is
# turned into 500 ms rows by examples/merge-histograms.py and plotted by bench/profile.gp:
# records/s and p99 over time, the stages shaded.
#
# usage: bench/profile.sh BIN_DIR RESULTS_DIR
# writes RESULTS_DIR/profile.{png,dat,txt} (txt: the run's progress lines and summary, and the
# per-stage figures merge-histograms.py reads from the log)
set -euo pipefail
BIN=$(cd "${1:?usage: bench/profile.sh BIN_DIR RESULTS_DIR}" && pwd)
RESULTS=${2:?usage: bench/profile.sh BIN_DIR RESULTS_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PROFILE='ramp 0..20000 8s, hold 20000 8s, burst 50000 for 1s every 4s over 5000 for 8s'
WORK=$(mktemp -d)
MOCK_PID=""
cleanup() {
  [ -z "$MOCK_PID" ] || { kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT
die() { echo "bench/profile: $*" >&2; exit 1; }
PY=$("$ROOT/scripts/test-python.sh") || die "cannot set up the Python helpers (hdrhistogram)"

tail -f /dev/null | "$BIN/kafka-mock-cluster" --brokers 3 --topic shapes:6 > "$WORK/mock.out" 2>&1 &
MOCK_PID=$!
for _ in $(seq 1 200); do [ -s "$WORK/mock.out" ] && break; sleep 0.05; done
BOOTSTRAP=$(head -1 "$WORK/mock.out")
[ -n "$BOOTSTRAP" ] || die "mock cluster did not start"

"$BIN/kafka-emit" -b "$BOOTSTRAP" -t shapes --rate-profile "$PROFILE" --record-size 100 -o none \
  --stats-interval 500ms --histogram-log "$WORK/profile.hlog" 2> "$WORK/err" || die "kafka-emit exited $?: $(tail -3 "$WORK/err")"
"$PY" "$ROOT/examples/merge-histograms.py" --timeline 0.5 "$WORK/profile.hlog" > "$RESULTS/profile.dat"
stages=$("$PY" "$ROOT/examples/merge-histograms.py" --stages "$WORK/profile.hlog")
{
  echo "\$ kafka-emit -b \$B -t shapes --rate-profile '$PROFILE' --record-size 100 -o none --stats-interval 500ms --histogram-log profile.hlog"
  cat "$WORK/err"
  echo "\$ examples/merge-histograms.py --stages profile.hlog"
  echo "$stages"
} > "$RESULTS/profile.txt"
if command -v gnuplot > /dev/null; then
  gnuplot -e "datafile='$RESULTS/profile.dat'; outfile='$RESULTS/profile.png'; subtitle='100 B records, mock cluster, $(nproc) CPUs, $(date -u +%Y-%m-%d)'" \
    "$ROOT/bench/profile.gp"
fi
echo "bench/profile: $(echo "$stages" | head -1); wrote $RESULTS/profile.{dat,txt,png}" >&2
