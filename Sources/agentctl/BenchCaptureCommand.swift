import ArgumentParser
import Foundation
import TraceFormats
import TraceSynthesis

/// `agentctl bench capture`: captures of about a gigabyte (signalling
/// only, as port-5060 and SBC captures are; and calls with RTP both ways),
/// a raw SIP text trace, then agentctl beside tshark, sngrep and grep on
/// them: listing the Call-IDs, finding and diagnosing one call, time,
/// MB/s and peak memory. Each is run as its own process so that its time
/// and memory are its own.
struct BenchCaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Build large captures and a text trace, and time agentctl against tshark, sngrep and grep on them.",
        discussion: "Figures only mean something in a release build: swift run -c release agentctl bench capture"
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case signalling, media, both
    }

    @Option(name: .customLong("size-mb"), help: ArgumentHelp("Size of each generated capture, in megabytes.", valueName: "MB"))
    var megabytes: Int = 1024

    @Option(help: "Which capture to build: signalling (SIP only, ~280,000 calls a GB), media (calls with RTP both ways), or both.")
    var kind: Kind = .both

    @Option(name: .customLong("text-mb"), help: ArgumentHelp("Size of the raw SIP text trace to time diagnose --call-id and grep -c on; 0 skips it.", valueName: "MB"))
    var textMegabytes: Int = 200

    @Option(help: "Measure this capture or trace instead of generating them (needs --call-id).")
    var file: String?

    @Option(name: .customLong("call-id"), help: ArgumentHelp("The call to diagnose in --file.", valueName: "ID"))
    var callID: String?

    @Option(help: "Times each agentctl and grep measurement is repeated; the median (of wall and of CPU time) is reported. tshark and sngrep, a minute or so per gigabyte, run once.")
    var runs: Int = 3

    @Flag(name: .customLong("no-tools"), help: "Skip tshark and sngrep (their runs take minutes).")
    var noTools = false

    @Flag(help: "Keep the generated files (their paths are printed).")
    var keep = false

    func validate() throws {
        guard megabytes > 0, megabytes <= 8192 else { throw ValidationError("--size-mb must be 1...8192") }
        guard textMegabytes >= 0, textMegabytes <= 1000 else { throw ValidationError("--text-mb must be 0...1000 (text traces over 1 GB are refused)") }
        guard runs > 0, runs <= 20 else { throw ValidationError("--runs must be 1...20") }
        if file != nil, callID == nil { throw ValidationError("--file needs --call-id: the call to diagnose in it") }
    }

    func run() throws {
        #if DEBUG
        print("build: debug (figures are not representative; use swift run -c release agentctl bench capture)")
        #else
        print("build: release")
        #endif
        if let file, let callID {
            measure(file, callID, text: !TraceLoader.isCapture(headOf: file))
            return
        }
        if kind != .media { try generated("signalling only") { try BenchCapture(targetBytes: megabytes * 1_000_000).writeSignalling(to: $0) } }
        if kind != .signalling { try generated("calls with RTP") { try BenchCapture(targetBytes: megabytes * 1_000_000).write(to: $0) } }
        if textMegabytes > 0 { try textTrace() }
    }

    private func generated(_ what: String, _ build: (String) throws -> BenchCapture.Summary) throws {
        let path = scratch("pcap")
        defer { if !keep { unlink(path) } }
        let start = ContinuousClock.now
        let summary = try build(path)
        print("")
        print("built (\(what)): \(summary.calls) calls, \(summary.frames) frames, \(FixedPoint.text(Double(summary.bytes) / 1e6, 1)) MB in \((ContinuousClock.now - start).components.seconds) s")
        fflush(nil)
        measure(path, summary.sampleCallID, text: false)
    }

    private func textTrace() throws {
        let path = scratch("txt")
        defer { if !keep { unlink(path) } }
        let corpus = BenchCorpus(megabytes: textMegabytes)
        try Data(corpus.bytes).write(to: URL(fileURLWithPath: path))
        print("")
        print("built (raw SIP text): \(corpus.calls) calls, \(corpus.ranges.count) messages, \(FixedPoint.text(Double(corpus.bytes.count) / 1e6, 1)) MB")
        measure(path, BenchCorpus.callID(corpus.calls / 2), text: true)
    }

    /// One table: the tools that do the same job side by side.
    private func measure(_ path: String, _ id: String, text: Bool) {
        let size = Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        let me = CommandLine.arguments[0].contains("/") ? CommandLine.arguments[0] : "/proc/self/exe"
        let ours = URL(fileURLWithPath: me).resolvingSymlinksInPath().path
        print("file: \(path), \(FixedPoint.text(size / 1e6, 1)) MB, call \(id)")
        print("                                        time      MB/s       CPU  MB/s CPU   peak memory")
        var rows: [(String, ChildRun?)] = []
        if !text {
            rows.append(("agentctl calls (Call-ID list)", median([ours, "calls", path])))
            if !noTools { rows.append(("tshark -Y sip -e sip.Call-ID", tool("tshark", ["-r", path, "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID"]))) }
        }
        rows.append(("agentctl diagnose --call-id", median([ours, "diagnose", path, "--call-id", id])))
        if !text, !noTools {
            rows.append(("sngrep -N -q -I F -O out.pcap ID", tool("sngrep", ["-N", "-q", "-I", path, "-O", "/dev/null", id])))
            rows.append(("tshark -Y 'sip.Call-ID == \"ID\"'", tool("tshark", ["-r", path, "-Y", "sip.Call-ID == \"\(id)\""])))
        }
        if let grep = Self.which("grep") { rows.append(("grep -c ID (the floor)", median([grep, "-c", "-F", id, path], okStatus: [0, 1]))) }
        for (name, r) in rows {
            if let r { print(row(name, r, size)) } else { print(name.padding(toLength: 40, withPad: " ", startingAt: 0) + "not run") }
        }
        fflush(nil)
    }

    private func tool(_ name: String, _ args: [String]) -> ChildRun? {
        guard let path = Self.which(name) else {
            print("\(name): not installed (apt-get install -y \(name))")
            return nil
        }
        return median([path] + args, runs: 1)
    }

    /// The median of `runs` runs (the file is then in the page cache);
    /// failed runs are reported, not hidden.
    private func median(_ argv: [String], runs: Int? = nil, okStatus: Set<Int32> = [0]) -> ChildRun? {
        var all: [ChildRun] = []
        for _ in 0..<(runs ?? self.runs) {
            guard let r = ChildRun.run(argv) else { print("could not start \(argv[0])"); return nil }
            guard okStatus.contains(r.status) else { print("\(argv.joined(separator: " ")) exited with \(r.status)"); return nil }
            all.append(r)
        }
        // Wall and CPU medians each on their own: on a loaded machine the
        // run with the median wall time need not have the median CPU time.
        var mid = all.sorted { $0.seconds < $1.seconds }[all.count / 2]
        mid.cpuSeconds = all.map(\.cpuSeconds).sorted()[all.count / 2]
        return mid
    }

    private func row(_ name: String, _ r: ChildRun, _ size: Double) -> String {
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        func left(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        return pad(name, 38) + left(FixedPoint.text(r.seconds, 2) + " s", 9) + left(FixedPoint.text(size / 1e6 / r.seconds, 0), 10)
            + left(FixedPoint.text(r.cpuSeconds, 2) + " s", 10) + left(FixedPoint.text(size / 1e6 / max(r.cpuSeconds, 0.001), 0), 10)
            + left(FixedPoint.text(Double(r.peakRSS) / 1e6, 1) + " MB", 14)
    }

    private func scratch(_ ext: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("agentctl-bench-\(getpid()).\(ext)").path
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }
}
