# Avro through the Schema Registry (SPEC §2b), proved by independent decoders: a registry
# stand-in (tests/registry/stand_in.py, pinned by confluent-kafka's own client in
# tests/registry/pin_client.py), the broker, and confluent-kafka's AvroDeserializer, fastavro
# and AvroSerializer reading back (tests/smoke/consume_avro.py). Every mode; the console
# producers' --property lines; each error's exit code and message.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=$("$ROOT/scripts/test-python.sh") || fail "cannot set up the Python test helpers"
start_mock --topic orders:3 --topic random:2 --topic lines:2 --topic keyed:2 --topic tx:2 --topic env:1
start_registry
SCHEMA="$ROOT/examples/schemas/order.avsc"

# 1. generate mode, the README's seed scenario (paced), natural JSON with defaults
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t orders --every 10ms --count 20 --value-schema "$SCHEMA" \
  --value '{"id":{i},"amount":{rand:1000},"placed_at":"2026-12-03T10:00:00.{i:3}Z"}' > "$WORK/gen.out" 2> "$WORK/gen.err"
assert_eq "$?" 0 "generate exit"
assert_eq "$(grep -c '^delivered topic=orders' "$WORK/gen.out")" 20 "generate delivered"
# the registry was asked once, before the first record: one registration, nothing else
assert_eq "$(grep -c '' "$WORK/sr.log")" 1 "registry requests"
grep -q '^POST /subjects/orders-value/versions 200' "$WORK/sr.log" || fail "not registered under orders-value: $(cat "$WORK/sr.log")"
"$PY" "$ROOT/tests/smoke/consume_avro.py" "$BOOTSTRAP" orders "$SR" > "$WORK/gen.read" || fail "read-back: $(tail -3 "$WORK/gen.read")"
assert_eq "$(wc -l < "$WORK/gen.read")" 20 "records read back"
grep -q '"currency": "EUR", "id": 7, .*"note": null, "placed_at": "2026-12-03 10:00:00.007000+00:00"' "$WORK/gen.read" \
  || fail "record 7 decoded wrong: $(grep '"id": 7,' "$WORK/gen.read")"

# 1b. no --value: random records valid for the schema, repeatable with --seed (recursion, logical types)
cat > "$WORK/node.avsc" <<'AVSC'
{"type":"record","name":"Node","namespace":"t","fields":[
 {"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":6,"scale":2}},
 {"name":"id","type":{"type":"string","logicalType":"uuid"}},
 {"name":"day","type":{"type":"int","logicalType":"date"}},
 {"name":"tag","type":{"type":"fixed","name":"Tag","size":4}},
 {"name":"scores","type":{"type":"map","values":"double"}},
 {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["A","B"]}},
 {"name":"next","type":["null","Node"]}]}
AVSC
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t random -n 25 --seed 42 --value-schema "$WORK/node.avsc" -q > /dev/null
assert_eq "$?" 0 "random records exit"
"$PY" "$ROOT/tests/smoke/consume_avro.py" "$BOOTSTRAP" random "$SR" > "$WORK/random.read" || fail "random read-back: $(tail -3 "$WORK/random.read")"
assert_eq "$(wc -l < "$WORK/random.read")" 25 "random records read back"
a=$("$EMIT" --dry-run --schema-registry "$SR" -t random -n 3 --seed 42 --value-schema "$WORK/node.avsc" 2>/dev/null)
b=$("$EMIT" --dry-run --schema-registry "$SR" -t random -n 3 --seed 42 --value-schema "$WORK/node.avsc" 2>/dev/null)
[ -n "$a" ] && [ "$a" = "$b" ] || fail "--seed does not repeat the random records"

# 2. lines mode as kafka-avro-console-producer reads it: --property lines, Avro's JSON encoding (wrapped unions)
printf '%s\n' '{"id":1,"amount":5,"currency":"USD","placed_at":0,"note":{"string":"gift"}}' \
  '{"id":2,"amount":6,"currency":"GBP","placed_at":1,"note":null}' > "$WORK/lines.json"
