import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The StoreTestChild helper running as a separate process, its output in
/// a file of the test's scratch folder (a file, not a pipe: a pipe nobody
/// reads would stall it).
final class StoreChild {
    let process = Process()
    let output: URL

    init(_ arguments: [String], outputIn directory: URL, name: String) throws {
        output = directory.appendingPathComponent("\(name).out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = try Self.binary()
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.standardError
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// The lines printed so far (the last one only if complete).
    var lines: [String] {
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast() // what follows the last newline: empty, or a line still being written
        return lines
    }

    /// Waits until the child has printed `count` lines (or ended).
    func waitForLines(_ count: Int, timeout: Double = 60) {
        let deadline = Date().addingTimeInterval(timeout)
        while lines.count < count, process.isRunning, Date() < deadline {
            usleep(2_000)
        }
    }

    func killHard() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Built next to the test runner by `swift build` (the test target
    /// depends on it); `.build/debug` of this package as a fallback.
    static func binary() throws -> URL {
        var candidates: [URL] = []
        if let runner = CommandLine.arguments.first {
            var dir = URL(fileURLWithPath: runner).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("StoreTestChild"))
                dir = dir.deletingLastPathComponent()
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/StoreTestChild"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        throw NotBuilt(looked: candidates.map(\.path))
    }

    struct NotBuilt: Error, CustomStringConvertible {
        var looked: [String]
        var description: String {
            "StoreTestChild is not built; run `swift build --build-tests`. Looked in:\n" + looked.joined(separator: "\n")
        }
    }
}
