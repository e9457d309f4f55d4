extension PacketDecoder {
    /// Every bound the decoder keeps, so that no capture (a fragment flood,
    /// a port scan, a stream without message boundaries) can make it hold
    /// unbounded memory. The defaults suit SIP traffic with room to spare;
    /// docs/packet-decoding.md gives the reasons for each.
    public struct Limits: Sendable {
        /// Fragmented datagrams waiting for their missing fragments.
        public var maxPendingDatagrams = 1024
        /// Bytes held by all of them together.
        public var maxPendingFragmentBytes = 16 << 20
        /// The largest datagram rebuilt (the IPv4 and IPv6 length fields' maximum).
        public var maxDatagramBytes = 65_535
        /// Capture time after which an incomplete datagram is given up.
        public var fragmentTimeoutNanos: Int64 = 30_000_000_000
        /// TCP streams followed at once.
        public var maxStreams = 4096
        /// Bytes one stream may hold while a message completes.
        public var maxStreamBuffer = 256 * 1024
        /// Bytes all streams may hold together.
        public var maxTotalStreamBytes = 64 << 20
        /// Segments held while waiting for a missing earlier one.
        public var maxOutOfOrderSegments = 16
        /// Bytes scanned for a SIP start line in a stream that began before
        /// the capture, before it is judged not SIP.
        public var nonSIPScanBudget = 16 * 1024
        /// IP-in-IP and GRE tunnels opened inside one another.
        public var maxTunnelDepth = 4
        /// Distinct kinds of warning itemised; the rest share one line.
        public var maxWarnings = 64

        public init() {}
    }
}
