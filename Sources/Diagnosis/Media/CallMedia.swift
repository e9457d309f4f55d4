import SIPCore
import TraceFormats

/// The media of one call as a capture measured it: the audio each SDP of
/// the call advertised, the captured RTP streams that went to or came from
/// those addresses (who sent each to whom), and for each direction between
/// two participants that exchanged SDP, how long audio was expected to
/// flow (answered, not on hold). Nil in `CallContext` for text traces.
public struct CallMedia: Sendable {
    /// One `m=audio` of an SDP in the call.
    public struct Advert: Sendable {
        /// Position of the message in `Call.messages`, and its `#` reference.
        public var position: Int
        public var messageIndex: Int
        /// Participant indices: who advertised it, and to whom.
        public var advertiser: Int
        public var peer: Int
        /// Whose media address it is: the participant whose signalling
        /// address has the same host (a proxy that does not anchor media
        /// passes the phone's SDP on unchanged, and the phone is the one
        /// that sends and receives there), else the advertiser.
        public var owner: Int
        /// The `c=` address as `NetAddress` prints it (so it compares with
        /// a stream's), or the text when it is a host name.
        public var address: String
        public var port: Int
        public var rtcpPort: Int
        public var direction: MediaDirection
        public var time: Double?
        /// True when the offer/answer it belongs to completed (an offer in a
        /// request answered 2xx, an answer, an ACK's late answer); a refused
        /// re-INVITE's SDP never took effect.
        public var isEffective: Bool
        /// When it took effect: the 2xx's time for an offer, its own otherwise.
        public var effectiveTime: Double?
        /// Payload type number to codec name (rtpmap, else RFC 3551).
        public var codecs: [Int: String]
        public var offersComfortNoise: Bool

        /// `0.0.0.0` (or `::`): RFC 2543's hold, "send nothing here".
        public var isHoldAddress: Bool { AddressClass(address) == .unspecified }
        public var sends: Bool { direction == .sendrecv || direction == .sendonly }
        public var receives: Bool { port != 0 && !isHoldAddress && (direction == .sendrecv || direction == .recvonly) }
        public var endpoint: Endpoint { Endpoint(host: address, port: port) }

        /// Why it stops audio one way, in the SDP's words.
        public var holdReason: String? {
            if port == 0 { return "port 0" }
            if isHoldAddress { return "c=\(address)" }
            return direction == .sendrecv ? nil : "a=\(direction.rawValue)"
        }
    }

    /// One captured RTP stream tied to the call.
    public struct Stream: Sendable {
        public var rtp: RTPStream
        /// Participant indices, when the addresses say who.
        public var sender: Int?
        public var receiver: Int?
        /// Names for the explanation: the participant's, else `ip:port`.
        public var senderName: String
        public var receiverName: String
        /// The address the sender's own SDP advertised, when the packets
        /// came from somewhere else (NAT rewrote the source, or the sender
        /// sends from another port than it receives on).
        public var advertisedSource: Endpoint?
        /// The SDP that advertised where the packets went, if one did.
        public var destinationAdvert: Int?
        public var codec: String?
        public var rtcp: StreamRTCP
        /// ITU-T G.107 simplified E-model from the measured loss and jitter
        /// (and RTCP round trip when known): an estimate, always called one.
        public var mosEstimate: Double

        /// True when the packets went to an address the internet cannot
        /// route (RFC 1918, CGNAT, link-local) from one it can.
        public var sentToUnroutableFromPublic: Bool {
            AddressClass(rtp.destination.host).isUnroutable && AddressClass(rtp.source.host) == .public
        }

        /// True when the packets came from a public address while the
        /// sender's SDP advertised an unroutable one: NAT, proven.
        public var arrivedThroughNAT: Bool {
            guard let adv = advertisedSource else { return false }
            return AddressClass(adv.host).isUnroutable && AddressClass(rtp.source.host) == .public
        }
    }

    /// What RTCP said about one stream.
    public struct StreamRTCP: Sendable, Equatable {
        /// Report blocks about the stream (from its receiver).
        public var reportCount = 0
        public var meanFractionLostPercent: Double?
        public var lastCumulativeLost: Int?
        public var lastJitterMs: Double?
        /// Capture-time(RR) - capture-time(SR) - DLSR, mean over the pairs
        /// found: the round trip between the capture point and the receiver.
        public var roundTripMs: Double?
        /// The receiver's RFC 3611 VoIP metrics, the last one sent.
        public var voip: RTCPReport.VoIPMetrics?

        public init() {}
    }

    /// A stretch of time during which one direction was not expected to
    /// carry audio, and the SDP that said so.
    public struct Quiet: Sendable {
        public var start: Double
        public var end: Double
        public var reason: String
        public var messageIndex: Int
    }

    /// One direction between two participants that exchanged SDP.
    public struct Path: Sendable {
        public var sender: Int
        public var receiver: Int
        public var senderName: String
        public var receiverName: String
        /// Indices into `streams`.
        public var streams: [Int]
        public var packets: Int
        /// Seconds audio was expected to flow (answered, neither side
        /// holding it); nil when the trace has no times.
        public var expectedSeconds: Double?
        public var expectedFrom: Double?
        public var expectedUntil: Double?
        public var quiet: [Quiet]
        /// The receiver's latest effective advert: where the sender should send.
        public var receiverAdvert: Int?
        public var senderAdvert: Int?
    }

    public var adverts: [Advert]
    public var streams: [Stream]
    public var paths: [Path]
    /// RTP streams in the whole capture, this call's or not. Zero means the
    /// capture holds no RTP at all (a signalling-only capture filter), so
    /// the absence of this call's RTP proves nothing.
    public var captureStreamCount: Int

    public init(adverts: [Advert], streams: [Stream], paths: [Path], captureStreamCount: Int) {
        self.adverts = adverts
        self.streams = streams
        self.paths = paths
        self.captureStreamCount = captureStreamCount
    }

    /// The path from one participant to another, if they exchanged SDP.
    public func path(from sender: Int, to receiver: Int) -> Path? {
        paths.first { $0.sender == sender && $0.receiver == receiver }
    }

    /// True when a moment falls in a stretch where the stream's direction
    /// was held (with a second of slack for signalling and RTP not being
    /// captured at the same instant).
    public func isQuiet(_ t: Double, on path: Path) -> Bool {
        path.quiet.contains { t >= $0.start - 1 && t <= $0.end + 1 }
    }
}
