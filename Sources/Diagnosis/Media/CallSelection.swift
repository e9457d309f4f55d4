import TraceFormats

/// What of a capture belongs to one call: the frames of its SIP messages
/// (every leg) and the UDP flows of its RTP streams and their RTCP, both
/// ways (the port the SDP gave with `a=rtcp`, else the next one up, as
/// `CallMedia` ties RTCP). What `agentctl extract` copies.
public struct CallSelection: Sendable {
    public let selection: CaptureExtractor.Selection

    public init(call: Call, media: CallMedia?) {
        var frames = Set<Int>()
        for m in call.messages { frames.formUnion(m.frames ?? []) }
        var flows = Set<FlowKey>()
        let adverts = media?.adverts ?? []
        for s in media?.streams ?? [] {
            guard let src = Self.socket(s.rtp.source), let dst = Self.socket(s.rtp.destination) else { continue }
            flows.insert(FlowKey(source: src, destination: dst))
            let advertised = s.destinationAdvert.flatMap { UInt16(exactly: adverts[$0].rtcpPort) }
            let rtcpSrc = SocketAddress(src.address, src.port &+ 1), rtcpDst = SocketAddress(dst.address, advertised ?? dst.port &+ 1)
            flows.insert(FlowKey(source: rtcpSrc, destination: rtcpDst))
            flows.insert(FlowKey(source: rtcpDst, destination: rtcpSrc))
        }
        selection = CaptureExtractor.Selection(frames: frames, flows: flows)
    }

    static func socket(_ e: Endpoint) -> SocketAddress? {
        guard let a = NetAddress(e.host), let p = e.port, let port = UInt16(exactly: p) else { return nil }
        return SocketAddress(a, port)
    }
}
