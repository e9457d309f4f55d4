import Testing
import TraceFormats

/// One direction of a TCP connection, writing segments with the right
/// sequence numbers.
struct TCPSender {
    var from: SocketAddress
    var to: SocketAddress
    var seq: UInt32

    init(_ from: SocketAddress = alice, _ to: SocketAddress = bob, isn: UInt32 = 1_000) {
        self.from = from
        self.to = to
        seq = isn
    }

    mutating func syn() -> [UInt8] {
        defer { seq &+= 1 }
        return PacketBuilder.tcp(from: from, to: to, seq: seq, flags: [.syn])
    }

    mutating func send(_ text: String) -> [UInt8] { send(bytes(text)) }

    mutating func send(_ data: [UInt8], flags: PacketBuilder.TCPFlags = [.ack, .psh]) -> [UInt8] {
        defer { seq &+= UInt32(data.count) }
        return PacketBuilder.tcp(from: from, to: to, seq: seq, flags: flags, payload: data)
    }

    /// Segments for `text` cut at the given byte offsets, in order.
    mutating func split(_ text: String, at cuts: [Int]) -> [[UInt8]] {
        let all = bytes(text)
        var pieces: [[UInt8]] = []
        var start = 0
        for cut in cuts + [all.count] {
            pieces.append(send(Array(all[start..<cut])))
            start = cut
        }
        return pieces
    }

    mutating func fin() -> [UInt8] {
        defer { seq &+= 1 }
        return PacketBuilder.tcp(from: from, to: to, seq: seq, flags: [.fin, .ack])
    }

    func rst() -> [UInt8] { PacketBuilder.tcp(from: from, to: to, seq: seq, flags: [.rst]) }
}

@Suite struct TCPStreamTests {
    static let invite = sipRequest(body: sdpBody)
    static let ok = sipResponse(body: sdpBody)
    static let ack = sipRequest("ACK")

    @Test func twoMessagesInOneSegment() {
        var run = PacketRun(), tcp = TCPSender()
        run.feed(tcp.syn(), link: .ethernet())
        run.feed(tcp.send(Self.invite + Self.ack), link: .ethernet())
        #expect(run.texts == [Self.invite, Self.ack])
        #expect(run.delivered.map(\.frames) == [[2], [2]])
        #expect(run.delivered.allSatisfy { $0.transport == .tcp && $0.flow == FlowKey(source: alice, destination: bob) })
        #expect(run.decoder.counts.tcpMessages == 2)
    }

    @Test func oneMessageOverThreeSegments() {
        var run = PacketRun(), tcp = TCPSender()
        run.feed(tcp.syn(), link: .ethernet())
        for s in tcp.split(Self.invite, at: [10, 150]) { run.feed(s, link: .ethernet()) }
        #expect(run.texts == [Self.invite])
        #expect(run.delivered.first?.frames == [2, 3, 4])
        let completed: Int64 = 1_700_000_000_000_000_000 + 4_000_000
        #expect(run.delivered.first?.timestampNanos == completed)
    }

    @Test func headersEndSplitAcrossSegments() {
        // The CRLFCRLF itself is cut in two.
        let text = Self.ack
        let blank = text.utf8.count - 2
        var run = PacketRun(), tcp = TCPSender()
        run.feed(tcp.syn(), link: .ethernet())
        for s in tcp.split(text, at: [blank]) { run.feed(s, link: .ethernet()) }
        #expect(run.texts == [text])
    }

    @Test func retransmissionIsNotDuplicated() {
        var run = PacketRun(), tcp = TCPSender()
        run.feed(tcp.syn(), link: .ethernet())
        let first = tcp.send(Self.invite)
        run.feed(first, link: .ethernet())
        run.feed(first, link: .ethernet())
        run.feed(tcp.send(Self.ack), link: .ethernet())
        #expect(run.texts == [Self.invite, Self.ack])
    }

    @Test func retransmissionCarryingNewBytesAddsOnlyThem() {
        var run = PacketRun(), tcp = TCPSender()
        run.feed(tcp.syn(), link: .ethernet())
        let start = tcp.seq
        run.feed(tcp.send(String(Self.invite.prefix(100))), link: .ethernet())
        // The sender repacketised: one segment from the start with everything.
        run.feed(PacketBuilder.tcp(from: alice, to: bob, seq: start, payload: bytes(Self.invite + Self.ack)), link: .ethernet())
        #expect(run.texts == [Self.invite, Self.ack])
    }

