#!/usr/bin/env python3
"""Writes tests/avro/corpus.json: Avro encoding cases for kafka-emit's Swift encoder tests.

Run with the test venv: "$(scripts/test-python.sh)" tests/avro/make_corpus.py [--no-confluent]

Each valid case has the schema (JSON text), the JSON text kafka-emit receives ("input") and
the expected Avro binary body ("hex", no Confluent framing). The expected bytes are
fastavro.schemaless_writer's output for a Python datum written here by hand (union values as
fastavro's (branch name, value) tuples, so the branch is pinned, not guessed by fastavro).
Checks, all must pass or nothing is written:
  - "jw": the input is Avro's JSON encoding and equals fastavro.json_writer(datum) as JSON;
  - "jr": the input is Avro's JSON encoding with fields left out, and fastavro.json_reader
    (which fills defaults) reads it to a datum that encodes to the same bytes;
  - no check: natural JSON (SPEC §2b), whose reading is this file's decision, in the case's
    "form" and the top-level notes;
  - every valid case also goes through confluent-kafka's AvroSerializer against a
    tests/registry/stand_in.py process: its output minus the 5-byte framing must equal the
    fastavro bytes (or, where "hex" deliberately differs from fastavro, the case says why
    in "note" and the comparison is with fastavro's bytes). --no-confluent skips this.
Error cases carry "error" (the JSON path part of the message, e.g. "$.items[2].price: ") and
"reason" (a word the message must also contain); "fastavro" records whether fastavro's own
Avro-JSON reader + writer rejects the same input (information, not a requirement).
"""
import io
import json
import math
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from fastavro import parse_schema, schemaless_writer
from fastavro.json_read import json_reader
from fastavro.json_write import json_writer

HERE = Path(__file__).resolve().parent
OUT = HERE / "corpus.json"

NOTES = """\
Format: {"notes", "cases"}; a case is {"name", "schema", "input", "hex"} or {"name", "schema", "input", "error", "reason"}, plus optional "form" ("avro": Avro's JSON encoding, "natural": SPEC 2b's natural JSON, "both": the same text in either form), "note" and, for errors, "fastavro" ("rejects"/"accepts": what fastavro's Avro-JSON reader does with it). "hex" is the Avro binary body only (no magic byte, schema id or message indexes).
Error messages: kafka-emit's message must contain "error" (the JSON path, then ": ") and "reason". Paths: $ is the record's value, .name a record field or a map key, [i] an array index (from 0); a union adds nothing to the path.
Expected bytes come from fastavro 1.13.1 schemaless_writer and were checked against confluent-kafka 2.16.1's AvroSerializer (which calls fastavro) through tests/registry/stand_in.py, except where a case's "note" says otherwise.
Unknown fields (decided: rejected, error "$.field: " reason "unknown field"). What the references do: Apache Avro's Java JsonDecoder, which Confluent's console producers use (AvroSchemaUtils.toObject), rejects an unknown field that comes before a schema field ("Expected Unknown fields: [x]. Got ...") but skips one after the last schema field (AVRO-2034's skip to END_OBJECT, which is also wrong for an object-valued trailing field), and it does not fill defaults ("Expected field name not found: x"); fastavro's json_reader ignores unknown fields anywhere and fills defaults. kafka-emit fills defaults (SPEC 2b) and rejects unknown fields wherever they are: a record that is silently cut is worse than a clear error, and the Java behaviour depends on field order. Revisit if console-producer command lines with trailing extra fields must run unchanged.
bytes and fixed in JSON: Avro's JSON encoding, a string whose code points U+0000..U+00FF are the bytes ("\\u00ff" is byte 0xff); a code point above U+00FF is an error (reason "byte"). Natural JSON has no other form for them.
Top-level "bytes" schema: Confluent's serializers (Java KafkaAvroSerializer and the Python AvroSerializer alike) write the bytes raw after the framing, with no Avro length prefix, and their deserializers read them so; the case "top_level_bytes_raw" expects that. A bytes field anywhere else has its length prefix.
Decimal: the unscaled integer in big-endian two's complement. bytes-decimal: minimal length as Java's BigInteger.toByteArray (0 is one byte 00, 128 is 0080, -128 is 80); fastavro 1.13.1 writes one byte more for negative values whose magnitude is a power of two >= 128 (-128 as ff80): both decode to the same value; the corpus expects Java's minimal form (cases "decimal_bytes_minus_128", note). fixed-decimal: sign-extended to the fixed size (-12.34 in 4 bytes is fffffb2e). A value with fewer fraction digits than the scale is rescaled ("1.2" at scale 2 is 120); more fraction digits than the scale is an error (reason "scale"), as is more digits than the precision (reason "precision"). A decimal in JSON: a number, or a string holding a decimal numeral ("12.34", "-0.5", "1e3" is not accepted: plain numerals only); any other string is Avro's JSON form (the bytes as code points), e.g. "\\u0004\\u00d2" is unscaled 1234. Note that a numeral string such as "12" is thus read as the number 12, where the Java JsonDecoder would take the two bytes "1","2".
Natural JSON and unions (SPEC 2b: a bare value takes the first branch it fits), the rules these cases pin: null -> the null branch; true/false -> boolean; an integral number -> the first of int (if in 32-bit range), long (64-bit), float, double; a number with a fraction or exponent -> the first of float, double; a string -> the first of: string, an enum having it as a symbol, bytes, fixed of that many bytes, or a logical type over one of these that parses it (uuid on string, decimal, date, timestamps on int/long as strings); an array -> the array branch; an object with exactly one key naming a branch (full name, or primitive / "array" / "map") -> Avro's wrapped form; any other object -> the first record branch whose fields it fits (no unknown field, every field without default present and fitting), else the map branch. A wrapped value is tried before the record/map reading, so a record whose single field is named like a branch ("int") must be wrapped.
Numbers: an integer JSON number is accepted for float and double; a number with a fraction is an error for int and long (reason "expected int"/"expected long"); int range is checked (fastavro does not check it: it writes 2147483648 as a 5-byte varint). -0.0 keeps its sign (float 00000080, double 0000000000000080).
Logical types in natural JSON: date as "YYYY-MM-DD" or a day count; timestamp-millis/micros as epoch numbers or RFC 3339 with Z or an offset (converted to UTC) and fraction digits up to the unit (more fraction digits than the unit holds is left undecided: no case has them); local-timestamp-millis/micros as a number or "YYYY-MM-DDTHH:MM:SS[.fff]" with no offset; time-millis/micros as numbers only; uuid as its string, written as given.
Maps are written in the input's key order (one block holding all entries, then the 0 end marker); arrays likewise one block.
"""


