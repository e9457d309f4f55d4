/// One RTP stream of a capture (one SSRC in one direction between two
/// transport addresses), measured as the packets went by: the figures of
/// domain.md section 5, computed the way RFC 3550 appendix A and
/// Wireshark's RTP analysis compute them.
public struct RTPStream: Sendable, Codable, Hashable {
    public var source: Endpoint
    public var destination: Endpoint
    public var ssrc: UInt32
    /// Payload types seen, in order of first appearance (the first is the
    /// voice codec; 101-style telephone-event and 13 comfort noise follow).
    public var payloadTypes: [Int]
    /// Clock rate used for jitter, in Hz, and where it came from
    /// ("static payload type", "SDP rtpmap", "assumed 8000").
    public var clockRate: Int
    public var clockRateSource: String
    /// Capture times of the first and last packet, seconds since the epoch.
    public var firstTime: Double
    public var lastTime: Double
    public var packets: Int
    public var bytes: Int
    /// Highest extended sequence number minus the first, plus one.
    public var expected: Int
    /// expected - received (negative when duplicates outnumber losses, as RFC 3550 allows).
    public var lost: Int
    public var duplicates: Int
    public var outOfOrder: Int
    /// RFC 3550 interarrival jitter in ms: mean over packets and maximum.
    public var jitterMeanMs: Double
    public var jitterMaxMs: Double
    /// Largest time between two consecutive packets, seconds, and when it began.
    public var largestGapSeconds: Double
    public var largestGapAt: Double
    /// Packets of payload type 13 (comfort noise) and marker bits after a
    /// pause: the signs of silence suppression rather than lost audio.
    public var comfortNoisePackets: Int
    public var markerPackets: Int

    public init(source: Endpoint, destination: Endpoint, ssrc: UInt32, payloadTypes: [Int], clockRate: Int, clockRateSource: String,
                firstTime: Double, lastTime: Double, packets: Int, bytes: Int, expected: Int, lost: Int, duplicates: Int,
                outOfOrder: Int, jitterMeanMs: Double, jitterMaxMs: Double, largestGapSeconds: Double, largestGapAt: Double,
                comfortNoisePackets: Int = 0, markerPackets: Int = 0) {
        self.source = source
        self.destination = destination
        self.ssrc = ssrc
        self.payloadTypes = payloadTypes
        self.clockRate = clockRate
        self.clockRateSource = clockRateSource
        self.firstTime = firstTime
        self.lastTime = lastTime
        self.packets = packets
        self.bytes = bytes
        self.expected = expected
        self.lost = lost
        self.duplicates = duplicates
        self.outOfOrder = outOfOrder
        self.jitterMeanMs = jitterMeanMs
        self.jitterMaxMs = jitterMaxMs
        self.largestGapSeconds = largestGapSeconds
        self.largestGapAt = largestGapAt
        self.comfortNoisePackets = comfortNoisePackets
        self.markerPackets = markerPackets
    }

    public var durationSeconds: Double { lastTime - firstTime }

    /// Lost packets as a share of those expected, in percent (0 when none expected).
    public var lossPercent: Double { expected > 0 ? Double(max(0, lost)) * 100 / Double(expected) : 0 }

    /// `0x1A2B3C4D`, the way Wireshark prints an SSRC.
    public var ssrcText: String {
        let hex = String(ssrc, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }
}
