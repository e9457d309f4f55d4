import SIPCore

/// The streaming accumulator the capture loader hands every UDP payload
/// that is not SIP: RTP packets are measured per stream (flow and SSRC) in
/// constant memory each, RTCP reports are decoded and kept, anything else
/// is refused. `finish()` gives the capture's `MediaCapture`.
///
/// Telling RTP from other UDP: a packet must parse as RTP (version 2,
/// lengths that add up, not an RTCP type, not a payload type no stream
/// uses) and both ports must be 1024 or above unless an SDP named them
/// (DNS, NTP, DHCP, SNMP and syslog all sit below). A stream is reported
/// when an SDP of the capture named its source or destination, or when it
/// proved itself: two consecutive sequence numbers, at least
/// `minimumPackets` packets, and fewer duplicate or late packets than half
/// of them. The SDP-named ones are always reported, however short, because
/// the diagnosis needs to know that a call's media began at all.
public struct MediaCollector: Sendable {
    /// Live streams measured at once; beyond it new streams are refused
    /// (with a warning) rather than letting memory grow with the capture.
    public static let defaultMaxStreams = 20_000
    /// RTCP reports kept; an endpoint sends one every few seconds.
    public static let maxReports = 200_000
    /// Media addresses learnt from SDP.
    public static let maxNamedAddresses = 200_000
    /// Packets a stream no SDP named needs before it is believed to be RTP.
    public static let minimumPackets = 10

    struct StreamKey: Hashable {
        var flow: FlowKey
        var ssrc: UInt32
    }

    public let maxStreams: Int
    private var index: [StreamKey: Int] = [:]
    private var meters: [RTPStreamMeter] = []
    private var flows: [FlowKey] = []
    private var reports: [RTCPReport] = []
    /// RTP and RTCP addresses SDP bodies advertised.
    private var named: Set<SocketAddress> = []
    /// Addresses named by SDP so far.
    var namedCount: Int { named.count }
    /// Payload formats per advertised RTP address, and the latest seen for
    /// each payload type anywhere (for a stream whose receiver is behind NAT).
    private var formatsAt: [SocketAddress: [UInt8: PayloadFormat]] = [:]
    private var latestFormats: [UInt8: PayloadFormat] = [:]

    private var refusedStreams = 0
    private var streamsCapped = false
    private var refusedReports = 0
    private var malformedRTCP = 0
    private var firstRTCPError: RTCPError?
    private var namedCapped = false

    public init() {
        self.init(maxStreams: Self.defaultMaxStreams)
    }

    public init(maxStreams: Int) {
        self.maxStreams = max(1, maxStreams)
    }

    /// Remembers what an SDP body says about media: the RTP and RTCP
    /// addresses it advertises (RTCP on port+1 unless `a=rtcp`), and what
    /// its dynamic payload types are, so a stream to that address gets the
    /// right clock rate.
    public mutating func learn(_ sdp: SessionDescription) {
        for m in sdp.media where (1...65535).contains(m.port) {
            guard let text = sdp.address(of: m), let address = NetAddress(text), address != NetAddress(ipv4: 0) else { continue }
            guard named.count < Self.maxNamedAddresses else { namedCapped = true; return }
            let rtp = SocketAddress(address, UInt16(m.port))
            named.insert(rtp)
            let rtcpPort = m.rtcpPort ?? m.port + 1
            if (1...65535).contains(rtcpPort) { named.insert(SocketAddress(address, UInt16(rtcpPort))) }
            var formats = formatsAt[rtp] ?? [:]
            for (pt, value) in m.rtpmap {
                guard let n = UInt8(pt), n < 128, let f = PayloadFormat(rtpmap: value) else { continue }
                formats[n] = f
                latestFormats[n] = f
            }
            formatsAt[rtp] = formats
        }
    }

    /// Counts one UDP payload if it is RTP or RTCP; false when it is not
    /// (or could not be counted: a malformed RTCP packet, a new stream
    /// beyond the cap).
    public mutating func offer(_ p: TransportPayload) -> Bool {
        guard p.transport == .udp else { return false }
        let b = p.payload
        guard b.count >= 8, b[0] >> 6 == 2 else { return false }
        if p.flow.source.port < 1024 || p.flow.destination.port < 1024 {
            guard named.contains(p.flow.source) || named.contains(p.flow.destination) else { return false }
        }
        if RTCPCompound.packetTypes.contains(b[1]) { return offerRTCP(p) }
        guard let h = RTPHeader(b), !h.hasUnusedPayloadType else { return false }
        let key = StreamKey(flow: p.flow, ssrc: h.ssrc)
        if let i = index[key] {
            let rate = meters[i].lastPayloadType == h.payloadType
                ? meters[i].lastClockRate : format(h.payloadType, at: p.flow.destination).clockRate
            meters[i].add(h, size: b.count, nanos: p.timestampNanos, clockRate: rate)
            return true
        }
        guard meters.count < maxStreams || makeRoom() else {
            refusedStreams += 1
            return false
        }
        index[key] = meters.count
        meters.append(RTPStreamMeter(first: h, size: b.count, nanos: p.timestampNanos, format: format(h.payloadType, at: p.flow.destination)))
        flows.append(p.flow)
        return true
    }

