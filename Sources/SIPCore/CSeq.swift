/// `CSeq: 102 INVITE`.
public struct CSeq: Sendable, Hashable, Codable {
    public var number: UInt32
    public var method: String

    public init(number: UInt32, method: String) {
        self.number = number
        self.method = method
    }

    public init?(_ text: String) {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count >= 2, let n = UInt32(parts[0]) else { return nil }
        number = n
        method = parts[1].uppercased()
    }
}
