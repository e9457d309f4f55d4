/// Measures one RTP stream (one SSRC in one direction) as its packets go by,
/// in constant memory: no packet is kept, so a two-hour call costs what a
/// two-second one does.
///
/// Sequence accounting follows RFC 3550 appendix A.1 (extended highest
/// sequence with wrap count, a jump of more than `maxDropout` accepted as a
/// restart only when the next packet follows it, two consecutive numbers
/// to validate the stream). Jitter follows Wireshark's RTP analysis
/// (`rtppacket_analyse` in ui/tap-rtp-analysis.c), which is what
/// `tshark -z rtp,streams` prints and what an engineer will compare with:
/// RFC 3550 6.4.1's J += (|D| - J) / 16 in milliseconds, D taken against
/// the previous packet in arrival order, updated on every packet with a
/// known clock rate; the maximum and mean are taken over "regular" packets
/// only (not the first, not a marker, not comfort noise nor the packet
/// after it), and the mean uses Wireshark's running formula over the
/// packets counted so far. Wireshark 4.0 (what tshark here is) counts a
/// late packet as regular; later versions leave it out and keep the
/// reference on the last in-order packet. 4.0's figures were checked to
/// three decimals on a lossy, reordered stream (TsharkAgreementTests).
public struct RTPStreamMeter: Sendable {
    /// RFC 3550 A.1: a forward jump up to this is loss, not a restart.
    static let maxDropout = 3000
    /// A.1: a packet this far behind the highest is late, not a restart.
    static let maxMisorder = 100
    /// At most this many payload types are listed per stream.
    static let maxPayloadTypes = 16

    public let ssrc: UInt32
    public private(set) var packets = 0
    /// UDP payload bytes (RTP header and payload).
    public private(set) var bytes = 0
    public private(set) var firstNanos: Int64
    public private(set) var lastNanos: Int64

    // Sequence state.
    private var baseSequence: Int
    private var maxSequence: UInt16
    private var cycles = 0
    /// A.1's bad_seq: the number that would confirm a restart; -1 for none.
    private var badSequence = -1
    /// Packets expected before a restart moved the base.
    private var expectedBeforeRestart = 0
    /// Bit k set: sequence maxSequence - k was received (k < 128), to tell a
    /// duplicate from a late packet without keeping packets.
    private var seenLow: UInt64 = 1
    private var seenHigh: UInt64 = 0
    private var previousSequence: UInt16
    public private(set) var duplicates = 0
    public private(set) var outOfOrder = 0
    /// True once two consecutive sequence numbers were seen (A.1 probation):
    /// random UDP that happens to start with version 2 rarely gets there.
    public private(set) var validated = false

    // Jitter state (Wireshark's).
    private var previousMs = 0.0
    private var previousRawTimestamp: UInt32
    private var previousTimestamp: Int64 = 0
    public private(set) var jitterMs = 0.0
    public private(set) var jitterMeanMs = 0.0
    public private(set) var jitterMaxMs = 0.0
    public private(set) var lastPayloadType: UInt8
    public private(set) var lastClockRate: Int

    // Gaps.
    private var previousNanos: Int64
    /// Smallest timestamp step between consecutive packets: one frame.
    private var frameTicks: Int64 = 0
    public private(set) var largestGapNanos: Int64 = 0
    public private(set) var largestGapStartNanos: Int64
    public private(set) var comfortNoisePackets = 0
    public private(set) var markerPackets = 0

    // Payload types, in order of first appearance.
    private var typesSeenLow: UInt64 = 0
    private var typesSeenHigh: UInt64 = 0
    public private(set) var payloadTypes: [UInt8] = []
    /// The first payload type's format: the stream's codec and clock.
    public let firstFormat: PayloadFormat

