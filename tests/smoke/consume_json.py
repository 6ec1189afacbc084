"""Reads a topic of JSON Schema records in Confluent's wire format and prints one line per
record, "KEY VALUE_JSON" (sorted keys), in partition order: confluent-kafka's JSONDeserializer
fetches the schema by the record's id from the registry and validates the value with jsonschema
(so a record kafka-emit let through that does not fit fails here), and the body must be the
compact JSON (no whitespace outside strings) kafka-emit promises.
usage: consume_json.py BOOTSTRAP TOPIC REGISTRY_URL"""
import json
import sys

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.json_schema import JSONDeserializer
from confluent_kafka.serialization import SerializationContext, MessageField

import topic_reader  # tests/smoke/topic_reader.py

bootstrap, topic, registry_url = sys.argv[1], sys.argv[2], sys.argv[3]
sr = SchemaRegistryClient({"url": registry_url})
deserializer = JSONDeserializer(None, schema_registry_client=sr)


def compact(raw):
    """Whether the JSON text has no whitespace outside its strings."""
    inside = escaped = False
    for ch in raw.decode():
        if inside:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                inside = False
        elif ch == '"':
            inside = True
        elif ch in " \t\r\n":
            return False
    return True


def check(raw, field):
    assert raw[0] == 0, f"magic byte {raw[0]}"
    assert compact(raw[5:]), f"not compact: {raw[5:]!r}"
    return deserializer(raw, SerializationContext(topic, field))


out = []
for m in topic_reader.messages(bootstrap, topic):
    key = (m.key() or b"").decode()
    value = check(m.value(), MessageField.VALUE)
    out.append(key + " " + json.dumps(value, sort_keys=True))
print("\n".join(out))
