import Annotation
import Testing

/// One behaviour per test: the forms a Call-ID is written in, and what is
/// not one.
@Suite struct CallIDExtractorTests {
    let extractor = CallIDExtractor()

    func ids(_ text: String, _ markup: TextMarkup = .plain) -> [String] {
        extractor.candidates(in: text, markup: markup).map(\.callID)
    }

    func marked(_ text: String, _ markup: TextMarkup = .plain) -> [String] {
        extractor.candidates(in: text, markup: markup).filter(\.marked).map(\.callID)
    }

    @Test func callIDHeaderLineIsMarkedWhateverItsCase() {
        #expect(marked("CALL-ID: abc123def@10.0.0.1") == ["abc123def@10.0.0.1"])
        #expect(marked("call-id:abc123def@10.0.0.1") == ["abc123def@10.0.0.1"])
        #expect(marked("Call-Id : abc123def@10.0.0.1.") == ["abc123def@10.0.0.1"])
    }

    @Test func compactFormCountsOnlyFirstOnALine() {
        #expect(marked("i: 9a8b7c6d5e@host.example") == ["9a8b7c6d5e@host.example"])
        #expect(marked("   i:9a8b7c6d5e@host.example") == ["9a8b7c6d5e@host.example"])
        #expect(marked("so i: 9a8b7c6d5e@host.example") == [])
    }

    @Test func phrasesMarkWhatFollows() {
        #expect(marked("the call_id: 77aa88bb99@sbc is wrong") == ["77aa88bb99@sbc"])
        #expect(marked("CallID=XQ12ab34cd") == ["XQ12ab34cd"])
        #expect(marked("our Call ID was 5f4e3d2c1b0a") == ["5f4e3d2c1b0a"])
        #expect(marked("Call-ID: <77aa88bb99@sbc>") == ["77aa88bb99@sbc"])
    }

    @Test func aMarkerFollowedByAWordMarksNothing() {
        #expect(ids("Call-ID: see below") == [])
        #expect(ids("Call ID is missing from the export") == [])
        #expect(ids("please send us the Call-ID of a failed call") == [])
    }

    @Test func theSameCallIDTwiceIsOneCandidateMarkedIfAnyMentionWas() {
        let found = extractor.candidates(in: "saw 1a2b3c4d@10.0.0.1 twice\nCall-ID: 1a2b3c4d@10.0.0.1", markup: .plain)
        #expect(found == [CallIDCandidate(callID: "1a2b3c4d@10.0.0.1", marked: true)])
    }

    @Test func callIDsAreCaseSensitive() {
        #expect(ids("Call-ID: ABCdef123@h\nCall-ID: abcdef123@h") == ["ABCdef123@h", "abcdef123@h"])
    }

    @Test func bareTokensAreUnmarked() {
        let found = extractor.candidates(in: "it was 3c26700a1b@10.0.0.1:5060 again", markup: .plain)
        #expect(found == [CallIDCandidate(callID: "3c26700a1b@10.0.0.1:5060", marked: false)])
    }

    @Test func emailAddressesAndSIPURIsAreNotCallIDs() {
        #expect(ids("mail john.smith@example.com or noc@carrier.net, call sip:bob@biloxi.example.com") == [])
        #expect(ids("Contact: <sip:1001@192.168.1.50:5060>") == [])
        #expect(ids("mailto:ops2024@example.com") == [])
    }

    @Test func anAddressInASignatureIsNotACallIDEvenIfItLooksMachineMade() {
        let body = "calls fail since 9am\n\n-- \nNOC 24/7\nnoc247@example.net\n"
        #expect(ids(body) == [])
        #expect(ids("calls fail since 9am\nnoc247@example.net\n") == ["noc247@example.net"])
    }

    @Test func aClosingLineStartsTheSignature() {
        #expect(ids("see 1a2b3c4d@10.0.0.1\n\nKind regards,\nBob\nbob2024@example.org") == ["1a2b3c4d@10.0.0.1"])
        #expect(ids("see 1a2b3c4d@10.0.0.1\nCheers -- Bob\nbob2024@example.org") == ["1a2b3c4d@10.0.0.1"])
        #expect(ids("see 1a2b3c4d@10.0.0.1\nMit freundlichen Grüßen Klaus Weber\nkw2024@example.de") == ["1a2b3c4d@10.0.0.1"])
        // A sentence that starts like a closing is not one.
        #expect(ids("Thanks for the help, next one is 5e6f7a8b@10.0.0.2") == ["5e6f7a8b@10.0.0.2"])
        #expect(ids("LG phone fails to register\nsee 5e6f7a8b@10.0.0.2") == ["5e6f7a8b@10.0.0.2"])
        #expect(ids("Best case it is the SBC\nsee 5e6f7a8b@10.0.0.2") == ["5e6f7a8b@10.0.0.2"])
        #expect(ids("Thanks, the next one: 5e6f7a8b@10.0.0.2") == ["5e6f7a8b@10.0.0.2"])
    }

