/// RFC 3261 delta-seconds (Expires and the `expires` parameter, Retry-After,
/// Session-Expires, Min-SE): decimal digits, at most 2^32-1 (section 20.19).
/// A longer value is read as that maximum, so the arithmetic done with it
/// (a grant times 8/10, an expiry plus a time) cannot overflow.
public enum DeltaSeconds {
    public static let max = Int(UInt32.max)

    /// The seconds a header value or parameter gives (`1800;refresher=uac`
    /// gives 1800); nil when it is not digits, or digits run into something
    /// else (`1e9`, `-5`, `60s`).
    public static func parse<S: StringProtocol>(_ text: S) -> Int? {
        var value = 0, digits = 0
        for b in text.utf8.drop(while: { $0 == 0x20 || $0 == 0x09 }) {
            guard b >= 0x30, b <= 0x39 else {
                guard b == UInt8(ascii: ";") || b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A else { return nil }
                break
            }
            digits += 1
            value = Swift.min(value * 10 + Int(b - 0x30), max)
        }
        return digits > 0 ? value : nil
    }
}
