/// What a capture measured of the call's media: one row per RTP stream
/// tied to the call. Absent from a diagnosis of a text trace.
public struct MediaSummary: Sendable, Codable, Equatable {
    public var streams: [MediaStreamSummary]
    /// RTP streams in the whole capture; 0 means it holds no RTP at all.
    public var captureStreamCount: Int
    /// How to read the figures: where they were measured, and that the
    /// MOS is an estimate.
    public var note: String

    public init(streams: [MediaStreamSummary], captureStreamCount: Int, note: String) {
        self.streams = streams
        self.captureStreamCount = captureStreamCount
        self.note = note
    }
}

/// One RTP stream as the capture saw it.
public struct MediaStreamSummary: Sendable, Codable, Equatable {
    /// Participant names (or `ip:port`) of the sender and receiver.
    public var from: String
    public var to: String
    /// Transport addresses the packets carried.
    public var source: String
    public var destination: String
    /// When the sender's own SDP advertised another address than the
    /// packets came from (NAT).
    public var advertisedSource: String?
    /// `0x1A2B3C4D`.
    public var ssrc: String
    /// `PCMU`, `G722`, `opus`; `PT96` when no SDP named it.
    public var codec: String
    public var payloadTypes: [Int]
    public var packets: Int
    public var expected: Int
    public var lost: Int
    public var lossPercent: Double
    public var duplicates: Int
    public var outOfOrder: Int
    /// RFC 3550 interarrival jitter, ms; omitted when the clock rate is unknown.
    public var jitterMeanMs: Double?
    public var jitterMaxMs: Double?
    /// Largest pause between packets that silence suppression does not explain, ms.
    public var largestGapMs: Double
    public var startTime: Double
    public var durationSeconds: Double
    public var comfortNoisePackets: Int
    /// ITU-T G.107 simplified E-model: an estimate, not a listening test.
    public var mosEstimate: Double
    public var rtcp: RTCPSummary?

    public init(from: String, to: String, source: String, destination: String, advertisedSource: String?, ssrc: String,
                codec: String, payloadTypes: [Int], packets: Int, expected: Int, lost: Int, lossPercent: Double,
                duplicates: Int, outOfOrder: Int, jitterMeanMs: Double?, jitterMaxMs: Double?, largestGapMs: Double,
                startTime: Double, durationSeconds: Double, comfortNoisePackets: Int, mosEstimate: Double, rtcp: RTCPSummary?) {
        self.from = from
        self.to = to
        self.source = source
        self.destination = destination
        self.advertisedSource = advertisedSource
        self.ssrc = ssrc
        self.codec = codec
        self.payloadTypes = payloadTypes
        self.packets = packets
        self.expected = expected
        self.lost = lost
        self.lossPercent = lossPercent
        self.duplicates = duplicates
        self.outOfOrder = outOfOrder
        self.jitterMeanMs = jitterMeanMs
        self.jitterMaxMs = jitterMaxMs
        self.largestGapMs = largestGapMs
        self.startTime = startTime
        self.durationSeconds = durationSeconds
        self.comfortNoisePackets = comfortNoisePackets
        self.mosEstimate = mosEstimate
        self.rtcp = rtcp
    }
}

/// What the stream's receiver said about it in RTCP.
public struct RTCPSummary: Sendable, Codable, Equatable {
    /// Report blocks about the stream.
    public var reports: Int
    public var reportedLossPercent: Double?
    public var reportedJitterMs: Double?
    /// Between the capture point and the receiver (RR time - SR time - DLSR).
    public var roundTripMs: Double?
    /// The receiver's own RFC 3611 VoIP metrics figures, when it sent them.
    public var endpointMOS: Double?
    public var endpointRFactor: Int?

    public init(reports: Int, reportedLossPercent: Double?, reportedJitterMs: Double?, roundTripMs: Double?,
                endpointMOS: Double?, endpointRFactor: Int?) {
        self.reports = reports
        self.reportedLossPercent = reportedLossPercent
        self.reportedJitterMs = reportedJitterMs
        self.roundTripMs = roundTripMs
        self.endpointMOS = endpointMOS
        self.endpointRFactor = endpointRFactor
    }
}
