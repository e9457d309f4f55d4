import Diagnosis
import Foundation
import Integrations
import Store
import Testing
import TestSupport
import TraceFormats

/// Finding a call by its Call-ID alone: across rotated files, across
/// legs in other files, in .gz exports, and by scanning when nothing is
/// indexed.
@Suite struct ExportLookupTests {
    let a = FixtureCall(callID: "a84b4c76e66710@pc33.example.com", start: ExportFixtures.night)
    let other = FixtureCall(callID: "z99b4c76e66710@pc33.example.com", start: ExportFixtures.night + 1)

    func indexed(_ dir: ExportDirectory, _ store: any TraceIndexStore) throws -> ExportDirectorySource {
        _ = try ExportIndexer(store: store, sleep: { _ in }, now: { 1000 }).index([dir])
        return ExportDirectorySource(directories: [dir], store: store)
    }

    @Test func aCallSpanningTwoCapturesComesBackWholeAndInTimeOrder() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        let messages = a.messages.map { (a, $0) } + other.messages.map { (other, $0) }
        // The rotation cut the call after its 200 OK (both files also hold another call).
        let cut = a.start + 10
        try ExportFixtures.write(try ExportFixtures.pcap(messages.filter { $0.1.time < cut }), to: dir.path + "/sbc.pcap.1")
        try ExportFixtures.write(try ExportFixtures.pcap(messages.filter { $0.1.time >= cut }), to: dir.path + "/sbc.pcap")
        let source = try indexed(dir, try ExportFixtures.store(scratch))

