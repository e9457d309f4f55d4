import Foundation
import SIPCore
import Testing
import TestSupport
@testable import TraceFormats

/// The raw SIP read passes over runs of plain lines and counts messages
/// without a needle unlooked-at: it must give what the line-by-line read
/// gives, on random text as on traces, filtered or not.
@Suite struct PlainLinesTests {
    /// Pieces lines are made of: line ends of all three kinds, the first
    /// bytes that decide (start lines, log lines, UUIDs, methods, `CSeq`,
    /// `s=`, blanks, narration), and some filler.
    static let pieces = ["\r\n", "\n", "\r", "\r\n", "\n", "SIP/2.0 200 OK", "sip/2.0 486 Busy", "INVITE sip:a@b SIP/2.0",
                         "BYE sip:x@y SIP/2.0", "A sip:u@h SIP/2.0", "AB sip:u@h SIP/2.0", "CSeq: 1 INVITE", "Via: SIP/2.0/UDP h",
                         "s=-", "Si", "a=rtpmap:0 PCMU/8000", "Call-ID: ", "abc-def@h", "P-Asserted-Identity: <sip:1@h>",
                         "MIME-Version: 1.0", "X_Y z", "  ", "\t", "(no answer)", "[Nov 24 02:13:07] WARNING[12345]: x.c:1 f: no",
                         " 3(12894) ERROR: rtpengine: no available proxies",
                         "2026-11-24 02:13:07.123456 [NOTICE] switch_channel.c:3993 Hangup",
                         "6f2a1c3e-0b4d-4e5f-8a9b-0c1d2e3f4a5b 2026-11-24 02:13:07.123456 [ERR] a.c:1 x",
                         "deadbeef-x", "Fdeadbee-a", "e", "x", "0", "v=0", "c=IN IP4 10.0.0.1", "<-- note", "Contact: <sip:h>"]