    @Test func outOfOrderSegmentsWait() {
        var run = PacketRun(), tcp = TCPSender()
        run.feed(tcp.syn(), link: .ethernet())
        let s = tcp.split(Self.invite + Self.ack, at: [40, 200])
        for seg in [s[2], s[0], s[1]] { run.feed(seg, link: .ethernet()) }
        #expect(run.texts == [Self.invite, Self.ack])
        #expect(Set(run.delivered.first?.frames ?? []) == [2, 3, 4])
    }

    @Test func streamThatBeganBeforeTheCaptureResumesAtAStartLine() {
        var run = PacketRun(), tcp = TCPSender(isn: 77_777)
        // No SYN: the capture starts inside a message's body.
        run.feed(tcp.send(String(Self.invite.suffix(60))), link: .ethernet())
        run.feed(tcp.send(Self.ok), link: .ethernet())
        #expect(run.texts == [Self.ok])
    }

    @Test func startLineInTheMiddleOfTheFirstSegmentSeen() {
        var run = PacketRun(), tcp = TCPSender(isn: 5)
        run.feed(tcp.send(String(Self.invite.suffix(30)) + Self.ack), link: .ethernet())
        #expect(run.texts == [Self.ack])
    }

    @Test func messageWithoutContentLengthEndsAtTheBlankLine() {
        let bare = sipRequest("OPTIONS", lengthHeader: nil)
        var run = PacketRun(), tcp = TCPSender()
        run.feed(tcp.syn(), link: .ethernet())
        run.feed(tcp.send(bare + Self.ack), link: .ethernet())
        #expect(run.texts == [bare, Self.ack])
    }

    @Test func compactContentLength() {
        let compact = sipRequest("MESSAGE", body: "hello", lengthHeader: "l")
        var run = PacketRun(), tcp = TCPSender()
        run.feed(tcp.syn(), link: .ethernet())
        run.feed(tcp.send(compact + Self.ack), link: .ethernet())
        #expect(run.texts == [compact, Self.ack])
    }

    @Test func crlfKeepAlivesBetweenMessages() {
        var run = PacketRun(), tcp = TCPSender()
        run.feed(tcp.syn(), link: .ethernet())
        run.feed(tcp.send("\r\n\r\n"), link: .ethernet())
        run.feed(tcp.send(Self.invite + "\r\n\r\n"), link: .ethernet())
        run.feed(tcp.send("\r\n"), link: .ethernet())
        run.feed(tcp.send(Self.ack), link: .ethernet())
        #expect(run.texts == [Self.invite, Self.ack])
        #expect(run.warnings.isEmpty)
    }

    @Test func oversizedMessageIsDroppedAndTheStreamResumes() {
        var run = PacketRun(), tcp = TCPSender()
        run.feed(tcp.syn(), link: .ethernet())
        run.feed(tcp.send("INVITE sip:x@y SIP/2.0\r\n"), link: .ethernet())
        let filler = String(repeating: "X-Filler: 0123456789abcdef0123456789abcdef\r\n", count: 30)
        for _ in 0..<230 { run.feed(tcp.send(filler), link: .ethernet()) }
        run.feed(tcp.send("\r\n" + Self.ack), link: .ethernet())
        #expect(run.texts == [Self.ack])
        #expect(run.warnings.has("holding over 262144 bytes without a whole SIP message"))
    }

    @Test func hugeContentLengthIsRefusedAtOnce() {
        var run = PacketRun(), tcp = TCPSender()
        run.feed(tcp.syn(), link: .ethernet())
        run.feed(tcp.send("MESSAGE sip:x@y SIP/2.0\r\nContent-Length: 900000000\r\n\r\nabc"), link: .ethernet())
        run.feed(tcp.send(Self.ack), link: .ethernet())
        #expect(run.texts == [Self.ack])
        #expect(run.warnings.has("holding over 262144 bytes"))
    }

