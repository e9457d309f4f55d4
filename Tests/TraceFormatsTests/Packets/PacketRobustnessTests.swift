import Testing
import TestSupport
import TraceFormats

/// Damaged frames never crash the decoder or leave a frame uncounted, and
/// well-formed traffic cut and shuffled every which way decodes the same.
@Suite struct PacketRobustnessTests {
    /// One frame of every kind the decoder reads, with its link type.
    static let corpus: [(bytes: [UInt8], link: LinkType)] = {
        var frames: [(bytes: [UInt8], link: LinkType)] = []
        func add(_ packet: [UInt8], _ link: PacketBuilder.Link = .ethernet()) {
            frames.append((PacketBuilder.frame(packet, link: link), link.linkType))
        }
        let sip = bytes(sipRequest(body: sdpBody))
        for link in LinkLayerTests.links { add(PacketBuilder.udp(from: alice, to: bob, payload: sip), link) }
        add(PacketBuilder.udp(from: alice6, to: bob6, payload: sip, extensions: [.hopByHop, .routing, .authentication, .destinationOptions]))
        for f in PacketBuilder.fragments(of: PacketBuilder.udp(from: alice, to: bob, payload: sip), count: 3) { add(f) }
        for f in PacketBuilder.fragments(of: PacketBuilder.udp(from: alice6, to: bob6, payload: sip, extensions: [.hopByHop]), count: 2) { add(f) }
        add(PacketBuilder.tcp(from: alice, to: bob, seq: 1, flags: [.syn]))
        add(PacketBuilder.tcp(from: alice, to: bob, seq: 2, payload: sip))
        add(PacketBuilder.ipInIP(PacketBuilder.udp(from: alice6, to: bob6, payload: sip), from: ip("192.0.2.1"), to: ip("192.0.2.2")))
        add(PacketBuilder.gre(PacketBuilder.udp(from: alice, to: bob, payload: sip), from: ip("192.0.2.1"), to: ip("192.0.2.2"), key: 9))
        add(PacketBuilder.udp(from: alice, to: bob, payload: PacketBuilder.hep3(from: alice, to: bob, timestampNanos: 1, payload: sip)))
        add(PacketBuilder.udp(from: alice, to: bob, payload: PacketBuilder.hep2(from: alice6, to: bob6, timestampNanos: 1, payload: sip)))
        return frames
    }()

    static func invariantHolds(_ decoder: PacketDecoder) -> Bool {
        decoder.counts.frames == decoder.counts.decoded + decoder.counts.skippedTotal
    }

    @Test func everyTruncationOfEveryFrame() {
        var run = PacketRun()
        var fed = 0
        for (frame, link) in Self.corpus {
            for cut in 0...frame.count {
                run.feed(Array(frame[..<cut]), linkType: link)
                fed += 1
            }
        }
        run.finish()
        #expect(run.decoder.counts.frames == fed)
        #expect(Self.invariantHolds(run.decoder))
        #expect(run.warnings.count <= run.decoder.limits.maxWarnings + 1)
    }

