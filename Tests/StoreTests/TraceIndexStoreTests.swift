import Foundation
@testable import Store
import Testing
import TestSupport

@Suite struct TraceIndexStoreTests {
    let scratch: Scratch
    let database: StoreDatabase

    init() throws {
        scratch = try Scratch()
        database = try StoreDatabase(path: scratch.path("db/agentctl.sqlite"))
    }

    private func file(_ path: String, size: Int64 = 1000, inode: UInt64 = 7) -> IndexedFile {
        IndexedFile(path: path, size: size, modified: 1_700_000_000.5, inode: inode, headDigest: "ab12",
                    format: "pcap", compressed: false, indexedAt: 1_700_000_100)
    }

    private func span(_ key: String, _ kind: IndexedCallSpan.KeyKind = .callID, callID: String? = nil,
                      path: String, bytes: Range<Int64> = 24..<900) -> IndexedCallSpan {
        IndexedCallSpan(key: key, kind: kind, callID: callID ?? key, path: path, byteRange: bytes,
                        firstTime: 10.25, lastTime: 12.5, messages: 6)
    }

    @Test func aFileReadsBackAsRecorded() throws {
        let index = database.traceIndex
        let recorded = file("/exports/a.pcap", size: 5_000_000_000, inode: UInt64.max)
        try index.replace(recorded, spans: [])
        #expect(try index.indexedFile(path: "/exports/a.pcap") == recorded)
        #expect(try index.indexedFile(path: "/exports/b.pcap") == nil)
    }

    @Test func spansOfEveryKindComeBackWithTheirFile() throws {
        let index = database.traceIndex
        let spans = [
            span("89f3a1b2@10.10.1.50", path: "/exports/a.pcap"),
            span("89f3a1b2", .localPart, callID: "89f3a1b2@10.10.1.50", path: "/exports/a.pcap", bytes: 0..<0),
            span("corr-1", .correlation, callID: "leg-b@host", path: "/exports/a.pcap"),
        ]
        try index.replace(file("/exports/a.pcap"), spans: spans)
        for expected in spans {
            #expect(try index.spans(forKey: expected.key) == [expected])
        }
        #expect(try index.spans(forKey: "unknown").isEmpty)
    }

    /// The spans are bound through SQLite's C API: bytes a trace may hold
    /// (an empty key, non-ASCII, a time missing) come back as written; a
    /// key with a NUL, which SIP forbids, is not stored and not found.
    @Test func oddKeysAndMissingTimesRoundTrip() throws {
        let index = database.traceIndex
        var spans = ["", "ünïcödé@höst", String(repeating: "x", count: 5000)].map {
            span($0, path: "/exports/a.pcap")
        }
        spans[0].firstTime = nil
        spans[0].lastTime = nil
        spans.append(span("a", .localPart, callID: "", path: "/exports/a.pcap"))
        try index.replace(file("/exports/a.pcap"), spans: spans + [span("a\u{0}b@h", path: "/exports/a.pcap")])
        for expected in spans {
            #expect(try index.spans(forKey: expected.key) == [expected])
        }
        #expect(try index.spans(forKey: "a\u{0}b@h").isEmpty)
        #expect(try index.spans(forKey: "a").map(\.kind) == [.localPart])
    }

    private func rows() throws -> Int {
        try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM call_span") ?? -1 }
    }

    /// What the indexer writes for most calls, a Call-ID's span and its
    /// local part's over the same extent, is one row (schema v3) that
    /// answers both lookups as if both had been written.
    @Test func aCallIDAndItsLocalPartOverTheSameBytesAreOneRow() throws {
        let index = database.traceIndex
        let call = span("89f3a1b2-c4d5@10.10.1.50", path: "/exports/a.pcap")
        let local = span("89f3a1b2-c4d5", .localPart, callID: call.key, path: "/exports/a.pcap")
        let corr = span("corr-1", .correlation, callID: call.key, path: "/exports/a.pcap")
        try index.replace(file("/exports/a.pcap"), spans: [call, local, corr])
        #expect(try rows() == 2)
        #expect(try index.spans(forKey: call.key) == [call])
        #expect(try index.spans(forKey: local.key) == [local])
        #expect(try index.spans(forKey: "89f3a1b2").isEmpty)
        #expect(try index.spans(forKey: "89f3a1b2-c4d5@10.10.1.5").isEmpty)
    }

