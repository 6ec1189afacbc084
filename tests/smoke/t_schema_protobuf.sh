# Protobuf through the Schema Registry (SPEC §2b), proved by independent decoders: the registry
# stand-in (tests/registry/stand_in.py: ?format=serialized through protoc), the broker, and
# confluent-kafka's ProtobufDeserializer, `protoc --decode` and the protobuf package's own
# serializer reading back (tests/smoke/consume_protobuf.py). A .proto file, a descriptor set with
# a nested message (message indexes), a schema by id; misfits and a missing protoc.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v protoc >/dev/null || fail "protoc is missing (scripts/ensure-deps.sh installs protobuf-compiler)"
PY=$("$ROOT/scripts/test-python.sh") || fail "cannot set up the Python test helpers"
start_mock --topic orders:3 --topic lines:2 --topic byid:1 --topic bad:1 --topic priced:1
start_registry
PROTO="$ROOT/examples/schemas/order.proto"
protoc --include_imports -o "$WORK/order.desc" -I "$ROOT/examples/schemas" order.proto || fail "protoc -o"
read_back() { # TOPIC MESSAGE
  "$PY" "$ROOT/tests/smoke/consume_protobuf.py" "$BOOTSTRAP" "$1" "$SR" "$WORK/order.desc" "$PROTO" "$2"
}

# 1. generate mode from the .proto (registered as its text), paced: JSON names, an enum by name,
#    a Timestamp, zero values left out
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t orders --every 10ms --count 20 --value-schema "$PROTO" \
  --value '{"id":{i},"amount":{i},"currency":"GBP","placedAt":"2026-12-03T10:00:00.{i:3}Z"}' > "$WORK/gen.out" 2> "$WORK/gen.err"
assert_eq "$?" 0 "generate exit"
assert_eq "$(grep -c '^delivered topic=orders' "$WORK/gen.out")" 20 "generate delivered"
assert_eq "$(grep -c '' "$WORK/sr.log")" 1 "registry requests"
grep -q '^POST /subjects/orders-value/versions 200' "$WORK/sr.log" || fail "not registered under orders-value: $(cat "$WORK/sr.log")"
read_back orders com.example.shop.Order > "$WORK/gen.read" 2> "$WORK/gen.read.err" || fail "read-back: $(tail -3 "$WORK/gen.read.err")"
assert_eq "$(wc -l < "$WORK/gen.read")" 20 "records read back"
grep -q '^7 {"amount": 7, "currency": "GBP", "id": "7", "placed_at": "2026-12-03T10:00:00.007Z"}$' "$WORK/gen.read" \
  || fail "record 7 decoded wrong: $(grep '^7 ' "$WORK/gen.read")"
# record 0: every field at its zero value, so an empty body
grep -q '^0 {"currency": "GBP", "placed_at": "2026-12-03T10:00:00Z"}$' "$WORK/gen.read" || fail "record 0: $(grep '^0 ' "$WORK/gen.read")"

# 2. lines mode from a descriptor set (registered as its base64 FileDescriptorProto), the nested
#    message Order.Line: message indexes [0, 0]; original field names work too
printf '%s\n' '{"sku":"A-1","quantity":2}' '{"sku":"B-2"}' '{"quantity":"3"}' > "$WORK/lines.json"
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t lines -K '|' --value-schema "$WORK/order.desc" --value-message Order.Line \
  -i "$WORK/lines.json" -q > /dev/null; assert_eq "$?" 0 "lines exit"
read_back lines com.example.shop.Order.Line | sort > "$WORK/lines.read" 2> "$WORK/lines.err" || fail "lines read-back: $(tail -3 "$WORK/lines.err")"
assert_eq "$(wc -l < "$WORK/lines.read")" 3 "lines read back"
grep -q '{"quantity": 2, "sku": "A-1"}' "$WORK/lines.read" || fail "lines: $(cat "$WORK/lines.read")"
grep -q '{"quantity": 3}' "$WORK/lines.read" || fail "lines: $(cat "$WORK/lines.read")"
grep -q '^POST /subjects/lines-value/versions 200' "$WORK/sr.log" || fail "lines not registered: $(cat "$WORK/sr.log")"

# 3. a schema by id only: the descriptor comes from the registry (?format=serialized)
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t byid -n 3 --value-schema-id 1 --value '{"id":"{i}","note":"by id"}' -q > /dev/null
assert_eq "$?" 0 "by id exit"
grep -q '^GET /schemas/ids/1?format=serialized 200' "$WORK/sr.log" || fail "serialized not asked: $(cat "$WORK/sr.log")"
read_back byid com.example.shop.Order > "$WORK/byid.read" 2> "$WORK/byid.err" || fail "by id read-back: $(tail -3 "$WORK/byid.err")"
grep -q '^2 {"id": "2", "note": "by id"}$' "$WORK/byid.read" || fail "by id: $(cat "$WORK/byid.read")"

# 4. dry run: the id and the encoded bytes (frame, indexes [0] as one 0 byte, id=5, amount=7)
"$EMIT" --dry-run -o json --schema-registry "$SR" -t orders -n 1 --value-schema "$PROTO" --value '{"id":5,"amount":7}' 2>/dev/null \
  | grep -q '"value_schema_id":1,"value_encoded":"AAAAAAEACAUQBw=="' || fail "dry run json"

