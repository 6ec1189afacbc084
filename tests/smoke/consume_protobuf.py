"""Reads a topic of Protobuf records in Confluent's wire format with independent decoders and
prints one line per record, "KEY VALUE_JSON" (json_format, original field names, sorted keys),
in partition order. For each value: the message indexes must be MESSAGE's path in the
registry's schema (confluent-kafka's _create_index_array), confluent-kafka's
ProtobufDeserializer (schema fetched by id with ?format=serialized) and `protoc --decode` on the
body must agree, and the protobuf package must write the very same body for the decoded message.
The message class is built at run time from DESC (protoc -o DESC --include_imports X.proto).
usage: consume_protobuf.py BOOTSTRAP TOPIC REGISTRY_URL DESC PROTO MESSAGE"""
import base64
import os
import subprocess
import sys

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.common.protobuf import _create_index_array
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer
from confluent_kafka.serialization import SerializationContext, MessageField
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory, text_format

import topic_reader  # tests/smoke/topic_reader.py

bootstrap, topic, registry_url, desc_path, proto_path, message = sys.argv[1:7]
fds = descriptor_pb2.FileDescriptorSet.FromString(open(desc_path, "rb").read())
pool = descriptor_pool.DescriptorPool()
for f in fds.file:
    pool.Add(f)
desc = pool.FindMessageTypeByName(message)
cls = message_factory.GetMessageClass(desc)
want_indexes = _create_index_array(desc)
sr = SchemaRegistryClient({"url": registry_url})
deserializer = ProtobufDeserializer(cls, {}, sr)


def varint(data, pos):
    value, shift = 0, 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7


def zigzag(v):
    return (v >> 1) ^ -(v & 1)


def check(raw, field):
    assert raw[0] == 0, f"magic byte {raw[0]}"
    schema_id = int.from_bytes(raw[1:5], "big")
    n, pos = varint(raw, 5)
    n = zigzag(n)
    indexes = [0] if n == 0 else []
    for _ in range(n):
        v, pos = varint(raw, pos)
        indexes.append(zigzag(v))
    assert indexes == want_indexes, f"message indexes {indexes}, want {want_indexes} for {message}"
    # The registry's descriptor has the message at that path too.
    fd = descriptor_pb2.FileDescriptorProto.FromString(base64.b64decode(sr.get_schema(schema_id, fmt="serialized").schema_str))
    node = fd.message_type[indexes[0]]
    for k in indexes[1:]:
        node = node.nested_type[k]
    assert node.name == desc.name, f"the registry's schema has {node.name} at {indexes}, want {desc.name}"
    msg = deserializer(raw, SerializationContext(topic, field))
    body = raw[pos:]
    decoded = subprocess.run(["protoc", "--decode=" + message, "-I", os.path.dirname(proto_path), os.path.basename(proto_path)],
                             input=body, capture_output=True, check=True).stdout
    other = text_format.Parse(decoded.decode(), cls())
    assert other == msg, f"protoc --decode read {other}, confluent {msg}"
    again = msg.SerializeToString(deterministic=True)
    assert again == body, f"protobuf writes {again.hex()}, kafka-emit {body.hex()}"
    return json_format.MessageToJson(msg, preserving_proto_field_name=True, sort_keys=True, indent=None)


out = []
for m in topic_reader.messages(bootstrap, topic):
    out.append((m.key() or b"").decode() + " " + check(m.value(), MessageField.VALUE))
print("\n".join(out))
