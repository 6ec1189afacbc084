@_spi(Engine) import KafkaEmit
import KafkaEmitEngine
import KafkaEmitCLI
#if canImport(Glibc)
import Glibc
#endif

/// Shared with the signal handlers (which cannot capture).
let stopSignal = StopSignal()

/// SIGINT, SIGTERM and SIGHUP stop the run (a second one abandons the drain); SIGHUP — the
/// terminal or ssh session went away — is handled as SIGTERM, exit 129. SIGUSR1 asks for a
/// progress line, as `dd` does.
private func installSignalHandlers() {
    signal(SIGPIPE, SIG_IGN)
    let handler: @convention(c) (Int32) -> Void = { sig in
        if sig == SIGUSR1 {
            stopSignal.progressRequested()
            return
        }
        let reason: StopReason = sig == SIGTERM ? .terminated : sig == SIGHUP ? .hangup : .interrupted
        let n = stopSignal.signalReceived(reason)
        // A third signal while even the abandon path is stuck: leave at once.
        if n >= 3 { _exit(ExitStatus.code(forSignal: reason)) }
    }
    var action = sigaction()
    action.__sigaction_handler.sa_handler = handler
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    for sig in [SIGINT, SIGTERM, SIGHUP, SIGUSR1] { sigaction(sig, &action, nil) }
}

/// One line on stderr and the exit code.
private func fail(_ message: String, code: Int32) -> Never {
    writeAll(2, "kafka-emit: \(oneLine(message))\n")
    exit(code)
}

/// A value quoted from the command line or the input may hold line breaks or control bytes:
/// they are escaped, so a message stays one line.
private func oneLine(_ message: String) -> String {
    var line = ""
    for u in message.unicodeScalars {
        switch u {
        case "\n": line += "\\n"
        case "\r": line += "\\r"
        case "\t": line += "\\t"
        case _ where u.value < 0x20 || u.value == 0x7F: line += "\\x" + (u.value < 16 ? "0" : "") + String(u.value, radix: 16)
        default: line.unicodeScalars.append(u)
        }
    }
    return line
}

StandardStreams.prepare()
diagnosticsAbandonFD = stopSignal.abandonFD

let command: EmitCommand
do {
    switch try CommandLineParser.parse(Array(CommandLine.arguments.dropFirst())) {
    case .run(let c): command = c
    case .help:
        writeAll(1, HelpText.render())
        exit(ExitStatus.ok)
    case .completionScript(let shell):
        writeAll(1, CompletionScripts.render(shell))
        exit(ExitStatus.ok)
    case .manual:
        writeAll(1, ManPage.render())
        exit(ExitStatus.ok)
    }
} catch {
    fail(error.description + (error.seeHelp ? " (see kafka-emit --help)" : ""), code: ExitStatus.usage)
}

if command.output.showVersion {
    writeAll(1, EmitCommand.versionText + "\n")
    exit(ExitStatus.ok)
}
// kcat's -X list and -X dump: print and exit, no broker needed.
if command.connection.property.contains(.list) {
    LibrdkafkaInfo.printProperties()
    exit(ExitStatus.ok)
}
if command.connection.property.contains(.dump) {
    do {
        writeAll(1, try KafkaConfig.dumpText(command.properties(environment: ProcessEnvironment.all)))
        exit(ExitStatus.ok)
    } catch {
        fail(error.message, code: ExitStatus.code(for: error))
    }
}

let generates = command.input.effectiveInput == nil && command.input.files.isEmpty
let stdinIgnored = generates && StandardStreams.stdinHasData
do {
    let plan = try command.makePlan(environment: ProcessEnvironment.all)
    if StandardStreams.stdoutWasClosed && plan.output != .none {
        fail("stdout is closed, so result lines have nowhere to go; redirect it, or pass -o none", code: ExitStatus.ioError)
    }
    if stdinIgnored && !plan.quiet {
        writeAll(2, "kafka-emit: stdin is not read in generate mode; pass -i - to send its lines\n")
    }
    if case .format(let layout, let f)? = command.input.inputFormat, layout.lastFieldRunsToEnd {
        // rpk reads such a format the same way; say so once, since it is rarely what is meant.
        writeAll(2, "kafka-emit: warning: --input-format '\(oneLine(f))' has no record delimiter after its last field, so it reads the rest of the input as one record; end it with \\n for one record per line\n")
    }
    var inputs: [(flag: String, path: String)] = command.connection.configFile.map { [("--config-file", $0)] } ?? []
    switch plan.source {
    case .generate: break
    case .lines(let path, _, _, _): inputs.append(("--input", path))
    case .files(let paths): inputs += paths.map { ("FILE", $0) }
    }
    var outputs: [(flag: String, path: String)] = []
    if let p = plan.histogramLog { outputs.append(("--histogram-log", p)) }
    if let p = plan.statsFile { outputs.append(("--stats-file", p)) }
    if let p = command.load.summaryFile { outputs.append(("--summary-file", p)) }
    try checkOutputsAreNotInputs(inputs: inputs, outputs: outputs)
    if !plan.dryRun {
        // What a run needs from the system, checked before anything is sent (exit 71).
        try Headroom.ensureAddressSpace()
        try stopSignal.ensureComplete()
    }
    // --summary-file: opened before anything is sent, so a bad path costs nothing.
    let summaryFile = try command.load.summaryFile.map { path throws(EmitError) in try openOutputFile("--summary-file", path) }
    installSignalHandlers()
    let result = try EmitRun(plan: plan, stop: stopSignal).run()
    // --summary-file is written last, with the exit code: a failed write (a full disk) is
    // known only then. Its summary says the code the run would have had.
    var fileError = result.outputFileError
    if let fd = summaryFile, let path = command.load.summaryFile {
        let code = ExitStatus.code(for: result, outputFileFailed: fileError != nil)
        if let err = writeFully(fd, Summary.json(result, exitCode: code) + "\n") {
            fileError = fileError ?? "writing --summary-file '\(path)': \(String(cString: strerror(err)))"
        } else if close(fd) != 0 {
            fileError = fileError ?? "writing --summary-file '\(path)': \(String(cString: strerror(errno)))"
        }
    }
    let code = ExitStatus.code(for: result, outputFileFailed: fileError != nil)
    if !plan.quiet && !result.dryRun {
        writeAll(2, (plan.output == .json ? Summary.json(result, exitCode: code) : Summary.text(result, terminal: isatty(2) == 1)) + "\n")
    }
    if let m = result.message { writeAll(2, "kafka-emit: \(oneLine(m))\n") }
    if let f = fileError { writeAll(2, "kafka-emit: \(oneLine(f)); the records were sent and have their result lines\n") }
    exit(code)
} catch {
    let hint = stdinIgnored && error == .usage(error.message) ? " (stdin is not read in generate mode: pass -i - to send its lines)" : ""
    fail(error.message + hint, code: ExitStatus.code(for: error))
}

enum ProcessEnvironment {
    static var all: [String: String] {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return env
    }
}
