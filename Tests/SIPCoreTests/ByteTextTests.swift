import Testing
@testable import SIPCore

/// Runs `body` over the UTF-8 bytes of `text`.
private func with<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    Array(text.utf8).withUnsafeBufferPointer(body)
}

private func lines(_ text: String) -> [String] {
    with(text) { buf in
        var c = LineCursor(buf)
        var out: [String] = []
        while let r = c.next() { out.append(ByteText.string(buf, r)) }
        return out
    }
}

@Suite struct ByteTextTests {
    @Test func isBlankForSpacesTabsAndCR() { #expect(with(" \t\r ") { ByteText.isBlank($0, 0..<$0.count) }) }
    @Test func isBlankForEmptyRange() { #expect(with("x") { ByteText.isBlank($0, 0..<0) }) }
    @Test func isBlankFalseForText() { #expect(!with("  a ") { ByteText.isBlank($0, 0..<$0.count) }) }

    @Test func trimmedRemovesSpacesTabsAndCR() {
        #expect(with("\t a b \r") { ByteText.string($0, ByteText.trimmed($0, 0..<$0.count)) } == "a b")
    }

    @Test func trimmedOfBlankIsEmpty() {
        #expect(with("   ") { ByteText.trimmed($0, 0..<$0.count).isEmpty })
    }

    @Test func trimmedTrailingKeepsLeadingSpace() {
        #expect(with("  a \r") { ByteText.string($0, ByteText.trimmedTrailing($0, 0..<$0.count)) } == "  a")
    }

    @Test func firstIndexFindsByteInRange() {
        #expect(with("a:b:c") { ByteText.firstIndex(of: UInt8(ascii: ":"), in: $0, 2..<5) } == 3)
    }

    @Test func firstIndexOfAbsentByteIsNil() {
        #expect(with("abc") { ByteText.firstIndex(of: UInt8(ascii: ":"), in: $0, 0..<3) } == nil)
    }

    @Test func hasPrefixIsCaseSensitive() {
        #expect(with("SIP/2.0 200") { ByteText.hasPrefix($0, 0..<$0.count, "SIP/2.0") })
        #expect(!with("sip/2.0 200") { ByteText.hasPrefix($0, 0..<$0.count, "SIP/2.0") })
    }

    @Test func hasPrefixOfShortRangeIsFalse() {
        #expect(!with("SI") { ByteText.hasPrefix($0, 0..<$0.count, "SIP") })
    }

    @Test func hasSuffixMatchesEnd() {
        #expect(with("INVITE sip:a SIP/2.0") { ByteText.hasSuffix($0, 0..<$0.count, " SIP/2.0") })
        #expect(!with("INVITE sip:a SIP/2.1") { ByteText.hasSuffix($0, 0..<$0.count, " SIP/2.0") })
    }

    @Test func hasPrefixIgnoringCaseMatchesAnyCase() {
        #expect(with("content-TYPE: x") { ByteText.hasPrefixIgnoringCase($0, 0..<$0.count, "Content-Type") })
    }

    @Test func isTokenAcceptsHeaderNames() {
        #expect(with("P-Asserted-Identity") { ByteText.isToken($0, 0..<$0.count) })
        #expect(with("X.Foo!%*_+`'~9") { ByteText.isToken($0, 0..<$0.count) })
    }

    @Test func isTokenRejectsSpaceAndSeparators() {
        #expect(!with("Bad Name") { ByteText.isToken($0, 0..<$0.count) })
        #expect(!with("a<b") { ByteText.isToken($0, 0..<$0.count) })
    }

    @Test(arguments: ["..", "...", "......", "…"])
    func isElisionAcceptsDotRunsAndEllipsis(_ text: String) {
        #expect(with(text) { ByteText.isElision($0, 0..<$0.count) })
    }

    @Test(arguments: ["", ".", ". . .", "...x", "a"])
    func isElisionRejectsOthers(_ text: String) {
        #expect(!with(text) { ByteText.isElision($0, 0..<$0.count) })
    }

    @Test func strippingAnnotationCutsSpaceArrowNote() {
        #expect(with("Call-ID: x   <-- here") { ByteText.string($0, ByteText.strippingAnnotation($0, 0..<$0.count)) } == "Call-ID: x")
    }

    @Test func strippingAnnotationCutsTabArrowNote() {
        #expect(with("a\t<--b") { ByteText.string($0, ByteText.strippingAnnotation($0, 0..<$0.count)) } == "a")
    }

    @Test func strippingAnnotationOfNoteOnlyLineIsEmpty() {
        #expect(with("<-- note") { ByteText.strippingAnnotation($0, 0..<$0.count).isEmpty })
    }

    @Test func strippingAnnotationLeavesArrowWithoutSpace() {
        #expect(with("To: <sip:a@b;x=y<--z>") { ByteText.string($0, ByteText.strippingAnnotation($0, 0..<$0.count)) } == "To: <sip:a@b;x=y<--z>")
    }

    @Test func strippingAnnotationLeavesSingleDashArrow() {
        #expect(with("a <- b") { ByteText.string($0, ByteText.strippingAnnotation($0, 0..<$0.count)) } == "a <- b")
    }

    // MARK: LineCursor

    @Test func lineCursorSplitsCRLF() { #expect(lines("a\r\nb\r\n") == ["a", "b"]) }
    @Test func lineCursorSplitsLF() { #expect(lines("a\nb\n") == ["a", "b"]) }
    @Test func lineCursorSplitsLoneCR() { #expect(lines("a\rb\r") == ["a", "b"]) }
    @Test func lineCursorSplitsMixed() { #expect(lines("a\r\nb\nc\rd") == ["a", "b", "c", "d"]) }
    @Test func lineCursorKeepsEmptyLines() { #expect(lines("a\r\n\r\nb") == ["a", "", "b"]) }
    @Test func lineCursorCRCRIsTwoLineEnds() { #expect(lines("a\r\rb") == ["a", "", "b"]) }
    @Test func lineCursorLFCRIsTwoLineEnds() { #expect(lines("a\n\rb") == ["a", "", "b"]) }
    @Test func lineCursorLastLineWithoutTerminator() { #expect(lines("a\nlast") == ["a", "last"]) }
    @Test func lineCursorOfEmptyHasNoLines() { #expect(lines("").isEmpty) }

    @Test func lineCursorStartsAtGivenOffsetAndTracksPosition() {
        with("xx\r\nab\r\ncd") { buf in
            var c = LineCursor(buf, from: 4)
            #expect(c.position == 4)
            #expect(c.next().map { ByteText.string(buf, $0) } == "ab")
            #expect(c.position == 8)
            #expect(c.next().map { ByteText.string(buf, $0) } == "cd")
            #expect(c.next() == nil)
        }
    }

    /// The cursor jumps eight bytes at a time: at every offset, before and
    /// after UTF-8 and bytes one off CR or LF, it splits where a byte by
    /// byte reading does.
    @Test func lineCursorSplitsAsAByteByByteReadingDoes() {
        var state: UInt64 = 42
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            return z ^ (z >> 27)
        }
        let alphabet: [UInt8] = [0x61, 0x20, 0x0D, 0x0A, 0x0B, 0x0C, 0x0E, 0x09, 0x8A, 0x8D, 0xC3, 0xA9]
        for _ in 0..<5_000 {
            let bytes = (0..<Int(next() % 120)).map { _ in next() % 4 == 0 ? alphabet[Int(next() % UInt64(alphabet.count))] : 0x61 }
            var expected: [Range<Int>] = []
            var i = 0, start = 0
            while i < bytes.count {
                if bytes[i] == 0x0A || bytes[i] == 0x0D {
                    expected.append(start..<i)
                    i += bytes[i] == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A ? 2 : 1
                    start = i
                } else {
                    i += 1
                }
            }
            if start < bytes.count { expected.append(start..<bytes.count) }
            let got = bytes.withUnsafeBufferPointer { buf -> [Range<Int>] in
                var c = LineCursor(buf)
                var out: [Range<Int>] = []
                while let r = c.next() { out.append(r) }
                return out
            }
            #expect(got == expected, "\(bytes)")
            if got != expected { break }
        }
    }
}
