import Diagnosis
import Integrations
import Store

/// A found trace diagnosed, or its verdict taken from the cache when the
/// same bytes were diagnosed by this engine before. Shared by
/// `agentctl diagnose --call-id` and the agent, so both answer alike. A
/// cache that cannot be read or written costs only speed.
public struct CachedDiagnoser: Sendable {
    public var diagnoser: Diagnoser
    public var cache: (any DiagnosisCache)?

    public init(diagnoser: Diagnoser, cache: (any DiagnosisCache)?) {
        self.diagnoser = diagnoser
        self.cache = cache
    }

    public struct Result: Sendable {
        public var diagnosis: Diagnosis
        /// The key it is (or would be) cached under: replay reads it back.
        public var key: DiagnosisCacheKey
        public var fromCache: Bool
        /// Set when the cache could not store it (said once, not fatal).
        public var cacheProblem: String?
    }

    /// The cache key of a found trace: its Call-IDs and digest. The peers
    /// name the explanation's participants, so they are part of what was
    /// diagnosed: folded into the digest, a verdict made under other names
    /// is never served.
    public func key(of found: FoundTrace) -> DiagnosisCacheKey {
        var digest = found.digest
        let peers = diagnoser.options.peers.entries
        if !peers.isEmpty {
            digest = TraceDigest.of(Array((digest + peers.map { "\n\($0.range)=\($0.name)" }.joined()).utf8))
        }
        return DiagnosisCacheKey(callIDs: Set(found.trace.messages.compactMap(\.message.callID)), traceDigest: digest)
    }

    public func diagnose(_ found: FoundTrace, callID: String) throws(DiagnoseError) -> Result {
        let key = key(of: found)
        if let hit = try? cache?.lookup(key) { return Result(diagnosis: hit.diagnosis, key: key, fromCache: true) }
        let d = try diagnoser.diagnose(found.trace, callID: callID)
        var problem: String?
        do { try cache?.store(d, for: key) } catch { problem = "the diagnosis was not cached: \(error)" }
        return Result(diagnosis: d, key: key, fromCache: false, cacheProblem: problem)
    }

    /// The verdict cached under `key` by this engine, if any (replay
    /// without --refetch).
    public func cached(_ key: DiagnosisCacheKey) -> Diagnosis? {
        (try? cache?.lookup(key))?.diagnosis
    }
}
