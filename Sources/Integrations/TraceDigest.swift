import Crypto

/// The SHA-256 of the bytes a trace was read from, fed piece by piece in
/// the order read, so that a source reading several files (or streaming a
/// body) never needs them all in memory to key the cache.
public struct TraceDigest {
    private var hasher = SHA256()

    public init() {}

    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        hasher.update(data: Array(bytes))
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    /// Lower-case hex; the digest cannot be updated after.
    public func finalize() -> String {
        hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The digest of bytes in hand.
    public static func of<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var digest = TraceDigest()
        digest.update(bytes)
        return digest.finalize()
    }
}
