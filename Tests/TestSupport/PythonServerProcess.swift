import Foundation

/// A test's own server: a Python 3 script on 127.0.0.1 (the vendor-shaped
/// Homer, the stalling and resetting servers), started with `python3 -u -B`
/// from PATH. The script prints one line once it listens (its port, in
/// its own words); it stops when its stdin closes, which `stop()` does and
/// which also happens if the test process dies. A signal is not relied on:
/// a python3 on PATH may be a shim a signal does not reach, and a child of
/// the test runner may inherit a mask that blocks SIGTERM.
public final class PythonServerProcess: @unchecked Sendable {
    /// What the script printed first, without its line end.
    public let firstLine: String
    private let process = Process()
    private let input = Pipe()

    /// python3 from PATH, or nil.
    public static let python3: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    public struct StartFailure: Error, CustomStringConvertible {
        public var description: String
    }

    public init(script: String, arguments: [String]) throws {
        guard let python = Self.python3 else {
            throw StartFailure(description: "python3 is not on PATH; the tests run their loopback servers with it: apt-get install -y python3")
        }
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", "-B", script] + arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var said = Data()
        while !said.contains(UInt8(ascii: "\n")) {
            let more = output.fileHandleForReading.availableData
            if more.isEmpty { break } // it exited before listening
            said.append(more)
        }
        let line = String(decoding: said, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !line.isEmpty else {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            throw StartFailure(description: "\(script) exited before it listened; run it by hand: python3 \(script) \(arguments.joined(separator: " "))")
        }
        firstLine = line
    }

    /// Closes its stdin and waits for it to exit; idempotent.
    public func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { stop() }
}
