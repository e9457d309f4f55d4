import Foundation
import Store

// A second process for the store's tests: what they kill with SIGKILL and
// race against. Prints one line per committed unit of work, flushed, so
// the parent knows what was committed before it killed the child.
//
//   StoreTestChild index DATABASE FILES SPANS   index FILES files of SPANS spans
//                                               each, skipping those already indexed
//   StoreTestChild claim DATABASE OWNER         claim and post due ledger items one by
//                                               one until none is due

let arguments = CommandLine.arguments.dropFirst()

/// One line, written straight to the file descriptor: no buffer that a
/// SIGKILL would throw away.
func report(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

enum ChildWork {
    static func index(_ database: StoreDatabase, files: Int, spans: Int) throws {
        let index = database.traceIndex
        for i in 0..<files {
            let path = "/exports/f\(i).pcap"
            if try index.indexedFile(path: path) != nil { continue }
            let file = IndexedFile(path: path, size: Int64(i), modified: 0, inode: UInt64(i), headDigest: "h\(i)",
                                   format: "pcap", compressed: false, indexedAt: 0)
            let records = (0..<spans).map { j in
                IndexedCallSpan(key: "f\(i)-k\(j)", kind: .callID, callID: "f\(i)-k\(j)", path: path,
                                byteRange: Int64(j)..<Int64(j + 1), firstTime: nil, lastTime: nil, messages: 1)
            }
            try index.replace(file, spans: records)
            report("\(i)")
        }
    }

    static func claim(_ database: StoreDatabase, owner: String) throws {
        let ledger = database.ledger()
        while let item = try ledger.claimDue(owner: owner, limit: 1, lease: 600).first {
            try ledger.advance(item.key, to: .diagnosed, owner: owner)
            try ledger.recordPostIntent(item.key, owner: owner, marker: "\(owner)-\(item.key.itemID)")
            try ledger.recordPosted(item.key, marker: "\(owner)-\(item.key.itemID)", postedID: owner)
            report(item.key.itemID)
        }
    }
}

do {
    switch (arguments.first, arguments.count) {
    case ("index", 4):
        let a = Array(arguments)
        guard let files = Int(a[2]), let spans = Int(a[3]) else { fail("FILES and SPANS are numbers") }
        try ChildWork.index(try StoreDatabase(path: a[1]), files: files, spans: spans)
    case ("claim", 3):
        let a = Array(arguments)
        try ChildWork.claim(try StoreDatabase(path: a[1]), owner: a[2])
    default:
        fail("usage: StoreTestChild index DATABASE FILES SPANS | claim DATABASE OWNER")
    }
} catch {
    fail("\(error)")
}
