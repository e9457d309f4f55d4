import Foundation
import Integrations
import Store
import Testing
import TestSupport
import TraceFormats

/// Incremental indexing: what a second run, a grown, rotated or deleted
/// file costs and leaves in the index (the SQLite store).
@Suite struct ExportIndexerTests {
    let a = FixtureCall(callID: "a84b4c76e66710@pc33.example.com", start: ExportFixtures.night)
    let b = FixtureCall(callID: "b84b4c76e66710@pc33.example.com", start: ExportFixtures.night + 60)
    let c = FixtureCall(callID: "c84b4c76e66710@pc33.example.com", start: ExportFixtures.night + 120)

    func indexer(_ store: any TraceIndexStore, now: Double = 1000) -> ExportIndexer {
        ExportIndexer(store: store, sleep: { _ in }, now: { now })
    }

    @Test func aSecondRunOverUnchangedFilesReadsNothing() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        try ExportFixtures.write(try ExportFixtures.pcap([a]), to: dir.path + "/a.pcap")
        try ExportFixtures.write(ExportFixtures.portal([b]), to: dir.path + "/b.log")
        let store = try ExportFixtures.store(scratch)

        let first = try indexer(store, now: 1000).index([dir])
        #expect(first.indexed == 2)
        #expect(first.calls == 2)
        #expect(first.bytesRead > 0)

