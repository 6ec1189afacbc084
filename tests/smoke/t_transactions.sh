# Transactions through the real binary: windows of N (and of a duration), results after
# commit with txn=K, read back under read_committed; SIGINT commits the open window, a second
# SIGINT aborts it; usage errors. Servers differ here, and the checks hold on all of them:
# librdkafka 2.0.2's mock writes no transaction markers (offsets run on), 2.16's mock and Tansu
# do (a marker takes an offset, so offsets have gaps: checked in order, not contiguous); none of
# the three hides aborted records from a read_committed reader, so read-backs check the
# committed records only.
. "$(dirname "$0")/lib.sh"
start_mock --topic tx:3 --topic sig:1 --topic slow:1
rc_read() { kcat -C -b "$BOOTSTRAP" -t "$1" -e -q -X isolation.level=read_committed -f "$2"; }
"$EMIT" -b "$BOOTSTRAP" -t tx -n 2500 --transactional-id smoke-1 --transaction-records 1000 > "$WORK/out.txt" 2> "$WORK/err.txt" || fail "exit $?: $(cat "$WORK/err.txt")"
assert_eq "$(grep -c '^delivered topic=tx partition=[0-9]* offset=[0-9]* txn=[123] correlation=' "$WORK/out.txt")" 2500 "delivered lines with txn"
assert_eq "$(grep -c ' txn=3 ' "$WORK/out.txt")" 500 "the last window"
grep -q '; transactions 3 committed, 0 aborted, commit ms p50=' "$WORK/err.txt" || fail "summary: $(cat "$WORK/err.txt")"
assert_eq "$(rc_read tx '%s\n' | sort -u | wc -l)" 2500 "read_committed sees every record once"
# offsets per partition come in order
for p in 0 1 2; do
  grep " partition=$p " "$WORK/out.txt" | sed 's/.* offset=\([0-9]*\) .*/\1/' > "$WORK/offs"
  sort -n "$WORK/offs" | cmp -s - "$WORK/offs" || fail "partition $p offsets out of order"
done
# -o json carries "transaction"; --transaction-every closes windows by time
"$EMIT" -b "$BOOTSTRAP" -t tx -n 30 --rate 100 --transactional-id smoke-2 --transaction-every 100ms -o json -q > "$WORK/j.jsonl" || fail "json exit $?"
windows=$(jq -r .transaction "$WORK/j.jsonl" | sort -u | wc -l)
[ "$windows" -ge 2 ] || fail "--transaction-every 100ms at 100 records/s gave $windows window(s)"
# a paced transactional run keeps its cadence: finding the coordinator and committing windows
# delay the schedule instead of being made up in a burst (which showed as a negative drift of
# the time init_transactions took, ~25 ms on the mock)
"$EMIT" -b "$BOOTSTRAP" -t tx -n 200 --rate 1000 --transactional-id smoke-5 --transaction-every 50ms -o none 2> "$WORK/p.err" || fail "paced exit $?"
drift=$(sed -n 's/.*drift \([-+][0-9.]*\)ms.*/\1/p' "$WORK/p.err")
[ -n "$drift" ] || fail "no drift in the summary: $(cat "$WORK/p.err")"
awk -v d="$drift" 'BEGIN { exit !(d > -1) }' || fail "the schedule was made up in a burst (drift ${drift}ms): $(cat "$WORK/p.err")"
# SIGINT mid-window: the open window commits, then exit 130
"$EMIT" -b "$BOOTSTRAP" -t sig --rate 200 --transactional-id smoke-3 --transaction-records 100000 > "$WORK/s.txt" 2> "$WORK/s.err" &
pid=$!; PIDS+=("$pid")
sleep 1.5; kill -INT "$pid"; wait "$pid"; rc=$?
assert_eq "$rc" 130 "exit after SIGINT"
n=$(wc -l < "$WORK/s.txt")
[ "$n" -gt 100 ] || fail "only $n records before SIGINT"
assert_eq "$(grep -c ' txn=1 ' "$WORK/s.txt")" "$n" "every record committed in the open window"
assert_eq "$(rc_read sig '%s\n' | wc -l)" "$n" "read_committed sees the committed window"
# two SIGINTs while the commit cannot complete (a broker is down): the window is not reported delivered, exit 130
"$EMIT" -b "$BOOTSTRAP" -t slow --rate 200 --transactional-id smoke-4 --transaction-records 100000 > "$WORK/d.txt" 2> "$WORK/d.err" &
pid=$!; PIDS+=("$pid")
sleep 1.5; broker_pause; sleep 0.3
kill -INT "$pid"; sleep 1
kill -0 "$pid" 2>/dev/null || fail "exited before the second signal (the commit should still wait)"
kill -INT "$pid"; wait "$pid"; rc=$?
broker_resume
assert_eq "$rc" 130 "exit after two SIGINTs"
n=$(wc -l < "$WORK/d.txt")
[ "$n" -gt 100 ] || fail "only $n result lines: $(cat "$WORK/d.err")"
# The commit was under way when the second signal came: the records are `unknown` if EndTxn may
# have gone out (the coordinator may commit it), else `failed`; never `delivered` (SPEC §4).
assert_eq "$(grep -Ec '^(failed topic=slow .*transaction 1 aborted|unknown topic=slow .*transaction 1 may have committed): interrupted by a second signal' "$WORK/d.txt")" "$n" "every record of the open window failed or unknown ($(head -1 "$WORK/d.txt"))"

# usage errors: one line, exit 64, nothing sent
for args in "--transactional-id x --acks 1" "--transactional-id x --no-idempotent" "--transaction-records 5" "--transaction-every 1s" "--transactional-id="; do
  # shellcheck disable=SC2086
  "$EMIT" -b "$BOOTSTRAP" -t tx -n 1 $args > "$WORK/u.out" 2> "$WORK/u.err"; rc=$?
  assert_eq "$rc" 64 "exit for $args"
  assert_eq "$(wc -l < "$WORK/u.err")" 1 "one line for $args"
  [ -s "$WORK/u.out" ] && fail "sent something for $args"
done
exit 0
