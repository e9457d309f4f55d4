import Foundation
import Testing
@testable import Diagnosis
import TraceFormats

/// Media verdicts on the real captures in `../shared/fixtures/public-pcaps`
/// (skipped when the folder is absent): RTP that flowed both ways between
/// two addresses is never called one-way audio, whatever re-INVITEs or
/// proxies the call went through.
enum PublicCaptures {
    static let folder: URL? = {
        let dir = Fixture.root.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/fixtures/public-pcaps")
        return FileManager.default.fileExists(atPath: dir.path) ? dir : nil
    }()

    static var files: [String] {
        guard let dir = folder, let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.filter { !$0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
    }
}

@Suite(.enabled(if: PublicCaptures.folder != nil, "needs ../shared/fixtures/public-pcaps"))
struct PublicCaptureMediaTests {

    @Test func twoWayRTPIsNeverOneWayAudio() throws {
        let dir = try #require(PublicCaptures.folder)
        var checked = 0
        for name in PublicCaptures.files {
            guard let trace = try? TraceLoader.load(path: dir.appendingPathComponent(name).path), let media = trace.media else { continue }
            // Address pairs the capture itself shows carrying RTP both ways.
            var sent = [String: Int]()
            for s in media.streams { sent["\(s.source)>\(s.destination)", default: 0] += s.packets }
            for d in Diagnoser().diagnoseAll(trace) {
                checked += 1
                guard d.verdict.family == "one-way-audio" || d.otherFindings.contains(where: { $0.family == "one-way-audio" }) else { continue }
                for s in d.media?.streams ?? [] {
                    let back = sent["\(s.destination)>\(s.source)"] ?? 0
                    #expect(back < 25, "\(name) \(d.callID): one-way audio, yet \(back) RTP packets came back \(s.destination) -> \(s.source)")
                }
            }
        }
        #expect(checked > 0)
    }
}
