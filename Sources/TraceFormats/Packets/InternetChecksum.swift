/// The one's-complement sum of RFC 1071, for the headers PacketBuilder
/// writes (the decoder never verifies checksums).
struct InternetChecksum {
    private var sum: UInt32 = 0
    private var odd: UInt8?

    mutating func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for b in bytes {
            if let high = odd {
                sum &+= UInt32(high) << 8 | UInt32(b)
                odd = nil
            } else {
                odd = b
            }
        }
    }

    mutating func add16(_ v: UInt16) { add([UInt8(v >> 8), UInt8(v & 0xFF)]) }
    mutating func add32(_ v: UInt32) { add16(UInt16(v >> 16)); add16(UInt16(v & 0xFFFF)) }

    var value: UInt16 {
        var s = sum
        if let high = odd { s &+= UInt32(high) << 8 }
        while s > 0xFFFF { s = (s & 0xFFFF) + (s >> 16) }
        return ~UInt16(s)
    }
}
