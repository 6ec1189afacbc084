# Shared helpers for smoke tests: a standalone mock broker process, kcat read-back, asserts.
# Every process a test starts is stopped by PID in the EXIT trap, also on failure.
set -uo pipefail
: "${BIN:?BIN must point at the built binaries}"
EMIT="$BIN/kafka-emit"
MOCKBIN="$BIN/kafka-mock-cluster"
WORK=$(mktemp -d)
MOCK_PID=""
PIDS=()

cleanup() {
  for p in "${PIDS[@]}" $MOCK_PID; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}" $MOCK_PID; do wait "$p" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# start_mock [kafka-mock-cluster args...]: sets BOOTSTRAP; `mock_cmd down 1` injects faults.
start_mock() {
  mkfifo "$WORK/mock.ctl"
  exec 9<>"$WORK/mock.ctl"
  # 9>&-: the broker must not hold the control fifo's write end itself, or it never sees EOF.
  "$MOCKBIN" "$@" <"$WORK/mock.ctl" >"$WORK/mock.out" 2>&1 9>&- &
  MOCK_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$WORK/mock.out" ] && break
    sleep 0.05
  done
  BOOTSTRAP=$(head -1 "$WORK/mock.out")
  [ -n "$BOOTSTRAP" ] || fail "mock cluster did not start"
  export BOOTSTRAP
}

mock_cmd() { echo "$*" >&9; }

# read_topic TOPIC FORMAT: everything in TOPIC, via kcat (the independent consumer).
read_topic() {
  kcat -C -b "$BOOTSTRAP" -t "$1" -e -q -f "$2"
}

assert_eq() { [ "$1" == "$2" ] || fail "$3: expected '$2', got '$1'"; }
