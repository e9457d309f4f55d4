import Foundation

/// A finding as the journal keeps it, for `agentctl replay`: enough to
/// render the annotation again from the cache (a diagnosis by its cache
/// key) without asking the sources.
struct FindingRecord: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable {
        case diagnosed
        case noTrace = "no-trace"
        case unreadable
        case sourcesFailed = "sources-failed"
    }

    var callID: String
    var kind: Kind
    /// The diagnosis cache key (diagnosed only).
    var cacheCallIDs: [String]?
    var digest: String?
    var origin: String?
    var reason: String?
    /// Sources asked (no trace) or their failures (sources failed).
    var details: [String]?

    static func encode(_ records: [FindingRecord]) -> String {
        let data = (try? JSONEncoder().encode(records)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String) -> [FindingRecord] {
        (try? JSONDecoder().decode([FindingRecord].self, from: Data(text.utf8))) ?? []
    }
}
