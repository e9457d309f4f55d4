import Foundation
import Testing
import TraceFormats
import TraceSynthesis

/// `diagnose --call-id` on a capture keeps only the SIP that call may need
/// (its legs found in a second pass), and says exactly what a full read
/// says about it.
@Suite struct FilteredCaptureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The two-leg call of legs/same-numbers.txt (tied only by its numbers
    /// and timing) and the unrelated one-way-audio call, in one pcap.
    static func capture(in scratch: Scratch) throws -> String {
        let legs = try TraceLoader.load(path: root.appendingPathComponent("Fixtures/traces/legs/same-numbers.txt").path)
        var packets = try CallSynthesizer(trace: legs, script: CaptureScript(
            trace: "", hosts: ["PHONE": "192.168.1.50", "CORE": "203.0.113.10", "CARRIER": "198.51.100.20"])).packets()
        let other = try TraceLoader.load(path: root.appendingPathComponent("Fixtures/traces/field-guide/one-way-audio.txt").path)
        packets += try CallSynthesizer(trace: other, script: CaptureScript(trace: "")).packets()
        return try scratch.write("two-calls.pcap", CaptureComposer().pcap(packets))
    }

    @Test func loaderKeepsTheCallAndItsLegCandidatesOnly() throws {
        let scratch = try Scratch()
        let path = try Self.capture(in: scratch)
        let full = try CaptureLoader.load(path: path)
        let id = "a0b1c2d5-legA@192.168.1.50"
        let own = try CaptureLoader.load(path: path, options: .init(callIDs: [id]))
        // Leg A's INVITE left at 14:22:01.103 on the synthesizer's day.
        let invite = CallSynthesizer.baseDay + 14 * 3600 + 22 * 60 + 1.103
        let some = try CaptureLoader.load(path: path, options: .init(callIDs: [id], inviteWindow: (invite - 2)...(invite + 2)))
        func count(_ t: Trace, _ id: String) -> Int { t.messages.filter { $0.message.callID == id }.count }
        // Without a window only the call itself; with one, also the INVITEs
        // sent in it, which a tie by numbers needs (here the B leg's), and
        // nothing of the call an hour and a half later.
        #expect(Set(own.messages.compactMap(\.message.callID)) == [id])
        #expect(count(some, id) == count(full, id))
        #expect(count(some, id) == count(own, id))
        #expect(count(some, "b2b-b1a2b3c4d5@203.0.113.10") == 1)
        #expect(count(some, "7c2d9e4f-ow-1010@10.0.0.5") == 0)
        #expect(count(full, "7c2d9e4f-ow-1010@10.0.0.5") == 6)
        // The Call-IDs left out are listed when the call asked for is not there.
        #expect(some.skippedCallIDs.isEmpty)
        let missing = try CaptureLoader.load(path: path, options: .init(callIDs: ["missing@x"]))
        #expect(missing.messages.isEmpty)
        #expect(missing.skippedCallIDs == ["a0b1c2d5-legA@192.168.1.50", "b2b-b1a2b3c4d5@203.0.113.10", "7c2d9e4f-ow-1010@10.0.0.5"])
        // Message numbers are the capture's, filtered or not.
        for m in some.messages { #expect(full.messages[m.index - 1].message == m.message) }
    }

    @Test func filteredDiagnosisEqualsTheFullOne() throws {
        let scratch = try Scratch()
        let path = try Self.capture(in: scratch)
        let one = try AgentctlProcess.run(["diagnose", path, "--call-id", "a0b1c2d5-legA@192.168.1.50", "--format", "json"])
        #expect(one.status == 0, "\(one.stderr)")
        let all = try AgentctlProcess.run(["diagnose", path, "--format", "json"])
        let wrapped = try #require(JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any])
        let list = try #require(wrapped["diagnoses"] as? [[String: Any]])
        let single = try #require(JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        let same = try #require(list.first { ($0["legs"] as? [[String: Any]])?.contains { $0["callID"] as? String == "a0b1c2d5-legA@192.168.1.50" } == true })
        #expect((single["legs"] as? [Any])?.count == 2)
        #expect(NSDictionary(dictionary: single).isEqual(to: same))
    }

    @Test func unknownCallIDStillListsEveryCallOfTheCapture() throws {
        let scratch = try Scratch()
        let r = try AgentctlProcess.run(["diagnose", try Self.capture(in: scratch), "--call-id", "missing@x"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("7c2d9e4f-ow-1010@10.0.0.5") && r.stderr.contains("a0b1c2d5-legA@192.168.1.50"))
    }
}
