/// Everything the agent concluded about one call, in the order the
/// explanation is read (domain brief section 7). Pure data: the renderers
/// turn it into text, Markdown or JSON, and the store caches it as is.
public struct Diagnosis: Sendable, Codable, Equatable {
    /// Bumped whenever a field changes meaning; see docs/json-schema.md.
    public static let schemaVersion = 1

    /// Bumped whenever a rule changes what it concludes, so that a cache
    /// keyed on it never serves a verdict today's rules would not give.
    /// `Fixtures/engine-verdicts.txt` records the verdicts of this version;
    /// a test fails when they change and this does not.
    public static let engineVersion = 3

    public var schemaVersion: Int
    /// The engine that made this diagnosis (`Diagnosis.engineVersion`); nil
    /// when decoded from JSON written before engine versions existed, which
    /// a cache must treat as stale.
    public var engineVersion: Int?
    /// The Call-ID asked for (or the first leg's).
    public var callID: String
    public var verdict: Verdict
    /// The first failure of the call, nil when the signalling has none.
    public var firstFailure: FirstFailureRef?
    public var state: CallState
    public var legs: [LegInfo]
    public var participants: [Participant]
    public var ladder: [LadderRow]
    public var evidence: [Evidence]
    public var fixSteps: [String]
    /// What the trace could not show ("no RTP in a text trace").
    public var limitations: [String]
    public var confidence: Confidence
    /// Other rules that fired besides the headline one.
    public var otherFindings: [FindingSummary]
    /// Reader and parser warnings that touch this call.
    public var warnings: [String]
    /// The RTP the capture measured for this call; nil for text traces.
    public var media: MediaSummary?
    /// The platform's own log lines tied to this call (console pastes);
    /// nil when the trace has none.
    public var platformLog: [PlatformLogEntry]?

    public init(callID: String, verdict: Verdict, firstFailure: FirstFailureRef?, state: CallState,
                legs: [LegInfo], participants: [Participant], ladder: [LadderRow], evidence: [Evidence],
                fixSteps: [String], limitations: [String], confidence: Confidence,
                otherFindings: [FindingSummary] = [], warnings: [String] = [], media: MediaSummary? = nil,
                platformLog: [PlatformLogEntry]? = nil) {
        self.schemaVersion = Diagnosis.schemaVersion
        self.engineVersion = Diagnosis.engineVersion
        self.callID = callID
        self.verdict = verdict
        self.firstFailure = firstFailure
        self.state = state
        self.legs = legs
        self.participants = participants
        self.ladder = ladder
        self.evidence = evidence
        self.fixSteps = fixSteps
        self.limitations = limitations
        self.confidence = confidence
        self.otherFindings = otherFindings
        self.warnings = warnings
        self.media = media
        self.platformLog = platformLog
    }

    /// True when today's engine made it: a cached diagnosis that is not
    /// current must be made again.
    public var isCurrent: Bool { engineVersion == Diagnosis.engineVersion }
}

/// The headline: what went wrong and whose side it is on.
public struct Verdict: Sendable, Codable, Equatable {
    /// Stable rule identifier (`codec-mismatch`, `healthy`), for machines.
    public var family: String
    /// One line for humans: "Call rejected: 488 codec mismatch (G.722 offered, G.711 only)".
    public var headline: String
    public var outcome: Outcome
    /// Who must act: "caller's phone", "carrier", "our core".
    public var responsibleSide: String?

    public enum Outcome: String, Sendable, Codable, Equatable {
        /// Signalling and what media evidence exists look right.
        case healthy
        /// The call failed or dropped.
        case failed
        /// It connected but something is wrong (one-way audio, quality).
        case degraded
        /// It ended the way a person chose (busy, declined, cancelled).
        case notAFault = "not-a-fault"
    }

    public init(family: String, headline: String, outcome: Outcome, responsibleSide: String?) {
        self.family = family
        self.headline = headline
        self.outcome = outcome
        self.responsibleSide = responsibleSide
    }
}

/// The message that broke the call, and why it counts as the first failure.
public struct FirstFailureRef: Sendable, Codable, Equatable {
    /// Index of the message in the trace (`#7`).
    public var messageIndex: Int
    /// `488 Not Acceptable Here` or `INVITE (no final response)`.
    public var summary: String
    public var callID: String
    /// Why this is the first failure (and which earlier ones were excused).
    public var explanation: String

    public init(messageIndex: Int, summary: String, callID: String, explanation: String) {
        self.messageIndex = messageIndex
        self.summary = summary
        self.callID = callID
        self.explanation = explanation
    }
}

/// Call state in the words of a ladder reader (after sngrep).
public enum CallState: String, Sendable, Codable, Equatable {
    case setup, inCall = "in-call", cancelled, rejected, diverted, busy, completed, registration, other
}

/// One Call-ID of the call, and the rule that tied it to the first.
public struct LegInfo: Sendable, Codable, Equatable {
    public var callID: String
    /// nil for the first leg; otherwise how it was tied
    /// ("same local part before @", "X-Orig-Call-ID header", ...).
    public var tiedBy: String?
    public var messageCount: Int

    public init(callID: String, tiedBy: String?, messageCount: Int) {
        self.callID = callID
        self.tiedBy = tiedBy
        self.messageCount = messageCount
    }
}

/// A box on the ladder.
public struct Participant: Sendable, Codable, Equatable {
    public var name: String
    /// `ip:port` when known.
    public var address: String?
    /// How the name was chosen: trace label, --peer map, heuristic, address.
    public var namedBy: NamedBy

    public enum NamedBy: String, Sendable, Codable, Equatable {
        case traceLabel = "trace-label", peerMap = "peer-map", heuristic, address
    }

    public init(name: String, address: String?, namedBy: NamedBy) {
        self.name = name
        self.address = address
        self.namedBy = namedBy
    }
}

/// One arrow of the ladder.
public struct LadderRow: Sendable, Codable, Equatable {
    public var messageIndex: Int
    public var time: Double?
    /// Indices into `participants`.
    public var from: Int
    public var to: Int
    /// `INVITE`, `200 OK`.
    public var label: String
    public var hasSDP: Bool
    /// 1 for a single send; 3 when the message was sent three times.
    public var count: Int
    public var callID: String
    public var isFirstFailure: Bool

    public init(messageIndex: Int, time: Double?, from: Int, to: Int, label: String, hasSDP: Bool,
                count: Int, callID: String, isFirstFailure: Bool) {
        self.messageIndex = messageIndex
        self.time = time
        self.from = from
        self.to = to
        self.label = label
        self.hasSDP = hasSDP
        self.count = count
        self.callID = callID
        self.isFirstFailure = isFirstFailure
    }
}

/// A fact from the trace that supports the verdict, with the messages
/// that show it.
public struct Evidence: Sendable, Codable, Equatable {
    public var text: String
    public var messageIndices: [Int]

    public init(_ text: String, messages: [Int] = []) {
        self.text = text
        self.messageIndices = messages
    }
}

public struct Confidence: Sendable, Codable, Equatable {
    public enum Level: String, Sendable, Codable, Equatable, Comparable {
        case low, medium, high
        private var rank: Int { self == .low ? 0 : self == .medium ? 1 : 2 }
        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
    }
    public var level: Level
    public var reason: String

    public init(_ level: Level, _ reason: String) {
        self.level = level
        self.reason = reason
    }
}

/// A secondary rule result, listed after the headline one.
public struct FindingSummary: Sendable, Codable, Equatable {
    public var family: String
    public var headline: String

    public init(family: String, headline: String) {
        self.family = family
        self.headline = headline
    }
}
