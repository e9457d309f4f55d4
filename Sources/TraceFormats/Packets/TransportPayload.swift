/// What the packet layers hand up: an application payload with its
/// addresses, after link, IP (fragments reassembled, tunnels opened),
/// UDP or TCP (stream reassembled) and HEP (unwrapped) are peeled off.
///
/// `payload` is borrowed: valid only during the call that hands it up.
public struct TransportPayload {
    public enum Transport: String, Sendable, Hashable {
        case udp = "UDP", tcp = "TCP"
    }

    public var timestampNanos: Int64
    public var flow: FlowKey
    public var transport: Transport
    public var payload: UnsafeRawBufferPointer
    /// Frame numbers that carried these bytes (several for a fragmented
    /// datagram or a message over several TCP segments): what `extract`
    /// copies.
    public var frames: FrameSpan
    /// True when the payload came out of a HEP envelope; the addresses and
    /// time are then the ones the capture agent recorded.
    public var fromHEP: Bool

    public init(timestampNanos: Int64, flow: FlowKey, transport: Transport, payload: UnsafeRawBufferPointer, frames: FrameSpan, fromHEP: Bool = false) {
        self.timestampNanos = timestampNanos
        self.flow = flow
        self.transport = transport
        self.payload = payload
        self.frames = frames
        self.fromHEP = fromHEP
    }
}

/// The frames behind one payload: nearly always one, so the common case
/// allocates nothing.
public enum FrameSpan: Sendable, Hashable {
    case one(Int)
    case several([Int])

    public var numbers: [Int] {
        switch self {
        case .one(let n): return [n]
        case .several(let all): return all
        }
    }
}
