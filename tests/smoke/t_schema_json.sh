# JSON Schema through the Schema Registry (SPEC §2b), read back by an independent reader:
# the registry stand-in (tests/registry/stand_in.py), the broker, and confluent-kafka's
# JSONDeserializer, which fetches the schema by id and validates with jsonschema
# (tests/smoke/consume_json.py). Generate and lines modes, the console producer's --property
# line, a record that does not fit (65 naming the path, or a failed line), the warning for a
# keyword kafka-emit does not check.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=$("$ROOT/scripts/test-python.sh") || fail "cannot set up the Python test helpers"
start_mock --topic orders:3 --topic lines:2 --topic console:1
start_registry
SCHEMA="$ROOT/examples/schemas/order.json"

# 1. generate mode, the seed scenario's order; the template's spaces are not sent (compact JSON)
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t orders --count 20 --value-schema "$SCHEMA" \
  --value '{"id": {i}, "amount": {rand:1000}, "currency": "EUR", "note": "order {i}"}' > "$WORK/gen.out" 2> "$WORK/gen.err"
assert_eq "$?" 0 "generate exit"
assert_eq "$(grep -c '^delivered topic=orders' "$WORK/gen.out")" 20 "generate delivered"
[ ! -s "$WORK/gen.err" ] || ! grep -q warning "$WORK/gen.err" || fail "a warning for a schema it checks fully: $(cat "$WORK/gen.err")"
grep -q '^POST /subjects/orders-value/versions 200' "$WORK/sr.log" || fail "not registered under orders-value: $(cat "$WORK/sr.log")"
"$PY" -c 'import json, sys, urllib.request; s = json.load(urllib.request.urlopen(sys.argv[1] + "/schemas/ids/1")); sys.exit(s.get("schemaType") != "JSON")' "$SR" \
  || fail "registered with a schemaType other than JSON"
"$PY" "$ROOT/tests/smoke/consume_json.py" "$BOOTSTRAP" orders "$SR" > "$WORK/gen.read" || fail "read-back: $(tail -3 "$WORK/gen.read")"
assert_eq "$(wc -l < "$WORK/gen.read")" 20 "records read back"
grep -q '^7 {"amount": [0-9]*, "currency": "EUR", "id": 7, "note": "order 7"}$' "$WORK/gen.read" || fail "record 7: $(grep '"id": 7,' "$WORK/gen.read")"

# 2. lines mode, pretty and escaped JSON in, keyed; --value-schema-type for a file not named .json
cp "$SCHEMA" "$WORK/order.schema"
printf '%s\n' 'a	{ "id" : 1 , "amount" : 5 , "currency" : "USD" , "note" : "caf\u00e9 \"x\"" }' 'b	{"id":2,"amount":0,"currency":"GBP"}' > "$WORK/lines.txt"
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t lines -i "$WORK/lines.txt" -K $'\t' --value-schema "$WORK/order.schema" \
  --value-schema-type json -q > /dev/null; assert_eq "$?" 0 "lines exit"
"$PY" "$ROOT/tests/smoke/consume_json.py" "$BOOTSTRAP" lines "$SR" | sort > "$WORK/lines.read" || fail "lines read-back"
grep -q '^a {"amount": 5, "currency": "USD", "id": 1, "note": "caf\\u00e9 \\"x\\""}$' "$WORK/lines.read" || fail "lines: $(cat "$WORK/lines.read")"
assert_eq "$(wc -l < "$WORK/lines.read")" 2 "lines read back"

# 3. as kafka-json-schema-console-producer takes it: the schema inline, an unchecked keyword warned once
INLINE='{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string","pattern":"^[a-z]+$"},"uniqueItems":true}},"required":["tags"],"uniqueItems":true}'
printf '%s\n' '{"tags":["a","b"]}' '{"tags":[]}' > "$WORK/console.json"
"$EMIT" -b "$BOOTSTRAP" -t console --property "schema.registry.url=$SR" --property "value.schema=$INLINE" -i "$WORK/console.json" \
  > /dev/null 2> "$WORK/console.err"; assert_eq "$?" 0 "console-producer style exit"
assert_eq "$(grep -c 'warning: .*uniqueItems' "$WORK/console.err")" 1 "one warning naming uniqueItems"
"$EMIT" -b "$BOOTSTRAP" -t console --property "schema.registry.url=$SR" --property "value.schema=$INLINE" -i "$WORK/console.json" -q \
  > /dev/null 2> "$WORK/console-q.err"; assert_eq "$?" 0 "quiet exit"
[ ! -s "$WORK/console-q.err" ] || fail "-q printed: $(cat "$WORK/console-q.err")"
"$PY" "$ROOT/tests/smoke/consume_json.py" "$BOOTSTRAP" console "$SR" > "$WORK/console.read" || fail "console read-back"
assert_eq "$(grep -c '{"tags": \["a", "b"\]}' "$WORK/console.read")" 2 "console records"

# 4. JSON that does not fit: 65 naming the path, or a failed line with --continue-on-error
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t orders -n 3 --value-schema "$SCHEMA" \
  --value '{"id":{i},"amount":1000,"currency":"EUR"}' > "$WORK/bad.out" 2> "$WORK/bad.err"
assert_eq "$?" 65 "misfit exit"
grep -q 'record 1: the value does not fit its schema (id 1): \$.amount: 1000 is greater than maximum 999' "$WORK/bad.err" || fail "misfit message: $(cat "$WORK/bad.err")"
printf '%s\n' '{"id":1,"amount":"abc","currency":"EUR"}' '{"id":2,"amount":1,"currency":"EUR"}' '{"id":3,"amount":1}' \
  '{"id":4,"amount":1,"currency":"JPY"}' '{"id":5,"amount":1,"currency":"EUR","x":1}' '{"id":6.5,"amount":1,"currency":"EUR"}' > "$WORK/mixed.json"
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t orders -i "$WORK/mixed.json" --value-schema "$SCHEMA" \
  --continue-on-error > "$WORK/cont.out" 2>/dev/null; rc=$?
assert_eq "$rc" 1 "continue-on-error exit"
# (the failed line's error="…" escapes the message's quotes)
for want in '$.amount: expected integer, got \"abc\"' '$.currency: required' '$.currency: \"JPY\" is not one of \"EUR\", \"USD\", \"GBP\"' \
    '$.x: not allowed (additionalProperties is false)' '$.id: expected integer, got 6.5'; do
  grep '^failed ' "$WORK/cont.out" | grep -qF "$want" || fail "no failed line with $want: $(cat "$WORK/cont.out")"
done
assert_eq "$(grep -c '^delivered' "$WORK/cont.out")" 1 "the record that fits"

# 5. a schema kafka-emit cannot use: 65 before anything is sent, naming the construct
echo '{"properties":{"code":{"type":"string","pattern":"^(?=A)[A-Z]+$"}}}' > "$WORK/look.json"
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t orders -n 1 --value-schema "$WORK/look.json" --value '{}' 2> "$WORK/e65"
assert_eq "$?" 65 "unusable schema"
grep -q 'lookahead' "$WORK/e65" || fail "65 message: $(cat "$WORK/e65")"
exit 0
