import Testing
import TraceFormats

/// Formats told apart by their first bytes, and the files we cannot read
/// named in the error with the way out.
@Suite struct CaptureFormatTests {
    static func sniff(_ bytes: [UInt8]) -> CaptureFormat.Sniff {
        bytes.withUnsafeBytes { CaptureFormat.sniff($0) }
    }

    @Test func pcapMagicInBothOrdersAndResolutions() {
        #expect(Self.sniff([0xD4, 0xC3, 0xB2, 0xA1]) == .capture(.pcap(byteOrder: .littleEndian, nanosecond: false)))
        #expect(Self.sniff([0xA1, 0xB2, 0xC3, 0xD4]) == .capture(.pcap(byteOrder: .bigEndian, nanosecond: false)))
        #expect(Self.sniff([0x4D, 0x3C, 0xB2, 0xA1]) == .capture(.pcap(byteOrder: .littleEndian, nanosecond: true)))
        #expect(Self.sniff([0xA1, 0xB2, 0x3C, 0x4D]) == .capture(.pcap(byteOrder: .bigEndian, nanosecond: true)))
    }

    @Test func pcapngNeedsItsByteOrderMagic() {
        let le: [UInt8] = [0x0A, 0x0D, 0x0D, 0x0A, 28, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A]
        let be: [UInt8] = [0x0A, 0x0D, 0x0D, 0x0A, 0, 0, 0, 28, 0x1A, 0x2B, 0x3C, 0x4D]
        #expect(Self.sniff(le) == .capture(.pcapng))
        #expect(Self.sniff(be) == .capture(.pcapng))
        // "\n\r\r\n" then text is a text file, not a capture.
        #expect(Self.sniff(Array("\n\r\r\nINVITE sip:bob SIP/2.0".utf8)) == .notACapture)
    }

