import Foundation
import Testing
import TraceFormats

/// Every public capture beside the project, read by us and by tshark:
/// the same Call-IDs with the same number of SIP messages each, and per
/// RTP stream the same loss and a jitter within 5 %.
@Suite(.enabled(if: Tshark.path != nil && Tshark.publicCaptures != nil, "needs tshark and ../shared/fixtures/public-pcaps"))
struct TsharkReferenceTests {
    /// Below this, jitter differences are the capture clock's resolution
    /// (microsecond pcap timestamps), not a different computation.
    static let jitterFloorMs = 0.01

    @Test(arguments: Tshark.publicCaptureFiles)
    func sameCallIDsAndMessageCounts(_ file: URL) throws {
        let trace = try CaptureLoader.load(path: file.path)
        var ours: [String: Int] = [:]
        for m in trace.messages { if let id = m.message.callID { ours[id, default: 0] += 1 } }
        let theirs = try Tshark.sipCallIDCounts(file.path)
        #expect(ours == theirs, "\(file.lastPathComponent): Call-ID message counts differ")
    }

    @Test(arguments: Tshark.publicCaptureFiles)
    func sameStreamLossAndJitter(_ file: URL) throws {
        let trace = try CaptureLoader.load(path: file.path)
        let streams = trace.media?.streams ?? []
        for row in try Tshark.rtpStreams(file.path) {
            let match = streams.first { s in
                s.ssrc == row.ssrc && plain(s.source) == row.source && plain(s.destination) == row.destination
            }
            guard let s = match else {
                Issue.record("\(file.lastPathComponent): tshark's stream \(row.source) -> \(row.destination) SSRC \(row.ssrc) is missing")
                continue
            }
            #expect(s.packets == row.packets, "\(file.lastPathComponent) \(row.source)->\(row.destination): packets")
            #expect(Double(abs(s.lost - row.lost)) <= 0.05 * Double(abs(row.lost)), "\(file.lastPathComponent) \(row.source)->\(row.destination): lost \(s.lost) vs \(row.lost)")
            #expect(close(s.jitterMeanMs, row.meanJitterMs), "\(file.lastPathComponent) \(row.source)->\(row.destination): mean jitter \(s.jitterMeanMs) vs \(row.meanJitterMs)")
            #expect(close(s.jitterMaxMs, row.maxJitterMs), "\(file.lastPathComponent) \(row.source)->\(row.destination): max jitter \(s.jitterMaxMs) vs \(row.maxJitterMs)")
        }
    }

    func close(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= max(0.05 * abs(b), Self.jitterFloorMs)
    }

    /// `host:port` without IPv6 brackets, the way tshark prints columns.
    func plain(_ e: Endpoint) -> String { "\(e.host):\(e.port ?? 0)" }
}
