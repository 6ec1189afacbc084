#!/usr/bin/env bash
# Schema Registry serialization's cost (`make bench`, issue 20 point 8): N records of a
# 10-field order from one JSON template, each run against a fresh standalone mock cluster
# (3 brokers, topic "bench" with 3 partitions) and the registry stand-in, in interleaved rounds
# (the order rotates), every figure the median of ROUNDS runs:
#   json     the template's JSON sent as bytes (the baseline the ratios use)
#   avro     the same JSON encoded with an Avro schema (Confluent's framing)
#   protobuf the same JSON encoded with a Protobuf schema (proto3 JSON mapping)
#   jsonschema  the same JSON validated against a JSON Schema and sent compact (framed)
#   kcat     kcat -P sending the same JSON, pre-rendered, from a file (the anchor tool)
#   python   what a user would write instead: confluent-kafka's Producer with AvroSerializer
#            (N_PY records, its own rate)
# Usage: bench/schema.sh BIN_DIR.
# ROUNDS=3, QUICK=1 for smaller N. Writes bench/results/schema.md.
set -euo pipefail
BIN=$(cd "${1:?usage: bench/schema.sh BIN_DIR}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-3}
if [ "${QUICK:-0}" = 1 ]; then N=300000 N_PY=30000; else N=1000000 N_PY=100000; fi
OUT="$ROOT/bench/results/schema.md"
PY=$("$ROOT/scripts/test-python.sh")
command -v kcat >/dev/null || "$ROOT/scripts/ensure-deps.sh" kcat
WORK=$(mktemp -d)
MOCK_PID= SR_PID=
stop() { for p in $MOCK_PID $SR_PID; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; MOCK_PID= SR_PID=; }
trap 'stop; rm -rf "$WORK"' EXIT
start() {
  # The last round's files go first: a wait that saw the last round's bootstrap list or URL
  # (before the new redirections truncated them) sent a round to dead servers.
  rm -f "$WORK/ctl" "$WORK/mock.out" "$WORK/sr.url"; mkfifo "$WORK/ctl"; exec 8<>"$WORK/ctl"
  "$BIN/kafka-mock-cluster" --brokers 3 --topic bench:3 < "$WORK/ctl" > "$WORK/mock.out" 2>&1 8>&- &
  MOCK_PID=$!
  "$PY" "$ROOT/tests/registry/stand_in.py" --port 0 > "$WORK/sr.url" 2>/dev/null &
  SR_PID=$!
  for _ in $(seq 1 100); do [ -s "$WORK/mock.out" ] && [ -s "$WORK/sr.url" ] && break; sleep 0.05; done
  B=$(head -1 "$WORK/mock.out"); SR=$(head -1 "$WORK/sr.url")
}

SCHEMA="$WORK/order10.avsc"
cat > "$SCHEMA" <<'AVSC'
{"type":"record","name":"Order","namespace":"bench","fields":[
 {"name":"id","type":"long"},{"name":"customer","type":"string"},{"name":"amount","type":"int"},
 {"name":"price","type":"double"},{"name":"currency","type":{"type":"enum","name":"Currency","symbols":["EUR","USD","GBP"]}},
 {"name":"placed_at","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"express","type":"boolean"},
 {"name":"items","type":"int"},{"name":"note","type":["null","string"]},{"name":"region","type":"string"}]}
AVSC
JSCHEMA="$WORK/order10.json"
cat > "$JSCHEMA" <<'JSON'
{"$schema":"http://json-schema.org/draft-07/schema#","title":"Order","type":"object","additionalProperties":false,
 "required":["id","customer","amount","price","currency","placed_at","express","items","region"],
 "properties":{"id":{"type":"integer","minimum":0},"customer":{"type":"string","pattern":"^user-[0-9]+$"},
  "amount":{"type":"integer","minimum":0,"maximum":999},"price":{"type":"number"},"currency":{"enum":["EUR","USD","GBP"]},
  "placed_at":{"type":"integer"},"express":{"type":"boolean"},"items":{"type":"integer"},"note":{"type":["null","string"]},
  "region":{"type":"string","maxLength":32}}}
JSON
PSCHEMA="$WORK/order10.proto"
cat > "$PSCHEMA" <<'PROTO'
syntax = "proto3";
package bench;
enum Currency { EUR = 0; USD = 1; GBP = 2; }
message Order {
  int64 id = 1; string customer = 2; int32 amount = 3; double price = 4; Currency currency = 5;
  int64 placed_at = 6; bool express = 7; int32 items = 8; optional string note = 9; string region = 10;
}
PROTO
command -v protoc >/dev/null || "$ROOT/scripts/ensure-deps.sh" >&2
VALUE='{"id":{i},"customer":"user-{rand:10000}","amount":{rand:1000},"price":12.5,"currency":"EUR","placed_at":1764000000000,"express":false,"items":3,"note":null,"region":"eu-west-1"}'
# kcat's input: the same records, rendered once (not timed).
"$BIN/kafka-emit" --dry-run -t bench -n "$N" --value "$VALUE" --seed 1 -o json -q \
  | "$PY" -c 'import sys, json
for l in sys.stdin: sys.stdout.write(json.loads(l)["value"] + "\n")' > "$WORK/lines.json"

rate() { echo $(( $1 * 1000000000 / ($3 - $2) )); }
declare -A RATE
run_json() { local t0 t1; t0=$(date +%s%N); "$BIN/kafka-emit" -b "$B" -t bench -n "$N" --value "$VALUE" -o none -q; t1=$(date +%s%N); rate "$N" "$t0" "$t1"; }
run_avro() {
  local t0 t1; t0=$(date +%s%N)
  "$BIN/kafka-emit" -b "$B" -t bench -n "$N" --value "$VALUE" -o none -q --schema-registry "$SR" --value-schema "$SCHEMA"
  t1=$(date +%s%N); rate "$N" "$t0" "$t1"
}
run_jsonschema() {
  local t0 t1; t0=$(date +%s%N)
  "$BIN/kafka-emit" -b "$B" -t bench -n "$N" --value "$VALUE" -o none -q --schema-registry "$SR" --value-schema "$JSCHEMA"
  t1=$(date +%s%N); rate "$N" "$t0" "$t1"
}
run_protobuf() {
  local t0 t1; t0=$(date +%s%N)
  "$BIN/kafka-emit" -b "$B" -t bench -n "$N" --value "$VALUE" -o none -q --schema-registry "$SR" --value-schema "$PSCHEMA"
  t1=$(date +%s%N); rate "$N" "$t0" "$t1"
}
run_kcat() { local t0 t1; t0=$(date +%s%N); kcat -P -b "$B" -t bench -l "$WORK/lines.json"; t1=$(date +%s%N); rate "$N" "$t0" "$t1"; }
run_python() {
  "$PY" - "$B" "$SR" "$SCHEMA" "$N_PY" <<'PY'
import sys, time
from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import SerializationContext, MessageField
b, sr, schema, n = sys.argv[1], sys.argv[2], open(sys.argv[3]).read(), int(sys.argv[4])
ser = AvroSerializer(SchemaRegistryClient({"url": sr}), schema)
p = Producer({"bootstrap.servers": b, "linger.ms": 5})
ctx = SerializationContext("bench", MessageField.VALUE)
t0 = time.perf_counter()
for i in range(n):
    v = {"id": i, "customer": f"user-{i % 10000}", "amount": i % 1000, "price": 12.5, "currency": "EUR",
         "placed_at": 1764000000000, "express": False, "items": 3, "note": None, "region": "eu-west-1"}
    while True:
        try:
            p.produce("bench", key=str(i).encode(), value=ser(v, ctx)); break
        except BufferError:
            p.poll(0.01)
    p.poll(0)
p.flush()
print(int(n / (time.perf_counter() - t0)))
PY
}
median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ORDER=(json avro protobuf jsonschema kcat python)
for r in $(seq 1 "$ROUNDS"); do
  echo "bench/schema.sh: round $r of $ROUNDS" >&2
  for k in $(seq 0 $((${#ORDER[@]} - 1))); do
    name=${ORDER[$(( (k + r) % ${#ORDER[@]} ))]}
    start; RATE[$name]+="$(run_$name) "; stop
  done
done
json=$(median "${RATE[json]}"); avro=$(median "${RATE[avro]}"); js=$(median "${RATE[jsonschema]}"); pb=$(median "${RATE[protobuf]}"); kc=$(median "${RATE[kcat]}"); py=$(median "${RATE[python]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
  echo "# Schema Registry serialization (bench/schema.sh)"
  echo
  echo "$(date -u +%Y-%m-%d) · $N records of a 10-field order from one JSON template (Python: $N_PY) · median of $ROUNDS interleaved rounds · mock cluster 3 brokers × 3 partitions · $(nproc) cores"
  echo
  echo "| row | records/s | vs raw JSON | vs kcat |"
  echo "|---|---:|---:|---:|"
  echo "| kafka-emit, the JSON as bytes | $json | 1.00 | $(ratio "$json" "$kc") |"
  echo "| kafka-emit, Avro (registry, framing) | $avro | $(ratio "$avro" "$json") | $(ratio "$avro" "$kc") |"
  echo "| kafka-emit, Protobuf (registry, indexes, framing) | $pb | $(ratio "$pb" "$json") | $(ratio "$pb" "$kc") |"
  echo "| kafka-emit, JSON Schema (validated, compact, framing) | $js | $(ratio "$js" "$json") | $(ratio "$js" "$kc") |"
  echo "| kcat -P, the same JSON from a file | $kc | $(ratio "$kc" "$json") | 1.00 |"
  echo "| confluent-kafka Producer + AvroSerializer (Python) | $py | $(ratio "$py" "$json") | $(ratio "$py" "$kc") |"
  echo
  echo "Targets (issue 20): Avro ≥ 0.8× raw JSON: $(ratio "$avro" "$json"); Avro ≥ 10× the Python producer: $(ratio "$avro" "$py")×."
  echo "Runs: json ${RATE[json]}· avro ${RATE[avro]}· protobuf ${RATE[protobuf]}· jsonschema ${RATE[jsonschema]}· kcat ${RATE[kcat]}· python ${RATE[python]}"
} > "$OUT"
cat "$OUT"
