import Foundation
import Testing
import TestSupport
@testable import HTTPClient

/// A real HTTP server on 127.0.0.1, one per test: Servers/loopback_server.py
/// run by python3 on an ephemeral port (it prints the port it bound). The
/// test stops it when done; should the test process die first, the server
/// sees its stdin close and exits too.
final class LoopbackServer: @unchecked Sendable {
    static let serversDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("Servers")
    static let selfSignedCertificate = serversDirectory.appendingPathComponent("self-signed-cert.pem").path
    static let selfSignedKey = serversDirectory.appendingPathComponent("self-signed-key.pem").path

    /// python3 from PATH, or nil: the tests that need a server skip then.
    static let python3 = PythonServerProcess.python3

    static let skipReason: Comment =
        "python3 is not on PATH: the HTTP client's tests need it for their loopback servers (apt-get install -y python3)"

    let port: Int
    let baseURL: String
    private let server: PythonServerProcess

    enum StartError: Error, CustomStringConvertible {
        case noPort(String)
        var description: String {
            switch self {
            case .noPort(let said): "loopback_server.py did not print its port; it said: \(said)"
            }
        }
    }

    /// - Parameter tls: serve HTTPS with the committed self-signed certificate.
    init(tls: Bool = false) throws {
        server = try PythonServerProcess(
            script: Self.serversDirectory.appendingPathComponent("loopback_server.py").path,
            arguments: tls ? ["--tls-cert", Self.selfSignedCertificate, "--tls-key", Self.selfSignedKey] : [])
        let line = server.firstLine
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5).prefix { $0.isNumber }) else {
            server.stop()
            throw StartError.noPort(line)
        }
        self.port = port
        baseURL = "\(tls ? "https" : "http")://127.0.0.1:\(port)"
    }

    func stop() { server.stop() }

    /// Runs `body` with a fresh server and stops it afterwards, thrown or not.
    static func with<T>(tls: Bool = false, _ body: (LoopbackServer) async throws -> T) async throws -> T {
        let server = try LoopbackServer(tls: tls)
        do {
            let result = try await body(server)
            server.stop()
            return result
        } catch {
            server.stop()
            throw error
        }
    }

    /// The times (Unix seconds) each path was asked, as the server saw them.
    func hits() async throws -> [String: [Double]] {
        let response = try await CurlHTTPClient(
            options: .init(caBundlePath: Self.selfSignedCertificate, retry: .never), environment: [:])
            .send(HTTPRequest(url: baseURL + "/hits"))
        return try JSONDecoder().decode([String: [Double]].self, from: Data(response.body))
    }

    func hits(_ path: String) async throws -> [Double] {
        try await hits()[path] ?? []
    }
}

/// A port nothing listens on: bound, then closed at once.
func closedLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
        }
    }
    guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A listening socket nobody accepts on, its queue filled: Linux drops the
/// SYN of any further connection, which then never completes (a black hole
/// on loopback, for connect timeouts).
final class FullListener {
    let port: Int
    private var sockets: [Int32] = []

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        sockets.append(listener)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 0) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard listening else {
            Glibc.close(listener)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        // A backlog of 0 holds one connection; two more fill it for certain.
        for _ in 0..<3 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            sockets.append(filler)
            _ = fcntl(filler, F_SETFL, O_NONBLOCK)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, length) }
            }
        }
        usleep(50_000)  // let the handshakes of the fillers finish
    }

    func close() {
        for fd in sockets { Glibc.close(fd) }
        sockets = []
    }
}

/// The echo server's account of the request it got.
struct Echo: Decodable {
    var method: String
    var target: String
    var headers: [[String]]
    var body: String

    init(_ response: HTTPResponse) throws {
        self = try JSONDecoder().decode(Echo.self, from: Data(response.body))
    }

    func header(_ name: String) -> String? {
        headers.first { $0.first?.lowercased() == name.lowercased() }?.last
    }
}

/// Options that keep retry waits short, so a test of three attempts takes
/// milliseconds, not seconds.
func quickRetries(_ attempts: Int = 3) -> RetryPolicy {
    RetryPolicy(maxAttempts: attempts, initialDelay: .milliseconds(20), maxDelay: .milliseconds(50), maxRetryAfter: .seconds(5))
}

/// Catches the HTTPClientError `body` throws; fails the test if it throws
/// another error or none.
func httpError(_ body: () async throws -> HTTPResponse) async -> HTTPClientError? {
    do {
        let response = try await body()
        Issue.record("expected an HTTPClientError, got an answer: \(response)")
    } catch let error as HTTPClientError {
        return error
    } catch {
        Issue.record("expected an HTTPClientError, got \(error)")
    }
    return nil
}