    /// Starts the stream with its first packet. `format` is what the
    /// payload type of that packet means (static, SDP, or unknown).
    public init(first h: RTPHeader, size: Int, nanos: Int64, format: PayloadFormat) {
        ssrc = h.ssrc
        firstNanos = nanos
        lastNanos = nanos
        previousNanos = nanos
        largestGapStartNanos = nanos
        baseSequence = Int(h.sequence)
        maxSequence = h.sequence
        previousSequence = h.sequence
        previousRawTimestamp = h.timestamp
        lastPayloadType = h.payloadType
        lastClockRate = format.clockRate
        firstFormat = format
        packets = 1
        bytes = size
        if h.isComfortNoise { comfortNoisePackets = 1 }
        if h.marker { markerPackets = 1 }
        notePayloadType(h.payloadType)
    }

    /// Adds one packet. `clockRate` is the rate of this packet's payload
    /// type (the caller looks it up only when the type changes).
    public mutating func add(_ h: RTPHeader, size: Int, nanos: Int64, clockRate: Int) {
        let seq = h.sequence
        let sequential = seq == previousSequence &+ 1
        if sequential { validated = true }
        updateSequence(seq)

        // Extended timestamp: a wrap of the 32-bit field is a step of less
        // than 2^31 either way, so the signed difference carries it.
        let step = Int64(Int32(bitPattern: h.timestamp &- previousRawTimestamp))
        let timestamp = previousTimestamp + step
        let nowMs = Double(nanos - firstNanos) / 1e6
        let comfortNoise = h.isComfortNoise
        let followsComfortNoise = lastPayloadType == 13 || lastPayloadType == 19

        if clockRate != 0 {
            // Wireshark divides by clock_rate / 1000 in integers (44100 Hz
            // counts as 44 ticks per ms); the same, so the figures agree.
            let ticksPerMs = Double(max(1, clockRate / 1000))
            let d = abs((nowMs - previousMs) - Double(step) / ticksPerMs)
            jitterMs = (15 * jitterMs + d) / 16
        }
        let regular = !h.marker && !comfortNoise && !followsComfortNoise
        if regular && clockRate != 0 {
            jitterMaxMs = max(jitterMaxMs, jitterMs)
            jitterMeanMs = (jitterMeanMs * Double(packets - 1) + jitterMs) / Double(packets)
        }
        previousMs = nowMs

        notePause(h, sequential: sequential, timestampStep: step, nanos: nanos, clockRate: clockRate,
                  silence: comfortNoise || followsComfortNoise)

        previousSequence = seq
        previousRawTimestamp = h.timestamp
        previousTimestamp = timestamp
        previousNanos = nanos
        lastNanos = max(lastNanos, nanos)
        if h.payloadType != lastPayloadType { notePayloadType(h.payloadType) }
        lastPayloadType = h.payloadType
        lastClockRate = clockRate
        packets += 1
        bytes += size
        if comfortNoise { comfortNoisePackets += 1 }
        if h.marker { markerPackets += 1 }
    }

    /// Extended highest sequence number received.
    public var extendedMaxSequence: Int { cycles * 65536 + Int(maxSequence) }

    /// Packets the sequence numbers say were sent: highest - first + 1.
    public var expected: Int { expectedBeforeRestart + extendedMaxSequence - baseSequence + 1 }

    /// expected - received; negative when duplicates outnumber losses (RFC 3550 6.4.1).
    public var lost: Int { expected - packets }

    // MARK: - Pieces

    /// RFC 3550 A.1 `update_seq`, with duplicates and late packets told
    /// apart by the 128-packet window instead of being dropped silently.
    private mutating func updateSequence(_ seq: UInt16) {
        let forward = Int(seq &- maxSequence)
        if forward == 0 {
            duplicates += 1
        } else if forward < Self.maxDropout {
            if seq < maxSequence { cycles += 1 }
            shiftWindow(by: forward)
            maxSequence = seq
            badSequence = -1
        } else if forward > 65536 - Self.maxMisorder {
            let back = 65536 - forward
            if isSeen(back) {
                duplicates += 1
            } else {
                outOfOrder += 1
                markSeen(back)
            }
        } else if Int(seq) == badSequence {
            // Two packets in a row after a big jump: the sender restarted
            // its numbering (A.1). Keep what was expected so far and start
            // counting again from the packet that jumped.
            expectedBeforeRestart += extendedMaxSequence - baseSequence + 1
            cycles = 0
            baseSequence = Int(seq) - 1
            maxSequence = seq
            seenLow = 0b11
            seenHigh = 0
            badSequence = -1
        } else {
            badSequence = Int(seq &+ 1)
        }
    }

