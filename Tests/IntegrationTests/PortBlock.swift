import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A run of consecutive UDP ports on 127.0.0.1 for one scenario: its SIP
/// and media ports and the capture filter's range. Blocks never overlap
/// within a test run, and each is checked free before it is handed out,
/// so scenarios run side by side and beside other programs.
struct PortBlock: Sendable {
    static let size: UInt16 = 20

    let base: UInt16
    var last: UInt16 { base + Self.size - 1 }

    /// The callee's SIP port.
    var callee: UInt16 { base }
    /// The caller's SIP port.
    var caller: UInt16 { base + 1 }
    /// RTP ports (RTCP one above each).
    var callerMedia: UInt16 { base + 4 }
    var calleeMedia: UInt16 { base + 10 }
    /// SIPp's remote-control ports (8888 and up unless told), one each.
    var callerControl: UInt16 { base + 16 }
    var calleeControl: UInt16 { base + 17 }
    /// Where the capture's end marker is sent: nothing listens there.
    var marker: UInt16 { last }

    /// Blocks come from 20000-31999, below Linux's ephemeral ports (32768
    /// and up), so no client socket takes one between check and use.
    static let range: Range<UInt16> = 20_000..<32_000

    /// The next free block, starting from a place that differs between
    /// test runs so that two runs on one machine rarely meet.
    static func next() throws -> PortBlock {
        try allocator.withLock { next in
            for _ in 0..<200 {
                let block = PortBlock(base: next)
                next = next + size >= range.upperBound ? range.lowerBound : next + size
                if block.isFree { return block }
            }
            throw NoFreePorts()
        }
    }

    struct NoFreePorts: Error, CustomStringConvertible {
        var description: String {
            "no block of \(PortBlock.size) free UDP ports on 127.0.0.1 in \(PortBlock.range.lowerBound)-\(PortBlock.range.upperBound - 1); free some ports and run again"
        }
    }

    private static let allocator = Mutex(range.lowerBound + UInt16(Int(getpid()) % (range.count / Int(size))) * size)

    /// True when every port of the block can be bound on 127.0.0.1 now.
    var isFree: Bool {
        (base...last).allSatisfy(Self.canBind)
    }

    private static func canBind(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = LoopbackAddress.make(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

enum LoopbackAddress {
    static func make(port: UInt16) -> sockaddr_in {
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = port.bigEndian
        a.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return a
    }

    /// True when some program has a UDP socket bound to 127.0.0.1:`port`
    /// (read from /proc/net/udp, without touching the port).
    static func isBound(port: UInt16) -> Bool {
        guard let table = try? String(contentsOfFile: "/proc/net/udp", encoding: .utf8) else { return false }
        let local = String(format: "0100007F:%04X", port)
        return table.split(separator: "\n").contains { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first == Substring(local) }
    }

    /// Sends one datagram from an ephemeral port to 127.0.0.1:`port`.
    static func send(_ payload: [UInt8], to port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = make(port: port)
        _ = withUnsafePointer(to: &address) { a in
            a.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                payload.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, sa, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }
}
