#!/usr/bin/env python3
"""Makes corpus.json, the Protobuf encoder's unit-test corpus (Tests/KafkaEmitTests/
ProtobufTests.swift): corpus.proto (proto3) and corpus2.proto (proto2) compiled with protoc into
descriptor sets, then each case's JSON read by the protobuf package's json_format.Parse (the
proto3 JSON mapping's reference reader) and written by SerializeToString(deterministic=True):
the bytes kafka-emit must write, or "error" when Parse (or serialising) refuses the JSON. Map
cases give their keys in the order deterministic serialisation writes them (kafka-emit writes
the JSON's order; upb sorts string keys up and integer and bool keys down). Where kafka-emit is stricter than json_format (which skips
non-base64 characters and takes `[]` for a message) the unit tests say so on their own. Also each message's Confluent message-index bytes, as
confluent-kafka's ProtobufSerializer frames them.
usage: .build/test-venv/bin/python tests/protobuf/make_corpus.py   (writes tests/protobuf/corpus.json)"""
import base64
import io
import json
import os
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from confluent_kafka.schema_registry.common.protobuf import _create_index_array
from confluent_kafka.schema_registry._sync.protobuf import ProtobufSerializer

HERE = os.path.dirname(os.path.abspath(__file__))


def compile_set(name):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "set.desc")
        subprocess.run(["protoc", "--include_imports", "--descriptor_set_out=" + out, "-I", HERE, name], check=True)
        return open(out, "rb").read()


def pool_of(data):
    fds = descriptor_pb2.FileDescriptorSet.FromString(data)
    pool = descriptor_pool.DescriptorPool()
    for f in fds.file:
        pool.Add(f)
    return pool


SETS = {"proto3": "corpus.proto", "proto2": "corpus2.proto"}
P3, P2 = "kafkaemit.test.", "kafkaemit.test2."
CASES = [
    # scalars: zero values skipped, JSON names and original names, 64-bit as strings, limits
    (P3 + "Scalars", '{}'),
    (P3 + "Scalars", '{"i32":0,"i64":"0","s":"","b":false,"cur":"CURRENCY_UNSPECIFIED","by":""}'),
    (P3 + "Scalars", '{"i32":1,"i64":-2,"u32":3,"u64":"18446744073709551615","s32":-5,"s64":"-9223372036854775808"}'),
    (P3 + "Scalars", '{"i32":-1}'),
    (P3 + "Scalars", '{"i32":2147483647,"u32":4294967295,"sf32":-2147483648,"sf64":"9223372036854775807"}'),
    (P3 + "Scalars", '{"f32":1,"f64":"2","fl":1.5,"db":-0.1,"b":true,"s":"h\\u00e9llo \\"q\\" \\ud83d\\ude00"}'),
    (P3 + "Scalars", '{"fl":"NaN","db":"-Infinity"}'),
    (P3 + "Scalars", '{"fl":"Infinity","db":"1.25"}'),
    (P3 + "Scalars", '{"db":-0.0}'),
    (P3 + "Scalars", '{"by":"AAEC/w=="}'),
    (P3 + "Scalars", '{"by":"_-8"}'),
    (P3 + "Scalars", '{"cur":"USD"}'),
    (P3 + "Scalars", '{"cur":2}'),
    (P3 + "Scalars", '{"cur":7}'),
    (P3 + "Scalars", '{"snakeCaseName":"a"}'),
    (P3 + "Scalars", '{"snake_case_name":"b"}'),
    (P3 + "Scalars", '{"opt":0}'),
    (P3 + "Scalars", '{"opt":5,"bigNumber":1}'),
    (P3 + "Scalars", '{"i32":1.0,"i64":1e3}'),
    (P3 + "Scalars", '{"i32":"12"}'),
    (P3 + "Scalars", '{"i32":null,"s":null}'),
    (P3 + "Scalars", '{"i32":2147483648}'),
    (P3 + "Scalars", '{"u32":-1}'),
    (P3 + "Scalars", '{"i32":1.5}'),
    (P3 + "Scalars", '{"i32":"x"}'),
    (P3 + "Scalars", '{"fl":1e39}'),
    (P3 + "Scalars", '{"b":"true"}'),
    (P3 + "Scalars", '{"s":1}'),
    (P3 + "Scalars", '{"cur":"YEN"}'),
    (P3 + "Scalars", '{"nope":1}'),
    # repeated: packed scalars, strings and messages one by one, empty lists
    (P3 + "Repeated", '{"ints":[1,-1,300],"sints":[-1,"2"],"dbls":[0.5,0],"strs":["a","","c"]}'),
    (P3 + "Repeated", '{"blobs":["AA==",""],"curs":["EUR",0,"GBP"],"msgs":[{"i32":1},{}],"unpacked":[1,2],"fx":[7],"bools":[true,false]}'),
    (P3 + "Repeated", '{"ints":[],"msgs":[]}'),
    (P3 + "Repeated", '{"ints":[1,"a"]}'),
    (P3 + "Repeated", '{"ints":3}'),
    (P3 + "Repeated", '{"msgs":[{"i32":"z"}]}'),
    # maps
    (P3 + "Maps", '{"counts":{"a":1,"b":0}}'),
    (P3 + "Maps", '{"names":{"-5":"minus","7":""}}'),
    (P3 + "Maps", '{"flags":{"true":{"s":"x"},"false":{}}}'),
    (P3 + "Maps", '{"curs":{"2":0,"1":"EUR"}}'),
    (P3 + "Maps", '{"times":{"t":"2026-12-03T10:00:00Z"}}'),
    (P3 + "Maps", '{"blobs":{"-1":"AQI="}}'),
    (P3 + "Maps", '{"names":{"x":"y"}}'),
    (P3 + "Maps", '{"flags":{"yes":{}}}'),
    (P3 + "Maps", '{"counts":{"a":null}}'),
    # oneof: one member, zero values still written, two members refused
    (P3 + "Choice", '{"text":"","other":"o"}'),
    (P3 + "Choice", '{"number":0}'),
    (P3 + "Choice", '{"msg":{}}'),
    (P3 + "Choice", '{"text":"a","number":1}'),
    # well-known types
    (P3 + "WellKnown", '{"ts":"2026-12-03T10:00:00Z","dur":"1.5s"}'),
    (P3 + "WellKnown", '{"ts":"1970-01-01T00:00:00Z","dur":"0s"}'),
    (P3 + "WellKnown", '{"ts":"2026-12-03T10:00:00.123456789+01:30","dur":"-0.000001s"}'),
    (P3 + "WellKnown", '{"ts":"0001-01-01T00:00:00Z","dur":"-315576000000s"}'),
    (P3 + "WellKnown", '{"ts":"1969-12-31T23:59:59.5Z"}'),
    (P3 + "WellKnown", '{"i32":0,"i64":"5","u32":7,"u64":"18446744073709551615","fl":1.5,"db":2.5,"b":false,"s":"s","by":"AQ=="}'),
    (P3 + "WellKnown", '{"tss":["2026-01-01T00:00:00Z","2026-01-01T00:00:01.1Z"]}'),
    (P3 + "WellKnown", '{"ts":"2026-12-03 10:00:00Z"}'),
    (P3 + "WellKnown", '{"ts":12}'),
    (P3 + "WellKnown", '{"dur":"1.5"}'),
    (P3 + "WellKnown", '{"i32":"x"}'),
    # nesting: JSON order is not field order; recursion; bodies of 128 bytes or more
    (P3 + "Outer", '{"name":"n","inner":{"deep":{"x":"d"},"a":2}}'),
    (P3 + "Outer", '{"child":{"child":{"name":"leaf"}},"inners":[{"a":1},{"deep":{}}]}'),
    (P3 + "Outer", '{"child":{"longText":"' + "x" * 200 + '","inner":{"deep":{"x":"' + "y" * 300 + '"}}}}'),
    (P3 + "Outer", '{"inner":{"deep":{"x":1}}}'),
    (P3 + "Outer.Inner", '{"a":3}'),
    (P3 + "Outer.Inner.Deep", '{"x":"z"}'),
    # proto2: explicit presence, required, closed enums, unpacked unless asked
    (P2 + "Legacy", '{"id":0,"name":"","count":"0","kind":"A","flag":false}'),
    (P2 + "Legacy", '{"id":1,"plain":[1,2],"packed":[3,4]}'),
    (P2 + "Legacy", '{"name":"no id"}'),
    (P2 + "Legacy", '{"id":1,"kind":9}'),
    (P2 + "Legacy", '{"id":1,"kind":2}'),
]


