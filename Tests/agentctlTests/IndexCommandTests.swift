import Foundation
import Store
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `agentctl index` as a user runs it: the summary line, a second run
/// that reads nothing, and a run killed with SIGKILL then started again.
@Suite struct IndexCommandTests {
    /// A raw SIP trace of `calls` short calls (INVITE, 200, ACK), Call-IDs `<prefix>-<n>@host`.
    static func trace(_ prefix: String, calls: Int) -> String {
        (0..<calls).map { n in
            let id = "\(prefix)-\(n)@198.51.100.7"
            return ["INVITE sip:bob@10.0.0.2 SIP/2.0", "SIP/2.0 200 OK", "ACK sip:bob@10.0.0.2 SIP/2.0"].map { start in
                let method = start.hasPrefix("ACK") ? "ACK" : "INVITE"
                return "\(start)\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK\(n)\(method)\r\nFrom: <sip:alice@10.0.0.1>;tag=a\r\nTo: <sip:bob@10.0.0.2>\(start.hasPrefix("INVITE") ? "" : ";tag=b")\r\nCall-ID: \(id)\r\nCSeq: 1 \(method)\r\nContent-Length: 0\r\n\r\n"
            }.joined()
        }.joined()
    }

    static func exports(_ scratch: Scratch, files: Int, callsPerFile: Int) throws -> String {
        let dir = scratch.path("exports")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for f in 0..<files {
            try Data(trace("f\(f)", calls: callsPerFile).utf8).write(to: URL(fileURLWithPath: dir + "/sbc-\(f).txt"))
        }
        return dir
    }

    @Test func aSecondRunOverUnchangedFilesReadsNothing() throws {
        let scratch = try Scratch()
        let dir = try Self.exports(scratch, files: 3, callsPerFile: 2)
        let db = scratch.path("db/agentctl.sqlite")
        let first = try AgentctlProcess.run(["index", dir, "--database", db, "--settle-seconds", "0"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("indexed 3 files, 0 unchanged, 0 refused, 0 removed, 0 still being written: 6 calls"))
        #expect(first.stdout.contains("MB/s"))
        #expect(FileManager.default.fileExists(atPath: db))
        let second = try AgentctlProcess.run(["index", dir, "--database", db])
        #expect(second.stdout.hasPrefix("indexed 0 files, 3 unchanged"))
        #expect(second.stdout.contains("0.0 MB"))
    }

    @Test func refusalsAreListedOnStandardError() throws {
        let scratch = try Scratch()
        let dir = try Self.exports(scratch, files: 1, callsPerFile: 1)
        try FileManager.default.createSymbolicLink(atPath: dir + "/escape.txt", withDestinationPath: "/etc/hostname")
        let run = try AgentctlProcess.run(["index", dir, "--database", scratch.path("a.sqlite"), "--settle-seconds", "0"])
        #expect(run.status == 0)
        #expect(run.stderr.contains("refused") && run.stderr.contains("escape.txt") && run.stderr.contains("outside"))
        #expect(run.stdout.hasPrefix("indexed 1 file, 0 unchanged, 1 refused"))
    }

    @Test func withoutADirectoryItSaysWhatToPass() throws {
        let scratch = try Scratch()
        let run = try AgentctlProcess.run(["index", "--database", scratch.path("a.sqlite")])
        #expect(run.status != 0)
        #expect(run.stderr.contains("pass one (agentctl index /srv/exports)"))
        let missing = try AgentctlProcess.run(["index", scratch.path("nope"), "--database", scratch.path("a.sqlite")])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("error: export directory \(scratch.path("nope")) cannot be read"))
    }

    @Test func anIndexerKilledMidRunLosesNothingAndDuplicatesNothingWhenRunAgain() throws {
        let scratch = try Scratch()
        let files = 400, callsPerFile = 40
        let dir = try Self.exports(scratch, files: files, callsPerFile: callsPerFile)
        let db = scratch.path("agentctl.sqlite")
        let root = URL(fileURLWithPath: dir).resolvingSymlinksInPath().path
        // The schema exists before the child starts, so the test can watch it.
        let database = try StoreDatabase(path: db)
        let index = database.traceIndex

        let child = Process()
        child.executableURL = try AgentctlProcess.binary()
        child.arguments = ["index", dir, "--database", db, "--settle-seconds", "0"]
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        let deadline = Date().addingTimeInterval(120)
        while child.isRunning, Date() < deadline, try index.indexedFiles(under: root).count < 20 { usleep(2_000) }
        let wasRunning = child.isRunning
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(wasRunning, "the indexer finished before it was killed; raise the work")
        #expect(child.terminationReason == .uncaughtSignal)

        let done = try index.indexedFiles(under: root).count
        #expect(done >= 20 && done < files)
        // Every file recorded is recorded whole: each of its calls has its span.
        for file in try index.indexedFiles(under: root) {
            let f = Int(file.path.split(separator: "-").last!.dropLast(4))!
            #expect(try index.spans(forKey: "f\(f)-\(callsPerFile - 1)@198.51.100.7").count == 1)
        }

        let rerun = try AgentctlProcess.run(["index", dir, "--database", db, "--settle-seconds", "0"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.hasPrefix("indexed \(files - done) files, \(done) unchanged"))
        #expect(try index.indexedFiles(under: root).count == files)
        for f in [0, files / 2, files - 1] {
            for n in [0, callsPerFile - 1] {
                let spans = try index.spans(forKey: "f\(f)-\(n)@198.51.100.7")
                #expect(spans.count == 1)
                #expect(spans.first?.messages == 3)
            }
        }
        #expect(try database.integrityProblems().isEmpty)
    }
}
