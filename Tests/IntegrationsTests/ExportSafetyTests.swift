import Foundation
import Integrations
import Store
import Testing
import TestSupport
import TraceFormats

/// What an export directory may not make the indexer do: follow a link
/// out of it, read a file over its limit, or turn a Call-ID into a path.
@Suite struct ExportSafetyTests {
    let a = FixtureCall(callID: "a84b4c76e66710@pc33.example.com", start: ExportFixtures.night)

    func run(_ dir: ExportDirectory, _ store: any TraceIndexStore = InMemoryTraceIndex()) throws -> IndexSummary {
        try ExportIndexer(store: store, sleep: { _ in }, now: { 0 }).index([dir])
    }

    @Test func aSymlinkLeadingOutOfTheDirectoryIsRefusedNamingWhere() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        let outside = scratch.path("secret.pcap")
        try ExportFixtures.write(try ExportFixtures.pcap([a]), to: outside)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/looks-fine.pcap", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/up", withDestinationPath: "..")
        let store = InMemoryTraceIndex()
        let summary = try run(dir, store)
        #expect(summary.indexed == 0)
        #expect(summary.refused.count == 2)
        let refusal = try #require(summary.refused.first { $0.path.hasSuffix("looks-fine.pcap") })
        #expect(refusal.reason.contains("outside"))
        #expect(refusal.reason.contains(try realPath(outside)))
        #expect(store.allSpans.isEmpty)
        // Scanning an unindexed directory refuses it too.
        #expect(try ExportDirectorySource(directories: [dir], store: nil).find(callID: a.callID) == nil)
    }

    @Test func aSymlinkInsideTheDirectoryIsFollowedOnce() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        try FileManager.default.createDirectory(atPath: dir.path + "/2026-11-24", withIntermediateDirectories: true)
        try ExportFixtures.write(try ExportFixtures.pcap([a]), to: dir.path + "/2026-11-24/sbc.pcap")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/latest.pcap", withDestinationPath: dir.path + "/2026-11-24/sbc.pcap")
        let store = InMemoryTraceIndex()
        let summary = try run(dir, store)
        #expect(summary.indexed == 1)
        #expect(summary.refused.isEmpty)
        #expect(store.allSpans.filter { $0.kind == .callID }.map(\.path) == [try realPath(dir.path + "/2026-11-24/sbc.pcap")])
    }

    @Test func aFileOverTheLimitIsRefusedNamingTheLimit() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch, maxFileBytes: 1024)
        try ExportFixtures.write(try ExportFixtures.pcap([a]), to: dir.path + "/big.pcap")
        let summary = try run(dir)
        #expect(summary.indexed == 0)
        let refusal = try #require(summary.refused.first)
        #expect(refusal.reason.contains("over the limit of 1 KiB"))
        #expect(refusal.reason.contains("raise"))
    }

    @Test func aGzipInflatingPastTheLimitIsRefusedNamingTheLimit() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch, maxFileBytes: 2048)
        let text = Array(ExportFixtures.raw([a, a, a]).utf8)
        let gz = try ExportFixtures.gzip(text, in: scratch)
        #expect(gz.count < 2048 && text.count > 2048)
        try ExportFixtures.write(gz, to: dir.path + "/bomb.txt.gz")
        let summary = try run(dir)
        let refusal = try #require(summary.refused.first)
        #expect(refusal.reason.contains("uncompressed stream is over the limit of 2 KiB"))
    }

    @Test func onlyRegularFilesMatchingTheGlobsAreRead() throws {
        let scratch = try Scratch()
        var dir = try ExportFixtures.directory(scratch)
        dir.include = ["*.pcap"]
        try ExportFixtures.write(try ExportFixtures.pcap([a]), to: dir.path + "/a.pcap")
        try ExportFixtures.write(ExportFixtures.raw([a]), to: dir.path + "/a.txt")
        #expect(mkfifo(dir.path + "/pipe.pcap", 0o600) == 0)
        let summary = try run(dir)
        #expect(summary.indexed == 1)
        #expect(summary.refused.map(\.reason).contains { $0.contains("not a regular file") })
    }

    @Test func aFileThatHoldsNoTraceIsRecordedAndNotReadAgain() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        try ExportFixtures.write("nothing SIP in here\n", to: dir.path + "/notes.txt")
        let store = InMemoryTraceIndex()
        let first = try run(dir, store)
        #expect(first.refused.count == 1)
        let second = try run(dir, store)
        #expect(second.unchanged == 1 && second.indexed == 0 && second.refused.isEmpty)
    }

    @Test func aCallIDNeverBecomesAPath() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        // Outside the directory lies a trace whose Call-ID is its own path
        // from the directory: a lookup that built a path would find it.
        let hostile = ["../secret.txt", "../secret", scratch.path("secret.txt"), "/etc/passwd", "..", "/", "a/../../secret.txt"]
        try ExportFixtures.write(ExportFixtures.raw(hostile.map { FixtureCall(callID: $0, start: ExportFixtures.night) }), to: scratch.path("secret.txt"))
        // Inside, a call whose Call-ID looks like a path is only a Call-ID.
        let slashy = FixtureCall(callID: "../../etc/passwd@10.0.0.1", start: ExportFixtures.night)
        try ExportFixtures.write(ExportFixtures.raw([a, slashy]), to: dir.path + "/calls.txt")
        for store in [nil, try ExportFixtures.store(scratch)] as [(any TraceIndexStore)?] {
            if let store { _ = try run(dir, store) }
            let source = ExportDirectorySource(directories: [dir], store: store)
            for id in hostile { #expect(try source.find(callID: id) == nil, "Call-ID \(id)") }
            let found = try #require(try source.find(callID: slashy.callID))
            #expect(found.trace.messages.count == 7)
            #expect(found.origin.hasPrefix(try realPath(dir.path) + "/calls.txt"))
        }
    }

    @Test func aMissingDirectorySaysWhatToCheck() throws {
        let scratch = try Scratch()
        let dir = ExportDirectory(path: scratch.path("no-such-dir"))
        #expect(throws: ExportError.self) { try run(dir) }
        do {
            _ = try run(dir)
        } catch {
            #expect("\(error)".contains("check the path"))
        }
    }
}