def enc(schema, datum):
    buf = io.BytesIO()
    schemaless_writer(buf, parse_schema(schema), datum)
    return buf.getvalue()


CASES = []


def ok(name, schema, input_text, datum, form, check=None, hex_override=None, note=None, confluent="fastavro"):
    """confluent: what AvroSerializer's body must equal, fastavro's bytes or the case's "hex"."""
    CASES.append({"kind": "ok", "name": name, "schema": schema, "input": input_text, "datum": datum,
                  "form": form, "check": check, "hex_override": hex_override, "note": note, "confluent": confluent})


def err(name, schema, input_text, error, reason, note=None):
    CASES.append({"kind": "err", "name": name, "schema": schema, "input": input_text, "error": error,
                  "reason": reason, "note": note})


def rec(name, *fields, **extra):
    return {"type": "record", "name": name, **extra,
            "fields": [dict(zip(("name", "type", "default"), f)) if len(f) == 3 else {"name": f[0], "type": f[1]}
                       for f in fields]}


# ---- primitives -------------------------------------------------------------------------------
ok("null", "null", 'null', None, "both", "jw",
   note="an empty body; Confluent's AvroSerializer turns a None value into a null Kafka value (tombstone) instead, so not checked against it")
ok("boolean_true", "boolean", 'true', True, "both", "jw")
ok("boolean_false", "boolean", 'false', False, "both", "jw")
ok("int_zero", "int", '0', 0, "both", "jw")
ok("int_minus_one", "int", '-1', -1, "both", "jw")
ok("int_64_two_byte_varint", "int", '64', 64, "both", "jw")
ok("int_max", "int", '2147483647', 2147483647, "both", "jw")
ok("int_min", "int", '-2147483648', -2147483648, "both", "jw")
ok("long_max", "long", '9223372036854775807', 9223372036854775807, "both", "jw")
ok("long_min", "long", '-9223372036854775808', -9223372036854775808, "both", "jw")
ok("long_beyond_int", "long", '3000000000', 3000000000, "both", "jw")
ok("float_one_and_half", "float", '1.5', 1.5, "both", "jw")
ok("float_negative_zero", "float", '-0.0', -0.0, "both", "jw")
ok("float_rounded_to_single", "float", '0.1', 0.1, "both", "jw", note="0.1 rounded to the nearest float32 (cdcccc3d)")
ok("float_max", "float", '3.4028234663852886e38', 3.4028234663852886e38, "both", "jw")
ok("float_from_integer", "float", '7', 7.0, "both", "jw")
ok("double_point_one", "double", '0.1', 0.1, "both", "jw")
ok("double_negative_zero", "double", '-0.0', -0.0, "both", "jw")
ok("double_from_integer", "double", '3', 3.0, "both", "jw")
ok("double_exponent", "double", '-2.5e-3', -2.5e-3, "both", "jw")
ok("double_huge", "double", '1.7976931348623157e308', 1.7976931348623157e308, "both", "jw")
ok("double_subnormal", "double", '5e-324', 5e-324, "both", "jw")
ok("string_empty", "string", '""', "", "both", "jw")
ok("string_unicode_raw", "string", '"h\u00e9llo \u4e16\u754c \U0001f600"', "h\u00e9llo \u4e16\u754c \U0001f600", "both", "jw",
   note="literal UTF-8 in the input")
ok("string_escapes", "string", r'"q\" b\\ s\/ n\n t\t r\r b\b f\f \u0001 \u00e9 \ud83d\ude00"',
   "q\" b\\ s/ n\n t\t r\r b\b f\f \u0001 \u00e9 \U0001f600", "both", "jw",
   note="JSON escapes incl. a surrogate pair; the string is written as UTF-8")
