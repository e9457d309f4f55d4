/// One failure family of domain brief section 3: what it looks for, what
/// it concludes and what fix it suggests. Adding a family means adding a
/// type that conforms and listing it in `RuleBook`.
public protocol DiagnosisRule: Sendable {
    /// Stable identifier, also the fixture folder name (`codec-mismatch`).
    var family: String { get }
    func evaluate(_ context: CallContext) -> Finding?
}

/// A rule's conclusion about one call.
public struct Finding: Sendable, Equatable {
    public enum Role: Int, Sendable, Comparable {
        /// Notes something worth saying that is not a problem (STIR/SHAKEN
        /// attestation present, session refreshed).
        case observation = 0
        /// A problem in a call whose signalling has no failure (one-way
        /// audio from NAT, poor quality).
        case callProblem = 1
        /// Explains the call's first failure.
        case explainsFirstFailure = 2
        public static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }
    }

    public var family: String
    public var role: Role
    public var headline: String
    public var outcome: Verdict.Outcome
    public var responsibleSide: String?
    public var evidence: [Evidence]
    public var fixSteps: [String]
    public var limitations: [String]
    public var confidence: Confidence

    public init(family: String, role: Role, headline: String, outcome: Verdict.Outcome, responsibleSide: String?,
                evidence: [Evidence], fixSteps: [String], limitations: [String] = [], confidence: Confidence) {
        self.family = family
        self.role = role
        self.headline = headline
        self.outcome = outcome
        self.responsibleSide = responsibleSide
        self.evidence = evidence
        self.fixSteps = fixSteps
        self.limitations = limitations
        self.confidence = confidence
    }
}
