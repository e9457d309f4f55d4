import Foundation
import SIPCore
import TraceFormats

/// Just enough of a pcap reader for the media tests to feed the public
/// captures to `MediaCollector`: classic pcap, Ethernet (with VLAN tags),
/// Linux cooked v1 or BSD loopback, IPv4, unfragmented UDP, and the SDP
/// of SIP requests and responses over UDP. The real
/// readers are the capture loader's; this one only lets the collector's
/// figures be checked against `tshark -z rtp,streams` without depending
/// on them.
enum TinyPcap {
    static let folder = FixturePath.packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/public-pcaps")

    /// Nil when the public captures are not there (the tests then skip).
    static func media(_ name: String) -> MediaCapture? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { return nil }
        let bytes = [UInt8](data)
        guard bytes.count >= 24 else { return nil }
        func u32(_ at: Int, _ swapped: Bool) -> UInt32 {
            let v = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
            return swapped ? v.byteSwapped : v
        }
        let magic = u32(0, false)
        let swapped = magic == 0xD4C3_B2A1 || magic == 0x4D3C_B2A1
        let nanosecond = magic == 0xA1B2_3C4D || magic == 0x4D3C_B2A1
        guard [0xA1B2_C3D4, 0xD4C3_B2A1, 0xA1B2_3C4D, 0x4D3C_B2A1].contains(magic) else { return nil }
        let link = u32(20, swapped)
        var collector = MediaCollector()
        var at = 24
        var number = 0
        while at + 16 <= bytes.count {
            let seconds = Int64(u32(at, swapped)), fraction = Int64(u32(at + 4, swapped))
            let length = Int(u32(at + 8, swapped))
            at += 16
            guard at + length <= bytes.count else { break }
            number += 1
            let nanos = seconds * 1_000_000_000 + (nanosecond ? fraction : fraction * 1000)
            udp(Array(bytes[at..<(at + length)]), link: link, nanos: nanos, frame: number, into: &collector)
            at += length
        }
        return collector.finish()
    }

    static func udp(_ frame: [UInt8], link: UInt32, nanos: Int64, frame number: Int, into c: inout MediaCollector) {
        var ip: Int
        var etherType: Int
        switch link {
        case 1:
            ip = 14
            guard frame.count >= 14 else { return }
            etherType = Int(frame[12]) << 8 | Int(frame[13])
            while etherType == 0x8100, frame.count >= ip + 4 {
                etherType = Int(frame[ip + 2]) << 8 | Int(frame[ip + 3])
                ip += 4
            }
        case 113:
            ip = 16
            guard frame.count >= 16 else { return }
            etherType = Int(frame[14]) << 8 | Int(frame[15])
        case 0:
            ip = 4
            etherType = 0x0800
        default:
            return
        }
        guard etherType == 0x0800, frame.count >= ip + 20, frame[ip] >> 4 == 4, frame[ip + 9] == 17 else { return }
        let fragment = Int(frame[ip + 6] & 0x3F) << 8 | Int(frame[ip + 7])
        guard fragment == 0 else { return }
        let ihl = Int(frame[ip] & 0x0F) * 4
        let u = ip + ihl
        guard frame.count >= u + 8 else { return }
        let udpLength = Int(frame[u + 4]) << 8 | Int(frame[u + 5])
        let end = min(frame.count, u + max(8, udpLength))
        func address(_ o: Int) -> NetAddress {
            NetAddress(ipv4: UInt32(frame[o]) << 24 | UInt32(frame[o + 1]) << 16 | UInt32(frame[o + 2]) << 8 | UInt32(frame[o + 3]))
        }
        let flow = FlowKey(source: SocketAddress(address(ip + 12), UInt16(frame[u]) << 8 | UInt16(frame[u + 1])),
                           destination: SocketAddress(address(ip + 16), UInt16(frame[u + 2]) << 8 | UInt16(frame[u + 3])))
        let payload = Array(frame[(u + 8)..<end])
        // SIP's SDP tells the collector which streams a call set up, as the
        // capture loader will.
        if payload.starts(with: Array("SIP/2.0".utf8)) || payload.starts(with: Array("INVITE".utf8)) || payload.starts(with: Array("ACK".utf8)) {
            if let sdp = (try? SIPParser.parse(payload))?.sdp { c.learn(sdp) }
            return
        }
        payload.withUnsafeBytes { raw in
            _ = c.offer(TransportPayload(timestampNanos: nanos, flow: flow, transport: .udp, payload: raw, frames: .one(number)))
        }
    }
}
