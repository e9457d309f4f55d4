import Diagnosis
import Foundation
import TraceFormats
#if canImport(Glibc)
import Glibc
#endif

/// One call between two SIPp instances on 127.0.0.1: the caller's and the
/// callee's scenario files (in Scenarios/), and what SIPp itself must
/// report when the call went as the scenario wrote it.
struct SIPpScenario: Sendable {
    /// Short name; also the start of the Call-ID.
    var name: String
    var caller: String
    /// nil: nothing listens where the caller sends (a silent next hop).
    var callee: String?
    var callerArguments: [String] = []
    /// SIPp's exit status: 0 when its one call ran to the scenario's end,
    /// 1 when the call counted as failed (the caller gave up waiting).
    var callerExit: Int32 = 0

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scenarios")

    /// Every SIPp run stops itself after this (`-timeout`), and is killed
    /// if it is still there two seconds later.
    static let sippTimeout = 8

    /// Makes the call under a capture and diagnoses the capture. The
    /// folder and every process are gone when this returns, whatever
    /// happened (set SIPP_SUITE_KEEP=1 to keep the folder).
    ///
    /// The call is driven from a thread of its own, not from Swift's
    /// cooperative pool: in a full `swift test` the pool's few threads are
    /// busy with other suites for minutes, and a scenario waiting there for
    /// its turn would see its callee time out before the caller started.
    func run() async throws -> CapturedCall {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try self.runBlocking() }) }.start()
        }
    }

    /// A port of the block may still be taken between the check and
    /// SIPp's bind by a program outside the suite; SIPp then says "Unable
    /// to bind" and the call is made again on another block, twice at most.
    private func runBlocking() throws -> CapturedCall {
        var attempt = 1
        while true {
            do {
                let run = try run(on: try PortBlock.next())
                return CapturedCall(
                    ports: run.ports, callerExit: run.callerExit, calleeExit: run.calleeExit, sippOutput: run.sippOutput,
                    diagnosis: Result { try diagnose(capture: run.capture, callID: run.callID) })
            } catch is ScenarioRun.PortTaken where attempt < 3 {
                attempt += 1
            }
        }
    }

    private func run(on ports: PortBlock) throws -> ScenarioRun {
        let run = try ScenarioRun(scenario: self, ports: ports)
        let sipp = try SIPpTools.require(\.sipp)
        // One call, then exit; a call still running at the timeout is an error.
        let common = ["-i", "127.0.0.1", "-m", "1", "-nostdin", "-timeout", "\(Self.sippTimeout)s", "-timeout_error"]

        let capture = try LoopbackCapture(ports: ports, directory: run.folder)
        var callee: ChildProcess? = nil
        if let calleeFile = self.callee {
            let c = try ChildProcess(
                name: "callee", executable: sipp,
                arguments: ["-sf", Self.folder.appendingPathComponent(calleeFile).path,
                            "-p", "\(ports.callee)", "-mp", "\(ports.calleeMedia)", "-cp", "\(ports.calleeControl)"] + common,
                directory: run.folder)
            run.children.append(c)
            callee = c
            // The INVITE must find the callee listening, or it is lost and
            // retransmitted and the ladder is not the scenario's.
            let deadline = Date().addingTimeInterval(5)
            while !LoopbackAddress.isBound(port: ports.callee) {
                guard c.isRunning, Date() < deadline else {
                    try run.checkPorts()
                    throw ScenarioRun.Failed(what: "the callee (\(calleeFile)) did not bind 127.0.0.1:\(ports.callee)", output: c.output)
                }
                usleep(20_000)
            }
        }
        let caller = try ChildProcess(
            name: "caller", executable: sipp,
            arguments: ["127.0.0.1:\(ports.callee)", "-sf", Self.folder.appendingPathComponent(self.caller).path,
                        "-p", "\(ports.caller)", "-mp", "\(ports.callerMedia)", "-cp", "\(ports.callerControl)",
                        "-cid_str", "\(run.callIDPrefix)%u@%s"] + common + callerArguments,
            directory: run.folder)
        run.children.append(caller)

        let limit = Double(Self.sippTimeout + 2)
        run.callerExit = caller.wait(upTo: limit)
        run.calleeExit = callee?.wait(upTo: limit)
        try run.checkPorts()
        try capture.stop()
        run.capture = capture.path
        return run
    }
}

/// What a scenario came to: SIPp's exit statuses and screens, and the
/// diagnosis of the capture (or why it could not be made).
struct CapturedCall: Sendable {
    var ports: PortBlock
    /// nil when the process had to be killed at the deadline.
    var callerExit: Int32?
    var calleeExit: Int32?
    var sippOutput: String
    var diagnosis: Result<(trace: Trace, diagnosis: Diagnosis), any Error>
}

/// One attempt at a scenario, while it runs: its folder, processes and
/// capture. Releasing it kills what is left and removes the folder.
final class ScenarioRun {
    let scenario: SIPpScenario
    let ports: PortBlock
    let folder: URL
    /// SIPp numbers the calls from 1 (`%u`), so the one call's Call-ID is
    /// the prefix, 1, @127.0.0.1.
    let callIDPrefix: String
    var callID: String { "\(callIDPrefix)1@127.0.0.1" }
    var capture = ""
    /// nil when the process had to be killed at the deadline.
    var callerExit: Int32?
    var calleeExit: Int32?
    fileprivate(set) var children: [ChildProcess] = []

    init(scenario: SIPpScenario, ports: PortBlock) throws {
        self.scenario = scenario
        self.ports = ports
        let tag = UUID().uuidString.prefix(8).lowercased()
        callIDPrefix = "sipp-\(scenario.name)-\(tag)-"
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sipp-suite-\(scenario.name)-\(tag)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit {
        for c in children { c.kill() }
        if ProcessInfo.processInfo.environment["SIPP_SUITE_KEEP"] == nil {
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// Both SIPp logs, for a failed expectation's message.
    var sippOutput: String {
        children.map { "--- \($0.name) (\($0.name == "caller" ? scenario.caller : scenario.callee ?? "")):\n\($0.output)" }
            .joined(separator: "\n")
    }

    /// Throws `PortTaken` when a SIPp could not bind one of its ports.
    func checkPorts() throws {
        if let c = children.first(where: { $0.output.contains("Unable to bind") }) {
            throw PortTaken(ports: ports, output: c.output)
        }
    }

    struct PortTaken: Error, CustomStringConvertible {
        var ports: PortBlock
        var output: String
        var description: String { "a port of \(ports.base)-\(ports.last) was taken before SIPp could bind it:\n\(output)" }
    }

    struct Failed: Error, CustomStringConvertible {
        var what: String
        var output: String
        var description: String { "\(what); it said:\n\(output)" }
    }
}
