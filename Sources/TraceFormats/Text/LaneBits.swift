/// A 16-lane comparison's result as two words, a byte of ones per lane
/// that matched (lane 0 the lowest byte). The standard library's `any`
/// on a mask is a generic reduction that is not inlined (a fifth of a
/// text read's time when it was used per 16 bytes); two words test
/// and locate lanes with a few instructions.
struct LaneBits {
    let low: UInt64
    let high: UInt64

    @inline(__always) init(_ mask: SIMDMask<SIMD16<Int8>>) {
        let bytes = SIMD16<UInt8>(repeating: 0).replacing(with: 0xFF, where: mask)
        (low, high) = unsafeBitCast(bytes, to: (UInt64, UInt64).self)
    }

    @inline(__always) var isEmpty: Bool { low | high == 0 }

    /// The lowest lane that matched; nil when none did.
    @inline(__always) var first: Int? {
        if low != 0 { return low.trailingZeroBitCount >> 3 }
        if high != 0 { return 8 + high.trailingZeroBitCount >> 3 }
        return nil
    }

    /// Whether lane `lane` (0...15) matched.
    @inline(__always) subscript(lane: Int) -> Bool {
        (lane < 8 ? low >> (8 * lane) : high >> (8 * (lane - 8))) & 1 != 0
    }
}