    /// Only a local part that says nothing more is folded: another extent,
    /// another key, or a span of another Call-ID keeps its own row.
    @Test func aLocalPartThatDiffersKeepsItsOwnRow() throws {
        let index = database.traceIndex
        let call = span("abcdefgh@a", path: "/exports/a.pcap", bytes: 10..<20)
        let wider = span("abcdefgh", .localPart, callID: "abcdefgh@a", path: "/exports/a.pcap", bytes: 0..<20)
        let other = span("abcdefgh@b", path: "/exports/a.pcap", bytes: 30..<40)
        let otherLocal = span("abcdefgh", .localPart, callID: "abcdefgh@b", path: "/exports/a.pcap", bytes: 30..<40)
        let unpaired = span("abcdefgh@c", path: "/exports/a.pcap", bytes: 50..<60)
        let sameText = span("abcdefgh", .correlation, callID: "leg@x", path: "/exports/a.pcap", bytes: 70..<80)
        try index.replace(file("/exports/a.pcap"), spans: [call, wider, other, otherLocal, unpaired, sameText])
        #expect(try rows() == 5)
        #expect(try index.spans(forKey: "abcdefgh") == [wider, otherLocal, sameText])
        #expect(try index.spans(forKey: "abcdefgh@a") == [call])
        #expect(try index.spans(forKey: "abcdefgh@b") == [other])
        #expect(try index.spans(forKey: "abcdefgh@c") == [unpaired])
    }

    /// The local part is the bytes before the first '@', whatever follows
    /// and whatever bytes they are.
    @Test(arguments: ["ünïcödé-local@höst", "abcdefgh@x@y", "a@b"])
    func aFoldedRowAnswersForItsLocalPartWhateverItsBytes(_ callID: String) throws {
        let index = database.traceIndex
        let local = String(callID[..<callID.firstIndex(of: "@")!])
        let call = span(callID, path: "/exports/a.pcap")
        let localSpan = span(local, .localPart, callID: callID, path: "/exports/a.pcap")
        try index.replace(file("/exports/a.pcap"), spans: [call, localSpan])
        #expect(try rows() == 1)
        #expect(try index.spans(forKey: callID) == [call])
        #expect(try index.spans(forKey: local) == [localSpan])
        #expect(try index.spans(forKey: local + "@").isEmpty)
    }

    @Test func aFoldedCallIDGoesWithItsFile() throws {
        let index = database.traceIndex
        let call = span("89f3a1b2-c4d5@10.10.1.50", path: "/exports/a.pcap")
        let local = span("89f3a1b2-c4d5", .localPart, callID: call.key, path: "/exports/a.pcap")
        try index.replace(file("/exports/a.pcap"), spans: [call, local])
        try index.replace(file("/exports/b.pcap"), spans: [span(call.key, path: "/exports/b.pcap")])
        try index.removeFile(path: "/exports/a.pcap")
        #expect(try rows() == 1)
        #expect(try index.spans(forKey: call.key).map(\.path) == ["/exports/b.pcap"])
        #expect(try index.spans(forKey: local.key).isEmpty)
    }

    @Test func aCallAcrossTwoFilesHasASpanInEach() throws {
        let index = database.traceIndex
        try index.replace(file("/exports/b.pcap"), spans: [span("c1", path: "/exports/b.pcap", bytes: 0..<100)])
        try index.replace(file("/exports/a.pcap"), spans: [span("c1", path: "/exports/a.pcap", bytes: 500..<900)])
        #expect(try index.spans(forKey: "c1").map(\.path) == ["/exports/a.pcap", "/exports/b.pcap"])
    }

