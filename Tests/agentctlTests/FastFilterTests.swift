import Foundation
import Testing
import TraceFormats
import TraceSynthesis

/// `diagnose --call-id` parses only what can belong to the call (a
/// Call-ID or local part found in the raw bytes, an INVITE without a To
/// tag in the window); for every call of a trace whose legs are tied by
/// local part, by X-Call-ID, by P-Charging-Vector and by numbers and time,
/// the Diagnosis it gives is the one the full read gives, in a capture
/// and in a text trace.
@Suite struct FastFilterTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Calls whose Call-ID is written `i:` or in capitals, and two whose
    /// Call-IDs differ only after a common prefix (`abc@h`, `abc@host`).
    static let spellings = """
    [14:30:00.000] PHONE -> CORE
    INVITE sip:2001@203.0.113.10 SIP/2.0
    Via: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bKsp1
    From: <sip:1001@203.0.113.10>;tag=sp1
    To: <sip:2001@203.0.113.10>
    i: abc@h
    CSeq: 1 INVITE
    Content-Length: 0

    [14:30:00.050] CORE -> PHONE
    SIP/2.0 486 Busy Here
    VIA: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bKsp1
    FROM: <sip:1001@203.0.113.10>;tag=sp1
    TO: <sip:2001@203.0.113.10>;tag=sp2
    CALL-ID: abc@h
    CSEQ: 1 INVITE
    Content-Length: 0

    [14:31:00.000] PHONE -> CORE
    INVITE sip:2002@203.0.113.10 SIP/2.0
    Via: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bKsp3
    From: <sip:1001@203.0.113.10>;tag=sp3
    To: <sip:2002@203.0.113.10>
    call-id : abc@host
    X-Note: not the call abc@h
    CSeq: 1 INVITE
    Content-Length: 0

    [14:31:00.040] CORE -> PHONE
    SIP/2.0 404 Not Found
    Via: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bKsp3
    From: <sip:1001@203.0.113.10>;tag=sp3
    To: <sip:2002@203.0.113.10>;tag=sp4
    Call-ID: abc@host
    CSeq: 1 INVITE
    Content-Length: 0

    """

    /// The legs fixtures one after another (their times overlap, so the
    /// number-and-time tie has candidates from every fixture) and the
    /// spellings above, as a text trace and as a capture.
    static func files(in scratch: Scratch) throws -> [String] {
        var text = ""
        for name in ["same-local-part", "x-call-id", "p-charging-vector", "same-numbers", "unrelated"] {
            text += try String(contentsOf: root.appendingPathComponent("Fixtures/traces/legs/\(name).txt"), encoding: .utf8) + "\n"
        }
        text += spellings
        let textPath = try scratch.write("legs.txt", Array(text.utf8))
        let trace = try TraceLoader.load(path: textPath)
        let packets = try CallSynthesizer(trace: trace, script: CaptureScript(
            trace: "", hosts: ["PHONE": "192.168.1.50", "CORE": "203.0.113.10", "CARRIER": "198.51.100.20"])).packets()
        return [textPath, try scratch.write("legs.pcap", CaptureComposer().pcap(packets))]
    }

    static func json(_ r: AgentctlProcess.Result) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test func everyCallDiagnosedThroughTheFilterEqualsTheFullRead() throws {
        let scratch = try Scratch()
        for file in try Self.files(in: scratch) {
            let all = try AgentctlProcess.run(["diagnose", file, "--format", "json"])
            #expect(all.status == 0, "\(all.stderr)")
            let list = try #require(try Self.json(all)["diagnoses"] as? [[String: Any]])
            let ids = try TraceLoader.load(path: file).messages.compactMap(\.message.callID)
            var legs: [String: Int] = [:]
            for id in Set(ids).sorted() {
                let one = try AgentctlProcess.run(["diagnose", file, "--call-id", id, "--format", "json"])
                #expect(one.status == 0, "\(file) \(id): \(one.stderr)")
                var single = try Self.json(one)
                var same = try #require(list.first { ($0["legs"] as? [[String: Any]])?.contains { $0["callID"] as? String == id } == true }, "\(id)")
                // A diagnosis is headed by the Call-ID asked for; the full
                // read's by its first leg.
                #expect(single.removeValue(forKey: "callID") as? String == id)
                same.removeValue(forKey: "callID")
                #expect(NSDictionary(dictionary: single).isEqual(to: same), "\(file): \(id) differs between the filtered and the full read")
                legs[id] = (single["legs"] as? [Any])?.count
            }
            // The ties the filter must not lose: local part, X-Call-ID (asked
            // by either leg), P-Charging-Vector, numbers and time.
            for id in ["89f3a1b2-c4d5-6e7f@core.example.net", "a0b1c2d3-legA@192.168.1.50", "b2b-a1f2a3b4c5@203.0.113.10",
                       "a0b1c2d4-legA@192.168.1.50", "b2b-91e2f3a4b5@203.0.113.10", "a0b1c2d5-legA@192.168.1.50"] {
                #expect((legs[id] ?? 0) >= 2, "\(file): \(id) has \(legs[id] ?? 0) legs")
            }
            #expect(legs["abc@h"] == 1 && legs["abc@host"] == 1)
        }
    }

    @Test func anUnknownCallIDInATextTraceListsTheCallIDsThere() throws {
        let scratch = try Scratch()
        let text = try Self.files(in: scratch)[0]
        let r = try AgentctlProcess.run(["diagnose", text, "--call-id", "abc@hos"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("abc@host") && r.stderr.contains("a0b1c2d3-legA@192.168.1.50"))
    }
}