"$EMIT" -b "$BOOTSTRAP" -t lines --property "schema.registry.url=$SR" --property "value.schema=$(tr -d '\n' < "$SCHEMA")" \
  -i "$WORK/lines.json" -q > /dev/null; assert_eq "$?" 0 "console-producer style exit"
"$PY" "$ROOT/tests/smoke/consume_avro.py" "$BOOTSTRAP" lines "$SR" | sort > "$WORK/lines.read" || fail "lines read-back"
grep -q '"note": "gift"' "$WORK/lines.read" || fail "wrapped union: $(cat "$WORK/lines.read")"
assert_eq "$(wc -l < "$WORK/lines.read")" 2 "lines read back"

# 3. key and value schemas, the key from a subject registered above (by id) — and a JSON envelope input
KEYSCHEMA='{"type":"record","name":"OrderKey","namespace":"com.example.shop","fields":[{"name":"id","type":"long"}]}'
echo "$KEYSCHEMA" > "$WORK/key.avsc"
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t keyed -n 5 --key-schema "$WORK/key.avsc" --key '{"id":{i}}' \
  --value-subject orders-value --value '{"id":{i},"amount":3}' -q > /dev/null; assert_eq "$?" 0 "key+value exit"
"$PY" "$ROOT/tests/smoke/consume_avro.py" "$BOOTSTRAP" keyed "$SR" > "$WORK/keyed.read" || fail "keyed read-back"
grep -q '^{"id": 4} {"amount": 3, "currency": "EUR", "id": 4,' "$WORK/keyed.read" || fail "keyed: $(cat "$WORK/keyed.read")"
printf '%s\n' '{"key":null,"payload":"{\"id\":9,\"amount\":1}"}' '{"key":"k","payload":{"id":10,"amount":2}}' \
  | "$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t env --value-schema-id 1 -i - --input-format json -q > /dev/null
assert_eq "$?" 0 "envelope exit"
"$PY" "$ROOT/tests/smoke/consume_avro.py" "$BOOTSTRAP" env "$SR" > "$WORK/env.read" || fail "env read-back"
grep -q '"id": 10' "$WORK/env.read" || fail "envelope payload: $(cat "$WORK/env.read")"

# 4. transactions: read_committed readers see every record
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t tx -n 30 --transactional-id avro-tx --transaction-records 10 \
  --value-schema "$SCHEMA" --value '{"id":{i},"amount":1}' -q > /dev/null; assert_eq "$?" 0 "transactions exit"
"$PY" "$ROOT/tests/smoke/consume_avro.py" "$BOOTSTRAP" tx "$SR" read_committed > "$WORK/tx.read" || fail "tx read-back"
assert_eq "$(wc -l < "$WORK/tx.read")" 30 "committed records"

# 5. dry run: the JSON, the real id and the encoded size; -o json carries the bytes
"$EMIT" --dry-run --schema-registry "$SR" -t orders -n 1 --value-schema "$SCHEMA" --value '{"id":5,"amount":7}' > "$WORK/dry.txt" 2>/dev/null
grep -q 'value="{\\"id\\":5,\\"amount\\":7}" (schema-id=1 encoded-bytes=10)' "$WORK/dry.txt" || fail "dry run: $(cat "$WORK/dry.txt")"
"$EMIT" --dry-run -o json --schema-registry "$SR" -t orders -n 1 --value-schema "$SCHEMA" --value '{"id":5,"amount":7}' 2>/dev/null \
  | grep -q '"value_schema_id":1,"value_encoded":"AAAAAAEKDgAAAA=="' || fail "dry run json"

