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

    /// Starts dumpcap and returns once the capture is live (a marker sent
    /// after the start is in the file): traffic sent before would be lost.
    init(ports: PortBlock, directory: URL) throws {
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
            usleep(20_000)
        }
        // "Capturing on" comes before the capture is live: a call started
        // right then lost its first INVITE. A marker in the file is proof.
        try mark("start of capture")
    }

    /// Stops the capture once everything sent so far is in the file.
    /// dumpcap gets packets from the kernel in batches (a quarter second
    /// and more apart) and drops the batch in flight when stopped, so
    /// a marker datagram is sent last and the file watched for it first.
    func stop() throws {
        try mark("end of capture")
        dumpcap.signal(SIGTERM)
        guard dumpcap.wait(upTo: 5) != nil else {
            throw CaptureFailed(what: "dumpcap did not close \(path) within 5 s of SIGTERM", output: dumpcap.output)
        }
    }

    /// Sends a datagram to the block's marker port (nothing listens there)
    /// until it shows up in the file: then the capture holds everything
    /// sent before it. The payload starts with a letter, which no RTP
    /// header does, and is no SIP message, so the diagnosis passes over it.
    private func mark(_ what: String) throws {
        let marker = Array("sipp-suite: \(what) \(UUID().uuidString)".utf8)
        let deadline = Date().addingTimeInterval(5)
        var sent = Date.distantPast
        while !fileContains(marker) {
            guard dumpcap.isRunning, Date() < deadline else {
                dumpcap.kill()
                throw CaptureFailed(what: "the \(what) marker never reached \(path) within 5 s", output: dumpcap.output)
            }
            // Sent again now and then: one sent before the capture was live is lost.
            if Date().timeIntervalSince(sent) >= 0.25 {
                LoopbackAddress.send(marker, to: ports.marker)
                sent = Date()
            }
            usleep(20_000)
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
