import Diagnosis
import Foundation

/// What a cached diagnosis is filed under: the same calls, read from the
/// same bytes, by the same engine. A grown trace has another digest and a
/// changed rule another engine version, so neither is served a stale
/// verdict: they miss and are diagnosed again.
public struct DiagnosisCacheKey: Sendable, Hashable {
    /// Every Call-ID the diagnosis read (all legs), sorted and distinct so
    /// that the order a source found the legs in does not matter.
    public let callIDs: [String]
    /// Hex SHA-256 of the trace bytes, as the source computed it.
    public let traceDigest: String
    public let engineVersion: Int

    public init(callIDs: some Sequence<String>, traceDigest: String, engineVersion: Int = Diagnosis.engineVersion) {
        self.callIDs = Array(Set(callIDs)).sorted()
        self.traceDigest = traceDigest.lowercased()
        self.engineVersion = engineVersion
    }
}

/// A diagnosis as the cache holds it.
public struct CachedDiagnosis: Sendable, Equatable {
    public var diagnosis: Diagnosis
    /// When it was stored, and when last served before this lookup (nil:
    /// never), seconds since the epoch.
    public var storedAt: Double
    public var lastHitAt: Double?

    public init(diagnosis: Diagnosis, storedAt: Double, lastHitAt: Double?) {
        self.diagnosis = diagnosis
        self.storedAt = storedAt
        self.lastHitAt = lastHitAt
    }
}

/// What `agentctl cache stats` prints.
public struct DiagnosisCacheStats: Sendable, Equatable {
    public var entries: Int
    /// Entries made by another engine than this build's: they are never
    /// served again, and go at the next prune once unused that long.
    public var otherEngineEntries: Int
    /// Bytes of stored diagnoses (the JSON), not counting SQLite's pages.
    public var diagnosisBytes: Int64
    public var totalHits: Int64
    public var oldestStoredAt: Double?
    public var newestStoredAt: Double?
    public var lastHitAt: Double?
}

/// The diagnosis cache the agent and `diagnose --call-id` call: a hit
/// costs well under a millisecond, so a ticket that names a call already
/// explained is answered without reading the trace again.
public protocol DiagnosisCache: Sendable {
    /// The diagnosis stored under exactly this key, recording the hit; nil
    /// on a miss (another digest or engine version is a miss).
    func lookup(_ key: DiagnosisCacheKey) throws -> CachedDiagnosis?
    /// Stores (or replaces) the diagnosis under the key.
    func store(_ diagnosis: Diagnosis, for key: DiagnosisCacheKey) throws
    func stats() throws -> DiagnosisCacheStats
    /// Removes entries neither stored nor served since `cutoff` (seconds
    /// since the epoch); returns how many went.
    @discardableResult
    func prune(unusedSince cutoff: Double) throws -> Int
}
