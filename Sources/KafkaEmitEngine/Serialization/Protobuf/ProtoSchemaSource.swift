@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// Where a Protobuf schema's descriptors come from (SPEC §2b):
/// - a descriptor set file (`protoc -o x.desc --include_imports x.proto`; `.desc`/`.pb`): read
///   as it is; its last file (protoc writes dependencies first) is the schema, registered as
///   the base64 of its FileDescriptorProto, as confluent-kafka's own ProtobufSerializer does;
/// - a `.proto` file or inline text: compiled with `protoc` (which must be on PATH), and
///   registered as its text;
/// - the registry: `GET /schemas/ids/N?format=serialized` answers the FileDescriptorProto in
///   base64 (Confluent's registry does; so does tests/registry/stand_in.py).
/// Imports: google/protobuf/* are built in (the encoder knows Timestamp, Duration and the
/// wrappers by name); other imports work from a descriptor set or a local .proto, but are not
/// yet registered as references, nor followed from the registry.
enum ProtoSchemaSource {
    struct Local {
        var files: [ProtoFile]
        /// The schema's file in `files`.
        var main: Int
        /// What to register: the .proto text, or the main file's descriptor in base64.
        var registryText: String
    }

    static func isDescriptorSet(_ path: String) -> Bool {
        path.hasSuffix(".desc") || path.hasSuffix(".pb") || path.hasSuffix(".protoset")
    }

    /// A local schema: a descriptor set, a .proto file, or .proto text (`value.schema=`).
    static func local(path: String?, text: String?, flag: String) throws(EmitError) -> Local {
        if let path, isDescriptorSet(path) {
            let bytes = try readBytes(path, flag: flag)
            do {
                let files = try ProtoDescriptors.fileSet(bytes)
                let ranges = try ProtoDescriptors.fileRanges(bytes)
                return Local(files: files, main: files.count - 1, registryText: Base64.encode(Array(bytes[ranges[ranges.count - 1]])))
            } catch {
                throw .dataError("\(flag) '\(path)': not a protobuf descriptor set (\(error.message)); make one with protoc -o FILE --include_imports X.proto")
            }
        }
        let source: String
        let dir: String
        let name: String
        var scratch: String?
        if let path {
            source = String(decoding: try readBytes(path, flag: flag), as: UTF8.self)
            let slash = path.lastIndex(of: "/")
            dir = slash.map { String(path[..<$0]) } ?? "."
            name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        } else {
            source = text ?? ""
            scratch = try makeTempDir()
            dir = scratch!
            name = "schema.proto"
            try writeFile(dir + "/" + name, Array(source.utf8), flag: flag)
        }
        defer { if let scratch { unlink(scratch + "/" + name); rmdir(scratch) } }
        let bytes = try compile(dir: dir, file: name, flag: flag)
        do {
            let files = try ProtoDescriptors.fileSet(bytes)
            return Local(files: files, main: files.lastIndex { $0.name == name } ?? files.count - 1, registryText: source)
        } catch {
            throw .internalError("protoc's descriptor set could not be read: \(error.message)")
        }
    }

    /// A registry's `?format=serialized` answer: one FileDescriptorProto in base64.
    static func serialized(_ text: String, id: Int, flag: String) throws(EmitError) -> Local {
        let out = ByteBuffer(capacity: text.utf8.count)
        var ok = false
        Array(text.utf8).withUnsafeBytes { ok = ProtobufEncoder.base64($0, into: out) }
        guard ok else {
            throw .unavailable("\(flag): the registry's schema \(id) came back as Protobuf text, not a base64 descriptor (GET /schemas/ids/\(id)?format=serialized): this registry does not serve the serialized format")
        }
        do {
            return Local(files: [try ProtoDescriptors.file(Array(out.bytes))], main: 0, registryText: text)
        } catch {
            throw .dataError("\(flag): the registry's schema \(id) is not a readable FileDescriptorProto: \(error.message)")
        }
    }

    // MARK: protoc

    /// Runs `protoc --include_imports --descriptor_set_out=… -I DIR FILE`; its messages, when it
    /// refuses the file, become a 65 (an invalid schema).
    private static func compile(dir: String, file: String, flag: String) throws(EmitError) -> [UInt8] {
        let tmp = try makeTempDir()
        let setPath = tmp + "/set.desc", errPath = tmp + "/stderr"
        defer { unlink(setPath); unlink(errPath); rmdir(tmp) }
        let args = ["protoc", "--include_imports", "--descriptor_set_out=" + setPath, "-I", dir, file]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, "protoc", &actions, nil, &argv, environ)
        guard rc == 0 else {
            if rc == ENOENT {
                throw .usage("\(flag): a .proto schema needs protoc on PATH (Debian/Ubuntu: apt-get install protobuf-compiler), or give a descriptor set made with protoc -o FILE --include_imports")
            }
            throw .resource("\(flag): cannot start protoc: \(String(cString: strerror(rc)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7F == 0
        guard exited && (status >> 8) & 0xFF == 0 else {
            let err = (try? readBytes(errPath, flag: "protoc")).map { String(decoding: $0, as: UTF8.self) } ?? ""
            // protoc's own warnings ("[libprotobuf WARNING …]") are not the reason.
            let first = err.split(separator: "\n").filter { !$0.hasPrefix("[libprotobuf WARNING") }.prefix(3).joined(separator: "; ")
            throw .dataError("\(flag): protoc refused the schema: \(first.isEmpty ? "exit status \(status)" : first)")
        }
        return try readBytes(setPath, flag: "protoc's output")
    }

    private static func makeTempDir() throws(EmitError) -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((base + "/kafka-emit-proto.XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw .resource("cannot make a temporary folder in \(base): \(String(cString: strerror(errno)))")
        }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func writeFile(_ path: String, _ bytes: [UInt8], flag: String) throws(EmitError) {
        guard let f = fopen(path, "wb") else { throw .resource("\(flag): cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { fclose(f) }
        guard fwrite(bytes, 1, bytes.count, f) == bytes.count else { throw .resource("\(flag): cannot write \(path)") }
    }

    /// A schema file's bytes (any kind: SchemaResolver reads .avsc and .json files with it too).
    static func readBytes(_ path: String, flag: String) throws(EmitError) -> [UInt8] {
        guard let f = fopen(path, "rb") else {
            throw .cannotOpen("\(flag) '\(path)': \(String(cString: strerror(errno))); check the path")
        }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n > 0 { bytes += chunk[0..<n] }
            if n < chunk.count {
                if ferror(f) != 0 { throw .cannotOpen("\(flag) '\(path)': cannot be read (is it a directory?)") }
                break
            }
        }
        return bytes
    }
}
