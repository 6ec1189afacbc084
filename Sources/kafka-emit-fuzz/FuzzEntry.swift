// libFuzzer's entry point (`make fuzz`): builds only with `--sanitize=fuzzer`, which supplies
// `main`; in a normal build this target is an empty program. The parser under test is named
// by $KAFKA_EMIT_FUZZ_TARGET (see FuzzTargets.names).
import KafkaEmitEngine
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) private var target: String?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if target == nil {
        target = getenv("KAFKA_EMIT_FUZZ_TARGET").map { String(cString: $0) } ?? "templates"
    }
    FuzzTargets.run(target!, UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
