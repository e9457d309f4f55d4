import ArgumentParser
import Foundation
import Integrations
import SIPCore
import Store
import TraceFormats
import TraceSynthesis

/// `agentctl bench index`: an export directory of about a gigabyte (a
/// signalling-only capture, a capture with RTP, a raw SIP trace rotated
/// into files, one of them gzipped), indexed into a fresh SQLite file:
/// MB/s per kind and overall, the unchanged second run, and the lookup of
/// one call by Call-ID through the index. Figures only; nothing passes.
struct BenchIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build an export directory of mixed captures and text traces, and time agentctl index and a lookup over it.",
        discussion: "Figures only mean something in a release build: swift run -c release agentctl bench index"
    )

    @Option(name: .customLong("size-mb"), help: ArgumentHelp("About how many megabytes the directory holds.", valueName: "MB"))
    var megabytes: Int = 1024

    @Option(help: "Lookups timed for the latency figures.")
    var lookups: Int = 200

    @Flag(help: "Keep the generated directory and database (their paths are printed).")
    var keep = false

    func validate() throws {
        guard megabytes >= 10, megabytes <= 8192 else { throw ValidationError("--size-mb must be 10...8192") }
        guard lookups > 0, lookups <= 100_000 else { throw ValidationError("--lookups must be 1...100000") }
    }

    func run() throws {
        #if DEBUG
        print("build: debug (figures are not representative; use swift run -c release agentctl bench index)")
        #else
        print("build: release")
        #endif
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("agentctl-bench-index-\(getpid())").path
        defer { if !keep { try? FileManager.default.removeItem(atPath: root) } }
        let (kinds, samples) = try build(in: root)
        let database = try StoreDatabase(path: root + "/agentctl.sqlite")
        let indexer = ExportIndexer(store: database.traceIndex)
        print("")
        print("The scan alone (spans kept in memory), then the same into SQLite (what agentctl index does):")
        print("")
        print("| files | MB read (uncompressed) | MB on disk | calls | scan s | scan MB/s | into SQLite s | MB/s | CPU s | CPU MB/s |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        var total = IndexSummary(), scanTotal = IndexSummary()
        var cpuTotal = 0.0
        for (name, dir) in kinds {
            let scan = try ExportIndexer(store: InMemoryTraceIndex()).index([dir])
            let cpuBefore = Self.cpuSeconds()
            let s = try indexer.index([dir])
            let cpu = Self.cpuSeconds() - cpuBefore
            row(name, scan, s, cpu: cpu)
            total.add(s)
            scanTotal.add(scan)
            cpuTotal += cpu
        }
        row("all", scanTotal, total, cpu: cpuTotal)
        try oneRun(over: root)
        let again = try indexer.index(kinds.map(\.1))
        print("")
        print("second run, nothing changed: \(again.unchanged) files unchanged, \(again.indexed) read, \(FixedPoint.text(again.seconds * 1000, 1)) ms")
        print("database: \(FixedPoint.text(Double(database.sizeOnDisk()) / 1e6, 1)) MB for \(total.calls) calls")
        lookupLatency(kinds.map(\.1), database.traceIndex, samples)
        if keep { print("kept: \(root)") }
    }

    /// What `agentctl index DIR` does with the same files in one run, into
    /// a fresh database: one kind's writes overlap the next kind's scan.
    private func oneRun(over root: String) throws {
        let path = root + "-one-run.sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) } }
        let database = try StoreDatabase(path: path)
        let cpuBefore = Self.cpuSeconds()
        // The bench's own database lies in the directory: not a trace.
        let run = try ExportIndexer(store: database.traceIndex)
            .index([ExportDirectory(path: root, include: ["*.pcap", "*.log", "*.log.gz"], settleSeconds: 0)])
        let cpu = Self.cpuSeconds() - cpuBefore
        print("")
        print("one run over the whole directory (agentctl index DIR), a fresh database: \(run.indexed) files, \(run.calls) calls, \(FixedPoint.text(run.seconds, 2)) s, \(FixedPoint.text(run.megabytesPerSecond, 0)) MB/s; CPU \(FixedPoint.text(cpu, 2)) s, \(FixedPoint.text(Double(run.streamBytes) / 1e6 / max(cpu, 1e-9), 0)) MB/s")
    }

    /// CPU of the indexing into SQLite, every thread of the process (the
    /// scan and the background writer): more than the wall time when they
    /// overlap, and what a loaded machine does not distort.
    private func row(_ name: String, _ scan: IndexSummary, _ s: IndexSummary, cpu: Double) {
        func mb(_ n: Int64) -> String { FixedPoint.text(Double(n) / 1e6, 1) }
        let cpuRate = cpu > 0 ? Double(s.streamBytes) / 1e6 / cpu : 0
        print("| \(name) (\(s.indexed)) | \(mb(s.streamBytes)) | \(mb(s.bytesRead)) | \(s.calls) | \(FixedPoint.text(scan.seconds, 2)) | \(FixedPoint.text(scan.megabytesPerSecond, 0)) | \(FixedPoint.text(s.seconds, 2)) | \(FixedPoint.text(s.megabytesPerSecond, 0)) | \(FixedPoint.text(cpu, 2)) | \(FixedPoint.text(cpuRate, 0)) |")
        fflush(nil)
    }

    /// User and system time of the whole process so far.
    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The directory, one subdirectory per kind so each is timed alone.
    private func build(in root: String) throws -> ([(String, ExportDirectory)], [String]) {
        let fm = FileManager.default
        var out: [(String, ExportDirectory)] = []
        func dir(_ name: String) throws -> String {
            let p = root + "/" + name
            try fm.createDirectory(atPath: p, withIntermediateDirectories: true)
            out.append((name, ExportDirectory(path: p, settleSeconds: 0)))
            return p
        }
        let start = ContinuousClock.now
        let mb = megabytes * 1_000_000
        let signalling = try BenchCapture(targetBytes: mb * 40 / 100).writeSignalling(to: try dir("signalling") + "/sbc.pcap")
        let media = try BenchCapture(targetBytes: mb * 30 / 100).write(to: try dir("rtp") + "/media.pcap")
        // The text trace rotated into files of about 50 MB, as a log is.
        let text = BenchCorpus(megabytes: megabytes * 30 / 100)
        let textDir = try dir("text")
        var pieces: [[UInt8]] = []
        var from = 0
        for (i, r) in text.ranges.enumerated() where r.upperBound - from >= 50_000_000 || i == text.ranges.count - 1 {
            // Cut after a message's separator line: each piece is whole messages.
            let end = min(text.bytes.count, r.upperBound + 2)
            pieces.append(Array(text.bytes[from..<end]))
            from = end
        }
        for (i, piece) in pieces.enumerated() {
            try Data(piece).write(to: URL(fileURLWithPath: textDir + "/sip-\(i).log"))
        }
        // The last piece gzipped instead, in a directory of its own.
        let gzDir = try dir("gz")
        let last = textDir + "/sip-\(pieces.count - 1).log"
        try gzip(last, to: gzDir + "/sip-\(pieces.count - 1).log.gz")
        if pieces.count > 1 { try fm.removeItem(atPath: last) } else { out.removeAll { $0.0 == "text" } }
        print("built in \((ContinuousClock.now - start).components.seconds) s: signalling capture \(signalling.calls) calls \(signalling.bytes / 1_000_000) MB, RTP capture \(media.calls) calls \(media.bytes / 1_000_000) MB, raw SIP \(text.calls) calls in \(pieces.count) files \(text.bytes.count / 1_000_000) MB, the last of them gzipped")
        let samples = [signalling.sampleCallID, media.sampleCallID] + (0..<8).map { BenchCorpus.callID(($0 * 7919) % max(1, text.calls)) }
        return (out, samples)
    }

    private func gzip(_ input: String, to output: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["gzip", "-c", "-1", input]
        fm.createFile(atPath: output, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ValidationError("gzip failed on \(input): is gzip installed?") }
    }

    private var fm: FileManager { .default }

    private func lookupLatency(_ dirs: [ExportDirectory], _ index: any TraceIndexStore, _ samples: [String]) {
        let source = ExportDirectorySource(directories: dirs, store: index)
        let ids = (0..<lookups).map { samples[$0 % samples.count] }
        var times: [Double] = []
        var found = 0
        for id in ids {
            let t = ContinuousClock.now
            if (try? source.find(callID: id)) != nil { found += 1 }
            let d = ContinuousClock.now - t
            times.append(d.inSeconds * 1000)
        }
        times.sort()
        let p50 = times[times.count / 2], p99 = times[min(times.count - 1, times.count * 99 / 100)]
        print("lookup by Call-ID through the index, spans read and the trace assembled (\(found)/\(ids.count) found): p50 \(FixedPoint.text(p50, 2)) ms, p99 \(FixedPoint.text(p99, 2)) ms")
    }
}

extension IndexSummary {
    mutating func add(_ s: IndexSummary) {
        indexed += s.indexed
        bytesRead += s.bytesRead
        streamBytes += s.streamBytes
        calls += s.calls
        seconds += s.seconds
    }
}