    @Test func replacingAFileForgetsItsOldSpans() throws {
        let index = database.traceIndex
        try index.replace(file("/exports/a.pcap", size: 10), spans: [span("old", path: "/exports/a.pcap")])
        try index.replace(file("/exports/a.pcap", size: 20), spans: [span("new", path: "/exports/a.pcap")])
        #expect(try index.spans(forKey: "old").isEmpty)
        #expect(try index.spans(forKey: "new").count == 1)
        #expect(try index.indexedFile(path: "/exports/a.pcap")?.size == 20)
    }

    @Test func aBatchReplacesEachFileLikeReplacingItAlone() throws {
        let index = database.traceIndex
        try index.replace(file("/exports/a.pcap", size: 1), spans: [span("gone", path: "/exports/a.pcap")])
        try index.replace([
            (file: file("/exports/a.pcap", size: 2), spans: [span("c1", path: "/exports/a.pcap")]),
            (file: file("/exports/b.pcap"), spans: [span("c1", path: "/exports/b.pcap"), span("c2", path: "/exports/b.pcap")]),
        ])
        #expect(try index.spans(forKey: "gone").isEmpty)
        #expect(try index.spans(forKey: "c1").map(\.path) == ["/exports/a.pcap", "/exports/b.pcap"])
        #expect(try index.indexedFiles(under: "/exports").map(\.size) == [2, 1000])
    }

    @Test func removingAFileDropsItsSpans() throws {
        let index = database.traceIndex
        try index.replace(file("/exports/a.pcap"), spans: [span("c1", path: "/exports/a.pcap")])
        try index.replace(file("/exports/b.pcap"), spans: [span("c1", path: "/exports/b.pcap")])
        try index.removeFile(path: "/exports/a.pcap")
        #expect(try index.indexedFile(path: "/exports/a.pcap") == nil)
        #expect(try index.spans(forKey: "c1").map(\.path) == ["/exports/b.pcap"])
    }

    @Test func filesUnderADirectoryAreMatchedByPathNotByPattern() throws {
        let index = database.traceIndex
        for path in ["/exports/a.pcap", "/exports/sub/b.pcap", "/exports2/c.pcap", "/exp_rts/d.pcap", "/exportsa.pcap"] {
            try index.replace(file(path), spans: [])
        }
        #expect(try index.indexedFiles(under: "/exports").map(\.path) == ["/exports/a.pcap", "/exports/sub/b.pcap"])
        #expect(try index.indexedFiles(under: "/exports/").map(\.path) == ["/exports/a.pcap", "/exports/sub/b.pcap"])
        #expect(try index.indexedFiles(under: "/exp_rts").map(\.path) == ["/exp_rts/d.pcap"])
    }

    @Test func theIndexOutlivesTheConnection() throws {
        try database.traceIndex.replace(file("/exports/a.pcap"), spans: [span("c1", path: "/exports/a.pcap")])
        let reopened = try StoreDatabase(path: database.path)
        #expect(try reopened.traceIndex.spans(forKey: "c1").count == 1)
    }
}

@Suite struct SpanKeyHashTests {
    /// The published FNV-1a test vectors: the hash is part of the file
    /// format, so a change to it must fail here, not silently orphan
    /// every indexed key.
    @Test func isFNV1a64() {
        #expect(SpanKeyHash.of("") == Int64(bitPattern: 0xcbf2_9ce4_8422_2325))
        #expect(SpanKeyHash.of("a") == Int64(bitPattern: 0xaf63_dc4c_8601_ec8c))
        #expect(SpanKeyHash.of("foobar") == Int64(bitPattern: 0x8594_4171_f739_67e8))
    }
}