ok("bytes_empty", rec("B", ("data", "bytes")), '{"data": ""}', {"data": b""}, "both", "jw")
ok("top_level_bytes_raw", "bytes", r'"\u0000\u00ffA\u0080"', b"\x00\xffA\x80", "both", None,
   hex_override="00ff4180", confluent="hex",
   note="Confluent's serializers write a top-level bytes value raw (no length prefix); fastavro alone writes 0800ff4180")
ok("bytes_field", rec("B", ("data", "bytes")), r'{"data": "\u0000\u00ffA\u0080"}', {"data": b"\x00\xffA\x80"}, "both", "jw")
ok("bytes_field_ascii", rec("B", ("data", "bytes")), '{"data": "abc"}', {"data": b"abc"}, "both", "jw")

# ---- records, namespaces, named types -----------------------------------------------------------
USER = rec("User", ("id", "long"), ("name", "string"), ("active", "boolean"), namespace="com.acme")
ok("record_simple", USER, '{"id": 42, "name": "Ann", "active": true}', {"id": 42, "name": "Ann", "active": True}, "both", "jw")
ok("record_fields_out_of_order", USER, '{"active": false, "name": "Bo", "id": -1}',
   {"id": -1, "name": "Bo", "active": False}, "both", "jw", note="written in schema order")
ADDRESS = rec("Address", ("street", "string"), ("zip", "int"))
ENVELOPE = {"type": "record", "name": "Envelope", "namespace": "com.acme", "fields": [
    {"name": "home", "type": ADDRESS},
    {"name": "work", "type": "Address"},
    {"name": "other", "type": "com.acme.Address"},
    {"name": "meta", "type": rec("Meta", ("source", "string"), namespace="org.other")},
    {"name": "meta2", "type": "org.other.Meta"},
    {"name": "maybe", "type": ["null", "Address"]},
]}
ok("nested_named_refs_avro", ENVELOPE,
   '{"home": {"street": "A st", "zip": 1}, "work": {"street": "B st", "zip": 2}, "other": {"street": "C", "zip": 3},'
   ' "meta": {"source": "x"}, "meta2": {"source": "y"}, "maybe": {"com.acme.Address": {"street": "D", "zip": 4}}}',
   {"home": {"street": "A st", "zip": 1}, "work": {"street": "B st", "zip": 2}, "other": {"street": "C", "zip": 3},
    "meta": {"source": "x"}, "meta2": {"source": "y"}, "maybe": ("com.acme.Address", {"street": "D", "zip": 4})},
   "avro", "jw", note="Address inherits namespace com.acme and is then referenced by short and full name; a union branch is keyed by full name")
ok("nested_named_refs_natural", ENVELOPE,
   '{"home": {"street": "A st", "zip": 1}, "work": {"street": "B st", "zip": 2}, "other": {"street": "C", "zip": 3},'
   ' "meta": {"source": "x"}, "meta2": {"source": "y"}, "maybe": {"street": "D", "zip": 4}}',
   {"home": {"street": "A st", "zip": 1}, "work": {"street": "B st", "zip": 2}, "other": {"street": "C", "zip": 3},
    "meta": {"source": "x"}, "meta2": {"source": "y"}, "maybe": ("com.acme.Address", {"street": "D", "zip": 4})},
   "natural")
ok("nested_named_union_null", ENVELOPE,
   '{"home": {"street": "", "zip": 0}, "work": {"street": "", "zip": 0}, "other": {"street": "", "zip": 0},'
   ' "meta": {"source": ""}, "meta2": {"source": ""}, "maybe": null}',
   {"home": {"street": "", "zip": 0}, "work": {"street": "", "zip": 0}, "other": {"street": "", "zip": 0},
    "meta": {"source": ""}, "meta2": {"source": ""}, "maybe": None}, "both", "jw")
DOTTED = {"type": "record", "name": "x.y.Z", "namespace": "ignored.ns", "fields": [
    {"name": "u", "type": ["null", {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}]}]}
ok("dotted_name_namespace_avro", DOTTED, '{"u": {"x.y.Kind": "B"}}', {"u": ("x.y.Kind", "B")}, "avro", "jw",
   note="a dotted name ignores \"namespace\"; Kind inherits x.y from its enclosing record")

# ---- enums, fixed ---------------------------------------------------------------------------------
SUIT = {"type": "enum", "name": "Suit", "namespace": "cards", "symbols": ["SPADES", "HEARTS", "DIAMONDS", "CLUBS"]}
ok("enum_first", SUIT, '"SPADES"', "SPADES", "both", "jw")
ok("enum_third", SUIT, '"DIAMONDS"', "DIAMONDS", "both", "jw")
MD5 = {"type": "fixed", "name": "MD5", "size": 4}
ok("fixed_four", MD5, r'"\u0000\u0001\u00fe\u00ff"', b"\x00\x01\xfe\xff", "both", "jw")
ok("fixed_in_record", rec("H", ("h", MD5), ("n", "int")), r'{"h": "abcd", "n": 1}', {"h": b"abcd", "n": 1}, "both", "jw")

