import Foundation

/// tshark, the reference decoder, run as a process: what it says a
/// capture holds, parsed from its text output.
enum Tshark {
    /// The tshark on PATH, or nil (the reference tests then skip).
    static let path: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let p = "\(dir)/tshark"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    /// The public captures folder beside the project, or nil when absent.
    static let publicCaptures: URL? = {
        let dir = FixturePath.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/public-pcaps")
        return FileManager.default.fileExists(atPath: dir.path) ? dir : nil
    }()

    static var publicCaptureFiles: [URL] {
        guard let dir = publicCaptures,
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.filter { !$0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted().map { dir.appendingPathComponent($0) }
    }

    static func run(_ arguments: [String]) throws -> String {
        guard let path else { throw TsharkMissing() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    struct TsharkMissing: Error {}

    /// SIP messages per Call-ID, one count per message (a TCP segment
    /// with two messages counts twice).
    static func sipCallIDCounts(_ file: String) throws -> [String: Int] {
        let text = try run(["-r", file, "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID", "-E", "occurrence=a", "-E", "aggregator=/s"])
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            for id in line.split(separator: " ") { counts[String(id), default: 0] += 1 }
        }
        return counts
    }

    /// One row of `tshark -q -z rtp,streams`.
    struct StreamRow: Equatable {
        var source: String
        var destination: String
        var ssrc: UInt32
        var packets: Int
        var lost: Int
        var meanJitterMs: Double
        var maxJitterMs: Double
    }

    /// The RTP streams tshark finds, with its RTP heuristic on so that
    /// streams without SDP are listed too.
    static func rtpStreams(_ file: String, decodeAs: String? = nil) throws -> [StreamRow] {
        let decode = decodeAs.map { ["-d", $0] } ?? []
        let text = try run(["-o", "rtp.heuristic_rtp:TRUE"] + decode + ["-r", file, "-q", "-z", "rtp,streams"])
        return parseStreams(text)
    }

    /// One line per frame: "seconds.nanoseconds<TAB>caplen<TAB>len".
    static func frameLines(_ file: String) throws -> [String] {
        try run(["-r", file, "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.cap_len", "-e", "frame.len"])
            .split(separator: "\n").map(String.init)
    }

    /// Columns: start end srcIP srcPort dstIP dstPort SSRC payload(s) pkts
    /// lost (pct) minDelta meanDelta maxDelta minJitter meanJitter
    /// maxJitter [problem]. The payload column may hold "g711A, CN", so
    /// the row is read from both ends.
    static func parseStreams(_ text: String) -> [StreamRow] {
        var rows: [StreamRow] = []
        for line in text.split(separator: "\n") {
            var f = line.split(separator: " ").map(String.init)
            guard f.count >= 17, f[6].hasPrefix("0x"), let ssrc = UInt32(f[6].dropFirst(2), radix: 16) else { continue }
            if f.last == "X" { f.removeLast() }
            let n = f.count
            guard let maxJ = Double(f[n - 1]), let meanJ = Double(f[n - 2]),
                  let lost = Int(f[n - 8]), let pkts = Int(f[n - 9]) else { continue }
            rows.append(StreamRow(source: "\(f[2]):\(f[3])", destination: "\(f[4]):\(f[5])", ssrc: ssrc,
                                  packets: pkts, lost: lost, meanJitterMs: meanJ, maxJitterMs: maxJ))
        }
        return rows
    }
}