    @Test func aMarkedCallIDCountsEvenInsideASignature() {
        #expect(marked("Regards,\nBob\nCall-ID: 1a2b3c4d@10.0.0.1") == ["1a2b3c4d@10.0.0.1"])
    }

    @Test func quotedRepliesAreRead() {
        #expect(marked("> > Call-ID: 1a2b3c4d@10.0.0.1\n> ok") == ["1a2b3c4d@10.0.0.1"])
    }

    @Test func uuidsAnywhereButInsideAnUnrelatedLink() {
        #expect(ids("FS uuid f81d4fae-7dec-11d0-a765-00a0c91e6bf6 dropped") == ["f81d4fae-7dec-11d0-a765-00a0c91e6bf6"])
        #expect(ids("https://jira.example.com/browse/f81d4fae-7dec-11d0-a765-00a0c91e6bf6") == [])
    }

    @Test func homerAndPortalLinksCarryMarkedCallIDs() {
        #expect(marked("http://homer:9080/search?callid=ab12cd34%40192.0.2.1&x=1") == ["ab12cd34@192.0.2.1"])
        let homerQuery = "http://homer/search/result?query=%7B%22callid%22%3A%5B%22ab12cd34%40h%22%2C%22ef56ab78%40h%22%5D%7D"
        #expect(marked(homerQuery) == ["ab12cd34@h", "ef56ab78@h"])
        #expect(marked("<https://portal.example.net/calls/9f9f9f9f%4010.1.1.1>") == ["9f9f9f9f@10.1.1.1"])
        #expect(ids("https://portal.example.net/calls/recent") == [])
    }

    @Test func quotedAndInlineCodeTokensMayLackAnAt() {
        #expect(ids("it was `A1B2C3D4E5F6G7`") == ["A1B2C3D4E5F6G7"])
        #expect(ids("it was \"A1B2C3D4E5F6G7\"") == ["A1B2C3D4E5F6G7"])
        #expect(ids("it was A1B2C3D4E5F6G7") == [])
        // Dates, versions and Via branches are not ids, quoted or not.
        #expect(ids("`2026-11-24T02:13:07Z` `v18.20.0` `z9hG4bK776asdhds`") == [])
    }

    @Test func aCodeBlockHoldingOnlyTheIdGivesIt() {
        #expect(ids("the id:\n```\nQmFzZTY0SWQxMjM0\n```", .markdown) == ["QmFzZTY0SWQxMjM0"])
    }

    @Test func markdownEscapesAreUndone() {
        #expect(marked("Call-ID: abc\\_123\\_def@host", .markdown) == ["abc_123_def@host"])
        #expect(marked("**Call-ID:** **abc123def@host**", .markdown) == ["abc123def@host"])
    }

    @Test func htmlTagsAndEntitiesAreTextNotTokens() {
        #expect(marked("<p>Call&#45;ID&#58;&nbsp;<b>abc123def&#x40;10.0.0.1</b></p>", .html) == ["abc123def@10.0.0.1"])
        #expect(ids("<img src=\"https://x/1a2b3c4d@10.0.0.1\" alt=\"1a2b3c4d5e@10.0.0.1\">", .html) == [])
        #expect(ids("a &lt; b and 9a8b7c6d@10.0.0.9", .html) == ["9a8b7c6d@10.0.0.9"])
    }

    @Test func scriptsStylesAndCommentsAreSkipped() {
        let html = "<style>.x{content:'1a2b3c4d@10.0.0.1'}</style><!-- 2a2b3c4d@10.0.0.1 --><script>var a='3a2b3c4d@10.0.0.1'</script>ok"
        #expect(ids(html, .html) == [])
    }

    @Test func aTokenTooLongForACallIDIsDropped() {
        let long = String(repeating: "a1", count: 200) + "@host"
        #expect(ids("Call-ID: \(long)") == [])
    }

    @Test func atMostMaxCandidatesAndMarkedOnesFirst() {
        let bare = (0..<10).map { "\($0)a\($0)b\($0)c@10.0.0.\($0)" }.joined(separator: " ")
        let found = CallIDExtractor(maxCandidates: 3).candidates(in: bare + "\nCall-ID: 999zzz999@10.9.9.9", markup: .plain)
        #expect(found.count == 3)
        #expect(found.last == CallIDCandidate(callID: "999zzz999@10.9.9.9", marked: true))
        #expect(found.first?.callID == "0a0b0c@10.0.0.0")
    }
}
