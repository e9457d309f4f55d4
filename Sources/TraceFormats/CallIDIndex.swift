import SIPCore

/// Numbers distinct Call-IDs in first-seen order, looked up by their bytes
/// in a message: a Call-ID seen before costs a hash of its bytes and a
/// compare, not a new string. A scan of a million messages of 300,000
/// calls builds 300,000 strings instead of a million.
public struct CallIDIndex: Sendable {
    public init() {}

    public private(set) var items: [String] = []
    /// FNV-1a of the bytes to the item; a second Call-ID with the same hash
    /// (or whose bytes decode to a string already listed) goes through
    /// `byString`.
    private var byHash: [UInt64: Int] = [:]
    private var byString: [String: Int] = [:]

    /// The index of the Call-ID in `bytes[r]`, added when new.
    public mutating func index(_ bytes: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in r { h = (h ^ UInt64(bytes[i])) &* 0x100_0000_01b3 }
        if let i = byHash[h], Self.equal(items[i], bytes, r) { return i }
        let id = ByteText.string(bytes, r)
        let i = index(id)
        if byHash[h] == nil { byHash[h] = i }
        return i
    }

    /// The index of `id`, added when new.
    public mutating func index(_ id: String) -> Int {
        if let i = byString[id] { return i }
        byString[id] = items.count
        items.append(id)
        return items.count - 1
    }

    private static func equal(_ s: String, _ bytes: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        var s = s
        return s.withUTF8 { u in
            guard u.count == r.count else { return false }
            var k = r.lowerBound
            for b in u {
                if b != bytes[k] { return false }
                k += 1
            }
            return true
        }
    }
}
