import Foundation
import Testing
import TestSupport
import TraceFormats

/// Damaged input never crashes a reader: every fixture, cut and mutated at
/// random (seeded, so a failure replays), read by every reader.
@Suite struct FuzzTests {
    static let fixtures = ["portal-outbound-call.txt", "raw-sip-403.txt", "ngrep-invite-488.txt", "ngrep-single-line.txt",
                           "sngrep-export.txt", "pjsip-logger.txt", "freeswitch-siptrace.txt", "homer-search.json"]

    @Test(arguments: fixtures)
    func mutatedFixtureNeverCrashes(_ name: String) throws {
        let original = Array(try #require(FileManager.default.contents(atPath: FixturePath.formats(name))))
        var rng = SplitMix64(seed: UInt64(name.utf8.count) &* 7919)
        let alphabet = Array("\r\n :.-<>[]()#/\"{}\\0123456789SIP/2.0 INVITE ..a".utf8)
        for _ in 0..<200 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                guard !bytes.isEmpty else { break }
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: at)
                case 2: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                default: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...80, using: &rng)))
                }
            }
            for format in [nil] + TraceFormat.textFormats.map(Optional.some) {
                _ = try? TraceLoader.read(bytes: bytes, name: name, format: format)
            }
        }
    }

    @Test func deeplyNestedJSONIsRefused() {
        let bytes = Array(String(repeating: "[", count: 200_000).utf8)
        #expect {
            try TraceLoader.read(bytes: bytes, name: "deep.json", format: .homerJSON)
        } throws: { error in
            guard case .noMessages(_, let detail) = error as? TraceError else { return false }
            return detail.contains("nests deeper")
        }
    }

    @Test func hostileNumbersInHomerRows() throws {
        let json = "[{\"srcIp\":\"10.0.0.5\",\"srcPort\":1e300,\"timeSeconds\":-1e308,\"protocol\":1e99,\"raw\":\"SIP/2.0 200 OK\\r\\nCall-ID: x\\r\\n\"}]"
        let t = try TraceLoader.read(bytes: Array(json.utf8), name: "h.json", format: .homerJSON)
        #expect(t.messages.count == 1)
        #expect(t.messages[0].source?.port == nil)
    }
}