# ---- arrays, maps ---------------------------------------------------------------------------------
ok("array_ints", {"type": "array", "items": "int"}, '[1, -2, 300]', [1, -2, 300], "both", "jw")
ok("array_empty", {"type": "array", "items": "int"}, '[]', [], "both", "jw")
ok("array_of_arrays", rec("M", ("matrix", {"type": "array", "items": {"type": "array", "items": "int"}})),
   '{"matrix": [[1, 2], [], [3]]}', {"matrix": [[1, 2], [], [3]]}, "both", "jw")
ITEM = rec("Item", ("sku", "string"), ("price", "double"))
ORDER = rec("Order", ("id", "long"), ("items", {"type": "array", "items": ITEM}), namespace="shop")
ok("array_of_records", ORDER, '{"id": 7, "items": [{"sku": "a", "price": 1.25}, {"sku": "b", "price": 2}]}',
   {"id": 7, "items": [{"sku": "a", "price": 1.25}, {"sku": "b", "price": 2.0}]}, "both", "jw")
ok("map_longs", {"type": "map", "values": "long"}, '{"b": 2, "a": -1, "z": 9007199254740993}',
   {"b": 2, "a": -1, "z": 9007199254740993}, "both", "jw", note="written in input key order; 2^53+1 exact")
ok("map_empty", {"type": "map", "values": "string"}, '{}', {}, "both", "jw")
ok("map_of_arrays", {"type": "map", "values": {"type": "array", "items": "string"}}, '{"k": ["x", "y"], "e": []}',
   {"k": ["x", "y"], "e": []}, "both", "jw")
ok("map_unicode_keys", {"type": "map", "values": "int"}, '{"\u00e9t\u00e9": 1, "\\u0041": 2}',
   {"\u00e9t\u00e9": 1, "A": 2}, "both", "jw")

# ---- unions ---------------------------------------------------------------------------------------
OPT = rec("Opt", ("s", ["null", "string"]))
ok("union_null_avro", OPT, '{"s": null}', {"s": None}, "both", "jw")
ok("union_string_avro", OPT, '{"s": {"string": "hi"}}', {"s": ("string", "hi")}, "avro", "jw")
ok("union_string_natural", OPT, '{"s": "hi"}', {"s": ("string", "hi")}, "natural")
NUMS = rec("Nums", ("v", ["null", "int", "long", "float", "double", "string", "boolean"]))
ok("union_long_avro", NUMS, '{"v": {"long": 5}}', {"v": ("long", 5)}, "avro", "jw", note="the wrapper picks long although int holds 5")
ok("union_int_natural", NUMS, '{"v": 5}', {"v": ("int", 5)}, "natural")
ok("union_long_natural", NUMS, '{"v": 3000000000}', {"v": ("long", 3000000000)}, "natural", note="beyond int: long")
ok("union_float_natural", NUMS, '{"v": 1.5}', {"v": ("float", 1.5)}, "natural", note="non-integral: first of float/double")
ok("union_double_avro", NUMS, '{"v": {"double": 1.5}}', {"v": ("double", 1.5)}, "avro", "jw")
ok("union_boolean_natural", NUMS, '{"v": true}', {"v": ("boolean", True)}, "natural")
ok("union_string_in_multi_natural", NUMS, '{"v": "5"}', {"v": ("string", "5")}, "natural", note="a string stays a string")
ok("union_double_from_integer_natural", rec("D", ("v", ["null", "double"])), '{"v": 7}', {"v": ("double", 7.0)}, "natural")
ok("union_non_null_first_natural", rec("L", ("v", ["long", "null"])), '{"v": 12}', {"v": ("long", 12)}, "natural")
POINT = rec("Point", ("x", "int"), ("y", "int"), namespace="geo")
SHAPES = rec("Shape", ("p", ["null", POINT, {"type": "map", "values": "string"}, {"type": "array", "items": "int"}]), namespace="geo")
ok("union_record_avro", SHAPES, '{"p": {"geo.Point": {"x": 1, "y": -1}}}', {"p": ("geo.Point", {"x": 1, "y": -1})}, "avro", "jw")
ok("union_record_natural", SHAPES, '{"p": {"x": 1, "y": -1}}', {"p": ("geo.Point", {"x": 1, "y": -1})}, "natural",
   note="an object that fits the record branch takes it")
ok("union_map_natural", SHAPES, '{"p": {"color": "red"}}', {"p": ("map", {"color": "red"})}, "natural",
   note="does not fit Point (no x, y; unknown key): the map branch")
