import Foundation
import HTTPClient

/// One of the Python test servers of `Servers/`, started on 127.0.0.1 for
/// one test and stopped when the test lets go of it (closing its stdin
/// stops it; the process is also terminated and waited for).
final class LocalServer: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A request as the server received it: the raw path (percent-encoding
    /// kept), lower-case header names, the body as text.
    struct Received: Decodable, Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String

        /// The body parsed as JSON (the Homer API's bodies).
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
        }
    }

    let port: Int
    private let process: Process
    private let stdin: Pipe

    var base: String { "http://127.0.0.1:\(port)" }

    static let serversDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Servers")

    init(_ script: String, _ arguments: [String]) throws {
        guard let python = Self.python() else {
            throw Failure(description: "python3 is not on PATH; the HTTP sources' tests run their vendor-shaped servers with it: apt-get install -y python3")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", "-B", Self.serversDirectory.appendingPathComponent(script).path] + arguments
        let stdout = Pipe()
        stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        try process.run()
        // The first line is the port; a server that dies first gives EOF.
        var line: [UInt8] = []
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let text = String(bytes: line, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            process.waitUntilExit()
            throw Failure(description: "\(script) did not start (it printed '\(String(decoding: line, as: UTF8.self))'); run it by hand: python3 \(Self.serversDirectory.path)/\(script) \(arguments.joined(separator: " "))")
        }
        self.port = port
    }

    /// Every request the server recorded, in order (the test endpoints not included).
    func received(through client: any HTTPSending) async throws -> [Received] {
        let response = try await client.send(HTTPRequest(url: base + "/_test/requests"))
        return try JSONDecoder().decode([Received].self, from: Data(response.body))
    }

    /// A test endpoint (`/_test/expire-tokens`, `/_test/answer`...).
    func control(_ path: String, _ json: String = "{}", through client: any HTTPSending) async throws {
        let response = try await client.send(HTTPRequest(method: "POST", url: base + path,
                                                         headers: [HTTPHeader("Content-Type", "application/json")], body: Array(json.utf8)))
        guard response.status == 200 else { throw Failure(description: "\(path) answered \(response.status)") }
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    private static func python() -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