    @Test func notSIPBetweenMessagesIsSkippedToTheNextStartLine() {
        var run = PacketRun(), tcp = TCPSender()
        run.feed(tcp.syn(), link: .ethernet())
        // Content-Length says 2 but 12 body bytes follow.
        let wrong = "MESSAGE sip:x@y SIP/2.0\r\nContent-Length: 2\r\n\r\nhello world!"
        run.feed(tcp.send(wrong + Self.ack), link: .ethernet())
        #expect(run.texts == ["MESSAGE sip:x@y SIP/2.0\r\nContent-Length: 2\r\n\r\nhe", Self.ack])
        #expect(run.warnings.has("1 TCP run of bytes between SIP messages that were not SIP skipped"))
    }

    @Test func connectionThatIsNotSIPIsDroppedAfterItsFirstBytes() {
        var run = PacketRun(), tcp = TCPSender(sock("10.0.0.1", 40000), sock("10.0.0.2", 80))
        run.feed(tcp.syn(), link: .ethernet())
        run.feed(tcp.send("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"), link: .ethernet())
        // Even SIP-looking text later in that connection is not read.
        run.feed(tcp.send(Self.ack), link: .ethernet())
        #expect(run.delivered.isEmpty)
        #expect(run.warnings.isEmpty)
    }

    @Test func tlsIsNamed() {
        var run = PacketRun(), tcp = TCPSender(sock("10.0.0.1", 40000), sock("10.0.0.2", 5061))
        run.feed(tcp.syn(), link: .ethernet())
        run.feed(tcp.send([0x16, 0x03, 0x01, 0x00, 0x40] + [UInt8](repeating: 1, count: 64)), link: .ethernet())
        #expect(run.delivered.isEmpty)
        #expect(run.warnings == ["1 TCP stream carrying TLS ignored: SIP over TLS cannot be read from a capture (first: frame 2)"])
    }

    @Test func streamSeenMidwayThatNeverShowsSIPIsGivenUp() {
        var limits = PacketDecoder.Limits()
        limits.nonSIPScanBudget = 4096
        var run = PacketRun(limits: limits), tcp = TCPSender(isn: 9)
        let junk = [UInt8](repeating: 0x5A, count: 1400)
        for _ in 0..<4 { run.feed(tcp.send(junk), link: .ethernet()) }
        run.feed(tcp.send(Self.ack), link: .ethernet())
        #expect(run.delivered.isEmpty)
    }

    @Test func captureEndingMidBodyHandsOnTheMessageWithAWarning() {
        var run = PacketRun(), tcp = TCPSender()
        run.feed(tcp.syn(), link: .ethernet())
        let cut = String(Self.invite.dropLast(20))
        run.feed(tcp.send(cut), link: .ethernet())
        #expect(run.delivered.isEmpty)
        run.finish()
        #expect(run.texts == [cut])
        #expect(run.warnings.has("1 TCP SIP message cut by the end of the capture or of the connection"))
    }

    @Test func finAndRstEndTheStream() {
        var run = PacketRun(), tcp = TCPSender()
        run.feed(tcp.syn(), link: .ethernet())
        run.feed(tcp.send(String(Self.invite.dropLast(5))), link: .ethernet())
        run.feed(tcp.fin(), link: .ethernet())
        #expect(run.texts == [String(Self.invite.dropLast(5))])
        // Bytes after the FIN (a late retransmission) are not read as a new stream.
        run.feed(PacketBuilder.tcp(from: alice, to: bob, seq: 1001, payload: bytes(Self.invite)), link: .ethernet())
        var other = TCPSender(alice, sock("10.0.0.3", 5060))
        run.feed(other.syn(), link: .ethernet())
        run.feed(other.send(String(Self.ok.prefix(50))), link: .ethernet())
        run.feed(other.rst(), link: .ethernet())
        run.finish()
        #expect(run.texts == [String(Self.invite.dropLast(5)), String(Self.ok.prefix(50))])
    }

    @Test func newSYNOnTheSameAddressesStartsANewConnection() {
        var run = PacketRun(), first = TCPSender(isn: 100)
        run.feed(first.syn(), link: .ethernet())
        run.feed(first.send(Self.invite), link: .ethernet())
        var second = TCPSender(isn: 900_000)
        run.feed(second.syn(), link: .ethernet())
        run.feed(second.send(Self.ack), link: .ethernet())
        #expect(run.texts == [Self.invite, Self.ack])
    }

