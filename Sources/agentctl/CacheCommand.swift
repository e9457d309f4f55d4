import ArgumentParser
import Foundation
import Diagnosis
import Store

/// `agentctl cache`: look after the diagnosis cache in the store.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Show, prune or compact the diagnosis cache.",
        discussion: """
        A diagnosis is cached under its calls' Call-IDs, a digest of the trace \
        bytes read and the engine version, so a grown trace or a changed rule is \
        diagnosed again; old entries are only dead weight, which prune removes.

        Exit codes:
          0  done
          2  the database could not be opened or written
        """,
        subcommands: [Stats.self, Prune.self, Vacuum.self]
    )

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the number of entries, their size and use.")

        @OptionGroup var options: AgentOptions

        func run() throws {
            let store = try options.open()
            let stats = try storeCall { try store.diagnosisCache().stats() }
            print("database: \(store.path) (\(CacheCommand.megabytes(store.sizeOnDisk())) on disk)")
            print("entries: \(stats.entries), of which \(stats.otherEngineEntries) from another engine than this one (\(CacheCommand.engine)), never served again")
            print("diagnoses: \(CacheCommand.megabytes(stats.diagnosisBytes)) of JSON")
            print("hits: \(stats.totalHits), last \(CacheCommand.time(stats.lastHitAt))")
            print("stored: oldest \(CacheCommand.time(stats.oldestStoredAt)), newest \(CacheCommand.time(stats.newestStoredAt))")
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove entries neither stored nor served for a while.",
            discussion: "The file keeps its size until `agentctl cache vacuum`."
        )

        @Option(name: .customLong("older-than"), help: ArgumentHelp(
            "Remove entries unused for this long: a whole number and s, m, h, d or w (30d, 12h, 90m).", valueName: "AGE"),
                transform: Age.parse)
        var olderThan: Age

        @OptionGroup var options: AgentOptions

        func run() throws {
            let store = try options.open()
            let cutoff = Date().timeIntervalSince1970 - olderThan.seconds
            let removed = try storeCall { try store.diagnosisCache().prune(unusedSince: cutoff) }
            print("removed \(removed) entr\(removed == 1 ? "y" : "ies") unused for \(olderThan.text) (since \(CacheCommand.time(cutoff))); `agentctl cache vacuum` gives the space back")
        }
    }

    struct Vacuum: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compact the database file, giving pruned space back to the file system.",
            discussion: "Rewrites the whole file; other processes using it wait (up to the busy timeout) while it runs."
        )

        @OptionGroup var options: AgentOptions

        func run() throws {
            let store = try options.open()
            let before = store.sizeOnDisk()
            try storeCall { try store.vacuum() }
            print("vacuumed \(store.path): \(CacheCommand.megabytes(before)) -> \(CacheCommand.megabytes(store.sizeOnDisk()))")
        }
    }

    static var engine: String { "engine \(Diagnosis.engineVersion)" }

    static func megabytes(_ bytes: Int64) -> String {
        FixedPoint.text(Double(bytes) / 1_000_000, 1) + " MB"
    }

    static func time(_ seconds: Double?) -> String {
        guard let seconds else { return "never" }
        return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds))
    }
}

/// Runs a store call, turning a database error (disk full, locked past
/// the busy timeout) into a message and exit status 2.
func storeCall<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        StandardError.print("error: \(error); the database may be locked by another agentctl or on a full disk")
        throw ExitCode(2)
    }
}
