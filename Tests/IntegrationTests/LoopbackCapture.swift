import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// dumpcap on the loopback interface, filtered to one scenario's ports,
/// writing a pcapng.
final class LoopbackCapture {
    let path: String
    private let ports: PortBlock
    private let dumpcap: ChildProcess

    /// Starts dumpcap and returns once it says it is capturing: traffic
    /// sent before that would be missing from the file.
    init(ports: PortBlock, directory: URL) async throws {
        self.ports = ports
        path = directory.appendingPathComponent("capture.pcapng").path
        dumpcap = try ChildProcess(
            name: "dumpcap", executable: try SIPpTools.require(\.dumpcap),
            arguments: ["-i", "lo", "-f", "udp portrange \(ports.base)-\(ports.last)", "-w", path],
            directory: directory)
        let deadline = Date().addingTimeInterval(5)
        while !dumpcap.output.contains("Capturing on") {
            guard dumpcap.isRunning, Date() < deadline else {
                dumpcap.kill()
                throw CaptureFailed(what: "dumpcap did not start capturing on lo within 5 s", output: dumpcap.output)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Stops the capture once everything sent so far is in the file.
    /// dumpcap gets packets from the kernel in batches (a quarter second
    /// and more apart) and drops the batch in flight when stopped, so
    /// a marker datagram is sent last and the file watched for it first.
    func stop() async throws {
        let marker = Array("sipp-suite: end of capture \(UUID().uuidString)".utf8)
        LoopbackAddress.send(marker, to: ports.marker)
        let deadline = Date().addingTimeInterval(5)
        while !fileContains(marker) {
            guard dumpcap.isRunning, Date() < deadline else {
                dumpcap.kill()
                throw CaptureFailed(what: "the end-of-capture marker never reached \(path) within 5 s", output: dumpcap.output)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        dumpcap.signal(SIGTERM)
        guard await dumpcap.wait(upTo: 5) != nil else {
            throw CaptureFailed(what: "dumpcap did not close \(path) within 5 s of SIGTERM", output: dumpcap.output)
        }
    }

    private func fileContains(_ needle: [UInt8]) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return data.range(of: Data(needle)) != nil
    }

    struct CaptureFailed: Error, CustomStringConvertible {
        var what: String
        var output: String
        var description: String { "\(what); dumpcap said:\n\(output)" }
    }
}
