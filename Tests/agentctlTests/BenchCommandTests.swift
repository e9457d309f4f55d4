import Foundation
import Testing

@Suite struct BenchCommandTests {
    @Test func rejectsNonsenseSizes() throws {
        let r = try AgentctlProcess.run(["bench", "--megabytes", "0"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--megabytes"))
    }

    @Test
    func printsParseAndDiagnosisFigures() throws {
        let r = try AgentctlProcess.run(["bench", "--megabytes", "1", "--messages", "100", "--runs", "1"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("build: "))
        #expect(r.stdout.contains("MB/s"))
        #expect(r.stdout.contains("diagnose: one call"))
    }
}

@Suite struct BenchStoreCommandTests {
    @Test func printsLookupCacheAndSizeFigures() throws {
        let scratch = try Scratch()
        let r = try AgentctlProcess.run(["bench", "store", "--calls", "3000", "--calls-per-file", "1000", "--lookups", "200",
                                         "--cache-entries", "50", "--files-per-transaction", "2", "--directory", scratch.path("bench")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("index: 3000 calls (6000 keys) in 3 files, 2 transactions"))
        #expect(r.stdout.contains("MB per million calls"))
        #expect(r.stdout.contains("lookup by Call-ID (found): p50 "))
        // Every looked-up call was indexed with one span under its Call-ID.
        #expect(r.stdout.contains("200 spans for 200 lookups"))
        #expect(r.stdout.contains("200 served of 200"))
        #expect(FileManager.default.fileExists(atPath: scratch.path("bench/bench.sqlite")))
    }

    @Test func removesItsScratchDatabaseUnlessGivenADirectory() throws {
        let r = try AgentctlProcess.run(["bench", "store", "--calls", "10", "--lookups", "5", "--cache-entries", "2"])
        #expect(r.status == 0)
        let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("database: ") })
        #expect(!FileManager.default.fileExists(atPath: String(line.dropFirst("database: ".count))))
    }

    @Test func rejectsNonsenseSizes() throws {
        let r = try AgentctlProcess.run(["bench", "store", "--calls", "0"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--calls"))
    }
}