def main():
    sets = {k: compile_set(v) for k, v in SETS.items()}
    pools = {k: pool_of(v) for k, v in sets.items()}
    cases = []
    for name, text in CASES:
        which = "proto2" if name.startswith(P2) else "proto3"
        cls = message_factory.GetMessageClass(pools[which].FindMessageTypeByName(name))
        case = {"set": which, "message": name, "json": text}
        try:
            msg = json_format.Parse(text, cls())
            case["hex"] = msg.SerializeToString(deterministic=True).hex()
        except Exception as e:  # json_format.ParseError, EncodeError (a required field missing)
            case["error"] = type(e).__name__ + ": " + str(e)[:120]
        cases.append(case)
    indexes = []
    for which in sets:
        pool = pools[which]
        fds = descriptor_pb2.FileDescriptorSet.FromString(sets[which])
        main_file = pool.FindFileByName(fds.file[-1].name)

        def walk(desc):
            if desc.GetOptions().map_entry:
                return
            buf = io.BytesIO()
            ProtobufSerializer._encode_varints(buf, _create_index_array(desc))
            indexes.append({"set": which, "message": desc.full_name, "hex": buf.getvalue().hex()})
            for n in desc.nested_types:
                walk(n)
        for d in main_file.message_types_by_name.values():
            walk(d)
    corpus = {"sets": {k: base64.b64encode(v).decode() for k, v in sets.items()}, "cases": cases, "indexes": indexes}
    with open(os.path.join(HERE, "corpus.json"), "w") as f:
        json.dump(corpus, f, indent=1)
        f.write("\n")
    print(f"{len(cases)} cases ({sum('error' in c for c in cases)} refused), {len(indexes)} index lists", file=sys.stderr)


if __name__ == "__main__":
    main()