    @Test func sequenceNumbersWrapAround() {
        var run = PacketRun(), tcp = TCPSender(isn: UInt32.max - 100)
        run.feed(tcp.syn(), link: .ethernet())
        for s in tcp.split(Self.invite + Self.ack, at: [60, 300]) { run.feed(s, link: .ethernet()) }
        #expect(run.texts == [Self.invite, Self.ack])
    }

    @Test func segmentHalfTheSequenceSpaceAwayIsHarmless() {
        var run = PacketRun(), tcp = TCPSender(isn: 10)
        run.feed(tcp.syn(), link: .ethernet())
        run.feed(PacketBuilder.tcp(from: alice, to: bob, seq: tcp.seq &+ 0x8000_0000, payload: bytes(Self.ack)), link: .ethernet())
        run.feed(tcp.send(Self.invite), link: .ethernet())
        run.finish()
        #expect(run.texts.first == Self.invite)
    }

    @Test func bothDirectionsAreSeparateStreams() {
        var run = PacketRun(), out = TCPSender(alice, bob), back = TCPSender(bob, alice, isn: 50_000)
        run.feed(out.syn(), link: .ethernet())
        run.feed(back.syn(), link: .ethernet())
        let a = out.split(Self.invite, at: [100]), b = back.split(Self.ok, at: [100])
        for s in [a[0], b[0], a[1], b[1]] { run.feed(s, link: .ethernet()) }
        #expect(run.texts == [Self.invite, Self.ok])
        #expect(run.delivered.last?.flow.source == bob)
    }

    @Test func missingSegmentIsAGapAndTheStreamResumes() {
        var limits = PacketDecoder.Limits()
        limits.maxOutOfOrderSegments = 3
        var run = PacketRun(limits: limits), tcp = TCPSender()
        run.feed(tcp.syn(), link: .ethernet())
        let pieces = tcp.split(Self.invite, at: [100])
        run.feed(pieces[0], link: .ethernet())
        // pieces[1] is never captured; four whole messages follow it.
        for i in 0..<4 { run.feed(tcp.send(sipRequest("OPTIONS", callID: "k\(i)")), link: .ethernet()) }
        #expect(run.texts.first == String(decoding: bytes(Self.invite)[..<100], as: UTF8.self))
        #expect(run.texts.dropFirst() == ["k0", "k1", "k2", "k3"].map { sipRequest("OPTIONS", callID: $0) }[...])
        #expect(run.warnings.has("1 TCP gap (bytes not captured)"))
    }

    @Test func streamCapEvictsTheIdlestAndHandsOnWhatItHeld() {
        var limits = PacketDecoder.Limits()
        limits.maxStreams = 4
        var run = PacketRun(limits: limits)
        for i in 0..<6 {
            var sender = TCPSender(sock("10.0.1.\(i)", 5060), bob)
            run.feed(sender.syn(), link: .ethernet())
            run.feed(sender.send(sipRequest(callID: "evict-\(i)").dropLast(10).description), link: .ethernet())
        }
        // Streams 0 and 1 were evicted to make room for 4 and 5, handing on
        // their partial messages then; the other four at the end.
        #expect(run.delivered.map(\.frames) == [[2], [4]])
        #expect(run.warnings.has("2 TCP streams evicted to stay within 4 open streams"))
        run.finish()
        #expect(run.delivered.map(\.frames) == [[2], [4], [6], [8], [10], [12]])
    }

    @Test func hepOverTCP() {
        var run = PacketRun(), tcp = TCPSender(sock("10.9.9.9", 33000), sock("10.9.9.10", 9061))
        run.feed(tcp.syn(), link: .ethernet())
        let one = PacketBuilder.hep3(from: alice, to: bob, timestampNanos: 1_600_000_000_000_000_000, payload: bytes(Self.invite))
        let two = PacketBuilder.hep3(from: bob, to: alice, timestampNanos: 1_600_000_000_500_000_000, payload: bytes(Self.ok))
        let all = one + two
        var start = 0
        for cut in [17, one.count + 3, all.count] {
            run.feed(tcp.send(Array(all[start..<cut])), link: .ethernet())
            start = cut
        }
        #expect(run.texts == [Self.invite, Self.ok])
        #expect(run.delivered.allSatisfy { $0.fromHEP })
        #expect(run.delivered.map(\.flow.source) == [alice, bob])
    }
}
