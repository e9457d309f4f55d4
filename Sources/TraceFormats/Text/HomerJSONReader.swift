import Foundation
import SIPCore

/// JSON from Homer's API: the search answer (`{"data": [row, ...]}`), the
/// transaction answer (`{"data": {"messages": [...]}}`), or a bare array of
/// rows. A row carries the packet in `raw` (or `payload`), the addresses in
/// `srcIp`/`srcPort`/`dstIp`/`dstPort` (flat, or under `protocol_header`),
/// the time in `timeSeconds` + `timeUseconds` (else `create_date`, in
/// milliseconds), and the IP protocol number in `protocol`.
public enum HomerJSONReader: TraceReader {
    public static let format = TraceFormat.homerJSON
    /// JSONSerialization holds the whole document as objects, several times
    /// the text; past this a trace is better cut at the source.
    static let maxBytes = 256 * 1024 * 1024
    /// Homer rows sit four or five levels deep; far deeper input is hostile
    /// and would only exhaust the parser's stack.
    static let maxDepth = 64

    public static func confidence(_ head: UnsafeBufferPointer<UInt8>) -> Double {
        var i = 0
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { i = 3 }
        while i < head.count, ByteText.isSpace(head[i]) || head[i] == 0x0A || head[i] == 0x0D { i += 1 }
        guard i < head.count, head[i] == UInt8(ascii: "{") || head[i] == UInt8(ascii: "[") else { return 0 }
        let s = FieldScanner(head, i..<head.count)
        let hasPacket = s.find("\"raw\"") != nil || s.find("\"payload\"") != nil
        let hasAddress = s.find("\"srcIp\"") != nil || s.find("\"source_ip\"") != nil
        if hasPacket && hasAddress { return 0.95 }
        return hasPacket || hasAddress ? 0.5 : 0.1
    }

    /// A Homer export is one JSON document, read whole (its size is capped), so a
    /// filter is not applied: every message is kept.
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, keeping _: CallFilter?) throws(TraceError) -> Trace {
        guard bytes.count <= maxBytes else {
            throw .noMessages(format: format, detail: "the JSON is \(bytes.count) bytes, over the \(maxBytes)-byte limit for Homer exports; narrow the Homer search (one Call-ID, a shorter time range) and export again")
        }
        if let depth = JSONDepth.exceeds(bytes, limit: maxDepth) {
            throw .noMessages(format: format, detail: "the JSON nests deeper than \(maxDepth) levels (at byte \(depth)); a Homer export never does, so this is not one")
        }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(buffer: bytes), options: [.fragmentsAllowed])
        } catch {
            throw .noMessages(format: format, detail: "the JSON does not parse (\(error.localizedDescription)); export it from Homer again, whole")
        }
        guard let rows = rows(in: root) else {
            throw .noMessages(format: format, detail: "found no list of messages (expected \"data\": [...], \"data\": {\"messages\": [...]}, or a top-level array)")
        }
        var assembler = TraceAssembler(format: format)
        for (n, item) in rows.enumerated() {
            guard let row = item as? [String: Any] else {
                assembler.warnings.append("row \(n + 1): not a JSON object; skipped")
                continue
            }
            guard var raw = (row["raw"] ?? row["payload"]) as? String, !raw.isEmpty else {
                assembler.warnings.append("row \(n + 1): no \"raw\" packet text; skipped")
                continue
            }
            let result = raw.withUTF8 { buf in Result { () throws(SIPParseError) in try SIPParser.parse(buf) } }
            if case .failure(let error) = result {
                assembler.warnings.append("row \(n + 1): skipped a message that could not be read: \(error)")
                continue
            }
            assembler.add(result, line: 0, heading: heading(row))
        }
        return try assembler.finish()
    }

    static func rows(in root: Any) -> [Any]? {
        if let list = root as? [Any] { return list }
        guard let object = root as? [String: Any] else { return nil }
        if let data = object["data"] as? [Any] { return data }
        if let data = object["data"] as? [String: Any] {
            if let messages = data["messages"] as? [Any] { return messages }
            if let inner = data["data"] as? [Any] { return inner }
        }
        if let messages = object["messages"] as? [Any] { return messages }
        return nil
    }

    static func heading(_ row: [String: Any]) -> MessageHeading {
        let ph = row["protocol_header"] as? [String: Any] ?? [:]
        func value(_ key: String) -> Any? { row[key] ?? ph[key] }
        func int(_ key: String) -> Int? {
            switch value(key) {
            case let n as NSNumber:
                // Converting an out-of-range double to Int traps; a hostile row must not.
                let d = n.doubleValue
                return d.isFinite && abs(d) < 1e15 ? Int(d) : nil
            case let s as String: return Int(s)
            default: return nil
            }
        }
        func endpoint(_ ip: String, _ port: String) -> Endpoint? {
            guard let host = value(ip) as? String, !host.isEmpty else { return nil }
            return Endpoint(host: host, port: int(port))
        }
        let h = MessageHeading(source: endpoint("srcIp", "srcPort"), destination: endpoint("dstIp", "dstPort"))
        if let seconds = int("timeSeconds") {
            h.timestamp = Double(seconds) + Double(int("timeUseconds") ?? 0) / 1_000_000
        } else if let ms = (value("create_date") as? NSNumber)?.doubleValue, ms.isFinite {
            h.timestamp = ms / 1000
        }
        switch int("protocol") {
        case 17: h.transport = "UDP"
        case 6: h.transport = "TCP"
        case 132: h.transport = "SCTP"
        default: break
        }
        // Homer's aliases name the boxes (`SBC`, `carrier`) when configured.
        if let a = row["aliasSrc"] as? String, !a.isEmpty, a != h.source?.description { h.sourceLabel = a }
        if let a = row["aliasDst"] as? String, !a.isEmpty, a != h.destination?.description { h.destinationLabel = a }
        return h
    }
}
