import Foundation

/// Runs the built `agentctl` binary as a user would, capturing its exit
/// status and output.
struct AgentctlProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary: `$AGENTCTL` if set; else next to the test runner (SwiftPM
    /// puts both in the same build directory); else `.build/debug` of the
    /// package this file belongs to.
    static func binary() throws -> URL {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["AGENTCTL"], !env.isEmpty {
            candidates.append(URL(fileURLWithPath: env))
        }
        if let runner = CommandLine.arguments.first {
            var dir = URL(fileURLWithPath: runner).resolvingSymlinksInPath().deletingLastPathComponent()
            // On macOS the runner sits inside Foo.xctest/Contents/MacOS.
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("agentctl"))
                dir = dir.deletingLastPathComponent()
            }
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("agentctl"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/agentctl"))
        candidates.append(root.appendingPathComponent(".build/release/agentctl"))
        for c in candidates where fm.isExecutableFile(atPath: c.path) && !c.hasDirectoryPath {
            return c
        }
        throw NotFound(looked: candidates.map(\.path))
    }

    struct NotFound: Error, CustomStringConvertible {
        var looked: [String]
        var description: String {
            "agentctl binary not found; build it with `swift build` or set AGENTCTL. Looked in:\n" + looked.joined(separator: "\n")
        }
    }

    /// `environment` replaces the test's own when given (the child then
    /// sees only that); `directory` is the child's working directory.
    static func run(_ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        // Files rather than pipes: a full pipe would block the child while
        // we wait for it.
        let dir = FileManager.default.temporaryDirectory
        let out = dir.appendingPathComponent("agentctl-out-\(UUID().uuidString)")
        let err = dir.appendingPathComponent("agentctl-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