    /// The measured media: streams in order of their first packet, reports
    /// in capture order.
    public func finish() -> MediaCapture {
        var streams: [RTPStream] = []
        for (i, m) in meters.enumerated() {
            let flow = flows[i]
            let isNamed = named.contains(flow.source) || named.contains(flow.destination)
            guard isNamed || Self.believable(m) else { continue }
            streams.append(m.stream(source: flow.source.endpoint, destination: flow.destination.endpoint))
        }
        streams.sort(by: Self.inCaptureOrder)
        return MediaCapture(streams: streams, rtcp: reports)
    }

    /// What could not be measured, for the trace's warnings.
    public var warnings: [String] {
        var out: [String] = []
        if refusedStreams > 0 {
            out.append("more than \(maxStreams) RTP streams at once: \(refusedStreams) packet(s) of later streams were not measured; cut the capture to the calls you need (filter on the SIP Call-ID's media ports)")
        }
        if refusedReports > 0 {
            out.append("more than \(Self.maxReports) RTCP reports: \(refusedReports) later ones were not kept")
        }
        if malformedRTCP > 0, let e = firstRTCPError {
            out.append("\(malformedRTCP) RTCP packet(s) could not be read and were skipped; the first: \(e)")
        }
        if namedCapped {
            out.append("more than \(Self.maxNamedAddresses) SDP media addresses: later SDP bodies were not used to name RTP streams")
        }
        return out
    }

    // MARK: - Pieces

    private mutating func offerRTCP(_ p: TransportPayload) -> Bool {
        guard RTCPCompound.looksLikeRTCP(p.payload) else { return false }
        guard reports.count < Self.maxReports else {
            refusedReports += 1
            return false
        }
        do {
            reports += try RTCPCompound.reports(in: p.payload, time: Double(p.timestampNanos) / 1e9,
                                                source: p.flow.source.endpoint, destination: p.flow.destination.endpoint)
            return true
        } catch {
            malformedRTCP += 1
            if firstRTCPError == nil { firstRTCPError = error }
            return false
        }
    }

    /// The format of a payload type as sent to `destination`: static types
    /// by RFC 3551 (SDP cannot change them in Wireshark either), dynamic
    /// ones by the SDP that advertised the destination, else by the latest
    /// SDP that used the number.
    func format(_ pt: UInt8, at destination: SocketAddress) -> PayloadFormat {
        if pt < 96 {
            return PayloadFormat.staticType(pt) ?? PayloadFormat(name: "PT\(pt)", clockRate: 0, source: .unknown)
        }
        if let f = formatsAt[destination]?[pt] ?? latestFormats[pt] { return f }
        return PayloadFormat(name: "PT\(pt)", clockRate: 0, source: .unknown)
    }

    /// A stream no SDP named is reported only when it behaves like RTP.
    static func believable(_ m: RTPStreamMeter) -> Bool {
        m.validated && m.packets >= minimumPackets && (m.duplicates + m.outOfOrder) * 2 < m.packets
    }

    /// Frees the slots of one- and two-packet streams that never showed two
    /// consecutive sequence numbers (UDP noise that looked like RTP). When
    /// that frees less than a quarter of the slots, the capture really
    /// holds that many streams: stop creating new ones.
    private mutating func makeRoom() -> Bool {
        guard !streamsCapped else { return false }
        var keptMeters: [RTPStreamMeter] = [], keptFlows: [FlowKey] = []
        keptMeters.reserveCapacity(meters.count)
        keptFlows.reserveCapacity(meters.count)
        index.removeAll(keepingCapacity: true)
        for (i, m) in meters.enumerated() {
            let flow = flows[i]
            let isNamed = named.contains(flow.source) || named.contains(flow.destination)
            if !m.validated && m.packets < 3 && !isNamed { continue }
            index[StreamKey(flow: flow, ssrc: m.ssrc)] = keptMeters.count
            keptMeters.append(m)
            keptFlows.append(flow)
        }
        meters = keptMeters
        flows = keptFlows
        if meters.count > maxStreams * 3 / 4 { streamsCapped = true }
        return meters.count < maxStreams && !streamsCapped
    }

    static func inCaptureOrder(_ a: RTPStream, _ b: RTPStream) -> Bool {
        if a.firstTime != b.firstTime { return a.firstTime < b.firstTime }
        if a.source != b.source { return a.source < b.source }
        if a.destination != b.destination { return a.destination < b.destination }
        return a.ssrc < b.ssrc
    }
}