    private mutating func shiftWindow(by n: Int) {
        if n >= 128 {
            seenHigh = 0
            seenLow = 0
        } else if n >= 64 {
            seenHigh = seenLow << UInt64(n - 64)
            seenLow = 0
        } else {
            seenHigh = seenHigh << UInt64(n) | seenLow >> UInt64(64 - n)
            seenLow = seenLow << UInt64(n)
        }
        seenLow |= 1
    }

    private func isSeen(_ k: Int) -> Bool {
        k < 64 ? seenLow >> UInt64(k) & 1 == 1 : seenHigh >> UInt64(k - 64) & 1 == 1
    }

    private mutating func markSeen(_ k: Int) {
        if k < 64 { seenLow |= 1 << UInt64(k) } else { seenHigh |= 1 << UInt64(k - 64) }
    }

    /// The largest time between two consecutive packets that is not the
    /// sender choosing to be silent: a talkspurt's first packet (marker,
    /// RFC 3551 section 4.1), comfort noise on either side, or a timestamp
    /// that moved on with the pause while the sequence did not skip (the
    /// sender stopped sending, as silence suppression without a marker or
    /// a held call resuming does). What remains is the network, or the
    /// sender, dropping audio.
    private mutating func notePause(_ h: RTPHeader, sequential: Bool, timestampStep: Int64, nanos: Int64, clockRate: Int, silence: Bool) {
        let gap = nanos - previousNanos
        // One frame is judged from the steps before this one, so that a
        // pause right at the start is not taken for the frame size.
        let frame = frameTicks
        if sequential, timestampStep > 0, !h.marker, !silence {
            frameTicks = frameTicks == 0 ? timestampStep : min(frameTicks, timestampStep)
        }
        guard gap > largestGapNanos, !h.marker, !silence else { return }
        if sequential, clockRate > 0, timestampStep > 0 {
            let stepNanos = Double(timestampStep) * 1e9 / Double(clockRate)
            let beyondOneFrame = frame == 0 ? stepNanos >= 100e6 : timestampStep > 2 * frame
            if beyondOneFrame && stepNanos * 2 >= Double(gap) { return }
        }
        largestGapNanos = gap
        largestGapStartNanos = previousNanos
    }

    private mutating func notePayloadType(_ pt: UInt8) {
        let bit = UInt64(1) << UInt64(pt & 63)
        if pt < 64 {
            guard typesSeenLow & bit == 0 else { return }
            typesSeenLow |= bit
        } else {
            guard typesSeenHigh & bit == 0 else { return }
            typesSeenHigh |= bit
        }
        if payloadTypes.count < Self.maxPayloadTypes { payloadTypes.append(pt) }
    }

    /// The measured stream, for the diagnosis.
    public func stream(source: Endpoint, destination: Endpoint) -> RTPStream {
        let clockSource = firstFormat.clockRate == 0 && firstFormat.source == .sdp
            ? "SDP rtpmap \(firstFormat.name): no clock for jitter" : firstFormat.source.rawValue
        return RTPStream(
            source: source, destination: destination, ssrc: ssrc, payloadTypes: payloadTypes.map(Int.init),
            clockRate: firstFormat.clockRate, clockRateSource: clockSource,
            firstTime: Double(firstNanos) / 1e9, lastTime: Double(lastNanos) / 1e9,
            packets: packets, bytes: bytes, expected: expected, lost: lost, duplicates: duplicates, outOfOrder: outOfOrder,
            jitterMeanMs: jitterMeanMs, jitterMaxMs: jitterMaxMs,
            largestGapSeconds: Double(largestGapNanos) / 1e9, largestGapAt: Double(largestGapStartNanos) / 1e9,
            comfortNoisePackets: comfortNoisePackets, markerPackets: markerPackets)
    }
}
