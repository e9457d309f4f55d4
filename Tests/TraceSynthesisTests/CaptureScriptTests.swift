import Testing
@testable import TraceSynthesis

/// The capture-script language: what it accepts, and errors that name the
/// line and what to write instead.
@Suite struct CaptureScriptTests {
    @Test func everyOptionIsRead() throws {
        let s = try CaptureScript(parsing: """
        # comment
        trace: ../traces/x.txt
        seed: 7
        host PHONE 192.168.1.50   # trailing comment
        rtp PHONE -> CORE for 8s start 200ms loss 3% jitter 40ms from 198.51.100.7:4000 to 203.0.113.10:5000 pause 2s at 3s outage 1s at 6s comfort-noise rtcp
        """)
        #expect(s.trace == "../traces/x.txt" && s.seed == 7 && s.hosts == ["PHONE": "192.168.1.50"])
        let f = try #require(s.media.first)
        #expect(f.sender == "PHONE" && f.receiver == "CORE" && f.duration == 8 && f.start == 0.2)
        #expect(f.loss == 0.03 && f.jitter == 0.04 && f.from == "198.51.100.7:4000" && f.to == "203.0.113.10:5000")
        #expect(f.pause?.length == 2 && f.pause?.at == 3 && f.outage?.length == 1 && f.outage?.at == 6)
        #expect(f.comfortNoise && f.rtcp)
    }

    @Test(arguments: [
        ("trace: a.txt\nrtp PHONE -> CORE loss 3", "line 2: '3' is not a percentage; write 3%"),
        ("trace: a.txt\nhost PHONE nowhere", "line 2: host takes a label and an IP address: host PHONE 10.0.0.5"),
        ("trace: a.txt\n\nrtp PHONE CORE", "line 3: rtp takes SENDER -> RECEIVER, then options"),
        ("trace: a.txt\nrtp A -> B pause 2s after 3s", "line 2: pause takes LENGTH at TIME: pause 2s at 3s"),
        ("trace: a.txt\nrtp A -> B louder", "line 2: unknown rtp option 'louder'"),
        ("rtp A -> B", "line 0: no trace: line names the text trace to build from"),
        ("trace: a.txt\nmedia A B", "line 2: unknown line 'media'; expected trace:, seed:, host or rtp"),
    ])
    func mistakesAreNamedWithTheirLine(_ text: String, _ message: String) {
        #expect(throws: CaptureScript.ParseError.self) { try CaptureScript(parsing: text) }
        do {
            _ = try CaptureScript(parsing: text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test(arguments: [0.0, 0.01, 0.03, 0.04, 0.5, 1.0])
    func lossIsSpreadEvenlyAndCountsExactly(_ share: Double) {
        let n = 3_000
        let dropped = (0..<n).filter { CallSynthesizer.drops($0, share) }
        #expect(dropped.count == Int((Double(n) * share).rounded(.down)))
        // Evenly: no two drops closer than the share allows (but for 100 %).
        if share > 0, share < 1 {
            let gaps = zip(dropped, dropped.dropFirst()).map { $1 - $0 }
            #expect(gaps.min()! >= Int((1 / share).rounded(.down)))
        }
    }
}
