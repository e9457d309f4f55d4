import Foundation
import TraceFormats
import TraceSynthesis

/// The project's fixtures, found from this file's path so the tests run
/// from any directory.
enum EngineFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// A capture script of `Fixtures/captures` built into pcap bytes.
    static func capture(_ name: String) throws -> [UInt8] {
        try CaptureFixture.build(scriptAt: path("Fixtures/captures/\(name)"))
    }
}