        let second = try indexer(store, now: 2000).index([dir])
        #expect(second.indexed == 0)
        #expect(second.unchanged == 2)
        #expect(second.bytesRead == 0)
        // Not recorded again either: the files keep the first run's time.
        let files = try store.indexedFiles(under: scratch.path("exports"))
        #expect(files.count == 2)
        #expect(files.allSatisfy { $0.indexedAt == 1000 })
    }

    @Test func aGrownFileIsIndexedAgainWithItsNewCall() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        let path = dir.path + "/sbc.log"
        try ExportFixtures.write(ExportFixtures.portal([a]), to: path)
        let store = try ExportFixtures.store(scratch)
        _ = try indexer(store).index([dir])
        #expect(try store.spans(forKey: b.callID).isEmpty)

        try ExportFixtures.append("\n" + ExportFixtures.portal([b]), to: path)
        let run = try indexer(store).index([dir])
        #expect(run.indexed == 1)
        #expect(try store.spans(forKey: b.callID).filter { $0.kind == .callID }.count == 1)
        #expect(try store.spans(forKey: a.callID).filter { $0.kind == .callID }.count == 1)
        let size = try #require(try store.indexedFile(path: try realPath(path))).size
        #expect(size == Int64(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int))
    }

    @Test func aRotatedFileIsIndexedUnderBothNames() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        let path = dir.path + "/sbc.pcap"
        try ExportFixtures.write(try ExportFixtures.pcap([a]), to: path)
        let store = try ExportFixtures.store(scratch)
        _ = try indexer(store).index([dir])

        // logrotate: the old file moves aside, a new one takes the name.
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try ExportFixtures.write(try ExportFixtures.pcap([b]), to: path)
        let run = try indexer(store).index([dir])
        #expect(run.indexed == 2)
        let aSpans = try store.spans(forKey: a.callID).filter { $0.kind == .callID }
        let bSpans = try store.spans(forKey: b.callID).filter { $0.kind == .callID }
        #expect(aSpans.map(\.path) == [try realPath(path + ".1")])
        #expect(bSpans.map(\.path) == [try realPath(path)])
    }

    @Test func aDeletedFileIsDroppedFromTheIndex() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        try ExportFixtures.write(try ExportFixtures.pcap([a]), to: dir.path + "/a.pcap")
        try ExportFixtures.write(try ExportFixtures.pcap([b]), to: dir.path + "/b.pcap")
        let store = try ExportFixtures.store(scratch)
        _ = try indexer(store).index([dir])

        try FileManager.default.removeItem(atPath: dir.path + "/a.pcap")
        let run = try indexer(store).index([dir])
        #expect(run.removed == 1)
        #expect(run.unchanged == 1)
        #expect(try store.spans(forKey: a.callID).isEmpty)
        #expect(try store.indexedFiles(under: try realPath(dir.path)).count == 1)
        let source = ExportDirectorySource(directories: [dir], store: store)
        #expect(try source.find(callID: a.callID) == nil)
    }

    @Test func aFileStillBeingWrittenIsLeftForTheNextRun() throws {
        let scratch = try Scratch()
        var dir = try ExportFixtures.directory(scratch)
        dir.settleSeconds = 2
        let path = dir.path + "/live.log"
        try ExportFixtures.write(ExportFixtures.portal([a]), to: path)
        let store = try ExportFixtures.store(scratch)
        var waits: [Double] = []
        // The exporter writes more while the indexer waits between looks.
        var writing = ExportIndexer(store: store, sleep: { seconds in
            waits.append(seconds)
            try? ExportFixtures.append("\n" + ExportFixtures.portal([b]), to: path)
        }, now: { 1000 })
        let run = try writing.index([dir])
        #expect(waits == [2])
        #expect(run.indexed == 0)
        #expect(run.unsettled.count == 1)
        #expect(run.unsettled.first?.reason.contains("still being written") == true)
        #expect(try store.spans(forKey: a.callID).isEmpty)

        writing.sleep = { waits.append($0) }
        let settled = try writing.index([dir])
        #expect(settled.indexed == 1)
        #expect(settled.unsettled.isEmpty)
        #expect(try !store.spans(forKey: b.callID).isEmpty)
    }

    @Test func anUnchangedDirectoryDoesNotWaitForFilesToSettle() throws {
        let scratch = try Scratch()
        var dir = try ExportFixtures.directory(scratch)
        dir.settleSeconds = 5
        try ExportFixtures.write(ExportFixtures.portal([a]), to: dir.path + "/a.log")
        let store = try ExportFixtures.store(scratch)
        var waits = 0
        let counting = ExportIndexer(store: store, sleep: { _ in waits += 1 }, now: { 1000 })
        _ = try counting.index([dir])
        _ = try counting.index([dir])
        #expect(waits == 1)
    }

    @Test func eachCallHasItsOwnSpanAndLegKeys() throws {
        let scratch = try Scratch()
        let dir = try ExportFixtures.directory(scratch)
        var legged = c
        legged.extraHeaders = ["X-Call-ID: \(a.callID)", "Session-ID: ab30317f1a784dc48ff824d0d3715d86;remote=00000000000000000000000000000000",
                               "P-Charging-Vector: icid-value=1234bc9876e;icid-generated-at=192.0.6.8"]
        try ExportFixtures.write(try ExportFixtures.pcap([a, legged]), to: dir.path + "/two.pcap")
        let store = InMemoryTraceIndex()
        _ = try indexer(store).index([dir])
        let spans = store.allSpans
        let own = spans.filter { $0.kind == .callID }
        #expect(Set(own.map(\.callID)) == [a.callID, legged.callID])
        #expect(own.allSatisfy { $0.messages == 7 })
        #expect(own.first { $0.callID == a.callID }?.firstTime == ExportFixtures.night)
        #expect(own.first { $0.callID == a.callID }?.lastTime == ExportFixtures.night + 30.02)
        let local = spans.filter { $0.kind == .localPart }.map(\.key)
        #expect(Set(local) == ["a84b4c76e66710", "c84b4c76e66710"])
        let correlation = spans.filter { $0.kind == .correlation }
        #expect(Set(correlation.map(\.key)) == [a.callID, "ab30317f1a784dc48ff824d0d3715d86", "1234bc9876e"])
        #expect(correlation.allSatisfy { $0.callID == legged.callID && $0.messages == 1 })
        // Two calls, one after the other: the first ends where the second begins.
        let aRange = try #require(own.first { $0.callID == a.callID }).byteRange
        let cRange = try #require(own.first { $0.callID == legged.callID }).byteRange
        #expect(aRange.lowerBound == 24)
        #expect(aRange.upperBound <= cRange.lowerBound)
    }
}

func realPath(_ path: String) throws -> String {
    URL(fileURLWithPath: path).resolvingSymlinksInPath().path
}
