import Foundation
import HTTPClient
import TestSupport

/// One of the Python test servers of `Servers/`, started on 127.0.0.1 for
/// one test and stopped when the test lets go of it (`PythonServerProcess`
/// closes its stdin and waits).
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
    private let server: PythonServerProcess

    var base: String { "http://127.0.0.1:\(port)" }

    static let serversDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Servers")

    init(_ script: String, _ arguments: [String]) throws {
        do {
            server = try PythonServerProcess(script: Self.serversDirectory.appendingPathComponent(script).path, arguments: arguments)
        } catch {
            throw Failure(description: "\(error)")
        }
        guard let port = Int(server.firstLine) else {
            server.stop()
            throw Failure(description: "\(script) did not print its port (it printed '\(server.firstLine)')")
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
}
