# A slow broker is a reachable broker, and a result line is the truth (SPEC §4, §6): against
# brokers 300 ms, 1 s and 3 s away, read back with kcat, the lines and the topic agree —
# every `delivered` record is in the topic, no `failed` record is — with no signal, one SIGINT
# while records are in flight (they drain to their real outcome), and two (what was in flight
# is purged and reads `unknown`, never `failed`). Table-driven: one row per case.
. "$(dirname "$0")/lib.sh"
cases=0

# The broker's round trip is set on the running mock (mock_cmd rtt), and set back to 0 for
# the read-back, so kcat does not pay it.
start_mock --brokers 3 --topic slow:3
# Waits for the mock's "ok" to each command: a case must not start before its round trip holds.
set_rtt() {
  local before; before=$(grep -c '^ok$' "$WORK/mock.out")
  for b in 1 2 3; do mock_cmd "rtt $b $1"; done
  for _ in $(seq 1 100); do
    [ "$(grep -c '^ok$' "$WORK/mock.out")" -ge $((before + 3)) ] && return
    sleep 0.02
  done
  fail "the mock did not confirm rtt $1"
}

# case NAME RTT_MS SIGNALS SIGNAL_AT_S WANT_EXIT -- kafka-emit args...
# Runs kafka-emit (topic slow-N, values v-{i}) against brokers RTT_MS away, sends SIGNALS
# SIGINTs from SIGNAL_AT_S on (0.3 s apart), then checks: exit code; one line per record
# sent; delivered ⊆ topic; failed ∩ topic = ∅; the summary's counts equal the lines'.
# With RAISE="AT_S:MS" the run starts on a fast broker and its round trip becomes MS at AT_S:
# records sent after that are in flight (stored, their answers held back) for MS — the state
# the signal cases need, without guessing how many round trips connecting takes.
run_case() {
  local name=$1 rtt=$2 signals=$3 at=$4 want=$5
  shift 6
  cases=$((cases + 1))
  local topic="slow-$cases"
  set_rtt "$rtt"
  "$EMIT" -b "$BOOTSTRAP" -t "$topic" --value 'v-{i}' --correlation '{i}' "$@" > "$WORK/out" 2> "$WORK/err" &
  local pid=$!; PIDS+=("$pid")
  local slept=0
  if [ -n "${RAISE:-}" ]; then
    sleep "${RAISE%%:*}"; slept=${RAISE%%:*}
    set_rtt "${RAISE##*:}"
  fi
  if [ "$signals" -gt 0 ]; then
    sleep "$(echo "$at - $slept" | bc)"
    for _ in $(seq 1 "$signals"); do kill -INT "$pid" 2>/dev/null; sleep 0.3; done
  fi
  wait "$pid"; local rc=$?
  set_rtt 0
  [ "$rc" = "$want" ] || fail "$name: exit $rc, expected $want: $(tail -3 "$WORK/err")"
  read_topic "$topic" '%s\n' | sed 's/^v-//' | sort -u > "$WORK/topic"
  local json=0
  if head -c 1 "$WORK/out" | grep -q '{'; then json=1; fi
  if [ "$json" = 1 ]; then
    jq -r '"\(.status) \(.correlation)"' "$WORK/out" > "$WORK/lines"
  else
    awk '{for (i = 2; i <= NF; i++) if ($i ~ /^correlation=/) { sub(/correlation=/, "", $i); print $1, $i } }' "$WORK/out" > "$WORK/lines"
  fi
  awk '{ print $2 }' "$WORK/lines" | sort | uniq -d > "$WORK/twice"
  [ ! -s "$WORK/twice" ] || fail "$name: a record with two lines: $(head -1 "$WORK/twice")"
  awk '$1 == "delivered" { print $2 }' "$WORK/lines" | sort > "$WORK/delivered"
  awk '$1 == "failed" { print $2 }' "$WORK/lines" | sort > "$WORK/failed"
  awk '$1 == "unknown" { print $2 }' "$WORK/lines" | sort > "$WORK/unknown"
  local nd nf nu missing landed
  nd=$(wc -l < "$WORK/delivered"); nf=$(wc -l < "$WORK/failed"); nu=$(wc -l < "$WORK/unknown")
  missing=$(comm -23 "$WORK/delivered" "$WORK/topic" | wc -l)
  landed=$(comm -12 "$WORK/failed" "$WORK/topic" | wc -l)
  [ "$missing" = 0 ] || fail "$name: $missing record(s) reported delivered are not in the topic"
  [ "$landed" = 0 ] || fail "$name: $landed record(s) reported failed are in the topic: $(grep '^failed' "$WORK/out" | head -2)"
  if [ "$json" = 1 ]; then
    assert_eq "$(grep '"summary":true' "$WORK/err" | jq -r '"\(.delivered) \(.failed) \(.unknown)"')" "$nd $nf $nu" "$name: JSON summary counts"
  else
    grep -q "^kafka-emit: $nd delivered, $nf failed" "$WORK/err" || fail "$name: summary does not match $nd/$nf lines: $(tail -2 "$WORK/err")"
    if [ "$nu" -gt 0 ]; then grep -q ", $nu unknown" "$WORK/err" || fail "$name: summary lacks $nu unknown: $(tail -2 "$WORK/err")"; fi
  fi
  ! grep -q 'check that Kafka is running' "$WORK/err" || fail "$name: a slow broker was called unreachable"
  printf '  %-56s exit %-3s lines %3s: %3s delivered %3s failed %3s unknown; in topic %3s (unknown ones: %s)\n' \
    "$name" "$rc" "$(wc -l < "$WORK/lines")" "$nd" "$nf" "$nu" "$(wc -l < "$WORK/topic")" "$(comm -12 "$WORK/unknown" "$WORK/topic" | wc -l)"
  echo "$rc $nd $nf $nu" > "$WORK/last"
}

