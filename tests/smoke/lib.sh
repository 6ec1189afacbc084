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
  [ -z "$MOCK_PID" ] || kill -CONT "$MOCK_PID" 2>/dev/null
  for p in "${PIDS[@]}" $MOCK_PID; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}" $MOCK_PID; do wait "$p" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# The server and the librdkafka are parameters, so one script serves every cell of the
# compatibility matrix (tests/matrix.sh):
#   SMOKE_SERVER=mock (default) | tansu   what start_mock starts
#   SMOKE_TANSU=PATH                      the tansu binary (SMOKE_SERVER=tansu)
#   SMOKE_LIBRDKAFKA=DIR                  a directory with another librdkafka.so.1, put first on
#                                         LD_LIBRARY_PATH for kafka-emit, the mock and kcat alike
SMOKE_SERVER=${SMOKE_SERVER:-mock}
if [ -n "${SMOKE_LIBRDKAFKA:-}" ]; then
  export LD_LIBRARY_PATH="$SMOKE_LIBRDKAFKA${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

# start_mock [kafka-mock-cluster args...]: sets BOOTSTRAP; `mock_cmd down 1` injects faults.
# With SMOKE_SERVER=tansu it starts a Tansu broker instead (one broker, in memory) and creates
# the --topic NAME:PARTITIONS topics; --brokers and --rtt-ms are the mock's own.
start_mock() {
  if [ "$SMOKE_SERVER" = tansu ]; then start_tansu "$@"; return; fi
  mkfifo "$WORK/mock.ctl"
  exec 9<>"$WORK/mock.ctl"
  rm -f "$WORK/mock.out"   # a wait must never see an earlier cluster's bootstrap list
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

start_tansu() {
  local port topics=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --topic) topics+=("$2"); shift 2 ;;
      --brokers|--rtt-ms) shift 2 ;;
      *) fail "start_mock: '$1' is the mock cluster's; this test cannot run on Tansu" ;;
    esac
  done
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${SMOKE_TANSU:?SMOKE_TANSU must name the tansu binary}" broker --listener-url "tcp://127.0.0.1:$port" \
    --advertised-listener-url "tcp://127.0.0.1:$port" --storage-engine memory://tansu/ --cluster-id smoke \
    >"$WORK/tansu.out" 2>&1 9>&- &
  MOCK_PID=$!
  BOOTSTRAP=127.0.0.1:$port
  export BOOTSTRAP
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.05
  done
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "tansu did not start: $(tail -3 "$WORK/tansu.out")"
  local t
  for t in "${topics[@]}"; do
    "$SMOKE_TANSU" topic create --broker "tcp://$BOOTSTRAP" --partitions "${t#*:}" "${t%%:*}" >/dev/null 2>&1 \
      || fail "tansu: cannot create topic $t"
  done
}

mock_cmd() {
  [ "$SMOKE_SERVER" = mock ] || fail "mock_cmd $*: fault injection needs the mock cluster (SMOKE_SERVER=$SMOKE_SERVER)"
  echo "$*" >&9
}

# broker_pause / broker_resume: freeze the whole server (SIGSTOP) and let it go on (SIGCONT):
# an outage every server can have, connections open and silent.
broker_pause() { kill -STOP "$MOCK_PID"; }
broker_resume() { kill -CONT "$MOCK_PID"; }

# read_topic TOPIC FORMAT: everything in TOPIC, via kcat (the independent consumer).
read_topic() {
  kcat -C -b "$BOOTSTRAP" -t "$1" -e -q -f "$2"
}

assert_eq() { [ "$1" == "$2" ] || fail "$3: expected '$2', got '$1'"; }

# The Schema Registry stand-in (tests/registry/stand_in.py), on a free port; sets SR to its URL.
# Needs PY (scripts/test-python.sh) and ROOT. Each stand-in writes its URL to a file of its own:
# a second one must not read the first one's URL before its own redirection truncated the file
# (a race that showed under load).
start_registry() { # [stand_in args...]
  local url="$WORK/sr.$RANDOM.url"
  "$PY" "$ROOT/tests/registry/stand_in.py" --port 0 "$@" > "$url" 2>> "$WORK/sr.log" &
  PIDS+=($!)
  for _ in $(seq 1 100); do [ -s "$url" ] && break; sleep 0.05; done
  SR=$(head -1 "$url"); [ -n "$SR" ] || fail "registry stand-in did not start"
}