    @Test(arguments: [
        (Array("GMBU".utf8) + [0, 2], ForeignCapture.networkMonitor),
        (Array("RTSS".utf8) + [0, 1], .networkMonitor),
        (Array("snoop".utf8) + [0, 0, 0, 0, 0, 0, 2], .snoop),
        ([0x34, 0xCD, 0xB2, 0xA1, 2, 0, 4, 0], .kuznetzovPcap),
        ([0xA1, 0xB2, 0xCD, 0x34, 0, 2, 0, 4], .kuznetzovPcap),
        ([0x4D, 0x3C, 0x2B, 0xA1], .navtelPcap),
        ([0x1C, 0x00, 0x01, 0xAC], .ixiaPcap),
        (Array("XCP".utf8) + [0, 0x30, 0x30], .netXRay),
        (Array("TRSNIFF data    ".utf8) + [0x1A, 0], .sniffer),
        ([0x1F, 0x8B, 0x08, 0x00], .compressed(.gzip)),
        ([0x28, 0xB5, 0x2F, 0xFD], .compressed(.zstd)),
        ([0x50, 0x4B, 0x03, 0x04], .compressed(.zip)),
        (Array("BZh9".utf8), .compressed(.bzip2)),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], .compressed(.xz)),
    ] as [([UInt8], ForeignCapture)])
    func foreignFormatsAreNamed(_ head: [UInt8], _ expected: ForeignCapture) {
        #expect(Self.sniff(head + [UInt8](repeating: 0, count: 20)) == .foreign(expected))
    }

    /// Three ERF records: 2024 time stamps, type 2 (Ethernet), rlen 32.
    @Test func erfIsRecognisedFromConsistentRecords() {
        var file: [UInt8] = []
        for n in 0..<3 {
            let seconds: UInt64 = 1_717_000_000 + UInt64(n)
            let ts = seconds << 32
            for i in 0..<8 { file.append(UInt8(truncatingIfNeeded: ts >> (8 * UInt64(i)))) }
            file += [2, 0x04, 0, 32, 0, 0, 0, 14]
            file += [UInt8](repeating: 0xAB, count: 16)
        }
        #expect(Self.sniff(file) == .foreign(.endaceERF))
        // The same records with a type no ERF card writes are not ERF.
        var wrong = file
        wrong[8] = 0x70
        #expect(Self.sniff(wrong) == .notACapture)
        // Records whose times jump by days are not one capture.
        var scattered = file
        scattered[32 + 7] &+= 1
        #expect(Self.sniff(scattered) == .notACapture)
    }

    @Test func networkMonitorErrorSaysWhatAndHow() throws {
        let e = try #require(CaptureSamples.error(Array("GMBU".utf8) + [0, 2, 1, 0] + [UInt8](repeating: 0, count: 120), name: "x.cap"))
        #expect(e == .foreign(path: "x.cap", .networkMonitor))
        #expect(e.description.hasPrefix("x.cap is a Microsoft Network Monitor capture, which agentctl cannot read: open it in Wireshark and save it as pcapng"))
        #expect(e.description.contains("editcap -F pcapng x.cap"))
    }

    @Test func snoopAndKuznetzovErrorsNameTheFormat() throws {
        let snoop = try #require(CaptureSamples.error(Array("snoop".utf8) + [0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 4], name: "s.snoop"))
        #expect(snoop.description.hasPrefix("s.snoop is a Solaris snoop capture, which agentctl cannot read"))
        let kuz = try #require(CaptureSamples.error([0x34, 0xCD, 0xB2, 0xA1] + [UInt8](repeating: 0, count: 20), name: "k.pcap"))
        #expect(kuz.description.contains("Kuznetzov modified pcap (magic a1b2cd34"))
    }

    @Test func compressedCaptureSaysDecompressFirst() throws {
        let e = try #require(CaptureSamples.error([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0], name: "call.pcap.gz"))
        #expect(e.description == "call.pcap.gz is a gzip-compressed file, not a capture: decompress it first (gunzip -k call.pcap.gz) and pass the capture inside")
        let z = try #require(CaptureSamples.error([0x28, 0xB5, 0x2F, 0xFD, 0, 0], name: "c.zst"))
        #expect(z.description.contains("zstd -d c.zst"))
    }

    @Test func textIsNotACaptureAndTheErrorShowsItsFirstBytes() throws {
        let e = try #require(CaptureSamples.error(Array("INVITE sip:bob@example.com SIP/2.0\r\n".utf8), name: "t.txt"))
        #expect(e == .notACapture(path: "t.txt", firstBytes: "49 4e 56 49 54 45 20 73"))
        #expect(e.description.hasPrefix("t.txt is not a pcap or pcapng capture (it starts with bytes 49 4e 56 49"))
    }

    @Test func emptyFileAndCutHeader() throws {
        #expect(CaptureSamples.error([], name: "e.pcap") == .empty(path: "e.pcap"))
        let cut = try #require(CaptureSamples.error([0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0, 0, 0], name: "x.pcap"))
        #expect(cut.description.hasPrefix("x.pcap ends inside its 24-byte file header, after 10 bytes: the capture is empty or was cut off; capture again"))
        let ng = try #require(CaptureSamples.error([0x0A, 0x0D, 0x0D, 0x0A, 28, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A, 1, 0], name: "x.pcapng"))
        guard case .cutInHeader(_, .pcapng, _, 14) = ng else {
            Issue.record("expected a cut pcapng header, got \(ng)")
            return
        }
    }

    @Test func headerOnlyPcapHasNoFramesAndNoWarnings() throws {
        let w = try PcapWriter(linkType: .ethernet)
        let (frames, warnings) = try CaptureSamples.readAll(w.bytes)
        #expect(frames.isEmpty)
        #expect(warnings.isEmpty)
    }

    @Test func headerOnlyPcapngHasNoFrames() throws {
        var w = try PcapNGWriter()
        try w.addInterface(.init(linkType: .ethernet))
        let (frames, warnings) = try CaptureSamples.readAll(w.bytes)
        #expect(frames.isEmpty)
        #expect(warnings.isEmpty)
    }
}