# kafka-protobuf-console-producer's --property lines: inline .proto text is Protobuf
"$EMIT" --dry-run -o json -t orders -n 1 --property "schema.registry.url=$SR" --property value.schema.id=9 \
  --property 'value.schema=syntax = "proto3"; message M { string s = 1; }' --value '{"s":"x"}' 2>/dev/null \
  | grep -q '"value_schema_id":9,"value_encoded":"AAAAAAkACgF4"' || fail "console producer properties"

# 5. JSON that does not fit: 65 naming the path; --continue-on-error: failed lines
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t bad -n 3 --value-schema "$PROTO" --value '{"id":{i},"placedAt":"yesterday"}' > "$WORK/bad.out" 2> "$WORK/bad.err"
assert_eq "$?" 65 "misfit exit"
grep -q 'record 1: the value does not fit its schema (id 1): \$.placedAt: expected a Timestamp' "$WORK/bad.err" || fail "misfit message: $(cat "$WORK/bad.err")"
printf '%s\n' '{"id":1,"amount":3000000000}' '{"id":2}' '{"id":3,"extra":true}' '{"id":4,"currency":"YEN"}' > "$WORK/mixed.json"
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t bad -i "$WORK/mixed.json" --value-schema "$PROTO" --continue-on-error > "$WORK/cont.out" 2>/dev/null
assert_eq "$?" 1 "continue-on-error exit"
grep -q '^failed .*\$.amount: 3000000000 does not fit a int32' "$WORK/cont.out" || fail "int range: $(cat "$WORK/cont.out")"
grep -q '^failed .*\$.extra: unknown field: message com.example.shop.Order has no field' "$WORK/cont.out" || fail "unknown field: $(cat "$WORK/cont.out")"
grep -q '^failed .*\$.currency: .*YEN.* is not a value of enum com.example.shop.Currency' "$WORK/cont.out" || fail "enum: $(cat "$WORK/cont.out")"
assert_eq "$(grep -c '^delivered' "$WORK/cont.out")" 1 "the record that fits"

# 6. schema errors: no such message 64, protoc refuses the file 65, no protoc 64 (naming the package)
"$EMIT" --dry-run -t orders -n 1 --value-schema "$PROTO" --value-schema-id 1 --value-message Nope 2> "$WORK/e64"
assert_eq "$?" 64 "unknown message"
grep -q 'no message Nope in order.proto (its messages: com.example.shop.Order, com.example.shop.Order.Line)' "$WORK/e64" || fail "64: $(cat "$WORK/e64")"
printf 'syntax = "proto3";\nmessage A { int32 x = 1 }\n' > "$WORK/broken.proto"
"$EMIT" --dry-run -t orders -n 1 --value-schema "$WORK/broken.proto" --value-schema-id 1 2> "$WORK/e65"
assert_eq "$?" 65 "protoc refuses"
grep -q 'protoc refused the schema: broken.proto:2:' "$WORK/e65" || fail "65: $(cat "$WORK/e65")"
PATH=/nonexistent "$EMIT" --dry-run -t orders -n 1 --value-schema "$PROTO" --value-schema-id 1 2> "$WORK/e64b"
assert_eq "$?" 64 "no protoc"
grep -q 'needs protoc on PATH (Debian/Ubuntu: apt-get install protobuf-compiler)' "$WORK/e64b" || fail "no protoc: $(cat "$WORK/e64b")"
# references: a registered schema that imports another registered schema (Confluent's
# "references"): by id, its descriptors and those it imports are fetched (?format=serialized)
mkdir -p "$WORK/ref"
printf '%s\n' 'syntax = "proto3";' 'package com.example.common;' 'message Money { int64 units = 1; string currency = 2; }' > "$WORK/ref/common.proto"
printf '%s\n' 'syntax = "proto3";' 'package com.example.shop;' 'import "common.proto";' \
  'message Priced { int64 id = 1; com.example.common.Money price = 2; }' > "$WORK/ref/priced.proto"
PRICED_ID=$("$PY" - "$SR" "$WORK/ref" <<'PYREF'
import json, sys, urllib.request
sr, d = sys.argv[1], sys.argv[2]
def post(path, body):
    req = urllib.request.Request(sr + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/vnd.schemaregistry.v1+json"})
    return json.load(urllib.request.urlopen(req))
post("/subjects/common.proto/versions", {"schema": open(d + "/common.proto").read(), "schemaType": "PROTOBUF"})
print(post("/subjects/priced-value/versions", {"schema": open(d + "/priced.proto").read(), "schemaType": "PROTOBUF",
      "references": [{"name": "common.proto", "subject": "common.proto", "version": 1}]})["id"])
PYREF
) || fail "registering the schemas with references"
"$EMIT" -b "$BOOTSTRAP" --schema-registry "$SR" -t priced -n 3 --value-schema-id "$PRICED_ID" \
  --value '{"id":{i},"price":{"units":1{i},"currency":"EUR"}}' -q > /dev/null; assert_eq "$?" 0 "references exit"
protoc --include_imports -o "$WORK/priced.desc" -I "$WORK/ref" priced.proto || fail "protoc -o priced"
"$PY" "$ROOT/tests/smoke/consume_protobuf.py" "$BOOTSTRAP" priced "$SR" "$WORK/priced.desc" "$WORK/ref/priced.proto" com.example.shop.Priced \
  > "$WORK/priced.read" 2> "$WORK/priced.err" || fail "references read-back: $(tail -3 "$WORK/priced.err")"
grep -q '^2 {"id": "2", "price": {"currency": "EUR", "units": "12"}}$' "$WORK/priced.read" || fail "references: $(cat "$WORK/priced.read")"
exit 0
