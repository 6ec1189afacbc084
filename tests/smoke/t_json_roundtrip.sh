# kcat -C -J → kafka-emit --input-format json → kcat: keys, values, headers (null values, NUL in
# names), partitions and timestamps come out equal; without -t each envelope's topic routes it;
# and what --dry-run -o json prints replays to the same records.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
start_mock --topic src:3 --topic copy:3 --topic rt:2
cat > "$WORK/seed.jsonl" <<'J'
{"partition":0,"key":"k1","payload":"v1","headers":["a","1","n\u0000ul",null],"ts":1700000000001}
{"partition":1,"key":null,"payload":"no key","ts":1700000000002}
{"partition":2,"key":"k3","payload":null,"headers":["x",""],"ts":1700000000003}
{"partition":0,"key":"q\"\\\n","payload":"\u0001\u007f é ✓","ts":1700000000004}
{"partition":1,"key":"j","payload":{"nested":[1,2,{"x":"y"}]},"ts":1700000000005}
J
"$EMIT" -b "$BOOTSTRAP" -t src -i "$WORK/seed.jsonl" --input-format json -q > /dev/null || fail "seed exit $?"
kcat -C -b "$BOOTSTRAP" -t src -e -q -J > "$WORK/src.jsonl"
"$EMIT" -b "$BOOTSTRAP" -t copy -i "$WORK/src.jsonl" --input-format json -q > "$WORK/out.txt" || fail "replay exit $?"
assert_eq "$(grep -c '^delivered topic=copy ' "$WORK/out.txt")" 5 "replayed into copy, not back into src"
shape='{partition, key, payload, headers, ts}'
jq -c "$shape" "$WORK/src.jsonl" | sort > "$WORK/a"
kcat -C -b "$BOOTSTRAP" -t copy -e -q -J | jq -c "$shape" | sort > "$WORK/b"
cmp "$WORK/a" "$WORK/b" || { diff "$WORK/a" "$WORK/b" >&2; fail "copy differs from the source"; }
assert_eq "$(jq -r 'select(.key=="j") | .payload' "$WORK/src.jsonl")" '{"nested":[1,2,{"x":"y"}]}' "a JSON payload is sent as its compact text"
# kcat shows header names only up to a NUL (so its -J copy carries "n"); an independent client
# shows that kafka-emit sent the seed's name whole
PY=$("$ROOT/scripts/test-python.sh")
"$PY" - "$BOOTSTRAP" <<'PYEOF' > "$WORK/headers.txt" || fail "kafka-python read failed"
import sys
from kafka import KafkaConsumer
c = KafkaConsumer('src', bootstrap_servers=sys.argv[1].split(','), auto_offset_reset='earliest',
                  consumer_timeout_ms=3000, api_version=(2, 0, 0))
for m in c:
    if m.key == b'k1':
        print(repr(m.headers), m.timestamp)
PYEOF
assert_eq "$(cat "$WORK/headers.txt")" "[('a', b'1'), ('n\\x00ul', None)] 1700000000001" "header name with NUL, null value, timestamp"
# without -t, each envelope's topic routes it (back into src here)
"$EMIT" -b "$BOOTSTRAP" -i "$WORK/src.jsonl" --input-format json -q > "$WORK/out2.txt" || fail "routed replay exit $?"
assert_eq "$(grep -c '^delivered topic=src ' "$WORK/out2.txt")" 5 "routed by topic"
# --dry-run -o json replays to the same records
"$EMIT" -t rt -n 20 -p 1 --key 'k{i}' --value '{"n":{i},"s":"a\"b"}' -H 'h={i}' -H nul --timestamp '{ts}' --dry-run -o json -q > "$WORK/dry.jsonl" || fail "dry run exit $?"
"$EMIT" -b "$BOOTSTRAP" -t rt -i "$WORK/dry.jsonl" --input-format json -q > /dev/null || fail "dry-run replay exit $?"
jq -c '{partition, key, value, headers: ([.headers | to_entries[] | .key, .value]), ts: .timestamp}' "$WORK/dry.jsonl" | sort > "$WORK/d"
kcat -C -b "$BOOTSTRAP" -t rt -e -q -J | jq -c '{partition, key, value: .payload, headers, ts}' | sort > "$WORK/r"
cmp "$WORK/d" "$WORK/r" || { diff "$WORK/d" "$WORK/r" | head >&2; fail "dry-run replay differs"; }
exit 0
