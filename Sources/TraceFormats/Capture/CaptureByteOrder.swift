/// The byte order a pcap file or a pcapng section was written in: the
/// writer's own, which the reader learns from the magic number.
public enum CaptureByteOrder: Sendable, Hashable, CustomStringConvertible {
    case littleEndian, bigEndian

    public var description: String { self == .littleEndian ? "little-endian" : "big-endian" }

    // Unaligned loads: record headers sit at any offset in the read buffer.
    @inline(__always)
    func u16(_ p: UnsafeRawPointer, _ offset: Int) -> UInt16 {
        let v = p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
        return self == .littleEndian ? UInt16(littleEndian: v) : UInt16(bigEndian: v)
    }

    @inline(__always)
    func u32(_ p: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        let v = p.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return self == .littleEndian ? UInt32(littleEndian: v) : UInt32(bigEndian: v)
    }

    @inline(__always)
    func u64(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        let v = p.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        return self == .littleEndian ? UInt64(littleEndian: v) : UInt64(bigEndian: v)
    }
}
