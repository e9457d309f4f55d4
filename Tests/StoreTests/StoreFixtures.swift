import Diagnosis
import Foundation
import Testing
import TraceFormats

/// Paths and values the store's tests share.
enum StoreFixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// A real diagnosis (a 486 with its ladder and evidence), so the cache
    /// round-trips what the engine makes, not a hand-made value.
    static func diagnosis(_ relative: String = "traces/busy-or-declined/catch.txt") throws -> Diagnosis {
        let trace = try TraceLoader.load(path: root.appendingPathComponent(relative).path)
        let diagnoser = Diagnoser()
        let callID = try #require(diagnoser.callIDs(in: trace).first)
        return try diagnoser.diagnose(trace, callID: callID)
    }
}
