/// A `multipart/mixed` or `multipart/alternative` body (SDP plus ISUP,
/// SDP plus PIDF-LO), split into its parts.
public struct MultipartBody: Sendable {
    public struct Part: Sendable {
        public var contentType: String
        public var body: String
    }
    public var parts: [Part]

    public init?(contentType: String, body: String) {
        guard let b = Parameters(Substring(contentType.drop { $0 != ";" }.dropFirst()))["boundary"], !b.isEmpty else { return nil }
        let delimiter = "--" + b
        var parts: [Part] = []
        // `\r\n` is one Character in Swift: split on isNewline.
        var lines = body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        // Drop the preamble.
        while let first = lines.first, !first.hasPrefix(delimiter) { lines.removeFirst() }
        var current: [Substring]? = nil
        func flush() {
            guard let c = current else { return }
            var type = "text/plain"
            var i = 0
            while i < c.count, !c[i].trimmingCharacters().isEmpty {
                let h = c[i]
                if let colon = h.firstIndex(of: ":"), h[..<colon].trimmingCharacters().lowercased() == "content-type" {
                    type = h[h.index(after: colon)...].trimmingCharacters().lowercased()
                }
                i += 1
            }
            let content = c.dropFirst(i + 1).joined(separator: "\r\n")
            parts.append(Part(contentType: type, body: content))
        }
        for line in lines {
            if line.hasPrefix(delimiter) {
                flush()
                if line.hasPrefix(delimiter + "--") { current = nil; break }
                current = []
            } else {
                current?.append(line)
            }
        }
        flush()
        guard !parts.isEmpty else { return nil }
        self.parts = parts
    }

    public func part(ofType type: String) -> String? {
        parts.first { $0.contentType.hasPrefix(type) }?.body
    }
}
