#!/usr/bin/env python3
"""A small Confluent-compatible Schema Registry stand-in for kafka-emit's tests.

Usage: stand_in.py [--port 0] [--tls CERT KEY] [--client-ca CA] [--basic USER:PASS]
                   [--bearer TOKEN] [--fail-first N] [--delay-ms N] [--state FILE]

Prints its base URL (http(s)://127.0.0.1:PORT) as the first line of stdout once listening and
serves until killed (SIGTERM or SIGINT end it cleanly). Each request is logged on stderr as one
line `METHOD PATH STATUS` (PATH as received, query string included).

Confluent's REST shapes, content type application/vnd.schemaregistry.v1+json and error bodies
{"error_code": N, "message": "..."}. Schemas are kept in memory (and in --state FILE when
given: loaded at start, rewritten after every change). One global id per distinct schema
(type + text after canonical JSON normalisation for AVRO/JSON, raw text for PROTOBUF +
references), shared by every subject that registers it; a subject gets a new version only for a
schema it does not have yet. Not modelled: compatibility checks, contexts, modes, metadata and
rule sets, soft-deleted versions (DELETE removes a subject's versions; ids stay resolvable).

PROTOBUF as Confluent's registry serves it: `?format=serialized` (on /schemas/ids/N and
/subjects/S/versions/V) answers the schema's FileDescriptorProto in base64. A schema registered
as .proto text is compiled with `protoc` (when on PATH; its references written beside it under
their import names) and refused with 422 when protoc refuses it; a schema registered as a base64
FileDescriptorProto (what confluent-kafka's ProtobufSerializer sends) is returned as it is.
Without protoc, .proto text is stored unchecked and `?format=serialized` answers 422.
Standard library only (Python 3.11) and the protoc command.
"""
import argparse
import base64
import json
import binascii
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
TYPES = ("AVRO", "PROTOBUF", "JSON")


class RegistryError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _varint(data, pos):
    value, shift = 0, 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7


def first_file_of_set(data):
    """The bytes of a FileDescriptorSet's first `file` (field 1, length-delimited)."""
    pos = 0
    while pos < len(data):
        tag, pos = _varint(data, pos)
        if tag & 7 == 2:
            n, pos = _varint(data, pos)
            if tag >> 3 == 1:
                return data[pos:pos + n]
            pos += n
        elif tag & 7 == 0:
            _, pos = _varint(data, pos)
        else:
            pos += 8 if tag & 7 == 1 else 4
    raise ValueError("no file in protoc's descriptor set")


