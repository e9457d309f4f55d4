import HTTPClient

/// A few words about an answer for an error message, so that a person can
/// tell a proxy's login page or a stack trace from the API's own answer
/// without the body being dumped.
extension HTTPResponse {
    /// The first printable characters of the body, runs of anything else
    /// (line breaks, binary) as one space.
    var bodyHead: String {
        let head = body.prefix(80).map { $0 > 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : " " }
        return String(head).split(separator: " ").joined(separator: " ")
    }

    /// "a text/html answer of 1234 bytes starting '<html> <head>…'".
    var sketch: String {
        let type = header("Content-Type").map { "a \($0) answer" } ?? "an answer"
        let head = bodyHead
        return "\(type) of \(body.count) bytes" + (head.isEmpty ? "" : " starting '\(head)'")
    }
}