ok("union_map_avro", SHAPES, '{"p": {"map": {"x": "1"}}}', {"p": ("map", {"x": "1"})}, "avro", "jw")
ok("union_array_avro", SHAPES, '{"p": {"array": [1, 2]}}', {"p": ("array", [1, 2])}, "avro", "jw")
ok("union_array_natural", SHAPES, '{"p": [1, 2]}', {"p": ("array", [1, 2])}, "natural")
CARDU = rec("Card", ("c", ["null", SUIT, "string"]))
ok("union_enum_natural", CARDU, '{"c": "HEARTS"}', {"c": ("cards.Suit", "HEARTS")}, "natural", note="a symbol of the enum: the enum")
ok("union_enum_not_symbol_natural", CARDU, '{"c": "JOKER"}', {"c": ("string", "JOKER")}, "natural", note="not a symbol: the string")
ok("union_enum_avro", CARDU, '{"c": {"cards.Suit": "CLUBS"}}', {"c": ("cards.Suit", "CLUBS")}, "avro", "jw")
ok("union_bytes_natural", rec("UB", ("b", ["null", "bytes"])), r'{"b": "\u00ff\u0001"}', {"b": ("bytes", b"\xff\x01")}, "natural")
ok("union_top_level_natural", ["null", "string", "long"], '42', ("long", 42), "natural", note="a union as the whole schema")
ok("union_top_level_avro", ["null", "string", "long"], '{"string": "x"}', ("string", "x"), "avro", "jw")

# ---- logical types ----------------------------------------------------------------------------------
DATE = {"type": "int", "logicalType": "date"}
ok("date_days", rec("E", ("d", DATE)), '{"d": 20789}', {"d": 20789}, "both", "jw")
ok("date_string", rec("E", ("d", DATE)), '{"d": "2026-12-02"}', {"d": 20789}, "natural")
ok("date_before_epoch", rec("E", ("d", DATE)), '{"d": "1969-12-31"}', {"d": -1}, "natural")
ok("date_union_avro", rec("E", ("d", ["null", DATE])), '{"d": {"int": 20789}}', {"d": ("int", 20789)}, "avro", "jw",
   note="a logical type's union branch is named by its underlying type")
ok("date_union_natural", rec("E", ("d", ["null", DATE])), '{"d": "2026-12-02"}', {"d": ("int", 20789)}, "natural")
ok("time_millis", rec("T", ("t", {"type": "int", "logicalType": "time-millis"})), '{"t": 45296789}', {"t": 45296789}, "both", "jw",
   note="12:34:56.789")
ok("time_micros", rec("T", ("t", {"type": "long", "logicalType": "time-micros"})), '{"t": 45296789012}', {"t": 45296789012}, "both", "jw")
TSMS = {"type": "long", "logicalType": "timestamp-millis"}
TSUS = {"type": "long", "logicalType": "timestamp-micros"}
ok("timestamp_millis_number", rec("S", ("ts", TSMS)), '{"ts": 1796205600123}', {"ts": 1796205600123}, "both", "jw")
ok("timestamp_millis_rfc3339_z", rec("S", ("ts", TSMS)), '{"ts": "2026-12-02T10:00:00.123Z"}', {"ts": 1796205600123}, "natural")
ok("timestamp_millis_rfc3339_offset", rec("S", ("ts", TSMS)), '{"ts": "2026-12-02T11:00:00.123+01:00"}', {"ts": 1796205600123}, "natural")
ok("timestamp_millis_no_fraction", rec("S", ("ts", TSMS)), '{"ts": "2026-12-02T10:00:00Z"}', {"ts": 1796205600000}, "natural")
ok("timestamp_millis_before_epoch", rec("S", ("ts", TSMS)), '{"ts": "1969-12-31T23:59:59.999Z"}', {"ts": -1}, "natural")
ok("timestamp_millis_negative_offset", rec("S", ("ts", TSMS)), '{"ts": "2026-12-02T05:30:00.123-04:30"}', {"ts": 1796205600123}, "natural")
ok("timestamp_micros_number", rec("S", ("ts", TSUS)), '{"ts": 1796205600123456}', {"ts": 1796205600123456}, "both", "jw")
ok("timestamp_micros_rfc3339", rec("S", ("ts", TSUS)), '{"ts": "2026-12-02T10:00:00.123456Z"}', {"ts": 1796205600123456}, "natural")
ok("timestamp_micros_millis_precision", rec("S", ("ts", TSUS)), '{"ts": "2026-12-02T10:00:00.5Z"}', {"ts": 1796205600500000}, "natural")
ok("local_timestamp_millis_number", rec("S", ("ts", {"type": "long", "logicalType": "local-timestamp-millis"})),
   '{"ts": 1796205600123}', {"ts": 1796205600123}, "both", "jw")
ok("local_timestamp_millis_string", rec("S", ("ts", {"type": "long", "logicalType": "local-timestamp-millis"})),
   '{"ts": "2026-12-02T10:00:00.123"}', {"ts": 1796205600123}, "natural", note="no offset: the wall-clock time as if UTC")
ok("local_timestamp_micros_string", rec("S", ("ts", {"type": "long", "logicalType": "local-timestamp-micros"})),
   '{"ts": "2026-12-02T10:00:00.123456"}', {"ts": 1796205600123456}, "natural")
ok("timestamp_union_natural", rec("S", ("ts", ["null", TSMS])), '{"ts": "2026-12-02T10:00:00.123Z"}', {"ts": ("long", 1796205600123)}, "natural")


def dec_bytes(p, s):
    return {"type": "bytes", "logicalType": "decimal", "precision": p, "scale": s}


def dec_fixed(name, size, p, s):
    return {"type": "fixed", "name": name, "size": size, "logicalType": "decimal", "precision": p, "scale": s}


