import TraceFormats

/// How to turn a text trace into a capture: where each participant sits
/// and which RTP flows between them. The project's capture fixtures are
/// these small scripts (`Fixtures/captures/*.capture`) plus the text
/// traces they name, never committed binaries.
///
/// ```
/// # The callee's audio never reaches the phone behind NAT.
/// trace: ../traces/field-guide/outbound-call.txt
/// host PHONE 198.51.100.77
/// rtp PHONE -> CORE
/// rtp CORE -> PHONE to 10.10.1.50:2222 loss 100%
/// ```
public struct CaptureScript: Sendable, Equatable {
    /// The text trace, relative to the script's folder.
    public var trace: String
    /// Address of each trace label (`PHONE`): the SIP it sends and
    /// receives, and the source of its RTP.
    public var hosts: [String: String]
    public var media: [MediaFlow]
    /// Seeds the random parts (loss pattern, jitter) so a script always
    /// builds the same bytes.
    public var seed: UInt64

    public init(trace: String, hosts: [String: String] = [:], media: [MediaFlow] = [], seed: UInt64 = 1) {
        self.trace = trace
        self.hosts = hosts
        self.media = media
        self.seed = seed
    }

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public init(parsing text: String) throws(ParseError) {
        var trace: String?
        var hosts: [String: String] = [:]
        var media: [MediaFlow] = []
        var seed: UInt64 = 1
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard let head = words.first else { continue }
            switch head {
            case "trace:":
                guard words.count == 2 else { throw ParseError(line: n + 1, reason: "trace: takes one path") }
                trace = words[1]
            case "seed:":
                guard words.count == 2, let s = UInt64(words[1]) else { throw ParseError(line: n + 1, reason: "seed: takes a number") }
                seed = s
            case "host":
                guard words.count == 3, NetAddress(words[2]) != nil else {
                    throw ParseError(line: n + 1, reason: "host takes a label and an IP address: host PHONE 10.0.0.5")
                }
                hosts[words[1]] = words[2]
            case "rtp":
                do {
                    media.append(try MediaFlow(words: Array(words.dropFirst())))
                } catch {
                    throw ParseError(line: n + 1, reason: error.reason)
                }
            default:
                throw ParseError(line: n + 1, reason: "unknown line '\(head)'; expected trace:, seed:, host or rtp")
            }
        }
        guard let trace else { throw ParseError(line: 0, reason: "no trace: line names the text trace to build from") }
        self.init(trace: trace, hosts: hosts, media: media, seed: seed)
    }
}
