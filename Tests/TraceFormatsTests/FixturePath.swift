import Foundation
import TraceFormats

/// Fixtures live at the package root; tests find them from this file's path
/// so that they run from any working directory.
enum FixturePath {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func formats(_ name: String) -> String {
        packageRoot.appendingPathComponent("Fixtures/traces/formats/\(name)").path
    }

    static func load(_ name: String) throws -> Trace {
        try TraceLoader.load(path: formats(name))
    }
}

/// In-memory text as a trace, the way chat messages arrive.
func readText(_ text: String, format: TraceFormat? = nil) throws -> Trace {
    try TraceLoader.read(bytes: Array(text.utf8), name: "test", format: format)
}