ok("decimal_bytes_string", rec("P", ("price", dec_bytes(9, 2))), '{"price": "12.34"}', {"price": Decimal("12.34")}, "natural",
   note="unscaled 1234 = 04d2")
ok("decimal_bytes_number", rec("P", ("price", dec_bytes(9, 2))), '{"price": 12.34}', {"price": Decimal("12.34")}, "natural",
   note="a JSON number is read as its decimal text, never through a double")
ok("decimal_bytes_negative", rec("P", ("price", dec_bytes(9, 2))), '{"price": "-12.34"}', {"price": Decimal("-12.34")}, "natural")
ok("decimal_bytes_zero", rec("P", ("price", dec_bytes(9, 2))), '{"price": 0}', {"price": Decimal("0.00")}, "natural",
   note="zero is one byte 00")
ok("decimal_bytes_rescaled", rec("P", ("price", dec_bytes(9, 2))), '{"price": "1.2"}', {"price": Decimal("1.20")}, "natural",
   note="fewer fraction digits than the scale: 120")
ok("decimal_bytes_scale0", rec("P", ("n", dec_bytes(5, 0))), '{"n": 128}', {"n": Decimal(128)}, "natural", note="0080: a leading 00 keeps it positive")
ok("decimal_bytes_minus_128", rec("P", ("n", dec_bytes(5, 0))), '{"n": -128}', {"n": Decimal(-128)}, "natural",
   hex_override="0280", note="Java's minimal two's complement (80); fastavro 1.13.1 writes 04ff80 (one byte more), same value")
ok("decimal_bytes_minus_129", rec("P", ("n", dec_bytes(5, 0))), '{"n": "-129"}', {"n": Decimal(-129)}, "natural")
ok("decimal_bytes_big", rec("P", ("n", dec_bytes(30, 2))), '{"n": "12345678901234567890.12"}', {"n": Decimal("12345678901234567890.12")}, "natural")
ok("decimal_bytes_avro_form", rec("P", ("price", dec_bytes(9, 2))), r'{"price": "\u0004\u00d2"}', {"price": Decimal("12.34")}, "avro",
   note="Avro's JSON form: the unscaled bytes as code points")
ok("decimal_fixed_positive", rec("P", ("amt", dec_fixed("Amt", 8, 18, 3))), '{"amt": "123.456"}', {"amt": Decimal("123.456")}, "natural")
ok("decimal_fixed_negative", rec("P", ("amt", dec_fixed("Amt", 8, 18, 3))), '{"amt": -1.5}', {"amt": Decimal("-1.500")}, "natural",
   note="sign-extended: fffffffffffffa24")
ok("decimal_fixed_zero", rec("P", ("amt", dec_fixed("Amt", 4, 9, 2))), '{"amt": "0"}', {"amt": Decimal("0.00")}, "natural")
ok("decimal_fixed_scale0", rec("P", ("amt", dec_fixed("Amt", 2, 4, 0))), '{"amt": -1}', {"amt": Decimal(-1)}, "natural")
ok("decimal_union_natural", rec("P", ("amt", ["null", dec_bytes(9, 2)])), '{"amt": "9.99"}', {"amt": ("bytes", Decimal("9.99"))}, "natural")
ok("uuid_string", rec("U", ("id", {"type": "string", "logicalType": "uuid"})), '{"id": "7b6a9ac4-9f8e-4a44-9a5e-6f1c3b1b2a10"}',
   {"id": "7b6a9ac4-9f8e-4a44-9a5e-6f1c3b1b2a10"}, "both", "jw")

# ---- defaults -----------------------------------------------------------------------------------------
DEFAULTS = {"type": "record", "name": "Defaults", "namespace": "d", "fields": [
    {"name": "id", "type": "int"},
    {"name": "name", "type": "string", "default": "anon"},
    {"name": "tags", "type": {"type": "array", "items": "string"}, "default": ["a", "b"]},
    {"name": "attrs", "type": {"type": "map", "values": "int"}, "default": {"k": 1}},
    {"name": "opt", "type": ["null", "string"], "default": None},
    {"name": "count", "type": ["long", "null"], "default": 7},
    {"name": "pos", "type": rec("Pos", ("x", "int"), ("y", "int", 0)), "default": {"x": 5}},
    {"name": "suit", "type": {"type": "enum", "name": "S", "symbols": ["A", "B"]}, "default": "B"},
    {"name": "raw", "type": "bytes", "default": "\u00ff"},
    {"name": "fx", "type": {"type": "fixed", "name": "F2", "size": 2}, "default": "\u0000\u0001"},
    {"name": "ratio", "type": "double", "default": 1},
    {"name": "flag", "type": "boolean", "default": True},
]}
ALL_DEFAULTS = {"id": 1, "name": "anon", "tags": ["a", "b"], "attrs": {"k": 1}, "opt": None, "count": ("long", 7),
                "pos": {"x": 5, "y": 0}, "suit": "B", "raw": b"\xff", "fx": b"\x00\x01", "ratio": 1.0, "flag": True}
ok("defaults_all_missing", DEFAULTS, '{"id": 1}', ALL_DEFAULTS, "both", "jr",
   note="union default = first branch (long 7); a record default's own missing field takes its default (pos.y)")
