/// One RTCP packet of a capture that carries quality figures: a sender
/// or receiver report (with its report blocks) or an extended report
/// with the RFC 3611 VoIP metrics block.
public struct RTCPReport: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable {
        case senderReport = "SR", receiverReport = "RR", extendedReport = "XR"
    }

    public var kind: Kind
    /// Capture time, seconds since the epoch.
    public var time: Double
    public var source: Endpoint
    public var destination: Endpoint
    /// SSRC of the packet's sender.
    public var ssrc: UInt32
    /// For SR: the middle 32 bits of its NTP timestamp, which a later
    /// report's LSR echoes (how round trip is measured).
    public var ntpMiddle: UInt32?
    public var blocks: [ReportBlock]
    public var voip: VoIPMetrics?

    public init(kind: Kind, time: Double, source: Endpoint, destination: Endpoint, ssrc: UInt32,
                ntpMiddle: UInt32? = nil, blocks: [ReportBlock] = [], voip: VoIPMetrics? = nil) {
        self.kind = kind
        self.time = time
        self.source = source
        self.destination = destination
        self.ssrc = ssrc
        self.ntpMiddle = ntpMiddle
        self.blocks = blocks
        self.voip = voip
    }

    /// What the sender of the report says about one stream it receives.
    public struct ReportBlock: Sendable, Codable, Hashable {
        /// The stream reported on.
        public var ssrc: UInt32
        /// Fraction lost since the last report, 0...1 (the 8-bit field / 256).
        public var fractionLost: Double
        public var cumulativeLost: Int
        public var highestSequence: UInt32
        /// Interarrival jitter in timestamp units, as sent.
        public var jitter: UInt32
        /// Last SR timestamp and delay since it, in 1/65536 s units.
        public var lsr: UInt32
        public var dlsr: UInt32

        public init(ssrc: UInt32, fractionLost: Double, cumulativeLost: Int, highestSequence: UInt32, jitter: UInt32, lsr: UInt32, dlsr: UInt32) {
            self.ssrc = ssrc
            self.fractionLost = fractionLost
            self.cumulativeLost = cumulativeLost
            self.highestSequence = highestSequence
            self.jitter = jitter
            self.lsr = lsr
            self.dlsr = dlsr
        }
    }

    /// RFC 3611 section 4.7, the fields an engineer quotes; nil where the
    /// endpoint sent the "unavailable" value (127 for R and MOS).
    public struct VoIPMetrics: Sendable, Codable, Hashable {
        public var ssrc: UInt32
        /// Loss and discard rates, percent (the 8-bit fields / 256 * 100).
        public var lossRatePercent: Double
        public var discardRatePercent: Double
        public var roundTripDelayMs: Int
        public var endSystemDelayMs: Int
        public var rFactor: Int?
        /// MOS-LQ and MOS-CQ (field / 10).
        public var mosLQ: Double?
        public var mosCQ: Double?
        public var jitterBufferNominalMs: Int
        public var jitterBufferMaximumMs: Int

        public init(ssrc: UInt32, lossRatePercent: Double, discardRatePercent: Double, roundTripDelayMs: Int, endSystemDelayMs: Int,
                    rFactor: Int?, mosLQ: Double?, mosCQ: Double?, jitterBufferNominalMs: Int, jitterBufferMaximumMs: Int) {
            self.ssrc = ssrc
            self.lossRatePercent = lossRatePercent
            self.discardRatePercent = discardRatePercent
            self.roundTripDelayMs = roundTripDelayMs
            self.endSystemDelayMs = endSystemDelayMs
            self.rFactor = rFactor
            self.mosLQ = mosLQ
            self.mosCQ = mosCQ
            self.jitterBufferNominalMs = jitterBufferNominalMs
            self.jitterBufferMaximumMs = jitterBufferMaximumMs
        }
    }
}