def as_descriptor(text):
    """The text itself when it is already a base64 FileDescriptorProto, else None."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return text if raw and raw[0] == 0x0A else None  # field 1 (name) comes first


class Store:
    """Schemas by id and subjects' version lists; every method runs under one lock."""

    def __init__(self, state_file=None):
        self.lock = threading.Lock()
        self.state_file = state_file
        self.schemas = {}   # id -> {"schema", "schemaType", "references", "key"}
        self.by_key = {}    # identity key -> id
        self.subjects = {}  # subject -> [id of version 1, id of version 2, ...] (None = deleted)
        if state_file and os.path.exists(state_file):
            with open(state_file) as f:
                saved = json.load(f)
            for sid, entry in saved["schemas"].items():
                entry["key"] = self.key_of(entry["schemaType"], entry["schema"], entry["references"])
                self.schemas[int(sid)] = entry
                self.by_key[entry["key"]] = int(sid)
            self.subjects = saved["subjects"]

    def save(self):
        if not self.state_file:
            return
        data = {"schemas": {str(k): {kk: vv for kk, vv in v.items() if kk not in ("key", "serialized")}
                            for k, v in self.schemas.items()},
                "subjects": self.subjects}
        tmp = self.state_file + ".tmp"
        with open(tmp, "w") as f:
            json.dump(data, f)
        os.replace(tmp, self.state_file)

    @staticmethod
    def key_of(schema_type, text, references):
        if schema_type in ("AVRO", "JSON"):
            try:
                text = json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
            except ValueError:
                pass
        refs = tuple((r.get("name"), r.get("subject"), r.get("version")) for r in references)
        return (schema_type, text, refs)

    @staticmethod
    def parse_request(body):
        if not isinstance(body, dict) or not isinstance(body.get("schema"), str):
            raise RegistryError(422, 42201, "Invalid schema: the request has no \"schema\" string")
        schema_type = body.get("schemaType") or "AVRO"
        if schema_type not in TYPES:
            raise RegistryError(422, 42201, f"Invalid schema type {schema_type}")
        references = body.get("references") or []
        if not isinstance(references, list) or not all(isinstance(r, dict) for r in references):
            raise RegistryError(422, 42201, "Invalid schema: references must be a list of objects")
        references = [{"name": r.get("name"), "subject": r.get("subject"), "version": r.get("version")}
                      for r in references]
        text = body["schema"]
        if schema_type in ("AVRO", "JSON"):
            try:
                parsed = json.loads(text)
            except ValueError as e:
                raise RegistryError(422, 42201, f"Invalid schema: not valid JSON: {e}")
            if schema_type == "AVRO" and not (isinstance(parsed, (str, list))
                                              or (isinstance(parsed, dict) and "type" in parsed)):
                raise RegistryError(422, 42201, "Invalid schema: an Avro schema is a name, a union or an object with \"type\"")
        elif not text.strip():
            raise RegistryError(422, 42201, "Invalid schema: empty Protobuf schema")
        return schema_type, text, references

    def compile_proto(self, text, references):
        """A .proto text's FileDescriptorProto in base64, compiled by protoc with its references
        (looked up in this store, recursively) beside it; None without protoc; RegistryError 422
        when protoc refuses it."""
        if shutil.which("protoc") is None:
            return None
        with tempfile.TemporaryDirectory() as d:
            def place(refs, depth=0):
                for r in refs:
                    if depth > 20:
                        raise RegistryError(422, 42201, "Invalid schema: references nest too deep")
                    try:
                        entry = self.schemas[self.subjects[r["subject"]][int(r["version"]) - 1]]
                    except (KeyError, IndexError, TypeError, ValueError):
                        raise RegistryError(422, 42201, f"Invalid schema: reference {r} not found")
                    path = os.path.join(d, r["name"])
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "w") as f:
                        f.write(entry["schema"])
                    place(entry["references"], depth + 1)
            place(references)
            with open(os.path.join(d, "schema.proto"), "w") as f:
                f.write(text)
            out = os.path.join(d, "set.desc")
            run = subprocess.run(["protoc", "--descriptor_set_out=" + out, "-I", d, "schema.proto"],
                                 capture_output=True, text=True)
            if run.returncode != 0:
                raise RegistryError(422, 42201, "Invalid schema: " + " ".join(run.stderr.split()[:40]))
            with open(out, "rb") as f:
                return base64.b64encode(first_file_of_set(f.read())).decode()

    def serialized(self, entry):
        """`?format=serialized` of a PROTOBUF schema."""
        if "serialized" not in entry:
            text = as_descriptor(entry["schema"])
            if text is None:
                text = self.compile_proto(entry["schema"], entry["references"])
            if text is None:
                raise RegistryError(422, 42201, "format=serialized needs protoc on the stand-in's PATH")
            entry["serialized"] = text
        return entry["serialized"]

    def versions_of(self, subject):
        versions = self.subjects.get(subject)
        if not versions or all(v is None for v in versions):
            raise RegistryError(404, 40401, f"Subject '{subject}' not found.")
        return versions

    def register(self, subject, body):
        schema_type, text, references = self.parse_request(body)
        key = self.key_of(schema_type, text, references)
        with self.lock:
            sid = self.by_key.get(key)
            if sid is None and schema_type == "PROTOBUF" and as_descriptor(text) is None:
                self.compile_proto(text, references)  # 422 when protoc refuses it
            if sid is None:
                sid = max(self.schemas, default=0) + 1
                self.schemas[sid] = {"schema": text, "schemaType": schema_type,
                                     "references": references, "key": key}
                self.by_key[key] = sid
            versions = self.subjects.setdefault(subject, [])
            if sid not in versions:
                versions.append(sid)
            self.save()
        return {"id": sid}

    def describe(self, subject, version, sid, fmt=None):
        entry = self.schemas[sid]
        text = self.serialized(entry) if fmt == "serialized" and entry["schemaType"] == "PROTOBUF" else entry["schema"]
        out = {"subject": subject, "version": version, "id": sid, "schema": text}
        if entry["schemaType"] != "AVRO":
            out["schemaType"] = entry["schemaType"]
        if entry["references"]:
            out["references"] = entry["references"]
        return out

    def lookup(self, subject, body):
        schema_type, text, references = self.parse_request(body)
        key = self.key_of(schema_type, text, references)
        with self.lock:
            versions = self.versions_of(subject)
            sid = self.by_key.get(key)
            if sid is None or sid not in versions:
                raise RegistryError(404, 40403, "Schema not found")
            return self.describe(subject, versions.index(sid) + 1, sid)

    def version(self, subject, version, fmt=None):
        with self.lock:
            versions = self.versions_of(subject)
            if version in ("latest", "-1"):
                number = max(i + 1 for i, v in enumerate(versions) if v is not None)
            else:
                try:
                    number = int(version)
                except ValueError:
                    number = 0
                if number < 1:
                    raise RegistryError(422, 42202, f"The specified version '{version}' is not a valid "
                                        "version id. Allowed values are between [1, 2^31-1] and the string \"latest\"")
                if number > len(versions) or versions[number - 1] is None:
                    raise RegistryError(404, 40402, f"Version {version} not found.")
            return self.describe(subject, number, versions[number - 1], fmt)

    def by_id(self, sid, fmt=None):
        with self.lock:
            entry = self.schemas.get(sid)
            if entry is None:
                raise RegistryError(404, 40403, f"Schema {sid} not found")
            text = self.serialized(entry) if fmt == "serialized" and entry["schemaType"] == "PROTOBUF" else entry["schema"]
            out = {"schema": text}
            if entry["schemaType"] != "AVRO":
                out["schemaType"] = entry["schemaType"]
            if entry["references"]:
                out["references"] = entry["references"]
            return out

    def id_versions(self, sid):
        with self.lock:
            if sid not in self.schemas:
                raise RegistryError(404, 40403, f"Schema {sid} not found")
            return [{"subject": s, "version": i + 1} for s, vs in sorted(self.subjects.items())
                    for i, v in enumerate(vs) if v == sid]

    def delete_subject(self, subject):
        with self.lock:
            versions = self.versions_of(subject)
            deleted = [i + 1 for i, v in enumerate(versions) if v is not None]
            del self.subjects[subject]
            self.save()
            return deleted

    def delete_version(self, subject, version):
        described = self.version(subject, version)
        with self.lock:
            self.subjects[subject][described["version"] - 1] = None
            self.save()
        return described["version"]

    def subject_names(self):
        with self.lock:
            return sorted(s for s, vs in self.subjects.items() if any(v is not None for v in vs))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "schema-registry-stand-in"

    def log_message(self, fmt, *args):  # the one-line request log is written by reply()
        pass

    def reply(self, status, payload, extra_headers=()):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", CONTENT_TYPE)
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        sys.stderr.write(f"{self.command} {self.path} {status}\n")
        sys.stderr.flush()

    def authorized(self):
        opts = self.server.opts
        if not opts.basic and not opts.bearer:
            return True
        given = self.headers.get("Authorization", "")
        if opts.basic and given == "Basic " + base64.b64encode(opts.basic.encode()).decode():
            return True
        return bool(opts.bearer) and given == "Bearer " + opts.bearer

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        opts = self.server.opts
        if opts.delay_ms:
            time.sleep(opts.delay_ms / 1000)
        with self.server.counter_lock:
            self.server.requests += 1
            failing = self.server.requests <= opts.fail_first
        if failing:
            return self.reply(500, {"error_code": 50001, "message": "Error in the backend data store (stand-in --fail-first)"})
        if not self.authorized():
            challenge = "Bearer" if opts.bearer and not opts.basic else 'Basic realm="SchemaRegistry"'
            return self.reply(401, {"error_code": 40101, "message": "Unauthorized"},
                              [("WWW-Authenticate", challenge)])
        body = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError as e:
                return self.reply(400, {"error_code": 400, "message": f"Unrecognized JSON body: {e}"})
        try:
            status, payload = self.route(body)
        except RegistryError as e:
            status, payload = e.status, {"error_code": e.code, "message": e.message}
        self.reply(status, payload)

    def route(self, body):
        store = self.server.store
        url = urlsplit(self.path)
        parts = [unquote(p) for p in url.path.split("/") if p]
        fmt = (parse_qs(url.query).get("format") or [None])[0]
        m = self.command
        if m == "GET" and not parts:
            return 200, {}
        head = parts[0] if parts else ""
        if head == "subjects":
            if len(parts) == 1 and m == "GET":
                return 200, store.subject_names()
            subject = parts[1] if len(parts) > 1 else ""
            if len(parts) == 2:
                if m == "POST":
                    return 200, store.lookup(subject, body)
                if m == "DELETE":
                    return 200, store.delete_subject(subject)
            if len(parts) == 3 and parts[2] == "versions":
                if m == "POST":
                    return 200, store.register(subject, body)
                if m == "GET":
                    return 200, [i + 1 for i, v in enumerate(store.versions_of(subject)) if v is not None]
            if len(parts) == 4 and parts[2] == "versions":
                if m == "GET":
                    return 200, store.version(subject, parts[3], fmt)
                if m == "DELETE":
                    return 200, store.delete_version(subject, parts[3])
            if len(parts) == 5 and parts[2] == "versions" and parts[4] == "schema" and m == "GET":
                return 200, json.loads(store.version(subject, parts[3])["schema"])
        elif head == "schemas" and m == "GET":
            if parts[1:2] == ["types"] and len(parts) == 2:
                return 200, list(TYPES)
            if len(parts) >= 3 and parts[1] == "ids":
                try:
                    sid = int(parts[2])
                except ValueError:
                    raise RegistryError(404, 40403, f"Schema {parts[2]} not found")
                if len(parts) == 3:
                    return 200, store.by_id(sid, fmt)
                if len(parts) == 4 and parts[3] == "versions":
                    return 200, store.id_versions(sid)
                if len(parts) == 4 and parts[3] == "subjects":
                    return 200, sorted({v["subject"] for v in store.id_versions(sid)})
                if len(parts) == 4 and parts[3] == "schema":
                    return 200, json.loads(store.by_id(sid)["schema"])
        elif head == "config" and len(parts) == 1:
            if m == "GET":
                return 200, {"compatibilityLevel": "BACKWARD"}
            if m == "PUT":
                return 200, {"compatibility": (body or {}).get("compatibility", "BACKWARD")}
        elif head == "config" and len(parts) == 2 and m == "GET":
            raise RegistryError(404, 40408, f"Subject '{parts[1]}' does not have subject-level compatibility configured")
        elif head == "mode" and len(parts) <= 2 and m == "GET":
            return 200, {"mode": "READWRITE"}
        raise RegistryError(404, 404, "HTTP 404 Not Found")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, opts, store, tls_context):
        self.opts, self.store, self.tls_context = opts, store, tls_context
        self.requests = 0
        self.counter_lock = threading.Lock()
        super().__init__(("127.0.0.1", opts.port), Handler)

    def finish_request(self, request, client_address):
        # TLS per connection, in the connection's own thread: a client that stalls or fails
        # the handshake never blocks accept().
        if self.tls_context is not None:
            request.settimeout(10)
            try:
                request = self.tls_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError) as e:
                sys.stderr.write(f"TLS handshake failed: {e}\n")
                sys.stderr.flush()
                return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        sys.stderr.write(f"connection error: {sys.exc_info()[1]!r}\n")
        sys.stderr.flush()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--client-ca", metavar="CA")
    p.add_argument("--basic", metavar="USER:PASS")
    p.add_argument("--bearer", metavar="TOKEN")
    p.add_argument("--fail-first", type=int, default=0, metavar="N")
    p.add_argument("--delay-ms", type=int, default=0, metavar="N")
    p.add_argument("--state", metavar="FILE")
    opts = p.parse_args(argv)
    if opts.client_ca and not opts.tls:
        p.error("--client-ca needs --tls")
    if opts.basic and ":" not in opts.basic:
        p.error("--basic takes USER:PASS")

    context = None
    if opts.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(opts.tls[0], opts.tls[1])
        if opts.client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(opts.client_ca)

    server = Server(opts, Store(opts.state), context)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    scheme = "https" if context else "http"
    print(f"{scheme}://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
