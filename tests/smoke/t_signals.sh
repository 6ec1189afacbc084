# SIGINT / SIGTERM mid-run: in-flight records get their lines, the summary is printed,
# exit 130 / 143 within 2 s. An idle stdin does not delay Ctrl-C. A second SIGINT during a
# slow drain exits at once, with a line for every record.
. "$(dirname "$0")/lib.sh"
start_mock --topic sig:3

elapsed_ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

check_run() { # $1 signal, $2 expected code, $3.. kafka-emit args
  local sig=$1 want=$2; shift 2
  "$EMIT" -b "$BOOTSTRAP" "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" &
  local pid=$!; PIDS+=("$pid")
  sleep 1
  local t0; t0=$(date +%s%N)
  kill -"$sig" "$pid"
  wait "$pid"; local rc=$?
  local ms; ms=$(elapsed_ms "$t0")
  assert_eq "$rc" "$want" "exit code after SIG$sig ($*)"
  [ "$ms" -le 2000 ] || fail "SIG$sig took ${ms} ms to exit ($*)"
  grep -q 'delivered, 0 failed' "$WORK/err.txt" || fail "no summary after SIG$sig: $(cat "$WORK/err.txt")"
  local n; n=$(grep -o '^kafka-emit: [0-9]* delivered' "$WORK/err.txt" | grep -o '[0-9]*')
  assert_eq "$(wc -l < "$WORK/out.txt")" "$n" "one result line per record sent"
}

check_run INT 130 -t sig --every 10ms
check_run TERM 143 -t sig --rate 500
# idle stdin: nothing arrives, Ctrl-C must still end it at once
mkfifo "$WORK/idle"
exec 8<>"$WORK/idle"
echo "one line" >&8
check_run INT 130 -t sig -i "$WORK/idle"
assert_eq "$(wc -l < "$WORK/out.txt")" 1 "the one line sent"

# second SIGINT ends a slow drain at once (all brokers down, records waiting)
"$EMIT" -b "$BOOTSTRAP" -t sig --rate 200 > "$WORK/out.txt" 2> "$WORK/err.txt" &
pid=$!; PIDS+=("$pid")
sleep 1
broker_pause   # every broker silent (SIGSTOP), on any server
sleep 0.5
kill -INT "$pid"; sleep 0.5
kill -0 "$pid" 2>/dev/null || fail "exited before the drain finished (nothing was in flight?)"
t0=$(date +%s%N)
kill -INT "$pid"
wait "$pid"; rc=$?
ms=$(elapsed_ms "$t0")
assert_eq "$rc" 130 "exit code after a second SIGINT"
[ "$ms" -le 1000 ] || fail "second SIGINT took ${ms} ms"
# The second signal purges what waits: records never sent are `failed`, those a broker took
# before it went down `unknown`; each still gets its line (SPEC §4, §6).
summary=$(grep '^kafka-emit: [0-9]* delivered' "$WORK/err.txt") || fail "no summary: $(cat "$WORK/err.txt")"
d=$(sed 's/^kafka-emit: \([0-9]*\) delivered.*/\1/' <<< "$summary")
f=$(sed 's/.* \([0-9]*\) failed.*/\1/' <<< "$summary")
u=$(sed -n 's/.* \([0-9]*\) unknown.*/\1/p' <<< "$summary")
[ "$f" -gt 0 ] || fail "nothing purged by the second SIGINT: $summary"
assert_eq "$(wc -l < "$WORK/out.txt")" "$((d + f + ${u:-0}))" "a line for every record sent"
assert_eq "$(grep -c '^failed .*error="_PURGE_QUEUE: interrupted by a second signal"' "$WORK/out.txt")" "$f" "purged records say why"
broker_resume

# Ctrl-C before any broker answered: the queued records fail at once, no wait for --connect-timeout
"$EMIT" -b 127.0.0.1:1 -t sig -n 5 --connect-timeout 30s > "$WORK/out.txt" 2> "$WORK/err.txt" &
pid=$!; PIDS+=("$pid")
sleep 1
t0=$(date +%s%N)
kill -INT "$pid"
wait "$pid"; rc=$?
ms=$(elapsed_ms "$t0")
assert_eq "$rc" 130 "exit code, unreachable broker + SIGINT"
[ "$ms" -le 2000 ] || fail "SIGINT with an unreachable broker took ${ms} ms"
assert_eq "$(grep -c 'error="_PURGE_QUEUE: interrupted before any broker answered"' "$WORK/out.txt")" 5 "failed lines"

# --duration ends a run whose input stays idle (the fifo above is open, with nothing to read)
t0=$(date +%s%N)
"$EMIT" -b "$BOOTSTRAP" -t sig -i "$WORK/idle" --duration 1s -q; rc=$?
ms=$(elapsed_ms "$t0")
assert_eq "$rc" 0 "exit code, --duration with idle input"
[ "$ms" -ge 900 ] && [ "$ms" -le 2500 ] || fail "--duration 1s with idle input took ${ms} ms"
