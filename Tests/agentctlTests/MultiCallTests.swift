import Foundation
import Testing

/// Traces with several calls, diagnosed without `--call-id`.
@Suite struct MultiCallTests {
    /// `n` independent calls, each an INVITE answered 486, as raw SIP.
    static func trace(calls n: Int) -> [UInt8] {
        var text = ""
        for k in 0..<n {
            let common = """
                Via: SIP/2.0/UDP 10.10.1.50:5060;branch=z9hG4bK\(k)a\r
                From: <sip:1001@pbx.example.com>;tag=f\(k)\r
                To: <sip:+1415555\(1000 + k)@pbx.example.com>\r
                Call-ID: multi-\(k)@10.10.1.50\r
                CSeq: 1 INVITE\r
                Content-Length: 0\r
                \r

                """
            text += "INVITE sip:+1415555\(1000 + k)@pbx.example.com SIP/2.0\r\n" + common
            text += "SIP/2.0 486 Busy Here\r\n" + common
        }
        return Array(text.utf8)
    }

    @Test
    func severalCallsInJSONAreWrappedInDiagnoses() throws {
        let scratch = try Scratch()
        let path = try scratch.write("trace.txt", Self.trace(calls: 3))
        let r = try AgentctlProcess.run(["diagnose", path, "--format", "json"])
        #expect(r.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(object?["schemaVersion"] as? Int == 1)
        #expect((object?["diagnoses"] as? [Any])?.count == 3)
    }

    @Test
    func severalCallsInTextAreSeparatedByARule() throws {
        let scratch = try Scratch()
        let path = try scratch.write("trace.txt", Self.trace(calls: 2))
        let r = try AgentctlProcess.run(["diagnose", path])
        #expect(r.status == 0)
        #expect(r.stdout.contains("\n" + String(repeating: "=", count: 72) + "\n"))
    }

    @Test
    func moreThanTwentyCallsPrintATableAndAskForACallID() throws {
        let scratch = try Scratch()
        let path = try scratch.write("trace.txt", Self.trace(calls: 25))
        let r = try AgentctlProcess.run(["diagnose", path])
        #expect(r.status == 0)
        #expect(r.stdout.contains("--call-id"))
        #expect(r.stdout.contains("multi-24@10.10.1.50"))
        #expect(!r.stdout.contains("Ladder:"))
    }

    @Test
    func tenThousandCallsGiveTheTableAndOneCanBePicked() throws {
        let scratch = try Scratch()
        let path = try scratch.write("trace.txt", Self.trace(calls: 10_000))
        let table = try AgentctlProcess.run(["diagnose", path])
        #expect(table.status == 0)
        #expect(table.stdout.contains("multi-9999@10.10.1.50"))
        let one = try AgentctlProcess.run(["diagnose", path, "--call-id", "multi-5000@10.10.1.50"])
        #expect(one.status == 0)
        #expect(one.stdout.contains("486 Busy Here"))
        #expect(one.stdout.contains("Not a fault"))
    }
}