# A broker that far from the start: connecting takes several round trips (ApiVersion,
# Metadata, InitProducerId), each well past the 250 ms a metadata request used to be given.
run_case "300 ms round trip, 20 records"                  300  0 0 0 -- -n 20 --connect-timeout 3s
run_case "300 ms round trip, paced"                       300  0 0 0 -- -n 10 --every 50ms --connect-timeout 3s
run_case "1 s round trip, 20 records"                     1000 0 0 0 -- -n 20 --connect-timeout 5s
run_case "1 s round trip, -o json"                        1000 0 0 0 -- -n 5 -o json --connect-timeout 5s
run_case "3 s round trip, 5 records"                      3000 0 0 0 -- -n 5 --connect-timeout 20s
# One SIGINT before any broker answered: queued records were never sent, so `failed` is true.
run_case "1 s round trip, SIGINT before any answer"       1000 1 0.5 130 -- -n 20 --connect-timeout 5s
read -r _ nd nf nu < "$WORK/last"
assert_eq "$nf" 20 "SIGINT before any answer: the never-sent records failed"
# Records in flight to a broker that became slow: one SIGINT drains them to their real
# outcome (delivered), however long the broker takes.
for ms in 300 1000 3000; do
  RAISE="1:$ms" run_case "${ms} ms round trip, SIGINT with records in flight" 0 1 1.4 130 -- --every 20ms -n 500
  read -r _ nd nf nu < "$WORK/last"
  [ "$nf" = 0 ] && [ "$nu" = 0 ] || fail "one SIGINT at ${ms} ms: $nf failed, $nu unknown (in flight must drain)"
done
# Two SIGINTs with requests out: purged in flight, so possibly stored — `unknown`, never `failed`.
for ms in 1000 3000; do
  RAISE="1:$ms" run_case "${ms} ms round trip, two SIGINTs in flight" 0 2 1.4 130 -- --every 20ms -n 500
  read -r _ nd nf nu < "$WORK/last"
  [ "$nu" -gt 0 ] || fail "two SIGINTs at ${ms} ms: no record reads unknown ($nd delivered, $nf failed)"
done
echo "slow-broker cases: $cases"
