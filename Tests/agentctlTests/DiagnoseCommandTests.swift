import Foundation
import Testing

@Suite struct DiagnoseCommandTests {
    static let rawTrace = """
        INVITE sip:+14155550100@pbx.example.com SIP/2.0\r
        Via: SIP/2.0/UDP 10.10.1.50:5060;branch=z9hG4bK776asdhds\r
        From: "Desk 1001" <sip:1001@pbx.example.com>;tag=1928301774\r
        To: <sip:+14155550100@pbx.example.com>\r
        Call-ID: a84b4c76e66710@10.10.1.50\r
        CSeq: 314159 INVITE\r
        Max-Forwards: 70\r
        Content-Length: 0\r
        \r

        SIP/2.0 488 Not Acceptable Here\r
        Via: SIP/2.0/UDP 10.10.1.50:5060;branch=z9hG4bK776asdhds\r
        From: "Desk 1001" <sip:1001@pbx.example.com>;tag=1928301774\r
        To: <sip:+14155550100@pbx.example.com>;tag=a6c85cf\r
        Call-ID: a84b4c76e66710@10.10.1.50\r
        CSeq: 314159 INVITE\r
        Content-Length: 0\r
        \r

        """

    @Test func helpListsDiagnose() throws {
        let r = try AgentctlProcess.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("diagnose"))
        #expect(r.stdout.contains("bench"))
    }

    @Test func diagnoseHelpDocumentsExitCodes() throws {
        let r = try AgentctlProcess.run(["diagnose", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Exit codes"))
        #expect(r.stdout.contains("homer-json"))
    }

    @Test func missingFileExitsTwoNamingTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-trace-\(UUID().uuidString).txt").path
        let r = try AgentctlProcess.run(["diagnose", path])
        #expect(r.status == 2)
        #expect(r.stderr.contains(path))
        #expect(r.stdout.isEmpty)
    }

    @Test func emptyFileExitsTwo() throws {
        let scratch = try Scratch()
        let path = try scratch.write("trace.txt", [])
        let r = try AgentctlProcess.run(["diagnose", path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("empty"))
    }

    @Test func binaryJunkExitsTwo() throws {
        var generator = SystemRandomNumberGenerator()
        let junk = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let scratch = try Scratch()
        let path = try scratch.write("junk.bin", junk)
        let r = try AgentctlProcess.run(["diagnose", path])
        #expect(r.status == 2)
        #expect(r.stderr.contains(path))
    }

    @Test func badPeerIsAUsageError() throws {
        let scratch = try Scratch()
        let path = try scratch.write("trace.txt", Array(Self.rawTrace.utf8))
        let r = try AgentctlProcess.run(["diagnose", path, "--peer", "not-a-range"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("RANGE=NAME"))
    }

    @Test func unknownCallIDExitsThreeListingTheCallIDsPresent() throws {
        let scratch = try Scratch()
        let path = try scratch.write("trace.txt", Array(Self.rawTrace.utf8))
        let r = try AgentctlProcess.run(["diagnose", path, "--call-id", "nope@nowhere"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("nope@nowhere"))
        #expect(r.stderr.contains("a84b4c76e66710@10.10.1.50"))
    }

    @Test func diagnosedCallExitsZeroWithHeadlineFirst() throws {
        let scratch = try Scratch()
        let path = try scratch.write("trace.txt", Array(Self.rawTrace.utf8))
        let r = try AgentctlProcess.run(["diagnose", path])
        #expect(r.status == 0)
        #expect(r.stdout.contains("488"))
        #expect(r.stdout.contains("Ladder:"))
    }

    @Test func jsonOutputCarriesTheSchemaVersion() throws {
        let scratch = try Scratch()
        let path = try scratch.write("trace.txt", Array(Self.rawTrace.utf8))
        let r = try AgentctlProcess.run(["diagnose", path, "--call-id", "a84b4c76e66710@10.10.1.50", "--format", "json"])
        #expect(r.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(object?["schemaVersion"] as? Int == 1)
        #expect(object?["callID"] as? String == "a84b4c76e66710@10.10.1.50")
    }
}
