/// The 64-bit hash the span table is indexed by: FNV-1a over the key's
/// UTF-8 bytes. Stored in the file, so it must never change (Swift's own
/// `Hasher` is seeded per process and cannot be used). Two keys sharing a
/// hash are told apart by the key itself, which every lookup compares.
enum SpanKeyHash {
    static func of(_ key: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
