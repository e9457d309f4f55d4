import ArgumentParser
import Diagnosis
import Foundation
import Store
import TraceSynthesis

/// `agentctl bench store`: what the store costs the two paths that must be
/// quick. A lookup by Call-ID in an index of a million calls (the agent's
/// first step for every ticket), a cache hit (a ticket about a call
/// already explained), and how big the file grows per million calls. It
/// builds the index in a scratch database, prints figures, and removes
/// it; nothing passes or fails.
struct BenchStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Time index lookups and cache hits in a scratch database of a million calls.",
        discussion: "Figures only mean something in a release build: swift run -c release agentctl bench store"
    )

    @Option(help: "Calls in the index (each with two keys: its Call-ID and the Call-ID's local part).")
    var calls: Int = 1_000_000

    @Option(name: .customLong("calls-per-file"), help: "Calls per indexed file (one transaction each).")
    var callsPerFile: Int = 10_000

    @Option(name: .customLong("files-per-transaction"), help: "Files written in one transaction, as an indexer batching small files does.")
    var filesPerTransaction: Int = 1

    @Option(help: "Lookups timed, each of a random indexed Call-ID; as many misses and cache hits.")
    var lookups: Int = 20_000

    @Option(name: .customLong("cache-entries"), help: "Diagnoses in the cache when its hits are timed.")
    var cacheEntries: Int = 10_000

    @Option(help: "Build the database here and keep it (default: a temporary directory, removed after).")
    var directory: String?

    func validate() throws {
        guard calls > 0, calls <= 50_000_000 else { throw ValidationError("--calls must be 1...50000000") }
        guard callsPerFile > 0, callsPerFile <= 1_000_000 else { throw ValidationError("--calls-per-file must be 1...1000000") }
        guard filesPerTransaction > 0, filesPerTransaction <= 10_000 else { throw ValidationError("--files-per-transaction must be 1...10000") }
        guard lookups > 0, lookups <= 10_000_000 else { throw ValidationError("--lookups must be 1...10000000") }
        guard cacheEntries > 0, cacheEntries <= 1_000_000 else { throw ValidationError("--cache-entries must be 1...1000000") }
    }

    func run() throws {
        #if DEBUG
        print("build: debug (figures are not representative; use swift run -c release agentctl bench store)")
        #else
        print("build: release")
        #endif
        let scratch = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("agentctl-bench-store-\(UUID().uuidString)").path
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: scratch) } }
        let database = try storeCall { try StoreDatabase(path: scratch + "/bench.sqlite") }
        print("database: \(database.path)")
        try storeCall {
            try buildIndex(database)
            fflush(nil)
            try timeLookups(database)
            fflush(nil)
            try timeCache(database)
        }
    }

    private func buildIndex(_ database: StoreDatabase) throws {
        let index = database.traceIndex
        var seconds = 0.0
        var written = 0, file = 0, transactions = 0
        var batch: [(file: IndexedFile, spans: [IndexedCallSpan])] = []
        while written < calls {
            let count = min(callsPerFile, calls - written)
            let path = "/bench/exports/capture-\(file).pcap"
            var spans: [IndexedCallSpan] = []
            spans.reserveCapacity(count * 2)
            for n in written..<(written + count) {
                let callID = BenchCorpus.callID(n)
                let offset = Int64(n - written) * 4_000
                let range = offset..<(offset + 3_600)
                let time = 1_733_100_000 + Double(n) / 100
                spans.append(IndexedCallSpan(key: callID, kind: .callID, callID: callID, path: path, byteRange: range,
                                             firstTime: time, lastTime: time + 35, messages: 9))
                spans.append(IndexedCallSpan(key: String(callID.prefix { $0 != "@" }), kind: .localPart, callID: callID,
                                             path: path, byteRange: range, firstTime: time, lastTime: time + 35, messages: 9))
            }
            batch.append((IndexedFile(path: path, size: Int64(count) * 4_000, modified: 1_733_100_000, inode: UInt64(file),
                                      headDigest: String(repeating: "0", count: 64), format: "pcap", compressed: false,
                                      indexedAt: 1_733_200_000),
                          spans))
            if batch.count == filesPerTransaction || written + count == calls {
                let start = ContinuousClock.now
                try index.replace(batch)
                seconds += Bench.seconds(ContinuousClock.now - start)
                transactions += 1
                batch.removeAll()
            }
            written += count
            file += 1
        }
        try database.checkpoint()
        let size = Double(database.sizeOnDisk())
        print("index: \(calls) calls (\(calls * 2) keys) in \(file) files, \(transactions) transactions, written in \(FixedPoint.text(seconds, 2)) s: \(FixedPoint.text(Double(calls) / seconds, 0)) calls/s")
        print("index: database \(FixedPoint.text(size / 1_000_000, 1)) MB, \(FixedPoint.text(size / Double(calls) * 1_000_000 / 1_000_000, 1)) MB per million calls, \(FixedPoint.text(size / Double(calls), 0)) bytes a call")
    }

    private func timeLookups(_ database: StoreDatabase) throws {
        let index = database.traceIndex
        var random = SplitMix64(seed: 8)
        var hits: [Double] = [], misses: [Double] = []
        hits.reserveCapacity(lookups)
        misses.reserveCapacity(lookups)
        var found = 0
        for _ in 0..<lookups {
            let callID = BenchCorpus.callID(Int(random.next() % UInt64(calls)))
            var start = ContinuousClock.now
            found += try index.spans(forKey: callID).count
            hits.append(Bench.seconds(ContinuousClock.now - start))
            let absent = callID + ".absent"
            start = ContinuousClock.now
            found += try index.spans(forKey: absent).count
            misses.append(Bench.seconds(ContinuousClock.now - start))
        }
        print("lookup by Call-ID (found): \(Self.percentiles(hits)), \(found) spans for \(lookups) lookups")
        print("lookup by Call-ID (absent): \(Self.percentiles(misses))")
    }

    private func timeCache(_ database: StoreDatabase) throws {
        let trace = BenchCorpus(messages: 40).trace()
        let diagnoser = Diagnoser()
        guard let first = diagnoser.callIDs(in: trace).first, let diagnosis = try? diagnoser.diagnose(trace, callID: first) else {
            print("cache: the generated trace holds no call (generator bug)")
            return
        }
        let cache = database.diagnosisCache()
        let digest = String(repeating: "ab", count: 32)
        let start = ContinuousClock.now
        for n in 0..<cacheEntries {
            try cache.store(diagnosis, for: DiagnosisCacheKey(callIDs: [BenchCorpus.callID(n), BenchCorpus.callID(n + calls)],
                                                              traceDigest: digest))
        }
        let storeSeconds = Bench.seconds(ContinuousClock.now - start)
        let json = (try? JSONEncoder().encode(diagnosis).count) ?? 0
        var random = SplitMix64(seed: 9)
        var hits: [Double] = [], misses: [Double] = []
        var served = 0
        for _ in 0..<lookups {
            let n = Int(random.next() % UInt64(cacheEntries))
            var start = ContinuousClock.now
            if try cache.lookup(DiagnosisCacheKey(callIDs: [BenchCorpus.callID(n + calls), BenchCorpus.callID(n)], traceDigest: digest)) != nil {
                served += 1
            }
            hits.append(Bench.seconds(ContinuousClock.now - start))
            start = ContinuousClock.now
            if try cache.lookup(DiagnosisCacheKey(callIDs: [BenchCorpus.callID(n)], traceDigest: digest)) != nil { served += 1 }
            misses.append(Bench.seconds(ContinuousClock.now - start))
        }
        database.finishWrites()
        print("cache: \(cacheEntries) diagnoses of \(diagnosis.ladder.count) ladder rows (\(json) bytes of JSON) stored in \(FixedPoint.text(storeSeconds, 2)) s: \(FixedPoint.text(storeSeconds / Double(cacheEntries) * 1e6, 0)) µs each")
        print("cache hit (read, decode, record the hit): \(Self.percentiles(hits)), \(served) served of \(lookups)")
        print("cache miss: \(Self.percentiles(misses))")
    }

    /// "p50 0.021 ms, p99 0.048 ms, max 1.2 ms".
    static func percentiles(_ seconds: [Double]) -> String {
        let sorted = seconds.sorted()
        guard !sorted.isEmpty else { return "no samples" }
        func at(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)] }
        return "p50 \(FixedPoint.text(at(0.5) * 1000, 3)) ms, p99 \(FixedPoint.text(at(0.99) * 1000, 3)) ms, max \(FixedPoint.text(sorted.last! * 1000, 3)) ms"
    }
}
