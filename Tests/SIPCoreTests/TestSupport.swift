import Foundation
@testable import SIPCore

/// Joins lines with CRLF, as a SIP message is written on the wire.
func crlf(_ lines: String...) -> String { lines.joined(separator: "\r\n") }

/// Parses a message that the test expects to be valid.
func parsed(_ lines: String...) throws -> SIPMessage {
    try SIPParser.parse(lines.joined(separator: "\r\n"))
}

/// Base64url without padding, as JWTs are written.
func base64url(_ text: String) -> String {
    Data(text.utf8).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

/// A deterministic generator so that "random" input is the same every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
