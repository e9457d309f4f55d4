import TraceFormats

/// One datagram of a synthesized capture, before the link and IP layers
/// are put around it.
public struct SynthPacket: Sendable, Equatable {
    public var timestampNanos: Int64
    public var source: SocketAddress
    public var destination: SocketAddress
    public var payload: [UInt8]

    public init(timestampNanos: Int64, source: SocketAddress, destination: SocketAddress, payload: [UInt8]) {
        self.timestampNanos = timestampNanos
        self.source = source
        self.destination = destination
        self.payload = payload
    }
}