ok("defaults_some_given", DEFAULTS, '{"id": 2, "opt": {"string": "o"}, "count": {"null": null}, "tags": []}',
   {**ALL_DEFAULTS, "id": 2, "opt": ("string", "o"), "count": None, "tags": []}, "avro", "jr")
ok("defaults_natural_given", DEFAULTS, '{"id": 3, "opt": "o", "count": null, "pos": {"x": 1, "y": 2}}',
   {**ALL_DEFAULTS, "id": 3, "opt": ("string", "o"), "count": None, "pos": {"x": 1, "y": 2}}, "natural")

# ---- recursion ------------------------------------------------------------------------------------------
NODE = {"type": "record", "name": "Node", "namespace": "list", "fields": [
    {"name": "value", "type": "int"}, {"name": "next", "type": ["null", "Node"]}]}
ok("linked_list_avro", NODE, '{"value": 1, "next": {"list.Node": {"value": 2, "next": {"list.Node": {"value": 3, "next": null}}}}}',
   {"value": 1, "next": ("list.Node", {"value": 2, "next": ("list.Node", {"value": 3, "next": None})})}, "avro",
   note="fastavro's JSON reader and writer fail on recursive types (IndexError/RecursionError): bytes from schemaless_writer only")
ok("linked_list_natural", NODE, '{"value": 1, "next": {"value": 2, "next": null}}',
   {"value": 1, "next": ("list.Node", {"value": 2, "next": None})}, "natural")
TREE = {"type": "record", "name": "Tree", "fields": [
    {"name": "label", "type": "string"}, {"name": "children", "type": {"type": "array", "items": "Tree"}, "default": []}]}
ok("tree_recursive_array", TREE, '{"label": "r", "children": [{"label": "a", "children": []}, {"label": "b", "children": [{"label": "c", "children": []}]}]}',
   {"label": "r", "children": [{"label": "a", "children": []}, {"label": "b", "children": [{"label": "c", "children": []}]}]}, "both",
   note="no JSON-form check: fastavro's JSON reader and writer recurse without end on it")

# ---- errors ------------------------------------------------------------------------------------------------
AMOUNT = rec("Pay", ("amount", "int"))
err("wrong_type_string_for_int", AMOUNT, '{"amount": "abc"}', '$.amount: ', 'expected int')
err("wrong_type_in_array_path", ORDER, '{"id": 1, "items": [{"sku": "a", "price": 1}, {"sku": "b", "price": 2}, {"sku": "c", "price": "abc"}]}',
    '$.items[2].price: ', 'expected double')
err("int_out_of_range", AMOUNT, '{"amount": 2147483648}', '$.amount: ', 'expected int',
    note="fastavro writes it unchecked as a 5-byte varint; Avro Java rejects")
err("int_fraction", AMOUNT, '{"amount": 1.5}', '$.amount: ', 'expected int')
err("long_out_of_range", rec("L", ("big", "long")), '{"big": 9223372036854775808}', '$.big: ', 'expected long')
err("null_for_string", USER, '{"id": 1, "name": null, "active": true}', '$.name: ', 'expected string')
err("string_for_boolean", USER, '{"id": 1, "name": "a", "active": "true"}', '$.active: ', 'expected boolean')
err("missing_required_field", USER, '{"id": 1, "active": true}', '$.name: ', 'missing')
err("unknown_enum_symbol", rec("C", ("suit", SUIT)), '{"suit": "JOKER"}', '$.suit: ', 'JOKER')
err("union_no_branch_fits", NUMS, '{"v": [1]}', '$.v: ', 'union')
err("union_unknown_branch_name", OPT, '{"s": {"float": 1.5}}', '$.s: ', 'union',
    note="an object with one key that names no branch and fits no record/map branch")
err("union_wrapper_two_keys", rec("U2", ("u", ["null", "int"])), '{"u": {"int": 1, "null": null}}', '$.u: ', 'union')
err("fixed_wrong_size", rec("H", ("h", MD5), ("n", "int")), '{"h": "abc", "n": 1}', '$.h: ', 'size')
err("decimal_too_many_fraction_digits", rec("P", ("price", dec_bytes(9, 2))), '{"price": "1.234"}', '$.price: ', 'scale')
err("decimal_precision_exceeded", rec("P", ("price", dec_bytes(4, 2))), '{"price": "123.45"}', '$.price: ', 'precision')
err("malformed_json", USER, '{"id": 1, "name": "a",', 'invalid JSON', 'JSON', note="no schema path: the text is not JSON")
err("unknown_field", USER, '{"id": 1, "name": "a", "active": true, "zzz": 2}', '$.zzz: ', 'unknown field',
    note="see notes: fastavro ignores it, the Java JsonDecoder skips a trailing one and rejects one before a schema field")
err("unknown_field_nested", ENVELOPE, '{"home": {"street": "A", "zip": 1, "apt": 3}, "work": {"street": "B", "zip": 2}, "other": {"street": "C", "zip": 3}, "meta": {"source": "x"}, "meta2": {"source": "y"}, "maybe": null}',
    '$.home.apt: ', 'unknown field')
