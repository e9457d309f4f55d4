import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the suite needs from the machine, found once: SIPp, dumpcap, the
/// right to capture on lo, and for the media scenario SIPp's sample RTP
/// capture and the right to open a raw socket (SIPp's pcap_play sends
/// through one). Each gap is a reason to skip, said in full.
struct SIPpTools: Sendable {
    var sipp: String?
    var dumpcap: String?
    /// Why nothing can run here, or nil.
    var unavailable: String?
    /// Why the scenario with RTP cannot run here, or nil.
    var mediaUnavailable: String?

    /// SIPp's own G.711 A-law sample (Debian's sip-tester ships it), played
    /// by both ends of the healthy call; never copied into the project.
    static let samplePCAP = "/usr/share/sip-tester/g711a.pcap"

    static let found = SIPpTools.look()

    static func look() -> SIPpTools {
        var tools = SIPpTools(sipp: onPath("sipp"), dumpcap: onPath("dumpcap"))
        #if os(Linux)
        if tools.sipp == nil {
            tools.unavailable = "sipp is not installed: apt-get install -y sip-tester"
        } else if tools.dumpcap == nil {
            tools.unavailable = "dumpcap is not installed: apt-get install -y tshark (dumpcap comes with wireshark-common)"
        } else if let refusal = captureRefusal(tools.dumpcap!) {
            tools.unavailable = "dumpcap may not capture on lo here (run as root, or add the user to the wireshark group): \(refusal)"
        }
        if !FileManager.default.isReadableFile(atPath: samplePCAP) {
            tools.mediaUnavailable = "SIPp's sample RTP capture \(samplePCAP) is missing: apt-get install -y sip-tester"
        } else if !canOpenRawSocket() {
            tools.mediaUnavailable = "SIPp's pcap_play needs a raw socket: run as root or give sipp CAP_NET_RAW"
        }
        #else
        tools.unavailable = "the SIPp suite captures on Linux's lo interface only"
        #endif
        if tools.mediaUnavailable == nil { tools.mediaUnavailable = tools.unavailable }
        return tools
    }

    /// The tool at `keyPath`, or an error naming what to install.
    static func require(_ keyPath: KeyPath<SIPpTools, String?>) throws -> String {
        guard let path = found[keyPath: keyPath] else { throw Missing(reason: found.unavailable ?? "tool missing") }
        return path
    }

    struct Missing: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    private static func onPath(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/sbin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// nil when dumpcap can open lo (listing its link types opens it), else
    /// what dumpcap said.
    private static func captureRefusal(_ dumpcap: String) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: dumpcap)
        p.arguments = ["-i", "lo", "-L"]
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return "could not run \(dumpcap): \(error)" }
        let said = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus != 0 else { return nil }
        return said.split(separator: "\n").first.map(String.init) ?? "exit status \(p.terminationStatus)"
    }

    private static func canOpenRawSocket() -> Bool {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_RAW.rawValue), Int32(IPPROTO_UDP))
        guard fd >= 0 else { return false }
        close(fd)
        return true
        #else
        return false
        #endif
    }
}
