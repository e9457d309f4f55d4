/// What is blanked out of a post before it leaves. SEAM: owned by the
/// annotation piece, which fills in the rules and the body.
public struct RedactionRules: Sendable, Equatable {
    public var phoneNumbers: Bool
    public var emailAddresses: Bool
    public var ipAddresses: Bool
    /// Extra regular expressions (the configuration's `redaction.patterns`).
    public var patterns: [String]

    public init(phoneNumbers: Bool = true, emailAddresses: Bool = true, ipAddresses: Bool = false, patterns: [String] = []) {
        self.phoneNumbers = phoneNumbers
        self.emailAddresses = emailAddresses
        self.ipAddresses = ipAddresses
        self.patterns = patterns
    }
}

public struct Redactor: Sendable {
    public var rules: RedactionRules

    /// Throws when a configured pattern is not a valid regular expression.
    public init(rules: RedactionRules) throws {
        self.rules = rules
    }

    public func redact(_ text: String) -> String { text }
}
