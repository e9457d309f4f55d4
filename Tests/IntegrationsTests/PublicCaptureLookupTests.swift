import Foundation
import Integrations
import Testing
import TestSupport
import TraceFormats

/// The public captures (../shared/fixtures/public-pcaps, never copied in),
/// indexed and looked up call by call: what the ranges give must be what
/// reading the whole capture gives. Skips when they are absent.
@Suite struct PublicCaptureLookupTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/fixtures/public-pcaps").path

    @Test(.enabled(if: FileManager.default.fileExists(atPath: folder), "../shared/fixtures/public-pcaps is absent"))
    func everyCallOfThePublicCapturesComesBackAsTheWholeReadHasIt() throws {
        let scratch = try Scratch()
        let dir = ExportDirectory(path: Self.folder, include: ["*.pcap", "*.pcapng"], settleSeconds: 0)
        let store = try ExportFixtures.store(scratch)
        let run = try ExportIndexer(store: store, sleep: { _ in }, now: { 0 }).index([dir])
        #expect(run.indexed > 0)
        let source = ExportDirectorySource(directories: [dir], store: store)
        var checked = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.folder).sorted() where name.hasSuffix(".pcap") || name.hasSuffix(".pcapng") {
            let whole = try TraceLoader.load(path: Self.folder + "/" + name)
            for id in Set(whole.messages.compactMap(\.message.callID)).sorted() {
                let found = try #require(try source.find(callID: id), "\(name): \(id)")
                let got = found.trace.messages.filter { $0.message.callID == id }
                let want = whole.messages.filter { $0.message.callID == id }
                #expect(got.map(\.message) == want.map(\.message), "\(name): \(id)")
                checked += 1
            }
        }
        #expect(checked > 10)
    }
}
