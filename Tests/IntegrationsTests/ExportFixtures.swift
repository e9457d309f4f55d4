import Foundation
import Integrations
import Store
import TestSupport
import TraceFormats
import TraceSynthesis

/// Calls written as SIP text, laid into captures and text traces of the
/// formats an export directory holds.
struct FixtureCall {
    var callID: String
    /// Seconds since the epoch of the INVITE.
    var start: Double
    var extraHeaders: [String] = []
    var caller = "10.0.0.1"
    var callee = "10.0.0.2"

    struct Message {
        var time: Double
        var fromCaller: Bool
        var text: String
    }

    /// INVITE, 100, 180, 200, ACK, BYE, 200: an answered call hung up.
    var messages: [Message] {
        let extra = extraHeaders.map { $0 + "\r\n" }.joined()
        func request(_ method: String, _ cseq: Int, toTag: Bool, body: String = "") -> String {
            "\(method) sip:bob@\(callee) SIP/2.0\r\nVia: SIP/2.0/UDP \(caller):5060;branch=z9hG4bK\(cseq)\(method)\r\n"
                + "From: <sip:alice@\(caller)>;tag=a1\r\nTo: <sip:bob@\(callee)>\(toTag ? ";tag=b1" : "")\r\n"
                + "Call-ID: \(callID)\r\nCSeq: \(cseq) \(method)\r\nMax-Forwards: 70\r\n"
                + (method == "INVITE" ? "Contact: <sip:alice@\(caller):5060>\r\n" + extra : "")
                + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        }
        func response(_ code: String, _ cseq: Int, _ method: String, toTag: Bool) -> String {
            "SIP/2.0 \(code)\r\nVia: SIP/2.0/UDP \(caller):5060;branch=z9hG4bK\(cseq)\(method)\r\n"
                + "From: <sip:alice@\(caller)>;tag=a1\r\nTo: <sip:bob@\(callee)>\(toTag ? ";tag=b1" : "")\r\n"
                + "Call-ID: \(callID)\r\nCSeq: \(cseq) \(method)\r\n"
                + (code.hasPrefix("200") && method == "INVITE" ? "Contact: <sip:bob@\(callee):5060>\r\n" : "")
                + "Content-Length: 0\r\n\r\n"
        }
        return [
            Message(time: start, fromCaller: true, text: request("INVITE", 1, toTag: false)),
            Message(time: start + 0.01, fromCaller: false, text: response("100 Trying", 1, "INVITE", toTag: false)),
            Message(time: start + 0.5, fromCaller: false, text: response("180 Ringing", 1, "INVITE", toTag: true)),
            Message(time: start + 3, fromCaller: false, text: response("200 OK", 1, "INVITE", toTag: true)),
            Message(time: start + 3.05, fromCaller: true, text: request("ACK", 1, toTag: true)),
            Message(time: start + 30, fromCaller: true, text: request("BYE", 2, toTag: true)),
            Message(time: start + 30.02, fromCaller: false, text: response("200 OK", 2, "BYE", toTag: true)),
        ]
    }
}

enum ExportFixtures {
    /// 2026-11-24 02:13:00 UTC: a night's rotation.
    static let night = 1_795_486_380.0

    static func address(_ dotted: String) -> NetAddress {
        let p = dotted.split(separator: ".").compactMap { UInt32($0) }
        return NetAddress(ipv4: p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3])
    }

    /// A pcap of the messages in time order, each a UDP datagram.
    static func pcap(_ messages: [(FixtureCall, FixtureCall.Message)]) throws -> [UInt8] {
        let packets = messages.sorted { $0.1.time < $1.1.time }.map { call, m in
            let a = SocketAddress(address(call.caller), 5060), b = SocketAddress(address(call.callee), 5060)
            return SynthPacket(timestampNanos: Int64(m.time * 1e9), source: m.fromCaller ? a : b, destination: m.fromCaller ? b : a,
                               payload: Array(m.text.utf8))
        }
        return try CaptureComposer().pcap(packets)
    }

    static func pcap(_ calls: [FixtureCall]) throws -> [UInt8] {
        try pcap(calls.flatMap { c in c.messages.map { (c, $0) } })
    }

    /// Portal text: `[2026-11-24 02:13:00.000] 10.0.0.1:5060 -> 10.0.0.2:5060` above each message.
    static func portal(_ messages: [(FixtureCall, FixtureCall.Message)]) -> String {
        messages.sorted { $0.1.time < $1.1.time }.map { call, m in
            let (from, to) = m.fromCaller ? (call.caller, call.callee) : (call.callee, call.caller)
            return "[\(stamp(m.time))] \(from):5060 -> \(to):5060\n" + m.text.replacingOccurrences(of: "\r\n", with: "\n")
        }.joined(separator: "\n")
    }

    static func portal(_ calls: [FixtureCall]) -> String {
        portal(calls.flatMap { c in c.messages.map { (c, $0) } })
    }

    /// Raw SIP: messages one after another, no headings.
    static func raw(_ calls: [FixtureCall]) -> String {
        calls.flatMap(\.messages).map(\.text).joined(separator: "\r\n")
    }

    static func stamp(_ t: Double) -> String {
        let date = Date(timeIntervalSince1970: t)
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        return f.string(from: date)
    }

    /// gzip of the bytes, by the system's gzip (a test needs no deflate of ours).
    static func gzip(_ bytes: [UInt8], in scratch: Scratch) throws -> [UInt8] {
        let input = try scratch.write("gzip-input-\(UUID().uuidString)", bytes)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-c", "-n", input]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try FileManager.default.removeItem(atPath: input)
        return [UInt8](data)
    }

    /// An export directory in the scratch folder, settled at once.
    static func directory(_ scratch: Scratch, _ name: String = "exports", maxFileBytes: Int64 = ExportDirectory.defaultMaxFileBytes) throws -> ExportDirectory {
        let path = scratch.path(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return ExportDirectory(path: path, maxFileBytes: maxFileBytes, settleSeconds: 0)
    }

    /// The real SQLite store, in the scratch folder.
    static func store(_ scratch: Scratch) throws -> any TraceIndexStore {
        try StoreDatabase(path: scratch.path("agentctl.sqlite")).traceIndex
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func append(_ text: String, to path: String) throws {
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.seekToEnd()
        try h.write(contentsOf: Data(text.utf8))
        try h.close()
    }
}
