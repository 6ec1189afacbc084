#!/usr/bin/env python3
"""Pins tests/registry/stand_in.py's behaviour with the real Schema Registry client.

Drives stand-in processes (started and stopped here) with confluent-kafka's
SchemaRegistryClient, AvroSerializer and AvroDeserializer, as pinned in tests/requirements.txt.
Prints `ok NAME` per check; exits 0 when all pass, 1 with a message at the first failure.
Run with the test venv: "$(scripts/test-python.sh)" tests/registry/pin_client.py
Needs the openssl CLI (a throwaway CA, server and client certificates in a temp dir).
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from confluent_kafka.schema_registry import Schema, SchemaReference, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.serialization import MessageField, SerializationContext

HERE = Path(__file__).resolve().parent
STAND_IN = HERE / "stand_in.py"

AVRO_USER = json.dumps({
    "type": "record", "name": "User", "namespace": "com.example",
    "fields": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"},
               {"name": "email", "type": ["null", "string"], "default": None}]})
# The same schema, other key order and white space: must get the same id.
AVRO_USER_REFORMATTED = json.dumps(json.loads(AVRO_USER), indent=2, sort_keys=True)
AVRO_USER_V2 = json.dumps({
    "type": "record", "name": "User", "namespace": "com.example",
    "fields": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"},
               {"name": "email", "type": ["null", "string"], "default": None},
               {"name": "age", "type": "int", "default": 0}]})
JSON_SCHEMA = json.dumps({"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]})
PROTO = 'syntax = "proto3";\npackage com.example;\n\nmessage Order {\n  int64 id = 1;\n  string sku = 2;\n}\n'


class StandIn:
    """One stand_in.py process; .url is its base URL, .log() its request lines so far."""

    def __init__(self, *args):
        self.err_path = tempfile.mktemp(prefix="stand-in-", suffix=".log")
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen([sys.executable, str(STAND_IN), *args], stdout=subprocess.PIPE,
                                     stderr=self.err, text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http"):
            self.stop()
            raise AssertionError(f"stand-in {args} printed no URL; stderr: {self.log()}")

    def log(self):
        self.err.flush()
        return Path(self.err_path).read_text()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise AssertionError("stand-in did not stop on SIGTERM within 5 s")
        self.err.close()
        os.unlink(self.err_path)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def client(url, **conf):
    return SchemaRegistryClient({"url": url, **conf})


def expect_error(fn, status, code):
    try:
        fn()
    except SchemaRegistryError as e:
        assert (e.http_status_code, e.error_code) == (status, code), \
            f"expected HTTP {status} / {code}, got {e.http_status_code} / {e.error_code}: {e}"
        return e
    raise AssertionError(f"expected SchemaRegistryError {status}/{code}, got success")


def expect_failure(fn, what):
    try:
        fn()
    except SchemaRegistryError:
        raise
    except Exception as e:  # a transport error (TLS, time-out) from the client's HTTP library
        return e
    raise AssertionError(f"expected {what}, got success")


CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


@check
def register_and_same_id(reg):
    c = client(reg.url)
    a = c.register_schema("users-value", Schema(AVRO_USER, "AVRO"))
    b = c.register_schema("other-value", Schema(AVRO_USER_REFORMATTED, "AVRO"))
    assert a == b, f"same Avro schema under two subjects got ids {a} and {b}"
    again = client(reg.url).register_schema("users-value", Schema(AVRO_USER, "AVRO"))
    assert again == a, (again, a)
    assert c.get_versions("users-value") == [1], c.get_versions("users-value")
    j = c.register_schema("json-value", Schema(JSON_SCHEMA, "JSON"))
    p = c.register_schema("proto-value", Schema(PROTO, "PROTOBUF"))
    assert len({a, j, p}) == 3, (a, j, p)
    log = reg.log()
    assert "POST /subjects/users-value/versions?normalize=False 200" in log, log


@check
def new_version_latest_and_get_version(reg):
    c = client(reg.url)
    v1 = c.register_schema("users-value", Schema(AVRO_USER, "AVRO"))
    v2 = c.register_schema("users-value", Schema(AVRO_USER_V2, "AVRO"))
    assert v2 != v1
    latest = c.get_latest_version("users-value")
    assert (latest.version, latest.schema_id, latest.subject) == (2, v2, "users-value"), latest
    assert json.loads(latest.schema.schema_str) == json.loads(AVRO_USER_V2)
    first = c.get_version("users-value", 1)
    assert (first.version, first.schema_id) == (1, v1), first
    assert c.get_versions("users-value") == [1, 2]
    expect_error(lambda: c.get_version("users-value", 3), 404, 40402)
    expect_error(lambda: c.get_latest_version("nobody-value"), 404, 40401)
    proto = c.get_latest_version("proto-value")
    assert proto.schema.schema_type == "PROTOBUF" and proto.schema.schema_str == PROTO, proto


@check
def lookup_found_and_not_found(reg):
    c = client(reg.url)
    found = c.lookup_schema("users-value", Schema(AVRO_USER_REFORMATTED, "AVRO"))
    assert (found.subject, found.version) == ("users-value", 1) and found.schema_id, found
    expect_error(lambda: client(reg.url).lookup_schema("missing-value", Schema(AVRO_USER, "AVRO")), 404, 40401)
    expect_error(lambda: client(reg.url).lookup_schema("json-value", Schema(AVRO_USER, "AVRO")), 404, 40403)
    j = client(reg.url).lookup_schema("json-value", Schema(JSON_SCHEMA, "JSON"))
    assert j.schema.schema_type == "JSON", j
    assert "POST /subjects/users-value?normalize=False&deleted=False 200" in reg.log(), reg.log()


@check
def get_schema_by_id(reg):
    c = client(reg.url)
    sid = c.register_schema("proto-value", Schema(PROTO, "PROTOBUF"))
    s = client(reg.url).get_schema(sid)
    assert (s.schema_type, s.schema_str) == ("PROTOBUF", PROTO), s
    s = client(reg.url).get_schema(sid, fmt="serialized")  # the FileDescriptorProto, base64 (protoc)
    from google.protobuf import descriptor_pb2
    fd = descriptor_pb2.FileDescriptorProto.FromString(base64.b64decode(s.schema_str))
    assert fd.package == "com.example" and [m.name for m in fd.message_type] == ["Order"], fd
    assert [f.name for f in fd.message_type[0].field] == ["id", "sku"], fd
    a = client(reg.url).get_schema(c.register_schema("users-value", Schema(AVRO_USER, "AVRO")))
    assert a.schema_type == "AVRO" and json.loads(a.schema_str) == json.loads(AVRO_USER), a
    expect_error(lambda: client(reg.url).get_schema(9999), 404, 40403)
    versions = c.get_schema_versions(sid)
    assert [(v.subject, v.version) for v in versions] == [("proto-value", 1)], versions


@check
def invalid_schema_and_references(reg):
    c = client(reg.url)
    expect_error(lambda: c.register_schema("bad-value", Schema("{not json", "AVRO")), 422, 42201)
    expect_error(lambda: c.register_schema("bad-value", Schema("{not json", "JSON")), 422, 42201)
    expect_error(lambda: c.register_schema("bad-value", Schema("message {", "PROTOBUF")), 422, 42201)
    ref = [SchemaReference("com.example.User", "users-value", 1)]
    outer = json.dumps({"type": "record", "name": "Envelope", "fields": [{"name": "user", "type": "com.example.User"}]})
    sid = c.register_schema("envelope-value", Schema(outer, "AVRO", ref))
    got = client(reg.url).get_schema(sid)
    assert [(r.name, r.subject, r.version) for r in got.references] == [("com.example.User", "users-value", 1)], got


@check
def subjects_config_delete(reg):
    c = client(reg.url)
    subjects = c.get_subjects()
    assert {"users-value", "other-value", "json-value", "proto-value"} <= set(subjects), subjects
    assert c.get_compatibility() == "BACKWARD"
    c.register_schema("temp-value", Schema(AVRO_USER, "AVRO"))
    assert c.delete_subject("temp-value") == [1]
    assert "temp-value" not in c.get_subjects()
    expect_error(lambda: c.delete_subject("temp-value"), 404, 40401)


@check
def basic_auth(_):
    with StandIn("--basic", "alice:s3cret") as reg:
        ok = client(reg.url, **{"basic.auth.user.info": "alice:s3cret"})
        assert ok.register_schema("t-value", Schema(AVRO_USER, "AVRO")) == 1
        expect_error(lambda: client(reg.url, **{"basic.auth.user.info": "alice:wrong"}).get_subjects(), 401, 40101)
        expect_error(lambda: client(reg.url).get_subjects(), 401, 40101)
        userinfo = reg.url.replace("http://", "http://alice:s3cret@")
        assert client(userinfo).get_subjects() == ["t-value"]


@check
def bearer_token(_):
    with StandIn("--bearer", "tok-123") as reg:
        conf = {"bearer.auth.credentials.source": "STATIC_TOKEN", "bearer.auth.logical.cluster": "lsrc-1"}
        c = client(reg.url, **conf, **{"bearer.auth.token": "tok-123"})
        assert c.get_subjects() == []
        bad = client(reg.url, **conf, **{"bearer.auth.token": "nope"})
        expect_error(bad.get_subjects, 401, 40101)


def make_certs(d):
    def run(*args):
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=kafka-emit test CA",
        "-keyout", "ca.key", "-out", "ca.pem")
    for name, ext in (("server", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth"),
                      ("client", "extendedKeyUsage=clientAuth")):
        Path(d, f"{name}.ext").write_text(ext + "\n")
        run("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}", "-keyout", f"{name}.key",
            "-out", f"{name}.csr")
        run("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-extfile", f"{name}.ext", "-out", f"{name}.pem")
    return {n: str(Path(d, n)) for n in ("ca.pem", "server.pem", "server.key", "client.pem", "client.key")}


@check
def https_and_mtls(_):
    with tempfile.TemporaryDirectory() as d:
        f = make_certs(d)
        with StandIn("--tls", f["server.pem"], f["server.key"]) as reg:
            assert reg.url.startswith("https://127.0.0.1:"), reg.url
            c = client(reg.url, **{"ssl.ca.location": f["ca.pem"]})
            assert c.register_schema("tls-value", Schema(AVRO_USER, "AVRO")) == 1
            # Without the CA the server's certificate is not trusted.
            expect_failure(lambda: client(reg.url, **{"max.retries": 0}).get_subjects(), "an untrusted-certificate error")
        with StandIn("--tls", f["server.pem"], f["server.key"], "--client-ca", f["ca.pem"]) as reg:
            c = client(reg.url, **{"ssl.ca.location": f["ca.pem"], "ssl.certificate.location": f["client.pem"],
                                   "ssl.key.location": f["client.key"]})
            assert c.get_subjects() == []
            no_cert = client(reg.url, **{"ssl.ca.location": f["ca.pem"], "max.retries": 0})
            expect_failure(no_cert.get_subjects, "a handshake refused for want of a client certificate")
            assert "TLS handshake failed" in reg.log(), reg.log()


@check
def fail_first_retry_and_failover(_):
    with StandIn("--fail-first", "2") as reg:
        c = client(reg.url, **{"max.retries": 2, "retries.wait.ms": 10})
        assert c.get_subjects() == []
        assert reg.log().count("GET /subjects") == 3 and reg.log().count(" 500\n") == 2, reg.log()
    with StandIn("--fail-first", "1") as reg:
        expect_error(lambda: client(reg.url, **{"max.retries": 0}).get_subjects(), 500, 50001)
    with StandIn("--fail-first", "100") as down, StandIn() as up:
        c = client(f"{down.url},{up.url}", **{"max.retries": 0})
        assert c.register_schema("t-value", Schema(AVRO_USER, "AVRO")) == 1
        assert "POST /subjects/t-value/versions?normalize=False 500" in down.log(), down.log()
        assert "POST /subjects/t-value/versions?normalize=False 200" in up.log(), up.log()


@check
def delay_and_timeout(_):
    with StandIn("--delay-ms", "1500") as reg:
        t0 = time.monotonic()
        expect_failure(lambda: client(reg.url, **{"timeout": 0.3, "max.retries": 0}).get_subjects(), "a time-out")
        assert time.monotonic() - t0 < 1.4
        t0 = time.monotonic()
        assert client(reg.url, **{"timeout": 5}).get_subjects() == []
        assert time.monotonic() - t0 >= 1.4


@check
def avro_serializer_round_trip(reg):
    sr = client(reg.url)
    schema = json.dumps({"type": "record", "name": "Order", "namespace": "shop",
                         "fields": [{"name": "id", "type": "long"}, {"name": "sku", "type": "string"},
                                    {"name": "price", "type": ["null", "double"], "default": None}]})
    ser = AvroSerializer(sr, schema, conf={"auto.register.schemas": True})
    ctx = SerializationContext("orders", MessageField.VALUE)
    record = {"id": 42, "sku": "A-1", "price": 9.5}
    data = ser(record, ctx)
    sid = client(reg.url).get_latest_version("orders-value").schema_id
    assert data[0] == 0 and int.from_bytes(data[1:5], "big") == sid, data.hex()
    # long 42 -> zig-zag 0x54; "A-1" -> len 3 (0x06) + bytes; union branch 1 (0x02) + double 9.5 LE
    assert data[5:].hex() == "54" + "06" + b"A-1".hex() + "02" + "0000000000002340", data.hex()
    de = AvroDeserializer(client(reg.url))
    assert de(data, ctx) == record
    log = reg.log()
    assert "POST /subjects/orders-value/versions?normalize=False 200" in log, log
    assert f"GET /schemas/ids/{sid}?subject=orders-value 200" in log, log


@check
def protobuf_serializer_round_trip(reg):
    # A message class made at run time from protoc's descriptor of PROTO; ProtobufSerializer
    # registers its FileDescriptorProto (base64) and ProtobufDeserializer reads it back through
    # ?format=serialized.
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    with tempfile.TemporaryDirectory() as d:
        Path(d, "order.proto").write_text(PROTO)
        subprocess.run(["protoc", "-o", f"{d}/set.desc", "-I", d, "order.proto"], check=True)
        fds = descriptor_pb2.FileDescriptorSet.FromString(Path(d, "set.desc").read_bytes())
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fds.file[0])
    Order = message_factory.GetMessageClass(pool.FindMessageTypeByName("com.example.Order"))
    ctx = SerializationContext("porders", MessageField.VALUE)
    data = ProtobufSerializer(Order, client(reg.url), {"auto.register.schemas": True})(Order(id=7, sku="x"), ctx)
    sid = client(reg.url).get_latest_version("porders-value").schema_id
    # magic, id, message indexes [0] as the single byte 0, then id=7 (08 07) and sku (12 01 78)
    assert data.hex() == "00" + sid.to_bytes(4, "big").hex() + "00" + "0807" + "120178", data.hex()
    back = ProtobufDeserializer(Order, {}, client(reg.url))(data, ctx)
    assert (back.id, back.sku) == (7, "x"), back
    assert f"GET /schemas/ids/{sid}?subject=porders-value&format=serialized 200" in reg.log() \
        or f"GET /schemas/ids/{sid}?format=serialized&subject=porders-value 200" in reg.log(), reg.log()


def main():
    t0 = time.monotonic()
    reg = StandIn()
    failed = False
    try:
        for fn in CHECKS:
            try:
                fn(reg)
            except Exception as e:
                print(f"FAIL {fn.__name__}: {type(e).__name__}: {e}", file=sys.stderr)
                failed = True
                break
            print(f"ok {fn.__name__}", flush=True)
    finally:
        reg.stop()
    if failed:
        return 1
    print(f"all {len(CHECKS)} checks passed in {time.monotonic() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
