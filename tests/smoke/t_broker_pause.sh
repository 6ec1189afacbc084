# An outage every server can have: the broker process frozen (SIGSTOP) for 3 s during a paced
# run, then let go (SIGCONT). Idempotent producer: every record is delivered once, in order
# per partition, and the latency of the frozen window shows in the summary.
. "$(dirname "$0")/lib.sh"
start_mock --topic pause:2
"$EMIT" -b "$BOOTSTRAP" -t pause --every 10ms -n 500 --value 'p-{i}' > "$WORK/out" 2> "$WORK/err" &
pid=$!; PIDS+=("$pid")
sleep 1
broker_pause; sleep 3; broker_resume
wait "$pid"; rc=$?
assert_eq "$rc" 0 "exit after a 3 s freeze ($(tail -1 "$WORK/err"))"
assert_eq "$(grep -c '^delivered ' "$WORK/out")" 500 "delivered lines"
max=$(sed -n 's/.* max=\([0-9.]*\);.*/\1/p' "$WORK/err" | head -1)
awk -v m="$max" 'BEGIN { exit !(m >= 2500) }' || fail "the freeze does not show in the latency max (${max} ms): $(cat "$WORK/err")"
assert_eq "$(read_topic pause '%s\n' | sort -u | wc -l)" 500 "distinct records in the topic"
assert_eq "$(read_topic pause '%s\n' | wc -l)" 500 "records in the topic (no duplicates)"
for p in 0 1; do
  read_topic pause "%p %s\n" | awk -v p=$p '$1 == p { sub(/p-/, "", $2); print $2 }' > "$WORK/p$p"
  sort -n "$WORK/p$p" | cmp -s - "$WORK/p$p" || fail "partition $p out of order after the freeze"
done
echo "broker frozen 3 s on $SMOKE_SERVER: 500 delivered once, in order; latency max ${max} ms"
