// libFuzzer's entry point (`make fuzz`): builds only with `--sanitize=fuzzer`, which supplies
// `main`; in a normal build this target is an empty program. The parser under test is named
// by $KAFKA_EMIT_FUZZ_TARGET (see FuzzTargets.names, and ArgvFuzz for the command line).
@_spi(Engine) import KafkaEmit
import KafkaEmitEngine
import KafkaEmitCLI
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) private var target: String?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if target == nil {
        target = getenv("KAFKA_EMIT_FUZZ_TARGET").map { String(cString: $0) } ?? "templates"
    }
    let input = UnsafeRawBufferPointer(start: data, count: size)
    if target == ArgvFuzz.name {
        ArgvFuzz.run(input)
    } else {
        FuzzTargets.run(target!, input)
    }
    return 0
}