        let found = try #require(try source.find(callID: a.callID))
        let methods = found.trace.messages.map { $0.message.method ?? "\($0.message.statusCode ?? 0)" }
        #expect(methods == ["INVITE", "100", "180", "200", "ACK", "BYE", "200"])
        #expect(found.trace.messages.map(\.index) == Array(1...7))
        #expect(found.trace.messages.allSatisfy { $0.message.callID == a.callID })
        #expect(found.origin.contains("sbc.pcap.1 (bytes") && found.origin.contains("sbc.pcap (bytes"))
        #expect(found.digest.count == 64)
        // Diagnosed as one call: answered, hung up by the caller, no failure.
        let call = try Diagnoser().call(a.callID, in: found.trace)
        #expect(call.messages.count == 7)
        // The first file alone ends at the ACK: no BYE.
        let firstHalf = try #require(try TraceLoader.load(path: dir.path + "/sbc.pcap.1").messages.filter { $0.message.callID == a.callID })
        #expect(firstHalf.count == 5)
    }

    @Test func aCallSpanningTwoTextTracesComesBackWithItsHeadings() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        let messages = a.messages.map { (a, $0) } + other.messages.map { (other, $0) }
        let cut = a.start + 10
        try ExportFixtures.write(ExportFixtures.portal(messages.filter { $0.1.time < cut }), to: dir.path + "/portal-1.log")
        try ExportFixtures.write(ExportFixtures.portal(messages.filter { $0.1.time >= cut }), to: dir.path + "/portal-2.log")
        let source = try indexed(dir, try ExportFixtures.store(scratch))

        let found = try #require(try source.find(callID: a.callID))
        #expect(found.trace.messages.count == 7)
        // Every message kept the time and addresses its heading gave.
        #expect(found.trace.messages.map(\.timestamp) == a.messages.map(\.time).map(Optional.some))
        #expect(found.trace.messages.allSatisfy { $0.source != nil && $0.destination != nil })
        #expect(found.trace.warnings.isEmpty)
    }

    @Test func aFileReplacedSinceItWasIndexedIsSkippedWithAWarning() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        let cut = a.start + 10
        try ExportFixtures.write(try ExportFixtures.pcap(a.messages.filter { $0.time < cut }.map { (a, $0) }), to: dir.path + "/sbc.pcap.1")
        try ExportFixtures.write(try ExportFixtures.pcap(a.messages.filter { $0.time >= cut }.map { (a, $0) }), to: dir.path + "/sbc.pcap")
        let source = try indexed(dir, try ExportFixtures.store(scratch))
        // Rotated again after the index was made: another file, same name
        // (written aside and renamed over, so it has another inode).
        try ExportFixtures.write(try ExportFixtures.pcap([other]), to: dir.path + "/next.tmp")
        #expect(rename(dir.path + "/next.tmp", dir.path + "/sbc.pcap") == 0)

        let found = try #require(try source.find(callID: a.callID))
        #expect(found.trace.messages.count == 5)
        #expect(found.trace.warnings.contains { $0.contains("sbc.pcap: was replaced") && $0.contains("run agentctl index again") })
        #expect(found.trace.messages.allSatisfy { $0.message.callID == a.callID })
    }

    @Test func aFileReusingTheInodeOfTheOneIndexedIsToldByItsHead() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        let path = dir.path + "/sbc.log"
        try ExportFixtures.write(ExportFixtures.portal([other, a]), to: path)
        let source = try indexed(dir, try ExportFixtures.store(scratch))
        // Rewritten in place (same inode), longer, with other content.
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.write(contentsOf: Data(("X" + ExportFixtures.portal([other, other, a])).utf8))
        try h.close()
        #expect(throws: ExportError.self) { try source.find(callID: a.callID) }
    }

    @Test func linesEndedByALoneCarriageReturnAreCountedAsTheReadersCountThem() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        let text = ExportFixtures.portal([other, a]).replacingOccurrences(of: "\n", with: "\r")
        try ExportFixtures.write(text, to: dir.path + "/classic-mac.log")
        let source = try indexed(dir, try ExportFixtures.store(scratch))
        let found = try #require(try source.find(callID: a.callID))
        #expect(found.trace.messages.count == 7)
        #expect(found.trace.messages.map(\.timestamp) == a.messages.map(\.time).map(Optional.some))
    }

    @Test func rawSIPIsIndexedByHeaderScanWithTheReadersCounts() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        var legged = FixtureCall(callID: "b-leg-7781@core.example.net", start: a.start + 0.1)
        legged.extraHeaders = ["X-Call-ID: \(a.callID)"]
        // Interleaved as a busy box logs them, indented and with a byte order mark.
        let messages = [a, other, legged].flatMap { c in c.messages.map { (c, $0) } }.sorted { $0.1.time < $1.1.time }
        let text = "\u{FEFF}" + messages.map { "  " + $0.1.text }.joined(separator: "\r\n")
        try ExportFixtures.write(text, to: dir.path + "/dump.txt")
        let store = InMemoryTraceIndex()
        let source = try indexed(dir, store)

        let tally = CallTally(try TraceLoader.load(path: dir.path + "/dump.txt"))
        let own = store.allSpans.filter { $0.kind == .callID }
        #expect(Dictionary(uniqueKeysWithValues: own.map { ($0.callID, $0.messages) }) == Dictionary(uniqueKeysWithValues: tally.entries.map { ($0.callID, $0.messages) }))
        #expect(try store.indexedFiles(under: try realPath(dir.path)).map(\.format) == ["raw"])
        #expect(store.allSpans.contains { $0.kind == .correlation && $0.key == a.callID && $0.callID == legged.callID })
        let found = try #require(try source.find(callID: a.callID))
        #expect(found.trace.messages.count == 14)
        #expect(found.trace.warnings.isEmpty)
    }

    @Test func theDigestChangesWhenTheCallGrows() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        let path = dir.path + "/sbc.log"
        let early = a.messages.filter { $0.time < a.start + 10 }.map { (a, $0) }
        try ExportFixtures.write(ExportFixtures.portal(early), to: path)
        let store = try ExportFixtures.store(scratch)
        let before = try #require(try indexed(dir, store).find(callID: a.callID))
        try ExportFixtures.append("\n" + ExportFixtures.portal(a.messages.filter { $0.time >= a.start + 10 }.map { (a, $0) }), to: path)
        let after = try #require(try indexed(dir, store).find(callID: a.callID))
        #expect(before.trace.messages.count == 5)
        #expect(after.trace.messages.count == 7)
        #expect(before.digest != after.digest)
    }

    @Test func legsInOtherFilesAreFoundByTheirKeys() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        // The B leg names the A leg (X-Call-ID); the C leg shares a
        // Session-ID with A; the D leg keeps A's local part.
        let session = "ab30317f1a784dc48ff824d0d3715d86"
        var aLeg = a
        aLeg.extraHeaders = ["Session-ID: \(session)"]
        var bLeg = FixtureCall(callID: "b-leg-7781@core.example.net", start: a.start + 0.1, caller: "10.0.0.2", callee: "10.0.0.3")
        bLeg.extraHeaders = ["X-Call-ID: \(a.callID)"]
        var cLeg = FixtureCall(callID: "c-leg-9913@sbc.example.net", start: a.start + 0.2, caller: "10.0.0.3", callee: "10.0.0.4")
        cLeg.extraHeaders = ["Session-ID: \(session);remote=00000000000000000000000000000000"]
        let dLeg = FixtureCall(callID: "a84b4c76e66710@core.example.net", start: a.start + 0.3, caller: "10.0.0.4", callee: "10.0.0.5")
        try ExportFixtures.write(try ExportFixtures.pcap([aLeg, other]), to: dir.path + "/access.pcap")
        try ExportFixtures.write(try ExportFixtures.pcap([bLeg]), to: dir.path + "/core.pcap")
        try ExportFixtures.write(ExportFixtures.portal([cLeg]), to: dir.path + "/sbc.log")
        try ExportFixtures.write(ExportFixtures.raw([dLeg]), to: dir.path + "/core2.txt")
        let source = try indexed(dir, try ExportFixtures.store(scratch))

        let found = try #require(try source.find(callID: a.callID))
        let ids = Set(found.trace.messages.compactMap(\.message.callID))
        #expect(ids == [a.callID, bLeg.callID, cLeg.callID, dLeg.callID])
        #expect(found.trace.messages.count == 28)
        let call = try Diagnoser().call(a.callID, in: found.trace)
        #expect(Set(call.callIDs).isSuperset(of: [a.callID, bLeg.callID, cLeg.callID]))
    }

    @Test func gzExportsAreReadThroughZlib() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        let messages = a.messages.map { (a, $0) } + other.messages.map { (other, $0) }
        let cut = a.start + 10
        try ExportFixtures.write(try ExportFixtures.gzip(try ExportFixtures.pcap(messages.filter { $0.1.time < cut }), in: scratch), to: dir.path + "/sbc.pcap.1.gz")
        try ExportFixtures.write(try ExportFixtures.gzip(Array(ExportFixtures.portal(messages.filter { $0.1.time >= cut }).utf8), in: scratch), to: dir.path + "/sbc.log.gz")
        let store = try ExportFixtures.store(scratch)
        let source = try indexed(dir, store)

        let files = try store.indexedFiles(under: try realPath(dir.path))
        #expect(files.map(\.format).sorted() == ["pcap", "portal"])
        #expect(files.allSatisfy { $0.compressed })
        let found = try #require(try source.find(callID: a.callID))
        #expect(found.trace.messages.count == 7)
        #expect(found.origin.contains("of the uncompressed stream"))
        // Nothing was unpacked beside the exports.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["sbc.log.gz", "sbc.pcap.1.gz"])
    }

    @Test func concatenatedGzipMembersReadAsOneStream() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        let first = Array((ExportFixtures.raw([other]) + "\r\n").utf8), second = Array(ExportFixtures.raw([a]).utf8)
        try ExportFixtures.write(try ExportFixtures.gzip(first, in: scratch) + ExportFixtures.gzip(second, in: scratch), to: dir.path + "/cat.txt.gz")
        let source = try indexed(dir, try ExportFixtures.store(scratch))
        #expect(try source.find(callID: a.callID)?.trace.messages.count == 7)
        #expect(try source.find(callID: other.callID)?.trace.messages.count == 7)
    }

    @Test func aDamagedGzipIsRefusedSayingSo() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        var bytes = try ExportFixtures.gzip(Array(ExportFixtures.raw([a, other]).utf8), in: scratch)
        bytes.removeLast(bytes.count / 2)
        try ExportFixtures.write(bytes, to: dir.path + "/cut.txt.gz")
        let run = try ExportIndexer(store: InMemoryTraceIndex(), sleep: { _ in }, now: { 0 }).index([dir])
        let refusal = try #require(run.refused.first)
        #expect(refusal.reason.contains(".gz"))
    }

    @Test func anUnindexedDirectoryIsScannedAndSaysSo() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        try ExportFixtures.write(try ExportFixtures.pcap([a, other]), to: dir.path + "/sbc.pcap")
        for store in [nil, try ExportFixtures.store(scratch)] as [(any TraceIndexStore)?] {
            let source = ExportDirectorySource(directories: [dir], store: store)
            let found = try #require(try source.find(callID: a.callID))
            #expect(found.trace.messages.count == 7)
            #expect(found.trace.warnings.first?.contains("not indexed: found by scanning 1 file") == true)
            #expect(found.origin.contains("scanned"))
            #expect(try source.find(callID: "nobody@nowhere") == nil)
        }
    }

    @Test func theAsyncSourceAnswersAsTheSyncLookup() async throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        try ExportFixtures.write(try ExportFixtures.pcap([a]), to: dir.path + "/sbc.pcap")
        let source: any CallTraceSource = try indexed(dir, try ExportFixtures.store(scratch))
        let found = try #require(try await source.findTrace(callID: a.callID))
        #expect(found.trace.messages.count == 7)
        #expect(source.name.hasPrefix("exports "))
    }
}
