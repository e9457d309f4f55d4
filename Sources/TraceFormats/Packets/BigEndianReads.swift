/// Network byte order reads straight from a frame's bytes (the packet
/// layers, RTP and RTCP), so that a header is read without copying it.
/// Every caller checks the bounds first: these only add the byte-order swap.
extension UnsafeRawBufferPointer {
    @inline(__always) func be16(_ at: Int) -> UInt16 {
        UInt16(bigEndian: loadUnaligned(fromByteOffset: at, as: UInt16.self))
    }

    @inline(__always) func be32(_ at: Int) -> UInt32 {
        UInt32(bigEndian: loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    @inline(__always) func be64(_ at: Int) -> UInt64 {
        UInt64(bigEndian: loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    @inline(__always) func le32(_ at: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    /// An IPv4 (4 bytes) or IPv6 (16 bytes) address at `at`.
    @inline(__always) func address(_ at: Int, isIPv6: Bool) -> NetAddress {
        isIPv6 ? NetAddress(ipv6High: be64(at), low: be64(at + 8)) : NetAddress(ipv4: be32(at))
    }

    /// The bytes in `r`, rebased so that index 0 is `r.lowerBound`.
    @inline(__always) func slice(_ r: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: self[r])
    }
}
