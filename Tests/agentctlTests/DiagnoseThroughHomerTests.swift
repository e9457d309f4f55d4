import Foundation
import Testing
import TestSupport
import TraceFormats
import TraceSynthesis

/// `diagnose --call-id` with no file, the call fetched from a Homer 7
/// server named in the configuration, its password by reference: the
/// configuration-to-source wiring, end to end, over real libcurl traffic
/// to the vendor-shaped homer7.py the trace-source tests use.
@Suite struct DiagnoseThroughHomerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let legA = "a0b1c2d3-legA@192.168.1.50"
    static let legB = "b2b-91e2f3a4b5@203.0.113.10"
    static let password = "Homer-pw-9f3e"

    /// homer7.py holding the two legs of legs/x-call-id.txt (dated eight
    /// days before this test was written: the configured window reaches).
    final class Homer {
        let server: PythonServerProcess
        let port: Int

        init(capture: String) throws {
            server = try PythonServerProcess(
                script: root.appendingPathComponent("Tests/IntegrationsTests/Servers/homer7.py").path,
                arguments: ["--capture", capture, "--user", "admin:" + password, "--aleg-header", "X-Call-ID", "--node", "localnode"])
            guard let port = Int(server.firstLine) else {
                throw Failure(description: "homer7.py did not print its port; it printed '\(server.firstLine)'")
            }
            self.port = port
        }
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    static func capture(_ scratch: Scratch) throws -> String {
        let trace = try TraceLoader.load(path: root.appendingPathComponent("Fixtures/traces/legs/x-call-id.txt").path)
        let packets = try CallSynthesizer(trace: trace, script: CaptureScript(
            trace: "", hosts: ["PHONE": "192.168.1.50", "CORE": "203.0.113.10", "CARRIER": "198.51.100.20"])).packets()
        return try scratch.write("homer-db.pcap", CaptureComposer().pcap(packets))
    }

    func configuration(_ scratch: Scratch, port: Int) throws -> String {
        // A window long enough to reach the fixture's day from today's.
        try """
        homer:
          - name: homer-test
            url: http://127.0.0.1:\(port)
            username: admin
            password_env: HOMER_TEST_PASSWORD
            node: localnode
            search_window: 3650d
        """.write(toFile: scratch.path("agent.yaml"), atomically: true, encoding: .utf8)
        return scratch.path("agent.yaml")
    }

    @Test func aCallIsFetchedFromHomerWithItsLegsAndThePasswordNeverShows() throws {
        let scratch = try Scratch()
        let homer = try Homer(capture: try Self.capture(scratch))
        let config = try configuration(scratch, port: homer.port)
        var env = ProcessInfo.processInfo.environment
        env["AGENTCTL_CONFIG"] = nil
        env["HOMER_TEST_PASSWORD"] = Self.password
        let run = try AgentctlProcess.run(["diagnose", "--call-id", Self.legA, "--config", config, "--database", scratch.path("db.sqlite")],
                                          environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("found in homer homer-test"), "\(run.stderr)")
        #expect(run.stdout.contains(Self.legA) && run.stdout.contains(Self.legB), "\(run.stdout)")
        #expect(!run.stdout.contains(Self.password) && !run.stderr.contains(Self.password))

        // The password variable unset: the source is not asked, and the
        // command says why and that there is nowhere else to look.
        env["HOMER_TEST_PASSWORD"] = nil
        let unset = try AgentctlProcess.run(["diagnose", "--call-id", Self.legA, "--config", config, "--database", scratch.path("db.sqlite")],
                                            environment: env)
        #expect(unset.status == 2)
        #expect(unset.stderr.contains("homer source homer-test is not asked"), "\(unset.stderr)")
        #expect(unset.stderr.contains("HOMER_TEST_PASSWORD is not set"))
    }
}
