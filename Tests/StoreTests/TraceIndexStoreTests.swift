import Foundation
import Store
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