    static func randomText(_ rng: inout SplitMix64, pieces count: Int) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<count { out += Array(pieces[Int(rng.next() % UInt64(pieces.count))].utf8) }
        return out
    }

    /// The run as the line cursor sees it: lines while they are plain.
    static func plainRun(_ buf: UnsafeBufferPointer<UInt8>, from: Int) -> PlainLines.Run {
        var cursor = LineCursor(buf, from: from)
        var lines = 0, lastEnd = from
        while cursor.position < buf.count, PlainLines.isPlain(buf, at: cursor.position), let r = cursor.next() {
            lines += 1
            lastEnd = r.upperBound
        }
        return PlainLines.Run(next: cursor.position, lines: lines, lastEnd: lastEnd)
    }

    @Test func aRunIsTheLinesTheCursorFindsPlain() {
        var rng = SplitMix64(seed: 11)
        var runs = 0, long = 0
        for _ in 0..<3_000 {
            let text = Self.randomText(&rng, pieces: 1 + Int(rng.next() % 60))
            text.withUnsafeBufferPointer { buf in
                var cursor = LineCursor(buf)
                var start = 0
                while cursor.next() != nil {
                    if PlainLines.isPlain(buf, at: start) {
                        let got = PlainLines.run(buf, from: start), expected = Self.plainRun(buf, from: start)
                        #expect(got == expected, "from \(start) in \(String(decoding: text, as: UTF8.self).debugDescription)")
                        runs += 1
                        if got.next - start > 40 { long += 1 }
                    }
                    start = cursor.position
                }
            }
        }
        // Runs long enough for the 16-byte blocks, not only the byte loop.
        #expect(runs > 1_000, "\(runs) runs")
        #expect(long > 50, "\(long) runs over 40 bytes")
    }

    /// A plain line is never one the reader would treat otherwise.
    @Test func aPlainLineIsNeitherStartLineNorLogLineNorNarration() {
        var rng = SplitMix64(seed: 12)
        var plain = 0
        for _ in 0..<3_000 {
            let text = Self.randomText(&rng, pieces: 1 + Int(rng.next() % 12))
            text.withUnsafeBufferPointer { buf in
                var cursor = LineCursor(buf)
                var start = 0
                while let r = cursor.next() {
                    if PlainLines.isPlain(buf, at: start) {
                        plain += 1
                        let t = ByteText.trimmed(buf, r)
                        #expect(!t.isEmpty && t == r.lowerBound..<t.upperBound)
                        #expect(!SIPParser.isStartLine(buf, r), "\(ByteText.string(buf, r).debugDescription)")
                        #expect(PlatformLogParser.parse(buf, r, line: 1) == nil, "\(ByteText.string(buf, r).debugDescription)")
                        #expect(!MessageSlicer.isNarrative(buf, t))
                    }
                    start = cursor.position
                }
            }
        }
        #expect(plain > 1_000)
    }

    /// Random traces of calls with log lines, narration, blank lines,
    /// annotations, correlation headers and all three line ends, read
    /// whole and for a few Call-IDs: the fast read and the line-by-line
    /// one give the same messages, numbers, lines, warnings and log.
    @Test func theFastReadEqualsTheLineByLineRead() throws {
        var rng = SplitMix64(seed: 13)
        var kept = 0
        for round in 0..<60 {
            var text = ""
            if round % 3 == 0 { text += "pasted from the console\n" }
            let calls = 5 + Int(rng.next() % 30)
            for n in 0..<calls {
                let id = "call-\(round)-\(n)-abcdef@10.0.0.\(n % 7)"
                let eol = ["\r\n", "\n", "\r"][Int(rng.next() % 3)]
                var invite = TestTraces.invite(callID: id, eol: eol)
                if rng.next() % 5 == 0 { invite = invite.replacingOccurrences(of: " SIP/2.0" + eol, with: " SIP/2.0   <-- dialled" + eol) }
                if rng.next() % 4 == 0, n > 0 {
                    invite = invite.replacingOccurrences(of: "Max-Forwards", with: "X-Call-ID: call-\(round)-\(n - 1)-abcdef@10.0.0.\((n - 1) % 7)\(eol)Max-Forwards")
                }
                text += invite
                switch rng.next() % 6 {
                case 0: text += "[Nov 24 02:13:07] WARNING[12345][C-00000042]: chan_pjsip.c:2410 f: \"\(id)\" no joint capabilities\(eol)"
                case 1: text += "(no answer for 2 seconds)\(eol)"
                case 2: text += eol + eol
                case 3: text += " 3(12894) ERROR: rtpengine [rtpengine.c:2674]: no available proxies\(eol)stray header: x\(eol)"
                default: break
                }
                var busy = TestTraces.response("486 Busy Here", callID: id, eol: eol)
                if rng.next() % 7 == 0 { busy = busy.replacingOccurrences(of: "Call-ID: ", with: "i: ") }
                text += busy
            }
            let bytes = Array(text.utf8)
            let wanted = Set((0..<3).map { _ in "call-\(round)-\(Int(rng.next() % UInt64(calls + 2)))-abcdef@10.0.0.\(rng.next() % 7)" })
            for filter in [nil, CallFilter(wanted, inviteWindow: nil)] {
                for lists in [true, false] {
                    var f = filter
                    f?.listsSkipped = lists
                    let fast = try bytes.withUnsafeBufferPointer { try RawSIPReader.read($0, keeping: f, lineByLine: false) }
                    let slow = try bytes.withUnsafeBufferPointer { try RawSIPReader.read($0, keeping: f, lineByLine: true) }
                    #expect(fast.messages == slow.messages, "round \(round)")
                    #expect(fast.warnings == slow.warnings, "round \(round)")
                    #expect(fast.skippedCallIDs == slow.skippedCallIDs, "round \(round)")
                    #expect(fast.platformLog.map(\.line) == slow.platformLog.map(\.line), "round \(round)")
                    #expect(fast.platformLog.map(\.afterMessage) == slow.platformLog.map(\.afterMessage), "round \(round)")
                    #expect(fast.platformLog.map(\.text) == slow.platformLog.map(\.text), "round \(round)")
                    if filter != nil { kept += fast.messages.count }
                }
            }
        }
        // The filtered reads kept something: the test held them to the
        // line-by-line read on calls found, not only on calls missing.
        #expect(kept > 100)
    }
}

extension PlainLinesTests {
    /// Every raw SIP fixture (most fixtures are portal exports), read
    /// whole and for each of its Call-IDs.
    @Test func everyRawFixtureReadsTheSameBothWays() throws {
        let root = FixturePath.packageRoot.appendingPathComponent("Fixtures/traces")
        let files = FileManager.default.enumerator(atPath: root.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".txt") || $0.hasSuffix(".log") }
        var compared = 0
        for file in files.sorted() {
            let path = root.appendingPathComponent(file).path
            guard let whole = try? TraceLoader.load(path: path), whole.format == .rawSIP,
                  let bytes = FileManager.default.contents(atPath: path).map(Array.init) else { continue }
            let ids = Set(whole.messages.compactMap(\.message.callID))
            for filter in [nil] + ids.sorted().map({ CallFilter([$0], inviteWindow: nil) }) {
                var f = filter
                f?.listsSkipped = false
                let fast = try? bytes.withUnsafeBufferPointer { try RawSIPReader.read($0, keeping: f, lineByLine: false) }
                let slow = try? bytes.withUnsafeBufferPointer { try RawSIPReader.read($0, keeping: f, lineByLine: true) }
                #expect(fast?.messages == slow?.messages, "\(file)")
                #expect(fast?.warnings == slow?.warnings, "\(file)")
                #expect(fast?.platformLog.map(\.line) == slow?.platformLog.map(\.line), "\(file)")
            }
            compared += 1
        }
        #expect(compared >= 4)
    }
}