    @Test func mutatedFramesNeverCrash() {
        var rng = SplitMix64(seed: 0x5EED_0003)
        var limits = PacketDecoder.Limits()
        limits.maxStreams = 8
        limits.maxPendingDatagrams = 8
        var run = PacketRun(limits: limits)
        for _ in 0..<6000 {
            let pick = Self.corpus[Int.random(in: 0..<Self.corpus.count, using: &rng)]
            var frame = pick.bytes
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                guard !frame.isEmpty else { break }
                let at = Int.random(in: 0..<frame.count, using: &rng)
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: frame[at] = UInt8.random(in: 0...255, using: &rng)
                case 1: frame[at] ^= 1 << UInt8.random(in: 0...7, using: &rng)
                case 2: frame.remove(at: at)
                case 3: frame.insert(UInt8.random(in: 0...255, using: &rng), at: at)
                default:
                    // Lengths and counts are where parsers go wrong: 0x00, 0xFF.
                    frame[at] = Bool.random(using: &rng) ? 0 : 0xFF
                }
            }
            run.feed(frame, linkType: pick.link, timeNanos: Int64.random(in: 0...(1 << 40), using: &rng))
        }
        run.finish()
        #expect(run.decoder.counts.frames == 6000)
        #expect(Self.invariantHolds(run.decoder))
    }

    @Test func randomBytesUnderEveryLinkType() {
        var rng = SplitMix64(seed: 77)
        var run = PacketRun()
        let types: [UInt32] = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276]
        for _ in 0..<4000 {
            let frame = (0..<Int.random(in: 0...120, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            run.feed(frame, linkType: LinkType(rawValue: types.randomElement(using: &rng)!))
        }
        run.finish()
        #expect(Self.invariantHolds(run.decoder))
    }

    @Test func hostileTCPSegmentsNeverCrash() {
        var rng = SplitMix64(seed: 0x7C9)
        var limits = PacketDecoder.Limits()
        limits.maxStreams = 3
        limits.maxOutOfOrderSegments = 4
        limits.maxStreamBuffer = 4096
        limits.nonSIPScanBudget = 2048
        var run = PacketRun(limits: limits)
        let pieces = [sipRequest(body: sdpBody), sipResponse(), "\r\n", "Content-Length: 99999\r\n", "SIP/2.0 ",
                      " SIP/2.0\r\n", "\r\n\r\n", "l: 3\r\n", "INVITE ", "HEP3", "\u{16}\u{03}"].map(bytes)
        let ports: [UInt16] = [5060, 5061, 5062, 5063, 5064]
        var seqs = [UInt32](repeating: 0, count: ports.count)
        for _ in 0..<8000 {
            let k = Int.random(in: 0..<ports.count, using: &rng)
            var payload: [UInt8] = []
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                payload += Bool.random(using: &rng) ? pieces.randomElement(using: &rng)!
                    : (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
            var flags = PacketBuilder.TCPFlags(rawValue: UInt8.random(in: 0...31, using: &rng))
            if Int.random(in: 0..<8, using: &rng) != 0 { flags.subtract([.syn, .rst, .fin]) }
            let seq: UInt32
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: seq = UInt32.random(in: 0...UInt32.max, using: &rng)
            case 1: seq = seqs[k] &- UInt32.random(in: 0...3000, using: &rng)
            case 2: seq = seqs[k] &+ UInt32.random(in: 1...3000, using: &rng)
            default: seq = seqs[k]
            }
            seqs[k] = seq &+ UInt32(payload.count)
            run.feed(PacketBuilder.tcp(from: sock("10.0.0.1", ports[k]), to: bob, seq: seq, flags: flags, payload: payload), link: .ethernet())
        }
        run.finish()
        #expect(Self.invariantHolds(run.decoder))
        #expect(run.delivered.allSatisfy { $0.bytes.count <= 4096 + 1400 })
    }

    @Test func warningKindsAreBounded() {
        var run = PacketRun()
        for t in 1000..<1300 { run.feed([0], linkType: LinkType(rawValue: UInt32(t))) }
        #expect(run.warnings.count == 65)
        #expect(run.warnings.last == "236 further issues of other kinds not itemised (first: frame 65)")
    }

    // MARK: Same messages whatever the segmentation

    static func conversation(_ rng: inout SplitMix64) -> [String] {
        (0..<12).map { i in
            let body = String(repeating: "a=x:\(i)\r\n", count: Int.random(in: 0...200, using: &rng))
            return i % 3 == 0 ? sipResponse(callID: "c\(i)", body: body) : sipRequest(callID: "c\(i)", body: body)
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func tcpSegmentationReorderingAndDuplicatesDoNotChangeTheMessages(_ seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let messages = Self.conversation(&rng)
        let stream = bytes(messages.enumerated().map { $0.offset % 4 == 1 ? $0.element + "\r\n\r\n" : $0.element }.joined())
        var sender = TCPSender(isn: UInt32.random(in: 0...UInt32.max, using: &rng))
        var segments = [sender.syn()]
        var at = 0
        while at < stream.count {
            let n = min(stream.count - at, Int.random(in: 1...1400, using: &rng))
            segments.append(sender.send(Array(stream[at..<(at + n)])))
            at += n
        }
        var shuffled: [[UInt8]] = [segments[0]]
        var i = 1
        while i < segments.count {
            if i + 1 < segments.count, Int.random(in: 0..<4, using: &rng) == 0 {
                shuffled += [segments[i + 1], segments[i]]
                i += 2
            } else {
                shuffled.append(segments[i])
                i += 1
            }
            if Int.random(in: 0..<6, using: &rng) == 0 { shuffled.append(segments[i - 1]) }
        }
        var run = PacketRun()
        for s in shuffled { run.feed(s, link: .ethernet()) }
        #expect(run.texts == messages.map { $0 })
        #expect(run.warnings.isEmpty)
    }

    @Test(arguments: [UInt64(11), 12, 13, 14])
    func fragmentOrderDoesNotChangeTheDatagram(_ seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var run = PacketRun()
        let messages = Self.conversation(&rng)
        for (n, message) in messages.enumerated() {
            let v6 = n % 2 == 0
            let packet = PacketBuilder.udp(from: v6 ? alice6 : alice, to: v6 ? bob6 : bob, payload: bytes(message))
            let pieces = PacketBuilder.fragments(of: packet, count: Int.random(in: 1...6, using: &rng), identification: UInt32(n))
            for f in pieces.shuffled(using: &rng) { run.feed(f, link: .ethernet()) }
        }
        #expect(run.texts == messages)
    }
}
