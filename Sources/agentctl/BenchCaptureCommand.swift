import ArgumentParser
import Foundation
import TraceFormats
import TraceSynthesis

/// `agentctl bench capture`: a capture of about a gigabyte (many calls,
/// RTP both ways), then tshark and agentctl side by side on it: listing
/// the Call-IDs, diagnosing one call, scan rate and peak memory. Each is
/// run as its own process so its time and memory are its own.
struct BenchCaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Build a large capture and time tshark against agentctl on it.",
        discussion: "Figures only mean something in a release build: swift run -c release agentctl bench capture"
    )

    @Option(name: .customLong("size-mb"), help: ArgumentHelp("Size of the generated capture, in megabytes.", valueName: "MB"))
    var megabytes: Int = 1024

    @Option(help: "Measure this capture instead of generating one (needs --call-id).")
    var file: String?

    @Option(name: .customLong("call-id"), help: ArgumentHelp("The call to diagnose in --file.", valueName: "ID"))
    var callID: String?

    @Option(help: "Times each agentctl measurement is repeated; the fastest run is reported (the file is then in the page cache). tshark, a minute per gigabyte, runs once.")
    var runs: Int = 3

    @Flag(help: "Keep the generated capture (its path is printed).")
    var keep = false

    func validate() throws {
        guard megabytes > 0, megabytes <= 8192 else { throw ValidationError("--size-mb must be 1...8192") }
        guard runs > 0, runs <= 20 else { throw ValidationError("--runs must be 1...20") }
        if file != nil, callID == nil { throw ValidationError("--file needs --call-id: the call to diagnose in it") }
    }

    func run() throws {
        #if DEBUG
        print("build: debug (figures are not representative; use swift run -c release agentctl bench capture)")
        #else
        print("build: release")
        #endif
        let (path, sample, generated) = try capture()
        defer { if generated && !keep { unlink(path) } }
        let size = Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        let me = CommandLine.arguments[0].contains("/") ? CommandLine.arguments[0] : "/proc/self/exe"
        let ours = URL(fileURLWithPath: me).resolvingSymlinksInPath().path

        let tshark = Self.which("tshark").flatMap { best(["\($0)", "-r", path, "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID"], runs: 1) }
        let list = best([ours, "calls", path])
        let diagnose = best([ours, "diagnose", path, "--call-id", sample])

        print("capture: \(path), \(FixedPoint.text(size / 1e6, 1)) MB")
        print("")
        print("                                   time      MB/s   peak memory")
        if let t = tshark { print(row("tshark -Y sip -e sip.Call-ID", t, size)) } else { print("tshark                             not installed (apt-get install tshark)") }
        if let l = list { print(row("agentctl calls (Call-ID list)", l, size)) }
        if let d = diagnose { print(row("agentctl diagnose --call-id", d, size)) }
        if let t = tshark, let l = list, l.seconds > 0 {
            print("")
            print("agentctl lists the Call-IDs \(FixedPoint.text(t.seconds / l.seconds, 1))x faster than tshark")
        }
    }

    /// The fastest of `runs` runs; failed runs are reported, not hidden.
    private func best(_ argv: [String], runs: Int? = nil) -> ChildRun? {
        var fastest: ChildRun?
        for _ in 0..<(runs ?? self.runs) {
            guard let r = ChildRun.run(argv) else { print("could not start \(argv[0])"); return nil }
            guard r.status == 0 else { print("\(argv.joined(separator: " ")) exited with \(r.status)"); return nil }
            if fastest == nil || r.seconds < fastest!.seconds { fastest = r }
        }
        return fastest
    }

    private func row(_ name: String, _ r: ChildRun, _ size: Double) -> String {
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        func left(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        return pad(name, 32) + left(FixedPoint.text(r.seconds, 2) + " s", 9) + left(FixedPoint.text(size / 1e6 / r.seconds, 0), 10)
            + left(FixedPoint.text(Double(r.peakRSS) / 1e6, 1) + " MB", 14)
    }

    private func capture() throws -> (path: String, callID: String, generated: Bool) {
        if let file, let callID { return (file, callID, false) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("agentctl-bench-\(getpid()).pcap").path
        let start = ContinuousClock.now
        let summary = try BenchCapture(targetBytes: megabytes * 1_000_000).write(to: path)
        let took = ContinuousClock.now - start
        print("built: \(summary.calls) calls, \(summary.frames) frames, \(FixedPoint.text(Double(summary.bytes) / 1e6, 1)) MB in \(took.components.seconds) s")
        fflush(nil)
        return (path, summary.sampleCallID, true)
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }
}
