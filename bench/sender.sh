#!/usr/bin/env bash
# The library's benchmark (`make bench`): KafkaSender's async face against a fresh standalone
# mock cluster (kafka-mock-cluster, 3 brokers, topic "bench" with 3 partitions) per run,
# closed loop, every figure the median of ROUNDS runs:
#   - T tasks, each awaiting one `send(record)` after another (T = 1, 200, 2000). Little's law
#     bounds it by T / delivery latency (linger 5 ms + round trip).
#   - one task sending N records through `send(_:)` (a stream in, a stream of results out),
#     against the CLI's generate mode (`kafka-emit -n N --value 'event-{i}-{rand:1000}' -o none`),
#     run in the same rounds: the ratio is the library's cost over the command's.
# Usage: bench/sender.sh BIN_DIR  (e.g. .build/release). ROUNDS=3, QUICK=1 for smaller N.
# Writes bench/results/sender.md.
set -euo pipefail
BIN=$(cd "${1:?usage: bench/sender.sh BIN_DIR}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-3}
if [ "${QUICK:-0}" = 1 ]; then N_STREAM=300000 N_TASKS=60000; else N_STREAM=1000000 N_TASKS=200000; fi
OUT="$ROOT/bench/results/sender.md"
for b in kafka-emit kafka-mock-cluster kafka-sender-bench; do
  [ -x "$BIN/$b" ] || { echo "bench/sender.sh: $BIN/$b not found; build first (swift build -c release)"; exit 1; }
done

MOCK_PID=
stop_mock() { if [ -n "$MOCK_PID" ]; then kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; MOCK_PID=; fi; }
trap 'stop_mock; rm -f "$CTL"' EXIT
CTL=$(mktemp -u)
start_mock() {
  # The old output goes first: the new cluster's redirection truncates it only once it runs,
  # and a wait that saw the last run's bootstrap list sent this run to a dead cluster.
  rm -f "$CTL" "$CTL.out"; mkfifo "$CTL"
  exec 8<>"$CTL"
  "$BIN/kafka-mock-cluster" --brokers 3 --topic bench:3 < "$CTL" > "$CTL.out" 2>&1 8>&- &
  MOCK_PID=$!
  for _ in $(seq 1 100); do [ -s "$CTL.out" ] && break; sleep 0.05; done
  B=$(head -1 "$CTL.out")
}

declare -A RATE
# KEY FUNCTION ARGS...: runs FUNCTION against a fresh mock; its last output field is records/s.
measure() {
  local key=$1; shift
  start_mock
  local line; line=$("$@" | tail -1)
  stop_mock
  RATE[$key]+="$(awk '{print $NF}' <<< "$line") "
}
cli() {
  local t0 t1
  t0=$(date +%s%N)
  "$BIN/kafka-emit" -b "$B" -t bench -n "$N_STREAM" --value 'event-{i}-{rand:1000}' -o none -q
  t1=$(date +%s%N)
  echo "cli $(( N_STREAM * 1000000000 / (t1 - t0) ))"
}
lib() { "$BIN/kafka-sender-bench" "$B" "$@"; }
median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for r in $(seq 1 "$ROUNDS"); do
  echo "bench/sender.sh: round $r of $ROUNDS" >&2
  # Alternate which goes first, as bench/run.sh does.
  if [ $((r % 2)) = 1 ]; then measure cli cli; measure stream lib stream "$N_STREAM"
  else measure stream lib stream "$N_STREAM"; measure cli cli; fi
  measure t1 lib tasks 1 500
  measure t200 lib tasks 200 "$N_TASKS"
  measure t2000 lib tasks 2000 "$N_TASKS"
done

c=$(median "${RATE[cli]}"); s=$(median "${RATE[stream]}")
ratio=$(echo "scale=2; $s / $c" | bc)
{
  echo "# KafkaSender (library) throughput"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores, librdkafka $("$BIN/kafka-emit" -V | sed -n 's/.*librdkafka \([0-9.]*\).*/\1/p' | head -1), standalone mock cluster (3 brokers, 3 partitions), median of $ROUNDS rounds; records/s, closed loop."
  echo
  echo "| what | records | records/s | runs |"
  echo "|---|---:|---:|---|"
  echo "| 1 task, await send(record) one after another | 500 | $(median "${RATE[t1]}") | ${RATE[t1]}|"
  echo "| 200 tasks, await send(record) each | $N_TASKS | $(median "${RATE[t200]}") | ${RATE[t200]}|"
  echo "| 2000 tasks, await send(record) each | $N_TASKS | $(median "${RATE[t2000]}") | ${RATE[t2000]}|"
  echo "| 1 task, send(records) stream, results iterated | $N_STREAM | $s | ${RATE[stream]}|"
  echo "| CLI generate mode, same records (-o none) | $N_STREAM | $c | ${RATE[cli]}|"
  echo
  echo "Stream / CLI: **${ratio}×** (target ≥ 0.8×)."
} > "$OUT"
cat "$OUT"