err("array_nested_index", rec("M", ("matrix", {"type": "array", "items": {"type": "array", "items": "int"}})),
    '{"matrix": [[1], [2, "x"]]}', '$.matrix[1][1]: ', 'expected int')
err("map_value_wrong", rec("A", ("attrs", {"type": "map", "values": "int"})), '{"attrs": {"color": "red"}}', '$.attrs.color: ', 'expected int')
err("bytes_code_point_above_255", rec("B", ("data", "bytes")), r'{"data": "\u0100"}', '$.data: ', 'byte')
err("date_invalid", rec("E", ("d", DATE)), '{"d": "2026-13-45"}', '$.d: ', 'date')
err("timestamp_invalid", rec("S", ("ts", TSMS)), '{"ts": "yesterday"}', '$.ts: ', 'timestamp')
err("top_level_wrong_type", "int", '"x"', '$: ', 'expected int')
err("record_expected_got_array", USER, '[1, 2]', '$: ', 'expected record')
err("deep_record_path", rec("Outer", ("inner", rec("Inner", ("list", {"type": "array", "items": rec("Leaf", ("v", "float"))})))),
    '{"inner": {"list": [{"v": 1}, {"v": false}]}}', '$.inner.list[1].v: ', 'expected float')


def same(a, b):
    """JSON equality that tells -0.0 from 0.0 (and 3 from 3.0 not)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def fastavro_rejects(schema, text):
    try:
        datum = next(iter(json_reader(io.StringIO(text), schema)))
        enc(schema, datum)
    except Exception:
        return True
    return False


def build():
    out, failures = [], []
    for c in CASES:
        schema_text = json.dumps(c["schema"], separators=(", ", ": "))
        schema = json.loads(schema_text)
        if c["kind"] == "err":
            case = {"name": c["name"], "schema": schema_text, "input": c["input"], "error": c["error"], "reason": c["reason"]}
            try:
                case["fastavro"] = "rejects" if fastavro_rejects(schema, c["input"]) else "accepts"
            except Exception:
                case["fastavro"] = "rejects"
            if c["note"]:
                case["note"] = c["note"]
            out.append(case)
            continue
        try:
            json.loads(c["input"])
        except ValueError as e:
            failures.append(f"{c['name']}: input is not JSON: {e}")
            continue
        fast = enc(schema, c["datum"])
        if c["check"] == "jw":
            buf = io.StringIO()
            try:
                json_writer(buf, parse_schema(schema), [c["datum"]])
            except Exception as e:
                failures.append(f"{c['name']}: fastavro.json_writer failed: {type(e).__name__}: {e}")
                continue
            written = json.loads(buf.getvalue())
            if not same(written, json.loads(c["input"])):
                failures.append(f"{c['name']}: fastavro.json_writer(datum) = {buf.getvalue()!r}, input {c['input']!r}")
        elif c["check"] == "jr":
            try:
                got = enc(schema, next(iter(json_reader(io.StringIO(c["input"]), schema))))
            except Exception as e:
                failures.append(f"{c['name']}: fastavro.json_reader failed: {type(e).__name__}: {e}")
                continue
            if got != fast:
                failures.append(f"{c['name']}: json_reader(input) encodes to {got.hex()}, datum to {fast.hex()}")
        expected = c["hex_override"] or fast.hex()
        case = {"name": c["name"], "schema": schema_text, "input": c["input"], "hex": expected, "form": c["form"]}
        if c["note"]:
            case["note"] = c["note"]
        out.append(case)
        c["fast"], c["hex"] = fast, expected
    return out, failures


def confluent_check(cases):
    """Every valid case through confluent-kafka's AvroSerializer, against a stand-in registry."""
    from confluent_kafka.schema_registry import SchemaRegistryClient
    from confluent_kafka.schema_registry.avro import AvroSerializer
    from confluent_kafka.serialization import MessageField, SerializationContext
    proc = subprocess.Popen([sys.executable, str(HERE.parent / "registry" / "stand_in.py")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    failures = []
    try:
        url = proc.stdout.readline().strip()
        sr = SchemaRegistryClient({"url": url})
        for c in cases:
            if c["kind"] != "ok":
                continue
            schema_text = json.dumps(c["schema"])
            ser = AvroSerializer(sr, schema_text, conf={"auto.register.schemas": True})
            framed = ser(c["datum"], SerializationContext(f"t-{c['name']}", MessageField.VALUE))
            if c["datum"] is None:  # the serializer makes None a null Kafka value (a tombstone)
                assert framed is None, framed
                continue
            body = framed[5:]
            want = bytes.fromhex(c["hex"]) if c["confluent"] == "hex" else c["fast"]
            if framed[0] != 0 or body != want:
                failures.append(f"{c['name']}: AvroSerializer body {body.hex()} != {want.hex()}")
    finally:
        proc.terminate()
        proc.wait(5)
    return failures


def main():
    out, failures = build()
    if "--no-confluent" not in sys.argv:
        failures += confluent_check(CASES)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1
    n_ok = sum(1 for c in out if "hex" in c)
    OUT.write_text(json.dumps({"notes": NOTES, "cases": out}, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT.relative_to(HERE.parent.parent)}: {n_ok} valid cases, {len(out) - n_ok} error cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
