import TraceFormats

/// A capture's media looked up by what ties it to a call: streams by the
/// transport addresses at either end, RTCP by the SSRC it reports on. Built
/// once per trace, so diagnosing every call of a large capture stays linear.
public struct MediaIndex: Sendable {
    public let capture: MediaCapture
    /// Stream indices by source and by destination address.
    let streamsAt: [Endpoint: [Int]]
    /// (report, block) positions of report blocks about an SSRC.
    let blocksAbout: [UInt32: [(report: Int, block: Int)]]
    /// Sender reports by (SSRC << 32 | NTP middle 32 bits): capture times.
    let senderReports: [UInt64: [Double]]
    /// Extended reports with VoIP metrics about an SSRC.
    let voipAbout: [UInt32: [Int]]

    public init(_ capture: MediaCapture) {
        self.capture = capture
        var at: [Endpoint: [Int]] = [:]
        for (i, s) in capture.streams.enumerated() {
            at[s.destination, default: []].append(i)
            if s.source != s.destination { at[s.source, default: []].append(i) }
        }
        var blocks: [UInt32: [(report: Int, block: Int)]] = [:]
        var srs: [UInt64: [Double]] = [:]
        var voip: [UInt32: [Int]] = [:]
        for (r, report) in capture.rtcp.enumerated() {
            for (b, block) in report.blocks.enumerated() { blocks[block.ssrc, default: []].append((r, b)) }
            if report.kind == .senderReport, let ntp = report.ntpMiddle {
                srs[UInt64(report.ssrc) << 32 | UInt64(ntp), default: []].append(report.time)
            }
            if let m = report.voip { voip[m.ssrc, default: []].append(r) }
        }
        streamsAt = at
        blocksAbout = blocks
        senderReports = srs
        voipAbout = voip
    }

    /// Streams with this address at either end.
    func streams(at e: Endpoint) -> [Int] { streamsAt[e] ?? [] }
}
