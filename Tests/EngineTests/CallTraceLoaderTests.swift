import Diagnosis
import Engine
import Foundation
import Testing
import TestSupport
import TraceFormats
import TraceSynthesis

/// The library's entry point reads a call from a file or from bytes, text
/// or capture, keeps only what the call needs from a capture, and says
/// which Call-IDs are there when the one asked for is not.
@Suite struct CallTraceLoaderTests {
    /// The two-leg call of legs/same-numbers.txt (tied only by its numbers
    /// and timing) and the unrelated one-way-audio call, in one pcap.
    static func twoCalls() throws -> [UInt8] {
        let legs = try TraceLoader.load(path: EngineFixtures.path("Fixtures/traces/legs/same-numbers.txt"))
        var packets = try CallSynthesizer(trace: legs, script: CaptureScript(
            trace: "", hosts: ["PHONE": "192.168.1.50", "CORE": "203.0.113.10", "CARRIER": "198.51.100.20"])).packets()
        let other = try TraceLoader.load(path: EngineFixtures.path("Fixtures/traces/field-guide/one-way-audio.txt"))
        packets += try CallSynthesizer(trace: other, script: CaptureScript(trace: "")).packets()
        return try CaptureComposer().pcap(packets)
    }

    @Test func aCallIsReadWithItsLegsFromAFileAndFromTheSameBytes() async throws {
        let scratch = try Scratch()
        let bytes = try Self.twoCalls()
        let path = try scratch.write("two-calls.pcap", bytes)
        let loader = CallTraceLoader()
        let fromFile = try await loader.load(.file(path: path), callID: "a0b1c2d5-legA@192.168.1.50")
        let fromBytes = try await loader.load(.bytes(bytes, name: "upload.pcap"), callID: "a0b1c2d5-legA@192.168.1.50")
        // The B leg is tied only by numbers and timing: the passes found it.
        let ids = Set(fromFile.messages.compactMap(\.message.callID))
        #expect(ids == ["a0b1c2d5-legA@192.168.1.50", "b2b-b1a2b3c4d5@203.0.113.10"])
        #expect(fromFile.messages.map(\.message) == fromBytes.messages.map(\.message))
        // The other call was neither parsed nor kept; its Call-ID is listed
        // only when the call asked for is missing (the answer to "not found").
        #expect(!fromFile.messages.contains { $0.message.callID == "7c2d9e4f-ow-1010@10.0.0.5" })
        await #expect(throws: CallTraceError.notFound(callID: "nobody@nowhere", available: [
            "a0b1c2d5-legA@192.168.1.50", "b2b-b1a2b3c4d5@203.0.113.10", "7c2d9e4f-ow-1010@10.0.0.5"])) {
            _ = try await loader.load(.file(path: path), callID: "nobody@nowhere")
        }
        let whole = try await loader.load(.file(path: path))
        #expect(Set(whole.messages.compactMap(\.message.callID)).count == 3)
    }

    @Test func theDiagnosisOfAFilteredReadIsTheDiagnosisOfTheWholeCapture() async throws {
        let bytes = try Self.twoCalls()
        let loader = CallTraceLoader()
        let one = try await loader.diagnose(.bytes(bytes, name: "two-calls.pcap"), callID: "a0b1c2d5-legA@192.168.1.50")
        let whole = try TraceLoader.read(bytes: bytes, name: "two-calls.pcap")
        #expect(one == (try Diagnoser().diagnose(whole, callID: "a0b1c2d5-legA@192.168.1.50")))
        #expect(one.legs.count == 2)
        #expect(one.engineVersion == Diagnosis.engineVersion)
    }

    /// The B leg, tied only by its numbers and timing, is found without a
    /// second read: the first held the INVITEs around leg A's, and the
    /// window applied to them gives what a read with it gives.
    @Test func theInvitesAroundTheCallAreHeldByTheFirstRead() throws {
        let bytes = try Self.twoCalls()
        let id = "a0b1c2d5-legA@192.168.1.50"
        let margin = LegTier().numberWindow
        let first = try TraceLoader.read(bytes: bytes, name: "two-calls.pcap", capture: .init(callIDs: [id], holdInvites: margin))
        #expect(!first.messages.contains { $0.message.callID == "b2b-b1a2b3c4d5@203.0.113.10" })
        let window = try #require(CallTraceLoader.inviteWindow(of: try Diagnoser().call(id, in: first), margin: margin))
        let held = try #require(first.heldInvites?.admitted(into: first, window: window))
        let second = try TraceLoader.read(bytes: bytes, name: "two-calls.pcap", capture: .init(callIDs: [id], inviteWindow: window))
        #expect(held.messages == second.messages)
        #expect(held.messages.contains { $0.message.callID == "b2b-b1a2b3c4d5@203.0.113.10" })
    }

    @Test func aTextTraceIsReadWholeAndItsCallDiagnosed() async throws {
        let path = EngineFixtures.path("Fixtures/traces/busy-or-declined/catch.txt")
        let trace = try await CallTraceLoader().load(.file(path: path))
        let id = try #require(trace.messages.first?.message.callID)
        let d = try await CallTraceLoader().diagnose(.file(path: path), callID: id)
        #expect(d.verdict.family == "busy-or-declined")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let fromBytes = try await CallTraceLoader().diagnose(.bytes(Array(text.utf8), name: "ticket"), callID: id)
        #expect(fromBytes == d)
    }

    @Test func anUnknownCallIDNamesTheCallIDsThereInATextTrace() async throws {
        let path = EngineFixtures.path("Fixtures/traces/busy-or-declined/catch.txt")
        await #expect(throws: CallTraceError.notFound(callID: "missing@x", available: ["3b4c5d6e-486@192.168.1.50"])) {
            _ = try await CallTraceLoader().load(.file(path: path), callID: "missing@x")
        }
    }

    /// The capture holds RTP: a filtered read that keeps no SIP still has
    /// streams, which once made the Call-ID look like a capture of RTP alone.
    @Test func anUnknownCallIDInACaptureWithRTPNamesTheCallIDsThere() async throws {
        let bytes = try EngineFixtures.capture("one-way-audio.capture")
        do {
            _ = try await CallTraceLoader().load(.bytes(bytes, name: "one-way.pcap"), callID: "missing@x")
            Issue.record("an unknown Call-ID was loaded")
        } catch {
            guard case .notFound("missing@x", let available) = error else { Issue.record("\(error)"); return }
            #expect(available == ["7c2d9e4f-ow-1010@10.0.0.5"])
        }
        // The same capture does hold RTP, which a read without the Call-ID measures.
        let whole = try await CallTraceLoader().load(.bytes(bytes, name: "one-way.pcap"))
        #expect(!(whole.media?.streams.isEmpty ?? true))
    }

    @Test func aCaptureOfRTPAloneLoadsButHasNoCallToDiagnose() async throws {
        var packets: [SynthPacket] = []
        let src = SocketAddress(NetAddress("10.0.0.60")!, 6000), dst = SocketAddress(NetAddress("172.20.0.30")!, 6000)
        for k in 0..<50 {
            let rtp: [UInt8] = [0x80, 0, 0, UInt8(k), 0, 0, UInt8(k >> 8), UInt8(k & 0xFF) &* 160, 0x12, 0x34, 0x56, 0x78] + [UInt8](repeating: 0xFF, count: 160)
            packets.append(SynthPacket(timestampNanos: 1_000_000_000 + Int64(k) * 20_000_000, source: src, destination: dst, payload: rtp))
        }
        let bytes = try CaptureComposer().pcap(packets)
        let trace = try await CallTraceLoader().load(.bytes(bytes, name: "rtp.pcap"), callID: "any@x")
        #expect(trace.messages.isEmpty && trace.media?.streams.count == 1)
        do {
            _ = try await CallTraceLoader().diagnose(.bytes(bytes, name: "rtp.pcap"), callID: "any@x")
            Issue.record("a capture of RTP alone was diagnosed")
        } catch {
            guard case .unreadable("rtp.pcap", .noSIP, let message) = error else { Issue.record("\(error)"); return }
            #expect(message.contains("holds no SIP, only RTP (1 stream)"))
        }
    }

    @Test func aListingReadMeasuresNoMedia() async throws {
        let bytes = try EngineFixtures.capture("one-way-audio.capture")
        let trace = try await CallTraceLoader(measureMedia: false).load(.bytes(bytes, name: "one-way.pcap"))
        #expect(trace.media == nil)
        #expect(!trace.messages.isEmpty)
    }
}
