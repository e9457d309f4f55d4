import SIPCore

/// Numbers distinct Call-IDs in first-seen order, looked up by their bytes
/// in a message: a Call-ID seen before costs a hash of its bytes and a
/// compare, not a new string. A scan of a million messages of 300,000
/// calls builds 300,000 strings instead of a million.
///
/// While every Call-ID is ASCII, as nearly all are, equal strings are
/// equal bytes, so the byte hash alone finds them and no `String` is
/// hashed (that was a fifth of a filtered text read). The first Call-ID
/// with other bytes switches to comparing as `String`s do (canonical
/// equivalence: the Kelvin sign equals `K`), for all of them.
public struct CallIDIndex: Sendable {
    public init() {}

    public private(set) var items: [String] = []
    /// FNV-1a of the bytes to the first item with that hash.
    private var byHash: [UInt64: Int] = [:]
    /// ASCII items whose hash an earlier item has.
    private var collided: [String: Int] = [:]
    /// Every item by its string, once a non-ASCII Call-ID was seen.
    private var byString: [String: Int]? = nil

    /// The index of the Call-ID in `bytes[r]`, added when new.
    public mutating func index(_ bytes: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var high: UInt8 = 0
        for i in r {
            h = (h ^ UInt64(bytes[i])) &* 0x100_0000_01b3
            high |= bytes[i]
        }
        if let i = byHash[h], Self.equal(items[i], bytes, r) { return i }
        return add(ByteText.string(bytes, r), hash: h, ascii: high < 0x80)
    }

    /// The index of `id`, added when new.
    public mutating func index(_ id: String) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var high: UInt8 = 0
        for b in id.utf8 {
            h = (h ^ UInt64(b)) &* 0x100_0000_01b3
            high |= b
        }
        if let i = byHash[h], items[i].utf8.elementsEqual(id.utf8) { return i }
        return add(id, hash: h, ascii: high < 0x80)
    }

    /// `id`, whose bytes are not those of the item its hash names (if any).
    private mutating func add(_ id: String, hash h: UInt64, ascii: Bool) -> Int {
        if byString == nil {
            if ascii {
                if byHash[h] == nil { return append(id, hash: h) }
                if let i = collided[id] { return i }
                collided[id] = items.count
                return append(id, hash: h)
            }
            // Items so far are distinct as strings too (ASCII strings are
            // equal only when their bytes are).
            var all: [String: Int] = [:]
            for (i, s) in items.enumerated() { all[s] = i }
            byString = all
        }
        if let i = byString![id] { return i }
        byString![id] = items.count
        return append(id, hash: h)
    }

    private mutating func append(_ id: String, hash h: UInt64) -> Int {
        if byHash[h] == nil { byHash[h] = items.count }
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
