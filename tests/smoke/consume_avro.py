"""Reads a topic of Avro records in Confluent's wire format with independent decoders and
prints one line per record, "KEY_JSON VALUE_JSON" (sorted keys), in partition order:
confluent-kafka's AvroDeserializer (schema fetched from the registry by the record's id) and,
for every value, fastavro's schemaless reader on the body must agree, and confluent-kafka's
AvroSerializer must produce the very same bytes for the decoded datum.
usage: consume_avro.py BOOTSTRAP TOPIC REGISTRY_URL [read_committed]"""
import io
import json
import sys

import fastavro
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import SerializationContext, MessageField

import topic_reader  # tests/smoke/topic_reader.py

bootstrap, topic, registry_url = sys.argv[1], sys.argv[2], sys.argv[3]
isolation = sys.argv[4] if len(sys.argv) > 4 else "read_uncommitted"
sr = SchemaRegistryClient({"url": registry_url})
deserializer = AvroDeserializer(sr)


def check(raw, field):
    if raw is None:
        return None
    assert raw[0] == 0, f"magic byte {raw[0]}"
    schema_id = int.from_bytes(raw[1:5], "big")
    schema = sr.get_schema(schema_id)
    datum = deserializer(raw, SerializationContext(topic, field))
    parsed = fastavro.parse_schema(json.loads(schema.schema_str))
    other = fastavro.schemaless_reader(io.BytesIO(raw[5:]), parsed, None)
    assert other == datum, f"fastavro read {other!r}, confluent {datum!r}"
    # Confluent's serializer, registering the same schema text under this topic's subject
    # (the registry gives the same id to the same schema under any subject).
    again = AvroSerializer(sr, schema.schema_str, conf={"auto.register.schemas": True})
    same = again(datum, SerializationContext(topic, field))
    assert same == raw, f"AvroSerializer wrote {same.hex()}, kafka-emit {raw.hex()}"
    return datum


out = []
for m in topic_reader.messages(bootstrap, topic, isolation):
    key = check(m.key(), MessageField.KEY) if m.key() is not None and m.key()[:1] == b"\0" else (m.key() or b"").decode()
    value = check(m.value(), MessageField.VALUE)
    out.append(json.dumps(key, sort_keys=True, default=str) + " " + json.dumps(value, sort_keys=True, default=str))
print("\n".join(out))
