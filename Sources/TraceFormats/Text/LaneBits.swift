/// A 16-lane comparison's result as two words, a byte of ones per lane
/// that matched (lane 0 the lowest byte). The standard library's `any`
/// on a mask is a generic reduction that is not inlined (a fifth of a
/// text read's time when it was used per 16 bytes); two words test,
/// locate and step through lanes with a few instructions.
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

    /// The same lanes less the lowest.
    @inline(__always) func removingFirst() -> LaneBits {
        if low != 0 { return LaneBits(low: low & ~(0xFF << UInt64(low.trailingZeroBitCount & ~7)), high: high) }
        return LaneBits(low: 0, high: high & ~(0xFF << UInt64(high.trailingZeroBitCount & ~7)))
    }

    @inline(__always) private init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }
}
