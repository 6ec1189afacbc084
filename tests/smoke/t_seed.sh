# The seed scenario against whichever server the cell runs (SMOKE_SERVER): 100 order events,
# one every 100 ms, keys 0..99, values order-0..order-99, a delivered line per record with
# topic, partition, offset and correlation — and the topic holds exactly them.
. "$(dirname "$0")/lib.sh"
start_mock --topic order-events:3
"$EMIT" -b "$BOOTSTRAP" --topic order-events --every 100ms --count 100 --value 'order-{i}' > "$WORK/out" 2> "$WORK/err" \
  || fail "exit $?: $(tail -2 "$WORK/err")"
assert_eq "$(grep -cE '^delivered topic=order-events partition=[0-2] offset=[0-9]+ correlation=[0-9]+$' "$WORK/out")" 100 "delivered lines"
assert_eq "$(sed 's/.*correlation=//' "$WORK/out" | sort -n | uniq | paste -sd, | cut -c1-12)" "0,1,2,3,4,5," "correlations 0..99"
read_topic order-events '%k %s\n' | sort -n > "$WORK/topic"
seq 0 99 | awk '{ print $1, "order-" $1 }' > "$WORK/want"
cmp -s "$WORK/topic" "$WORK/want" || fail "the topic differs from what was sent: $(diff "$WORK/topic" "$WORK/want" | head -3)"
# offsets per partition: each record's line names where kcat finds it
read_topic order-events '%p %o %k\n' | sort > "$WORK/where"
sed -E 's/^delivered topic=order-events partition=([0-9]+) offset=([0-9]+) correlation=([0-9]+)$/\1 \2 \3/' "$WORK/out" | sort > "$WORK/said"
cmp -s "$WORK/where" "$WORK/said" || fail "partition/offset of a line is not where the record is: $(diff "$WORK/where" "$WORK/said" | head -3)"
grep -q 'drift' "$WORK/err" || fail "no pacing summary: $(cat "$WORK/err")"
# the second independent reader: confluent-kafka's consumer
PY=$("$(dirname "$0")/../../scripts/test-python.sh") || fail "cannot set up the Python test helpers"
"$PY" "$(dirname "$0")/consume.py" "$BOOTSTRAP" order-events | sort -n > "$WORK/py" || fail "confluent-kafka consumer: exit $?"
cmp -s "$WORK/py" "$WORK/want" || fail "confluent-kafka's consumer reads something else: $(diff "$WORK/py" "$WORK/want" | head -3)"
echo "seed scenario on $SMOKE_SERVER: 100 delivered, read back by kcat (at the offsets the lines name) and by confluent-kafka"