# 6. JSON that does not fit: 65 naming the path, or a failed line with --continue-on-error
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t orders -n 3 --value-schema "$SCHEMA" --value '{"id":{i},"amount":"x"}' > "$WORK/bad.out" 2> "$WORK/bad.err"
assert_eq "$?" 65 "misfit exit"
grep -q 'record 1: the value does not fit its schema (id 1): \$.amount: expected int, got "x"' "$WORK/bad.err" || fail "misfit message: $(cat "$WORK/bad.err")"
printf '%s\n' '{"id":1,"amount":3000000000}' '{"id":2,"amount":1}' '{"id":3,"amount":1,"extra":true}' > "$WORK/mixed.json"
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t orders -i "$WORK/mixed.json" --value-schema "$SCHEMA" \
  --continue-on-error > "$WORK/cont.out" 2>/dev/null; rc=$?
assert_eq "$rc" 1 "continue-on-error exit"
grep -q '^failed .*3000000000 does not fit an int' "$WORK/cont.out" || fail "int range: $(cat "$WORK/cont.out")"
grep -q '^failed .*unknown field: record .*has no field .*extra' "$WORK/cont.out" || fail "unknown field: $(cat "$WORK/cont.out")"
assert_eq "$(grep -c '^delivered' "$WORK/cont.out")" 1 "the record that fits"

# 7. registry errors: not found 66, no registry 69, bad credentials 77, invalid schema 65, usage 64
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t orders -n 1 --value-subject nope-value 2> "$WORK/e66"; assert_eq "$?" 66 "unknown subject"
grep -q "nope-value" "$WORK/e66" || fail "66 message: $(cat "$WORK/e66")"
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t orders -n 1 --value-schema-id 999 2> "$WORK/e66b"; assert_eq "$?" 66 "unknown id"
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t orders -n 1 --value-schema "$SCHEMA" --no-auto-register --value-subject other 2> "$WORK/e66c"
assert_eq "$?" 66 "not registered, no auto-register"
dead=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$EMIT" -b "$BOOTSTRAP" --schema-registry "http://127.0.0.1:$dead" -t orders -n 1 --value-schema "$SCHEMA" 2> "$WORK/e69"; assert_eq "$?" 69 "registry down"
grep -q "127.0.0.1:$dead" "$WORK/e69" || fail "69 message: $(cat "$WORK/e69")"
# failover: the dead URL first, then the live one
"$EMIT" -b "$BOOTSTRAP" --schema-registry "http://127.0.0.1:$dead,$SR" -t orders -n 1 --value-schema "$SCHEMA" --value '{"id":1,"amount":2}' -q > /dev/null
assert_eq "$?" 0 "failover to the second URL"
echo '{"type":"record","name":"Broken","fields":[{"name":"x","type":"nosuchtype"}]}' > "$WORK/broken.avsc"
"$EMIT" --dry-run --schema-registry "$SR" -t orders -n 1 --value-schema "$WORK/broken.avsc" --value-schema-id 1 2> "$WORK/e65"
assert_eq "$?" 65 "invalid schema"
grep -q 'unknown type "nosuchtype"' "$WORK/e65" || fail "65 message: $(cat "$WORK/e65")"
"$EMIT" -b "$BOOTSTRAP" -t orders -n 1 --value-schema "$SCHEMA" 2> "$WORK/e64"; assert_eq "$?" 64 "no registry URL"
grep -q 'schema-registry' "$WORK/e64" || fail "64 message: $(cat "$WORK/e64")"
SR_OPEN=$SR
start_registry --basic user:s3cret-pw
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t orders -n 1 --value-schema "$SCHEMA" \
  --registry-property basic.auth.user.info=user:wrong-pw 2> "$WORK/e77"; assert_eq "$?" 77 "refused credentials"
! grep -q 'wrong-pw' "$WORK/e77" || fail "the password was printed: $(cat "$WORK/e77")"
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t orders -n 1 --value-schema "$SCHEMA" --value '{"id":1,"amount":2}' -q \
  --registry-property basic.auth.user.info=user:s3cret-pw > /dev/null; assert_eq "$?" 0 "basic auth accepted"
exit 0
