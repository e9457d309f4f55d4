/// What the lines around a line say about it: inside a signature, a
/// quoted earlier message, a header line of a quoted mail. Read line by
/// line, in order, by `CallIDExtractor`.
///
/// A signature starts at the `-- ` delimiter, at a signature container of
/// HTML mail, or after a short closing line ("Best regards,", "Thanks,
/// Anna", "Mit freundlichen Grüßen"); it ends where a quoted earlier
/// message starts ("On … wrote:", `>` lines, "-----Original Message-----",
/// a forwarded message). Inside it only what the text marks as a Call-ID
/// counts: a bare `local@host` there is somebody's address.
struct LineContext {
    private(set) var inSignature = false
    private var signatureNext = false
    private var lastQuoteDepth = 0

    /// Updates the state for `line` (already without its `>` prefix,
    /// `quoteDepth` of them) and says whether the line itself is a
    /// contact line, whose addresses are never Call-IDs.
    mutating func enter(_ content: ArraySlice<UInt8>, quoteDepth: Int) -> (contact: Bool, skip: Bool) {
        if signatureNext { inSignature = true; signatureNext = false }
        if quoteDepth != lastQuoteDepth { inSignature = false; lastQuoteDepth = quoteDepth }
        let trimmed = Self.trimmed(content)
        guard !trimmed.isEmpty, trimmed.count <= 160 else { return (false, false) }
        let lower = String(decoding: ByteClass.lowered(trimmed), as: UTF8.self)
        if lower == "--" || lower == "—" || lower == "-- " {
            inSignature = true
            return (false, true)
        }
        if Self.isQuoteHeader(lower) {
            inSignature = false
            return (true, false)
        }
        if Self.isClosing(lower) {
            signatureNext = true
            return (true, false)
        }
        return (Self.isContactLine(lower), false)
    }

    mutating func signatureStarts() { inSignature = true; signatureNext = false }
    mutating func quoteStarts() { inSignature = false; signatureNext = false }

    static func trimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var a = s.startIndex, b = s.endIndex
        while a < b && ByteClass.isSpace(s[a]) { a += 1 }
        while b > a && ByteClass.isSpace(s[b - 1]) { b -= 1 }
        return s[a..<b]
    }

    static let quoteHeaderEndings = ["wrote:", "schrieb:", "a écrit :", "a écrit:", "escribió:", "ha scritto:", "skrev:", "napisał:"]
    static let quoteHeaderStarts = [
        "-----original message", "----- original message", "begin forwarded message", "---------- forwarded message",
        "-------- forwarded message", "-------- original message", "________________", "-----ursprüngliche nachricht",
    ]

    static func isQuoteHeader(_ lower: String) -> Bool {
        quoteHeaderEndings.contains { lower.hasSuffix($0) } || quoteHeaderStarts.contains { lower.hasPrefix($0) }
    }

    static let closings = [
        "best regards", "kind regards", "warm regards", "regards", "best", "best wishes", "thanks", "thank you", "many thanks",
        "thanks and regards", "thanks & regards", "thx", "cheers", "br", "brgds", "rgds", "sincerely", "yours sincerely",
        "yours truly", "mit freundlichen grüßen", "mit freundlichen grüssen", "freundliche grüße", "viele grüße", "beste grüße",
        "gruß", "grüße", "mfg", "lg", "vg", "cordialement", "bien cordialement", "saludos", "un saludo", "met vriendelijke groet",
        "sent from my iphone", "sent from my android", "get outlook for ios", "get outlook for android",
    ]

    /// A short line that is only a closing, maybe with a name after it:
    /// "Best regards,", "Thanks, Anna", "Cheers -- Bob", "Kind regards Anna".
    /// A one-word closing needs punctuation before the name, so that "LG
    /// phone fails" or "Best case" is not taken for one.
    static func isClosing(_ lower: String) -> Bool {
        guard lower.count <= 48 else { return false }
        for c in closings where lower.hasPrefix(c) {
            let rest = lower.dropFirst(c.count)
            if rest.isEmpty { return true }
            let afterSpaces = rest.drop(while: { $0 == " " })
            guard let first = afterSpaces.first else { return true }
            let punctuated = ",.!-–—".contains(first)
            guard punctuated || (c.contains(" ") && rest.first == " ") else { continue }
            // "Thanks, the Call-ID is …" is a sentence, not a closing.
            let words = rest.split(whereSeparator: { " ,.!-–—".contains($0) })
            if words.count <= 3 && !words.contains(where: { $0.contains(where: \.isNumber) || $0.contains("@") }) && !rest.contains("call") {
                return true
            }
        }
        return false
    }

    static let contactLabels = [
        "from:", "to:", "cc:", "bcc:", "reply-to:", "sent:", "date:", "e-mail:", "email:", "mail:", "phone:", "tel:", "tel.:",
        "mobile:", "mob:", "fax:", "web:", "von:", "an:", "gesendet:", "betreff:", "subject:", "de :", "à :", "envoyé :",
    ]

    /// A mail header or a contact detail ("From: Anna <anna@example.com>",
    /// "E-mail: noc@carrier.net"). SIP header lines start the same way,
    /// but their addresses are `sip:` URIs, never taken anyway.
    static func isContactLine(_ lower: String) -> Bool {
        contactLabels.contains { lower.hasPrefix($0) }
    }
}
