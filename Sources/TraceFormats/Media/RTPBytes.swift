/// Big-endian reads for the RTP and RTCP decoders. The callers check the
/// bounds first (the decoders are bounds-checked as a whole, once per
/// header), so these only load: no per-field optional, no allocation.
enum RTPBytes {
    @inline(__always)
    static func u16(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt16 {
        UInt16(b[at]) << 8 | UInt16(b[at + 1])
    }

    @inline(__always)
    static func u32(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        b.loadUnaligned(fromByteOffset: at, as: UInt32.self).bigEndian
    }
}
