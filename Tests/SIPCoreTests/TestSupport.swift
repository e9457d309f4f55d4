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
