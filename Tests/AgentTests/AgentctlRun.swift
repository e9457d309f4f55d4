import Foundation

/// `agentctl` run as a user (or systemd) runs it, for the tests that kill
/// it: started, optionally signalled, waited for, its exit told apart from
/// a death by signal.
final class AgentctlRun: @unchecked Sendable {
    let process = Process()
    private let out: URL
    private let err: URL

    struct Ended {
        var status: Int32
        /// True when a signal ended it (`status` is then the signal).
        var signalled: Bool
        var stdout: String
        var stderr: String
    }

    static func binary() throws -> URL {
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["AGENTCTL"], !env.isEmpty { candidates.append(URL(fileURLWithPath: env)) }
        if let runner = CommandLine.arguments.first {
            var dir = URL(fileURLWithPath: runner).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("agentctl"))
                dir = dir.deletingLastPathComponent()
            }
        }
        candidates.append(AgentTestBench.root.appendingPathComponent(".build/debug/agentctl"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) && !$0.hasDirectoryPath }) else {
            throw NotFound(description: "agentctl binary not found; build it with `swift build` or set AGENTCTL. Looked in: \(candidates.map(\.path))")
        }
        return found
    }

    struct NotFound: Error, CustomStringConvertible { var description: String }

    /// Starts it; `environment` is added to the test's own.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = try Self.binary()
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["AGENTCTL_FAULT"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let dir = FileManager.default.temporaryDirectory
        out = dir.appendingPathComponent("agentctl-run-out-\(UUID().uuidString)")
        err = dir.appendingPathComponent("agentctl-run-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: out)
        try? FileManager.default.removeItem(at: err)
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    var stderrSoFar: String { (try? String(contentsOf: err, encoding: .utf8)) ?? "" }

    /// Waits at most `timeout`; SIGKILLs it (and says so) past that. Sleeps
    /// as a task, never blocking a thread: the agent's in-process tests
    /// run beside these on a cooperative pool as wide as the machine (two
    /// threads here), which blocked waits would starve.
    func wait(timeout: TimeInterval = 300) async -> Ended {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        var timedOut = false
        if process.isRunning {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        process.waitUntilExit()
        return Ended(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                     stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                     stderr: (timedOut ? "[the test killed it after \(Int(timeout)) s]\n" : "") + stderrSoFar)
    }

    /// Runs to the end.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 300) async throws -> Ended {
        try await AgentctlRun(arguments, environment: environment).wait(timeout: timeout)
    }
}
